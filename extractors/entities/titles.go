package entities

import (
	"strings"
	"unicode"
)

// titles are words and phrases that precede a person's name and name a role
// rather than the person. Longer phrases come first.
var titles = []string{
	"Prime Minister", "Deputy Prime Minister", "Foreign Minister", "Interior Minister", "Defence Minister",
	"Defense Minister", "Home Secretary", "Foreign Secretary", "Defence Secretary", "Defense Secretary",
	"Secretary of State", "Secretary-General", "Secretary General", "Attorney General", "Vice President",
	"President-elect", "President", "Chancellor", "Minister", "Secretary", "Ambassador", "Senator", "Sen.",
	"Representative", "Rep.", "Governor", "Gov.", "Mayor", "Judge", "Justice", "Prosecutor",
	"Lieutenant General", "Lt. Gen.", "Lt Gen", "Major General", "Maj. Gen.", "Maj Gen", "Brigadier General",
	"Brig. Gen.", "General", "Gen.", "Gen", "Admiral", "Adm.", "Colonel", "Col.", "Lieutenant", "Lt.",
	"Major", "Maj.", "Captain", "Capt.", "Sergeant", "Sgt.", "Commander", "Cmdr.", "Commissioner",
	"Chief Inspector", "Inspector", "Detective", "Det.", "Superintendent", "Supt.", "Officer",
	"Director", "Chief", "Spokesman", "Spokeswoman", "Spokesperson",
	"Dr.", "Dr", "Prof.", "Professor", "Mr.", "Mr", "Mrs.", "Mrs", "Ms.", "Ms", "Sir", "Dame", "Lord", "Lady",
	"King", "Queen", "Prince", "Princess", "Pope", "Sheikh", "Imam", "Cardinal", "Rev.", "Reverend",
	"Emir", "Ayatollah", "Sultan", "Crown Prince", "Air Vice Marshal", "Air Marshal", "Field Marshal", "Marshal",
	"Inspector General", "Police Chief", "Brig.", "Brigadier", "Deputy",
}

// courtesy titles are stripped but not kept as roles.
var courtesy = map[string]bool{"Mr.": true, "Mr": true, "Mrs.": true, "Mrs": true, "Ms.": true, "Ms": true}

// stripTitles removes leading titles from a person's name and returns them
// as roles, e.g. "Gen. Erik Kurilla" -> "Erik Kurilla", ["Gen."].
func stripTitles(name string) (string, []string) {
	var roles []string
	for {
		found := false
		for _, t := range titles {
			if len(name) > len(t) && strings.HasPrefix(name, t) && name[len(t)] == ' ' {
				rest := strings.TrimSpace(name[len(t):])
				if !startsUpper(rest) {
					continue
				}
				if !courtesy[t] {
					roles = append(roles, t)
				}
				name = rest
				found = true
				break
			}
		}
		if !found {
			break
		}
	}
	return strings.TrimSpace(name), roles
}

func startsUpper(s string) bool {
	for _, r := range s {
		return unicode.IsUpper(r)
	}
	return false
}

// roleNouns mark an apposition as a role ("director of transnational
// threats", "counter terrorism analyst at ...").
var roleNouns = []string{
	"director", "head", "chief", "spokesman", "spokeswoman", "spokesperson", "commander", "leader",
	"minister", "president", "analyst", "professor", "secretary", "official", "officer", "founder",
	"ambassador", "adviser", "advisor", "expert", "researcher", "fellow", "chairman", "chair", "member",
	"prosecutor", "governor", "mayor", "general", "colonel", "emir", "editor", "correspondent", "deputy",
	"coordinator", "chancellor", "lawyer", "attorney", "judge", "inspector", "superintendent", "ceo",
	"manager", "specialist", "scholar", "lecturer",
}

// appositionRoles finds a role written beside a person's mention: after it
// (", director of the FBI,") or before it ("the commander of US Central
// Command, Gen. Erik Kurilla").
func appositionRoles(text string, start, end int) []string {
	var out []string
	for _, t := range titles {
		if start > len(t) && strings.HasSuffix(text[:start], t+" ") {
			start -= len(t) + 1
			break
		}
	}
	if end < len(text) && strings.HasPrefix(text[end:], ", ") {
		rest := text[end+2:]
		if r := clause(rest, false); isRole(r) {
			out = append(out, r)
		}
	}
	if start >= 2 && text[start-2:start] == ", " {
		before := text[:start-2]
		if r := clause(before, true); isRole(r) {
			out = append(out, r)
		}
	}
	return out
}

// clause returns the words of s up to the nearest clause boundary, from the
// start of s or, when backwards, from its end.
func clause(s string, backwards bool) string {
	const stops = ".,;:\"“”()!?\n"
	if backwards {
		i := strings.LastIndexAny(s, stops)
		s = s[i+1:]
	} else if i := strings.IndexAny(s, stops); i >= 0 {
		s = s[:i]
	}
	s = strings.TrimSpace(s)
	for _, p := range []string{"the ", "The ", "a ", "A ", "an ", "An "} {
		s = strings.TrimPrefix(s, p)
	}
	return s
}

func isRole(s string) bool {
	words := strings.Fields(strings.ToLower(s))
	if len(words) == 0 || len(words) > 12 {
		return false
	}
	// A role apposition starts in lower case or with a role noun, and is not
	// a verb phrase ("said", "told").
	first := words[0]
	for _, v := range []string{"said", "says", "told", "added", "who", "which", "and", "but", "according"} {
		if first == v {
			return false
		}
	}
	for _, w := range words {
		w = strings.Trim(w, "'’-")
		for _, n := range roleNouns {
			if w == n || w == n+"s" {
				return true
			}
		}
	}
	return false
}

// splitTitled splits a name with a title inside it, written as one span by
// the recogniser: "Valle del Cauca Governor Luz Marina Ortega" -> role
// "Valle del Cauca Governor", name "Luz Marina Ortega". minRest is the least
// number of words the name after the title must have. ok is false when no
// title stands inside the name.
func splitTitled(name string, minRest int) (role, rest string, ok bool) {
	words := strings.Fields(name)
	for i := 1; i < len(words); i++ {
		best := 0
		for _, t := range titles {
			tw := strings.Fields(t)
			if courtesy[t] || len(tw) <= best || i+len(tw)+minRest > len(words) {
				continue
			}
			if strings.Join(words[i:i+len(tw)], " ") == t && startsUpper(words[i+len(tw)]) {
				best = len(tw)
			}
		}
		if best > 0 {
			return strings.Join(words[:i+best], " "), strings.Join(words[i+best:], " "), true
		}
	}
	return "", "", false
}
