package index

import "errors"

// ErrPermanent marks a per-document indexing failure that retrying cannot
// fix, such as a mapping error. The message goes to the dead-letter subject.
var ErrPermanent = errors.New("permanent indexing failure")

// ErrNotFound is returned by Get for an unknown ID.
var ErrNotFound = errors.New("article not found")

// ErrBadQuery marks a query that cannot be parsed or is out of bounds; the
// error text names the problem for the user.
var ErrBadQuery = errors.New("bad query")
