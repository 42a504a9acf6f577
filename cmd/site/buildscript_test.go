package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

var updateScripts = flag.Bool("update", false, "rewrite the stdout, stderr and golden sections and the build lines of testdata/build/*.txtar with what the builds printed, wrote and exited with (review the diff)")

// TestBuildScripts runs the build fixtures, testdata/build/*.txtar, each
// a subtest named after its file. A fixture is a txtar archive
// (golang.org/x/tools/txtar) holding a site, the builds to run on it and
// what each must print and write, so that a case is read, and added, as
// one file. Its comment says what the case is about. Its sections, in
// order:
//
//	-- site/PATH --          a file of the site (the directory $SITE)
//	-- site/PATH -> TARGET --  a symbolic link; $SITE, $OUTSIDE in TARGET are expanded
//	-- outside/PATH --       a file of a directory beside the site ($OUTSIDE)
//	-- build --              run the build; its one line is "site build FLAGS..."
//	                         or "! site build FLAGS...", none "site build"
//	-- stdout --             what the build printed on stdout, exactly
//	-- stderr --             what it printed on stderr, exactly
//	-- want/PATH --          lines the output file PATH must match
//	-- golden/PATH --        the output file PATH, exactly
//	-- absent/PATH --        no output file PATH (empty section)
//
// Each build runs `site build -s $SITE -o $OUT FLAGS` in-process, through
// the command's entry point as `site` does, with the files written so
// far; files after a build's expectations are written before the next
// build (replacing what is there). A build without "!" must exit 0, one
// with "!" must exit 1, leave the previous output as it was and nothing
// beside it. Every build must end within 30 seconds.
//
// The expectations follow their build. Before comparing, the output's
// directories read $SITE, $OUT and $OUTSIDE, and the summary line's
// duration $TIME. A build without a stderr section must print nothing
// on stderr; without a stdout section its stdout is not checked. Each
// non-empty line of a want section is a fragment the file must hold; with
// the prefix "re: " a regular expression (package regexp) it must match;
// with "! " before either, one it must not. A want section may be empty:
// the file must exist. A failure names the fixture's file and line.
//
// The example site's expectations are not fixtures: they are
// examples/blog/EXPECTED.md, which exampleExpected reads.
//
// go test -run TestBuildScripts -update rewrites the stdout, stderr and
// golden sections and the "!" of the build lines with what the builds did
// (adding a stderr section where one printed on stderr): review the diff.
// Want sections are written by hand: they say what matters.
func TestBuildScripts(t *testing.T) {
	files, err := filepath.Glob("testdata/build/*.txtar")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 40 {
		t.Fatalf("found %d build fixtures in testdata/build, want at least 40", len(files))
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			runBuildScript(t, file)
		})
	}
}

// A buildStep is one build of a fixture: the files written before it,
// its section and the expectations that follow it, as indexes into the
// archive's files.
type buildStep struct {
	setup  []int
	build  int
	checks []int
}

// parseBuildSteps splits a fixture into its builds.
func parseBuildSteps(a *txtar.Archive) ([]buildStep, error) {
	var steps []buildStep
	cur := buildStep{build: -1}
	for i, f := range a.Files {
		switch kind, _, _ := strings.Cut(f.Name, "/"); {
		case kind == "site" || kind == "outside":
			if cur.build >= 0 {
				steps = append(steps, cur)
				cur = buildStep{build: -1}
			}
			cur.setup = append(cur.setup, i)
		case f.Name == "build":
			if cur.build >= 0 {
				steps = append(steps, cur)
				cur = buildStep{build: -1}
			}
			cur.build = i
		case f.Name == "stdout" || f.Name == "stderr" || kind == "want" || kind == "golden" || kind == "absent":
			if cur.build < 0 {
				return nil, fmt.Errorf("section %q comes before any build", f.Name)
			}
			cur.checks = append(cur.checks, i)
		default:
			return nil, fmt.Errorf("unknown section %q", f.Name)
		}
	}
	if cur.build < 0 {
		if len(cur.setup) > 0 && len(steps) > 0 {
			return nil, fmt.Errorf("section %q: files after the last build", a.Files[cur.setup[0]].Name)
		}
		if len(steps) == 0 {
			return nil, fmt.Errorf("no build section")
		}
	} else {
		steps = append(steps, cur)
	}
	return steps, nil
}

// buildCommand reads a build section: whether the build must fail, and
// its flags.
func buildCommand(data []byte) (fail bool, flags []string, err error) {
	line := strings.TrimSpace(string(data))
	if line == "" {
		return false, nil, nil
	}
	if strings.Contains(line, "\n") {
		return false, nil, fmt.Errorf("build: want one line, %q", line)
	}
	if rest, ok := strings.CutPrefix(line, "!"); ok {
		fail, line = true, strings.TrimSpace(rest)
	}
	words := strings.Fields(line)
	if len(words) < 2 || words[0] != "site" || words[1] != "build" {
		return false, nil, fmt.Errorf("build: want \"[!] site build [FLAGS]\", found %q", line)
	}
	return fail, words[2:], nil
}

// summaryTime matches the duration of the summary line.
var summaryTime = regexp.MustCompile(`(?m)^(built .* in )[0-9]+\.[0-9]+s( → )`)

func runBuildScript(t *testing.T, file string) {
	a, err := txtar.ParseFile(file)
	if err != nil {
		t.Fatal(err)
	}
	steps, err := parseBuildSteps(a)
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	lines := sectionLines(a)
	root := t.TempDir()
	site, out, outside := filepath.Join(root, "site"), filepath.Join(root, "out"), filepath.Join(root, "outside")
	for _, dir := range []string{site, outside} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	expand := strings.NewReplacer("$SITE", site, "$OUTSIDE", outside, "$OUT", out).Replace
	// $OUTSIDE before $OUT: the one directory's name starts with the other's.
	normalize := func(s string) string {
		s = strings.NewReplacer(outside, "$OUTSIDE", out, "$OUT", site, "$SITE").Replace(s)
		return summaryTime.ReplaceAllString(s, "${1}$$TIME${2}")
	}

	edited := false
	var inserted []txtar.File // stderr sections -update adds, by the index they follow
	insertAfter := map[int]int{}
	for _, step := range steps {
		for _, i := range step.setup {
			writeFixtureFile(t, a.Files[i], site, outside, expand)
		}
		fail, flags, err := buildCommand(a.Files[step.build].Data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for i, f := range flags {
			flags[i] = expand(f)
		}
		before := outputHash(t, out)
		code, stdout, stderr := runBuildTimed(t, append([]string{"build", "-s", site, "-o", out}, flags...))
		stdout, stderr = normalize(stdout), normalize(stderr)
		where := fmt.Sprintf("%s:%d: build", file, lines[step.build])

		if wantCode := map[bool]int{false: 0, true: 1}[fail]; code != wantCode {
			if *updateScripts && (code == 0 || code == 1) {
				line := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(string(a.Files[step.build].Data)), "!"))
				if line == "" {
					line = "site build"
				}
				if code == 1 {
					line = "! " + line
				}
				a.Files[step.build].Data, edited = []byte(line+"\n"), true
			} else {
				t.Errorf("%s: exit %d, want %d\nstdout:\n%s\nstderr:\n%s", where, code, wantCode, stdout, stderr)
			}
		}
		if code != 0 {
			if after := outputHash(t, out); after != before {
				t.Errorf("%s: a failed build changed the previous output", where)
			}
			checkNoLeftovers(t, root, "site", "out", ".out.lock", "outside")
		}

		var built map[string][]byte
		output := func() map[string][]byte {
			if built == nil {
				built = map[string][]byte{}
				if _, err := os.Stat(out); err == nil {
					built = readTree(t, out)
				}
			}
			return built
		}
		sawStderr := false
		for _, i := range step.checks {
			f := &a.Files[i]
			kind, path, _ := strings.Cut(f.Name, "/")
			at := fmt.Sprintf("%s:%d: %s", file, lines[i], f.Name)
			switch kind {
			case "stdout", "stderr":
				got := map[string]string{"stdout": stdout, "stderr": stderr}[kind]
				sawStderr = sawStderr || kind == "stderr"
				if got != string(f.Data) {
					if *updateScripts {
						f.Data, edited = []byte(got), true
					} else {
						t.Errorf("%s: printed\n%s\nwant\n%s", at, got, f.Data)
					}
				}
			case "golden":
				got, ok := output()[path]
				switch {
				case !ok:
					t.Errorf("%s: no such output file", at)
				case !bytes.Equal(got, f.Data) && *updateScripts:
					f.Data, edited = got, true
				case !bytes.Equal(got, f.Data):
					t.Errorf("%s: the build wrote\n%s\nwant\n%s", at, got, f.Data)
				}
			case "absent":
				if len(bytes.TrimSpace(f.Data)) != 0 {
					t.Errorf("%s: want the section empty", at)
				}
				if _, ok := output()[path]; ok {
					t.Errorf("%s: the build wrote it", at)
				}
			case "want":
				got, ok := output()[path]
				if !ok {
					t.Errorf("%s: no such output file", at)
					continue
				}
				for n, line := range strings.Split(string(f.Data), "\n") {
					if msg := checkWantLine(got, line); msg != "" {
						t.Errorf("%s:%d: %s %s", file, lines[i]+1+n, path, msg)
					}
				}
			}
		}
		if !sawStderr && stderr != "" {
			if *updateScripts {
				inserted = append(inserted, txtar.File{Name: "stderr", Data: []byte(stderr)})
				insertAfter[len(inserted)-1] = step.build
				edited = true
			} else {
				t.Errorf("%s: printed on stderr, and the fixture has no stderr section:\n%s", where, stderr)
			}
		}
	}

	if edited {
		for j := len(inserted) - 1; j >= 0; j-- {
			at := insertAfter[j] + 1
			a.Files = slices.Insert(a.Files, at, inserted[j])
		}
		if err := os.WriteFile(file, txtar.Format(a), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("updated %s", file)
	}
}

// sectionLines returns the line of each section's marker in the fixture.
func sectionLines(a *txtar.Archive) []int {
	line := 1 + bytes.Count(a.Comment, []byte("\n"))
	var lines []int
	for _, f := range a.Files {
		lines = append(lines, line)
		line += 1 + bytes.Count(f.Data, []byte("\n"))
	}
	return lines
}

// outputHash is treeHash of the output directory, or "" if there is none.
func outputHash(t *testing.T, out string) string {
	t.Helper()
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		return ""
	}
	return treeHash(t, out)
}

// checkWantLine checks one line of a want section against a file's
// contents; it returns what is wrong, or "".
func checkWantLine(data []byte, line string) string {
	if strings.TrimSpace(line) == "" {
		return ""
	}
	neg := false
	if rest, ok := strings.CutPrefix(line, "! "); ok {
		neg, line = true, rest
	}
	var found bool
	if expr, ok := strings.CutPrefix(line, "re: "); ok {
		re, err := regexp.Compile(expr)
		if err != nil {
			return fmt.Sprintf("bad regular expression %q: %v", expr, err)
		}
		found = re.Match(data)
	} else {
		found = bytes.Contains(data, []byte(line))
	}
	switch {
	case neg && found:
		return fmt.Sprintf("holds %q", line)
	case !neg && !found:
		return fmt.Sprintf("lacks %q", line)
	}
	return ""
}

// writeFixtureFile writes a site/ or outside/ section: a file, or a
// symbolic link when its name holds " -> ".
func writeFixtureFile(t *testing.T, f txtar.File, site, outside string, expand func(string) string) {
	t.Helper()
	kind, rel, _ := strings.Cut(f.Name, "/")
	dir := map[string]string{"site": site, "outside": outside}[kind]
	rel, target, isLink := strings.Cut(rel, " -> ")
	if runtime.GOOS == "windows" && (isLink || strings.Contains(rel, `\`)) {
		t.Skip("symbolic links and names holding \\: unix only")
	}
	p := filepath.Join(dir, filepath.FromSlash(strings.TrimSpace(rel)))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(p); err != nil {
		t.Fatal(err)
	}
	if !isLink {
		if err := os.WriteFile(p, f.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if len(bytes.TrimSpace(f.Data)) != 0 {
		t.Fatalf("section %q: a link has no contents", f.Name)
	}
	if err := os.Symlink(expand(strings.TrimSpace(target)), p); err != nil {
		t.Fatal(err)
	}
}

// runBuildTimed runs the command line, failing the test if it does not
// end within 30 seconds.
func runBuildTimed(t *testing.T, args []string) (code int, stdout, stderr string) {
	t.Helper()
	type result struct {
		code           int
		stdout, stderr string
	}
	done := make(chan result, 1)
	go func() {
		var out, errOut bytes.Buffer
		code := run(args, &out, &errOut)
		done <- result{code, out.String(), errOut.String()}
	}()
	select {
	case r := <-done:
		return r.code, r.stdout, r.stderr
	case <-time.After(30 * time.Second):
		t.Fatalf("site %s did not end in 30s", strings.Join(args, " "))
		return 0, "", ""
	}
}

// TestBuildScriptFormat checks the reading of fixtures: their sections,
// build lines and want lines.
func TestBuildScriptFormat(t *testing.T) {
	for _, c := range []struct {
		archive string
		steps   int
		err     string
	}{
		{"-- site/a --\n-- build --\n-- stderr --\n", 1, ""},
		{"-- site/a --\n-- build --\n-- site/b --\n-- build --\n-- want/x --\n", 2, ""},
		{"-- site/a --\n-- stderr --\n-- build --\n", 0, `section "stderr" comes before any build`},
		{"-- site/a --\n-- build --\n-- site/b --\n", 0, `section "site/b": files after the last build`},
		{"-- site/a --\n", 0, "no build section"},
		{"-- build --\n-- output/x --\n", 0, `unknown section "output/x"`},
	} {
		steps, err := parseBuildSteps(txtar.Parse([]byte(c.archive)))
		if got := fmt.Sprint(err); c.err != "" && got != c.err || c.err == "" && (err != nil || len(steps) != c.steps) {
			t.Errorf("%q: %d steps, error %v; want %d, %q", c.archive, len(steps), err, c.steps, c.err)
		}
	}

	for _, c := range []struct {
		line  string
		fail  bool
		flags []string
		err   bool
	}{
		{"", false, nil, false},
		{"site build\n", false, []string{}, false},
		{"! site build --drafts --future\n", true, []string{"--drafts", "--future"}, false},
		{"!site build\n", true, []string{}, false},
		{"site serve\n", false, nil, true},
		{"site build\nsite build\n", false, nil, true},
	} {
		fail, flags, err := buildCommand([]byte(c.line))
		if (err != nil) != c.err || err == nil && (fail != c.fail || !slices.Equal(flags, c.flags)) {
			t.Errorf("%q: %v %q %v; want %v %q, error %v", c.line, fail, flags, err, c.fail, c.flags, c.err)
		}
	}

	data := []byte("<p>Hello, world</p>\n")
	for _, c := range []struct{ line, want string }{
		{"Hello", ""},
		{"", ""},
		{"Goodbye", `lacks "Goodbye"`},
		{"! Goodbye", ""},
		{"! Hello", `holds "Hello"`},
		{`re: <p>H\w+,`, ""},
		{`re: ^Hello`, `lacks "re: ^Hello"`},
		{`! re: (?m)world</p>$`, `holds "re: (?m)world</p>$"`},
		{`! re: world</p>$`, ""}, // $ is the end of the file, after its newline
		{`re: (`, "bad regular expression"},
	} {
		if got := checkWantLine(data, c.line); c.want == "" && got != "" || c.want != "" && !strings.Contains(got, c.want) {
			t.Errorf("%q: %q, want %q", c.line, got, c.want)
		}
	}
}
