package alert

import (
	"fmt"
	"strings"
	"time"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index"
)

// Match is one rule matching one article: what matched and why.
type Match struct {
	// Rule is the rule's name; Description its description.
	Rule        string `json:"rule"`
	Description string `json:"description,omitempty"`
	// Entities are the people, groups and places that satisfied the rule's
	// entity conditions.
	Entities []MatchedEntity `json:"entities,omitempty"`
	// Events are the events that satisfied the rule's event conditions
	// (empty for a rule without event conditions).
	Events []article.Event `json:"events,omitempty"`
	// Reasons explain each condition that held, in words.
	Reasons []string `json:"reasons"`
}

// MatchedEntity is an entity of the article that satisfied a rule condition.
type MatchedEntity struct {
	Kind article.EntityKind `json:"kind"`
	ID   string             `json:"id,omitempty"`
	Name string             `json:"name"`
	// Condition is the name as written in the rule.
	Condition string `json:"condition"`
	// Via says how it matched: "name", "alias \"ISKP\"", "within Europe".
	Via string `json:"via"`
}

// compiledRule is a Rule with its lookups built.
type compiledRule struct {
	rule   Rule
	people nameSet
	groups nameSet
	places nameSet
	events *EventCondition
	types  map[string]bool
	status map[string]bool
	window time.Duration
	query  queryMatcher
}

// maxReasonsPerKind bounds the reason lines for one entity kind; Entities
// still lists every match.
const maxReasonsPerKind = 3

// queryMatcher is a compiled full-text condition.
type queryMatcher interface {
	MatchIn(d *index.DocMatcher) bool
}

// nameSet maps normalised names to the rule's spelling.
type nameSet map[string]string

// norm lower-cases s and collapses its white space, allocating only when
// it must.
func norm(s string) string {
	spaced, lower := len(s) > 0 && s[0] != ' ' && s[len(s)-1] != ' ', true
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c >= 0x80 || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f':
			return strings.ToLower(strings.Join(strings.Fields(s), " "))
		case c >= 'A' && c <= 'Z':
			lower = false
		case c == ' ' && s[i+1] == ' ':
			spaced = false
		}
	}
	switch {
	case !spaced:
		return strings.ToLower(strings.Join(strings.Fields(s), " "))
	case !lower:
		return strings.ToLower(s)
	}
	return s
}

func buildNames(names []string, kind article.EntityKind, r Resolver) nameSet {
	if len(names) == 0 {
		return nil
	}
	s := nameSet{}
	for _, n := range names {
		s[norm(n)] = n
		if r != nil {
			if c, ok := r.Resolve(kind, n); ok && c != "" {
				if _, taken := s[norm(c)]; !taken {
					s[norm(c)] = n
				}
			}
		}
	}
	return s
}

func compileRule(r Rule, o Options) (*compiledRule, error) {
	c := &compiledRule{
		rule:   r,
		people: buildNames(r.People, article.KindPerson, o.Resolver),
		groups: buildNames(r.Groups, article.KindGroup, o.Resolver),
		places: buildNames(r.Places, article.KindPlace, o.Resolver),
		events: r.Events,
	}
	if r.Events != nil {
		if err := validateEvents(r.Events); err != nil {
			return nil, err
		}
		if len(r.Events.Types) > 0 {
			c.types = map[string]bool{}
			for _, t := range r.Events.Types {
				c.types[t] = true
			}
		}
		if len(r.Events.Status) > 0 {
			c.status = map[string]bool{}
			for _, s := range r.Events.Status {
				c.status[s] = true
			}
		}
		if r.Events.Within != "" {
			w, err := parseWindow(r.Events.Within)
			if err != nil {
				return nil, &fieldError{"events.within", err}
			}
			c.window = w
		}
	}
	if strings.TrimSpace(r.Query) != "" {
		q, err := compileQuery(r.Query, o.Resolver)
		if err != nil {
			return nil, &fieldError{"query", err}
		}
		c.query = q
	}
	return c, nil
}

// view is an article prepared once for evaluating every rule.
type view struct {
	a       *article.Enriched
	text    *index.DocMatcher // the article's text analysed once for every full-text rule
	people  []entityView
	groups  []entityView
	places  []placeView
	byName  map[string]*placeView
	country map[string][]string // country code -> normalised country names
	events  []eventView
	// soleCC is the one country code of all the article's places that have
	// one, or "" when they name several countries or none.
	soleCC string
}

// eventView is what rules need of an event, computed once per article.
type eventView struct {
	place   string     // normalised place name, "" when none
	placeAt *placeView // the article's place of that name, if any
	cc      *placeView // a place standing for the event's country code
	date    time.Time  // see eventDate
	dateWhy string
}

type entityView struct {
	e    *article.Entity
	keys []string // normalised name, id, aliases
}

type placeView struct {
	p      *article.Place
	keys   []string // normalised name, id, aliases
	within []string // normalised containing places, nearest first
	cc     string   // lower-case country code
}

func newView(a *article.Enriched) *view {
	v := &view{a: a, text: index.NewDocMatcher(a)}
	ents := func(es []article.Entity) []entityView {
		out := make([]entityView, len(es))
		for i := range es {
			e := &es[i]
			keys := make([]string, 0, 2+len(e.Aliases))
			keys = append(keys, norm(e.Name))
			if e.ID != "" {
				keys = append(keys, norm(e.ID))
			}
			for _, al := range e.Aliases {
				keys = append(keys, norm(al))
			}
			out[i] = entityView{e: e, keys: keys}
		}
		return out
	}
	v.people = ents(a.People)
	v.groups = ents(a.Groups)
	v.places = make([]placeView, len(a.Places))
	v.byName = make(map[string]*placeView, len(a.Places))
	for i := range a.Places {
		p := &a.Places[i]
		pv := &v.places[i]
		pv.p = p
		pv.keys = append(pv.keys, norm(p.Name))
		if p.ID != "" {
			pv.keys = append(pv.keys, norm(p.ID))
		}
		for _, al := range p.Aliases {
			pv.keys = append(pv.keys, norm(al))
		}
		for _, w := range p.Within {
			pv.within = append(pv.within, norm(w))
		}
		pv.cc = strings.ToLower(p.CountryCode)
		for _, k := range pv.keys {
			if _, taken := v.byName[k]; !taken {
				v.byName[k] = pv
			}
		}
		if p.Kind == "country" && pv.cc != "" {
			if v.country == nil {
				v.country = map[string][]string{}
			}
			v.country[pv.cc] = append(v.country[pv.cc], pv.keys...)
		}
	}
	for i := range v.places {
		switch cc := v.places[i].cc; {
		case cc == "":
		case v.soleCC == "":
			v.soleCC = cc
		case v.soleCC != cc:
			v.soleCC = "-"
		}
	}
	if v.soleCC == "-" {
		v.soleCC = ""
	}
	v.events = make([]eventView, len(a.Events))
	for i := range a.Events {
		ev, evv := &a.Events[i], &v.events[i]
		if ev.Place != nil && *ev.Place != "" {
			evv.place = norm(*ev.Place)
			evv.placeAt = v.byName[evv.place]
		}
		if ev.CountryCode != nil && *ev.CountryCode != "" {
			cc := strings.ToLower(*ev.CountryCode)
			evv.cc = &placeView{p: &article.Place{Name: strings.ToUpper(cc), CountryCode: *ev.CountryCode}, cc: cc}
		}
		evv.date, evv.dateWhy = eventDate(a, ev)
	}
	return v
}

// matchEntities returns the entities whose name, ID or alias is in set.
func matchEntities(kind article.EntityKind, es []entityView, set nameSet) []MatchedEntity {
	var out []MatchedEntity
	for _, ev := range es {
		for i, k := range ev.keys {
			cond, ok := set[k]
			if !ok {
				continue
			}
			via := "name"
			if i > 0 {
				if ev.e.ID != "" && i == 1 {
					via = "id"
				} else {
					via = fmt.Sprintf("alias %q", k)
				}
			}
			out = append(out, MatchedEntity{Kind: kind, ID: ev.e.ID, Name: ev.e.Name, Condition: cond, Via: via})
			break
		}
	}
	return out
}

// placeIn reports whether pv is, or lies within, a place of set.
func placeIn(pv *placeView, set nameSet, country map[string][]string) (MatchedEntity, bool) {
	me := MatchedEntity{Kind: article.KindPlace, ID: pv.p.ID, Name: pv.p.Name}
	for i, k := range pv.keys {
		if cond, ok := set[k]; ok {
			me.Condition, me.Via = cond, "name"
			if i > 0 {
				me.Via = fmt.Sprintf("alias %q", k)
			}
			return me, true
		}
	}
	for _, w := range pv.within {
		if cond, ok := set[w]; ok {
			me.Condition, me.Via = cond, "within "+cond
			return me, true
		}
	}
	if pv.cc != "" {
		if cond, ok := set[pv.cc]; ok {
			me.Condition, me.Via = cond, "country code "+strings.ToUpper(pv.cc)
			return me, true
		}
		for _, cn := range country[pv.cc] {
			if cond, ok := set[cn]; ok {
				me.Condition, me.Via = cond, "in country "+cond
				return me, true
			}
		}
	}
	return me, false
}

// eventPlace checks an event's place against the rule's places: through the
// article's place of that name when there is one, else by the event's place
// name and country code.
func (c *compiledRule) eventPlace(v *view, ev *article.Event, evv *eventView) (MatchedEntity, bool) {
	if evv.placeAt != nil {
		if me, ok := placeIn(evv.placeAt, c.places, v.country); ok {
			return me, true
		}
	} else if cond, ok := c.places[evv.place]; ok && evv.place != "" {
		return MatchedEntity{Kind: article.KindPlace, Name: *ev.Place, Condition: cond, Via: "event place"}, true
	}
	if evv.cc != nil {
		if me, ok := placeIn(evv.cc, c.places, v.country); ok {
			return me, true
		}
	}
	if evv.place == "" && evv.cc == nil && v.soleCC != "" {
		// No location on the event, but the article's places all lie in
		// one country: the event is very likely there.
		for i := range v.places {
			if v.places[i].cc != v.soleCC {
				continue
			}
			if me, ok := placeIn(&v.places[i], c.places, v.country); ok {
				me.Via += ", the article's only country; the event names no place"
				return me, true
			}
		}
	}
	return MatchedEntity{}, false
}

// eventDate returns the latest instant of the event's (possibly partial)
// date, else the article's publication or fetch time.
func eventDate(a *article.Enriched, ev *article.Event) (time.Time, string) {
	if ev.Date != nil && *ev.Date != "" {
		d := *ev.Date
		for _, f := range []struct {
			layout string
			next   func(time.Time) time.Time
		}{
			{"2006-01-02", func(t time.Time) time.Time { return t.AddDate(0, 0, 1) }},
			{"2006-01", func(t time.Time) time.Time { return t.AddDate(0, 1, 0) }},
			{"2006", func(t time.Time) time.Time { return t.AddDate(1, 0, 0) }},
		} {
			if t, err := time.Parse(f.layout, d); err == nil {
				return f.next(t).Add(-time.Nanosecond), "event date " + d
			}
		}
		if t, err := time.Parse(time.RFC3339, d); err == nil {
			return t, "event date " + d
		}
	}
	if a.Published != nil && !a.Published.IsZero() {
		return *a.Published, "published " + a.Published.UTC().Format("2006-01-02")
	}
	if !a.Fetched.IsZero() {
		return a.Fetched, "fetched " + a.Fetched.UTC().Format("2006-01-02")
	}
	return time.Time{}, ""
}

// matchEvent checks one event against the event conditions and returns a
// reason when it holds.
func (c *compiledRule) matchEvent(v *view, ev *article.Event, evv *eventView, now time.Time) (string, *MatchedEntity, bool) {
	ec := c.events
	if c.types != nil && !c.types[ev.Type] {
		return "", nil, false
	}
	if c.status != nil && !c.status[ev.Status] {
		return "", nil, false
	}
	if ec.MinKilled > 0 && (ev.Killed == nil || *ev.Killed < ec.MinKilled) {
		return "", nil, false
	}
	if ec.MinInjured > 0 && (ev.Injured == nil || *ev.Injured < ec.MinInjured) {
		return "", nil, false
	}
	var dateWhy string
	if c.window > 0 {
		if evv.date.IsZero() || evv.date.Before(now.Add(-c.window)) {
			return "", nil, false
		}
		dateWhy = evv.dateWhy
	}
	var place *MatchedEntity
	if c.places != nil {
		me, ok := c.eventPlace(v, ev, evv)
		if !ok {
			return "", nil, false
		}
		place = &me
	}
	var b strings.Builder
	fmt.Fprintf(&b, "event %s", ev.Type)
	if ev.Place != nil && *ev.Place != "" {
		fmt.Fprintf(&b, " in %s", *ev.Place)
	}
	if ev.Date != nil && *ev.Date != "" {
		fmt.Fprintf(&b, " on %s", *ev.Date)
	}
	var conds []string
	if c.types != nil {
		conds = append(conds, "type "+ev.Type)
	}
	if c.status != nil {
		conds = append(conds, "status "+ev.Status)
	}
	if ec.MinKilled > 0 {
		conds = append(conds, fmt.Sprintf("killed %d >= %d", *ev.Killed, ec.MinKilled))
	}
	if ec.MinInjured > 0 {
		conds = append(conds, fmt.Sprintf("injured %d >= %d", *ev.Injured, ec.MinInjured))
	}
	if c.window > 0 {
		conds = append(conds, fmt.Sprintf("%s within %s", dateWhy, ec.Within))
	}
	if place != nil {
		conds = append(conds, fmt.Sprintf("place %s (%s)", place.Name, place.Via))
	}
	if len(conds) > 0 {
		b.WriteString(": " + strings.Join(conds, ", "))
	}
	return b.String(), place, true
}

// eval matches one compiled rule against a prepared article.
func (c *compiledRule) eval(v *view, now time.Time) (Match, bool) {
	var m Match
	for _, cond := range []struct {
		kind article.EntityKind
		es   []entityView
		set  nameSet
	}{
		{article.KindPerson, v.people, c.people},
		{article.KindGroup, v.groups, c.groups},
	} {
		if cond.set == nil {
			continue
		}
		found := matchEntities(cond.kind, cond.es, cond.set)
		if len(found) == 0 {
			return Match{}, false
		}
		m.Entities = append(m.Entities, found...)
	}
	if c.places != nil && c.events == nil {
		var found []MatchedEntity
		for i := range v.places {
			if me, ok := placeIn(&v.places[i], c.places, v.country); ok {
				found = append(found, me)
			}
		}
		if len(found) == 0 {
			return Match{}, false
		}
		m.Entities = append(m.Entities, found...)
	}
	var eventReasons []string
	if c.events != nil {
		for i := range v.a.Events {
			ev := &v.a.Events[i]
			why, place, ok := c.matchEvent(v, ev, &v.events[i], now)
			if !ok {
				continue
			}
			m.Events = append(m.Events, *ev)
			eventReasons = append(eventReasons, why)
			if place != nil && !hasEntity(m.Entities, *place) {
				m.Entities = append(m.Entities, *place)
			}
		}
		if len(m.Events) == 0 {
			return Match{}, false
		}
	}
	if c.query != nil && !c.query.MatchIn(v.text) {
		return Match{}, false
	}
	// Only matches pay for the explanation.
	m.Rule, m.Description = c.rule.Name, c.rule.Description
	perKind := map[article.EntityKind]int{}
	for _, e := range m.Entities {
		if e.Kind == article.KindPlace && c.events != nil {
			continue // explained with its event
		}
		if perKind[e.Kind]++; perKind[e.Kind] > maxReasonsPerKind {
			continue
		}
		m.Reasons = append(m.Reasons, fmt.Sprintf("%s %q matched %s (%s)", e.Kind, e.Condition, e.Name, e.Via))
	}
	for _, k := range []article.EntityKind{article.KindPerson, article.KindGroup, article.KindPlace} {
		if n := perKind[k] - maxReasonsPerKind; n > 0 {
			m.Reasons = append(m.Reasons, fmt.Sprintf("and %d more matching %s entities (see entities)", n, k))
		}
	}
	m.Reasons = append(m.Reasons, eventReasons...)
	if c.query != nil {
		m.Reasons = append(m.Reasons, fmt.Sprintf("query %q matched", c.rule.Query))
	}
	return m, true
}

func hasEntity(es []MatchedEntity, e MatchedEntity) bool {
	for _, x := range es {
		if x.Kind == e.Kind && x.Name == e.Name && x.Condition == e.Condition {
			return true
		}
	}
	return false
}

// Evaluate returns the rules that match a, in rule order, with the reasons.
// It is pure apart from reading the clock for date windows, and safe for
// concurrent use.
func (rs *RuleSet) Evaluate(a *article.Enriched) []Match {
	if rs == nil {
		return nil
	}
	return rs.EvaluateAt(a, rs.now())
}

// EvaluateAt is Evaluate with date windows relative to now.
func (rs *RuleSet) EvaluateAt(a *article.Enriched, now time.Time) []Match {
	if rs == nil || a == nil || len(rs.rules) == 0 {
		return nil
	}
	v := newView(a)
	var out []Match
	for _, c := range rs.rules {
		if m, ok := c.eval(v, now); ok {
			out = append(out, m)
		}
	}
	return out
}
