package goblog_test

import (
	"testing"

	"github.com/siteblog/site/internal/expand/expandtest"
	"github.com/siteblog/site/internal/goblog"
)

// TestGolden runs testdata/*.txt: snippets of go.dev blog posts and their
// code files (see testdata/README), expanded as go.dev would.
func TestGolden(t *testing.T) { expandtest.RunGolden(t, "*.txt", goblog.Expand) }
