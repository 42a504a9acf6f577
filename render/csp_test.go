package render

import (
	"net/url"
	"testing"
)

func TestPolicyMatches(t *testing.T) {
	self, _ := url.Parse("https://example.org/blog/")
	tests := []struct {
		source, url string
		want        bool
	}{
		{"'self'", "https://example.org/x.png", true},
		{"'self'", "https://EXAMPLE.org:443/x.png", true},
		{"'self'", "http://example.org/x.png", false},
		{"'self'", "https://www.example.org/x.png", false},
		{"'none'", "https://example.org/x.png", false},
		{"*", "https://any.example/x", true},
		{"*", "data:image/png;base64,AA", false},
		{"https:", "https://any.example/x", true},
		{"http:", "https://any.example/x", true},
		{"https:", "http://any.example/x", false},
		{"data:", "data:image/png;base64,AA", true},
		{"https://www.youtube.com", "https://www.youtube.com/embed/x", true},
		{"https://www.youtube.com", "https://youtube.com/embed/x", false},
		{"https://www.youtube.com", "http://www.youtube.com/embed/x", false},
		{"http://www.youtube.com", "https://www.youtube.com/embed/x", true},
		{"www.youtube.com", "https://www.youtube.com/embed/x", true},
		{"www.youtube.com", "http://www.youtube.com/embed/x", true},
		{"https://*.vimeo.com", "https://player.vimeo.com/video/1", true},
		{"https://*.vimeo.com", "https://vimeo.com/video/1", false},
		{"https://media.example:8443", "https://media.example:8443/a.mp3", true},
		{"https://media.example:8443", "https://media.example/a.mp3", false},
		{"https://media.example:*", "https://media.example:9/a.mp3", true},
		{"https://cdn.example/img/", "https://cdn.example/img/a.png", true},
		{"https://cdn.example/img/", "https://cdn.example/js/a.js", false},
		{"https://cdn.example/img/a.png", "https://cdn.example/img/a.png", true},
		{"https://cdn.example/img/a.png", "https://cdn.example/img/b.png", false},
		{"'unsafe-inline'", "https://example.org/x", false},
	}
	p := parsePolicy("default-src 'self'", self)
	for _, tt := range tests {
		u, err := url.Parse(tt.url)
		if err != nil {
			t.Fatal(err)
		}
		if got := p.matches(tt.source, u); got != tt.want {
			t.Errorf("%s matches %s: %v, want %v", tt.source, tt.url, got, tt.want)
		}
	}
}

func TestPolicyDirectives(t *testing.T) {
	self, _ := url.Parse("https://example.org/")
	p := parsePolicy("default-src 'self'; child-src https://frames.example; script-src 'self' 'unsafe-inline'; style-src 'unsafe-inline' 'sha256-abc='; form-action 'none'", self)
	frame, _ := url.Parse("https://frames.example/x")
	img, _ := url.Parse("https://frames.example/x.png")
	if !p.allowsURL("frame-src", frame) {
		t.Error("frame-src falls back to child-src, which allows the frame")
	}
	if p.allowsURL("img-src", img) {
		t.Error("img-src falls back to default-src 'self', which blocks another origin")
	}
	if !p.allowsInline("script-src-elem") || !p.allowsInline("script-src-attr") {
		t.Error("script-src 'unsafe-inline' allows inline script and handlers")
	}
	if p.allowsInline("style-src-attr") {
		t.Error("a hash in style-src disables 'unsafe-inline'")
	}
	if p.allowsInline("default-src") {
		t.Error("default-src 'self' allows no inline code")
	}
	if list, from, ok := p.sources("worker-src"); !ok || from != "child-src" || len(list) != 1 {
		t.Errorf("worker-src governed by %s %q, want child-src", from, list)
	}
	if _, _, ok := p.sources("frame-ancestors"); ok {
		t.Error("frame-ancestors does not fall back to default-src")
	}
}

func TestScanEncoding(t *testing.T) {
	sc := &pageScan{items: []scanItem{
		{kind: itemURL, line: 3, elem: "img", attr: "src", dir: "img-src", url: "a b.png", md: true},
		{kind: itemURL, line: 12, elem: "a", attr: "href", url: "/x/?q=1#f"},
		{kind: itemHandler, line: 40, elem: "button", attr: "onclick"},
		{kind: itemInlineScript, line: 41, elem: "script"},
	}}
	got, ok := decodeScan(sc.encode())
	if !ok || len(got.items) != len(sc.items) {
		t.Fatalf("decoded %v %+v", ok, got)
	}
	for i := range sc.items {
		if got.items[i] != sc.items[i] {
			t.Errorf("item %d: %+v, want %+v", i, got.items[i], sc.items[i])
		}
	}
	empty, ok := decodeScan((&pageScan{}).encode())
	if !ok || len(empty.items) != 0 {
		t.Errorf("empty scan: %v %+v", ok, empty)
	}
	for _, bad := range []string{"", "scan 1\n", "scan 3\n", "scan 2\nu\t3\n", "scan 2\nu\tx\timg\tsrc\timg-src\t0\ta.png\n"} {
		if _, ok := decodeScan([]byte(bad)); ok {
			t.Errorf("decodeScan(%q) accepted", bad)
		}
	}
}
