package expand

import (
	"reflect"
	"testing"

	"github.com/yuin/goldmark/ast"
)

func TestHeadingIDs(t *testing.T) {
	tests := []struct {
		name  string
		put   []string
		heads []string
		want  []string
	}{
		{"repeated", nil, []string{"A", "A", "A"}, []string{"a", "a-1", "a-2"}},
		{"empty", nil, []string{"???", "!!!"}, []string{"section", "section-1"}},
		{"listing anchors", nil, []string{"Code 1", "Code 1 L2"}, []string{"code-1-1", "code-1-l2-1"}},
		{"given ids", []string{"intro"}, []string{"Intro"}, []string{"intro-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids := NewHeadingIDs()
			for _, p := range tt.put {
				ids.Put([]byte(p))
			}
			var got []string
			for _, h := range tt.heads {
				got = append(got, string(ids.Generate([]byte(h), ast.KindHeading)))
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("IDs of %q = %q, want %q", tt.heads, got, tt.want)
			}
		})
	}
}
