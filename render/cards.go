package render

import (
	"fmt"
	"html/template"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/siteblog/site/content"
	"golang.org/x/net/html"
	"golang.org/x/text/language"
)

// What share cards, search engines and feed readers are told about a
// page beyond its HTML: its picture, locale, description and the
// schema.org data of its JSON-LD.

// Image is a picture for share cards: og:image and the JSON-LD's image.
type Image struct {
	// URL is absolute.
	URL string
	// Alt describes the picture; "" when not known.
	Alt string
}

// DescriptionLength is the length, in characters, meta descriptions made
// from a page's text are cut to (on a word boundary, with "…"): about
// what search results show.
const DescriptionLength = 160

// imageURL makes an image reference of front matter or site.toml
// absolute: an http(s) URL as it is ("//host/x" takes the site's scheme),
// a path starting with "/" under the base URL, and a relative path
// against the page's bundle when pg is one holding that file, else
// against the site root (as Hugo's images and jekyll-seo-tag resolve
// it). Another scheme (data:, …) or a reference that is no URL gives "".
func (b *builder) imageURL(pg *content.Page, ref string) string {
	if ref == "" {
		return ""
	}
	u, err := url.Parse(ref)
	switch {
	case err != nil:
		return ""
	case u.Host != "" && u.Scheme == "":
		u.Scheme = b.base.Scheme
		return u.String()
	case u.Scheme == "http" || u.Scheme == "https":
		if u.Host == "" {
			return ""
		}
		return u.String()
	case u.Scheme != "" || u.Path == "":
		return ""
	case strings.HasPrefix(u.Path, "/"):
		return b.abs(path.Clean(u.Path))
	}
	if pg != nil && slices.Contains(pg.Resources, path.Join(path.Dir(pg.Path), u.Path)) {
		return b.abs(path.Clean(content.ResourceDir(pg.URL) + u.Path))
	}
	return b.abs(path.Clean("/" + u.Path))
}

// postImage is a post's front matter image, made absolute; nil for none.
func (b *builder) postImage(pg *content.Page) *Image {
	if u := b.imageURL(pg, pg.Image); u != "" {
		return &Image{URL: u, Alt: pg.ImageAlt}
	}
	return nil
}

// siteImage is site.toml's image, made absolute; nil for none.
func (b *builder) siteImage() *Image {
	if u := b.imageURL(nil, b.cfg.Image); u != "" {
		return &Image{URL: u, Alt: b.cfg.ImageAlt}
	}
	return nil
}

// cardFormats are the picture formats share cards show (Open Graph's
// readers and X take these; none takes SVG), by file extension.
var cardFormats = map[string]bool{".png": true, ".jpg": true, ".jpeg": true, ".gif": true, ".webp": true}

// firstLocalImage returns the first <img> of a rendered body whose source,
// resolved against the page's URL, is on the site's host under its base
// path, in one of cardFormats: a picture the site publishes, not one
// from elsewhere (which may go away, or be someone else's). nil when
// there is none.
func (b *builder) firstLocalImage(body template.HTML, page string) *Image {
	if !strings.Contains(string(body), "<img") {
		return nil
	}
	base, err := url.Parse(page)
	if err != nil {
		return nil
	}
	z := html.NewTokenizer(strings.NewReader(string(body)))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return nil
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if string(name) != "img" || !hasAttr {
			continue
		}
		var src, alt string
		for more := true; more; {
			var k, v []byte
			k, v, more = z.TagAttr()
			switch string(k) {
			case "src":
				src = string(v)
			case "alt":
				alt = string(v)
			}
		}
		ref, err := url.Parse(strings.TrimSpace(src))
		if src == "" || err != nil {
			continue
		}
		u := base.ResolveReference(ref)
		if (u.Scheme == "http" || u.Scheme == "https") && strings.EqualFold(u.Host, b.base.Host) &&
			strings.HasPrefix(u.Path, b.base.Path) && cardFormats[strings.ToLower(path.Ext(u.Path))] {
			return &Image{URL: u.String(), Alt: alt}
		}
	}
}

// checkImages warns of a share card image that front matter or site.toml
// names on the site but that no file of the site is: a card that would
// show nothing. It checks the images of pages, and the site's when site
// is true, keeping what it found (imageChecks) for the next check, which
// then looks again only at the pages whose image or names changed.
func (b *builder) checkImages(pages []*content.Page, site bool, c func() *checker) {
	ic := b.images
	if ic == nil {
		ic = &imageChecks{looked: map[string]map[*content.Page]bool{}, names: map[*content.Page][]string{}}
		b.images = ic
	}
	missing := func(img *Image, ch *checker) (string, bool) {
		if img == nil {
			return "", false
		}
		u, err := url.Parse(img.URL)
		if err != nil || !sameOrigin(b.base, u) {
			return "", false
		}
		p, err := url.PathUnescape(u.EscapedPath())
		if err != nil || !strings.HasPrefix(p, ch.basePath) {
			return p, true
		}
		return p, !ch.exists("/" + strings.TrimPrefix(p, ch.basePath))
	}
	for _, pg := range pages {
		for _, name := range ic.names[pg] {
			delete(ic.looked[name], pg)
		}
		delete(ic.names, pg)
		var w *Warning
		if pd := b.posts[pg]; pd != nil && pd.Image != nil {
			ch := *c()
			ch.looked = []string{}
			if p, bad := missing(pd.Image, &ch); bad {
				w = &Warning{Path: pg.Path, Line: pg.Lines["image"], Msg: fmt.Sprintf("image %s not found (looked for %s)", pg.Image, p)}
			}
			for _, name := range ch.looked {
				set(ic.looked, name)[pg] = true
			}
			ic.names[pg] = ch.looked
		}
		ic.found = setWarning(ic.found, pg.Path, w)
	}
	if site {
		ic.site = nil
		if p, bad := missing(b.data.Image, c()); bad {
			ic.site = []Warning{{Path: content.ConfigFile, Line: b.cfg.ImageLine, Msg: fmt.Sprintf("image %s not found (looked for %s)", b.cfg.Image, p)}}
		}
	}
}

// imageChecks is what checkImages found: the warnings of the pages'
// images, one at most for each page, in the order of their paths; the
// site's; and the names of files each page's check looked up, and the
// pages that looked up each name, so that when a file comes or goes the
// pages whose image it may be are checked again.
type imageChecks struct {
	found  []Warning
	site   []Warning
	names  map[*content.Page][]string
	looked map[string]map[*content.Page]bool
}

// warnings are the warnings of every image, the pages' by path, then
// the site's.
func (ic *imageChecks) warnings() []Warning {
	if ic == nil {
		return nil
	}
	return append(slices.Clip(ic.found), ic.site...)
}

// setWarning puts w as the warning of the page at path in found, sorted
// by path, in place of the one it had; a nil w leaves it none.
func setWarning(found []Warning, path string, w *Warning) []Warning {
	i, had := slices.BinarySearchFunc(found, path, func(w Warning, path string) int { return strings.Compare(w.Path, path) })
	switch {
	case had && w != nil:
		found[i] = *w
	case had:
		found = slices.Delete(found, i, i+1)
	case w != nil:
		found = slices.Insert(found, i, *w)
	}
	return found
}

// ogLocale is a BCP 47 language tag in Open Graph's ll_CC form: the
// language and its country, the most likely one when the tag names none
// or names a region that is no country ("en" is en_US, "fr" fr_FR,
// "pt" pt_BR, "zh-Hant" zh_TW, "es-419" es_ES, "de-CH" de_CH). "" when
// the tag cannot be read.
func ogLocale(lang string) string {
	tag, err := language.Parse(lang)
	if err != nil {
		return ""
	}
	base, conf := tag.Base()
	if conf == language.No {
		return ""
	}
	region, _ := tag.Region()
	if !region.IsCountry() {
		region, _ = language.Make(base.String()).Region()
	}
	if !region.IsCountry() {
		return ""
	}
	return base.String() + "_" + region.String()
}

// trimDescription cuts text to at most DescriptionLength characters, at
// the end of a word, with "…" when it cut. In Chinese and Japanese, which
// put no spaces between words, a character ends a word too.
func trimDescription(s string) string {
	if utf8.RuneCountInString(s) <= DescriptionLength {
		return s
	}
	cut, n := 0, 0
	for i, r := range s {
		if n == DescriptionLength-1 { // room for "…"
			break
		}
		switch {
		case unicode.IsSpace(r):
			cut = i
		case r >= 0x2E80 && (unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) || unicode.IsPunct(r)):
			cut = i + utf8.RuneLen(r)
		}
		n++
	}
	if cut == 0 { // one long word
		i := 0
		for range DescriptionLength - 1 {
			_, w := utf8.DecodeRuneInString(s[i:])
			i += w
		}
		cut = i
	}
	return strings.TrimRightFunc(s[:cut], func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + "…"
}

// listDescription is the meta description of an index page when
// site.toml has none: who writes the site (prefix, "Posts by Ada on
// Notes:", messages list_description_by and list_description) and the
// titles of the posts the page lists, "Posts by Ada on Notes: Title one;
// Title two". A site without posts yet is described by who writes it
// alone ("Posts by Ada on Notes").
func listDescription(prefix string, posts []*PostData) string {
	if len(posts) == 0 {
		return strings.TrimRightFunc(prefix, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	}
	s := prefix + " "
	for i, p := range posts {
		if i > 0 {
			s += "; "
		}
		s += p.Title
	}
	return trimDescription(s)
}

// StructuredData is the page's schema.org data, for its JSON-LD: a
// BlogPosting on a post, a WebSite on the site's first index page, nil
// elsewhere. Templates write it as
// <script type="application/ld+json">{{.StructuredData}}</script>, where
// html/template encodes it as JSON, escaping "<" so nothing in it can end
// the script element.
func (d *PageData) StructuredData() any {
	switch {
	case d.Kind == "post" && d.Post != nil:
		return d.blogPosting()
	case d.Kind == "list" && d.path == "/":
		return d.webSite()
	}
	return nil
}

// schemaPerson is a schema.org Person.
type schemaPerson struct {
	Type string `json:"@type"`
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// schemaImage is a schema.org ImageObject.
type schemaImage struct {
	Type    string `json:"@type"`
	URL     string `json:"url"`
	Caption string `json:"caption,omitempty"`
}

// blogPosting is a schema.org BlogPosting with what Google's article rich
// results ask for: headline, image, datePublished, dateModified and
// author.name.
func (d *PageData) blogPosting() any {
	p, site := d.Post, d.Site
	v := struct {
		Context          string         `json:"@context"`
		Type             string         `json:"@type"`
		Headline         string         `json:"headline"`
		Description      string         `json:"description,omitempty"`
		URL              string         `json:"url"`
		MainEntityOfPage string         `json:"mainEntityOfPage"`
		DatePublished    string         `json:"datePublished"`
		DateModified     string         `json:"dateModified"`
		Author           []schemaPerson `json:"author,omitempty"`
		Publisher        *schemaPerson  `json:"publisher,omitempty"`
		Image            *schemaImage   `json:"image,omitempty"`
		Keywords         []string       `json:"keywords,omitempty"`
		InLanguage       string         `json:"inLanguage,omitempty"`
		IsPartOf         any            `json:"isPartOf"`
	}{
		Context:          "https://schema.org",
		Type:             "BlogPosting",
		Headline:         p.Title,
		Description:      d.Description,
		URL:              d.Permalink,
		MainEntityOfPage: d.Permalink,
		DatePublished:    p.Date.Format(time.RFC3339),
		DateModified:     p.Date.Format(time.RFC3339),
		InLanguage:       site.Language,
		IsPartOf:         map[string]string{"@type": "Blog", "name": site.Title, "url": site.BaseURL},
	}
	if !p.Updated.IsZero() {
		v.DateModified = p.Updated.Format(time.RFC3339)
	}
	for _, a := range p.Authors {
		person := schemaPerson{Type: "Person", Name: a.Name}
		if a.Name == site.Author.Name {
			person.URL = site.BaseURL // the site's author: the site is theirs
		}
		v.Author = append(v.Author, person)
	}
	if len(v.Author) == 0 { // no author named anywhere: the site stands for one
		v.Author = []schemaPerson{{Type: "Organization", Name: site.Title, URL: site.BaseURL}}
	}
	if site.Author.Name != "" {
		v.Publisher = &schemaPerson{Type: "Person", Name: site.Author.Name, URL: site.BaseURL}
	} else {
		v.Publisher = &schemaPerson{Type: "Organization", Name: site.Title, URL: site.BaseURL}
	}
	if d.Image != nil {
		v.Image = &schemaImage{Type: "ImageObject", URL: d.Image.URL, Caption: d.Image.Alt}
	}
	for _, t := range p.Tags {
		v.Keywords = append(v.Keywords, t.Name)
	}
	return v
}

// webSite is a schema.org WebSite: the site's name, URL and description.
// With a search page (SiteData.SearchURL) it carries a SearchAction,
// which search engines may show as a search box.
func (d *PageData) webSite() any {
	site := d.Site
	type target struct {
		Type        string `json:"@type"`
		URLTemplate string `json:"urlTemplate"`
	}
	type action struct {
		Type       string `json:"@type"`
		Target     target `json:"target"`
		QueryInput string `json:"query-input"`
	}
	v := struct {
		Context         string        `json:"@context"`
		Type            string        `json:"@type"`
		Name            string        `json:"name"`
		URL             string        `json:"url"`
		Description     string        `json:"description,omitempty"`
		InLanguage      string        `json:"inLanguage,omitempty"`
		Author          *schemaPerson `json:"author,omitempty"`
		PotentialAction *action       `json:"potentialAction,omitempty"`
	}{
		Context:     "https://schema.org",
		Type:        "WebSite",
		Name:        site.Title,
		URL:         site.BaseURL,
		Description: d.Description,
		InLanguage:  site.Language,
	}
	if site.Author.Name != "" {
		v.Author = &schemaPerson{Type: "Person", Name: site.Author.Name, URL: site.BaseURL}
	}
	if site.SearchURL != "" {
		u := site.SearchURL
		if !strings.Contains(u, "?") {
			u += "?q={search_term_string}"
		}
		v.PotentialAction = &action{Type: "SearchAction", Target: target{Type: "EntryPoint", URLTemplate: u}, QueryInput: "required name=search_term_string"}
	}
	return v
}
