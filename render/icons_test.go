package render

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"strings"
	"testing"
	"testing/fstest"
	"time"
)

// pngAt decodes the PNG file name of out, failing the test when it is
// missing or broken.
func pngAt(t *testing.T, out *MemOutput, name string) image.Image {
	t.Helper()
	data, ok := out.Files()[name]
	if !ok {
		t.Fatalf("%s is missing", name)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return img
}

// near reports whether two colours differ by at most tol in each channel.
func near(c color.Color, want color.RGBA, tol int) bool {
	r, g, b, a := c.RGBA()
	d := func(x uint32, y uint8) bool { v := int(x>>8) - int(y); return v <= tol && v >= -tol }
	return d(r, want.R) && d(g, want.G) && d(b, want.B) && d(a, want.A)
}

// TestIconsFromFavicon builds a site and checks the PNG icons drawn from
// the default theme's favicon.svg (a blue rounded square with white
// bars): their sizes, colours where the SVG has them, transparency of
// the favicon's corners and opacity of the touch icon.
func TestIconsFromFavicon(t *testing.T) {
	out, _ := build(t, testSite(), nil)
	index := string(out.Files()["index.html"])
	blue := color.RGBA{0x05, 0x50, 0xae, 0xff}
	white := color.RGBA{0xff, 0xff, 0xff, 0xff}
	tests := []struct {
		prefix, rel string
		size        int
		corner      color.RGBA // the pixel at 0,0, outside the SVG's rounded corner
	}{
		{"assets/favicon.", `<link rel="icon" href="/assets/favicon.`, IconSize, color.RGBA{}},
		{"assets/apple-touch-icon.", `<link rel="apple-touch-icon" href="/assets/apple-touch-icon.`, TouchIconSize, blue},
	}
	for _, tt := range tests {
		t.Run(tt.prefix, func(t *testing.T) {
			var name string
			for n := range out.Files() {
				if strings.HasPrefix(n, tt.prefix) && strings.HasSuffix(n, ".png") {
					name = n
				}
			}
			if name == "" {
				t.Fatalf("no %s*.png published", tt.prefix)
			}
			if !strings.Contains(index, tt.rel[:len(tt.rel)-len(tt.prefix)-1]+"/"+name+`"`) {
				t.Errorf("index.html does not link /%s: want %s…", name, tt.rel)
			}
			img := pngAt(t, out, name)
			if b := img.Bounds(); b.Dx() != tt.size || b.Dy() != tt.size {
				t.Fatalf("%s is %dx%d, want %dx%d", name, b.Dx(), b.Dy(), tt.size, tt.size)
			}
			s := tt.size
			at := func(x, y float64) color.Color { return img.At(int(x*float64(s)), int(y*float64(s))) }
			// The SVG's 32 units: background at 3,16; the first white bar
			// spans x 7–25 at y 8–11.
			if c := at(3.0/32, 16.0/32); !near(c, blue, 8) {
				t.Errorf("background pixel %v, want the SVG's #0550ae", c)
			}
			if c := at(16.0/32, 9.5/32); !near(c, white, 8) {
				t.Errorf("bar pixel %v, want white", c)
			}
			if c := img.At(0, 0); !near(c, tt.corner, 8) {
				t.Errorf("corner pixel %v, want %v", c, tt.corner)
			}
		})
	}
}

// TestIconsGiven: a site's own static/favicon.png and
// static/apple-touch-icon.png are linked, and none is drawn.
func TestIconsGiven(t *testing.T) {
	fsys := testSite()
	fsys["static/favicon.png"] = &fstest.MapFile{Data: []byte("png")}
	fsys["static/apple-touch-icon.png"] = &fstest.MapFile{Data: []byte("png")}
	out, _ := build(t, fsys, nil)
	for n := range out.Files() {
		if strings.HasPrefix(n, "assets/") && strings.HasSuffix(n, ".png") {
			t.Errorf("%s drawn, though the site has its own icons", n)
		}
	}
	index := string(out.Files()["index.html"])
	for _, want := range []string{`<link rel="icon" href="/favicon.png" type="image/png" sizes="48x48">`, `<link rel="apple-touch-icon" href="/apple-touch-icon.png">`} {
		if !strings.Contains(index, want) {
			t.Errorf("index.html lacks %s", want)
		}
	}
}

// TestIconsCached: a rebuild that keeps the previous files draws no icon;
// a renderer that builds again draws each icon once.
func TestIconsCached(t *testing.T) {
	fsys := testSite()
	first, _ := build(t, fsys, nil)
	second, _ := build(t, fsys, first)
	for _, n := range remade(first, second) {
		if strings.HasSuffix(n, ".png") {
			t.Errorf("%s drawn again though the SVG did not change", n)
		}
	}
	var r Renderer
	src := []byte(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"><rect width="2" height="2" fill="#f00"/></svg>`)
	k := Key{1}
	start := time.Now()
	a, err := r.icon(k, src, icons[1])
	if err != nil {
		t.Fatal(err)
	}
	cold := time.Since(start)
	start = time.Now()
	b, _ := r.icon(k, src, icons[1])
	if warm := time.Since(start); &a[0] != &b[0] {
		t.Errorf("the second call drew the icon again (%v, the first took %v)", warm, cold)
	}
}

// TestRasterizeRefuses: an SVG that draws nothing, or cannot be read, is
// an error, not a blank icon.
func TestRasterizeRefuses(t *testing.T) {
	for _, svg := range []string{
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 2 2"></svg>`,
		`<svg xmlns="http://www.w3.org/2000/svg"><rect width="2" height="2"/></svg>`,
		`not svg`,
	} {
		if _, err := rasterize([]byte(svg), 48, false); err == nil {
			t.Errorf("%s: no error", svg)
		}
	}
}

// TestIconsUnreadableSVG: a theme's favicon.svg that cannot be read is a
// warning naming it, and pages link no PNG icon.
func TestIconsUnreadableSVG(t *testing.T) {
	fsys := testSite()
	fsys["site.toml"] = &fstest.MapFile{Data: []byte("title = \"T\"\nbase_url = \"https://example.org/\"\ntheme = \"mine\"\n")}
	fsys["themes/mine/assets/favicon.svg"] = &fstest.MapFile{Data: []byte("<svg xmlns=\"http://www.w3.org/2000/svg\"><circle r=\"3\"/></svg>")}
	out, stats := build(t, fsys, nil)
	var found bool
	for _, w := range stats.Warnings {
		if w.Path == "themes/mine/assets/favicon.svg" && strings.Contains(w.Msg, "cannot draw the PNG icons from it: no viewBox") {
			found = true
		}
	}
	if !found {
		t.Errorf("no warning naming the theme's favicon.svg: %v", stats.Warnings)
	}
	index := string(out.Files()["index.html"])
	if strings.Contains(index, "image/png") || strings.Contains(index, "apple-touch-icon") {
		t.Error("index.html links PNG icons that were not drawn")
	}
}
