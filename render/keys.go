package render

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"text/template/parse"
	"time"
)

// keyWriter encodes the data a file is made from for its key: every value
// length-prefixed or fixed-size, so different data never encodes the same.
// It is written by hand, not with reflection, because a preview computes
// the keys of every page of the site after each save; TestKeysCoverData
// fails when the template data gains a field this encoding misses.
type keyWriter struct{ buf []byte }

func (w *keyWriter) int(n int) { w.buf = binary.LittleEndian.AppendUint64(w.buf, uint64(n)) }

func (w *keyWriter) bool(b bool) { w.buf = append(w.buf, boolByte(b)) }

func (w *keyWriter) str(s string) {
	w.int(len(s))
	w.buf = append(w.buf, s...)
}

func (w *keyWriter) key(k Key) { w.buf = append(w.buf, k[:]...) }

// time writes the instant and the zone, both of which templates can show.
func (w *keyWriter) time(t time.Time) {
	name, offset := t.Zone()
	w.int(int(t.UnixNano()))
	w.bool(t.IsZero())
	w.str(name)
	w.int(offset)
}

func (w *keyWriter) link(l *Link) {
	w.bool(l != nil)
	if l != nil {
		w.str(l.Title)
		w.str(l.URL)
	}
}

func (w *keyWriter) image(i *Image) {
	w.bool(i != nil)
	if i != nil {
		w.str(i.URL)
		w.str(i.Alt)
	}
}

func (w *keyWriter) tag(t *TagData) {
	w.bool(t != nil)
	if t != nil {
		w.str(t.Name)
		w.str(t.URL)
		w.str(t.FeedURL)
		w.int(t.Count)
	}
}

// paramsText is front matter parameters (and site.toml's [params]) as
// keys write them: every value with its type, tables by their sorted
// keys. %#v alone would not do: it writes int64(1) and float64(1) alike
// ("1"), and a time in a zone of an offset only (a TOML date-time
// "…+01:00") as time.Location(""), which templates tell apart
// ({{printf "%.1f" .Params.rating}}, {{.Params.when}}).
func paramsText(m map[string]any) string {
	var b strings.Builder
	writeParam(&b, m)
	return b.String()
}

// writeParam writes v, a value of front matter as read (string, bool,
// int64, float64, time.Time, toml.Local*, []any, map[string]any, nil),
// so that values that differ in what a template can show of them
// write differently.
func writeParam(b *strings.Builder, v any) {
	switch v := v.(type) {
	case map[string]any:
		if v == nil {
			b.WriteString("map(nil)")
			return
		}
		b.WriteString("map{")
		for _, k := range slices.Sorted(maps.Keys(v)) {
			b.WriteString(strconv.Quote(k))
			b.WriteByte(':')
			writeParam(b, v[k])
			b.WriteByte(',')
		}
		b.WriteByte('}')
	case []any:
		if v == nil {
			b.WriteString("list(nil)")
			return
		}
		b.WriteString("list[")
		for _, e := range v {
			writeParam(b, e)
			b.WriteByte(',')
		}
		b.WriteByte(']')
	case time.Time:
		name, offset := v.Zone()
		fmt.Fprintf(b, "time(%s %q %d %q)", v.Format(time.RFC3339Nano), name, offset, v.Location())
	default: // nil, and scalars: their type, and their value in Go syntax
		fmt.Fprintf(b, "%T(%#v)", v, v)
	}
}

func (w *keyWriter) sum() Key { return sha256.Sum256(w.buf) }

// postMeta is the key of what a page may show of a post apart from its
// rendered body.
func postMeta(p *PostData) Key {
	var buf [512]byte
	w := keyWriter{buf[:0]}
	w.str(p.Title)
	w.str(p.URL)
	w.str(p.Permalink)
	w.time(p.Date)
	w.time(p.Updated)
	w.bool(p.Draft)
	w.str(p.Author.Name)
	w.str(p.Author.Email)
	w.int(len(p.Authors))
	for _, a := range p.Authors {
		w.str(a.Name)
		w.str(a.Email)
	}
	w.bool(p.Params != nil)
	if p.params != "" {
		w.str(p.params) // prepared once per version of the source
	} else {
		w.str(paramsText(p.Params))
	}
	w.image(p.Image)
	w.int(len(p.Tags))
	for _, t := range p.Tags {
		w.str(t.Name)
		w.str(t.URL)
		w.str(t.FeedURL)
		if p.tagCounts { // only where a template may show them (tagUse)
			w.int(t.Count)
		}
	}
	w.int(p.ReadingMinutes)
	w.bool(p.showTOC)
	w.link(p.Prev)
	w.link(p.Next)
	return w.sum()
}

// postDigest is the key of everything a page may show of a post: its
// metadata and its rendered body (Summary, Content).
func postDigest(p *PostData) Key {
	var buf [2 * len(Key{})]byte
	w := keyWriter{buf[:0]}
	w.key(p.meta())
	w.key(p.key)
	return w.sum()
}

// pageKey is the key of a page: the site's shared inputs, its template,
// its data, and (standing for the posts it shows) their digests. Where
// the kind's templates never show a post's Summary or Content, listed
// posts stand in by their metadata only, so editing a post's text does
// not remake, say, the archive.
func (b *builder) pageKey(name string, d *PageData) Key {
	n := len(d.Posts)
	for _, y := range d.Years {
		n += len(y.Posts)
	}
	w := keyWriter{make([]byte, 0, 1024+len(Key{})*n)}
	w.key(b.siteKey)
	if b.tagUse[d.Kind].siteTags {
		w.key(b.tagsKey)
	}
	w.str(name)
	w.key(b.tmplKeys[d.Kind])
	w.str(d.Kind)
	w.str(d.Title)
	w.str(d.Description)
	w.str(d.URL)
	w.str(d.Permalink)
	w.image(d.Image)
	w.str(d.FeedURL)
	listed := func(p *PostData) Key { return p.digest() }
	if !b.tmplBody[d.Kind] {
		listed = func(p *PostData) Key { return p.meta() }
	}
	w.bool(d.Post != nil)
	if d.Post != nil {
		w.key(d.Post.digest())
	}
	w.int(len(d.Posts))
	for _, p := range d.Posts {
		w.key(listed(p))
	}
	w.bool(d.Pager != nil)
	if pg := d.Pager; pg != nil {
		w.int(pg.Number)
		w.int(pg.Total)
		w.str(pg.Prev)
		w.str(pg.Next)
		w.int(len(pg.Pages))
		for _, l := range pg.Pages {
			w.int(l.Number)
			w.str(l.URL)
			w.bool(l.Current)
			w.bool(l.Gap)
		}
	}
	w.tag(d.Tag)
	w.int(len(d.Years))
	for _, y := range d.Years {
		w.int(y.Year)
		w.int(len(y.Posts))
		w.key(b.yearDigest(d.Kind, y, listed)) // of its posts' keys (archive.go)
	}
	return w.sum()
}

// cachedPrefix marks, in showsBody, the name of a partial that cached
// executes.
const cachedPrefix = "cached "

// bodyFields are the PostData methods that show a post's rendered body.
var bodyFields = map[string]bool{"Summary": true, "Content": true, "TOC": true}

// showsBody reports whether executing the template name of set, or any
// template it invokes, may show a post's rendered body: whether any of
// them names a field or method in bodyFields. It errs towards true.
//
// lookup finds the templates of the set; lookupCached the partials that
// the template function cached executes, which are those of base.html and
// the _*.html files even where a page kind's file redefines them.
func showsBody(lookup, lookupCached func(name string) *parse.Tree, name string) bool {
	seen := map[string]bool{}
	var visit func(n parse.Node) bool
	branch := func(b *parse.BranchNode) bool { return visit(b.Pipe) || visit(b.List) || visit(b.ElseList) }
	idents := func(ids []string) bool {
		for _, id := range ids {
			if bodyFields[id] {
				return true
			}
		}
		return false
	}
	tree := func(name string) bool {
		if seen[name] {
			return false
		}
		seen[name] = true
		t := lookup(name)
		if cached, ok := strings.CutPrefix(name, cachedPrefix); ok {
			t = lookupCached(cached)
		}
		if t == nil || t.Root == nil {
			return false // executing it fails; it shows nothing
		}
		return visit(t.Root)
	}
	visit = func(n parse.Node) bool {
		switch n := n.(type) {
		case nil:
			return false
		case *parse.ListNode:
			if n == nil {
				return false
			}
			for _, c := range n.Nodes {
				if visit(c) {
					return true
				}
			}
		case *parse.ActionNode:
			return visit(n.Pipe)
		case *parse.PipeNode:
			if n == nil {
				return false
			}
			for _, c := range n.Cmds {
				if visit(c) {
					return true
				}
			}
		case *parse.CommandNode:
			if fn, ok := n.Args[0].(*parse.IdentifierNode); ok && fn.Ident == "cached" {
				// {{cached "NAME" VALUE}} executes the partial NAME.
				if len(n.Args) < 2 {
					return true
				}
				name, ok := n.Args[1].(*parse.StringNode)
				if !ok {
					return true // a partial this check cannot name: assume it does
				}
				if tree(cachedPrefix + name.Text) {
					return true
				}
			}
			for _, a := range n.Args {
				if visit(a) {
					return true
				}
			}
		case *parse.FieldNode:
			return idents(n.Ident)
		case *parse.ChainNode:
			return idents(n.Field) || visit(n.Node)
		case *parse.VariableNode:
			return idents(n.Ident)
		case *parse.IfNode:
			return branch(&n.BranchNode)
		case *parse.RangeNode:
			return branch(&n.BranchNode)
		case *parse.WithNode:
			return branch(&n.BranchNode)
		case *parse.TemplateNode:
			return visit(n.Pipe) || tree(n.Name)
		case *parse.TextNode, *parse.CommentNode, *parse.BoolNode, *parse.NumberNode,
			*parse.StringNode, *parse.NilNode, *parse.DotNode, *parse.IdentifierNode,
			*parse.BreakNode, *parse.ContinueNode:
			return false
		default:
			return true // a node this check does not know: assume it does
		}
		return false
	}
	return tree(name)
}
