package bustest

import (
	"context"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/bus"
)

// NewTestConn starts an in-process JetStream server in a temp dir with the
// streams created and returns a connection to it; both are closed when the
// test ends. For tests only.
func NewTestConn(tb testing.TB) *bus.Conn {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	srv, err := bus.StartEmbedded(ctx, bus.EmbeddedOptions{StoreDir: tb.TempDir()})
	if err != nil {
		tb.Fatal(err)
	}
	c, err := bus.Connect(ctx, "", srv, nil)
	if err != nil {
		bus.Shutdown(srv)
		tb.Fatal(err)
	}
	tb.Cleanup(func() { c.NC.Close(); bus.Shutdown(srv) })
	if err := c.EnsureStreams(ctx, bus.StreamOptions{}); err != nil {
		tb.Fatal(err)
	}
	return c
}

// CheckFor calls fn every step until it returns nil, failing the test with
// fn's last error after total. Tests poll with it instead of sleeping.
func CheckFor(tb testing.TB, total, step time.Duration, fn func() error) {
	tb.Helper()
	deadline := time.Now().Add(total)
	var err error
	for time.Now().Before(deadline) {
		if err = fn(); err == nil {
			return
		}
		time.Sleep(step)
	}
	tb.Fatalf("condition not met after %s: %v", total, err)
}
