package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/siteblog/site/internal/testenv"
)

// a11ySite is serve's accessibility fixture (tables with every alignment,
// task lists, footnotes, listings with line numbers), relative to this
// package.
const a11ySite = "../../serve/testdata/a11ysite"

// htmlValidateConfig is the html-validate configuration of
// TestMarkupValid: html-validate:recommended, no rule turned off, and
// three settings that say what the theme and renderer write on purpose:
//
//   - align on <td> and <th> is not deprecated (values left, center,
//     right; any other value and every other deprecated attribute still
//     fail). Markdown table alignment is written as align attributes
//     because a style attribute breaks the strict Content-Security-Policy
//     (style-src without 'unsafe-inline') and feed readers honour align
//     but strip style (render/doc.go).
//   - doctype-style requires the lowercase <!doctype html> that every page
//     starts with: the doctype is case-insensitive in HTML, and the rule
//     still catches a page that differs from the others.
//   - valid-id is relaxed to HTML's own rule (not empty, no whitespace):
//     goldmark's footnote IDs are fn:1 and fnref:1, valid in HTML though
//     not as CSS identifiers.
const htmlValidateConfig = "testdata/htmlvalidate.json"

// hvResult is one file of html-validate's JSON report (--formatter json).
type hvResult struct {
	FilePath string `json:"filePath"`
	Messages []struct {
		RuleID   string `json:"ruleId"`
		Severity int    `json:"severity"`
		Message  string `json:"message"`
		Line     int    `json:"line"`
		Column   int    `json:"column"`
	} `json:"messages"`
}

// TestMarkupValid builds the example site and the accessibility fixture
// with the current code and checks every HTML file of both outputs (posts,
// pages, lists, tags, archive, 404.html, /search/ and the alias and page/1
// redirect pages) with html-validate in one run: any error or warning
// fails the test, as file:line:column rule message.
func TestMarkupValid(t *testing.T) {
	node := testenv.Node(t)
	cli := testenv.HTMLValidate(t)
	config, err := filepath.Abs(htmlValidateConfig)
	if err != nil {
		t.Fatal(err)
	}

	sites := []struct {
		name, src string
		// want are pages that must be among those checked, so that the
		// test cannot pass by finding no files.
		want []string
	}{
		{"examples/blog", exampleSite, []string{
			"index.html", "404.html", "search/index.html", "archive/index.html",
			"tags/index.html", "tags/basics/index.html", "about/index.html",
			"old/getting-started.html", "page/1/index.html", "page/2/index.html",
			"2024/12/writing-code-listings/index.html",
		}},
		{"serve/testdata/a11ysite", a11ySite, []string{
			"index.html", "404.html", "search/index.html",
			"2024/03/tables-task-lists-and-footnotes/index.html",
		}},
	}
	root := t.TempDir()
	var files []string
	label := map[string]string{} // absolute path -> site/relative path
	for i, s := range sites {
		out := filepath.Join(root, fmt.Sprint(i))
		buildOK(t, "-s", s.src, "-o", out, "--no-cache")
		var pages []string
		for rel := range readTree(t, out) {
			if strings.HasSuffix(rel, ".html") {
				pages = append(pages, rel)
			}
		}
		for _, w := range s.want {
			if !slices.Contains(pages, w) {
				t.Errorf("%s: built no %s", s.name, w)
			}
		}
		slices.Sort(pages)
		for _, rel := range pages {
			p := filepath.Join(out, filepath.FromSlash(rel))
			files = append(files, p)
			label[p] = s.name + "/" + rel
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	// The report goes to a file, not a pipe: Node's process.exit, which
	// the command line calls when done, cuts output to a pipe short at
	// 64 KiB, and the report holds each file's source.
	report, err := os.Create(filepath.Join(root, "report.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer report.Close()
	args := append([]string{cli, "--config", config, "--formatter", "json"}, files...)
	cmd := exec.Command(node, args...)
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = report, &stderr
	runErr := cmd.Run()
	var exit *exec.ExitError
	if runErr != nil && !errors.As(runErr, &exit) {
		t.Fatalf("running html-validate: %v", runErr)
	}
	out, err := os.ReadFile(report.Name())
	if err != nil {
		t.Fatal(err)
	}
	var results []hvResult
	if err := json.Unmarshal(out, &results); err != nil {
		t.Fatalf("html-validate (%v) gave no JSON report: %v\nstderr:\n%s", runErr, err, stderr.String())
	}

	problems := 0
	for _, r := range results {
		name := label[r.FilePath]
		if name == "" {
			name = r.FilePath
		}
		for _, m := range r.Messages {
			problems++
			kind := "error"
			if m.Severity < 2 {
				kind = "warning"
			}
			t.Errorf("%s:%d:%d: %s %s: %s", name, m.Line, m.Column, kind, m.RuleID, m.Message)
		}
	}
	// html-validate exits 1 with errors in its report; any other failure
	// (a bad configuration, a crash) leaves the report empty.
	if runErr != nil && problems == 0 {
		t.Fatalf("html-validate failed (%v) without reporting a problem\nstderr:\n%s", runErr, stderr.String())
	}
	t.Logf("html-validate checked %d HTML files: %d problems", len(files), problems)
}
