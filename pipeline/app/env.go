package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/stage"
	"github.com/newswire/newswire/pipeline/status"
)

// Options are the settings shared by the commands. Zero values are defaults.
type Options struct {
	// DataDir holds the embedded NATS store, the Bleve index and the rules
	// file. Default: ./newswire-data.
	DataDir string
	// NATS is the URL of an external NATS server or cluster (comma-separated
	// URLs). Default: "" (an embedded server under DataDir/nats).
	NATS string
	// Listen makes the embedded server accept NATS clients on host:port, so
	// stage processes on this machine can join. Default: in-process only.
	Listen string
	// Replicas for the streams: 1, or 3 on a cluster.
	Replicas int
	// LogLevel is debug, info, warn or error. Default: info.
	LogLevel string
	// LogJSON logs JSON lines instead of text.
	LogJSON bool
}

func (o *Options) fill() {
	if o.DataDir == "" {
		o.DataDir = "newswire-data"
	}
	if o.Replicas == 0 {
		o.Replicas = 1
	}
}

// newLogger builds the process logger on w.
func newLogger(o *Options, w io.Writer) *slog.Logger {
	var lvl slog.Level
	switch strings.ToLower(o.LogLevel) {
	case "debug":
		lvl = slog.LevelDebug
	case "warn":
		lvl = slog.LevelWarn
	case "error":
		lvl = slog.LevelError
	default:
		lvl = slog.LevelInfo
	}
	ho := &slog.HandlerOptions{Level: lvl}
	if o.LogJSON {
		return slog.New(slog.NewJSONHandler(w, ho))
	}
	return slog.New(slog.NewTextHandler(w, ho))
}

// Env is what a running command holds: logger, metrics registry and the
// NATS connection (with the embedded server when there is one).
type Env struct {
	Opts Options
	Log  *slog.Logger
	Reg  *prometheus.Registry
	Conn *bus.Conn
	srv  *server.Server

	mu        sync.Mutex
	consumers map[string]*stage.Runner
}

// addConsumer records a running stage, for idleness checks and status.
func (e *Env) addConsumer(name string, r *stage.Runner) {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.consumers == nil {
		e.consumers = map[string]*stage.Runner{}
	}
	e.consumers[name] = r
}

// stageRunners returns the running stages by name.
func (e *Env) stageRunners() map[string]*stage.Runner {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[string]*stage.Runner, len(e.consumers))
	for k, v := range e.consumers {
		out[k] = v
	}
	return out
}

// stageConsumers returns the durable consumers of the running stages, in
// name order, for the status collector.
func (e *Env) stageConsumers() []jetstream.Consumer {
	runners := e.stageRunners()
	names := make([]string, 0, len(runners))
	for name := range runners {
		names = append(names, name)
	}
	sort.Strings(names)
	out := make([]jetstream.Consumer, 0, len(names))
	for _, name := range names {
		out = append(out, runners[name].Consumer())
	}
	return out
}

// openEnv connects to NATS (starting the embedded server if no URL is
// given) and makes sure the streams exist.
func openEnv(ctx context.Context, o Options, log *slog.Logger) (*Env, error) {
	return openEnvWith(ctx, o, log, true)
}

// openEnvWith is openEnv; with setup false it leaves the streams alone on an
// external NATS, for clients whose user may only read (alerts watch).
func openEnvWith(ctx context.Context, o Options, log *slog.Logger, setup bool) (*Env, error) {
	o.fill()
	env := &Env{Opts: o, Log: log, Reg: newRegistry()}
	if o.NATS == "" {
		dir := filepath.Join(o.DataDir, "nats")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("data dir: %w", err)
		}
		eo := bus.EmbeddedOptions{StoreDir: dir}
		if o.Listen != "" {
			host, port, err := splitHostPort(o.Listen)
			if err != nil {
				return nil, fmt.Errorf("--listen: %w", err)
			}
			eo.Listen, eo.Host, eo.Port = true, host, port
		}
		srv, err := bus.StartEmbedded(ctx, eo)
		if err != nil {
			return nil, err
		}
		env.srv = srv
		if eo.Listen {
			log.Info("embedded NATS listening", "url", srv.ClientURL())
		}
	}
	conn, err := bus.Connect(ctx, o.NATS, env.srv, log)
	if err != nil {
		env.Close()
		return nil, err
	}
	env.Conn = conn
	// Lag of this process's stages, stream sizes and dead letters on
	// /metrics; the consumers are read one by one, as a stage's NATS user
	// may not list them.
	env.Reg.MustRegister(status.NewCollectorWith(conn, status.CollectorOptions{Consumers: env.stageConsumers}))
	if !setup && o.NATS != "" {
		return env, nil
	}
	if err := conn.EnsureStreams(ctx, bus.StreamOptions{Replicas: o.Replicas}); err != nil {
		env.Close()
		return nil, err
	}
	return env, nil
}

// Close drains the connection and stops the embedded server.
func (e *Env) Close() {
	if e.Conn != nil {
		e.Conn.Close()
	}
	bus.Shutdown(e.srv)
}

// newRegistry is a process's metrics registry with Go and process metrics.
func newRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return reg
}
