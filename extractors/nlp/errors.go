package nlp

import "errors"

// ErrNoModel reports that prose loaded no tagger model.
var ErrNoModel = errors.New("nlp: prose returned no model")
