package siteimport

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goccy/go-yaml"
	"github.com/pelletier/go-toml/v2"
)

// A conf is a configuration read from a file: its values by key, the line
// of each key, and which keys the import used, so that the rest can be
// reported.
type conf struct {
	file  string         // relative to the source directory
	m     map[string]any // keys lower-cased when fold
	lines map[string]int // dotted path → line
	used  map[string]bool
	fold  bool // keys are case-insensitive (Hugo)
	// files names the file of top-level keys read from another file than
	// file (Hugo's config/_default/params.toml …).
	files map[string]string
}

// loadConf reads a TOML or YAML configuration file (by extension).
func loadConf(dir, file string, fold bool) (*conf, error) {
	data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(file)))
	if err != nil {
		return nil, err
	}
	return parseConf(file, data, fold)
}

func parseConf(file string, data []byte, fold bool) (*conf, error) {
	c := &conf{file: file, m: map[string]any{}, used: map[string]bool{}, fold: fold}
	switch strings.ToLower(filepath.Ext(file)) {
	case ".toml":
		if err := toml.Unmarshal(data, &c.m); err != nil {
			return nil, tomlError(file, err)
		}
		c.lines = tomlLines(data)
	case ".yml", ".yaml":
		if err := yaml.Unmarshal(data, &c.m); err != nil {
			return nil, yamlError(file, err)
		}
		if c.m == nil {
			c.m = map[string]any{}
		}
		c.lines = yamlLines(data)
	default:
		return nil, fmt.Errorf("%s: not a TOML or YAML file", file)
	}
	if fold {
		c.m = foldKeys(c.m)
		low := map[string]int{}
		for k, v := range c.lines {
			if _, ok := low[strings.ToLower(k)]; !ok {
				low[strings.ToLower(k)] = v
			}
		}
		c.lines = low
	}
	return c, nil
}

func foldKeys(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		if sub, ok := v.(map[string]any); ok {
			v = foldKeys(sub)
		}
		out[strings.ToLower(k)] = v
	}
	return out
}

func tomlError(file string, err error) error {
	var de *toml.DecodeError
	if errors.As(err, &de) {
		row, _ := de.Position()
		return fmt.Errorf("%s:%d: %s", file, row, strings.TrimPrefix(de.Error(), "toml: "))
	}
	return fmt.Errorf("%s: %w", file, err)
}

var yamlPos = regexp.MustCompile(`^\[(\d+):\d+\] ([^\n]*)`)

func yamlError(file string, err error) error {
	if m := yamlPos.FindStringSubmatch(err.Error()); m != nil {
		return fmt.Errorf("%s:%s: %s", file, m[1], m[2])
	}
	return fmt.Errorf("%s: %w", file, err)
}

// tomlLines finds the line of every key of a TOML document by dotted path.
func tomlLines(data []byte) map[string]int {
	lines := map[string]int{}
	table := ""
	for i, l := range strings.Split(string(data), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "" || strings.HasPrefix(l, "#"):
		case strings.HasPrefix(l, "["):
			name := strings.Trim(strings.SplitN(l, "]", 2)[0], "[]")
			if strings.HasPrefix(l, "[[") {
				name = strings.Trim(strings.SplitN(l, "]]", 2)[0], "[]")
			}
			table = unquoteKey(name)
			parts := strings.Split(table, ".")
			for j := range parts {
				if _, ok := lines[strings.Join(parts[:j+1], ".")]; !ok {
					lines[strings.Join(parts[:j+1], ".")] = i + 1
				}
			}
		default:
			k, _, ok := strings.Cut(l, "=")
			if !ok {
				continue
			}
			key := unquoteKey(k)
			if table != "" {
				key = table + "." + key
			}
			if _, ok := lines[key]; !ok {
				lines[key] = i + 1
			}
		}
	}
	return lines
}

// unquoteKey turns a TOML key (dotted, perhaps quoted) into a dotted path.
func unquoteKey(k string) string {
	parts := strings.Split(k, ".")
	for i, p := range parts {
		parts[i] = strings.Trim(strings.TrimSpace(p), `"'`)
	}
	return strings.Join(parts, ".")
}

// yamlLines finds the line of every mapping key of a YAML document by
// dotted path, from indentation.
func yamlLines(data []byte) map[string]int {
	lines := map[string]int{}
	type level struct {
		indent int
		key    string
	}
	var stack []level
	for i, l := range strings.Split(string(data), "\n") {
		t := strings.TrimLeft(l, " ")
		if t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "-") || strings.HasPrefix(t, "---") {
			continue
		}
		indent := len(l) - len(t)
		k, _, ok := strings.Cut(t, ":")
		if !ok || strings.ContainsAny(k, "{[") {
			continue
		}
		for len(stack) > 0 && stack[len(stack)-1].indent >= indent {
			stack = stack[:len(stack)-1]
		}
		stack = append(stack, level{indent, strings.Trim(strings.TrimSpace(k), `"'`)})
		var parts []string
		for _, s := range stack {
			parts = append(parts, s.key)
		}
		key := strings.Join(parts, ".")
		if _, ok := lines[key]; !ok {
			lines[key] = i + 1
		}
	}
	return lines
}

func (c *conf) key(k string) string {
	if c.fold {
		return strings.ToLower(k)
	}
	return k
}

// line is the line of the key at the dotted path, or 0.
func (c *conf) line(path string) int { return c.lines[c.key(path)] }

// get returns the value at the dotted path and marks it used.
func (c *conf) get(path string) (any, bool) {
	path = c.key(path)
	var v any = c.m
	for _, part := range strings.Split(path, ".") {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[part]; !ok {
			return nil, false
		}
	}
	c.used[path] = true
	return v, true
}

// str returns the string at path, and an error naming the key's line if
// it is another type.
func (c *conf) str(path string) (string, error) {
	v, ok := c.get(path)
	if !ok || v == nil {
		return "", nil
	}
	s, ok := v.(string)
	if !ok {
		return "", c.errorf(path, "want a string, not %v", v)
	}
	return s, nil
}

// num returns the integer at path, or 0.
func (c *conf) num(path string) (int, error) {
	v, ok := c.get(path)
	if !ok || v == nil {
		return 0, nil
	}
	switch n := v.(type) {
	case int64:
		return int(n), nil
	case uint64:
		return int(n), nil
	case int:
		return n, nil
	case float64:
		if n == float64(int(n)) {
			return int(n), nil
		}
	case string:
		if i, err := strconv.Atoi(n); err == nil {
			return i, nil
		}
	}
	return 0, c.errorf(path, "want a whole number, not %v", v)
}

// boolean returns the boolean at path.
func (c *conf) boolean(path string) (value, set bool, err error) {
	v, ok := c.get(path)
	if !ok || v == nil {
		return false, false, nil
	}
	b, ok := v.(bool)
	if !ok {
		return false, false, c.errorf(path, "want true or false, not %v", v)
	}
	return b, true, nil
}

// fileOf is the file a key at the dotted path was read from.
func (c *conf) fileOf(path string) string {
	top, _, _ := strings.Cut(c.key(path), ".")
	if f, ok := c.files[top]; ok {
		return f
	}
	return c.file
}

func (c *conf) errorf(path, format string, args ...any) error {
	where := c.fileOf(path)
	if l := c.line(path); l > 0 {
		where += ":" + strconv.Itoa(l)
	}
	return fmt.Errorf("%s: %s: %s", where, path, fmt.Sprintf(format, args...))
}

// unused reports, in p, every key nothing used (neither it nor a key
// below it), each with the reason reasons gives for its dotted path or
// for its top-level key, else "no equivalent in site.toml".
func (c *conf) unused(p *Plan, reasons map[string]string) {
	var visit func(prefix string, m map[string]any)
	visit = func(prefix string, m map[string]any) {
		keys := slices.Sorted(maps.Keys(m))
		for _, k := range keys {
			path := k
			if prefix != "" {
				path = prefix + "." + k
			}
			if c.used[path] {
				continue
			}
			if sub, ok := m[k].(map[string]any); ok && c.usedBelow(path) {
				visit(path, sub)
				continue
			}
			reason, ok := reasons[path]
			if !ok {
				top, _, _ := strings.Cut(path, ".")
				if reason, ok = reasons[top]; !ok {
					reason = "no equivalent in site.toml"
				}
			}
			p.note(c.fileOf(path), c.line(path), "%s: not mapped: %s", path, reason)
		}
	}
	visit("", c.m)
}

func (c *conf) usedBelow(path string) bool {
	for k := range c.used {
		if strings.HasPrefix(k, path+".") {
			return true
		}
	}
	return false
}

// setTimezone sets the plan's timezone to tz if it is a known zone, and
// else notes it. A zone that converts every date (Jekyll's) is timezone;
// one that only places dates written without a zone (Hugo's, Pelican's) is
// default_timezone.
func setTimezone(p *Plan, file string, line int, key, tz string, converts bool) {
	if tz == "" {
		return
	}
	if _, err := time.LoadLocation(tz); err != nil {
		p.note(file, line, "%s: %q is not a known IANA time zone; not mapped", key, tz)
		return
	}
	if converts {
		p.Config.Timezone = tz
	} else {
		p.Config.DefaultTimezone = tz
	}
}

// joinURL is base_url from a site URL and a path below it.
func joinURL(site, sub string) string {
	if site == "" {
		return ""
	}
	u := strings.TrimRight(site, "/") + "/"
	if sub = strings.Trim(sub, "/"); sub != "" {
		u += sub + "/"
	}
	return u
}

// params keeps the values TOML can hold: nil values are dropped.
func params(v any) (any, bool) {
	switch x := v.(type) {
	case nil:
		return nil, false
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if e, ok := params(e); ok {
				out[k] = e
			}
		}
		return out, true
	case []any:
		out := []any{}
		for _, e := range x {
			if e, ok := params(e); ok {
				out = append(out, e)
			}
		}
		return out, true
	case map[any]any:
		out := map[string]any{}
		for k, e := range x {
			if e, ok := params(e); ok {
				out[fmt.Sprint(k)] = e
			}
		}
		return out, true
	}
	return v, true
}

func setParam(p *Plan, key string, v any) {
	if v, ok := params(v); ok {
		if p.Config.Params == nil {
			p.Config.Params = map[string]any{}
		}
		p.Config.Params[key] = v
	}
}

// author reads an author given as a name or as a map with name and email.
func author(c *conf, path string) (*Author, error) {
	v, ok := c.get(path)
	if !ok || v == nil {
		return nil, nil
	}
	switch a := v.(type) {
	case string:
		if a == "" {
			return nil, nil
		}
		return &Author{Name: a}, nil
	case map[string]any:
		var out Author
		for k, v := range a {
			s, _ := v.(string)
			switch strings.ToLower(k) {
			case "name":
				out.Name = s
			case "email":
				out.Email = s
			}
		}
		if out.Name == "" {
			return nil, nil
		}
		return &out, nil
	}
	return nil, c.errorf(path, "want a name, or name and email, not %v", v)
}

// ptr returns a pointer to v, for the optional keys of site.toml.
func ptr[T any](v T) *T { return &v }
