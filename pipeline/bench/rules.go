package bench

import (
	"fmt"

	"github.com/newswire/newswire/pipeline/alert"
)

// Rules returns n alert rules of the mix an analyst desk keeps, written
// against the generator's vocabulary so that some match: group watches,
// regional event rules, toll thresholds, people watches and full-text
// queries. Most rules do not match a given article, as in production.
func Rules(n int) []alert.Rule {
	types := [][]string{{"bombing", "suicide_bombing"}, {"shooting"}, {"attack", "stabbing"},
		{"kidnapping", "hostage_taking"}, {"foiled_plot", "arrest"}, {"air_strike"}}
	regions := []string{"Europe", "Asia", "Africa"}
	rules := make([]alert.Rule, 0, n)
	for i := range n {
		r := alert.Rule{Name: fmt.Sprintf("bench-%03d", i)}
		p := genPlaces[i%len(genPlaces)]
		switch i % 6 {
		case 0:
			r.Groups = []string{genGroups[i%len(genGroups)][0]}
		case 1:
			r.Places = []string{p.country}
			r.Events = &alert.EventCondition{Types: types[i%len(types)]}
		case 2:
			r.Places = []string{regions[i%len(regions)]}
			r.Events = &alert.EventCondition{MinKilled: 10 + i%40}
		case 3:
			r.People = []string{genFirst[i%len(genFirst)] + " " + genLast[(i/2)%len(genLast)]}
		case 4:
			r.Query = fmt.Sprintf(`"%s" hostage`, p.city)
		case 5:
			r.Places = []string{p.city}
			r.Events = &alert.EventCondition{Status: []string{"foiled", "planned"}}
		}
		rules = append(rules, r)
	}
	return rules
}
