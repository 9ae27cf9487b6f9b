package bus

import "strings"

// Subjects and their streams. docs/contract.md documents the payloads.
const (
	// SubjectRawPrefix prefixes raw article subjects: newswire.articles.raw.<source>.
	SubjectRawPrefix = "newswire.articles.raw."
	// SubjectEnriched carries enriched articles.
	SubjectEnriched = "newswire.articles.enriched"
	// SubjectAlertPrefix prefixes alert subjects: newswire.alerts.<rule>.
	SubjectAlertPrefix = "newswire.alerts."
	// SubjectDLQPrefix prefixes dead-letter subjects: newswire.dlq.<stage>.
	SubjectDLQPrefix = "newswire.dlq."

	StreamRaw      = "NEWSWIRE_RAW"
	StreamEnriched = "NEWSWIRE_ENRICHED"
	StreamAlerts   = "NEWSWIRE_ALERTS"
	StreamDLQ      = "NEWSWIRE_DLQ"
)

// RawSubject is the subject for raw articles of one source.
func RawSubject(source string) string { return SubjectRawPrefix + Token(source) }

// AlertSubject is the subject for alerts of one rule.
func AlertSubject(rule string) string { return SubjectAlertPrefix + Token(rule) }

// DLQSubject is the dead-letter subject of one stage.
func DLQSubject(stage string) string { return SubjectDLQPrefix + Token(stage) }

// Token turns a name into one valid subject token: dots, spaces and
// wildcards become '_', so "www.example.com" becomes "www_example_com".
func Token(name string) string {
	if name == "" {
		return "_"
	}
	return strings.Map(func(r rune) rune {
		switch {
		case r == '.' || r == '*' || r == '>' || r <= ' ' || r == 0x7f:
			return '_'
		}
		return r
	}, name)
}
