package testenv

import (
	"fmt"
	"runtime"
	"time"
)

// SlowFuzzInput bounds the time one fuzz input may take: a parser whose
// cost grows faster than its input's size shows as an input over it.
const SlowFuzzInput = 10 * time.Second

// WatchFuzzInput panics, naming the input and with every goroutine's
// stack, when the call it guards runs longer than SlowFuzzInput: a
// fuzzing worker that hangs is otherwise reported without the input that
// hung it. The panic ends the worker, and go test saves the input under
// testdata/fuzz.
func WatchFuzzInput(input ...any) (stop func()) {
	timer := time.AfterFunc(SlowFuzzInput, func() {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		panic(fmt.Sprintf("input takes over %v: %q\n%s", SlowFuzzInput, input, buf))
	})
	return func() { timer.Stop() }
}
