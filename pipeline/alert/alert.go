package alert

import (
	"time"

	"github.com/newswire/newswire/pipeline/article"
)

// SchemaVersion is the version of the Alert payload this build writes.
const SchemaVersion = 1

// Alert is the JSON payload published on newswire.alerts.<rule>. The first
// article about an incident publishes an alert with Update false; later
// articles about the same incident publish follow-ups with the same AlertID
// and Update true. docs/alerts.md documents every field.
type Alert struct {
	SchemaVersion int `json:"schema_version"`
	// AlertID is stable for one incident (or, for rules without event
	// conditions, one article) and one rule.
	AlertID     string `json:"alert_id"`
	Rule        string `json:"rule"`
	Description string `json:"description,omitempty"`
	// The article that triggered this alert.
	ArticleID string     `json:"article_id"`
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Source    string     `json:"source"`
	Published *time.Time `json:"published"`
	// Entities and Events are what satisfied the rule in this article.
	Entities []MatchedEntity `json:"entities"`
	Events   []article.Event `json:"events"`
	// Reasons say in words why the rule matched.
	Reasons []string `json:"reasons"`
	// Update is true for a follow-up on an alert already sent.
	Update bool `json:"update"`
	// Changes lists what a follow-up adds: "new source example.com",
	// "killed revised 10 -> 12".
	Changes []string `json:"changes,omitempty"`
	// Sources are the outlets that reported the incident so far, first
	// first; Articles counts the articles.
	Sources  []string `json:"sources"`
	Articles int      `json:"articles"`
	// Incident summarises the incident across articles; nil for rules
	// without event conditions.
	Incident *Incident `json:"incident,omitempty"`
	// Alerted is when this alert was published.
	Alerted time.Time `json:"alerted"`
}

// Incident is what the alert worker knows about one incident across the
// articles that reported it.
type Incident struct {
	// Family groups event types that outlets use for the same incident:
	// "violence" (attack, bombing, shooting, ...), "hostage", "enforcement"
	// (arrest, raid), "plot", "warning".
	Family string `json:"family"`
	// Place and CountryCode locate it; Date is its day (YYYY-MM-DD).
	Place       string `json:"place,omitempty"`
	CountryCode string `json:"country_code,omitempty"`
	Date        string `json:"date,omitempty"`
	// Killed and Injured are the highest tolls reported so far.
	Killed  *int `json:"killed"`
	Injured *int `json:"injured"`
	// FirstSeen is when the first alert was published.
	FirstSeen time.Time `json:"first_seen"`
}
