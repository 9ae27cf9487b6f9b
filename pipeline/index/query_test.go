package index

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/article"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name, q, want string
	}{
		{"empty", "  ", "*"},
		{"word", "bomb", "bomb"},
		{"implicit and", "bomb blast", "(bomb AND blast)"},
		{"explicit and", "bomb AND blast", "(bomb AND blast)"},
		{"or", "bomb OR blast", "(bomb OR blast)"},
		{"precedence", "a1 b2 OR c3", "((a1 AND b2) OR c3)"},
		{"not", "bomb NOT drill", "(bomb AND NOT drill)"},
		{"minus", "bomb -drill", "(bomb AND NOT drill)"},
		{"parens", "(a1 OR b2) c3", "((a1 OR b2) AND c3)"},
		{"phrase", `"car bomb" Kabul`, `("car bomb" AND Kabul)`},
		{"hyphenated word", "ISIS-K", "ISIS-K"},
		{"group", "group:ISIS-K", "group:ISIS-K"},
		{"quoted value", `person:"John Smith"`, `person:"John Smith"`},
		{"field case", "PLACE:Europe", "place:Europe"},
		{"event", "event:suicide-bombing", "event:suicide_bombing"},
		{"source", "source:www.BBC.co.uk", "source:bbc.co.uk"},
		{"lang", "lang:EN", "lang:en"},
		{"stop words dropped", "the bomb", "bomb"},
		{"only stop words", "the", "*"},
		{"flatten", "a1 (b2 c3)", "(a1 AND b2 AND c3)"},
		{"day", "published:2024-03-31", "published:[2024-03-31T00:00:00Z..2024-04-01T00:00:00Z)"},
		{"month", "published:2024-02", "published:[2024-02-01T00:00:00Z..2024-03-01T00:00:00Z)"},
		{"year", "published:2024", "published:[2024-01-01T00:00:00Z..2025-01-01T00:00:00Z)"},
		{"range", "published:2024-01-01..2024-03-31", "published:[2024-01-01T00:00:00Z..2024-04-01T00:00:00Z)"},
		{"open end", "published:2024-01..", "published:[2024-01-01T00:00:00Z..)"},
		{"open start", "published:..2024", "published:[..2025-01-01T00:00:00Z)"},
		{"ge", "published:>=2024-01", "published:[2024-01-01T00:00:00Z..)"},
		{"gt", "published:>2024-01", "published:[2024-02-01T00:00:00Z..)"},
		{"lt", "published:<2024", "published:[..2024-01-01T00:00:00Z)"},
		{"le", "published:<=2024-03-31", "published:[..2024-04-01T00:00:00Z)"},
		{"time of day not a field", "10:30", "10:30"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q, err := Parse(tt.q)
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.q, err)
			}
			if got := q.String(); got != tt.want {
				t.Errorf("Parse(%q) = %s, want %s", tt.q, got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, q, want string
	}{
		{"unterminated quote", `"car bomb`, "unterminated quote at position 1"},
		{"unbalanced open", "(a1 OR b2", "unbalanced '('"},
		{"unbalanced close", "a1 OR b2)", "unbalanced ')'"},
		{"dangling or", "a1 OR", "OR needs a term on its right"},
		{"leading and", "AND a1", "AND needs a term on its left"},
		{"dangling not", "a1 NOT", "NOT needs a term on its right"},
		{"unknown field", "author:smith", `unknown field "author"`},
		{"empty value", "person: smith", "person: needs a value"},
		{"bad date", "published:yesterday", `bad date "yesterday"`},
		{"reversed range", "published:2024-03..2024-01", "ends before it starts"},
		{"unknown event", "event:party", `unknown event type "party"`},
		{"empty parens", "()", "empty parentheses"},
		{"too long", strings.Repeat("a", MaxQueryLen+1), "the limit is 1024"},
		{"too many clauses", strings.Repeat("w ", MaxClauses+1), "terms and filters"},
		{"too deep", strings.Repeat("(", MaxDepth+2) + "a" + strings.Repeat(")", MaxDepth+2), "nests deeper"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(tt.q)
			if !errors.Is(err, ErrBadQuery) {
				t.Fatalf("Parse(%q) error = %v, want ErrBadQuery", tt.q, err)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Parse(%q) error = %q, want it to contain %q", tt.q, err, tt.want)
			}
		})
	}
}

type mapResolver map[string]string

func (m mapResolver) Resolve(_ article.EntityKind, name string) (string, bool) {
	c, ok := m[strings.ToLower(name)]
	return c, ok
}

func TestResolve(t *testing.T) {
	r := mapResolver{"isis-k": "Islamic State Khorasan Province"}
	q := MustParse("group:ISIS-K OR group:Hamas").Resolve(r)
	want := `(group:"Islamic State Khorasan Province"|ISIS-K OR group:Hamas)`
	if got := q.String(); got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	if got := MustParse("group:ISIS-K").Resolve(nil).String(); got != "group:ISIS-K" {
		t.Errorf("nil resolver changed the query: %s", got)
	}
}

func TestMatch(t *testing.T) {
	pub := time.Date(2024, 3, 10, 12, 0, 0, 0, time.UTC)
	doc := &article.Enriched{
		Article: article.Article{
			ID: "x", Title: "Blast hits market square", Source: "example.org", Language: "en",
			Published: &pub,
			Text:      "A car bomb exploded near the central station on Sunday. Police arrested two suspects.",
		},
		Groups: []article.Entity{{Name: "Islamic State Khorasan Province", Aliases: []string{"ISKP"}}},
		People: []article.Entity{{Name: "Jane Doe"}},
		Places: []article.Place{{Name: "Cologne", Within: []string{"North Rhine-Westphalia", "Germany", "Europe"}}},
		Events: []article.Event{{Type: article.EventBombing}},
	}
	r := mapResolver{"isis-k": "Islamic State Khorasan Province"}
	tests := []struct {
		q    string
		want bool
	}{
		{"", true},
		{"bomb", true},
		{"BOMBS", true},
		{"exploding", true},
		{"blasts", true},
		{"drone", false},
		{`"car bomb"`, true},
		{`"bomb car"`, false},
		{`"near the central station"`, true},
		{`"near central station"`, false},
		{"bomb drone", false},
		{"bomb OR drone", true},
		{"bomb NOT drone", true},
		{"NOT bomb", false},
		{"-(drone OR missile)", true},
		{"group:ISIS-K", true},
		{"group:iskp", true},
		{`group:"islamic state khorasan province"`, true},
		{"group:Hamas", false},
		{`person:"Jane Doe"`, true},
		{"place:Europe", true},
		{"place:cologne", true},
		{"place:Asia", false},
		{"event:bombing", true},
		{"event:shooting", false},
		{"source:example.org", true},
		{"source:www.example.org", true},
		{"lang:en", true},
		{"lang:de", false},
		{"published:2024-03", true},
		{"published:2024-03-10", true},
		{"published:2024-03-11..", false},
		{"published:..2024-03-09", false},
		{"published:>=2024", true},
		{"published:<2024-03-10", false},
	}
	for _, tt := range tests {
		t.Run(tt.q, func(t *testing.T) {
			q := MustParse(tt.q).Resolve(r)
			if got := q.Match(doc); got != tt.want {
				t.Errorf("Match(%s) = %v, want %v", q, got, tt.want)
			}
		})
	}
	t.Run("no date", func(t *testing.T) {
		d := *doc
		d.Published = nil
		if MustParse("published:2024").Match(&d) {
			t.Error("an article without a date matched a date filter")
		}
	})
}

func BenchmarkMatch(b *testing.B) {
	doc := &article.Enriched{Article: article.Article{Title: "Blast hits market", Text: strings.Repeat("Police said the car bomb exploded near the station. ", 40)}}
	q := MustParse(`("car bomb" OR explosion) NOT drill`)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		q.Match(doc)
	}
}
