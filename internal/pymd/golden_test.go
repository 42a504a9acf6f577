package pymd_test

import (
	"testing"

	"github.com/siteblog/site/internal/pymd"
)

// TestGolden runs testdata/*.txt: Pelican posts written for this project,
// expanded.
func TestGolden(t *testing.T) { runGolden(t, "*.txt", pymd.Expand) }
