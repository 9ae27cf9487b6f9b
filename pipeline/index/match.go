package index

import (
	"strings"

	"github.com/newswire/newswire/pipeline/article"
)

// Match reports whether doc matches the query, with the semantics of the
// backends: words and phrases are analysed (see Analyze) and matched in the
// title or the text; person:, group: and place: match canonical names and
// aliases case-insensitively, place: also the places a place lies within;
// event: matches event types; published: needs a publication date. It is
// safe for concurrent use.
func (q *Query) Match(doc *article.Enriched) bool {
	return q.MatchIn(NewDocMatcher(doc))
}

// DocMatcher matches several queries against one document, analysing its
// title and text once, on first need, instead of once per query: alert
// rules with full-text conditions all share one. Not safe for concurrent use.
type DocMatcher struct {
	m matcher
}

// NewDocMatcher prepares doc for matching; the analysis happens lazily.
func NewDocMatcher(doc *article.Enriched) *DocMatcher {
	return &DocMatcher{m: matcher{doc: doc}}
}

// MatchIn is Match against a prepared document.
func (q *Query) MatchIn(d *DocMatcher) bool {
	if d == nil || d.m.doc == nil {
		return false
	}
	return d.m.match(q.Root)
}

type matcher struct {
	doc      *article.Enriched
	analysed bool
	fields   [2]map[string][]int // title, text: term -> positions
}

func (m *matcher) terms() [2]map[string][]int {
	if !m.analysed {
		m.analysed = true
		for i, s := range []string{m.doc.Title, m.doc.Text} {
			idx := map[string][]int{}
			for _, t := range Analyze(s) {
				idx[t.Term] = append(idx[t.Term], t.Position)
			}
			m.fields[i] = idx
		}
	}
	return m.fields
}

func (m *matcher) match(n *Node) bool {
	switch n.Kind {
	case NodeAll:
		return true
	case NodeWord, NodePhrase:
		return m.matchText(n.Text)
	case NodeField:
		return m.matchField(n)
	case NodeDate:
		p := m.doc.Published
		if p == nil {
			return false
		}
		if n.From != nil && p.Before(*n.From) {
			return false
		}
		if n.To != nil && !p.Before(*n.To) {
			return false
		}
		return true
	case NodeAnd:
		for _, c := range n.Children {
			if !m.match(c) {
				return false
			}
		}
		return true
	case NodeOr:
		for _, c := range n.Children {
			if m.match(c) {
				return true
			}
		}
		return false
	case NodeNot:
		return !m.match(n.Children[0])
	}
	return false
}

// matchText matches the analysed tokens of s as a phrase (a single token is
// a one-word phrase) in the title or the text, respecting position gaps left
// by stop words.
func (m *matcher) matchText(s string) bool {
	toks := Analyze(s)
	if len(toks) == 0 {
		return false
	}
	base := toks[0].Position
	for _, idx := range m.terms() {
	starts:
		for _, p := range idx[toks[0].Term] {
			for _, t := range toks[1:] {
				if !containsInt(idx[t.Term], p+t.Position-base) {
					continue starts
				}
			}
			return true
		}
	}
	return false
}

func containsInt(xs []int, x int) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func (m *matcher) matchField(n *Node) bool {
	d := m.doc
	switch n.Field {
	case FieldPerson:
		return entityMatch(d.People, n.Values)
	case FieldGroup:
		return entityMatch(d.Groups, n.Values)
	case FieldPlace:
		for _, p := range d.Places {
			if anyFold(n.Values, p.Name) || anyFoldList(n.Values, p.Aliases) || anyFoldList(n.Values, p.Within) {
				return true
			}
		}
		return false
	case FieldEvent:
		for _, e := range d.Events {
			if anyFold(n.Values, e.Type) {
				return true
			}
		}
		return false
	case FieldSource:
		return anyFold(n.Values, NormSource(d.Source))
	case FieldLang:
		return anyFold(n.Values, d.Language)
	}
	return false
}

func entityMatch(es []article.Entity, vals []string) bool {
	for _, e := range es {
		if anyFold(vals, e.Name) || anyFoldList(vals, e.Aliases) {
			return true
		}
	}
	return false
}

func anyFold(vals []string, s string) bool {
	for _, v := range vals {
		if strings.EqualFold(v, s) {
			return true
		}
	}
	return false
}

func anyFoldList(vals, ss []string) bool {
	for _, s := range ss {
		if anyFold(vals, s) {
			return true
		}
	}
	return false
}

// Keys helps backends index what Match compares: the lower-cased canonical
// names and aliases of entities, and for places also what they lie within.
// Backends store them in keyword fields and filter on lower-cased values.
func Keys(doc *article.Enriched) (people, groups, places []string) {
	add := func(dst []string, names ...string) []string {
		for _, n := range names {
			n = strings.ToLower(strings.TrimSpace(n))
			if n == "" {
				continue
			}
			dup := false
			for _, x := range dst {
				if x == n {
					dup = true
					break
				}
			}
			if !dup {
				dst = append(dst, n)
			}
		}
		return dst
	}
	for _, e := range doc.People {
		people = add(people, e.Name)
		people = add(people, e.Aliases...)
	}
	for _, e := range doc.Groups {
		groups = add(groups, e.Name)
		groups = add(groups, e.Aliases...)
	}
	for _, p := range doc.Places {
		places = add(places, p.Name)
		places = add(places, p.Aliases...)
		places = add(places, p.Within...)
	}
	return people, groups, places
}
