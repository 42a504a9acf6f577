package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/render"
	"github.com/siteblog/site/themes"
)

func runInit(args []string, stdout, stderr io.Writer) error {
	fs := flags("init", stderr)
	title := fs.String("title", "", "the site's title (default \"My Blog\")")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 1 {
		return usageError(fs, "want at most one directory, got %d arguments", len(rest))
	}
	dir := "."
	if len(rest) == 1 {
		dir = rest[0]
	}
	if err := content.InitSite(dir, *title, time.Now()); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created a new site in %s\nnext: cd %s && site serve\n", dir, dir)
	return nil
}

func runNew(args []string, stdout, stderr io.Writer) error {
	fs := flags("new", stderr)
	dir := fs.String("s", ".", "the site directory")
	draft := fs.Bool("draft", false, "mark the post as a draft")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError(fs, "want one title (quote it), got %d arguments", len(rest))
	}
	cfg, err := content.LoadConfig(os.DirFS(*dir), "")
	if err != nil {
		return err
	}
	p, err := content.NewPost(*dir, rest[0], *draft, time.Now().In(cfg.Location).Truncate(time.Second), "")
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, p)
	return nil
}

func runBuild(args []string, stdout, stderr io.Writer) error {
	fs := flags("build", stderr)
	dir := fs.String("s", ".", "the site directory")
	out := fs.String("o", "", "the output directory (default: public in the site directory)")
	drafts := fs.Bool("drafts", false, "include drafts")
	future := fs.Bool("future", false, "include posts dated in the future")
	baseURL := fs.String("base-url", "", "the URL the site is published at, in place of site.toml's base_url")
	noCache := fs.Bool("no-cache", false, "render everything afresh, neither reading nor writing the cache in "+render.CacheDir)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError(fs, "unexpected argument %q", rest[0])
	}
	if *out == "" {
		*out = filepath.Join(*dir, "public")
	}
	start := time.Now()
	siteFS := os.DirFS(*dir)
	cfg, err := content.LoadConfig(siteFS, *baseURL)
	if err != nil {
		return err
	}
	site, err := content.Load(siteFS, cfg, content.Options{Drafts: *drafts, Future: *future})
	if err != nil {
		return err
	}
	opts := []render.Option{render.WithEngineVersion(engineVersion())}
	publish := render.PublishOptions{Protect: []string{
		filepath.Join(*dir, content.ConfigFile),
		filepath.Join(*dir, content.ContentDir),
		filepath.Join(*dir, content.StaticDir),
		filepath.Join(*dir, themes.Dir),
		filepath.Join(*dir, render.CacheDir),
	}}
	if !*noCache {
		cache := filepath.Join(*dir, render.CacheDir)
		opts = append(opts, render.WithBodyCache(render.NewBodyCache(filepath.Join(cache, "bodies"))))
		publish.Manifest = manifestPath(cache, *out)
	}
	r, err := render.New(siteFS, cfg, opts...)
	if err != nil {
		return err
	}
	var stats render.Stats
	err = render.Publish(*out, publish, func(o render.Output) error {
		stats, err = r.Build(site, o)
		return err
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "built %d posts, %d tags, %d pages in %.2fs → %s\n",
		stats.Posts, stats.Tags, stats.Pages, time.Since(start).Seconds(), *out)
	return nil
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
	}
	if err := render.RemoveOutput(*out); err != nil {
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
// version and a hash of the executable, so that any change to the engine,
// released or not, invalidates what an older one cached.
var engineVersion = sync.OnceValue(func() string {
	v := version
	exe, err := os.Executable()
	if err != nil {
		return v + "+" + strconv.FormatInt(time.Now().UnixNano(), 10) // no reuse rather than stale reuse
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
