package crawl

import (
	"hash/fnv"
	"math/bits"
	"regexp"
	"strings"
	"sync"
	"unicode/utf8"
)

// Near-duplicate detection: 64-bit SimHash (Charikar) over the text's words
// of four letters or more, weighted by count, so that function words do not
// make every English text look alike. Manku et al. ("Detecting
// near-duplicates for web crawling") used 3 differing bits of 64 for whole
// web pages; article texts are shorter and their fingerprints noisier: a
// one-line edit of a 100-word article moves 5-6 bits, while different
// stories, even about the same place, differ by 24-30. Up to 8 bits (cosine
// about 0.92) is a copy. Word n-gram shingles flip too many bits on short
// articles to be of use here.
const (
	simhashShingle  = 1
	simhashMaxDist  = 8
	simhashMinWords = 30
	nearDupWindow   = 20000
)

var simWordRe = regexp.MustCompile(`[\p{L}\p{M}\p{Nd}]+`)

// simhash returns the SimHash of text and whether it has enough words for
// one to mean anything.
func simhash(text string) (uint64, bool) {
	var words []string
	for _, w := range simWordRe.FindAllString(strings.ToLower(text), -1) {
		if utf8.RuneCountInString(w) >= 4 {
			words = append(words, w)
		}
	}
	if len(words) < simhashMinWords {
		return 0, false
	}
	var v [64]int
	h := fnv.New64a()
	for i := 0; i+simhashShingle <= len(words); i++ {
		h.Reset()
		for _, w := range words[i : i+simhashShingle] {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		x := h.Sum64()
		for b := range 64 {
			if x&(1<<b) != 0 {
				v[b]++
			} else {
				v[b]--
			}
		}
	}
	var fp uint64
	for b := range 64 {
		if v[b] > 0 {
			fp |= 1 << b
		}
	}
	return fp, true
}

// nearDups remembers the fingerprints of the last nearDupWindow articles.
// Safe for concurrent use.
type nearDups struct {
	mu   sync.Mutex
	fps  []uint64
	ids  []string
	next int
}

// match returns the ID of a remembered article whose fingerprint is within
// simhashMaxDist bits of fp, other than id itself, and remembers fp.
func (n *nearDups) match(fp uint64, id string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	found := ""
	for i, f := range n.fps {
		if n.ids[i] != id && bits.OnesCount64(f^fp) <= simhashMaxDist {
			found = n.ids[i]
			break
		}
	}
	if found != "" {
		return found
	}
	if len(n.fps) < nearDupWindow {
		n.fps = append(n.fps, fp)
		n.ids = append(n.ids, id)
	} else {
		n.fps[n.next], n.ids[n.next] = fp, id
		n.next = (n.next + 1) % nearDupWindow
	}
	return ""
}
