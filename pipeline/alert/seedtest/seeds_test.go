package seedtest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/extractors"
	// The extractors of extractors/all (not imported itself so this test
	// builds while that list is edited).
	_ "github.com/newswire/newswire/extractors/entities"
	_ "github.com/newswire/newswire/extractors/events"
	_ "github.com/newswire/newswire/extractors/nlp"
	_ "github.com/newswire/newswire/extractors/places"
	_ "github.com/newswire/newswire/extractors/text"
	"github.com/newswire/newswire/pipeline/alert"
	"github.com/newswire/newswire/pipeline/article"
)

// seeds returns the sample article files, or skips (fails on CI) without them.
func seeds(t *testing.T) []string {
	t.Helper()
	// The test runs in pipeline/alert/seedtest; the seeds are ../shared/seeds
	// from the repository root.
	dir := filepath.Join("..", "..", "..", "..", "shared", "seeds")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no sample articles in %s", dir)
		}
		t.Skipf("no sample articles in %s", dir)
	}
	return files
}

func TestRulesOnSeeds(t *testing.T) {
	files := seeds(t)
	p, err := extractors.NewPipeline(extractors.Config{})
	if err != nil {
		t.Fatal(err)
	}
	rs, err := alert.NewRuleSet([]alert.Rule{
		{Name: "europe-events", Places: []string{"Europe"}, Events: &alert.EventCondition{}},
		{Name: "asia-events", Places: []string{"Asia"}, Events: &alert.EventCondition{}},
		{Name: "islamic-state", Groups: []string{"Islamic State", "ISIS"}},
	}, alert.Options{})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)
	fired := map[string]int{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		title, text, _ := strings.Cut(string(data), "\n")
		a := &article.Article{
			SchemaVersion: 1, ID: filepath.Base(f), URL: "https://seeds.invalid/" + filepath.Base(f),
			Source: "seeds.invalid", Title: title, Text: strings.TrimSpace(text), Fetched: now, Language: "en",
		}
		e, err := p.Run(t.Context(), a)
		if err != nil {
			t.Fatalf("%s: extract: %v", f, err)
		}
		for _, m := range rs.EvaluateAt(e, now) {
			fired[m.Rule]++
			if len(m.Reasons) == 0 {
				t.Errorf("%s: rule %s matched without reasons", filepath.Base(f), m.Rule)
			}
			if m.Rule == "europe-events" {
				// Every matched event must lie in Europe through the
				// gazetteer's containment, never by a guess.
				for _, me := range m.Entities {
					if me.Kind == article.KindPlace && me.Condition != "Europe" {
						t.Errorf("%s: place %s matched condition %q", filepath.Base(f), me.Name, me.Condition)
					}
				}
			}
			t.Logf("%s: %s: %s", filepath.Base(f), m.Rule, strings.Join(m.Reasons, "; "))
		}
	}
	// The samples are about Islamic State and attacks and plots in Europe.
	if fired["islamic-state"] == 0 || fired["europe-events"] == 0 {
		t.Errorf("rules fired %v; want islamic-state and europe-events on some samples", fired)
	}
}
