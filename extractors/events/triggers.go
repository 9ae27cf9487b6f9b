package events

import (
	"github.com/newswire/newswire/pipeline/article"
)

// Trigger is the word or words in a sentence that signal an event.
type Trigger struct {
	Type    string
	Subtype string
	// Words are the trigger words as written.
	Words string
	// Tok is the index of the trigger's head token in the sentence.
	Tok int
	// Start and End are byte offsets of Words in the Document text.
	Start, End int
	// Weak triggers name an actor ("gunmen") rather than the act: any other
	// violent trigger of the sentence gives the type.
	Weak bool
}

type lex struct {
	typ  string
	sub  string
	verb bool // the word must be tagged a verb
}

// lookup is the single-word trigger lexicon.
func lookup(w string) (lex, bool) {
	switch w {
	case "attack", "attacks", "attacked", "attacking", "assault", "assaulted", "massacre", "massacred", "rampage", "ambush", "ambushed", "onslaught":
		return lex{typ: article.EventAttack}, true
	case "terror-attack", "terror-attacks":
		return lex{typ: article.EventAttack}, true
	case "bombing", "bombings", "bomb", "bombs", "bombed", "blast", "blasts", "explosion", "explosions", "exploded", "detonated", "detonation", "ied", "ieds", "bomber", "bombers":
		return lex{typ: article.EventBombing}, true
	case "shooting", "shootings", "gunfire", "shootout", "gunman", "gunmen", "shooter", "shooters", "gunmen's":
		return lex{typ: article.EventShooting}, true
	case "shot":
		return lex{typ: article.EventShooting, verb: true}, true
	case "stabbing", "stabbings", "stabbed", "stab":
		return lex{typ: article.EventStabbing, sub: "knife"}, true
	case "hostage", "hostages", "hostage-taking", "siege":
		return lex{typ: article.EventHostageTaking}, true
	case "kidnapping", "kidnappings", "kidnapped", "kidnap", "abducted", "abduction", "abductions":
		return lex{typ: article.EventKidnapping}, true
	case "arrest", "arrests", "arrested", "detained", "apprehended", "apprehending", "nabbed":
		return lex{typ: article.EventArrest}, true
	case "raid", "raids", "raided":
		return lex{typ: article.EventRaid}, true
	case "airstrike", "airstrikes", "air-strike", "air-strikes":
		return lex{typ: article.EventAirStrike, sub: "air"}, true
	case "foiled", "thwarted", "plot", "plots", "plotting", "plotted":
		return lex{typ: article.EventFoiledPlot}, true
	case "warned", "warning", "warnings", "warns", "warn":
		return lex{typ: article.EventWarning}, true
	}
	return lex{}, false
}

// notAttackBefore are words that make "attack" something else ("heart
// attack", "panic attack").
func notAttackBefore(w string) bool {
	switch w {
	case "heart", "panic", "anxiety", "asthma", "cyber", "verbal", "personal", "scathing", "blistering", "political", "counter":
		return true
	}
	return false
}

// rank orders types from least to most specific, for choosing the type of
// one incident from several triggers.
func rank(typ string) int {
	switch typ {
	case article.EventAttack:
		return 1
	case article.EventShooting, article.EventStabbing, article.EventHostageTaking, article.EventKidnapping, article.EventAirStrike:
		return 2
	case article.EventBombing:
		return 3
	case article.EventSuicideBomb:
		return 4
	}
	return 0
}

// Family groups types that may name the same incident: an attack reported as
// a bombing in the headline and as an attack in the recap.
func Family(typ string) string {
	switch typ {
	case article.EventAttack, article.EventBombing, article.EventSuicideBomb, article.EventShooting,
		article.EventStabbing, article.EventHostageTaking:
		return "assault"
	}
	return typ
}

// DetectTriggers finds event triggers in one tokenised sentence. Tags, when
// present, keep nouns and verbs apart ("shot" the verb, not "a shot"), and
// word context drops figurative uses ("heart attack", "without warning").
func detectTriggers(s sent) []Trigger {
	var out []Trigger
	toks := s.toks
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		w := t.lower
		prev, next, next2 := "", "", ""
		if i > 0 {
			prev = toks[i-1].lower
		}
		if i+1 < len(toks) {
			next = toks[i+1].lower
		}
		if i+2 < len(toks) {
			next2 = toks[i+2].lower
		}
		span := func(typ, sub string, from, to int) Trigger {
			return Trigger{Type: typ, Subtype: sub, Tok: i, Start: toks[from].start, End: toks[to].end}
		}
		// Multi-word triggers first.
		switch {
		case (w == "air" || w == "drone" || w == "missile" || w == "rocket") && (next == "strike" || next == "strikes" || next == "attack" || next == "attacks"):
			out = append(out, span(article.EventAirStrike, w, i, i+1))
			i++
			continue
		case w == "explosive" && (next == "device" || next == "devices"):
			// "an improvised explosive device": the IED spelled out.
			from := i
			if prev == "improvised" {
				from = i - 1
			}
			out = append(out, span(article.EventBombing, "", from, i+1))
			i++
			continue
		case w == "improvised" && next == "explosive" && (next2 == "device" || next2 == "devices"):
			continue // the "explosive" case takes the phrase
		case (w == "gunned" || w == "gun") && next == "down":
			// "was gunned down", "gunmen gunned down two guards"
			out = append(out, span(article.EventShooting, "", i, i+1))
			i++
			continue
		case w == "opened" && next == "fire":
			out = append(out, span(article.EventShooting, "", i, i+1))
			i++
			continue
		case w == "blew" && (next == "himself" || next == "herself" || next == "themselves") && next2 == "up":
			out = append(out, span(article.EventSuicideBomb, "suicide", i, i+2))
			i += 2
			continue
		case w == "suicide" || w == "suicide-bombing" || w == "suicide-bomber":
			if l, ok := lookup(next); ok && (l.typ == article.EventBombing || l.typ == article.EventAttack) {
				out = append(out, span(article.EventSuicideBomb, "suicide", i, i+1))
				i++
				continue
			}
			if next == "vest" || next == "vests" || next == "belt" {
				out = append(out, span(article.EventSuicideBomb, "suicide", i, i+1))
				i++
				continue
			}
		case (w == "car" || w == "truck" || w == "vehicle" || w == "lorry") && (next == "bomb" || next == "bombing" || next == "bombs"):
			out = append(out, span(article.EventBombing, "vehicle", i, i+1))
			i++
			continue
		case (w == "vehicle" || w == "truck" || w == "lorry" || w == "car" || w == "ramming") && (next == "attack" || next == "attacks"):
			out = append(out, span(article.EventAttack, "vehicle", i, i+1))
			i++
			continue
		case w == "knife" && (next == "attack" || next == "attacks" || next == "attacker"):
			out = append(out, span(article.EventStabbing, "knife", i, i+1))
			i++
			continue
		case (w == "took" || w == "taken" || w == "taking" || w == "take" || w == "held" || w == "holding") && hostageAfter(toks, i) > 0:
			to := hostageAfter(toks, i)
			out = append(out, span(article.EventHostageTaking, "", i, to))
			i = to
			continue
		case (w == "threat" || w == "alert" || w == "terror") && (next == "level" || next == "levels") && changeNear(toks, i):
			out = append(out, span(article.EventThreatLevel, "", i, i+1))
			i++
			continue
		case w == "vigipirate" || (w == "state" && next == "of" && next2 == "emergency" && changeNear(toks, i)):
			out = append(out, span(article.EventThreatLevel, "", i, i))
			continue
		case (w == "drove" || w == "ploughed" || w == "plowed" || w == "driven" || w == "smashed") && vehicleInto(toks, i):
			out = append(out, span(article.EventAttack, "vehicle", i, i))
			continue
		case w == "rammed" || w == "ramming":
			out = append(out, span(article.EventAttack, "vehicle", i, i))
			continue
		case w == "taken" && next == "into" && next2 == "custody":
			out = append(out, span(article.EventArrest, "", i, i+2))
			i += 2
			continue
		case w == "into" && next == "custody" && custodyVerb(toks, i):
			// "took 23 suspects into custody"
			out = append(out, span(article.EventArrest, "", i, i+1))
			i++
			continue
		}
		l, ok := lookup(w)
		if !ok {
			continue
		}
		if l.verb && t.tag != "" && !isPast(t) && next != "dead" && next != "up" && next != "and" {
			continue
		}
		if l.typ == article.EventAttack && notAttackBefore(prev) {
			continue
		}
		if l.typ == article.EventShooting && w == "shot" && t.tag == "" && (prev == "a" || prev == "the" || prev == "big") {
			continue
		}
		if l.typ == article.EventWarning && (prev == "without" || prev == "no" || prev == "early") {
			continue
		}
		if l.typ == article.EventArrest && (next == "warrant" || next == "warrants") {
			continue
		}
		if l.typ == article.EventBombing && accidental(toks, i) {
			continue
		}
		if l.typ == article.EventBombing && (prev == "unexploded" || prev == "wartime" || prev == "undetonated") {
			continue
		}
		if l.typ == article.EventBombing && (next == "threat" || next == "threats" || next == "scare" || next == "hoax" || next == "squad" || next == "disposal" || next == "shelter") {
			continue
		}
		if (l.typ == article.EventBombing || l.typ == article.EventAttack) && t.tag != "" && !isNoun(t) && !isVerb(t) {
			continue
		}
		tr := span(l.typ, l.sub, i, i)
		switch w {
		case "gunman", "gunmen", "shooter", "shooters", "bomber", "bombers":
			tr.Weak = true
		}
		out = append(out, tr)
	}
	for i := range out {
		out[i].Words = textOf(s, out[i].Start, out[i].End)
	}
	return out
}

func textOf(s sent, start, end int) string {
	return s.text[start-s.start : end-s.start]
}

// changeNear reports whether a threat-level phrase at i comes with a word of
// change ("raised", "lowered", "to its highest").
func changeNear(toks []tok, i int) bool {
	lo, hi := max(0, i-6), min(len(toks), i+8)
	for _, t := range toks[lo:hi] {
		switch t.lower {
		case "raised", "raise", "raises", "raising", "lowered", "lower", "lowers", "lowering", "increased", "elevated",
			"heightened", "reduced", "highest", "critical", "severe", "upgraded", "downgraded", "declared", "extended", "maximum":
			return true
		}
	}
	return false
}

// vehicleInto reports "drove a lorry into": a vehicle word and "into" within
// the next few tokens.
func vehicleInto(toks []tok, i int) bool {
	veh, into := false, false
	for _, t := range toks[i+1 : min(len(toks), i+6)] {
		switch t.lower {
		case "lorry", "truck", "car", "van", "vehicle", "suv", "bus":
			veh = true
		case "into", "through":
			into = veh
		}
	}
	return veh && into
}

// hostageAfter returns the index of "hostage(s)" within the four tokens
// after i ("took 12 people hostage"), or 0.
func hostageAfter(toks []tok, i int) int {
	for j := i + 1; j < min(len(toks), i+5); j++ {
		switch toks[j].lower {
		case "hostage", "hostages":
			return j
		case ".", ";", ",", "and":
			return 0
		}
	}
	return 0
}

// accidental reports an explosion word at i that tells an accident, not an
// attack: a cause such as gas, a boiler or a chemical plant next to it ("a
// gas explosion", "a blast at a fireworks factory"), or a sentence that
// calls it an accident, with no word of a bomb or an attack in it.
func accidental(toks []tok, i int) bool {
	switch toks[i].lower {
	case "explosion", "explosions", "blast", "blasts", "exploded", "detonation":
	default:
		return false // "bomb" and "bombing" are never accidents
	}
	for j := max(0, i-3); j < min(len(toks), i+7); j++ {
		if accidentCause(toks[j].lower) {
			return true
		}
	}
	attack := false
	cause := false
	for _, t := range toks {
		switch t.lower {
		case "bomb", "bombs", "bombing", "bomber", "ied", "ieds", "suicide", "attack", "attacker", "attackers", "terrorist", "terrorists", "terror", "militants", "claimed", "device", "detonated":
			attack = true
		case "accident", "accidental", "accidentally", "leak", "leaking", "malfunction", "faulty", "short-circuit", "negligence", "lightning":
			cause = true
		}
	}
	return cause && !attack
}

// accidentCause is a word naming the cause or the site of an accidental
// explosion.
func accidentCause(w string) bool {
	switch w {
	case "gas", "methane", "boiler", "boilers", "pipeline", "chemical", "chemicals", "factory", "refinery", "fireworks", "firework",
		"coal", "mining", "colliery", "cylinder", "cylinders", "propane", "fuel", "transformer", "reactor", "volcanic", "dust", "ammonium", "fertiliser", "fertilizer", "leak", "accidental", "accident":
		return true
	}
	return false
}

// custodyVerb reports "took" or "taken" within the four tokens before "into
// custody" at i.
func custodyVerb(toks []tok, i int) bool {
	for j := max(0, i-4); j < i; j++ {
		switch toks[j].lower {
		case "took", "take", "taken", "taking", "takes":
			return true
		}
	}
	return false
}
