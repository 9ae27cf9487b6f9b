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
Entity filters use canonical names: group:ISIS-K also finds "ISKP".`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req := index.Request{
				Query: strings.Join(args, " "), From: f.from, Size: f.size, Sort: index.Sort(f.sort),
				Facets: f.facets, Highlight: true, Events: f.events,
			}
			res, err := runSearch(cmd.Context(), o, f, req)
			if err != nil {
				return err
			}
			if f.json {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(res)
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
	fs.StringVar(&f.apiToken, "api-token", "", "bearer token for --server")
	f.addBackend(fs)
	f.addKB(fs)
	return cmd
}

// runSearch asks the server, falling back to the index when it is not there.
func runSearch(ctx context.Context, o *Options, f *searchFlags, req index.Request) (*index.Result, error) {
	if f.server != "" {
		res, err := searchServer(ctx, f.server, f.apiToken, req)
		if err == nil || !errors.Is(err, errNoServer) {
			return res, err
		}
	}
	o.fill()
	if firstNonEmpty(f.esURLs, getenv("NEWSWIRE_ES_URL")) == "" {
		dir := filepath.Join(o.DataDir, "index")
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("no newswire server at %s and no index at %s (start `newswire run`, or give --server or --data)", f.server, dir)
		}
	}
	b, err := openBackend(ctx, o, &f.stageFlags)
	if err != nil {
		return nil, fmt.Errorf("no server at %s and %w", f.server, err)
	}
	defer b.Close(context.WithoutCancel(ctx))
	res, err := openResolver(f.kb)
	if err != nil {
		return nil, err
	}
	req.Resolver = res
	return b.Search(ctx, req)
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
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, strings.TrimRight(server, "/")+"/api/search?"+q.Encode(), nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		hreq.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(hreq)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errNoServer, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("read search response: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		var e struct {
			Error string `json:"error"`
		}
		if json.Unmarshal(body, &e) == nil && e.Error != "" {
			return nil, fmt.Errorf("search: %s", e.Error)
		}
		return nil, fmt.Errorf("search: %s: %s", resp.Status, strings.TrimSpace(string(body)))
	}
	var res index.Result
	if err := json.Unmarshal(body, &res); err != nil {
		return nil, fmt.Errorf("decode search response: %w", err)
	}
	return &res, nil
}
