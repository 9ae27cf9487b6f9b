package places

import (
	"context"
	"sort"
	"strings"
	"unicode"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/kb"
	"github.com/newswire/newswire/pipeline/article"
)

// Name is the registered name of the extractor.
const Name = "places"

// Order is the extractor's place in the pipeline: after entities.
const Order = 50

func init() {
	extractors.MustRegister(Name, Order, func(extractors.Config) (extractors.Extractor, error) {
		g, err := NewGazetteer()
		if err != nil {
			return nil, err
		}
		return New(g), nil
	})
}

// Extractor resolves place mentions against the gazetteer. Safe for
// concurrent use on different Documents.
type Extractor struct{ g *Gazetteer }

// New returns an extractor using g.
func New(g *Gazetteer) *Extractor { return &Extractor{g: g} }

// Name implements extractors.Extractor.
func (x *Extractor) Name() string { return Name }

// facilityWords mark a place name as a facility.
var facilityWords = []string{"airport", "hall", "stadium", "station", "arena", "theatre", "theater", "hotel",
	"mall", "church", "mosque", "synagogue", "cathedral", "embassy", "consulate", "market", "club",
	"museum", "bridge", "square", "base", "prison", "hospital", "school", "port", "terminal", "centre", "center"}

func isFacility(name string) bool {
	f := " " + kb.Fold(name) + " "
	for _, w := range facilityWords {
		if strings.HasSuffix(f, " "+w+" ") {
			return true
		}
	}
	return false
}

type found struct {
	idx   int // mention index
	entry *Entry
	raw   string
}

// Extract implements extractors.Extractor. It adds gazetteer-scanned country,
// region and continent names and country demonyms ("German police") as place
// mentions, resolves every place mention in the context of the countries the
// article names, and writes d.Out.Places and each mention's EntityID.
func (x *Extractor) Extract(ctx context.Context, d *extractors.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	x.reconcile(d)
	x.scan(d)
	// Each place mention's candidates, or its one reading when the text
	// settles it: a demonym, a qualifier ("Paris, Texas"), a subdivision word
	// after it ("Kabul province").
	type pending struct {
		idx   int
		raw   string
		key   string
		fixed *Entry
		cands []*Entry
	}
	var ps []pending
	drop := map[int]bool{}
	candsOf := map[string][]*Entry{} // by name as written, with any subdivision word
	candidates := func(name string) []*Entry {
		c, ok := candsOf[name]
		if !ok {
			c = x.g.Candidates(name)
			candsOf[name] = c
		}
		return c
	}
	for i := range d.Mentions {
		m := &d.Mentions[i]
		if m.Kind != article.KindPlace {
			continue
		}
		raw := kb.TrimArticle(m.Text)
		if raw == "" {
			continue
		}
		p := pending{idx: i, raw: raw, key: key(raw)}
		if dm, ok := x.g.Demonym(raw); ok {
			p.fixed = dm
		} else if qual := qualifier(d.Text, m.End); qual != "" {
			p.fixed = x.qualified(raw, qual)
		}
		if p.fixed == nil {
			if w := adminWordAfter(d.Text, m.End); w != "" {
				p.cands = candidates(raw + " " + w)
			}
			if len(p.cands) == 0 {
				p.cands = candidates(raw)
			}
			if x.commonWord(p.key, p.cands) && !placeContext(d.Text, m.Start) {
				drop[i] = true // "Police said", not the Polish town
				continue
			}
		}
		ps = append(ps, p)
	}
	// The context: the readings that need none, by name, and the dateline.
	type ctxPlace struct {
		key string
		e   *Entry
	}
	var known []ctxPlace
	if dk, de := x.dateline(d); de != nil {
		known = append(known, ctxPlace{dk, de})
	}
	seen := map[string]bool{}
	for _, p := range ps {
		if seen[p.key] && p.fixed == nil {
			continue
		}
		seen[p.key] = true
		if p.fixed != nil {
			known = append(known, ctxPlace{p.key, p.fixed})
		} else if e, ok := confident(p.cands); ok {
			known = append(known, ctxPlace{p.key, e})
		}
	}
	others := func(self string) []*Entry {
		var out []*Entry
		for _, k := range known {
			if k.key != self {
				out = append(out, k.e)
			}
		}
		return out
	}
	ctxCountries := map[string]bool{}
	for _, k := range known {
		if k.e.CountryCode != "" {
			ctxCountries[k.e.CountryCode] = true
		}
	}
	var fs []found
	picked := map[string]*Entry{} // by key and first candidate: the same name in the same article
	for _, p := range ps {
		m := &d.Mentions[p.idx]
		e := p.fixed
		if e == nil && len(p.cands) > 0 {
			memo := p.key + "\x00" + p.cands[0].ID
			var ok bool
			if e, ok = picked[memo]; !ok {
				e, _ = pick(p.cands, others(p.key))
				picked[memo] = e
			}
		}
		if e == nil && (m.Label == "FAC" || isFacility(p.raw)) {
			e = x.facility(d, m, p.raw, ctxCountries)
		}
		if e == nil {
			e = &Entry{ID: "place:" + kb.Slug(p.raw), Name: p.raw}
		}
		fs = append(fs, found{p.idx, e, p.raw})
	}
	byID := map[string]int{}
	for _, f := range fs {
		d.Mentions[f.idx].EntityID = f.entry.ID
		j, ok := byID[f.entry.ID]
		if !ok {
			p := article.Place{ID: f.entry.ID, Name: f.entry.Name, CountryCode: f.entry.CountryCode, Kind: f.entry.Kind,
				Aliases: append([]string{}, f.entry.Aliases...)}
			if f.entry.HasCoords() {
				lat, lon := f.entry.Lat, f.entry.Lon
				p.Lat, p.Lon = &lat, &lon
			}
			if f.entry.Kind != "" {
				p.Within = append([]string(nil), f.entry.Within...)
			}
			d.Out.Places = append(d.Out.Places, p)
			j = len(d.Out.Places) - 1
			byID[f.entry.ID] = j
		}
		p := &d.Out.Places[j]
		p.Mentions++
		if f.raw != p.Name && !contains(p.Aliases, f.raw) {
			p.Aliases = append(p.Aliases, f.raw)
		}
	}
	if len(drop) > 0 {
		kept := d.Mentions[:0]
		for i, m := range d.Mentions {
			if !drop[i] {
				kept = append(kept, m)
			}
		}
		d.Mentions = kept
	}
	return nil
}

// qualifier returns the place name after "<mention>, " ("Paris, Texas").
func qualifier(text string, end int) string {
	if !strings.HasPrefix(text[end:], ", ") {
		return ""
	}
	rest := text[end+2:]
	if i := strings.IndexAny(rest, ".,;:()\n\"”"); i >= 0 {
		rest = rest[:i]
	}
	var words []string
	for _, w := range strings.Fields(rest) {
		if !unicode.IsUpper([]rune(w)[0]) || len(words) == 3 {
			break
		}
		words = append(words, w)
	}
	return strings.Join(words, " ")
}

// qualified resolves "City, Qualifier" where the qualifier names the city's
// admin area or country.
func (x *Extractor) qualified(name, qual string) *Entry {
	for n := len(strings.Fields(qual)); n > 0; n-- {
		q := strings.Join(strings.Fields(qual)[:n], " ")
		qe, ok := x.g.Lookup(q)
		if !ok {
			continue
		}
		var best *Entry
		for _, e := range x.g.Candidates(name) {
			if e.Kind == KindCity && WithinOf(e, qe.Name) && (best == nil || e.Population > best.Population) {
				best = e
			}
		}
		if best != nil {
			return best
		}
	}
	return nil
}

// facility makes an entry for a facility in the city the sentence names
// ("... at Some Concert Hall in Krasnogorsk").
func (x *Extractor) facility(d *extractors.Document, m *extractors.Mention, raw string, cc map[string]bool) *Entry {
	e := &Entry{ID: "facility:" + kb.Slug(raw), Name: raw, Kind: KindFacility}
	// A facility named after its city: "Cologne Cathedral", "Kabul Airport".
	var city *Entry
	if words := strings.Fields(raw); len(words) > 1 {
		for n := len(words) - 1; n > 0 && city == nil; n-- {
			if c, ok := x.g.Resolve(strings.Join(words[:n], " "), cc); ok && (c.Kind == KindCity || c.Kind == KindAdmin) {
				city = c
			}
		}
	}
	// Else the place mentions in the same sentence after the facility.
	for _, o := range d.Mentions {
		if city != nil {
			break
		}
		if o.Kind != article.KindPlace || o.Start < m.End || (len(d.Sentences) > 0 && o.Sentence != m.Sentence) {
			continue
		}
		if o.Start-m.End > 80 {
			break
		}
		if c, ok := x.g.Resolve(o.Text, cc); ok && (c.Kind == KindCity || c.Kind == KindAdmin || c.Kind == KindCountry) {
			city = c
			break
		}
	}
	if city == nil {
		return e
	}
	e.CountryCode, e.Lat, e.Lon, e.noCoords = city.CountryCode, city.Lat, city.Lon, !city.HasCoords()
	e.Within = append([]string{city.Name}, city.Within...)
	return e
}

// scan adds place mentions for gazetteer names and demonyms that no mention
// covers yet.
func (x *Extractor) scan(d *extractors.Document) {
	text := d.Text
	toks := words(text)
	var add []extractors.Mention
	// covered reports whether a mention overlaps [s, e): over the mentions
	// sorted by start, the largest end among those starting before e.
	spans := make([][2]int, len(d.Mentions))
	for i, m := range d.Mentions {
		spans[i] = [2]int{m.Start, m.End}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i][0] < spans[j][0] })
	maxEnd := make([]int, len(spans))
	for i, sp := range spans {
		maxEnd[i] = sp[1]
		if i > 0 && maxEnd[i-1] > sp[1] {
			maxEnd[i] = maxEnd[i-1]
		}
	}
	covered := func(s, e int) bool {
		j := sort.Search(len(spans), func(i int) bool { return spans[i][0] >= e })
		return j > 0 && maxEnd[j-1] > s
	}
	for i := 0; i < len(toks); i++ {
		matched := false
		for n := min(x.g.maxWords, len(toks)-i); n >= 1; n-- {
			s, e := toks[i][0], toks[i+n-1][1]
			name := text[s:e]
			if strings.ContainsAny(name, "\n") || strings.HasPrefix(text[e:], "$") {
				continue // "US$" is a currency
			}
			if _, ok := x.g.scanNames[name]; !ok {
				continue
			}
			if n == 1 && givenNames[name] && x.personAhead(text, e) {
				continue // "Chad Miller" is a person
			}
			if !covered(s, e) {
				add = append(add, extractors.Mention{Text: name, Kind: article.KindPlace, Label: "GAZ", Start: s, End: e})
			}
			i += n - 1
			matched = true
			break
		}
		if matched {
			continue
		}
		w := text[toks[i][0]:toks[i][1]]
		if _, ok := x.g.demonyms[w]; ok && i+1 < len(toks) && !covered(toks[i][0], toks[i][1]) {
			next := text[toks[i+1][0]:toks[i+1][1]]
			gap := text[toks[i][1]:toks[i+1][0]]
			prev := ""
			if i > 0 {
				prev = strings.ToLower(text[toks[i-1][0]:toks[i-1][1]])
			}
			// "German police", "British jihadis": a demonym before a lower-case
			// noun refers to the country; "in German" (the language) does not.
			if gap == " " && unicode.IsLower([]rune(next)[0]) && prev != "in" && prev != "speak" && prev != "speaks" {
				add = append(add, extractors.Mention{Text: w, Kind: article.KindPlace, Label: "DEMONYM", Start: toks[i][0], End: toks[i][1]})
			}
		}
	}
	if len(add) == 0 {
		return
	}
	for k := range add {
		add[k].Sentence = sentenceAt(d, add[k].Start)
	}
	d.Mentions = append(d.Mentions, add...)
	sort.SliceStable(d.Mentions, func(i, j int) bool { return d.Mentions[i].Start < d.Mentions[j].Start })
}

func sentenceAt(d *extractors.Document, off int) int {
	i := sort.Search(len(d.Sentences), func(i int) bool { return d.Sentences[i].End > off })
	if i == len(d.Sentences) {
		return max(0, len(d.Sentences)-1)
	}
	return i
}

// words returns the byte spans of the words of s (letters, digits, and
// internal hyphens, apostrophes and dots as in "U.S.").
func words(s string) [][2]int {
	var out [][2]int
	start := -1
	for i, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && (r == '-' || r == '.') && i+1 < len(s) && unicode.IsLetter(rune(s[i+1])) {
			continue
		}
		if start >= 0 {
			end := i
			if r == '.' && end-start <= 3 && strings.Contains(s[start:end], ".") {
				end = i + 1 // keep the last dot of "U.S."
			}
			out = append(out, [2]int{start, end})
			start = -1
		}
	}
	if start >= 0 {
		out = append(out, [2]int{start, len(s)})
	}
	return out
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// calendarNames are capitalised names a recogniser takes for places that
// name days and seasons ("New Year", "Ramadan").
var calendarNames = map[string]bool{
	"new year": true, "new years": true, "new year s eve": true, "new years eve": true, "christmas": true,
	"christmas eve": true, "easter": true, "ramadan": true, "eid": true, "eid al fitr": true, "eid al adha": true,
	"thanksgiving": true, "halloween": true, "hanukkah": true, "diwali": true, "nowruz": true, "ashura": true,
	"passover": true, "lent": true, "veterans day": true, "independence day": true, "memorial day": true,
	"labor day": true, "labour day": true, "bastille day": true, "yom kippur": true, "rosh hashanah": true,
	"monday": true, "tuesday": true, "wednesday": true, "thursday": true, "friday": true, "saturday": true, "sunday": true,
	"westerners": true, "westerner": true,
}

// notPlace reports whether a place mention names a holiday, a day or a
// people rather than a place, or has no letter.
func notPlace(raw string) bool {
	if calendarNames[kb.Fold(raw)] || strings.ContainsAny(raw, "$€£¥") {
		return true // a holiday, a day, a currency ("US$")
	}
	for _, r := range raw {
		if unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// reconcile settles people and groups of the entities stage that are places:
// an entity unknown to the knowledge base whose every name is a gazetteer
// country, region, continent or admin area, or a city of at least
// minPlacePopulation people, is a place ("Paris" alone, "Belgium" taken for a
// group), unless a role is known for it. Its mentions become place
// mentions and the entity leaves d.Out.People or d.Out.Groups. The reverse
// (a place that is a person elsewhere in the article) is settled by the
// entities stage, which runs first.
func (x *Extractor) reconcile(d *extractors.Document) {
	kept := d.Mentions[:0]
	for _, m := range d.Mentions {
		if m.Kind == article.KindPlace && notPlace(kb.TrimArticle(m.Text)) {
			continue
		}
		kept = append(kept, m)
	}
	d.Mentions = kept
	x.givenNamePeople(d)
	moved, peoples := map[string]bool{}, map[string]bool{}
	keep := func(es []article.Entity, person bool) []article.Entity {
		out := es[:0]
		for _, e := range es {
			if !strings.HasPrefix(e.ID, "kb:") && x.allDemonyms(e) {
				peoples[e.ID] = true // "Austrians", "German": never a group or person
				continue
			}
			if x.isPlaceEntity(e, person) {
				moved[e.ID] = true
				continue
			}
			out = append(out, e)
		}
		return out
	}
	d.Out.People = keep(d.Out.People, true)
	d.Out.Groups = keep(d.Out.Groups, false)
	if len(peoples) > 0 {
		// Their mentions go, so that the scan reads "German prosecutors" as
		// Germany.
		kept := d.Mentions[:0]
		for _, m := range d.Mentions {
			if !peoples[m.EntityID] || m.EntityID == "" {
				kept = append(kept, m)
			}
		}
		d.Mentions = kept
	}
	if len(moved) == 0 {
		return
	}
	for i := range d.Mentions {
		m := &d.Mentions[i]
		if moved[m.EntityID] {
			m.Kind, m.EntityID = article.KindPlace, ""
		}
	}
}

// acronym reports a name written in capitals ("GAO", "NATO").
func acronym(s string) bool {
	letters := 0
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// allDemonyms reports whether every name of an entity is a demonym or its
// plural ("German", "Austrians", "the Iraqis", "Belgian-Moroccan", "Central
// Asian").
func (x *Extractor) allDemonyms(e article.Entity) bool {
	for _, n := range append([]string{e.Name}, e.Aliases...) {
		for _, part := range strings.Split(kb.TrimArticle(n), "-") {
			if !x.demonymWord(part) {
				return false
			}
		}
	}
	return true
}

// demonymWord reports a demonym, its plural, or a region's adjective
// ("Central Asian", "Middle Eastern").
func (x *Extractor) demonymWord(w string) bool {
	if _, ok := x.g.Demonym(w); ok {
		return true
	}
	if s, ok := strings.CutSuffix(w, "s"); ok {
		if _, ok := x.g.Demonym(s); ok {
			return true
		}
	}
	for _, suf := range []string{"n", "ern"} {
		if base, ok := strings.CutSuffix(w, suf); ok && strings.Contains(base, " ") {
			if e, ok := x.g.Lookup(base); ok && (e.Kind == KindRegion || e.Kind == KindContinent) {
				return true // "Central Asian", "Middle Eastern", "North African"
			}
		}
	}
	return false
}

// minPlacePopulation is the least population of a city that a lone name
// taken for a person or group is read as.
const minPlacePopulation = 100_000

func (x *Extractor) isPlaceEntity(e article.Entity, person bool) bool {
	if strings.HasPrefix(e.ID, "kb:") || len(e.Roles) > 0 {
		return false
	}
	if !person && e.Kind != "" {
		return false // "Kabul Police": the recogniser's group with a kind word
	}
	for _, n := range append([]string{e.Name}, e.Aliases...) {
		if person && strings.Contains(strings.TrimSpace(n), " ") {
			return false // "Jordan Peterson" is a person whatever Jordan is
		}
		p, ok := x.g.Lookup(n)
		if !ok {
			return false
		}
		if p.Kind == KindCity && p.Population < minPlacePopulation {
			return false
		}
		if p.Kind == KindAdmin && !p.HasCoords() {
			return false // a world subdivision: "Durango" the car, "Delta"
		}
		if acronym(n) && p.Kind != KindCountry {
			return false // "GAO" is an office, not Gao in Mali
		}
	}
	return true
}
