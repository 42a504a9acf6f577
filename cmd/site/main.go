// Command site builds and serves a static blog from Markdown files.
//
// Usage:
//
//	site init [DIR]                 create a new site
//	site new [--draft] "Title"      create a new post
//	site new [--draft] PATH.md      create content/PATH.md
//	site import SRC [-o DIR]        turn a Hugo, Jekyll, Zola or Pelican site into a site
//	site build [flags]              render the site into public/
//	site serve [flags]              preview, or serve in production with ACME
//	site tls HOST[:PORT]            describe the certificate chain of a server
//	site version                    print version information
//	site help [COMMAND]             show help
//
// site build publishes all or nothing: the new site is built beside the
// output directory and swapped in whole, so a build that fails or is
// killed leaves the previous site (package render, Publishing).
//
// Exit status: 0 success, 1 build failure, 2 usage error.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

// version is the engine's release, set at link time with
// -ldflags "-X main.version=…".
var version = "0.1.0-dev"

// errUsage marks a command line mistake (exit status 2); its message has
// been printed with the command's usage.
var errUsage = errors.New("usage")

type command struct {
	name, args, summary string
	run                 func(args []string, stdout, stderr io.Writer) error
}

var commands []*command

func init() {
	commands = []*command{
		{"init", "[DIR]", "create a new site in DIR (default: the current directory)", runInit},
		{"new", "[-s DIR] [--draft] \"Title\" | PATH.md", "create content/posts/<slug>.md, or content/PATH.md, with front matter", runNew},
		{"import", "[-o DIR] SRC", "turn the Hugo, Jekyll, Zola or Pelican site in SRC into a site in DIR", runImport},
		{"build", "[-s DIR] [-o DIR] [--drafts] [--future] [--base-url URL] [--no-cache] [--follow-symlinks] [--issuer-from HOST[:PORT]] [--cpuprofile FILE]", "render the site into DIR/public", runBuild},
		{"serve", "[-s DIR] [--follow-symlinks] [--addr ADDR] | --acme --domain D [--domain D2] [--email E] [--acme-ca URL] [--acme-ca-root PEM] [--cache DIR] [--http-addr A] [--https-addr A] | --tls-cert C --tls-key K; [--ca-root PEM]... [--trusted-proxy CIDR]... [--expect-issuer ORG] [--ct-log-list FILE] [--caa-resolver HOST:PORT]", "preview the site, or serve it in production with the issuer badge", runServe},
		{"tls", "[--timeout D] [--ca-root PEM]... [--check-badge DIR] HOST[:PORT]", "print the certificate chain and issuer of an HTTPS server", runTLS},
		{"clean", "[-s DIR] [-o DIR]", "remove the build cache and the output directory", runClean},
		{"version", "", "print the version of site, Go and the libraries it is built with", runVersion},
		{"help", "[COMMAND]", "show help for a command", runHelp},
	}
}

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		usage(stderr)
		return 2
	}
	name := args[0]
	switch name {
	case "-h", "-help", "--help":
		usage(stdout)
		return 0
	case "-version", "--version":
		name = "version"
	}
	for _, c := range commands {
		if c.name == name {
			err := c.run(args[1:], stdout, stderr)
			switch {
			case err == nil:
				return 0
			case errors.Is(err, flag.ErrHelp):
				return 0
			case errors.Is(err, errUsage):
				return 2
			}
			printError(stderr, name, err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "site: unknown command %q\n\n", name)
	usage(stderr)
	return 2
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "site builds and serves a static blog from Markdown files.\n\nUsage:\n\n")
	for _, c := range commands {
		fmt.Fprintf(w, "  site %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprintf(w, "\nRun \"site help COMMAND\" for a command's flags.\n")
}

// flags returns a flag set for a command that prints its usage to stderr.
func flags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("site "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	for _, c := range commands {
		if c.name == name {
			fs.Usage = func() {
				fmt.Fprintf(stderr, "usage: site %s %s\n\n%s.\n", c.name, c.args, c.summary)
				if hasFlags(fs) {
					fmt.Fprintln(stderr, "\nFlags:")
					fs.PrintDefaults()
				}
			}
		}
	}
	return fs
}

func hasFlags(fs *flag.FlagSet) bool {
	n := 0
	fs.VisitAll(func(*flag.Flag) { n++ })
	return n > 0
}

// parse parses flags that may stand before and after the positional
// arguments, as in `site new "Title" --draft`, and returns the positionals.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

// usageError prints a mistake and the command's usage.
func usageError(fs *flag.FlagSet, format string, args ...any) error {
	fmt.Fprintf(fs.Output(), "%s: %s\n", fs.Name(), fmt.Sprintf(format, args...))
	fs.Usage()
	return errUsage
}

func runHelp(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		usage(stdout)
		return nil
	}
	for _, c := range commands {
		if c.name == args[0] {
			return c.run([]string{"-h"}, stdout, stdout)
		}
	}
	fmt.Fprintf(stderr, "site help: unknown command %q\n", args[0])
	return errUsage
}

func runVersion(args []string, stdout, stderr io.Writer) error {
	fs := flags("version", stderr)
	rest, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(rest) > 0 {
		return usageError(fs, "unexpected argument %q", rest[0])
	}
	fmt.Fprintf(stdout, "site %s\n%s %s/%s\n", version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			for _, lib := range []string{"github.com/yuin/goldmark", "github.com/alecthomas/chroma/v2", "github.com/fsnotify/fsnotify", "golang.org/x/crypto"} {
				if dep.Path == lib {
					fmt.Fprintf(stdout, "%s %s\n", dep.Path, strings.TrimSpace(dep.Version))
				}
			}
		}
	}
	return nil
}

// printError reports a failure: a multi-line error (every problem of a
// build, one a line, each starting with its file) as it is, then a count.
func printError(w io.Writer, name string, err error) {
	lines := strings.Split(err.Error(), "\n")
	if len(lines) == 1 {
		fmt.Fprintf(w, "site %s: %v\n", name, err)
		return
	}
	for _, l := range lines {
		fmt.Fprintln(w, l)
	}
	fmt.Fprintf(w, "site %s: %d errors\n", name, len(lines))
}
