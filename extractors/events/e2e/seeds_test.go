package e2e_test

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
	_ "github.com/newswire/newswire/extractors/all"
	"github.com/newswire/newswire/extractors/events"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/article/seeds"
)

// TestSeeds runs the whole registered pipeline (extractors/all) over the five
// sample articles and prints the events found. It checks only invariants: a
// real-article run must not fail or produce malformed events. What it finds
// and misses is discussed in docs/events.md.
func TestSeeds(t *testing.T) {
	dir := seeds.Dir(t)
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
	var reports []events.Report
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			text := string(raw)
			title, _, _ := strings.Cut(text, "\n")
			body := strings.TrimPrefix(text[len(title):], "\n")
			a := &article.Article{SchemaVersion: article.SchemaVersion, ID: filepath.Base(f), URL: "file://" + f, Title: title, Text: body}
			out, err := p.Run(context.Background(), a)
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range out.Events {
				if e.Confidence < 0 || e.Confidence > 1 || e.Evidence == "" || !known(e.Type) {
					t.Errorf("malformed event %+v", e)
				}
				b, _ := json.Marshal(struct {
					Type, Subtype, Trigger, Date, Place, Status string
					Perpetrators, Targets, ClaimedBy            []string
					Killed, Injured                             string
					Confidence                                  float64
				}{e.Type, e.Subtype, e.Trigger, str(e.Date), str(e.Place), e.Status, e.Perpetrators, e.Targets, e.ClaimedBy,
					countText(e.KilledDetail) + intText(e.Killed), countText(e.InjuredDetail) + intText(e.Injured), e.Confidence})
				fmt.Printf("seed %s: %s\n", filepath.Base(f)[:3], b)
				if os.Getenv("EVIDENCE") != "" {
					fmt.Printf("  evidence: %q\n", e.Evidence)
				}
			}
			fmt.Printf("seed %s: %d events\n", filepath.Base(f)[:3], len(out.Events))
			for _, e := range out.Events {
				reports = append(reports, events.Report{ArticleID: filepath.Base(f)[:3], Event: e})
			}
		})
	}
	// Across the five articles: the incidents more than one article reports,
	// each with every article's own toll.
	n := 0
	for _, inc := range events.Link(reports) {
		n += len(inc.Reports)
		if inc.KilledMin != nil && *inc.KilledMin > *inc.KilledMax {
			t.Errorf("toll range %d..%d", *inc.KilledMin, *inc.KilledMax)
		}
		seen := map[string]bool{}
		for _, r := range inc.Reports {
			seen[r.ArticleID] = true
		}
		if len(seen) < 2 {
			continue
		}
		var tolls []string
		for _, r := range inc.Reports {
			tolls = append(tolls, fmt.Sprintf("%s killed=%s injured=%s", r.ArticleID, countText(r.Event.KilledDetail)+intText(r.Event.Killed), countText(r.Event.InjuredDetail)+intText(r.Event.Injured)))
		}
		fmt.Printf("linked %s %s %s: %s\n", inc.Event.Type, str(inc.Event.Place), str(inc.Event.Date), strings.Join(tolls, "; "))
	}
	if n != len(reports) {
		t.Errorf("Link kept %d of %d reports", n, len(reports))
	}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
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

func intText(p *int) string {
	if p == nil {
		return ""
	}
	return fmt.Sprintf(" (=%d)", *p)
}
