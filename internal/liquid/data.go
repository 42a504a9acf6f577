package liquid

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/osteele/liquid/values"
	yamlv2 "gopkg.in/yaml.v2"
)

// dataDir is where site.data's files are, as in Jekyll.
const dataDir = "_data"

// dataValue is site.data, or a directory of it: site.data.NAME reads
// _data/NAME.yml (.yaml, .json, .csv, .tsv) when it is first used, or is
// the directory _data/NAME.
type dataValue struct {
	x   *expander
	dir string
}

func (x *expander) siteData() dataValue { return dataValue{x: x, dir: dataDir} }

// lookup reads the data file name of the directory, once per page.
func (d dataValue) lookup(name string) values.Value {
	if name == "" || strings.ContainsAny(name, "/\\") || strings.HasPrefix(name, ".") {
		return values.ValueOf(nil)
	}
	p := d.dir + "/" + name
	if v, ok := d.x.data[p]; ok {
		return values.ValueOf(v)
	}
	var v any = dataValue{x: d.x, dir: p}
	for _, ext := range []string{".yml", ".yaml", ".json", ".csv", ".tsv"} {
		src, err := d.x.env.ReadFile(p + ext)
		if err != nil {
			continue
		}
		parsed, err := parseData(src, ext)
		if err != nil {
			msg, _, _ := strings.Cut(err.Error(), "\n")
			d.x.dataErrs = append(d.x.dataErrs, p+ext+": "+msg)
			parsed = nil
		}
		v = parsed
		break
	}
	d.x.data[p] = v
	return values.ValueOf(v)
}

// parseData reads a data file: YAML, JSON, or CSV and TSV (a list of
// hashes by the header row's names). Its hashes keep their keys in the
// order written, as Jekyll's do.
func parseData(src []byte, ext string) (any, error) {
	switch ext {
	case ".json":
		return decodeOrderedJSON(src)
	case ".csv", ".tsv":
		r := csv.NewReader(bytes.NewReader(src))
		if ext == ".tsv" {
			r.Comma = '\t'
		}
		rows, err := r.ReadAll()
		if err != nil || len(rows) == 0 {
			return nil, err
		}
		out := make([]any, 0, len(rows)-1)
		for _, row := range rows[1:] {
			m := make(yamlv2.MapSlice, 0, len(row))
			for i, cell := range row {
				// Ruby's CSV::Row#to_h keeps the first of a name's cells.
				if i < len(rows[0]) && !slices.ContainsFunc(m, func(item yamlv2.MapItem) bool { return item.Key == rows[0][i] }) {
					m = append(m, yamlv2.MapItem{Key: rows[0][i], Value: cell})
				}
			}
			out = append(out, m)
		}
		return out, nil
	}
	var v any
	err := yaml.UnmarshalWithOptions(src, &v, yaml.UseOrderedMap())
	return orderedValue(v), err
}

func (d dataValue) PropertyValue(k values.Value) values.Value {
	s, _ := k.Interface().(string)
	return d.lookup(s)
}
func (d dataValue) IndexValue(k values.Value) values.Value { return d.PropertyValue(k) }
func (d dataValue) Contains(k values.Value) bool {
	return d.PropertyValue(k).Interface() != nil
}
func (d dataValue) Interface() any            { return d }
func (d dataValue) Int() int                  { return 0 }
func (d dataValue) Equal(o values.Value) bool { return false }
func (d dataValue) Less(o values.Value) bool  { return false }
func (d dataValue) Test() bool                { return true }
func (d dataValue) String() string            { return "" }
