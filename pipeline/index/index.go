package index

import (
	"context"
	"time"

	"github.com/newswire/newswire/pipeline/article"
)

// Backend stores enriched articles and searches them. Bleve (embedded) and
// Elasticsearch implement it and pass the same conformance suite
// (package indextest). Implementations are safe for concurrent use.
type Backend interface {
	// Index writes documents, keyed by article ID, so writing the same
	// article twice updates it. It returns one error per document, in order
	// (nil for success). A per-document error wrapping ErrPermanent will never
	// succeed (a mapping error); any other is transient and worth a retry.
	// The returned slice is nil when err is non-nil, which means the whole
	// call failed transiently (backend unreachable).
	// On return without error, the successful documents are durable.
	Index(ctx context.Context, docs []*article.Enriched) (perDoc []error, err error)
	// Search runs a query.
	Search(ctx context.Context, req Request) (*Result, error)
	// Get returns one stored article by ID, or ErrNotFound.
	Get(ctx context.Context, id string) (*article.Enriched, error)
	// Count returns how many articles are stored.
	Count(ctx context.Context) (int, error)
	// Close releases the backend; it returns within ctx's deadline.
	Close(ctx context.Context) error
}

// Sort orders search results.
type Sort string

// The sort orders.
const (
	SortRelevance Sort = "relevance"
	SortDate      Sort = "date"
)

// Request is one search.
type Request struct {
	// Query is in newswire's query language (see Parse). Empty matches all.
	Query string
	// From and Size page through the hits. Size 0 means DefaultSize.
	From, Size int
	// Sort is relevance by default.
	Sort Sort
	// Facets asks for facet counts of people, groups, places, event types and
	// sources. FacetSize is the number of values per facet (default 10).
	Facets    bool
	FacetSize int
	// Highlight asks for highlighted snippets.
	Highlight bool
	// Events asks for the events view: the events of matching articles.
	Events bool
	// Resolver, when set, maps person:, group: and place: names in Query to
	// canonical names (see Query.Resolve). Optional.
	Resolver Resolver `json:"-"`
}

// Result is the answer to a Request.
type Result struct {
	Total  int                     `json:"total"`
	Hits   []Hit                   `json:"hits"`
	Facets map[string][]FacetValue `json:"facets,omitempty"`
	Events []EventHit              `json:"events,omitempty"`
	Took   time.Duration           `json:"took_ns"`
}

// Hit is one matching article.
type Hit struct {
	ID        string     `json:"id"`
	URL       string     `json:"url"`
	Title     string     `json:"title"`
	Source    string     `json:"source"`
	Published *time.Time `json:"published"`
	Language  string     `json:"language"`
	Score     float64    `json:"score"`
	// Snippets are highlighted fragments, with matches inside <mark></mark>.
	Snippets   []string `json:"snippets,omitempty"`
	People     []string `json:"people"`
	Groups     []string `json:"groups"`
	Places     []string `json:"places"`
	EventTypes []string `json:"event_types"`
}

// FacetValue is one value of a facet with its count.
type FacetValue struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// EventHit is an event of a matching article.
type EventHit struct {
	ArticleID string `json:"article_id"`
	Title     string `json:"title"`
	URL       string `json:"url"`
	article.Event
}

// DefaultSize is the page size when Request.Size is 0.
const DefaultSize = 10
