package search

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/newswire/newswire/pipeline/index"
)

// Options configures the handler. The zero value is valid.
type Options struct {
	// Token, when set, is the bearer token every /api request must carry
	// ("Authorization: Bearer TOKEN"). Default: no token needed.
	Token string
	// Timeout bounds one backend call. Default 10 s.
	Timeout time.Duration
	// MaxSize caps the page size. Default and ceiling index.MaxSize.
	MaxSize int
	// TimelineArticles is how many matching articles, newest first,
	// GET /api/timeline counts per day. Default DefaultTimelineArticles;
	// at most index.MaxPageDepth.
	TimelineArticles int
	// IncidentArticles is how many matching articles, newest first,
	// GET /api/incidents reads. Default DefaultIncidentArticles; at most
	// index.MaxPageDepth.
	IncidentArticles int
}

// MaxIDLength is the longest article ID GET /api/articles/{id} accepts;
// article IDs are 32 hex digits (article.IDFor).
const MaxIDLength = 256

type handler struct {
	b    index.Backend
	r    index.Resolver
	opts Options
}

// NewHandler returns the search API over b, and the web page at GET /. r resolves entity names in
// queries to canonical names; nil matches names as typed.
func NewHandler(b index.Backend, r index.Resolver, opts Options) http.Handler {
	if opts.Timeout <= 0 {
		opts.Timeout = 10 * time.Second
	}
	if opts.MaxSize <= 0 || opts.MaxSize > index.MaxSize {
		opts.MaxSize = index.MaxSize
	}
	if opts.TimelineArticles <= 0 {
		opts.TimelineArticles = DefaultTimelineArticles
	}
	opts.TimelineArticles = min(opts.TimelineArticles, index.MaxPageDepth)
	h := &handler{b: b, r: r, opts: opts}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/search", h.auth(h.search))
	mux.HandleFunc("GET /api/articles/{id}", h.auth(h.article))
	mux.HandleFunc("GET /api/timeline", h.auth(h.timeline))
	mux.HandleFunc("GET /api/incidents", h.auth(h.incidents))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte("ok\n")) })
	mux.HandleFunc("/api/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint")
	})
	h.routeWeb(mux)
	return mux
}

func (h *handler) auth(next http.HandlerFunc) http.HandlerFunc {
	if h.opts.Token == "" {
		return next
	}
	want := []byte("Bearer " + h.opts.Token)
	return func(w http.ResponseWriter, r *http.Request) {
		if subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), want) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="newswire"`)
			writeError(w, http.StatusUnauthorized, "missing or wrong bearer token")
			return
		}
		next(w, r)
	}
}

// searchResponse is the /api/search body: the index.Result plus the query
// as understood.
type searchResponse struct {
	*index.Result
	Query  string `json:"query"`
	Parsed string `json:"parsed"`
	From   int    `json:"from"`
	Size   int    `json:"size"`
}

func (h *handler) search(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	req := index.Request{Query: v.Get("q"), Sort: index.Sort(v.Get("sort")), Resolver: h.r}
	var err error
	if req.From, err = intParam(v.Get("from"), 0); err != nil {
		writeError(w, http.StatusBadRequest, "from: "+err.Error())
		return
	}
	if req.Size, err = intParam(v.Get("size"), index.DefaultSize); err != nil {
		writeError(w, http.StatusBadRequest, "size: "+err.Error())
		return
	}
	if req.Size > h.opts.MaxSize {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("size %d is above the limit %d", req.Size, h.opts.MaxSize))
		return
	}
	if req.FacetSize, err = intParam(v.Get("facet_size"), 0); err != nil {
		writeError(w, http.StatusBadRequest, "facet_size: "+err.Error())
		return
	}
	req.Facets = boolParam(v.Get("facets"))
	req.Highlight = v.Get("highlight") == "" || boolParam(v.Get("highlight"))
	req.Events = boolParam(v.Get("events"))
	// Validate before calling the backend, so every bad query is a 400.
	norm, q, err := index.Prepare(req)
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.opts.Timeout)
	defer cancel()
	res, err := h.b.Search(ctx, req)
	if err != nil {
		writeBackendError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, searchResponse{Result: res, Query: req.Query, Parsed: q.String(), From: norm.From, Size: norm.Size})
}

func (h *handler) article(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if len(id) > MaxIDLength {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("article id is %d bytes, longer than %d", len(id), MaxIDLength))
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.opts.Timeout)
	defer cancel()
	doc, err := h.b.Get(ctx, id)
	if err != nil {
		writeBackendError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, doc)
}

func intParam(s string, def int) (int, error) {
	if s == "" {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", s)
	}
	return n, nil
}

func boolParam(s string) bool {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true
	}
	return false
}

func writeBackendError(w http.ResponseWriter, err error) {
	switch {
	case errors.Is(err, index.ErrBadQuery):
		writeError(w, http.StatusBadRequest, err.Error())
	case errors.Is(err, index.ErrNotFound):
		writeError(w, http.StatusNotFound, err.Error())
	case errors.Is(err, context.DeadlineExceeded):
		writeError(w, http.StatusGatewayTimeout, "search timed out")
	default:
		writeError(w, http.StatusServiceUnavailable, "search backend unavailable: "+err.Error())
	}
}

func writeError(w http.ResponseWriter, code int, msg string) {
	writeJSON(w, code, map[string]string{"error": msg})
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}
