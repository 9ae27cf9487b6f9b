package ner

// scorer adds up the weights of a token's features per label.
type scorer func(feats []uint64, scores *[numLabels]float32)

// decode labels every token of d greedily, left to right, keeping BIO valid.
// Document-level memory (the type last given to a capitalised word) carries
// across sentences. It returns the labels and, if keep is set, the full
// feature vector of each token (for training updates).
func decode(d *document, score scorer, keep bool) ([][]int, [][][]uint64) {
	labels := make([][]int, len(d.sents))
	var feats [][][]uint64
	if keep {
		feats = make([][][]uint64, len(d.sents))
	}
	docPrev := map[string]int{}
	buf := make([]uint64, 0, 64)
	var scores [numLabels]float32
	for si, s := range d.sents {
		ls := make([]int, len(s.toks))
		if keep {
			feats[si] = make([][]uint64, len(s.toks))
		}
		prev, prev2 := 0, 0
		for i := range s.toks {
			buf = append(buf[:0], s.static[i]...)
			buf = dynamic(buf, s, i, prev, prev2, docPrev)
			score(buf, &scores)
			best := -1
			for k := 0; k < numLabels; k++ {
				if !allowed(prev, k) {
					continue
				}
				if best < 0 || scores[k] > scores[best] {
					best = k
				}
			}
			ls[i] = best
			if keep {
				feats[si][i] = append([]uint64(nil), buf...)
			}
			prev2, prev = prev, best
		}
		for i := range s.toks {
			if s.capitals[i] {
				docPrev[s.toks[i].lower] = labelType(ls[i])
			}
		}
		labels[si] = ls
	}
	return labels, feats
}
