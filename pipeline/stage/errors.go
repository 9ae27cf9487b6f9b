package stage

import (
	"errors"

	"github.com/newswire/newswire/pipeline/article"
)

// ErrPermanent marks a failure that redelivery cannot fix. Wrap it with %w.
var ErrPermanent = errors.New("permanent failure")

// permanentErrs are the sentinels treated as ErrPermanent by the runner.
// Stages register more through Config.Permanent.
var permanentErrs = []error{ErrPermanent, article.ErrInvalid, article.ErrSchema}

// IsPermanent reports whether err wraps a permanent sentinel.
func IsPermanent(err error, extra ...error) bool {
	for _, p := range permanentErrs {
		if errors.Is(err, p) {
			return true
		}
	}
	for _, p := range extra {
		if errors.Is(err, p) {
			return true
		}
	}
	return false
}
