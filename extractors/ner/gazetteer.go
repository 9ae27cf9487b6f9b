package ner

import (
	"bufio"
	"embed"
	"fmt"
	"sort"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

//go:embed gazetteer/*.txt
var gazetteerFS embed.FS

// Gazetteer flags: one bit per list a single word is in.
const (
	gzFirstName = iota
	gzPlace
	gzDemonym
	gzOrgWord
	gzLocWord
	gzTitle
	gzOrg
	gzCalendar
	gzPlacePart // part of a multi-word place name
	gzOrgPart   // part of a multi-word organisation name
	gzCity      // a city of 50,000 people or more (GeoNames)
	gzPerPart   // part of a known person's name (knowledge base)
	gzCommon    // an everyday word of the tagger's vocabulary (not a name)
	gzPerson    // a given name or surname of any country (person-names.txt)
	gzTeam      // a sports club or team (compromise-teams.txt, sports-teams.txt)
)

type gazEntry struct {
	words []string // lower case
	typ   string   // PER, ORG, LOC, MISC
}

// gazetteer holds the word lists. Read-only after construction.
type gazetteer struct {
	single map[string]uint16
	multi  map[string][]gazEntry // by first word, longest first
	// kinds keeps the finer label of a known place ("GPE" for countries,
	// cities and regions).
	countries map[string]bool
}

func newGazetteer() (*gazetteer, error) {
	g := &gazetteer{single: map[string]uint16{}, multi: map[string][]gazEntry{}, countries: map[string]bool{}}
	lists := []struct {
		file string
		flag int
		typ  string
	}{
		{"first-names.txt", gzFirstName, ""},
		{"given-names-moby.txt", gzFirstName, ""},
		{"places.txt", gzPlace, "LOC"},
		{"orgs.txt", gzOrg, "ORG"},
		{"org-words.txt", gzOrgWord, ""},
		{"loc-words.txt", gzLocWord, ""},
		{"titles.txt", gzTitle, ""},
		{"demonyms.txt", gzDemonym, "MISC"},
		{"calendar.txt", gzCalendar, ""},
		{"occasions.txt", gzCalendar, "MISC"},
		{"cities.txt", gzCity, "LOC"},
		{"geo-aliases.txt", gzPlace, "LOC"},
		{"geo-demonyms.txt", gzDemonym, "MISC"},
		{"kb-groups.txt", gzOrg, "ORG"},
		{"kb-people.txt", gzPerPart, "PER"},
		{"common-words.txt", gzCommon, ""},
		{"person-names.txt", gzPerson, ""},
		{"function-words.txt", gzCommon, ""},
		{"orgs-world.txt", gzOrg, "ORG"},
		{"compromise-orgs.txt", gzOrg, "ORG"},
		{"compromise-teams.txt", gzTeam, "ORG"},
		{"sports-teams.txt", gzTeam, "ORG"},
		{"wordnet-orgs.txt", gzOrg, "ORG"},
	}
	for _, l := range lists {
		f, err := gazetteerFS.Open("gazetteer/" + l.file)
		if err != nil {
			return nil, fmt.Errorf("ner: open gazetteer %s: %w", l.file, err)
		}
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line := strings.TrimSpace(sc.Text())
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			g.add(line, l.flag, l.typ)
			// British and American spellings name the same body:
			// "World Health Organisation".
			if alt := otherSpelling(line); alt != line {
				g.add(alt, l.flag, l.typ)
			}
			if l.flag == gzDemonym {
				if pl, ok := demonymPlural(line); ok {
					g.add(pl, l.flag, l.typ)
				}
			}
		}
		f.Close()
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("ner: read gazetteer %s: %w", l.file, err)
		}
	}
	for _, name := range regionNames() {
		g.add(name, gzPlace, "LOC")
		g.countries[strings.ToLower(name)] = true
	}
	for k, es := range g.multi {
		// Longest entries first so the first match is the longest.
		for i := 1; i < len(es); i++ {
			for j := i; j > 0 && len(es[j].words) > len(es[j-1].words); j-- {
				es[j], es[j-1] = es[j-1], es[j]
			}
		}
		g.multi[k] = es
	}
	return g, nil
}

// add puts a name in the lists. Single words get the flag; names of several
// words (and typed single words) become span entries.
func (g *gazetteer) add(name string, flag int, typ string) {
	words := splitName(strings.ToLower(name))
	if len(words) == 0 {
		return
	}
	if len(words) == 1 {
		g.single[words[0]] |= 1 << flag
	} else {
		part := -1
		switch typ {
		case "LOC":
			part = gzPlacePart
			if flag == gzCity {
				part = gzCity
			}
		case "ORG":
			part = gzOrgPart
			if flag == gzTeam {
				part = gzTeam
			}
		case "PER":
			part = gzPerPart
		}
		if part >= 0 {
			for _, w := range words {
				// A city in a team's name ("Seattle Seahawks") stays a
				// city: it is the team only where the list says so alone.
				// (The city and place lists are loaded before the teams.)
				if part == gzTeam && g.single[w]&(1<<gzCity|1<<gzPlace) != 0 {
					continue
				}
				g.single[w] |= 1 << part
			}
		}
	}
	if typ != "" {
		g.multi[words[0]] = append(g.multi[words[0]], gazEntry{words: words, typ: typ})
	}
}

// splitName splits a name as the tokenizer would, roughly: at spaces, with
// a trailing full stop kept on abbreviations.
func splitName(s string) []string {
	return strings.Fields(s)
}

func (g *gazetteer) flags(lower string) uint16 { return g.single[lower] }

// markSpans sets gazSpan on tokens covered by the longest multi-word match
// that starts at a capitalised token. A name listed with several types
// ("Georgia": a place; "Real Madrid"...) gets them all, joined by "|" in a
// fixed order, so that the ambiguity is a feature of its own.
func (g *gazetteer) markSpans(s *sentence) {
	for i := 0; i < len(s.toks); {
		// A listed name starts at a capital, or at a lower-case particle
		// before one ("al Qaeda", "de Gaulle").
		if !s.capitals[i] && !(particle(s.toks[i].lower) && i+1 < len(s.toks) && s.capitals[i+1]) {
			i++
			continue
		}
		best := gazEntry{}
		for _, e := range g.multi[s.toks[i].lower] {
			if i+len(e.words) > len(s.toks) {
				continue
			}
			ok := true
			for k, w := range e.words {
				// Lists are matched in lower case, but a lower-case word
				// of running text inside a match must be one that names
				// keep in lower case: "Organization for Security and
				// Co-operation in Europe", not "the WTA tour".
				t := &s.toks[i+k]
				if t.lower != w || k > 0 && t.cap == capLower && !s.allCaps && !lowerInName(w) {
					ok = false
					break
				}
			}
			if ok {
				best = e
				break
			}
		}
		if best.words == nil {
			i++
			continue
		}
		typ := best.typ
		for _, e := range g.multi[s.toks[i].lower] {
			if len(e.words) == len(best.words) && e.typ != best.typ && !strings.Contains(typ, e.typ) && sameWords(e.words, best.words) {
				typ += "|" + e.typ
			}
		}
		if strings.Contains(typ, "|") {
			parts := strings.Split(typ, "|")
			sort.Strings(parts)
			typ = strings.Join(parts, "|")
		}
		for k := range best.words {
			p := "I-"
			if k == 0 {
				p = "B-"
			}
			s.toks[i+k].gazSpan = p + typ
		}
		i += len(best.words)
	}
}

// demonymPlural gives the plural that names a people ("Syrians",
// "Yazidis", "Westerners"); adjectives in -ese, -ish, -ch and -ss have none.
func demonymPlural(d string) (string, bool) {
	if strings.Contains(d, " ") {
		return "", false
	}
	for _, suf := range []string{"ese", "ish", "ch", "ss", "s", "y"} {
		if strings.HasSuffix(d, suf) {
			return "", false
		}
	}
	if strings.HasSuffix(d, "ern") {
		return d + "ers", true // Western -> Westerners
	}
	return d + "s", true
}

func sameWords(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// regionNames lists English names of countries, territories and continents
// from CLDR (golang.org/x/text), split at " - " and parentheses and with "&"
// spelled "and", e.g. "Congo - Kinshasa" gives "Congo" and "Kinshasa".
func regionNames() []string {
	namer := display.English.Regions()
	seen := map[string]bool{}
	var out []string
	addName := func(n string) {
		n = strings.TrimSpace(n)
		if n == "" || seen[n] {
			return
		}
		seen[n] = true
		out = append(out, n)
	}
	var codes []string
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			codes = append(codes, string([]rune{a, b}))
		}
	}
	codes = append(codes, "002", "005", "009", "011", "013", "014", "015", "017", "018", "019", "021",
		"029", "030", "034", "035", "039", "053", "054", "057", "061", "142", "143", "145", "150",
		"151", "154", "155", "202", "419")
	for _, c := range codes {
		r, err := language.ParseRegion(c)
		if err != nil || r.String() != c {
			continue
		}
		if c == "ZZ" || c == "QO" || c == "EU" || c == "EZ" || c == "UN" || c == "XA" || c == "XB" {
			continue
		}
		n := namer.Name(r)
		if n == "" || n == c || strings.Contains(n, "Unknown") {
			continue
		}
		n = strings.ReplaceAll(n, "&", "and")
		if i := strings.Index(n, "("); i > 0 {
			addName(strings.Trim(n[i:], "()"))
			n = n[:i]
		}
		for _, part := range strings.Split(n, " - ") {
			addName(part)
		}
		addName(strings.ReplaceAll(n, " - ", " "))
	}
	return out
}

// otherSpelling swaps the British and American spellings of the words that
// often differ in organisations' names; a name without them comes back as
// it is.
func otherSpelling(name string) string {
	pairs := [][2]string{{"Organization", "Organisation"}, {"Defense", "Defence"}, {"Center", "Centre"},
		{"Labor", "Labour"}}
	for _, p := range pairs {
		switch {
		case strings.Contains(name, p[0]):
			return strings.ReplaceAll(name, p[0], p[1])
		case strings.Contains(name, p[1]):
			return strings.ReplaceAll(name, p[1], p[0])
		}
	}
	return name
}

// particle reports the lower-case words that may open a name in Arabic,
// Romance, Dutch and German names.
// lowerInName reports the small words that stay in lower case inside a
// listed name: connectors, particles and short prepositions.
func lowerInName(lower string) bool {
	switch lower {
	case "in", "at", "to", "a", "an", "on", "upon", "under", "over", "with", "without", "et", "und", "sur", "am", "im":
		return true
	}
	return isConnector(lower) || particle(lower)
}

func particle(lower string) bool {
	switch lower {
	case "al", "el", "ad", "ar", "as", "ash", "at", "az", "de", "del", "della", "di", "da", "du", "dos", "das",
		"van", "von", "der", "den", "bin", "ibn", "abu", "la", "le":
		return true
	}
	return false
}
