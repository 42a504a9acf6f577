package serve

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"maps"
	"math/rand/v2"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/testcert"
	"github.com/siteblog/site/render"
)

// rangeSite is testSite with a video larger than one corked write and a
// compressible text file.
func rangeSite(t *testing.T) map[string]string {
	files := testSite(t)
	video := make([]byte, 200<<10)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range video {
		video[i] = byte(rng.Uint32())
	}
	files["static/media/clip.mp4"] = string(video)
	var notes strings.Builder
	for i := range 400 {
		fmt.Fprintf(&notes, "Note %d: %x.\n", i, rng.Uint64())
	}
	files["static/notes.txt"] = notes.String()
	return files
}

// rangeTarget is a server of rangeSite and a client of it.
type rangeTarget struct {
	name   string
	url    string // scheme and host
	client *http.Client
	proto  string   // the protocol the client must be answered over
	paths  []string // the files to ask for
}

// rangePaths are files of rangeSite both servers serve: a page (with a
// badge), a video, a text file.
var rangePaths = []string{"/2024/02/post-number-2/", "/media/clip.mp4", "/notes.txt"}

// rangeClient is an HTTPS client of addr that speaks only proto ("h2",
// "http/1.1") and leaves Accept-Encoding and the bodies as they are.
func rangeClient(addr, proto string, roots *x509.CertPool) *http.Client {
	var d net.Dialer
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
			return d.DialContext(ctx, network, addr)
		},
		TLSClientConfig:    &tls.Config{ServerName: "blog.test", RootCAs: roots},
		DisableCompression: true,
		Protocols:          new(http.Protocols),
	}
	if proto == "h2" {
		tr.Protocols.SetHTTP2(true)
	} else {
		tr.Protocols.SetHTTP1(true)
	}
	return &http.Client{
		Transport:     tr,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
}

// productionOf builds the site of files and serves it in production, over
// HTTPS with the certificates of src, verified against roots.
func productionOf(t *testing.T, files map[string]string, src *switchable, roots *x509.CertPool) *running {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(data)}
	}
	out, err := render.BuildInMemory(fsys, content.Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Files: out.Files(), Redirects: out.Redirects, TLSPage: out.TLSPage, GetCertificate: src.get, PublicRoots: roots})
	if err != nil {
		t.Fatal(err)
	}
	return start(t, srv)
}

// rangeTargets starts the production server (asked over HTTP/2 and over
// HTTP/1.1) and the preview of rangeSite.
func rangeTargets(t *testing.T) []rangeTarget {
	files := rangeSite(t)
	pki := testcert.NewPKI(t, testcert.ECDSA, "blog.test")
	src := &switchable{}
	src.set(pki.TLS())
	prod := productionOf(t, files, src, pki.Pool())
	prev := startPreview(t, files)
	plain := &http.Client{
		Transport:     &http.Transport{DisableCompression: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		Timeout:       30 * time.Second,
	}
	return []rangeTarget{
		{"production-h2", "https://blog.test", rangeClient(prod.httpsAddr, "h2", pki.Pool()), "HTTP/2.0", slices.Concat(rangePaths, []string{badge.PagePath, badge.JSONPath})},
		{"production-http1", "https://blog.test", rangeClient(prod.httpsAddr, "http/1.1", pki.Pool()), "HTTP/1.1", slices.Concat(rangePaths, []string{badge.PagePath})},
		{"preview", prev.url, plain, "HTTP/1.1", slices.Concat(rangePaths, []string{reloadScriptPath, previewCSSPath})},
	}
}

// response is a response with its body read.
type response struct {
	*http.Response
	body []byte
}

// fetch asks tg for path with the given method and header pairs.
func (tg rangeTarget) fetch(t *testing.T, method, path string, header ...string) response {
	t.Helper()
	req, err := http.NewRequest(method, tg.url+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := tg.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: reading: %v", method, path, err)
	}
	if res.Proto != tg.proto {
		t.Fatalf("%s %s: answered over %s, want %s", method, path, res.Proto, tg.proto)
	}
	return response{res, body}
}

// representation is one encoding of a file as served whole.
type representation struct {
	data        []byte
	etag, ctype string
	gzip        bool
}

// A rangeCase is a request for a file and the response it must get. Its
// functions are given the representation the request names (the gzip
// copy when the case asks for gzip and the file has one) and the
// identity one; an identity case is answered from the identity one.
type rangeCase struct {
	name   string
	method string // default GET
	gzip   bool   // send Accept-Encoding: gzip
	// onlyGzip: the case is about a file that has a gzip copy.
	onlyGzip bool
	// identity: the answer is the identity body, gzip accepted or not.
	identity bool
	header   func(r, id representation) []string
	status   int
	// body is the span [start, end) of the representation that a 200 or
	// 206 holds, parts those of a multipart response; the other statuses
	// are checked by what they must not have.
	body  func(n int) [2]int
	parts func(n int) [][2]int
}

func whole(n int) [2]int { return [2]int{0, n} }

func hdr(kv ...string) func(r, id representation) []string {
	return func(representation, representation) []string { return kv }
}

var rangeCases = []rangeCase{
	{name: "whole", status: 200, body: whole},
	{name: "single range", header: hdr("Range", "bytes=10-109"), status: 206, body: func(int) [2]int { return [2]int{10, 110} }},
	{name: "open range", header: func(r, _ representation) []string {
		return []string{"Range", fmt.Sprintf("bytes=%d-", len(r.data)-20)}
	}, status: 206, body: func(n int) [2]int { return [2]int{n - 20, n} }},
	{name: "suffix range", header: hdr("Range", "bytes=-30"), status: 206, body: func(n int) [2]int { return [2]int{n - 30, n} }},
	{name: "range past the end", header: hdr("Range", "bytes=100-999999999"), status: 206, body: func(n int) [2]int { return [2]int{100, n} }},
	{name: "multi-range", header: hdr("Range", "bytes=0-9,50-59,-5"), status: 206, parts: func(n int) [][2]int {
		return [][2]int{{0, 10}, {50, 60}, {n - 5, n}}
	}},
	{name: "If-Range matching", header: func(r, _ representation) []string {
		return []string{"Range", "bytes=10-19", "If-Range", r.etag}
	}, status: 206, body: func(int) [2]int { return [2]int{10, 20} }},
	{name: "If-Range stale", header: hdr("Range", "bytes=10-19", "If-Range", `"stale"`), status: 200, body: whole},
	{name: "If-Range weak", header: func(r, _ representation) []string {
		return []string{"Range", "bytes=10-19", "If-Range", "W/" + r.etag}
	}, status: 200, body: whole},
	{name: "If-Range date", header: hdr("Range", "bytes=10-19", "If-Range", "Mon, 01 Jan 2024 00:00:00 GMT"), status: 200, body: whole},
	{name: "unsatisfiable", header: func(r, _ representation) []string {
		return []string{"Range", fmt.Sprintf("bytes=%d-", len(r.data))}
	}, status: 416},
	{name: "HEAD", method: "HEAD", status: 200},
	{name: "HEAD range", method: "HEAD", header: hdr("Range", "bytes=10-109"), status: 206},
	{name: "If-None-Match", header: func(r, _ representation) []string { return []string{"If-None-Match", r.etag} }, status: 304},
	{name: "If-None-Match weak", header: func(r, _ representation) []string { return []string{"If-None-Match", `"x", W/` + r.etag} }, status: 304},
	{name: "If-None-Match other", header: hdr("If-None-Match", `"other"`), status: 200, body: whole},
	{name: "If-None-Match HEAD", method: "HEAD", header: func(r, _ representation) []string { return []string{"If-None-Match", r.etag} }, status: 304},
	{name: "If-None-Match range", header: func(r, _ representation) []string {
		return []string{"If-None-Match", r.etag, "Range", "bytes=0-9"}
	}, status: 304},
	{name: "If-Match", header: func(r, _ representation) []string { return []string{"If-Match", r.etag} }, status: 200, body: whole},
	{name: "If-Match any", header: hdr("If-Match", "*"), status: 200, body: whole},
	{name: "If-Match range", header: func(r, _ representation) []string {
		return []string{"If-Match", r.etag, "Range", "bytes=0-9"}
	}, status: 206, body: func(int) [2]int { return [2]int{0, 10} }},
	{name: "If-Match stale", header: hdr("If-Match", `"stale"`), status: 412},
	// No Last-Modified is sent: the dates of these have nothing to be
	// compared with, and are ignored (RFC 9110, 13.1.3 and 13.1.4).
	{name: "If-Modified-Since", header: hdr("If-Modified-Since", "Fri, 01 Jan 2100 00:00:00 GMT"), status: 200, body: whole},
	{name: "If-Unmodified-Since", header: hdr("If-Unmodified-Since", "Mon, 01 Jan 2001 00:00:00 GMT"), status: 200, body: whole},

	{name: "gzip", gzip: true, status: 200, body: whole},
	{name: "gzip range", gzip: true, header: hdr("Range", "bytes=10-109"), status: 206, body: func(int) [2]int { return [2]int{10, 110} }},
	{name: "gzip suffix range", gzip: true, header: hdr("Range", "bytes=-30"), status: 206, body: func(n int) [2]int { return [2]int{n - 30, n} }},
	// Several ranges are cut from the identity body.
	{name: "gzip multi-range", gzip: true, identity: true, header: hdr("Range", "bytes=0-9,-5"), status: 206, parts: func(n int) [][2]int {
		return [][2]int{{0, 10}, {n - 5, n}}
	}},
	{name: "gzip multi-range If-Range of copy", gzip: true, onlyGzip: true, identity: true, header: func(gz, _ representation) []string {
		return []string{"Range", "bytes=0-9,20-29", "If-Range", gz.etag}
	}, status: 200, body: whole},
	{name: "gzip multi-range If-Range of identity", gzip: true, identity: true, header: func(_, id representation) []string {
		return []string{"Range", "bytes=0-9,20-29", "If-Range", id.etag}
	}, status: 206, parts: func(int) [][2]int { return [][2]int{{0, 10}, {20, 30}} }},
	{name: "gzip If-Range matching", gzip: true, header: func(r, _ representation) []string {
		return []string{"Range", "bytes=10-19", "If-Range", r.etag}
	}, status: 206, body: func(int) [2]int { return [2]int{10, 20} }},
	// The identity body's ETag names another representation.
	{name: "gzip If-Range of identity", gzip: true, onlyGzip: true, header: func(_, id representation) []string {
		return []string{"Range", "bytes=10-19", "If-Range", id.etag}
	}, status: 200, body: whole},
	{name: "gzip If-None-Match of identity", gzip: true, onlyGzip: true, header: func(_, id representation) []string {
		return []string{"If-None-Match", id.etag}
	}, status: 200, body: whole},
	{name: "gzip If-None-Match", gzip: true, header: func(r, _ representation) []string { return []string{"If-None-Match", r.etag} }, status: 304},
	{name: "gzip HEAD", gzip: true, method: "HEAD", status: 200},
	{name: "gzip unsatisfiable", gzip: true, header: func(r, _ representation) []string {
		return []string{"Range", fmt.Sprintf("bytes=%d-", len(r.data))}
	}, status: 416},
}

// TestServeRanges asks both servers (the production server over HTTP/2
// and HTTP/1.1, the preview over HTTP/1.1) for ranges of their files,
// with and without gzip and conditions, and checks each response against
// the file as served whole.
func TestServeRanges(t *testing.T) {
	for _, tg := range rangeTargets(t) {
		t.Run(tg.name, func(t *testing.T) {
			for _, path := range tg.paths {
				id := wholeRepresentation(t, tg, path, false)
				gz := wholeRepresentation(t, tg, path, true)
				if strings.HasSuffix(path, "/") && !gz.gzip {
					t.Fatalf("%s has no gzip copy", path)
				}
				for _, tc := range rangeCases {
					if tc.onlyGzip && !gz.gzip {
						continue
					}
					t.Run(strings.TrimSuffix(path, "/")+"/"+tc.name, func(t *testing.T) {
						r := id
						if tc.gzip && !tc.identity {
							r = gz
						}
						checkRangeCase(t, tg, path, tc, r, id, gz)
					})
				}
			}
			checkRangeOthers(t, tg)
		})
	}
}

// wholeRepresentation fetches path whole, in gzip when asked and the
// server has it so.
func wholeRepresentation(t *testing.T, tg rangeTarget, path string, gz bool) representation {
	t.Helper()
	var res response
	if gz {
		res = tg.fetch(t, "GET", path, "Accept-Encoding", "gzip")
	} else {
		res = tg.fetch(t, "GET", path)
	}
	if res.StatusCode != 200 {
		t.Fatalf("GET %s: %d", path, res.StatusCode)
	}
	r := representation{data: res.body, etag: res.Header.Get("ETag"), ctype: res.Header.Get("Content-Type")}
	if res.Header.Get("Content-Encoding") == "gzip" {
		r.gzip = true
		zr, err := gzip.NewReader(bytes.NewReader(res.body))
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		if _, err := io.ReadAll(zr); err != nil {
			t.Fatalf("GET %s: the gzip body: %v", path, err)
		}
	}
	if !strings.HasPrefix(r.etag, `"`) || len(r.data) < 256 {
		t.Fatalf("GET %s: ETag %q, %d bytes", path, r.etag, len(r.data))
	}
	return r
}

func checkRangeCase(t *testing.T, tg rangeTarget, path string, tc rangeCase, r, id, gz representation) {
	method := tc.method
	if method == "" {
		method = "GET"
	}
	var header []string
	if tc.header != nil {
		asked := r
		if tc.identity {
			asked = gz
		}
		header = tc.header(asked, id)
	}
	if tc.gzip {
		header = append(header, "Accept-Encoding", "gzip")
	}
	res := tg.fetch(t, method, path, header...)
	h := res.Header
	if res.StatusCode != tc.status {
		t.Fatalf("%s %v: %d, want %d", method, header, res.StatusCode, tc.status)
	}
	n := len(r.data)
	switch tc.status {
	case 200, 206:
		if h.Get("ETag") != r.etag {
			t.Errorf("ETag %q, want %q", h.Get("ETag"), r.etag)
		}
		if enc := h.Get("Content-Encoding"); (enc == "gzip") != r.gzip {
			t.Errorf("Content-Encoding %q for the representation with gzip=%v", enc, r.gzip)
		}
		if h.Get("Accept-Ranges") != "bytes" {
			t.Errorf("Accept-Ranges %q", h.Get("Accept-Ranges"))
		}
		if h.Get("Cache-Control") == "" || h.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("headers: %v", h)
		}
		if gz.gzip && h.Get("Vary") != "Accept-Encoding" {
			t.Errorf("Vary %q", h.Get("Vary"))
		}
		if res.ContentLength < 0 || len(res.TransferEncoding) != 0 {
			t.Errorf("no Content-Length (Transfer-Encoding %v)", res.TransferEncoding)
		}
	}
	if method == "HEAD" {
		if len(res.body) != 0 {
			t.Errorf("HEAD: %d bytes of body", len(res.body))
		}
		want := int64(n)
		if tc.status == 206 {
			want = 100
			if cr := h.Get("Content-Range"); cr != fmt.Sprintf("bytes 10-109/%d", n) {
				t.Errorf("HEAD: Content-Range %q", cr)
			}
		}
		if tc.status != 304 && (res.ContentLength != want || h.Get("Content-Type") != r.ctype) {
			t.Errorf("HEAD: Content-Length %d, Content-Type %q; want %d, %q", res.ContentLength, h.Get("Content-Type"), want, r.ctype)
		}
		return
	}
	switch {
	case tc.parts != nil:
		checkParts(t, res, r, tc.parts(n))
	case tc.body != nil:
		span := tc.body(n)
		if want := r.data[span[0]:span[1]]; !bytes.Equal(res.body, want) {
			t.Errorf("body: %d bytes, want bytes %d-%d of %d", len(res.body), span[0], span[1], n)
		}
		if res.ContentLength != int64(len(res.body)) {
			t.Errorf("Content-Length %d for %d bytes", res.ContentLength, len(res.body))
		}
		cr := h.Get("Content-Range")
		if tc.status == 206 && cr != fmt.Sprintf("bytes %d-%d/%d", span[0], span[1]-1, n) {
			t.Errorf("Content-Range %q for bytes %d-%d of %d", cr, span[0], span[1], n)
		}
		if tc.status == 200 && (cr != "" || h.Get("Content-Type") != r.ctype) {
			t.Errorf("200 with Content-Range %q, Content-Type %q", cr, h.Get("Content-Type"))
		}
	case tc.status == 304:
		if len(res.body) != 0 || h.Get("ETag") != r.etag || h.Get("Content-Type") != "" || h.Get("Content-Encoding") != "" {
			t.Errorf("304: %d bytes, headers %v", len(res.body), h)
		}
		if h.Get("Cache-Control") == "" {
			t.Error("304 without Cache-Control")
		}
	case tc.status == 412:
		if len(res.body) != 0 || h.Get("Content-Encoding") != "" {
			t.Errorf("412: %d bytes, headers %v", len(res.body), h)
		}
	case tc.status == 416:
		if cr := h.Get("Content-Range"); cr != fmt.Sprintf("bytes */%d", n) {
			t.Errorf("416: Content-Range %q, want bytes */%d", cr, n)
		}
		if h.Get("Content-Encoding") != "" || h.Get("ETag") != "" {
			t.Errorf("416 with the headers of the representation: %v", h)
		}
	}
}

// checkParts checks a multipart/byteranges response.
func checkParts(t *testing.T, res response, r representation, spans [][2]int) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(res.Header.Get("Content-Type"))
	if err != nil || mt != "multipart/byteranges" {
		t.Fatalf("Content-Type %q: %v", res.Header.Get("Content-Type"), err)
	}
	if res.ContentLength != int64(len(res.body)) {
		t.Errorf("Content-Length %d for %d bytes", res.ContentLength, len(res.body))
	}
	mr := multipart.NewReader(bytes.NewReader(res.body), params["boundary"])
	n := len(r.data)
	for i, span := range spans {
		part, err := mr.NextPart()
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		data, err := io.ReadAll(part)
		if err != nil {
			t.Fatalf("part %d: %v", i, err)
		}
		if cr := part.Header.Get("Content-Range"); cr != fmt.Sprintf("bytes %d-%d/%d", span[0], span[1]-1, n) {
			t.Errorf("part %d: Content-Range %q", i, cr)
		}
		if ct := part.Header.Get("Content-Type"); ct != r.ctype {
			t.Errorf("part %d: Content-Type %q, want %q", i, ct, r.ctype)
		}
		if !bytes.Equal(data, r.data[span[0]:span[1]]) {
			t.Errorf("part %d: %q, want bytes %d-%d", i, data, span[0], span[1])
		}
	}
	if _, err := mr.NextPart(); err != io.EOF {
		t.Errorf("more parts than %d: %v", len(spans), err)
	}
}

// checkRangeOthers checks that the 404 page and redirects keep their
// status whatever the Range and conditions.
func checkRangeOthers(t *testing.T, tg rangeTarget) {
	notFound := tg.fetch(t, "GET", "/no/such/page/")
	for _, header := range [][]string{
		{"Range", "bytes=0-9"},
		{"Range", "bytes=0-9", "Accept-Encoding", "gzip"},
		{"If-None-Match", "*"},
		{"If-None-Match", notFound.Header.Get("ETag")},
		{"If-Match", `"stale"`},
	} {
		res := tg.fetch(t, "GET", "/no/such/page/", header...)
		if res.StatusCode != 404 || !bytes.Contains(res.body, []byte("Page not found")) && res.Header.Get("Content-Encoding") == "" {
			t.Errorf("404 page with %v: %d, %d bytes", header, res.StatusCode, len(res.body))
		}
		if res.Header.Get("Content-Range") != "" || res.ContentLength != int64(len(res.body)) {
			t.Errorf("404 page with %v: Content-Range %q, Content-Length %d for %d bytes", header, res.Header.Get("Content-Range"), res.ContentLength, len(res.body))
		}
		res = tg.fetch(t, "GET", "/2024/02/post-number-2", header...)
		if res.StatusCode != 301 || res.Header.Get("Location") != "/2024/02/post-number-2/" {
			t.Errorf("redirect with %v: %d → %q", header, res.StatusCode, res.Header.Get("Location"))
		}
	}
	if res := tg.fetch(t, "HEAD", "/no/such/page/", "Range", "bytes=0-9"); res.StatusCode != 404 || res.ContentLength != int64(len(notFound.body)) {
		t.Errorf("HEAD of the 404 page with a range: %d, Content-Length %d", res.StatusCode, res.ContentLength)
	}
}

// TestServeRangeBadge checks ranges of a page whose badge is the
// connection's certificate's: a range is cut from the page that
// connection gets, and a page with another badge has another ETag, so a
// range asked If-Range with the old one gets the whole new page.
func TestServeRangeBadge(t *testing.T) {
	a, b := testcert.NewPKI(t, testcert.ECDSA, "blog.test"), testcert.NewPKI(t, testcert.RSA, "blog.test")
	roots := a.Pool()
	roots.AddCert(b.Root.Cert)
	src := &switchable{}
	src.set(a.TLS())
	prod := productionOf(t, rangeSite(t), src, roots)
	const page = "/2024/02/post-number-2/"
	for _, proto := range []string{"h2", "http/1.1"} {
		t.Run(proto, func(t *testing.T) {
			src.set(a.TLS())
			tgA := rangeTarget{url: "https://blog.test", client: rangeClient(prod.httpsAddr, proto, roots), proto: map[string]string{"h2": "HTTP/2.0", "http/1.1": "HTTP/1.1"}[proto]}
			pageA := tgA.fetch(t, "GET", page)
			etagA := pageA.Header.Get("ETag")
			fpA := fingerprint(a.Leaf.Cert)
			at := bytes.Index(pageA.body, []byte(badge.Start))
			end := bytes.Index(pageA.body, []byte(badge.End)) + len(badge.End)
			if at < 0 || end < at || !bytes.Contains(pageA.body[at:end], []byte(fpA)) {
				t.Fatalf("the page has no badge of certificate A")
			}
			span := fmt.Sprintf("bytes=%d-%d", at, end-1)
			res := tgA.fetch(t, "GET", page, "Range", span, "If-Range", etagA)
			if res.StatusCode != 206 || !bytes.Equal(res.body, pageA.body[at:end]) {
				t.Fatalf("the badge's range: %d %q", res.StatusCode, res.body)
			}

			// A renewal: a new connection gets the new badge, with
			// another ETag.
			src.set(b.TLS())
			tgB := tgA
			tgB.client = rangeClient(prod.httpsAddr, proto, roots)
			res = tgB.fetch(t, "GET", page, "Range", span, "If-Range", etagA)
			if res.StatusCode != 200 || res.Header.Get("ETag") == etagA || !bytes.Contains(res.body, []byte(fingerprint(b.Leaf.Cert))) {
				t.Errorf("If-Range with the ETag of the old badge: %d, ETag %q (old %q)", res.StatusCode, res.Header.Get("ETag"), etagA)
			}
			pageB := res
			if res := tgB.fetch(t, "GET", page, "If-None-Match", etagA); res.StatusCode != 200 {
				t.Errorf("If-None-Match with the ETag of the old badge: %d", res.StatusCode)
			}
			res = tgB.fetch(t, "GET", page, "Range", "bytes=-100", "If-Range", pageB.Header.Get("ETag"))
			if res.StatusCode != 206 || !bytes.Equal(res.body, pageB.body[len(pageB.body)-100:]) {
				t.Errorf("a range of the new page: %d", res.StatusCode)
			}
			// The open connection keeps its certificate, and its badge.
			res = tgA.fetch(t, "GET", page, "Range", span, "If-Range", etagA)
			if res.StatusCode != 206 || !bytes.Equal(res.body, pageA.body[at:end]) {
				t.Errorf("the old connection's range: %d %q", res.StatusCode, res.body)
			}
			gz := tgA.fetch(t, "GET", page, "Accept-Encoding", "gzip")
			res = tgA.fetch(t, "GET", page, "Accept-Encoding", "gzip", "Range", "bytes=0-99", "If-Range", gz.Header.Get("ETag"))
			if res.StatusCode != 206 || !bytes.Equal(res.body, gz.body[:100]) || gz.Header.Get("ETag") == etagA {
				t.Errorf("gzip range on the old connection: %d", res.StatusCode)
			}
		})
	}
}

// TestSendUnconditional checks that send answers a request without range
// or condition exactly as http.ServeContent does.
func TestSendUnconditional(t *testing.T) {
	b := makeBody([]byte(strings.Repeat("<p>a page</p>\n", 1000)), "text/html; charset=utf-8")
	for _, method := range []string{"GET", "HEAD"} {
		for _, ae := range []string{"", "gzip"} {
			req := httptest.NewRequest(method, "/", nil)
			if ae != "" {
				req.Header.Set("Accept-Encoding", ae)
			}
			if !unconditional(req.Header) {
				t.Fatal("the request is not unconditional")
			}
			fast, std := httptest.NewRecorder(), httptest.NewRecorder()
			serveBody(fast, req, b, cachePages, http.StatusOK)
			// serveBody's headers, then ServeContent.
			serveBody(httptest.NewRecorder(), req, b, cachePages, http.StatusOK)
			data, length := b.data, b.length
			if ae != "" {
				data, length = b.gzip(), b.gzLength
			}
			maps.Copy(std.Header(), fast.Header())
			for _, k := range []string{"Accept-Ranges", "Content-Length"} {
				std.Header().Del(k)
			}
			serveContent(std, req, data, length)
			if fast.Code != std.Code || !reflect.DeepEqual(fast.Header(), std.Header()) || !bytes.Equal(fast.Body.Bytes(), std.Body.Bytes()) {
				t.Errorf("%s, Accept-Encoding %q: send answers %d %v (%d bytes), ServeContent %d %v (%d bytes)",
					method, ae, fast.Code, fast.Header(), fast.Body.Len(), std.Code, std.Header(), std.Body.Len())
			}
		}
	}
}

// TestServeBodyAllocs keeps the requests cheap: the plain GET that nearly
// all readers make allocates nothing, a range little more than
// ServeContent itself.
func TestServeBodyAllocs(t *testing.T) {
	b := makeBody([]byte(strings.Repeat("<p>a page</p>\n", 1000)), "text/html; charset=utf-8")
	for _, tc := range []struct {
		header    []string
		status, n int
		allocs    float64
	}{
		{[]string{"Accept-Encoding", "gzip"}, 200, len(b.gzip()), 0},
		{nil, 200, len(b.data), 0},
		// The sender, and ServeContent's: the parsed range, the
		// io.LimitedReader, Accept-Ranges, Content-Range and
		// Content-Length (a string and a slice each).
		{[]string{"Range", "bytes=10-109"}, 206, 100, 10},
	} {
		req, _ := http.NewRequest("GET", "/", nil)
		for i := 0; i+1 < len(tc.header); i += 2 {
			req.Header.Set(tc.header[i], tc.header[i+1])
		}
		w := &nullWriter{h: http.Header{}}
		allocs := testing.AllocsPerRun(100, func() {
			clear(w.h)
			serveBody(w, req, b, cachePages, http.StatusOK)
		})
		if w.code != tc.status || w.n != tc.n {
			t.Fatalf("%v: %d, %d bytes", tc.header, w.code, w.n)
		}
		if allocs > tc.allocs {
			t.Errorf("%v: %v allocations per request, want at most %v", tc.header, allocs, tc.allocs)
		}
	}
}

type nullWriter struct {
	h    http.Header
	code int
	n    int
}

func (w *nullWriter) Header() http.Header { return w.h }
func (w *nullWriter) WriteHeader(code int) {
	w.code = code
	if cl, err := strconv.Atoi(w.h.Get("Content-Length")); err != nil || cl < 0 {
		panic("no Content-Length")
	}
}
func (w *nullWriter) Write(p []byte) (int, error) { w.n = len(p); return len(p), nil }
