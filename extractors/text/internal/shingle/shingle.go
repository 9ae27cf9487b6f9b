// Package shingle implements the article-extraction benchmark's metric:
// text is split into \w+ tokens, 4-gram shingles are counted as multisets,
// and per page TP, FP and FN are divided by TP+FP+FN. Precision is the mean
// over pages with TP+FP > 0, recall the mean over pages with TP+FN > 0, and
// F1 is computed from the two means.
//
// Usage:
//
//	s := shingle.Summarize([]shingle.Score{shingle.Compare(got, want)})
//	fmt.Println(s.F1)
package shingle

import (
	"regexp"
	"slices"
	"strings"
)

// wordRe matches Python's Unicode \w+: letters, marks, digits and connector
// punctuation (the underscore).
var wordRe = regexp.MustCompile(`[\p{L}\p{M}\p{Nd}\p{Pc}]+`)

// N is the shingle length.
const N = 4

// Score is one page's result, each count already divided by TP+FP+FN.
type Score struct {
	TP, FP, FN float64
	// Exact is true when the token sequences are equal.
	Exact bool
}

// Precision is TP/(TP+FP), or 0 when undefined.
func (s Score) Precision() float64 {
	if s.TP+s.FP == 0 {
		return 0
	}
	return s.TP / (s.TP + s.FP)
}

// Recall is TP/(TP+FN), or 0 when undefined.
func (s Score) Recall() float64 {
	if s.TP+s.FN == 0 {
		return 0
	}
	return s.TP / (s.TP + s.FN)
}

// F1 is the harmonic mean of the page's precision and recall.
func (s Score) F1() float64 {
	p, r := s.Precision(), s.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func tokens(s string) []string { return wordRe.FindAllString(s, -1) }

func shingles(toks []string) map[string]int {
	out := map[string]int{}
	if len(toks) == 0 {
		return out
	}
	if len(toks) < N {
		out[strings.Join(toks, "\x00")]++
		return out
	}
	for i := 0; i+N <= len(toks); i++ {
		out[strings.Join(toks[i:i+N], "\x00")]++
	}
	return out
}

// Compare scores extracted text got against the true text want.
func Compare(got, want string) Score {
	gt, wt := tokens(got), tokens(want)
	g, w := shingles(gt), shingles(wt)
	var tp, fp, fn float64
	for k, c := range g {
		m := min(c, w[k])
		tp += float64(m)
		fp += float64(c - m)
	}
	for k, c := range w {
		if c > g[k] {
			fn += float64(c - g[k])
		}
	}
	s := Score{Exact: slices.Equal(gt, wt)}
	if t := tp + fp + fn; t > 0 {
		s.TP, s.FP, s.FN = tp/t, fp/t, fn/t
	}
	return s
}

// Summary is the benchmark's aggregate.
type Summary struct {
	Precision, Recall, F1, Accuracy float64
}

// Summarize aggregates page scores as the benchmark does.
func Summarize(scores []Score) Summary {
	var p, r float64
	var np, nr, exact int
	for _, s := range scores {
		if s.TP+s.FP > 0 {
			p += s.TP / (s.TP + s.FP)
			np++
		}
		if s.TP+s.FN > 0 {
			r += s.TP / (s.TP + s.FN)
			nr++
		}
		if s.Exact {
			exact++
		}
	}
	var out Summary
	if np > 0 {
		out.Precision = p / float64(np)
	}
	if nr > 0 {
		out.Recall = r / float64(nr)
	}
	if out.Precision+out.Recall > 0 {
		out.F1 = 2 * out.Precision * out.Recall / (out.Precision + out.Recall)
	}
	if len(scores) > 0 {
		out.Accuracy = float64(exact) / float64(len(scores))
	}
	return out
}
