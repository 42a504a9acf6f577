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
