package siteimport

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/pelletier/go-toml/v2"

	"github.com/siteblog/site/content"
)

// Engine names a source site's engine.
type Engine string

// The engines Import reads.
const (
	Hugo    Engine = "Hugo"
	Jekyll  Engine = "Jekyll"
	Zola    Engine = "Zola"
	Pelican Engine = "Pelican"
)

// Config is the site.toml Import writes: the keys of content.Config that a
// source site's configuration maps to. Empty fields are left out.
type Config struct {
	Title           string         `toml:"title"`
	BaseURL         string         `toml:"base_url"`
	Description     string         `toml:"description,omitempty"`
	Language        string         `toml:"language,omitempty"`
	Timezone        string         `toml:"timezone,omitempty"`
	DefaultTimezone string         `toml:"default_timezone,omitempty"`
	DefaultDate     string         `toml:"default_date,omitempty"`
	Paginate        int            `toml:"paginate,omitempty"`
	Permalink       string         `toml:"permalink,omitempty"`
	Sections        []string       `toml:"sections,omitempty"`
	Taxonomies      []string       `toml:"taxonomies,omitempty"`
	RawHTML         string         `toml:"raw_html,omitempty"`
	RelativeAliases string         `toml:"relative_aliases,omitempty"`
	Liquid          *bool          `toml:"liquid,omitempty"`
	Author          *Author        `toml:"author,omitempty"`
	Highlight       *Highlight     `toml:"highlight,omitempty"`
	Markdown        *Markdown      `toml:"markdown,omitempty"`
	Params          map[string]any `toml:"params,omitempty"`
}

// Author is site.toml's [author].
type Author struct {
	Name  string `toml:"name,omitempty"`
	Email string `toml:"email,omitempty"`
}

// Highlight is site.toml's [highlight].
type Highlight struct {
	Light       string `toml:"light,omitempty"`
	LineNumbers *bool  `toml:"line_numbers,omitempty"`
}

// Markdown is site.toml's [markdown]: the table of contents, and whether
// bare URLs become links.
type Markdown struct {
	TOC           bool  `toml:"toc,omitempty"`
	TOCStartLevel int   `toml:"toc_start_level,omitempty"`
	TOCEndLevel   int   `toml:"toc_end_level,omitempty"`
	Autolink      *bool `toml:"autolink,omitempty"`
}

// noAutolink sets [markdown] autolink = false: the engine leaves a bare
// URL in text as text.
func (cfg *Config) noAutolink() {
	if cfg.Markdown == nil {
		cfg.Markdown = &Markdown{}
	}
	cfg.Markdown.Autolink = ptr(false)
}

// A Copy is one file of the source site written into the new site.
type Copy struct {
	From string // slash-separated, relative to the source directory
	To   string // slash-separated, relative to the new site
	// Draft marks a Jekyll draft: "draft: true", and the file's
	// modification time as its date when it has none, are added to its
	// front matter.
	Draft bool
}

// A Note is something of the source site that Import did not map, or
// mapped only in part.
type Note struct {
	File string // relative to the source directory
	Line int    // 0 when unknown
	Msg  string
}

func (n Note) String() string {
	if n.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", n.File, n.Line, n.Msg)
	}
	return n.File + ": " + n.Msg
}

// A Plan is what Import does: the configuration it writes, the files it
// copies and what it could not map.
type Plan struct {
	Engine Engine
	// ConfigFile is the source's configuration file, relative to its
	// directory.
	ConfigFile string
	Config     Config
	Files      []Copy
	Notes      []Note
}

// Posts counts the files copied into post sections. The root section
// ("/") holds the Markdown files directly under content/ and the index.md
// of each bundle directly below it.
func (p *Plan) Posts() int {
	n := 0
	for _, c := range p.Files {
		if !content.IsMarkdown(c.To) || path.Base(c.To) == "_index.md" {
			continue
		}
		for _, s := range p.sections() {
			if s == "/" {
				rest, ok := strings.CutPrefix(c.To, "content/")
				if ok && (!strings.Contains(rest, "/") || path.Dir(path.Dir(rest)) == "." && path.Base(rest) == "index.md") {
					n++
					break
				}
				continue
			}
			if strings.HasPrefix(c.To, "content/"+s+"/") {
				n++
				break
			}
		}
	}
	return n
}

func (p *Plan) sections() []string {
	if len(p.Config.Sections) > 0 {
		return p.Config.Sections
	}
	return []string{"posts"}
}

// SiteTOML is the text of the site.toml the plan writes.
func (p *Plan) SiteTOML() ([]byte, error) {
	var b bytes.Buffer
	fmt.Fprintf(&b, "# Imported from a %s site (%s) by site import.\n# Every key is described at %s\n", p.Engine, p.ConfigFile, docURL)
	enc := toml.NewEncoder(&b)
	enc.SetIndentTables(false)
	if err := enc.Encode(p.Config); err != nil {
		return nil, fmt.Errorf("encoding site.toml: %w", err)
	}
	return b.Bytes(), nil
}

// docURL documents every key of site.toml.
const docURL = "https://pkg.go.dev/github.com/siteblog/site/content#Config"

func (p *Plan) note(file string, line int, format string, args ...any) {
	p.Notes = append(p.Notes, Note{File: file, Line: line, Msg: fmt.Sprintf(format, args...)})
}

func (p *Plan) copy(from, to string) {
	p.Files = append(p.Files, Copy{From: from, To: to})
}

// configFiles are the files that tell an engine, in the order they are
// looked for.
var configFiles = []string{"_config.yml", "_config.yaml", "pelicanconf.py", "hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml", "config.yml", "config/_default/hugo.toml", "config/_default/hugo.yaml", "config/_default/config.toml", "config/_default/config.yaml"}

// Detect tells the engine of the site in dir from its configuration file,
// which it returns relative to dir. A config.toml with base_url is Zola's;
// with baseURL, or neither, Hugo's.
func Detect(dir string) (Engine, string, error) {
	for _, name := range configFiles {
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name)))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return "", "", err
		}
		switch {
		case strings.HasPrefix(name, "_config."):
			return Jekyll, name, nil
		case name == "pelicanconf.py":
			return Pelican, name, nil
		case name == "config.toml":
			var m map[string]any
			if err := toml.Unmarshal(data, &m); err != nil {
				return "", "", tomlError(name, err)
			}
			if _, ok := m["base_url"]; ok {
				return Zola, name, nil
			}
			return Hugo, name, nil
		default:
			return Hugo, name, nil
		}
	}
	return "", "", fmt.Errorf("%s: no site configuration found (looked for %s)", dir, strings.Join(configFiles, ", "))
}

// Read reads the site in dir and returns the plan of its import.
func Read(dir string) (*Plan, error) {
	engine, file, err := Detect(dir)
	if err != nil {
		return nil, err
	}
	p := &Plan{Engine: engine, ConfigFile: file}
	switch engine {
	case Jekyll:
		err = readJekyll(dir, p)
	case Hugo:
		err = readHugo(dir, p)
	case Zola:
		err = readZola(dir, p)
	case Pelican:
		err = readPelican(dir, p)
	}
	if err != nil {
		return nil, err
	}
	if p.Config.Title == "" {
		p.Config.Title = "My Blog"
		p.note(file, 0, "no title: site.toml says %q; change it", p.Config.Title)
	}
	if b := p.Config.BaseURL; b != "" && !strings.Contains(b, "://") && !strings.HasPrefix(b, "/") && strings.Contains(strings.SplitN(b, "/", 2)[0], ".") {
		p.Config.BaseURL = "https://" + b
		p.note(file, 0, "base URL %q has no scheme; %q is written", b, p.Config.BaseURL)
	}
	if u, err := url.Parse(p.Config.BaseURL); p.Config.BaseURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		p.note(file, 0, "base URL %q is not an absolute http or https URL; not mapped", p.Config.BaseURL)
		p.Config.BaseURL = ""
	}
	if p.Config.BaseURL == "" {
		p.Config.BaseURL = "https://example.org/"
		p.note(file, 0, "no base URL: site.toml says %q; set base_url to where the site is published", p.Config.BaseURL)
	}
	p.dropGenerated()
	sort.SliceStable(p.Files, func(i, j int) bool { return p.Files[i].To < p.Files[j].To })
	for i := 1; i < len(p.Files); i++ {
		if p.Files[i].To == p.Files[i-1].To {
			p.note(p.Files[i].From, 0, "not copied: %s already comes from %s", p.Files[i].To, p.Files[i-1].From)
			p.Files = append(p.Files[:i], p.Files[i+1:]...)
			i--
		}
	}
	sort.SliceStable(p.Notes, func(i, j int) bool {
		a, b := p.Notes[i], p.Notes[j]
		if a.File != b.File {
			return a.File < b.File
		}
		return a.Line < b.Line
	})
	return p, nil
}

// Import reads the site in src and writes it as a site into dst, which
// must be empty or absent, and returns the plan it followed.
func Import(src, dst string) (*Plan, error) {
	if err := checkOutput(src, dst); err != nil {
		return nil, err
	}
	p, err := Read(src)
	if err != nil {
		return nil, err
	}
	return p, p.Write(src, dst)
}

// checkOutput refuses an output directory that holds anything, or that
// lies inside the source.
func checkOutput(src, dst string) error {
	entries, err := os.ReadDir(dst)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case len(entries) > 0:
		return fmt.Errorf("%s: not empty; import writes into a new or empty directory", dst)
	}
	as, err := filepath.Abs(src)
	if err != nil {
		return err
	}
	ad, err := filepath.Abs(dst)
	if err != nil {
		return err
	}
	if rel, err := filepath.Rel(as, ad); err == nil && (rel == "." || !strings.HasPrefix(rel, "..")) {
		return fmt.Errorf("%s: inside the source %s; import into another directory", dst, src)
	}
	return nil
}

// Write writes the plan's site.toml and copies its files from src into
// dst.
func (p *Plan) Write(src, dst string) error {
	data, err := p.SiteTOML()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dst, content.ConfigFile), data, 0o644); err != nil {
		return err
	}
	for _, dir := range []string{content.PostsDir, content.StaticDir} {
		if err := os.MkdirAll(filepath.Join(dst, filepath.FromSlash(dir)), 0o755); err != nil {
			return err
		}
	}
	for _, c := range p.Files {
		if err := copyFile(src, dst, c); err != nil {
			return err
		}
	}
	return nil
}

func copyFile(src, dst string, c Copy) error {
	from := filepath.Join(src, filepath.FromSlash(c.From))
	to := filepath.Join(dst, filepath.FromSlash(c.To))
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	if c.Draft {
		data, err := os.ReadFile(from)
		if err != nil {
			return err
		}
		info, err := os.Stat(from)
		if err != nil {
			return err
		}
		if err := os.WriteFile(to, markDraft(data, info.ModTime()), 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", to, err)
		}
		return nil
	}
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("copying %s to %s: %w", from, to, err)
	}
	return nil
}

// walk calls fn for every regular file below root in dir, by
// slash-separated path relative to dir, skipping names that start with
// "." and the directories skip names (relative to dir).
func walk(dir, root string, skip map[string]bool, fn func(rel string) error) error {
	base := filepath.Join(dir, filepath.FromSlash(root))
	if _, err := os.Stat(base); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if p != base && (strings.HasPrefix(d.Name(), ".") || skip[rel]) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		return fn(rel)
	})
}

// exists reports whether the file or directory rel exists in dir.
func exists(dir, rel string) bool {
	_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(rel)))
	return err == nil
}

// skippedDir is a directory of a source site that is not imported, and why.
type skippedDir struct{ dir, why string }

// noteSkipped notes "not imported: why" for each of dirs the site in dir has.
func (p *Plan) noteSkipped(dir string, dirs []skippedDir) {
	for _, d := range dirs {
		if exists(dir, d.dir) {
			p.note(d.dir, 0, "not imported: %s", d.why)
		}
	}
}

// copyTree plans the copy of every file below root in dir (as walk finds
// them) to the same path.
func (p *Plan) copyTree(dir, root string) error {
	return walk(dir, root, nil, func(rel string) error { p.copy(rel, rel); return nil })
}

// dated reports whether the Markdown file rel gives a post its date: a
// date key in its front matter, or a date starting its name (or, for
// index.md, its directory's).
func dated(dir, rel string) (bool, error) {
	name := path.Base(rel)
	if strings.HasPrefix(name, "index.") {
		name = path.Base(path.Dir(rel))
	}
	if content.DatePrefix(name) != "" {
		return true, nil
	}
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
	if err != nil {
		return false, err
	}
	keys := content.FrontMatterKeys(data)
	for _, k := range []string{"date", "publishdate", "pubdate"} {
		if _, ok := keys[k]; ok {
			return true, nil
		}
	}
	lines := strings.Split(string(data), "\n")
	for _, k := range []string{"path", "url"} { // Zola's and Hugo's URLs may hold the date
		if n, ok := keys[k]; ok && n-1 < len(lines) {
			line := lines[n-1]
			if i := strings.IndexAny(line, ":="); i >= 0 { // YAML's key: value, TOML's key = value, JSON's "key": "value",
				if _, ok := content.PathDate(strings.Trim(strings.TrimSpace(line[i+1:]), `"', `), time.UTC); ok {
					return true, nil
				}
			}
		}
	}
	return false, nil
}

// postSections keeps the candidate sections whose pages are posts: a
// section where no page has a date holds standalone pages (published at
// /SECTION/NAME/, as Hugo and Zola publish them), and is named; in a
// section kept, each page without a date is named.
func postSections(dir string, p *Plan, candidates []string) ([]string, error) {
	var out []string
	for _, s := range candidates {
		var files []string
		err := walk(dir, "content/"+s, nil, func(rel string) error {
			if content.IsMarkdown(rel) && !strings.HasPrefix(path.Base(rel), "_index.") {
				files = append(files, rel)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		posts, err := holdsPosts(dir, p, "content/"+s, "/"+s+"/NAME/", files)
		if err != nil {
			return nil, err
		}
		if posts {
			out = append(out, s)
		}
	}
	return out, nil
}

// holdsPosts reports whether the Markdown files of a section are posts:
// some have a date. A section where none has one holds standalone pages
// (published at where), and is named unless where is ""; in a section of
// posts, each page without a date is named.
func holdsPosts(dir string, p *Plan, section, where string, files []string) (bool, error) {
	var withDate, without []string
	for _, rel := range files {
		ok, err := dated(dir, rel)
		if err != nil {
			return false, err
		}
		if ok {
			withDate = append(withDate, rel)
		} else {
			without = append(without, rel)
		}
	}
	switch {
	case len(withDate) == 0 && len(without) > 0 && where != "":
		p.note(section, 0, "no page here has a date: they are standalone pages at %s, not posts", where)
	case len(withDate) > 0:
		for _, rel := range without {
			p.note(rel, 0, "no date: site build refuses a post without one; add date to its front matter")
		}
	}
	return len(withDate) > 0, nil
}

// generated are the files a build writes at the root of the site itself.
var generated = map[string]bool{"index.html": true, "404.html": true, "robots.txt": true, "sitemap.xml": true, "feed.xml": true, "rss.xml": true, "feed.json": true}

// dropGenerated leaves out the files that would be published where the
// build writes a file of its own (a static robots.txt), and names them.
func (p *Plan) dropGenerated() {
	kept := p.Files[:0]
	for _, c := range p.Files {
		out, isStatic := strings.CutPrefix(c.To, "static/")
		if !isStatic && !content.IsMarkdown(c.To) {
			out, _ = strings.CutPrefix(c.To, "content/")
		}
		if generated[out] {
			p.note(c.From, 0, "not imported: site build writes its own /%s", out)
			continue
		}
		kept = append(kept, c)
	}
	p.Files = kept
}
