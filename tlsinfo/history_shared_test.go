package tlsinfo

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/siteblog/site/internal/testcert"
)

// writerEnv makes the test binary a process adding records to a shared
// history (TestHistoryWriterProcess): "DIR,N".
const writerEnv = "TLSINFO_TEST_HISTORY_WRITER"

// addRecords opens dir's history twice (two servers in one process) and
// adds n new certificates through each, concurrently, then flushes each
// (as a server does when it stops).
func addRecords(t *testing.T, dir string, n int) {
	t.Helper()
	chains := make([]*Chain, 2*n)
	for i := range chains {
		chains[i] = chainOf(t, testcert.NewPKI(t, testcert.ECDSA))
	}
	var wg sync.WaitGroup
	for w := 0; w < 2; w++ {
		h, err := OpenHistory(dir)
		if err != nil {
			t.Fatal(err)
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, c := range chains[w*n : (w+1)*n] {
				if rec, err := h.Add(c, nil, time.Now()); rec == nil || err != nil {
					t.Errorf("Add = %v, %v", rec, err)
				}
			}
			if err := h.Flush(context.Background()); err != nil {
				t.Errorf("Flush: %v", err)
			}
		}()
	}
	wg.Wait()
}

// TestHistoryWriterProcess is a writer of TestHistorySharedByProcesses,
// run as a process of its own; alone it does nothing.
func TestHistoryWriterProcess(t *testing.T) {
	arg := os.Getenv(writerEnv)
	if arg == "" {
		return
	}
	var dir string
	var n int
	for i := len(arg) - 1; i >= 0; i-- {
		if arg[i] == ',' {
			dir = arg[:i]
			n, _ = strconv.Atoi(arg[i+1:])
			break
		}
	}
	addRecords(t, dir, n)
}

// TestHistorySharedByProcesses: three processes and this one, each with
// two History values on one directory, add certificates at once; none is
// lost.
func TestHistorySharedByProcesses(t *testing.T) {
	const procs, n = 3, 15
	dir := t.TempDir()
	var cmds []*exec.Cmd
	outs := make([][]byte, procs)
	var wg sync.WaitGroup
	for i := 0; i < procs; i++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHistoryWriterProcess$")
		cmd.Env = append(os.Environ(), fmt.Sprintf("%s=%s,%d", writerEnv, dir, n))
		cmds = append(cmds, cmd)
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Errorf("writer %d: %v\n%s", i, err, out)
			}
			outs[i] = out
		}()
	}
	addRecords(t, dir, n)
	wg.Wait()
	h, err := OpenHistory(dir)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, r := range h.Records() {
		seen[r.SHA256] = true
	}
	if want := (procs + 1) * 2 * n; len(seen) != want {
		t.Errorf("%d certificates in the history, want %d: %d lost to concurrent writers", len(seen), want, want-len(seen))
	}
}
