package render

import (
	"bytes"
	"fmt"
	"html/template"
	"reflect"
	"sync"
	"sync/atomic"
)

// fragments is the template function cached: {{cached "NAME" VALUE}}
// shows what {{template "NAME" VALUE}} shows, executing the partial NAME
// (one defined in base.html or a _*.html file) once per build and VALUE,
// which must be a pointer (a *PostData): the post-summary card of a post
// on the index and on each of its tags' pages is made once. A partial
// given to cached must show what its value holds and nothing of the page
// it is on, which holds for anything it is given but a page's data.
//
// Outside a build (the production server's /tls/ page, made for each
// connection) cached executes the partial every time and keeps nothing.
type fragments struct {
	set      *template.Template // base.html and the partials
	made     sync.Map           // fragmentKey → template.HTML
	building atomic.Bool        // between start and stop
}

type fragmentKey struct {
	name string
	data any
}

// execute is the function cached.
func (f *fragments) execute(name string, data any) (template.HTML, error) {
	if v := reflect.ValueOf(data); v.Kind() != reflect.Pointer || v.IsNil() {
		return "", fmt.Errorf("cached %q: the value must be a pointer (a post), not %T", name, data)
	}
	key := fragmentKey{name, data}
	building := f.building.Load()
	if html, ok := f.made.Load(key); ok && building {
		return html.(template.HTML), nil
	}
	if f.set == nil || f.set.Lookup(name) == nil {
		return "", fmt.Errorf("cached %q: no such partial in base.html or the _*.html files", name)
	}
	var buf bytes.Buffer
	if err := f.set.ExecuteTemplate(&buf, name, data); err != nil {
		return "", err
	}
	html := template.HTML(buf.String())
	if building {
		f.made.Store(key, html)
	}
	return html, nil
}

// start begins a build: the partials it shows are kept until stop. The
// cache starts empty, as a build's values are not the last one's and a
// pointer may be reused for a post that changed.
func (f *fragments) start() {
	f.made.Clear()
	f.building.Store(true)
}

// stop ends a build and empties the cache.
func (f *fragments) stop() {
	f.building.Store(false)
	f.made.Clear()
}
