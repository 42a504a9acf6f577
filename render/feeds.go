package render

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"html/template"
	"net/url"
	"sync"
	"time"

	"github.com/siteblog/site/content"
)

// feed is what the three feed formats share: a list of posts, newest first.
type feed struct {
	title    string
	home     string // absolute URL of the page the feed belongs to
	self     string // absolute URL of the feed
	subtitle string
	posts    []*content.Page
}

// feedJob is one feed file to write.
type feedJob struct {
	name   string
	format func(feed) ([]byte, error)
	feed   feed
}

func (b *builder) planFeeds() {
	limit := b.cfg.Feed.Limit
	site := feed{title: b.cfg.Title, home: b.abs("/"), subtitle: b.cfg.Description, posts: b.site.Posts[:min(len(b.site.Posts), limit)]}
	var jobs []feedJob
	for _, f := range []struct {
		name   string
		format func(feed) ([]byte, error)
	}{{"feed.xml", b.atom}, {"rss.xml", b.rss}, {"feed.json", b.jsonFeed}} {
		site.self = b.abs("/" + f.name)
		jobs = append(jobs, feedJob{f.name, f.format, site})
	}
	for _, t := range b.site.Tags {
		jobs = append(jobs, b.tagFeed(t))
	}
	b.prepareFeedEntries(jobs)
	b.places.feeds = make(map[*content.Tag]int, len(b.site.Tags)+1)
	b.places.feeds[nil] = len(b.plan)
	for i, j := range jobs {
		if i >= 3 {
			b.places.feeds[b.site.Tags[i-3]] = len(b.plan)
		}
		b.addFeed(j)
	}
}

// tagFeed is the feed of a tag's posts.
func (b *builder) tagFeed(t *content.Tag) feedJob {
	return feedJob{tagPath(t)[1:] + "feed.xml", b.atom, feed{
		title:    b.cfg.Title + ": " + t.Name,
		home:     b.abs(tagPath(t)),
		self:     b.abs(tagPath(t) + "feed.xml"),
		subtitle: b.t("posts_tagged") + t.Name + b.t("posts_tagged_after"),
		posts:    t.Posts[:min(len(t.Posts), b.cfg.Feed.Limit)],
	}}
}

// feedEntry is a post's HTML as feeds carry it: its feed form (listings
// without line numbers, anchors and wrappers, headings without anchor
// links: Markdown.renderFeed), with relative URLs resolved against the
// post, so the HTML reads right wherever a feed reader shows it.
type feedEntry struct {
	content, summary       string
	contentXML, summaryXML string // the same, escaped as XML text, which costs more than the rest of a feed
	make                   func()
}

// prepareFeedEntries sets up the feed entry of every post in the feeds,
// made once, when first needed, however many feeds carry it.
func (b *builder) prepareFeedEntries(jobs []feedJob) {
	b.feedEntries, b.feedUsed = map[*content.Page]*feedEntry{}, map[*feedEntry]bool{}
	for _, j := range jobs {
		for _, pg := range j.feed.posts {
			if b.feedEntries[pg] == nil {
				b.feedEntry(pg)
			}
		}
	}
}

// feedEntry sets up the feed entry of a post, made once, when first
// needed; an entry depends on the body and the post's URL only, so a
// renderer used for many builds makes it once.
func (b *builder) feedEntry(pg *content.Page) {
	pd := b.posts[pg]
	id := feedEntryID{pd.key, pd.Permalink}
	e, loaded := b.feedCache.LoadOrStore(id, &feedEntry{})
	entry := e.(*feedEntry)
	if !loaded {
		entry.make = sync.OnceFunc(func() {
			base, _ := url.Parse(pd.Permalink)
			body := b.feedBody(pg, pd.key)
			entry.summary = string(resolveURLs(body.Summary, base))
			entry.summaryXML = escapeXML(entry.summary)
			if b.cfg.FullFeed() {
				entry.content = string(resolveURLs(body.Content, base))
				entry.contentXML = escapeXML(entry.content)
			}
		})
	}
	b.feedEntries[pg], b.feedUsed[entry] = entry, true
}

type feedEntryID struct {
	body      Key
	permalink string
}

// entry returns the feed entry of a post.
func (b *builder) entry(pg *content.Page) *feedEntry {
	e := b.feedEntries[pg]
	e.make()
	return e
}

// updated is when a post last changed.
func updated(pg *content.Page) time.Time {
	if !pg.Updated.IsZero() {
		return pg.Updated
	}
	return pg.Date
}

// newest is the latest change among posts; the epoch of the Unix era for
// none, so that an empty feed still has a valid, stable date.
func newest(posts []*content.Page) time.Time {
	t := time.Unix(0, 0).UTC()
	for _, pg := range posts {
		if u := updated(pg); u.After(t) {
			t = u
		}
	}
	return t
}

// feedHTML is a post's HTML for feeds: whole or summary as configured.
func (b *builder) feedHTML(pg *content.Page) string {
	e := b.entry(pg)
	if b.cfg.FullFeed() {
		return e.content
	}
	return e.summary
}

// feedXML is feedHTML escaped as XML text.
func (b *builder) feedXML(pg *content.Page) string {
	e := b.entry(pg)
	if b.cfg.FullFeed() {
		return e.contentXML
	}
	return e.summaryXML
}

// escapeXML escapes s as encoding/xml escapes character data.
func escapeXML(s string) string {
	var buf bytes.Buffer
	_ = xml.EscapeText(&buf, []byte(s)) // a bytes.Buffer does not fail
	return buf.String()
}

// authors are the people a post credits itself, nil when it credits
// none and the feed's author stands for it.
func (b *builder) authors(pg *content.Page) []Author {
	if len(pg.Authors) == 0 {
		return nil
	}
	return b.posts[pg].Authors
}

type atomFeed struct {
	XMLName   xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string      `xml:"xml:lang,attr,omitempty"`
	Title     string      `xml:"title"`
	Subtitle  string      `xml:"subtitle,omitempty"`
	Links     []atomLink  `xml:"link"`
	ID        string      `xml:"id"`
	Updated   string      `xml:"updated"`
	Author    *atomPerson `xml:"author,omitempty"`
	Generator string      `xml:"generator"`
	Entries   []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name  string `xml:"name"`
	Email string `xml:"email,omitempty"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",innerxml"` // escaped already (escapeXML)
}

// xmlText is an element's text, escaped already (escapeXML).
type xmlText struct {
	Escaped string `xml:",innerxml"`
}

type atomEntry struct {
	Title      string         `xml:"title"`
	Link       atomLink       `xml:"link"`
	ID         string         `xml:"id"`
	Published  string         `xml:"published"`
	Updated    string         `xml:"updated"`
	Authors    []*atomPerson  `xml:"author"`
	Categories []atomCategory `xml:"category"`
	Summary    *atomText      `xml:"summary,omitempty"`
	Content    *atomText      `xml:"content,omitempty"`
}

type atomCategory struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

func person(a Author) *atomPerson {
	if a.Name == "" {
		return nil
	}
	return &atomPerson{Name: a.Name, Email: a.Email}
}

// atom writes an Atom 1.0 feed (RFC 4287). Entry IDs are the posts'
// permalinks, which stay the same from build to build.
func (b *builder) atom(f feed) ([]byte, error) {
	a := atomFeed{
		Lang:     b.cfg.Language,
		Title:    f.title,
		Subtitle: f.subtitle,
		Links: []atomLink{
			{Rel: "alternate", Type: "text/html", Href: f.home},
			{Rel: "self", Type: "application/atom+xml", Href: f.self},
		},
		ID:        f.self,
		Updated:   newest(f.posts).Format(time.RFC3339),
		Author:    person(Author{Name: b.cfg.Author.Name, Email: b.cfg.Author.Email}),
		Generator: "site",
	}
	if a.Author == nil {
		a.Author = &atomPerson{Name: b.cfg.Title}
	}
	for _, pg := range f.posts {
		pd := b.posts[pg]
		e := atomEntry{
			Title:     pg.Title,
			Link:      atomLink{Rel: "alternate", Type: "text/html", Href: pd.Permalink},
			ID:        pd.Permalink,
			Published: pg.Date.Format(time.RFC3339),
			Updated:   updated(pg).Format(time.RFC3339),
		}
		for _, a := range b.authors(pg) { // one <author> each (RFC 4287 §4.2.1)
			e.Authors = append(e.Authors, person(a))
		}
		for _, t := range pd.Tags {
			e.Categories = append(e.Categories, atomCategory{Term: t.Name})
		}
		if b.entry(pg).summary != "" {
			e.Summary = &atomText{Type: "html", Body: b.entry(pg).summaryXML}
		}
		if b.cfg.FullFeed() {
			e.Content = &atomText{Type: "html", Body: b.feedXML(pg)}
		}
		a.Entries = append(a.Entries, e)
	}
	return marshalXML(a)
}

type rssFeed struct {
	XMLName xml.Name   `xml:"rss"`
	Version string     `xml:"version,attr"`
	Atom    string     `xml:"xmlns:atom,attr"`
	DC      string     `xml:"xmlns:dc,attr"`
	Channel rssChannel `xml:"channel"`
}

type rssChannel struct {
	Title         string    `xml:"title"`
	Link          string    `xml:"link"`
	Description   string    `xml:"description"`
	Language      string    `xml:"language,omitempty"`
	Generator     string    `xml:"generator"`
	LastBuildDate string    `xml:"lastBuildDate"`
	Self          atomLink  `xml:"atom:link"`
	Items         []rssItem `xml:"item"`
}

type rssItem struct {
	Title       string   `xml:"title"`
	Link        string   `xml:"link"`
	GUID        rssGUID  `xml:"guid"`
	PubDate     string   `xml:"pubDate"`
	Author      string   `xml:"author,omitempty"` // RSS wants one email address here
	Creators    []string `xml:"dc:creator"`       // every name, with or without one
	Categories  []string `xml:"category"`
	Description xmlText  `xml:"description"`
}

type rssGUID struct {
	IsPermaLink bool   `xml:"isPermaLink,attr"`
	Value       string `xml:",chardata"`
}

// rss writes an RSS 2.0 feed; dates are RFC 1123 with a numeric zone.
// RSS's <author> holds one email address, so every author's name is a
// dc:creator, as most engines write it; <author> is added when the one
// author has an email.
func (b *builder) rss(f feed) ([]byte, error) {
	description := f.subtitle
	if description == "" {
		description = f.title
	}
	r := rssFeed{
		Version: "2.0",
		Atom:    "http://www.w3.org/2005/Atom",
		DC:      "http://purl.org/dc/elements/1.1/",
		Channel: rssChannel{
			Title:         f.title,
			Link:          f.home,
			Description:   description,
			Language:      b.cfg.Language,
			Generator:     "site",
			LastBuildDate: newest(f.posts).Format(time.RFC1123Z),
			Self:          atomLink{Rel: "self", Type: "application/rss+xml", Href: f.self},
		},
	}
	for _, pg := range f.posts {
		pd := b.posts[pg]
		item := rssItem{
			Title:       pg.Title,
			Link:        pd.Permalink,
			GUID:        rssGUID{IsPermaLink: true, Value: pd.Permalink},
			PubDate:     pg.Date.Format(time.RFC1123Z),
			Description: xmlText{b.feedXML(pg)},
		}
		authors := pd.Authors
		if len(authors) == 1 && authors[0].Email != "" {
			item.Author = authors[0].Email + " (" + authors[0].Name + ")"
		}
		for _, a := range authors {
			item.Creators = append(item.Creators, a.Name)
		}
		for _, t := range pd.Tags {
			item.Categories = append(item.Categories, t.Name)
		}
		r.Channel.Items = append(r.Channel.Items, item)
	}
	return marshalXML(r)
}

func marshalXML(v any) ([]byte, error) {
	return buffered(func(buf *bytes.Buffer) error {
		buf.WriteString(xml.Header)
		enc := xml.NewEncoder(buf)
		enc.Indent("", "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
		buf.WriteByte('\n')
		return nil
	})
}

type jsonFeed struct {
	Version     string       `json:"version"`
	Title       string       `json:"title"`
	HomePageURL string       `json:"home_page_url"`
	FeedURL     string       `json:"feed_url"`
	Description string       `json:"description,omitempty"`
	Language    string       `json:"language,omitempty"`
	Authors     []jsonAuthor `json:"authors,omitempty"`
	Items       []jsonItem   `json:"items"`
}

type jsonAuthor struct {
	Name string `json:"name"`
}

type jsonItem struct {
	ID            string       `json:"id"`
	URL           string       `json:"url"`
	Title         string       `json:"title"`
	ContentHTML   string       `json:"content_html"`
	Summary       string       `json:"summary,omitempty"`
	DatePublished string       `json:"date_published"`
	DateModified  string       `json:"date_modified,omitempty"`
	Authors       []jsonAuthor `json:"authors,omitempty"`
	Tags          []string     `json:"tags,omitempty"`
}

// jsonFeed writes a JSON Feed 1.1.
func (b *builder) jsonFeed(f feed) ([]byte, error) {
	j := jsonFeed{
		Version:     "https://jsonfeed.org/version/1.1",
		Title:       scrubString(f.title),
		HomePageURL: f.home,
		FeedURL:     f.self,
		Description: scrubString(f.subtitle),
		Language:    b.cfg.Language,
		Items:       []jsonItem{},
	}
	if b.cfg.Author.Name != "" {
		j.Authors = []jsonAuthor{{Name: scrubString(b.cfg.Author.Name)}}
	}
	for _, pg := range f.posts {
		pd := b.posts[pg]
		item := jsonItem{
			ID:            pd.Permalink,
			URL:           pd.Permalink,
			Title:         scrubString(pg.Title),
			ContentHTML:   scrubString(b.feedHTML(pg)),
			Summary:       scrubString(plainText(template.HTML(b.entry(pg).summary))),
			DatePublished: pg.Date.Format(time.RFC3339),
		}
		if !pg.Updated.IsZero() {
			item.DateModified = pg.Updated.Format(time.RFC3339)
		}
		for _, a := range b.authors(pg) {
			item.Authors = append(item.Authors, jsonAuthor{Name: scrubString(a.Name)})
		}
		for _, t := range pd.Tags {
			item.Tags = append(item.Tags, scrubString(t.Name))
		}
		j.Items = append(j.Items, item)
	}
	return buffered(func(buf *bytes.Buffer) error {
		enc := json.NewEncoder(buf)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(j)
	})
}
