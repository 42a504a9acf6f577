package enginetest

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/pelletier/go-toml/v2"
)

//go:embed probe
var probeFS embed.FS

// Engines are the engines a Blog can come from. Debian ships the first
// three, which the tests run; for the others the expectations are written
// down (EXPECTED.json) or derived from front matter (ExpectFromRules).
var Engines = []string{"hugo", "jekyll", "pelican", "zola", "goblog"}

// Blog is a site of another engine and the way it moves into site.
type Blog struct {
	// Engine is one of Engines.
	Engine string
	// Dir is the original site's root.
	Dir string
	// SiteTOML is the site.toml its writer would write for site.
	SiteTOML string
	// MoveIn are the move-in rules (see ParseMoveIn); nil means
	// DefaultMoveIn(Engine).
	MoveIn []Rule
}

// SiteConfig is the part of site.toml the comparison needs.
type SiteConfig struct {
	BaseURL  string   `toml:"base_url"`
	Sections []string `toml:"sections"`
	Author   struct {
		Name string `toml:"name"`
	} `toml:"author"`
}

// Config reads the blog's site.toml (leniently: only the keys above).
func (b *Blog) Config() (*SiteConfig, error) {
	data, err := os.ReadFile(b.SiteTOML)
	if err != nil {
		return nil, err
	}
	var c SiteConfig
	if err := toml.Unmarshal(data, &c); err != nil {
		return nil, fmt.Errorf("%s: %w", b.SiteTOML, err)
	}
	if len(c.Sections) == 0 {
		c.Sections = []string{"posts"}
	}
	return &c, nil
}

// readOptions are the options to read either side's output with.
func (b *Blog) readOptions(side Side) (ReadOptions, error) {
	c, err := b.Config()
	if err != nil {
		return ReadOptions{}, err
	}
	return ReadOptions{Side: side, BaseURLs: []string{c.BaseURL}, SiteAuthor: c.Author.Name}, nil
}

// Build is one engine's build of a blog.
type Build struct {
	Out *Output
	// Duration is the wall time of the engine's command alone.
	Duration time.Duration
	// Log is the command's combined output.
	Log string
}

// Rule is one move-in rule: copy From (relative to the original site, a
// file or a directory, a glob) to To (relative to site's directory,
// merging directories), or, with Remove, delete To.
type Rule struct {
	From, To string
	Remove   bool
}

// DefaultMoveIn is how a writer moves a blog of engine into site, the
// way the README and `site import` describe: posts into content/posts
// (or the sections the blog already has), static files into static/,
// Hugo shortcodes and Jekyll includes where site reads them; pages that
// only list posts (the Go blog's index.md and all.md) are left behind.
func DefaultMoveIn(engine string) []Rule {
	r := func(from, to string) Rule { return Rule{From: from, To: to} }
	switch engine {
	case "hugo":
		return []Rule{r("content", "content"), r("static", "static"), r("assets", "assets"),
			r("themes/*/layouts/shortcodes", "layouts/shortcodes"), r("layouts/shortcodes", "layouts/shortcodes")}
	case "jekyll":
		return []Rule{r("_posts", "content/posts"), r("_includes", "_includes"), r("_data", "_data"),
			r("assets", "static/assets"), r("images", "static/images"), r("img", "static/img"), r("files", "static/files")}
	case "pelican":
		return []Rule{r("content", "content/posts"), {To: "content/posts/pages", Remove: true}, r("content/pages", "content")}
	case "zola":
		return []Rule{r("content", "content"), r("static", "static")}
	case "goblog":
		// index.md and all.md are the blog's home and archive pages,
		// which site makes itself.
		return []Rule{r("_content/blog", "content/blog"),
			{To: "content/blog/index.md", Remove: true}, {To: "content/blog/all.md", Remove: true}}
	}
	return nil
}

// ParseMoveIn reads move-in rules, one a line: "FROM TO" copies (FROM
// may be a glob; a TO ending in "/" receives each match by its name),
// "- TO" deletes; blank lines and lines starting with # are ignored.
func ParseMoveIn(r io.Reader, name string) ([]Rule, error) {
	var rules []Rule
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		f := strings.Fields(sc.Text())
		switch {
		case len(f) == 0 || strings.HasPrefix(f[0], "#"):
		case len(f) == 2 && f[0] == "-":
			rules = append(rules, Rule{To: f[1], Remove: true})
		case len(f) == 2:
			rules = append(rules, Rule{From: f[0], To: f[1]})
		default:
			return nil, fmt.Errorf("%s:%d: want \"FROM TO\" or \"- PATH\"", name, n)
		}
	}
	return rules, sc.Err()
}

// skipTop are top-level directories never copied: version control, the
// engines' outputs and caches.
var skipTop = map[string]bool{".git": true, "public": true, "_site": true, "output": true,
	".jekyll-cache": true, ".sass-cache": true, ".site-cache": true, "node_modules": true, "resources": true, "__pycache__": true}

// copyTree copies src (a file or a directory) to dst, merging into
// existing directories. Symbolic links are copied as what they point to.
func copyTree(src, dst string, top bool) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		if top && d.IsDir() && skipTop[rel] {
			return filepath.SkipDir
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			if d.Type()&fs.ModeSymlink != 0 {
				return nil // a dangling link
			}
			return err
		}
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

// moveIn applies rules from the original site at src into the site
// directory dst. A rule whose source does not exist is skipped: the
// default rules cover what many blogs have.
func moveIn(src, dst string, rules []Rule) error {
	for _, r := range rules {
		to := filepath.Join(dst, filepath.FromSlash(r.To))
		if r.Remove {
			if err := os.RemoveAll(to); err != nil {
				return err
			}
			continue
		}
		matches, err := filepath.Glob(filepath.Join(src, filepath.FromSlash(r.From)))
		if err != nil {
			return fmt.Errorf("move-in rule %s: %w", r.From, err)
		}
		for _, m := range matches {
			t := to
			if strings.HasSuffix(r.To, "/") {
				t = filepath.Join(to, filepath.Base(m)) // into the directory
			}
			if err := copyTree(m, t, false); err != nil {
				return err
			}
		}
	}
	return nil
}

// run runs a command, timing it.
func run(ctx context.Context, dir string, env []string, name string, args ...string) (time.Duration, string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	start := time.Now()
	err := cmd.Run()
	d := time.Since(start)
	if err != nil {
		return d, out.String(), fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, tail(out.String(), 40))
	}
	return d, out.String(), nil
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(l) > lines {
		l = append([]string{"…"}, l[len(l)-lines:]...)
	}
	return strings.Join(l, "\n")
}

// writeProbe writes the embedded probe files under dir/name to dst.
func writeProbe(name, dst string) error {
	sub, err := fs.Sub(probeFS, "probe/"+name)
	if err != nil {
		return err
	}
	return fs.WalkDir(sub, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(sub, p)
		if err != nil {
			return err
		}
		t := filepath.Join(dst, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(t), 0o755); err != nil {
			return err
		}
		return os.WriteFile(t, data, 0o644)
	})
}

func probeFile(name string) []byte {
	data, err := probeFS.ReadFile("probe/" + name)
	if err != nil {
		panic(err) // embedded: cannot fail
	}
	return data
}

// BuildEngine builds the blog with its original engine, whose binary is
// bin, in a copy under work, with the probe templates in place of the
// blog's own (which print the compared fields as h-entry microformats).
// Engines that Debian does not ship cannot be built.
func BuildEngine(ctx context.Context, b *Blog, bin, work string) (*Build, error) {
	src := filepath.Join(work, "engine-src")
	out := filepath.Join(work, "engine-out")
	if err := copyTree(b.Dir, src, true); err != nil {
		return nil, err
	}
	ro, err := b.readOptions(Engine)
	if err != nil {
		return nil, err
	}
	var d time.Duration
	var log string
	switch b.Engine {
	case "hugo":
		c, _ := b.Config()
		ro.Sections, ro.SourcePrefix = c.Sections, "content/"
		d, log, err = buildHugo(ctx, bin, src, out)
	case "jekyll":
		d, log, err = buildJekyll(ctx, bin, src, out, work)
	case "pelican":
		var content string
		content, err = pelicanPath(src)
		if err == nil {
			ro.SourcePrefix = content + "/"
			d, log, err = buildPelican(ctx, bin, src, content, out, work)
		}
	default:
		return nil, fmt.Errorf("%s: no engine to build with; compare with EXPECTED.json or ExpectFromRules", b.Engine)
	}
	if err != nil {
		return nil, err
	}
	o, err := ReadOutput(out, ro)
	if err != nil {
		return nil, err
	}
	o.resolveLinks()
	sort.Slice(o.Posts, func(i, j int) bool { return o.Posts[i].Source < o.Posts[j].Source })
	return &Build{Out: o, Duration: d, Log: log}, nil
}

// hugoThemes reads the theme key (a name or a list) of a Hugo site's
// configuration file.
func hugoThemes(src string) []string {
	for _, cfg := range []string{"hugo.toml", "hugo.yaml", "hugo.yml", "config.toml", "config.yaml", "config.yml"} {
		data, err := os.ReadFile(filepath.Join(src, cfg))
		if err != nil {
			continue
		}
		m := map[string]any{}
		if strings.HasSuffix(cfg, ".toml") {
			err = toml.Unmarshal(data, &m)
		} else {
			err = yaml.Unmarshal(data, &m)
		}
		if err != nil {
			return nil
		}
		for k, v := range m {
			if strings.EqualFold(k, "theme") {
				return stringList(v)
			}
		}
		return nil
	}
	return nil
}

func buildHugo(ctx context.Context, bin, src, out string) (time.Duration, string, error) {
	// The blog's own layouts give way to the probe's, but its shortcodes,
	// partials (which shortcodes call) and render hooks stay.
	layouts := filepath.Join(src, "layouts")
	entries, _ := os.ReadDir(layouts)
	for _, e := range entries {
		if n := e.Name(); n != "shortcodes" && n != "partials" && n != "_markup" {
			if err := os.RemoveAll(filepath.Join(layouts, n)); err != nil {
				return 0, "", err
			}
		}
	}
	// The probe is the first theme, so it shadows the blog's theme, whose
	// shortcodes stay in use. Hugo looks a page's template up by name
	// through all themes, so the probe names every kind of page and the
	// single template of every top-level content directory.
	themes := filepath.Join(src, "themes")
	probe := filepath.Join(themes, "site-probe", "layouts")
	single, list := probeFile("hugo/single.html"), probeFile("hugo/list.html")
	files := map[string][]byte{"_default/single.html": single, "index.html": list, "home.html": list}
	for _, k := range []string{"list", "section", "taxonomy", "term", "terms"} {
		files["_default/"+k+".html"] = list
	}
	sections, _ := os.ReadDir(filepath.Join(src, "content"))
	for _, s := range sections {
		if s.IsDir() {
			files[s.Name()+"/single.html"] = single
			files[s.Name()+"/list.html"] = list
		}
	}
	for name, data := range files {
		p := filepath.Join(probe, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return 0, "", err
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			return 0, "", err
		}
	}
	theme := "site-probe"
	for _, t := range hugoThemes(src) {
		if fi, err := os.Stat(filepath.Join(themes, t)); err == nil && fi.IsDir() {
			theme += "," + t
		}
	}
	return run(ctx, src, nil, bin, "--source", src, "--destination", out, "--themesDir", themes, "--theme", theme, "--quiet")
}

func buildJekyll(ctx context.Context, bin, src, out, work string) (time.Duration, string, error) {
	// Every layout name the blog uses is the probe (in _layouts/ itself:
	// --safe refuses a layouts directory outside the source); plugins
	// (gems Debian may not have) and a gem theme are switched off.
	layouts := filepath.Join(src, "_layouts")
	names := map[string]bool{"default": true, "post": true, "page": true, "home": true}
	entries, _ := os.ReadDir(layouts)
	for _, e := range entries {
		names[strings.TrimSuffix(e.Name(), filepath.Ext(e.Name()))] = true
	}
	if err := os.RemoveAll(layouts); err != nil {
		return 0, "", err
	}
	if err := os.MkdirAll(layouts, 0o755); err != nil {
		return 0, "", err
	}
	layoutRe := regexp.MustCompile(`(?m)^layout:\s*["']?([A-Za-z0-9_.-]+)`)
	_ = filepath.WalkDir(filepath.Join(src, "_posts"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if data, err := os.ReadFile(p); err == nil {
				for _, m := range layoutRe.FindAllSubmatch(data, -1) {
					names[string(m[1])] = true
				}
			}
		}
		return nil
	})
	for n := range names {
		if err := os.WriteFile(filepath.Join(layouts, n+".html"), probeFile("jekyll/layout.html"), 0o644); err != nil {
			return 0, "", err
		}
	}
	cfg := "_config.yml"
	for _, c := range []string{"_config.yml", "_config.yaml", "_config.toml"} {
		if _, err := os.Stat(filepath.Join(src, c)); err == nil {
			cfg = c
			break
		}
	}
	// Only posts are compared: top-level pages and page directories
	// (which may need plugins Debian lacks) are excluded; collections
	// (which posts may {% link %} to) and static directories are kept.
	keep := map[string]bool{"assets": true, "img": true, "images": true, "files": true, "css": true, "js": true, "fonts": true, "static": true}
	exclude := []string{}
	top, _ := os.ReadDir(src)
	for _, e := range top {
		if !keep[e.Name()] && !strings.HasPrefix(e.Name(), "_") {
			exclude = append(exclude, fmt.Sprintf("%q", e.Name()))
		}
	}
	extra := filepath.Join(work, "jekyll-probe.yml")
	probeCfg := "plugins: []\ngems: []\ntheme: null\nremote_theme: null\nexclude: [" + strings.Join(exclude, ", ") + "]\n"
	if err := os.WriteFile(extra, []byte(probeCfg), 0o644); err != nil {
		return 0, "", err
	}
	// A site without `timezone` gets the machine's; pin it to UTC.
	return run(ctx, src, []string{"TZ=UTC", "JEKYLL_ENV=production"}, bin, "build", "--safe", "--disable-disk-cache",
		"-s", src, "-d", out, "--config", filepath.Join(src, cfg)+","+extra, "--quiet")
}

var pelicanPathRe = regexp.MustCompile(`(?m)^PATH\s*=\s*['"]([^'"]+)['"]`)

// pelicanPath is the content directory pelicanconf.py names (PATH),
// relative to the site's root; "content" by default.
func pelicanPath(src string) (string, error) {
	data, err := os.ReadFile(filepath.Join(src, "pelicanconf.py"))
	if err != nil {
		return "", err
	}
	if m := pelicanPathRe.FindSubmatch(data); m != nil {
		return filepath.ToSlash(filepath.Clean(string(m[1]))), nil
	}
	return "content", nil
}

func buildPelican(ctx context.Context, bin, src, content, out, work string) (time.Duration, string, error) {
	theme := filepath.Join(work, "pelican-theme")
	if err := writeProbe("pelican", theme); err != nil {
		return 0, "", err
	}
	return run(ctx, src, nil, bin, filepath.Join(src, filepath.FromSlash(content)),
		"-s", filepath.Join(src, "pelicanconf.py"), "-o", out, "-t", theme, "-q")
}

// BuildSite moves the blog into a site directory under work by its
// move-in rules, beside its site.toml, and builds it with the site
// binary bin (`site build -s DIR -o OUT`).
func BuildSite(ctx context.Context, b *Blog, bin, work string) (*Build, error) {
	dir := filepath.Join(work, "site-src")
	out := filepath.Join(work, "site-out")
	rules := b.MoveIn
	if rules == nil {
		rules = DefaultMoveIn(b.Engine)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := moveIn(b.Dir, dir, rules); err != nil {
		return nil, err
	}
	if err := copyTree(b.SiteTOML, filepath.Join(dir, "site.toml"), false); err != nil {
		return nil, err
	}
	d, log, err := run(ctx, dir, nil, bin, "build", "-s", dir, "-o", out)
	if err != nil {
		return &Build{Duration: d, Log: log}, err
	}
	ro, err := b.readOptions(Site)
	if err != nil {
		return nil, err
	}
	o, err := ReadOutput(out, ro)
	if err != nil {
		return nil, err
	}
	return &Build{Out: o, Duration: d, Log: log}, nil
}
