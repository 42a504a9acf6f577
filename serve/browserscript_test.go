package serve

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testenv"
)

// browserRun is what one of testdata's browser scripts reported: each
// "FAIL message" line is a test error, each "CHECKED …" line one view it
// checked; other lines are logged.
type browserRun struct {
	checked, failures int
}

// runBrowserScript runs testdata/name under Node with headless Chromium,
// playwright-core and axe-core (NODE_PATH, CHROMIUM and AXE in its
// environment, with env added), input on its standard input, for at most
// timeout, and fails the test if the script does not end well.
func runBrowserScript(t *testing.T, name string, timeout time.Duration, input []byte, env ...string) browserRun {
	t.Helper()
	chromium := testenv.Chromium(t)
	nodeModules := testenv.NodeModules(t)
	axe := testenv.AxeCore(t)
	node := testenv.Node(t)
	script, err := filepath.Abs(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script)
	cmd.Env = append(append(os.Environ(), "NODE_PATH="+nodeModules, "CHROMIUM="+chromium, "AXE="+axe), env...)
	cmd.Stdin = bytes.NewReader(input)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr previewLog
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var run browserRun
	sc := bufio.NewScanner(stdout)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "FAIL "):
			run.failures++
			t.Error(strings.TrimPrefix(line, "FAIL "))
		case strings.HasPrefix(line, "CHECKED "):
			run.checked++
		default:
			t.Logf("browser: %s", line)
		}
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("the browser script %s failed (%v):\n%s", name, err, stderr.String())
	}
	return run
}
