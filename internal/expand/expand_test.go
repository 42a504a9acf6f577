package expand

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestConstruct(t *testing.T) {
	long := strings.Repeat("é", 50) // 100 bytes
	for in, want := range map[string]string{
		"{{<  figure\n  src=x >}}": "{{< figure src=x >}}",
		long:                       strings.Repeat("é", 38) + "...",
	} {
		got := Construct(in)
		if got != want || !utf8.ValidString(got) {
			t.Errorf("Construct(%q) = %q, want %q", in, got, want)
		}
	}
}
