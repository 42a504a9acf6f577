package liquid

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strings"

	goyaml "github.com/goccy/go-yaml"
	yaml "gopkg.in/yaml.v2"
)

// Jekyll's hashes (a post's front matter mapping, a data file, site.tags)
// keep the order in which their keys were added, and Liquid iterates them
// so: {% for pair in hash %} gives [key, value] pairs in that order. A Go
// map has no order, and github.com/osteele/liquid iterates one in a
// random order. Every hash this package gives Liquid is therefore a
// yaml.MapSlice (of gopkg.in/yaml.v2), which the engine iterates in order
// and looks keys up in (hash.key, hash["key"], hash.size, contains); a
// hash whose order is not known (site.toml's [params]) has its keys in
// sorted order, so that it is at least the same in every build.

// orderedFrontMatter returns the values of a page's YAML front matter's
// top-level keys (lower-cased, as content.Meta.Params has them; the first
// of keys that differ only in case) that hold a mapping, at any depth of
// lists, with every mapping an ordered map keeping its keys in the order
// written. It returns nil when src has no YAML front matter or it does
// not parse.
func orderedFrontMatter(src []byte) map[string]any {
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
	out := map[string]any{}
	seen := map[string]bool{}
	for _, item := range top {
		k, ok := item.Key.(string)
		if !ok {
			continue
		}
		k = strings.ToLower(k)
		if seen[k] {
			continue
		}
		seen[k] = true
		if v := orderedValue(item.Value); containsMap(v) {
			out[k] = v
		}
	}
	return out
}

// orderedValue converts go-yaml's ordered maps, at any depth, to the
// form the Liquid engine iterates in order.
func orderedValue(v any) any {
	switch v := v.(type) {
	case goyaml.MapSlice:
		out := make(yaml.MapSlice, 0, len(v))
		for _, item := range v {
			out = append(out, yaml.MapItem{Key: item.Key, Value: orderedValue(item.Value)})
		}
		return out
	case []any:
		list := make([]any, len(v))
		for i, e := range v {
			list[i] = orderedValue(e)
		}
		return list
	}
	return v
}

// sortedValue converts the Go maps in v, at any depth, to ordered maps
// with their keys in sorted order: for hashes whose written order is
// lost, so that they iterate the same way in every build.
func sortedValue(v any) any {
	switch v := v.(type) {
	case nil:
		return nil
	case yaml.MapSlice:
		out := make(yaml.MapSlice, len(v))
		for i, item := range v {
			out[i] = yaml.MapItem{Key: item.Key, Value: sortedValue(item.Value)}
		}
		return out
	case []any:
		list := make([]any, len(v))
		for i, e := range v {
			list[i] = sortedValue(e)
		}
		return list
	case map[string]any:
		out := make(yaml.MapSlice, 0, len(v))
		for _, k := range slices.Sorted(maps.Keys(v)) {
			out = append(out, yaml.MapItem{Key: k, Value: sortedValue(v[k])})
		}
		return out
	}
	// Other maps and slices of maps (TOML's arrays of tables are
	// []map[string]any).
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map:
		keys := rv.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(fmt.Sprint(a), fmt.Sprint(b)) })
		out := make(yaml.MapSlice, 0, len(keys))
		for _, k := range keys {
			out = append(out, yaml.MapItem{Key: k.Interface(), Value: sortedValue(rv.MapIndex(k).Interface())})
		}
		return out
	case reflect.Slice:
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			return v
		}
		list := make([]any, rv.Len())
		for i := range list {
			list[i] = sortedValue(rv.Index(i).Interface())
		}
		return list
	}
	return v
}

// containsMap tells whether v is a map or a list holding one, at any
// depth.
func containsMap(v any) bool {
	switch v := v.(type) {
	case nil, string, bool, int, int64, uint64, float64:
		return false
	case yaml.MapSlice, map[string]any:
		return true
	case []any:
		return slices.ContainsFunc(v, containsMap)
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Map:
		return true
	case reflect.Slice, reflect.Array:
		for i := range rv.Len() {
			if containsMap(rv.Index(i).Interface()) {
				return true
			}
		}
	}
	return false
}

// decodeOrderedJSON reads JSON with its objects as ordered maps, keys in
// the order written (the last of duplicate keys winning in the first's
// place, as Ruby's JSON does) and numbers as float64.
func decodeOrderedJSON(src []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(src))
	v, err := jsonValueOf(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("invalid JSON: more after the value at offset %d", dec.InputOffset())
	}
	return v, nil
}

func jsonValueOf(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		var m yaml.MapSlice
		index := map[string]int{}
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return nil, err
			}
			k, _ := kt.(string)
			v, err := jsonValueOf(dec)
			if err != nil {
				return nil, err
			}
			if i, dup := index[k]; dup {
				m[i].Value = v
				continue
			}
			index[k] = len(m)
			m = append(m, yaml.MapItem{Key: k, Value: v})
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		if m == nil {
			m = yaml.MapSlice{}
		}
		return m, nil
	case json.Delim('['):
		list := []any{}
		for dec.More() {
			v, err := jsonValueOf(dec)
			if err != nil {
				return nil, err
			}
			list = append(list, v)
		}
		if _, err := dec.Token(); err != nil {
			return nil, err
		}
		return list, nil
	}
	return tok, nil
}
