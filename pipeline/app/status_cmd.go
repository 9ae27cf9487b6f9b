package app

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/status"
)

func statusCmd(o *Options) *cobra.Command {
	var asJSON, watch bool
	var interval time.Duration
	cmd := &cobra.Command{
		Use:   "status",
		Short: "Show each stage's lag, in-flight and redelivered messages, ack rate and dead letters",
		Long: `For every durable consumer on the newswire streams (newswire-extract,
newswire-index, newswire-alert, newswire-webhook...): PENDING is the lag
(messages not yet delivered), IN FLIGHT delivered but not yet acknowledged,
REDELIVERED those of them delivered more than once, WAITING pull requests of
idle workers, ACKED/S messages settled per second over the last --interval,
DEAD the stage's dead letters (newswire dlq list). STATE is "no workers" when
messages wait and no worker is pulling. Then the size of each stream.

Without --watch the command samples twice, --interval apart, to compute rates
(--interval 0: once, no rates). With --watch it refreshes every --interval
until interrupted; with --json it prints one JSON object per sample.` + opsNote,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			conn, closeConn, err := openOps(ctx, *o, cmd)
			if err != nil {
				return err
			}
			defer closeConn()
			out := cmd.OutOrStdout()
			return runStatus(ctx, conn, out, statusOptions{
				json: asJSON, watch: watch, interval: interval, clear: !asJSON && writerIsTerminal(out),
			})
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON")
	cmd.Flags().BoolVarP(&watch, "watch", "w", false, "refresh every --interval until interrupted")
	cmd.Flags().DurationVar(&interval, "interval", 2*time.Second, "sampling interval for rates and --watch")
	return cmd
}

type statusOptions struct {
	json, watch, clear bool
	interval           time.Duration
}

// runStatus prints snapshots until done: one (with rates over one interval
// unless the interval is 0), or one per interval with watch.
func runStatus(ctx context.Context, conn *bus.Conn, w io.Writer, so statusOptions) error {
	if so.watch && so.interval <= 0 {
		return fmt.Errorf("--watch needs a positive --interval")
	}
	prev, err := status.Collect(ctx, conn, nil)
	if err != nil {
		return err
	}
	if !so.watch {
		if so.interval > 0 {
			if !wait(ctx, so.interval) {
				return nil
			}
			if prev, err = status.Collect(ctx, conn, prev); err != nil {
				return err
			}
		}
		return printStatus(w, prev, so)
	}
	t := time.NewTicker(so.interval)
	defer t.Stop()
	for {
		if err := printStatus(w, prev, so); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		cur, err := status.Collect(ctx, conn, prev)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		prev = cur
	}
}

func printStatus(w io.Writer, s *status.Snapshot, so statusOptions) error {
	if so.json {
		return json.NewEncoder(w).Encode(s)
	}
	if so.clear && so.watch {
		fmt.Fprint(w, "\x1b[H\x1b[2J")
	}
	if so.watch {
		fmt.Fprintf(w, "newswire status at %s (every %s, Ctrl-C to stop)\n\n", s.Time.Format(time.TimeOnly), so.interval)
	}
	return status.WriteTable(w, s)
}

func wait(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// writerIsTerminal reports whether w is a terminal.
func writerIsTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}
