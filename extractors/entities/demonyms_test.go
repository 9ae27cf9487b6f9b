package entities_test

import (
	"context"
	"strings"
	"testing"

	"github.com/newswire/newswire/extractors"
	_ "github.com/newswire/newswire/extractors/all"
	"github.com/newswire/newswire/pipeline/article"
)

// TestPipelineDemonyms runs the whole extraction: nationality words and
// peoples ("German", "Austrians") are never people or groups, and a demonym
// before a noun is its country, raw form kept ("German prosecutors" ->
// Germany, alias "German").
func TestPipelineDemonyms(t *testing.T) {
	p, err := extractors.NewPipeline(extractors.Config{})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		text    string
		places  map[string]string // place name -> raw form among its aliases
		notEnts []string          // names that must be no person or group
	}{
		{"adjectives", "German prosecutors charged a man from Hamburg on Tuesday. The Austrian government said it had not been told.",
			map[string]string{"Germany": "German", "Austria": "Austrian"}, []string{"German", "Austrian"}},
		{"peoples", "Two Austrians and three Germans were among the injured, the Swiss police said.",
			map[string]string{"Switzerland": "Swiss"}, []string{"Austrians", "Germans", "Swiss"}},
		{"demonym before a title", "Iraqi officials said the Kurdish fighters had left. Afghan police found the car.",
			map[string]string{"Iraq": "Iraqi", "Afghanistan": "Afghan"}, []string{"Iraqi", "Afghan", "Kurdish"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := p.Run(context.Background(), &article.Article{Title: "Report", Text: tt.text})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range append(append([]article.Entity{}, e.People...), e.Groups...) {
				for _, n := range tt.notEnts {
					if strings.EqualFold(x.Name, n) {
						t.Errorf("%q became an entity: %+v", n, x)
					}
				}
			}
			for name, raw := range tt.places {
				found := false
				for _, pl := range e.Places {
					if pl.Name == name {
						found = true
						if !contains(pl.Aliases, raw) {
							t.Errorf("%s: aliases %q lack the raw %q", name, pl.Aliases, raw)
						}
					}
				}
				if !found {
					t.Errorf("no place %q in %+v", name, e.Places)
				}
			}
		})
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
