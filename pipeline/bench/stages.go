package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/alert"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/extract"
	"github.com/newswire/newswire/pipeline/index"
	"github.com/newswire/newswire/pipeline/index/bleve"
	"github.com/newswire/newswire/pipeline/indexer"
	"github.com/newswire/newswire/pipeline/stage"
)

// The stage roles of a load run.
const (
	RoleExtract = "extract"
	RoleIndex   = "index"
	RoleAlert   = "alert"
)

var allRoles = []string{RoleExtract, RoleIndex, RoleAlert}

// reportPrefix is where stage processes report to the harness in split
// mode (core NATS, outside every stream).
const reportPrefix = "bench.stage."

// stageHooks receive what the stages did.
type stageHooks struct {
	extracted func(d time.Duration)
	indexed   func(batch time.Duration, fetched []time.Time, done time.Time)
	evaluated func(d time.Duration)
}

// report is a stage process's message to the harness.
type report struct {
	D       time.Duration `json:"d"`
	Fetched []time.Time   `json:"fetched,omitempty"`
	Done    time.Time     `json:"done,omitzero"`
}

// startStages builds the stages named in roles on conn and runs them in g
// until its context ends.
func startStages(ctx context.Context, g *errgroup.Group, conn *bus.Conn, cfg E2EConfig, dir string, roles []string, log *slog.Logger, h stageHooks) error {
	reg := prometheus.NewRegistry()
	if slices.Contains(roles, RoleExtract) {
		var handle stage.Handler
		switch cfg.Extractor {
		case ExtractorNewswire:
			p, err := extractors.NewPipeline(extractors.Config{})
			if err != nil {
				return fmt.Errorf("extractors: %w", err)
			}
			handle = extract.New(conn, p, log).Handle
		case ExtractorProse:
			handle = proseHandler(conn)
		default:
			return fmt.Errorf("bench: unknown extractor %q", cfg.Extractor)
		}
		r, err := stage.New(ctx, conn, stage.Config{Name: "extract", Stream: bus.StreamRaw, Workers: cfg.Workers, AckWait: time.Minute}, log, reg)
		if err != nil {
			return err
		}
		g.Go(func() error {
			return r.Run(ctx, func(ctx context.Context, m jetstream.Msg) error {
				t0 := time.Now()
				err := handle(ctx, m)
				h.extracted(time.Since(t0))
				return err
			})
		})
	}
	if slices.Contains(roles, RoleIndex) {
		idx, err := bleve.Open(filepath.Join(dir, "index"), bleve.Options{})
		if err != nil {
			return fmt.Errorf("open bleve: %w", err)
		}
		r, err := stage.New(ctx, conn, stage.Config{Name: "index", Stream: bus.StreamEnriched, Permanent: []error{index.ErrPermanent},
			AckWait: time.Minute, BatchSize: 256, BatchWait: 200 * time.Millisecond}, log, reg)
		if err != nil {
			idx.Close(ctx)
			return err
		}
		ih := indexer.Handler(idx)
		g.Go(func() error {
			defer idx.Close(context.WithoutCancel(ctx))
			return r.RunBatch(ctx, func(ctx context.Context, ms []jetstream.Msg) ([]error, error) {
				t0 := time.Now()
				errs, err := ih(ctx, ms)
				done := time.Now()
				if err != nil {
					return errs, err
				}
				fetched := make([]time.Time, 0, len(ms))
				for i, m := range ms {
					var s stamp
					if errs[i] != nil || json.Unmarshal(m.Data(), &s) != nil {
						continue
					}
					fetched = append(fetched, s.Fetched)
				}
				h.indexed(done.Sub(t0), fetched, done)
				return errs, nil
			})
		})
	}
	if slices.Contains(roles, RoleAlert) {
		rules, err := alert.NewRuleSet(Rules(cfg.Rules), alert.Options{})
		if err != nil {
			return fmt.Errorf("bench rules: %w", err)
		}
		aw, err := alert.NewWorker(conn, rules, log, reg)
		if err != nil {
			return fmt.Errorf("alert worker: %w", err)
		}
		r, err := stage.New(ctx, conn, stage.Config{Name: "alert", Stream: bus.StreamEnriched, Workers: cfg.AlertWorkers}, log, reg)
		if err != nil {
			return err
		}
		g.Go(func() error {
			return r.Run(ctx, func(ctx context.Context, m jetstream.Msg) error {
				t0 := time.Now()
				a, err := article.DecodeEnriched(m.Data())
				if err == nil {
					err = aw.Handle(ctx, a)
				}
				if err == nil {
					h.evaluated(time.Since(t0))
				}
				return err
			})
		})
	}
	return nil
}

// RoleArgs are the arguments a stage process of a split run is started
// with; the program passes them to ParseRoleArgs and RunRole.
func RoleArgs(role, url, dir string, cfg E2EConfig) []string {
	return []string{"-role", role, "-nats", url, "-dir", dir, "-extractor", cfg.Extractor,
		"-workers", strconv.Itoa(cfg.Workers), "-alert-workers", strconv.Itoa(cfg.AlertWorkers), "-rules", strconv.Itoa(cfg.Rules)}
}

// startSplit subscribes to the stage processes' reports and starts one
// process per role; they run until ctx ends.
func startSplit(ctx context.Context, g *errgroup.Group, conn *bus.Conn, url string, cfg E2EConfig, dir string, h stageHooks) ([]*exec.Cmd, error) {
	if cfg.Exe == "" {
		return nil, fmt.Errorf("bench: split mode needs E2EConfig.Exe")
	}
	sub, err := conn.NC.Subscribe(reportPrefix+">", func(m *nats.Msg) {
		var r report
		if json.Unmarshal(m.Data, &r) != nil {
			return
		}
		switch m.Subject[len(reportPrefix):] {
		case RoleExtract:
			h.extracted(r.D)
		case RoleIndex:
			h.indexed(r.D, r.Fetched, r.Done)
		case RoleAlert:
			h.evaluated(r.D)
		}
	})
	if err != nil {
		return nil, fmt.Errorf("subscribe stage reports: %w", err)
	}
	g.Go(func() error { <-ctx.Done(); return sub.Unsubscribe() })
	var cmds []*exec.Cmd
	for _, role := range allRoles {
		cmd := exec.CommandContext(ctx, cfg.Exe, RoleArgs(role, url, filepath.Join(dir, role), cfg)...)
		cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
		cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
		cmd.WaitDelay = 30 * time.Second
		if err := cmd.Start(); err != nil {
			return cmds, fmt.Errorf("start %s process: %w", role, err)
		}
		cmds = append(cmds, cmd)
		g.Go(func() error {
			err := cmd.Wait()
			if ctx.Err() != nil {
				return nil // stopped by the harness
			}
			return fmt.Errorf("%s process: %w", role, err)
		})
	}
	return cmds, nil
}

// RunRole runs one stage of a split load run in this process, connected to
// NATS at url, reporting to the harness until ctx ends.
func RunRole(ctx context.Context, role, url, dir string, cfg E2EConfig) error {
	if !slices.Contains(allRoles, role) {
		return fmt.Errorf("bench: unknown role %q", role)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	conn, err := bus.Connect(ctx, url, nil, log)
	if err != nil {
		return fmt.Errorf("connect %s: %w", url, err)
	}
	defer conn.Close()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("role dir: %w", err)
	}
	send := func(r report) {
		b, err := json.Marshal(r)
		if err == nil {
			conn.NC.Publish(reportPrefix+role, b)
		}
	}
	h := stageHooks{
		extracted: func(d time.Duration) { send(report{D: d}) },
		indexed: func(batch time.Duration, fetched []time.Time, done time.Time) {
			send(report{D: batch, Fetched: fetched, Done: done})
		},
		evaluated: func(d time.Duration) { send(report{D: d}) },
	}
	g, gctx := errgroup.WithContext(ctx)
	if err := startStages(gctx, g, conn, cfg, dir, []string{role}, log, h); err != nil {
		return err
	}
	err = g.Wait()
	conn.NC.Flush()
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// processHWM is the peak resident set size of process pid, or 0.
func processHWM(pid int) uint64 { return hwmFrom("/proc/" + strconv.Itoa(pid) + "/status") }
