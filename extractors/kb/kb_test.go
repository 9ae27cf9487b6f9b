package kb

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/newswire/newswire/pipeline/article"
)

func mustLoad(t *testing.T) *KB {
	t.Helper()
	k, err := Load("")
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestResolve(t *testing.T) {
	k := mustLoad(t)
	tests := []struct {
		name      string
		kind      article.EntityKind
		in        string
		canonical string
		id        string
		ok        bool
	}{
		{"acronym", article.KindGroup, "ISIS", "Islamic State", "kb:isis", true},
		{"daesh", article.KindGroup, "Daesh", "Islamic State", "kb:isis", true},
		{"isil lower", article.KindGroup, "isil", "Islamic State", "kb:isis", true},
		{"guarded alias as written", article.KindGroup, "IS", "Islamic State", "kb:isis", true},
		{"isis-k prefix query", "", "group:ISIS-K", "Islamic State Khorasan Province", "kb:isis-k", true},
		{"iskp", article.KindGroup, "ISKP", "Islamic State Khorasan Province", "kb:isis-k", true},
		{"is-k", article.KindGroup, "IS-K", "Islamic State Khorasan Province", "kb:isis-k", true},
		{"leading the", article.KindGroup, "the Islamic State group", "Islamic State", "kb:isis", true},
		{"hyphen and case", article.KindGroup, "Al Qaida", "al-Qaeda", "kb:al-qaeda", true},
		{"apostrophe spelling", article.KindGroup, "al-Qa'ida", "al-Qaeda", "kb:al-qaeda", true},
		{"person alias", article.KindPerson, "Erik Kurilla", "Michael Erik Kurilla", "kb:michael-erik-kurilla", true},
		{"person transliteration", article.KindPerson, "Erik Corella", "Michael Erik Kurilla", "kb:michael-erik-kurilla", true},
		{"different first name not merged", article.KindPerson, "David Corella", "David Corella", "person:david-corella", false},
		{"diacritics", article.KindPerson, "Recep Tayyip Erdogan", "Recep Tayyip Erdoğan", "kb:recep-tayyip-erdogan", true},
		{"unknown group", article.KindGroup, "the Northern Widgets Front", "Northern Widgets Front", "group:northern-widgets-front", false},
		{"unknown person", article.KindPerson, "Jane Q. Example", "Jane Q. Example", "person:jane-q-example", false},
		{"wrong kind", article.KindPerson, "ISIS", "ISIS", "person:isis", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, id, ok := k.Resolve(tt.kind, tt.in)
			if c != tt.canonical || id != tt.id || ok != tt.ok {
				t.Errorf("Resolve(%q, %q) = %q, %q, %v; want %q, %q, %v", tt.kind, tt.in, c, id, ok, tt.canonical, tt.id, tt.ok)
			}
		})
	}
}

func TestScan(t *testing.T) {
	k := mustLoad(t)
	tests := []struct {
		name string
		text string
		want []string // entry ids in order
	}{
		{"acronyms and names", "The FBI and Europol said ISIS-K and al-Shabaab were active.", []string{"fbi", "europol", "isis-k", "al-shabaab"}},
		{"longest match", "Officials blamed the Islamic State Khorasan Province for it.", []string{"isis-k"}},
		{"guarded IS with context", "The IS group claimed it; IS militants fled.", []string{"isis", "isis"}},
		{"guarded IS verb", "The threat IS real and it is growing.", nil},
		{"acronym case-sensitive", "isis is a goddess; the fbi agent left.", nil},
		{"whole word only", "The CIAO festival and FBIs.", nil},
		{"possessive", "ISIS's reach and Hamas' leaders.", []string{"isis", "hamas"}},
		{"lower-case prose phrase", "a self-declared islamic state of sorts", nil},
		{"apostrophe name", "fighters of al-Qa'ida were seen", []string{"al-qaeda"}},
		{"guarded let", "Let them go, said the officer.", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, m := range k.Scan(tt.text) {
				got = append(got, m.Entry.ID)
				if tt.text[m.Start:m.End] != m.Text {
					t.Errorf("span %d:%d is %q, text %q", m.Start, m.End, tt.text[m.Start:m.End], m.Text)
				}
			}
			if strings.Join(got, ",") != strings.Join(tt.want, ",") {
				t.Errorf("Scan = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestMatchPerson(t *testing.T) {
	tests := []struct {
		a, b string
		want bool
	}{
		{"Erik Kurilla", "Erik Corella", true},
		{"Mohammed Emwazi", "Muhammad Emwazi", true},
		{"M. Emwazi", "Mohammed Emwazi", true},
		{"John Smith", "Jane Smith", false},
		{"John Smith", "John Smart", false},
		{"Kurilla", "Corella", false},
		{"Ali Hassan", "Ali Hussein", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"~"+tt.b, func(t *testing.T) {
			if got := MatchPerson(tt.a, tt.b); got != tt.want {
				t.Errorf("MatchPerson(%q, %q) = %v, want %v", tt.a, tt.b, got, tt.want)
			}
		})
	}
}

func TestLoadExtra(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "kb.yaml")
	if err := os.WriteFile(good, []byte("entities:\n  - id: widget-front\n    kind: group\n    type: militant\n    name: Widget Liberation Front\n    aliases: [WLF]\n  - id: fbi\n    kind: group\n    type: agency\n    name: FBI\n    aliases: [Federal Bureau of Investigation, the Bureau]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := Load(good)
	if err != nil {
		t.Fatal(err)
	}
	if c, id, ok := k.Resolve(article.KindGroup, "WLF"); !ok || c != "Widget Liberation Front" || id != "kb:widget-front" {
		t.Errorf("extra entry: %q %q %v", c, id, ok)
	}
	if c, _, _ := k.Resolve(article.KindGroup, "the Bureau"); c != "FBI" {
		t.Errorf("override: got %q", c)
	}
	bad := []struct{ name, yaml string }{
		{"no id", "entities:\n  - kind: group\n    name: X\n"},
		{"bad kind", "entities:\n  - id: x\n    kind: place\n    name: X\n"},
		{"duplicate", "entities:\n  - id: x\n    kind: group\n    name: X\n  - id: x\n    kind: group\n    name: Y\n"},
		{"unknown field", "entities:\n  - id: x\n    kind: group\n    name: X\n    colour: red\n"},
		{"not yaml", "entities: [\n"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, strings.ReplaceAll(tt.name, " ", "_")+".yaml")
			if err := os.WriteFile(p, []byte(tt.yaml), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := Load(p); !errors.Is(err, ErrInvalid) {
				t.Errorf("Load = %v, want ErrInvalid", err)
			}
		})
	}
	if _, err := Load(filepath.Join(dir, "missing.yaml")); err == nil {
		t.Error("missing file: no error")
	}
}
