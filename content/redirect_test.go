package content

import (
	"reflect"
	"strings"
	"testing"
)

// goBlog is the site.toml of the Go blog kept at its URLs.
const goBlog = "sections = [\"blog\"]\npermalink = \"/blog/:filename\"\n"

func TestRedirects(t *testing.T) {
	type redirect struct{ url, to string }
	tests := []struct {
		name, extra string
		files       map[string]string
		want        map[string]redirect // by file
		posts       int                 // posts published besides
		warning     string              // a warning that must be given
	}{
		{"the Go blog's stub", goBlog, map[string]string{
			"content/blog/a-conversation-with-the-go-team.md": "---\nredirect: /blog/io2013-chat\n---\n",
			"content/blog/io2013-chat.md":                     "---\ntitle: A conversation with the Go team\ndate: 2013-06-06\n---\n",
		}, map[string]redirect{"content/blog/a-conversation-with-the-go-team.md": {"/blog/a-conversation-with-the-go-team", "/blog/io2013-chat"}}, 1, ""},
		{"an absolute target", goBlog, map[string]string{"content/blog/godoc.md": "---\nredirect: https://pkg.go.dev/about\n---\n"},
			map[string]redirect{"content/blog/godoc.md": {"/blog/godoc", "https://pkg.go.dev/about"}}, 0, ""},
		{"a target with a query and fragment", goBlog, map[string]string{"content/blog/x.md": "---\nredirect: /blog/y?a=1#part\n---\n"},
			map[string]redirect{"content/blog/x.md": {"/blog/x", "/blog/y?a=1#part"}}, 0, ""},
		{"a relative target, against the page's URL", goBlog, map[string]string{"content/blog/old.md": "---\nredirect: new\n---\n"},
			map[string]redirect{"content/blog/old.md": {"/blog/old", "/blog/new"}}, 0, ""},
		{"a relative target climbing", goBlog, map[string]string{"content/blog/old.md": "---\nredirect: ../doc/x/\n---\n"},
			map[string]redirect{"content/blog/old.md": {"/blog/old", "/doc/x/"}}, 0, ""},
		{"a relative target from a URL ending in /", "", map[string]string{"content/posts/2024-05-01-old.md": "---\nredirect: new\n---\n"},
			map[string]redirect{"content/posts/2024-05-01-old.md": {"/2024/05/old/", "/2024/05/old/new"}}, 0, ""},
		{"a protocol-relative target", "", map[string]string{"content/old.md": "---\nredirect: //go.dev/blog/\n---\n"},
			map[string]redirect{"content/old.md": {"/old/", "//go.dev/blog/"}}, 0, ""},
		{"a standalone page", "", map[string]string{"content/docs/old.md": "---\nredirect: /docs/new/\n---\n"},
			map[string]redirect{"content/docs/old.md": {"/docs/old/", "/docs/new/"}}, 0, ""},
		{"a stub dated by its file name", "", map[string]string{"content/posts/2024-05-01-Old-Name.md": "---\nredirect: /new/\n---\n"},
			map[string]redirect{"content/posts/2024-05-01-Old-Name.md": {"/2024/05/old-name/", "/new/"}}, 0, ""},
		{"a stub with a slug", "", map[string]string{"content/posts/x.md": "---\nredirect: /new/\nslug: Kept\ndate: 2024-05-01\n---\n"},
			map[string]redirect{"content/posts/x.md": {"/2024/05/kept/", "/new/"}}, 0, ""},
		{"a stub with url", "", map[string]string{"content/posts/x.md": "---\nredirect: /new/\nurl: /old/place.html\n---\n"},
			map[string]redirect{"content/posts/x.md": {"/old/place.html", "/new/"}}, 0, ""},
		{"a stub without a date under a dated permalink is left out", "", map[string]string{
			"content/posts/old.md": "---\n\nredirect: /new/\n---\n",
			"content/posts/new.md": "---\ntitle: New\ndate: 2024-05-01\n---\n",
		}, map[string]redirect{}, 1, "content/posts/old.md:3: redirect to /new/ left out: its URL needs a date"},
		{"Jekyll's redirect_to on a post with a title", "", map[string]string{
			"content/posts/2024-05-01-moved.md": "---\ntitle: Moved\nredirect_to: https://elsewhere.example/moved\ntags: [go]\n---\nBody.\n",
		}, map[string]redirect{"content/posts/2024-05-01-moved.md": {"/2024/05/moved/", "https://elsewhere.example/moved"}}, 0, ""},
		{"Jekyll's relative redirect_to is from the site root", "permalink = \"/blog/:title/\"\n", map[string]string{
			"content/posts/2024-05-01-moved.md": "---\ntitle: Moved\nredirect_to: other/page\n---\n",
		}, map[string]redirect{"content/posts/2024-05-01-moved.md": {"/blog/moved/", "/other/page"}}, 0, ""},
		{"Jekyll's list: the first", "", map[string]string{"content/about.md": "---\ntitle: About\nredirect_to: [\"https://a.example/\", \"https://b.example/\"]\n---\n"},
			map[string]redirect{"content/about.md": {"/about/", "https://a.example/"}}, 0, ""},
		{"an empty redirect is none", "", map[string]string{"content/about.md": "---\ntitle: About\nredirect: \"\"\n---\n"},
			map[string]redirect{}, 0, ""},
		{"aliases of a stub", goBlog, map[string]string{"content/blog/old.md": "---\nredirect: /blog/new\naliases: [/older/]\n---\n"},
			map[string]redirect{"content/blog/old.md": {"/blog/old", "/blog/new"}}, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := load(t, siteWith(tt.extra, tt.files), Options{})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]redirect{}
			for _, pg := range s.Redirects {
				got[pg.Path] = redirect{pg.URL, pg.Redirect}
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("redirects = %q\nwant        %q", got, tt.want)
			}
			if len(s.Posts) != tt.posts {
				t.Errorf("%d posts, want %d", len(s.Posts), tt.posts)
			}
			for _, pg := range s.All() {
				if pg.Redirect != "" {
					t.Errorf("%s redirects but is published as a page", pg.Path)
				}
			}
			if len(s.Tags) != 0 {
				t.Errorf("a redirect's tags are listed: %v", s.Tags)
			}
			warnings := s.Warnings.Error()
			if tt.warning == "" && len(s.Warnings) > 0 || !strings.Contains(warnings, tt.warning) {
				t.Errorf("warnings = %q, want %q", warnings, tt.warning)
			}
		})
	}
}

func TestRedirectErrors(t *testing.T) {
	tests := []struct {
		name, extra string
		files       map[string]string
		want        string
	}{
		{"another scheme", "", map[string]string{"content/x.md": "---\nredirect: javascript:alert(1)\n---\n"},
			`content/x.md:2: front matter: redirect: "javascript:alert(1)": want an http or https URL, or a path on this site`},
		{"no host", "", map[string]string{"content/x.md": "---\nredirect: \"https:/x\"\n---\n"},
			`content/x.md:2: front matter: redirect: "https:/x": want a host after //`},
		{"spaces", "", map[string]string{"content/x.md": "---\nredirect: /a b/\n---\n"},
			`content/x.md:2: front matter: redirect: "/a b/": want a URL without spaces`},
		{"not text", "", map[string]string{"content/x.md": "---\nredirect_to: {a: b}\n---\n"},
			`content/x.md:2: front matter: redirect_to: want a URL, found a table`},
		{"above the root", goBlog, map[string]string{"content/blog/x.md": "---\nredirect: ../../x\n---\n"},
			`content/blog/x.md:2: front matter: redirect: "../../x": goes above the site's root`},
		{"both keys", "", map[string]string{"content/x.md": "---\nredirect: /a/\nredirect_to: /b/\n---\n"},
			`content/x.md:3: front matter: redirect_to: given twice (also on line 2)`},
		{"a stub at a page's URL", goBlog, map[string]string{
			"content/blog/x.md": "---\nredirect: /blog/y\n---\n",
			"content/blog/z.md": "---\ntitle: Z\ndate: 2024-01-01\nurl: /blog/x.html\n---\n"},
			`content/blog/z.md:4: URL /blog/x.html is also used by content/blog/x.md`},
		{"a page's alias at a stub's URL", goBlog, map[string]string{
			"content/blog/x.md": "---\nredirect: /blog/y\n---\n",
			"content/blog/y.md": "---\ntitle: Y\ndate: 2024-01-01\naliases: [/blog/x.html]\n---\n"},
			`content/blog/y.md:4: alias /blog/x.html is also used by content/blog/x.md`},
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

func TestResolveRedirect(t *testing.T) {
	tests := []struct {
		target  string
		jekyll  bool
		pageURL string
		want    string
	}{
		{"/a/b", false, "/blog/x", "/a/b"},
		{"https://e.org/x", false, "/blog/x", "https://e.org/x"},
		{"HTTP://e.org/x", true, "/blog/x", "HTTP://e.org/x"},
		{"new", false, "/blog/old", "/blog/new"},
		{"new", false, "/blog/old/", "/blog/old/new"},
		{"new", true, "/blog/old/", "/new"},
		{"./", false, "/blog/old", "/blog/"},
		{".", false, "/blog/old", "/blog/"},
		{"..", false, "/blog/old/x", "/blog/"},
		{"sub/dir/", false, "/blog/old", "/blog/sub/dir/"},
		{"new#frag", false, "/blog/old", "/blog/new#frag"},
		{"#frag", false, "/blog/old", "/blog/old#frag"},
		{"?q=1", true, "/blog/old", "/?q=1"},
	}
	for _, tt := range tests {
		got, err := resolveRedirect(tt.target, tt.jekyll, tt.pageURL)
		if err != nil || got != tt.want {
			t.Errorf("resolveRedirect(%q, %v, %q) = %q, %v; want %q", tt.target, tt.jekyll, tt.pageURL, got, err, tt.want)
		}
	}
}
