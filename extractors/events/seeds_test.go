package events

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/nlp"
	"github.com/newswire/newswire/pipeline/article"
)

// seedsDir finds ../shared/seeds relative to the repository root.
func seedsDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("repository root not found")
		}
		dir = parent
	}
	seeds := filepath.Join(dir, "..", "shared", "seeds")
	if _, err := os.Stat(seeds); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("sample articles missing: %v", err)
		}
		t.Skipf("sample articles missing: %v", err)
	}
	return seeds
}

// TestSeeds runs the registered extractors this test binary links (nlp and
// events; entities and places join when they are imported here) over the
// five sample articles and prints the events found. It checks only
// invariants: a real-article run must not fail or produce malformed events.
func TestSeeds(t *testing.T) {
	dir := seedsDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no seeds in %s: %v", dir, err)
	}
	sort.Strings(files)
	p, err := extractors.NewPipeline(extractors.Config{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("pipeline: %v", p.Names())
	an, err := nlp.New()
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text := string(raw)
			title, _, _ := strings.Cut(text, "\n")
			a := &article.Article{SchemaVersion: article.SchemaVersion, ID: filepath.Base(f), URL: "file://" + f, Title: title, Text: text}
			d := &extractors.Document{Article: a, Text: text, TitleEnd: len(title), Out: &article.Enriched{Article: *a}}
			d.Sentences = an.Analyze(text)
			if err := New().Extract(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			for _, e := range d.Out.Events {
				if e.Confidence < 0 || e.Confidence > 1 || e.Evidence == "" || !known(e.Type) {
					t.Errorf("malformed event %+v", e)
				}
				b, _ := json.Marshal(struct {
					Type, Subtype, Trigger, Date, Place, Status string
					Perpetrators, Targets, ClaimedBy            []string
					Killed, Injured                             string
					Confidence                                  float64
				}{e.Type, e.Subtype, e.Trigger, str(e.Date), str(e.Place), e.Status, e.Perpetrators, e.Targets, e.ClaimedBy,
					countText(e.KilledDetail), countText(e.InjuredDetail), e.Confidence})
				fmt.Printf("seed %s: %s\n", filepath.Base(f)[:3], b)
			}
			fmt.Printf("seed %s: %d events\n", filepath.Base(f)[:3], len(d.Out.Events))
		})
	}
}

func countText(c *article.Count) string {
	if c == nil {
		return ""
	}
	return c.Text
}

func known(typ string) bool {
	for _, k := range article.EventTypes {
		if k == typ {
			return true
		}
	}
	return false
}
