package alert

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
)

// collector gathers alerts delivered by Watch.
type collector struct {
	mu  sync.Mutex
	got []Alert
}

func (c *collector) add(a Alert) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, a)
	return nil
}

func (c *collector) alerts() []Alert {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Alert(nil), c.got...)
}

func (c *collector) wait(t *testing.T, n int) []Alert {
	t.Helper()
	bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		if got := len(c.alerts()); got < n {
			return fmt.Errorf("have %d alerts, want %d", got, n)
		}
		return nil
	})
	return c.alerts()
}

func startWatch(t *testing.T, ctx context.Context, conn *bus.Conn, rules []string, durable string, c *collector) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- Watch(ctx, conn, rules, durable, c.add) }()
	return func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Watch: %v", err)
		}
	}
}

func newTestWorker(t *testing.T, conn *bus.Conn, rules []Rule) *Worker {
	t.Helper()
	rs := mustRules(t, rules, Options{Now: func() time.Time { return testNow }})
	w, err := NewWorker(conn, rs, nil, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	w.Now = func() time.Time { return testNow }
	return w
}

func TestWorkerDedupsOneIncident(t *testing.T) {
	conn := bustest.NewTestConn(t)
	ctx := t.Context()
	w := newTestWorker(t, conn, []Rule{
		{Name: "europe-bombings", Places: []string{"Europe"}, Events: &EventCondition{Types: []string{"bombing", "attack"}}},
		{Name: "jane", People: []string{"Jane Roe"}},
	})
	var c collector
	defer startWatch(t, ctx, conn, []string{"europe-bombings"}, "dedup", &c)()

	first := bombingIn("a1", "one.example", "Cologne", "Germany", "DE", "2026-03-11", 3)
	second := bombingIn("a2", "two.example", "Cologne", "Germany", "DE", "2026-03-11", 5)
	// A third outlet calls it an attack and is a day out on the date.
	third := bombingIn("a3", "three.example", "Cologne", "Germany", "DE", "2026-03-12", 4)
	third.Events[0].Type = "attack"
	// A different incident: another city, same country and days.
	other := bombingIn("b1", "one.example", "Munich", "Germany", "DE", "2026-03-11", 1)
	for i, a := range []*article.Enriched{first, second, first, third, other} {
		if err := w.Handle(ctx, a); err != nil {
			t.Fatalf("Handle #%d: %v", i, err)
		}
	}
	// Every publish was acknowledged before Handle returned, so the stream
	// holds all alerts now: 4 for the incident rule, 4 for the person rule
	// (one per article; the redelivered article adds none).
	st, err := conn.JS.Stream(ctx, bus.StreamAlerts)
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs != 8 {
		t.Errorf("alerts stream holds %d messages, want 8", info.State.Msgs)
	}
	got := c.wait(t, 4)
	if len(got) != 4 {
		t.Fatalf("got %d alerts, want 4 (one new, two updates, one other incident): %+v", len(got), got)
	}
	id := got[0].AlertID
	for i, want := range []struct {
		article string
		update  bool
		same    bool
	}{{"a1", false, true}, {"a2", true, true}, {"a3", true, true}, {"b1", false, false}} {
		a := got[i]
		if a.ArticleID != want.article || a.Update != want.update || (a.AlertID == id) != want.same {
			t.Errorf("alert %d = article %s update %v id %s; want article %s update %v same id %v",
				i, a.ArticleID, a.Update, a.AlertID, want.article, want.update, want.same)
		}
	}
	if s := strings.Join(got[2].Sources, ","); s != "one.example,two.example,three.example" {
		t.Errorf("sources = %s", s)
	}
	if got[1].Incident == nil || got[1].Incident.Killed == nil || *got[1].Incident.Killed != 5 {
		t.Errorf("incident after the second report = %+v, want killed 5", got[1].Incident)
	}
	if !strings.Contains(strings.Join(got[1].Changes, ";"), "killed revised 3 -> 5") {
		t.Errorf("changes = %v", got[1].Changes)
	}
	var buf bytes.Buffer
	if err := Format(&buf, got[1]); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"UPDATE [europe-bombings] Blast in Cologne", "killed 5", "new source two.example", "sources (2 articles)"} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("Format output:\n%s\nwant %q", buf.String(), want)
		}
	}
}

func TestWorkerReplicasAgree(t *testing.T) {
	conn := bustest.NewTestConn(t)
	ctx := t.Context()
	rules := []Rule{{Name: "europe", Places: []string{"Europe"}, Events: &EventCondition{}}}
	workers := []*Worker{newTestWorker(t, conn, rules), newTestWorker(t, conn, rules), newTestWorker(t, conn, rules)}
	const reports = 12
	var wg sync.WaitGroup
	errs := make(chan error, reports)
	for i := range reports {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := bombingIn(fmt.Sprintf("r%d", i), fmt.Sprintf("outlet%d.example", i), "Lyon", "France", "FR", "2026-03-11", 2+i)
			errs <- workers[i%len(workers)].Handle(ctx, a)
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	var c collector
	defer startWatch(t, ctx, conn, nil, "replicas", &c)()
	got := c.wait(t, reports)
	ids := map[string]int{}
	news := 0
	for _, a := range got {
		ids[a.AlertID]++
		if !a.Update {
			news++
		}
	}
	if len(got) != reports || len(ids) != 1 || news != 1 {
		t.Errorf("%d alerts, %d alert ids, %d new; want %d alerts, 1 id, 1 new", len(got), len(ids), news, reports)
	}
	// Alerts may reach the stream in another order than their state
	// updates, so look at the most complete one.
	var most Alert
	for _, a := range got {
		if a.Articles > most.Articles {
			most = a
		}
	}
	if most.Articles != reports || len(most.Sources) != reports || *most.Incident.Killed != 2+reports-1 {
		t.Errorf("most complete alert: %d articles, %d sources, killed %d; want %d, %d, %d",
			most.Articles, len(most.Sources), *most.Incident.Killed, reports, reports, 2+reports-1)
	}
}

func TestWorkerIncidentAcrossWeekBoundary(t *testing.T) {
	conn := bustest.NewTestConn(t)
	ctx := t.Context()
	w := newTestWorker(t, conn, []Rule{{Name: "fr", Places: []string{"France"}, Events: &EventCondition{}}})
	// Find two consecutive days in different state weeks.
	d := testNow.Add(-10 * 24 * time.Hour).Truncate(24 * time.Hour)
	for week(d) == week(d.Add(24*time.Hour)) {
		d = d.Add(24 * time.Hour)
	}
	first := bombingIn("w1", "one.example", "Lyon", "France", "FR", d.Format("2006-01-02"), 1)
	second := bombingIn("w2", "two.example", "Lyon", "France", "FR", d.Add(24*time.Hour).Format("2006-01-02"), 1)
	var c collector
	defer startWatch(t, ctx, conn, nil, "weeks", &c)()
	for _, a := range []*article.Enriched{second, first} {
		if err := w.Handle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	got := c.wait(t, 2)
	if got[0].AlertID != got[1].AlertID || got[0].Update || !got[1].Update {
		t.Errorf("alerts %s (update %v) and %s (update %v); want one incident", got[0].AlertID, got[0].Update, got[1].AlertID, got[1].Update)
	}
}

func TestIncidentSameAs(t *testing.T) {
	day := time.Date(2026, 3, 11, 0, 0, 0, 0, time.UTC)
	base := incident{Family: "violence", CountryCode: "DE", Place: "cologne", Within: []string{"north rhine-westphalia", "germany", "europe"}, Date: day}
	with := func(f func(*incident)) *incident { i := base; f(&i); return &i }
	cases := []struct {
		name  string
		other *incident
		same  bool
	}{
		{"identical", with(func(*incident) {}), true},
		{"three days later", with(func(i *incident) { i.Date = day.Add(72 * time.Hour) }), true},
		{"four days later", with(func(i *incident) { i.Date = day.Add(96 * time.Hour) }), false},
		{"country-level report", with(func(i *incident) { i.Place, i.Within = "germany", []string{"europe"} }), true},
		{"place unknown", with(func(i *incident) { i.Place, i.Within = "", nil }), true},
		{"other city", with(func(i *incident) { i.Place, i.Within = "munich", []string{"bavaria", "germany", "europe"} }), false},
		{"other family", with(func(i *incident) { i.Family = "enforcement" }), false},
		{"foiled, not carried out", with(func(i *incident) { i.Planned = true }), false},
		{"other country", with(func(i *incident) { i.CountryCode = "FR" }), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := base.sameAs(tc.other, DefaultIncidentWindow); got != tc.same {
				t.Errorf("sameAs = %v, want %v", got, tc.same)
			}
			if got := tc.other.sameAs(&base, DefaultIncidentWindow); got != tc.same {
				t.Errorf("sameAs reversed = %v, want %v", got, tc.same)
			}
		})
	}
}
