package enginetest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// Fixture is a site of testdata/ENGINE/: the original site in orig/,
// site.toml beside it, optional MOVEIN rules (else DefaultMoveIn) and
// EXPECTED.json, the posts as the original engine publishes them.
type Fixture struct {
	Blog
	// Expected are EXPECTED.json's posts; nil when the file is missing.
	Expected []*Post
	// Note is EXPECTED.json's note: where its values come from.
	Note string
}

// expectedFile is the layout of EXPECTED.json.
type expectedFile struct {
	Note  string  `json:"note"`
	Posts []*Post `json:"posts"`
}

// LoadFixture reads the fixture in dir, whose base name is its engine.
func LoadFixture(dir string) (*Fixture, error) {
	f := &Fixture{Blog: Blog{
		Engine:   filepath.Base(dir),
		Dir:      filepath.Join(dir, "orig"),
		SiteTOML: filepath.Join(dir, "site.toml"),
	}}
	if m, err := os.Open(filepath.Join(dir, "MOVEIN")); err == nil {
		f.MoveIn, err = ParseMoveIn(m, m.Name())
		m.Close()
		if err != nil {
			return nil, err
		}
	} else if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	data, err := os.ReadFile(filepath.Join(dir, "EXPECTED.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return f, nil
	}
	if err != nil {
		return nil, err
	}
	var e expectedFile
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "EXPECTED.json"), err)
	}
	f.Expected, f.Note = e.Posts, e.Note
	return f, nil
}

// WriteExpected writes posts as dir/EXPECTED.json with note.
func WriteExpected(dir, note string, posts []*Post) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(expectedFile{Note: note, Posts: posts}); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "EXPECTED.json"), b.Bytes(), 0o644)
}
