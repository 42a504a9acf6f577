package enginetest

import (
	"fmt"
	"maps"
	"reflect"
	"slices"
	"sort"
	"strings"
)

// Fields are the names of the compared fields, in report order.
var Fields = []string{"url", "day", "title", "authors", "tags", "listings", "elements", "syntax", "images", "links", "aliases", "resolves"}

// Result is the comparison of site's build with the original's.
type Result struct {
	// Posts is the number of the original's posts; Match of them came
	// out alike on every compared field.
	Posts, Match int
	// Fields counts, per field, the posts alike on it.
	Fields map[string]int
	// Diffs has one line per post that differs, naming the post's source
	// and each field that differs with both values, then one line per
	// post that only site published.
	Diffs []string
}

// Summary is one line: "3 of 5 posts match (url 5, day 4, …)".
func (r *Result) Summary() string {
	var parts []string
	for _, f := range Fields {
		if n, ok := r.Fields[f]; ok {
			parts = append(parts, fmt.Sprintf("%s %d", f, n))
		}
	}
	return fmt.Sprintf("%d of %d posts match (%s)", r.Match, r.Posts, strings.Join(parts, ", "))
}

// resolveLinks turns the posts' local link targets into Links (a post's
// Source, or the canonical URL path of anything else) and collects each
// post's aliases from the output's redirect pages. The posts' Sources
// must be known.
func (o *Output) resolveLinks() {
	bySrc := map[string]*Post{}
	byURL := map[string]*Post{}
	for _, p := range o.Posts {
		byURL[canon(p.URL)] = p
		p.Links, p.Aliases = nil, nil
	}
	for _, p := range o.Posts {
		bySrc[p.Source] = p
		for _, t := range p.links {
			if q := byURL[canon(t)]; q != nil && q.Source != "" {
				p.Links = append(p.Links, q.Source)
			} else {
				p.Links = append(p.Links, canon(t))
			}
		}
		sort.Strings(p.Links)
	}
	for from, to := range o.Aliases {
		if p := byURL[canon(to)]; p != nil {
			p.Aliases = append(p.Aliases, from)
		}
	}
	for _, p := range o.Posts {
		sort.Strings(p.Aliases)
	}
}

// Compare matches each wanted post with one of site's output (by URL,
// else by the canonical form of the URL, else by a title no other post
// has) and compares them field by field.
func Compare(want []*Post, got *Output) *Result {
	r := &Result{Posts: len(want), Fields: map[string]int{}}
	byURL := map[string]*Post{}
	byCanon := map[string]*Post{}
	byTitle := map[string][]*Post{}
	for _, g := range got.Posts {
		byURL[g.URL] = g
		byCanon[canon(g.URL)] = g
		byTitle[g.Title] = append(byTitle[g.Title], g)
	}
	used := map[*Post]bool{}
	pairs := make([]*Post, len(want))
	for i, w := range want {
		g := byURL[w.URL]
		if g == nil || used[g] {
			g = byCanon[canon(w.URL)]
		}
		if g == nil || used[g] {
			if ts := byTitle[w.Title]; len(ts) == 1 && !used[ts[0]] {
				g = ts[0]
			} else {
				g = nil
			}
		}
		if g != nil {
			used[g] = true
			g.Source = w.Source
		}
		pairs[i] = g
	}
	got.resolveLinks()
	partial := false
	for i, w := range want {
		g := pairs[i]
		if g == nil {
			r.Diffs = append(r.Diffs, fmt.Sprintf("%s: not published by site (want %s %q)", w.Source, w.URL, w.Title))
			continue
		}
		var diffs []string
		check := func(field string, a, b any) {
			if reflect.DeepEqual(a, b) {
				r.Fields[field]++
				return
			}
			diffs = append(diffs, fmt.Sprintf("%s: want %s, got %s", field, show(a), show(b)))
		}
		check("url", w.URL, g.URL)
		check("day", w.Day, g.Day)
		check("title", w.Title, g.Title)
		check("authors", nonNil(w.Authors), nonNil(g.Authors))
		if w.Partial {
			partial = true
		} else {
			// The same names, each with a page of its own.
			if reflect.DeepEqual(nonNil(w.Tags), nonNil(g.Tags)) && len(g.clash) == 0 {
				r.Fields["tags"]++
			} else {
				diffs = append(diffs, fmt.Sprintf("tags: want %s, got %s%s", show(nonNil(w.Tags)), show(nonNil(g.Tags)), strings.Join(append([]string{""}, g.clash...), "; ")))
			}
			// Every listing, and at least the original's highlighting
			// (the Go blog highlights none; site may do better).
			if w.Code == g.Code && g.Listings >= w.Listings {
				r.Fields["listings"]++
			} else {
				diffs = append(diffs, fmt.Sprintf("listings: want %d (%d highlighted), got %d (%d highlighted)", w.Code, w.Listings, g.Code, g.Listings))
			}
			check("elements", nonNilMap(w.Elements), nonNilMap(g.Elements))
			check("syntax", w.Syntax, g.Syntax)
			check("images", nonNil(w.Images), nonNil(g.Images))
			check("links", nonNil(w.Links), nonNil(g.Links))
			check("aliases", nonNil(w.Aliases), nonNil(g.Aliases))
		}
		check("resolves", []string{}, nonNil(g.broken))
		if len(diffs) == 0 {
			r.Match++
			continue
		}
		r.Diffs = append(r.Diffs, fmt.Sprintf("%s (%s): %s", w.Source, w.URL, strings.Join(diffs, "; ")))
	}
	if partial {
		for _, f := range []string{"tags", "listings", "elements", "syntax", "images", "links", "aliases"} {
			delete(r.Fields, f)
		}
	}
	var extra []string
	for _, g := range got.Posts {
		if !used[g] {
			extra = append(extra, fmt.Sprintf("site published a post the original has not: %s %q", g.URL, g.Title))
		}
	}
	sort.Strings(extra)
	r.Diffs = append(r.Diffs, extra...)
	return r
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func nonNilMap(m map[string]int) map[string]int {
	if m == nil {
		return map[string]int{}
	}
	return m
}

func show(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case []string:
		return fmt.Sprintf("%q", v)
	case map[string]int:
		keys := slices.Sorted(maps.Keys(v))
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = fmt.Sprintf("%s:%d", k, v[k])
		}
		return "{" + strings.Join(parts, " ") + "}"
	}
	return fmt.Sprint(v)
}
