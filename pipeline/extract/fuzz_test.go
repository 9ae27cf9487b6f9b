package extract_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/newswire/newswire/extractors"
	_ "github.com/newswire/newswire/extractors/all"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/extract"
)

// FuzzEnrich runs the whole extractor pipeline on arbitrary text: it must
// return an enriched article or an error, never panic or hang, and every
// offset-derived string it returns must be valid UTF-8.
func FuzzEnrich(f *testing.F) {
	p, err := extractors.NewPipeline(extractors.Config{})
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{
		"Police in Lyon arrested two men on Monday. At least 12 people were killed in a bombing in Kano last week.",
		"Gen. Jane Roe, director of the FBI, said ISIS-K was planning attacks in Europe.",
		"", "\x00\x01", "Ünïcödé Кириллица ελληνικά 中文 \u200b\u00ad",
		"A. B. C. D. E. F. G. H. I. J. K. L. M. N. O. P.",
		"killed killed killed at least at least more than 99999999999999999999 people",
	} {
		f.Add(s, "Title")
	}
	published := time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text, title string) {
		a := &article.Article{SchemaVersion: 1, ID: "fuzz", URL: "http://x/fuzz", Title: title, Text: text, Published: &published}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		e, err := extract.Enrich(ctx, p, a)
		if err != nil {
			if strings.Contains(err.Error(), "extractor panic") {
				t.Fatalf("extractor panicked: %v", err)
			}
			return // a clear error is fine
		}
		for _, ev := range e.Events {
			if !utf8.ValidString(ev.Evidence) || !utf8.ValidString(ev.Trigger) {
				t.Fatalf("invalid UTF-8 in event %+v", ev)
			}
		}
		for _, p := range append(append([]article.Entity{}, e.People...), e.Groups...) {
			if p.Name == "" || !utf8.ValidString(p.Name) {
				t.Fatalf("bad entity name %q", p.Name)
			}
		}
	})
}

// TestEnrichRecoversPanics: an extractor panic is a permanent error for
// that article, not a crashed stage.
func TestEnrichRecoversPanics(t *testing.T) {
	p := extractors.NewPipelineOf(panicker{})
	_, err := extract.Enrich(context.Background(), p, &article.Article{SchemaVersion: 1, ID: "x", URL: "u"})
	if err == nil {
		t.Fatal("want an error from a panicking extractor")
	}
}

type panicker struct{}

func (panicker) Name() string { return "panicker" }
func (panicker) Extract(context.Context, *extractors.Document) error {
	panic("boom")
}
