// Command ner-train trains the entity tagger's model from CoNLL-style corpora
// and writes it, gzip-compressed, for extractors/ner to embed.
//
// From the repository root, the shipped model is rebuilt with:
//
//	go run ./extractors/ner/cmd/ner-train \
//		-o extractors/ner/model/ner.model.gz \
//		../shared/eval/ner-train/wikigold.conll.txt \
//		../shared/eval/ner-train/gum/iob2/train.iob2.txt \
//		../shared/eval/ner-train/gum/iob2/dev.iob2.txt \
//		extractors/ner/train/news.ann.txt
//
// Files ending in .ann.txt are read with ner.ReadInline (our own annotated
// sentences); others as CoNLL columns with ner.ReadCoNLL.
//
// Training is deterministic for a given -seed. Never pass CoNLL-2003 test
// data: it is for evaluation only.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/newswire/newswire/extractors/ner"
	"github.com/newswire/newswire/extractors/nlp"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "ner-train:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("ner-train", flag.ContinueOnError)
	out := fs.String("o", "extractors/ner/model/ner.model.gz", "output model file")
	iters := fs.Int("iter", 12, "training iterations")
	seed := fs.Uint64("seed", 1, "random seed (shuffling, augmentation)")
	upper := fs.Float64("upper", 0.25, "share of sentences put in capitals in each document's augmented copy (negative: none)")
	dropout := fs.Float64("word-dropout", 0.1, "share of training tokens whose word features are hidden")
	minW := fs.Float64("min-weight", 0.01, "drop features whose averaged weights stay below this")
	synthDocs := fs.Int("synth", 0, "add this many generated documents (ner.Synthesize) to the corpus")
	synthSeed := fs.Uint64("synth-seed", 1, "seed of the generated documents")
	synthWeight := fs.Float64("synth-weight", 1, "weight of the generated documents' training updates")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("usage: ner-train [flags] CORPUS...")
	}
	analyzer, err := nlp.New()
	if err != nil {
		return err
	}
	var docs []ner.LabeledDoc
	for _, path := range fs.Args() {
		if strings.Contains(strings.ToLower(path), "conll2003") {
			return fmt.Errorf("%s: refusing to train on CoNLL-2003 (evaluation data)", path)
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		var d []ner.LabeledDoc
		if strings.HasSuffix(path, ".ann.txt") {
			d, err = ner.ReadInline(f, analyzer.Tokens)
		} else {
			d, err = ner.ReadCoNLL(f)
		}
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		slog.Info("read corpus", "path", path, "docs", len(d))
		docs = append(docs, d...)
	}
	if *synthDocs > 0 {
		text, err := ner.Synthesize(*synthSeed, *synthDocs)
		if err != nil {
			return err
		}
		d, err := ner.ReadInline(strings.NewReader(text), analyzer.Tokens)
		if err != nil {
			return fmt.Errorf("generated corpus: %w", err)
		}
		for i := range d {
			d[i].Weight = *synthWeight
		}
		slog.Info("generated corpus", "docs", len(d), "weight", *synthWeight)
		docs = append(docs, d...)
	}
	start := time.Now()
	m, err := ner.Train(docs, ner.TrainConfig{
		Iterations: *iters, Seed: *seed, UpperShare: *upper, MinWeight: *minW, WordDropout: *dropout,
		Tag: analyzer.Tagger().Tag,
		Progress: func(it int, acc float64) {
			slog.Info("iteration", "n", it, "train_accuracy", fmt.Sprintf("%.4f", acc))
		},
	})
	if err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	n, err := m.WriteTo(f)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	slog.Info("wrote model", "path", *out, "features", m.Features(), "bytes", n, "took", time.Since(start).Round(time.Millisecond))
	return nil
}
