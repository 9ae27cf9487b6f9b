package events

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/extractors/nlp"
	"github.com/newswire/newswire/pipeline/article"
)

// gold is one hand-annotated event. Empty fields are not annotated as
// present: the event should leave them empty.
type gold struct {
	typ, date, place, perp, status string
	killed, injured                int // -1: none given
}

type annotated struct {
	name string
	text string
	pub  string // publication day, "" for none
	ents []ent
	want []gold
}

func g(typ, date, place, perp, status string, killed, injured int) gold {
	return gold{typ: typ, date: date, place: place, perp: perp, status: status, killed: killed, injured: injured}
}

// annotatedSet is our own test sentences, written for this package and
// annotated by hand. Publication days are Mondays to Fridays of 2023-2024.
var annotatedSet = []annotated{
	{"bombing toll", "A car bomb exploded outside a police station in Kirkuk on Tuesday, killing at least 12 people and wounding 30.", "2024-05-09",
		[]ent{"Kirkuk=place:city:IQ:35.47:44.39"}, []gold{g("bombing", "2024-05-07", "Kirkuk", "", "carried_out", 12, 30)}},
	{"suicide bombing claim", "Islamic State claimed responsibility for the suicide bombing at a mosque in Peshawar that killed 59 worshippers.", "2023-02-01",
		[]ent{"Islamic State=group:militant", "Peshawar=place:city:PK:34.01:71.58"}, []gold{g("suicide_bombing", "", "Peshawar", "Islamic State", "carried_out", 59, -1)}},
	{"shooting gunman", "A gunman opened fire in a supermarket in Buffalo on Saturday, killing ten people.", "2023-05-15",
		[]ent{"Buffalo=place:city:US:42.89:-78.88"}, []gold{g("shooting", "2023-05-13", "Buffalo", "A gunman", "carried_out", 10, -1)}},
	{"stabbing", "Two people were stabbed to death near a train station in Hamburg yesterday.", "2024-02-20",
		[]ent{"Hamburg=place:city:DE:53.55:9.99"}, []gold{g("stabbing", "2024-02-19", "Hamburg", "", "carried_out", -1, -1)}},
	{"knife attack", "Police said a man shouted slogans during a knife attack in Mannheim on 31 May 2024 that injured six.", "2024-06-03",
		[]ent{"Mannheim=place:city:DE:49.49:8.47"}, []gold{g("stabbing", "2024-05-31", "Mannheim", "", "carried_out", -1, 6)}},
	{"arrest", "Counter-terrorism police arrested three men in Birmingham on Wednesday on suspicion of preparing acts of terrorism.", "2024-04-12",
		[]ent{"Birmingham=place:city:GB:52.48:-1.89"}, []gold{g("arrest", "2024-04-10", "Birmingham", "counter-terrorism police", "carried_out", -1, -1)}},
	{"foiled plot", "German authorities said they had foiled a plot by two teenagers to attack a Christmas market in Leverkusen.", "2023-12-04",
		[]ent{"Leverkusen=place:city:DE:51.03:6.98"}, []gold{g("foiled_plot", "", "Leverkusen", "", "foiled", -1, -1)}},
	{"air strike", "An air strike on a village in Idlib province killed eight civilians last week, monitors said.", "2024-03-11",
		[]ent{"Idlib=place:admin:SY:35.93:36.63"}, []gold{g("air_strike", "2024-03", "Idlib", "", "carried_out", 8, -1)}},
	{"drone strike", "A US drone strike killed a senior commander of the group in Baghdad in January.", "2024-02-15",
		[]ent{"Baghdad=place:city:IQ:33.31:44.36"}, []gold{g("air_strike", "2024-01", "Baghdad", "", "carried_out", 1, -1)}},
	{"threat level", "France raised its terror threat level to the highest notch on Sunday after the concert hall attack abroad.", "2024-03-25",
		[]ent{"France=place:country:FR:46.0:2.0"}, []gold{g("threat_level_change", "2024-03-24", "France", "", "", -1, -1)}},
	{"warning", "Europol warned on Thursday that the group could try to strike during the summer's sporting events.", "2024-06-10",
		[]ent{"Europol=group:agency"}, []gold{g("warning", "2024-06-06", "", "Europol", "", -1, -1)}},
	{"heart attack", "The former mayor died of a heart attack in his home last month.", "2024-01-10", nil, nil},
	{"generic threat", "Experts say the group might carry out attacks in Europe in the future.", "2024-04-01",
		[]ent{"Europe=place:region::50:10"}, nil},
	{"kidnapping", "Gunmen kidnapped 20 students from a school in Kaduna state on Thursday.", "2024-03-11",
		[]ent{"Kaduna=place:admin:NG:10.52:7.44"}, []gold{g("kidnapping", "2024-03-07", "Kaduna", "Gunmen", "carried_out", -1, -1)}},
	{"hostage", "Armed men took 40 people hostage at a theatre in the capital before special forces stormed the building.", "2024-01-05", nil,
		[]gold{g("hostage_taking", "", "", "Armed men", "carried_out", -1, -1)}},
	{"raid", "Police raided several flats in Vienna on New Year's Eve after a tip about a planned attack on the cathedral.", "2024-01-02",
		[]ent{"Vienna=place:city:AT:48.21:16.37"}, []gold{g("raid", "2023-12-31", "Vienna", "police", "carried_out", -1, -1)}},
	{"recap merge", "Twin blasts killed 84 people at a memorial ceremony in Kerman on 3 January 2024.\nThe bombing in Kerman was the deadliest attack in the country since the revolution, officials said.", "2024-01-05",
		[]ent{"Kerman=place:city:IR:30.28:57.08"}, []gold{g("bombing", "2024-01-03", "Kerman", "", "carried_out", 84, -1)}},
	{"two incidents", "Gunmen shot dead four soldiers at a checkpoint in Mali on Monday. In a separate incident, a bomb wounded two children in Niger.", "2024-07-10",
		[]ent{"Mali=place:country:ML:17.57:-4.0", "Niger=place:country:NE:17.6:8.08"},
		[]gold{g("shooting", "2024-07-08", "Mali", "Gunmen", "carried_out", 4, -1), g("bombing", "", "Niger", "", "carried_out", -1, 2)}},
	{"failed bombing", "A man tried to detonate a device on a train to Cologne but the bomb failed to detonate.", "2023-11-20",
		[]ent{"Cologne=place:city:DE:50.94:6.96"}, []gold{g("bombing", "", "Cologne", "", "failed", -1, -1)}},
	{"no event", "The minister spoke about security cooperation at a conference in Brussels.", "2024-02-01",
		[]ent{"Brussels=place:city:BE:50.85:4.35"}, nil},
	{"attack claimed by group", "Al-Shabaab fighters attacked a hotel in Mogadishu late on Friday, and at least nine people died.", "2024-03-18",
		[]ent{"Al-Shabaab=group:militant", "Mogadishu=place:city:SO:2.05:45.32"}, []gold{g("attack", "2024-03-15", "Mogadishu", "Al-Shabaab", "carried_out", 9, -1)}},
	{"arrest of named person", "Spanish police detained Ahmed Saleh in Madrid on 12 March 2024 over alleged links to the group.", "2024-03-14",
		[]ent{"Ahmed Saleh=person", "Madrid=place:city:ES:40.42:-3.7"}, []gold{g("arrest", "2024-03-12", "Madrid", "police", "carried_out", -1, -1)}},
	{"vehicle ramming", "A driver rammed a truck into a crowd at a festival in Nice, killing 86.", "2016-07-15",
		[]ent{"Nice=place:city:FR:43.7:7.27"}, []gold{g("attack", "", "Nice", "", "carried_out", 86, -1)}},
	{"planned attack specific", "Prosecutors say the cell was planning an attack on a synagogue in Berlin in October.", "2024-11-05",
		[]ent{"Berlin=place:city:DE:52.52:13.4"}, []gold{g("attack", "2024-10", "Berlin", "", "planned", -1, -1)}},
	{"shot as noun", "The striker took a shot at goal in the stadium.", "2024-01-10", nil, nil},
	{"dozens injured", "Dozens were injured when an explosion tore through a crowded market in Quetta on Friday.", "2024-02-12",
		[]ent{"Quetta=place:city:PK:30.18:67.0"}, []gold{g("bombing", "2024-02-09", "Quetta", "", "carried_out", -1, -1)}},
	{"headline plus lead", "Deadly Moscow concert hall attack\nGunmen stormed a concert hall near Moscow on Friday evening and killed more than 130 people.", "2024-03-25",
		[]ent{"Moscow=place:city:RU:55.76:37.62"}, []gold{g("attack", "2024-03-22", "Moscow", "Gunmen", "carried_out", 130, -1)}},
	{"past attack with year", "In November 2015, coordinated attacks in Paris killed 130 people.", "2024-03-25",
		[]ent{"Paris=place:city:FR:48.86:2.35"}, []gold{g("attack", "2015-11", "Paris", "", "carried_out", 130, -1)}},
	{"christmas market", "A man drove a lorry into a Christmas market in Berlin on 19 December 2016, killing 12 people.", "2016-12-20",
		[]ent{"Berlin=place:city:DE:52.52:13.4"}, []gold{g("attack", "2016-12-19", "Berlin", "", "carried_out", 12, -1)}},
	{"arrest warrant", "A court issued an arrest warrant for the suspect.", "2024-01-10", nil, nil},
	{"thwarted", "Police thwarted a bomb plot against a church in Stockholm last year.", "2024-05-10",
		[]ent{"Stockholm=place:city:SE:59.33:18.07"}, []gold{g("foiled_plot", "2023", "Stockholm", "", "foiled", -1, -1)}},
	{"without warning", "The storm arrived without warning in the town.", "2024-01-10", nil, nil},
	{"kabul airport", "A suicide bomber struck the crowds outside Kabul airport in August 2021, killing 170 civilians and 13 US troops.", "2024-03-25",
		[]ent{"Kabul=place:city:AF:34.53:69.17"}, []gold{g("suicide_bombing", "2021-08", "Kabul", "A suicide bomber", "carried_out", 170, -1)}},
	{"shooting yesterday", "Three people were shot dead in Stockholm yesterday, police said.", "2023-10-17",
		[]ent{"Stockholm=place:city:SE:59.33:18.07"}, []gold{g("shooting", "2023-10-16", "Stockholm", "", "carried_out", 3, -1)}},
	{"attack on officers", "Militants attacked a police convoy in Dera Ismail Khan on Tuesday, killing 23 officers.", "2023-12-14",
		[]ent{"Dera Ismail Khan=place:city:PK:31.83:70.9"}, []gold{g("attack", "2023-12-12", "Dera Ismail Khan", "Militants", "carried_out", 23, -1)}},
	{"explosions wounded", "Two explosions wounded more than 200 people near the shrine on Christmas Day.", "2024-01-04", nil,
		[]gold{g("bombing", "2023-12-25", "", "", "carried_out", -1, 200)}},
	{"warning issued", "The US embassy issued a warning of a possible attack on large gatherings in Moscow.", "2024-03-08",
		[]ent{"US embassy=group:government", "Moscow=place:city:RU:55.76:37.62"}, []gold{g("warning", "", "Moscow", "US embassy", "", -1, -1)}},
	{"raid and arrest", "Security forces raided a house in Dagestan and arrested two suspects.", "2024-03-30",
		[]ent{"Dagestan=place:admin:RU:42.98:47.5"}, []gold{g("raid", "", "Dagestan", "security forces", "carried_out", -1, -1), g("arrest", "", "Dagestan", "security forces", "carried_out", -1, -1)}},
	{"political attack", "The opposition leader launched a scathing attack on the budget.", "2024-01-10", nil, nil},
	{"two incidents one sentence", "The cell bombed a bus station in Homs on 2 March 2024, killing five, and shot dead two guards at a bank in Hama on 9 March 2024.", "2024-03-20",
		[]ent{"Homs=place:city:SY:34.73:36.71", "Hama=place:city:SY:35.13:36.75"},
		[]gold{g("bombing", "2024-03-02", "Homs", "", "carried_out", 5, -1), g("shooting", "2024-03-09", "Hama", "", "carried_out", 2, -1)}},
	{"abducted", "Unknown gunmen abducted an aid worker in the north of the country this month.", "2024-09-20", nil,
		[]gold{g("kidnapping", "2024-09", "", "Unknown gunmen", "carried_out", -1, -1)}},
}

// fieldScore counts matches per field.
type fieldScore struct{ tp, fp, fn int }

func (f fieldScore) String() string {
	p, r := ratio(f.tp, f.tp+f.fp), ratio(f.tp, f.tp+f.fn)
	return fmt.Sprintf("P=%.2f R=%.2f (tp=%d fp=%d fn=%d)", p, r, f.tp, f.fp, f.fn)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

func runAnnotated(t *testing.T, an *nlp.Analyzer, c annotated) []article.Event {
	t.Helper()
	var pub *time.Time
	if c.pub != "" {
		p, err := time.Parse("2006-01-02", c.pub)
		if err != nil {
			t.Fatal(err)
		}
		pub = &p
	}
	return Find(buildTagged(t, an, c.text, pub, c.ents...))
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func num(p *int) int {
	if p == nil {
		return -1
	}
	return *p
}

// TestAnnotatedScore scores Find on the annotated set field by field and
// prints precision and recall; it fails only below floors well under the
// figures measured, to catch regressions.
func TestAnnotatedScore(t *testing.T) {
	an, err := nlp.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		an   *nlp.Analyzer
	}{{"untagged", nil}, {"tagged", an}} {
		t.Run(tc.name, func(t *testing.T) { scoreSet(t, tc.name, tc.an, annotatedSet) })
	}
}

func scoreSet(t *testing.T, label string, an *nlp.Analyzer, set []annotated) {
	fields := []string{"event", "type", "date", "place", "perpetrator", "killed", "injured", "status"}
	score := map[string]*fieldScore{}
	for _, f := range fields {
		score[f] = &fieldScore{}
	}
	add := func(f, want, got string) {
		s := score[f]
		switch {
		case want == got && want != "":
			s.tp++
		case want == "" && got != "":
			s.fp++
		case want != "" && got == "":
			s.fn++
		case want != got:
			s.fp++
			s.fn++
		}
	}
	for _, c := range set {
		got := runAnnotated(t, an, c)
		used := make([]bool, len(got))
		for _, w := range c.want {
			j := -1
			for k, e := range got {
				if !used[k] && Family(e.Type) == Family(w.typ) {
					j = k
					break
				}
			}
			if j < 0 {
				score["event"].fn++
				t.Logf("%s: missed %s", c.name, w.typ)
				for _, f := range fields[1:] {
					score[f].fn += boolInt(goldField(w, f) != "")
				}
				continue
			}
			used[j] = true
			score["event"].tp++
			e := got[j]
			for _, f := range fields[1:] {
				gf, ef := goldField(w, f), eventField(e, f)
				if gf != ef {
					t.Logf("%s: %s = %q, want %q", c.name, f, ef, gf)
				}
				add(f, gf, ef)
			}
		}
		for k, e := range got {
			if !used[k] {
				score["event"].fp++
				t.Logf("%s: invented %s %q", c.name, e.Type, e.Trigger)
				for _, f := range fields[1:] {
					score[f].fp += boolInt(eventField(e, f) != "")
				}
			}
		}
	}
	for _, f := range fields {
		t.Logf("%-12s %s", f, score[f])
		fmt.Printf("events score %s %-12s %s\n", label, f, score[f])
	}
	ev := score["event"]
	if ratio(ev.tp, ev.tp+ev.fp) < 0.7 || ratio(ev.tp, ev.tp+ev.fn) < 0.7 {
		t.Errorf("event detection fell below 0.7: %s", ev)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func goldField(w gold, f string) string {
	switch f {
	case "type":
		return w.typ
	case "date":
		return w.date
	case "place":
		return w.place
	case "perpetrator":
		return strings.ToLower(w.perp)
	case "killed":
		return numStr(w.killed)
	case "injured":
		return numStr(w.injured)
	case "status":
		return w.status
	}
	return ""
}

func eventField(e article.Event, f string) string {
	switch f {
	case "type":
		return e.Type
	case "date":
		return str(e.Date)
	case "place":
		return str(e.Place)
	case "perpetrator":
		if len(e.Perpetrators) == 0 {
			return ""
		}
		return strings.ToLower(e.Perpetrators[0])
	case "killed":
		return numStr(num(e.Killed))
	case "injured":
		return numStr(num(e.Injured))
	case "status":
		return e.Status
	}
	return ""
}

func numStr(n int) string {
	if n < 0 {
		return ""
	}
	return fmt.Sprint(n)
}
