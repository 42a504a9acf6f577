package render

import (
	"html/template"
	"reflect"
	"text/template/parse"
	"time"
)

// tagUse is what a page kind's templates may show of the site's tags,
// beyond a page's own tag (PageData.Tag): the site's list of tags
// (SiteData.Tags, with their counts), and the count of posts of a tag
// that a post carries (PostData.Tags[i].Count). Keys leave out what no
// template shows, so that a post that takes a tag off remakes the pages
// that show it, not every page of the site.
type tagUse struct {
	siteTags     bool
	postTagCount bool
}

// tagUseOf finds, by following the values of each template of the kind
// from "base" (executed with a *PageData) by their Go types, what it may
// show of the site's tags. It errs towards showing: a value of a type it
// cannot follow, printed, or passed to a function other than the
// built-in ones that only compare or count, may show everything.
//
// {{cached "name" .}} is followed as {{template "name" .}}, into partials,
// the templates looked up by partial.
func tagUseOf(lookup, partial func(name string) *parse.Tree, fm template.FuncMap) tagUse {
	a := &tagAnalysis{lookup: lookup, partial: partial, fm: fm, seen: map[tagVisit]bool{}}
	a.template("base", absVal{t: reflect.TypeFor[*PageData]()})
	return a.use
}

// postPartialUse follows the partial name of the partials lookup finds
// (those cached executes), executed with a *PostData, as tagUseOf
// follows a page kind's templates: it returns what the partial may show
// of the site's tags, and whether the analysis followed all it may
// show (a value printed or passed to a function other than the
// built-in ones that compare or count is plain data; nothing is of a
// type the analysis cannot follow). The fragments of a partial it
// followed show of the post only what the post's data holds, which the
// post's keys cover (keys.go).
func postPartialUse(lookup func(name string) *parse.Tree, fm template.FuncMap, name string) (use tagUse, followed bool) {
	a := &tagAnalysis{lookup: lookup, partial: lookup, fm: fm, seen: map[tagVisit]bool{}}
	a.template(name, absVal{t: postDataType})
	return a.use, !a.opaque
}

// absVal is a template value as the analysis follows it: its type (nil
// when not known), whether it is, or holds, tags of a post, and whether
// it is, or is part of, a post's front matter parameters
// (PostData.Params): plain data as read (strings, numbers, booleans,
// times, lists and tables of them), which hold no tags and which a
// post's key covers whole, whatever is shown of it.
type absVal struct {
	t       reflect.Type
	postTag bool
	param   bool
}

type tagVisit struct {
	tree *parse.Tree
	dot  absVal
}

type tagAnalysis struct {
	lookup  func(string) *parse.Tree
	partial func(string) *parse.Tree // the templates cached executes
	fm      template.FuncMap
	seen    map[tagVisit]bool
	use     tagUse
	opaque  bool // whether unknown was called
}

// unknown makes the analysis assume the worst.
func (a *tagAnalysis) unknown() { a.use, a.opaque = tagUse{true, true}, true }

var (
	siteDataType = reflect.TypeFor[*SiteData]()
	tagDataType  = reflect.TypeFor[*TagData]()
	postDataType = reflect.TypeFor[*PostData]()
	pageDataType = reflect.TypeFor[*PageData]()
	timeType     = reflect.TypeFor[time.Time]()
)

func (a *tagAnalysis) template(name string, dot absVal) {
	t := a.lookup(name)
	if t == nil || t.Root == nil {
		return
	}
	v := tagVisit{t, dot}
	if a.seen[v] {
		return
	}
	a.seen[v] = true
	a.list(t.Root, dot, map[string]absVal{"$": dot})
}

func (a *tagAnalysis) list(l *parse.ListNode, dot absVal, vars map[string]absVal) {
	if l == nil {
		return
	}
	for _, n := range l.Nodes {
		a.node(n, dot, vars)
	}
}

// scope copies vars, for a block whose declarations end with it.
func scope(vars map[string]absVal) map[string]absVal {
	c := make(map[string]absVal, len(vars))
	for k, v := range vars {
		c[k] = v
	}
	return c
}

func (a *tagAnalysis) node(n parse.Node, dot absVal, vars map[string]absVal) {
	switch n := n.(type) {
	case *parse.ActionNode:
		v := a.pipe(n.Pipe, dot, vars)
		if len(n.Pipe.Decl) == 0 {
			a.printed(v)
		}
	case *parse.IfNode:
		inner := scope(vars)
		a.pipe(n.Pipe, dot, inner)
		a.list(n.List, dot, inner)
		a.list(n.ElseList, dot, scope(vars))
	case *parse.WithNode:
		inner := scope(vars)
		v := a.pipe(n.Pipe, dot, inner)
		a.list(n.List, v, inner)
		a.list(n.ElseList, dot, scope(vars))
	case *parse.RangeNode:
		inner := scope(vars)
		v := a.pipeOf(n.Pipe, dot, inner, false) // the declarations are the key and element, below
		elem := a.elem(v)
		switch len(n.Pipe.Decl) {
		case 1:
			inner[n.Pipe.Decl[0].Ident[0]] = elem
		case 2:
			key := absVal{t: reflect.TypeFor[int]()}
			if v.t != nil && v.t.Kind() == reflect.Map {
				key = absVal{t: v.t.Key()}
			} else if v.param && (v.t == nil || v.t.Kind() == reflect.Interface) {
				key = absVal{param: true}
			} else if v.t == nil {
				key = absVal{}
			}
			inner[n.Pipe.Decl[0].Ident[0]] = key
			inner[n.Pipe.Decl[1].Ident[0]] = elem
		}
		a.list(n.List, elem, inner)
		a.list(n.ElseList, dot, scope(vars))
	case *parse.TemplateNode:
		v := dot
		if n.Pipe == nil {
			v = absVal{t: reflect.TypeFor[any]()} // executed with nil
		} else {
			v = a.pipe(n.Pipe, dot, vars)
		}
		a.template(n.Name, v)
	case *parse.ListNode:
		a.list(n, dot, vars)
	case *parse.TextNode, *parse.CommentNode, *parse.BreakNode, *parse.ContinueNode:
	default:
		a.unknown()
	}
}

// elem is the value of an element of v, ranged over.
func (a *tagAnalysis) elem(v absVal) absVal {
	if v.t == nil || v.t.Kind() == reflect.Interface {
		return absVal{param: v.param}
	}
	switch v.t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return absVal{t: v.t.Elem(), postTag: v.postTag, param: v.param}
	case reflect.Int, reflect.Int64:
		return absVal{t: v.t}
	}
	return absVal{}
}

// printed notes that v is written into the page: a value that is not
// plain data may show anything of itself.
func (a *tagAnalysis) printed(v absVal) {
	if !shownPlain(v) {
		a.unknown()
	}
}

// shownPlain reports whether v, printed or passed to a function, shows
// nothing of the site's tags and nothing its post's key does not cover.
func shownPlain(v absVal) bool { return v.param || plainType(v.t) }

// plainType reports whether a value of type t, printed or passed to a
// function, shows nothing of the site's tags.
func plainType(t reflect.Type) bool {
	if t == nil {
		return false
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return true
	}
	return t == timeType
}

func (a *tagAnalysis) pipe(p *parse.PipeNode, dot absVal, vars map[string]absVal) absVal {
	return a.pipeOf(p, dot, vars, true)
}

// pipeOf is the value of a pipeline; with declare, its variables are
// declared in vars.
func (a *tagAnalysis) pipeOf(p *parse.PipeNode, dot absVal, vars map[string]absVal, declare bool) absVal {
	if p == nil {
		return absVal{}
	}
	var v absVal
	for i, c := range p.Cmds {
		var final *absVal
		if i > 0 {
			final = &v
		}
		v = a.command(c, dot, vars, final)
	}
	if declare {
		for _, d := range p.Decl {
			if p.IsAssign {
				// An assignment may reach a variable of an enclosing
				// scope, whose copy here would miss it: its value is
				// then not known.
				if !shownPlain(v) {
					a.unknown()
				}
			}
			vars[d.Ident[0]] = v
		}
	}
	return v
}

// safeFuncs are the built-in functions that compare or count their
// arguments and show nothing of them; index and slice give parts of
// them, which the analysis follows.
var safeFuncs = map[string]bool{"eq": true, "ne": true, "lt": true, "le": true, "gt": true, "ge": true, "len": true, "not": true}

func (a *tagAnalysis) command(c *parse.CommandNode, dot absVal, vars map[string]absVal, final *absVal) absVal {
	if len(c.Args) == 0 {
		return absVal{}
	}
	args := c.Args[1:]
	argVals := func() []absVal {
		var vs []absVal
		for _, arg := range args {
			vs = append(vs, a.arg(arg, dot, vars))
		}
		if final != nil {
			vs = append(vs, *final)
		}
		return vs
	}
	switch first := c.Args[0].(type) {
	case *parse.IdentifierNode:
		if s, ok := firstArg(args); ok && first.Ident == "cached" && len(args) == 2 && final == nil {
			// {{cached "partial" .}}: the partial, executed with the value.
			lookup := a.lookup
			a.lookup = a.partial
			a.template(s, a.arg(args[1], dot, vars))
			a.lookup = lookup
			return absVal{t: reflect.TypeFor[template.HTML]()}
		}
		vs := argVals()
		switch first.Ident {
		case "index":
			if len(vs) > 0 {
				v := vs[0]
				for range vs[1:] {
					v = a.elem(v)
				}
				return v
			}
			return absVal{}
		case "slice":
			if len(vs) > 0 {
				return vs[0]
			}
			return absVal{}
		case "and", "or": // one of its arguments
			if len(vs) == 0 {
				return absVal{}
			}
			v := vs[0]
			for _, w := range vs[1:] {
				if w.t != v.t {
					return absVal{}
				}
				v.postTag = v.postTag || w.postTag
			}
			return v
		}
		if !safeFuncs[first.Ident] {
			for _, v := range vs {
				if !shownPlain(v) {
					a.unknown()
				}
			}
		}
		if f, ok := a.fm[first.Ident]; ok {
			if ft := reflect.TypeOf(f); ft.Kind() == reflect.Func && ft.NumOut() > 0 {
				return absVal{t: ft.Out(0)}
			}
		}
		if safeFuncs[first.Ident] {
			return absVal{t: reflect.TypeFor[bool]()}
		}
		return absVal{}
	default:
		v := a.arg(first, dot, vars)
		for _, arg := range argVals() {
			if !shownPlain(arg) {
				a.unknown() // a method called with arguments
			}
		}
		return v
	}
}

// firstArg is the first of args when it is a string constant.
func firstArg(args []parse.Node) (string, bool) {
	if len(args) == 0 {
		return "", false
	}
	s, ok := args[0].(*parse.StringNode)
	if !ok {
		return "", false
	}
	return s.Text, true
}

// arg is the value of one operand.
func (a *tagAnalysis) arg(n parse.Node, dot absVal, vars map[string]absVal) absVal {
	switch n := n.(type) {
	case *parse.DotNode:
		return dot
	case *parse.FieldNode:
		return a.fields(dot, n.Ident)
	case *parse.VariableNode:
		v, ok := vars[n.Ident[0]]
		if !ok {
			return absVal{}
		}
		return a.fields(v, n.Ident[1:])
	case *parse.ChainNode:
		return a.fields(a.arg(n.Node, dot, vars), n.Field)
	case *parse.PipeNode:
		return a.pipe(n, dot, scope(vars))
	case *parse.StringNode:
		return absVal{t: reflect.TypeFor[string]()}
	case *parse.NumberNode:
		return absVal{t: reflect.TypeFor[int]()}
	case *parse.BoolNode:
		return absVal{t: reflect.TypeFor[bool]()}
	case *parse.NilNode:
		return absVal{}
	}
	a.unknown()
	return absVal{}
}

// fields follows the fields or methods ids from v.
func (a *tagAnalysis) fields(v absVal, ids []string) absVal {
	for _, id := range ids {
		v = a.field(v, id)
	}
	return v
}

func (a *tagAnalysis) field(v absVal, id string) absVal {
	switch {
	case v.param && (v.t == nil || v.t.Kind() == reflect.Interface):
		return absVal{param: true} // a key of a table, or a method of a time
	case v.t == nil || v.t.Kind() == reflect.Interface:
		if id == "Tags" || id == "Count" {
			a.unknown()
		}
		return absVal{}
	case v.t == siteDataType && id == "Tags":
		a.use.siteTags = true
	case v.t == tagDataType && id == "Count" && v.postTag:
		a.use.postTagCount = true
	case v.t == pageDataType && id == "StructuredData":
		// The JSON-LD, made by cards.go: of the tags, the post's names.
		return absVal{t: reflect.TypeFor[string]()}
	}
	if m, ok := v.t.MethodByName(id); ok {
		if m.Type.NumOut() == 0 {
			return absVal{}
		}
		return absVal{t: m.Type.Out(0)}
	}
	t := v.t
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		f, ok := t.FieldByName(id)
		if !ok {
			return absVal{}
		}
		return absVal{t: f.Type, postTag: v.postTag || (v.t == postDataType && id == "Tags"), param: v.t == postDataType && id == "Params"}
	case reflect.Map:
		return absVal{t: t.Elem(), postTag: v.postTag, param: v.param}
	}
	return absVal{}
}
