// Command ner-eval scores the entity stage (extractors/nlp then
// extractors/ner) on a CoNLL-format corpus, conlleval style: a predicted
// entity counts only when its span and type match a gold entity exactly.
//
// For each document it joins the words with spaces and the sentences with
// line breaks, runs the stage on that text as it would on an article, and
// compares character spans. It prints precision, recall and F1 for PER, ORG,
// LOC and MISC and overall, and the stage's speed in tokens per second.
//
//	go run ./extractors/ner/cmd/ner-eval -data ../shared/eval/conll2003/test.txt
//
// With -show it instead prints the names found in plain-text files, one per
// line with its label, for checking articles by eye:
//
//	go run ./extractors/ner/cmd/ner-eval -show ../shared/seeds/*.txt
//
// GPE and FAC labels count as LOC. A corpus whose name ends in .ann.txt is
// read as inline annotations (ner.ReadInline).
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/newswire/newswire/extractors/ner"
	"github.com/newswire/newswire/extractors/nlp"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ner-eval:", err)
		os.Exit(1)
	}
}

type key struct {
	start, end int
	typ        string
}

type counts struct{ tp, fp, fn int }

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("ner-eval", flag.ContinueOnError)
	data := fs.String("data", "../shared/eval/conll2003/test.txt", "CoNLL-format corpus to score")
	modelPath := fs.String("model", "", "model file (default: the embedded model)")
	errorsOut := fs.Int("errors", 0, "print up to this many errors per type to stderr")
	show := fs.Bool("show", false, "print the names found in the plain-text files given as arguments")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *show {
		return showNames(w, *modelPath, fs.Args())
	}
	f, err := os.Open(*data)
	if err != nil {
		return err
	}
	an, err := nlp.New()
	if err != nil {
		f.Close()
		return err
	}
	var docs []ner.LabeledDoc
	if strings.HasSuffix(*data, ".ann.txt") {
		docs, err = ner.ReadInline(f, an.Tokens)
	} else {
		docs, err = ner.ReadCoNLL(f)
	}
	f.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *data, err)
	}
	rec, err := recognizer(*modelPath)
	if err != nil {
		return err
	}

	byType := map[string]*counts{}
	for _, t := range []string{"PER", "ORG", "LOC", "MISC"} {
		byType[t] = &counts{}
	}
	tokens := 0
	var nlpTime, nerTime time.Duration
	shown := map[string]int{}
	for _, d := range docs {
		var b strings.Builder
		gold := map[key]bool{}
		for si, s := range d.Sentences {
			if si > 0 {
				b.WriteByte('\n')
			}
			starts := make([]int, len(s.Words))
			ends := make([]int, len(s.Words))
			for i, word := range s.Words {
				if i > 0 {
					b.WriteByte(' ')
				}
				starts[i] = b.Len()
				b.WriteString(word)
				ends[i] = b.Len()
			}
			tokens += len(s.Words)
			for _, sp := range ner.Spans(s.Labels) {
				gold[key{starts[sp.Start], ends[sp.End-1], sp.Type}] = true
			}
		}
		text := b.String()
		t0 := time.Now()
		sents := an.Analyze(text)
		t1 := time.Now()
		ms := rec.Recognize(text, sents)
		nerTime += time.Since(t1)
		nlpTime += t1.Sub(t0)
		pred := map[key]bool{}
		for _, m := range ms {
			typ := m.Label
			if typ == "GPE" || typ == "FAC" {
				typ = "LOC"
			}
			pred[key{m.Start, m.End, typ}] = true
		}
		for k := range pred {
			c := byType[k.typ]
			if c == nil {
				continue
			}
			if gold[k] {
				c.tp++
			} else {
				c.fp++
				if shown["fp"+k.typ] < *errorsOut {
					shown["fp"+k.typ]++
					fmt.Fprintf(os.Stderr, "FP %s %q\n", k.typ, text[k.start:k.end])
				}
			}
		}
		for k := range gold {
			if !pred[k] {
				byType[k.typ].fn++
				if shown["fn"+k.typ] < *errorsOut {
					shown["fn"+k.typ]++
					fmt.Fprintf(os.Stderr, "FN %s %q\n", k.typ, text[k.start:k.end])
				}
			}
		}
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "type\tgold\tpredicted\tprecision\trecall\tF1\t\n")
	var all counts
	for _, t := range []string{"PER", "ORG", "LOC", "MISC"} {
		c := byType[t]
		all.tp += c.tp
		all.fp += c.fp
		all.fn += c.fn
		row(tw, t, *c)
	}
	row(tw, "all", all)
	tw.Flush()
	total := nlpTime + nerTime
	fmt.Fprintf(w, "\n%d documents, %d tokens: %.0f tokens/s for the whole entity stage (nlp %.0f tokens/s, ner %.0f tokens/s), one goroutine\n",
		len(docs), tokens, rate(tokens, total), rate(tokens, nlpTime), rate(tokens, nerTime))
	return nil
}

func rate(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func row(w io.Writer, name string, c counts) {
	p := ratio(c.tp, c.tp+c.fp)
	r := ratio(c.tp, c.tp+c.fn)
	f := 0.0
	if p+r > 0 {
		f = 2 * p * r / (p + r)
	}
	fmt.Fprintf(w, "%s\t%d\t%d\t%.3f\t%.3f\t%.3f\t\n", name, c.tp+c.fn, c.tp+c.fp, p, r, f)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// recognizer loads the model at path, or the embedded one when path is "".
func recognizer(path string) (*ner.Recognizer, error) {
	if path == "" {
		return ner.New()
	}
	mf, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	m, err := ner.ReadModel(mf)
	mf.Close()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ner.NewWithModel(m)
}

// showNames prints every name found in each file: label, then the name.
func showNames(w io.Writer, modelPath string, files []string) error {
	rec, err := recognizer(modelPath)
	if err != nil {
		return err
	}
	an, err := nlp.New()
	if err != nil {
		return err
	}
	for _, path := range files {
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		text := string(b)
		fmt.Fprintf(w, "== %s\n", path)
		for _, m := range rec.Recognize(text, an.Analyze(text)) {
			fmt.Fprintf(w, "%s\t%s\n", m.Label, m.Text)
		}
	}
	return nil
}
