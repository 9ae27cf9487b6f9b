package events

import (
	"math"
	"strings"

	"github.com/newswire/newswire/extractors/dates"
	"github.com/newswire/newswire/pipeline/article"
)

// maxEvidence bounds the sentences kept as evidence of a merged event.
const maxEvidence = 3

// Merge merges the events of one article that report the same incident (a
// headline, a lead and a recap), in order: each event joins the latest
// earlier event it is compatible with, keeping the most specific fields.
func Merge(evs []article.Event) []article.Event { return merge(evs, nil) }

// merge is Merge knowing the kind of each place by name ("city",
// "country"), so that a city and its country agree but two cities do not.
func merge(evs []article.Event, kinds map[string]string) []article.Event {
	var out []article.Event
	for _, e := range evs {
		target := -1
		for j := len(out) - 1; j >= 0; j-- {
			if !compatible(out[j], e, false, kinds) {
				continue
			}
			if target < 0 {
				target = j
			}
			// A mention that names its place joins the event of that place
			// before a later placeless one.
			if e.Place != nil && out[j].Place != nil && strings.EqualFold(*e.Place, *out[j].Place) {
				target = j
				break
			}
		}
		if target >= 0 {
			out[target] = mergeInto(out[target], e)
		} else {
			out = append(out, e)
		}
	}
	return out
}

// SameIncident reports whether two events, from one article or from two,
// report the same incident: the same type family and status, dates and
// places that agree, actors that do not contradict (different named
// perpetrators do, unless one name extends the other: a group and its
// branch), and at least one of date or place known on both sides. Link
// calls it for the candidates of its blocks.
func SameIncident(a, b article.Event) bool { return compatible(a, b, true, nil) }

// Key is a coarse grouping key for linking events across articles: the type
// family, the country and the year of the event ("assault|RU|2024"). Events
// with the same incident share it when their country and year are known;
// compare candidates within a group with SameIncident.
func Key(e article.Event) string {
	cc, y := "", ""
	if e.CountryCode != nil {
		cc = *e.CountryCode
	}
	if e.Date != nil && len(*e.Date) >= 4 {
		y = (*e.Date)[:4]
	}
	return Family(e.Type) + "|" + cc + "|" + y
}

func compatible(a, b article.Event, strict bool, kinds map[string]string) bool {
	if Family(a.Type) != Family(b.Type) {
		return false
	}
	if a.Type == article.EventWarning || a.Type == article.EventThreatLevel {
		// Warnings are statements; merge repeated ones only when they agree
		// on issuer.
		if !overlap(a.Perpetrators, b.Perpetrators) {
			return false
		}
	}
	if activeStatus(a.Status) != activeStatus(b.Status) {
		return false
	}
	if a.Date != nil && b.Date != nil && !dates.Compatible(*a.Date, *b.Date) {
		return false
	}
	if a.Place != nil && b.Place != nil && !samePlace(a, b, kinds) {
		return false
	}
	// Across articles, different named perpetrators mean different
	// incidents. Within one, they are often a group and its branch ("ISIS",
	// "ISIS-K") named in turn, so place and date decide.
	// A group and a branch named by extending its name ("Islamic State",
	// "Islamic State Khorasan Province") do not contradict either.
	if strict && len(a.Perpetrators) > 0 && len(b.Perpetrators) > 0 && !related(a.Perpetrators, b.Perpetrators) && isNamed(a.Perpetrators) && isNamed(b.Perpetrators) {
		return false
	}
	if a.Killed != nil && b.Killed != nil && !near(*a.Killed, *b.Killed) {
		return false
	}
	dateBoth := a.Date != nil && b.Date != nil
	placeBoth := a.Place != nil && b.Place != nil
	if strict {
		return dateBoth || placeBoth
	}
	// Within an article, nothing contradicts: merge when something agrees,
	// or when the later mention refers back ("the attack", "Friday's
	// bombing"). A shared perpetrator alone is not enough: an article about
	// a group tells many of its attacks.
	return dateBoth || placeBoth || (a.Killed != nil && b.Killed != nil && *a.Killed == *b.Killed) || anaphoric(b)
}

// anaphoric reports whether an event's trigger refers back to an incident
// already told: "the attack", "this bombing", "Friday's shooting".
func anaphoric(e article.Event) bool {
	ev, _, _ := strings.Cut(e.Evidence, "\n")
	i := strings.Index(ev, e.Trigger)
	if i <= 0 || e.Trigger == "" {
		return false
	}
	after := strings.Fields(ev[i+len(e.Trigger):])
	if len(after) > 0 {
		switch strings.ToLower(after[0]) {
		case "that", "which", "who", "in", "at", "on":
			// "the bomb that brought down a jet", "the attack in Sinai": a
			// definite description of its own, not a reference back.
			return false
		}
	}
	words := strings.Fields(ev[:i])
	for k := len(words) - 1; k >= 0 && k >= len(words)-3; k-- {
		w := strings.ToLower(strings.Trim(words[k], ",;:\"“”"))
		switch {
		case w == "the" || w == "this" || w == "that" || w == "its" || w == "their" || w == "latest" || w == "recent":
			return true
		case strings.HasSuffix(w, "'s") || strings.HasSuffix(w, "’s"):
			return true
		case w == "a" || w == "an" || w == "another" || w == "one" || w == "and" || w == "of":
			return false
		}
	}
	return false
}

// activeStatus folds the statuses into done (carried out or failed) and not.
func activeStatus(s string) bool { return s == "carried_out" || s == "failed" || s == "" }

// nearKm is the distance under which two named places are taken for one
// incident's place (a city and the suburb the venue is in).
const nearKm = 30

func samePlace(a, b article.Event, kinds map[string]string) bool {
	if strings.EqualFold(*a.Place, *b.Place) {
		return true
	}
	// A city and its country agree when the country codes do.
	if broad(kinds[*a.Place]) || broad(kinds[*b.Place]) {
		return a.CountryCode == nil || b.CountryCode == nil || *a.CountryCode == *b.CountryCode
	}
	if a.Lat != nil && a.Lon != nil && b.Lat != nil && b.Lon != nil {
		return km(*a.Lat, *a.Lon, *b.Lat, *b.Lon) < nearKm
	}
	return false
}

func broad(kind string) bool { return kind == "country" || kind == "region" || kind == "continent" }

// km is the great-circle distance between two points.
func km(lat1, lon1, lat2, lon2 float64) float64 {
	const r = 6371.0
	rad := math.Pi / 180
	dlat, dlon := (lat2-lat1)*rad, (lon2-lon1)*rad
	h := math.Sin(dlat/2)*math.Sin(dlat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dlon/2)*math.Sin(dlon/2)
	return 2 * r * math.Asin(math.Min(1, math.Sqrt(h)))
}

// near accepts tolls that differ as reports do as counts rise: within a
// factor of three.
func near(a, b int) bool {
	if a == 0 || b == 0 {
		return a == b
	}
	if a > b {
		a, b = b, a
	}
	return b <= 3*a
}

// related reports actors that may be one another: the same name, or one
// name extending the other at a word boundary ("Crimson Front" and "Crimson
// Front Northern Brigade", "ISIS" and "ISIS-K"), as a group and its branch.
func related(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if strings.EqualFold(x, y) || extends(x, y) || extends(y, x) {
				return true
			}
		}
	}
	return false
}

// extends reports whether long is short followed by a space or hyphen and
// more words.
func extends(long, short string) bool {
	if len(short) < 3 || len(long) <= len(short)+1 || !strings.EqualFold(long[:len(short)], short) {
		return false
	}
	switch long[len(short)] {
	case ' ', '-':
		return true
	}
	return false
}

func overlap(a, b []string) bool {
	for _, x := range a {
		for _, y := range b {
			if strings.EqualFold(x, y) {
				return true
			}
		}
	}
	return false
}

// isNamed tells named actors from descriptions ("gunmen"): descriptions never
// contradict a name.
func isNamed(xs []string) bool {
	for _, x := range xs {
		if x != "" && x[0] >= 'A' && x[0] <= 'Z' {
			return true
		}
	}
	return false
}

func mergeInto(a, b article.Event) article.Event {
	// Copy the slices: a may share them with a caller's event.
	a.Perpetrators = append([]string(nil), a.Perpetrators...)
	a.Targets = append([]string(nil), a.Targets...)
	a.ClaimedBy = append([]string(nil), a.ClaimedBy...)
	if rank(b.Type) > rank(a.Type) {
		a.Type, a.Trigger = b.Type, b.Trigger
		if b.Subtype != "" {
			a.Subtype = b.Subtype
		}
	}
	if a.Subtype == "" {
		a.Subtype = b.Subtype
	}
	if b.Date != nil && (a.Date == nil || len(*b.Date) > len(*a.Date)) {
		a.Date, a.DateText, a.DatePrecision = b.Date, b.DateText, b.DatePrecision
	}
	if b.Place != nil && (a.Place == nil || (a.Lat == nil && b.Lat != nil)) {
		a.Place, a.CountryCode, a.Lat, a.Lon = b.Place, b.CountryCode, b.Lat, b.Lon
	}
	if a.CountryCode == nil {
		a.CountryCode = b.CountryCode
	}
	for _, p := range b.Perpetrators {
		a.Perpetrators = appendUniq(a.Perpetrators, p)
	}
	a.Perpetrators = dropDescriptions(a.Perpetrators)
	for _, t := range b.Targets {
		a.Targets = appendUniq(a.Targets, t)
	}
	for _, c := range b.ClaimedBy {
		a.ClaimedBy = appendUniq(a.ClaimedBy, c)
	}
	a.Killed, a.KilledDetail = better(a.Killed, a.KilledDetail, b.Killed, b.KilledDetail)
	a.Injured, a.InjuredDetail = better(a.Injured, a.InjuredDetail, b.Injured, b.InjuredDetail)
	if strings.Count(a.Evidence, "\n")+1 < maxEvidence && !strings.Contains(a.Evidence, b.Evidence) {
		a.Evidence += "\n" + b.Evidence
	}
	a.Confidence = min(1, max(a.Confidence, b.Confidence)+0.05)
	return a
}

// dropDescriptions removes descriptions ("gunmen") once a named actor is
// known.
func dropDescriptions(xs []string) []string {
	if !isNamed(xs) {
		return xs
	}
	out := make([]string, 0, len(xs)) // xs may share its array with a report
	for _, x := range xs {
		if x != "" && x[0] >= 'A' && x[0] <= 'Z' {
			out = append(out, x)
		}
	}
	return out
}

// better keeps the larger count, the one with a value over a vague one.
func better(av *int, ad *article.Count, bv *int, bd *article.Count) (*int, *article.Count) {
	switch {
	case ad == nil:
		return bv, bd
	case bd == nil:
		return av, ad
	case av == nil && bv != nil:
		return bv, bd
	case av != nil && bv != nil && *bv > *av:
		return bv, bd
	}
	return av, ad
}
