package main

import (
	"context"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/l10n"
	"github.com/siteblog/site/render"
	"github.com/siteblog/site/themes"
	"github.com/siteblog/site/tlsinfo"
)

func runBuild(args []string, stdout, stderr io.Writer) error {
	fs := flags("build", stderr)
	dir := fs.String("s", ".", "the site directory")
	out := fs.String("o", "", "the output directory (default: public in the site directory)")
	drafts := fs.Bool("drafts", false, "include drafts")
	future := fs.Bool("future", false, "include posts dated in the future")
	baseURL := fs.String("base-url", "", "the URL the site is published at, in place of site.toml's base_url")
	noCache := fs.Bool("no-cache", false, "render everything afresh, neither reading nor writing the cache in "+render.CacheDir)
	follow := fs.Bool("follow-symlinks", false, followSymlinksUsage)
	issuerFrom := fs.String("issuer-from", "", "put the issuer of HOST[:PORT]'s certificate, checked now, in every page's badge, with the certificate's fingerprint and expiry, checked later by site tls --check-badge")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the build to `FILE` (for go tool pprof)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if os.Getenv("GOGC") == "" {
		// A build is short and allocates much: collecting garbage half as
		// often saves about a twentieth of its CPU for a third more
		// memory, still a third of Hugo's.
		debug.SetGCPercent(200)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		// ...but not past a soft limit, above which it collects as often
		// as it must: a site of 100,000 posts holds up to 1.2 GB at once.
		debug.SetMemoryLimit(buildMemoryLimit)
	}
	if len(rest) > 0 {
		return usageError(fs, "unexpected argument %q", rest[0])
	}
	if *out == "" {
		*out = filepath.Join(*dir, "public")
		if err := checkDefaultOutput(*dir, *out, *follow, "publish through it (give -o to publish there, or --follow-symlinks)"); err != nil {
			return err
		}
	}
	if *cpuProfile != "" {
		if inside(*cpuProfile, *out) {
			return fmt.Errorf("--cpuprofile %s: inside the output directory, which the build replaces", *cpuProfile)
		}
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return err
		}
		defer func() {
			if err := stop(); err != nil {
				fmt.Fprintln(stderr, "warning:", err)
			}
		}()
	}
	start := time.Now()
	var recorded []byte
	if *issuerFrom != "" {
		if recorded, err = recordIssuer(*issuerFrom, stdout); err != nil {
			return err
		}
	}
	// The pipeline: load the site (content), render it (render), publish
	// the files into *out all at once (render.Publish).
	siteFS := content.DirFS(*dir, content.DirOptions{FollowSymlinks: *follow})
	opts := []render.Option{render.WithEngineVersion(engineVersion())}
	progress := newProgress(stderr)
	defer progress.done()
	opts = append(opts, render.WithProgress(progress.update))
	publish := render.PublishOptions{Protect: siteSources(*dir), Warn: func(msg string) { fmt.Fprintln(stderr, "warning:", msg) }}
	if !*noCache {
		cache := filepath.Join(*dir, render.CacheDir)
		if err := render.CheckCacheDirs(cache, filepath.Join(cache, "bodies"), filepath.Join(cache, "published")); err != nil {
			return err
		}
		opts = append(opts, render.WithBodyCache(render.NewBodyCache(filepath.Join(cache, "bodies"))))
		publish.Manifest = manifestPath(cache, *out)
	}
	pipeline := render.NewPipeline(siteFS, render.PipelineOptions{
		BaseURL:  *baseURL,
		Content:  content.Options{Drafts: *drafts, Future: *future},
		Render:   opts,
		OneBuild: true,
	})
	if _, err := pipeline.Config(); err != nil { // before anything is made beside *out
		return err
	}
	var wrap func(render.Output) render.Output
	if recorded != nil {
		// A plain Output, not a Reuser: every page is written anew with
		// the recorded badge, and none is kept from a build without it.
		wrap = func(o render.Output) render.Output { return badge.Filled{Next: o, Badge: recorded} }
	}
	report, err := pipeline.Publish(*out, publish, wrap)
	progress.done()
	if err != nil {
		return err
	}
	stats := report.Stats
	for _, w := range stats.Warnings {
		fmt.Fprintln(stderr, "warning:", w)
	}
	fmt.Fprintf(stdout, "built %d posts, %d tags, %d pages in %.2fs → %s%s\n",
		stats.Posts, stats.Tags, stats.Pages, time.Since(start).Seconds(), *out, buildNotes(stats))
	return nil
}

// startCPUProfile profiles the CPU into file until the returned
// function is called.
func startCPUProfile(file string) (stop func() error, err error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("%s: cpu profile: %w", file, err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("%s: cpu profile: %w", file, err)
		}
		return nil
	}, nil
}

// inside reports whether path is dir or below it.
func inside(path, dir string) bool {
	p, err1 := filepath.Abs(path)
	d, err2 := filepath.Abs(dir)
	if err1 != nil || err2 != nil {
		return false
	}
	rel, err := filepath.Rel(d, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// buildMemoryLimit is the memory of the Go runtime above which a build
// collects garbage whatever GOGC says (GOMEMLIMIT overrides it). A site
// of 100,000 posts holds 1.0–1.2 GB live, which GOGC=200 lets the heap
// grow to three times between collections (2.6–3.3 GB): the process
// peaks at about 3.2 GB, under the limit. A larger site, whose heap
// GOGC would let grow past it, collects more often instead.
const buildMemoryLimit = 3584 << 20

// buildNotes is the end of the summary line: how many warnings were
// printed and how many drafts and future posts were left out, in
// parentheses, or nothing when there is nothing to say:
// " (3 warnings; 2 drafts and 1 future post left out)".
func buildNotes(s render.Stats) string {
	var notes, out []string
	if n := len(s.Warnings); n > 0 {
		notes = append(notes, plural(n, "warning", "warnings"))
	}
	if s.Drafts > 0 {
		out = append(out, plural(s.Drafts, "draft", "drafts"))
	}
	if s.Future > 0 {
		out = append(out, plural(s.Future, "future post", "future posts"))
	}
	if len(out) > 0 {
		notes = append(notes, strings.Join(out, " and ")+" left out")
	}
	if len(notes) == 0 {
		return ""
	}
	return " (" + strings.Join(notes, "; ") + ")"
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// siteSources are the files and directories of the site in dir that an
// output directory may neither hold nor lie inside: site build does not
// replace them, nor site clean remove them.
func siteSources(dir string) []string {
	return []string{
		filepath.Join(dir, content.ConfigFile),
		filepath.Join(dir, content.ContentDir),
		filepath.Join(dir, content.StaticDir),
		filepath.Join(dir, themes.Dir),
		filepath.Join(dir, l10n.Dir),
		filepath.Join(dir, render.CacheDir),
	}
}

// checkDefaultOutput refuses the default output directory, out (public
// in the site directory dir), when it is a symbolic link that leads
// outside the site, unless follow (--follow-symlinks): the site, checked
// out from a repository, must not choose which directory of the machine
// a build replaces (or site clean empties). A -o given on the command
// line may be such a link. refused says what is refused, and how else to
// do it.
func checkDefaultOutput(dir, out string, follow bool, refused string) error {
	info, err := os.Lstat(out)
	if err != nil || info.Mode()&os.ModeSymlink == 0 || follow {
		return nil
	}
	target, _ := os.Readlink(out)
	site, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return err
	}
	real, err := filepath.EvalSymlinks(out)
	if err == nil {
		if inside(real, site) {
			return nil
		}
	}
	return fmt.Errorf("%s: symlink to %s leads outside the site; refusing to %s", out, target, refused)
}

// manifestPath is where the cache records what was published in out, one
// manifest per output directory.
func manifestPath(cache, out string) string {
	abs, err := filepath.Abs(out)
	if err != nil {
		abs = out
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(cache, "published", hex.EncodeToString(sum[:8])+".json")
}

func runClean(args []string, stdout, stderr io.Writer) error {
	fs := flags("clean", stderr)
	dir := fs.String("s", ".", "the site directory")
	out := fs.String("o", "", "the output directory (default: public in the site directory)")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError(fs, "unexpected argument %q", rest[0])
	}
	if *out == "" {
		*out = filepath.Join(*dir, "public")
		if err := checkDefaultOutput(*dir, *out, false, "remove the site it leads to (give -o to clean there)"); err != nil {
			return err
		}
	}
	if err := render.RemoveOutput(*out, siteSources(*dir)...); err != nil {
		return err
	}
	cache := filepath.Join(*dir, render.CacheDir)
	if err := os.RemoveAll(cache); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "removed %s and %s\n", *out, cache)
	return nil
}

// engineVersion identifies this build of the engine for caches: the
// version and the executable's Go build ID (goBuildID), else a hash of
// the executable, so that any change to the engine, released or not,
// invalidates what an older one cached.
var engineVersion = sync.OnceValue(func() string {
	v := version
	exe, err := os.Executable()
	if err != nil {
		return v + "+" + strconv.FormatInt(time.Now().UnixNano(), 10) // no reuse rather than stale reuse
	}
	if id := goBuildID(exe); id != "" {
		sum := sha256.Sum256([]byte(id))
		return v + "+" + hex.EncodeToString(sum[:12])
	}
	f, err := os.Open(exe)
	if err != nil {
		return v + "+" + strconv.FormatInt(time.Now().UnixNano(), 10)
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return v + "+" + strconv.FormatInt(time.Now().UnixNano(), 10)
	}
	return v + "+" + hex.EncodeToString(h.Sum(nil)[:12])
})

// goBuildID returns the Go build ID of the ELF executable exe, as "go
// tool buildid" prints it, or "" where there is none or it is not of the
// go command's form. The go command ends it with a hash of the
// executable's content, so it changes with the code, and reading it
// costs a note rather than the whole file (about 30 ms at every build).
// The note is the linker's .note.go.buildid: name "Go", type 4, the ID
// as its text. TestGoBuildID fails should Go write it otherwise.
func goBuildID(exe string) string {
	f, err := elf.Open(exe)
	if err != nil {
		return ""
	}
	defer f.Close()
	s := f.Section(".note.go.buildid")
	if s == nil {
		return ""
	}
	data, err := s.Data()
	if err != nil || len(data) < 16 {
		return ""
	}
	nameSize, descSize, kind := f.ByteOrder.Uint32(data), f.ByteOrder.Uint32(data[4:]), f.ByteOrder.Uint32(data[8:])
	if nameSize != 4 || kind != 4 || string(data[12:16]) != "Go\x00\x00" || uint64(descSize) > uint64(len(data)-16) {
		return ""
	}
	// The go command's own: four parts, the last the content's hash. One
	// given with -ldflags=-buildid= (as Bazel's "redacted") may be the
	// same for different code.
	id := string(data[16 : 16+descSize])
	parts := strings.Split(id, "/")
	if len(parts) != 4 || slices.Contains(parts, "") {
		return ""
	}
	return id
}

// recordIssuer probes host and returns the badge naming its issuer and the
// date of the check, for `site build --issuer-from`. A probe that fails,
// or a chain that is not trusted, fails the build.
func recordIssuer(host string, stdout io.Writer) ([]byte, error) {
	res, err := tlsinfo.Probe(context.Background(), host, tlsinfo.ProbeOptions{})
	if err != nil {
		return nil, fmt.Errorf("--issuer-from: %w", err)
	}
	if !res.Trusted {
		return nil, fmt.Errorf("--issuer-from: %s: not trusted, so its issuer is not worth recording: %s", res.Target, res.Reason)
	}
	name := res.ServerName
	if name == "" {
		name = res.Target
	}
	t, leaf := res.Trust, res.Chain.Leaf()
	if t.State != tlsinfo.Verified {
		return nil, fmt.Errorf("--issuer-from: %s: %s: not publicly trusted, so its issuer is not worth recording", res.Target, t.Reason)
	}
	fmt.Fprintf(stdout, "badge: %s is issued by %s (under %s), SHA-256 %s, valid until %s, checked %s\n", name, t.Issuer, t.AnchorLabel(),
		leaf.SHA256, leaf.NotAfter.UTC().Format("2006-01-02"), res.Checked.UTC().Format("2006-01-02"))
	return badge.RecordedBadge(badge.Recording{Host: name, Report: &badge.Report{Chain: res.Chain, Trust: t}, Checked: res.Checked}), nil
}

// progress shows how far a build is on a terminal, on one line that is
// rewritten at most ten times a second and cleared at the end. On
// anything but a terminal it shows nothing.
type progress struct {
	w       io.Writer
	mu      sync.Mutex
	last    time.Time
	visible bool
}

func newProgress(w io.Writer) *progress {
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return &progress{}
	}
	return &progress{w: w}
}

func (p *progress) update(done, total int) {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.visible = true
	fmt.Fprintf(p.w, "\rbuilding: %d of %d files (%d%%)", done, total, done*100/max(total, 1))
}

func (p *progress) done() {
	if p.w == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.visible {
		fmt.Fprint(p.w, "\r\033[K")
		p.visible = false
	}
}

// followSymlinksUsage describes --follow-symlinks of site build and site
// serve.
const followSymlinksUsage = "follow symbolic links that lead outside the site directory (by default such a link is an error, so that a site cannot publish the files of the machine that builds it)"
