package bench

import (
	"fmt"

	"github.com/newswire/newswire/pipeline/alert"
)

// Rules returns n alert rules of the mix an analyst desk keeps, written
// against the generator's vocabulary so that some match: group watches,
// regional event rules, toll thresholds, people watches and full-text
// queries. Most rules do not match a given article, as in production: an
// article of the generator matches one or two of 100 rules.
func Rules(n int) []alert.Rule {
	types := [][]string{{"bombing", "suicide_bombing"}, {"shooting"}, {"attack", "stabbing"},
		{"kidnapping", "hostage_taking"}, {"foiled_plot", "arrest"}, {"air_strike"}}
	rules := make([]alert.Rule, 0, n)
	for i := range n {
		r := alert.Rule{Name: fmt.Sprintf("bench-%03d", i)}
		// k varies the vocabulary between rules of one kind.
		k := i / 6
		p := genPlaces[(k*7)%len(genPlaces)]
		ty := types[k%len(types)]
		switch i % 6 {
		case 0:
			r.Groups = []string{genGroups[k%len(genGroups)][0]}
			r.Places = []string{p.country}
			r.Events = &alert.EventCondition{Types: ty}
		case 1:
			r.Places = []string{p.country}
			r.Events = &alert.EventCondition{Types: ty}
		case 2:
			r.Places = []string{p.country}
			r.Events = &alert.EventCondition{MinKilled: 20 + (k*3)%40}
		case 3:
			r.People = []string{genFirst[(k*7)%len(genFirst)] + " " + genLast[(k*11)%len(genLast)]}
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
