package indexer

import (
	"context"
	"errors"
	"fmt"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index"
	"github.com/newswire/newswire/pipeline/stage"
)

// Handler returns a stage.BatchHandler writing to b. A per-document
// index.ErrPermanent becomes stage.ErrPermanent (dead letter); other
// per-document errors are retried; a backend-wide failure retries the batch.
func Handler(b index.Backend) stage.BatchHandler {
	return func(ctx context.Context, ms []jetstream.Msg) ([]error, error) {
		errs := make([]error, len(ms))
		// latest[id] is the position in docs of the newest version of id;
		// owner[i] is the docs position message i is settled by.
		var docs []*article.Enriched
		latest := map[string]int{}
		owner := make([]int, len(ms))
		for i, m := range ms {
			owner[i] = -1
			e, err := article.DecodeEnriched(m.Data())
			if err != nil {
				errs[i] = err
				continue
			}
			if j, ok := latest[e.ID]; ok {
				docs[j] = e // a later message supersedes an earlier one
				owner[i] = j
				continue
			}
			latest[e.ID] = len(docs)
			owner[i] = len(docs)
			docs = append(docs, e)
		}
		if len(docs) == 0 {
			return errs, nil
		}
		perDoc, err := b.Index(ctx, docs)
		if err != nil {
			return nil, fmt.Errorf("index batch of %d: %w", len(docs), err)
		}
		if len(perDoc) != len(docs) {
			return nil, fmt.Errorf("index batch: backend returned %d results for %d documents", len(perDoc), len(docs))
		}
		for i := range ms {
			j := owner[i]
			if j < 0 || perDoc[j] == nil {
				continue
			}
			if errors.Is(perDoc[j], index.ErrPermanent) {
				errs[i] = fmt.Errorf("%w: %v", stage.ErrPermanent, perDoc[j])
			} else {
				errs[i] = perDoc[j]
			}
		}
		return errs, nil
	}
}
