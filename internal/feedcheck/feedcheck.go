// Package feedcheck validates the feeds a built site publishes, for the
// end-to-end tests, with an independent implementation: Debian's
// python3-feedparser, the parser many feed readers are built on.
//
// Atom and RSS feeds are parsed by feedparser (validate.py, embedded here and
// run with the interpreter from testenv.Python). A feed is rejected when
// feedparser flags it (bozo: malformed XML, wrong encoding, ...), does not
// recognise its format, finds no feed title or no entries, or when an entry
// lacks a title, an absolute http(s) link, or a published/updated date that
// feedparser can parse.
//
// JSON Feed files are checked in Go instead: Debian 12's feedparser (6.0.10)
// has no JSON Feed support (it tries to parse them as XML and reports them as
// malformed). A file is taken to be a JSON Feed when its name ends in .json
// or its first non-blank byte is '{'. It must have version
// "https://jsonfeed.org/version/1.1", a title, and at least one item; each
// item needs a non-empty string id, an absolute http(s) url, content_html or
// content_text, and a date_published in RFC 3339.
package feedcheck

import (
	"bufio"
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

//go:embed validate.py
var script string

// Result describes one valid feed.
type Result struct {
	Path    string `json:"path"`
	Version string `json:"version"` // feedparser's name: "atom10", "rss20", ...; "json11" for JSON Feed 1.1
	Entries int    `json:"entries"`
	Title   string `json:"title"`
}

// report is one line of validate.py's output.
type report struct {
	Result
	Errors []string `json:"errors"`
}

// Validate parses each feed file with feedparser and returns an error naming every
// feed that feedparser flags (bozo) or that has no entries where entries were expected,
// with feedparser's message. files are absolute paths. python is the interpreter from testenv.Python.
// JSON Feed files are validated in Go (see the package comment).
func Validate(python string, files []string) error {
	_, err := Check(python, files)
	return err
}

// Check is Validate that also returns what it found in each feed, in the
// order of files, for tests that want to assert entry counts or titles.
// On error the results still hold the feeds that could be read.
func Check(python string, files []string) ([]Result, error) {
	results := make([]Result, len(files))
	reports := make([]*report, len(files))
	var xmlFiles []string
	var xmlIdx []int
	for i, f := range files {
		if isJSON(f) {
			reports[i] = checkJSONFile(f)
		} else {
			xmlFiles = append(xmlFiles, f)
			xmlIdx = append(xmlIdx, i)
		}
	}
	if len(xmlFiles) > 0 {
		rs, err := runPython(python, xmlFiles)
		if err != nil {
			return nil, err
		}
		for j, r := range rs {
			reports[xmlIdx[j]] = r
		}
	}
	var errs []error
	for i, r := range reports {
		results[i] = r.Result
		if len(r.Errors) > 0 {
			errs = append(errs, fmt.Errorf("feed %s is invalid: %s", files[i], strings.Join(r.Errors, "; ")))
		}
	}
	return results, errors.Join(errs...)
}

func runPython(python string, files []string) ([]*report, error) {
	if python == "" {
		return nil, errors.New("feedcheck: no python interpreter given")
	}
	cmd := exec.Command(python, append([]string{"-c", script}, files...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	runErr := cmd.Run()
	// Exit status 1 just means some feed is invalid: the JSON lines say which.
	var exitErr *exec.ExitError
	if runErr != nil && !(errors.As(runErr, &exitErr) && exitErr.ExitCode() == 1) {
		return nil, fmt.Errorf("feedcheck: %s validate.py: %v: %s", python, runErr, strings.TrimSpace(stderr.String()))
	}
	var out []*report
	sc := bufio.NewScanner(&stdout)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		r := new(report)
		if err := json.Unmarshal(line, r); err != nil {
			return nil, fmt.Errorf("feedcheck: bad output line from validate.py %q: %v", line, err)
		}
		out = append(out, r)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("feedcheck: reading validate.py output: %v", err)
	}
	if len(out) != len(files) {
		return nil, fmt.Errorf("feedcheck: validate.py reported %d feeds for %d files (stderr: %s)",
			len(out), len(files), strings.TrimSpace(stderr.String()))
	}
	for i, r := range out {
		if r.Path != files[i] {
			return nil, fmt.Errorf("feedcheck: validate.py reported %q where %q was expected", r.Path, files[i])
		}
	}
	return out, nil
}

// isJSON tells JSON Feed files from XML ones by name, else by first byte.
func isJSON(path string) bool {
	if strings.EqualFold(filepath.Ext(path), ".json") {
		return true
	}
	f, err := os.Open(path)
	if err != nil {
		return false // let feedparser report the unreadable file
	}
	defer f.Close()
	buf := make([]byte, 512)
	n, _ := f.Read(buf)
	b := bytes.TrimLeft(buf[:n], " \t\r\n\ufeff") // blanks and a UTF-8 BOM
	return len(b) > 0 && b[0] == '{'
}

// JSONFeedVersion is the only JSON Feed version accepted.
const JSONFeedVersion = "https://jsonfeed.org/version/1.1"

type jsonFeed struct {
	Version *string    `json:"version"`
	Title   *string    `json:"title"`
	Items   []jsonItem `json:"items"`
}

type jsonItem struct {
	ID            any     `json:"id"`
	URL           string  `json:"url"`
	Title         string  `json:"title"`
	ContentHTML   *string `json:"content_html"`
	ContentText   *string `json:"content_text"`
	DatePublished string  `json:"date_published"`
	DateModified  string  `json:"date_modified"`
}

func checkJSONFile(path string) *report {
	r := &report{Result: Result{Path: path}}
	data, err := os.ReadFile(path)
	if err != nil {
		r.Errors = append(r.Errors, "cannot read: "+err.Error())
		return r
	}
	r.Errors = checkJSON(data, &r.Result)
	return r
}

// checkJSON validates a JSON Feed document, filling in res, and returns the
// problems found.
func checkJSON(data []byte, res *Result) []string {
	var errs []string
	var f jsonFeed
	if err := json.Unmarshal(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), &f); err != nil {
		return []string{"JSON: " + err.Error()}
	}
	switch {
	case f.Version == nil:
		errs = append(errs, "no version")
	case *f.Version != JSONFeedVersion:
		errs = append(errs, fmt.Sprintf("version %q, want %q", *f.Version, JSONFeedVersion))
	default:
		res.Version = "json11"
	}
	if f.Title != nil {
		res.Title = *f.Title
	}
	if res.Title == "" {
		errs = append(errs, "feed has no title")
	}
	res.Entries = len(f.Items)
	if len(f.Items) == 0 {
		errs = append(errs, "feed has no entries")
	}
	for i, it := range f.Items {
		id, _ := it.ID.(string)
		name := fmt.Sprintf("item %d (%s)", i+1, id)
		if id == "" {
			name = fmt.Sprintf("item %d", i+1)
			errs = append(errs, name+" has no id (a non-empty string)")
		}
		if it.URL == "" {
			errs = append(errs, name+" has no url")
		} else if !absoluteHTTP(it.URL) {
			errs = append(errs, fmt.Sprintf("%s url %q is not an absolute http(s) URL", name, it.URL))
		}
		if (it.ContentHTML == nil || *it.ContentHTML == "") && (it.ContentText == nil || *it.ContentText == "") {
			errs = append(errs, name+" has neither content_html nor content_text")
		}
		if it.DatePublished == "" {
			errs = append(errs, name+" has no date_published")
		} else if _, err := time.Parse(time.RFC3339, it.DatePublished); err != nil {
			errs = append(errs, fmt.Sprintf("%s date_published %q is not RFC 3339", name, it.DatePublished))
		}
		if it.DateModified != "" {
			if _, err := time.Parse(time.RFC3339, it.DateModified); err != nil {
				errs = append(errs, fmt.Sprintf("%s date_modified %q is not RFC 3339", name, it.DateModified))
			}
		}
	}
	return errs
}

func absoluteHTTP(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
