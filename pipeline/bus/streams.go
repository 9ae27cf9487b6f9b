package bus

import (
	"context"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// StreamOptions configures the streams. The zero value is single-machine.
type StreamOptions struct {
	// Replicas per stream: 1 (default) or 3 on a cluster.
	Replicas int
	// MaxAge bounds how long messages are kept. Default: 7 days; the
	// dead-letter stream keeps 30 days.
	MaxAge time.Duration
	// Duplicates is the window in which a repeated message ID is dropped.
	// Default: 24h, so a re-crawl of an unchanged article within a day is
	// not processed again.
	Duplicates time.Duration
	// Memory keeps streams in memory (tests). Default: file storage.
	Memory bool
}

// StreamConfigs returns newswire's stream definitions.
func StreamConfigs(o StreamOptions) []jetstream.StreamConfig {
	if o.Replicas == 0 {
		o.Replicas = 1
	}
	if o.MaxAge == 0 {
		o.MaxAge = 7 * 24 * time.Hour
	}
	if o.Duplicates == 0 {
		o.Duplicates = 24 * time.Hour
	}
	storage := jetstream.FileStorage
	if o.Memory {
		storage = jetstream.MemoryStorage
	}
	base := func(name, desc string, subjects ...string) jetstream.StreamConfig {
		return jetstream.StreamConfig{
			Name:        name,
			Description: desc,
			Subjects:    subjects,
			Retention:   jetstream.LimitsPolicy,
			Storage:     storage,
			Replicas:    o.Replicas,
			MaxAge:      o.MaxAge,
			Duplicates:  o.Duplicates,
			Discard:     jetstream.DiscardOld,
		}
	}
	dlq := base(StreamDLQ, "newswire dead letters, with the reason in headers", SubjectDLQPrefix+">")
	dlq.MaxAge = 30 * 24 * time.Hour
	return []jetstream.StreamConfig{
		base(StreamRaw, "newswire raw articles from crawlers", SubjectRawPrefix+">"),
		base(StreamEnriched, "newswire enriched articles", SubjectEnriched),
		base(StreamAlerts, "newswire alerts for subscribers", SubjectAlertPrefix+">"),
		dlq,
	}
}

// EnsureStreams creates or updates newswire's streams. It is idempotent and
// safe to call from every process at start-up.
func (c *Conn) EnsureStreams(ctx context.Context, o StreamOptions) error {
	for _, cfg := range StreamConfigs(o) {
		if _, err := c.JS.CreateOrUpdateStream(ctx, cfg); err != nil {
			return fmt.Errorf("ensure stream %s: %w", cfg.Name, err)
		}
	}
	return nil
}
