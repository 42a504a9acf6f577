package goblog

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// excerpt is the part of a code file that {{code}} or {{play}} shows.
type excerpt struct {
	text string
	// hl is the "// HLxxx" tag whose lines are highlighted; "" for none.
	hl string
	// number is the line number shown beside the first line, 0 for none.
	number int
}

// locate selects the lines of a code file that a {{code}} or {{play}}
// call asks for, as golang.org/x/website's internal/web does: an optional
// last argument "HLxxx" names the highlighted lines, an optional int
// before it numbers the lines (0: from the excerpt's first line); then no
// argument means the whole file, one argument one line, two arguments a
// range. A line argument is a number or "/regexp/" (the first matching
// line; for the end, the first after the start), or "$" (the end of the
// file). Lines ending in "OMIT" are left out, blank lines at both ends
// trimmed and tabs replaced by four spaces.
func locate(verb, file string, body string, args []any) (excerpt, error) {
	var ex excerpt
	if len(args) > 0 {
		if s, ok := args[len(args)-1].(string); ok && strings.HasPrefix(s, "HL") {
			ex.hl = s
			args = args[:len(args)-1]
		}
	}
	number := 0
	if len(args) > 0 {
		if n, ok := toInt(args[len(args)-1]); ok {
			if n == 0 {
				n = -1
			}
			number = n
			args = args[:len(args)-1]
		}
	}
	lines := strings.SplitAfter(body, "\n")
	var text string
	// start numbers the excerpt's first line when a 0 argument asks for
	// it: go.dev uses its 0-based index (as if a first "OMIT" line, most
	// files' "// +build OMIT", were not there); 0 shows no numbers.
	start := 1
	switch len(args) {
	case 0:
		filterOmit(lines)
		text = strings.Join(lines, "")
	case 1:
		line, err := lineArg(file, args[0], lines, 0)
		if err != nil {
			return ex, err
		}
		filterOmit(lines)
		text, start = lines[line-1], line-1
	case 2:
		line1, err := lineArg(file, args[0], lines, 0)
		if err != nil {
			return ex, err
		}
		line2, err := lineArg(file, args[1], lines, line1)
		if err != nil {
			return ex, err
		}
		if line2 < line1 {
			return ex, fmt.Errorf("lines out of order for %q: %d %d", file, line1, line2)
		}
		filterOmit(lines)
		text, start = strings.Join(lines[line1-1:line2], ""), line1-1
	default:
		return ex, fmt.Errorf("incorrect code invocation: %s %q [%v, ...] (%d arguments)", verb, file, args[0], len(args))
	}
	if number == -1 {
		number = start
	}
	ex.number = number
	text = strings.Trim(text, "\n")
	if text != "" {
		text += "\n"
	}
	ex.text = strings.ReplaceAll(text, "\t", "    ")
	return ex, nil
}

// lineArg reads a line argument: a number (1-based), "$" or "/regexp/".
// A pattern end is searched from line start+1 on.
func lineArg(file string, arg any, lines []string, start int) (int, error) {
	if n, ok := toInt(arg); ok {
		if n <= 0 || n > len(lines) {
			return 0, fmt.Errorf("%q:%d is out of range", file, n)
		}
		return n, nil
	}
	pattern, ok := arg.(string)
	if !ok {
		return 0, fmt.Errorf("unrecognized argument %v type %T", arg, arg)
	}
	if pattern == "$" {
		if len(lines) == 0 {
			return 0, fmt.Errorf("%q: empty file", file)
		}
		return len(lines), nil
	}
	if len(pattern) > 2 && pattern[0] == '/' && pattern[len(pattern)-1] == '/' {
		re, err := regexp.Compile("(?m)" + pattern[1:len(pattern)-1])
		if err != nil {
			return 0, err
		}
		for i := start; i < len(lines); i++ {
			if re.MatchString(lines[i]) {
				return i + 1, nil
			}
		}
		return 0, fmt.Errorf("%s: no match for %#q", file, pattern)
	}
	return 0, fmt.Errorf("unrecognized pattern: %q", pattern)
}

// filterOmit empties the lines ending in "OMIT".
func filterOmit(lines []string) {
	for i, s := range lines {
		if strings.HasSuffix(s, "OMIT\n") {
			lines[i] = ""
		}
	}
}

// hlComment is x/tools/present's highlighting comment at the end of a line.
var hlComment = regexp.MustCompile(`(?m)\s*(.+)(\s+// (HL[a-zA-Z0-9_]*))$`)

// highlight removes the "// HLxxx" comments of text when hl is set, and
// returns the 1-based numbers of the lines whose comment is hl. Trailing
// spaces are trimmed from every line, as go.dev's formatter does.
func highlight(text, hl string) (string, []int) {
	lines := strings.SplitAfter(text, "\n")
	var marked []int
	for i, line := range lines {
		if hl != "" {
			if m := hlComment.FindStringSubmatchIndex(line); m != nil {
				if line[m[6]:m[7]] == hl {
					marked = append(marked, i+1)
				}
				line = line[:m[4]] + line[m[5]:]
			}
		}
		nl := strings.HasSuffix(line, "\n")
		line = strings.TrimRight(strings.TrimSuffix(line, "\n"), " \t")
		if nl {
			line += "\n"
		}
		lines[i] = line
	}
	return strings.Join(lines, ""), marked
}

// toInt reads an integer template argument.
func toInt(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(n), true
	case float64:
		if n == float64(int(n)) {
			return int(n), true
		}
	}
	return 0, false
}

// listingInfo is the info string of a listing of file: its language from
// the file's extension, highlighted lines and first line number.
func listingInfo(file string, marked []int, number int) string {
	lang := ""
	if i := strings.LastIndexByte(file, '.'); i >= 0 && !strings.Contains(file[i:], "/") {
		lang = strings.ToLower(file[i+1:])
	}
	var attrs []string
	if len(marked) > 0 {
		nums := make([]string, len(marked))
		for i, n := range marked {
			nums[i] = strconv.Itoa(n)
		}
		attrs = append(attrs, "hl_lines=["+strings.Join(nums, ",")+"]")
	}
	if number > 0 {
		attrs = append(attrs, "linenos=true", "linenostart="+strconv.Itoa(number))
	}
	if len(attrs) == 0 {
		return lang
	}
	if lang == "" {
		lang = "text"
	}
	return lang + " {" + strings.Join(attrs, ", ") + "}"
}
