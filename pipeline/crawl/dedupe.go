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
	mhs  [][]uint32
	ids  []string
	next int
}

// match returns the ID of a remembered article that the text with
// fingerprint fp and sketch mh copies (see nearCopy), other than id itself,
// and remembers it.
func (n *nearDups) match(fp uint64, mh []uint32, id string) string {
	n.mu.Lock()
	defer n.mu.Unlock()
	found := ""
	for i, f := range n.fps {
		if ok, _ := nearCopy(fp, f, mh, n.mhs[i]); ok && n.ids[i] != id {
			found = n.ids[i]
			break
		}
	}
	if found != "" {
		return found
	}
	if len(n.fps) < nearDupWindow {
		n.fps = append(n.fps, fp)
		n.mhs = append(n.mhs, mh)
		n.ids = append(n.ids, id)
	} else {
		n.fps[n.next], n.mhs[n.next], n.ids[n.next] = fp, mh, id
		n.next = (n.next + 1) % nearDupWindow
	}
	return ""
}

// A SimHash moves several bits when a copy changes a footer or a credit
// line (nine of 64 for a new last line of a 100-word story), past
// simhashMaxDist. A MinHash of word trigrams backs it up: texts whose
// fingerprints are within simhashLooseDist bits and whose estimated
// trigram Jaccard similarity is at least minhashMinSim are copies too.
// Different stories, even about one place, share almost no trigrams.
const (
	minhashSize      = 32
	minhashShingle   = 3
	minhashMinSim    = 0.5
	simhashLooseDist = 20
)

// minhash returns a MinHash sketch of text's word trigrams, nil for texts
// too short for a SimHash.
func minhash(text string) []uint32 {
	words := simWordRe.FindAllString(strings.ToLower(text), -1)
	if len(words) < simhashMinWords {
		return nil
	}
	sk := make([]uint32, minhashSize)
	for i := range sk {
		sk[i] = ^uint32(0)
	}
	h := fnv.New64a()
	for i := 0; i+minhashShingle <= len(words); i++ {
		h.Reset()
		for _, w := range words[i : i+minhashShingle] {
			h.Write([]byte(w))
			h.Write([]byte{0})
		}
		x := h.Sum64()
		for j := range sk {
			if v := uint32(mix64(x+uint64(j)*0x9e3779b97f4a7c15) >> 32); v < sk[j] {
				sk[j] = v
			}
		}
	}
	return sk
}

// mix64 is SplitMix64's finaliser.
func mix64(z uint64) uint64 {
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// minhashSim estimates the Jaccard similarity of two sketches' trigram
// sets: 0 when either is missing.
func minhashSim(a, b []uint32) float64 {
	if len(a) != minhashSize || len(b) != minhashSize {
		return 0
	}
	same := 0
	for i := range a {
		if a[i] == b[i] {
			same++
		}
	}
	return float64(same) / minhashSize
}

// nearCopy reports whether two texts' fingerprints and sketches make one a
// copy of the other, and how far apart they are (for picking the nearest).
func nearCopy(fpA, fpB uint64, mhA, mhB []uint32) (bool, int) {
	d := bits.OnesCount64(fpA ^ fpB)
	if d <= simhashMaxDist {
		return true, d
	}
	if d <= simhashLooseDist && minhashSim(mhA, mhB) >= minhashMinSim {
		return true, d
	}
	return false, d
}
