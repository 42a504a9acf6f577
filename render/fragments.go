package render

import (
	"bytes"
	"fmt"
	"html/template"
	"reflect"
	"sync"
	"sync/atomic"
	"text/template/parse"
)

// fragments is the template function cached: {{cached "NAME" VALUE}}
// shows what {{template "NAME" VALUE}} shows, executing the partial NAME
// (one defined in base.html or a _*.html file) once for each VALUE, which
// must be a pointer (a *PostData, the *SiteData): the post-summary card
// of a post on the index and on each of its tags' pages is made once,
// and so are the parts of every page that show the site alone. A
// partial given to cached must show what its value holds and nothing of
// the page it is on, which holds for anything it is given but a page's
// data.
//
// A partial's fragment of a post (a *PostData) is kept from build to
// build, by the key of what the partial can show of the post: the
// post's digest (postDigest: its metadata and its rendered body) where
// the partial may show the body (showsBody), its metadata key (postMeta)
// where it does not; with the key of the partials' sources and of the
// theme's words in the site's language, which the functions T and date
// show (the Renderer's, so the same for every build of a Renderer: a
// change to the theme, i18n/ or site.toml makes a new Renderer, and new
// fragments). So a preview's save executes the partial again for the
// posts whose shown data changed only, not for every post of every list
// page it makes again. The key covers what a partial can show of a post
// when its templates follow the post's data by its fields (the analysis
// of tagUseOf, postPartialUse: a post's tag counts are in its key where
// a template shows them) and call only the template functions, whose
// results depend on their arguments and the site's language alone. A
// partial that prints a value the analysis cannot follow, or passes one
// to a function, is not kept from build to build, nor is a fragment of
// any other value: those are made once per build and value, as a
// value's pointer may be reused for one that changed. Each post keeps
// one fragment per partial, that of its last key; a full build forgets
// those of posts gone and those made for another key (forget), so a
// preview's memory follows the site, not the number of saves.
//
// Outside a build (the production server's /tls/ page, made for each
// connection) cached executes the partial every time and uses nothing
// kept.
type fragments struct {
	set     *template.Template // base.html and the partials
	sources Key                // of base.html's and the partials' sources
	// uses says, of each partial, whether its fragments of a post are
	// kept from build to build and how they are keyed, and scope is the
	// key of what every fragment shows of the site: both are set by plan
	// and not changed after.
	uses  map[string]partialUse
	scope Key
	// kept are the fragments of posts, by partial and post, each with
	// the key it was made for.
	kept sync.Map // keptID → *keptFragment
	// made are this build's fragments of other values, by pointer.
	made     sync.Map    // fragmentKey → *madeFragment
	building atomic.Bool // between start and stop
	// runs counts the partials executed, and postRuns those of them
	// kept for a post, for tests.
	runs, postRuns atomic.Int64
}

// partialUse is how cached keeps a partial's fragments of a post: keyed
// (kept from build to build), and by the post's digest (body) or its
// metadata key.
type partialUse struct{ keyed, body bool }

// keptID names a fragment kept from build to build: the partial and the
// source path of the post, which names the post while it is one.
type keptID struct{ name, path string }

// keptFragment is a partial's fragment of a post, made once for the keys
// it holds: concurrent pages that show the post wait for one execution.
type keptFragment struct {
	scope, post Key
	once        sync.Once
	html        template.HTML
	err         error
}

type fragmentKey struct {
	name string
	data any
}

// plan decides, once the partials are parsed and before any executes
// (html/template's escaper adds to their trees), how each partial's
// fragments of posts are kept (see fragments). fm are the template
// functions; postTagCounts is whether posts' keys cover their tags'
// counts (PostData.tagCounts); words is the digest of the theme's words
// in the site's language (l10n.Catalog.Digest).
func (f *fragments) plan(fm template.FuncMap, postTagCounts bool, words Key) {
	lookup := func(name string) *parse.Tree {
		if t := f.set.Lookup(name); t != nil {
			return t.Tree
		}
		return nil
	}
	f.uses = map[string]partialUse{}
	for _, t := range f.set.Templates() {
		name := t.Name()
		if t.Tree == nil {
			continue
		}
		use, followed := postPartialUse(lookup, fm, name)
		f.uses[name] = partialUse{
			keyed: followed && !use.siteTags && (postTagCounts || !use.postTagCount),
			body:  showsBody(lookup, lookup, name),
		}
	}
	w := keyWriter{}
	w.key(f.sources)
	w.key(words)
	f.scope = w.sum()
}

// execute is the function cached.
func (f *fragments) execute(name string, data any) (template.HTML, error) {
	if v := reflect.ValueOf(data); v.Kind() != reflect.Pointer || v.IsNil() {
		return "", fmt.Errorf("cached %q: the value must be a pointer (a post), not %T", name, data)
	}
	if !f.building.Load() {
		return f.run(name, data)
	}
	if p, ok := data.(*PostData); ok && p.path != "" {
		if use := f.uses[name]; use.keyed {
			return f.post(name, p, use.body)
		}
	}
	// Made once, by the first page that asks: the site's parts are asked
	// for by every page at once when a build starts.
	key := fragmentKey{name, data}
	v, ok := f.made.Load(key)
	if !ok {
		v, _ = f.made.LoadOrStore(key, &madeFragment{})
	}
	m := v.(*madeFragment)
	m.once.Do(func() { m.html, m.err = f.run(name, data) })
	return m.html, m.err
}

// madeFragment is a partial's fragment of a value other than a post,
// made once in a build.
type madeFragment struct {
	once sync.Once
	html template.HTML
	err  error
}

// post returns the fragment of the partial name for the post p: the one
// kept from an earlier build when it was made for p's key, else one
// made now, which replaces it.
func (f *fragments) post(name string, p *PostData, body bool) (template.HTML, error) {
	id := keptID{name, p.path}
	key := postKey(p, body)
	for {
		v, ok := f.kept.Load(id)
		if ok {
			if k := v.(*keptFragment); k.scope == f.scope && k.post == key {
				return f.fragment(id, k, p)
			}
		}
		k := &keptFragment{scope: f.scope, post: key}
		if ok && f.kept.CompareAndSwap(id, v, k) {
			return f.fragment(id, k, p)
		}
		if !ok {
			if _, loaded := f.kept.LoadOrStore(id, k); !loaded {
				return f.fragment(id, k, p)
			}
		}
		// Another page of the build put it there meanwhile: look again.
	}
}

// fragment returns the fragment k of the post p, made by the first
// caller; one that fails is not kept.
func (f *fragments) fragment(id keptID, k *keptFragment, p *PostData) (template.HTML, error) {
	k.once.Do(func() {
		f.postRuns.Add(1)
		k.html, k.err = f.run(id.name, p)
	})
	if k.err != nil {
		f.kept.CompareAndDelete(id, k)
		return "", k.err
	}
	return k.html, nil
}

// postKey is the key of what a partial shows of p: its digest where it
// may show the body, else its metadata key.
func postKey(p *PostData, body bool) Key {
	if body {
		return p.digest()
	}
	return p.meta()
}

// run executes the partial name with data.
func (f *fragments) run(name string, data any) (template.HTML, error) {
	if f.set == nil || f.set.Lookup(name) == nil {
		return "", fmt.Errorf("cached %q: no such partial in base.html or the _*.html files", name)
	}
	f.runs.Add(1)
	var buf bytes.Buffer
	if err := f.set.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	return template.HTML(buf.String()), nil
}

// start begins a build: its fragments of other values than posts are
// kept until stop. They start empty, as a pointer may be reused for a
// value that changed.
func (f *fragments) start() {
	f.made.Clear()
	f.building.Store(true)
}

// stop ends a build and forgets its fragments of other values than
// posts.
func (f *fragments) stop() {
	f.building.Store(false)
	f.made.Clear()
}

// forget drops, after a full build, the fragments kept for posts that
// are gone (post returns the post of a source path, nil for none) and
// those made for another key than the post's: what is left is at most
// one fragment a post and partial.
func (f *fragments) forget(post func(path string) *PostData) {
	f.kept.Range(func(k, v any) bool {
		id, kept := k.(keptID), v.(*keptFragment)
		if p := post(id.path); p == nil || kept.scope != f.scope || kept.post != postKey(p, f.uses[id.name].body) {
			f.kept.Delete(k)
		}
		return true
	})
}
