package render

import (
	"fmt"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/siteblog/site/content"
)

// TestWarningLinesFrontMatterFormats: a broken link's warning names its
// line of the file in a preview after saves that change the front
// matter's number of lines, and in a build from the body cache on disk,
// whatever the front matter's format (YAML, TOML, JSON), line endings
// (CRLF), a byte order mark, a body without a final newline or empty, a
// summary before <!--more--> or a Jekyll excerpt separator, an expander
// on the body's first line, and on pages as on posts: as a cold build
// does, and at the line the file has it on.
func TestWarningLinesFrontMatterFormats(t *testing.T) {
	link := "See [gone](/nowhere/)."
	yamlF := func(fm, body, nl string) string {
		return strings.ReplaceAll("---\ntitle: G\ndate: 2024-06-01\ntags: [x]"+fm+"\n---\n"+body+"\n", "\n", nl)
	}
	tomlF := func(fm, body string) string {
		return "+++\ntitle = \"G\"\ndate = 2024-06-01\ntags = [\"x\"]" + fm + "\n+++\n" + body + "\n"
	}
	jsonF := func(fm, body string) string {
		return "{\n\"title\": \"G\",\n\"date\": \"2024-06-01\",\n\"tags\": [\"x\"]" + fm + "\n}\n" + body + "\n"
	}
	more := "Gamma.\n\n<!--more-->\n\n" + link
	cut := "Gamma.\n\n<!--cut-->\n\n" + link
	figure := "{{< figure src=\"/nowhere/\" >}}"
	tests := []struct {
		name  string
		file  string
		saves []string
	}{
		{"TOML", "content/posts/g.md", []string{tomlF("", "Gamma.\n"+link), tomlF("\nsubtitle = \"y\"", "Gamma.\n"+link), tomlF("\nsubtitle = \"y\"\nmood = \"z\"", "\n\nGamma.\n"+link), tomlF("", "Gamma.\n"+link)}},
		{"JSON", "content/posts/g.md", []string{jsonF("", "Gamma.\n"+link), jsonF(",\n\"subtitle\": \"y\"", "Gamma.\n"+link), jsonF("", "Gamma.\n"+link)}},
		{"CRLF", "content/posts/g.md", []string{yamlF("", "Gamma.\n"+link, "\r\n"), yamlF("\nsubtitle: y", "Gamma.\n"+link, "\r\n"), yamlF("\nsubtitle: y", "\nGamma.\n"+link, "\r\n"), yamlF("", "\n\n"+link, "\r\n"), yamlF("", "Gamma.\n"+link, "\r\n")}},
		{"BOM", "content/posts/g.md", []string{"\ufeff" + yamlF("", "Gamma.\n"+link, "\n"), "\ufeff" + yamlF("\nsubtitle: y", "Gamma.\n"+link, "\n"), "\ufeff" + yamlF("", "Gamma.\n"+link, "\n")}},
		{"no final newline", "content/posts/g.md", []string{"---\ntitle: G\ndate: 2024-06-01\n---\n" + link, "---\ntitle: G\ndate: 2024-06-01\nsubtitle: y\n---\n" + link, "---\ntitle: G\ndate: 2024-06-01\n---\n" + link}},
		{"empty body, then a body", "content/posts/g.md", []string{yamlF("", "", "\n"), yamlF("\nsubtitle: y", link, "\n"), yamlF("", link, "\n")}},
		{"<!--more-->", "content/posts/g.md", []string{yamlF("", more, "\n"), yamlF("\nsubtitle: y", more, "\n"), yamlF("\nsubtitle: y\nsummary: Hi", more, "\n"), yamlF("", more, "\n")}},
		{"a link in the summary", "content/posts/g.md", []string{yamlF("", "Gamma "+link+"\n\n<!--more-->\n\nMore.", "\n"), yamlF("\nsubtitle: y", "Gamma "+link+"\n\n<!--more-->\n\nMore.", "\n")}},
		{"excerpt_separator", "content/posts/g.md", []string{yamlF("\nexcerpt_separator: <!--cut-->", cut, "\n"), yamlF("\nsubtitle: y\nexcerpt_separator: <!--cut-->", cut, "\n")}},
		{"a shortcode on the first line", "content/posts/g.md", []string{yamlF("", figure, "\n"), yamlF("\nsubtitle: y", figure, "\n"), yamlF("", "\n"+figure, "\n")}},
		{"Liquid on the first line", "content/posts/g.md", []string{yamlF("", "{% assign q = 1 %}\n\n"+link, "\n"), yamlF("\nsubtitle: y", "{% assign q = 1 %}\n\n"+link, "\n")}},
		{"a page", "content/about.md", []string{"---\ntitle: About\n---\nAbout\n" + link + "\n", "---\ntitle: About\nsubtitle: y\n---\nAbout\n" + link + "\n", "---\ntitle: About\n---\n\n\nAbout\n" + link + "\n"}},
		{"a page, CRLF", "content/about.md", []string{"---\r\ntitle: About\r\n---\r\nAbout\r\n" + link + "\r\n", "---\r\ntitle: About\r\nsubtitle: y\r\n---\r\nAbout\r\n" + link + "\r\n", "---\r\ntitle: About\r\n---\r\n\r\n\r\nAbout\r\n" + link + "\r\n"}},
	}
	// atLine checks that a cold build's warnings name /nowhere/ at its
	// line of data, if data has it.
	atLine := func(t *testing.T, i int, file, data, warnings string) {
		t.Helper()
		at := strings.Index(data, "/nowhere/")
		if at < 0 {
			return
		}
		n := strings.Count(data[:at], "\n") + 1
		prefix := fmt.Sprintf("%s:%d: ", file, n)
		for _, w := range strings.Split(warnings, "\n  ") {
			if strings.HasPrefix(w, prefix) && strings.Contains(w, "/nowhere/ not found") {
				return
			}
		}
		t.Errorf("save %d: no warning of /nowhere/ at %s in\n  %s", i, prefix, warnings)
	}
	opts := PipelineOptions{Content: content.Options{Now: now}}
	for _, tt := range tests {
		t.Run("preview/"+tt.name, func(t *testing.T) {
			fsys := frontMatterSite()
			p := builtPipeline(t, fsys, opts)
			for i, data := range tt.saves {
				fsys[tt.file] = &fstest.MapFile{Data: []byte(data)}
				p.Changed(tt.file)
				_, rep, err := p.BuildMem()
				if err != nil {
					t.Fatalf("save %d: %v", i, err)
				}
				_, cold, err := NewPipeline(fsys, opts).BuildMem()
				if err != nil {
					t.Fatalf("save %d: a cold build: %v", i, err)
				}
				got, want := warningLines(rep.Warnings), warningLines(cold.Warnings)
				if got != want {
					t.Errorf("save %d: warnings\n  %s\nwant a cold build's\n  %s", i, got, want)
				}
				atLine(t, i, tt.file, data, want)
			}
		})
		t.Run("cache/"+tt.name, func(t *testing.T) {
			dir := t.TempDir()
			fsys := frontMatterSite()
			var prev *MemOutput
			for i, data := range tt.saves {
				fsys[tt.file] = &fstest.MapFile{Data: []byte(data)}
				var stats Stats
				prev, stats = build(t, fsys, prev, WithBodyCache(NewBodyCache(dir)))
				_, cold := build(t, fsys, nil)
				got, want := warningLines(stats.Warnings), warningLines(cold.Warnings)
				if got != want {
					t.Errorf("save %d: warnings\n  %s\nwant a cold build's\n  %s", i, got, want)
				}
				atLine(t, i, tt.file, data, want)
			}
		})
	}
}
