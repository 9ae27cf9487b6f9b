package places

import (
	"math"
)

// Weights of the context evidence for a candidate, in the units of rank
// (a kind's base plus log10 of the population).
const (
	// strongSupport is given when another place of the article contains the
	// candidate or lies in it, or shares its admin area: Texas for Paris,
	// Texas; Atlanta for the state of Georgia; Tbilisi for the country;
	// Dallas for Paris, Texas; Alabama for the state of Georgia.
	strongSupport = 40
	// countrySupport is given when another place of the article is in the
	// candidate's country (or is that country): Madrid or Spain for
	// Valencia, Spain. It outweighs a population ratio of about 30, so it
	// settles Valencia (Spain/Venezuela), Hyderabad (India/Pakistan) and
	// Tripoli (Libya/Lebanon), but not Paris (France is 80 times the Texas
	// town): a mention of the United States alone leaves Paris in France.
	countrySupport = 1.5
	// dominance is the population ratio above which a city is the reading of
	// its name without context, so that it counts as context for others.
	dominance = 10
)

// priors returns the context-free score of each candidate: rank, except
// that the one admin area of a name outranks a city of another country of
// under a million people when no city of its own country has the name
// ("Ontario" is the Canadian province, not the Californian city; "Kabul"
// stays the city).
func priors(cands []*Entry) []float64 {
	ps := make([]float64, len(cands))
	for i, e := range cands {
		ps[i] = rank(e)
	}
	admins := 0
	for _, e := range cands {
		if e.Kind == KindAdmin {
			admins++
		}
	}
	for i, e := range cands {
		if e.Kind != KindAdmin || admins > 1 {
			continue // "Gaza": two governorates, and the city
		}
		foreign := math.Inf(-1)
		own := false
		for j, o := range cands {
			if o.Kind != KindCity {
				continue
			}
			if o.CountryCode == e.CountryCode {
				own = true
				break
			}
			if o.Population < 1_000_000 {
				foreign = math.Max(foreign, ps[j])
			} else {
				foreign = math.Inf(1)
			}
		}
		if !own && !math.IsInf(foreign, 0) && foreign >= ps[i] {
			ps[i] = foreign + 0.01
		}
	}
	return ps
}

// confident returns the reading of a name that needs no context: its only
// country, a continent, country or region with no admin-area rival, or a
// city at least ten times as large as every namesake elsewhere.
func confident(cands []*Entry) (*Entry, bool) {
	if len(cands) == 0 {
		return nil, false
	}
	ps := priors(cands)
	bi := 0
	for i := range cands {
		if ps[i] > ps[bi] {
			bi = i
		}
	}
	best := cands[bi]
	for _, o := range cands {
		if o == best || o.CountryCode == best.CountryCode && best.CountryCode != "" {
			continue
		}
		switch best.Kind {
		case KindCountry, KindContinent, KindRegion:
			if o.Kind == KindAdmin || o.Kind == KindCountry || o.Kind == KindRegion {
				return nil, false
			}
		case KindCity:
			if o.Kind != KindCity || float64(o.Population)*dominance > float64(best.Population) {
				return nil, false
			}
		default:
			return nil, false
		}
	}
	return best, true
}

// support scores how well the other places of an article fit candidate c.
func support(c *Entry, others []*Entry) float64 {
	best := 0.0
	for _, p := range others {
		if p == nil || p == c {
			continue
		}
		if related(c, p) {
			return strongSupport
		}
		if c.CountryCode != "" && p.CountryCode == c.CountryCode {
			best = countrySupport
		} else if p.Kind == KindRegion && p.CountryCode == "" && WithinOf(c, p.Name) {
			best = countrySupport
		}
	}
	return best
}

// related reports whether p contains c, lies in c, or shares c's admin area.
func related(c, p *Entry) bool {
	switch {
	case c.parent != nil && c.parent == p, p.parent != nil && p.parent == c:
		return true
	case c.Kind == KindCountry && p.CountryCode == c.CountryCode:
		return true // Tbilisi for Georgia
	case c.Kind == KindAdmin && p.Kind == KindAdmin && p.CountryCode == c.CountryCode:
		return true // Alabama for Georgia, the state
	case c.Kind == KindAdmin && p.CountryCode == c.CountryCode && p.admin != "" && p.admin == c.admin:
		return true
	case c.Kind == KindCity && p.Kind == KindCity && p.CountryCode == c.CountryCode && c.admin != "" && p.admin == c.admin:
		return true // Dallas for Paris, Texas; Karachi for Hyderabad, Sindh
	case c.Kind == KindRegion && c.CountryCode != "" && p.CountryCode == c.CountryCode && p.Kind != KindCountry:
		return true
	}
	return false
}

// ResolveIn picks the reading of name that best fits others, the places the
// article names elsewhere (nil entries are ignored): the context-free rank
// (kind, then population) plus the support of the other places (see
// strongSupport and countrySupport).
func (g *Gazetteer) ResolveIn(name string, others []*Entry) (*Entry, bool) {
	return pick(g.Candidates(name), others)
}

func pick(cands []*Entry, others []*Entry) (*Entry, bool) {
	var best *Entry
	bestScore := math.Inf(-1)
	for i, p := range priors(cands) {
		s := p + support(cands[i], others)
		if s > bestScore {
			best, bestScore = cands[i], s
		}
	}
	return best, best != nil
}
