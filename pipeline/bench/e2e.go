package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"

	_ "github.com/newswire/newswire/extractors/all" // register every extractor
	"github.com/newswire/newswire/pipeline/alert"
	"github.com/newswire/newswire/pipeline/bus"
)

// Extractor names for E2EConfig.Extractor.
const (
	// ExtractorNewswire is our extractors pipeline (extractors.NewPipeline).
	ExtractorNewswire = "newswire"
	// ExtractorProse is prose's stock document pipeline (prose.NewDocument
	// with its default tokenizer, segmenter, tagger and NER), for comparison.
	ExtractorProse = "prose"
)

// E2EConfig configures an end-to-end load run. Zero values take the
// documented defaults.
type E2EConfig struct {
	// N is how many articles to publish. Default 20,000.
	N int
	// Rate is the publication rate in articles per second; 0 publishes as
	// fast as JetStream accepts (throughput mode).
	Rate float64
	// Rules is how many alert rules the alert stage evaluates. Default 100.
	Rules int
	// Workers is the extract stage's concurrency. Default: runtime.NumCPU().
	Workers int
	// AlertWorkers is the alert stage's concurrency. Default: 4 x Workers:
	// the alert stage mostly waits on JetStream round trips (incident state
	// in the key-value bucket, the alert's publication), not on the CPU.
	AlertWorkers int
	// Extractor is ExtractorNewswire (default) or ExtractorProse.
	Extractor string
	// Seed seeds the article generator. Default 1.
	Seed uint64
	// Dir holds the NATS store and the Bleve index; removed afterwards when
	// empty (a temporary directory is used).
	Dir string
	// Stall fails the run when no article is indexed for this long.
	// Default 2 minutes.
	Stall time.Duration
	// Progress, when set, receives a line every few seconds.
	Progress io.Writer
	// Log receives the stages' logs. Default: discarded.
	Log *slog.Logger
	// Split runs each stage in its own process over loopback TCP: Exe is
	// started three times with the arguments of RoleArgs, and must call
	// RunRole (benchreport does). The publisher and NATS stay here.
	Split bool
	Exe   string
}

// Latency is a latency distribution's summary.
type Latency struct {
	Count int           `json:"count"`
	P50   time.Duration `json:"p50_ns"`
	P99   time.Duration `json:"p99_ns"`
	Max   time.Duration `json:"max_ns"`
}

// StageStat is what the load run measured of one stage's handler.
type StageStat struct {
	Stage string `json:"stage"`
	// Items is how many articles the stage settled.
	Items int `json:"items"`
	// Busy is the summed handler time; Items/Busy is the rate of one busy
	// worker, about one core's worth when the stage is CPU-bound.
	Busy time.Duration `json:"busy_ns"`
	// Handle is the time of one handler call (for the index stage one
	// batch write, divided by nothing: it is the latency a message sees).
	Handle Latency `json:"handle"`
}

// PerCore is the stage's items per second of busy handler time.
func (s StageStat) PerCore() float64 {
	if s.Busy <= 0 {
		return 0
	}
	return float64(s.Items) / s.Busy.Seconds()
}

// E2EResult is what one load run measured.
type E2EResult struct {
	Mode         string  `json:"mode"`
	Extractor    string  `json:"extractor"`
	Articles     int     `json:"articles"`
	Rate         float64 `json:"rate,omitempty"`
	Rules        int     `json:"rules"`
	Workers      int     `json:"workers"`
	AlertWorkers int     `json:"alert_workers"`
	Words        int     `json:"words_avg"`
	// Elapsed runs from the first publication to the last article indexed.
	Elapsed        time.Duration `json:"elapsed_ns"`
	ArticlesPerSec float64       `json:"articles_per_sec"`
	// Searchable is publication (the Fetched time) to the index stage's
	// ack, after Bleve committed the batch: the article is searchable.
	Searchable Latency `json:"searchable"`
	// Alert is publication to the first alert about the article arriving
	// on newswire.alerts.>; Alerts counts alert messages.
	Alert  Latency `json:"alert"`
	Alerts int     `json:"alerts"`
	// Stages are extract, index and alert.
	Stages []StageStat `json:"stages"`
	// HWM is the process's resident-memory high-water mark (VmHWM) after the
	// run, plus the stage processes' in split mode; it never decreases, so
	// later runs in one process include earlier ones.
	HWM uint64 `json:"hwm_bytes"`
	// Heap is the live heap after a GC at 25, 50, 75 and 100% of the run:
	// flat means no stage's memory grows with the articles processed.
	Heap []uint64 `json:"heap_bytes"`
}

// recorder collects latencies from many goroutines.
type recorder struct {
	mu   sync.Mutex
	lat  []time.Duration
	busy time.Duration
	n    int
}

func (r *recorder) add(d time.Duration, items int) {
	r.mu.Lock()
	r.lat = append(r.lat, d)
	r.busy += d
	r.n += items
	r.mu.Unlock()
}

func (r *recorder) stat(name string) StageStat {
	r.mu.Lock()
	defer r.mu.Unlock()
	return StageStat{Stage: name, Items: r.n, Busy: r.busy, Handle: summarize(r.lat)}
}

// stamp is the part of an enriched message the harness reads.
type stamp struct {
	ID      string    `json:"id"`
	Fetched time.Time `json:"fetched"`
}

// RunE2E publishes cfg.N generated articles on the raw subject of an
// embedded NATS server and runs the extract, index (Bleve) and alert stages
// in this process until every article is indexed and evaluated, measuring
// throughput, latencies and memory.
func RunE2E(ctx context.Context, cfg E2EConfig) (*E2EResult, error) {
	if cfg.N <= 0 {
		cfg.N = 20000
	}
	if cfg.Rules <= 0 {
		cfg.Rules = 100
	}
	if cfg.Workers <= 0 {
		cfg.Workers = runtime.NumCPU()
	}
	if cfg.AlertWorkers <= 0 {
		cfg.AlertWorkers = 4 * cfg.Workers
	}
	if cfg.Extractor == "" {
		cfg.Extractor = ExtractorNewswire
	}
	if cfg.Seed == 0 {
		cfg.Seed = 1
	}
	if cfg.Stall <= 0 {
		cfg.Stall = 2 * time.Minute
	}
	log := cfg.Log
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	dir := cfg.Dir
	if dir == "" {
		d, err := os.MkdirTemp("", "newswire-bench-")
		if err != nil {
			return nil, fmt.Errorf("bench dir: %w", err)
		}
		defer os.RemoveAll(d)
		dir = d
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	eo := bus.EmbeddedOptions{StoreDir: filepath.Join(dir, "nats")}
	if cfg.Split {
		eo.Listen, eo.Port = true, -1
	}
	srv, err := bus.StartEmbedded(ctx, eo)
	if err != nil {
		return nil, fmt.Errorf("start nats: %w", err)
	}
	defer bus.Shutdown(srv)
	conn, err := bus.Connect(ctx, "", srv, log)
	if err != nil {
		return nil, fmt.Errorf("connect nats: %w", err)
	}
	defer conn.Close()
	if err := conn.EnsureStreams(ctx, bus.StreamOptions{}); err != nil {
		return nil, fmt.Errorf("streams: %w", err)
	}

	var exRec, ixRec, alRec, searchable recorder
	var indexed, evaluated atomic.Int64
	progress := make(chan struct{}, 1)
	poke := func() {
		select {
		case progress <- struct{}{}:
		default:
		}
	}
	hooks := stageHooks{
		extracted: func(d time.Duration) { exRec.add(d, 1) },
		indexed: func(batch time.Duration, fetched []time.Time, done time.Time) {
			ixRec.add(batch, len(fetched))
			for _, f := range fetched {
				searchable.add(done.Sub(f), 1)
			}
			indexed.Add(int64(len(fetched)))
			poke()
		},
		evaluated: func(d time.Duration) {
			alRec.add(d, 1)
			evaluated.Add(1)
			poke()
		},
	}
	// Alerts: the first alert about each article.
	var alertMu sync.Mutex
	alerted := map[string]bool{}
	var alertLat []time.Duration
	alerts := 0
	published := sync.Map{} // article ID -> time.Time of publication
	sub, err := conn.NC.Subscribe(bus.SubjectAlertPrefix+">", func(m *nats.Msg) {
		now := time.Now()
		var a alert.Alert
		if json.Unmarshal(m.Data, &a) != nil {
			return
		}
		alertMu.Lock()
		defer alertMu.Unlock()
		alerts++
		if alerted[a.ArticleID] {
			return
		}
		if t, ok := published.Load(a.ArticleID); ok {
			alerted[a.ArticleID] = true
			alertLat = append(alertLat, now.Sub(t.(time.Time)))
		}
	})
	if err != nil {
		return nil, fmt.Errorf("subscribe alerts: %w", err)
	}
	defer sub.Unsubscribe()

	g, gctx := errgroup.WithContext(ctx)
	var children []*exec.Cmd
	if cfg.Split {
		children, err = startSplit(gctx, g, conn, srv.ClientURL(), cfg, dir, hooks)
	} else {
		err = startStages(gctx, g, conn, cfg, dir, allRoles, log, hooks)
	}
	if err != nil {
		cancel()
		g.Wait()
		return nil, err
	}

	// Publisher.
	res := &E2EResult{Extractor: cfg.Extractor, Articles: cfg.N, Rate: cfg.Rate, Rules: cfg.Rules, Workers: cfg.Workers, AlertWorkers: cfg.AlertWorkers, Mode: "throughput"}
	if cfg.Rate > 0 {
		res.Mode = fmt.Sprintf("fixed %.0f/s", cfg.Rate)
	}
	if cfg.Split {
		res.Mode += ", split"
	}
	start := time.Now()
	pubErr := make(chan error, 1)
	var words atomic.Int64
	go func() {
		pubErr <- func() error {
			for i := range cfg.N {
				if cfg.Rate > 0 {
					due := start.Add(time.Duration(float64(i) / cfg.Rate * float64(time.Second)))
					if d := time.Until(due); d > 0 {
						select {
						case <-time.After(d):
						case <-gctx.Done():
							return gctx.Err()
						}
					}
				}
				a := GenerateOne(i, cfg.Seed)
				words.Add(int64(Words(a.Text)))
				a.Fetched = time.Now()
				published.Store(a.ID, a.Fetched)
				if _, err := conn.PublishJSON(gctx, bus.RawSubject(a.Source), a, jetstream.WithMsgID(a.ID)); err != nil {
					return fmt.Errorf("publish article %d: %w", i, err)
				}
			}
			return nil
		}()
	}()

	// Wait for every article to be indexed and evaluated.
	var heap []uint64
	nextSample := 1
	last, lastProgress := int64(-1), time.Now()
	tick := time.NewTicker(5 * time.Second)
	defer tick.Stop()
	var end time.Time
	for {
		ix, ev := indexed.Load(), evaluated.Load()
		for nextSample <= 4 && ix*4 >= int64(nextSample*cfg.N) {
			heap = append(heap, liveHeap())
			nextSample++
		}
		if ix >= int64(cfg.N) && end.IsZero() {
			end = time.Now()
		}
		if ix >= int64(cfg.N) && ev >= int64(cfg.N) {
			break
		}
		if ix != last {
			last, lastProgress = ix, time.Now()
		} else if time.Since(lastProgress) > cfg.Stall {
			cancel()
			g.Wait()
			return nil, fmt.Errorf("bench: stalled at %d indexed, %d evaluated of %d", ix, ev, cfg.N)
		}
		select {
		case err := <-pubErr:
			if err != nil {
				cancel()
				g.Wait()
				return nil, err
			}
		case <-progress:
		case <-tick.C:
			if cfg.Progress != nil {
				fmt.Fprintf(cfg.Progress, "  %s %s: %d indexed, %d evaluated of %d in %v\n", cfg.Extractor, res.Mode, ix, ev, cfg.N, time.Since(start).Round(time.Second))
			}
		case <-gctx.Done():
			// A stage (or, split, a stage process) failed, or ctx ended.
			if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
				return nil, fmt.Errorf("stages: %w", err)
			}
			return nil, fmt.Errorf("bench: %w", context.Cause(gctx))
		}
	}
	var childHWM uint64
	for _, c := range children {
		childHWM += processHWM(c.Process.Pid)
	}
	cancel()
	if err := g.Wait(); err != nil && !errors.Is(err, context.Canceled) {
		return nil, fmt.Errorf("stages: %w", err)
	}

	res.Elapsed = end.Sub(start)
	res.ArticlesPerSec = float64(cfg.N) / res.Elapsed.Seconds()
	res.Words = int(words.Load() / int64(cfg.N))
	res.Searchable = searchable.stat("").Handle
	alertMu.Lock()
	res.Alert, res.Alerts = summarize(alertLat), alerts
	alertMu.Unlock()
	res.Stages = []StageStat{exRec.stat("extract"), ixRec.stat("index"), alRec.stat("alert")}
	res.HWM = VmHWM() + childHWM
	res.Heap = heap
	return res, nil
}
