package ner

import "errors"

// ErrBadModel reports a model file that cannot be read.
var ErrBadModel = errors.New("ner: bad model")

// ErrBadCorpus reports training or evaluation data in an unexpected format.
var ErrBadCorpus = errors.New("ner: bad corpus")

// ErrNoModel reports that no model was embedded (run ner-train).
var ErrNoModel = errors.New("ner: no embedded model")
