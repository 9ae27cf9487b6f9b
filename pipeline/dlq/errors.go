package dlq

import "errors"

// ErrNotFound means no dead letter has the given sequence.
var ErrNotFound = errors.New("dead letter not found")

// ErrNotDeadLetter means the message at a sequence lacks the headers of a
// dead letter (no Newswire-Subject), so it cannot be replayed.
var ErrNotDeadLetter = errors.New("not a replayable dead letter")

// ErrNoFilter means Replay was called without sequences, a stage or All.
var ErrNoFilter = errors.New("replay: give sequences, a stage or all")
