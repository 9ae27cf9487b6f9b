package app

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"golang.org/x/sync/errgroup"

	"github.com/newswire/newswire/pipeline/crawl"
)

// crawlFlags are the crawl settings of `crawl`, `run` and `demo`.
type crawlFlags struct {
	sourcesFile  string
	startURLs    []string
	feeds        []string
	sitemaps     []string
	once         bool
	allowPrivate bool
	userAgent    string
	contact      string
	parallelism  int
	delay        time.Duration
	maxDepth     int
	http         string
	noFrontier   bool
	progress     bool
}

func (cf *crawlFlags) add(fs *pflag.FlagSet) {
	fs.StringVar(&cf.sourcesFile, "sources", "", "sources file (YAML): sites, feeds, sitemaps, rules per site")
	fs.StringArrayVar(&cf.feeds, "feed", nil, "RSS/Atom feed URL to poll (repeatable)")
	fs.StringArrayVar(&cf.sitemaps, "sitemap", nil, "sitemap URL (repeatable)")
	fs.BoolVar(&cf.once, "once", false, "crawl what is reachable now, then stop crawling")
	fs.BoolVar(&cf.allowPrivate, "allow-private", false, "allow private, loopback and link-local addresses (tests, intranets)")
	fs.StringVar(&cf.userAgent, "user-agent", "", "User-Agent header (default: newswire/<version> (+contact))")
	fs.StringVar(&cf.contact, "contact", "", "contact URL or address for the User-Agent")
	fs.IntVar(&cf.parallelism, "parallelism", 0, "requests in flight per host (default 2)")
	fs.DurationVar(&cf.delay, "delay", 0, "time between a response and the next request to one host (default 1s; a longer robots.txt Crawl-delay wins)")
	fs.IntVar(&cf.maxDepth, "max-depth", 0, "link depth from the start URLs (default 2; -1 follows no links)")
	fs.BoolVar(&cf.noFrontier, "no-frontier", false, "keep the crawl frontier in memory instead of in JetStream (no sharing between crawl processes, no resume)")
}

// sources builds the crawl sources from the sources file, --feed,
// --sitemap and start URLs. Ad-hoc URLs stay on their own host.
func (cf *crawlFlags) sources(urls []string) ([]crawl.Source, error) {
	var out []crawl.Source
	if cf.sourcesFile != "" {
		ss, err := crawl.LoadSources(cf.sourcesFile)
		if err != nil {
			return nil, err
		}
		out = append(out, ss...)
	}
	adhoc := map[string]*crawl.Source{}
	var order []string
	add := func(raw string, put func(s *crawl.Source, u string)) error {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%q is not an http(s) URL", raw)
		}
		host := strings.ToLower(u.Hostname())
		s := adhoc[host]
		if s == nil {
			s = &crawl.Source{Name: strings.TrimPrefix(host, "www."), AllowedHosts: []string{host}, MaxDepth: cf.maxDepth}
			adhoc[host] = s
			order = append(order, host)
		}
		put(s, u.String())
		return nil
	}
	for _, u := range append(append([]string{}, cf.startURLs...), urls...) {
		if err := add(u, func(s *crawl.Source, u string) { s.StartURLs = append(s.StartURLs, u) }); err != nil {
			return nil, err
		}
	}
	for _, u := range cf.feeds {
		if err := add(u, func(s *crawl.Source, u string) { s.Feeds = append(s.Feeds, u) }); err != nil {
			return nil, err
		}
	}
	for _, u := range cf.sitemaps {
		if err := add(u, func(s *crawl.Source, u string) { s.Sitemaps = append(s.Sitemaps, u) }); err != nil {
			return nil, err
		}
	}
	for _, h := range order {
		out = append(out, *adhoc[h])
	}
	return out, nil
}

// newCrawler builds a crawler publishing on the env's connection. Its
// frontier lives in JetStream (unless --no-frontier), so several crawl
// processes share one crawl and a restarted one resumes it.
func (e *Env) newCrawler(ctx context.Context, sources []crawl.Source, cf *crawlFlags, once bool, progress io.Writer) (*crawl.Crawler, error) {
	var frontier *crawl.Frontier
	if !cf.noFrontier {
		f, err := crawl.OpenFrontier(ctx, e.Conn, crawl.FrontierOptions{Replicas: e.Opts.Replicas})
		if err != nil {
			return nil, err
		}
		frontier = f
	}
	ua := cf.userAgent
	if ua == "" {
		contact := firstNonEmpty(cf.contact, "https://github.com/newswire/newswire")
		ua = "newswire/" + strings.Fields(Version())[0] + " (+" + contact + ")"
	}
	return crawl.New(e.Conn, crawl.Config{
		Sources:      sources,
		UserAgent:    ua,
		AllowPrivate: cf.allowPrivate,
		Once:         once,
		Parallelism:  cf.parallelism,
		Delay:        cf.delay,
		Frontier:     frontier,
		Progress:     progress,
	}, e.Log, e.Reg)
}

func crawlCmd(o *Options) *cobra.Command {
	cf := &crawlFlags{}
	cmd := &cobra.Command{
		Use:   "crawl [URL...]",
		Short: "Crawl sites and feeds, publishing articles to newswire.articles.raw.<source>",
		Long: `Crawls the sites of --sources, --feed, --sitemap and URL arguments, obeying
robots.txt, and publishes every article page found to JetStream. Several crawl
processes against one NATS share the work.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			sources, err := cf.sources(args)
			if err != nil {
				return err
			}
			if len(sources) == 0 {
				return fmt.Errorf("nothing to crawl: give URLs, --feed, --sitemap or --sources")
			}
			log := newLogger(o, cmd.ErrOrStderr())
			env, err := openEnv(ctx, *o, log)
			if err != nil {
				return err
			}
			defer env.Close()
			var progress io.Writer
			if cf.progress {
				progress = cmd.ErrOrStderr()
			}
			c, err := env.newCrawler(ctx, sources, cf, cf.once, progress)
			if err != nil {
				return err
			}
			g, gctx := errgroup.WithContext(ctx)
			cctx, cancel := context.WithCancel(gctx)
			g.Go(func() error { defer cancel(); return c.Run(gctx) })
			if cf.http != "" {
				g.Go(func() error { return env.serveHTTP(cctx, cf.http, nil, nil, "") })
			}
			err = g.Wait()
			st := c.Stats()
			fmt.Fprintf(cmd.ErrOrStderr(), "crawl: %d fetched, %d articles published, %d errors\n", st.Fetched, st.Published, st.Errors)
			return err
		},
	}
	cf.add(cmd.Flags())
	cmd.Flags().StringVar(&cf.http, "http", "", "address for /metrics and /healthz (empty: none)")
	cmd.Flags().BoolVar(&cf.progress, "progress", isTerminal(os.Stderr), "show a live progress line (default on a terminal)")
	return cmd
}

// isTerminal reports whether f is a character device (a terminal).
func isTerminal(f *os.File) bool {
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
