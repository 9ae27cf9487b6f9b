package app

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/spf13/pflag"
	"golang.org/x/sync/errgroup"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/kb"
	"github.com/newswire/newswire/pipeline/alert"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/extract"
	"github.com/newswire/newswire/pipeline/index"
	"github.com/newswire/newswire/pipeline/index/bleve"
	"github.com/newswire/newswire/pipeline/index/es"
	"github.com/newswire/newswire/pipeline/indexer"
	"github.com/newswire/newswire/pipeline/search"
	"github.com/newswire/newswire/pipeline/stage"
)

// Stage names: durable consumers, metrics labels and dead-letter subjects.
const (
	StageExtract = "extract"
	StageIndex   = "index"
	StageAlert   = "alert"
)

// stageFlags are the settings of the consuming stages.
type stageFlags struct {
	workers    int
	kb         string
	rules      string
	webhook    string
	http       string
	apiToken   string
	esURLs     string
	esPrefix   string
	esUser     string
	esPassword string
	esAPIKey   string
}

func (f *stageFlags) addWorkers(fs *pflag.FlagSet) {
	fs.IntVar(&f.workers, "workers", 0, "messages processed at once per stage (default: number of CPUs)")
}

func (f *stageFlags) addKB(fs *pflag.FlagSet) {
	fs.StringVar(&f.kb, "kb", "", "extra knowledge-base file (YAML) of known entities, merged over the built-in one")
}

func (f *stageFlags) addRules(fs *pflag.FlagSet) {
	fs.StringVar(&f.rules, "rules", "", "alert rules file (YAML); default DATA/rules.yaml, reloaded when it changes")
	fs.StringVar(&f.webhook, "webhook", "", "POST every alert to this URL (a rule's own webhook wins)")
}

func (f *stageFlags) addHTTP(fs *pflag.FlagSet, def string) {
	fs.StringVar(&f.http, "http", def, "address of the HTTP API, web page, /metrics and /healthz (empty: none)")
	fs.StringVar(&f.apiToken, "api-token", "", "require this bearer token on the search API")
}

func (f *stageFlags) addBackend(fs *pflag.FlagSet) {
	fs.StringVar(&f.esURLs, "es", "", "Elasticsearch URL(s), comma-separated; default: embedded Bleve under --data (env NEWSWIRE_ES_URL)")
	fs.StringVar(&f.esPrefix, "es-prefix", "newswire", "Elasticsearch index and alias prefix")
	fs.StringVar(&f.esUser, "es-user", "", "Elasticsearch user (env NEWSWIRE_ES_USER)")
	fs.StringVar(&f.esPassword, "es-password", "", "Elasticsearch password (env NEWSWIRE_ES_PASSWORD)")
	fs.StringVar(&f.esAPIKey, "es-api-key", "", "Elasticsearch API key (env NEWSWIRE_ES_API_KEY)")
}

func (f *stageFlags) rulesPath(o *Options) string {
	if f.rules != "" {
		return f.rules
	}
	return filepath.Join(o.DataDir, "rules.yaml")
}

// openBackend opens Elasticsearch when configured, else Bleve under DATA/index.
func openBackend(ctx context.Context, o *Options, f *stageFlags) (index.Backend, error) {
	urls := firstNonEmpty(f.esURLs, getenv("NEWSWIRE_ES_URL"))
	if urls == "" {
		path := filepath.Join(o.DataDir, "index")
		b, err := bleve.Open(path, bleve.Options{})
		if err != nil {
			return nil, fmt.Errorf("open bleve index %s: %w", path, err)
		}
		return b, nil
	}
	b, err := es.New(ctx, es.Config{
		Addresses:   strings.Split(urls, ","),
		Username:    firstNonEmpty(f.esUser, getenv("NEWSWIRE_ES_USER")),
		Password:    firstNonEmpty(f.esPassword, getenv("NEWSWIRE_ES_PASSWORD")),
		APIKey:      firstNonEmpty(f.esAPIKey, getenv("NEWSWIRE_ES_API_KEY")),
		IndexPrefix: f.esPrefix,
	})
	if err != nil {
		return nil, fmt.Errorf("open elasticsearch %s: %w", urls, err)
	}
	return b, nil
}

func openResolver(path string) (index.Resolver, error) {
	k, err := kb.Load(path)
	if err != nil {
		return nil, fmt.Errorf("knowledge base: %w", err)
	}
	return kb.NameResolver{KB: k}, nil
}

// runExtractStage consumes raw articles until ctx ends.
func (e *Env) runExtractStage(ctx context.Context, f *stageFlags) error {
	p, err := extractors.NewPipeline(extractors.Config{KnowledgeBase: f.kb})
	if err != nil {
		return err
	}
	r, err := stage.New(ctx, e.Conn, stage.Config{
		Name: StageExtract, Stream: bus.StreamRaw, Workers: f.workers, AckWait: time.Minute,
	}, e.Log, e.Reg)
	if err != nil {
		return err
	}
	e.addConsumer(StageExtract, r)
	return r.Run(ctx, extract.New(e.Conn, p, e.Log).Handle)
}

// runIndexStage consumes enriched articles into b until ctx ends.
func (e *Env) runIndexStage(ctx context.Context, b index.Backend) error {
	r, err := stage.New(ctx, e.Conn, stage.Config{
		Name: StageIndex, Stream: bus.StreamEnriched, Permanent: []error{index.ErrPermanent},
		AckWait: time.Minute, BatchSize: 256, BatchWait: 200 * time.Millisecond,
	}, e.Log, e.Reg)
	if err != nil {
		return err
	}
	e.addConsumer(StageIndex, r)
	return r.RunBatch(ctx, indexer.Handler(b))
}

// runAlertStage evaluates alert rules on enriched articles until ctx ends.
func (e *Env) runAlertStage(ctx context.Context, f *stageFlags, res index.Resolver) error {
	path := f.rulesPath(&e.Opts)
	if err := ensureRulesFile(path); err != nil {
		return err
	}
	rules, err := alert.NewReloader(ctx, path, alert.Options{Resolver: res}, e.Log)
	if err != nil {
		return err
	}
	w, err := alert.NewWorker(e.Conn, rules, e.Log, e.Reg)
	if err != nil {
		return err
	}
	// The alert stage mostly waits on JetStream (state bucket, alerts
	// stream), so it runs more workers than there are CPUs.
	workers := f.workers
	if workers <= 0 {
		workers = 4 * runtime.NumCPU()
	}
	r, err := stage.New(ctx, e.Conn, stage.Config{
		Name: StageAlert, Stream: bus.StreamEnriched, Workers: workers,
	}, e.Log, e.Reg)
	if err != nil {
		return err
	}
	e.addConsumer(StageAlert, r)
	// Webhook delivery follows the alerts stream with its own durable
	// consumer; rules without a webhook are skipped.
	hooks, err := alert.NewWebhooks(e.Conn, rules, alert.WebhookConfig{Default: f.webhook}, e.Log, e.Reg)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return hooks.Run(gctx, "") })
	g.Go(func() error {
		return r.Run(gctx, func(ctx context.Context, m jetstream.Msg) error {
			a, err := article.DecodeEnriched(m.Data())
			if err != nil {
				return err
			}
			return w.Handle(ctx, a)
		})
	})
	return g.Wait()
}

// serveHTTP serves the search API and web page (when b is not nil),
// /metrics and /healthz until ctx ends.
func (e *Env) serveHTTP(ctx context.Context, addr string, b index.Backend, res index.Resolver, token string) error {
	srv := &http.Server{Addr: addr, Handler: e.httpHandler(b, res, token), ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	e.Log.Info("serving HTTP", "url", "http://"+addr)
	select {
	case err := <-errc:
		return fmt.Errorf("http %s: %w", addr, err)
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	}
}

// httpHandler is what serveHTTP serves.
func (e *Env) httpHandler(b index.Backend, res index.Resolver, token string) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(e.Reg, promhttp.HandlerOpts{Registry: e.Reg}))
	mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	// Ready: connected to NATS (stages) and the index answers (serve).
	mux.HandleFunc("/readyz", func(w http.ResponseWriter, r *http.Request) {
		if e.Conn != nil && !e.Conn.NC.IsConnected() {
			http.Error(w, "nats not connected", http.StatusServiceUnavailable)
			return
		}
		if b != nil {
			ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
			defer cancel()
			if _, err := b.Count(ctx); err != nil {
				http.Error(w, "index not reachable: "+err.Error(), http.StatusServiceUnavailable)
				return
			}
		}
		w.Write([]byte("ready\n"))
	})
	if b != nil {
		mux.Handle("/", search.NewHandler(b, res, search.Options{Token: token}))
	}
	return mux
}

// ensureRulesFile creates an empty rules file when there is none, so rules
// can be added later (newswire alerts add) and are picked up without a
// restart.
func ensureRulesFile(path string) error {
	if _, err := os.Stat(path); err == nil || !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	const empty = "# newswire alert rules (docs/alerts.md); changes are picked up without a restart.\nrules: []\n"
	return os.WriteFile(path, []byte(empty), 0o644)
}
