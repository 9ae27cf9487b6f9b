package app

import (
	"context"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"
)

// stageCmd builds a command that runs one consuming stage, plus /metrics and
// /healthz on --http when set.
func stageCmd(o *Options, use, short string, withBackend, withKB, withRules bool,
	run func(ctx context.Context, env *Env, f *stageFlags, n *node) error) *cobra.Command {
	f := &stageFlags{}
	cmd := &cobra.Command{
		Use:   use,
		Short: short,
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			log := newLogger(o, cmd.ErrOrStderr())
			env, err := openEnv(ctx, *o, log)
			if err != nil {
				return err
			}
			defer env.Close()
			n := &node{env: env, flags: f}
			if withBackend {
				if n.backend, err = openBackend(ctx, &env.Opts, f); err != nil {
					return err
				}
				defer func() {
					cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					_ = n.backend.Close(cctx)
				}()
			}
			if withRules {
				if n.resolver, err = openResolver(f.kb); err != nil {
					return err
				}
			}
			g, gctx := errgroup.WithContext(ctx)
			g.Go(func() error { return run(gctx, env, f, n) })
			if f.http != "" {
				g.Go(func() error { return env.serveHTTP(gctx, f.http, nil, nil, "") })
			}
			return g.Wait()
		},
	}
	fs := cmd.Flags()
	f.addWorkers(fs)
	f.addHTTP(fs, "")
	if withBackend {
		f.addBackend(fs)
	}
	if withKB {
		f.addKB(fs)
	}
	if withRules {
		f.addRules(fs)
	}
	return cmd
}

func extractWorkerCmd(o *Options) *cobra.Command {
	return stageCmd(o, "extract-worker", "Consume raw articles, extract entities and events, publish enriched articles",
		false, true, false,
		func(ctx context.Context, env *Env, f *stageFlags, _ *node) error { return env.runExtractStage(ctx, f) })
}

func indexWorkerCmd(o *Options) *cobra.Command {
	return stageCmd(o, "index-worker", "Consume enriched articles and index them (Bleve, or Elasticsearch with --es)",
		true, false, false,
		func(ctx context.Context, env *Env, _ *stageFlags, n *node) error {
			return env.runIndexStage(ctx, n.backend)
		})
}

func alertWorkerCmd(o *Options) *cobra.Command {
	return stageCmd(o, "alert-worker", "Consume enriched articles, evaluate alert rules, publish alerts",
		false, true, true,
		func(ctx context.Context, env *Env, f *stageFlags, n *node) error {
			return env.runAlertStage(ctx, f, n.resolver)
		})
}

func serveCmd(o *Options) *cobra.Command {
	f := &stageFlags{}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the search API and web page over the index",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			o.fill()
			env := &Env{Opts: *o, Log: newLogger(o, cmd.ErrOrStderr()), Reg: newRegistry()}
			b, err := openBackend(ctx, o, f)
			if err != nil {
				return err
			}
			defer func() {
				cctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				defer cancel()
				_ = b.Close(cctx)
			}()
			res, err := openResolver(f.kb)
			if err != nil {
				return err
			}
			return env.serveHTTP(ctx, f.http, b, res, f.apiToken)
		},
	}
	f.addHTTP(cmd.Flags(), "127.0.0.1:8080")
	f.addBackend(cmd.Flags())
	f.addKB(cmd.Flags())
	return cmd
}
