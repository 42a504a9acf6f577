package main

import (
	"fmt"
	"io"

	"github.com/siteblog/site/internal/siteimport"
)

func runImport(args []string, stdout, stderr io.Writer) error {
	fs := flags("import", stderr)
	out := fs.String("o", ".", "the directory of the new site; it must be empty or absent")
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) != 1 {
		return usageError(fs, "want one source directory, got %d arguments", len(rest))
	}
	p, err := siteimport.Import(rest[0], *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "imported a %s site from %s into %s: %d files, %d posts\n", p.Engine, rest[0], *out, len(p.Files), p.Posts())
	if len(p.Notes) > 0 {
		fmt.Fprintf(stdout, "not mapped (%d):\n", len(p.Notes))
		for _, n := range p.Notes {
			fmt.Fprintf(stdout, "  %s\n", n)
		}
	}
	fmt.Fprintf(stdout, "next: cd %s && site serve\n", *out)
	return nil
}
