// Package enginetest compares site with the engines blogs come from. It
// builds a blog with its original engine and with site and compares what
// a reader sees of every post.
//
// # Fixtures
//
// testdata/ENGINE/ (hugo, jekyll, pelican, zola, goblog) holds a small
// site written for this project:
//
//	orig/          the site as its engine wants it (config, posts, static
//	               files, Hugo shortcodes, Jekyll includes); no layouts:
//	               the probe templates below stand in for them
//	site.toml      what its writer would write for site
//	MOVEIN         optional move-in rules (else DefaultMoveIn)
//	EXPECTED.json  the posts as the original engine publishes them
//
// For Hugo, Jekyll and Pelican, which Debian ships, TestEngines builds
// orig/ with the engine (testenv finds it; under CI=true a missing engine
// fails the test) and compares site with that build; it also checks that
// the build still matches EXPECTED.json, which `go test -update` rewrites.
// For Zola and the Go blog, EXPECTED.json is written by hand from the
// engine's documented rules, and its note says how.
//
// # What is compared
//
// Per post (see Post): the URL (the output path), the day shown, the
// title, the authors, the tags (the same names, and on site no two sharing
// one page), the code listings (as many, and highlighted at least where
// the original highlights), the elements only raw HTML or shortcodes make
// (Elements), template syntax left in the prose ("{{", "{%"), the images,
// the posts each links to, the aliases that redirect to it, and that
// site's images resolve to files it publishes.
// Posts are paired by URL, else by a title no other post has.
//
// # Probes
//
// probe/ holds a minimal template per engine that prints a post as an
// h-entry (p-name, dt-published, p-author, e-content) with its source file
// in data-source: the microformats site's default theme writes too, so
// one reader serves both sides. BuildEngine puts them in place of a
// blog's own layouts (Hugo: a first theme, keeping the blog's shortcodes,
// partials and render hooks; Jekyll: _layouts/, with plugins off; Pelican:
// -t THEME).
//
// # Real blogs
//
// scripts/compare-blog.sh ENGINE BLOGDIR SITE_TOML [MOVEIN] runs
// compareblog on a blog outside the repository and reports the same
// comparison with counts and both build times; for Zola and the Go blog
// the expectations come from ExpectFromRules (URL, day, title, authors).
package enginetest
