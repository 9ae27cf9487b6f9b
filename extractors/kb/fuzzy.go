package kb

import "strings"

// MatchPerson reports whether two person names, as written, plausibly name
// the same person spelled two ways (a transliteration or a misspelling). The
// rule is deliberately tight so that two different people are never merged:
//
//   - both names have a first name and a surname (at least two words);
//   - the first names are equal, or one is the other's initial, or they have
//     the same consonant skeleton within edit distance 2 ("Mohammed",
//     "Muhammad");
//   - the surnames are equal, or within edit distance 1 when at least 4
//     letters long, or have the same consonant skeleton within edit distance 2
//     when both are at least 5 letters long, or 3 when at least 7 ("Kurilla",
//     "Corella"; but not "Hassan", "Hussein").
//
// Names are compared after Fold (case, diacritics, hyphens ignored).
func MatchPerson(a, b string) bool {
	fa, fb := strings.Fields(Fold(a)), strings.Fields(Fold(b))
	if len(fa) < 2 || len(fb) < 2 {
		return false
	}
	return firstCompatible(fa[0], fb[0]) && surnameCompatible(fa[len(fa)-1], fb[len(fb)-1])
}

func firstCompatible(a, b string) bool {
	switch {
	case a == b:
		return true
	case len(a) == 1 || len(b) == 1:
		return a[0] == b[0]
	default:
		return skeleton(a) == skeleton(b) && editDistance(a, b) <= 2
	}
}

func surnameCompatible(a, b string) bool {
	d := editDistance(a, b)
	switch {
	case d == 0:
		return true
	case d <= 1 && len(a) >= 4 && len(b) >= 4:
		return true
	default:
		short := min(len(a), len(b))
		return skeleton(a) == skeleton(b) && (d <= 2 && short >= 5 || d <= 3 && short >= 7)
	}
}

// fuzzyPerson finds the single KB person MatchPerson accepts for name. It
// returns false when none or more than one person matches.
func (k *KB) fuzzyPerson(name string) (*Entry, bool) {
	var found *Entry
	for _, e := range k.people {
		hit := MatchPerson(name, e.Name)
		for _, a := range e.Aliases {
			if hit {
				break
			}
			hit = MatchPerson(name, a)
		}
		if !hit {
			continue
		}
		if found != nil && found != e {
			return nil, false
		}
		found = e
	}
	return found, found != nil
}

// skeleton is a rough phonetic key: the first letter, then consonants with
// c/k/q as k, ph as f, z as s, v as f, h and vowels dropped, repeats collapsed.
func skeleton(s string) string {
	s = strings.ReplaceAll(s, "ph", "f")
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case 'c', 'q':
			c = 'k'
		case 'z':
			c = 's'
		case 'v':
			c = 'f'
		}
		if i > 0 && strings.IndexByte("aeiouyhw", c) >= 0 {
			continue
		}
		if i == 0 && strings.IndexByte("aeiouy", c) >= 0 {
			c = 'a'
		}
		if len(b) > 0 && b[len(b)-1] == c {
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// editDistance is the Levenshtein distance over bytes.
func editDistance(a, b string) int {
	if a == b {
		return 0
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
