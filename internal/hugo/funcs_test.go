package hugo

import (
	"reflect"
	"testing"
)

func TestArith(t *testing.T) {
	tests := []struct {
		op      byte
		a, b    any
		want    any
		wantErr bool
	}{
		{'+', 1, 2, 3, false},
		{'-', 5, 3, 2, false},
		{'*', 2, 3, 6, false},
		{'/', 7, 2, 3, false},
		{'/', 7, 0, nil, true},
		{'+', 1.5, 2, 3.5, false},
		{'-', "2.5", 1, 1.5, false},
		{'*', 2, 0.5, 1.0, false},
		{'/', 7.0, 2, 3.5, false},
		{'/', 1.0, 0, nil, true},
		{'+', "a", "b", "ab", false},
		{'+', "a", 1, "a1", false},
	}
	for _, tt := range tests {
		got, err := arith(tt.op)(tt.a, tt.b)
		if (err != nil) != tt.wantErr || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%v %c %v = %#v, %v; want %#v (error %v)", tt.a, tt.op, tt.b, got, err, tt.want, tt.wantErr)
		}
	}
}

// TestEq checks Hugo's eq: values of different types are unequal rather
// than an error, numbers compare within their kind, and any of several
// values may match.
func TestEq(t *testing.T) {
	type named string
	tests := []struct {
		a      any
		others []any
		want   bool
	}{
		{"", []any{true}, false}, // PaperMod's collapse: a missing parameter against true
		{true, []any{true}, true},
		{nil, []any{true}, false},
		{nil, []any{nil}, true},
		{1, []any{int64(1)}, true},
		{uint8(1), []any{uint(1)}, true},
		{1, []any{1.0}, false},
		{1.5, []any{float32(1.5)}, true},
		{"a", []any{named("a")}, true},
		{"a", []any{"b", "c", "a"}, true},
		{"a", []any{1, 2}, false},
		{[]any{1}, []any{[]any{1}}, true},
	}
	for _, tt := range tests {
		if got := eq(tt.a, tt.others...); got != tt.want {
			t.Errorf("eq(%#v, %#v) = %v; want %v", tt.a, tt.others, got, tt.want)
		}
	}
}
