package entities

import (
	"strings"
	"unicode"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/kb"
	"github.com/newswire/newswire/pipeline/article"
)

// personName cleans a person mention: stray punctuation, a leading "the",
// leading titles, and a title written inside the span ("Valle del Cauca
// Governor Luz Ortega") are removed; the titles come back as roles.
func personName(text string) (string, []string) {
	name, roles := stripTitles(kb.TrimArticle(text))
	if role, rest, ok := splitTitled(name, 1); ok {
		n, r := stripTitles(rest)
		name = n
		roles = append(append(roles, role), r...)
	}
	return name, roles
}

// nameKeys returns the words of a name as written (split at spaces only),
// each folded with hyphens and apostrophes removed: "Nadia Karimzai-Holt" ->
// ["nadia", "karimzaiholt"].
func nameKeys(name string) []string {
	var out []string
	for _, w := range strings.Fields(name) {
		if k := strings.ReplaceAll(kb.Fold(w), " ", ""); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// orgWords in a name make it a group, not a person ("Shafaq News", "Policy
// Lab", "Conflict Studies").
var orgWords = map[string]bool{
	"news": true, "university": true, "institute": true, "ministry": true, "party": true, "agency": true,
	"council": true, "committee": true, "lab": true, "laboratory": true, "studies": true, "centre": true,
	"center": true, "department": true, "office": true, "foundation": true, "association": true,
	"forum": true, "police": true, "army": true, "corporation": true, "company": true, "commission": true,
	"authority": true, "federation": true, "organisation": true, "organization": true, "brigades": true,
	"movement": true, "network": true, "bureau": true, "directorate": true, "tv": true, "radio": true,
	"agency's": true, "inc": true, "ltd": true, "group": true,
}

// placeWords ending a name make it a place, not a person or group
// ("Borno State", "Ernst Happel Stadium", "Sambisa Forest").
var placeWords = map[string]bool{
	"state": true, "province": true, "district": true, "region": true, "county": true, "governorate": true,
	"stadium": true, "airport": true, "square": true, "street": true, "bridge": true, "river": true,
	"forest": true, "mountains": true, "valley": true, "city": true, "island": true, "islands": true,
	"lake": true, "desert": true, "camp": true, "platz": true, "arena": true, "hall": true, "station": true,
}

func hasWord(name string, set map[string]bool, lastOnly bool) bool {
	ws := strings.Fields(kb.Fold(name))
	if len(ws) < 2 {
		return false
	}
	if lastOnly {
		return set[ws[len(ws)-1]]
	}
	for _, w := range ws[1:] {
		if set[w] {
			return true
		}
	}
	return false
}

// isTitle reports whether s is a title alone ("Brig", "Deputy").
func isTitle(s string) bool {
	for _, t := range titles {
		if strings.EqualFold(strings.TrimSuffix(t, "."), strings.TrimSuffix(s, ".")) {
			return true
		}
	}
	return false
}

// lowerElsewhere reports whether a capitalised single word ("Gunmen") is
// also written in lower case in text, which marks it as a common word.
func lowerElsewhere(text, word string) bool {
	rs := []rune(word)
	if len(rs) < 2 || !unicode.IsUpper(rs[0]) {
		return false
	}
	for _, r := range rs[1:] {
		if !unicode.IsLower(r) {
			return false // acronyms and camel case are names
		}
	}
	low := strings.ToLower(word)
	for i := 0; ; {
		j := strings.Index(text[i:], low)
		if j < 0 {
			return false
		}
		s, e := i+j, i+j+len(low)
		before, after := ' ', ' '
		if s > 0 {
			before = rune(text[s-1])
		}
		if e < len(text) {
			after = rune(text[e])
		}
		if !unicode.IsLetter(before) && !unicode.IsLetter(after) && before != '-' && after != '-' {
			return true
		}
		i = e
	}
}

// fixKinds settles mentions whose recognised kind or span the article
// contradicts, before clustering. It returns roles found inside spans, keyed
// by the mention's start offset.
//   - A group span holding a title and a name of two or more words
//     ("Houston Police Chief Ana Ruiz-Diaz") becomes a person mention of the
//     name; the part before it is the role.
//   - A person span with an organisation word ("Shafaq News") becomes a
//     group; one ending in a place word ("Borno State") becomes a place.
//   - A group span unknown to the KB, without organisation words, whose last
//     word is the surname of a person in the article ("Amira Jadoon" beside
//     "Jadoon") becomes a person.
//   - A place span that is a KB person or a person's name written the same
//     way elsewhere in the article ("Vladimir Putin") becomes a person.
//   - Person and group spans that are a bare title ("Deputy"), a single
//     letter, or a capitalised word written elsewhere in lower case
//     ("Gunmen") are dropped.
func (x *Extractor) fixKinds(d *extractors.Document) map[int][]string {
	roles := map[int][]string{}
	// Person names and surnames written in the article.
	full := map[string]bool{}
	surnames := map[string]bool{}
	for i := range d.Mentions {
		m := &d.Mentions[i]
		switch m.Kind {
		case article.KindGroup:
			if _, known := x.kb.Lookup(article.KindGroup, kb.TrimArticle(m.Text)); known {
				continue
			}
			if role, rest, ok := splitTitled(kb.TrimArticle(m.Text), 2); ok && GuessGroupKind(rest) == "" && !hasWord(rest, orgWords, false) {
				off := strings.LastIndex(m.Text, rest)
				if off >= 0 {
					m.Start += off
					m.End = m.Start + len(rest)
					m.Text = rest
					m.Kind = article.KindPerson
					roles[m.Start] = append(roles[m.Start], role)
				}
			}
		case article.KindPerson:
			name, _ := personName(m.Text)
			switch {
			case hasWord(name, orgWords, false):
				m.Kind = article.KindGroup
			case hasWord(name, placeWords, true):
				m.Kind = article.KindPlace
			}
		}
		if m.Kind == article.KindPerson {
			name, _ := personName(m.Text)
			keys := nameKeys(name)
			if len(keys) > 1 {
				full[strings.Join(keys, " ")] = true
			}
			if len(keys) > 0 {
				surnames[keys[len(keys)-1]] = true
			}
		}
	}
	kept := d.Mentions[:0]
	for _, m := range d.Mentions {
		name := kb.TrimArticle(m.Text)
		keys := nameKeys(name)
		switch m.Kind {
		case article.KindGroup:
			if _, known := x.kb.Lookup(article.KindGroup, name); !known && len(keys) > 0 && len(keys) <= 4 &&
				surnames[keys[len(keys)-1]] && GuessGroupKind(name) == "" && !hasWord(name, orgWords, false) && allCapitalised(name) {
				m.Kind = article.KindPerson
			}
		case article.KindPlace:
			if e, ok := x.kb.Lookup("", name); ok && e.Kind == article.KindPerson {
				m.Kind = article.KindPerson
			} else if len(keys) > 1 && full[strings.Join(keys, " ")] {
				m.Kind = article.KindPerson
			}
		}
		if m.Kind == article.KindPerson || m.Kind == article.KindGroup {
			if _, known := x.kb.Lookup("", name); !known && !strings.Contains(name, " ") &&
				(isTitle(name) || len([]rune(name)) == 1 || lowerElsewhere(d.Text, name)) {
				continue
			}
		}
		kept = append(kept, m)
	}
	d.Mentions = kept
	return roles
}

// allCapitalised reports whether every word of name starts with an upper-case
// letter, name particles ("al-", "bin", "de") aside.
func allCapitalised(name string) bool {
	for _, w := range strings.Fields(name) {
		switch strings.ToLower(w) {
		case "al", "bin", "ibn", "de", "del", "da", "van", "von", "der", "la", "le", "el", "abu":
			continue
		}
		w = strings.TrimPrefix(strings.TrimPrefix(w, "al-"), "el-")
		if !startsUpper(w) {
			return false
		}
	}
	return true
}
