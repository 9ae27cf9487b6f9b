package alert

import (
	"errors"
	"fmt"

	"github.com/newswire/newswire/pipeline/stage"
)

// ErrBadRule marks a rules file or rule that cannot be loaded; the error text
// names the file, the line and the problem.
var ErrBadRule = errors.New("bad alert rule")

// ErrRuleNotFound is returned by RemoveRule for a rule name the file does not
// hold.
var ErrRuleNotFound = errors.New("alert rule not found")

// ErrRuleExists is returned by AddRule when the file already holds a rule of
// that name.
var ErrRuleExists = errors.New("alert rule already exists")

// ErrPermanent marks a failure that retrying cannot fix, such as an alert
// that cannot be encoded. It wraps stage.ErrPermanent, so the stage runner
// dead-letters the message instead of redelivering it.
var ErrPermanent = fmt.Errorf("alert: %w", stage.ErrPermanent)
