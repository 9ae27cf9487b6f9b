package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswire/newswire/pipeline/index"
	"github.com/newswire/newswire/pipeline/search"
)

type searchFlags struct {
	stageFlags
	server string
	json   bool
	size   int
	from   int
	sort   string
	facets bool
	events bool
	// The incidents view.
	incidents    bool
	since, until string
	eventType    string
	place        string
}

func searchCmd(o *Options) *cobra.Command {
	f := &searchFlags{}
	cmd := &cobra.Command{
		Use:   "search [flags] QUERY...",
		Short: "Search indexed articles from the command line",
		Long: `Searches through a running newswire server (--server, default
http://127.0.0.1:8080) or, when none answers, the index directly (Bleve under
--data, or --es). The query language: words, "phrases", AND/OR/NOT, fields
person: group: place: event: source: lang:, published:2024-01-01..2024-03-31.
Entity filters use canonical names: group:ISIS-K also finds "ISKP".

--incidents links the events of the newest 1000 matching articles across
articles into incidents and prints each with the range of tolls reported and
every outlet's own figures (--size incidents, newest report first; the
query may then be empty). --type, --place, --since and --until filter them.`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if f.incidents {
				return runIncidents(cmd, o, f, strings.Join(args, " "))
			}
			if len(args) == 0 {
				return errors.New("search needs a query (or --incidents)")
			}
			req := index.Request{
				Query: strings.Join(args, " "), From: f.from, Size: f.size, Sort: index.Sort(f.sort),
				Facets: f.facets, Highlight: true, Events: f.events,
			}
			res, err := runSearch(cmd.Context(), o, f, req)
			if err != nil {
				return err
			}
			if f.json {
				return writeJSON(cmd.OutOrStdout(), res)
			}
			return search.WriteTable(cmd.OutOrStdout(), res)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.server, "server", "http://127.0.0.1:8080", "newswire server to ask; empty opens the index directly")
	fs.BoolVar(&f.json, "json", false, "print the result as JSON")
	fs.IntVar(&f.size, "size", 10, "results per page")
	fs.IntVar(&f.from, "from", 0, "offset of the first result")
	fs.StringVar(&f.sort, "sort", "relevance", "relevance or date")
	fs.BoolVar(&f.facets, "facets", false, "show facet counts")
	fs.BoolVar(&f.events, "events", false, "show the events of matching articles")
	fs.BoolVar(&f.incidents, "incidents", false, "show incidents: events linked across the matching articles")
	fs.StringVar(&f.eventType, "type", "", "with --incidents: only incidents of this event type")
	fs.StringVar(&f.place, "place", "", "with --incidents: only incidents at, or within, this place")
	fs.StringVar(&f.since, "since", "", "with --incidents: articles published on or after this date (2024, 2024-01, 2024-01-03)")
	fs.StringVar(&f.until, "until", "", "with --incidents: articles published on or before this date")
	fs.StringVar(&f.apiToken, "api-token", "", "bearer token for --server")
	f.addBackend(fs)
	f.addKB(fs)
	return cmd
}

// runIncidents prints the incidents of the articles matching query.
func runIncidents(cmd *cobra.Command, o *Options, f *searchFlags, query string) error {
	req := search.IncidentRequest{Query: query, From: f.since, To: f.until, Type: f.eventType, Place: f.place, Limit: f.size}
	ctx := cmd.Context()
	var res *search.IncidentResult
	var err error
	if f.server != "" {
		res, err = incidentsServer(ctx, f.server, f.apiToken, req)
	}
	if f.server == "" || errors.Is(err, errNoServer) {
		var b index.Backend
		var r index.Resolver
		b, r, err = openSearchBackend(ctx, o, f)
		if err != nil {
			return err
		}
		defer b.Close(context.WithoutCancel(ctx))
		req.Resolver = r
		res, err = search.FindIncidents(ctx, b, req)
	}
	if err != nil {
		return err
	}
	if f.json {
		return writeJSON(cmd.OutOrStdout(), res)
	}
	return search.WriteIncidents(cmd.OutOrStdout(), res)
}

func incidentsServer(ctx context.Context, server, token string, req search.IncidentRequest) (*search.IncidentResult, error) {
	q := url.Values{}
	q.Set("q", req.Query)
	for k, v := range map[string]string{"from": req.From, "to": req.To, "type": req.Type, "place": req.Place} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if req.Limit > 0 {
		q.Set("limit", strconv.Itoa(req.Limit))
	}
	var res search.IncidentResult
	if err := getJSON(ctx, strings.TrimRight(server, "/")+"/api/incidents?"+q.Encode(), token, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// runSearch asks the server, falling back to the index when it is not there.
func runSearch(ctx context.Context, o *Options, f *searchFlags, req index.Request) (*index.Result, error) {
	if f.server != "" {
		res, err := searchServer(ctx, f.server, f.apiToken, req)
		if err == nil || !errors.Is(err, errNoServer) {
			return res, err
		}
	}
	b, r, err := openSearchBackend(ctx, o, f)
	if err != nil {
		return nil, err
	}
	defer b.Close(context.WithoutCancel(ctx))
	req.Resolver = r
	return b.Search(ctx, req)
}

// openSearchBackend opens the index directly (Bleve under --data, or --es)
// and the knowledge base's resolver; the caller closes the backend.
func openSearchBackend(ctx context.Context, o *Options, f *searchFlags) (index.Backend, index.Resolver, error) {
	o.fill()
	if firstNonEmpty(f.esURLs, getenv("NEWSWIRE_ES_URL")) == "" {
		dir := filepath.Join(o.DataDir, "index")
		if _, err := os.Stat(dir); err != nil {
			return nil, nil, fmt.Errorf("no newswire server at %s and no index at %s (start `newswire run`, or give --server or --data)", f.server, dir)
		}
	}
	b, err := openBackend(ctx, o, &f.stageFlags)
	if err != nil {
		return nil, nil, fmt.Errorf("no server at %s and %w", f.server, err)
	}
	res, err := openResolver(f.kb)
	if err != nil {
		b.Close(context.WithoutCancel(ctx))
		return nil, nil, err
	}
	return b, res, nil
}

var errNoServer = errors.New("no server")

func searchServer(ctx context.Context, server, token string, req index.Request) (*index.Result, error) {
	q := url.Values{}
	q.Set("q", req.Query)
	q.Set("from", strconv.Itoa(req.From))
	q.Set("size", strconv.Itoa(req.Size))
	q.Set("sort", string(req.Sort))
	if req.Facets {
		q.Set("facets", "1")
	}
	if req.Events {
		q.Set("events", "1")
	}
	var res index.Result
	if err := getJSON(ctx, strings.TrimRight(server, "/")+"/api/search?"+q.Encode(), token, &res); err != nil {
		return nil, err
	}
	return &res, nil
}

// getJSON GETs u from a newswire server and decodes its JSON answer into
// v. An unreachable server is errNoServer; an error answer is its message.
func getJSON(ctx context.Context, u, token string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if token != "" {
		hreq.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(hreq)
	if err != nil {
		return fmt.Errorf("%w: %v", errNoServer, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return fmt.Errorf("read search response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			return fmt.Errorf("search: %s", e.Error)
		}
		return fmt.Errorf("search: %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("decode search response: %w", err)
	}
	return nil
}
