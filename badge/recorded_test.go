package badge

import (
	"strings"
	"testing"
)

// TestReadRecordedFingerprint: a recorded badge's data-sha256 must be a
// SHA-256 digest in lower-case hex.
func TestReadRecordedFingerprint(t *testing.T) {
	good := strings.Repeat("0123456789abcdef", 4)
	for _, tc := range []struct {
		name, sha256 string
		ok           bool
	}{
		{"64 lower-case hex digits", good, true},
		{"short", "ab", false},
		{"upper case", strings.ToUpper(good), false},
		{"not hex", strings.Repeat("g", 64), false},
		{"colons", "01:23" + good[5:], false},
		{"too long", good + "0", false},
	} {
		page := Start + `<div><span class="tls-badge" data-state="recorded" data-host="blog.test" data-sha256="` + tc.sha256 +
			`" data-not-after="2030-01-02T03:04:05Z" data-checked="2029-12-01"></span></div>` + End
		f, err := ReadRecorded([]byte(page))
		switch {
		case tc.ok && (err != nil || f.SHA256 != tc.sha256 || f.Host != "blog.test"):
			t.Errorf("%s: %+v, %v", tc.name, f, err)
		case !tc.ok && (err == nil || !strings.Contains(err.Error(), "is not 64 lower-case hex digits")):
			t.Errorf("%s: read %+v, %v; want an error", tc.name, f, err)
		}
	}
}

// TestReadRecordedAfterFilled: the recorded badge Filled puts in a page
// is the one ReadRecorded reads, when a post on a long home page holds
// the markers too.
func TestReadRecordedAfterFilled(t *testing.T) {
	badge := `<div><span class="tls-badge" data-state="recorded" data-host="blog.test" data-sha256="` + strings.Repeat("ab", 32) +
		`" data-not-after="2030-01-02T03:04:05Z" data-checked="2029-12-01"></span></div>`
	for _, filler := range []int{100, 20000} {
		page := "<p>" + Start + End + "</p>" + strings.Repeat("x", filler) + "<footer>" + string(StaticSlot) + "</footer></body></html>"
		out := memOut{}
		if err := (Filled{Next: out, Badge: []byte(badge)}).WriteFile("index.html", []byte(page)); err != nil {
			t.Fatal(err)
		}
		f, err := ReadRecorded(out["index.html"])
		if err != nil || f.Host != "blog.test" {
			t.Errorf("%d bytes of text: read %+v, %v", filler, f, err)
		}
		if !strings.Contains(string(out["index.html"]), "<footer>"+Start+badge+End+"</footer>") {
			t.Errorf("%d bytes of text: the badge is not in the footer: %q", filler, out["index.html"])
		}
	}
}
