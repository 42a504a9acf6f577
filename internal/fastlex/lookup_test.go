package fastlex

import (
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
	"github.com/alecthomas/chroma/v2/lexers"
)

// TestGetIndex: Get finds the lexer lexers.Get finds for every lexer's
// name and alias, any case, for a name made from each of its file name
// patterns (with and without a backup suffix), and for names chroma does
// not know; and it matches each against a handful of patterns at most.
func TestGetIndex(t *testing.T) {
	names := []string{
		"", "txt", "text", "TXT", "zz", "no-such-language", "a.go", "x.go.bak", "main.c~",
		"Makefile", "Makefile.am", "Dockerfile.dev", "bash_profile", ".bash_aliases",
		"index.php5", "foo.php3.orig", "ls.1", "CMakeLists.txt", "a/b.py", "/", ".", "..",
		"[", "*", "?", `\`, "go ", strings.Repeat("x", 10000), strings.Repeat("a.", 5000) + "go",
	}
	var forms []string
	for _, l := range lexers.GlobalLexerRegistry.Lexers {
		c := l.Config()
		for _, n := range append([]string{c.Name}, c.Aliases...) {
			names = append(names, n, strings.ToUpper(n), strings.ToLower(n))
		}
		// Every name that no lexer has costs lexers.Get 5 ms: one name
		// for each pattern, in turn as it is, with a backup suffix, as
		// an extension, and upper-cased.
		for _, g := range append(append([]string{}, c.Filenames...), c.AliasFilenames...) {
			n := strings.NewReplacer("*", "x", "?", "q", "[1-9]", "5", "[345]", "4", "[ch]", "h").Replace(g)
			forms = append(forms, n, n+".rpmsave", strings.TrimPrefix(n, "x."), strings.ToUpper(n)+".in")
			names = append(names, forms[len(forms)-1-len(names)%4])
		}
	}
	for _, name := range names {
		want := lexers.Get(name)
		before := globTests.Load()
		got := Get(name)
		if n := globTests.Load() - before; n > 200 {
			t.Errorf("Get(%.40q): %d pattern matches", name, n)
		}
		var gotLexer chroma.Lexer
		if got != nil {
			gotLexer = got.(*Lexer).lexer
		}
		if gotLexer != want {
			t.Errorf("Get(%.40q) = %v, chroma's lexers.Get %v", name, config(gotLexer), config(want))
		}
	}
}

func config(l chroma.Lexer) string {
	if l == nil {
		return "nil"
	}
	return l.Config().Name
}

// TestGetCost: a name that is no lexer's name or alias is matched against
// a handful of file name patterns, not all of them as lexers.Get does
// (18,000 calls of filepath.Match), and a name looked up again is not
// matched at all.
func TestGetCost(t *testing.T) {
	tests := []struct {
		name     string
		maxTests int64 // calls of filepath.Match
	}{
		{"txt", 60},
		{"text", 0}, // an alias
		{"unknownlang", 60},
		{"zz9", 60},
		{"makefile.am", 60},
		{strings.Repeat("y", 100000), 60},
	}
	for _, tt := range tests {
		before := globTests.Load()
		first := Get(tt.name)
		if n := globTests.Load() - before; n > tt.maxTests {
			t.Errorf("Get(%.20q): %d pattern matches, want at most %d", tt.name, n, tt.maxTests)
		}
		before = globTests.Load()
		if again := Get(tt.name); again != first {
			t.Errorf("Get(%.20q) again: %v, first %v", tt.name, again, first)
		}
		if n := globTests.Load() - before; n != 0 {
			t.Errorf("Get(%.20q) again: %d pattern matches, want 0 (cached)", tt.name, n)
		}
	}
}

// BenchmarkGetUnknown looks up a language chroma does not know, a new
// name each time, so no cache helps.
func BenchmarkGetUnknown(b *testing.B) {
	i := 0
	for b.Loop() {
		i++
		if Get("unknown"+strings.Repeat("z", i%50)+string(rune('a'+i%26))) != nil {
			b.Fatal("found a lexer")
		}
	}
}
