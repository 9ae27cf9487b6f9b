package entities

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/kb"
	"github.com/newswire/newswire/pipeline/article"
)

// Name is the registered name of the extractor.
const Name = "entities"

// Order is the extractor's place in the pipeline: after ner, before places.
const Order = 40

func init() {
	extractors.MustRegister(Name, Order, func(cfg extractors.Config) (extractors.Extractor, error) {
		k, err := kb.Load(cfg.KnowledgeBase)
		if err != nil {
			return nil, fmt.Errorf("entities: %w", err)
		}
		return New(k), nil
	})
}

// Extractor turns person and group mentions into canonical entities. It is
// safe for concurrent use on different Documents.
type Extractor struct {
	kb *kb.KB
}

// MaxMentions caps the person and group mentions clustered into entities
// per article: the first MaxMentions in text order. Clustering compares each
// person mention with the people found so far, so an article of 100,000
// names would otherwise take hours; no real article comes near the cap.
// Mentions beyond it keep an empty EntityID.
const MaxMentions = 1000

// New returns an extractor resolving names against k.
func New(k *kb.KB) *Extractor { return &Extractor{kb: k} }

// Name implements extractors.Extractor.
func (x *Extractor) Name() string { return Name }

// KB returns the knowledge base the extractor resolves against.
func (x *Extractor) KB() *kb.KB { return x.kb }

// cluster is one entity being built from its mentions.
type cluster struct {
	kind    article.EntityKind
	entry   *kb.Entry
	name    string // fullest form seen (or KB name)
	forms   []string
	roles   []string
	gkind   string
	first   int
	count   int
	mention []int
}

func (c *cluster) addForm(s string) {
	for _, f := range c.forms {
		if f == s {
			return
		}
	}
	c.forms = append(c.forms, s)
}

func (c *cluster) addRole(r string) {
	r = strings.TrimSpace(r)
	if r == "" {
		return
	}
	for _, x := range c.roles {
		if strings.EqualFold(x, r) {
			return
		}
	}
	c.roles = append(c.roles, r)
}

// Extract implements extractors.Extractor. It reads d.Mentions (person and
// group; place mentions that the knowledge base knows as groups become
// groups), adds mentions of known aliases the recogniser missed, and writes
// d.Out.People, d.Out.Groups and each mention's EntityID.
func (x *Extractor) Extract(ctx context.Context, d *extractors.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	x.overrideKinds(d)
	x.addScanned(d)
	extraRoles := x.fixKinds(d)

	type item struct {
		idx   int
		clean string
		roles []string
	}
	var people, groups []item
	for i := range d.Mentions {
		m := &d.Mentions[i]
		if len(people)+len(groups) >= MaxMentions {
			break
		}
		switch m.Kind {
		case article.KindPerson:
			name, roles := personName(m.Text)
			roles = append(extraRoles[m.Start], roles...)
			roles = append(roles, appositionRoles(d.Text, m.Start, m.End)...)
			if name == "" || !hasLetter(name) {
				continue
			}
			people = append(people, item{i, name, roles})
		case article.KindGroup:
			name := kb.TrimArticle(m.Text)
			if name == "" || !hasLetter(name) {
				continue
			}
			groups = append(groups, item{i, name, nil})
		}
	}

	// People: longest names first so that a bare surname joins the full name.
	sort.SliceStable(people, func(i, j int) bool {
		return len(strings.Fields(people[i].clean)) > len(strings.Fields(people[j].clean))
	})
	var pcs []*cluster
	fc := foldCache{}
	byKB := map[string]*cluster{}
	for _, it := range people {
		m := &d.Mentions[it.idx]
		var c *cluster
		if e, ok := x.kb.Lookup(article.KindPerson, it.clean); ok {
			c = byKB[e.ID]
			if c == nil {
				c = &cluster{kind: article.KindPerson, entry: e, name: e.Name, first: m.Start}
				byKB[e.ID] = c
				pcs = append(pcs, c)
			}
		} else {
			c = findPerson(pcs, it.clean, fc)
			if c == nil {
				c = &cluster{kind: article.KindPerson, name: it.clean, first: m.Start}
				pcs = append(pcs, c)
			}
		}
		x.join(c, m, it.idx, it.clean)
		for _, r := range it.roles {
			c.addRole(r)
		}
	}

	var gcs []*cluster
	byName := map[string]*cluster{}
	for _, it := range groups {
		m := &d.Mentions[it.idx]
		var c *cluster
		if e, ok := x.kb.Lookup(article.KindGroup, it.clean); ok {
			c = byKB[e.ID]
			if c == nil {
				c = &cluster{kind: article.KindGroup, entry: e, name: e.Name, gkind: e.Type, first: m.Start}
				byKB[e.ID] = c
				gcs = append(gcs, c)
			}
		} else {
			key := kb.Fold(it.clean)
			c = byName[key]
			if c == nil {
				c = &cluster{kind: article.KindGroup, name: it.clean, gkind: GuessGroupKind(it.clean), first: m.Start}
				byName[key] = c
				gcs = append(gcs, c)
			}
		}
		x.join(c, m, it.idx, it.clean)
	}

	d.Out.People = append(d.Out.People, x.finish(d, pcs)...)
	d.Out.Groups = append(d.Out.Groups, x.finish(d, gcs)...)
	return nil
}

func (x *Extractor) join(c *cluster, m *extractors.Mention, idx int, clean string) {
	c.count++
	c.mention = append(c.mention, idx)
	if m.Start < c.first {
		c.first = m.Start
	}
	c.addForm(clean)
	if c.entry == nil && len(clean) > len(c.name) && c.kind == article.KindPerson {
		c.name = clean
	}
}

func (x *Extractor) finish(d *extractors.Document, cs []*cluster) []article.Entity {
	sort.SliceStable(cs, func(i, j int) bool { return cs[i].first < cs[j].first })
	out := make([]article.Entity, 0, len(cs))
	for _, c := range cs {
		id := ""
		roles := c.roles
		if c.entry != nil {
			id = c.entry.EntityID()
		} else {
			id = string(c.kind) + ":" + kb.Slug(c.name)
		}
		e := article.Entity{ID: id, Name: c.name, Mentions: c.count, Kind: c.gkind, Roles: roles}
		if c.kind == article.KindPerson {
			e.Kind = ""
		}
		for _, f := range c.forms {
			if f != c.name {
				e.Aliases = append(e.Aliases, f)
			}
		}
		if e.Aliases == nil {
			e.Aliases = []string{}
		}
		for _, mi := range c.mention {
			d.Mentions[mi].EntityID = id
		}
		out = append(out, e)
	}
	return out
}

// findPerson finds the cluster a person name belongs to within one article:
// the same folded name; a single word equal to the surname (or first name) of
// exactly one cluster; or a full name MatchPerson accepts against exactly one
// cluster with the same surname.
func findPerson(cs []*cluster, name string, fc foldCache) *cluster {
	nf := fc.get(name)
	f, words, nw := nf.fold, nf.words, nf.keys
	var hit *cluster
	n := 0
	for _, c := range cs {
		ok := false
		for i := -1; i < len(c.forms); i++ {
			form := c.name
			if i >= 0 {
				form = c.forms[i]
			}
			ff := fc.get(form)
			if ff.fold == f {
				return c
			}
			cw := ff.words
			switch {
			case len(words) == 1 && len(cw) > 1:
				ok = ok || cw[len(cw)-1] == words[0] || cw[0] == words[0]
			case len(words) > 1 && len(cw) > 1:
				ok = ok || cw[len(cw)-1] == words[len(words)-1] && kb.MatchPerson(name, form)
			}
			// Hyphenated surnames: "Karimzai-Holt" joins "Nadia Karimzai-Holt".
			fw := ff.keys
			if len(nw) == 1 && len(fw) > 1 && (fw[len(fw)-1] == nw[0] || fw[0] == nw[0]) {
				ok = true
			}
		}
		if ok {
			if hit != c {
				n++
			}
			hit = c
		}
	}
	if n == 1 {
		return hit
	}
	return nil
}

// folded is a name folded for comparison: kb.Fold of it, the folded words
// and its nameKeys.
type folded struct {
	fold  string
	words []string
	keys  []string
}

// foldCache folds each name once per article, so that findPerson compares
// strings instead of folding every known form again for every mention.
type foldCache map[string]*folded

func (fc foldCache) get(s string) *folded {
	if f, ok := fc[s]; ok {
		return f
	}
	f := &folded{fold: kb.Fold(s)}
	f.words = strings.Fields(f.fold)
	f.keys = nameKeys(s)
	fc[s] = f
	return f
}

// overrideKinds turns mentions that the knowledge base knows as groups into
// group mentions (ISIS is a group, never a place or a person).
func (x *Extractor) overrideKinds(d *extractors.Document) {
	for i := range d.Mentions {
		m := &d.Mentions[i]
		if m.Kind == article.KindGroup {
			continue
		}
		name := kb.TrimArticle(m.Text)
		if _, ok := x.kb.Lookup(m.Kind, name); ok && m.Kind == article.KindPerson {
			continue
		}
		if e, ok := x.kb.Lookup("", name); ok && e.Kind == article.KindGroup {
			m.Kind = article.KindGroup
		}
	}
}

// addScanned adds a mention for each known alias in the text that no
// recognised mention covers.
func (x *Extractor) addScanned(d *extractors.Document) {
	matches := x.kb.Scan(d.Text)
	if len(matches) == 0 {
		return
	}
	for _, mt := range matches {
		overlap := false
		for _, m := range d.Mentions {
			if mt.Start < m.End && m.Start < mt.End {
				overlap = true
				break
			}
		}
		if overlap {
			continue
		}
		d.Mentions = append(d.Mentions, extractors.Mention{
			Text: mt.Text, Kind: mt.Entry.Kind, Label: "KB",
			Start: mt.Start, End: mt.End, Sentence: sentenceAt(d, mt.Start),
		})
	}
	sort.SliceStable(d.Mentions, func(i, j int) bool { return d.Mentions[i].Start < d.Mentions[j].Start })
}

func sentenceAt(d *extractors.Document, off int) int {
	i := sort.Search(len(d.Sentences), func(i int) bool { return d.Sentences[i].End > off })
	if i == len(d.Sentences) {
		return max(0, len(d.Sentences)-1)
	}
	return i
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

// GuessGroupKind guesses the finer kind of a group the knowledge base does not
// know from words in its name; "" when nothing fits.
func GuessGroupKind(name string) string {
	f := " " + kb.Fold(name) + " "
	for _, r := range groupKindWords {
		for _, w := range r.words {
			if strings.Contains(f, " "+w+" ") {
				return r.kind
			}
		}
	}
	return ""
}

var groupKindWords = []struct {
	kind  string
	words []string
}{
	{"police", []string{"police", "gendarmerie", "constabulary", "carabinieri"}},
	{"military", []string{"army", "navy", "air force", "armed forces", "forces", "marines", "command", "brigade", "regiment", "battalion", "guard", "military"}},
	{"agency", []string{"intelligence", "agency", "bureau", "service", "directorate"}},
	{"university", []string{"university", "college", "school", "academy"}},
	{"think_tank", []string{"institute", "centre", "center", "foundation", "council on", "think tank"}},
	{"media", []string{"news", "times", "post", "tribune", "journal", "herald", "gazette", "telegraph", "broadcasting", "radio", "television", "tv", "press"}},
	{"party", []string{"party", "democrats", "republicans"}},
	{"government", []string{"ministry", "department", "government", "parliament", "senate", "congress", "cabinet", "office", "commission"}},
	{"international", []string{"united nations", "union", "organization", "organisation"}},
	{"militant", []string{"front", "brigades", "mujahideen", "jihad", "liberation", "militia", "islamic state", "movement"}},
	{"company", []string{"inc", "ltd", "corp", "corporation", "company", "group plc", "plc", "llc", "gmbh", "airlines"}},
}
