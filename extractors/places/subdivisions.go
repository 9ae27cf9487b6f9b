package places

import (
	"fmt"
	"strings"

	"github.com/newswire/newswire/extractors/kb"
)

// addSubdivisions adds the ISO 3166-2 subdivisions (admin records without a
// GeoNames admin1 code) as admin areas of their country, without
// coordinates. Each takes its English name from extra.yaml's admin_names or
// else its data name without diacritics, and the other forms regionForms
// derives as aliases. A subdivision that a hand-written part-region of the
// same country already names (Xinjiang, Dagestan) is left out: the region
// has coordinates.
func (g *Gazetteer) addSubdivisions(recs [][]string, extra extraFile) error {
	type english struct {
		name    string
		aliases []string
	}
	names := map[string]english{}
	for _, a := range extra.AdminNames {
		if a.ISO == "" || a.Name == "" {
			return fmt.Errorf("%w: admin_names: entry without iso or name", ErrData)
		}
		names[a.ISO] = english{a.Name, a.Aliases}
	}
	used := map[string]bool{}
	for _, f := range recs {
		c := g.countries[f[1]]
		iso := f[6]
		en, ok := names[iso]
		if ok {
			used[iso] = true
		}
		forms := regionForms(f[3])
		name := forms[0]
		if ok {
			name = en.name
			forms = append(regionForms(en.name), forms...)
			for _, a := range en.aliases {
				forms = append(forms, regionForms(a)...)
			}
		}
		if g.partRegion(f[1], forms) {
			continue
		}
		e := &Entry{ID: "admin:" + iso, Name: name, Kind: KindAdmin, CountryCode: f[1], Code: iso, noCoords: true}
		e.Within = append([]string{c.Name}, c.Within...)
		seen := map[string]bool{name: true}
		g.add(e, name, false)
		for _, a := range forms {
			g.add(e, a, false)
			if !seen[a] && !derived(a, forms) {
				seen[a] = true
				e.Aliases = append(e.Aliases, a)
			}
		}
	}
	for iso := range names {
		if !used[iso] {
			return fmt.Errorf("%w: admin_names: no subdivision %s", ErrData, iso)
		}
	}
	return nil
}

// derived reports whether form is one regionForms made by dropping a word
// ("Anbar" of "Al Anbar"): such forms are lookup keys, not names to show.
func derived(form string, forms []string) bool {
	for _, f := range forms {
		if f != form && (strings.HasSuffix(f, " "+form) || strings.HasPrefix(f, form+" ")) {
			return true
		}
	}
	return false
}

// partRegion reports whether a hand-written region of country cc that is a
// part of it has one of the names.
func (g *Gazetteer) partRegion(cc string, names []string) bool {
	for _, n := range names {
		for _, e := range g.byName[key(n)] {
			if e.Kind == KindRegion && e.CountryCode == cc {
				return true
			}
		}
	}
	return false
}

// arabicArticles are the transliterated Arabic articles that begin many
// governorate names ("Al Anbar", "As Sulaymaniyah", "Ash Sharqiyah").
var arabicArticles = []string{"al ", "ar ", "as ", "an ", "ad ", "ash ", "at ", "az ", "ath "}

// genericWords are names too generic to stand alone once a suffix or an
// article is dropped ("Northern Province" is not "Northern").
var genericWords = map[string]bool{"north": true, "south": true, "east": true, "west": true, "central": true,
	"northern": true, "southern": true, "eastern": true, "western": true, "upper": true, "lower": true, "capital": true,
	"coast": true, "national": true, "federal": true, "autonomous": true, "special": true, "city": true, "new": true,
	"greater": true, "middle": true, "islands": true, "island": true, "jewish": true}

// regionForms returns the names a subdivision is written with, its display
// name first: the name without diacritics ("Al Anbar"), the data form when
// different ("Al Anbār"), each half of a bilingual "A/B" name, the name
// without a leading Arabic article ("Anbar") or "Republic of", without a
// trailing subdivision word ("Kherson" of "Kherson Oblast") and without a
// parenthesis or a ", City of" tail. Forms shorter than four letters or
// generic ("Northern") are dropped, except the display name.
func regionForms(data string) []string {
	s := data
	if i := strings.IndexByte(s, '('); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	if i := strings.Index(s, ", "); i > 0 {
		s = strings.TrimSpace(s[:i])
	}
	var out []string
	seen := map[string]bool{}
	addForm := func(f string, display bool) {
		f = strings.TrimSpace(strings.Trim(f, "'’‘ʿʾ`"))
		k := kb.Fold(f)
		if k == "" || seen[f] {
			return
		}
		if !display && (len([]rune(k)) < 4 || genericWords[k]) {
			return
		}
		seen[f] = true
		out = append(out, f)
	}
	var parts []string
	for _, p := range strings.Split(s, "/") {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 {
		return []string{data}
	}
	for i, p := range parts {
		a := asciiName(p)
		addForm(a, i == 0)
		addForm(p, false)
	}
	if s == data && len(parts) == 1 {
		addForm(data, false)
	}
	// Shorter forms of each full form.
	for _, f := range append([]string(nil), out...) {
		words := strings.Fields(f)
		low := strings.ToLower(f)
		for _, art := range arabicArticles {
			if strings.HasPrefix(low, art) {
				addForm(f[len(art):], false)
			}
		}
		if strings.HasPrefix(low, "republic of ") {
			addForm(f[len("republic of "):], false)
		}
		if len(words) > 1 && adminWords[strings.ToLower(words[len(words)-1])] {
			bare := strings.Join(words[:len(words)-1], " ")
			addForm(bare, false)
			if strings.HasSuffix(strings.ToLower(bare), " autonomous") {
				addForm(strings.Join(words[:len(words)-2], " "), false)
			}
		}
	}
	return out
}
