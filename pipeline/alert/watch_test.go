package alert

import (
	"fmt"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
)

func TestWatchDurableReplay(t *testing.T) {
	conn := bustest.NewTestConn(t)
	ctx := t.Context()
	w := newTestWorker(t, conn, []Rule{{Name: "jane", People: []string{"Jane Roe"}}})

	var first collector
	stop := startWatch(t, ctx, conn, []string{"jane"}, "analyst", &first)
	if err := w.Handle(ctx, bombingIn("a1", "one.example", "Lyon", "France", "FR", "2026-03-11", 1)); err != nil {
		t.Fatal(err)
	}
	first.wait(t, 1)
	stop()

	// While the subscriber is offline, two more alerts arrive.
	for _, id := range []string{"a2", "a3"} {
		if err := w.Handle(ctx, bombingIn(id, "two.example", "Lyon", "France", "FR", "2026-03-11", 1)); err != nil {
			t.Fatal(err)
		}
	}
	var again collector
	defer startWatch(t, ctx, conn, []string{"jane"}, "analyst", &again)()
	got := again.wait(t, 2)
	if len(got) != 2 || got[0].ArticleID != "a2" || got[1].ArticleID != "a3" {
		t.Fatalf("replayed %+v, want the alerts for a2 and a3 only", got)
	}

	// An ephemeral watcher sees only what is published after it starts.
	var live collector
	defer startWatch(t, ctx, conn, nil, "", &live)()
	st, err := conn.JS.Stream(ctx, bus.StreamAlerts)
	if err != nil {
		t.Fatal(err)
	}
	bustest.CheckFor(t, 10*time.Second, 10*time.Millisecond, func() error {
		info, err := st.Info(ctx)
		if err != nil {
			return err
		}
		if info.State.Consumers < 2 {
			return fmt.Errorf("%d consumers, want the durable and the ephemeral one", info.State.Consumers)
		}
		return nil
	})
	if err := w.Handle(ctx, bombingIn("a4", "two.example", "Lyon", "France", "FR", "2026-03-11", 1)); err != nil {
		t.Fatal(err)
	}
	if got := live.wait(t, 1); got[0].ArticleID != "a4" {
		t.Errorf("ephemeral watcher got %+v first, want the alert for a4", got[0])
	}
}
