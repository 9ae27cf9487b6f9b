package alert_test

import (
	"fmt"
	"time"

	"github.com/newswire/newswire/pipeline/alert"
	"github.com/newswire/newswire/pipeline/article"
)

func ExampleRuleSet_Evaluate() {
	rules, err := alert.ParseRules([]byte(`
rules:
  - name: europe-attacks
    places: [Europe]
    events:
      types: [attack, bombing]
      min_killed: 2
  - name: asia
    places: [Asia]
`), "alerts.yaml", alert.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	city, date, cc, killed := "Ghent", "2026-02-03", "BE", 4
	a := &article.Enriched{
		Article: article.Article{SchemaVersion: 1, ID: "x1", URL: "https://example.org/x1", Title: "Attack in Ghent"},
		Places:  []article.Place{{Name: "Ghent", Kind: "city", CountryCode: "BE", Within: []string{"East Flanders", "Belgium", "Europe"}}},
		Events:  []article.Event{{Type: article.EventAttack, Place: &city, Date: &date, CountryCode: &cc, Killed: &killed}},
	}
	for _, m := range rules.EvaluateAt(a, time.Date(2026, 2, 4, 0, 0, 0, 0, time.UTC)) {
		fmt.Println(m.Rule)
		for _, r := range m.Reasons {
			fmt.Println(" -", r)
		}
	}
	// Output:
	// europe-attacks
	//  - event attack in Ghent on 2026-02-03: type attack, killed 4 >= 2, place Ghent (within Europe)
}

func ExampleParseRules_error() {
	_, err := alert.ParseRules([]byte("rules:\n  - name: big\n    events:\n      min_killed: many\n"), "alerts.yaml", alert.Options{})
	fmt.Println(err)
	// Output:
	// bad alert rule: alerts.yaml:4: events.min_killed must be a whole number >= 0, got "many"
}
