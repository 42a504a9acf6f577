package fastlex

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/alecthomas/chroma/v2"
)

// moduleDir returns the directory of a module the build uses.
func moduleDir(t *testing.T, module string) string {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", module).Output()
	if err != nil {
		t.Fatalf("locating %s: %v", module, err)
	}
	return strings.TrimSpace(string(out))
}

// TestChromaInternals fails the day chroma changes what fastlex copies or
// reaches into: the code of the functions fastlex is a copy of (their
// SHA-256, comments left out), and the fields of chroma's unexported
// emitter and mutator types that readsNamedGroups reads by reflection.
// When it fails, compare fastlex.go with the new chroma code, carry the
// change over, and update the hashes here.
func TestChromaInternals(t *testing.T) {
	copied := map[string]string{ // declaration in chroma → SHA-256 of its code, at chroma v2.27.0
		"lexer.go defaultOptions":           "22fc32e3a5786780967171d8eec16030305034d73de8895a7f6162473a1199dc",
		"regexp.go RegexLexer.Tokenise":     "03b97619cd3ef26d2199e67326da7821e4f2024529ed498f1e5863f9d7323c0a",
		"regexp.go RegexLexer.maybeCompile": "b7719dacc47050465d0509c5a94d9984c0754e6d79545a24eee0de73a4102a00",
		"regexp.go RegexLexer.fetchRules":   "52d1833f60c6ffd604a4793428e1951ead671cc0a9f2810a61cd6f57b87f3a3b",
		"regexp.go LexerState.Iterator":     "97b6fd63f81f9129fe5bf411977974665c74f45d58b86b20b033c1ab14c99272",
		"regexp.go matchRules":              "b54520147352a692007656b650a57400042c1a284984ef102f46290c5190cfca",
		"regexp.go ensureLF":                "1020451d81ea03b3a6e610a12aaee923c075a798d6d545c6e8af57ecd5c5836f",
		"types.go TokenType.Emit":           "cd292efa766892e8c727421edcf4fabfa23c5fdbfa5ccb25c134443082689634",
		"iterator.go Literator":             "a7b2253144dca47048875da362e4642abc67dac7f2b2c5bddcbc2424e2b7242a",
	}
	dir := moduleDir(t, "github.com/alecthomas/chroma/v2")
	for decl, want := range copied {
		file, name, _ := strings.Cut(decl, " ")
		got := declHash(t, filepath.Join(dir, file), name)
		if got != want {
			t.Errorf("chroma's %s changed (code hash %s, fastlex copies the one hashed %s): carry the change over to fastlex.go", decl, got, want)
		}
	}

	// The reason fastlex exists (package doc): if regexp2 changes it,
	// see whether it now checks the first character of \G-anchored
	// patterns, and if so whether fastlex still earns its place.
	dir = moduleDir(t, "github.com/dlclark/regexp2/v2")
	if got, want := declHash(t, filepath.Join(dir, "findfirstchar.go"), "findAnchoredLeftToRight"), "22c681eeec735d10fb12f47e57fc0195c757fd17caeabc372268e529e007288f"; got != want {
		t.Errorf("regexp2's findAnchoredLeftToRight changed (code hash %s, was %s): if it now checks FcPrefix for anchored patterns, fastlex may be deleted", got, want)
	}

	// readsNamedGroups looks into these fields, which hold the emitters
	// and mutators a ByGroups, UsingByGroup or Mutators holds.
	for _, tc := range []struct {
		v     any
		field string
		typ   reflect.Type
	}{
		{chroma.ByGroups(chroma.Keyword), "Emitters", reflect.TypeFor[chroma.Emitters]()},
		{chroma.UsingByGroup(1, 2, chroma.Keyword, chroma.Text), "Emitters", reflect.TypeFor[chroma.Emitters]()},
		{chroma.Mutators(chroma.Push("x")), "Mutators", reflect.TypeFor[[]chroma.Mutator]()},
	} {
		typ := reflect.TypeOf(tc.v)
		f, ok := typ.Elem().FieldByName(tc.field)
		if typ.Kind() != reflect.Pointer || !ok || f.Type != tc.typ {
			t.Errorf("chroma's %v has no field %s of type %v: readsNamedGroups needs updating", typ, tc.field, tc.typ)
		}
	}
}

// declHash returns the SHA-256 of the code of the function, method
// (Type.Method) or variable name declared in file, comments left out.
func declHash(t *testing.T, file, name string) string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, 0)
	if err != nil {
		t.Fatalf("parsing %s: %v", file, err)
	}
	recv, fn, isMethod := strings.Cut(name, ".")
	if !isMethod {
		fn, recv = recv, ""
	}
	for _, d := range f.Decls {
		var node ast.Node
		switch d := d.(type) {
		case *ast.FuncDecl:
			if d.Name.Name != fn || receiver(d) != recv {
				continue
			}
			d.Doc = nil
			node = d
		case *ast.GenDecl:
			for _, s := range d.Specs {
				if v, ok := s.(*ast.ValueSpec); ok && recv == "" && len(v.Names) == 1 && v.Names[0].Name == fn {
					v.Doc, v.Comment = nil, nil
					node = v
				}
			}
		}
		if node == nil {
			continue
		}
		var buf bytes.Buffer
		if err := printer.Fprint(&buf, fset, node); err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(buf.Bytes())
		return hex.EncodeToString(sum[:])
	}
	t.Fatalf("%s declares no %s", file, name)
	return ""
}

// receiver returns the name of a method's receiver type, "" for a function.
func receiver(d *ast.FuncDecl) string {
	if d.Recv == nil || len(d.Recv.List) == 0 {
		return ""
	}
	typ := d.Recv.List[0].Type
	if star, ok := typ.(*ast.StarExpr); ok {
		typ = star.X
	}
	if id, ok := typ.(*ast.Ident); ok {
		return id.Name
	}
	return ""
}
