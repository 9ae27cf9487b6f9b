package alert

import (
	"strings"
	"testing"

	"github.com/newswire/newswire/pipeline/article"
)

func mustRules(t testing.TB, rules []Rule, o Options) *RuleSet {
	t.Helper()
	rs, err := NewRuleSet(rules, o)
	if err != nil {
		t.Fatal(err)
	}
	return rs
}

func TestEvaluate(t *testing.T) {
	cologne := bombingIn("a1", "news.example", "Cologne", "Germany", "DE", "2026-03-11", 12)
	noPlace := bombingIn("a2", "news.example", "Cologne", "Germany", "DE", "2026-03-11", 3)
	noPlace.Events[0].Place, noPlace.Events[0].CountryCode = nil, nil
	noPlaceTwoCountries := bombingIn("a5", "news.example", "Cologne", "Germany", "DE", "2026-03-11", 3)
	noPlaceTwoCountries.Events[0].Place, noPlaceTwoCountries.Events[0].CountryCode = nil, nil
	noPlaceTwoCountries.Places = append(noPlaceTwoCountries.Places, article.Place{Name: "Syria", Kind: "country", CountryCode: "SY", Within: []string{"Asia"}})
	kabul := bombingIn("a3", "news.example", "Kabul", "Afghanistan", "AF", "2026-03-11", 40)
	kabul.Places[0].Within = []string{"Afghanistan", "Asia"}
	kabul.Places[1].Within = []string{"Asia"}
	old := bombingIn("a4", "news.example", "Cologne", "Germany", "DE", "2026-01-02", 12)

	resolver := fakeResolver{"group:islamic state k": "Islamic State Khorasan Province"}
	cases := []struct {
		name    string
		rule    Rule
		art     *article.Enriched
		match   bool
		reasons []string // substrings of the joined reasons
	}{
		{"continent contains city", Rule{Name: "r", Places: []string{"Europe"}, Events: &EventCondition{Types: []string{"bombing"}}}, cologne, true,
			[]string{"event bombing in Cologne on 2026-03-11", "place Cologne (within Europe)"}},
		{"country contains city", Rule{Name: "r", Places: []string{"germany"}}, cologne, true, []string{`place "germany" matched Cologne (within germany)`}},
		{"country code", Rule{Name: "r", Places: []string{"DE"}, Events: &EventCondition{}}, cologne, true, []string{"country code DE"}},
		{"other continent", Rule{Name: "r", Places: []string{"Europe"}, Events: &EventCondition{Types: []string{"bombing"}}}, kabul, false, nil},
		{"event without place, article in one country", Rule{Name: "r", Places: []string{"Europe"}, Events: &EventCondition{}}, noPlace, true, []string{"the article's only country; the event names no place"}},
		{"event without place, article in several countries", Rule{Name: "r", Places: []string{"Europe"}, Events: &EventCondition{}}, noPlaceTwoCountries, false, nil},
		{"group alias", Rule{Name: "r", Groups: []string{"isis-k"}}, cologne, true, []string{`group "isis-k" matched Islamic State Khorasan Province (alias "isis-k")`}},
		{"group resolved", Rule{Name: "r", Groups: []string{"Islamic State K"}}, cologne, true, []string{"(name)"}},
		{"group id", Rule{Name: "r", Groups: []string{"kb:iskp"}}, cologne, true, []string{"(id)"}},
		{"group absent", Rule{Name: "r", Groups: []string{"Al-Shabaab"}}, cologne, false, nil},
		{"any of people", Rule{Name: "r", People: []string{"John Doe", "jane  roe"}}, cologne, true, []string{"Jane Roe"}},
		{"all conditions must hold", Rule{Name: "r", People: []string{"Jane Roe"}, Groups: []string{"Al-Shabaab"}}, cologne, false, nil},
		{"min killed holds", Rule{Name: "r", Events: &EventCondition{MinKilled: 10}}, cologne, true, []string{"killed 12 >= 10"}},
		{"min killed fails", Rule{Name: "r", Events: &EventCondition{MinKilled: 10}}, noPlace, false, nil},
		{"min injured", Rule{Name: "r", Events: &EventCondition{MinInjured: 24}}, cologne, true, []string{"injured 24 >= 24"}},
		{"status", Rule{Name: "r", Events: &EventCondition{Status: []string{"foiled"}}}, cologne, false, nil},
		{"type", Rule{Name: "r", Events: &EventCondition{Types: []string{"shooting"}}}, cologne, false, nil},
		{"window holds", Rule{Name: "r", Events: &EventCondition{Within: "7d"}}, cologne, true, []string{"event date 2026-03-11 within 7d"}},
		{"query words", Rule{Name: "r", Query: "explosive market"}, cologne, true, []string{`query "explosive market" matched`}},
		{"query fails", Rule{Name: "r", Query: "explosive NOT market"}, cologne, false, nil},
		{"query field resolved", Rule{Name: "r", Query: `group:"Islamic State K" place:Europe`}, cologne, true, nil},
		{"query and entity", Rule{Name: "r", People: []string{"Jane Roe"}, Query: "harbour"}, cologne, false, nil},
		{"window fails", Rule{Name: "r", Events: &EventCondition{Within: "7d"}}, old, false, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rs := mustRules(t, []Rule{tc.rule}, Options{Resolver: resolver})
			ms := rs.EvaluateAt(tc.art, testNow)
			if got := len(ms) == 1; got != tc.match {
				t.Fatalf("matched = %v, want %v (%+v)", got, tc.match, ms)
			}
			if !tc.match {
				return
			}
			why := strings.Join(ms[0].Reasons, "\n")
			for _, want := range tc.reasons {
				if !strings.Contains(why, want) {
					t.Errorf("reasons:\n%s\nwant %q", why, want)
				}
			}
		})
	}
}

func TestEvaluateBoundsReasons(t *testing.T) {
	a := benchArticle() // 14 places in Europe
	rs := mustRules(t, []Rule{{Name: "eu", Places: []string{"Europe"}}}, Options{})
	ms := rs.EvaluateAt(a, testNow)
	if len(ms) != 1 {
		t.Fatalf("%d matches", len(ms))
	}
	if len(ms[0].Entities) != 14 || len(ms[0].Reasons) != 4 || !strings.HasPrefix(ms[0].Reasons[3], "and 11 more matching place") {
		t.Errorf("%d entities, reasons %q", len(ms[0].Entities), ms[0].Reasons)
	}
}

func TestEvaluateSeveralRules(t *testing.T) {
	rs := mustRules(t, []Rule{
		{Name: "a", Groups: []string{"ISKP"}},
		{Name: "b", Places: []string{"Asia"}},
		{Name: "c", Places: []string{"Europe"}, Events: &EventCondition{MinKilled: 5}},
	}, Options{})
	ms := rs.EvaluateAt(bombingIn("x", "s.example", "Lyon", "France", "FR", "2026-03-12", 7), testNow)
	var names []string
	for _, m := range ms {
		names = append(names, m.Rule)
		if len(m.Reasons) == 0 {
			t.Errorf("rule %s matched without reasons", m.Rule)
		}
	}
	if strings.Join(names, ",") != "a,c" {
		t.Errorf("matched %v, want [a c]", names)
	}
	if len(ms) == 2 && len(ms[1].Events) != 1 {
		t.Errorf("rule c events = %d, want 1", len(ms[1].Events))
	}
}
