package seedtest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/alert"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
	"github.com/newswire/newswire/pipeline/extract"
	"github.com/newswire/newswire/pipeline/stage"
)

// latencyRules returns 99 rules that mostly do not fire and one, "watch",
// that fires on every sample article.
func latencyRules() []alert.Rule {
	regions := []string{"Europe", "Asia", "Africa", "Germany", "France", "Nigeria", "Iraq", "Syria", "Pakistan", "Somalia"}
	var rules []alert.Rule
	for i := range 99 {
		r := alert.Rule{Name: fmt.Sprintf("rule-%02d", i)}
		switch i % 4 {
		case 0:
			r.People = []string{fmt.Sprintf("Person Number%d", i)}
		case 1:
			r.Groups = []string{fmt.Sprintf("Group %d", i)}
			r.Places = []string{regions[i%len(regions)]}
		case 2:
			r.Places = []string{regions[i%len(regions)]}
			r.Events = &alert.EventCondition{Types: []string{"bombing", "suicide_bombing"}, MinKilled: 10 + i}
		case 3:
			r.Events = &alert.EventCondition{Status: []string{"foiled"}, MinInjured: i}
		}
		rules = append(rules, r)
	}
	return append(rules, alert.Rule{Name: "watch", Query: "isis OR islamic OR state"})
}

// BenchmarkRawToAlert measures the time from a sample article's publication
// on newswire.articles.raw.<source> to its alert on newswire.alerts.watch,
// through the extract stage (all extractors) and the alert stage with 100
// rules, on embedded NATS. It reports p50 and p99.
//
//	go test -run '^$' -bench RawToAlert -benchtime 50x ./pipeline/alert/seedtest/
func BenchmarkRawToAlert(b *testing.B) {
	dir := filepath.Join("..", "..", "..", "..", "shared", "seeds")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			b.Fatalf("no sample articles in %s", dir)
		}
		b.Skipf("no sample articles in %s", dir)
	}
	var samples []article.Article
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		title, text, _ := strings.Cut(string(data), "\n")
		text = strings.TrimSpace(text)
		samples = append(samples, article.Article{SchemaVersion: 1, Source: "seeds.invalid", Title: title, Text: text, ContentHash: article.HashText(text), Language: "en"})
	}

	conn := bustest.NewTestConn(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	p, err := extractors.NewPipeline(extractors.Config{})
	if err != nil {
		b.Fatal(err)
	}
	rs, err := alert.NewRuleSet(latencyRules(), alert.Options{})
	if err != nil {
		b.Fatal(err)
	}
	w, err := alert.NewWorker(conn, rs, log, prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	ex, err := stage.New(ctx, conn, stage.Config{Name: "extract", Stream: bus.StreamRaw, DeliverNew: true}, log, prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	go ex.Run(ctx, extract.New(conn, p, log).Handle)
	al, err := stage.New(ctx, conn, stage.Config{Name: "alert", Stream: bus.StreamEnriched, DeliverNew: true}, log, prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	go al.Run(ctx, func(ctx context.Context, m jetstream.Msg) error {
		a, err := article.DecodeEnriched(m.Data())
		if err != nil {
			return err
		}
		return w.Handle(ctx, a)
	})
	got := make(chan string, 64)
	sub, err := conn.NC.Subscribe(bus.AlertSubject("watch"), func(m *nats.Msg) { got <- m.Header.Get(nats.MsgIdHdr) })
	if err != nil {
		b.Fatal(err)
	}
	defer sub.Unsubscribe()

	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		a := samples[i%len(samples)]
		a.URL = fmt.Sprintf("https://seeds.invalid/%d", i)
		a.CanonicalURL = a.URL
		a.ID = article.IDFor(a.URL)
		a.Fetched = time.Now()
		start := time.Now()
		if _, err := conn.PublishJSON(ctx, bus.RawSubject(a.Source), &a, jetstream.WithMsgID(a.ID)); err != nil {
			b.Fatal(err)
		}
		deadline := time.After(30 * time.Second)
	wait:
		for {
			select {
			case id := <-got:
				if strings.HasSuffix(id, "."+a.ID) {
					break wait
				}
			case <-deadline:
				b.Fatalf("no alert for sample %d within 30s", i%len(samples))
			}
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}
