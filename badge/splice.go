package badge

import (
	"bytes"
	"strings"
)

// Page is an HTML page cut at its badge slot, ready to be assembled with
// any badge.
type Page struct {
	prefix, suffix []byte // prefix ends with Start, suffix starts with End
}

// Cut cuts page at its badge slot; ok is false when the page has no
// complete slot. The slot is the first complete one in the page's last
// tailLen bytes, where a theme that puts the badge at the end of the body
// has it, or else the first in the page: a long page (a 10,000-post
// archive is 1.4 MB) is then not read whole.
func Cut(page []byte) (p Page, ok bool) {
	from := max(0, len(page)-tailLen)
	if p, ok := cutFrom(page, from); ok || from == 0 {
		return p, ok
	}
	return cutFrom(page, 0)
}

const tailLen = 16 << 10

// cutFrom cuts page at the first complete slot starting at or after from.
func cutFrom(page []byte, from int) (Page, bool) {
	i := bytes.Index(page[from:], []byte(Start))
	if i < 0 {
		return Page{}, false
	}
	i += from + len(Start)
	j := bytes.Index(page[i:], []byte(End))
	if j < 0 {
		return Page{}, false
	}
	return Page{prefix: page[:i], suffix: page[i+j:]}, true
}

// Len is the length of the page with a badge of n bytes.
func (p Page) Len(n int) int { return len(p.prefix) + n + len(p.suffix) }

// With returns the page with badge in its slot, in a new slice.
func (p Page) With(badge []byte) []byte {
	out := make([]byte, 0, p.Len(len(badge)))
	return append(append(append(out, p.prefix...), badge...), p.suffix...)
}

// AppendWith appends to dst the page with badge in its slot.
func (p Page) AppendWith(dst, badge []byte) []byte {
	return append(append(append(dst, p.prefix...), badge...), p.suffix...)
}

// Replace returns page with its slot filled with badge, and whether the
// page had a slot.
func Replace(page, badge []byte) ([]byte, bool) {
	p, ok := Cut(page)
	if !ok {
		return page, false
	}
	return p.With(badge), true
}

// Output is where a built site goes; render.Output has this method set.
type Output interface {
	WriteFile(name string, data []byte) error
}

// Filled passes a built site on to Next with the badge slot of every
// HTML page filled with Badge, as `site build --issuer-from` does.
type Filled struct {
	Next  Output
	Badge []byte
}

// WriteFile implements render.Output.
func (o Filled) WriteFile(name string, data []byte) error {
	if strings.HasSuffix(name, ".html") {
		data, _ = Replace(data, o.Badge)
	}
	return o.Next.WriteFile(name, data)
}
