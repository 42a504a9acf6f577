package serve

import (
	"bytes"
	"io"
	"net/http"
	"time"
)

// How a body leaves
//
// send answers a request for a body with status 200 by
// http.ServeContent, which decides by the standard library's rules
// between 200, 206 (one range, or multipart/byteranges for several), 304,
// 412 and 416, and writes the headers that go with each. What it reads is
// the body in memory, through a sender wrapped around the ResponseWriter:
//
//   - ServeContent copies the body (or one range of it) with io.CopyN,
//     which asks the writer to ReadFrom an io.LimitedReader of the
//     body's bytes.Reader. The sender recognises its own reader there and
//     writes that part of the slice in one Write: no copy through a
//     buffer, and over HTTPS and HTTP/1.1 the headers and body leave in
//     one write (writeBody).
//   - ServeContent leaves Content-Length out of a 200 response with a
//     Content-Encoding (for handlers that compress as they write); the
//     gzip copy is made beforehand and its length is known, so the sender
//     puts it back, and the response is not chunked.
//   - A 412 has no body: the sender drops Content-Encoding from it.
//
// A request with no Range and no conditions, nearly every request, gets
// from ServeContent the body whole with Accept-Ranges and Content-Length;
// send writes that response itself, with the header values made once
// (TestSendUnconditional checks that it is ServeContent's), and spares the
// request ServeContent's parsing and allocations.

// send writes data, the representation whose Content-Length is length,
// with status; the other headers are set.
func send(w http.ResponseWriter, r *http.Request, data []byte, length []string, status int) {
	switch {
	case status != http.StatusOK:
		sendWhole(w, r, data, length, status)
	case unconditional(r.Header):
		w.Header()["Accept-Ranges"] = acceptRangesBytes
		sendWhole(w, r, data, length, status)
	default:
		serveContent(w, r, data, length)
	}
}

var acceptRangesBytes = []string{"bytes"}

// unconditional reports whether a request asks for no range and has no
// condition that ServeContent evaluates.
func unconditional(h http.Header) bool {
	return len(h["Range"]) == 0 && len(h["If-None-Match"]) == 0 && len(h["If-Match"]) == 0 &&
		len(h["If-Modified-Since"]) == 0 && len(h["If-Unmodified-Since"]) == 0
}

// sendWhole writes data with status, and no body for HEAD.
func sendWhole(w http.ResponseWriter, r *http.Request, data []byte, length []string, status int) {
	w.Header()["Content-Length"] = length
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		writeBody(w, r, data)
	}
}

// serveContent answers r by http.ServeContent.
func serveContent(w http.ResponseWriter, r *http.Request, data []byte, length []string) {
	s := &sender{ResponseWriter: w, req: r, data: data, length: length}
	s.rd.Reset(data)
	// No name (the Content-Type is set, nothing is sniffed) and no
	// modification time: the ETag is the validator.
	http.ServeContent(s, r, "", time.Time{}, &s.rd)
}

// sender is the ResponseWriter serveBody gives http.ServeContent: it
// writes the parts of data that ServeContent copies straight from the
// slice.
type sender struct {
	http.ResponseWriter
	req    *http.Request
	data   []byte   // the representation served: the body or its gzip copy
	length []string // its Content-Length
	rd     bytes.Reader
}

func (s *sender) WriteHeader(code int) {
	h := s.Header()
	switch code {
	case http.StatusOK:
		h["Content-Length"] = s.length
	case http.StatusPreconditionFailed:
		delete(h, "Content-Encoding")
	}
	s.ResponseWriter.WriteHeader(code)
}

// ReadFrom writes what src reads: for a range of the body (or all of it),
// that part of the slice in one write.
func (s *sender) ReadFrom(src io.Reader) (int64, error) {
	if lr, ok := src.(*io.LimitedReader); ok && lr.R == &s.rd {
		off := s.rd.Size() - int64(s.rd.Len())
		n := min(lr.N, int64(s.rd.Len()))
		lr.N -= n
		s.rd.Seek(n, io.SeekCurrent)
		return writeBody(s.ResponseWriter, s.req, s.data[off:off+n])
	}
	// The parts of a multipart/byteranges response, through a pipe.
	return io.Copy(s.ResponseWriter, src)
}

// writeBody writes data, and over HTTPS and HTTP/1.1 sends the headers
// not yet sent and data in one write of the connection.
func writeBody(w http.ResponseWriter, r *http.Request, data []byte) (int64, error) {
	if cc := connOf(r.Context()); cc != nil && r.ProtoMajor == 1 {
		// Headers and body in one write; HTTP/2 frames its own writes.
		cc.cork()
		n, err := w.Write(data)
		http.NewResponseController(w).Flush()
		if uerr := cc.uncork(); err == nil {
			err = uerr
		}
		return int64(n), err
	}
	n, err := w.Write(data)
	return int64(n), err
}

// allowGetHead reports whether r is a GET or HEAD, and answers 405 Method
// Not Allowed to any other method.
func allowGetHead(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	return false
}
