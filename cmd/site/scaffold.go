package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/scaffold"
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
	if err := scaffold.InitSite(dir, *title, time.Now().Truncate(time.Second)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "created a new site in %s\nnext: cd %s && site serve\n", dir, dir)
	return nil
}

func runNew(args []string, stdout, stderr io.Writer) error {
	fs := flags("new", stderr)
	dir := fs.String("s", ".", "the site directory")
	draft := fs.Bool("draft", false, "mark the post or page as a draft")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError(fs, "want one title (quote it) or one path under content/, got %d arguments", len(rest))
	}
	cfg, err := content.LoadConfig(os.DirFS(*dir), "")
	if err != nil {
		return err
	}
	// The writer's own clock, offset included, unless the site converts
	// every date into its timezone.
	now := time.Now().Truncate(time.Second)
	if cfg.Timezone != "" {
		now = now.In(cfg.Location)
	}
	p, err := scaffold.New(*dir, rest[0], scaffold.Options{
		Draft:    *draft,
		Now:      now,
		Sections: cfg.Sections,
	})
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, p)
	return nil
}
