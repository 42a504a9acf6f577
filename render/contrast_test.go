package render

import (
	"fmt"
	"math"
	"os"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/alecthomas/chroma/v2"
	"github.com/siteblog/site/content"
)

// rgba is a colour with straight (not premultiplied) alpha, channels 0–255
// and alpha 0–1.
type rgba struct{ r, g, b, a float64 }

var namedColours = map[string]rgba{
	"transparent": {0, 0, 0, 0},
	"black":       {0, 0, 0, 1},
	"white":       {255, 255, 255, 1},
}

// parseColour reads a CSS colour: #rgb, #rgba, #rrggbb, #rrggbbaa,
// rgb()/rgba() with commas or spaces and a / alpha, or a few names.
func parseColour(s string) (rgba, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if c, ok := namedColours[s]; ok {
		return c, nil
	}
	if hex, ok := strings.CutPrefix(s, "#"); ok {
		if len(hex) == 3 || len(hex) == 4 {
			var b strings.Builder
			for _, r := range hex {
				b.WriteString(strings.Repeat(string(r), 2))
			}
			hex = b.String()
		}
		if len(hex) != 6 && len(hex) != 8 {
			return rgba{}, fmt.Errorf("colour %q: want 3, 4, 6 or 8 hex digits", s)
		}
		v, err := strconv.ParseUint(hex, 16, 32)
		if err != nil {
			return rgba{}, fmt.Errorf("colour %q: %v", s, err)
		}
		if len(hex) == 6 {
			v = v<<8 | 0xff
		}
		return rgba{float64(v >> 24), float64(v >> 16 & 0xff), float64(v >> 8 & 0xff), float64(v&0xff) / 255}, nil
	}
	m := regexp.MustCompile(`^rgba?\(([^)]*)\)$`).FindStringSubmatch(s)
	if m == nil {
		return rgba{}, fmt.Errorf("colour %q: not a colour this test reads", s)
	}
	f := strings.FieldsFunc(m[1], func(r rune) bool { return r == ',' || r == ' ' || r == '/' })
	if len(f) != 3 && len(f) != 4 {
		return rgba{}, fmt.Errorf("colour %q: want 3 or 4 components", s)
	}
	c := rgba{a: 1}
	for i, p := range f {
		scale := 1.0
		if v, ok := strings.CutSuffix(p, "%"); ok {
			p, scale = v, 2.55
			if i == 3 {
				scale = 0.01
			}
		}
		v, err := strconv.ParseFloat(p, 64)
		if err != nil {
			return rgba{}, fmt.Errorf("colour %q: %v", s, err)
		}
		if i < 3 {
			v = math.Round(v * scale)
		} else {
			v *= scale
		}
		*[]*float64{&c.r, &c.g, &c.b, &c.a}[i] = v
	}
	return c, nil
}

// over paints c over an opaque background.
func (c rgba) over(bg rgba) rgba {
	mix := func(f, b float64) float64 { return math.Round(f*c.a + b*(1-c.a)) }
	return rgba{mix(c.r, bg.r), mix(c.g, bg.g), mix(c.b, bg.b), 1}
}

func (c rgba) String() string {
	return fmt.Sprintf("#%02x%02x%02x", int(c.r), int(c.g), int(c.b))
}

// luminance is WCAG 2's relative luminance of an opaque colour.
func (c rgba) luminance() float64 {
	lin := func(v float64) float64 {
		v /= 255
		if v <= 0.04045 {
			return v / 12.92
		}
		return math.Pow((v+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.r) + 0.7152*lin(c.g) + 0.0722*lin(c.b)
}

// contrast is WCAG 2's contrast ratio of two opaque colours.
func contrast(a, b rgba) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestParseColour(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want rgba
		err  bool
	}{
		{in: "#f7f7f7", want: rgba{247, 247, 247, 1}},
		{in: "#FFF", want: rgba{255, 255, 255, 1}},
		{in: "#0d111780", want: rgba{13, 17, 23, 128.0 / 255}},
		{in: "#0008", want: rgba{0, 0, 0, 136.0 / 255}},
		{in: "rgba(255, 200, 55, 0.26)", want: rgba{255, 200, 55, 0.26}},
		{in: "rgb(10 20 30 / 50%)", want: rgba{10, 20, 30, 0.5}},
		{in: "rgb(100%, 0%, 0%)", want: rgba{255, 0, 0, 1}},
		{in: " transparent ", want: rgba{0, 0, 0, 0}},
		{in: "white", want: rgba{255, 255, 255, 1}},
		{in: "#12345", err: true},
		{in: "#ggg", err: true},
		{in: "hsl(0 0% 0%)", err: true},
		{in: "rgb(1, 2)", err: true},
	} {
		got, err := parseColour(tc.in)
		if (err != nil) != tc.err || (!tc.err && got != tc.want) {
			t.Errorf("parseColour(%q) = %v, %v; want %v (error: %v)", tc.in, got, err, tc.want, tc.err)
		}
	}
}

func TestContrast(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want float64
	}{
		{"#000000", "#ffffff", 21},
		{"#ffffff", "#ffffff", 1},
		{"#6a737d", "#f7f7f7", 4.49}, // chroma github's .bp on its background
		{"#767676", "#ffffff", 4.54},
	} {
		a, _ := parseColour(tc.a)
		b, _ := parseColour(tc.b)
		if got := contrast(a, b); math.Abs(got-tc.want) > 0.005 {
			t.Errorf("contrast(%s, %s) = %.3f, want %.2f", tc.a, tc.b, got, tc.want)
		}
	}
	hl, _ := parseColour("rgba(255, 200, 55, 0.26)")
	bg, _ := parseColour("#f7f7f7")
	if got := hl.over(bg).String(); got != "#f9ebc5" {
		t.Errorf("highlight over #f7f7f7 = %s, want #f9ebc5", got)
	}
}

// cssRule is one style rule of a stylesheet: its selectors, its
// declarations, and the media query around it ("" for none).
type cssRule struct {
	media     string
	selectors []string
	decls     map[string]string
	order     int
}

var cssComment = regexp.MustCompile(`(?s)/\*.*?\*/`)

// parseCSS reads the style rules of a stylesheet, one level of @media
// deep: enough for the theme's style.css and chroma's rules.
func parseCSS(src string) ([]cssRule, error) {
	src = cssComment.ReplaceAllString(src, "")
	var rules []cssRule
	var parse func(s, media string) error
	parse = func(s, media string) error {
		for {
			open := strings.IndexByte(s, '{')
			if open < 0 {
				if strings.TrimSpace(s) != "" {
					return fmt.Errorf("text after the last rule: %.40q", s)
				}
				return nil
			}
			prelude := strings.Join(strings.Fields(s[:open]), " ")
			if strings.HasPrefix(prelude, "@") {
				depth, end := 0, -1
				for i := open; i < len(s) && end < 0; i++ {
					switch s[i] {
					case '{':
						depth++
					case '}':
						if depth--; depth == 0 {
							end = i
						}
					}
				}
				if end < 0 {
					return fmt.Errorf("%s: no closing brace", prelude)
				}
				if err := parse(s[open+1:end], prelude); err != nil {
					return err
				}
				s = s[end+1:]
				continue
			}
			end := strings.IndexByte(s[open:], '}')
			if end < 0 {
				return fmt.Errorf("%s: no closing brace", prelude)
			}
			r := cssRule{media: media, decls: map[string]string{}, order: len(rules)}
			for _, sel := range strings.Split(prelude, ",") {
				r.selectors = append(r.selectors, strings.TrimSpace(sel))
			}
			body := s[open+1 : open+end]
			for _, d := range splitTop(body, ';') {
				name, value, ok := strings.Cut(d, ":")
				if ok {
					r.decls[strings.TrimSpace(name)] = strings.TrimSpace(value)
				}
			}
			rules = append(rules, r)
			s = s[open+end+1:]
		}
	}
	return rules, parse(src, "")
}

// splitTop splits s at sep outside parentheses.
func splitTop(s string, sep byte) []string {
	var out []string
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '(':
			depth++
		case ')':
			depth--
		case sep:
			if depth == 0 {
				out = append(out, s[start:i])
				start = i + 1
			}
		}
	}
	return append(out, s[start:])
}

// specificity of a simple selector: ids, classes (attributes, pseudo
// classes) and elements, as one comparable number.
func specificity(sel string) int {
	ids := strings.Count(sel, "#")
	classes := strings.Count(sel, ".") + strings.Count(sel, "[") + len(regexp.MustCompile(`(^|[^:]):[a-z-]+`).FindAllString(sel, -1))
	elements := len(regexp.MustCompile(`(^|[\s>+~])[a-z][a-z0-9]*`).FindAllString(sel, -1))
	return ids*10000 + classes*100 + elements
}

// sheet answers what the stylesheet declares for an element, in one
// colour scheme, at the default screen width.
type sheet struct {
	rules  []cssRule
	scheme string
}

// applies reports whether a rule's media holds in the sheet's scheme at
// a wide screen on the screen medium.
func (s sheet) applies(media string) bool {
	switch media {
	case "":
		return true
	case "@media (prefers-color-scheme: light)", "@media (prefers-color-scheme: dark)":
		return strings.Contains(media, s.scheme)
	}
	return false
}

// value is the declared value of property prop for an element that
// matches the selectors (as written in the stylesheets) given, by the
// cascade: the highest specificity, then the latest rule. The shorthand
// background counts for background-color with its last layer.
func (s sheet) value(prop string, selectors ...string) string {
	best, bestSpec, bestOrder := "", -1, -1
	for _, r := range s.rules {
		if !s.applies(r.media) {
			continue
		}
		v, ok := r.decls[prop]
		if !ok && prop == "background-color" {
			if bg, ok2 := r.decls["background"]; ok2 {
				layers := splitTop(bg, ',')
				v, ok = strings.TrimSpace(layers[len(layers)-1]), true
			}
		}
		if !ok {
			continue
		}
		for _, sel := range r.selectors {
			for _, want := range selectors {
				if sel != want {
					continue
				}
				if sp := specificity(sel); sp > bestSpec || sp == bestSpec && r.order > bestOrder {
					best, bestSpec, bestOrder = v, sp, r.order
				}
			}
		}
	}
	return s.resolve(best)
}

var varRE = regexp.MustCompile(`var\((--[a-z0-9-]+)(?:,\s*([^()]*(?:\([^()]*\))?[^()]*))?\)`)

// resolve replaces var(--name, fallback) by the custom property's value
// on :root, or on .chroma for the chroma style's own.
func (s sheet) resolve(v string) string {
	for range 10 {
		m := varRE.FindStringSubmatchIndex(v)
		if m == nil {
			return v
		}
		name := v[m[2]:m[3]]
		val := s.value(name, ":root", ".chroma")
		if val == "" && m[4] >= 0 {
			val = v[m[4]:m[5]]
		}
		v = v[:m[0]] + val + v[m[1]:]
	}
	return v
}

func (s sheet) colour(t *testing.T, what, v string) rgba {
	t.Helper()
	c, err := parseColour(v)
	if err != nil {
		t.Fatalf("%s (%s): %v", what, s.scheme, err)
	}
	return c
}

// TestListingContrast computes, from the built stylesheet (the theme's
// style.css and chroma's rules for the configured light and dark styles),
// the contrast of every token colour a listing can show, and of the line
// numbers, on the listing's background, a highlighted line's and a target
// line's, in both colour schemes: each must be 4.5:1 or more (WCAG 1.4.3).
// axe-core cannot check the line numbers (generated content) nor the
// token colours under the scroll shadows (a background image).
func TestListingContrast(t *testing.T) {
	example, err := content.LoadConfig(os.DirFS("../examples/blog"), "")
	if err != nil {
		t.Fatal(err)
	}
	styles := map[string][2]string{
		"default": {"", ""},
		"example": {example.Highlight.Light, example.Highlight.Dark},
	}
	for name, st := range styles {
		t.Run(name, func(t *testing.T) {
			toml := "title = \"Contrast\"\nbase_url = \"https://c.test/\"\n"
			if st[0] != "" {
				toml += fmt.Sprintf("[highlight]\nlight = %q\ndark = %q\n", st[0], st[1])
			}
			out, err := BuildInMemory(fstest.MapFS{"site.toml": {Data: []byte(toml)}}, content.Options{})
			if err != nil {
				t.Fatal(err)
			}
			var css []byte
			for file, data := range out.Files() {
				if strings.HasPrefix(file, "assets/style.") && strings.HasSuffix(file, ".css") {
					css = data
				}
			}
			if css == nil {
				t.Fatal("the build has no assets/style.*.css")
			}
			rules, err := parseCSS(string(css))
			if err != nil {
				t.Fatal(err)
			}
			for _, scheme := range []string{"light", "dark"} {
				checkListingContrast(t, sheet{rules: rules, scheme: scheme})
			}
		})
	}
}

func checkListingContrast(t *testing.T, s sheet) {
	t.Helper()
	pre := []string{"pre", ".chroma", ".listing > pre"}
	bg := s.colour(t, "listing background", s.value("background-color", pre...))
	if bg.a != 1 {
		t.Fatalf("%s: the listing's background %v is not opaque", s.scheme, bg)
	}
	fg := s.colour(t, "listing text", s.value("color", pre...))
	backgrounds := []struct {
		name string
		c    rgba
	}{
		{"the listing", bg},
		{"a highlighted line", s.colour(t, "highlighted line", s.value("background-color", ".chroma .hl", ".listing pre .line.hl")).over(bg)},
		{"a target line", s.colour(t, "target line", s.value("background-color", ".listing pre .line:target")).over(bg)},
	}
	check := func(what string, c rgba, on string, b rgba) {
		t.Helper()
		c = c.over(b)
		if r := contrast(c, b); r < 4.5 {
			t.Errorf("%s: %s %s on %s %s: %.2f:1, want 4.5:1 or more", s.scheme, what, c, on, b, r)
		}
	}
	ln := s.colour(t, "line numbers", s.value("color", ".chroma .ln", ".listing pre .ln"))
	check("line numbers", ln, backgrounds[0].name, backgrounds[0].c)
	check("line numbers", ln, backgrounds[1].name, backgrounds[1].c)
	check("a target line's number", s.colour(t, "target line number", s.value("color", ".listing pre .line:target .ln")), backgrounds[2].name, backgrounds[2].c)

	var classes []string
	for tt, class := range chroma.StandardTypes {
		// Negative types are the wrappers (pre, line, line numbers);
		// white space gets no class (tokenClass).
		if tt >= 0 && tt != chroma.TextWhitespace {
			classes = append(classes, class)
		}
	}
	sort.Strings(classes)
	checked := 0
	for _, class := range classes {
		sels := []string{".chroma ." + class, ".listing pre ." + class}
		c := fg
		if v := s.value("color", sels...); v != "" {
			c = s.colour(t, "."+class, v)
		}
		if v := s.value("background-color", sels...); v != "" {
			// A token with a background of its own is read on it.
			own := s.colour(t, "."+class+" background", v).over(bg)
			check("."+class, c, "its own background", own)
			continue
		}
		for _, b := range backgrounds {
			check("."+class, c, b.name, b.c)
		}
		checked++
	}
	if checked < 50 {
		t.Errorf("%s: only %d token classes checked", s.scheme, checked)
	}
}
