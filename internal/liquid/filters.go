package liquid

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/osteele/liquid"
	"github.com/osteele/liquid/expressions"
	"github.com/osteele/liquid/values"
	"golang.org/x/text/unicode/norm"
	yaml "gopkg.in/yaml.v2"
)

// addFilters defines Jekyll's filters, and Liquid's that the engine lacks.
func (x *expander) addFilters(e *liquid.Engine) {
	e.RegisterFilter("relative_url", x.relativeURL)
	e.RegisterFilter("absolute_url", x.absoluteURL)
	e.RegisterFilter("strip_index", func(s any) any {
		str := toString(s)
		if str == "" {
			return s
		}
		return stripIndex.ReplaceAllString(str, "/")
	})
	e.RegisterFilter("markdownify", func(s any) string { return x.env.Markdown(toString(s), false) })
	e.RegisterFilter("smartify", func(s any) string { return smartify(toString(s)) })
	e.RegisterFilter("date_to_xmlschema", dateFilter(func(t time.Time) string { return t.Format("2006-01-02T15:04:05-07:00") }))
	e.RegisterFilter("date_to_rfc822", dateFilter(func(t time.Time) string { return t.Format("Mon, 02 Jan 2006 15:04:05 -0700") }))
	e.RegisterFilter("date_to_string", func(d any, typ, style func(string) string) (any, error) {
		return stringifyDate(d, "Jan", typ(""), style(""))
	})
	e.RegisterFilter("date_to_long_string", func(d any, typ, style func(string) string) (any, error) {
		return stringifyDate(d, "January", typ(""), style(""))
	})
	e.RegisterFilter("xml_escape", xmlEscape)
	e.RegisterFilter("cgi_escape", func(s any) string { return url.QueryEscape(toString(s)) })
	e.RegisterFilter("uri_escape", func(s any) string { return uriEscape(toString(s)) })
	e.RegisterFilter("normalize_whitespace", func(s any) string { return strings.Join(strings.Fields(toString(s)), " ") })
	e.RegisterFilter("number_of_words", func(s any, mode func(string) string) int { return numberOfWords(toString(s), mode("")) })
	e.RegisterFilter("array_to_sentence_string", func(a []any, connector func(string) string) string {
		return arrayToSentence(a, connector("and"))
	})
	e.RegisterFilter("jsonify", jsonify)
	// The engine's json and inspect write a Go value's JSON: an ordered
	// map as a list of {"Key", "Value"} objects. Jekyll's inspect is
	// Ruby's, escaped for HTML.
	e.RegisterFilter("json", jsonify)
	e.RegisterFilter("inspect", func(v any) (string, error) {
		s, err := jsonify(v)
		return xmlEscape(s), err
	})
	e.RegisterFilter("slugify", func(s any, mode func(string) string) any {
		if s == nil {
			return nil
		}
		return slugify(toString(s), mode("default"))
	})
	e.RegisterFilter("where", where)
	e.RegisterFilter("where_exp", func(in any, variable string, cond expressions.Closure) ([]any, error) {
		return selectExp(in, variable, cond, false)
	})
	e.RegisterFilter("find", func(in any, property, value any) any {
		if found := where(in, property, value); len(found) > 0 {
			return found[0]
		}
		return nil
	})
	e.RegisterFilter("find_exp", func(in any, variable string, cond expressions.Closure) (any, error) {
		found, err := selectExp(in, variable, cond, true)
		if err != nil || len(found) == 0 {
			return nil, err
		}
		return found[0], nil
	})
	e.RegisterFilter("group_by", groupBy)
	e.RegisterFilter("group_by_exp", func(in any, variable string, expr expressions.Closure) ([]any, error) {
		return groupByFunc(in, func(item any) (string, error) {
			v, err := expr.Bind(variable, item).Evaluate()
			return toString(v), err
		})
	})
	e.RegisterFilter("sort", sortFilter)
	e.RegisterFilter("sample", func(in any, n func(int) int) any {
		a := toList(in)
		if len(a) == 0 {
			return nil
		}
		k := n(1)
		if k == 1 {
			return a[rand.IntN(len(a))]
		}
		p := rand.Perm(len(a))
		out := make([]any, 0, min(k, len(a)))
		for _, i := range p[:min(k, len(a))] {
			out = append(out, a[i])
		}
		return out
	})
	e.RegisterFilter("push", func(a []any, v any) []any { return append(append([]any{}, a...), v) })
	e.RegisterFilter("unshift", func(a []any, v any) []any { return append([]any{v}, a...) })
	e.RegisterFilter("pop", func(a []any, n func(int) int) []any { return a[:len(a)-min(max(n(1), 0), len(a))] })
	e.RegisterFilter("shift", func(a []any, n func(int) int) []any { return a[min(max(n(1), 0), len(a)):] })
	e.RegisterFilter("to_integer", func(v any) int {
		switch v := v.(type) {
		case bool:
			if v {
				return 1
			}
			return 0
		case string:
			n, _ := strconv.Atoi(leadingInt.FindString(strings.TrimSpace(v)))
			return n
		}
		n, _ := values.Convert(v, reflect.TypeOf(0))
		i, _ := n.(int)
		return i
	})
	e.RegisterFilter("at_least", func(a, b float64) float64 { return max(a, b) })
	e.RegisterFilter("at_most", func(a, b float64) float64 { return min(a, b) })
}

var (
	stripIndex = regexp.MustCompile(`/index\.html?$`)
	leadingInt = regexp.MustCompile(`^[+-]?\d+`)
	hasScheme  = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
)

// toString is a value as Liquid prints it.
func toString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case []byte:
		return string(v)
	}
	return fmt.Sprint(values.ToLiquid(v))
}

// relativeURL prefixes a path with the site's base path, as Jekyll's
// relative_url does; an absolute URL is left as it is.
func (x *expander) relativeURL(in any) any {
	if in == nil {
		return nil
	}
	s := toString(in)
	if hasScheme.MatchString(s) {
		return s
	}
	base := strings.TrimSuffix(x.basePath(), "/")
	if s != "" && !strings.HasPrefix(s, "/") {
		s = "/" + s
	}
	return normalizeURL(base + s)
}

// absoluteURL makes a path absolute with the site's URL and base path.
func (x *expander) absoluteURL(in any) any {
	if in == nil {
		return nil
	}
	s := toString(in)
	if hasScheme.MatchString(s) {
		return s
	}
	rel := toString(x.relativeURL(s))
	if site := x.env.Site(); site != nil && site.Config != nil {
		siteURL, _ := splitBaseURL(site.Config.BaseURL)
		return siteURL + rel
	}
	return rel
}

// normalizeURL percent-encodes what a URL path may not hold as it is.
func normalizeURL(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	return u.String()
}

// dateFilter makes a filter that formats a date, leaving an empty input as
// it is.
func dateFilter(format func(time.Time) string) func(any) (any, error) {
	return func(d any) (any, error) {
		if toString(d) == "" {
			return d, nil
		}
		t, err := toTime(d)
		if err != nil {
			return nil, err
		}
		return format(t), nil
	}
}

// toTime reads a date value: a time, or a string Liquid can read.
func toTime(d any) (time.Time, error) {
	switch d := d.(type) {
	case time.Time:
		return d, nil
	case string:
		return values.ParseDate(d)
	}
	return time.Time{}, fmt.Errorf("invalid date %v", d)
}

// stringifyDate is Jekyll's date_to_string and date_to_long_string:
// "07 Nov 2008", "7th Nov 2008" (ordinal), "Nov 7th, 2008" (ordinal, US).
func stringifyDate(d any, month, typ, style string) (any, error) {
	if toString(d) == "" {
		return d, nil
	}
	t, err := toTime(d)
	if err != nil {
		return nil, err
	}
	if typ == "ordinal" {
		day := strconv.Itoa(t.Day()) + ordinal(t.Day())
		if style == "US" {
			return t.Format(month) + " " + day + t.Format(", 2006"), nil
		}
		return day + t.Format(" "+month+" 2006"), nil
	}
	return t.Format("02 " + month + " 2006"), nil
}

func ordinal(n int) string {
	if n >= 11 && n <= 13 {
		return "th"
	}
	switch n % 10 {
	case 1:
		return "st"
	case 2:
		return "nd"
	case 3:
		return "rd"
	}
	return "th"
}

// xmlEscape escapes &, <, >, " and ', as Ruby's encode(xml: :attr) does.
func xmlEscape(s any) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;").Replace(toString(s))
}

// uriEscape percent-encodes what may not stand in a URL, keeping its
// reserved characters and existing escapes, as Addressable's
// normalize_component does.
func uriEscape(s string) string {
	const keep = "-._~!$&'()*+,;=:@/?#[]"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c < 0x80 && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c)) || strings.IndexByte(keep, c) >= 0):
			b.WriteByte(c)
		case c == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// numberOfWords counts words, as Jekyll does; mode "cjk" counts each
// Chinese, Japanese and Korean character as a word, "auto" does so when
// there are any.
func numberOfWords(s, mode string) int {
	cjk := 0
	for _, r := range s {
		if isCJK(r) {
			cjk++
		}
	}
	other := 0
	for _, f := range strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || isCJK(r) }) {
		if f != "" {
			other++
		}
	}
	switch {
	case mode == "cjk", mode == "auto" && cjk > 0:
		return cjk + other
	}
	return len(strings.Fields(s))
}

func isCJK(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Katakana, unicode.Hiragana, unicode.Hangul)
}

// arrayToSentence joins ["a", "b", "c"] as "a, b, and c".
func arrayToSentence(a []any, connector string) string {
	s := make([]string, len(a))
	for i, v := range a {
		s[i] = toString(v)
	}
	switch len(s) {
	case 0:
		return ""
	case 1:
		return s[0]
	case 2:
		return s[0] + " " + connector + " " + s[1]
	}
	return strings.Join(s[:len(s)-1], ", ") + ", " + connector + " " + s[len(s)-1]
}

// jsonify is the value as JSON, HTML characters unescaped as Ruby writes
// them.
func jsonify(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(jsonValue(v)); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// orderedJSON writes an ordered map as a JSON object, keys in order.
type orderedJSON struct{ m yaml.MapSlice }

func (o orderedJSON) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, item := range o.m {
		if i > 0 {
			b.WriteByte(',')
		}
		k, err := json.Marshal(fmt.Sprint(item.Key))
		if err != nil {
			return nil, err
		}
		val, err := jsonify(item.Value)
		if err != nil {
			return nil, err
		}
		b.Write(k)
		b.WriteByte(':')
		b.WriteString(val)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// jsonValue resolves drops and writes times as Ruby's to_json does.
func jsonValue(v any) any {
	v = values.ToLiquid(v)
	switch v := v.(type) {
	case time.Time:
		return v.Format("2006-01-02 15:04:05 -0700")
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = jsonValue(e)
		}
		return out
	case yaml.MapSlice:
		return orderedJSON{v}
	case map[string]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			out[k] = jsonValue(e)
		}
		return out
	}
	return v
}

// Jekyll's slugify modes: what becomes a hyphen.
var slugModes = map[string]*regexp.Regexp{
	"raw":     regexp.MustCompile(`\s+`),
	"default": regexp.MustCompile(`[^\p{M}\p{L}\p{Nd}]+`),
	"pretty":  regexp.MustCompile(`[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+`),
	"ascii":   regexp.MustCompile(`[^A-Za-z0-9]+`),
	"latin":   regexp.MustCompile(`[^A-Za-z0-9]+`),
}

// slugify is Jekyll's slugify filter.
func slugify(s, mode string) string {
	re, ok := slugModes[mode]
	if !ok {
		if mode == "none" {
			return strings.ToLower(s)
		}
		re = slugModes["default"]
	}
	if mode == "latin" {
		// Drop accents, as Jekyll's transliteration does for Latin letters.
		var b strings.Builder
		for _, r := range norm.NFD.String(s) {
			if !unicode.Is(unicode.Mn, r) {
				b.WriteRune(r)
			}
		}
		s = b.String()
	}
	s = re.ReplaceAllString(s, "-")
	s = strings.TrimSuffix(strings.TrimPrefix(s, "-"), "-")
	return strings.ToLower(s)
}

// smartify turns straight quotes, dashes and dots into typographic ones,
// as SmartyPants does.
func smartify(s string) string {
	s = strings.NewReplacer("---", "—", "--", "–", "...", "…", "``", "“", "''", "”").Replace(s)
	var b strings.Builder
	rs := []rune(s)
	for i, r := range rs {
		opening := i == 0 || unicode.IsSpace(rs[i-1]) || strings.ContainsRune("([{-–—", rs[i-1])
		switch {
		case r == '"' && opening:
			b.WriteRune('“')
		case r == '"':
			b.WriteRune('”')
		case r == '\'' && opening:
			b.WriteRune('‘')
		case r == '\'':
			b.WriteRune('’')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// toList is an array value, or a hash's values, as Jekyll's filters take
// them.
func toList(in any) []any {
	in = values.ToLiquid(in)
	switch v := in.(type) {
	case nil:
		return nil
	case []any:
		return v
	case yaml.MapSlice:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = item.Value
		}
		return out
	case map[string]any:
		keys := slices.Sorted(maps.Keys(v))
		out := make([]any, len(keys))
		for i, k := range keys {
			out[i] = v[k]
		}
		return out
	}
	rv := reflect.ValueOf(in)
	if rv.Kind() == reflect.Slice || rv.Kind() == reflect.Array {
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = rv.Index(i).Interface()
		}
		return out
	}
	return nil
}

// property is an item's property, as item.property reads it.
func property(item any, name string) any {
	return values.ValueOf(item).PropertyValue(values.ValueOf(name)).Interface()
}

// where keeps the items whose property equals value, or holds it when the
// property is a list, comparing as strings (Jekyll's where).
func where(in any, prop, value any) []any {
	name := toString(prop)
	target := toString(value)
	var out []any
	for _, item := range toList(in) {
		p := values.ToLiquid(property(item, name))
		if value == nil {
			if p == nil {
				out = append(out, item)
			}
			continue
		}
		if s, ok := p.(string); ok {
			if s == target {
				out = append(out, item)
			}
			continue
		}
		list := toList(p)
		if list == nil && p != nil {
			list = []any{p}
		}
		for _, e := range list {
			if toString(e) == target {
				out = append(out, item)
				break
			}
		}
	}
	return out
}

// selectExp keeps the items for which cond is true with the item bound
// to variable; first stops at the first.
func selectExp(in any, variable string, cond expressions.Closure, first bool) ([]any, error) {
	var out []any
	for _, item := range toList(in) {
		v, err := cond.Bind(variable, item).Evaluate()
		if err != nil {
			return nil, err
		}
		if v != nil && v != false {
			out = append(out, item)
			if first {
				break
			}
		}
	}
	return out, nil
}

// groupBy groups items by a property, as [{name, items, size}] in the
// order the groups first appear.
func groupBy(in any, prop string) ([]any, error) {
	return groupByFunc(in, func(item any) (string, error) { return toString(property(item, prop)), nil })
}

func groupByFunc(in any, key func(any) (string, error)) ([]any, error) {
	var order []string
	groups := map[string][]any{}
	for _, item := range toList(in) {
		k, err := key(item)
		if err != nil {
			return nil, err
		}
		if _, seen := groups[k]; !seen {
			order = append(order, k)
		}
		groups[k] = append(groups[k], item)
	}
	out := make([]any, len(order))
	for i, k := range order {
		out[i] = yaml.MapSlice{{Key: "name", Value: k}, {Key: "items", Value: groups[k]}, {Key: "size", Value: len(groups[k])}}
	}
	return out, nil
}

// sortFilter is Jekyll's sort: by value, or by a property with items
// lacking it first (nils "first", the default) or last. A hash without a
// property sorts as Ruby's Hash#sort: its [key, value] pairs by key.
func sortFilter(in any, prop, nils func(string) string) ([]any, error) {
	if in == nil {
		return nil, fmt.Errorf("cannot sort a null object")
	}
	name := prop("")
	if name == "" {
		if pairs, ok := hashPairs(in); ok {
			sort.SliceStable(pairs, func(i, j int) bool { return less(pairs[i].([]any)[0], pairs[j].([]any)[0]) })
			return pairs, nil
		}
	}
	a := append([]any{}, toList(in)...)
	if name == "" {
		sort.SliceStable(a, func(i, j int) bool { return less(a[i], a[j]) })
		return a, nil
	}
	order := nils("first")
	if order != "first" && order != "last" {
		return nil, fmt.Errorf("invalid nils order %q: it must be 'first' or 'last'", order)
	}
	sort.SliceStable(a, func(i, j int) bool {
		pi, pj := values.ToLiquid(property(a[i], name)), values.ToLiquid(property(a[j], name))
		switch {
		case pi == nil && pj == nil:
			return false
		case pi == nil:
			return order == "first"
		case pj == nil:
			return order == "last"
		}
		return less(pi, pj)
	})
	return a, nil
}

// hashPairs are a hash's [key, value] pairs, as Liquid's for gives them.
func hashPairs(in any) ([]any, bool) {
	switch v := values.ToLiquid(in).(type) {
	case yaml.MapSlice:
		out := make([]any, len(v))
		for i, item := range v {
			out[i] = []any{item.Key, item.Value}
		}
		return out, true
	case map[string]any:
		ms := sortedValue(v).(yaml.MapSlice)
		out := make([]any, len(ms))
		for i, item := range ms {
			out[i] = []any{item.Key, v[item.Key.(string)]}
		}
		return out, true
	}
	return nil, false
}

// less orders two values: times by time, others as Liquid compares them.
func less(a, b any) bool {
	ta, okA := a.(time.Time)
	tb, okB := b.(time.Time)
	if okA && okB {
		return ta.Before(tb)
	}
	return values.Less(a, b)
}
