package search

import (
	"context"
	"embed"
	"io/fs"
	"net/http"
	"sort"
	"time"

	"github.com/newswire/newswire/pipeline/index"
)

// web holds the single-page search UI: index.html, app.js, style.css and the
// pre-projected world map (world.svg, from world-atlas, ISC licence).
//
//go:embed web
var web embed.FS

// DefaultTimelineArticles is how many matching articles, newest first, the
// timeline counts when Options.TimelineArticles is 0.
const DefaultTimelineArticles = 2000

// pageCSP keeps the page to its own origin: no CDN, no inline script.
const pageCSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"

// webFiles returns the embedded web directory.
func webFiles() fs.FS {
	sub, err := fs.Sub(web, "web")
	if err != nil {
		panic(err) // the directory is embedded at build time
	}
	return sub
}

// page serves the web UI: index.html at / and the rest under /assets/.
func (h *handler) routeWeb(mux *http.ServeMux) {
	files := webFiles()
	index, err := fs.ReadFile(files, "index.html")
	if err != nil {
		panic(err) // embedded at build time
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, _ *http.Request) {
		secureHeaders(w)
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(index)
	})
	assets := http.StripPrefix("/assets/", http.FileServerFS(files))
	mux.Handle("GET /assets/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secureHeaders(w)
		w.Header().Set("Cache-Control", "no-cache")
		assets.ServeHTTP(w, r)
	}))
}

func secureHeaders(w http.ResponseWriter) {
	w.Header().Set("Content-Security-Policy", pageCSP)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Referrer-Policy", "no-referrer")
}

// DayCount is one day of the timeline.
type DayCount struct {
	// Day is the UTC date, YYYY-MM-DD.
	Day string `json:"day"`
	// Articles is how many counted articles were published that day.
	Articles int `json:"articles"`
	// Events is how many events of the events view happened that day.
	Events int `json:"events"`
}

// timelineResponse is the /api/timeline body.
type timelineResponse struct {
	Query string `json:"query"`
	// Total is the number of matching articles; Counted how many of them,
	// newest first, the article counts cover (Truncated when fewer).
	Total     int  `json:"total"`
	Counted   int  `json:"counted"`
	Truncated bool `json:"truncated"`
	// Undated counts counted articles without a publication date;
	// EventsUndated events without a day-precise date.
	Undated       int           `json:"undated"`
	EventsUndated int           `json:"events_undated"`
	Days          []DayCount    `json:"days"`
	Took          time.Duration `json:"took_ns"`
}

// timeline counts matching articles and their events per day. Articles are
// the newest Options.TimelineArticles matches (paged through with date
// sort); events come from the events view (index.MaxEventArticles newest).
func (h *handler) timeline(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	q := r.URL.Query().Get("q")
	req := index.Request{Query: q, Sort: index.SortDate, Size: index.MaxSize, Resolver: h.r}
	if _, _, err := index.Prepare(req); err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.opts.Timeout)
	defer cancel()
	days := map[string]*DayCount{}
	day := func(d string) *DayCount {
		c := days[d]
		if c == nil {
			c = &DayCount{Day: d}
			days[d] = c
		}
		return c
	}
	resp := timelineResponse{Query: q, Days: []DayCount{}}
	for req.From = 0; req.From < h.opts.TimelineArticles; req.From += req.Size {
		req.Size = min(index.MaxSize, h.opts.TimelineArticles-req.From)
		req.Events = req.From == 0
		res, err := h.b.Search(ctx, req)
		if err != nil {
			writeBackendError(w, err)
			return
		}
		if req.Events {
			resp.Total = res.Total
			for _, e := range res.Events {
				if e.Date == nil || len(*e.Date) < len("2006-01-02") {
					resp.EventsUndated++
					continue
				}
				day((*e.Date)[:10]).Events++
			}
		}
		for _, hit := range res.Hits {
			resp.Counted++
			if hit.Published == nil {
				resp.Undated++
				continue
			}
			day(hit.Published.UTC().Format("2006-01-02")).Articles++
		}
		if len(res.Hits) < req.Size || req.From+req.Size >= res.Total {
			break
		}
	}
	resp.Truncated = resp.Counted < resp.Total
	for _, c := range days {
		resp.Days = append(resp.Days, *c)
	}
	sort.Slice(resp.Days, func(i, j int) bool { return resp.Days[i].Day < resp.Days[j].Day })
	resp.Took = time.Since(start)
	writeJSON(w, http.StatusOK, resp)
}
