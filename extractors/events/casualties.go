package events

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/newswire/newswire/pipeline/article"
)

const qualRe = `(?:(at least|more than|over|nearly|almost|about|around|approximately|some|roughly|up to|as many as|fewer than|less than|at most|an estimated)\s+)?`
const numRe = `(\d{1,3}(?:,\d{3})+|\d+|(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a dozen|dozens|scores|hundreds|thousands|several|a number|many)(?:\s+(?:hundred|thousand))?)`
const harmRe = `(killed|dead|died|deaths|fatalities|lost their lives|murdered|slain|injured|wounded|hurt|injuries|casualties)`

var (
	// "at least 140 people were killed", "two employees were killed", "200 wounded"
	countThenHarm = regexp.MustCompile(`(?i)\b` + qualRe + numRe + `((?:\s+(?:[a-z-]+|of them|of whom))*?)\s+(?:(?:were|was|have been|had been|are|is|been|being|reportedly|also|later|people|were later)\s+)*` + harmRe + `\b`)
	// "killing at least 95", "killed 12 people", "injuring more than 200"
	harmThenCount = regexp.MustCompile(`(?i)\b(killing|killed|kills|kill|shot dead|shooting dead|shot and killed|injuring|injured|wounding|wounded|injures|wounds|leaving|left)\s+` + qualRe + numRe + `\b(\s+(?:people|persons|civilians|others|more|dead|injured|wounded|worshippers|children|soldiers|officers|police(?:men)?))?`)
	// "the death toll rose to 143"
	// "the number of people killed in the bombing has risen to 17", "death
	// toll from the bombing rises to 17": the newest figure, read first.
	risenTo = regexp.MustCompile(`(?i)\b(death toll|toll|number of (?:people |those |civilians |victims )?(?:killed|dead|deaths|injured|wounded|hurt|casualties))\b[^.;:!?]{0,90}?\b(?:has |had |have )?(?:rose|risen|rises|rise|climbed|climbs|jumped|jumps|increased|increases|grew|grown)\s+to\s+` + qualRe + numRe + `\b`)
	toll    = regexp.MustCompile(`(?i)\b(?:death toll|toll)\s+(?:has\s+|had\s+)?(?:rose|risen|rises|climbed|reached|stood at|stands at|is|was|of|jumped|increased)?\s*(?:to\s+|at\s+)?` + qualRe + numRe + `\b`)
)

// stopBetween are words that end the phrase between a count and a harm word:
// when one of them is there, the count is not the number harmed.
func stopBetween(words string) bool {
	for _, w := range strings.Fields(strings.ToLower(words)) {
		switch w {
		case "and", "but", "after", "before", "when", "while", "who", "which", "killed", "injured", "wounded", "years", "year", "percent", "%", "days", "hours", "minutes", "miles", "kilometres", "km",
			"explosions", "blasts", "bombs", "attacks", "attackers", "gunmen", "bombers", "assailants", "militants", "shots", "rockets", "missiles", "drones":
			return true
		}
	}
	return len(strings.Fields(words)) > 4
}

// Casualties parses the numbers killed and injured in one sentence. Either
// result is nil when the sentence does not say. Vague amounts ("dozens")
// come back with Value 0 and only the Text: the caller leaves the integer
// nil. A bare "casualties" figure is counted as injured.
func Casualties(sentence string) (killed, injured *article.Count) {
	if !harmWord(strings.ToLower(sentence)) {
		return nil, nil
	}
	var casualties *article.Count
	set := func(harm string, c *article.Count) {
		switch strings.ToLower(harm) {
		case "killed", "dead", "died", "shot dead", "shooting dead", "shot and killed", "deaths", "fatalities", "lost their lives", "murdered", "slain", "killing", "kills", "kill", "toll":
			if killed == nil {
				killed = c
			}
		case "casualties":
			if casualties == nil {
				casualties = c
			}
		case "leaving", "left":
		default:
			if injured == nil {
				injured = c
			}
		}
	}
	for _, m := range risenTo.FindAllStringSubmatchIndex(sentence, -1) {
		c, ok := count(sub(sentence, m, 2), sub(sentence, m, 3), sentence[m[0]:m[1]])
		if !ok {
			continue
		}
		switch subj := strings.ToLower(sub(sentence, m, 1)); {
		case strings.HasSuffix(subj, "injured") || strings.HasSuffix(subj, "wounded") || strings.HasSuffix(subj, "hurt"):
			set("injured", c)
		case strings.HasSuffix(subj, "casualties"):
			set("casualties", c)
		default:
			set("toll", c)
		}
	}
	for _, m := range countThenHarm.FindAllStringSubmatchIndex(sentence, -1) {
		between := sub(sentence, m, 3)
		if stopBetween(between) {
			continue
		}
		c, ok := count(sub(sentence, m, 1), sub(sentence, m, 2), sentence[m[0]:m[1]])
		if !ok {
			continue
		}
		set(sub(sentence, m, 4), c)
	}
	for _, m := range harmThenCount.FindAllStringSubmatchIndex(sentence, -1) {
		verb, tail := strings.ToLower(sub(sentence, m, 1)), strings.ToLower(strings.TrimSpace(sub(sentence, m, 4)))
		c, ok := count(sub(sentence, m, 2), sub(sentence, m, 3), sentence[m[0]:m[1]])
		if !ok {
			continue
		}
		if m[4] >= 0 {
			c.Text = strings.TrimSpace(sentence[m[4]:m[1]])
		} else {
			c.Text = strings.TrimSpace(sentence[m[6]:m[1]])
		}
		if verb == "leaving" || verb == "left" {
			switch tail {
			case "dead":
				verb = "killed"
			case "injured", "wounded":
				verb = "injured"
			default:
				continue
			}
		}
		set(verb, c)
	}
	for _, m := range toll.FindAllStringSubmatchIndex(sentence, -1) {
		c, ok := count(sub(sentence, m, 1), sub(sentence, m, 2), sentence[m[0]:m[1]])
		if !ok {
			continue
		}
		if m[2] >= 0 {
			c.Text = sentence[m[2]:m[1]]
		} else {
			c.Text = sentence[m[4]:m[1]]
		}
		set("toll", c)
	}
	if injured == nil && casualties != nil {
		injured = casualties
	}
	return killed, injured
}

// harmWord is a cheap test for a word of harm before the regular expressions.
func harmWord(l string) bool {
	for _, w := range []string{"kill", "dead", "died", "death", "fatal", "lives", "murder", "slain", "injur", "wound", "hurt", "casualt", "toll", "left"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

func sub(s string, m []int, i int) string {
	if m[2*i] < 0 {
		return ""
	}
	return s[m[2*i]:m[2*i+1]]
}

// count builds a Count from a qualifier and a number phrase; ok is false for
// numbers that cannot be tolls (years).
func count(qual, num, text string) (*article.Count, bool) {
	c := &article.Count{Qualifier: qualifier(qual), Text: strings.TrimSpace(text)}
	if qual != "" {
		c.Text = strings.TrimSpace(text[strings.Index(strings.ToLower(text), strings.ToLower(qual)):])
	} else if i := strings.Index(text, num); i >= 0 {
		c.Text = strings.TrimSpace(text[i:])
	}
	v, exact := parseNumber(num)
	if exact {
		if v >= 1900 && v <= 2100 && !strings.Contains(num, ",") {
			return nil, false
		}
		c.Value = v
	}
	return c, true
}

func qualifier(q string) string {
	switch strings.ToLower(q) {
	case "at least":
		return "at_least"
	case "more than", "over":
		return "more_than"
	case "nearly", "almost", "about", "around", "approximately", "some", "roughly", "an estimated":
		return "about"
	case "up to", "as many as", "at most":
		return "up_to"
	case "fewer than", "less than":
		return "less_than"
	}
	return ""
}

// parseNumber reads digits ("1,200") and number words ("twenty-five", "two
// hundred"); exact is false for vague amounts ("dozens", "several").
func parseNumber(s string) (int, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	if n, err := strconv.Atoi(strings.ReplaceAll(s, ",", "")); err == nil {
		return n, true
	}
	if s == "a dozen" {
		return 12, true
	}
	total, cur := 0, 0
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '-' }) {
		switch w {
		case "hundred":
			if cur == 0 {
				cur = 1
			}
			cur *= 100
			continue
		case "thousand":
			if cur == 0 {
				cur = 1
			}
			total += cur * 1000
			cur = 0
			continue
		}
		v := wordValue(w)
		if v < 0 {
			return 0, false
		}
		cur += v
	}
	return total + cur, true
}

func wordValue(w string) int {
	units := []string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
		"eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"}
	for i, u := range units {
		if w == u {
			return i
		}
	}
	tens := []string{"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"}
	for i, u := range tens {
		if w == u {
			return (i + 2) * 10
		}
	}
	return -1
}
