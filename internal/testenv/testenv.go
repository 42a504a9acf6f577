// Package testenv locates the external components that the end-to-end tests
// drive: Debian's python3 with feedparser, Chromium, playwright-core,
// axe-core and html-validate from npm, Pebble (an ACME test server) with its challenge test server, and the
// other engines (Hugo, Jekyll, Pelican) that build the same sites.
//
// scripts/test.sh installs all of them and exports their paths in SITE_TEST_*
// variables. When a component cannot be found, the calling test fails if the
// environment has CI=true and is skipped otherwise, so that `go test ./...`
// works on a bare machine while CI never silently skips.
package testenv

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// Environment variables read by this package; scripts/test.sh sets them.
const (
	EnvPython        = "SITE_TEST_PYTHON"
	EnvChromium      = "SITE_TEST_CHROMIUM"
	EnvPebble        = "SITE_TEST_PEBBLE"
	EnvChalltestsrv  = "SITE_TEST_CHALLTESTSRV"
	EnvNodeModules   = "SITE_TEST_NODE_MODULES"
	installHint      = "run ./scripts/test.sh, which installs it"
	nodeModulesLocal = ".test-deps/node_modules"
)

// InCI reports whether the tests run under CI (CI=true), where a missing
// component is a failure instead of a reason to skip.
func InCI() bool {
	v := strings.TrimSpace(os.Getenv("CI"))
	return strings.EqualFold(v, "true") || v == "1"
}

// missing fails the test under CI and skips it otherwise.
func missing(t testing.TB, component string, err error) {
	t.Helper()
	msg := fmt.Sprintf("test component %s not available: %v (%s)", component, err, installHint)
	if InCI() {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Tool returns the path of an external test component, from the
// environment variable env if set, else the first of the candidate paths that
// exists, else exec.LookPath(name). When the component is not found,
// the test fails under CI=true (t.Fatalf, naming the component and
// how to install it: "run ./scripts/test.sh"), and is skipped otherwise.
func Tool(t testing.TB, env, name string, candidates ...string) string {
	t.Helper()
	p, err := find(env, name, candidates)
	if err != nil {
		missing(t, name, err)
	}
	return p
}

// find is Tool without the testing side: it resolves the component or says
// why it could not. An env variable that is set but points nowhere is an
// error rather than a reason to fall back, so a wrong override is noticed.
func find(env, name string, candidates []string) (string, error) {
	if env != "" {
		if v := os.Getenv(env); v != "" {
			p, err := executable(v)
			if err != nil {
				return "", fmt.Errorf("%s=%q: %w", env, v, err)
			}
			return p, nil
		}
	}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := executable(c); err == nil {
			return p, nil
		}
	}
	if name != "" {
		if p, err := exec.LookPath(name); err == nil {
			return p, nil
		}
	}
	where := []string{}
	if env != "" {
		where = append(where, "$"+env+" (unset)")
	}
	where = append(where, candidates...)
	if name != "" {
		where = append(where, name+" in $PATH")
	}
	return "", fmt.Errorf("%s not found (looked at %s)", name, strings.Join(where, ", "))
}

// executable resolves p (a path, or a bare command name looked up in PATH)
// to an existing executable regular file.
func executable(p string) (string, error) {
	if !strings.ContainsRune(p, filepath.Separator) {
		return exec.LookPath(p)
	}
	fi, err := os.Stat(p)
	if err != nil {
		return "", err
	}
	if fi.IsDir() {
		return "", fmt.Errorf("%s is a directory", p)
	}
	if fi.Mode().Perm()&0o111 == 0 {
		return "", fmt.Errorf("%s is not executable", p)
	}
	return p, nil
}

var pythonChecks sync.Map // interpreter path -> error (nil when feedparser imports)

// Python returns a python3 that can `import feedparser` (SITE_TEST_PYTHON,
// else Debian's /usr/bin/python3: a pyenv python3 earlier in PATH usually
// lacks Debian's python3-feedparser). The import is checked once per
// interpreter and process; the test fails or skips like Tool.
func Python(t testing.TB) string {
	t.Helper()
	p := Tool(t, EnvPython, "python3", "/usr/bin/python3")
	if err := checkPython(p); err != nil {
		missing(t, "python3-feedparser", err)
	}
	return p
}

func checkPython(p string) error {
	if v, ok := pythonChecks.Load(p); ok {
		if v == nil {
			return nil
		}
		return v.(error)
	}
	var err error
	out, runErr := exec.Command(p, "-c", "import feedparser").CombinedOutput()
	if runErr != nil {
		err = fmt.Errorf("%s cannot import feedparser: %v: %s", p, runErr, strings.TrimSpace(string(out)))
		pythonChecks.Store(p, err)
		return err
	}
	pythonChecks.Store(p, nil)
	return nil
}

// Chromium returns the chromium binary (SITE_TEST_CHROMIUM, /usr/bin/chromium).
// Tests run as root, so callers must launch it with --no-sandbox.
func Chromium(t testing.TB) string {
	t.Helper()
	return Tool(t, EnvChromium, "chromium", "/usr/bin/chromium")
}

// Pebble returns the paths of pebble and pebble-challtestsrv
// (SITE_TEST_PEBBLE and SITE_TEST_CHALLTESTSRV, else Debian's package).
func Pebble(t testing.TB) (pebble, challtestsrv string) {
	t.Helper()
	pebble = Tool(t, EnvPebble, "pebble", "/usr/bin/pebble")
	challtestsrv = Tool(t, EnvChalltestsrv, "pebble-challtestsrv", "/usr/bin/pebble-challtestsrv")
	return pebble, challtestsrv
}

// NodeModules returns a node_modules directory containing playwright-core
// (SITE_TEST_NODE_MODULES, then <repo root>/.test-deps/node_modules, the repo
// root being the nearest directory above the working directory that holds
// go.mod). Browser tests run Node scripts with NODE_PATH set to it so that
// they can require('playwright-core'). Fails or skips like Tool.
func NodeModules(t testing.TB) string {
	t.Helper()
	wd, err := os.Getwd()
	if err != nil {
		missing(t, "playwright-core", err)
	}
	p, err := findNodeModules(os.Getenv(EnvNodeModules), wd)
	if err != nil {
		missing(t, "playwright-core", err)
	}
	return p
}

// findNodeModules is NodeModules without the testing side: override is the
// value of SITE_TEST_NODE_MODULES, wd the directory to search up from.
func findNodeModules(override, wd string) (string, error) {
	if override != "" {
		abs, err := filepath.Abs(override)
		if err != nil {
			return "", err
		}
		if err := hasPlaywright(abs); err != nil {
			return "", fmt.Errorf("%s=%q: %w", EnvNodeModules, override, err)
		}
		return abs, nil
	}
	root, err := RepoRoot(wd)
	if err != nil {
		return "", err
	}
	dir := filepath.Join(root, filepath.FromSlash(nodeModulesLocal))
	if err := hasPlaywright(dir); err != nil {
		return "", err
	}
	return dir, nil
}

func hasPlaywright(dir string) error {
	pkg := filepath.Join(dir, "playwright-core", "package.json")
	if _, err := os.Stat(pkg); err != nil {
		return fmt.Errorf("playwright-core not installed in %s", dir)
	}
	return nil
}

// AxeCore returns the path of axe-core's browser build, axe.min.js, in
// the node_modules directory NodeModules finds (SITE_TEST_NODE_MODULES,
// then <repo root>/.test-deps/node_modules). Browser tests evaluate it in
// a page and call axe.run there. Fails or skips like Tool when either
// playwright-core or axe-core is missing.
func AxeCore(t testing.TB) string {
	t.Helper()
	dir := NodeModules(t)
	p, err := findAxe(dir)
	if err != nil {
		missing(t, "axe-core", err)
	}
	return p
}

// findAxe is AxeCore without the testing side: dir is a node_modules
// directory.
func findAxe(dir string) (string, error) {
	p := filepath.Join(dir, "axe-core", "axe.min.js")
	fi, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("axe-core not installed in %s", dir)
	}
	if fi.IsDir() || fi.Size() == 0 {
		return "", fmt.Errorf("%s is not axe-core's script", p)
	}
	return p, nil
}

// HTMLValidate returns the path of html-validate's command-line script,
// html-validate/bin/html-validate.mjs, in the node_modules directory
// NodeModules finds (SITE_TEST_NODE_MODULES, then <repo root>/.test-deps/
// node_modules). Tests run it with Node: `node PATH --formatter json
// FILE...`. Fails or skips like Tool when either playwright-core or
// html-validate is missing.
func HTMLValidate(t testing.TB) string {
	t.Helper()
	dir := NodeModules(t)
	p, err := findHTMLValidate(dir)
	if err != nil {
		missing(t, "html-validate", err)
	}
	return p
}

// findHTMLValidate is HTMLValidate without the testing side: dir is a
// node_modules directory.
func findHTMLValidate(dir string) (string, error) {
	p := filepath.Join(dir, "html-validate", "bin", "html-validate.mjs")
	fi, err := os.Stat(p)
	if err != nil {
		return "", fmt.Errorf("html-validate not installed in %s", dir)
	}
	if fi.IsDir() || fi.Size() == 0 {
		return "", fmt.Errorf("%s is not html-validate's command-line script", p)
	}
	return p, nil
}

// RepoRoot returns the nearest directory at or above dir that contains go.mod.
func RepoRoot(dir string) (string, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	for d := dir; ; {
		if fi, err := os.Stat(filepath.Join(d, "go.mod")); err == nil && !fi.IsDir() {
			return d, nil
		}
		parent := filepath.Dir(d)
		if parent == d {
			return "", errors.New("no go.mod found at or above " + dir)
		}
		d = parent
	}
}

// Environment variables naming the other engines that the differential
// tests (internal/enginetest) build the same sites with.
const (
	EnvHugo    = "SITE_TEST_HUGO"
	EnvJekyll  = "SITE_TEST_JEKYLL"
	EnvPelican = "SITE_TEST_PELICAN"
)

// Hugo returns Debian's hugo (SITE_TEST_HUGO, /usr/bin/hugo). Fails or
// skips like Tool.
func Hugo(t testing.TB) string {
	t.Helper()
	return Tool(t, EnvHugo, "hugo", "/usr/bin/hugo")
}

// Jekyll returns Debian's jekyll (SITE_TEST_JEKYLL, /usr/bin/jekyll), which
// builds offline with the ruby-jekyll-* packages Debian installs beside it.
// Fails or skips like Tool.
func Jekyll(t testing.TB) string {
	t.Helper()
	return Tool(t, EnvJekyll, "jekyll", "/usr/bin/jekyll")
}

// Pelican returns Debian's pelican (SITE_TEST_PELICAN, /usr/bin/pelican).
// Fails or skips like Tool.
func Pelican(t testing.TB) string {
	t.Helper()
	return Tool(t, EnvPelican, "pelican", "/usr/bin/pelican")
}

// Node returns the path of node, which runs the browser tests' scripts.
func Node(t testing.TB) string {
	t.Helper()
	p, err := exec.LookPath("node")
	if err != nil {
		missing(t, "node", err)
	}
	return p
}
