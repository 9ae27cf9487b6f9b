package alert

import (
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/bus/bustest"
)

func TestWorkersShareMetrics(t *testing.T) {
	conn := bustest.NewTestConn(t)
	reg := prometheus.NewRegistry()
	rs := mustRules(t, []Rule{{Name: "jane", People: []string{"Jane Roe"}}}, Options{})
	var ws []*Worker
	for range 2 {
		w, err := NewWorker(conn, rs, nil, reg)
		if err != nil {
			t.Fatal(err)
		}
		ws = append(ws, w)
	}
	for i, w := range ws {
		if err := w.Handle(t.Context(), bombingIn([]string{"m1", "m2"}[i], "one.example", "Lyon", "France", "FR", "2026-03-11", 1)); err != nil {
			t.Fatal(err)
		}
	}
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, mf := range mfs {
		for _, m := range mf.GetMetric() {
			if m.GetCounter() != nil {
				got[mf.GetName()] += m.GetCounter().GetValue()
			}
		}
	}
	for name, want := range map[string]float64{
		"newswire_alert_published_total":          2,
		"newswire_alert_matches_total":            2,
		"newswire_alert_articles_evaluated_total": 2,
	} {
		if got[name] != want {
			t.Errorf("%s = %v, want %v from both workers", name, got[name], want)
		}
	}
}
