package liquid

import (
	"bytes"
	"strings"

	goyaml "github.com/goccy/go-yaml"
	yaml "gopkg.in/yaml.v2"
)

// orderedMaps returns the mappings among the top-level keys of a page's
// YAML front matter (key lower-cased, as content.Meta.Params has them)
// as ordered maps, with their keys in the order written: Jekyll iterates
// a hash ({% for pair in page.links %}) in that order, where a Go map has
// none. It returns nil when src has no YAML front matter or it does not
// parse.
func orderedMaps(src []byte) map[string]yaml.MapSlice {
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	if !bytes.HasPrefix(src, []byte("---\n")) && !bytes.HasPrefix(src, []byte("---\r\n")) {
		return nil
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	end := -1
	for i := 1; i < len(lines); i++ {
		if l := string(bytes.TrimRight(lines[i], " \t\r\n")); l == "---" || l == "..." {
			end = i
			break
		}
	}
	if end < 0 {
		return nil
	}
	var top goyaml.MapSlice
	if err := goyaml.UnmarshalWithOptions(bytes.Join(lines[1:end], nil), &top, goyaml.UseOrderedMap(), goyaml.AllowDuplicateMapKey()); err != nil {
		return nil
	}
	out := map[string]yaml.MapSlice{}
	for _, item := range top {
		k, ok := item.Key.(string)
		if !ok {
			continue
		}
		if m, ok := item.Value.(goyaml.MapSlice); ok {
			out[strings.ToLower(k)] = ordered(m)
		}
	}
	return out
}

// ordered converts an ordered map, and those inside it, to the form the
// Liquid engine iterates in order.
func ordered(m goyaml.MapSlice) yaml.MapSlice {
	out := make(yaml.MapSlice, 0, len(m))
	for _, item := range m {
		out = append(out, yaml.MapItem{Key: item.Key, Value: orderedValue(item.Value)})
	}
	return out
}

func orderedValue(v any) any {
	switch v := v.(type) {
	case goyaml.MapSlice:
		return ordered(v)
	case []any:
		list := make([]any, len(v))
		for i, e := range v {
			list[i] = orderedValue(e)
		}
		return list
	}
	return v
}
