package main

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/testenv"
)

// TestBuildSummaryCounts: the summary line counts the warnings, printed
// sorted by file and line before it, and the drafts and future posts left
// out.
func TestBuildSummaryCounts(t *testing.T) {
	post := func(title, date, extra, body string) string {
		return "---\ntitle: " + title + "\ndate: " + date + "\n" + extra + "---\n" + body
	}
	tests := []struct {
		name   string
		files  map[string]string
		notes  string   // the end of the summary line
		stderr []string // the warnings
	}{
		{
			name: "warnings, a draft and future posts",
			files: map[string]string{
				"content/posts/b.md":       post("B", "2024-05-02", "", "Text.\n\n![](missing.png)\n\n<script>alert(1)</script>\n"),
				"content/posts/a.md":       post("A", "2024-05-01", "", "[gone](/2020/01/gone/)\n"),
				"content/posts/draft.md":   post("Draft", "2024-05-03", "draft: true\n", "![](also-missing.png)\n"),
				"content/posts/future1.md": post("Future 1", "2099-01-01", "", "x\n"),
				"content/posts/future2.md": post("Future 2", "2099-01-02", "", "x\n"),
			},
			notes: " (3 warnings; 1 draft and 2 future posts left out)",
			stderr: []string{
				"warning: content/posts/a.md:5: link /2020/01/gone/ not found (looked for /2020/01/gone/)",
				"warning: content/posts/b.md:7: image missing.png not found (looked for /2024/05/b/missing.png)",
				"warning: content/posts/b.md:9: inline <script> is blocked by the Content-Security-Policy (default-src 'self'): load the script from a file with <script src>",
			},
		},
		{
			name: "one warning, drafts only",
			files: map[string]string{
				"content/posts/a.md":  post("A", "2024-05-01", "", "<iframe src=\"https://video.example/1\"></iframe>\n"),
				"content/posts/d1.md": post("D1", "2024-05-03", "draft: true\n", "x\n"),
				"content/posts/d2.md": post("D2", "2099-05-03", "draft: true\n", "x\n"),
				"site.toml+":          "\n[csp]\nframe-src = [\"https://video.example\"]\n",
			},
			notes:  " (1 warning; 2 drafts left out)",
			stderr: []string{"warning: content/posts/a.md:5: <iframe src> embeds https://video.example/1 from another origin; the issuer badge does not cover it"},
		},
		{
			name:  "nothing to say",
			files: map[string]string{"content/posts/a.md": post("A", "2024-05-01", "", "[b](../b/)\n"), "content/posts/b.md": post("B", "2024-05-02", "", "x\n")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			files := map[string]string{"site.toml": "title = \"Counts\"\nbase_url = \"https://example.org/\"\n" + tt.files["site.toml+"]}
			for name, data := range tt.files {
				if name != "site.toml+" {
					files[name] = data
				}
			}
			testenv.WriteFiles(t, dir, files)
			out := filepath.Join(dir, "public")
			stdout, stderr := buildOK(t, "-s", dir, "-o", out)
			want := regexp.MustCompile(`^built \d+ posts, \d+ tags, \d+ pages in [0-9.]+s → ` + regexp.QuoteMeta(out+tt.notes) + "\n$")
			if !want.MatchString(stdout) {
				t.Errorf("summary %q, want it to end in %q", stdout, tt.notes)
			}
			var got []string
			if stderr != "" {
				got = strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
			}
			if strings.Join(got, "\n") != strings.Join(tt.stderr, "\n") {
				t.Errorf("stderr:\n%s\nwant:\n%s", stderr, strings.Join(tt.stderr, "\n"))
			}
		})
	}
}
