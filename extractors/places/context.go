package places

import (
	"strings"
	"unicode"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/kb"
	"github.com/newswire/newswire/pipeline/article"
)

// adminWordAfter returns the subdivision word that follows a mention
// ("Kabul province", "Kherson region", "Punjab state"), lower-cased, or "".
func adminWordAfter(text string, end int) string {
	rest, ok := strings.CutPrefix(text[end:], " ")
	if !ok {
		return ""
	}
	i := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) })
	if i < 0 {
		i = len(rest)
	}
	w := strings.ToLower(rest[:i])
	switch w {
	case "province", "region", "state", "governorate", "oblast", "district", "prefecture":
		return w
	}
	return ""
}

// commonWord reports whether a one-word name reads, without context, as a
// city whose name is an everyday English word ("Police", "Nice", "Reading").
func (x *Extractor) commonWord(k string, cands []*Entry) bool {
	if !x.g.common[k] || len(cands) == 0 {
		return false
	}
	best, _ := pick(cands, nil)
	return best.Kind == KindCity
}

// locatives are the words before a name that make it a place: "in Nice",
// "from Reading".
var locatives = map[string]bool{"in": true, "at": true, "from": true, "to": true, "near": true, "outside": true,
	"into": true, "around": true, "across": true, "toward": true, "towards": true, "via": true, "through": true,
	"inside": true, "between": true, "visited": true, "visit": true}

// placeContext reports whether a capitalised name at start follows a
// locative word ("in Nice"); a name at a sentence start ("Police said")
// does not.
func placeContext(text string, start int) bool {
	if r := []rune(text[start:]); len(r) == 0 || !unicode.IsUpper(r[0]) {
		return false
	}
	before := strings.TrimRight(text[:start], " ")
	if len(before) == len(text[:start]) {
		return false // no space: start of text, or after a line break or quote
	}
	i := strings.LastIndexFunc(before, func(r rune) bool { return !unicode.IsLetter(r) })
	return locatives[strings.ToLower(before[i+1:])]
}

// dateline reads the place of a news dateline at the start of the body
// ("KABUL, Afghanistan (Reuters) —", "LONDON —"): a name in capitals
// followed by a comma, a parenthesis or a dash. It returns the name's key and
// its reading without other context, or nil.
func (x *Extractor) dateline(d *extractors.Document) (string, *Entry) {
	body := d.Text[d.TitleEnd:]
	trimmed := strings.TrimLeft(body, " \n\r\t")
	off := d.TitleEnd + len(body) - len(trimmed)
	end := strings.IndexAny(trimmed, ",(—–-:\n")
	if end <= 0 || end > 40 {
		return "", nil
	}
	name := strings.TrimSpace(trimmed[:end])
	letters := 0
	for _, r := range name {
		switch {
		case unicode.IsUpper(r):
			letters++
		case r == ' ' || r == '.' || r == '\'':
		default:
			return "", nil // not all capitals: a sentence, not a dateline
		}
	}
	if letters < 3 {
		return "", nil
	}
	if trimmed[end] == ',' {
		if qual := qualifier(d.Text, off+len(strings.TrimRight(trimmed[:end], " "))); qual != "" {
			if e := x.qualified(name, qual); e != nil {
				return key(name), e
			}
		}
	}
	e, ok := pick(x.g.Candidates(name), nil)
	if !ok || e.Kind == KindContinent || e.Kind == KindRegion {
		return "", nil
	}
	return key(name), e
}

// givenNames are scanned place names that are also first names: before
// another capitalised word ("Chad Miller", "Jordan Peterson") they are a
// person's name, not the place.
var givenNames = map[string]bool{"Chad": true, "Jordan": true, "Georgia": true, "India": true, "China": true,
	"Israel": true, "Kenya": true, "Cuba": true, "Sydney": true, "Dallas": true, "Houston": true, "Paris": true,
	"Phoenix": true, "Santiago": true, "America": true, "Asia": true, "Africa": true, "Europe": true}

// personAhead reports whether the word after end is capitalised and not
// itself a place name the scan knows: "Chad Miller", not "Chad Basin".
func (x *Extractor) personAhead(text string, end int) bool {
	rest, ok := strings.CutPrefix(text[end:], " ")
	if !ok || rest == "" {
		return false
	}
	i := strings.IndexFunc(rest, func(r rune) bool { return !unicode.IsLetter(r) && r != '-' && r != '\'' })
	if i < 0 {
		i = len(rest)
	}
	w := rest[:i]
	if w == "" || !unicode.IsUpper([]rune(w)[0]) || strings.ToUpper(w) == w {
		return false
	}
	_, place := x.g.scanNames[w]
	return !place
}

// firstNames are the place names of givenNames that are common first names
// ("Chad Miller", "Jordan Peterson", "Georgia Harris"); "China Eastern" is
// an airline, not a person.
var firstNames = map[string]bool{"Chad": true, "Jordan": true, "Georgia": true, "Israel": true, "India": true,
	"Kenya": true, "Sydney": true, "Dallas": true, "Houston": true, "Paris": true, "Phoenix": true, "Santiago": true}

// notSurname are words after a first name that make the span an
// organisation, a team or a direction rather than a person's name.
var notSurname = map[string]bool{"eastern": true, "western": true, "southern": true, "northern": true, "central": true,
	"airlines": true, "airways": true, "air": true, "telecom": true, "bank": true, "group": true, "motors": true,
	"energy": true, "oil": true, "times": true, "post": true, "news": true, "national": true, "international": true,
	"united": true, "city": true, "state": true, "football": true, "club": true, "fc": true, "mavericks": true,
	"cowboys": true, "rockets": true, "suns": true, "texans": true, "stars": true, "open": true, "saint": true}

// geoWords end names of natural features and areas ("Jordan Valley", "Chad
// Basin"): such a name is a place, not a person.
var geoWords = map[string]bool{"valley": true, "basin": true, "river": true, "lake": true, "sea": true, "mountains": true,
	"desert": true, "coast": true, "border": true, "hills": true, "heights": true, "plain": true, "plains": true,
	"gulf": true, "bay": true, "island": true, "islands": true, "peninsula": true, "strait": true, "crossing": true,
	"city": true, "town": true, "university": true, "college": true, "tech": true, "ocean": true, "park": true}

// givenNamePeople turns place mentions such as "Chad Miller" into people: a
// name of two or three capitalised words, unknown to the gazetteer, whose
// first word is a place name that is also a first name (givenNames) and
// whose last is not a place word. The person joins d.Out.People.
func (x *Extractor) givenNamePeople(d *extractors.Document) {
	for i := range d.Mentions {
		m := &d.Mentions[i]
		if m.Kind != article.KindPlace {
			continue
		}
		raw := kb.TrimArticle(m.Text)
		words := strings.Fields(raw)
		if len(words) < 2 || len(words) > 3 || !firstNames[words[0]] || len(x.g.Candidates(raw)) > 0 {
			continue
		}
		last := strings.ToLower(words[len(words)-1])
		if geoWords[last] || adminWords[last] || isFacility(raw) {
			continue
		}
		name := true
		for _, w := range words[1:] {
			r := []rune(w)
			lw := strings.ToLower(w)
			if !unicode.IsUpper(r[0]) || strings.ToUpper(w) == w || notSurname[lw] || calendarNames[lw] {
				name = false
			}
		}
		if !name {
			continue
		}
		id := "person:" + kb.Slug(raw)
		m.Kind, m.EntityID = article.KindPerson, id
		found := false
		for j := range d.Out.People {
			if d.Out.People[j].ID == id {
				d.Out.People[j].Mentions++
				found = true
			}
		}
		if !found {
			d.Out.People = append(d.Out.People, article.Entity{ID: id, Name: raw, Aliases: []string{}, Mentions: 1})
		}
	}
}
