package app

import (
	"bytes"
	"context"
	"fmt"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/demo"
)

// TestDemoOnce runs `newswire demo --once`: every article of the demo site,
// and nothing else, is crawled and indexed, and the summary reports
// entities, events and alerts.
func TestDemoOnce(t *testing.T) {
	articles, err := demo.Articles()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	var out, logs bytes.Buffer
	o := &Options{DataDir: t.TempDir()}
	if err := runDemo(ctx, o, &stageFlags{}, &crawlFlags{}, true, &out, &logs); err != nil {
		t.Fatalf("demo: %v\n%s\n%s", err, out.String(), logs.String())
	}
	t.Log("\n" + out.String())
	field := func(pattern string) int {
		m := regexp.MustCompile(pattern).FindStringSubmatch(out.String())
		if m == nil {
			t.Fatalf("summary lacks %q:\n%s", pattern, out.String())
		}
		n, _ := strconv.Atoi(m[1])
		return n
	}
	want := len(articles)
	if got := field(`articles crawled:\s+(\d+)`); got != want {
		t.Errorf("crawled %d articles, the demo site has %d", got, want)
	}
	if got := field(`\(indexed (\d+)\)`); got != want {
		t.Errorf("indexed %d articles, want %d", got, want)
	}
	for _, kind := range []string{"persons", "groups", "places"} {
		if n := field(kind + `:\s+(\d+) distinct`); n < want {
			t.Errorf("only %d distinct %s over %d articles", n, kind, want)
		}
	}
	if n := field(`events:\s+(\d+)`); n < want {
		t.Errorf("only %d events over %d articles", n, want)
	}
	for _, rule := range []string{"isis-k-europe", "mass-casualty", "kidnappings", "threat-level", "al-shabaab"} {
		if !regexp.MustCompile(fmt.Sprintf(`\b%s \d+`, regexp.QuoteMeta(rule))).MatchString(out.String()) {
			t.Errorf("demo rule %s fired no alert", rule)
		}
	}
}
