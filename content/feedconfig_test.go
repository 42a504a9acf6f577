package content

import (
	"maps"
	"strings"
	"testing"
)

// TestFeedFullText checks [feed] full_text, its older spelling full, and
// the error at full_text's line when the two disagree.
func TestFeedFullText(t *testing.T) {
	tests := []struct {
		name, src string
		full      bool
		err       string // a part of the error, "" for none
	}{
		{"default", "", true, ""},
		{"full_text false", "[feed]\nfull_text = false\n", false, ""},
		{"full_text true", "[feed]\nfull_text = true\n", true, ""},
		{"older full false", "[feed]\nfull = false\n", false, ""},
		{"older full true", "[feed]\nfull = true\n", true, ""},
		{"both agree", "[feed]\nfull = false\nfull_text = false\n", false, ""},
		{"both disagree", "[feed]\nlimit = 5\nfull = true\nfull_text = false\n",
			false, "site.toml:6: [feed] full_text = false contradicts full = true (line 5, the older spelling of full_text): keep one"},
		{"disagree the other way", "[feed]\nfull_text = true\nfull = false\n",
			false, "site.toml:4: [feed] full_text = true contradicts full = false (line 5"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := ParseConfig([]byte(minimalConfig+tt.src), "")
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("err = %v; want it to contain %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := c.FullFeed(); got != tt.full {
				t.Errorf("FullFeed() = %v, want %v", got, tt.full)
			}
		})
	}
}

// TestTranslationLines checks the lines of [translations] keys: in that
// table, not a table of the same name before it, and those of plural
// forms given as tables of their own.
func TestTranslationLines(t *testing.T) {
	src := "title = \"T\"\nbase_url = \"https://example.org/\"\n\n[feed]\nlimit = 5\n\n[translations]\nfeed = \"Flux\"\n\"read_more\" = \"Suite\"\n\n[translations.min_read]\none = \"%d min\"\nother = \"%d min\"\n"
	c, err := ParseConfig([]byte(src), "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{"feed": 8, "read_more": 9, "min_read": 11}
	if !maps.Equal(c.TranslationLines, want) {
		t.Errorf("TranslationLines = %v, want %v", c.TranslationLines, want)
	}
}
