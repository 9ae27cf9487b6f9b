package stage

import "github.com/prometheus/client_golang/prometheus"

type metrics struct {
	processed   *prometheus.CounterVec
	redelivered prometheus.Counter
	paused      prometheus.Counter
	latency     prometheus.Histogram
}

// newMetrics registers the stage's metrics on reg, labelled with the stage
// name, so every stage reports the same series. A nil reg registers nothing.
func newMetrics(stage string, reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		processed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: "newswire", Subsystem: "stage", Name: "messages_total",
			Help: "Messages settled by a stage, by outcome (ok, retry, dead_letter).",
		}, []string{"outcome"}),
		redelivered: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "newswire", Subsystem: "stage", Name: "redelivered_total",
			Help: "Messages seen more than once.",
		}),
		paused: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: "newswire", Subsystem: "stage", Name: "batch_pauses_total",
			Help: "Times a batch failed as a whole (backend unreachable) and the stage paused to retry it.",
		}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Namespace: "newswire", Subsystem: "stage", Name: "processing_seconds",
			Help:    "Time to process one message.",
			Buckets: prometheus.ExponentialBuckets(0.0005, 2.5, 14),
		}),
	}
	if reg == nil {
		return m, nil
	}
	reg = prometheus.WrapRegistererWith(prometheus.Labels{"stage": stage}, reg)
	for _, c := range []prometheus.Collector{m.processed, m.redelivered, m.paused, m.latency} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}
