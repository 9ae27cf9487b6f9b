package events

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/newswire/newswire/pipeline/article"
)

// genReports makes n random reports, crowded enough that many link: a few
// types of each family, statuses, dates at three precisions over a few
// months, places with and without coordinates (some pairs within 30 km
// under other names, names in other cases, one off the globe, two near the
// pole and the date line), tolls and named or described perpetrators.
func genReports(seed uint64, n int) []Report {
	rng := rand.New(rand.NewPCG(seed, 7))
	types := []string{article.EventAttack, article.EventBombing, article.EventSuicideBomb, article.EventShooting,
		article.EventArrest, article.EventRaid, article.EventWarning, article.EventAirStrike}
	statuses := []string{"", "carried_out", "carried_out", "failed", "foiled", "planned"}
	type pl struct {
		name, cc string
		lat, lon float64
		coords   bool
	}
	places := []pl{
		{"Kerman", "IR", 30.28, 57.08, true}, {"kerman", "IR", 30.28, 57.08, true}, {"Kerman Cemetery", "IR", 30.30, 57.10, true},
		{"Moscow", "RU", 55.75, 37.62, true}, {"Krasnogorsk", "RU", 55.82, 37.33, true}, {"Kabul", "AF", 34.53, 69.17, true},
		{"Lyon", "FR", 45.76, 4.84, true}, {"Villeurbanne", "FR", 45.77, 4.88, true}, {"Paris", "FR", 0, 0, false},
		{"France", "FR", 46.6, 2.4, true}, {"Nowhere", "", 0, 0, false}, {"Taveuni", "FJ", -16.85, 179.99, true},
		{"Rabi", "FJ", -16.80, -179.99, true}, {"North Camp", "", 89.95, 10, true}, {"Pole Station", "", 89.95, -170, true},
		{"Bad Data", "", 390.28, 57.08, true},
	}
	days := []string{"2024-01-03", "2024-01-04", "2024-01-05", "2024-02-10", "2024-03-22", "2024-03-23", "2023-12-31"}
	perps := [][]string{nil, nil, {"ISIS"}, {"ISIS-K"}, {"gunmen"}, {"Hamas"}, {"a man"}}
	out := make([]Report, n)
	for i := range out {
		e := article.Event{Type: types[rng.IntN(len(types))], Status: statuses[rng.IntN(len(statuses))], Evidence: fmt.Sprintf("sentence %d", i)}
		switch rng.IntN(5) {
		case 0: // no date
		case 1:
			d := days[rng.IntN(len(days))][:4]
			e.Date = &d
		case 2:
			d := days[rng.IntN(len(days))][:7]
			e.Date = &d
		default:
			d := days[rng.IntN(len(days))]
			e.Date = &d
		}
		if rng.IntN(4) > 0 {
			p := places[rng.IntN(len(places))]
			e.Place = &p.name
			if p.cc != "" {
				e.CountryCode = &p.cc
			}
			if p.coords {
				lat, lon := p.lat, p.lon
				e.Lat, e.Lon = &lat, &lon
			}
		}
		if rng.IntN(2) == 0 {
			k := rng.IntN(150)
			e.Killed = &k
		}
		if rng.IntN(3) == 0 {
			k := rng.IntN(300)
			e.Injured = &k
		}
		e.Perpetrators = perps[rng.IntN(len(perps))]
		out[i] = Report{ArticleID: fmt.Sprintf("a%04d", i/3), Source: "example.org", Event: e}
	}
	return out
}

func TestLinkBlockedSameAsPairwise(t *testing.T) {
	for _, tc := range []struct {
		name string
		gen  func(uint64, int) []Report
		seed uint64
		n    int
	}{
		{"empty", genReports, 1, 0}, {"one", genReports, 2, 1}, {"small", genReports, 3, 40},
		{"medium", genReports, 4, 600}, {"crowded", genReports, 5, 3000}, {"crowded other seed", genReports, 6, 3000},
		{"news stream", newsReports, 7, 5000},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rs := tc.gen(tc.seed, tc.n)
			want := linkPairwise(rs)
			got := Link(rs)
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("blocked Link differs from pairwise: %d incidents, want %d", len(got), len(want))
			}
			multi := 0
			for _, inc := range got {
				if len(inc.Reports) > 1 {
					multi++
				}
			}
			if tc.n >= 600 && multi < tc.n/50 {
				t.Errorf("only %d incidents link several reports: the generated data does not exercise linking", multi)
			}
		})
	}
}

func TestLinkNearPlaces(t *testing.T) {
	f := func(v float64) *float64 { return &v }
	ev := func(place string, lat, lon float64) article.Event {
		return article.Event{Type: article.EventShooting, Place: sp(place), Lat: f(lat), Lon: f(lon), Killed: ip(2)}
	}
	tests := []struct {
		name string
		a, b article.Event
		want int
	}{
		{"suburb within 30 km", ev("Lyon", 45.76, 4.84), ev("Villeurbanne", 45.77, 4.88), 1},
		{"across the date line", ev("Taveuni", -16.85, 179.99), ev("Rabi", -16.80, -179.99), 1},
		{"across the pole", ev("North Camp", 89.95, 10), ev("Pole Station", 89.95, -170), 1},
		{"far apart", ev("Lyon", 45.76, 4.84), ev("Kabul", 34.53, 69.17), 2},
		{"same name, other case", ev("KABUL", 0, 0), ev("kabul", 34.53, 69.17), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs := []Report{{ArticleID: "1", Event: tt.a}, {ArticleID: "2", Event: tt.b}}
			if got := len(Link(rs)); got != tt.want {
				t.Errorf("incidents = %d, want %d", got, tt.want)
			}
			if got, want := Link(rs), linkPairwise(rs); !reflect.DeepEqual(got, want) {
				t.Errorf("blocked %v, pairwise %v", got, want)
			}
		})
	}
}

// newsReports makes n reports shaped like a news stream: incidents over two
// years at 400 places around the world, most dated to the day, each told by
// one to five outlets with tolls that drift.
func newsReports(seed uint64, n int) []Report {
	rng := rand.New(rand.NewPCG(seed, 11))
	types := []string{article.EventAttack, article.EventBombing, article.EventShooting, article.EventArrest,
		article.EventRaid, article.EventAirStrike, article.EventKidnapping}
	type pl struct {
		name     string
		lat, lon float64
	}
	places := make([]pl, 400)
	for i := range places {
		places[i] = pl{fmt.Sprintf("Town %d", i), rng.Float64()*140 - 70, rng.Float64()*360 - 180}
	}
	var out []Report
	for inc := 0; len(out) < n; inc++ {
		typ := types[rng.IntN(len(types))]
		p := places[rng.IntN(len(places))]
		day := fmt.Sprintf("%d-%02d-%02d", 2023+rng.IntN(2), 1+rng.IntN(12), 1+rng.IntN(28))
		killed := rng.IntN(60)
		for k := 1 + rng.IntN(5); k > 0 && len(out) < n; k-- {
			e := article.Event{Type: typ, Status: "carried_out", Evidence: fmt.Sprintf("incident %d", inc)}
			if rng.IntN(6) > 0 {
				e.Date = &day
			} else {
				m := day[:7]
				e.Date = &m
			}
			if rng.IntN(5) > 0 {
				lat, lon := p.lat, p.lon
				e.Place, e.Lat, e.Lon = &p.name, &lat, &lon
			}
			kk := killed + rng.IntN(killed/4+1)
			e.Killed = &kk
			out = append(out, Report{ArticleID: fmt.Sprintf("a%05d", len(out)), Event: e})
		}
	}
	return out
}

// BenchmarkLink measures cross-article linking, blocked and pairwise, on
// generated news reports. Reported: reports/s.
func BenchmarkLink(b *testing.B) {
	for _, n := range []int{1000, 5000, 20000} {
		rs := newsReports(42, n)
		for _, m := range []struct {
			name string
			fn   func([]Report) []Incident
		}{{"blocked", Link}, {"pairwise", linkPairwise}} {
			if n > 5000 && m.name == "pairwise" {
				continue // seconds per run
			}
			b.Run(fmt.Sprintf("reports=%d/%s", n, m.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					m.fn(rs)
				}
				b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "reports/s")
			})
		}
	}
}
