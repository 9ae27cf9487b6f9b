package events

import (
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/newswire/newswire/pipeline/article"
)

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
// the first incident (in order of creation) whose merged event is
// SameIncident with it, else starts a new one.
//
// Link blocks before it compares: SameIncident needs the same type family
// and status, and a date or a place known on both sides that agree, so a
// report is compared only with incidents of its family and status that share
// a date prefix with it ("2024", "2024-01", "2024-01-03"), its place name,
// or a coordinate cell within the 30 km SameIncident allows. The result is
// the same as comparing with every incident (TestLinkBlockedSameAsPairwise);
// the cost grows with the size of the blocks, not the square of the reports.
// Reports dated only by year fall in one block per year.
func Link(reports []Report) []Incident {
	var out []Incident
	blocks := map[blockKey]*block{}
	var cand []int
	for _, r := range reports {
		k := blockKey{Family(r.Event.Type), activeStatus(r.Event.Status)}
		bl := blocks[k]
		if bl == nil {
			bl = newBlock()
			blocks[k] = bl
		}
		cand = bl.candidates(r.Event, cand[:0])
		joined := -1
		for _, i := range cand {
			if SameIncident(out[i].Event, r.Event) {
				joined = i
				break
			}
		}
		if joined < 0 {
			out = append(out, Incident{Event: r.Event, Reports: []Report{r}})
			bl.add(len(out)-1, r.Event)
			continue
		}
		out[joined].Event = mergeInto(out[joined].Event, r.Event)
		out[joined].Reports = append(out[joined].Reports, r)
		// The merged event may have gained a longer date or another place:
		// file it under those too. Stale entries only add candidates, which
		// SameIncident then checks against the current merged event.
		bl.add(joined, out[joined].Event)
	}
	for i := range out {
		for _, r := range out[i].Reports {
			out[i].KilledMin, out[i].KilledMax = widen(out[i].KilledMin, out[i].KilledMax, r.Event.Killed)
			out[i].InjuredMin, out[i].InjuredMax = widen(out[i].InjuredMin, out[i].InjuredMax, r.Event.Injured)
		}
	}
	return out
}

// linkPairwise is Link without blocking: every report against every
// incident. Tests check Link against it.
func linkPairwise(reports []Report) []Incident {
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

// blockKey holds what SameIncident requires equal: the type family and
// whether the event happened. Neither changes as an incident merges reports.
type blockKey struct {
	family string
	active bool
}

// cellDeg is the side of a coordinate cell, in degrees. It is above the
// latitude span of nearKm (0.27°), so a place's neighbours in latitude are in
// its own cell row or the rows next to it.
const cellDeg = 0.5

// lonCells is the number of cells around a parallel.
const lonCells = int(360 / cellDeg)

type cell struct{ lat, lon int }

// block indexes the incidents of one blockKey by every prefix of their
// date, by place name and by coordinate cell. Each list holds incident
// numbers in increasing order, possibly repeated.
type block struct {
	datePrefix map[string][]int // "2024", "2024-0", "2024-01", ... -> incidents whose date starts so
	dateExact  map[string][]int // the incident's date itself
	dated      []int            // every incident with a date, for an empty date
	place      map[string][]int // place name, case-folded as strings.EqualFold does
	cells      map[cell][]int
	oddCoords  []int    // incidents with coordinates off the globe (or NaN)
	seen       []uint32 // scratch for candidates: seen[id] == stamp when taken
	stamp      uint32
}

func newBlock() *block {
	return &block{datePrefix: map[string][]int{}, dateExact: map[string][]int{}, place: map[string][]int{}, cells: map[cell][]int{}}
}

// foldKey maps s to one representative of its strings.EqualFold class: each
// rune becomes the smallest rune of its Unicode simple-folding orbit.
func foldKey(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	for _, r := range s {
		m := r
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			m = min(m, f)
		}
		sb.WriteRune(m)
	}
	return sb.String()
}

// onGlobe reports whether a point has a real latitude and longitude. km
// takes others modulo 360°, so they are compared with every cell.
func onGlobe(lat, lon float64) bool {
	return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
}

func appendID(xs []int, id int) []int {
	if n := len(xs); n > 0 && xs[n-1] == id {
		return xs
	}
	return append(xs, id)
}

// add files incident id under e's date, place and cell.
func (b *block) add(id int, e article.Event) {
	if e.Date != nil {
		d := *e.Date
		for n := 1; n <= len(d); n++ {
			b.datePrefix[d[:n]] = appendID(b.datePrefix[d[:n]], id)
		}
		b.dateExact[d] = appendID(b.dateExact[d], id)
		b.dated = appendID(b.dated, id)
	}
	if e.Place != nil {
		k := foldKey(*e.Place)
		b.place[k] = appendID(b.place[k], id)
	}
	if e.Lat != nil && e.Lon != nil {
		if !onGlobe(*e.Lat, *e.Lon) {
			b.oddCoords = appendID(b.oddCoords, id)
		} else {
			c := cellOf(*e.Lat, *e.Lon)
			b.cells[c] = appendID(b.cells[c], id)
		}
	}
}

// candidates appends, in increasing order and without repeats, every
// incident that could be SameIncident with e: its date is a prefix of e's
// or e's a prefix of it, or its place has e's name or lies in a cell within
// nearKm of e's coordinates. Anything else fails SameIncident.
func (b *block) candidates(e article.Event, out []int) []int {
	b.stamp++
	if b.stamp == 0 { // wrapped: forget every old stamp
		clear(b.seen)
		b.stamp = 1
	}
	take := func(ids []int) {
		for _, id := range ids {
			for id >= len(b.seen) {
				b.seen = append(b.seen, 0)
			}
			if b.seen[id] != b.stamp {
				b.seen[id] = b.stamp
				out = append(out, id)
			}
		}
	}
	if e.Date != nil {
		d := *e.Date
		if d == "" { // dates.Compatible: the empty date agrees with any
			take(b.dated)
		}
		take(b.datePrefix[d])
		for n := 0; n < len(d); n++ {
			take(b.dateExact[d[:n]])
		}
	}
	if e.Place != nil {
		take(b.place[foldKey(*e.Place)])
		if e.Lat != nil && e.Lon != nil {
			take(b.oddCoords)
			if onGlobe(*e.Lat, *e.Lon) {
				b.near(*e.Lat, *e.Lon, take)
			} else {
				for _, ids := range b.cells {
					take(ids)
				}
			}
		}
	}
	slices.Sort(out)
	return out
}

// near calls take with the incidents of every cell that may hold a point
// within nearKm of (lat, lon).
func (b *block) near(lat, lon float64, take func([]int)) {
	c := cellOf(lat, lon)
	// Haversine: d < nearKm needs cos φ1 cos φ2 sin²(Δλ/2) < sin²(nearKm/2R),
	// so |Δλ| < 2 asin(sin(nearKm/2R) / cos φmax) with φmax the largest
	// latitude within reach. One cell of margin covers rounding.
	const r = 6371.0
	dlat := nearKm / r * 180 / math.Pi
	phiMax := math.Min(90, math.Abs(lat)+dlat+cellDeg)
	lonSpan := 360.0
	if cosM := math.Cos(phiMax * math.Pi / 180); cosM > 1e-9 {
		if s := math.Sin(nearKm/(2*r)) / cosM; s < 1 {
			lonSpan = 2 * math.Asin(s) * 180 / math.Pi
		}
	}
	k := int(math.Ceil(lonSpan/cellDeg)) + 1
	rows := int(math.Ceil(dlat / cellDeg)) // 1: a row is wider than dlat
	for dy := -rows; dy <= rows; dy++ {
		if 2*k+1 >= lonCells {
			for x := 0; x < lonCells; x++ {
				take(b.cells[cell{c.lat + dy, x}])
			}
			continue
		}
		for dx := -k; dx <= k; dx++ {
			take(b.cells[cell{c.lat + dy, ((c.lon+dx)%lonCells + lonCells) % lonCells}])
		}
	}
}

// cellOf is the cell of a point on the globe; longitudes wrap around.
func cellOf(lat, lon float64) cell {
	x := int(math.Floor(lon / cellDeg))
	return cell{int(math.Floor(lat / cellDeg)), (x%lonCells + lonCells) % lonCells}
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
