package events

import (
	"testing"

	"github.com/newswire/newswire/extractors/nlp"
)

// heldoutSet was written and annotated after the rules were tuned on
// annotatedSet, and is never used to tune them: its scores are the honest
// ones. Do not edit the rules to fix a miss here; add the case to
// annotatedSet instead and write a fresh one here.
var heldoutSet = []annotated{
	{"ho market bomb", "A roadside bomb ripped through a busy market in Jalalabad on Wednesday morning, leaving 7 dead and dozens injured.", "2024-04-19",
		[]ent{"Jalalabad=place:city:AF:34.43:70.45"}, []gold{g("bombing", "2024-04-17", "Jalalabad", "", "carried_out", 7, -1)}},
	{"ho school shooting", "A teenager armed with a rifle shot and killed three classmates at a school in Belgrade on 3 May 2023.", "2023-05-04",
		[]ent{"Belgrade=place:city:RS:44.79:20.45"}, []gold{g("shooting", "2023-05-03", "Belgrade", "", "carried_out", 3, -1)}},
	{"ho arrests plot", "Dutch police arrested four people suspected of plotting an attack on the Eurovision contest in Rotterdam last month.", "2024-06-12",
		[]ent{"Rotterdam=place:city:NL:51.92:4.48"}, []gold{g("arrest", "2024-05", "Rotterdam", "police", "carried_out", -1, -1), g("foiled_plot", "2024-05", "Rotterdam", "", "foiled", -1, -1)}},
	{"ho stabbing church", "An 18-year-old stabbed a priest during Mass at a church in Sydney on Monday evening.", "2024-04-17",
		[]ent{"Sydney=place:city:AU:-33.87:151.21"}, []gold{g("stabbing", "2024-04-15", "Sydney", "", "carried_out", -1, -1)}},
	{"ho militants claim", "The Pakistani Taliban said they carried out the assault on an air base in Mianwali.", "2023-11-06",
		[]ent{"Pakistani Taliban=group:militant", "Mianwali=place:city:PK:32.58:71.54"}, []gold{g("attack", "", "Mianwali", "Pakistani Taliban", "carried_out", -1, -1)}},
	{"ho no event analysis", "Analysts argue that the movement's propaganda has grown more sophisticated over the past decade.", "2024-03-01", nil, nil},
	{"ho kidnap", "Pirates abducted six crew members from a tanker off the coast of Benin last Friday.", "2024-02-27",
		[]ent{"Benin=place:country:BJ:9.3:2.3"}, []gold{g("kidnapping", "2024-02-23", "Benin", "", "carried_out", -1, -1)}},
	{"ho strike", "Israeli airstrikes on Rafah killed at least 35 people overnight, health officials said.", "2024-05-27",
		[]ent{"Rafah=place:city:PS:31.29:34.25"}, []gold{g("air_strike", "", "Rafah", "", "carried_out", 35, -1)}},
	{"ho heightened alert", "Belgium lowered its terror alert level from four to three on Friday.", "2023-10-23",
		[]ent{"Belgium=place:country:BE:50.5:4.47"}, []gold{g("threat_level_change", "2023-10-20", "Belgium", "", "", -1, -1)}},
	{"ho explosion accident", "A gas explosion destroyed a block of flats in Dnipro, injuring 15 residents.", "2024-01-15",
		[]ent{"Dnipro=place:city:UA:48.46:35.05"}, nil},
	{"ho hostage siege", "The siege at the hotel in Nairobi ended after 20 hours, with 21 people dead.", "2019-01-17",
		[]ent{"Nairobi=place:city:KE:-1.29:36.82"}, []gold{g("hostage_taking", "", "Nairobi", "", "carried_out", 21, -1)}},
	{"ho verb warn", "Interior Minister Gerald Darmanin warned that the threat remained extremely high ahead of the Games.", "2024-07-20",
		[]ent{"Gerald Darmanin=person"}, []gold{g("warning", "", "", "Gerald Darmanin", "", -1, -1)}},
}

// heldoutSet2 was written after one rule change ("shot" followed by "and")
// was made knowing a miss in heldoutSet, so that set is no longer clean.
// These cases are untouched by any tuning.
var heldoutSet2 = []annotated{
	{"ho2 mall shooting", "Police said a gunman killed five shoppers at a mall in Tel Aviv on Sunday before officers shot him.", "2024-10-08",
		[]ent{"Tel Aviv=place:city:IL:32.08:34.78"}, []gold{g("shooting", "2024-10-06", "Tel Aviv", "a gunman", "carried_out", 5, -1)}},
	{"ho2 detained at airport", "Turkish security services detained two suspects at Istanbul airport last Thursday.", "2024-01-30",
		[]ent{"Istanbul=place:city:TR:41.01:28.98"}, []gold{g("arrest", "2024-01-25", "Istanbul", "security services", "carried_out", -1, -1)}},
	{"ho2 ied convoy", "An improvised explosive device hit a military convoy in Borno state, wounding eleven soldiers, the army said on Tuesday.", "2024-08-22",
		[]ent{"Borno=place:admin:NG:11.5:13.0"}, []gold{g("bombing", "2024-08-20", "Borno", "", "carried_out", -1, 11)}},
	{"ho2 speech", "The president said attacks on democracy would not be tolerated.", "2024-05-02", nil, nil},
	{"ho2 rockets", "Rocket strikes on Kharkiv killed seven people and injured 40 on Saturday.", "2024-05-27",
		[]ent{"Kharkiv=place:city:UA:49.99:36.23"}, []gold{g("air_strike", "2024-05-25", "Kharkiv", "", "carried_out", 7, 40)}},
	{"ho2 plot foiled", "Austrian investigators said they had thwarted a planned bombing of a concert in Vienna in August.", "2024-08-09",
		[]ent{"Vienna=place:city:AT:48.21:16.37"}, []gold{g("foiled_plot", "2024-08", "Vienna", "", "foiled", -1, -1)}},
}

// TestHeldoutScore prints precision and recall per field on heldoutSet.
func TestHeldoutScore(t *testing.T) {
	an, err := nlp.New()
	if err != nil {
		t.Fatal(err)
	}
	scoreSet(t, "heldout", an, heldoutSet)
	scoreSet(t, "heldout2", an, heldoutSet2)
}
