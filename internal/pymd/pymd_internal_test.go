package pymd

import (
	"strings"
	"testing"
)

func TestHeader(t *testing.T) {
	tests := []struct {
		line                 string
		match, shebang, path bool
		lang, hl             string
	}{
		{":::python", true, false, false, "python", ""},
		{"::python", true, false, false, "python", ""},
		{":python", false, false, false, "", ""},
		{"#!python", true, true, false, "python", ""},
		{"#!/usr/bin/python", true, true, true, "python", ""},
		{"#!/usr/bin/env python", true, true, true, "python", ""},
		{":::c++", true, false, false, "c++", ""},
		{":::objective-c hl_lines=\"1 3\"", true, false, false, "objective-c", "1 3"},
		{"#!ruby hl_lines='2'", true, true, false, "ruby", "2"},
		{":::", true, false, false, "", ""},
		{" :::python", false, false, false, "", ""},
		{"x = 1 #!", false, false, false, "", ""},
	}
	for _, tt := range tests {
		m := header.FindStringSubmatch(tt.line)
		if (m != nil) != tt.match {
			t.Errorf("%q: match = %v, want %v", tt.line, m != nil, tt.match)
			continue
		}
		if m == nil {
			continue
		}
		if shebang, path, lang, hl := m[1] != "", m[2] != "", m[3], m[4]+m[5]; shebang != tt.shebang || path != tt.path || lang != tt.lang || hl != tt.hl {
			t.Errorf("%q: shebang=%v path=%v lang=%q hl=%q, want %v %v %q %q", tt.line, shebang, path, lang, hl, tt.shebang, tt.path, tt.lang, tt.hl)
		}
	}
}

func TestInfo(t *testing.T) {
	tests := []struct {
		lang    string
		shebang bool
		hl      string
		want    string
	}{
		{"python", false, "", "python"},
		{"python", true, "", "python {linenos=true}"},
		{"ruby", false, "1 3", "ruby {hl_lines=[1,3]}"},
		{"", true, "x 2", "text {hl_lines=[2], linenos=true}"},
		{"", false, "", ""},
	}
	for _, tt := range tests {
		if got := info(tt.lang, tt.shebang, tt.hl); got != tt.want {
			t.Errorf("info(%q, %v, %q) = %q, want %q", tt.lang, tt.shebang, tt.hl, got, tt.want)
		}
	}
}

// TestNest follows the examples of Python-Markdown's nest_toc_tokens.
func TestNest(t *testing.T) {
	tests := []struct {
		levels []int
		want   string
	}{
		{[]int{1, 2}, "1(2)"},
		{[]int{2, 1}, "2 1"},
		{[]int{1, 2, 3, 2, 1}, "1(2(3) 2) 1"},
		{[]int{2, 3, 4, 1, 2}, "2(3(4)) 1(2)"},
		{[]int{3, 1, 2}, "3 1(2)"},
		{[]int{1, 3, 2}, "1(3 2)"},
		{nil, ""},
	}
	for _, tt := range tests {
		var list []tocEntry
		for _, l := range tt.levels {
			list = append(list, tocEntry{level: l})
		}
		if got := shape(nest(list)); got != tt.want {
			t.Errorf("nest(%v) = %q, want %q", tt.levels, got, tt.want)
		}
	}
}

func shape(entries []*tocEntry) string {
	var parts []string
	for _, e := range entries {
		s := string(rune('0' + e.level))
		if len(e.children) > 0 {
			s += "(" + shape(e.children) + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, " ")
}

func TestApplies(t *testing.T) {
	for src, want := range map[string]bool{
		"plain text":                         false,
		"a {{< hugo >}} shortcode":           false,
		"    :::python\n    x":               true,
		"[TOC]":                              true,
		"[a]({filename}b.md)":                true,
		"[a](|filename|b.md)":                true,
		"![a]({static}/x.png)":               true,
		"    #!/bin/sh":                      true,
		"- item\n\n        :::go\n        x": true,
		"```bash\n#!/usr/bin/env bash\n```":  false,
		"a ::: b":                            false,
	} {
		if got := Applies([]byte(src)); got != want {
			t.Errorf("Applies(%q) = %v, want %v", src, got, want)
		}
	}
}
