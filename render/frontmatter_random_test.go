package render

import (
	"bytes"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/siteblog/site/content"
)

// randomPost is the file of post i of TestFrontMatterRandomSaves: its
// date one a quarter of the posts share, one near the turn of 2024 in
// one of several offsets, or any day of four years; some in the future,
// some drafts, some with an updated date or a slug; tags from a few.
func randomPost(rng *rand.Rand, i int) []byte {
	var date string
	switch rng.IntN(4) {
	case 0:
		date = "2024-01-01T00:00:00Z"
	case 1:
		offsets := []int{0, 5 * 3600, -8 * 3600, 14 * 3600}
		d := time.Date(2023, 12, 31, 20, rng.IntN(12)*60, 0, 0, time.UTC)
		date = d.In(time.FixedZone("", offsets[rng.IntN(len(offsets))])).Format(time.RFC3339)
	default:
		date = time.Date(2022+rng.IntN(4), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 9, 0, 0, 0, time.UTC).Format(time.RFC3339)
	}
	if rng.IntN(8) == 0 {
		date = fmt.Sprintf("2031-0%d-01T00:00:00Z", 1+rng.IntN(3)) // after now
	}
	more := ""
	if rng.IntN(4) == 0 {
		more += fmt.Sprintf("updated: 2026-0%d-01\n", 1+rng.IntN(9))
	}
	if rng.IntN(6) == 0 {
		more += "draft: true\n"
	}
	if rng.IntN(5) == 0 {
		more += fmt.Sprintf("slug: s%d-%d\n", rng.IntN(3), i)
	}
	tags := []string{"", "a", "b", "a, b", "c"}[rng.IntN(5)]
	return fmt.Appendf(nil, "---\ntitle: P%d %d\ndate: %s\ntags: [%s]\n%s---\n%s", i, rng.IntN(3), date, tags, more, randomBody(rng, i))
}

// randomBody is a body of post i: its summary one of a few, read in one
// minute or in two.
func randomBody(rng *rand.Rand, i int) string {
	body := fmt.Sprintf("Text %d, %d.\n", i, rng.IntN(3))
	if rng.IntN(3) == 0 {
		body += "\n" + strings.Repeat("word ", 300) + "\n"
	}
	return body
}

// withBody is the file data with its body replaced.
func withBody(data []byte, body string) []byte {
	i := bytes.Index(data[len("---\n"):], []byte("\n---\n"))
	return append(slices.Clip(data[:len("---\n")+i+len("\n---\n")]), body...)
}

// archiveOfAll is an archive whose entries show a post's summary (so
// the archive is keyed by the posts' digests), its reading time, its
// neighbours and its tags' counts: what a save changes of other posts.
const archiveOfAll = `{{define "main"}}{{range .Years}}<h2>{{.Year}}</h2>{{range .Posts}}<li>{{.Title}} {{.ReadingMinutes}} {{.Summary}} {{with .Prev}}{{.Title}}{{end}} {{with .Next}}{{.Title}}{{end}} {{range .Tags}}{{.Name}} {{.Count}}{{end}}</li>{{end}}{{end}}{{end}}`

// bareTheme's pages show none of the site's tags, so that a save that
// takes a tag on or off is built in place.
var bareTheme = map[string]string{
	"base.html":   `{{define "base"}}<!doctype html><html><head><title>{{.Title}}</title></head><body>{{template "main" .}}{{template "pager" .Pager}}{{.Site.Badge}}</body></html>{{end}}{{define "pager"}}{{with .}}{{.Prev}} {{.Next}}{{end}}{{end}}`,
	"tag.html":    bareMain,
	"search.html": bareMain,
	"404.html":    bareMain,
}

const bareMain = `{{define "main"}}<h1>{{.Title}}</h1>{{range .Posts}}<a href="{{.URL}}">{{.Title}}</a>{{end}}{{end}}`

// TestFrontMatterRandomSaves saves the front matter of random posts of a
// site whose sitemap holds two blocks, whose dates tie, cross the turn of
// a year in several offsets (on a site without a time zone, so the
// archive shows each in its own), and move posts across list pages, with
// the default theme's archive and one whose years are walked inside an
// {{if}}, with and without drafts and future posts; after every save, the
// preview's build (prepared again after each, as the preview does) is a
// fresh build, file for file, with its counts.
func TestFrontMatterRandomSaves(t *testing.T) {
	const posts, saves = 90, 40
	for _, tt := range []struct {
		name    string
		archive string // the theme's archive.html, "" for the default theme
		drafts  bool
		// bare is a theme whose pages show none of the site's tags, so
		// that a save that takes a tag on or off is built in place.
		bare bool
	}{
		{"default", "", false, false},
		{"default with drafts", "", true, false},
		{"years in an if", `{{define "main"}}<p>{{len .Years}}</p>{{if .Years}}{{range .Years}}<h2>{{.Year}} ({{len .Posts}})</h2><ul>{{range .Posts}}<li>{{.Title}} {{.Date}}</li>{{end}}</ul>{{end}}{{end}}{{end}}`, false, false},
		{"years in an if, with drafts", `{{define "main"}}{{if .Years}}{{range .Years}}<h2>{{.Year}}</h2>{{range .Posts}}<li>{{.Title}}</li>{{end}}{{end}}{{end}}{{end}}`, true, false},
		{"entries of all a post shows", archiveOfAll, false, false},
		{"entries of all a post shows, in a bare theme", archiveOfAll, false, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(1, 2))
			fsys := fstest.MapFS{
				"site.toml":        {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/blog/\"\npaginate = 3\n")},
				"content/about.md": {Data: []byte("---\ntitle: About\nupdated: 2024-04-01\n---\nAbout.\n")},
			}
			for i := range posts {
				fsys[fmt.Sprintf("content/posts/p%03d.md", i)] = &fstest.MapFile{Data: randomPost(rng, i)}
			}
			if tt.archive != "" {
				theme := map[string]string{"archive.html": tt.archive}
				if tt.bare {
					maps.Copy(theme, bareTheme)
				}
				fsys = withTheme(fsys, theme)
			}
			opts := PipelineOptions{Content: content.Options{Now: now, Drafts: tt.drafts, Future: tt.drafts}}
			p := builtPipeline(t, fsys, opts)
			p.PrepareRebuild()
			fast, bodies := 0, 0
			for step := range saves {
				i := rng.IntN(posts)
				file := fmt.Sprintf("content/posts/p%03d.md", i)
				if rng.IntN(3) == 0 { // its body only
					fsys[file] = &fstest.MapFile{Data: withBody(fsys[file].Data, randomBody(rng, i))}
				} else {
					fsys[file] = &fstest.MapFile{Data: randomPost(rng, i)}
				}
				p.Changed(file)
				fronts, bodyBuilds := p.frontBuilds, p.bodyBuilds
				out, rep, err := p.BuildMem()
				if err != nil {
					t.Fatalf("save %d (%s): %v", step, file, err)
				}
				if p.frontBuilds > fronts {
					fast++
				}
				if p.bodyBuilds > bodyBuilds {
					bodies++
				}
				p.PrepareRebuild()
				fresh, freshRep, err := NewPipeline(fsys, opts).BuildMem()
				if err != nil {
					t.Fatalf("save %d (%s): a fresh build: %v", step, file, err)
				}
				name := fmt.Sprintf("save %d (%s)", step, file)
				sameFilesAt(t, name, out, fresh)
				if got, want := fmt.Sprint(rep.Stats.Posts, rep.Stats.Tags, rep.Stats.Files, rep.Stats.Pages), fmt.Sprint(freshRep.Stats.Posts, freshRep.Stats.Tags, freshRep.Stats.Files, freshRep.Stats.Pages); got != want {
					t.Errorf("%s: stats %s, want %s", name, got, want)
				}
				if t.Failed() {
					t.FailNow() // the next saves start from a build that is wrong
				}
			}
			if fast == 0 || bodies == 0 {
				t.Errorf("of %d saves, %d front matter saves and %d body saves were built in place, want some of each", saves, fast, bodies)
			}
		})
	}
}
