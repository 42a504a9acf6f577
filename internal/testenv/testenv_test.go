package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

func TestInCI(t *testing.T) {
	for _, tc := range []struct {
		val  string
		want bool
	}{
		{"true", true},
		{"TRUE", true},
		{"1", true},
		{"", false},
		{"false", false},
		{"0", false},
	} {
		t.Setenv("CI", tc.val)
		if got := InCI(); got != tc.want {
			t.Errorf("CI=%q: InCI() = %v, want %v", tc.val, got, tc.want)
		}
	}
}

// writeExe creates an executable (or, with mode 0o644, a non-executable) file.
func writeExe(t *testing.T, dir, name string, mode os.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\nexit 0\n"), mode); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestFind(t *testing.T) {
	sh, err := exec.LookPath("sh")
	if err != nil {
		t.Fatalf("no sh in PATH: %v", err)
	}
	dir := t.TempDir()
	exe := writeExe(t, dir, "tool", 0o755)
	exe2 := writeExe(t, dir, "tool2", 0o755)
	plain := writeExe(t, dir, "plain", 0o644)
	nowhere := filepath.Join(dir, "does-not-exist")
	const env = "SITE_TESTENV_TEST_TOOL"

	for _, tc := range []struct {
		desc       string
		envVal     string // "" leaves env unset
		name       string
		candidates []string
		want       string // "" means an error is expected
		errHas     string
	}{
		{desc: "env override wins over candidates", envVal: exe2, name: "sh", candidates: []string{exe}, want: exe2},
		{desc: "env override with bare name uses PATH", envVal: "sh", name: "nonexistent-tool-xyz", want: sh},
		{desc: "env override pointing nowhere is an error, no fallback", envVal: nowhere, name: "sh", candidates: []string{exe}, errHas: env},
		{desc: "env override to non-executable is an error", envVal: plain, name: "sh", errHas: "not executable"},
		{desc: "env override to directory is an error", envVal: dir, name: "sh", errHas: "directory"},
		{desc: "first existing candidate", name: "sh", candidates: []string{nowhere, exe, exe2}, want: exe},
		{desc: "non-executable candidate skipped", name: "sh", candidates: []string{plain, exe2}, want: exe2},
		{desc: "falls back to PATH", name: "sh", candidates: []string{nowhere}, want: sh},
		{desc: "missing everywhere", name: "nonexistent-tool-xyz", candidates: []string{nowhere}, errHas: "nonexistent-tool-xyz not found"},
	} {
		t.Run(tc.desc, func(t *testing.T) {
			if tc.envVal != "" {
				t.Setenv(env, tc.envVal)
			} else {
				t.Setenv(env, "")
			}
			got, err := find(env, tc.name, tc.candidates)
			if tc.want != "" {
				if err != nil {
					t.Fatalf("find: unexpected error %v", err)
				}
				if got != tc.want {
					t.Fatalf("find = %q, want %q", got, tc.want)
				}
				return
			}
			if err == nil {
				t.Fatalf("find = %q, want an error", got)
			}
			if !strings.Contains(err.Error(), tc.errHas) {
				t.Fatalf("error %q does not mention %q", err, tc.errHas)
			}
		})
	}
}

func TestToolFindsSh(t *testing.T) {
	t.Setenv("SITE_TESTENV_TEST_SH", "")
	if p := Tool(t, "SITE_TESTENV_TEST_SH", "sh"); filepath.Base(p) != "sh" {
		t.Fatalf("Tool(sh) = %q", p)
	}
	dir := t.TempDir()
	exe := writeExe(t, dir, "mysh", 0o755)
	t.Setenv("SITE_TESTENV_TEST_SH", exe)
	if p := Tool(t, "SITE_TESTENV_TEST_SH", "sh"); p != exe {
		t.Fatalf("Tool with override = %q, want %q", p, exe)
	}
}

func TestRepoRootAndNodeModules(t *testing.T) {
	root := t.TempDir()
	if err := os.WriteFile(filepath.Join(root, "go.mod"), []byte("module example.com/x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(root, "a", "b", "c")
	if err := os.MkdirAll(deep, 0o755); err != nil {
		t.Fatal(err)
	}
	got, err := RepoRoot(deep)
	if err != nil || got != root {
		t.Fatalf("RepoRoot(%s) = %q, %v; want %q", deep, got, err, root)
	}

	// Not installed yet.
	if _, err := findNodeModules("", deep); err == nil || !strings.Contains(err.Error(), "playwright-core not installed") {
		t.Fatalf("findNodeModules without install: err = %v", err)
	}
	nm := filepath.Join(root, ".test-deps", "node_modules")
	if err := os.MkdirAll(filepath.Join(nm, "playwright-core"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(nm, "playwright-core", "package.json"), []byte(`{"name":"playwright-core"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, err := findNodeModules("", deep); err != nil || got != nm {
		t.Fatalf("findNodeModules = %q, %v; want %q", got, err, nm)
	}
	// An explicit override is used as given, and must hold playwright-core.
	if got, err := findNodeModules(nm, "/"); err != nil || got != nm {
		t.Fatalf("findNodeModules(override) = %q, %v; want %q", got, err, nm)
	}
	if _, err := findNodeModules(deep, deep); err == nil || !strings.Contains(err.Error(), EnvNodeModules) {
		t.Fatalf("findNodeModules(bad override): err = %v", err)
	}
}

func TestFindAxe(t *testing.T) {
	nm := t.TempDir()
	axe := filepath.Join(nm, "axe-core", "axe.min.js")
	for _, tc := range []struct {
		name    string
		setup   func()
		wantErr string
	}{
		{"not installed", func() {}, "axe-core not installed in " + nm},
		{"a directory", func() {
			if err := os.MkdirAll(axe, 0o755); err != nil {
				t.Fatal(err)
			}
		}, "is not axe-core's script"},
		{"empty", func() {
			if err := os.Remove(axe); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(axe, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "is not axe-core's script"},
		{"installed", func() {
			if err := os.WriteFile(axe, []byte("/*! axe */"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, ""},
	} {
		tc.setup()
		got, err := findAxe(nm)
		switch {
		case tc.wantErr == "" && (err != nil || got != axe):
			t.Errorf("%s: findAxe = %q, %v; want %q", tc.name, got, err, axe)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: findAxe error %v, want %q", tc.name, err, tc.wantErr)
		}
	}
}

func TestFindHTMLValidate(t *testing.T) {
	nm := t.TempDir()
	cli := filepath.Join(nm, "html-validate", "bin", "html-validate.mjs")
	for _, tc := range []struct {
		name    string
		setup   func()
		wantErr string
	}{
		{"not installed", func() {}, "html-validate not installed in " + nm},
		{"a directory", func() {
			if err := os.MkdirAll(cli, 0o755); err != nil {
				t.Fatal(err)
			}
		}, "is not html-validate's command-line script"},
		{"empty", func() {
			if err := os.Remove(cli); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(cli, nil, 0o644); err != nil {
				t.Fatal(err)
			}
		}, "is not html-validate's command-line script"},
		{"installed", func() {
			if err := os.WriteFile(cli, []byte("#!/usr/bin/env node\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, ""},
	} {
		tc.setup()
		got, err := findHTMLValidate(nm)
		switch {
		case tc.wantErr == "" && (err != nil || got != cli):
			t.Errorf("%s: findHTMLValidate = %q, %v; want %q", tc.name, got, err, cli)
		case tc.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tc.wantErr)):
			t.Errorf("%s: findHTMLValidate error %v, want %q", tc.name, err, tc.wantErr)
		}
	}
}

func TestRepoRootOfThisModule(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	root, err := RepoRoot(wd)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "module github.com/siteblog/site") {
		t.Fatalf("RepoRoot found %s, whose go.mod is not this module's", root)
	}
}

// The real components: these skip on a bare machine and fail under CI, which
// is exactly what scripts/test.sh is for.
func TestRealComponents(t *testing.T) {
	t.Run("python", func(t *testing.T) {
		p := Python(t)
		if err := checkPython(p); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("chromium", func(t *testing.T) { Chromium(t) })
	t.Run("pebble", func(t *testing.T) {
		p, c := Pebble(t)
		if p == "" || c == "" {
			t.Fatalf("Pebble() = %q, %q", p, c)
		}
	})
	t.Run("playwright-core", func(t *testing.T) { NodeModules(t) })
	t.Run("axe-core", func(t *testing.T) { AxeCore(t) })
	t.Run("html-validate", func(t *testing.T) { HTMLValidate(t) })
	t.Run("hugo", func(t *testing.T) { Hugo(t) })
	t.Run("jekyll", func(t *testing.T) { Jekyll(t) })
	t.Run("pelican", func(t *testing.T) { Pelican(t) })
}
