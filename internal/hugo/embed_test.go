package hugo

import (
	"testing"

	"github.com/siteblog/site/internal/expand"
)

func TestEmbed(t *testing.T) {
	for _, tt := range []struct {
		call         expand.Call
		out          string
		markdown, ok bool
		err          bool
	}{
		{call: expand.Call{Name: "youtube", Named: map[string]string{"id": "dQw4w9WgXcQ"}},
			out: "<div class=\"video\">\n  <iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ\" title=\"YouTube Video\" allowfullscreen></iframe>\n</div>", ok: true},
		{call: expand.Call{Name: "youtube", Named: map[string]string{"id": "a1", "playlist": "PL1", "autoplay": "true", "class": "yt"}},
			out: "<div class=\"yt\">\n  <iframe src=\"https://www.youtube-nocookie.com/embed/a1?autoplay=1&amp;list=PL1\" title=\"YouTube Video\" allowfullscreen></iframe>\n</div>", ok: true},
		{call: expand.Call{Name: "vimeo", Named: map[string]string{"id": "124313553"}},
			out: "<div class=\"video\">\n  <iframe src=\"https://player.vimeo.com/video/124313553\" title=\"vimeo video\" webkitallowfullscreen mozallowfullscreen allowfullscreen></iframe>\n</div>", ok: true},
		{call: expand.Call{Name: "streamable", Named: map[string]string{"id": "92ok4", "class": "clip"}},
			out: "<div class=\"clip\">\n  <iframe src=\"https://streamable.com/e/92ok4\" title=\"Streamable video\" allowfullscreen></iframe>\n</div>", ok: true},
		{call: expand.Call{Name: "gist", Positional: []string{"Keats", "32d26f699dcc13ebd41b", "foo.rs"}},
			out: "[gist.github.com/Keats/32d26f699dcc13ebd41b (foo.rs)](https://gist.github.com/Keats/32d26f699dcc13ebd41b#file-foo-rs)", markdown: true, ok: true},
		{call: expand.Call{Name: "youtube", Named: map[string]string{"id": "bad id"}}, ok: true, err: true},
		{call: expand.Call{Name: "figure", Named: map[string]string{"src": "a.png"}}},
		{call: expand.Call{Name: "note"}},
	} {
		out, markdown, ok, err := Embed(tt.call)
		if out != tt.out || markdown != tt.markdown || ok != tt.ok || (err != nil) != tt.err {
			t.Errorf("Embed(%s %v %v) = %q, %v, %v, %v; want %q, %v, %v, error %v",
				tt.call.Name, tt.call.Named, tt.call.Positional, out, markdown, ok, err, tt.out, tt.markdown, tt.ok, tt.err)
		}
	}
}
