package crawl

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	fetched    *prometheus.CounterVec
	published  *prometheus.CounterVec
	skipped    *prometheus.CounterVec
	errors     *prometheus.CounterVec
	retries    *prometheus.CounterVec
	bytes      prometheus.Counter
	duplicates prometheus.Counter
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		fetched: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newswire", Subsystem: "crawl", Name: "fetched_total",
			Help: "Responses received, by source and kind (article, index, feed, sitemap).",
		}, []string{"source", "kind"}),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newswire", Subsystem: "crawl", Name: "published_total",
			Help: "Articles published on the raw subject, by source.",
		}, []string{"source"}),
		skipped: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newswire", Subsystem: "crawl", Name: "skipped_total",
			Help: "URLs or responses skipped on purpose, by reason (robots, too_large, content_type, redirects, unchanged, ...).",
		}, []string{"reason"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newswire", Subsystem: "crawl", Name: "errors_total",
			Help: "Failed fetches and publishes, by reason.",
		}, []string{"reason"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newswire", Subsystem: "crawl", Name: "retries_total",
			Help: "Fetches scheduled again, by reason (retry_after, backoff).",
		}, []string{"reason"}),
		bytes: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "newswire", Subsystem: "crawl", Name: "fetched_bytes_total",
			Help: "Bytes of response bodies received.",
		}),
		duplicates: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "newswire", Subsystem: "crawl", Name: "duplicates_total",
			Help: "Articles published as exact or near copies of an earlier one (DuplicateOf set).",
		}),
	}
	if reg == nil {
		reg = prometheus.NewRegistry()
	}
	for _, c := range []prometheus.Collector{m.fetched, m.published, m.skipped, m.errors, m.retries, m.bytes, m.duplicates} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("crawl: register metrics: %w", err)
		}
	}
	return m, nil
}
