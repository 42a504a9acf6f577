package l10n

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"maps"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/pelletier/go-toml/v2"
	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
	"golang.org/x/text/message/catalog"
)

// Dir is the directory of message files in a site and in a theme:
// i18n/LANG.toml, as Hugo has them.
const Dir = "i18n"

// Source is one place message files are read from: Dir/LANG.toml of FS.
type Source struct {
	FS fs.FS
	// Dir holds the files; "i18n".
	Dir string
	// Name is how messages name the directory: "i18n",
	// "themes/NAME/i18n", "i18n (default theme)".
	Name string
	// Site marks the site's own directory: its messages of IDs no other
	// source has are Hugo's, which Translate reads as Hugo does.
	Site bool
}

// Overrides are messages given in the site's configuration for its own
// language: site.toml's [translations] table, each ID with a string or a
// table of plural forms.
type Overrides struct {
	// File names the configuration in messages ("site.toml").
	File string
	// Messages are the table as read.
	Messages map[string]any
	// Line gives the line of an ID in File, 0 when not known.
	Line func(id string) int
}

// A Warning is a problem that does not stop a build: File:Line, Msg.
type Warning struct {
	File string
	Line int
	Msg  string
}

// message is one message as a file gives it: a string, or plural forms.
type msg struct {
	text  string
	forms map[string]string // plural category → text; nil for a plain string
	file  string            // where it comes from, for messages
	line  int
	// hugo and hugoForms are text and forms read as Hugo reads a
	// message, where a % is a % ("20% off") and only {{ .Count }} is
	// replaced (Translate).
	hugo      string
	hugoForms map[string]string
}

// file is one message file read.
type file struct {
	site bool   // of the site's own directory (Source.Site)
	name string // path for messages: "i18n/fr.toml"
	msgs map[string]*msg
}

// Catalog holds the messages of a site in its language, and its dates.
type Catalog struct {
	// Tag is the site's language.
	Tag language.Tag
	// Chain are the catalogue languages messages are looked up in, most
	// specific first, ending in English.
	Chain []language.Tag
	// Dates formats dates in the site's language.
	Dates Dates

	msgs    map[string]*msg
	hugoIDs map[string]bool // the site's own messages (Source.Site), not the themes' words
	printer *message.Printer
	bare    map[string]formatted // each message formatted with no arguments, as most are used
	hugo    *message.Printer     // the site's own messages as Hugo reads them (msg.hugo)
	digest  [32]byte
}

// English is the language every theme must have all its messages in.
var English = language.English

// Load reads the messages for the language lang (a BCP 47 tag, as
// site.toml's language; langFile and langLine say where it is set, for
// warnings) from overrides, then from each source in turn (the site's
// i18n/, the theme's, the default theme's), in the language's catalogue
// chain: the catalogue of lang or the nearest of its CLDR parents that
// some source has (pt-BR takes pt), then English. A message is taken
// from the first that has it, language by language: a French message of
// the default theme wins over an English message of the site. The
// warnings say what is shown in English that should not be.
func Load(lang, langFile string, langLine int, ov Overrides, sources ...Source) (*Catalog, []Warning, error) {
	var warns []Warning
	tag, err := language.Parse(lang)
	if err != nil {
		warns = append(warns, Warning{langFile, langLine, fmt.Sprintf("language %q is not a BCP 47 language tag (like en, fr, pt-BR): the theme's words and dates are English", lang)})
		tag = English
	}
	if c, err := language.All.Canonicalize(tag); err == nil {
		tag = c
	}
	c := &Catalog{Tag: tag, msgs: map[string]*msg{}}
	c.Dates, _ = DatesFor(tag)

	// Every source's files, by language.
	files := map[string][]*file{} // tag → one per source that has it, in order
	var errs []string
	for _, src := range sources {
		entries, err := fs.ReadDir(src.FS, src.Dir)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue
			}
			return nil, nil, fmt.Errorf("%s: %w", src.Name, err)
		}
		for _, e := range entries {
			name, ok := strings.CutSuffix(e.Name(), ".toml")
			if !ok || e.IsDir() {
				continue
			}
			ft, err := language.Parse(name)
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s/%s: the name is not a BCP 47 language tag (like fr.toml, pt-BR.toml)", src.Name, e.Name()))
				continue
			}
			data, err := fs.ReadFile(src.FS, path.Join(src.Dir, e.Name()))
			if err != nil {
				return nil, nil, fmt.Errorf("%s/%s: %w", src.Name, e.Name(), err)
			}
			f, fw, err := parseFile(src.Name+"/"+e.Name(), data)
			if err != nil {
				errs = append(errs, err.Error())
				continue
			}
			warns = append(warns, fw...)
			f.site = src.Site
			files[ft.String()] = append(files[ft.String()], f)
		}
	}
	if len(errs) > 0 {
		return nil, nil, errors.New(strings.Join(errs, "\n"))
	}

	// The chain: the site's language or its nearest parent with a
	// catalogue, the parents of that, English.
	for t := tag; !t.IsRoot(); t = t.Parent() {
		if t == English {
			break
		}
		if files[t.String()] != nil {
			c.Chain = append(c.Chain, t)
		}
	}
	c.Chain = append(c.Chain, English)
	if _, ok := files[English.String()]; !ok {
		return nil, nil, fmt.Errorf("%s: no %s.toml: a theme's messages must all be in English", sources[len(sources)-1].Name, English)
	}
	base, _ := tag.Base()
	if len(c.Chain) == 1 && base.String() != "en" {
		var have []string
		for t := range files {
			have = append(have, t)
		}
		slices.Sort(have)
		warns = append(warns, Warning{langFile, langLine, fmt.Sprintf("language %q: the theme's words have no catalogue in it (there are %s): they are English; add %s/%s.toml to translate them", lang, strings.Join(have, ", "), Dir, tag)})
	}

	// Every ID a file of the chain has (a French site's own messages may
	// be in fr.toml alone), and those the overrides set; those only the
	// site's own files have are Hugo's messages.
	ids := map[string]bool{}
	themeIDs := map[string]bool{}
	for _, t := range c.Chain {
		for _, f := range files[t.String()] {
			for id := range f.msgs {
				ids[id] = true
				if !f.site {
					themeIDs[id] = true
				}
			}
		}
	}
	c.hugoIDs = map[string]bool{}
	for _, list := range files {
		for _, f := range list {
			for id := range f.msgs {
				if f.site && !themeIDs[id] {
					c.hugoIDs[id] = true
				}
			}
		}
	}
	over := map[string]*msg{}
	for _, id := range slices.Sorted(maps.Keys(ov.Messages)) {
		line := 0
		if ov.Line != nil {
			line = ov.Line(id)
		}
		m, err := readMsg(ov.Messages[id], ov.File, line)
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: [translations] %s: %v", ov.File, line, id, err)
		}
		if !ids[id] {
			warns = append(warns, Warning{ov.File, line, fmt.Sprintf("[translations] %s: the theme has no message of this ID (see `go doc github.com/siteblog/site/themes` for the default theme's)", id)})
			continue
		}
		over[id] = m
	}
	var untranslated []string
	for _, id := range slices.Sorted(maps.Keys(ids)) {
		m := over[id]
		for _, t := range c.Chain {
			if m != nil {
				break
			}
			if t == English && len(c.Chain) > 1 {
				untranslated = append(untranslated, id)
			}
			for _, f := range files[t.String()] {
				if fm := f.msgs[id]; fm != nil {
					m = fm
					break
				}
			}
		}
		c.msgs[id] = m
	}
	if len(untranslated) > 0 {
		var where []string
		for _, f := range files[c.Chain[0].String()] {
			where = append(where, f.name)
		}
		warns = append(warns, Warning{where[0], 0, fmt.Sprintf("no %s message for %s (%s): shown in English", c.Chain[0], strings.Join(untranslated, ", "), strings.Join(where, ", "))})
	}

	// The messages in x/text's catalogue, under the site's language, so
	// plural forms follow its CLDR rules and numbers its conventions.
	b := catalog.NewBuilder(catalog.Fallback(tag))
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", tag)
	for _, id := range slices.Sorted(maps.Keys(c.msgs)) {
		m := c.msgs[id]
		if m.forms == nil {
			err = b.SetString(tag, id, m.text)
			fmt.Fprintf(h, "%q %q\n", id, m.text)
		} else {
			var cases []any
			for _, form := range pluralForms {
				// A form the language does not have (an English "one"
				// shown on a Japanese site, whose numbers are all
				// "other") is left out.
				if s, ok := m.forms[form]; ok && hasForm(tag, form) {
					cases = append(cases, form, s)
					fmt.Fprintf(h, "%q %s %q\n", id, form, s)
				}
			}
			err = b.Set(tag, id, plural.Selectf(1, "%d", cases...))
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %s: %v", m.file, m.line, id, err)
		}
	}
	h.Sum(c.digest[:0])
	c.printer = message.NewPrinter(tag, message.Catalog(b))
	c.bare = make(map[string]formatted, len(c.msgs))
	for id, m := range c.msgs {
		text, err := format(c.printer, id, m, m.text, nil)
		c.bare[id] = formatted{text, err}
	}

	// The site's own messages as Hugo reads them, for Translate.
	hb := catalog.NewBuilder(catalog.Fallback(tag))
	for _, id := range slices.Sorted(maps.Keys(c.hugoIDs)) {
		m := c.msgs[id]
		if m == nil {
			continue // not in the language's chain
		}
		if m.forms == nil {
			err = hb.SetString(tag, id, m.hugo)
		} else {
			var cases []any
			for _, form := range pluralForms {
				if s, ok := m.hugoForms[form]; ok && hasForm(tag, form) {
					cases = append(cases, form, s)
				}
			}
			err = hb.Set(tag, id, plural.Selectf(1, "%d", cases...))
		}
		if err != nil {
			return nil, nil, fmt.Errorf("%s:%d: %s: %v", m.file, m.line, id, err)
		}
	}
	c.hugo = message.NewPrinter(tag, message.Catalog(hb))
	return c, warns, nil
}

// pluralForms are CLDR's plural categories, in the order x/text's
// plural.Selectf takes them; "other" is required and last.
var pluralForms = []string{"zero", "one", "two", "few", "many", "other"}

// hasForm reports whether CLDR's plural rules of tag have the category
// form, as x/text's plural.Selectf requires of each form it is given.
func hasForm(tag language.Tag, form string) bool {
	if form == "other" {
		return true
	}
	return catalog.NewBuilder().Set(tag, "x", plural.Selectf(1, "%d", form, "", "other", "")) == nil
}

// parseFile reads a message file: each ID a string, or a table of plural
// forms, as Hugo's (see readMsg). A value it cannot read is a warning, and
// left out: a site moved from Hugo keeps building.
func parseFile(name string, data []byte) (*file, []Warning, error) {
	var raw map[string]any
	if err := toml.Unmarshal(data, &raw); err != nil {
		var de *toml.DecodeError
		if errors.As(err, &de) {
			row, _ := de.Position()
			return nil, nil, fmt.Errorf("%s:%d: %s", name, row, strings.TrimPrefix(de.Error(), "toml: "))
		}
		return nil, nil, fmt.Errorf("%s: %v", name, err)
	}
	f := &file{name: name, msgs: map[string]*msg{}}
	var warns []Warning
	for _, id := range slices.Sorted(maps.Keys(raw)) {
		line := keyLine(data, id)
		m, err := readMsg(raw[id], name, line)
		if err != nil {
			warns = append(warns, Warning{name, line, fmt.Sprintf("%s: %v; left out", id, err)})
			continue
		}
		f.msgs[id] = m
	}
	return f, warns, nil
}

// hugoCount is Hugo's placeholder of a message's count, {{ .Count }},
// which stands for the first argument here.
var hugoCount = regexp.MustCompile(`\{\{-?\s*\.Count\s*-?\}\}`)

// hugoText is a message as Hugo reads it, as a format: its % written
// %%, its {{ .Count }} the first argument.
func hugoText(s string) string {
	return hugoCount.ReplaceAllString(strings.ReplaceAll(s, "%", "%%"), "%[1]v")
}

// readMsg reads one message: a string, or a table of CLDR plural forms
// (zero, one, two, few, many, other) with "other" required; go-i18n's
// description and hash keys, which Hugo's files may have, are ignored,
// and Hugo's {{ .Count }} is the first argument (%[1]v).
func readMsg(v any, file string, line int) (*msg, error) {
	switch v := v.(type) {
	case string:
		return &msg{text: hugoCount.ReplaceAllString(v, "%[1]v"), hugo: hugoText(v), file: file, line: line}, nil
	case map[string]any:
		m := &msg{forms: map[string]string{}, hugoForms: map[string]string{}, file: file, line: line}
		for k, fv := range v {
			if k == "description" || k == "hash" {
				continue
			}
			s, ok := fv.(string)
			s = hugoCount.ReplaceAllString(s, "%[1]v")
			if !slices.Contains(pluralForms, k) {
				return nil, fmt.Errorf("%q is not a plural form: want zero, one, two, few, many or other", k)
			}
			if !ok {
				return nil, fmt.Errorf("%s: want a string, not %T", k, fv)
			}
			m.forms[k] = s
			m.hugoForms[k] = hugoText(fv.(string))
		}
		if _, ok := m.forms["other"]; !ok {
			return nil, errors.New(`plural forms need "other"`)
		}
		return m, nil
	}
	return nil, fmt.Errorf("want a string or a table of plural forms, not %T", v)
}

// keyLine returns the 1-based line of "key =" or "[key]" in a TOML
// document, or 0.
func keyLine(doc []byte, key string) int {
	for i, l := range bytes.Split(doc, []byte("\n")) {
		l = bytes.TrimSpace(l)
		for _, k := range []string{key, `"` + key + `"`} {
			if rest, ok := bytes.CutPrefix(l, []byte(k)); ok && bytes.HasPrefix(bytes.TrimSpace(rest), []byte("=")) {
				return i + 1
			}
			if bytes.Equal(l, []byte("["+k+"]")) {
				return i + 1
			}
		}
	}
	return 0
}

// T returns the message id in the site's language, formatted with args
// as fmt does (%d, %s, %[2]d), numbers written the language's way. A
// message with plural forms takes the form its first argument, a number,
// calls for in the language (CLDR's rules: French "one" is 0 and 1).
func (c *Catalog) T(id string, args ...any) (string, error) {
	m, ok := c.msgs[id]
	if !ok {
		return "", fmt.Errorf("T: no message %q (the IDs are listed in `go doc github.com/siteblog/site/themes`)", id)
	}
	if len(args) == 0 {
		b := c.bare[id]
		return b.text, b.err
	}
	return format(c.printer, id, m, m.text, args)
}

// formatted is a message formatted, or why it could not be.
type formatted struct {
	text string
	err  error
}

// format formats the message id, m, with args by the printer p, whose
// catalogue holds m as text (a plain message's, for the check of a
// literal "%!"), as T does.
func format(p *message.Printer, id string, m *msg, text string, args []any) (string, error) {
	s := p.Sprintf(id, args...)
	if !strings.Contains(s, "%!") {
		return s, nil
	}
	// fmt's notes ("%!d(string=x)", "%!s(MISSING)", "%!(EXTRA …)") are
	// looked for in the message formatted with each string argument as
	// a marker: an argument's own text ("Up 100%!") is no note.
	probe := make([]any, len(args))
	var replace []string // marker, the argument's text
	for i, a := range args {
		probe[i] = a
		if v := reflect.ValueOf(a); v.Kind() == reflect.String {
			mark := "\ue000" + strconv.Itoa(i) + "\ue001"
			probe[i] = reflect.ValueOf(mark).Convert(v.Type()).Interface() // of the argument's type, which notes name
			replace = append(replace, mark, v.String())
		}
	}
	pr := p.Sprintf(id, probe...)
	// A form may leave its number out (Japanese "件の記事", English
	// "posts" beside a count shown elsewhere): fmt's note of the extra
	// argument is not part of the message.
	if i := strings.LastIndex(pr, "%!(EXTRA "); i >= 0 && strings.HasSuffix(pr, ")") {
		s = strings.TrimSuffix(s, strings.NewReplacer(replace...).Replace(pr[i:]))
		pr = pr[:i]
	}
	if strings.Contains(pr, "%!") && !strings.Contains(text, "%%!") {
		return "", fmt.Errorf("T %q %v: %s:%d: the message does not fit its arguments (%s): write a literal %% as %%%%", id, args, m.file, m.line, s)
	}
	return s, nil
}

// HTML returns the message id as T does, for a message written in HTML
// (`issued by <strong>%s</strong>`): each argument that is a string, of
// any string type, is escaped, one that is template.HTML is kept as it
// is, numbers are formatted. The message itself is trusted, as the
// theme's templates are.
func (c *Catalog) HTML(id string, args ...any) (template.HTML, error) {
	esc := make([]any, len(args))
	for i, a := range args {
		switch v := a.(type) {
		case template.HTML:
			esc[i] = string(v)
		case fmt.Stringer:
			esc[i] = template.HTMLEscapeString(v.String())
		default:
			esc[i] = a
			if rv := reflect.ValueOf(a); rv.Kind() == reflect.String { // string, and named types of it
				esc[i] = template.HTMLEscapeString(rv.String())
			}
		}
	}
	s, err := c.T(id, esc...)
	return template.HTML(s), err
}

// MustT is T for messages the engine itself shows, whose arguments it
// knows fit: a broken message shows as its ID.
func (c *Catalog) MustT(id string, args ...any) string {
	s, err := c.T(id, args...)
	if err != nil {
		return id
	}
	return s
}

// Translate is Hugo's i18n function: the message id, with count (when
// not nil) choosing the plural form and standing for {{ .Count }}. The
// site's own messages (those only a Source.Site has) are read as Hugo
// reads them, where a % is a % ("20% off"); the themes' words as T reads
// them ("%d min read"). ok is false when the catalogue is nil or has no
// such message, or the message does not fit count. Other template
// actions in a message ("Hello, {{ .Name }}") are left for the caller
// to run.
func (c *Catalog) Translate(id string, count any) (text string, ok bool) {
	if c == nil || c.msgs[id] == nil {
		return "", false
	}
	var args []any
	if count != nil {
		args = append(args, count)
	}
	var s string
	var err error
	if c.hugoIDs[id] {
		// As Hugo reads it, with its plural form by the language's rules.
		s, err = format(c.hugo, id, c.msgs[id], c.msgs[id].hugo, args)
	} else {
		s, err = c.T(id, args...)
	}
	if err != nil {
		return "", false
	}
	return s, true
}

// IDs returns the catalogue's message IDs, sorted.
func (c *Catalog) IDs() []string { return slices.Sorted(maps.Keys(c.msgs)) }

// Digest is a SHA-256 of every message in the site's language, for the
// keys of the pages that show them.
func (c *Catalog) Digest() [32]byte { return c.digest }
