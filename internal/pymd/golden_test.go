package pymd_test

import (
	"testing"

	"github.com/siteblog/site/internal/expand/expandtest"
	"github.com/siteblog/site/internal/pymd"
)

// TestGolden runs testdata/*.txt: Pelican posts written for this project,
// expanded.
func TestGolden(t *testing.T) { expandtest.RunGolden(t, "*.txt", pymd.Expand) }
