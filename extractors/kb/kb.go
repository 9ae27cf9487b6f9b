package kb

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
	"gopkg.in/yaml.v3"

	"github.com/newswire/newswire/pipeline/article"
)

//go:embed kb.yaml
var embedded []byte

// ErrInvalid reports a knowledge-base file that does not parse or breaks a
// rule (missing id, unknown kind, duplicate id in one file).
var ErrInvalid = errors.New("kb: invalid knowledge base")

// Entry is one known entity.
type Entry struct {
	// ID is stable across releases; entities carry it as "kb:<ID>".
	ID string `yaml:"id"`
	// Kind is person or group.
	Kind article.EntityKind `yaml:"kind"`
	// Type is the finer kind of a group ("militant", "agency", ...), see
	// article.Entity.Kind.
	Type string `yaml:"type,omitempty"`
	// Name is the canonical name.
	Name string `yaml:"name"`
	// Aliases are other names and spellings.
	Aliases []string `yaml:"aliases,omitempty"`
	// Guarded are aliases that are also common words ("IS"): the text scan
	// takes them only when a context word follows ("IS group", "IS
	// militants"). Resolve accepts them as written.
	Guarded []string `yaml:"guarded,omitempty"`
	// Roles are roles a person is known by ("commander of US Central Command").
	Roles []string `yaml:"roles,omitempty"`
	// Country is an ISO 3166-1 alpha-2 code, when the entity belongs to one.
	Country string `yaml:"country,omitempty"`
}

// EntityID returns the id entities carry: "kb:" + ID.
func (e *Entry) EntityID() string { return "kb:" + e.ID }

type file struct {
	Entities []Entry `yaml:"entities"`
}

// KB is a loaded knowledge base. It is read-only after Load and safe for
// concurrent use.
type KB struct {
	entries []*Entry
	byID    map[string]*Entry
	// byName maps kind + "\x00" + folded alias to entries.
	byName map[string]*Entry
	// anyName maps a folded alias to an entry of any kind.
	anyName map[string]*Entry
	// scan holds the text-scan patterns by the fold of their first token.
	scan map[string][]pattern
	// people holds the person entries for fuzzy matching.
	people []*Entry
}

type pattern struct {
	toks    []string // folded tokens
	raw     []string // tokens as written, for case-sensitive acronyms
	acronym bool
	guarded bool
	entry   *Entry
}

// Load reads the embedded knowledge base and, when extraPath is not empty,
// merges the YAML file at extraPath over it: an entry with a known id
// replaces the embedded one, a new id adds an entry.
func Load(extraPath string) (*KB, error) {
	base, err := parse(embedded, "embedded kb.yaml")
	if err != nil {
		return nil, err
	}
	if extraPath != "" {
		data, err := os.ReadFile(extraPath)
		if err != nil {
			return nil, fmt.Errorf("kb: read %s: %w", extraPath, err)
		}
		extra, err := parse(data, extraPath)
		if err != nil {
			return nil, err
		}
		idx := map[string]int{}
		for i, e := range base {
			idx[e.ID] = i
		}
		for _, e := range extra {
			if i, ok := idx[e.ID]; ok {
				base[i] = e
			} else {
				base = append(base, e)
			}
		}
	}
	return build(base), nil
}

// Parse builds a knowledge base from YAML data alone, without the embedded
// entries; name labels errors.
func Parse(data []byte, name string) (*KB, error) {
	es, err := parse(data, name)
	if err != nil {
		return nil, err
	}
	return build(es), nil
}

func parse(data []byte, name string) ([]Entry, error) {
	var f file
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrInvalid, name, err)
	}
	seen := map[string]bool{}
	for i, e := range f.Entities {
		switch {
		case e.ID == "":
			return nil, fmt.Errorf("%w: %s: entity %d (%q) has no id", ErrInvalid, name, i+1, e.Name)
		case e.Name == "":
			return nil, fmt.Errorf("%w: %s: entity %q has no name", ErrInvalid, name, e.ID)
		case e.Kind != article.KindPerson && e.Kind != article.KindGroup:
			return nil, fmt.Errorf("%w: %s: entity %q: kind %q is not person or group", ErrInvalid, name, e.ID, e.Kind)
		case seen[e.ID]:
			return nil, fmt.Errorf("%w: %s: duplicate id %q", ErrInvalid, name, e.ID)
		}
		seen[e.ID] = true
	}
	return f.Entities, nil
}

func build(es []Entry) *KB {
	k := &KB{byID: map[string]*Entry{}, byName: map[string]*Entry{}, anyName: map[string]*Entry{}, scan: map[string][]pattern{}}
	for i := range es {
		e := &es[i]
		k.entries = append(k.entries, e)
		k.byID[e.ID] = e
		if e.Kind == article.KindPerson {
			k.people = append(k.people, e)
		}
		add := func(alias string, guarded bool) {
			f := Fold(alias)
			if f == "" {
				return
			}
			if _, dup := k.byName[string(e.Kind)+"\x00"+f]; !dup {
				k.byName[string(e.Kind)+"\x00"+f] = e
			}
			if _, dup := k.anyName[f]; !dup {
				k.anyName[f] = e
			}
			raw := tokens(alias)
			if len(raw) == 0 {
				return
			}
			p := pattern{raw: make([]string, len(raw)), toks: make([]string, len(raw)), acronym: isAcronym(alias), guarded: guarded, entry: e}
			for j, t := range raw {
				p.raw[j] = alias[t.start:t.end]
				p.toks[j] = Fold(p.raw[j])
			}
			k.scan[p.toks[0]] = append(k.scan[p.toks[0]], p)
		}
		add(e.Name, false)
		for _, a := range e.Aliases {
			add(a, false)
		}
		for _, a := range e.Guarded {
			add(a, true)
		}
	}
	for key := range k.scan {
		ps := k.scan[key]
		sort.SliceStable(ps, func(i, j int) bool { return len(ps[i].toks) > len(ps[j].toks) })
	}
	return k
}

// Len returns the number of entries.
func (k *KB) Len() int { return len(k.entries) }

// Get returns the entry with the given id ("isis" or "kb:isis").
func (k *KB) Get(id string) (*Entry, bool) {
	e, ok := k.byID[strings.TrimPrefix(id, "kb:")]
	return e, ok
}

// Lookup finds the entry of the given kind that name is the canonical name or
// an alias of, ignoring case, diacritics, hyphens, apostrophes and a leading
// "the"; for people it then tries the fuzzy rule of MatchPerson. An empty kind
// matches any kind, without fuzzy matching.
func (k *KB) Lookup(kind article.EntityKind, name string) (*Entry, bool) {
	f := Fold(name)
	if f == "" {
		return nil, false
	}
	if kind == "" {
		e, ok := k.anyName[f]
		return e, ok
	}
	if e, ok := k.byName[string(kind)+"\x00"+f]; ok {
		return e, true
	}
	if kind == article.KindPerson {
		return k.fuzzyPerson(name)
	}
	return nil, false
}

// Resolve maps a name to its canonical name and entity id. Known entities
// give their KB name and "kb:<id>"; unknown ones give the name as written,
// trimmed of a leading "the", and a slug id ("person:<slug>"), with ok false.
// A "kind:" prefix on name ("group:ISIS-K") overrides kind.
func (k *KB) Resolve(kind article.EntityKind, name string) (canonical string, id string, ok bool) {
	if i := strings.IndexByte(name, ':'); i > 0 {
		switch pk := article.EntityKind(strings.ToLower(strings.TrimSpace(name[:i]))); pk {
		case article.KindPerson, article.KindGroup, article.KindPlace:
			kind, name = pk, name[i+1:]
		}
	}
	name = strings.TrimSpace(name)
	if e, found := k.Lookup(kind, name); found {
		return e.Name, e.EntityID(), true
	}
	c := TrimArticle(name)
	if kind == "" {
		kind = article.KindGroup
	}
	return c, string(kind) + ":" + Slug(c), false
}

// NameResolver adapts a KB to resolvers that want only the canonical name,
// such as the alert rules' Resolver.
type NameResolver struct{ KB *KB }

// Resolve returns the canonical name of a known entity.
func (r NameResolver) Resolve(kind article.EntityKind, name string) (string, bool) {
	c, _, ok := r.KB.Resolve(kind, name)
	return c, ok
}

// Match is a known entity found by Scan.
type Match struct {
	// Start and End are byte offsets into the scanned text.
	Start, End int
	Text       string
	Entry      *Entry
}

// Scan finds every whole-word occurrence of a known name or alias in text,
// longest match first, left to right, without overlaps. Aliases written in
// capitals of up to six letters ("ISIS", "FBI") match case-sensitively;
// others ignore case. Guarded aliases ("IS") match only before a context word
// such as "group", "militants" or "fighters".
func (k *KB) Scan(text string) []Match {
	toks := tokens(text)
	var out []Match
	for i := 0; i < len(toks); {
		first := Fold(text[toks[i].start:toks[i].end])
		best, bestLen := (*pattern)(nil), 0
		for pi := range k.scan[first] {
			p := &k.scan[first][pi]
			if len(p.toks) <= bestLen || i+len(p.toks) > len(toks) {
				continue
			}
			if k.matchAt(text, toks, i, p) {
				best, bestLen = p, len(p.toks)
			}
		}
		if best == nil {
			i++
			continue
		}
		s, e := toks[i].start, toks[i+bestLen-1].end
		out = append(out, Match{Start: s, End: e, Text: text[s:e], Entry: best.entry})
		i += bestLen
	}
	return out
}

func (k *KB) matchAt(text string, toks []tok, i int, p *pattern) bool {
	for j := range p.toks {
		w := text[toks[i+j].start:toks[i+j].end]
		if p.acronym {
			if w != p.raw[j] {
				return false
			}
		} else if Fold(w) != p.toks[j] {
			return false
		}
		// Tokens of one alias must be adjacent: only spaces or a hyphen between.
		if j > 0 {
			gap := text[toks[i+j-1].end:toks[i+j].start]
			if strings.Trim(gap, " -") != "" || len(gap) > 2 {
				return false
			}
		}
	}
	// A multi-word non-acronym alias written in lower case is prose, not a
	// name ("hamas" is fine, "islamic state" in lower case is not): require an
	// upper-case first letter for names that start with one.
	if !p.acronym {
		w := text[toks[i].start:toks[i].end]
		r0 := []rune(p.raw[0])[0]
		if unicode.IsUpper(r0) && !unicode.IsUpper([]rune(w)[0]) {
			return false
		}
	}
	if p.guarded {
		end := i + len(p.toks)
		if end >= len(toks) || !guardWords[strings.ToLower(text[toks[end].start:toks[end].end])] {
			return false
		}
		if gap := text[toks[end-1].end:toks[end].start]; strings.TrimSpace(gap) != "" && gap != "-" {
			return false
		}
	}
	return true
}

// guardWords may follow a guarded alias such as "IS".
var guardWords = map[string]bool{
	"group": true, "militants": true, "militant": true, "fighters": true, "fighter": true,
	"jihadists": true, "jihadist": true, "supporters": true, "members": true, "member": true,
	"propaganda": true, "affiliate": true, "affiliates": true, "leader": true, "leaders": true,
	"commander": true, "commanders": true, "cell": true, "cells": true, "loyalists": true,
	"claimed": true, "attack": true, "attacks": true, "gunmen": true, "recruits": true,
	"recruiters": true, "recruit": true, "operatives": true, "territory": true, "stronghold": true,
	"network": true, "branch": true, "wing": true, "caliphate": true, "extremists": true,
	"terrorists": true, "sympathisers": true, "sympathizers": true, "followers": true,
}

func isAcronym(s string) bool {
	n := 0
	for _, r := range s {
		switch {
		case unicode.IsUpper(r) || unicode.IsDigit(r):
			n++
		case r == '-' || r == '&':
		default:
			return false
		}
	}
	return n > 0 && n <= 6
}

type tok struct{ start, end int }

// tokens splits s into words: runs of letters and digits. An apostrophe
// between letters joins them ("Qa'ida"), except a possessive "'s".
func tokens(s string) []tok {
	var out []tok
	start := -1
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && isApos(r) && joinApos(s, i) {
			continue
		}
		if start >= 0 {
			out = append(out, tok{start, i})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, tok{start, len(s)})
	}
	return out
}

func isApos(r rune) bool { return r == '\'' || r == '’' || r == 'ʻ' || r == 'ʼ' || r == '`' }

// joinApos reports whether the apostrophe at byte i continues a word.
func joinApos(s string, i int) bool {
	_, w := decodeRune(s[i:])
	rest := s[i+w:]
	if rest == "" {
		return false
	}
	r, w2 := decodeRune(rest)
	if !unicode.IsLetter(r) {
		return false
	}
	if (r == 's' || r == 'S') && (len(rest) == w2 || !isLetterAt(rest[w2:])) {
		return false
	}
	return true
}

func isLetterAt(s string) bool {
	r, _ := decodeRune(s)
	return unicode.IsLetter(r)
}

func decodeRune(s string) (rune, int) { return utf8.DecodeRuneInString(s) }

// Fold normalises a name for matching: Unicode NFKD with combining marks
// removed, lower case, hyphens and punctuation as spaces, apostrophes removed,
// a leading "the" and a trailing possessive dropped, spaces collapsed.
func Fold(s string) string {
	s = norm.NFKD.String(s)
	var b strings.Builder
	space := true
	for _, r := range s {
		switch {
		case unicode.Is(unicode.Mn, r), isApos(r):
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(unicode.ToLower(r))
			space = false
		default:
			if !space {
				b.WriteByte(' ')
				space = true
			}
		}
	}
	out := strings.TrimSpace(b.String())
	out = strings.TrimPrefix(out, "the ")
	return out
}

// TrimArticle removes a leading "the"/"The", a trailing possessive ("'s" or a
// bare apostrophe) and surrounding punctuation from a name as written.
func TrimArticle(s string) string {
	s = strings.TrimSpace(s)
	// Stray punctuation around a name ("Shafaq News/", "‘Eastern") is not
	// part of it; a dot stays when it ends an initial or abbreviation
	// ("Jr.", "U.S.") only inside the name.
	s = strings.Trim(s, " \t\n\"“”‘,.;:()[]{}/\\|*!?•·–—_")
	s = strings.TrimLeft(s, "'’-")
	for _, p := range []string{"the ", "The ", "THE "} {
		if strings.HasPrefix(s, p) && len(s) > len(p) {
			s = s[len(p):]
		}
	}
	for _, suf := range []string{"'s", "’s", "'S", "'", "’"} {
		if strings.HasSuffix(s, suf) && len(s) > len(suf)+1 {
			s = s[:len(s)-len(suf)]
			break
		}
	}
	return strings.TrimSpace(s)
}

// Slug turns a name into an id part: folded, words joined by "-".
func Slug(s string) string {
	return strings.ReplaceAll(Fold(s), " ", "-")
}
