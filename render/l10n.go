package render

import (
	"html/template"
	"io/fs"
	"maps"
	"path"
	"strings"
	"time"

	"github.com/siteblog/site/badge"
	"github.com/siteblog/site/content"
	"github.com/siteblog/site/internal/l10n"
	"github.com/siteblog/site/themes"
)

// loadCatalog reads the messages of the site's language: site.toml's
// [translations], then the site's i18n/, the site theme's
// themes/NAME/i18n/ and the default theme's i18n/ (package themes
// documents the order).
func loadCatalog(siteFS fs.FS, cfg *content.Config) (*l10n.Catalog, []Warning, error) {
	sources := []l10n.Source{{FS: siteFS, Dir: l10n.Dir, Name: l10n.Dir, Site: true}}
	if cfg.Theme != "" {
		dir := path.Join(themes.Dir, cfg.Theme, l10n.Dir)
		sources = append(sources, l10n.Source{FS: siteFS, Dir: dir, Name: dir})
	}
	sources = append(sources, l10n.Source{FS: themes.Default, Dir: l10n.Dir, Name: l10n.Dir + " (default theme)"})
	ov := l10n.Overrides{File: content.ConfigFile, Messages: cfg.Translations, Line: func(id string) int { return cfg.TranslationLines[id] }}
	cat, lw, err := l10n.Load(cfg.Language, content.ConfigFile, cfg.LanguageLine, ov, sources...)
	if err != nil {
		return nil, nil, err
	}
	var warns []Warning
	for _, w := range lw {
		warns = append(warns, Warning{Path: w.File, Line: w.Line, Msg: w.Msg})
	}
	return cat, warns, nil
}

// templateFuncs are the template functions of a site: funcs, with T and
// dates in the site's language.
func templateFuncs(cat *l10n.Catalog) template.FuncMap {
	fm := maps.Clone(funcs)
	// T returns a message of the theme in the site's language.
	fm["T"] = cat.T
	// Thtml returns a message written in HTML, its string arguments
	// escaped: {{Thtml "tls_verified" .Issuer .Root}}.
	fm["Thtml"] = cat.HTML
	// datetime formats a time in UTC as a long date and the time:
	// "2 January 2006, 15:04 UTC", "2. Januar 2006, 15:04 UTC".
	datetime := func(t time.Time) string { return cat.Dates.Long(t.UTC()) + t.UTC().Format(", 15:04 UTC") }
	fm["datetime"] = datetime
	// timetag is a <time> element of a time in UTC: its datetime RFC 3339,
	// its text as datetime writes it.
	fm["timetag"] = func(t time.Time) template.HTML {
		return template.HTML(`<time datetime="` + t.Format(time.RFC3339) + `">` + template.HTMLEscapeString(datetime(t)) + `</time>`)
	}
	// join joins strings with ", ".
	fm["join"] = func(s []string) string { return strings.Join(s, ", ") }
	// date formats a time as a long date in the site's language:
	// "2 January 2006", "2. Januar 2006", "2006年1月2日".
	fm["date"] = cat.Dates.Long
	// mediumdate formats a time as a medium date: "2 Jan 2006", "02.01.2006".
	fm["mediumdate"] = cat.Dates.Medium
	// daymonth formats a time's day and month: "2 Jan", "2. Jan.", "1月2日".
	fm["daymonth"] = cat.Dates.DayMonth
	return fm
}

// t returns a message the engine shows (a page's title or description);
// one that does not fit its arguments fails the build, naming its file
// and line.
func (b *builder) t(id string, args ...any) string {
	s, err := b.l10n.T(id, args...)
	if err != nil {
		b.fail(err)
	}
	return s
}

// staticBadge is the badge slot of pages a build writes holding note:
// badge's StaticNote in the site's language (message tls_note; the
// servers' badges, made per connection by package badge, are English).
func staticBadge(note string) template.HTML {
	if note == "" {
		return badge.Slot(nil)
	}
	var b strings.Builder
	b.WriteString(`<p class="tls-note">`)
	template.HTMLEscape(&b, []byte(note))
	b.WriteString(`</p>`)
	return badge.Slot([]byte(b.String()))
}
