package places_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/entities"
	"github.com/newswire/newswire/extractors/kb"
	"github.com/newswire/newswire/extractors/places"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/article/seeds"
)

// TestSeeds runs entities then places over the real sample articles with no
// recogniser mentions (the knowledge-base and gazetteer scans alone) and
// prints what they find.
func TestSeeds(t *testing.T) {
	files := seeds.Files(t)
	k, err := kb.Load("")
	if err != nil {
		t.Fatal(err)
	}
	g, err := places.NewGazetteer()
	if err != nil {
		t.Fatal(err)
	}
	p := extractors.NewPipelineOf(rawText{}, entities.New(k), places.New(g))
	isis := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		a := &article.Article{ID: filepath.Base(f), Text: string(data)}
		e, err := p.Run(context.Background(), a)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%s groups=%v", a.ID, article.Names(e.Groups))
		for _, pl := range e.Places {
			t.Logf("  place %s %s %s within=%v", pl.Name, pl.CountryCode, pl.Kind, pl.Within)
			if pl.Kind == places.KindCountry && pl.CountryCode == "" {
				t.Errorf("%s: country %q without code", a.ID, pl.Name)
			}
		}
		for _, gr := range e.Groups {
			if gr.ID == "kb:isis" && gr.Name == "Islamic State" {
				isis++
			}
		}
	}
	if isis == 0 {
		t.Error("Islamic State not found canonicalised in any seed")
	}
}

// rawText stands in for the text extractor: the article text as is.
type rawText struct{}

func (rawText) Name() string { return "rawtext" }

func (rawText) Extract(_ context.Context, d *extractors.Document) error {
	d.Text = d.Article.Text
	return nil
}
