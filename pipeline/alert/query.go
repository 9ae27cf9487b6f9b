package alert

import (
	"fmt"

	"github.com/newswire/newswire/pipeline/index"
)

// compileQuery parses a full-text condition in the search query language
// and resolves its entity filters, so a rule's query matches exactly what the
// same search would.
func compileQuery(q string, r Resolver) (queryMatcher, error) {
	parsed, err := index.Parse(q)
	if err != nil {
		return nil, fmt.Errorf("%q: %w", q, err)
	}
	if r != nil {
		parsed = parsed.Resolve(r)
	}
	return parsed, nil
}
