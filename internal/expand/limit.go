package expand

import (
	"bytes"
	"errors"
	"fmt"
)

// OutputLimit is how many bytes the template of a page whose body is
// srcLen bytes long may write: 8 MiB plus four times the body. A template
// loop can write far more than it is long ({% for i in (1..30000) %}
// inside another writes 900 MB), and the build must stay within time
// and memory.
func OutputLimit(srcLen int) int { return 8<<20 + 4*srcLen }

// ErrOutputLimit is the error of a LimitedBuffer written past its limit.
var ErrOutputLimit = errors.New("output limit reached")

// A LimitedBuffer is a bytes.Buffer that refuses to grow past Limit
// bytes: a write that would fails with ErrOutputLimit, and so stops the
// template writing it.
type LimitedBuffer struct {
	bytes.Buffer
	Limit int
	full  bool
}

func (b *LimitedBuffer) Write(p []byte) (int, error) {
	if b.Len()+len(p) > b.Limit {
		return 0, b.err()
	}
	return b.Buffer.Write(p)
}

func (b *LimitedBuffer) WriteString(s string) (int, error) {
	if b.Len()+len(s) > b.Limit {
		return 0, b.err()
	}
	return b.Buffer.WriteString(s)
}

func (b *LimitedBuffer) err() error {
	b.full = true
	return fmt.Errorf("%w: the template writes more than %d bytes", ErrOutputLimit, b.Limit)
}

// Full reports whether a write was refused, whatever became of the error
// on its way out of the template engine.
func (b *LimitedBuffer) Full() bool { return b.full }
