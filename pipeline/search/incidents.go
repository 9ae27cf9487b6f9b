package search

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/newswire/newswire/extractors/events"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index"
)

// Limits of the incidents view.
const (
	// DefaultIncidentArticles is how many matching articles, newest first,
	// the incidents view reads when Options.IncidentArticles is 0.
	DefaultIncidentArticles = 1000
	// DefaultIncidentLimit is how many incidents a response lists when the
	// request gives no limit; MaxIncidentLimit is the most it may ask for.
	DefaultIncidentLimit = 50
	MaxIncidentLimit     = 1000
	// fetchWorkers bounds the concurrent Get calls of one request.
	fetchWorkers = 8
)

// IncidentRequest asks for the incidents of the articles matching a query.
type IncidentRequest struct {
	// Query is in the query language; empty matches every article.
	Query string
	// From and To bound the articles' publication dates (inclusive; "2024",
	// "2024-01" or "2024-01-03"); either may be empty.
	From, To string
	// Type keeps the incidents with a report of this event type, and the
	// articles with such an event.
	Type string
	// Place keeps the incidents with a report at this place, within it (as
	// the article's places say) or in this country (ISO code), and the
	// articles that name it.
	Place string
	// Limit is how many incidents to return. 0 means DefaultIncidentLimit.
	Limit int
	// Articles is how many matching articles, newest first, to read.
	// 0 means DefaultIncidentArticles; at most index.MaxPageDepth.
	Articles int
	// Resolver maps entity names of the query to canonical names. Optional.
	Resolver index.Resolver `json:"-"`
}

// IncidentResult is the answer to an IncidentRequest.
type IncidentResult struct {
	Query  string `json:"query"`
	Parsed string `json:"parsed"`
	// Total is the number of matching articles; Articles how many of them,
	// newest first, were read; Capped is true when that is fewer.
	Total    int  `json:"total"`
	Articles int  `json:"articles"`
	Capped   bool `json:"capped"`
	// Reports is the number of events read; IncidentsTotal the number of
	// incidents they make (after the type and place filters), of which
	// Incidents lists the first Limit.
	Reports        int              `json:"reports"`
	IncidentsTotal int              `json:"incidents_total"`
	Limit          int              `json:"limit"`
	Incidents      []IncidentRecord `json:"incidents"`
	Took           time.Duration    `json:"took_ns"`
}

// IncidentRecord is one incident linked across articles.
type IncidentRecord struct {
	// ID is stable while its earliest report is read: that report's
	// article ID and the event's index in the article ("<article-id>-2").
	ID      string `json:"id"`
	Type    string `json:"type"`
	Subtype string `json:"subtype,omitempty"`
	// Date is the most specific date the reports give; DateMin and DateMax
	// span every report's date (all nil when none gives one).
	Date         *string  `json:"date"`
	DateMin      *string  `json:"date_min"`
	DateMax      *string  `json:"date_max"`
	Place        *string  `json:"place"`
	CountryCode  *string  `json:"country_code"`
	Lat          *float64 `json:"lat,omitempty"`
	Lon          *float64 `json:"lon,omitempty"`
	Perpetrators []string `json:"perpetrators"`
	ClaimedBy    []string `json:"claimed_by"`
	Targets      []string `json:"targets"`
	Status       string   `json:"status,omitempty"`
	// KilledMin..InjuredMax span the integer tolls of the reports; nil when
	// none gave one.
	KilledMin  *int `json:"killed_min"`
	KilledMax  *int `json:"killed_max"`
	InjuredMin *int `json:"injured_min"`
	InjuredMax *int `json:"injured_max"`
	// Latest is the newest report's publication time.
	Latest *time.Time `json:"latest"`
	// Reports are the accounts, oldest first, each with its own figures.
	Reports []IncidentReport `json:"reports"`
}

// IncidentReport is one article's account of an incident.
type IncidentReport struct {
	ArticleID string `json:"article_id"`
	// EventIndex is the event's position in the article's events.
	EventIndex int        `json:"event_index"`
	Title      string     `json:"title"`
	URL        string     `json:"url"`
	Outlet     string     `json:"outlet"`
	Published  *time.Time `json:"published"`
	Type       string     `json:"type"`
	Date       *string    `json:"date"`
	Place      *string    `json:"place"`
	// Killed and Injured are this outlet's figures; the *Text fields keep
	// its words ("at least 140"), also for vague amounts ("dozens").
	Killed      *int   `json:"killed"`
	KilledText  string `json:"killed_text,omitempty"`
	Injured     *int   `json:"injured"`
	InjuredText string `json:"injured_text,omitempty"`
	Evidence    string `json:"evidence"`
}

// docRef is what the view keeps of an article.
type docRef struct {
	hit    index.Hit
	events []article.Event
	within map[string][]string // place name -> the places containing it
}

var isoDate = regexp.MustCompile(`^\d{4}(-\d{2}(-\d{2})?)?$`)

// query builds the search query: the request's query and its filters.
func (r IncidentRequest) query() (string, error) {
	var f []string
	if r.From != "" && !isoDate.MatchString(r.From) {
		return "", fmt.Errorf("%w: from %q is not a date (2024, 2024-01 or 2024-01-03)", index.ErrBadQuery, r.From)
	}
	if r.To != "" && !isoDate.MatchString(r.To) {
		return "", fmt.Errorf("%w: to %q is not a date (2024, 2024-01 or 2024-01-03)", index.ErrBadQuery, r.To)
	}
	if r.From != "" || r.To != "" {
		f = append(f, "published:"+r.From+".."+r.To)
	}
	if r.Type != "" {
		if !slices.Contains(article.EventTypes, r.Type) {
			return "", fmt.Errorf("%w: unknown event type %q (want one of %s)", index.ErrBadQuery, r.Type, strings.Join(article.EventTypes, ", "))
		}
		f = append(f, "event:"+r.Type)
	}
	if r.Place != "" {
		f = append(f, `place:"`+strings.ReplaceAll(r.Place, `"`, "")+`"`)
	}
	q := strings.TrimSpace(r.Query)
	if len(f) == 0 {
		return q, nil
	}
	if q != "" {
		q = "(" + q + ") "
	}
	return q + strings.Join(f, " "), nil
}

// FindIncidents runs req's query over b, reads the events of the newest
// matching articles and links them across articles with events.Link into
// incident records, newest report first. Errors from the query wrap
// index.ErrBadQuery.
func FindIncidents(ctx context.Context, b index.Backend, req IncidentRequest) (*IncidentResult, error) {
	start := time.Now()
	if req.Limit == 0 {
		req.Limit = DefaultIncidentLimit
	}
	if req.Limit < 0 || req.Limit > MaxIncidentLimit {
		return nil, fmt.Errorf("%w: limit %d out of range 1..%d", index.ErrBadQuery, req.Limit, MaxIncidentLimit)
	}
	if req.Articles <= 0 {
		req.Articles = DefaultIncidentArticles
	}
	req.Articles = min(req.Articles, index.MaxPageDepth)
	qs, err := req.query()
	if err != nil {
		return nil, err
	}
	sreq := index.Request{Query: qs, Sort: index.SortDate, Size: index.MaxSize, Resolver: req.Resolver}
	_, parsed, err := index.Prepare(sreq)
	if err != nil {
		return nil, err
	}
	res := &IncidentResult{Query: req.Query, Parsed: parsed.String(), Limit: req.Limit, Incidents: []IncidentRecord{}}
	docs, err := readArticles(ctx, b, sreq, req.Articles, req.Place != "", res)
	if err != nil {
		return nil, err
	}
	res.Capped = res.Articles < res.Total

	// Link oldest first, so each incident starts with its earliest report
	// and keeps its ID as newer articles arrive.
	slices.SortFunc(docs, func(a, b *docRef) int {
		if c := cmpTime(a.hit.Published, b.hit.Published); c != 0 {
			return c
		}
		return cmp.Compare(a.hit.ID, b.hit.ID)
	})
	// A report's ArticleID carries the event's index too ("<id>\x00<i>"),
	// so each linked report finds its article and index again
	// (splitReportID, which cuts at the last NUL).
	var reports []events.Report
	for _, d := range docs {
		for i, e := range d.events {
			reports = append(reports, events.Report{ArticleID: d.hit.ID + "\x00" + strconv.Itoa(i), Source: d.hit.Source, Event: e})
		}
	}
	res.Reports = len(reports)
	byID := map[string]*docRef{}
	for _, d := range docs {
		byID[d.hit.ID] = d
	}
	var recs []IncidentRecord
	for _, inc := range events.Link(reports) {
		rec := record(inc, byID)
		if req.Type != "" && !hasType(inc, req.Type) {
			continue
		}
		if req.Place != "" && !atPlace(inc, req.Place, req.Resolver, byID) {
			continue
		}
		recs = append(recs, rec)
	}
	slices.SortStableFunc(recs, func(a, b IncidentRecord) int {
		if c := cmpTime(b.Latest, a.Latest); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	res.IncidentsTotal = len(recs)
	res.Incidents = append(res.Incidents, recs[:min(len(recs), req.Limit)]...)
	res.Took = time.Since(start)
	return res, nil
}

// readArticles pages through the newest matching articles and gets their
// events: from the events view for the newest index.MaxEventArticles, with
// Get for the rest (and for all when within must be known, for the place
// filter). Articles without events are skipped without a Get.
func readArticles(ctx context.Context, b index.Backend, sreq index.Request, limit int, within bool, res *IncidentResult) ([]*docRef, error) {
	var docs []*docRef
	fromView := map[string][]article.Event{}
	for sreq.From = 0; sreq.From < limit; sreq.From += sreq.Size {
		sreq.Size = min(index.MaxSize, limit-sreq.From)
		sreq.Events = sreq.From == 0 && !within
		r, err := b.Search(ctx, sreq)
		if err != nil {
			return nil, err
		}
		if sreq.From == 0 {
			res.Total = r.Total
		}
		for _, e := range r.Events {
			fromView[e.ArticleID] = append(fromView[e.ArticleID], e.Event)
		}
		for _, h := range r.Hits {
			res.Articles++
			if len(h.EventTypes) > 0 {
				docs = append(docs, &docRef{hit: h})
			}
		}
		if len(r.Hits) < sreq.Size || sreq.From+sreq.Size >= r.Total {
			break
		}
	}
	var need []*docRef
	for _, d := range docs {
		if evs, ok := fromView[d.hit.ID]; ok {
			d.events = evs
		} else {
			need = append(need, d)
		}
	}
	if err := getAll(ctx, b, need); err != nil {
		return nil, err
	}
	return docs, nil
}

// getAll fills in the events (and places) of docs with Get, a few at once.
// An article deleted since the search is skipped.
func getAll(ctx context.Context, b index.Backend, docs []*docRef) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu    sync.Mutex
		first error
		wg    sync.WaitGroup
	)
	next := make(chan *docRef)
	for range min(fetchWorkers, len(docs)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range next {
				doc, err := b.Get(ctx, d.hit.ID)
				if errors.Is(err, index.ErrNotFound) {
					continue
				}
				if err != nil {
					mu.Lock()
					if first == nil {
						first = fmt.Errorf("get article %s: %w", d.hit.ID, err)
						cancel()
					}
					mu.Unlock()
					continue
				}
				d.events = doc.Events
				d.within = map[string][]string{}
				for _, p := range doc.Places {
					d.within[p.Name] = p.Within
				}
			}
		}()
	}
feed:
	for _, d := range docs {
		select {
		case next <- d:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first != nil {
		return first
	}
	return ctx.Err()
}

// record turns a linked incident into its record.
func record(inc events.Incident, byID map[string]*docRef) IncidentRecord {
	e := inc.Event
	rec := IncidentRecord{
		Type: e.Type, Subtype: e.Subtype, Date: e.Date, Place: e.Place, CountryCode: e.CountryCode, Lat: e.Lat, Lon: e.Lon,
		Perpetrators: nonNil(e.Perpetrators), ClaimedBy: nonNil(e.ClaimedBy), Targets: nonNil(e.Targets), Status: e.Status,
		KilledMin: inc.KilledMin, KilledMax: inc.KilledMax, InjuredMin: inc.InjuredMin, InjuredMax: inc.InjuredMax,
		Reports: make([]IncidentReport, 0, len(inc.Reports)),
	}
	for k, r := range inc.Reports {
		id, idx := splitReportID(r.ArticleID)
		d := byID[id]
		if k == 0 {
			rec.ID = fmt.Sprintf("%s-%d", id, idx)
		}
		rep := IncidentReport{
			ArticleID: id, EventIndex: idx, Title: d.hit.Title, URL: d.hit.URL, Outlet: outlet(d.hit),
			Published: d.hit.Published, Type: r.Event.Type, Date: r.Event.Date, Place: r.Event.Place,
			Killed: r.Event.Killed, Injured: r.Event.Injured, Evidence: r.Event.Evidence,
		}
		if c := r.Event.KilledDetail; c != nil {
			rep.KilledText = c.Text
		}
		if c := r.Event.InjuredDetail; c != nil {
			rep.InjuredText = c.Text
		}
		if rep.Published != nil && (rec.Latest == nil || rep.Published.After(*rec.Latest)) {
			rec.Latest = rep.Published
		}
		if dt := r.Event.Date; dt != nil && *dt != "" {
			if rec.DateMin == nil || *dt < *rec.DateMin {
				rec.DateMin = dt
			}
			if rec.DateMax == nil || *dt > *rec.DateMax {
				rec.DateMax = dt
			}
		}
		rec.Reports = append(rec.Reports, rep)
	}
	return rec
}

func splitReportID(s string) (string, int) {
	i := strings.LastIndexByte(s, 0)
	if i < 0 {
		return s, 0
	}
	n, _ := strconv.Atoi(s[i+1:])
	return s[:i], n
}

func hasType(inc events.Incident, typ string) bool {
	if inc.Event.Type == typ {
		return true
	}
	for _, r := range inc.Reports {
		if r.Event.Type == typ {
			return true
		}
	}
	return false
}

// atPlace reports whether a report of inc is at place: the same name (or
// its canonical name), a place within it as the article's places say, or
// in the country with that ISO code.
func atPlace(inc events.Incident, place string, res index.Resolver, byID map[string]*docRef) bool {
	names := []string{place}
	if res != nil {
		if c, ok := res.Resolve(article.KindPlace, place); ok {
			names = append(names, c)
		}
	}
	match := func(s string) bool {
		for _, n := range names {
			if strings.EqualFold(s, n) {
				return true
			}
		}
		return false
	}
	for _, r := range inc.Reports {
		e := r.Event
		if e.CountryCode != nil && len(place) == 2 && strings.EqualFold(*e.CountryCode, place) {
			return true
		}
		if e.Place == nil {
			continue
		}
		if match(*e.Place) {
			return true
		}
		id, _ := splitReportID(r.ArticleID)
		if d := byID[id]; d != nil {
			for _, w := range d.within[*e.Place] {
				if match(w) {
					return true
				}
			}
		}
	}
	return false
}

// outlet is the host of the article's URL without "www.", else its source.
func outlet(h index.Hit) string {
	if u, err := url.Parse(h.URL); err == nil && u.Hostname() != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return index.NormSource(h.Source)
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// cmpTime orders times, nil (undated) first.
func cmpTime(a, b *time.Time) int {
	switch {
	case a == nil && b == nil:
		return 0
	case a == nil:
		return -1
	case b == nil:
		return 1
	}
	return a.Compare(*b)
}

// incidents serves GET /api/incidents.
func (h *handler) incidents(w http.ResponseWriter, r *http.Request) {
	v := r.URL.Query()
	req := IncidentRequest{Query: v.Get("q"), From: v.Get("from"), To: v.Get("to"), Type: v.Get("type"), Place: v.Get("place"),
		Articles: h.opts.IncidentArticles, Resolver: h.r}
	var err error
	if req.Limit, err = intParam(v.Get("limit"), DefaultIncidentLimit); err != nil {
		writeError(w, http.StatusBadRequest, "limit: "+err.Error())
		return
	}
	if len(req.Place) > MaxIDLength {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("place is %d bytes, longer than %d", len(req.Place), MaxIDLength))
		return
	}
	// Validate before calling the backend, so every bad request is a 400.
	if req.Limit <= 0 || req.Limit > MaxIncidentLimit {
		writeError(w, http.StatusBadRequest, fmt.Sprintf("limit %d out of range 1..%d", req.Limit, MaxIncidentLimit))
		return
	}
	qs, err := req.query()
	if err == nil {
		_, _, err = index.Prepare(index.Request{Query: qs, Sort: index.SortDate, Size: index.MaxSize})
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, err.Error())
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), h.opts.Timeout)
	defer cancel()
	res, err := FindIncidents(ctx, h.b, req)
	if err != nil {
		writeBackendError(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}
