package article

import "errors"

// ErrInvalid marks a message that cannot be decoded or lacks required fields.
// It is permanent: redelivering the same bytes cannot succeed.
var ErrInvalid = errors.New("invalid message")

// ErrSchema marks a message written with a schema version this build does not
// read. It is permanent for this build; replay it from the dead-letter subject
// after an upgrade.
var ErrSchema = errors.New("unsupported schema version")
