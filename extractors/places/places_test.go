package places

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/article"
)

var (
	gazOnce sync.Once
	gaz     *Gazetteer
	gazErr  error
)

func gazetteer(t testing.TB) *Gazetteer {
	t.Helper()
	gazOnce.Do(func() { gaz, gazErr = NewGazetteer() })
	if gazErr != nil {
		t.Fatal(gazErr)
	}
	return gaz
}

// doc builds a Document whose place mentions are the spans marked [[text]].
func doc(marked string) *extractors.Document {
	var b strings.Builder
	var ms []extractors.Mention
	for {
		i := strings.Index(marked, "[[")
		if i < 0 {
			b.WriteString(marked)
			break
		}
		b.WriteString(marked[:i])
		j := strings.Index(marked[i:], "]]")
		text := marked[i+2 : i+j]
		start := b.Len()
		b.WriteString(text)
		ms = append(ms, extractors.Mention{Text: text, Kind: article.KindPlace, Start: start, End: b.Len()})
		marked = marked[i+j+2:]
	}
	a := &article.Article{Text: b.String()}
	return &extractors.Document{Article: a, Text: b.String(), Mentions: ms, Out: &article.Enriched{Article: *a}}
}

func TestExtract(t *testing.T) {
	x := New(gazetteer(t))
	type want struct{ name, cc, kind, within string }
	tests := []struct {
		name string
		text string
		want []want
	}{
		{"city with containment", "Police raided a flat in [[Cologne]] on Tuesday.", []want{{"Cologne", "DE", "city", "Europe"}}},
		{"paris defaults to France", "The summit in [[Paris]] ended late.", []want{{"Paris", "FR", "city", "France"}}},
		{"paris qualified", "A storm hit [[Paris]], Texas, overnight.", []want{{"Paris", "US", "city", "Texas"}}},
		// A mention of the country alone does not outweigh Paris, France (80
		// times the Texas town); a place in Texas does.
		{"paris with only the country", "Officials in the United States said a man from [[Paris]] was held.", []want{{"United States", "US", "country", "North America"}, {"Paris", "FR", "city", "France"}}},
		{"paris by context", "Officials in [[Texas]] said a man from [[Paris]] was held.", []want{{"Texas", "US", "admin", "United States"}, {"Paris", "US", "city", "Texas"}}},
		{"georgia the country", "Troops crossed into [[Georgia]] near Tbilisi.", []want{{"Georgia", "GE", "country", "Asia"}, {"Tbilisi", "GE", "city", "Georgia"}}},
		{"georgia the state", "The US storm moved from [[Alabama]] into [[Georgia]].", []want{{"United States", "US", "country", ""}, {"Alabama", "US", "admin", "United States"}, {"Georgia", "US", "admin", "United States"}}},
		{"demonym and scan", "German police said the suspects had travelled through Turkey and the Middle East.", []want{{"Germany", "DE", "country", "Europe"}, {"Turkey", "TR", "country", "Middle East"}, {"Middle East", "", "region", ""}}},
		{"language is not a place", "The letter was written in German by hand.", nil},
		{"facility takes city", "Gunmen attacked [[the Lindenhof Concert Hall]] in [[Leipzig]].", []want{{"Lindenhof Concert Hall", "DE", "facility", "Leipzig"}, {"Leipzig", "DE", "city", "Germany"}}},
		{"unresolved keeps name", "He fled to [[Xyzzyville]].", []want{{"Xyzzyville", "", "", ""}}},
		{"acronym country", "Officials in the [[U.S.]] and the [[UK]] agreed.", []want{{"United States", "US", "country", ""}, {"United Kingdom", "GB", "country", "Europe"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc(tt.text)
			if err := x.Extract(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			if len(d.Out.Places) != len(tt.want) {
				t.Errorf("got %d places %+v, want %d", len(d.Out.Places), d.Out.Places, len(tt.want))
			}
			for _, w := range tt.want {
				var p *article.Place
				for i := range d.Out.Places {
					if d.Out.Places[i].Name == w.name {
						p = &d.Out.Places[i]
					}
				}
				if p == nil {
					t.Errorf("no %q in %+v", w.name, d.Out.Places)
					continue
				}
				if p.CountryCode != w.cc || p.Kind != w.kind {
					t.Errorf("%q: cc %q kind %q, want %q %q", w.name, p.CountryCode, p.Kind, w.cc, w.kind)
				}
				if w.within != "" && !contains(p.Within, w.within) {
					t.Errorf("%q: within %v lacks %q", w.name, p.Within, w.within)
				}
				if w.kind != "" && (p.Lat == nil || p.Lon == nil) {
					t.Errorf("%q: no coordinates", w.name)
				}
			}
			for _, m := range d.Mentions {
				if m.Kind == article.KindPlace && m.EntityID == "" {
					t.Errorf("mention %q has no entity id", m.Text)
				}
			}
		})
	}
}

func TestContains(t *testing.T) {
	g := gazetteer(t)
	tests := []struct {
		container, place string
		want             bool
	}{
		{"Europe", "Cologne", true},
		{"Germany", "Cologne", true},
		{"Europe", "Germany", true},
		{"Asia", "Kabul", true},
		{"Middle East", "Damascus", true},
		{"Europe", "Kabul", false},
		{"France", "France", true},
		{"Nowhere", "Paris", false},
	}
	for _, tt := range tests {
		t.Run(tt.container+"/"+tt.place, func(t *testing.T) {
			if got := g.Contains(tt.container, tt.place); got != tt.want {
				t.Errorf("Contains(%q, %q) = %v, want %v", tt.container, tt.place, got, tt.want)
			}
		})
	}
}

func BenchmarkExtract(b *testing.B) {
	x := New(gazetteer(b))
	text := strings.Repeat("German police said suspects travelled from Syria through Turkey to Europe and Paris. ", 60)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := &article.Article{Text: text}
		d := &extractors.Document{Article: a, Text: text, Out: &article.Enriched{}}
		if err := x.Extract(context.Background(), d); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNewGazetteer(b *testing.B) {
	for i := 0; i < b.N; i++ {
		if _, err := NewGazetteer(); err != nil {
			b.Fatal(err)
		}
	}
}
