package goblog

import (
	"reflect"
	"strings"
	"testing"
)

const sample = `// +build OMIT

package main

func main() {
	// START OMIT
	a := 1 // HL
	b := 2 // HLb
	// STOP OMIT
	println(a, b)
}
`

func TestLocate(t *testing.T) {
	tests := []struct {
		name   string
		args   []any
		text   string
		hl     string
		number int
		err    string
	}{
		{"whole file", nil, "package main\n\nfunc main() {\n    a := 1 // HL\n    b := 2 // HLb\n    println(a, b)\n}\n", "", 0, ""},
		{"whole file numbered", []any{0}, "package main\n\nfunc main() {\n    a := 1 // HL\n    b := 2 // HLb\n    println(a, b)\n}\n", "", 1, ""},
		{"one line by pattern", []any{"/println/"}, "    println(a, b)\n", "", 0, ""},
		{"one line by number", []any{5, 0}, "func main() {\n", "", 4, ""},
		{"a last number numbers the lines", []any{5}, "package main\n\nfunc main() {\n    a := 1 // HL\n    b := 2 // HLb\n    println(a, b)\n}\n", "", 5, ""},
		{"range", []any{"/START/", "/STOP/"}, "    a := 1 // HL\n    b := 2 // HLb\n", "", 0, ""},
		{"range numbered", []any{"/func main/", "$", 0}, "func main() {\n    a := 1 // HL\n    b := 2 // HLb\n    println(a, b)\n}\n", "", 4, ""},
		{"range with HL", []any{"/func main/", "/^}/", "HLb"}, "func main() {\n    a := 1 // HL\n    b := 2 // HLb\n    println(a, b)\n}\n", "HLb", 0, ""},
		{"end searched after start", []any{"/func/", "/main/"}, "", "", 0, "no match"},
		{"no match", []any{"/nothing/"}, "", "", 0, "no match for `/nothing/`"},
		{"out of range", []any{99, 0}, "", "", 0, "out of range"},
		{"out of order", []any{6, 5, 0}, "", "", 0, "out of order"},
		{"bad pattern", []any{"main"}, "", "", 0, "unrecognized pattern"},
		{"too many", []any{1, 2, 3, 4}, "", "", 0, "incorrect code invocation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ex, err := locate("code", "x.go", sample, tt.args)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if ex.text != tt.text || ex.hl != tt.hl || ex.number != tt.number {
				t.Errorf("got %q hl=%q number=%d, want %q hl=%q number=%d", ex.text, ex.hl, ex.number, tt.text, tt.hl, tt.number)
			}
		})
	}
}

func TestHighlight(t *testing.T) {
	text := "a := 1 // HL\nb := 2 // HLb\nc := 3   \n"
	tests := []struct {
		hl     string
		text   string
		marked []int
	}{
		{"HL", "a := 1\nb := 2\nc := 3\n", []int{1}},
		{"HLb", "a := 1\nb := 2\nc := 3\n", []int{2}},
		{"", "a := 1 // HL\nb := 2 // HLb\nc := 3\n", nil},
	}
	for _, tt := range tests {
		got, marked := highlight(text, tt.hl)
		if got != tt.text || !reflect.DeepEqual(marked, tt.marked) {
			t.Errorf("highlight(%q) = %q %v, want %q %v", tt.hl, got, marked, tt.text, tt.marked)
		}
	}
}

func TestListingInfo(t *testing.T) {
	tests := []struct {
		file   string
		marked []int
		number int
		want   string
	}{
		{"a/main.go", nil, 0, "go"},
		{"a/main.go", []int{2, 4}, 0, "go {hl_lines=[2,4]}"},
		{"a/main.go", nil, 10, "go {linenos=true, linenostart=10}"},
		{"a/Makefile", []int{1}, 0, "text {hl_lines=[1]}"},
		{"a.d/README", nil, 0, ""},
		{"x.PY", nil, 0, "py"},
	}
	for _, tt := range tests {
		if got := listingInfo(tt.file, tt.marked, tt.number); got != tt.want {
			t.Errorf("listingInfo(%q, %v, %d) = %q, want %q", tt.file, tt.marked, tt.number, got, tt.want)
		}
	}
}

func TestScanActions(t *testing.T) {
	tests := []struct {
		src  string
		want []string
	}{
		{"a {{x}} b {{y}}", []string{"{{x}}", "{{y}}"}},
		{"{{raw `}}\n`}} c", []string{"{{raw `}}\n`}}"}},
		{`{{"}}" | f}}`, []string{`{{"}}" | f}}`}},
		{`{{'}'}}`, []string{`{{'}'}}`}},
		{"{{/* }} */}} {{- x -}}", []string{"{{/* }} */}}", "{{- x -}}"}},
		{"open {{if x", []string{"{{if x"}},
		{"no actions { } }}", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, a := range scanActions([]byte(tt.src)) {
			got = append(got, tt.src[a.start:a.end])
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("scanActions(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestCandidates(t *testing.T) {
	tests := []struct {
		page, name string
		sections   []string
		want       []string
	}{
		{"content/posts/a.md", "a/main.go", nil, []string{"content/posts/a/main.go"}},
		{"content/posts/a/index.md", "x.png", nil, []string{"content/posts/a/x.png"}},
		{"content/posts/a.md", "/blog/a/x.png", nil, []string{"content/blog/a/x.png", "content/posts/blog/a/x.png", "content/posts/a/x.png"}},
		{"content/blog/a.md", "/x.png", []string{"blog", "news"}, []string{"content/x.png", "content/blog/x.png", "content/news/x.png"}},
	}
	for _, tt := range tests {
		if got := candidates(tt.page, tt.name, tt.sections); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("candidates(%q, %q) = %q, want %q", tt.page, tt.name, got, tt.want)
		}
	}
}
