package alert

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
	"github.com/newswire/newswire/pipeline/stage"
)

// benchRules returns n rules of the mix an analyst desk might keep: people
// and group watches, regional event rules and toll thresholds. Most do not
// match a given article, as in production.
func benchRules(n int) []Rule {
	regions := []string{"Europe", "Asia", "Africa", "Germany", "France", "Nigeria", "Iraq", "Syria", "Pakistan", "Somalia"}
	types := [][]string{{"bombing", "suicide_bombing"}, {"shooting"}, {"attack", "stabbing"}, {"kidnapping", "hostage_taking"}, {"foiled_plot", "arrest"}}
	rules := make([]Rule, 0, n)
	for i := range n {
		r := Rule{Name: fmt.Sprintf("rule-%03d", i)}
		switch i % 5 {
		case 0:
			r.People = []string{fmt.Sprintf("Person Number%d", i), fmt.Sprintf("Other Person%d", i)}
		case 1:
			r.Groups = []string{fmt.Sprintf("Group %d", i), "ISKP"}
			r.Places = []string{regions[i%len(regions)]}
			r.Events = &EventCondition{Types: types[i%len(types)], Within: "7d"}
		case 2:
			r.Places = []string{regions[i%len(regions)]}
			r.Events = &EventCondition{Types: types[i%len(types)], MinKilled: i % 20}
		case 3:
			r.Groups = []string{fmt.Sprintf("Group %d", i), fmt.Sprintf("Front %d", i), fmt.Sprintf("Brigade %d", i)}
		case 4:
			r.Events = &EventCondition{Status: []string{"foiled", "planned"}, MinInjured: i % 7}
		}
		rules = append(rules, r)
	}
	return rules
}

// benchArticle is a busy article: a dozen people, groups and places, three
// events.
func benchArticle() *article.Enriched {
	a := bombingIn("bench", "bench.example", "Cologne", "Germany", "DE", "2026-03-11", 12)
	for i := range 12 {
		a.People = append(a.People, article.Entity{ID: fmt.Sprintf("person:p%d", i), Name: fmt.Sprintf("Some Person%d", i), Aliases: []string{fmt.Sprintf("Person%d", i)}})
		a.Groups = append(a.Groups, article.Entity{ID: fmt.Sprintf("org:g%d", i), Name: fmt.Sprintf("Some Group %d", i)})
		a.Places = append(a.Places, article.Place{Name: fmt.Sprintf("Town %d", i), Kind: "city", CountryCode: "DE", Within: []string{"North Rhine-Westphalia", "Germany", "Europe"}})
	}
	ev := a.Events[0]
	ev.Type, ev.Place = article.EventArrest, ptr("Town 3")
	a.Events = append(a.Events, ev)
	ev.Type, ev.Status, ev.Place = article.EventFoiledPlot, "foiled", ptr("Town 5")
	a.Events = append(a.Events, ev)
	return a
}

// BenchmarkEvaluate reports rules evaluated per second on one core.
//
//	go test -run '^$' -bench Evaluate -cpu 1 ./pipeline/alert/
func BenchmarkEvaluate(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprintf("rules=%d", n), func(b *testing.B) {
			rs := mustRules(b, benchRules(n), Options{})
			a := benchArticle()
			if len(rs.EvaluateAt(a, testNow)) == 0 {
				b.Fatal("no rule matches the benchmark article")
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				rs.EvaluateAt(a, testNow)
			}
			b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "rules/s")
		})
	}
}

// BenchmarkLatency measures the time from an enriched article's publication
// on newswire.articles.enriched to its alert on newswire.alerts.<rule>, with
// 100 rules loaded, through the stage runner, the worker, the state bucket
// and the alerts stream (embedded NATS, file storage).
//
//	go test -run '^$' -bench Latency ./pipeline/alert/
func BenchmarkLatency(b *testing.B) {
	conn := bustest.NewTestConn(b)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rules := append(benchRules(99), Rule{Name: "watch", People: []string{"Jane Roe"}})
	rs := mustRules(b, rules, Options{})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	w, err := NewWorker(conn, rs, log, prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	r, err := stage.New(ctx, conn, stage.Config{Name: "alert-bench", Stream: bus.StreamEnriched, DeliverNew: true}, log, prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	go r.Run(ctx, func(ctx context.Context, m jetstream.Msg) error {
		a, err := article.DecodeEnriched(m.Data())
		if err != nil {
			return err
		}
		return w.Handle(ctx, a)
	})
	got := make(chan string, 1024)
	sub, err := conn.NC.Subscribe(bus.AlertSubject("watch"), func(m *nats.Msg) {
		got <- m.Header.Get(nats.MsgIdHdr)
	})
	if err != nil {
		b.Fatal(err)
	}
	defer sub.Unsubscribe()

	a := benchArticle()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		a.ID = fmt.Sprintf("bench-%d", i)
		start := time.Now()
		if _, err := conn.PublishJSON(ctx, bus.SubjectEnriched, a, jetstream.WithMsgID(a.ID)); err != nil {
			b.Fatal(err)
		}
		select {
		case <-got:
		case <-time.After(10 * time.Second):
			b.Fatal("no alert within 10s")
		}
		lat = append(lat, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(lat)
	b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
}

// BenchmarkEvaluateFullText evaluates rules with full-text conditions on an
// article of about 800 words: the article's text is analysed once per
// evaluation, not once per rule.
func BenchmarkEvaluateFullText(b *testing.B) {
	words := []string{"police", "officials", "said", "the", "attack", "market", "city", "minister", "group", "claimed"}
	var sb strings.Builder
	for i := 0; i < 800; i++ {
		sb.WriteString(words[(i*7)%len(words)])
		sb.WriteByte(' ')
	}
	a := benchArticle()
	a.Text = sb.String() + " a car bomb exploded near the stadium"
	for _, n := range []int{1, 20} {
		b.Run(fmt.Sprintf("query-rules=%d", n), func(b *testing.B) {
			var rules []Rule
			for i := 0; i < n; i++ {
				rules = append(rules, Rule{Name: fmt.Sprintf("q%d", i), Query: fmt.Sprintf(`"car bomb" OR stadium%d`, i)})
			}
			rs := mustRules(b, rules, Options{})
			if len(rs.EvaluateAt(a, testNow)) != n {
				b.Fatal("every rule should match")
			}
			b.ReportAllocs()
			for b.Loop() {
				rs.EvaluateAt(a, testNow)
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "articles/s")
		})
	}
}
