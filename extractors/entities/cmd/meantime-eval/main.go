// Command meantime-eval scores the entity stages (ner, entities, places) on
// MEANTIME, the NewsReader corpus of 120 English Wikinews articles annotated
// with typed entity mentions (CC BY-SA 4.0; see ../shared/eval/meantime).
//
// MEANTIME annotates only the title, the date line and the first sentences
// of each article, so predictions after the last annotated sentence are not
// scored. Gold mentions are the named ones (syntactic_type NAM, and PRE.NAM with
// -prenam) whose entity instance is PER, ORG or LOC; they map to person,
// group and place. Predicted mentions are the person, group and place
// mentions left in the Document after the whole pipeline, mapped to the
// tokens they cover. It prints precision, recall and F1 per type for exact
// token spans, for spans ending on the gold span's last token (head
// match), for overlapping spans, and for the distinct names of each
// article (what a facet shows).
//
// Usage, from the repository root:
//
//	go run ./extractors/entities/cmd/meantime-eval -data ../shared/eval/meantime/MeanTime_English_CAT_XML.tar.gz
package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/newswire/newswire/extractors"
	_ "github.com/newswire/newswire/extractors/all"
	"github.com/newswire/newswire/extractors/kb"
	"github.com/newswire/newswire/pipeline/article"
)

func main() {
	data := flag.String("data", "../shared/eval/meantime/MeanTime_English_CAT_XML.tar.gz", "MEANTIME English CAT XML archive")
	prenam := flag.Bool("prenam", false, "count PRE.NAM mentions (names used as modifiers, \"Apple shares\") as gold")
	errs := flag.Int("errors", 0, "print up to this many false positives and negatives per type")
	flag.Parse()
	docs, err := readArchive(*data)
	if err != nil {
		log.Fatal(err)
	}
	cap := &capture{}
	extractors.MustRegister("meantime-capture", 1000, func(extractors.Config) (extractors.Extractor, error) { return cap, nil })
	p, err := extractors.NewPipeline(extractors.Config{})
	if err != nil {
		log.Fatal(err)
	}
	sc := newScore()
	for _, d := range docs {
		text, offs := d.text()
		a := &article.Article{ID: d.name, Text: text, Language: "en"}
		if _, err := p.Run(context.Background(), a); err != nil {
			log.Fatalf("%s: %v", d.name, err)
		}
		// The text stage may prepend a title or rewrite spacing: find the
		// article text inside the analysed text.
		base := strings.Index(cap.text, text)
		if base < 0 {
			log.Fatalf("%s: analysed text does not contain the input", d.name)
		}
		var pred []span
		for _, m := range cap.mentions {
			t := typeOf(m.Kind)
			if t == "" || m.EntityID == "" {
				continue
			}
			s, e := tokenRange(offs, m.Start-base, m.End-base)
			if s < 0 || d.tokens[s].sentence > d.lastSentence {
				continue
			}
			pred = append(pred, span{t, s, e, m.Text})
		}
		sc.add(d.name, d.gold(*prenam), pred)
	}
	fmt.Printf("MEANTIME English: %d articles, gold %s mentions\n\n", len(docs), goldKinds(*prenam))
	sc.print(os.Stdout, *errs)
}

func goldKinds(prenam bool) string {
	if prenam {
		return "NAM+PRE.NAM"
	}
	return "NAM"
}

// capture is the last extractor of the pipeline: it keeps the Document's
// mentions for scoring.
type capture struct {
	text     string
	mentions []extractors.Mention
}

func (c *capture) Name() string { return "meantime-capture" }

func (c *capture) Extract(_ context.Context, d *extractors.Document) error {
	c.text = d.Text
	c.mentions = append(c.mentions[:0], d.Mentions...)
	return nil
}

func typeOf(k article.EntityKind) string {
	switch k {
	case article.KindPerson:
		return "PER"
	case article.KindGroup:
		return "ORG"
	case article.KindPlace:
		return "LOC"
	}
	return ""
}

type span struct {
	typ        string
	start, end int // token indexes, inclusive
	text       string
}

// document is one CAT XML file.
type document struct {
	name     string
	tokens   []token
	mentions map[string][]int // m_id -> token indexes
	mtype    map[string]string
	types    map[string]string // instance m_id -> ent_type
	refers   map[string]string // mention m_id -> instance m_id
	// lastSentence is the last sentence with any annotation: MEANTIME
	// annotates the title, the date line and the first sentences only.
	lastSentence int
}

type token struct {
	id       string
	sentence int
	text     string
}

type anchored struct {
	Anchors []struct {
		ID string `xml:"t_id,attr"`
	} `xml:"token_anchor"`
}

type catXML struct {
	Name   string `xml:"doc_name,attr"`
	Tokens []struct {
		ID       string `xml:"t_id,attr"`
		Sentence string `xml:"sentence,attr"`
		Text     string `xml:",chardata"`
	} `xml:"token"`
	Markables struct {
		Mentions []struct {
			ID      string `xml:"m_id,attr"`
			Type    string `xml:"syntactic_type,attr"`
			Anchors []struct {
				ID string `xml:"t_id,attr"`
			} `xml:"token_anchor"`
		} `xml:"ENTITY_MENTION"`
		Entities []struct {
			ID   string `xml:"m_id,attr"`
			Type string `xml:"ent_type,attr"`
		} `xml:"ENTITY"`
		Events []anchored `xml:"EVENT_MENTION"`
		Timex  []anchored `xml:"TIMEX3"`
	} `xml:"Markables"`
	Relations struct {
		Refers []struct {
			Sources []struct {
				ID string `xml:"m_id,attr"`
			} `xml:"source"`
			Target struct {
				ID string `xml:"m_id,attr"`
			} `xml:"target"`
		} `xml:"REFERS_TO"`
	} `xml:"Relations"`
}

// readArchive reads every article of the archive, leaving out the
// near-duplicate 260_Airbus article (its README says to keep one).
func readArchive(p string) ([]*document, error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open MEANTIME archive: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p, err)
	}
	tr := tar.NewReader(zr)
	var docs []*document
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", p, err)
		}
		base := path.Base(h.Name)
		if h.Typeflag != tar.TypeReg || !strings.HasSuffix(base, ".xml") || strings.HasPrefix(base, "260_Airbus") {
			continue
		}
		var c catXML
		if err := xml.NewDecoder(tr).Decode(&c); err != nil {
			return nil, fmt.Errorf("parse %s: %w", h.Name, err)
		}
		docs = append(docs, build(base, &c))
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].name < docs[j].name })
	if len(docs) == 0 {
		return nil, fmt.Errorf("%s: no articles", p)
	}
	return docs, nil
}

func build(name string, c *catXML) *document {
	d := &document{name: name, mentions: map[string][]int{}, mtype: map[string]string{}, types: map[string]string{}, refers: map[string]string{}}
	idx := map[string]int{}
	for i, t := range c.Tokens {
		s, _ := strconv.Atoi(t.Sentence)
		d.tokens = append(d.tokens, token{t.ID, s, t.Text})
		idx[t.ID] = i
	}
	for _, m := range c.Markables.Mentions {
		for _, a := range m.Anchors {
			if i, ok := idx[a.ID]; ok {
				d.mentions[m.ID] = append(d.mentions[m.ID], i)
			}
		}
		d.mtype[m.ID] = m.Type
	}
	for _, a := range append(c.Markables.Events, c.Markables.Timex...) {
		for _, t := range a.Anchors {
			if i, ok := idx[t.ID]; ok {
				d.lastSentence = max(d.lastSentence, d.tokens[i].sentence)
			}
		}
	}
	for _, toks := range d.mentions {
		for _, i := range toks {
			d.lastSentence = max(d.lastSentence, d.tokens[i].sentence)
		}
	}
	for _, e := range c.Markables.Entities {
		d.types[e.ID] = e.Type
	}
	for _, r := range c.Relations.Refers {
		for _, s := range r.Sources {
			d.refers[s.ID] = r.Target.ID
		}
	}
	return d
}

// text detokenises the article: the title and the date line as their own
// paragraphs, no space before closing punctuation. It returns the text and
// each token's byte span.
func (d *document) text() (string, [][2]int) {
	var b strings.Builder
	offs := make([][2]int, len(d.tokens))
	prev := ""
	for i, t := range d.tokens {
		switch {
		case i == 0:
		case t.sentence != d.tokens[i-1].sentence && t.sentence <= 2:
			b.WriteString("\n\n")
		case noSpaceBefore(t.text) || prev == "(" || prev == "``" || prev == "$":
		default:
			b.WriteByte(' ')
		}
		offs[i] = [2]int{b.Len(), b.Len() + len(t.text)}
		b.WriteString(t.text)
		prev = t.text
	}
	return b.String(), offs
}

func noSpaceBefore(s string) bool {
	switch s {
	case ",", ".", ";", ":", "?", "!", ")", "'s", "'", "n't", "%", "''", "'re", "'ve", "'ll", "'d", "'m":
		return true
	}
	return false
}

// gold returns the named PER, ORG and LOC mentions.
func (d *document) gold(prenam bool) []span {
	var out []span
	for id, toks := range d.mentions {
		st := d.mtype[id]
		if st != "NAM" && !(prenam && st == "PRE.NAM") {
			continue
		}
		t := d.types[d.refers[id]]
		if t != "PER" && t != "ORG" && t != "LOC" || len(toks) == 0 {
			continue
		}
		sort.Ints(toks)
		var words []string
		for _, i := range toks {
			words = append(words, d.tokens[i].text)
		}
		out = append(out, span{t, toks[0], toks[len(toks)-1], strings.Join(words, " ")})
	}
	return out
}

// tokenRange maps a byte span to the first and last token it overlaps; -1
// when none.
func tokenRange(offs [][2]int, s, e int) (int, int) {
	first, last := -1, -1
	for i, o := range offs {
		if o[0] < e && s < o[1] {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	return first, last
}

type counts struct{ tp, fp, fn int }

func (c counts) prf() (float64, float64, float64) {
	p, r := ratio(c.tp, c.tp+c.fp), ratio(c.tp, c.tp+c.fn)
	f := 0.0
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	return p, r, f
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

type score struct {
	exact, head, overlap, names map[string]*counts
	fps, fns                    map[string][]string
}

var types = []string{"PER", "ORG", "LOC"}

func newScore() *score {
	s := &score{exact: map[string]*counts{}, head: map[string]*counts{}, overlap: map[string]*counts{}, names: map[string]*counts{}, fps: map[string][]string{}, fns: map[string][]string{}}
	for _, t := range append(types, "all") {
		s.exact[t], s.head[t], s.overlap[t], s.names[t] = &counts{}, &counts{}, &counts{}, &counts{}
	}
	return s
}

func (s *score) add(doc string, gold, pred []span) {
	bump := func(m map[string]*counts, t string, f func(*counts)) { f(m[t]); f(m["all"]) }
	// Exact spans.
	gset := map[span]bool{}
	for _, g := range gold {
		gset[span{g.typ, g.start, g.end, ""}] = true
	}
	pset := map[span]bool{}
	for _, p := range pred {
		pset[span{p.typ, p.start, p.end, ""}] = true
	}
	for _, p := range pred {
		k := span{p.typ, p.start, p.end, ""}
		if gset[k] {
			bump(s.exact, p.typ, func(c *counts) { c.tp++ })
		} else {
			bump(s.exact, p.typ, func(c *counts) { c.fp++ })
			s.fps[p.typ] = append(s.fps[p.typ], doc+": "+p.text)
		}
	}
	for _, g := range gold {
		if !pset[span{g.typ, g.start, g.end, ""}] {
			bump(s.exact, g.typ, func(c *counts) { c.fn++ })
			s.fns[g.typ] = append(s.fns[g.typ], doc+": "+g.text)
		}
	}
	// Head match: MEANTIME's name spans are whole noun phrases ("the
	// United States", "President Dmitry Medvedev"); a prediction inside a
	// gold span that ends where it ends (English heads are final) matches,
	// one to one.
	used := make([]bool, len(gold))
	for _, p := range pred {
		hit := false
		for i, g := range gold {
			if !used[i] && g.typ == p.typ && p.start >= g.start && p.end == g.end {
				used[i], hit = true, true
				break
			}
		}
		if hit {
			bump(s.head, p.typ, func(c *counts) { c.tp++ })
		} else {
			bump(s.head, p.typ, func(c *counts) { c.fp++ })
		}
	}
	for i, g := range gold {
		if !used[i] {
			bump(s.head, g.typ, func(c *counts) { c.fn++ })
		}
	}
	// Overlapping spans of the same type.
	overlaps := func(a span, bs []span) bool {
		for _, b := range bs {
			if a.typ == b.typ && a.start <= b.end && b.start <= a.end {
				return true
			}
		}
		return false
	}
	for _, p := range pred {
		if overlaps(p, gold) {
			bump(s.overlap, p.typ, func(c *counts) { c.tp++ })
		} else {
			bump(s.overlap, p.typ, func(c *counts) { c.fp++ })
		}
	}
	for _, g := range gold {
		if !overlaps(g, pred) {
			bump(s.overlap, g.typ, func(c *counts) { c.fn++ })
		}
	}
	// Distinct names per article.
	set := func(xs []span) map[[2]string]bool {
		m := map[[2]string]bool{}
		for _, x := range xs {
			m[[2]string{x.typ, kb.Fold(kb.TrimArticle(x.text))}] = true
		}
		return m
	}
	gn, pn := set(gold), set(pred)
	for k := range pn {
		if gn[k] {
			bump(s.names, k[0], func(c *counts) { c.tp++ })
		} else {
			bump(s.names, k[0], func(c *counts) { c.fp++ })
		}
	}
	for k := range gn {
		if !pn[k] {
			bump(s.names, k[0], func(c *counts) { c.fn++ })
		}
	}
}

func (s *score) print(w io.Writer, errs int) {
	fmt.Fprintf(w, "%-22s %-4s %6s %6s %6s %6s %6s %6s\n", "match", "type", "P", "R", "F1", "tp", "fp", "fn")
	for _, m := range []struct {
		name string
		c    map[string]*counts
	}{{"exact span", s.exact}, {"head (span end)", s.head}, {"overlapping span", s.overlap}, {"distinct names/article", s.names}} {
		for _, t := range append(types, "all") {
			c := m.c[t]
			p, r, f := c.prf()
			fmt.Fprintf(w, "%-22s %-4s %6.3f %6.3f %6.3f %6d %6d %6d\n", m.name, t, p, r, f, c.tp, c.fp, c.fn)
		}
	}
	if errs <= 0 {
		return
	}
	for _, t := range types {
		fmt.Fprintf(w, "\n%s false positives (exact):\n", t)
		for i, x := range s.fps[t] {
			if i == errs {
				break
			}
			fmt.Fprintln(w, "  ", x)
		}
		fmt.Fprintf(w, "%s false negatives (exact):\n", t)
		for i, x := range s.fns[t] {
			if i == errs {
				break
			}
			fmt.Fprintln(w, "  ", x)
		}
	}
}
