package content

import (
	"math/rand/v2"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
)

// siteWith builds a MapFS site whose site.toml has extra lines.
func siteWith(extra string, files map[string]string) fstest.MapFS {
	fsys := site(files)
	fsys["site.toml"] = &fstest.MapFile{Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\ntimezone = \"Europe/Berlin\"\n" + extra)}
	return fsys
}

// urlsOf returns the URL of every page of s, by source file.
func urlsOf(s *Site) map[string]string {
	m := map[string]string{}
	for _, pg := range s.All() {
		m[pg.Path] = pg.URL
	}
	return m
}

func TestPermalinkTokens(t *testing.T) {
	const hello = "---\ntitle: Hello, World\ndate: 2024-05-01\n---\n"
	tests := []struct {
		name, permalink, file, src, want string
	}{
		{"default", "", "content/posts/x.md", hello, "/2024/05/hello-world/"},
		{"year month day slug", "/:year/:month/:day/:slug/", "content/posts/x.md", hello, "/2024/05/01/hello-world/"},
		{"date in the site's timezone", "/:year/:month/:day/:slug/", "content/posts/x.md",
			"---\ntitle: Late\ndate: 2024-05-31T23:30:00Z\n---\n", "/2024/06/01/late/"},
		{"slug given, kept", "", "content/posts/x.md",
			"---\ntitle: T\nslug: Go1.22-Été\ndate: 2024-05-01\n---\n", "/2024/05/go1.22-été/"},
		{"slug given with spaces", "", "content/posts/x.md",
			"---\ntitle: T\nslug: My Post (v2)\ndate: 2024-05-01\n---\n", "/2024/05/my-post-v2/"},
		{"filename without date, no slash", "/blog/:filename", "content/posts/2024-05-01-My.Post.md", hello, "/blog/my.post"},
		{"filename of a bundle", "/blog/:filename/", "content/posts/Bundle.Dir/index.md", hello, "/blog/bundle.dir/"},
		{"filename ignores slug", "/blog/:filename/", "content/posts/name.md",
			"---\ntitle: T\nslug: other\ndate: 2024-05-01\n---\n", "/blog/name/"},
		{"filename with a markdown extension", "/:filename/", "content/posts/notes.markdown.md", hello, "/notes.markdown/"},
		{"jekyll date style", "/:year/:month/:day/:title.html", "content/posts/2024-05-01-My-Post.md", hello, "/2024/05/01/My-Post.html"},
		{"jekyll title from slug", "/:year/:title/", "content/posts/2024-05-01-x.md",
			"---\ntitle: T\nslug: Custom Slug\ndate: 2024-05-01\n---\n", "/2024/Custom-Slug/"},
		{"output_ext", "/:year/:title:output_ext", "content/posts/2024-05-01-name.md", hello, "/2024/name.html"},
		{"slugorfilename, no slug", "/:slugorfilename/", "content/posts/Name.md", hello, "/name/"},
		{"slugorfilename, slug", "/:slugorfilename/", "content/posts/name.md",
			"---\ntitle: T\nslug: given\ndate: 2024-05-01\n---\n", "/given/"},
		{"hugo filename keeps a date", "/posts/:hugo_filename/", "content/posts/2020-03-21-Tips.md", hello, "/posts/2020-03-21-tips/"},
		{"hugo slugorfilename, no slug", "/:section/:hugo_slugorfilename/", "content/posts/2020-03-21-tips.md", hello, "/posts/2020-03-21-tips/"},
		{"hugo slugorfilename, slug", "/:section/:hugo_slugorfilename/", "content/posts/2020-03-21-tips.md",
			"---\ntitle: T\nslug: given\ndate: 2024-05-01\n---\n", "/posts/given/"},
		{"hugo default, nested directories", "/:hugo_sections/:hugo_slugorfilename/", "content/posts/tech/2026-05-29/skills.md", hello, "/posts/tech/2026-05-29/skills/"},
		{"hugo default, nested, slug", "/:hugo_sections/:hugo_slugorfilename/", "content/posts/tech/2026-06-08/skills.md",
			"---\ntitle: T\nslug: skills\ndate: 2024-05-01\n---\n", "/posts/tech/2026-06-08/skills/"},
		{"hugo default, directories lower-cased", "/:hugo_sections/:hugo_slugorfilename/", "content/posts/Tech Notes/AITools.md", hello, "/posts/tech-notes/aitools/"},
		{"hugo default, bundle", "/:hugo_sections/:hugo_slugorfilename/", "content/posts/life/Trip/index.md", hello, "/posts/life/trip/"},
		{"hugo default, ugly", "/:hugo_sections/:hugo_slugorfilename.html", "content/posts/life/trip.md", hello, "/posts/life/trip.html"},
		{"section", "/:section/:slug/", "content/posts/x.md", hello, "/posts/hello-world/"},
		{"pelican category from front matter", "/posts/:pelican_category/:slug.html", "content/posts/x.md",
			"Title: T\nDate: 2024-05-01\nCategory: Dev Notes\nSlug: X\n\nBody.\n", "/posts/dev-notes/X.html"},
		{"pelican category from the folder", "/posts/:pelican_category/:slug.html", "content/posts/Others/x.md",
			"Title: T\nDate: 2024-05-01\nSlug: gitRebase\n\nBody.\n", "/posts/others/gitRebase.html"},
		{"pelican category from the folder it is in", "/:pelican_category/:slug.html", "content/posts/2014/Dev Notes/x.md",
			"Title: T\nDate: 2024-05-01\nSlug: x\n\nBody.\n", "/dev-notes/x.html"},
		{"pelican category, none", "/:pelican_category/:slug/", "content/posts/x.md", hello, "/misc/hello-world/"},
		{"jekyll categories, a string", "/:categories/:year/:month/:day/:title:output_ext", "content/posts/2024-05-01-one.md",
			"---\ntitle: One\ncategories: Release Notes\n---\n", "/release/notes/2024/05/01/one.html"},
		{"jekyll categories, a list", "/:categories/:year/:month/:day/:title:output_ext", "content/posts/2024-05-02-two.md",
			"---\ntitle: Two\ncategories: [Go, \"Web Dev\", go]\n---\n", "/go/web dev/2024/05/02/two.html"},
		{"jekyll category", "/:categories/:year/:month/:day/:title:output_ext", "content/posts/2024-05-03-three.md",
			"---\ntitle: Three\ncategory: Single Cat\n---\n", "/single cat/2024/05/03/three.html"},
		{"jekyll no categories", "/:categories/:year/:month/:day/:title:output_ext", "content/posts/2024-05-04-four.md",
			"---\ntitle: Four\n---\n", "/2024/05/04/four.html"},
		{"hugo title", "/:year/:month/:hugo_title/", "content/posts/x.md",
			"---\ntitle: \"Go 1.22 is released!\"\nslug: ignored\ndate: 2024-02-06\n---\n", "/2024/02/go-1.22-is-released/"},
		{"hugo slug, from the title", "/:year/:hugo_slug/", "content/posts/x.md",
			"---\ntitle: \"Node.js @ Scale ~ fast\"\ndate: 2024-02-06\n---\n", "/2024/node.js-@-scale-~-fast/"},
		{"hugo slug, given", "/:year/:hugo_slug/", "content/posts/x.md",
			"---\ntitle: T\nslug: Cpp.Vs_CSharp\ndate: 2024-02-06\n---\n", "/2024/cpp.vs_csharp/"},
		{"zola date with underscore", "/:filename/", "content/posts/2024-05-01_zola-post.md", hello, "/zola-post/"},
		{"pelican slug given, case kept", "/:year/:month/:slug", "content/posts/links.md",
			"Title: Links\nDate: 2024/03/10\nSlug: Links.And.Dots\n", "/2024/03/Links.And.Dots"},
		{"pelican slug given with spaces", "/:slug/", "content/posts/x.md",
			"Title: T\nDate: 2024-03-10\nSlug: My Post (v2)\n", "/My-Post-v2/"},
		{"pelican slug from the title", "/:year/:month/:slug.html", "content/posts/x.md",
			"Title: Go 1.22: Straße & C++\nDate: 2024-03-10\n", "/2024/03/go-122-strasse-c.html"},
		{"pelican slug ignored by filename", "/:filename/", "content/posts/Name.md",
			"Title: T\nDate: 2024-03-10\nSlug: Given\n", "/name/"},
		{"toml slug given, lower-cased", "/:slug/", "content/posts/x.md",
			"+++\ntitle = \"T\"\ndate = 2024-03-10\nslug = \"Links.And.Dots\"\n+++\n", "/links.and.dots/"},
		{"yaml title slug", "/:slug/", "content/posts/x.md",
			"---\ntitle: \"Go 1.22: Straße & C++\"\ndate: 2024-03-10\n---\n", "/go-1-22-straße-c/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			extra := ""
			if tt.permalink != "" {
				extra = "permalink = \"" + tt.permalink + "\"\n"
			}
			s, err := load(t, siteWith(extra, map[string]string{tt.file: tt.src}), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := s.Posts[0].URL; got != tt.want {
				t.Errorf("URL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestExactURLs(t *testing.T) {
	tests := []struct {
		name, file, src, want string
	}{
		{"hugo url, case kept", "content/posts/x.md",
			"---\ntitle: T\ndate: 2019-01-01\nurl: /blog/2019/My-Post/\n---\n", "/blog/2019/My-Post/"},
		{"hugo url without slash gets one", "content/posts/x.md",
			"---\ntitle: T\ndate: 2019-01-01\nURL: /blog/My-Post\n---\n", "/blog/My-Post/"},
		{"url ending in .html", "content/posts/x.md",
			"---\ntitle: T\ndate: 2019-01-01\nurl: blog/x.html\n---\n", "/blog/x.html"},
		{"zola path", "content/posts/x.md",
			"+++\ntitle = \"T\"\ndate = 2024-03-26\npath = \"2024/03/26/slug\"\n+++\n", "/2024/03/26/slug/"},
		{"zola path with slashes", "content/posts/x.md",
			"+++\ntitle = \"T\"\ndate = 2024-03-26\npath = \"/2024/03/26/Slug/\"\n+++\n", "/2024/03/26/Slug/"},
		{"url on a standalone page", "content/about.md",
			"---\ntitle: About\nurl: /about-me/\n---\n", "/about-me/"},
		{"jekyll permalink kept as written", "content/about.md",
			"---\ntitle: About\npermalink: /about\n---\n", "/about"},
		{"jekyll permalink with tokens", "content/posts/2024-05-01-name.md",
			"---\ntitle: T\npermalink: /:year/:title/\n---\n", "/2024/name/"},
		{"url wins over path and the site's permalink", "content/posts/x.md",
			"---\ntitle: T\ndate: 2019-01-01\npath: p/\nurl: /u/\n---\n", "/u/"},
		{"standalone bundle", "content/docs/2024-01-01-Guide/index.md",
			"---\ntitle: T\n---\n", "/docs/guide/"},
		{"standalone page slug from file name, kept", "content/docs/Go1.22 Notes.md",
			"---\ntitle: T\n---\n", "/docs/go1.22-notes/"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, site(map[string]string{tt.file: tt.src}), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := urlsOf(s)[tt.file]; got != tt.want {
				t.Errorf("URL = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestURLErrors(t *testing.T) {
	tests := []struct {
		name, extra string
		files       map[string]string
		want        string
	}{
		{"slug with a slash", "", map[string]string{"content/posts/x.md": "---\ntitle: T\ndate: 2024-01-01\nslug: a/b\n---\n"},
			`content/posts/x.md:4: front matter: slug: "a/b": a slug is one URL segment`},
		{"slug with ..", "", map[string]string{"content/posts/x.md": "---\ntitle: T\nslug: a..b\ndate: 2024-01-01\n---\n"},
			`content/posts/x.md:3: front matter: slug: "a..b": a slug is one URL segment`},
		{"slug of dots and symbols", "", map[string]string{"content/posts/x.md": "---\ntitle: T\nslug: \".€.\"\ndate: 2024-01-01\n---\n"},
			`content/posts/x.md:3: front matter: slug: ".€.": a slug is one URL segment: it makes "..", which names a directory`},
		{"slug of a dot and a symbol", "permalink = \"/:year/:title/\"\n", map[string]string{"content/posts/x.md": "---\ntitle: T\nslug: \"€.\"\ndate: 2024-01-01\n---\n"},
			`content/posts/x.md:3: front matter: slug: "€.": a slug is one URL segment: it makes "."`},
		{"slug with ?", "", map[string]string{"content/posts/x.md": "---\ntitle: T\nslug: a?b\ndate: 2024-01-01\n---\n"},
			`content/posts/x.md:3: front matter: slug: "a?b"`},
		{"slug with #", "", map[string]string{"content/posts/x.md": "---\ntitle: T\nslug: \"a#b\"\ndate: 2024-01-01\n---\n"},
			`content/posts/x.md:3: front matter: slug: "a#b"`},
		{"url with a carriage return", "", map[string]string{"content/posts/x.md": "+++\ntitle = \"T\"\nurl = \"/a\\rb/\"\ndate = 2024-01-01\n+++\n"},
			`content/posts/x.md:3: front matter: url: "/a\rb/": want a URL path without ?, #, \, <, >, ", |, * or control characters`},
		{"alias with a tab", "", map[string]string{"content/posts/x.md": "+++\ntitle = \"T\"\naliases = [\"/a\\tb/\"]\ndate = 2024-01-01\n+++\n"},
			`content/posts/x.md:3: front matter: aliases: "/a\tb/": want a URL path without`},
		{"slug with a control character", "", map[string]string{"content/posts/x.md": "+++\ntitle = \"T\"\nslug = \"a\\u0001b\"\ndate = 2024-01-01\n+++\n"},
			`content/posts/x.md:3: front matter: slug: holds control character U+0001`},
		{"slug of punctuation", "", map[string]string{"content/posts/x.md": "---\ntitle: T\nslug: \"!!!\"\ndate: 2024-01-01\n---\n"},
			`content/posts/x.md:3: front matter: slug: "!!!" has no letters or digits`},
		{"title of punctuation", "", map[string]string{"content/posts/x.md": "---\ntitle: \"!!!\"\ndate: 2024-01-01\n---\n"},
			`content/posts/x.md:2: front matter: title: "!!!" gives an empty slug; set slug`},
		{"url with a host", "", map[string]string{"content/posts/x.md": "---\ntitle: T\ndate: 2024-01-01\nurl: https://e.org/x/\n---\n"},
			`content/posts/x.md:4: front matter: url: "https://e.org/x/": want a path on this site`},
		{"url above the root", "", map[string]string{"content/about.md": "---\ntitle: T\nurl: ../x/\n---\n"},
			`content/about.md:3: front matter: url: "../x/": goes above the site's root`},
		{"path with a query", "", map[string]string{"content/about.md": "---\ntitle: T\npath: x?y\n---\n"},
			`content/about.md:3: front matter: path: "x?y": want a URL path without ?`},
		{"url not text", "", map[string]string{"content/about.md": "---\ntitle: T\nurl: [a]\n---\n"},
			`content/about.md:3: front matter: url: want a URL path, found a list`},
		{"tokens in a page's permalink", "", map[string]string{"content/about.md": "---\ntitle: T\npermalink: /:title/\n---\n"},
			`content/about.md:3: front matter: permalink: "/:title/": tokens such as :title are for posts`},
		{"url at the index", "", map[string]string{"content/about.md": "---\ntitle: T\nurl: /\n---\n"},
			`content/about.md:3: URL / is the site's index; change url`},
		{"url at the 404 page", "", map[string]string{"content/about.md": "---\ntitle: T\nurl: /404.html\n---\n"},
			`content/about.md:3: URL /404.html is the site's 404.html; change url`},
		{"url taken by url", "", map[string]string{
			"content/posts/a.md": "---\ntitle: A\ndate: 2024-01-01\nurl: /same/\n---\n",
			"content/posts/b.md": "---\ntitle: B\ndate: 2024-01-02\n\nurl: /same/\n---\n"},
			`content/posts/b.md:5: URL /same/ is also used by content/posts/a.md`},
		{"path taken by a page", "", map[string]string{
			"content/same.md":    "---\ntitle: Same\n---\n",
			"content/posts/b.md": "+++\ntitle = \"B\"\ndate = 2024-01-02\npath = \"same\"\n+++\n"},
			`content/same.md:2: URL /same/ is also used by content/posts/b.md`},
		{"no-slash URL and .html URL are one file", "permalink = \"/:filename\"\n", map[string]string{
			"content/posts/a.md":  "---\ntitle: A\ndate: 2024-01-01\n---\n",
			"content/posts/zz.md": "---\ntitle: Z\ndate: 2024-01-01\nurl: /a.html\n---\n"},
			`content/posts/zz.md:4: URL /a.html is also used by content/posts/a.md`},
		{"filename collision is an error", "permalink = \"/:filename/\"\n", map[string]string{
			"content/posts/2023/x.md": "---\ntitle: A\ndate: 2023-01-01\n---\n",
			"content/posts/2024/x.md": "---\ntitle: B\ndate: 2024-01-01\n---\n"},
			`content/posts/2024/x.md:2: URL /x/ is also used by content/posts/2023/x.md`},
		{"category that is no path", "permalink = \"/:categories/:slug/\"\n", map[string]string{
			"content/posts/x.md": "---\ntitle: T\ndate: 2024-01-01\ncategories: [\"a?b\"]\n---\n"},
			`content/posts/x.md:4: front matter: category "a?b" cannot be part of a URL path`},
		{"alias with a host", "", map[string]string{"content/about.md": "---\ntitle: T\naliases: [\"http://e.org/x\"]\n---\n"},
			`content/about.md:3: front matter: aliases: "http://e.org/x": want a URL path on this site`},
		{"relative alias above the root", "relative_aliases = \"section\"\n", map[string]string{
			"content/posts/x.md": "---\ntitle: T\ndate: 2024-01-01\naliases: [../../../x]\n---\n"},
			`content/posts/x.md:4: front matter: aliases: "../../../x": goes above the site's root`},
		{"alias at the index", "", map[string]string{"content/about.md": "---\ntitle: T\naliases: [/]\n---\n"},
			`content/about.md:3: front matter: aliases: "/": resolves to the site's index`},
		{"relative alias taken", "", map[string]string{
			"content/a.md": "---\ntitle: A\n---\n",
			"content/b.md": "---\ntitle: B\naliases: [a]\n---\n"},
			`content/b.md:3: alias /a/ is also used by content/a.md`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := load(t, siteWith(tt.extra, tt.files), Options{})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
}

func TestSections(t *testing.T) {
	fsys := siteWith("sections = [\"blog\", \"notes\"]\npermalink = \"/:section/:slug/\"\n", map[string]string{
		"content/blog/a.md":          "---\ntitle: A\ndate: 2024-01-01\n---\n",
		"content/blog/2024/b.md":     "---\ntitle: B\ndate: 2024-01-02\n---\n",
		"content/notes/c/index.md":   "---\ntitle: C\ndate: 2024-01-03\n---\n",
		"content/notes/c/pic.png":    "png",
		"content/posts/old-style.md": "---\ntitle: Not a post\n---\n",
		"content/blog.md":            "---\ntitle: Blog\n---\n",
	})
	s, err := load(t, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var posts []string
	for _, pg := range s.Posts {
		posts = append(posts, pg.Section+" "+pg.URL)
	}
	if want := []string{"notes /notes/c/", "blog /blog/b/", "blog /blog/a/"}; !reflect.DeepEqual(posts, want) {
		t.Errorf("posts = %q, want %q", posts, want)
	}
	var pages []string
	for _, pg := range s.Pages {
		pages = append(pages, pg.URL)
	}
	if want := []string{"/blog/", "/posts/old-style/"}; !reflect.DeepEqual(pages, want) {
		t.Errorf("pages = %q, want %q (outside the sections)", pages, want)
	}
	if got := s.Posts[0].Resources; !reflect.DeepEqual(got, []string{"content/notes/c/pic.png"}) {
		t.Errorf("resources = %q", got)
	}
}

func TestSectionsConfig(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"slash", "sections = [\"blog/posts\"]\n", `site.toml:3: sections: "blog/posts": want the name of a directory under content/`},
		{"empty", "sections = [\"\"]\n", `site.toml:3: sections: "": want the name`},
		{"dot dot", "sections = [\"..\"]\n", `site.toml:3: sections: "..": want the name`},
		{"twice", "sections = [\"blog\", \"blog\"]\n", `site.toml:3: sections: "blog" is listed twice`},
		{"relative_aliases", "relative_aliases = \"parent\"\n", `site.toml:3: relative_aliases "parent": want "root"`},
		{"permalink without a name", "permalink = \"/:year/:month/\"\n", `site.toml:3: permalink "/:year/:month/": must contain :slug, :filename, :title, :slugorfilename a :hugo_ token or :zola_slug`},
		{"permalink with a stray colon", "permalink = \"/:Year/:slug/\"\n", `site.toml:3: permalink "/:Year/:slug/": a : must start one of the tokens`},
		{"permalink relative", "permalink = \":slug/\"\n", `site.toml:3: permalink ":slug/": must start with /`},
		{"permalink unclean", "permalink = \"/a//:slug/\"\n", `site.toml:3: permalink "/a//:slug/": must be a clean path`},
		{"permalink with a query", "permalink = \"/:slug?x\"\n", `site.toml:3: permalink "/:slug?x": want a URL path without ?`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseConfig([]byte("title = \"T\"\nbase_url = \"https://e.org/\"\n"+tt.src), "")
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v\nwant it to contain %q", err, tt.want)
			}
		})
	}
	for _, ok := range []string{"/:year/:month/:slug/", "/blog/:filename", "/:year/:month/:day/:title.html", "/:section/:slugorfilename/", "/:title:output_ext"} {
		if _, err := ParseConfig([]byte("title = \"T\"\nbase_url = \"https://e.org/\"\npermalink = \""+ok+"\"\n"), ""); err != nil {
			t.Errorf("permalink %q: %v", ok, err)
		}
	}
	c, err := ParseConfig([]byte("title = \"T\"\nbase_url = \"https://e.org/\"\n"), "")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(c.Sections, []string{"posts"}) || c.RelativeAliases != "root" {
		t.Errorf("defaults: sections %q, relative_aliases %q", c.Sections, c.RelativeAliases)
	}
}

func TestAliases(t *testing.T) {
	const src = "---\ntitle: New\ndate: 2024-05-01\naliases: [old, /abs/x, old.html, /Kept/Case]\nredirect_from: [/jekyll/old.html, jk]\n---\n"
	tests := []struct {
		name, extra, file, src string
		want                   []string
	}{
		{"root (Zola, the default)", "", "content/posts/new.md", src,
			[]string{"/old/", "/abs/x/", "/old.html", "/Kept/Case/", "/jekyll/old.html", "/jk/"}},
		{"section (Hugo): the directory of the page's URL", "relative_aliases = \"section\"\n", "content/posts/new.md", src,
			[]string{"/2024/05/old/", "/abs/x/", "/2024/05/old.html", "/Kept/Case/", "/jekyll/old.html", "/2024/05/jk/"}},
		{"section, climbing with ..", "relative_aliases = \"section\"\n", "content/posts/new.md",
			"---\ntitle: New\ndate: 2024-05-01\naliases: [../up, ./here]\n---\n", []string{"/2024/up/", "/2024/05/here/"}},
		{"section, a Hugo blog's section", "relative_aliases = \"section\"\nsections = [\"blog\"]\npermalink = \"/:section/:filename/\"\n", "content/blog/new.md",
			"---\ntitle: New\ndate: 2024-05-01\naliases: [old-name]\n---\n", []string{"/blog/old-name/"}},
		{"section, a URL without a slash", "relative_aliases = \"section\"\npermalink = \"/blog/:filename\"\n", "content/posts/new.md",
			"---\ntitle: New\ndate: 2024-05-01\naliases: [old]\n---\n", []string{"/blog/old/"}},
		{"section, a standalone page", "relative_aliases = \"section\"\n", "content/docs/new.md",
			"---\ntitle: New\naliases: [old.html]\n---\n", []string{"/docs/old.html"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, siteWith(tt.extra, map[string]string{tt.file: tt.src}), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := s.All()[0].Aliases; !reflect.DeepEqual(got, tt.want) {
				t.Errorf("aliases = %q\nwant      %q", got, tt.want)
			}
		})
	}
}

func TestTitleCollisions(t *testing.T) {
	tests := []struct {
		name     string
		files    map[string]string
		want     map[string]string // file → URL
		warnings []string
	}{
		{"the later post takes its file name",
			map[string]string{
				"content/posts/zz-first.md":  "---\ntitle: Weekly notes\ndate: 2024-01-01\n---\n",
				"content/posts/aa-second.md": "---\ntitle: Weekly notes\ndate: 2024-01-08\n---\n",
			},
			map[string]string{"content/posts/zz-first.md": "/2024/01/weekly-notes/", "content/posts/aa-second.md": "/2024/01/aa-second/"},
			[]string{"content/posts/aa-second.md:2: URL /2024/01/weekly-notes/, from the title, is also used by content/posts/zz-first.md; this post is published at /2024/01/aa-second/ instead (set slug to choose)"}},
		{"file names alike too: -2, -3",
			map[string]string{
				"content/posts/a/weekly-notes.md": "---\ntitle: Weekly notes\ndate: 2024-01-01\n---\n",
				"content/posts/b/weekly-notes.md": "---\ntitle: Weekly notes\ndate: 2024-01-08\n---\n",
				"content/posts/c/weekly-notes.md": "---\ntitle: Weekly notes\ndate: 2024-01-15\n---\n",
			},
			map[string]string{
				"content/posts/a/weekly-notes.md": "/2024/01/weekly-notes/",
				"content/posts/b/weekly-notes.md": "/2024/01/weekly-notes-2/",
				"content/posts/c/weekly-notes.md": "/2024/01/weekly-notes-3/",
			},
			[]string{
				"content/posts/b/weekly-notes.md:2: URL /2024/01/weekly-notes/, from the title",
				"content/posts/c/weekly-notes.md:2: URL /2024/01/weekly-notes/, from the title",
			}},
		{"a given slug keeps its URL, even against an older post",
			map[string]string{
				"content/posts/old.md": "---\ntitle: Same\ndate: 2024-01-01\n---\n",
				"content/posts/new.md": "---\ntitle: Other\nslug: same\ndate: 2024-01-09\n---\n",
			},
			map[string]string{"content/posts/old.md": "/2024/01/old/", "content/posts/new.md": "/2024/01/same/"},
			[]string{"content/posts/old.md:2: URL /2024/01/same/, from the title, is also used by content/posts/new.md"}},
		{"a post moved keeps its section",
			map[string]string{
				"site.toml":           "title = \"T\"\nbase_url = \"https://example.org/\"\nsections = [\"blog\"]\npermalink = \"/:section/:slug/\"\n",
				"content/blog/one.md": "---\ntitle: Release notes\ndate: 2024-01-01\n---\n",
				"content/blog/two.md": "---\ntitle: Release notes\ndate: 2024-01-08\n---\n",
			},
			map[string]string{"content/blog/one.md": "/blog/release-notes/", "content/blog/two.md": "/blog/two/"},
			[]string{"content/blog/two.md:2: URL /blog/release-notes/, from the title, is also used by content/blog/one.md; this post is published at /blog/two/ instead (set slug to choose)"}},
		{"hugo title: the later post takes its file name",
			map[string]string{
				"site.toml":          "title = \"T\"\nbase_url = \"https://example.org/\"\npermalink = \"/:hugo_title/\"\n",
				"content/posts/a.md": "---\ntitle: Go 1.22\ndate: 2024-01-01\n---\n",
				"content/posts/b.md": "---\ntitle: Go 1.22\nslug: ignored\ndate: 2024-01-08\n---\n",
			},
			map[string]string{"content/posts/a.md": "/go-1.22/", "content/posts/b.md": "/b/"},
			[]string{"content/posts/b.md:2: URL /go-1.22/, from the title, is also used by content/posts/a.md"}},
		{"different months do not collide",
			map[string]string{
				"content/posts/a.md": "---\ntitle: Same\ndate: 2024-01-01\n---\n",
				"content/posts/b.md": "---\ntitle: Same\ndate: 2024-02-01\n---\n",
			},
			map[string]string{"content/posts/a.md": "/2024/01/same/", "content/posts/b.md": "/2024/02/same/"},
			nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, site(tt.files), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if got := urlsOf(s); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("URLs = %q\nwant   %q", got, tt.want)
			}
			if len(s.Warnings) != len(tt.warnings) {
				t.Fatalf("warnings:\n%v\nwant %d", s.Warnings, len(tt.warnings))
			}
			for i, w := range tt.warnings {
				if !strings.HasPrefix(s.Warnings[i].Error(), w) {
					t.Errorf("warning %d = %q\nwant it to start %q", i, s.Warnings[i], w)
				}
			}
		})
	}
}

func TestSlugHelpers(t *testing.T) {
	for _, tt := range []struct{ in, keep, keepCase, jekyll string }{
		{"Hello", "hello", "Hello", "Hello"},
		{"My File, (v2) É", "my-file-v2-é", "My-File-v2-É", "My-File,-(v2)-É"},
		{"go1.22", "go1.22", "go1.22", "go1.22"},
		{"Ünïcode.Dots_x", "ünïcode.dots_x", "Ünïcode.Dots_x", "Ünïcode.Dots_x"},
		{"a  -  b", "a-b", "a-b", "a-b"},
		{"  trailing  ", "trailing", "trailing", "trailing"},
		{"C++ & C#", "c++-c", "C++-C", "C++-&-C"},
		{"日本語 ブログ", "日本語-ブログ", "日本語-ブログ", "日本語-ブログ"},
	} {
		if got := keepSlugCase(tt.in); got != tt.keepCase {
			t.Errorf("keepSlugCase(%q) = %q, want %q", tt.in, got, tt.keepCase)
		}
		if got := keepSlug(tt.in); got != tt.keep {
			t.Errorf("keepSlug(%q) = %q, want %q", tt.in, got, tt.keep)
		}
		if got := jekyllSlug(tt.in); got != tt.jekyll {
			t.Errorf("jekyllSlug(%q) = %q, want %q", tt.in, got, tt.jekyll)
		}
	}
	for _, tt := range []struct{ path, name string }{
		{"content/posts/2024-05-01-hello.md", "hello"},
		{"content/posts/2024-5-1-hello.markdown", "hello"},
		{"content/posts/2024-05-01.md", "2024-05-01"},
		{"content/posts/Dir/index.md", "Dir"},
		{"content/posts/v1.2.md", "v1.2"},
	} {
		if got := fileName(tt.path); got != tt.name {
			t.Errorf("fileName(%q) = %q, want %q", tt.path, got, tt.name)
		}
	}
}

// TestPelicanSlug checks pelicanSlug against Pelican: each want is what
// Debian's pelican 4.8 (pelican.utils.slugify with the default
// SLUG_REGEX_SUBSTITUTIONS, python3-unidecode 1.3.6) makes of the title.
// The first four are the titles of the Pelican fixture in
// internal/enginetest, where Slugify agrees.
func TestPelicanSlug(t *testing.T) {
	for _, tt := range []struct{ title, want string }{
		{"The date from the file name", "the-date-from-the-file-name"},
		{"Offsets, listings and a table of contents", "offsets-listings-and-a-table-of-contents"},
		{"An RFC 1123 date", "an-rfc-1123-date"},
		{"Links, images and raw HTML", "links-images-and-raw-html"},
		{"Go 1.22 is released", "go-122-is-released"},
		{"snake_case and C++ & Go: a tale", "snake_case-and-c-go-a-tale"},
		{"Café crème, naïve résumé", "cafe-creme-naive-resume"},
		{"Straße über Øl", "strasse-uber-ol"},
		{"Don't panic — it's fine", "dont-panic-its-fine"},
		{"<em>Emph</em> &amp; more", "emph-more"},
		{"日本語のタイトル", "ri-ben-yu-notaitoru"},
		{"Привет мир", "privet-mir"},
		{"Ελληνικά", "ellenika"},
		{"½ and ²", "12-and-2"},
		{"ﬁle ligature", "file-ligature"},
		{"  spaced   out  ", "spaced-out"},
		{"a/b\\c", "abc"},
		{"x---y", "x-y"},
		{"-lead-", "-lead-"},
		{"a&b", "ab"},
		{"Node.js @ Scale ~ fast", "nodejs-scale-fast"},
		{"Über 100% <!-- note --> done", "uber-100-done"},
		{"tab\there", "tab-here"},
		{"Ünïcödé – dash", "unicode-dash"},
		{"C# vs. F#", "c-vs-f"},
		{"1 < 2 and 3 > 2", "1-2"},
	} {
		if got := pelicanSlug(tt.title); got != tt.want {
			t.Errorf("pelicanSlug(%q) = %q, want %q (Pelican's)", tt.title, got, tt.want)
		}
	}
}

func TestFileOf(t *testing.T) {
	for _, tt := range []struct{ url, file, dir string }{
		{"/", "index.html", "/"},
		{"/a/", "a/index.html", "/a/"},
		{"/blog/name", "blog/name.html", "/blog/name/"},
		{"/blog/go1.22", "blog/go1.22.html", "/blog/go1.22/"},
		{"/2024/05/01/x.html", "2024/05/01/x.html", "/2024/05/01/x/"},
		{"/404.html", "404.html", "/404/"},
	} {
		if got := FileOf(tt.url); got != tt.file {
			t.Errorf("FileOf(%q) = %q, want %q", tt.url, got, tt.file)
		}
		if got := ResourceDir(tt.url); got != tt.dir {
			t.Errorf("ResourceDir(%q) = %q, want %q", tt.url, got, tt.dir)
		}
	}
}

// TestRootSection checks sections = ["/"]: the files directly under
// content/ and the bundles below it are posts, as the pages of Zola's
// root section are, and other sections keep theirs.
func TestRootSection(t *testing.T) {
	fsys := site(map[string]string{
		"content/top.md":             "+++\ntitle = \"Top\"\ndate = 2024-01-02\n+++\n",
		"content/bundle/index.md":    "+++\ntitle = \"Bundle\"\ndate = 2024-01-03\n+++\n",
		"content/blog/inner.md":      "+++\ntitle = \"Inner\"\ndate = 2024-01-04\n+++\n",
		"content/releases/latest.md": "+++\ntitle = \"Latest\"\n+++\n",
		"content/releases/_index.md": "+++\ntitle = \"Releases\"\n+++\n",
	})
	fsys["site.toml"].Data = []byte("title = \"T\"\nbase_url = \"https://example.org/\"\nsections = [\"/\", \"blog\"]\npermalink = \"/:zola_sections/:zola_slug/\"\n")
	s, err := load(t, fsys, Options{})
	if err != nil {
		t.Fatal(err)
	}
	var posts, pages []string
	for _, p := range s.Posts {
		posts = append(posts, p.URL)
	}
	for _, p := range s.Pages {
		pages = append(pages, p.URL)
	}
	if want := []string{"/blog/inner/", "/bundle/", "/top/"}; !reflect.DeepEqual(posts, want) {
		t.Errorf("posts %q, want %q", posts, want)
	}
	if want := []string{"/releases/latest/"}; !reflect.DeepEqual(pages, want) {
		t.Errorf("pages %q, want %q", pages, want)
	}
}

// TestJekyllSlugAsItsExpression holds jekyllSlug equal to replacing the
// runs of Jekyll's expression with a hyphen, on random strings of ASCII,
// letters, marks, digits of other scripts, symbols and invalid UTF-8.
func TestJekyllSlugAsItsExpression(t *testing.T) {
	unsafe := regexp.MustCompile(`[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+`)
	chars := []string{"a", "Z", "0", "9", "-", " ", "_", ".", "~", "!", "$", "&", "'", "(", ")", "+", ",", ";", "=", "@",
		"/", "?", "#", "%", "\"", "é", "\u0301", "ß", "日", "٣", "Ⅻ", "½", "€", "\u00a0", "\t", "\xff", "\xe6\x97", "\ufffd", "𝔸"}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		var b strings.Builder
		for range rng.IntN(12) {
			b.WriteString(chars[rng.IntN(len(chars))])
		}
		s := b.String()
		if got, want := jekyllSlug(s), strings.Trim(unsafe.ReplaceAllString(s, "-"), "-"); got != want {
			t.Errorf("jekyllSlug(%q) = %q, the expression gives %q", s, got, want)
		}
	}
}
