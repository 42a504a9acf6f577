package content

import (
	"errors"
	"fmt"
	"html"
	"net/url"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-unidecode"
	"golang.org/x/text/unicode/norm"
)

// permalinkVars are the values of a post's permalink tokens.
type permalinkVars struct {
	date     time.Time // in the site's timezone
	slug     string    // :slug: the slug given, else the title's slug
	given    string    // the slug given in front matter, kept; "" if none
	filename string    // :filename: the file name, kept
	// basename is Hugo's :filename: the file name with its date, kept.
	basename string
	title    string // :title: Jekyll's slug of the slug given or file name
	// hugoTitle is Hugo's :title: the title kept as keepSlug keeps it.
	hugoTitle string
	section   string // :section
	// categories is Jekyll's :categories: the post's categories,
	// lower-cased, joined by "/".
	categories string
	// pelicanCategory is Pelican's {category}: see pelicanCategory.
	pelicanCategory string
	// zolaSlug is Zola's slug (ZolaSlug) of the slug given, else of the
	// file name without a leading date; zolaExact is false when it keeps
	// characters Zola would have transliterated.
	zolaSlug  string
	zolaExact bool
	// zolaSections are the directories from content/ to the post, as
	// Zola's URLs hold them.
	zolaSections string
	// hugoSections are those directories as Hugo's default URL holds
	// them: each lower-cased and made a URL segment.
	hugoSections string
}

// permalinkTokens are the tokens a permalink pattern may use, and their values.
var permalinkTokens = map[string]func(v *permalinkVars) string{
	":year":     func(v *permalinkVars) string { return fmt.Sprintf("%04d", v.date.Year()) },
	":month":    func(v *permalinkVars) string { return fmt.Sprintf("%02d", int(v.date.Month())) },
	":day":      func(v *permalinkVars) string { return fmt.Sprintf("%02d", v.date.Day()) },
	":slug":     func(v *permalinkVars) string { return v.slug },
	":filename": func(v *permalinkVars) string { return v.filename },
	":title":    func(v *permalinkVars) string { return v.title },
	":slugorfilename": func(v *permalinkVars) string {
		if v.given != "" {
			return v.given
		}
		return v.filename
	},
	":section":          func(v *permalinkVars) string { return v.section },
	":categories":       func(v *permalinkVars) string { return v.categories },
	":pelican_category": func(v *permalinkVars) string { return v.pelicanCategory },
	":hugo_title":       func(v *permalinkVars) string { return v.hugoTitle },
	":hugo_slug": func(v *permalinkVars) string {
		if v.given != "" {
			return v.given
		}
		return v.hugoTitle
	},
	":hugo_filename": func(v *permalinkVars) string { return v.basename },
	":hugo_slugorfilename": func(v *permalinkVars) string {
		if v.given != "" {
			return v.given
		}
		return v.basename
	},
	":output_ext":    func(*permalinkVars) string { return ".html" },
	":zola_slug":     func(v *permalinkVars) string { return v.zolaSlug },
	":zola_sections": func(v *permalinkVars) string { return v.zolaSections },
	":hugo_sections": func(v *permalinkVars) string { return v.hugoSections },
}

// slugTokens name a post; a permalink uses at least one of them.
var slugTokens = []string{":slug", ":filename", ":title", ":slugorfilename", ":hugo_slug", ":hugo_title", ":hugo_filename", ":hugo_slugorfilename", ":zola_slug"}

// tokenRE finds the tokens of a permalink pattern.
var tokenRE = regexp.MustCompile(`:[a-z_]+`)

// tokenNames lists the tokens for messages.
const tokenNames = ":year, :month, :day, :slug, :filename, :title, :slugorfilename, :section, :categories, :output_ext, :hugo_slug, :hugo_title, :hugo_filename, :hugo_slugorfilename, :hugo_sections, :zola_slug, :zola_sections and :pelican_category"

// emptySegments are what a token with no value (:categories) leaves.
var emptySegments = regexp.MustCompile(`//+`)

// permalink expands a permalink pattern for a post. A token with no
// value leaves no empty segment: "/:categories/:slug/" without categories
// is "/SLUG/", as Jekyll makes it.
func permalink(pattern string, v *permalinkVars) string {
	return emptySegments.ReplaceAllString(tokenRE.ReplaceAllStringFunc(pattern, func(tok string) string {
		if f := permalinkTokens[tok]; f != nil {
			return f(v)
		}
		return tok
	}), "/")
}

// usesToken reports whether a permalink pattern holds tok.
func usesToken(pattern, tok string) bool {
	return slices.Contains(patternTokens(pattern), tok)
}

// patternTokenCache holds the tokens of the first patternTokenMax
// permalink patterns seen: a site has a few, and every post asks about
// them several times; a pattern in a page's own front matter may be one
// of many.
var patternTokenCache struct {
	sync.RWMutex
	of map[string][]string
}

const patternTokenMax = 64

// patternTokens returns the tokens of a permalink pattern, in order.
func patternTokens(pattern string) []string {
	c := &patternTokenCache
	c.RLock()
	toks, ok := c.of[pattern]
	c.RUnlock()
	if ok {
		return toks
	}
	toks = tokenRE.FindAllString(pattern, -1)
	c.Lock()
	if c.of == nil {
		c.of = map[string][]string{}
	}
	if len(c.of) < patternTokenMax {
		c.of[pattern] = toks
	}
	c.Unlock()
	return toks
}

// checkPermalink reports whether a permalink pattern makes distinct, clean
// URL paths.
func checkPermalink(p string) error {
	if !strings.HasPrefix(p, "/") {
		return errors.New("must start with /")
	}
	named := false
	for _, tok := range tokenRE.FindAllString(p, -1) {
		if permalinkTokens[tok] == nil {
			return fmt.Errorf("unknown token %s: use %s", tok, tokenNames)
		}
		named = named || slices.Contains(slugTokens, tok)
	}
	if !named {
		return errors.New("must contain :slug, :filename, :title, :slugorfilename a :hugo_ token or :zola_slug, so that posts of one day differ")
	}
	rest := tokenRE.ReplaceAllString(p, "x")
	if strings.Contains(rest, ":") {
		return errors.New("a : must start one of the tokens " + tokenNames)
	}
	if err := checkURLChars(rest); err != nil {
		return err
	}
	clean := path.Clean(rest)
	if strings.HasSuffix(rest, "/") && clean != "/" {
		clean += "/"
	}
	if clean != rest {
		return errors.New("must be a clean path (no //, . or .. segments)")
	}
	return nil
}

// checkURLChars refuses what a URL path given in site.toml or front matter
// may not hold: a query, a fragment, backslashes, the characters file
// systems or HTML treat specially (< > " | *), control characters and
// noncharacters (forbiddenRune), and bytes that are not UTF-8.
func checkURLChars(s string) error {
	if strings.ContainsAny(s, urlRefused) || strings.IndexFunc(s, notURLRune) >= 0 || !utf8.ValidString(s) {
		return errors.New("want a URL path without " + urlRefusedNames)
	}
	return nil
}

// notURLRune reports a control character (tab, line feed and carriage
// return too, which text may hold but a path may not) or a noncharacter.
func notURLRune(r rune) bool { return unicode.IsControl(r) || forbiddenRune(r) }

// urlRefused are the characters checkURLChars refuses, besides control
// characters and noncharacters.
const (
	urlRefused      = "?#\\<>\"|*"
	urlRefusedNames = `?, #, \, <, >, ", |, * or control characters`
)

// decodeURLPath reads a URL path written in front matter (url, path,
// permalink, aliases) as a URL: percent escapes are decoded ("/caf%C3%A9/"
// is "/café/", the path a server answers), and the result must pass
// checkURLChars, so "%3C" is refused as "<" is and "%2e%2e" is ".." (a
// path above the site's root is refused by the caller).
func decodeURLPath(s string) (string, error) {
	d := s
	if strings.Contains(s, "%") {
		var err error
		if d, err = url.PathUnescape(s); err != nil {
			return "", fmt.Errorf("%q: a %% must start an escape such as %%20", s)
		}
	}
	if err := checkURLChars(d); err != nil {
		return "", fmt.Errorf("%q: %v", s, err)
	}
	return d, nil
}

// FileOf returns the output file, slash-separated and relative to the
// output directory, that publishes a site URL path: "/a/" is
// "a/index.html", "/a.html" is "a.html", and "/a", a URL path that ends
// neither in "/" nor in ".html", is "a.html", which static hosts (and
// `site serve`) answer at "/a".
func FileOf(urlPath string) string {
	p := strings.TrimPrefix(urlPath, "/")
	switch {
	case p == "" || strings.HasSuffix(p, "/"):
		return p + "index.html"
	case isHTML(p):
		return p
	}
	return p + ".html"
}

// isHTML reports whether a URL path names an HTML file itself.
func isHTML(p string) bool {
	return strings.HasSuffix(p, ".html") || strings.HasSuffix(p, ".htm")
}

// ResourceDir returns the URL path under which the other files of a page
// bundle published at pageURL go: the URL itself when it ends in "/", else
// the URL without its ".html" and with a "/" ("/blog/name" and
// "/blog/name.html" put theirs under "/blog/name/", as Hugo does).
func ResourceDir(pageURL string) string {
	if strings.HasSuffix(pageURL, "/") {
		return pageURL
	}
	return strings.TrimSuffix(strings.TrimSuffix(pageURL, ".html"), ".htm") + "/"
}

// keepSlug makes a URL segment of a slug given in front matter or of a
// file name, as Hugo does: letters, digits and marks of every script and
// the characters . _ ~ - @ + are kept, and lower-cased; a run of white
// space becomes one hyphen; every other character is dropped.
// "My File, (v2) É" is "my-file-v2-é"; "Go1.22" is "go1.22".
func keepSlug(s string) string { return segment(s, true) }

// keepSlugCase is keepSlug keeping case, as Pelican keeps a slug given in
// its metadata: "Links.And.Dots" stays so.
func keepSlugCase(s string) string { return segment(s, false) }

// segment is keepSlug, lower-casing when lower is true.
func segment(s string, lower bool) string {
	var b strings.Builder
	hyphen, wasHyphen := false, false
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r) || strings.ContainsRune("._~-@+", r) {
			wasHyphen = r == '-'
			if hyphen && !wasHyphen {
				b.WriteByte('-')
			}
			hyphen = false
			if lower {
				r = unicode.ToLower(r)
			}
			b.WriteRune(r)
		} else if b.Len() > 0 && !wasHyphen && unicode.IsSpace(r) {
			hyphen = true
		}
	}
	return b.String()
}

// givenSlug is the URL segment of the slug given in a page's front
// matter: kept as Pelican keeps it, case included, in Pelican's form;
// else as Hugo keeps it (keepSlug).
func givenSlug(pg *Page) string {
	if pg.Form == PelicanForm {
		return keepSlugCase(pg.Slug)
	}
	return keepSlug(pg.Slug)
}

// titleSlug is the slug of a page's title: Pelican's in Pelican's form,
// else Slugify's.
func titleSlug(pg *Page) string {
	if pg.Form == PelicanForm {
		return pelicanSlug(pg.Title)
	}
	return Slugify(pg.Title)
}

var (
	// markupTags are what markupsafe's striptags removes: comments, then
	// tags.
	markupComments = regexp.MustCompile(`(?s)<!--.*?-->`)
	markupTags     = regexp.MustCompile(`(?s)<.*?>`)
	// pelicanDropped and pelicanHyphen are Pelican's default
	// SLUG_REGEX_SUBSTITUTIONS on ASCII text: characters other than word
	// characters, white space and "-" go; runs of white space and "-"
	// become one "-".
	pelicanDropped = regexp.MustCompile(`[^\w\t\n\v\f\r \x1c-\x1f-]+`)
	pelicanHyphen  = regexp.MustCompile(`[\t\n\v\f\r \x1c-\x1f-]+`)
)

// pelicanSlug is Pelican's slugify of a title with its default settings
// (pelican/utils.py): tags stripped and character references read (as
// markupsafe's striptags does), Unicode normal form NFKC, transliterated
// to ASCII (unidecode), then characters other than letters, digits, "_",
// white space and "-" dropped, white space trimmed, runs of white space
// and "-" made one "-", lower-cased. "Go 1.22: C++ & Straße" is
// "go-122-c-strasse".
func pelicanSlug(title string) string {
	s := markupTags.ReplaceAllString(markupComments.ReplaceAllString(title, ""), "")
	s = html.UnescapeString(strings.Join(strings.Fields(s), " "))
	s = unidecode.Unidecode(norm.NFKC.String(s))
	s = strings.Trim(pelicanDropped.ReplaceAllString(s, ""), "\t\n\v\f\r \x1c\x1d\x1e\x1f")
	return strings.ToLower(pelicanHyphen.ReplaceAllString(s, "-"))
}

// jekyllSlug is Jekyll's :title: runs of characters other than letters,
// digits, marks and ._~!$&'()+,;=@ become one hyphen, hyphens at the ends
// are dropped, and case is kept ("My Post" is "My-Post").
func jekyllSlug(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	unsafe := false // in a run of characters to replace
	for _, r := range s {
		if jekyllSafe(r) {
			b.WriteRune(r)
			unsafe = false
		} else if !unsafe {
			b.WriteByte('-')
			unsafe = true
		}
	}
	return strings.Trim(b.String(), "-")
}

// jekyllSafe reports whether Jekyll's "pretty" slugify keeps r: a
// letter, mark, decimal digit or one of ._~!$&'()+,;=@ (its expression
// [^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+ matches the runs it replaces).
func jekyllSafe(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r|0x20 && r|0x20 <= 'z' || '0' <= r && r <= '9' || strings.ContainsRune("._~!$&'()+,;=@", r)
	}
	return unicode.In(r, unicode.M, unicode.L, unicode.Nd)
}

// checkSlug refuses a slug given in front matter that is not one URL
// segment.
func checkSlug(s string) error {
	if strings.ContainsAny(s, "/\\?#") || strings.Contains(s, "..") || strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return fmt.Errorf("%q: a slug is one URL segment: no /, \\, .., ?, # or control characters", s)
	}
	// The characters the segment drops may leave only dots (".€.").
	for _, seg := range []string{keepSlug(s), jekyllSlug(s)} {
		if seg == "." || seg == ".." {
			return fmt.Errorf("%q: a slug is one URL segment: it makes %q, which names a directory", s, seg)
		}
	}
	return nil
}

// fileName is the name a page's file gives it: the file name without its
// extension (a bundle's directory name for index.md) and without a
// leading YYYY-MM-DD- date.
func fileName(p string) string {
	name := baseFileName(p)
	if rest := name[len(DatePrefix(name)):]; rest != "" {
		name = rest
	}
	return name
}

// TitleOfFile is the title a page without one takes from its file (or
// bundle) name, as Jekyll titles it: without extension and leading date,
// each word capitalised ("2024-01-02-go1.22-notes.md" is "Go1.22 Notes").
func TitleOfFile(p string) string { return titleFromName(fileName(p)) }

// baseFileName is the name of a page's file, or of its bundle directory,
// without extension.
func baseFileName(p string) string {
	base := path.Base(p)
	name := strings.TrimSuffix(base, path.Ext(base))
	if (name == "index" || name == "_index") && path.Dir(p) != "." {
		name = path.Base(path.Dir(p))
	}
	return name
}

// zolaSections are the directories from content/ to a post's file, or to
// a bundle's directory: "blog/2024" for content/blog/2024/x.md and for
// content/blog/2024/x/index.md.
func zolaSections(p string) string {
	dir := path.Dir(strings.TrimPrefix(p, ContentDir+"/"))
	if baseName(path.Base(p)) == "index" {
		dir = path.Dir(dir)
	}
	return strings.TrimPrefix(dir, ".")
}

// hugoSections are the directories of zolaSections as Hugo's default URL
// of a page holds them: "post/tech/go-notes" for content/post/Tech/Go
// Notes/x.md (Hugo lower-cases paths and makes each a URL segment).
func hugoSections(dirs string) string {
	if dirs == "" {
		return ""
	}
	parts := strings.Split(dirs, "/")
	for i, d := range parts {
		parts[i] = keepSlug(d)
	}
	return strings.Join(parts, "/")
}

// exactURL reads front matter url (Hugo, Pelican), path (Zola) or
// permalink (Jekyll): the URL path it sets, case kept. A leading "/" is
// optional (the value is relative to the site root). url and path get a
// trailing "/" unless they end in ".html", as Hugo and Zola add it;
// permalink is kept as written, as Jekyll does, so "/about" publishes
// about.html.
func exactURL(key string, value any) (string, error) {
	s, ok := value.(string)
	if !ok {
		return "", fmt.Errorf("want a URL path, found %s", describe(value))
	}
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", errors.New("want a URL path, found nothing")
	case strings.Contains(s, "://") || strings.HasPrefix(s, "//"):
		return "", fmt.Errorf("%q: want a path on this site, without scheme and host", s)
	}
	written := s
	s, err := decodeURLPath(s)
	if err != nil {
		return "", err
	}
	rel := path.Clean(strings.TrimPrefix(s, "/"))
	if rel == ".." || strings.HasPrefix(rel, "../") {
		return "", fmt.Errorf("%q: goes above the site's root", written)
	}
	if rel == "." {
		return "/", nil
	}
	u := "/" + rel
	if strings.HasSuffix(s, "/") || (key != "permalink" && !isHTML(u)) {
		u += "/"
	}
	return u, nil
}

// urlDir is the directory of a URL path: "/2024/01/x/" and "/2024/01/x"
// are in "/2024/01/".
func urlDir(u string) string {
	d := path.Dir(strings.TrimSuffix(u, "/"))
	if d == "/" {
		return d
	}
	return d + "/"
}

// resolveAlias returns the URL path an alias publishes a redirect at.
// An alias without a leading "/" is relative to the site root, or, when
// relative is "section", to the directory of the page's URL, as Hugo
// resolves it. The result ends in "/" unless it ends in ".html".
func resolveAlias(alias, pageURL, relative string) (string, error) {
	base := ""
	if !strings.HasPrefix(alias, "/") && relative == "section" {
		base = strings.TrimPrefix(urlDir(pageURL), "/")
	}
	rel := path.Clean(base + strings.TrimPrefix(alias, "/"))
	switch {
	case rel == ".":
		return "", fmt.Errorf("%q: resolves to the site's index", alias)
	case rel == ".." || strings.HasPrefix(rel, "../"):
		return "", fmt.Errorf("%q: goes above the site's root", alias)
	}
	u := "/" + rel
	if !isHTML(u) {
		u += "/"
	}
	return u, nil
}

// newPermalinkVars returns the values of the permalink tokens of pg, a
// post of section (or a page, section ""); slugErr says why the slug its
// front matter gives is not used, catErr why its categories cannot be
// read (a pattern with :categories fails on it).
func newPermalinkVars(pg *Page, section string) (v *permalinkVars, slugErr, catErr error) {
	name := fileName(pg.Path)
	v = &permalinkVars{date: pg.Date, section: section, filename: keepSlug(name), basename: keepSlug(baseFileName(pg.Path)), zolaSections: zolaSections(pg.Path)}
	v.hugoSections = hugoSections(v.zolaSections)
	zolaFrom := zolaName(baseFileName(pg.Path))
	if pg.Slug != "" {
		zolaFrom = pg.Slug
	}
	v.zolaSlug, v.zolaExact = ZolaSlug(zolaFrom)
	jekyllName := name
	if pg.Slug != "" {
		if err := checkSlug(pg.Slug); err != nil {
			slugErr = err
		} else if v.given = givenSlug(pg); v.given == "" {
			slugErr = fmt.Errorf("%q has no letters or digits to make a URL of", pg.Slug)
		} else {
			jekyllName = pg.Slug
		}
	}
	v.slug = v.given
	if v.slug == "" {
		v.slug = titleSlug(pg)
	}
	v.title = jekyllSlug(jekyllName)
	v.hugoTitle = keepSlug(pg.Title)
	if pg.Title == "" && pg.Redirect != "" { // a redirect without a title is named by its file
		if v.slug == "" {
			v.slug = v.filename
		}
		v.hugoTitle = v.filename
	}
	v.categories, catErr = jekyllCategories(pg.Params)
	v.pelicanCategory = pelicanCategory(pg, section)
	return v, slugErr, catErr
}

// setURL sets a page's URL and resolves its aliases; section is the
// post's section ("" for a standalone page). In order: front matter url,
// path, permalink; else the site's permalink (posts) or the file's place
// under content/ (standalone pages). Warnings name what another engine
// would have published elsewhere.
func setURL(pg *Page, section string, cfg *Config) (errs, warnings Errors) {
	bad := func(key, format string, args ...any) {
		errs = append(errs, errorf(pg.Path, pg.Lines[key], "front matter: %s: %s", key, fmt.Sprintf(format, args...)))
	}
	v, slugErr, catErr := newPermalinkVars(pg, section)
	if slugErr != nil {
		bad("slug", "%v", slugErr)
	}
	checkCategories := func(pattern string) {
		if catErr != nil && usesToken(pattern, ":categories") {
			errs = append(errs, errorf(pg.Path, pg.Lines["tags"], "front matter: %v", catErr))
		}
	}

	pg.urlFromTitle = false
	explicit := ""
	for _, key := range []string{"url", "path", "permalink"} {
		if value, ok := pg.Params[key]; ok && value != nil {
			explicit = key
			u, err := exactURL(key, value)
			if err != nil {
				bad(key, "%v", err)
				return errs, nil
			}
			if key == "permalink" && tokenRE.MatchString(u) {
				if pg.Kind != Post {
					bad(key, "%q: tokens such as :title are for posts; write the URL path", u)
					return errs, nil
				}
				if err := checkPermalink(u); err != nil {
					bad(key, "%q: %v", u, err)
					return errs, nil
				}
				checkCategories(u)
				warnings = append(warnings, zolaWarning(pg, u, v)...)
				u = permalink(u, v)
			}
			pg.URL = u
			break
		}
	}
	switch {
	case explicit != "":
	case pg.Kind == Post:
		pattern := cfg.Permalink
		checkCategories(pattern)
		warnings = append(warnings, zolaWarning(pg, pattern, v)...)
		pg.URL = permalink(pattern, v)
		for _, tok := range slugTokens {
			if usesToken(pattern, tok) && permalinkTokens[tok](v) == "" {
				if tok == ":slug" || tok == ":hugo_slug" || tok == ":hugo_title" {
					bad("title", "%q gives an empty slug; set slug", pg.Title)
				} else if tok == ":zola_slug" && pg.Slug != "" {
					bad("slug", "%q gives an empty slug (:zola_slug): it has no letters or digits", pg.Slug)
				} else {
					errs = append(errs, errorf(pg.Path, 1, "the file name %q gives an empty %s; rename the file or set url", path.Base(pg.Path), tok))
				}
			}
		}
		if pg.Title != "" && ((usesToken(pattern, ":slug") || usesToken(pattern, ":hugo_slug")) && v.given == "" || usesToken(pattern, ":hugo_title")) {
			pg.urlFromTitle = true // may move if another post has this title
		}
	default:
		slug := v.given
		if slug == "" {
			slug = v.filename
		}
		dir := strings.TrimPrefix(path.Dir(strings.TrimPrefix(pg.Path, ContentDir+"/")), ".")
		if base := path.Base(pg.Path); strings.TrimSuffix(base, path.Ext(base)) == "index" {
			dir = path.Dir(dir) // a bundle's directory is its slug
		}
		pg.URL = path.Clean("/"+dir+"/"+slug) + "/"
		if slug == "" {
			errs = append(errs, errorf(pg.Path, 1, "the file name %q gives an empty slug; set slug", path.Base(pg.Path)))
		}
	}
	pg.aliasesAsWritten, pg.writtenAliasLines = pg.Aliases, pg.aliasLines
	var aliasErrs Errors
	pg.Aliases, pg.aliasLines, aliasErrs = resolveAliases(pg, cfg.RelativeAliases)
	errs = append(errs, aliasErrs...)
	if pg.Redirect != "" {
		_, jekyll := pg.Params["redirect_to"]
		to, err := resolveRedirect(pg.Redirect, jekyll, pg.URL)
		if err != nil {
			bad("redirect", "%v", err)
		}
		pg.Redirect = to
	}
	return errs, warnings
}

// zolaWarning warns when a post's URL holds a :zola_slug that keeps
// characters Zola would have transliterated, so that Zola published the
// post at another URL.
func zolaWarning(pg *Page, pattern string, v *permalinkVars) Errors {
	if v.zolaExact || !usesToken(pattern, ":zola_slug") {
		return nil
	}
	line, from := 1, "file name"
	if pg.Slug != "" {
		line, from = pg.Lines["slug"], "slug"
	}
	return Errors{errorf(pg.Path, line, "the %s gives the slug %q, keeping characters Zola transliterates (into ASCII letters) but this engine does not; Zola published this post at another URL: set slug or path to keep it", from, v.zolaSlug)}
}

// dateTokens are the permalink tokens that need a date.
var dateTokens = []string{":year", ":month", ":day"}

// urlNeedsDate reports whether a post's URL is made with date tokens: from
// the site's permalink, or a permalink front matter key holding tokens,
// unless url or path sets it.
func urlNeedsDate(pg *Page, cfg *Config) bool {
	pattern := cfg.Permalink
	for _, key := range []string{"url", "path", "permalink"} {
		if value, ok := pg.Params[key]; ok && value != nil {
			if key != "permalink" {
				return false
			}
			pattern, _ = value.(string)
			break
		}
	}
	for _, tok := range dateTokens {
		if usesToken(pattern, tok) {
			return true
		}
	}
	return false
}

// pelicanCategory is Pelican's {category} of a post, as its URLs use it:
// the front matter category, else the directory the post is in below its
// section (Pelican's USE_FOLDER_AS_CATEGORY), else "misc" (its
// DEFAULT_CATEGORY), made a slug as Pelican makes one.
func pelicanCategory(pg *Page, section string) string {
	name, _ := scalarString(pg.Params["category"])
	if strings.TrimSpace(name) == "" && !strings.HasSuffix(pg.Path, "/index.md") {
		name = folderCategory(pg.Path, section)
	}
	if slug := pelicanSlug(name); slug != "" {
		return slug
	}
	return "misc"
}

// folderCategory is the category Pelican gives an article whose metadata
// names none (USE_FOLDER_AS_CATEGORY, on by default): the name of the
// directory it is in, below its section; "" for a file directly in it.
func folderCategory(p, section string) string {
	rest, ok := strings.CutPrefix(p, ContentDir+"/"+section+"/")
	if !ok || section == "" || !strings.Contains(rest, "/") {
		return ""
	}
	return path.Base(path.Dir(rest))
}

// addFolderCategory makes the folder category of a post in Pelican's
// form without a category one of its tags, when the site's taxonomies
// read category, as Pelican lists the post under it.
func addFolderCategory(pg *Page, taxonomies []string) {
	if pg.Form != PelicanForm || pg.Kind != Post {
		return
	}
	if taxonomies == nil {
		taxonomies = DefaultTaxonomies
	}
	if !slices.Contains(taxonomies, "category") {
		return
	}
	if name, _ := scalarString(pg.Params["category"]); strings.TrimSpace(name) != "" {
		return
	}
	if c := folderCategory(pg.Path, pg.Section); c != "" {
		pg.Meta.Tags = appendTags(pg.Meta.Tags, []string{c})
	}
}

// jekyllCategories is Jekyll's :categories of a post: its categories (a
// list, or names separated by white space), then its category (one
// name), lower-cased, each once, joined by "/".
func jekyllCategories(params map[string]any) (string, error) {
	var names []string
	if c := params["categories"]; c != nil {
		if list, ok := c.([]any); ok {
			for _, e := range list {
				s, ok := scalarString(e)
				if !ok {
					return "", fmt.Errorf("categories: want names, found %s", describe(e))
				}
				names = append(names, s)
			}
		} else if s, ok := scalarString(c); ok {
			names = strings.Fields(s)
		} else {
			return "", fmt.Errorf("categories: want names, found %s", describe(c))
		}
	}
	if c := params["category"]; c != nil {
		s, ok := scalarString(c)
		if !ok {
			return "", fmt.Errorf("category: want a name, found %s", describe(c))
		}
		names = append(names, s)
	}
	var out []string
	for _, n := range names {
		n = strings.ToLower(strings.TrimSpace(n))
		if n == "" || slices.Contains(out, n) {
			continue
		}
		if checkURLChars(n) != nil || strings.Contains(n, "..") {
			return "", fmt.Errorf("category %q cannot be part of a URL path (:categories)", n)
		}
		out = append(out, n)
	}
	return strings.Join(out, "/"), nil
}

// resolveAliases resolves the aliases of a page as written against its
// URL, and returns them with the line of the key that gave each.
func resolveAliases(pg *Page, relative string) (aliases []string, lines []int, errs Errors) {
	for i, a := range pg.aliasesAsWritten {
		line := pg.Lines["aliases"]
		if i < len(pg.writtenAliasLines) {
			line = pg.writtenAliasLines[i]
		}
		u, err := resolveAlias(a, pg.URL, relative)
		if err != nil {
			errs = append(errs, errorf(pg.Path, line, "front matter: aliases: %v", err))
			continue
		}
		aliases, lines = append(aliases, u), append(lines, line)
	}
	return aliases, lines, errs
}

// AliasLine returns the line of the front matter key (aliases,
// redirect_from) that gave the page's alias Aliases[i], for messages.
func (pg *Page) AliasLine(i int) int {
	if i < len(pg.aliasLines) {
		return pg.aliasLines[i]
	}
	return pg.Lines["aliases"]
}

// urlKey is the front matter key that decided a page's URL, for messages.
func urlKey(pg *Page) string {
	for _, key := range []string{"url", "path", "permalink", "slug"} {
		if _, ok := pg.Lines[key]; ok {
			return key
		}
	}
	return "title"
}

// moveTitleSlug finds another URL for a post whose URL, made from its
// title's slug, is taken: the one its file name gives, else the title's
// slug followed by -2, -3, … . free reports whether a URL is free.
func moveTitleSlug(pg *Page, pattern string, free func(string) bool) string {
	vars, _, _ := newPermalinkVars(pg, pg.Section)
	v := *vars
	if v.filename != "" && v.filename != v.slug && v.filename != v.hugoTitle {
		w := v
		w.slug, w.hugoTitle = v.filename, v.filename
		if u := permalink(pattern, &w); free(u) {
			return u
		}
	}
	for n := 2; ; n++ {
		w := v
		w.slug, w.hugoTitle = v.slug+"-"+strconv.Itoa(n), v.hugoTitle+"-"+strconv.Itoa(n)
		if u := permalink(pattern, &w); free(u) {
			return u
		}
	}
}
