package liquid

import (
	"reflect"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/osteele/liquid"
	yaml "gopkg.in/yaml.v2"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
)

// TestEngineOrderedMap holds github.com/osteele/liquid to what this
// package relies on: a yaml.MapSlice (gopkg.in/yaml.v2) iterates as
// [key, value] pairs in its order, with for's modifiers, and its keys
// are looked up as a map's. If the engine changes, every hash of
// site.tags, site.data or a front matter mapping would lose Jekyll's
// order or its lookups; this fails first.
func TestEngineOrderedMap(t *testing.T) {
	h := yaml.MapSlice{
		{Key: "zebra", Value: []any{"a", "b"}},
		{Key: "apple", Value: []any{"c"}},
		{Key: "Kiwi", Value: []any{}},
		{Key: "mango", Value: "m"},
	}
	tests := []struct{ src, want string }{
		{`{% for p in h %}{{ p[0] }}:{{ p[1].size }} {% endfor %}`, "zebra:2 apple:1 Kiwi:0 mango:1 "},
		{`{% for p in h reversed %}{{ p[0] }} {% endfor %}`, "mango Kiwi apple zebra "},
		{`{% for p in h offset: 1 limit: 2 %}{{ p[0] }} {% endfor %}`, "apple Kiwi "},
		{`{% for p in h %}{{ forloop.index }}{% if forloop.last %}.{% endif %}{% endfor %}`, "1234."},
		{`{% tablerow p in h cols: 2 %}{{ p[0] }}{% endtablerow %}`, `<tr class="row1"><td class="col1">zebra</td><td class="col2">apple</td></tr><tr class="row2"><td class="col1">Kiwi</td><td class="col2">mango</td></tr>`},
		{`{{ h.zebra | join: "," }} {{ h["apple"] | first }} {{ h.mango }}`, "a,b c m"},
		{`{% assign k = "Kiwi" %}{{ h[k] | size }}|{{ h.pear }}|`, "0||"},
		{`{{ h.size }} {{ h | size }}`, "4 4"},
		{`{% if h contains "apple" %}yes{% endif %}{% if h contains "pear" %}no{% endif %}`, "yes"},
		{`{% if h %}set{% endif %}{% if h.pear %}no{% endif %}`, "set"},
	}
	e := liquid.NewEngine()
	for _, tt := range tests {
		t.Run(tt.src, func(t *testing.T) {
			got, err := e.ParseAndRenderString(tt.src, map[string]any{"h": h})
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

// TestHashFilters: Jekyll's filters given a hash.
func TestHashFilters(t *testing.T) {
	files := map[string]string{
		"site.toml": "title = \"T\"\nbase_url = \"https://example.org/\"\n" +
			"[author]\nname = \"Ann\"\nemail = \"ann@example.org\"\n" +
			"[params.social]\nzulu = \"z\"\nalpha = \"a\"\n[params.social.nested]\nb = 1\na = 2\n" +
			"[[params.menu]]\nname = \"Home\"\nurl = \"/\"\n",
		"content/posts/2016-07-26-a.md": "---\ntitle: A\ntags: [web, go]\nlinks: {zulu: /z/, alpha: /a/}\n" +
			"items:\n- {name: one, id: 1}\n- name: two\n  id: 2\n---\nA\n",
		"content/posts/2017-01-02-b.md": "---\ntitle: B\ntags: [go, <b>]\n---\nB\n",
	}
	tests := []struct{ in, want string }{
		{`{% assign s = site.tags | sort %}{% for t in s %}{{ t[0] }}={{ t[1] | map: "title" | join: "," }} {% endfor %}`, "<b>=B go=B,A web=A "},
		{`{% for t in site.tags %}{{ t[0] }} {% endfor %}`, "web go <b> "},
		{`{{ site.tags | where: "title", "A" | size }}`, "0"},
		{`{{ page.links | where: "x", "y" | size }} {{ page.links | sort | jsonify }}`, `0 [["alpha","/a/"],["zulu","/z/"]]`},
		{`{{ page.links | jsonify }} {{ page.links | inspect }}`, `{"zulu":"/z/","alpha":"/a/"} {&quot;zulu&quot;:&quot;/z/&quot;,&quot;alpha&quot;:&quot;/a/&quot;}`},
		{`{{ page.links | json }}`, `{"zulu":"/z/","alpha":"/a/"}`},
		{`{% for i in page.items %}{% for p in i %}{{ p[0] }}={{ p[1] }} {% endfor %}{% endfor %}`, "name=one id=1 name=two id=2 "},
		{`{% for p in site.posts.last.links %}{{ p[0] }} {% endfor %}`, "zulu alpha "},
		{`{% for p in site.social %}{{ p[0] }} {% endfor %}{{ site.social.nested | jsonify }}`, `alpha nested zulu {"a":2,"b":1}`},
		{`{{ site.menu | jsonify }} {{ site.menu.first.name }}`, `[{"name":"Home","url":"/"}] Home`},
		{`{{ site.author | jsonify }} {{ site.author.name }}`, `{"name":"Ann","email":"ann@example.org"} Ann`},
		{`{{ jekyll | jsonify }}`, `{"environment":"production","version":"4.3.1"}`},
		{`{% assign g = site.posts | group_by: "title" %}{{ g | map: "name" | join: "," }} {{ g.first | jsonify | slice: 0, 22 }} {% for p in g.last %}{{ p[0] }} {% endfor %}`, `B,A {"name":"B","items":[{ name items size `},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			doc := expandString(t, files, tt.in)
			if got := string(doc.Src); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
			if len(doc.Warnings) > 0 {
				t.Errorf("warnings: %v", doc.Warnings)
			}
		})
	}
}

func TestDecodeOrderedJSON(t *testing.T) {
	tests := []struct {
		in   string
		want any
	}{
		{`{"b": 1, "a": {"d": [true, null, "x"], "c": {}}}`, yaml.MapSlice{
			{Key: "b", Value: 1.0},
			{Key: "a", Value: yaml.MapSlice{{Key: "d", Value: []any{true, nil, "x"}}, {Key: "c", Value: yaml.MapSlice{}}}},
		}},
		{`{"b": 1, "a": 2, "b": 3}`, yaml.MapSlice{{Key: "b", Value: 3.0}, {Key: "a", Value: 2.0}}},
		{`[]`, []any{}},
		{` "s" `, "s"},
	}
	for _, tt := range tests {
		got, err := decodeOrderedJSON([]byte(tt.in))
		if err != nil {
			t.Errorf("%s: %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: got %#v, want %#v", tt.in, got, tt.want)
		}
	}
	for _, bad := range []string{`{"a": }`, `{"a": 1} 2`, `[1,`, ``} {
		if v, err := decodeOrderedJSON([]byte(bad)); err == nil {
			t.Errorf("%q: no error, got %#v", bad, v)
		}
	}
}

func TestSortedValue(t *testing.T) {
	in := map[string]any{
		"b": []any{map[string]any{"y": 1, "x": 2}},
		"a": []map[string]any{{"q": 1, "p": 2}},
		"c": yaml.MapSlice{{Key: "z", Value: map[string]any{"n": 1, "m": 2}}},
	}
	want := yaml.MapSlice{
		{Key: "a", Value: []any{yaml.MapSlice{{Key: "p", Value: 2}, {Key: "q", Value: 1}}}},
		{Key: "b", Value: []any{yaml.MapSlice{{Key: "x", Value: 2}, {Key: "y", Value: 1}}}},
		{Key: "c", Value: yaml.MapSlice{{Key: "z", Value: yaml.MapSlice{{Key: "m", Value: 2}, {Key: "n", Value: 1}}}}},
	}
	if got := sortedValue(in); !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	for _, v := range []any{"s", 1, nil, []any{"a"}, []byte("x")} {
		if got := sortedValue(v); !reflect.DeepEqual(got, v) {
			t.Errorf("%#v: changed to %#v", v, got)
		}
	}
}

func TestOrderedFrontMatter(t *testing.T) {
	src := "---\ntitle: T\nLinks: {b: 1, a: 2}\nlinks: {z: 0}\nlist: [x, y]\nitems:\n- {d: 1, c: 2}\n---\nbody\n"
	want := map[string]any{
		"links": yaml.MapSlice{{Key: "b", Value: uint64(1)}, {Key: "a", Value: uint64(2)}},
		"items": []any{yaml.MapSlice{{Key: "d", Value: uint64(1)}, {Key: "c", Value: uint64(2)}}},
	}
	if got := orderedFrontMatter([]byte(src)); !reflect.DeepEqual(got, want) {
		t.Errorf("got %#v\nwant %#v", got, want)
	}
	for _, bad := range []string{"no front matter", "---\na: [\n---\n", "---\na: {b: 1}\n"} {
		if got := orderedFrontMatter([]byte(bad)); got != nil {
			t.Errorf("%q: got %#v, want nil", bad, got)
		}
	}
}

// TestSiteUpdated: a post saved in the preview changes the site in place
// (content.Loader.Update); site.tags and site.posts follow it.
func TestSiteUpdated(t *testing.T) {
	fsys := fstest.MapFS{
		"site.toml":                     {Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\n")},
		"content/posts/2016-07-26-a.md": {Data: []byte("---\ntitle: A\ntags: [go]\n---\n{% for t in site.tags %}{{ t[0] }}={{ t[1] | map: \"title\" | join: \",\" }} {% endfor %}\n")},
		"content/posts/2017-01-02-b.md": {Data: []byte("---\ntitle: B\ntags: [web]\n---\nB\n")},
	}
	cfg, err := content.LoadConfig(fsys, "")
	if err != nil {
		t.Fatal(err)
	}
	loader := content.NewLoader(fsys, content.Options{Now: time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)})
	site, err := loader.Load(cfg)
	if err != nil {
		t.Fatal(err)
	}
	expandA := func() string {
		env := &fakeEnv{fsys: fsys, site: site}
		for _, p := range site.Posts {
			if p.Title == "A" {
				env.page = p
			}
		}
		doc := &expand.Doc{Src: append([]byte{}, env.page.Body...)}
		Expand(doc, env)
		return strings.TrimSpace(string(doc.Src))
	}
	if got, want := expandA(), "go=A web=B"; got != want {
		t.Fatalf("before: got %q, want %q", got, want)
	}
	fsys["content/posts/2017-01-02-b.md"] = &fstest.MapFile{Data: []byte("---\ntitle: B2\ntags: [web, go]\n---\nB\n")}
	if _, ok := loader.Update(site, "content/posts/2017-01-02-b.md"); !ok {
		t.Fatal("the site was not updated in place")
	}
	if got, want := expandA(), "go=B2,A web=B2"; got != want {
		t.Errorf("after the save: got %q, want %q", got, want)
	}
}
