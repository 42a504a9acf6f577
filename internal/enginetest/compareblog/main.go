// Command compareblog builds a real blog with its original engine (Hugo,
// Jekyll, Pelican, as Debian ships them) or derives what it publishes
// from its front matter (Zola, the Go blog; see enginetest.ExpectFromRules),
// builds the same posts with site, and reports per post whether the URL,
// the day shown, the title and the authors (and, after an engine build,
// listings, raw HTML, images, links and aliases) match, with counts and
// both build times. scripts/compare-blog.sh runs it.
//
//	compareblog -engine hugo -site-toml site.toml [-movein RULES] -site BIN [-engine-bin BIN] [-v] BLOGDIR
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"time"

	"github.com/siteblog/site/internal/enginetest"
)

func main() {
	engine := flag.String("engine", "", "the blog's engine: hugo, jekyll, pelican, zola or goblog")
	siteTOML := flag.String("site-toml", "", "the site.toml to build the blog with")
	movein := flag.String("movein", "", "a file of move-in rules (default: the engine's, see enginetest.DefaultMoveIn)")
	siteBin := flag.String("site", "site", "the site binary")
	engineBin := flag.String("engine-bin", "", "the engine's binary (default: its name in $PATH)")
	verbose := flag.Bool("v", false, "print every post, not only those that differ")
	keep := flag.Bool("keep", false, "keep the work directory and print its path")
	flag.Parse()
	if flag.NArg() != 1 || *engine == "" || *siteTOML == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*engine, flag.Arg(0), *siteTOML, *movein, *siteBin, *engineBin, *verbose, *keep); err != nil {
		fmt.Fprintln(os.Stderr, "compareblog:", err)
		os.Exit(1)
	}
}

func run(engine, dir, siteTOML, movein, siteBin, engineBin string, verbose, keep bool) error {
	b := &enginetest.Blog{Engine: engine, Dir: dir, SiteTOML: siteTOML}
	if movein != "" {
		f, err := os.Open(movein)
		if err != nil {
			return err
		}
		b.MoveIn, err = enginetest.ParseMoveIn(f, movein)
		f.Close()
		if err != nil {
			return err
		}
	}
	work, err := os.MkdirTemp("", "compareblog-")
	if err != nil {
		return err
	}
	if keep {
		fmt.Println("work directory:", work)
	} else {
		defer os.RemoveAll(work)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()

	var want []*enginetest.Post
	engineTime := "n/a (not in Debian: expectations from front matter and file names)"
	switch engine {
	case "hugo", "jekyll", "pelican":
		bin := engineBin
		if bin == "" {
			if bin, err = exec.LookPath(engine); err != nil {
				return err
			}
		}
		eb, err := enginetest.BuildEngine(ctx, b, bin, work)
		if err != nil {
			return err
		}
		want = eb.Out.Posts
		engineTime = eb.Duration.Round(time.Millisecond).String()
	default:
		if want, err = enginetest.ExpectFromRules(engine, dir); err != nil {
			return err
		}
	}
	fmt.Printf("%s: %d posts by %s (build %s)\n", dir, len(want), engine, engineTime)
	if verbose {
		for _, p := range want {
			fmt.Printf("  want %s %s %s %q %q\n", p.Source, p.URL, p.Day, p.Title, p.Authors)
		}
	}

	sb, err := enginetest.BuildSite(ctx, b, siteBin, work)
	if err != nil {
		var d time.Duration
		if sb != nil {
			d = sb.Duration
		}
		fmt.Printf("site build FAILED in %s: 0 of %d posts match\n%v\n", d.Round(time.Millisecond), len(want), err)
		return nil
	}
	r := enginetest.Compare(want, sb.Out)
	for _, d := range r.Diffs {
		fmt.Println("  " + d)
	}
	fmt.Printf("site: %s; build %s (site) vs %s (%s)\n", r.Summary(), sb.Duration.Round(time.Millisecond), engineTime, engine)
	return nil
}
