package ner

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"strings"
	"sync"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/article"
)

// Name is the name the extractor registers under.
const Name = "ner"

// Order is the extractor's place in the pipeline: after nlp (20).
const Order = 30

// modelFS holds the model directory; the model is read from it at run time
// so that the training command, which imports this package, builds before a
// model exists.
//
//go:embed model
var modelFS embed.FS

// modelPath is the embedded model's path in modelFS.
const modelPath = "model/ner.model.gz"

func init() {
	extractors.MustRegister(Name, Order, func(extractors.Config) (extractors.Extractor, error) {
		return New()
	})
}

// Recognizer finds names of people, groups and places in tagged sentences.
// Build it with New; it is safe for concurrent use.
type Recognizer struct {
	model *Model
	gaz   *gazetteer
}

// loaded caches the embedded model: it is read-only, so every Recognizer can
// share it.
var loaded = sync.OnceValues(func() (*Model, error) {
	b, err := modelFS.ReadFile(modelPath)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrNoModel, err)
	}
	return ReadModel(bytes.NewReader(b))
})

// New returns a Recognizer using the embedded model.
func New() (*Recognizer, error) {
	m, err := loaded()
	if err != nil {
		return nil, fmt.Errorf("ner: load embedded model: %w", err)
	}
	return NewWithModel(m)
}

// NewWithModel returns a Recognizer using m (from ReadModel or Train).
func NewWithModel(m *Model) (*Recognizer, error) {
	g, err := newGazetteer()
	if err != nil {
		return nil, err
	}
	return &Recognizer{model: m, gaz: g}, nil
}

// Name returns "ner".
func (r *Recognizer) Name() string { return Name }

// Extract sets d.Mentions to the people, groups and places named in
// d.Sentences (which the nlp extractor fills). Names of other kinds (MISC:
// nationalities, events, works) are left out, since a Mention's Kind must be
// a person, group or place; Recognize returns them too.
func (r *Recognizer) Extract(ctx context.Context, d *extractors.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	all := r.Recognize(d.Text, d.Sentences)
	out := all[:0]
	for _, m := range all {
		if m.Kind != "" {
			out = append(out, m)
		}
	}
	d.Mentions = out
	return nil
}

// Recognize returns every name in sentences (tokens with Penn tags, offsets
// into text), in text order. Label is PER, ORG, GPE (a country, region or
// city the gazetteer knows), FAC (a place whose last word names a facility,
// such as "Airport"), LOC or MISC; Kind is person, group or place, or empty
// for MISC.
func (r *Recognizer) Recognize(text string, sentences []extractors.Sentence) []extractors.Mention {
	words := make([][]string, len(sentences))
	tags := make([][]string, len(sentences))
	for i, s := range sentences {
		words[i] = make([]string, len(s.Tokens))
		tags[i] = make([]string, len(s.Tokens))
		for j, t := range s.Tokens {
			words[i][j] = t.Text
			tags[i][j] = t.Tag
		}
	}
	doc := r.gaz.prepare(words, tags)
	cache := staticScores(doc, r.model.score)
	first, _ := decode(doc, r.model.score, decodeOpts{cache: cache})
	labels, _ := decode(doc, r.model.score, decodeOpts{cache: cache, majority: majority(doc, first)})
	var out []extractors.Mention
	for si, s := range sentences {
		ls := make([]string, len(labels[si]))
		for i, l := range labels[si] {
			ls[i] = labelNames[l]
		}
		for _, sp := range Spans(ls) {
			sp.End = trimConnectors(doc.sents[si].toks, sp.Start, sp.End)
			start, end := s.Tokens[sp.Start].Start, s.Tokens[sp.End-1].End
			if start < 0 || end > len(text) || start >= end {
				continue
			}
			name := text[start:end]
			if doc.sents[si].toks[sp.Start].gazSpan == "I-MISC" {
				// A fragment of a listed occasion ("Eve" of "New Year 's
				// Eve") is not a name of its own.
				continue
			}
			typ := sp.Type
			// "Iran-backed Houthis", "ISIS-linked", "pro-IS": the group is
			// the name without the affix.
			if typ != "MISC" {
				if start, end = trimAffixes(text, start, end); start >= end {
					continue
				}
				name = text[start:end]
			}
			if typ == "PER" {
				// Titles and roles are not part of a person's name
				// ("Undersheriff Larry Waldie"); the entity stage keeps
				// them as the role.
				for sp.End-sp.Start > 1 && r.title(doc.sents[si].toks[sp.Start]) {
					sp.Start++
				}
				start = s.Tokens[sp.Start].Start
				name = text[start:end]
			}
			if typ != "MISC" && sp.End-sp.Start == 1 && r.gaz.nationality(doc.sents[si].toks[sp.Start].lower) {
				// A nationality or a people ("Afghan", "Yazidis") is
				// MISC, never a person, group or place.
				typ = "MISC"
			}
			label, kind := r.classify(typ, words[si][sp.Start:sp.End])
			out = append(out, extractors.Mention{
				Text: name, Kind: kind, Label: label, Start: start, End: end, Sentence: si,
			})
		}
	}
	return out
}

// affixes are the lower-case last parts of hyphenated words that describe
// a name rather than belong to it.
var affixes = []string{"-based", "-backed", "-linked", "-affiliated", "-led", "-inspired", "-allied",
	"-aligned", "-coordinated", "-sponsored", "-funded", "-supported", "-related", "-style", "-owned", "-run",
	"-controlled", "-held", "-born"}

// trimAffixes narrows the name text[start:end]: a first word that only
// describes the rest ("Afghanistan-Pakistan-based Islamic State") is
// dropped; a single word made of a name and an affix ("ISIS-linked",
// "pro-IS", "anti-Taliban") keeps the name. It returns start >= end when
// nothing of a name is left.
func trimAffixes(text string, start, end int) (int, int) {
	name := text[start:end]
	first, rest, several := strings.Cut(name, " ")
	if a := affixOf(first); a != "" {
		if several {
			return start + len(first) + 1 + (len(rest) - len(strings.TrimLeft(rest, " "))), end
		}
		return start, start + len(first) - len(a)
	}
	for _, p := range []string{"pro-", "anti-", "ex-", "non-", "post-", "pre-"} {
		if len(first) > len(p) && strings.HasPrefix(first, p) {
			if several {
				return start + len(first) + 1 + (len(rest) - len(strings.TrimLeft(rest, " "))), end
			}
			return start + len(p), end
		}
	}
	return start, end
}

// title reports a listed title or role ("Gen.", "Deputy") written with a
// capital. Titles of rank that English writes as part of a name (King,
// Prince, Sir, Lady) are not in the list's sense here: they stay.
func (r *Recognizer) title(t token) bool {
	if t.cap == capLower || t.gaz&(1<<gzTitle) == 0 {
		return false
	}
	switch strings.TrimSuffix(t.lower, ".") {
	case "king", "queen", "prince", "princess", "pope", "sheikh", "emir", "lord", "lady", "sir", "dame", "saint", "st":
		return false
	}
	return true
}

// classify maps a tagger type to the finer label and the product's kind.
func (r *Recognizer) classify(typ string, words []string) (string, article.EntityKind) {
	switch typ {
	case "PER":
		return "PER", article.KindPerson
	case "ORG":
		return "ORG", article.KindGroup
	case "LOC":
		lower := strings.ToLower(strings.Join(words, " "))
		last := strings.ToLower(words[len(words)-1])
		switch {
		case r.gaz.flags(last)&(1<<gzLocWord) != 0 && !isGeoWord(last):
			return "FAC", article.KindPlace
		case r.gaz.countries[lower] || r.gaz.flags(lower)&(1<<gzPlace) != 0 || r.inMulti(lower, "LOC"):
			return "GPE", article.KindPlace
		}
		return "LOC", article.KindPlace
	}
	return "MISC", ""
}

// nationality reports a word listed only as a nationality or people: not
// also as a place, a city, an organisation or a given name.
func (g *gazetteer) nationality(lower string) bool {
	f := g.flags(lower)
	// Being a word of a longer listed name ("Mexican Football
	// Federation") does not count.
	other := uint16(1<<gzPlace | 1<<gzCity | 1<<gzOrg | 1<<gzFirstName | 1<<gzPerPart)
	return f&(1<<gzDemonym) != 0 && f&other == 0
}

// isGeoWord reports place words that name natural or administrative areas,
// not facilities.
func isGeoWord(w string) bool {
	switch w {
	case "basin", "bay", "cape", "coast", "county", "desert", "district", "gulf", "hill", "hills", "island",
		"islands", "lake", "mount", "mountain", "mountains", "ocean", "peninsula", "province", "region",
		"republic", "river", "sea", "state", "strait", "valley", "village", "city", "heights", "beach":
		return true
	}
	return false
}

func (r *Recognizer) inMulti(lower, typ string) bool {
	ws := strings.Fields(lower)
	if len(ws) == 0 {
		return false
	}
	for _, e := range r.gaz.multi[ws[0]] {
		if e.typ == typ && strings.Join(e.words, " ") == lower {
			return true
		}
	}
	return false
}
