// Command ner-preannotate turns ECB+ documents (CAT XML, one token element per
// word) into the inline training format of ner.ReadInline, with the names the
// current model finds already marked, so that annotators correct a draft
// instead of marking every name by hand:
//
//	go run ./extractors/ner/cmd/ner-preannotate /tmp/ecb/ECB+/1/1_1ecb.xml ... > draft.ann.txt
//
// Each document starts with "###" and a comment line naming its file; each
// sentence is one line of its tokens joined by spaces. In *ecbplus.xml files
// sentence 0 is the source URL and is left out. Square brackets in the text
// become parentheses, since they delimit names in the format.
//
// The draft is only a draft: the model's errors are in it. Nothing it writes
// is training data until a person has read and corrected every line.
package main

import (
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/newswire/newswire/extractors/ner"
	"github.com/newswire/newswire/extractors/nlp"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ner-preannotate:", err)
		os.Exit(1)
	}
}

type catDoc struct {
	Name   string `xml:"doc_name,attr"`
	Tokens []struct {
		Sentence int    `xml:"sentence,attr"`
		Text     string `xml:",chardata"`
	} `xml:"token"`
}

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("ner-preannotate", flag.ContinueOnError)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("no ECB+ XML files given")
	}
	an, err := nlp.New()
	if err != nil {
		return fmt.Errorf("load nlp: %w", err)
	}
	rec, err := ner.New()
	if err != nil {
		return fmt.Errorf("load ner: %w", err)
	}
	for _, path := range fs.Args() {
		lines, err := readCAT(path)
		if err != nil {
			return err
		}
		fmt.Fprintf(w, "###\n# %s\n", filepath.Base(path))
		for _, line := range lines {
			fmt.Fprintln(w, annotate(an, rec, line))
		}
	}
	return nil
}

// readCAT returns the sentences of a CAT XML file, tokens joined by spaces.
func readCAT(path string) ([]string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	var d catDoc
	if err := xml.Unmarshal(raw, &d); err != nil {
		return nil, fmt.Errorf("parse %s: %w", path, err)
	}
	skipURL := strings.HasSuffix(path, "ecbplus.xml")
	var lines []string
	var cur []string
	last := -1
	for _, t := range d.Tokens {
		if skipURL && t.Sentence == 0 {
			continue
		}
		if t.Sentence != last && len(cur) > 0 {
			lines = append(lines, strings.Join(cur, " "))
			cur = cur[:0]
		}
		last = t.Sentence
		tok := strings.NewReplacer("[", "(", "]", ")").Replace(strings.TrimSpace(t.Text))
		if tok != "" {
			cur = append(cur, tok)
		}
	}
	if len(cur) > 0 {
		lines = append(lines, strings.Join(cur, " "))
	}
	return lines, nil
}

// annotate marks the names the model finds in one sentence.
func annotate(an *nlp.Analyzer, rec *ner.Recognizer, line string) string {
	sents := an.Analyze(line)
	ms := rec.Recognize(line, sents)
	var b strings.Builder
	pos := 0
	for _, m := range ms {
		if m.Start < pos {
			continue
		}
		b.WriteString(line[pos:m.Start])
		typ := m.Label
		switch typ {
		case "GPE", "FAC":
			typ = "LOC"
		case "":
			typ = "MISC"
		}
		fmt.Fprintf(&b, "[%s %s]", typ, line[m.Start:m.End])
		pos = m.End
	}
	b.WriteString(line[pos:])
	return b.String()
}
