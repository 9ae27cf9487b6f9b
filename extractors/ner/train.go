package ner

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TrainConfig configures Train. The zero value selects the defaults.
type TrainConfig struct {
	// Iterations over the corpus. Default 12.
	Iterations int
	// Seed makes shuffling and augmentation deterministic. Default 1.
	Seed uint64
	// UpperCopies adds, for each document, a copy with this share of its
	// sentences in capitals (headlines, sports tables). Default 0.25; a
	// negative value adds none.
	UpperShare float64
	// MinWeight drops features whose averaged weights all stay below it in
	// absolute value, to keep the model small. Default 0.01.
	MinWeight float64
	// Tag gives the part-of-speech tags of a sentence's words; required.
	Tag func(words []string) []string
	// WordDropout is the share of training tokens whose word-identity
	// features are hidden, so that the model learns to use shape, context
	// and gazetteers for names it has not seen. Default 0 (none).
	WordDropout float64
	// Progress, if set, is called after each iteration with the share of
	// tokens labelled correctly during it.
	Progress func(iter int, accuracy float64)
}

// Train learns a model from labelled documents with the averaged perceptron.
// The result depends only on the corpus and the config.
func Train(docs []LabeledDoc, cfg TrainConfig) (*Model, error) {
	if cfg.Tag == nil {
		return nil, errors.New("ner: train: TrainConfig.Tag is required")
	}
	if cfg.Iterations <= 0 {
		cfg.Iterations = 12
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.UpperShare == 0 {
		cfg.UpperShare = 0.25
	}
	if cfg.MinWeight == 0 {
		cfg.MinWeight = 0.01
	}
	g, err := newGazetteer()
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, cfg.Seed^0x9e3779b97f4a7c15))
	type example struct {
		doc    *document
		gold   [][]int
		weight float64
	}
	var exs []example
	addDoc := func(sents []LabeledSentence, weight float64) error {
		words := make([][]string, len(sents))
		tags := make([][]string, len(sents))
		gold := make([][]int, len(sents))
		for i, s := range sents {
			if len(s.Words) != len(s.Labels) {
				return fmt.Errorf("%w: %d words but %d labels", ErrBadCorpus, len(s.Words), len(s.Labels))
			}
			words[i] = s.Words
			tags[i] = cfg.Tag(s.Words)
			gold[i] = make([]int, len(s.Labels))
			for j, l := range s.Labels {
				k, ok := labelIndex(l)
				if !ok {
					return fmt.Errorf("%w: unknown label %q", ErrBadCorpus, l)
				}
				gold[i][j] = k
			}
		}
		if weight <= 0 {
			weight = 1
		}
		exs = append(exs, example{doc: g.prepare(words, tags), gold: gold, weight: weight})
		return nil
	}
	for _, d := range docs {
		if err := addDoc(d.Sentences, d.Weight); err != nil {
			return nil, err
		}
		if cfg.UpperShare > 0 {
			up := make([]LabeledSentence, len(d.Sentences))
			changed := false
			for i, s := range d.Sentences {
				up[i] = s
				if rng.Float64() < cfg.UpperShare {
					ws := make([]string, len(s.Words))
					title := rng.Float64() < 0.5
					for j, w := range s.Words {
						if title {
							ws[j] = titleWord(w)
						} else {
							ws[j] = strings.ToUpper(w)
						}
					}
					up[i] = LabeledSentence{Words: ws, Labels: s.Labels}
					changed = true
				}
			}
			if changed {
				if err := addDoc(up, d.Weight); err != nil {
					return nil, err
				}
			}
		}
	}
	if len(exs) == 0 {
		return nil, fmt.Errorf("%w: no documents", ErrBadCorpus)
	}

	p := newPerceptron()
	var drop func() bool
	if cfg.WordDropout > 0 {
		drop = func() bool { return rng.Float64() < cfg.WordDropout }
	}
	order := make([]int, len(exs))
	for i := range order {
		order[i] = i
	}
	for it := 0; it < cfg.Iterations; it++ {
		rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		correct, total := 0, 0
		for _, ei := range order {
			ex := exs[ei]
			// Decode with the current weights, then update on every token
			// whose label differs from the gold one; history features use
			// the predicted labels, as they will at run time.
			// Two passes, as at run time: the second sees the type
			// the first gave each capitalised word across the document.
			pred, feats := decode(ex.doc, p.score, decodeOpts{keep: true, drop: drop})
			p.learn(ex.gold, pred, feats, ex.weight, nil, nil)
			maj := majority(ex.doc, pred)
			pred, feats = decode(ex.doc, p.score, decodeOpts{keep: true, majority: maj, drop: drop})
			p.learn(ex.gold, pred, feats, ex.weight, &correct, &total)
		}
		if cfg.Progress != nil {
			cfg.Progress(it+1, float64(correct)/float64(max(total, 1)))
		}
	}
	return p.average(cfg.MinWeight), nil
}

// perceptron holds training state: current weights and the running sums the
// averaged weights come from.
type perceptron struct {
	index  map[uint64]int32
	w, tot []float64
	ts     []int64
	step   int64
}

func newPerceptron() *perceptron { return &perceptron{index: map[uint64]int32{}} }

func (p *perceptron) score(feats []uint64, scores *[numLabels]float32) {
	for i := range scores {
		scores[i] = 0
	}
	for _, f := range feats {
		j, ok := p.index[f]
		if !ok {
			continue
		}
		base := int(j) * numLabels
		for k := range scores {
			scores[k] += float32(p.w[base+k])
		}
	}
}

// learn updates the weights by weight on every token whose predicted label
// differs from the gold one, and counts the correct ones.
func (p *perceptron) learn(gold, pred [][]int, feats [][][]uint64, weight float64, correct, total *int) {
	for si := range pred {
		for ti, guess := range pred[si] {
			p.step++
			truth := gold[si][ti]
			if total != nil {
				*total++
			}
			if guess == truth {
				if correct != nil {
					*correct++
				}
				continue
			}
			p.update(feats[si][ti], truth, guess, weight)
		}
	}
}

func (p *perceptron) update(feats []uint64, truth, guess int, weight float64) {
	for _, f := range feats {
		j, ok := p.index[f]
		if !ok {
			j = int32(len(p.index))
			p.index[f] = j
			p.w = append(p.w, make([]float64, numLabels)...)
			p.tot = append(p.tot, make([]float64, numLabels)...)
			p.ts = append(p.ts, make([]int64, numLabels)...)
		}
		base := int(j) * numLabels
		p.bump(base+truth, weight)
		p.bump(base+guess, -weight)
	}
}

func (p *perceptron) bump(i int, v float64) {
	p.tot[i] += float64(p.step-p.ts[i]) * p.w[i]
	p.ts[i] = p.step
	p.w[i] += v
}

func (p *perceptron) average(minWeight float64) *Model {
	m := &Model{index: map[uint64]int32{}}
	steps := float64(max(p.step, 1))
	avg := make([]float32, numLabels)
	for f, j := range p.index {
		base := int(j) * numLabels
		keep := false
		for k := 0; k < numLabels; k++ {
			i := base + k
			total := p.tot[i] + float64(p.step-p.ts[i])*p.w[i]
			a := total / steps
			avg[k] = float32(a)
			if math.Abs(a) >= minWeight {
				keep = true
			}
		}
		if !keep {
			continue
		}
		m.index[f] = int32(len(m.index))
		m.weights = append(m.weights, avg...)
	}
	return m
}

// titleWord capitalises a word as a headline in Title Case does: every word
// but short function words.
func titleWord(w string) string {
	switch strings.ToLower(w) {
	case "a", "an", "the", "of", "and", "or", "in", "on", "at", "to", "for", "by", "with", "from", "as":
		return w
	}
	r, size := utf8.DecodeRuneInString(w)
	if size == 0 || !unicode.IsLower(r) {
		return w
	}
	return string(unicode.ToUpper(r)) + w[size:]
}
