package nlp

import (
	"bytes"
	"encoding/gob"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/jdkato/prose/v2"
	"github.com/mingrammer/commonregex"
)

// Tagger is prose's averaged-perceptron part-of-speech tagger with its
// bundled weights, re-laid for speed: weights are indexed by class instead of
// held in nested maps, and feature keys are built in a reused buffer. It tags
// a slice of words, so callers with their own tokens (training corpora) get
// the same tags as the nlp extractor. Safe for concurrent use.
type Tagger struct {
	classes []string
	tagMap  map[string]string
	// weights maps a feature to one weight per class; seen marks the classes
	// the feature has a weight for (prose scores only those).
	weights map[string]featWeights
}

type featWeights struct {
	w    []float64
	seen []bool
}

// NewTagger loads prose's bundled tagger weights.
func NewTagger() (*Tagger, error) {
	var classes []string
	var tags map[string]string
	var wts map[string]map[string]float64
	for _, f := range []struct {
		name string
		into any
	}{
		{"classes.gob", &classes}, {"tags.gob", &tags}, {"weights.gob", &wts},
	} {
		b, err := prose.Asset("model/AveragedPerceptron/" + f.name)
		if err != nil {
			return nil, fmt.Errorf("nlp: read tagger %s: %w", f.name, err)
		}
		if err := gob.NewDecoder(bytes.NewReader(b)).Decode(f.into); err != nil {
			return nil, fmt.Errorf("nlp: decode tagger %s: %w", f.name, err)
		}
	}
	if len(classes) == 0 {
		return nil, ErrNoModel
	}
	idx := make(map[string]int, len(classes))
	for i, c := range classes {
		idx[c] = i
	}
	t := &Tagger{classes: classes, tagMap: tags, weights: make(map[string]featWeights, len(wts))}
	for feat, byClass := range wts {
		fw := featWeights{w: make([]float64, len(classes)), seen: make([]bool, len(classes))}
		for c, w := range byClass {
			i, ok := idx[c]
			if !ok {
				continue
			}
			fw.w[i], fw.seen[i] = w, true
		}
		t.weights[feat] = fw
	}
	return t, nil
}

var (
	noneRE = regexp.MustCompile(`^(?:0|\*[\w?]\*|\*\-\d{1,3}|\*[A-Z]+\*\-\d{1,3}|\*)$`)
	keepRE = regexp.MustCompile(`^\-[A-Z]{3}\-$`)
)

// Tag returns the Penn Treebank tag of each word, as prose would tag them.
func (t *Tagger) Tag(words []string) []string {
	tags := make([]string, len(words))
	ctx := make([]string, len(words)+4)
	ctx[0], ctx[1] = "-START-", "-START2-"
	for i, w := range words {
		ctx[i+2] = normalizeWord(w)
	}
	ctx[len(ctx)-2], ctx[len(ctx)-1] = "-END-", "-END2-"
	p1, p2 := "-START-", "-START2-"
	scores := make([]float64, len(t.classes))
	seen := make([]bool, len(t.classes))
	var buf []byte
	for i, word := range words {
		var tag string
		var found bool
		switch {
		case word == "-":
			tag = "-"
		case strings.HasPrefix(word, "@"):
			tag = "NN"
		case (strings.ContainsAny(word, ".@/")) &&
			(commonregex.LinkRegex.MatchString(word) || commonregex.EmailRegex.MatchString(word)):
			tag = "NN"
		case noneRE.MatchString(word):
			tag = "-NONE-"
		case keepRE.MatchString(word):
			tag = word
		default:
			if tag, found = t.tagMap[word]; !found {
				tag, buf = t.predict(i, ctx, word, p1, p2, scores, seen, buf)
			}
		}
		tags[i] = tag
		p2, p1 = p1, tag
	}
	return tags
}

// predict scores prose's features for word i; it mirrors prose's featurize.
func (t *Tagger) predict(i int, ctx []string, w, p1, p2 string, scores []float64, seen []bool, buf []byte) (string, []byte) {
	for k := range scores {
		scores[k], seen[k] = 0, false
	}
	add := func(parts ...string) {
		buf = buf[:0]
		for j, p := range parts {
			if j > 0 {
				buf = append(buf, ' ')
			}
			buf = append(buf, p...)
		}
		fw, ok := t.weights[string(buf)]
		if !ok {
			return
		}
		for k, wt := range fw.w {
			if fw.seen[k] {
				scores[k] += wt
				seen[k] = true
			}
		}
	}
	suf := min(len(w), 3)
	i = min(len(ctx)-2, i+2)
	iminus := min(len(ctx[i-1]), 3)
	iplus := min(len(ctx[i+1]), 3)
	add("bias")
	add("i suffix", w[len(w)-suf:])
	add("i pref1", w[:1])
	add("i-1 tag", p1)
	add("i-2 tag", p2)
	add("i tag+i-2 tag", p1, p2)
	add("i word", ctx[i])
	add("i-1 tag+i word", p1, ctx[i])
	add("i-1 word", ctx[i-1])
	add("i-1 suffix", ctx[i-1][len(ctx[i-1])-iminus:])
	add("i-2 word", ctx[i-2])
	add("i+1 word", ctx[i+1])
	add("i+1 suffix", ctx[i+1][len(ctx[i+1])-iplus:])
	add("i+2 word", ctx[i+2])
	best, bestScore := "", math.Inf(-1)
	for k, s := range scores {
		if seen[k] && s > bestScore {
			best, bestScore = t.classes[k], s
		}
	}
	if best == "" {
		best = "NN"
	}
	return best, buf
}

// normalizeWord mirrors prose's normalize.
func normalizeWord(word string) string {
	if word == "" {
		return word
	}
	if strings.Contains(word, "-") && word[0] != '-' {
		return "!HYPHEN"
	}
	if len(word) == 4 {
		if _, err := strconv.Atoi(word); err == nil {
			return "!YEAR"
		}
	}
	if word[0] >= '0' && word[0] <= '9' {
		return "!DIGITS"
	}
	return strings.ToLower(word)
}

// CommonWords returns, sorted, the lower-case words whose own weights in the
// tagger's model favour a tag other than a proper noun (NNP, NNPS): the
// everyday vocabulary of the tagger's training text. Entity taggers use it as
// a word list ("Police" at a sentence start is a common word, "Miura" is not).
func (t *Tagger) CommonWords() []string {
	var out []string
	for feat, fw := range t.weights {
		w, ok := strings.CutPrefix(feat, "i word ")
		if !ok || w == "" || strings.ToLower(w) != w {
			continue
		}
		best := -1
		for i, seen := range fw.seen {
			if seen && (best < 0 || fw.w[i] > fw.w[best]) {
				best = i
			}
		}
		if best < 0 {
			continue
		}
		if c := t.classes[best]; c == "NNP" || c == "NNPS" {
			continue
		}
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}
