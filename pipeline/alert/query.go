package alert

import (
	"errors"
)

// compileQuery compiles a full-text condition. Placeholder until
// index.Parse lands.
func compileQuery(q string, r Resolver) (queryMatcher, error) {
	return nil, errors.New("query conditions are not available in this build")
}
