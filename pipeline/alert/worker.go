package alert

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/stage"
)

// StateBucket is the JetStream key-value bucket holding incident state, shared
// by every alert worker replica and kept across restarts.
const StateBucket = "newswire_alert_state"

// Defaults for Worker settings.
const (
	// DefaultIncidentWindow is how far apart two reports' dates may be and
	// still be the same incident.
	DefaultIncidentWindow = 3 * 24 * time.Hour
	// DefaultStateTTL is how long incident state is kept after its last
	// update; a report after that starts a new alert.
	DefaultStateTTL = 30 * 24 * time.Hour
	maxListed       = 100 // cap on articles and sources kept per incident
	maxCASRetries   = 16
)

// Worker evaluates enriched articles against the rules and publishes alerts.
// Handle is safe for concurrent use, and replicas may share one bus: incident
// state lives in the StateBucket and is updated with compare-and-set.
type Worker struct {
	conn  *bus.Conn
	rules Source
	log   *slog.Logger
	m     *metrics

	// IncidentWindow: see DefaultIncidentWindow. Set before the first Handle.
	IncidentWindow time.Duration
	// StateTTL: see DefaultStateTTL. Set before the first Handle.
	StateTTL time.Duration
	// Now is the clock. Default: time.Now.
	Now func() time.Time

	mu sync.Mutex
	kv jetstream.KeyValue
}

type metrics struct {
	evaluated prometheus.Counter
	matches   *prometheus.CounterVec
	published *prometheus.CounterVec
	failures  *prometheus.CounterVec
	latency   prometheus.Histogram
}

func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var are prometheus.AlreadyRegisteredError
		if errors.As(err, &are) {
			if existing, ok := are.ExistingCollector.(C); ok {
				return existing
			}
		}
	}
	return c
}

func newMetrics(reg prometheus.Registerer) *metrics {
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	reg = prometheus.WrapRegistererWith(prometheus.Labels{"component": "alert"}, reg)
	return &metrics{
		evaluated: register(reg, prometheus.NewCounter(prometheus.CounterOpts{
			Name: "newswire_alert_articles_evaluated_total", Help: "Articles evaluated against the alert rules.",
		})),
		matches: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newswire_alert_matches_total", Help: "Rule matches, by rule.",
		}, []string{"rule"})),
		published: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newswire_alert_published_total", Help: "Alerts published, by kind (new or update).",
		}, []string{"kind"})),
		failures: register(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "newswire_alert_failures_total", Help: "Failures, by operation (state, publish).",
		}, []string{"op"})),
		latency: register(reg, prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "newswire_alert_handle_seconds", Help: "Time to evaluate one article and publish its alerts.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 4, 10),
		})),
	}
}

// NewWorker returns a Worker publishing on conn. rules is a *RuleSet or a
// *Reloader. reg receives the worker's metrics (nil: not exported). The
// state bucket is created on first use, so NewWorker does not block.
func NewWorker(conn *bus.Conn, rules Source, log *slog.Logger, reg prometheus.Registerer) (*Worker, error) {
	if conn == nil || conn.JS == nil {
		return nil, errors.New("alert worker: no bus connection")
	}
	if rules == nil {
		return nil, errors.New("alert worker: no rules")
	}
	if log == nil {
		log = slog.Default()
	}
	return &Worker{
		conn: conn, rules: rules, log: log.With("component", "alert"), m: newMetrics(reg),
		IncidentWindow: DefaultIncidentWindow, StateTTL: DefaultStateTTL, Now: time.Now,
	}, nil
}

// state returns the incident state bucket, creating it on first use.
func (w *Worker) state(ctx context.Context) (jetstream.KeyValue, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.kv != nil {
		return w.kv, nil
	}
	kv, err := w.conn.JS.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      StateBucket,
		Description: "newswire alert incidents: which alert each incident got, its sources and tolls",
		TTL:         w.StateTTL,
		History:     1,
	})
	if err != nil {
		return nil, fmt.Errorf("alert state bucket %s: %w", StateBucket, err)
	}
	w.kv = kv
	return kv, nil
}

// Handle evaluates a against the current rules and publishes one alert per
// matching rule and incident. It returns an error for transient failures
// (state or publish), after which the caller should redeliver a: alerts
// already published are not repeated, because each is published with the
// message ID alert_id + "." + article_id and incident state records the
// article.
func (w *Worker) Handle(ctx context.Context, a *article.Enriched) error {
	if a == nil {
		return fmt.Errorf("%w: nil article", ErrPermanent)
	}
	start := time.Now()
	defer func() { w.m.latency.Observe(time.Since(start).Seconds()) }()
	ctx = stage.WithLogger(ctx, w.logFor(ctx, a))
	rs := w.rules.Current()
	matches := rs.Evaluate(a)
	w.m.evaluated.Inc()
	var errs []error
	for i := range matches {
		m := &matches[i]
		w.m.matches.WithLabelValues(m.Rule).Inc()
		for _, u := range units(a, m, w.IncidentWindow) {
			if err := w.publish(ctx, a, m, u); err != nil {
				errs = append(errs, fmt.Errorf("rule %s: %w", m.Rule, err))
			}
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("alert article %s: %w", a.ID, errors.Join(errs...))
	}
	return nil
}

// logFor returns the logger for lines about a: the stage Runner's, which
// has the article ID and URL, or the worker's with them added.
func (w *Worker) logFor(ctx context.Context, a *article.Enriched) *slog.Logger {
	if l := stage.LoggerOr(ctx, nil); l != nil {
		return l.With("component", "alert")
	}
	return w.log.With(stage.AttrArticleID, a.ID, stage.AttrURL, a.URL)
}

// unit is one alert to publish: the events of a match that belong to one
// incident, or the whole match for rules without event conditions.
type unit struct {
	key    string   // KV key where a new incident is stored
	others []string // other keys where the incident may be stored already
	events []article.Event
	inc    *incident // nil for article-only
}

// incident is the stored state of one incident.
type incident struct {
	AlertID     string    `json:"alert_id"`
	Family      string    `json:"family"`
	Planned     bool      `json:"planned,omitempty"` // foiled or planned, not carried out
	Place       string    `json:"place,omitempty"`
	Within      []string  `json:"within,omitempty"`
	CountryCode string    `json:"country_code,omitempty"`
	Date        time.Time `json:"date"`
	FirstSeen   time.Time `json:"first_seen"`
	Articles    []string  `json:"articles"`
	Sources     []string  `json:"sources"`
	Killed      *int      `json:"killed"`
	Injured     *int      `json:"injured"`
}

type stateValue struct {
	Incidents []*incident `json:"incidents"`
}

// Family returns the incident family of an event type: outlets call the same
// incident an attack, a bombing or a shooting, so dedup compares families.
func Family(eventType string) string {
	switch eventType {
	case article.EventAttack, article.EventBombing, article.EventSuicideBomb, article.EventShooting,
		article.EventStabbing, article.EventAirStrike:
		return "violence"
	case article.EventHostageTaking, article.EventKidnapping:
		return "hostage"
	case article.EventArrest, article.EventRaid:
		return "enforcement"
	case article.EventFoiledPlot:
		return "plot"
	case article.EventThreatLevel, article.EventWarning:
		return "warning"
	}
	return "other"
}

func shortHash(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:10])
}

// week numbers 7-day periods since the Unix epoch; incident state is
// bucketed by it so no key grows without bound.
func week(t time.Time) int64 {
	return t.Unix() / (7 * 24 * 3600)
}

// units splits a match into incidents.
func units(a *article.Enriched, m *Match, window time.Duration) []unit {
	if len(m.Events) == 0 {
		return []unit{{key: "art." + m.Rule + "." + shortHash(a.ID)}}
	}
	var out []unit
	for _, ev := range m.Events {
		inc := incidentOf(a, &ev)
		merged := false
		for i := range out {
			if out[i].inc.sameAs(inc, window) {
				out[i].events = append(out[i].events, ev)
				out[i].inc.mergeTolls(inc)
				merged = true
				break
			}
		}
		if merged {
			continue
		}
		u := unit{events: []article.Event{ev}, inc: inc}
		if inc.CountryCode == "" && inc.Place == "" {
			// Without a location two reports cannot be told to be the
			// same incident: dedup per article only.
			u.key = "inc." + m.Rule + "." + shortHash(inc.Family, "article", a.ID)
		} else {
			// The incident's week, and the neighbouring week when the
			// window reaches into it.
			key := func(t time.Time) string {
				return "inc." + m.Rule + "." + shortHash(inc.Family, inc.CountryCode, fmt.Sprint(week(t)))
			}
			u.key = key(inc.Date)
			for _, t := range []time.Time{inc.Date.Add(-window), inc.Date.Add(window)} {
				if k := key(t); k != u.key && !slices.Contains(u.others, k) {
					u.others = append(u.others, k)
				}
			}
		}
		out = append(out, u)
	}
	return out
}

// incidentOf describes an event for dedup.
func incidentOf(a *article.Enriched, ev *article.Event) *incident {
	inc := &incident{Family: Family(ev.Type), Planned: ev.Status == "foiled" || ev.Status == "planned", Killed: ev.Killed, Injured: ev.Injured}
	if ev.CountryCode != nil {
		inc.CountryCode = strings.ToUpper(*ev.CountryCode)
	}
	if ev.Place != nil && *ev.Place != "" {
		inc.Place = norm(*ev.Place)
		for _, p := range a.Places {
			if norm(p.Name) == inc.Place || slices.ContainsFunc(p.Aliases, func(s string) bool { return norm(s) == inc.Place }) {
				inc.Place = norm(p.Name)
				for _, w := range p.Within {
					inc.Within = append(inc.Within, norm(w))
				}
				if inc.CountryCode == "" {
					inc.CountryCode = strings.ToUpper(p.CountryCode)
				}
				break
			}
		}
		if inc.CountryCode == "" {
			inc.CountryCode = "place:" + inc.Place
		}
	}
	t, _ := eventDate(a, ev)
	inc.Date = t.UTC().Truncate(24 * time.Hour)
	return inc
}

// sameAs reports whether two descriptions are one incident: same family,
// both carried out (or both foiled or planned), dates within window, and places equal, unknown or one inside the other.
func (i *incident) sameAs(o *incident, window time.Duration) bool {
	if i.Family != o.Family || i.Planned != o.Planned || i.CountryCode != o.CountryCode {
		return false
	}
	if !i.Date.IsZero() && !o.Date.IsZero() {
		d := i.Date.Sub(o.Date)
		if d < 0 {
			d = -d
		}
		if d > window {
			return false
		}
	}
	return i.Place == "" || o.Place == "" || i.Place == o.Place ||
		slices.Contains(i.Within, o.Place) || slices.Contains(o.Within, i.Place)
}

func maxInt(a, b *int) *int {
	if a == nil {
		return b
	}
	if b == nil || *a >= *b {
		return a
	}
	return b
}

func (i *incident) mergeTolls(o *incident) {
	i.Killed = maxInt(i.Killed, o.Killed)
	i.Injured = maxInt(i.Injured, o.Injured)
}

func appendCapped(list []string, s string) []string {
	if s == "" || slices.Contains(list, s) || len(list) >= maxListed {
		return list
	}
	return append(list, s)
}

func fmtToll(p *int) string {
	if p == nil {
		return "unknown"
	}
	return fmt.Sprint(*p)
}

// loadState reads one state key; rev is 0 when it does not exist.
func (w *Worker) loadState(ctx context.Context, kv jetstream.KeyValue, key string) (st stateValue, rev uint64, err error) {
	e, err := kv.Get(ctx, key)
	switch {
	case errors.Is(err, jetstream.ErrKeyNotFound):
		return st, 0, nil
	case err != nil:
		return st, 0, fmt.Errorf("read alert state %s: %w", key, err)
	}
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		// Corrupt state must not block alerts: start over.
		stage.LoggerOr(ctx, w.log).Warn("discarding unreadable alert state", "key", key, "err", err)
		st = stateValue{}
	}
	return st, e.Revision(), nil
}

// maxIncidentsPerKey bounds one state value; the oldest incidents go first.
const maxIncidentsPerKey = 256

// record finds or creates the unit's incident in the state bucket and
// records the article, with compare-and-set so replicas agree. It returns
// the incident as stored, whether the alert is an update, and what changed.
func (w *Worker) record(ctx context.Context, a *article.Enriched, rule string, u unit) (*incident, bool, []string, error) {
	kv, err := w.state(ctx)
	if err != nil {
		return nil, false, nil, err
	}
	now := w.Now().UTC()
	for attempt := 0; attempt < maxCASRetries; attempt++ {
		var (
			key string
			st  stateValue
			rev uint64
			inc *incident
		)
		for _, k := range append([]string{u.key}, u.others...) {
			kst, krev, err := w.loadState(ctx, kv, k)
			if err != nil {
				return nil, false, nil, err
			}
			// Drop incidents past their TTL.
			kst.Incidents = slices.DeleteFunc(kst.Incidents, func(i *incident) bool {
				return now.Sub(i.FirstSeen) > w.StateTTL
			})
			if k == u.key {
				key, st, rev = k, kst, krev
			}
			for _, i := range kst.Incidents {
				if u.inc == nil || i.sameAs(u.inc, w.IncidentWindow) {
					key, st, rev, inc = k, kst, krev, i
					break
				}
			}
			if inc != nil {
				break
			}
		}
		if inc != nil && slices.Contains(inc.Articles, a.ID) {
			// A redelivery: publish again as before (the message ID
			// makes the stream drop it if it did get through).
			return inc, inc.Articles[0] != a.ID, nil, nil
		}
		var changes []string
		update := inc != nil
		if inc == nil {
			inc = &incident{
				AlertID:   "al-" + shortHash(rule, u.key, a.ID),
				FirstSeen: now,
			}
			if u.inc != nil {
				inc.Family, inc.Planned, inc.Place, inc.Within, inc.CountryCode, inc.Date = u.inc.Family, u.inc.Planned, u.inc.Place, u.inc.Within, u.inc.CountryCode, u.inc.Date
				inc.Killed, inc.Injured = u.inc.Killed, u.inc.Injured
			}
			st.Incidents = append(st.Incidents, inc)
			if n := len(st.Incidents) - maxIncidentsPerKey; n > 0 {
				slices.SortStableFunc(st.Incidents, func(x, y *incident) int { return x.FirstSeen.Compare(y.FirstSeen) })
				st.Incidents = st.Incidents[n:]
			}
		} else {
			if !slices.Contains(inc.Sources, a.Source) && a.Source != "" {
				changes = append(changes, "new source "+a.Source)
			}
			if u.inc != nil {
				if k := maxInt(inc.Killed, u.inc.Killed); k != inc.Killed {
					changes = append(changes, fmt.Sprintf("killed revised %s -> %d", fmtToll(inc.Killed), *k))
					inc.Killed = k
				}
				if k := maxInt(inc.Injured, u.inc.Injured); k != inc.Injured {
					changes = append(changes, fmt.Sprintf("injured revised %s -> %d", fmtToll(inc.Injured), *k))
					inc.Injured = k
				}
				if inc.Place == "" || slices.Contains(u.inc.Within, inc.Place) {
					// A more specific place than known so far.
					if u.inc.Place != "" && u.inc.Place != inc.Place {
						changes = append(changes, "place now "+u.inc.Place)
						inc.Place, inc.Within = u.inc.Place, u.inc.Within
					}
				}
			}
		}
		inc.Articles = appendCapped(inc.Articles, a.ID)
		inc.Sources = appendCapped(inc.Sources, a.Source)
		data, err := json.Marshal(st)
		if err != nil {
			return nil, false, nil, fmt.Errorf("%w: encode alert state: %v", ErrPermanent, err)
		}
		if rev == 0 {
			_, err = kv.Create(ctx, key, data)
		} else {
			_, err = kv.Update(ctx, key, data, rev)
		}
		if errors.Is(err, jetstream.ErrKeyExists) || errors.Is(err, jetstream.ErrKeyRevisionMismatch) {
			continue // another replica wrote first: read again
		}
		if err != nil {
			return nil, false, nil, fmt.Errorf("write alert state %s: %w", key, err)
		}
		return inc, update, changes, nil
	}
	return nil, false, nil, fmt.Errorf("write alert state %s: too many concurrent updates", u.key)
}

// publish records one unit and publishes its alert.
func (w *Worker) publish(ctx context.Context, a *article.Enriched, m *Match, u unit) error {
	inc, update, changes, err := w.record(ctx, a, m.Rule, u)
	if err != nil {
		w.m.failures.WithLabelValues("state").Inc()
		return err
	}
	al := Alert{
		SchemaVersion: SchemaVersion,
		AlertID:       inc.AlertID,
		Rule:          m.Rule,
		Description:   m.Description,
		ArticleID:     a.ID,
		URL:           a.URL,
		Title:         a.Title,
		Source:        a.Source,
		Published:     a.Published,
		Entities:      m.Entities,
		Events:        u.events,
		Reasons:       m.Reasons,
		Update:        update,
		Changes:       changes,
		Sources:       inc.Sources,
		Articles:      len(inc.Articles),
		Alerted:       w.Now().UTC(),
	}
	if al.Entities == nil {
		al.Entities = []MatchedEntity{}
	}
	if al.Events == nil {
		al.Events = []article.Event{}
	}
	if u.inc != nil {
		al.Incident = &Incident{
			Family: inc.Family, Place: inc.Place, CountryCode: inc.CountryCode,
			Killed: inc.Killed, Injured: inc.Injured, FirstSeen: inc.FirstSeen,
		}
		if strings.HasPrefix(al.Incident.CountryCode, "place:") {
			al.Incident.CountryCode = ""
		}
		if !inc.Date.IsZero() {
			al.Incident.Date = inc.Date.Format("2006-01-02")
		}
	}
	if _, err := w.conn.PublishJSON(ctx, bus.AlertSubject(m.Rule), al, jetstream.WithMsgID(al.AlertID+"."+a.ID)); err != nil {
		w.m.failures.WithLabelValues("publish").Inc()
		return err
	}
	kind := "new"
	if update {
		kind = "update"
	}
	w.m.published.WithLabelValues(kind).Inc()
	stage.LoggerOr(ctx, w.log).Debug("alert published", "rule", m.Rule, "alert_id", al.AlertID, "update", update)
	return nil
}
