package events

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/dates"
	"github.com/newswire/newswire/pipeline/article"
)

// MinConfidence is the confidence below which a sentence's event is dropped:
// a trigger with no date, place, toll or actor is more often talk about
// attacks than an incident.
const MinConfidence = 0.45

// Name is the extractor's registry name; Order its place in the pipeline.
const (
	Name  = "events"
	Order = 60
)

func init() {
	extractors.MustRegister(Name, Order, func(extractors.Config) (extractors.Extractor, error) { return New(), nil })
}

// Extractor finds incidents in a Document and appends them to Out.Events.
// It has no state: safe for concurrent use.
type Extractor struct{}

// New returns the events extractor.
func New() *Extractor { return &Extractor{} }

// Name returns "events".
func (*Extractor) Name() string { return Name }

// Extract appends the incidents of d to d.Out.Events.
func (x *Extractor) Extract(ctx context.Context, d *extractors.Document) error {
	if d == nil || d.Out == nil {
		return fmt.Errorf("events: %w: document without output", article.ErrInvalid)
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	d.Out.Events = append(d.Out.Events, Find(d)...)
	return nil
}

// Find returns the incidents reported in d, one per incident: mentions of the
// same incident within the article are merged (see Merge).
func Find(d *extractors.Document) []article.Event {
	sents := sentencesOf(d)
	ms := mentionsOf(d, sents)
	bySent := map[int][]mention{}
	for _, m := range ms {
		bySent[m.sentence] = append(bySent[m.sentence], m)
	}
	var pub *time.Time
	articleID := ""
	if d.Article != nil {
		pub, articleID = d.Article.Published, d.Article.ID
	}
	var all []article.Event
	for i := range sents {
		s := &sents[i]
		for _, e := range sentenceEvents(s, bySent[s.idx], pub) {
			fillContext(&e, sents, i, bySent, pub)
			e.ID = eventID(articleID, s.start, e.Type)
			all = append(all, e)
		}
	}
	kinds := map[string]string{}
	for _, p := range d.Out.Places {
		kinds[p.Name] = p.Kind
	}
	return merge(all, kinds)
}

// Mention is one incident as one sentence reports it, before the mentions
// of an article are merged: the event with the sentence's own fields (and the
// context Find adds), and the byte offsets of its trigger in Document.Text.
type Mention struct {
	Event      article.Event
	Start, End int
}

// Mentions returns every incident mention of d in text order, unmerged. It
// is what Find merges; scorers use it to compare mentions with annotated
// triggers.
func Mentions(d *extractors.Document) []Mention {
	sents := sentencesOf(d)
	ms := mentionsOf(d, sents)
	bySent := map[int][]mention{}
	for _, m := range ms {
		bySent[m.sentence] = append(bySent[m.sentence], m)
	}
	var pub *time.Time
	if d.Article != nil {
		pub = d.Article.Published
	}
	var out []Mention
	for i := range sents {
		s := &sents[i]
		for _, e := range sentenceEvents(s, bySent[s.idx], pub) {
			fillContext(&e, sents, i, bySent, pub)
			start, end := s.start, s.end
			if j := strings.Index(s.text, e.Trigger); j >= 0 && e.Trigger != "" {
				start, end = s.start+j, s.start+j+len(e.Trigger)
			}
			out = append(out, Mention{Event: e, Start: start, End: end})
		}
	}
	return out
}

func eventID(articleID string, off int, typ string) string {
	h := sha256.Sum256([]byte(fmt.Sprintf("%s|%d|%s", articleID, off, typ)))
	return "ev:" + hex.EncodeToString(h[:8])
}

// sentenceEvents turns the triggers of one sentence into events: the violent
// triggers of a sentence make one event of the most specific type, each
// other type one event of its own.
func sentenceEvents(s *sent, ms []mention, pub *time.Time) []article.Event {
	trs := detectTriggers(*s)
	if len(trs) == 0 {
		return nil
	}
	status := statusOf(*s)
	var others []Trigger
	var violent []Trigger
	plot := false
	for _, tr := range trs {
		switch {
		case rank(tr.Type) > 0:
			violent = append(violent, tr)
		case tr.Type == article.EventFoiledPlot:
			plot = true
		default:
			dup := false
			for _, o := range others {
				dup = dup || o.Type == tr.Type
			}
			if !dup {
				others = append(others, tr)
			}
		}
	}
	clusters := clusterViolent(s, violent, ms)
	var out []article.Event
	mk := func(tr Trigger, st string) article.Event {
		e := article.Event{Type: tr.Type, Subtype: tr.Subtype, Trigger: tr.Words, Status: st, Evidence: s.text}
		fillActors(&e, *s, tr, ms)
		fillDate(&e, s, pub, tr)
		fillPlace(&e, ms, tr.Start, s)
		if tr.Type == article.EventThreatLevel {
			threatPlace(&e, ms, tr, s)
		}
		return e
	}
	arrest, detained := false, false
	for _, o := range others {
		arrest = arrest || o.Type == article.EventArrest || o.Type == article.EventRaid
		detained = detained || o.Type == article.EventArrest
	}
	for _, c := range clusters {
		v := c.tr
		switch {
		case status == "planned" || status == "foiled" || plot:
			st := status
			if st == "carried_out" {
				st = "planned"
			}
			// A plan that ends in arrests was foiled: "detained, accused of
			// preparing an attack".
			if st == "foiled" || plot && arrest || detained {
				e := mk(v, "foiled")
				e.Type, e.Subtype = article.EventFoiledPlot, v.Type
				if !generic(*s, v, e) {
					out = append(out, e)
				}
			} else {
				e := mk(v, "planned")
				if specificPlan(e) && !generic(*s, v, e) {
					out = append(out, e)
				}
			}
		default:
			e := mk(v, status)
			if len(clusters) > 1 {
				if c.place != nil {
					setPlace(&e, *c.place)
				}
				fillDateIn(&e, s, pub, v, c.start, c.end)
			}
			killed, injured := Casualties(s.text[c.start-s.start : c.end-s.start])
			setCounts(&e, killed, injured)
			if !generic(*s, v, e) {
				out = append(out, e)
			}
		}
	}
	if len(clusters) == 0 && plot {
		for _, tr := range trs {
			if tr.Type == article.EventFoiledPlot && (status == "foiled" || arrest) {
				out = append(out, mk(tr, "foiled"))
				break
			}
		}
	}
	for _, o := range others {
		st := "carried_out"
		if o.Type == article.EventWarning || o.Type == article.EventThreatLevel {
			st = ""
		}
		e := mk(o, st)
		if o.Type == article.EventWarning && !officialWarning(*s, o, e) {
			continue
		}
		if (o.Type == article.EventArrest || o.Type == article.EventRaid) && genericPolice(*s, o) {
			continue
		}
		out = append(out, e)
	}
	kept := out[:0]
	for i := range out {
		out[i].Confidence = confidence(out[i], *s)
		if out[i].Confidence >= MinConfidence {
			kept = append(kept, out[i])
		}
	}
	return kept
}

func setCounts(e *article.Event, killed, injured *article.Count) {
	if killed != nil {
		e.KilledDetail = killed
		if killed.Value > 0 || isZero(killed.Text) {
			v := killed.Value
			e.Killed = &v
		}
	}
	if injured != nil {
		e.InjuredDetail = injured
		if injured.Value > 0 || isZero(injured.Text) {
			v := injured.Value
			e.Injured = &v
		}
	}
}

func isZero(text string) bool {
	f := strings.Fields(strings.ToLower(text))
	return len(f) > 0 && (f[0] == "0" || f[0] == "zero" || f[0] == "no")
}

// statusOf reads the status words of a sentence.
func statusOf(s sent) string {
	l := " " + strings.ToLower(s.text) + " "
	for _, w := range []string{" foiled", " thwarted", " averted", " prevented", " disrupted", " intercepted", " uncovered"} {
		if strings.Contains(l, w) {
			return "foiled"
		}
	}
	for _, w := range []string{" failed to ", " failed attack", " attempted ", " botched", " did not explode", " didn't explode", " failed to detonate", " malfunctioned", " attempt to "} {
		if strings.Contains(l, w) {
			return "failed"
		}
	}
	for _, w := range []string{" plotting", " plotted", " plot to", " plot ", " planning", " planned", " plans to", " plan to", " preparing", " prepared to", " preparations", " prepare ", " prepares ", " intended to", " conspiracy", " conspiring", " intending"} {
		if strings.Contains(l, w) {
			return "planned"
		}
	}
	return "carried_out"
}

// generic reports whether a violent trigger is talk about attacks in general
// ("the threat of attacks", "could carry out attacks in Europe") rather than
// one incident. A past-tense verb, a definite article, casualties or a date
// anchor it to an incident.
func generic(s sent, tr Trigger, e article.Event) bool {
	toks := s.toks
	lo := max(0, tr.Tok-4)
	for j := lo; j < tr.Tok && j < len(toks); j++ {
		switch toks[j].lower {
		case "may", "might", "could", "would", "can", "will", "possible", "potential", "future", "threat", "threats", "risk", "fear", "fears", "danger", "such", "any", "more", "new", "prevent", "conduct", "inspire", "inspired", "encourage", "against", "protect", "deter", "capable", "capability":
			if !(e.KilledDetail != nil || e.InjuredDetail != nil) {
				return true
			}
		case "plan", "plans", "planning", "plot", "plotting", "directing", "direct", "orchestrate", "orchestrating", "wage", "waging", "stage", "staging":
			// "helped plan attacks abroad": a bare plural after a word of
			// intent is a campaign, not an incident.
			if isPlural(toks[min(tr.Tok, len(toks)-1)]) && !definite(toks, tr.Tok) && e.KilledDetail == nil && e.InjuredDetail == nil {
				return true
			}
		}
	}
	if tr.Tok+1 < len(toks) && toks[tr.Tok+1].lower == "threat" {
		return true
	}
	if tr.Tok+1 < len(toks) && e.Place == nil && e.KilledDetail == nil && e.InjuredDetail == nil && isPlural(toks[tr.Tok]) {
		switch toks[tr.Tok+1].lower {
		case "might", "could", "would", "may", "can", "will":
			// "the attacks might encourage others": their effect, not an
			// incident reported.
			return true
		}
	}
	head := toks[min(tr.Tok, len(toks)-1)]
	plural := isPlural(head) && (head.lower == "attacks" || head.lower == "bombings" || head.lower == "shootings" || head.lower == "stabbings" || head.lower == "raids" || head.lower == "arrests")
	anchored := e.KilledDetail != nil || e.InjuredDetail != nil || (e.Date != nil && e.DatePrecision == string(dates.Day)) || isPast(head)
	if plural && !anchored && !definite(toks, tr.Tok) {
		// "attacks in Europe" is talk; "the attacks in Paris" and "the
		// recent attacks" refer to incidents.
		return true
	}
	if plural && !anchored && e.Status != "carried_out" {
		return true
	}
	return false
}

// specificPlan keeps planned attacks that name who planned them and where or
// when; vaguer plans are threat talk.
func specificPlan(e article.Event) bool {
	return (e.Place != nil || e.Date != nil) && len(e.Targets) > 0
}

// officialWarning keeps a warning that someone issued: a verb "warned" or
// "warns", or a noun with an issuer in the sentence.
func officialWarning(s sent, tr Trigger, e article.Event) bool {
	w := strings.ToLower(tr.Words)
	if w == "warned" || w == "warns" || w == "warn" {
		return len(e.Perpetrators) > 0
	}
	if w == "warning" || w == "warnings" {
		l := strings.ToLower(s.text)
		return len(e.Perpetrators) > 0 && (strings.Contains(l, "issued") || strings.Contains(l, "issue ") || strings.Contains(l, "warning of") || strings.Contains(l, "warnings of") || strings.Contains(l, "warning that") || strings.Contains(l, "warnings that"))
	}
	return false
}

// genericPolice drops arrest and raid words that describe no operation ("the
// risk of arrest", "arrests are rare").
func genericPolice(s sent, tr Trigger) bool {
	if tr.Tok > 0 {
		switch s.toks[tr.Tok-1].lower {
		case "of", "avoid", "evade", "resist", "resisting", "escape", "face", "faces", "facing":
			return true
		}
	}
	return false
}

// fillDate sets the date from the sentence, preferring the expression
// nearest the trigger, and the most precise on ties.
func fillDate(e *article.Event, s *sent, pub *time.Time, tr Trigger) {
	ds := s.datesOf(pub)
	best := -1
	for i, d := range ds {
		if isStamp(d) {
			continue
		}
		if best < 0 || dist(d, tr, s) < dist(ds[best], tr, s) {
			best = i
		}
	}
	if best < 0 {
		return
	}
	d := ds[best]
	v := d.Value
	e.Date, e.DateText, e.DatePrecision = &v, d.Text, string(d.Precision)
}

// fillDateIn prefers a date expression inside [from, to), the part of the
// sentence that tells one of several incidents.
func fillDateIn(e *article.Event, s *sent, pub *time.Time, tr Trigger, from, to int) {
	for _, d := range s.datesOf(pub) {
		if a := d.Start + s.start; a >= from && a < to && !isStamp(d) {
			v := d.Value
			e.Date, e.DateText, e.DatePrecision = &v, d.Text, string(d.Precision)
			return
		}
	}
}

// isStamp reports a machine timestamp: the page's own date line, not the
// event's.
func isStamp(d dates.Date) bool { return len(d.Text) > 10 && d.Text[4] == '-' && d.Text[10] == 'T' }

func dist(d dates.Date, tr Trigger, s *sent) int {
	a := d.Start + s.start
	if a > tr.Start {
		return a - tr.Start
	}
	return tr.Start - a
}

func fillPlace(e *article.Event, ms []mention, at int, s *sent) {
	p, ok := bestPlace(ms, at, s)
	if !ok {
		return
	}
	setPlace(e, p)
}

func setPlace(e *article.Event, p mention) {
	name := p.name
	e.Place = &name
	if p.place != nil {
		if p.place.CountryCode != "" {
			cc := p.place.CountryCode
			e.CountryCode = &cc
		}
		e.Lat, e.Lon = p.place.Lat, p.place.Lon
	}
}

// fillContext fills a date and a place missing from the event's sentence
// from the sentence before it, then the one after.
func fillContext(e *article.Event, sents []sent, i int, bySent map[int][]mention, pub *time.Time) {
	if !anaphoric(*e) && e.Type != article.EventArrest && e.Type != article.EventRaid {
		// Only a mention that refers back ("the blast killed 15") takes its
		// neighbours' date and place; "a bombing on the metro" is news of
		// its own, whose place may be one the gazetteer lacks.
		return
	}
	l := strings.ToLower(sents[i].text)
	if strings.Contains(l, "separate") || strings.Contains(l, "another") || strings.Contains(l, "earlier") || strings.Contains(l, "previous") {
		return // a different incident from its neighbours'
	}
	for _, j := range []int{i - 1, i + 1} {
		if j < 0 || j >= len(sents) {
			continue
		}
		if !sameStory(*e, sents[j]) {
			continue // the neighbour tells another incident
		}
		if newPara(sents, max(i, j)) {
			continue // another paragraph
		}
		if e.Date == nil && j < i {
			// Only the sentence before: the next one often starts on
			// another incident ("In 2017, ...").
			ds := sents[j].datesOf(pub)
			for _, d := range ds {
				if !isStamp(d) {
					v := d.Value
					e.Date, e.DateText, e.DatePrecision = &v, d.Text, string(d.Precision)
					break
				}
			}
		}
		if e.Place == nil {
			if p, ok := bestPlace(bySent[sents[j].idx], -1, &sents[j]); ok {
				setPlace(e, p)
			}
		}
	}
}

// confidence scores how surely the sentence reports one real incident.
func confidence(e article.Event, s sent) float64 {
	c := 0.4
	if e.Date != nil {
		c += 0.1
	}
	if e.Place != nil {
		c += 0.1
	}
	if e.KilledDetail != nil || e.InjuredDetail != nil {
		c += 0.15
	}
	if len(e.Perpetrators) > 0 {
		c += 0.1
	}
	if len(e.Targets) > 0 {
		c += 0.05
	}
	if len(e.ClaimedBy) > 0 {
		c += 0.05
	}
	if pastVerb(e, s) {
		c += 0.05 // "was shot", "stabbed him": told as done
	}
	if e.Status == "planned" {
		c -= 0.1
	}
	if strings.Contains(s.text, "?") {
		c -= 0.1
	}
	return min(1, max(0, c))
}

// newPara reports whether a line break separates sentence i from the one
// before it.
func newPara(sents []sent, i int) bool { return i > 0 && sents[i].paraStart }

// definite reports a determiner or possessive shortly before token i: "the
// attacks", "these bombings", "Friday's attacks", "the recent attacks".
func definite(toks []tok, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3; j-- {
		w := toks[j].lower
		switch {
		case w == "the" || w == "these" || w == "those" || w == "its" || w == "their" || w == "last" || w == "recent" || w == "latest":
			return true
		case w == "'s" || w == "’s" || strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s"):
			return true
		case w == "of" || w == "for" || w == "and" || w == "or" || w == "to" || w == "in" || w == "on" || w == "more" || w == "new" || w == "planned":
			return false
		}
	}
	return false
}

// cluster is the violent triggers of a sentence that tell one incident, and
// the part of the sentence, in Document offsets, that belongs to it.
type cluster struct {
	tr         Trigger
	place      *mention
	start, end int
}

// clusterViolent groups the violent triggers of a sentence into incidents: a
// trigger whose own place differs from the current incident's starts a new
// one ("a bombing in Kerman ... and shot up a church in Istanbul"). Each
// incident keeps its most specific trigger.
func clusterViolent(s *sent, trs []Trigger, ms []mention) []cluster {
	var out []cluster
	for i, tr := range trs {
		next := s.end
		if i+1 < len(trs) {
			next = trs[i+1].Start
		}
		p := ownPlace(s, tr, next, ms)
		if len(out) == 0 || (p != nil && out[len(out)-1].place != nil && !strings.EqualFold(p.name, out[len(out)-1].place.name)) {
			start := s.start
			if len(out) > 0 {
				start = tr.Start
				out[len(out)-1].end = tr.Start
			}
			out = append(out, cluster{tr: tr, place: p, start: start, end: s.end})
			continue
		}
		c := &out[len(out)-1]
		if c.place == nil {
			c.place = p
		}
		c.tr = stronger(c.tr, tr)
	}
	for i := range out {
		if out[i].tr.Subtype == "" {
			for _, tr := range trs {
				if tr.Type == out[i].tr.Type && tr.Subtype != "" && tr.Start >= out[i].start && tr.End <= out[i].end {
					out[i].tr.Subtype = tr.Subtype
				}
			}
		}
	}
	return out
}

// stronger picks the trigger that names an incident more precisely: a strong
// one over an actor word ("gunmen"), then the higher rank, then one with a
// subtype.
func stronger(a, b Trigger) Trigger {
	switch {
	case a.Weak != b.Weak:
		if a.Weak {
			return b
		}
		return a
	case rank(b.Type) != rank(a.Type):
		if rank(b.Type) > rank(a.Type) {
			return b
		}
		return a
	case a.Subtype == "" && b.Subtype != "":
		return b
	}
	return a
}

// ownPlace is the place a trigger names: a place right before it ("the
// Moscow attack") or the first place after it before the next trigger.
func ownPlace(s *sent, tr Trigger, next int, ms []mention) *mention {
	var after *mention
	for i := range ms {
		m := &ms[i]
		if m.kind != article.KindPlace || m.demonym {
			continue
		}
		if m.end <= tr.Start && modifierGap(s, m.end, tr.Start) {
			if actorCountry(*m) {
				continue
			}
			return m
		}
		if m.start >= tr.End && m.start < next && m.start-tr.End <= placeWindow && !strings.ContainsAny(s.text[tr.End-s.start:m.start-s.start], ";:") &&
			(after == nil || m.start < after.start) {
			after = m
		}
	}
	return after
}

// sameStory reports whether sentence s may give its date and place to event
// e of a neighbouring sentence: s reports no incident, or one e can refer
// back to (one of e's family; for arrests and raids, any attack, plot or
// police operation).
func sameStory(e article.Event, s sent) bool {
	trs := detectTriggers(s)
	if len(trs) == 0 {
		return true
	}
	police := e.Type == article.EventArrest || e.Type == article.EventRaid
	for _, tr := range trs {
		if Family(tr.Type) == Family(e.Type) {
			return true
		}
		if police && (rank(tr.Type) > 0 || tr.Type == article.EventFoiledPlot || tr.Type == article.EventArrest || tr.Type == article.EventRaid) {
			return true
		}
	}
	return false
}

// threatPlace sets the place of a threat-level change to the country whose
// level changed: the place of "the threat level in Belgium", else the
// nearest country named before the trigger ("France raised its threat
// level", "France's threat level"), else the nearest place before it that
// is not an attack's ("after the Moscow attack"). Without either the place
// from fillPlace stays.
func threatPlace(e *article.Event, ms []mention, tr Trigger, s *sent) {
	var country, other *mention
	for i := range ms {
		m := &ms[i]
		if m.kind != article.KindPlace || m.demonym {
			continue
		}
		if m.start >= tr.End {
			gap := strings.ToLower(strings.TrimSpace(s.text[tr.End-s.start : m.start-s.start]))
			if m.start-tr.End <= 20 && (gap == "in" || strings.HasSuffix(gap, " in") || gap == "for" || strings.HasSuffix(gap, " for")) {
				setPlace(e, *m)
				return
			}
			continue
		}
		if m.place != nil && m.place.Kind == "country" {
			country = m
		} else if !modifiesEvent(s.text[m.end-s.start:]) && !modifiesEvent(nextWords(s.text[m.end-s.start:], 2)) {
			other = m
		}
	}
	switch {
	case country != nil:
		setPlace(e, *country)
	case other != nil:
		setPlace(e, *other)
	}
}

// nextWords drops the first word of rest and returns the remainder, up to n
// words in all: "concert hall attack" gives "hall attack" for n = 2.
func nextWords(rest string, n int) string {
	f := strings.Fields(rest)
	if len(f) < 2 {
		return ""
	}
	return strings.Join(f[1:min(len(f), n+1)], " ")
}

// pastVerb reports a violent trigger that is a past-tense verb in the tagged
// sentence.
func pastVerb(e article.Event, s sent) bool {
	if rank(e.Type) == 0 {
		return false
	}
	for _, t := range s.toks {
		if t.text == e.Trigger {
			return isPast(t)
		}
	}
	return false
}
