package scaffold

import (
	"path"
	"strings"
	"testing"
)

func TestTitleOf(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"posts/x.md", "X"},
		{"posts/2024-05-01-my-first-post.md", "My First Post"},
		{"posts/long_weekend.markdown", "Long Weekend"},
		{"posts/trip/index.md", "Trip"},
		{"blog/_index.md", "Blog"},
		{"about.md", "About"},
		{"posts/élan-vital.md", "Élan Vital"},
		{"posts/---.md", ""},
	} {
		if got := TitleOf(tc.in); got != tc.want {
			t.Errorf("TitleOf(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestContentPath(t *testing.T) {
	for _, tc := range []struct{ in, want, err string }{
		{"posts/x.md", "posts/x.md", ""},
		{"content/posts/x.md", "posts/x.md", ""},
		{"./posts//x.mdown", "posts/x.mdown", ""},
		{"notes/idea", "notes/idea.md", ""},
		{"about.md", "about.md", ""},
		{"../x.md", "", "under content/"},
		{"posts/..", "", "under content/"},
		{"/abs/x.md", "", "under content/"},
		{"posts/x.txt", "", "Markdown file"},
	} {
		got, err := contentPath(tc.in)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("contentPath(%q): %q, %v; want an error saying %q", tc.in, got, err, tc.err)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("contentPath(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		arg  string
		path bool
	}{{"My post", false}, {"Notes: 1/2", true}, {"x.md", true}, {"x.MARKDOWN", true}, {"Version 1.2", false}} {
		if got := IsPath(tc.arg); got != tc.path {
			t.Errorf("IsPath(%q) = %t", tc.arg, got)
		}
	}
}

func TestGitignore(t *testing.T) {
	var patterns []string
	for line := range strings.SplitSeq(gitignore, "\n") {
		if line != "" {
			patterns = append(patterns, strings.Trim(line, "/"))
		}
	}
	for _, name := range []string{"public", ".public.prev", ".public.new-123-456", ".public.new-123-456.old", ".public.lock", ".site-cache"} {
		ignored := false
		for _, p := range patterns {
			if ok, _ := path.Match(p, name); ok {
				ignored = true
			}
		}
		if !ignored {
			t.Errorf("%s is not ignored by %q", name, gitignore)
		}
	}
}
