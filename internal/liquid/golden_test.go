package liquid

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/expand"
)

var update = flag.Bool("update", false, "rewrite the want and warnings sections of testdata/*.txt")

// A case file holds sections, each starting with a line "-- NAME --":
// the files of a site (site.toml, content/…, _includes/…, and
// shortcodes/NAME, a text/template given the expand.Call), then "want",
// the expanded Markdown with each placeholder shown as ⟦its HTML⟧, and
// "warnings", one "line: message" a line. The page expanded is the
// first file under content/, or the one a "page" section names.
type section struct {
	name, body string
}

func parseCase(data string) []section {
	var out []section
	for _, line := range strings.SplitAfter(data, "\n") {
		if name, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "-- "); ok && strings.HasSuffix(name, " --") {
			out = append(out, section{name: strings.TrimSuffix(name, " --")})
			continue
		}
		if len(out) > 0 {
			out[len(out)-1].body += line
		}
	}
	return out
}

func formatCase(secs []section) string {
	var b strings.Builder
	for _, s := range secs {
		b.WriteString("-- " + s.name + " --\n" + s.body)
	}
	return b.String()
}

func TestGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no cases in testdata: %v", err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txt"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			secs := parseCase(string(data))
			site := map[string]string{}
			var page string
			want, wantWarn := -1, -1
			for i, s := range secs {
				switch s.name {
				case "want":
					want = i
				case "warnings":
					wantWarn = i
				case "page":
					page = strings.TrimSpace(s.body)
				default:
					site[s.name] = s.body
					if page == "" && strings.HasPrefix(s.name, "content/") {
						page = s.name
					}
				}
			}
			if want < 0 {
				t.Fatal("no want section")
			}
			env := newFakeEnv(t, site, page)
			doc := &expand.Doc{Src: append([]byte{}, env.page.Body...)}
			Expand(doc, env)
			got, gotWarn := show(doc), warnings(doc)
			if *update {
				secs[want].body = got
				if wantWarn < 0 {
					secs = append(secs, section{name: "warnings"})
					wantWarn = len(secs) - 1
				}
				secs[wantWarn].body = gotWarn
				if err := os.WriteFile(file, []byte(formatCase(secs)), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != secs[want].body {
				t.Errorf("Markdown:\n%s\nwant:\n%s", got, secs[want].body)
			}
			w := ""
			if wantWarn >= 0 {
				w = secs[wantWarn].body
			}
			if gotWarn != w {
				t.Errorf("warnings:\n%s\nwant:\n%s", gotWarn, w)
			}
		})
	}
}
