package render

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io/fs"
	"path"

	"github.com/srwiley/oksvg"
	"github.com/srwiley/rasterx"

	"github.com/siteblog/site/themes"
)

// The PNG icons a build makes from the theme's favicon.svg, for browsers,
// search results and home screens that take no SVG icon.
const (
	// IconSize is the side of the PNG favicon: Google's search results
	// want a multiple of 48 pixels.
	IconSize = 48
	// TouchIconSize is the side of the apple-touch-icon, what iOS shows on
	// a home screen.
	TouchIconSize = 180
	// iconVersion names the way icons are drawn (the library, its
	// settings, the PNG encoding): change it with any of them, so that
	// an icon's name, which browsers may cache for good, changes with
	// its bytes.
	iconVersion = "oksvg-2"
)

// An icon is one PNG rasterised from an SVG.
type icon struct {
	name   string // "favicon.png", "apple-touch-icon.png"
	size   int
	opaque bool // on the icon's own main colour, as iOS wants (it adds no background of its own)
}

var icons = []icon{
	{name: "favicon.png", size: IconSize},
	{name: "apple-touch-icon.png", size: TouchIconSize, opaque: true},
}

// planIcons plans the PNG icons: each the site's own static/favicon.png or
// static/apple-touch-icon.png (any file published at that name), else one
// drawn from the theme's assets/favicon.svg, published fingerprinted under
// /assets/. It sets the URLs pages link to. The PNG is drawn only when
// the file is made: its key and name come from the SVG, so a rebuild that
// keeps the previous files draws nothing, and a renderer used for build
// after build (a preview) draws each version once.
func (b *builder) planIcons() (favicon, touch string) {
	given := map[string]bool{}
	for _, f := range b.site.Files {
		given[f.Dst] = true
	}
	svg, err := fs.ReadFile(b.theme, AssetDir+"/favicon.svg")
	if err != nil {
		svg = nil // a theme without an SVG favicon: only the site's own PNGs
	} else if !given[icons[0].name] || !given[icons[1].name] {
		if _, err := readSVG(svg); err != nil { // a quick parse; drawing waits until a file is made
			svg = nil
			b.stats.Warnings = append(b.stats.Warnings, Warning{Path: b.themeFile(AssetDir + "/favicon.svg"),
				Msg: fmt.Sprintf("cannot draw the PNG icons from it: %v; put favicon.png (%d×%d) and apple-touch-icon.png (%d×%d) in static/", err, IconSize, IconSize, TouchIconSize, TouchIconSize)})
		}
	}
	urls := make([]string, len(icons))
	for i, ic := range icons {
		if given[ic.name] {
			urls[i] = b.url("/" + ic.name)
			continue
		}
		if svg == nil {
			continue
		}
		h := sha256.New()
		fmt.Fprintf(h, "%s %d %t\n", iconVersion, ic.size, ic.opaque)
		h.Write(svg)
		k := sum(h) // of the drawing: the icon's name, and its bytes in memory
		name := AssetDir + "/" + ic.name[:len(ic.name)-len(".png")] + "." + hex.EncodeToString(k[:5]) + ".png"
		urls[i] = b.url("/" + name)
		if b.iconsUsed == nil {
			b.iconsUsed = map[Key]bool{}
		}
		b.iconsUsed[k] = true
		fileKey := sha256.Sum256(append([]byte(b.opts.engineVersion+"\n"), k[:]...)) // another engine may draw otherwise
		b.plan = append(b.plan, &planned{
			name: name,
			from: origin{what: "icon " + ic.name},
			key:  func() Key { return fileKey },
			make: func() ([]byte, error) { return b.Renderer.icon(k, svg, ic) },
		})
	}
	return urls[0], urls[1]
}

// icon returns the PNG of ic drawn from svg, whose key is k.
func (r *Renderer) icon(k Key, svg []byte, ic icon) ([]byte, error) {
	if data, ok := r.icons.Load(k); ok {
		return data.([]byte), nil
	}
	data, err := rasterize(svg, ic.size, ic.opaque)
	if err != nil {
		return nil, fmt.Errorf("%s: drawing %s: %w", r.themeFile(AssetDir+"/favicon.svg"), ic.name, err)
	}
	r.icons.Store(k, data)
	return data, nil
}

// rasterize draws an SVG into a size×size PNG; opaque puts it on its most
// common opaque colour, so that its transparent corners do not turn black
// where no transparency is shown.
func rasterize(svg []byte, size int, opaque bool) ([]byte, error) {
	ic, err := readSVG(svg)
	if err != nil {
		return nil, err
	}
	ic.SetTarget(0, 0, float64(size), float64(size))
	img := image.NewRGBA(image.Rect(0, 0, size, size))
	scanner := rasterx.NewScannerGV(size, size, img, img.Bounds())
	ic.Draw(rasterx.NewDasher(size, size, scanner), 1)
	if isBlank(img) {
		return nil, fmt.Errorf("draws nothing at %d×%d pixels", size, size)
	}
	var out image.Image = img
	if opaque {
		bg := image.NewRGBA(img.Bounds())
		draw.Draw(bg, bg.Bounds(), image.NewUniform(mainColor(img)), image.Point{}, draw.Src)
		draw.Draw(bg, bg.Bounds(), img, image.Point{}, draw.Over)
		out = bg
	}
	var buf bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.DefaultCompression}
	if err := enc.Encode(&buf, out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// readSVG parses an SVG icon, which must have a size: a viewBox, or width
// and height.
func readSVG(svg []byte) (*oksvg.SvgIcon, error) {
	ic, err := oksvg.ReadIconStream(bytes.NewReader(svg), oksvg.IgnoreErrorMode)
	if err != nil {
		return nil, err
	}
	if ic.ViewBox.W <= 0 || ic.ViewBox.H <= 0 {
		return nil, fmt.Errorf("no viewBox, or width and height")
	}
	return ic, nil
}

// themeFile names a theme's file for messages: the site's
// themes/NAME/PATH when it has one, else the default theme's PATH.
func (r *Renderer) themeFile(p string) string {
	if r.cfg.Theme != "" {
		if f := path.Join(themes.Dir, r.cfg.Theme, p); fileExists(r.siteFS, f) {
			return f
		}
	}
	return "the default theme's " + p
}

func fileExists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

// isBlank reports whether no pixel of img shows anything.
func isBlank(img *image.RGBA) bool {
	for i := 3; i < len(img.Pix); i += 4 {
		if img.Pix[i] != 0 {
			return false
		}
	}
	return true
}

// mainColor is the most common fully opaque colour of img; white when
// nothing is opaque.
func mainColor(img *image.RGBA) color.RGBA {
	count := map[color.RGBA]int{}
	best, n := color.RGBA{255, 255, 255, 255}, 0
	for i := 0; i+3 < len(img.Pix); i += 4 {
		if img.Pix[i+3] != 255 {
			continue
		}
		c := color.RGBA{img.Pix[i], img.Pix[i+1], img.Pix[i+2], 255}
		count[c]++
		if count[c] > n {
			best, n = c, count[c]
		}
	}
	return best
}
