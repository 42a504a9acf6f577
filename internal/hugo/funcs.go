package hugo

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"html/template"
	"net/url"
	"path"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	texttemplate "text/template"
	"time"
	"unicode"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/expand"
	"golang.org/x/text/cases"
	"golang.org/x/text/language"
)

// templateFuncs are the functions of shortcode templates. Those that need
// the page (markdownify, ref, relURL, readFile, …) use env; parsing passes
// nil, as only the names matter then.
func templateFuncs(env expand.Env, pg *Page) template.FuncMap {
	need := func(name string) error { return fmt.Errorf("%s: no page", name) }
	return template.FuncMap{
		// Logic and collections.
		"default": func(def any, given ...any) any {
			if len(given) == 0 || !truth(given[0]) {
				return def
			}
			return given[0]
		},
		"cond": func(c, a, b any) any {
			if truth(c) {
				return a
			}
			return b
		},
		"slice": func(items ...any) []any { return items },
		"dict": func(kv ...any) (map[string]any, error) {
			if len(kv)%2 != 0 {
				return nil, errors.New("dict: want key value pairs")
			}
			m := make(map[string]any, len(kv)/2)
			for i := 0; i < len(kv); i += 2 {
				m[toString(kv[i])] = kv[i+1]
			}
			return m, nil
		},
		"eq":      eq,
		"ne":      func(a, b any) bool { return !eq(a, b) },
		"in":      in,
		"isset":   isset,
		"first":   func(n any, list any) (any, error) { return sub(list, 0, toInt(n)) },
		"last":    func(n any, list any) (any, error) { l := length(list); return sub(list, max(0, l-toInt(n)), l) },
		"after":   func(n any, list any) (any, error) { return sub(list, toInt(n), length(list)) },
		"seq":     seq,
		"split":   func(s any, sep string) []string { return strings.Split(toString(s), sep) },
		"delimit": delimit,
		"int":     func(v any) int { return toInt(v) },
		"float":   func(v any) float64 { return toFloat(v) },
		"string":  func(v any) string { return toString(v) },
		"add":     arith('+'),
		"sub":     arith('-'),
		"mul":     arith('*'),
		"div":     arith('/'),
		"mod": func(a, b any) (int, error) {
			if toInt(b) == 0 {
				return 0, errors.New("mod: division by zero")
			}
			return toInt(a) % toInt(b), nil
		},
		"partial": func(name string, _ ...any) (string, error) {
			return "", fmt.Errorf("partial %q: partials are not supported", name)
		},
		"partialCached": func(name string, _ ...any) (string, error) {
			return "", fmt.Errorf("partial %q: partials are not supported", name)
		},
		"where":     func(...any) (any, error) { return nil, errors.New("where is not supported") },
		"emojify":   func(s any) template.HTML { return template.HTML(toString(s)) },
		"anchorize": func(s any) string { return content.Slugify(toString(s)) },
		"path":      func() pathNS { return pathNS{} },
		"urls":      func() urlsNS { return urlsNS{} },
		"hugo":      func() hugoNS { return hugoNS{} },
		"warnf": func(format string, args ...any) string {
			if pg != nil && pg.warn != nil {
				pg.warn(fmt.Sprintf(format, args...))
			}
			return ""
		},
		"errorf":  func(format string, args ...any) (string, error) { return "", fmt.Errorf(format, args...) },
		"jsonify": func(v any) (template.HTML, error) { b, err := json.Marshal(v); return template.HTML(b), err },
		"strings": func() stringsNS { return stringsNS{} },
		"time":    func() timeNS { return timeNS{} },
		"now":     time.Now,
		"dateFormat": func(layout string, t any) (string, error) {
			tt, err := toTime(t)
			return tt.Format(layout), err
		},
		// Strings.
		"lower":        func(s any) string { return strings.ToLower(toString(s)) },
		"upper":        func(s any) string { return strings.ToUpper(toString(s)) },
		"title":        func(s any) string { return cases.Title(language.English, cases.NoLower).String(toString(s)) },
		"trim":         func(s any, cutset string) string { return strings.Trim(toString(s), cutset) },
		"replace":      replace,
		"replaceRE":    replaceRE,
		"findRE":       findRE,
		"chomp":        func(s any) string { return strings.TrimRight(toString(s), "\r\n") },
		"humanize":     humanize,
		"i18n":         translate(env, pg),
		"T":            translate(env, pg),
		"hasPrefix":    func(s any, p string) bool { return strings.HasPrefix(toString(s), p) },
		"hasSuffix":    func(s any, p string) bool { return strings.HasSuffix(toString(s), p) },
		"urlize":       urlize,
		"htmlEscape":   func(s any) string { return html.EscapeString(toString(s)) },
		"htmlUnescape": func(s any) string { return html.UnescapeString(toString(s)) },
		"plainify":     func(s any) string { return plainify(toString(s)) },
		"safeHTML":     func(s any) template.HTML { return template.HTML(toString(s)) },
		"safeHTMLAttr": func(s any) template.HTMLAttr { return template.HTMLAttr(toString(s)) },
		"safeURL":      func(s any) template.URL { return template.URL(toString(s)) },
		"safeCSS":      func(s any) template.CSS { return template.CSS(toString(s)) },
		"safeJS":       func(s any) template.JS { return template.JS(toString(s)) },
		// Functions of the page and site.
		"markdownify": func(s any) (template.HTML, error) {
			if env == nil {
				return "", need("markdownify")
			}
			return template.HTML(env.Markdown(toString(s), true)), nil
		},
		"relLangURL": func(s any) (string, error) {
			if env == nil {
				return "", need("relLangURL")
			}
			return hugoRelURL(env, toString(s)), nil
		},
		"absLangURL": func(s any) (string, error) {
			if env == nil {
				return "", need("absLangURL")
			}
			return hugoAbsURL(env, toString(s)), nil
		},
		"relURL": func(s any) (string, error) {
			if env == nil {
				return "", need("relURL")
			}
			return hugoRelURL(env, toString(s)), nil
		},
		"absURL": func(s any) (string, error) {
			if env == nil {
				return "", need("absURL")
			}
			return hugoAbsURL(env, toString(s)), nil
		},
		"ref":    func(_ any, ref any) (string, error) { return refFunc(env, toString(ref), true) },
		"relref": func(_ any, ref any) (string, error) { return refFunc(env, toString(ref), false) },
		"highlight": func(code any, lang string, opts ...any) (template.HTML, error) {
			if env == nil {
				return "", need("highlight")
			}
			o := ""
			if len(opts) > 0 {
				o = toString(opts[0])
			}
			info, err := highlightInfo(lang, o)
			if err != nil {
				return "", err
			}
			c := strings.Trim(toString(code), "\n")
			if c != "" {
				c += "\n"
			}
			return template.HTML(env.Listing(c, info)), nil
		},
		"readFile": func(name any) (string, error) {
			if env == nil {
				return "", need("readFile")
			}
			b, err := env.ReadFile(strings.TrimPrefix(toString(name), "/"))
			return string(b), err
		},
		"site": func() *Site {
			if pg == nil {
				return &Site{}
			}
			return pg.Site
		},
	}
}

func refFunc(env expand.Env, ref string, absolute bool) (string, error) {
	if env == nil {
		return "", errors.New("ref: no page")
	}
	u, ok := refURL(env, ref, absolute)
	if !ok {
		return "", fmt.Errorf("ref %q: no such page", ref)
	}
	return u, nil
}

// eq is Hugo's eq: whether first equals one of others, numbers compared
// by kind (int with int, float with float), a missing value (nil) equal
// only to nil. Values of different types are unequal, not an error as
// with Go templates' eq: PaperMod's collapse shortcode compares a
// parameter that may be absent ("") with true.
func eq(first any, others ...any) bool {
	norm := func(v any) any {
		if v == nil {
			return nil
		}
		rv := reflect.ValueOf(v)
		switch rv.Kind() {
		case reflect.Bool:
			return rv.Bool()
		case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
			return rv.Int()
		case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
			return rv.Uint()
		case reflect.Float32, reflect.Float64:
			return rv.Float()
		case reflect.String:
			return rv.String()
		case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Slice:
			if rv.IsNil() {
				return nil
			}
		}
		return v
	}
	a := norm(first)
	for _, o := range others {
		if reflect.DeepEqual(a, norm(o)) {
			return true
		}
	}
	return false
}

// truth is Go templates' notion of true: not the zero value.
func truth(v any) bool {
	if v == nil {
		return false
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return rv.Len() > 0
	case reflect.Bool:
		return rv.Bool()
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rv.Int() != 0
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return rv.Uint() != 0
	case reflect.Float32, reflect.Float64:
		return rv.Float() != 0
	case reflect.Pointer, reflect.Interface:
		return !rv.IsNil()
	case reflect.Struct:
		if t, ok := v.(time.Time); ok {
			return !t.IsZero()
		}
	}
	return true
}

func toString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case template.HTML:
		return string(v)
	case []byte:
		return string(v)
	case fmt.Stringer:
		return v.String()
	}
	return fmt.Sprint(v)
}

func toInt(v any) int {
	switch v := v.(type) {
	case int:
		return v
	case int64:
		return int(v)
	case float64:
		return int(v)
	case bool:
		if v {
			return 1
		}
		return 0
	}
	n, err := strconv.Atoi(strings.TrimSpace(toString(v)))
	if err != nil {
		f, _ := strconv.ParseFloat(strings.TrimSpace(toString(v)), 64)
		return int(f)
	}
	return n
}

func toFloat(v any) float64 {
	switch v := v.(type) {
	case int:
		return float64(v)
	case int64:
		return float64(v)
	case float64:
		return v
	}
	f, _ := strconv.ParseFloat(strings.TrimSpace(toString(v)), 64)
	return f
}

func isFloat(v any) bool {
	switch v := v.(type) {
	case float32, float64:
		return true
	case string:
		return strings.ContainsAny(v, ".eE")
	}
	return false
}

// arith is add, sub, mul or div on integers, or on floats when either is
// one; add joins strings as Hugo's does.
func arith(op byte) func(a, b any) (any, error) {
	return func(a, b any) (any, error) {
		if sa, ok := a.(string); ok && op == '+' {
			if _, err := strconv.ParseFloat(sa, 64); err != nil {
				return sa + toString(b), nil
			}
		}
		if isFloat(a) || isFloat(b) {
			return arithOn(op, toFloat(a), toFloat(b))
		}
		return arithOn(op, toInt(a), toInt(b))
	}
}

// arithOn is op ('+', '-', '*' or '/') on two numbers of one type.
func arithOn[T int | float64](op byte, x, y T) (any, error) {
	switch op {
	case '+':
		return x + y, nil
	case '-':
		return x - y, nil
	case '*':
		return x * y, nil
	}
	if y == 0 {
		return nil, errors.New("div: division by zero")
	}
	return x / y, nil
}

func length(v any) int {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return rv.Len()
	}
	return 0
}

// sub slices a list or string to [from, to), clamped.
func sub(v any, from, to int) (any, error) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Array, reflect.Slice, reflect.String:
	default:
		return nil, fmt.Errorf("want a list, got %T", v)
	}
	n := rv.Len()
	from, to = max(0, min(from, n)), max(0, min(to, n))
	if from > to {
		from = to
	}
	return rv.Slice(from, to).Interface(), nil
}

func seq(args ...any) ([]int, error) {
	first, step, last := 1, 1, 0
	switch len(args) {
	case 1:
		last = toInt(args[0])
	case 2:
		first, last = toInt(args[0]), toInt(args[1])
	case 3:
		first, step, last = toInt(args[0]), toInt(args[1]), toInt(args[2])
	default:
		return nil, errors.New("seq: want 1 to 3 arguments")
	}
	if step == 0 || (last-first)/step > 10000 {
		return nil, errors.New("seq: too long")
	}
	var out []int
	for i := first; (step > 0 && i <= last) || (step < 0 && i >= last); i += step {
		out = append(out, i)
	}
	return out, nil
}

// in reports whether set (a list, or a string) holds item.
func in(set, item any) bool {
	if s, ok := set.(string); ok {
		return strings.Contains(s, toString(item))
	}
	rv := reflect.ValueOf(set)
	if rv.Kind() != reflect.Slice && rv.Kind() != reflect.Array {
		return false
	}
	for i := 0; i < rv.Len(); i++ {
		e := rv.Index(i).Interface()
		if e == item || (reflect.TypeOf(e) == reflect.TypeOf(item) && reflect.DeepEqual(e, item)) {
			return true
		}
	}
	return false
}

// isset reports whether a map has key, or a list has index key.
func isset(coll, key any) bool {
	rv := reflect.ValueOf(coll)
	switch rv.Kind() {
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return false
		}
		return rv.MapIndex(reflect.ValueOf(toString(key)).Convert(rv.Type().Key())).IsValid()
	case reflect.Slice, reflect.Array:
		i := toInt(key)
		return i >= 0 && i < rv.Len()
	}
	return false
}

func delimit(list any, sep string, last ...string) (string, error) {
	rv := reflect.ValueOf(list)
	var items []string
	switch rv.Kind() {
	case reflect.Slice, reflect.Array:
		for i := 0; i < rv.Len(); i++ {
			items = append(items, toString(rv.Index(i).Interface()))
		}
	case reflect.Map:
		keys := rv.MapKeys()
		strs := make([]string, len(keys))
		for i, k := range keys {
			strs[i] = toString(k.Interface())
		}
		sortStrings(strs)
		for _, k := range strs {
			items = append(items, toString(rv.MapIndex(reflect.ValueOf(k).Convert(rv.Type().Key())).Interface()))
		}
	default:
		return "", fmt.Errorf("delimit: want a list, got %T", list)
	}
	if len(last) > 0 && len(items) > 1 {
		return strings.Join(items[:len(items)-1], sep) + last[0] + items[len(items)-1], nil
	}
	return strings.Join(items, sep), nil
}

func sortStrings(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && s[j] < s[j-1]; j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

func replace(s any, old, new string, limit ...int) string {
	n := -1
	if len(limit) > 0 {
		n = limit[0]
	}
	return strings.Replace(toString(s), old, new, n)
}

func replaceRE(pattern, repl string, s any) (string, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return "", err
	}
	return re.ReplaceAllString(toString(s), repl), nil
}

func findRE(pattern string, s any, limit ...int) ([]string, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, err
	}
	n := -1
	if len(limit) > 0 {
		n = limit[0]
	}
	return re.FindAllString(toString(s), n), nil
}

// urlize makes a string fit for a URL path as Hugo's urlize does: spaces
// become hyphens, characters other than letters, digits and ._-/#+~ go,
// and the rest is lower-cased and percent-encoded.
func urlize(s any) string {
	var b strings.Builder
	prevDash := false
	for _, r := range strings.TrimSpace(toString(s)) {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._/#+~", r):
			b.WriteRune(unicode.ToLower(r))
			prevDash = false
		case r == '-' || unicode.IsSpace(r):
			if !prevDash {
				b.WriteByte('-')
			}
			prevDash = true
		}
	}
	return (&urlPath{b.String()}).escaped()
}

type urlPath struct{ p string }

func (u *urlPath) escaped() string {
	var b strings.Builder
	for _, c := range []byte(u.p) {
		if c < 0x80 && (c == '/' || c == '#' || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z') {
			b.WriteByte(c)
			continue
		}
		fmt.Fprintf(&b, "%%%02X", c)
	}
	return b.String()
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// plainify strips HTML tags.
func plainify(s string) string { return tagRE.ReplaceAllString(s, "") }

func toTime(v any) (time.Time, error) {
	switch t := v.(type) {
	case time.Time:
		return t, nil
	case string:
		for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02 15:04:05", "2006-01-02"} {
			if tt, err := time.Parse(layout, t); err == nil {
				return tt, nil
			}
		}
	}
	return time.Time{}, fmt.Errorf("not a date: %v", v)
}

// stringsNS is Hugo's strings namespace: {{ strings.TrimPrefix "a" $s }}.
type stringsNS struct{}

func (stringsNS) Contains(s any, sub string) bool { return strings.Contains(toString(s), sub) }
func (stringsNS) ContainsAny(s any, chars string) bool {
	return strings.ContainsAny(toString(s), chars)
}
func (stringsNS) HasPrefix(s any, p string) bool       { return strings.HasPrefix(toString(s), p) }
func (stringsNS) HasSuffix(s any, p string) bool       { return strings.HasSuffix(toString(s), p) }
func (stringsNS) TrimPrefix(p string, s any) string    { return strings.TrimPrefix(toString(s), p) }
func (stringsNS) TrimSuffix(p string, s any) string    { return strings.TrimSuffix(toString(s), p) }
func (stringsNS) TrimLeft(cutset string, s any) string { return strings.TrimLeft(toString(s), cutset) }
func (stringsNS) TrimRight(cutset string, s any) string {
	return strings.TrimRight(toString(s), cutset)
}
func (stringsNS) TrimSpace(s any) string           { return strings.TrimSpace(toString(s)) }
func (stringsNS) Trim(s any, cutset string) string { return strings.Trim(toString(s), cutset) }
func (stringsNS) Split(s any, sep string) []string { return strings.Split(toString(s), sep) }
func (stringsNS) ToLower(s any) string             { return strings.ToLower(toString(s)) }
func (stringsNS) ToUpper(s any) string             { return strings.ToUpper(toString(s)) }
func (stringsNS) Title(s any) string {
	return cases.Title(language.English, cases.NoLower).String(toString(s))
}
func (stringsNS) Repeat(n any, s any) string { return strings.Repeat(toString(s), max(0, toInt(n))) }
func (stringsNS) Count(sub string, s any) int {
	return strings.Count(toString(s), sub)
}
func (stringsNS) Replace(s any, old, new string, limit ...int) string {
	return replace(s, old, new, limit...)
}
func (stringsNS) FirstUpper(s any) string {
	r := []rune(toString(s))
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}
func (stringsNS) RuneCount(s any) int { return len([]rune(toString(s))) }

// timeNS is Hugo's time namespace: {{ time.Format "2006-01-02" .Page.Date }}.
type timeNS struct{}

func (timeNS) Format(layout string, t any) (string, error) {
	tt, err := toTime(t)
	return tt.Format(layout), err
}
func (timeNS) Now() time.Time { return time.Now() }
func (timeNS) AsTime(v any) (time.Time, error) {
	return toTime(v)
}

// humanize turns "my-first_post" into "My first post", and 3 into "3rd".
func humanize(v any) string {
	switch v.(type) {
	case int, int64:
		n := toInt(v)
		suffix := "th"
		if n%100 < 11 || n%100 > 13 {
			switch n % 10 {
			case 1:
				suffix = "st"
			case 2:
				suffix = "nd"
			case 3:
				suffix = "rd"
			}
		}
		return strconv.Itoa(n) + suffix
	}
	s := strings.NewReplacer("-", " ", "_", " ").Replace(toString(v))
	r := []rune(strings.ToLower(s))
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}

// pathNS is Hugo's path namespace: {{ path.Base "a/b.png" }}.
type pathNS struct{}

func (pathNS) Base(p any) string  { return path.Base(toString(p)) }
func (pathNS) Dir(p any) string   { return path.Dir(toString(p)) }
func (pathNS) Ext(p any) string   { return path.Ext(toString(p)) }
func (pathNS) Clean(p any) string { return path.Clean(toString(p)) }
func (pathNS) BaseName(p any) string {
	b := path.Base(toString(p))
	return strings.TrimSuffix(b, path.Ext(b))
}
func (pathNS) Join(elems ...any) string {
	var s []string
	for _, e := range elems {
		s = append(s, toString(e))
	}
	return path.Join(s...)
}

// urlsNS is Hugo's urls namespace: {{ (urls.Parse $u).Host }}.
type urlsNS struct{}

func (urlsNS) Parse(s any) (*url.URL, error) { return url.Parse(toString(s)) }

// hugoNS is Hugo's hugo namespace, as a production build of the Hugo
// version whose templates the built-ins follow.
type hugoNS struct{}

func (hugoNS) Version() string     { return "0.111.3" }
func (hugoNS) Environment() string { return "production" }
func (hugoNS) IsProduction() bool  { return true }
func (hugoNS) IsServer() bool      { return false }

// translate is Hugo's i18n (and T): the message key of the site's
// i18n/LANG.toml files in the site's language. An argument that is a
// number, or a map with a Count, chooses the plural form and fills
// {{ .Count }}; a message with other template actions is run as a
// template with the argument as its data, as Hugo runs it. A message no
// file has gives "", as in Hugo, and a warning.
func translate(env expand.Env, pg *Page) func(key any, args ...any) (string, error) {
	return func(key any, args ...any) (string, error) {
		if env == nil {
			return "", nil
		}
		id := toString(key)
		var data, count any
		if len(args) > 0 {
			data, count = args[0], countOf(args[0])
		}
		s, ok := env.Translate(id, count)
		if !ok {
			if pg != nil && pg.warn != nil {
				pg.warn(fmt.Sprintf("i18n %q: no message of this ID in i18n/%s.toml (or it does not fit its argument): it gives \"\", as in Hugo", id, env.Site().Config.Language))
			}
			return "", nil
		}
		if !strings.Contains(s, "{{") {
			return s, nil
		}
		tpl, err := texttemplate.New(id).Option("missingkey=zero").Parse(s)
		if err != nil {
			return "", fmt.Errorf("i18n %q: %w", id, err)
		}
		var b strings.Builder
		if err := tpl.Execute(&b, data); err != nil {
			return "", fmt.Errorf("i18n %q: %w", id, err)
		}
		return b.String(), nil
	}
}

// countOf is the count an i18n argument gives: the number itself, or the
// Count of a map; nil for anything else.
func countOf(v any) any {
	switch v := v.(type) {
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64, float32, float64:
		return v
	case map[string]any:
		if c, ok := v["Count"]; ok {
			return countOf(c)
		}
	}
	return nil
}
