package app

import (
	"context"
	_ "embed"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/demo"
)

// demoRules are the alert rules the demo starts with.
//
//go:embed demo_rules.yaml
var demoRules []byte

func demoCmd(o *Options) *cobra.Command {
	var once bool
	f, cf := &stageFlags{}, &crawlFlags{}
	cmd := &cobra.Command{
		Use:   "demo",
		Short: "Serve a demo news site, run the whole pipeline on it and serve search",
		Long: `Starts a small news site of newswire's own writing on 127.0.0.1, crawls it,
extracts people, groups, places and events, indexes them in Bleve, evaluates the
demo alert rules and serves search on --http (default http://127.0.0.1:8080).
State lives under DATA/demo and is wiped at each start.

With --once it prints a summary (articles crawled, entities per kind, events,
alerts fired) when the pipeline is idle and exits.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if once && !cmd.Flags().Changed("http") {
				f.http = ""
			}
			return runDemo(cmd.Context(), o, f, cf, once, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().BoolVar(&once, "once", false, "print a summary when the pipeline is idle and exit")
	f.addWorkers(cmd.Flags())
	f.addHTTP(cmd.Flags(), "127.0.0.1:8080")
	return cmd
}

func runDemo(ctx context.Context, parent *Options, f *stageFlags, cf *crawlFlags, once bool, out, logw io.Writer) error {
	o := *parent
	o.fill()
	o.DataDir = filepath.Join(o.DataDir, "demo")
	if o.NATS != "" {
		return fmt.Errorf("the demo runs on the embedded NATS server; drop --nats")
	}
	if err := os.RemoveAll(o.DataDir); err != nil {
		return fmt.Errorf("reset demo data: %w", err)
	}
	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return err
	}
	f.rules = filepath.Join(o.DataDir, "rules.yaml")
	if err := os.WriteFile(f.rules, demoRules, 0o644); err != nil {
		return err
	}
	siteCtx, stopSite := context.WithCancel(context.WithoutCancel(ctx))
	defer stopSite()
	siteURL, err := demo.Serve(siteCtx, "127.0.0.1:0")
	if err != nil {
		return fmt.Errorf("demo site: %w", err)
	}
	cf.allowPrivate = true
	if cf.delay == 0 {
		cf.delay = 20 * time.Millisecond // our own site on loopback
	}
	cf.startURLs = []string{siteURL + "/"}
	cf.feeds = []string{siteURL + "/feed.xml"}
	cf.sitemaps = []string{siteURL + "/sitemap.xml"}
	if !once && o.Listen == "" {
		o.Listen = freeAddr("127.0.0.1:4222")
	}
	if o.LogLevel == "" || o.LogLevel == "info" {
		o.LogLevel = "warn"
	}
	fmt.Fprintf(out, "newswire demo: crawling the demo site at %s\n", siteURL)
	start := time.Now()
	return runNode(ctx, &o, f, cf, logw, runOptions{afterCrawl: func(ctx context.Context, n *node) error {
		if err := n.env.waitIdle(ctx, 5*time.Minute, StageExtract, StageIndex, StageAlert); err != nil {
			return err
		}
		s, err := summarise(ctx, n)
		if err != nil {
			return err
		}
		s.Elapsed = time.Since(start)
		s.SiteURL = siteURL
		s.write(out)
		if once {
			return nil
		}
		fmt.Fprintf(out, "\nSearch: http://%s   (newswire search --server http://%s QUERY)\n", f.http, f.http)
		if o.Listen != "" {
			fmt.Fprintf(out, "Alerts: newswire alerts watch --nats nats://%s\n", o.Listen)
		}
		fmt.Fprintln(out, "Ctrl-C stops the demo.")
		<-ctx.Done()
		return nil
	}})
}

// summary is what the demo reports.
type summary struct {
	SiteURL  string
	Elapsed  time.Duration
	Articles int
	Indexed  int
	Entities map[article.EntityKind]int
	Mentions map[article.EntityKind]int
	Events   map[string]int
	Alerts   map[string]int
}

// summarise reads every enriched article back from the stream (the last
// version of each) and counts what the pipeline found.
func summarise(ctx context.Context, n *node) (*summary, error) {
	s := &summary{Entities: map[article.EntityKind]int{}, Mentions: map[article.EntityKind]int{},
		Events: map[string]int{}, Alerts: map[string]int{}}
	latest := map[string]*article.Enriched{}
	if err := readStream(ctx, n.env.Conn, bus.StreamEnriched, func(m jetstream.Msg) {
		if e, err := article.DecodeEnriched(m.Data()); err == nil {
			latest[e.ID] = e
		}
	}); err != nil {
		return nil, err
	}
	s.Articles = len(latest)
	seen := map[string]bool{}
	count := func(kind article.EntityKind, id string, mentions int) {
		s.Mentions[kind] += mentions
		if !seen[string(kind)+"\x00"+id] {
			seen[string(kind)+"\x00"+id] = true
			s.Entities[kind]++
		}
	}
	for _, e := range latest {
		for _, p := range e.People {
			count(article.KindPerson, p.ID, p.Mentions)
		}
		for _, g := range e.Groups {
			count(article.KindGroup, g.ID, g.Mentions)
		}
		for _, p := range e.Places {
			count(article.KindPlace, p.ID, p.Mentions)
		}
		for _, ev := range e.Events {
			s.Events[ev.Type]++
		}
	}
	if err := readStream(ctx, n.env.Conn, bus.StreamAlerts, func(m jetstream.Msg) {
		s.Alerts[strings.TrimPrefix(m.Subject(), bus.SubjectAlertPrefix)]++
	}); err != nil {
		return nil, err
	}
	c, err := n.backend.Count(ctx)
	if err != nil {
		return nil, err
	}
	s.Indexed = c
	return s, nil
}

// readStream calls fn for every message in a stream, in order.
func readStream(ctx context.Context, conn *bus.Conn, stream string, fn func(jetstream.Msg)) error {
	st, err := conn.JS.Stream(ctx, stream)
	if err != nil {
		return err
	}
	info, err := st.Info(ctx)
	if err != nil {
		return err
	}
	if info.State.Msgs == 0 {
		return nil
	}
	cons, err := st.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return err
	}
	for {
		batch, err := cons.Fetch(500, jetstream.FetchMaxWait(time.Second))
		if err != nil {
			return err
		}
		for m := range batch.Messages() {
			fn(m)
			meta, err := m.Metadata()
			if err == nil && meta.Sequence.Stream >= info.State.LastSeq {
				return nil
			}
		}
		if err := batch.Error(); err != nil {
			return fmt.Errorf("read %s: %w", stream, err)
		}
	}
}

func (s *summary) write(w io.Writer) {
	total := func(m map[string]int) int {
		t := 0
		for _, v := range m {
			t += v
		}
		return t
	}
	fmt.Fprintf(w, "articles crawled:  %d (indexed %d) in %s\n", s.Articles, s.Indexed, s.Elapsed.Round(time.Millisecond))
	for _, k := range []article.EntityKind{article.KindPerson, article.KindGroup, article.KindPlace} {
		fmt.Fprintf(w, "%-18s %d distinct, %d mentions\n", string(k)+"s:", s.Entities[k], s.Mentions[k])
	}
	fmt.Fprintf(w, "events:            %d %s\n", total(s.Events), breakdown(s.Events))
	fmt.Fprintf(w, "alerts fired:      %d %s\n", total(s.Alerts), breakdown(s.Alerts))
}

func breakdown(m map[string]int) string {
	if len(m) == 0 {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return m[keys[i]] > m[keys[j]] || m[keys[i]] == m[keys[j]] && keys[i] < keys[j] })
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return "(" + strings.Join(parts, ", ") + ")"
}

// freeAddr returns addr when it can be listened on, else a free port on
// the same host, so a second demo does not fail on a busy port.
func freeAddr(addr string) string {
	l, err := net.Listen("tcp", addr)
	if err == nil {
		l.Close()
		return addr
	}
	host, _, _ := net.SplitHostPort(addr)
	l, err = net.Listen("tcp", net.JoinHostPort(host, "0"))
	if err != nil {
		return addr
	}
	defer l.Close()
	return l.Addr().String()
}
