package content

import (
	"fmt"
	"sort"
	"strings"
)

// An Error is a problem with one input file, at a line where one is known.
type Error struct {
	Path string // slash-separated, relative to the site directory
	Line int    // 1-based; 0 when the problem concerns the whole file
	Err  error
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %v", e.Path, e.Line, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Path, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Errors is every problem found while loading a site, sorted by file and line.
// Loading does not stop at the first bad file, so a writer sees them all.
type Errors []*Error

func (list Errors) Error() string {
	lines := make([]string, len(list))
	for i, e := range list {
		lines[i] = e.Error()
	}
	return strings.Join(lines, "\n")
}

// Unwrap lets errors.Is and errors.As look at every problem.
func (list Errors) Unwrap() []error {
	errs := make([]error, len(list))
	for i, e := range list {
		errs[i] = e
	}
	return errs
}

func (list Errors) sort() {
	sort.SliceStable(list, func(i, j int) bool {
		if list[i].Path != list[j].Path {
			return list[i].Path < list[j].Path
		}
		return list[i].Line < list[j].Line
	})
}

// errorf returns an *Error for path at line.
func errorf(path string, line int, format string, args ...any) *Error {
	return &Error{Path: path, Line: line, Err: fmt.Errorf(format, args...)}
}
