package app

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/index/bleve"
)

// buildBinary builds newswire for process-level tests.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "newswire")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/newswire/newswire/cmd/newswire")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build newswire: %v\n%s", err, out)
	}
	return bin
}

// worker is a stage running as its own process.
type worker struct {
	t    *testing.T
	args []string
	bin  string
	log  *os.File
	cmd  *exec.Cmd
}

func (w *worker) start() {
	w.t.Helper()
	w.cmd = exec.Command(w.bin, w.args...)
	w.cmd.Stdout, w.cmd.Stderr = w.log, w.log
	if err := w.cmd.Start(); err != nil {
		w.t.Fatal(err)
	}
}

func (w *worker) kill() {
	_ = w.cmd.Process.Signal(syscall.SIGKILL)
	_ = w.cmd.Wait()
}

// stop sends SIGTERM and requires the process to exit within d.
func (w *worker) stop(d time.Duration) {
	w.t.Helper()
	_ = w.cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan error, 1)
	go func() { done <- w.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			w.t.Errorf("%s exited with %v after SIGTERM", w.args[0], err)
		}
	case <-time.After(d):
		w.kill()
		w.t.Errorf("%s did not exit within %s of SIGTERM", w.args[0], d)
	}
}

// TestCrashRecovery publishes articles, runs the extract and index stages
// as separate processes, kills each with SIGKILL in the middle of the
// stream and restarts it: every article must end up indexed exactly once.
func TestCrashRecovery(t *testing.T) {
	if testing.Short() {
		t.Skip("process-level test")
	}
	const n = 2000
	bin := buildBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	srv, err := bus.StartEmbedded(ctx, bus.EmbeddedOptions{StoreDir: t.TempDir(), Listen: true, Port: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer bus.Shutdown(srv)
	conn, err := bus.Connect(ctx, srv.ClientURL(), nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.NC.Close()
	if err := conn.EnsureStreams(ctx, bus.StreamOptions{}); err != nil {
		t.Fatal(err)
	}
	places := []string{"Lyon", "Kano", "Peshawar", "Mosul", "Vienna", "Mombasa", "Cali", "Izmir"}
	for i := 0; i < n; i++ {
		place := places[i%len(places)]
		text := fmt.Sprintf("Police in %s arrested %d men on Monday after a raid on a warehouse, officials said. "+
			"Interior Minister Jane Doe-%d said the suspects were planning an attack. "+
			"A bomb exploded near the market in %s last week, killing %d people.", place, i%7+2, i, place, i%13+1)
		u := fmt.Sprintf("http://news.test/story-%d", i)
		a := article.Article{SchemaVersion: 1, ID: article.IDFor(u), URL: u, CanonicalURL: u, Source: "news.test",
			Title: fmt.Sprintf("Raid in %s, story %d", place, i), Fetched: time.Now().UTC(), Text: text,
			ContentHash: article.HashText(text)}
		if _, err := conn.PublishJSON(ctx, bus.RawSubject(a.Source), a, jetstream.WithMsgID(a.ID)); err != nil {
			t.Fatal(err)
		}
	}
	logf, err := os.Create(filepath.Join(t.TempDir(), "workers.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	indexData := t.TempDir()
	extract := &worker{t: t, bin: bin, log: logf, args: []string{"extract-worker", "--nats", srv.ClientURL(), "--workers", "4", "--log-level", "warn"}}
	indexer := &worker{t: t, bin: bin, log: logf, args: []string{"index-worker", "--nats", srv.ClientURL(), "--data", indexData, "--log-level", "warn"}}

	consumerDone := func(name string) (uint64, bool) {
		c, err := conn.JS.Consumer(ctx, map[string]string{StageExtract: bus.StreamRaw, StageIndex: bus.StreamEnriched}[name], "newswire-"+name)
		if err != nil {
			return 0, false
		}
		info, err := c.Info(ctx)
		if err != nil {
			return 0, false
		}
		return info.AckFloor.Stream, info.NumPending == 0 && info.NumAckPending == 0
	}
	waitFor := func(what string, cond func() bool) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Minute)
		for !cond() {
			if time.Now().After(deadline) {
				logs, _ := os.ReadFile(logf.Name())
				t.Fatalf("timed out waiting for %s\nworker logs:\n%s", what, tail(string(logs), 4000))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	enrichedMsgs := func() uint64 {
		st, err := conn.JS.Stream(ctx, bus.StreamEnriched)
		if err != nil {
			return 0
		}
		info, err := st.Info(ctx)
		if err != nil {
			return 0
		}
		return info.State.Msgs
	}

	extract.start()
	indexer.start()
	waitFor("some articles extracted", func() bool { return enrichedMsgs() >= n/5 })
	extract.kill()
	extract.start()
	waitFor("some articles indexed", func() bool { floor, _ := consumerDone(StageIndex); return floor >= n/3 })
	indexer.kill()
	indexer.start()
	waitFor("extraction done", func() bool { _, done := consumerDone(StageExtract); return done })
	waitFor("indexing done", func() bool {
		_, done := consumerDone(StageIndex)
		return done && enrichedMsgs() >= n
	})
	extract.stop(15 * time.Second)
	indexer.stop(15 * time.Second)

	if got := enrichedMsgs(); got != n {
		t.Errorf("enriched stream holds %d messages for %d articles: the duplicate window did not hold", got, n)
	}
	b, err := bleve.Open(filepath.Join(indexData, "index"), bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(context.Background())
	count, err := b.Count(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if count != n {
		t.Fatalf("index holds %d articles, want exactly %d", count, n)
	}
	dlq, _ := conn.JS.Stream(ctx, bus.StreamDLQ)
	if info, err := dlq.Info(ctx); err == nil && info.State.Msgs != 0 {
		t.Errorf("%d dead letters after crashes, want 0", info.State.Msgs)
	}
}

func tail(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return "…" + s[len(s)-n:][strings.IndexByte(s[len(s)-n:], '\n')+1:]
}
