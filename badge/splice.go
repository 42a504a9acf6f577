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

// Cut cuts page at its badge slot, the last complete one in the page;
// ok is false when the page has none.
func Cut(page []byte) (p Page, ok bool) {
	i, j, ok := slot(page)
	if !ok {
		return Page{}, false
	}
	return Page{prefix: page[:i], suffix: page[j:]}, true
}

// slot finds page's last complete slot: its markup is page[i:j]. The
// default theme puts the slot at the end of the body, and a post's raw
// HTML, before it, may hold the markers too: the last slot is the theme's.
func slot(page []byte) (i, j int, ok bool) {
	j = lastIndex(page, End)
	if j < 0 {
		return 0, 0, false
	}
	i = lastIndex(page[:j], Start)
	if i < 0 {
		return 0, 0, false
	}
	return i + len(Start), j, true
}

// tailLen is how much of a page lastIndex searches backwards.
const tailLen = 16 << 10

// lastIndex is bytes.LastIndex(s, sep), fast for both a page whose slot is
// at its end, in which it searches backwards the last tailLen bytes, and
// for one without a slot, in which it searches forwards, as bytes.Index
// does many bytes at a time where bytes.LastIndex does one: a 10,000-post
// archive is 1.4 MB.
func lastIndex(s []byte, sep string) int {
	from := max(0, len(s)-tailLen)
	if i := bytes.LastIndex(s[from:], []byte(sep)); i >= 0 {
		return from + i
	}
	if from == 0 {
		return -1
	}
	// sep starts before the tail, or nowhere.
	head := s[:min(len(s), from+len(sep)-1)]
	last := -1
	for at := 0; ; {
		i := bytes.Index(head[at:], []byte(sep))
		if i < 0 {
			return last
		}
		last = at + i
		at = last + 1
	}
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
