package events

import (
	"regexp"
	"sort"
	"strings"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/article"
)

// mention is an entity mention with its canonical name resolved.
type mention struct {
	name       string
	kind       article.EntityKind
	group      string // Entity.Kind of a group ("militant", "police", ...)
	place      *article.Place
	start, end int
	sentence   int
	// demonym marks a place named by its adjective ("a Russian jet", "the
	// Afghan city of"): it says whose, not where.
	demonym bool
}

// mentionsOf resolves the Document's mentions to canonical names through
// Mention.EntityID and Out.People/Groups/Places, keeping the mention text
// when there is no entity behind it.
func mentionsOf(d *extractors.Document, sents []sent) []mention {
	people := map[string]*article.Entity{}
	groups := map[string]*article.Entity{}
	places := map[string]*article.Place{}
	if d.Out != nil {
		for i := range d.Out.People {
			people[d.Out.People[i].ID] = &d.Out.People[i]
		}
		for i := range d.Out.Groups {
			groups[d.Out.Groups[i].ID] = &d.Out.Groups[i]
		}
		for i := range d.Out.Places {
			places[d.Out.Places[i].ID] = &d.Out.Places[i]
		}
	}
	out := make([]mention, 0, len(d.Mentions))
	for _, m := range d.Mentions {
		if m.Start < 0 || m.End > len(d.Text) || m.Start >= m.End {
			continue // a bad offset from upstream: skip the mention, keep the rest
		}
		// Place mentions by their offsets: the sentence index upstream gave
		// may come from another segmentation.
		mm := mention{name: m.Text, kind: m.Kind, start: m.Start, end: m.End, sentence: sentenceAt(sents, m.Start)}
		if mm.sentence < 0 || m.End > sents[mm.sentence].end {
			continue
		}
		switch m.Kind {
		case article.KindPerson:
			if e := people[m.EntityID]; e != nil {
				mm.name = e.Name
			}
		case article.KindGroup:
			if e := groups[m.EntityID]; e != nil {
				mm.name, mm.group = e.Name, e.Kind
			}
			if commonNoun(m.Text) || commonNoun(mm.name) {
				continue // "Death toll rises": a headline word, not an actor
			}
		case article.KindPlace:
			if p := places[m.EntityID]; p != nil {
				mm.name, mm.place = p.Name, p
			}
			mm.demonym = demonym(m.Text, mm.name, d.Text[m.End:])
		}
		out = append(out, mm)
	}
	return out
}

// sentenceAt returns the index of the sentence holding byte off, or -1.
func sentenceAt(sents []sent, off int) int {
	i := sort.Search(len(sents), func(i int) bool { return sents[i].end > off })
	if i < len(sents) && off >= sents[i].start {
		return i
	}
	return -1
}

// modifierGap reports whether the text between a place and a trigger
// (Document offsets from, to) holds only modifiers: "the Moscow concert hall
// attack", not "an Uzbek national carried out a bombing".
func modifierGap(s *sent, from, to int) bool {
	if to-from > 30 || strings.ContainsAny(s.text[from-s.start:to-s.start], ",;:.()") {
		return false
	}
	n := 0
	for _, t := range s.toks {
		if t.start < from || t.end > to {
			continue
		}
		n++
		if t.tag != "" && !strings.HasPrefix(t.tag, "NN") && !strings.HasPrefix(t.tag, "JJ") && t.tag != "POS" && t.tag != "HYPH" {
			return false
		}
	}
	return n <= 3
}

// locative reports whether the text before a place ends with a locative
// preposition.
func locative(before string) bool {
	f := strings.Fields(before)
	if len(f) == 0 {
		return false
	}
	switch strings.ToLower(f[len(f)-1]) {
	case "in", "at", "near", "outside", "inside", "across", "throughout", "into", "to", "of":
		return true
	}
	return false
}

// locativeArticle is locative allowing an article between the preposition
// and the place: "police in the Netherlands".
func locativeArticle(before string) bool {
	f := strings.Fields(before)
	if n := len(f); n >= 2 && strings.EqualFold(f[n-1], "the") {
		before = strings.Join(f[:n-1], " ")
	}
	return locative(before)
}

// origin reports text between a trigger and a place that makes the place
// where people come from: "arrested two men from Ruritania", "a suspect who
// had travelled from Syria". "From" right after the trigger is the place of
// the act itself ("an attack from Gaza").
// A list continues it: "men from Ruritania, Freedonia and Sylvania".
func origin(between string) bool {
	f := strings.Fields(between)
	for i := len(f) - 1; i >= 1; i-- {
		w := f[i]
		switch {
		case strings.EqualFold(w, "from"):
			return true
		case w == "and" || w == "or" || w == "&":
		case strings.HasSuffix(w, ",") && len(w) > 1 && w[0] >= 'A' && w[0] <= 'Z':
			// "Ruritania," inside the list
		default:
			return false
		}
	}
	return false
}

// placeWindow is how many bytes after a trigger a place is taken as the
// trigger's own.
const placeWindow = 60

// placeRank orders place kinds from least to most specific.
func placeRank(p mention) int {
	if p.place == nil {
		return 3 // unresolved: probably a town the gazetteer lacks
	}
	switch p.place.Kind {
	case "facility":
		return 6
	case "city":
		return 5
	case "admin":
		return 4
	case "country":
		return 2
	case "region":
		return 1
	}
	return 0
}

// bestPlace picks the most specific place mention, nearest the trigger on
// ties; places only named as a nationality or an origin are not skipped here
// because mentions come from the recogniser.
func bestPlace(ms []mention, at int, s *sent) (mention, bool) {
	// Places just after the trigger ("a bombing in Kerman, Iran") or just
	// before it ("the Moscow attack") belong to it; elsewhere in the
	// sentence only places in a locative phrase ("in Kabul") do, not
	// nationalities and actors ("US officials said").
	var near, loc, dem, from []mention
	for _, m := range ms {
		if m.kind == article.KindPlace && m.demonym && m.start >= at && at >= 0 && m.start-at <= placeWindow && cityOf(s.text[m.end-s.start:]) {
			dem = append(dem, m) // "in the Iranian city of Kerman": at least Iran
		}
		if m.kind != article.KindPlace || m.demonym {
			continue
		}
		switch {
		case at < 0:
			// No trigger in this sentence (context): locative places only.
			if locative(s.text[:m.start-s.start]) {
				loc = append(loc, m)
			}
		case at >= 0 && m.start >= at && hypothetical(s.text[at-s.start:m.start-s.start]):
			// "the attacks might push it to strike in France": a place
			// after a modal is where something may happen.
		case at >= 0 && m.end <= at && modifierGap(s, m.end, at) && actorCountry(m) && !locativeArticle(s.text[:m.start-s.start]):
			// "a U.S. drone strike": whose, not where. "Police in Germany
			// arrested": where.
		case m.start >= at && m.start-at <= placeWindow && !strings.ContainsAny(s.text[at-s.start:m.start-s.start], ";:") &&
			origin(s.text[at-s.start:m.start-s.start]):
			// "arrested two men from Ruritania": where they came from,
			// taken only when the sentence names no other place.
			from = append(from, m)
		case m.start >= at && m.start-at <= placeWindow && !strings.ContainsAny(s.text[at-s.start:m.start-s.start], ";:"):
			near = append(near, m)
		case m.end <= at && modifierGap(s, m.end, at):
			near = append(near, m)
		case locative(s.text[:m.start-s.start]):
			loc = append(loc, m)
		}
	}
	switch {
	case len(near) > 0:
		ms = near
	case len(loc) > 0:
		ms = loc
	case len(dem) > 0:
		ms = dem
	default:
		ms = from
	}
	var best mention
	found := false
	for _, m := range ms {
		if m.kind != article.KindPlace {
			continue
		}
		if !found || placeRank(m) > placeRank(best) ||
			(placeRank(m) == placeRank(best) && abs(m.start-at) < abs(best.start-at)) {
			best, found = m, true
		}
	}
	return best, found
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}

// actorGroupKinds are group kinds that act for the state: they arrest and
// raid, and are targets rather than perpetrators of attacks.
func stateActor(m mention) bool {
	switch m.group {
	case "government", "agency", "military", "police", "international", "media", "university", "think_tank":
		return true
	}
	n := strings.ToLower(m.name)
	for _, w := range []string{"police", "ministry", "government", "army", "forces", "agency", "intelligence", "service", "fbi", "prosecutor", "court"} {
		if strings.Contains(n, w) {
			return true
		}
	}
	return false
}

// lawEnforcement reports a group that can arrest and raid.
func lawEnforcement(m mention) bool {
	switch m.group {
	case "government", "agency", "military", "police":
		return true
	case "":
		n := strings.ToLower(m.name)
		for _, w := range []string{"police", "ministry", "army", "forces", "agency", "fbi", "prosecutor", "guard", "gendarmerie", "fsb", "service"} {
			if strings.Contains(n, w) {
				return true
			}
		}
	}
	return false
}

var claimRe = regexp.MustCompile(`(?i)\b(claimed|claims|claim|claiming)\s+(?:(?:the\s+)?responsibility|credit)\b|\bclaimed\s+(?:the|this|that)\s+(?:attack|bombing|killing|shooting|assault)`)

// describeRe finds descriptions of perpetrators when no entity is named.
var describeRe = regexp.MustCompile(`(?i)\b((?:a|an|the|two|three|four|several|armed|masked|suspected|unidentified|unknown|islamist|jihadist|lone)\s+)*?(gunman|gunmen|men|suicide bombers?|bombers?|attackers?|assailants?|militants?|jihadists?|insurgents?|terrorists?|extremists?|knifeman|shooter)\b`)

// targetRe finds the target phrase after a trigger: "on a church", "against
// worshippers", "targeting a concert hall".
var targetRe = regexp.MustCompile(`(?i)^\s*(?:\S+\s+){0,2}?(?:on|against|targeting|targeted|at|inside)\s+((?:(?:a|an|the|two|three|several|crowded|packed)\s+)?(?:[A-Za-z’'-]+\s+){0,3}?(?:church|mosque|synagogue|temple|shrine|concert hall|hall|theatre|theater|market|school|hospital|embassy|checkpoint|base|station|airport|hotel|stadium|office|offices|headquarters|convoy|bus|train|police station|police officers|officers|soldiers|troops|worshippers|civilians|pilgrims|tourists|crowd|crowds|mourners|festival|rally|parade|newspaper|magazine|cafe|restaurant|bar|nightclub|club|ceremony|procession|memorial|cemetery|venue|barracks|prison|parliament|court|consulate|supermarket|mall|village|camp|compound|gathering))\b`)

// fillActors sets Perpetrators, Targets and ClaimedBy from the sentence
// mentions and wording around trigger tr.
func fillActors(e *article.Event, s sent, tr Trigger, ms []mention) {
	rest := s.text[tr.End-s.start:]
	switch e.Type {
	case article.EventArrest, article.EventRaid:
		for _, m := range ms {
			switch {
			case m.kind == article.KindGroup && lawEnforcement(m):
				e.Perpetrators = appendUniq(e.Perpetrators, m.name)
			case m.kind == article.KindPerson && m.start > tr.Start:
				e.Targets = appendUniq(e.Targets, m.name)
			case m.kind == article.KindGroup && !stateActor(m) && m.start > tr.Start:
				e.Targets = appendUniq(e.Targets, m.name)
			}
		}
		if len(e.Perpetrators) == 0 && policeWord(s.text) != "" {
			e.Perpetrators = []string{policeWord(s.text)}
		}
		return
	case article.EventWarning, article.EventThreatLevel:
		if e.Type == article.EventThreatLevel && e.Place == nil {
			// The country that changes its level is the subject: "France
			// raised its threat level".
			for _, m := range ms {
				if m.kind == article.KindPlace && m.start < tr.Start {
					setPlace(e, m)
					break
				}
			}
		}
		for _, m := range ms {
			if m.start < tr.Start && (m.kind == article.KindPerson || (m.kind == article.KindGroup && stateActor(m))) {
				e.Perpetrators = appendUniq(e.Perpetrators, m.name)
			}
		}
		if len(e.Perpetrators) == 0 {
			if w := officialWord(s.text[:tr.Start-s.start]); w != "" {
				e.Perpetrators = []string{w}
			}
		}
		return
	}
	if loc := claimRe.FindStringIndex(s.text); loc != nil {
		for _, m := range ms {
			if m.kind == article.KindGroup && !stateActor(m) && m.start-s.start < loc[0] {
				e.ClaimedBy = appendUniq(e.ClaimedBy, m.name)
			}
		}
	}
	for _, m := range ms {
		if m.kind != article.KindGroup || stateActor(m) {
			continue
		}
		// "ISIS attack", "an attack by ISIS", "ISIS carried out", "ISIS-K was responsible"
		rel := m.start - s.start
		if m.end <= tr.Start || strings.Contains(strings.ToLower(between(s, tr.End, m.start)), "by") {
			_ = rel
			e.Perpetrators = appendUniq(e.Perpetrators, m.name)
		}
	}
	for _, c := range e.ClaimedBy {
		e.Perpetrators = appendUniq(e.Perpetrators, c)
	}
	if len(e.Perpetrators) == 0 {
		for _, loc := range describeRe.FindAllStringIndex(s.text, -1) {
			if modifiesEvent(s.text[loc[1]:]) {
				continue // "terrorist attack", "militant raid": an adjective
			}
			e.Perpetrators = []string{strings.TrimSpace(s.text[loc[0]:loc[1]])}
			break
		}
	}
	for _, m := range ms {
		if m.kind != article.KindPerson {
			continue
		}
		// "shot Jerry Ortiz", "Ortiz was shot": the person named is the
		// victim.
		after := m.start >= tr.End && strings.TrimSpace(between(s, tr.End, m.start)) == ""
		passive := false
		if m.end <= tr.Start {
			switch strings.ToLower(strings.TrimSpace(between(s, m.end, tr.Start))) {
			case "was", "were", "has been", "had been", "is", "was fatally", "was reportedly":
				passive = true
			}
		}
		if after || passive {
			e.Targets = appendUniq(e.Targets, m.name)
		}
	}
	if m := targetRe.FindStringSubmatch(rest); m != nil {
		e.Targets = appendUniq(e.Targets, strings.TrimSpace(m[1]))
	}
	for _, m := range ms {
		if m.kind == article.KindGroup && stateActor(m) && m.start > tr.Start &&
			strings.Contains(strings.ToLower(between(s, tr.End, m.start)), "on") {
			e.Targets = appendUniq(e.Targets, m.name)
		}
	}
}

func between(s sent, a, b int) string {
	if a >= b || a < s.start || b > s.end {
		return ""
	}
	return s.text[a-s.start : b-s.start]
}

func appendUniq(xs []string, x string) []string {
	for _, y := range xs {
		if strings.EqualFold(y, x) {
			return xs
		}
	}
	return append(xs, x)
}

var policeRe = regexp.MustCompile(`(?i)\b(counter-terrorism police|counterterrorism police|anti-terror police|police|security forces|security services|security service|intelligence services|special forces|prosecutors|authorities|troops|soldiers)\b`)

func policeWord(s string) string { return strings.ToLower(policeRe.FindString(s)) }

var officialRe = regexp.MustCompile(`(?i)\b((?:intelligence|security|counter-?terrorism|government|us|u\.s\.|european|french|british|german)\s+)?(officials?|agencies|services|authorities|ministers?|experts|analysts|police)\b`)

func officialWord(s string) string {
	m := officialRe.FindAllString(s, -1)
	if len(m) == 0 {
		return ""
	}
	return strings.ToLower(m[len(m)-1])
}

// modifiesEvent reports whether the next word is an event noun, making the
// word before it an adjective ("terrorist attack").
func modifiesEvent(rest string) bool {
	f := strings.Fields(rest)
	if len(f) == 0 {
		return false
	}
	w := strings.ToLower(strings.Trim(f[0], ".,;:"))
	switch w {
	case "attack", "attacks", "bombing", "bombings", "plot", "plots", "raid", "raids", "assault", "assaults", "massacre", "violence", "threat", "threats", "group", "groups", "organisation", "organization", "cell", "cells", "network", "networks", "activity", "propaganda", "offences", "offenses", "charges":
		return true
	}
	return false
}

// demonym reports a place mention that is an adjective: its words differ
// from the place's name, end like a demonym, and a lowercase word follows
// ("Russian charter jet", "Afghan city").
func demonym(text, name, rest string) bool {
	if strings.EqualFold(text, name) {
		return false
	}
	l := strings.ToLower(text)
	if !(strings.HasSuffix(l, "n") || strings.HasSuffix(l, "ese") || strings.HasSuffix(l, "ish") || strings.HasSuffix(l, "i") || strings.HasSuffix(l, "ch") || strings.HasSuffix(l, "k")) {
		return false
	}
	f := strings.Fields(rest)
	if len(f) == 0 {
		return false
	}
	r := []rune(f[0])
	return len(r) > 0 && r[0] >= 'a' && r[0] <= 'z'
}

// cityOf reports text that goes on "city of", "town of", "capital": the
// demonym before it names the country the place is in.
func cityOf(rest string) bool {
	f := strings.Fields(rest)
	if len(f) == 0 {
		return false
	}
	switch strings.ToLower(strings.Trim(f[0], ",.")) {
	case "city", "town", "capital", "province", "village", "region", "port", "border":
		return true
	}
	return false
}

// actorCountry reports a country named right before an event noun: "a U.S.
// drone strike", "Israeli airstrikes", "a Turkish raid" tell who acted, not
// where. Cities keep their place ("the Moscow attack").
func actorCountry(m mention) bool {
	return m.place != nil && m.place.Kind == "country"
}

// hypothetical reports text between a trigger and a later place that turns
// the place into a possibility: a modal or a word of intent.
func hypothetical(between string) bool {
	for _, w := range strings.Fields(strings.ToLower(between)) {
		switch strings.Trim(w, ",.;:\"“”") {
		case "might", "could", "would", "may", "will", "should", "encourage", "inspire", "threaten", "threatened", "threatens", "attempting", "seeking", "hoping":
			return true
		}
	}
	return false
}

// commonNoun reports a one-word name that is an ordinary noun of incident
// reporting, capitalised at the start of a sentence or a headline ("Death
// toll rises", "Terror in the city"), which the recogniser may have taken
// for a group: it is never an actor.
func commonNoun(name string) bool {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "death", "deaths", "dead", "toll", "terror", "fear", "fears", "horror", "carnage", "blood", "bloodshed", "panic",
		"chaos", "tragedy", "grief", "mourning", "violence", "massacre", "mayhem", "revenge", "attack", "attacks", "bomb",
		"blast", "explosion", "shooting", "gunfire", "breaking", "update", "live", "exclusive", "analysis", "opinion", "watch":
		return true
	}
	return false
}
