package article

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// SchemaVersion is the version of the message contract this build writes and
// the newest it reads.
const SchemaVersion = 1

// Article is a fetched news article as crawlers publish it on
// newswire.articles.raw.<source>.
type Article struct {
	SchemaVersion int `json:"schema_version"`
	// ID is derived from the canonical URL (see IDFor), so re-crawls and
	// redeliveries of one article share it.
	ID           string `json:"id"`
	URL          string `json:"url"`
	CanonicalURL string `json:"canonical_url"`
	// Source names the site, usually its host without "www.".
	Source string `json:"source"`
	Title  string `json:"title"`
	Byline string `json:"byline,omitempty"`
	// Published is nil when the page does not say.
	Published *time.Time `json:"published"`
	Fetched   time.Time  `json:"fetched"`
	// Language is an ISO 639-1 code, or "" when unknown.
	Language string `json:"language"`
	// Text is the article's main text, boilerplate removed, Unicode normalised.
	Text string `json:"text"`
	// HTMLSize is the size in bytes of the fetched page.
	HTMLSize int `json:"html_size"`
	// ContentHash is the hex SHA-256 of Text; see HashText.
	ContentHash string `json:"content_hash"`
	// DuplicateOf names the ID of an earlier article this one copies, when the
	// crawler found a near-duplicate.
	DuplicateOf string `json:"duplicate_of,omitempty"`
}

// Enriched is an Article with what the extract stage found in it, published on
// newswire.articles.enriched.
type Enriched struct {
	Article
	People []Entity `json:"people"`
	Groups []Entity `json:"groups"`
	Places []Place  `json:"places"`
	Events []Event  `json:"events"`
	// Extracted is when extraction ran.
	Extracted time.Time `json:"extracted"`
}

// EntityKind is one of the three kinds of entity the product speaks of.
type EntityKind string

// The entity kinds.
const (
	KindPerson EntityKind = "person"
	KindGroup  EntityKind = "group"
	KindPlace  EntityKind = "place"
)

// Entity is a person or a group named in an article.
type Entity struct {
	// ID is stable across articles: a knowledge-base id such as "kb:isis" for
	// known entities, or a slug of the canonical name ("person:john-smith")
	// for unknown ones.
	ID string `json:"id"`
	// Name is the canonical (fullest) form.
	Name string `json:"name"`
	// Aliases are the other surface forms seen in the article.
	Aliases []string `json:"aliases"`
	// Mentions counts the mentions in the article.
	Mentions int `json:"mentions"`
	// Kind is a finer kind: for groups "militant", "government", "agency",
	// "military", "police", "media", "university", "think_tank",
	// "international", "company", "party"; empty when unknown.
	Kind string `json:"kind,omitempty"`
	// Roles are titles and roles stripped from a person's name ("Gen.",
	// "Prime Minister", "director of the FBI").
	Roles []string `json:"roles,omitempty"`
}

// Place is a place named in an article, resolved against the gazetteer.
type Place struct {
	ID       string   `json:"id"`
	Name     string   `json:"name"`
	Aliases  []string `json:"aliases"`
	Mentions int      `json:"mentions"`
	// CountryCode is ISO 3166-1 alpha-2, "" for continents and unresolved places.
	CountryCode string `json:"country_code"`
	// Lat and Lon are nil when the place was not resolved.
	Lat *float64 `json:"lat"`
	Lon *float64 `json:"lon"`
	// Kind is "continent", "region", "country", "admin", "city" or "facility".
	Kind string `json:"kind"`
	// Within lists the names of the places that contain this one, nearest
	// first, for example ["North Rhine-Westphalia", "Germany", "Europe"].
	Within []string `json:"within,omitempty"`
}

// Count is a number of people killed or injured as reported.
type Count struct {
	// Value is the number; for "at least 140" it is 140.
	Value int `json:"value"`
	// Qualifier is "", "at_least", "more_than", "about", "up_to" or "less_than".
	Qualifier string `json:"qualifier,omitempty"`
	// Text is the words of the article that gave it ("at least 140").
	Text string `json:"text"`
}

// Event is one incident reported in an article.
type Event struct {
	ID string `json:"id"`
	// Type is one of the EventTypes.
	Type    string `json:"type"`
	Subtype string `json:"subtype,omitempty"`
	// Trigger is the words that signalled the event.
	Trigger string `json:"trigger,omitempty"`
	// Date is an ISO date, or a partial one ("2024-01", "2024"); nil when the
	// text does not say.
	Date          *string `json:"date"`
	DateText      string  `json:"date_text,omitempty"`
	DatePrecision string  `json:"date_precision,omitempty"`
	// Place is the most specific named place.
	Place        *string  `json:"place"`
	CountryCode  *string  `json:"country_code"`
	Lat          *float64 `json:"lat,omitempty"`
	Lon          *float64 `json:"lon,omitempty"`
	Perpetrators []string `json:"perpetrators"`
	Targets      []string `json:"targets"`
	ClaimedBy    []string `json:"claimed_by,omitempty"`
	// Killed and Injured hold the integer value; the *Detail fields keep the
	// qualifier and the words. Vague amounts ("dozens") leave the value nil
	// and keep only the text in the detail.
	Killed        *int   `json:"killed"`
	Injured       *int   `json:"injured"`
	KilledDetail  *Count `json:"killed_detail,omitempty"`
	InjuredDetail *Count `json:"injured_detail,omitempty"`
	// Status is "carried_out", "failed", "foiled" or "planned".
	Status     string  `json:"status,omitempty"`
	Evidence   string  `json:"evidence"`
	Confidence float64 `json:"confidence"`
}

// The closed list of event types. docs/events.md maps them to CAMEO and PLOVER.
const (
	EventAttack        = "attack"
	EventBombing       = "bombing"
	EventSuicideBomb   = "suicide_bombing"
	EventShooting      = "shooting"
	EventStabbing      = "stabbing"
	EventHostageTaking = "hostage_taking"
	EventKidnapping    = "kidnapping"
	EventArrest        = "arrest"
	EventRaid          = "raid"
	EventFoiledPlot    = "foiled_plot"
	EventAirStrike     = "air_strike"
	EventThreatLevel   = "threat_level_change"
	EventWarning       = "warning"
)

// EventTypes lists every event type in the closed list.
var EventTypes = []string{
	EventAttack, EventBombing, EventSuicideBomb, EventShooting, EventStabbing,
	EventHostageTaking, EventKidnapping, EventArrest, EventRaid, EventFoiledPlot,
	EventAirStrike, EventThreatLevel, EventWarning,
}

// IDFor derives an article ID from its canonical URL: the first 16 bytes of
// its SHA-256, hex encoded.
func IDFor(canonicalURL string) string {
	sum := sha256.Sum256([]byte(canonicalURL))
	return hex.EncodeToString(sum[:16])
}

// HashText returns the hex SHA-256 of an article's text.
func HashText(text string) string {
	sum := sha256.Sum256([]byte(text))
	return hex.EncodeToString(sum[:])
}

// Validate checks the fields every Article must have.
func (a *Article) Validate() error {
	switch {
	case a.SchemaVersion > SchemaVersion:
		return fmt.Errorf("%w: version %d, newest known %d", ErrSchema, a.SchemaVersion, SchemaVersion)
	case a.SchemaVersion < 1:
		return fmt.Errorf("%w: missing schema_version", ErrSchema)
	case a.ID == "":
		return fmt.Errorf("%w: missing id", ErrInvalid)
	case a.URL == "":
		return fmt.Errorf("%w: missing url", ErrInvalid)
	}
	return nil
}

// DecodeArticle decodes and validates a raw Article message.
func DecodeArticle(data []byte) (*Article, error) {
	var a Article
	if err := json.Unmarshal(data, &a); err != nil {
		return nil, fmt.Errorf("%w: decode article: %v", ErrInvalid, err)
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	return &a, nil
}

// DecodeEnriched decodes and validates an Enriched article message.
func DecodeEnriched(data []byte) (*Enriched, error) {
	var e Enriched
	if err := json.Unmarshal(data, &e); err != nil {
		return nil, fmt.Errorf("%w: decode enriched article: %v", ErrInvalid, err)
	}
	if err := e.Validate(); err != nil {
		return nil, err
	}
	return &e, nil
}

// Names returns the canonical names of entities.
func Names(es []Entity) []string {
	out := make([]string, 0, len(es))
	for _, e := range es {
		out = append(out, e.Name)
	}
	return out
}
