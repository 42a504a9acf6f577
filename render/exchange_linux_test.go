package render

import "testing"

func TestIsMountPoint(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		dir  string
		want bool
	}{
		{"/proc", true},
		{dir, false},
	} {
		if got := isMountPoint(tc.dir); got != tc.want {
			t.Errorf("isMountPoint(%s) = %v, want %v", tc.dir, got, tc.want)
		}
	}
}
