package hugo

import (
	"bytes"
	"image"
	_ "image/gif" // DecodeConfig of the images a bundle may hold
	_ "image/jpeg"
	_ "image/png"
	"mime"
	"path"
	"strings"
	"sync"

	"github.com/siteblog/site/internal/expand"
)

// Resource is a file of the page's bundle, as shortcode templates see it
// (.Page.Resources.Get "a.png"). Images are published as they are: the
// image methods (Resize, Fit, Fill, Crop, Process, Filter) give the image
// itself, so a template that makes a smaller copy shows the original.
type Resource struct {
	// Name is the file's path relative to the bundle directory.
	Name string
	// RelPermalink is its URL path, Permalink its absolute URL.
	RelPermalink, Permalink string
	// MediaType is its MIME type ("image/png"); ResourceType the part
	// before the slash ("image").
	MediaType, ResourceType string

	file string // in the site directory
	env  expand.Env
	once sync.Once
	w, h int
}

// Title is the resource's name, as Hugo's default.
func (r *Resource) Title() string { return r.Name }

// Width and Height are an image's size in pixels (GIF, JPEG, PNG), else 0.
func (r *Resource) Width() int  { r.size(); return r.w }
func (r *Resource) Height() int { r.size(); return r.h }

func (r *Resource) size() {
	r.once.Do(func() {
		data, err := r.env.ReadFile(r.file)
		if err != nil {
			return
		}
		if c, _, err := image.DecodeConfig(bytes.NewReader(data)); err == nil {
			r.w, r.h = c.Width, c.Height
		}
	})
}

// Content is the file's content.
func (r *Resource) Content() (string, error) {
	data, err := r.env.ReadFile(r.file)
	return string(data), err
}

// Resize, Fit, Fill, Crop, Process and Filter give the image unchanged.
func (r *Resource) Resize(spec string) *Resource  { return r }
func (r *Resource) Fit(spec string) *Resource     { return r }
func (r *Resource) Fill(spec string) *Resource    { return r }
func (r *Resource) Crop(spec string) *Resource    { return r }
func (r *Resource) Process(spec string) *Resource { return r }
func (r *Resource) Filter(filters ...any) *Resource {
	return r
}

// Resources are the files of a page bundle.
type Resources []*Resource

// Get returns the resource named name, or nil.
func (rs Resources) Get(name string) *Resource {
	name = strings.TrimPrefix(path.Clean("/"+name), "/")
	for _, r := range rs {
		if strings.EqualFold(r.Name, name) {
			return r
		}
	}
	return nil
}

// GetMatch returns the first resource whose name matches the glob
// pattern (path.Match, without regard to case), or nil.
func (rs Resources) GetMatch(pattern string) *Resource {
	if m := rs.Match(pattern); len(m) > 0 {
		return m[0]
	}
	return nil
}

// Match returns the resources whose names match the glob pattern.
func (rs Resources) Match(pattern string) Resources {
	var out Resources
	pattern = strings.ToLower(strings.TrimPrefix(pattern, "/"))
	for _, r := range rs {
		name := strings.ToLower(r.Name)
		if ok, _ := path.Match(pattern, name); ok || pattern == "**" {
			out = append(out, r)
		} else if ok, _ := path.Match(pattern, path.Base(name)); ok && strings.HasPrefix(pattern, "**") {
			out = append(out, r)
		}
	}
	return out
}

// ByType returns the resources of a type ("image").
func (rs Resources) ByType(t string) Resources {
	var out Resources
	for _, r := range rs {
		if r.ResourceType == t {
			out = append(out, r)
		}
	}
	return out
}

// Resources are the files of the page's bundle.
func (p *Page) Resources() Resources {
	p.resourcesOnce.Do(func() {
		pg := p.env.Page()
		if pg == nil {
			return
		}
		dir := path.Dir(pg.Path)
		base := pg.URL
		if !strings.HasSuffix(base, "/") {
			base = path.Dir(base) + "/"
		}
		for _, f := range pg.Resources {
			name := strings.TrimPrefix(f, dir+"/")
			mt := mime.TypeByExtension(path.Ext(name))
			if i := strings.IndexByte(mt, ';'); i >= 0 {
				mt = mt[:i]
			}
			typ, _, _ := strings.Cut(mt, "/")
			p.resources = append(p.resources, &Resource{
				Name: name, RelPermalink: relURL(p.env, base+name), Permalink: absURL(p.env, base+name),
				MediaType: mt, ResourceType: typ, file: f, env: p.env,
			})
		}
	})
	return p.resources
}
