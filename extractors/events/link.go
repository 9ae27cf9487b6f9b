package events

import "github.com/newswire/newswire/pipeline/article"

// Report is one article's account of an event, for linking across articles.
type Report struct {
	ArticleID string
	Source    string
	Event     article.Event
}

// Incident is one incident as several articles report it.
type Incident struct {
	// Event merges the reports' events, keeping the most specific fields and
	// the largest toll.
	Event article.Event
	// Reports are the accounts linked, in input order; each keeps its own
	// outlet's figures.
	Reports []Report
	// KilledMin..InjuredMax span the integer tolls reported; nil when no
	// report gave one.
	KilledMin, KilledMax   *int
	InjuredMin, InjuredMax *int
}

// Link groups reports of the same incident across articles: a report joins
// the first incident whose merged event is SameIncident with it. It is
// quadratic within a type family; callers with many reports should first
// bucket them, for example by Key and a date window.
func Link(reports []Report) []Incident {
	var out []Incident
	for _, r := range reports {
		joined := false
		for i := range out {
			if SameIncident(out[i].Event, r.Event) {
				out[i].Event = mergeInto(out[i].Event, r.Event)
				out[i].Reports = append(out[i].Reports, r)
				joined = true
				break
			}
		}
		if !joined {
			out = append(out, Incident{Event: r.Event, Reports: []Report{r}})
		}
	}
	for i := range out {
		for _, r := range out[i].Reports {
			out[i].KilledMin, out[i].KilledMax = widen(out[i].KilledMin, out[i].KilledMax, r.Event.Killed)
			out[i].InjuredMin, out[i].InjuredMax = widen(out[i].InjuredMin, out[i].InjuredMax, r.Event.Injured)
		}
	}
	return out
}

func widen(lo, hi, v *int) (*int, *int) {
	if v == nil {
		return lo, hi
	}
	if lo == nil || *v < *lo {
		x := *v
		lo = &x
	}
	if hi == nil || *v > *hi {
		x := *v
		hi = &x
	}
	return lo, hi
}
