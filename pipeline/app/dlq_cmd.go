package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	"github.com/spf13/cobra"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/dlq"
)

// openOps connects the operator tools (dlq, status) without creating or
// changing any stream: to --nats when given, else to the embedded store
// under --data, which must exist and must not be open in another process
// (a running `newswire run --listen ADDR` is reached with --nats instead).
func openOps(ctx context.Context, o Options, cmd *cobra.Command) (*bus.Conn, func(), error) {
	o.fill()
	log := newLogger(&o, cmd.ErrOrStderr())
	if o.NATS != "" {
		conn, err := bus.Connect(ctx, o.NATS, nil, log)
		if err != nil {
			return nil, nil, err
		}
		return conn, conn.Close, nil
	}
	dir := filepath.Join(o.DataDir, "nats")
	if _, err := os.Stat(dir); err != nil {
		return nil, nil, fmt.Errorf("no embedded NATS store at %s (give --data of a newswire node, or --nats URL): %w", dir, err)
	}
	srv, err := bus.StartEmbedded(ctx, bus.EmbeddedOptions{StoreDir: dir})
	if err != nil {
		return nil, nil, err
	}
	conn, err := bus.Connect(ctx, "", srv, log)
	if err != nil {
		bus.Shutdown(srv)
		return nil, nil, err
	}
	return conn, func() { conn.Close(); bus.Shutdown(srv) }, nil
}

const opsNote = `
Connects to --nats URL, or opens the embedded store under --data. The embedded
store can be opened by one process only: while a node runs on it, start that
node with --listen 127.0.0.1:4222 and pass --nats nats://127.0.0.1:4222 here.`

func dlqCmd(o *Options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "dlq",
		Short: "List, show and replay dead letters (messages a stage gave up on)",
		Long: `A stage that cannot process a message (permanent failure, or MaxDeliver
deliveries) publishes it to newswire.dlq.<stage> with the reason in headers.
Inspect them with list and show; after fixing the cause, replay sends them
back to the subject they came from and deletes them once republished.` + opsNote,
	}
	cmd.AddCommand(dlqListCmd(o), dlqShowCmd(o), dlqReplayCmd(o))
	return cmd
}

func dlqListCmd(o *Options) *cobra.Command {
	var stageName string
	var asJSON bool
	var limit int
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List dead letters, oldest first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			conn, closeConn, err := openOps(ctx, *o, cmd)
			if err != nil {
				return err
			}
			defer closeConn()
			letters, err := dlq.List(ctx, conn, stageName, limit)
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			if asJSON {
				enc := json.NewEncoder(out)
				for _, l := range letters {
					if err := enc.Encode(l); err != nil {
						return err
					}
				}
				return nil
			}
			counts, err := dlq.Counts(ctx, conn)
			if err != nil {
				return err
			}
			var total uint64
			for s, n := range counts {
				if stageName == "" || s == bus.Token(stageName) {
					total += n
				}
			}
			return writeLetters(out, letters, total)
		},
	}
	cmd.Flags().StringVar(&stageName, "stage", "", "only this stage's dead letters (extract, index, alert, ...)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON Lines")
	cmd.Flags().IntVar(&limit, "limit", 100, "at most this many (0: all)")
	return cmd
}

func writeLetters(w io.Writer, letters []dlq.Letter, total uint64) error {
	if len(letters) == 0 {
		_, err := fmt.Fprintln(w, "no dead letters")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "SEQ\tSTAGE\tDEAD AT\tATTEMPTS\tSIZE\tSUBJECT\tERROR")
	for _, l := range letters {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%d\t%s\t%s\n", l.Seq, l.Stage, l.Time.Format(time.DateTime),
			l.Attempts, l.Size, l.Subject, oneLine(l.Error, 100))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if total > uint64(len(letters)) {
		_, err := fmt.Fprintf(w, "%d of %d shown (--limit 0 for all)\n", len(letters), total)
		return err
	}
	return nil
}

func oneLine(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func dlqShowCmd(o *Options) *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "show SEQ",
		Short: "Show one dead letter: reason, headers and the original message",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			seq, err := parseSeq(args[0])
			if err != nil {
				return err
			}
			ctx := cmd.Context()
			conn, closeConn, err := openOps(ctx, *o, cmd)
			if err != nil {
				return err
			}
			defer closeConn()
			m, err := dlq.Show(ctx, conn, seq)
			if err != nil {
				return err
			}
			if asJSON {
				return json.NewEncoder(cmd.OutOrStdout()).Encode(showJSON(m))
			}
			return writeLetter(cmd.OutOrStdout(), m)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON (the payload inline when it is JSON, else as a string)")
	return cmd
}

func parseSeq(s string) (uint64, error) {
	seq, err := strconv.ParseUint(s, 10, 64)
	if err != nil || seq == 0 {
		return 0, fmt.Errorf("dead letter sequence %q: want a positive number from `newswire dlq list`", s)
	}
	return seq, nil
}

type letterJSON struct {
	dlq.Letter
	Header map[string][]string `json:"header"`
	Data   any                 `json:"data"`
}

func showJSON(m *dlq.Message) letterJSON {
	out := letterJSON{Letter: m.Letter, Header: m.Header}
	switch {
	case json.Valid(m.Data):
		out.Data = json.RawMessage(m.Data)
	case utf8.Valid(m.Data):
		out.Data = string(m.Data)
	default:
		out.Data = m.Data // base64
	}
	return out
}

func writeLetter(w io.Writer, m *dlq.Message) error {
	fmt.Fprintf(w, "seq:       %d\nstage:     %s\ndead at:   %s\nattempts:  %d\nsubject:   %s\n",
		m.Seq, m.Stage, m.Time.Format(time.RFC3339), m.Attempts, m.Subject)
	if m.Stream != "" {
		fmt.Fprintf(w, "from:      %s seq %d\n", m.Stream, m.StreamSeq)
	}
	fmt.Fprintf(w, "error:     %s\n\nheaders:\n", m.Error)
	keys := make([]string, 0, len(m.Header))
	for k := range m.Header {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		for _, v := range m.Header[k] {
			fmt.Fprintf(w, "  %s: %s\n", k, v)
		}
	}
	fmt.Fprintf(w, "\npayload (%d bytes):\n", len(m.Data))
	var buf strings.Builder
	switch {
	case json.Valid(m.Data):
		var v any
		if err := json.Unmarshal(m.Data, &v); err == nil {
			b, _ := json.MarshalIndent(v, "", "  ")
			buf.Write(b)
		}
	case utf8.Valid(m.Data):
		buf.Write(m.Data)
	default:
		fmt.Fprintf(&buf, "%q", m.Data)
	}
	_, err := fmt.Fprintln(w, buf.String())
	return err
}

func dlqReplayCmd(o *Options) *cobra.Command {
	var f dlq.Filter
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "replay (SEQ...|--stage S|--all)",
		Short: "Send dead letters back to the subject they came from, then delete them",
		Long: `Republishes each selected dead letter's original message to its original
subject with a new Nats-Msg-Id and deletes the dead letter once JetStream has
acknowledged the republish. Fix the cause first: a message that fails again is
dead-lettered again (with Newswire-Replay-Of naming the letter it came from).
A replay of enriched articles reaches every consumer of that subject (index
and alert); both are idempotent.`,
		Example: `  newswire dlq replay 17 18
  newswire dlq replay --stage index
  newswire dlq replay --all --error-contains "connection refused"`,
		RunE: func(cmd *cobra.Command, args []string) error {
			for _, a := range args {
				seq, err := parseSeq(a)
				if err != nil {
					return err
				}
				f.Seqs = append(f.Seqs, seq)
			}
			n := 0
			for _, set := range []bool{len(f.Seqs) > 0, f.Stage != "", f.All} {
				if set {
					n++
				}
			}
			if n != 1 {
				return errors.New("replay: give sequences, or --stage S, or --all (exactly one)")
			}
			ctx := cmd.Context()
			conn, closeConn, err := openOps(ctx, *o, cmd)
			if err != nil {
				return err
			}
			defer closeConn()
			res, err := dlq.Replay(ctx, conn, f)
			out := cmd.OutOrStdout()
			enc := json.NewEncoder(out)
			for _, r := range res {
				if asJSON {
					if jerr := enc.Encode(r); jerr != nil {
						return jerr
					}
					continue
				}
				dup := ""
				if r.Duplicate {
					dup = " (already republished earlier)"
				}
				fmt.Fprintf(out, "replayed %d -> %s (%s seq %d)%s\n", r.Seq, r.Subject, r.Stream, r.StreamSeq, dup)
			}
			if !asJSON {
				fmt.Fprintf(out, "%d replayed\n", len(res))
			}
			return err
		},
	}
	cmd.Flags().StringVar(&f.Stage, "stage", "", "replay every dead letter of this stage")
	cmd.Flags().BoolVar(&f.All, "all", false, "replay every dead letter")
	cmd.Flags().StringVar(&f.ErrorContains, "error-contains", "", "only dead letters whose reason contains this text")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON line per replayed message")
	return cmd
}
