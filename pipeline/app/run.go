package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/newswire/newswire/pipeline/index"
)

// node is every stage in one process, sharing one Env, backend and resolver.
type node struct {
	env      *Env
	backend  index.Backend
	resolver index.Resolver
	flags    *stageFlags
	crawl    *crawlFlags
}

// runOptions tune runNode for `run` and `demo`.
type runOptions struct {
	// urls are extra start URLs from the command line.
	urls []string
	// afterCrawl, when set, runs once the crawl has finished (crawl once);
	// when it returns, the node stops.
	afterCrawl func(ctx context.Context, n *node) error
}

func runCmd(o *Options) *cobra.Command {
	f, cf := &stageFlags{}, &crawlFlags{}
	cmd := &cobra.Command{
		Use:   "run [URL...]",
		Short: "Run every stage in one process: crawl, extract, index, alert and serve",
		Long: `Runs the whole pipeline in one process on an embedded NATS server (or --nats)
and an embedded Bleve index (or --es). Sites to crawl come from --sources, --feed
and URL arguments; without any, the node still extracts, indexes and alerts on
what other crawl processes publish.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			return runNode(cmd.Context(), o, f, cf, cmd.ErrOrStderr(), runOptions{urls: args})
		},
	}
	fs := cmd.Flags()
	f.addWorkers(fs)
	f.addKB(fs)
	f.addRules(fs)
	f.addHTTP(fs, "127.0.0.1:8080")
	f.addBackend(fs)
	cf.add(fs)
	return cmd
}

// runNode starts every stage and blocks until ctx ends or a stage fails.
func runNode(ctx context.Context, o *Options, f *stageFlags, cf *crawlFlags, logw io.Writer, ro runOptions) error {
	log := newLogger(o, logw)
	env, err := openEnv(ctx, *o, log)
	if err != nil {
		return err
	}
	defer env.Close()
	backend, err := openBackend(ctx, &env.Opts, f)
	if err != nil {
		return err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := backend.Close(cctx); err != nil {
			log.Warn("close index", "err", err)
		}
	}()
	res, err := openResolver(f.kb)
	if err != nil {
		return err
	}
	n := &node{env: env, backend: backend, resolver: res, flags: f, crawl: cf}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return env.runExtractStage(gctx, f) })
	g.Go(func() error { return env.runIndexStage(gctx, backend) })
	g.Go(func() error { return env.runAlertStage(gctx, f, res) })
	if f.http != "" {
		g.Go(func() error { return env.serveHTTP(gctx, f.http, backend, res, f.apiToken) })
	}
	sources, err := cf.sources(ro.urls)
	if err != nil {
		return err
	}
	if len(sources) > 0 {
		once := cf.once || ro.afterCrawl != nil
		g.Go(func() error {
			c, err := env.newCrawler(gctx, sources, cf, once, nil)
			if err != nil {
				return err
			}
			if err := c.Run(gctx); err != nil {
				return err
			}
			if ro.afterCrawl == nil {
				return nil
			}
			err = ro.afterCrawl(gctx, n)
			cancel()
			return err
		})
	} else if ro.afterCrawl != nil {
		return fmt.Errorf("nothing to crawl")
	}
	err = g.Wait()
	if ctx.Err() != nil && err == context.Canceled {
		err = nil
	}
	return err
}

// waitIdle waits until the named stages are running and have nothing
// pending or in flight, seen three times in a row, or until timeout.
func (e *Env) waitIdle(ctx context.Context, timeout time.Duration, stages ...string) error {
	deadline := time.Now().Add(timeout)
	quiet := 0
	for quiet < 3 {
		if time.Now().After(deadline) {
			return fmt.Errorf("pipeline still busy after %s", timeout)
		}
		runners := e.stageRunners()
		busy := false
		for _, name := range stages {
			if runners[name] == nil {
				busy = true // not started yet: still loading models
			}
		}
		for name, r := range runners {
			info, err := r.Consumer().Info(ctx)
			if err != nil {
				return fmt.Errorf("stage %s: %w", name, err)
			}
			if info.NumPending > 0 || info.NumAckPending > 0 {
				busy = true
			}
		}
		if busy {
			quiet = 0
		} else {
			quiet++
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
	return nil
}
