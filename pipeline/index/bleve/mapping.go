package bleve

import (
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/porter"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"

	"github.com/newswire/newswire/pipeline/index"
)

// Field names in the Bleve documents.
const (
	fTitle      = "title"
	fText       = "text"
	fPublished  = "published"
	fSource     = "source"
	fLang       = "lang"
	fPeople     = "people"
	fGroups     = "groups"
	fPlaces     = "places"
	fPeopleKey  = "people_key"
	fGroupsKey  = "groups_key"
	fPlacesKey  = "places_key"
	fEventTypes = "event_types"
	fHit        = "hit_json"
	fEvents     = "events_json"
	fRaw        = "raw_json"
	// fFetched is the article's fetched time (RFC 3339, UTC), stored only:
	// Index skips a write older than the stored version.
	fFetched = "fetched"

	analyzerName = "newswire_en"
	stopName     = "newswire_stop"
)

// newMapping builds the explicit index mapping.
func newMapping() (mapping.IndexMapping, error) {
	im := mapping.NewIndexMapping()
	stops := make([]any, 0, len(index.StopWords()))
	for _, w := range index.StopWords() {
		stops = append(stops, w)
	}
	if err := im.AddCustomTokenMap(stopName, map[string]any{"type": tokenmap.Name, "tokens": stops}); err != nil {
		return nil, err
	}
	if err := im.AddCustomTokenFilter(stopName, map[string]any{"type": stop.Name, "stop_token_map": stopName}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":          custom.Name,
		"tokenizer":     unicode.Name,
		"token_filters": []any{en.PossessiveName, lowercase.Name, stopName, porter.Name},
	}); err != nil {
		return nil, err
	}
	im.DefaultAnalyzer = analyzerName

	text := func(store bool) *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Analyzer = analyzerName
		f.Store = store
		f.IncludeTermVectors = true
		f.IncludeInAll = false
		return f
	}
	kw := func() *mapping.FieldMapping {
		f := mapping.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store = false
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = true
		return f
	}
	stored := func() *mapping.FieldMapping {
		f := mapping.NewTextFieldMapping()
		f.Index = false
		f.Store = true
		f.IncludeTermVectors = false
		f.IncludeInAll = false
		f.DocValues = false
		return f
	}
	date := mapping.NewDateTimeFieldMapping()
	date.Store = false
	date.IncludeInAll = false
	date.DocValues = true

	dm := mapping.NewDocumentStaticMapping()
	dm.AddFieldMappingsAt(fTitle, text(true))
	dm.AddFieldMappingsAt(fText, text(true))
	dm.AddFieldMappingsAt(fPublished, date)
	for _, f := range []string{fSource, fLang, fPeople, fGroups, fPlaces, fPeopleKey, fGroupsKey, fPlacesKey, fEventTypes} {
		dm.AddFieldMappingsAt(f, kw())
	}
	for _, f := range []string{fHit, fEvents, fRaw, fFetched} {
		dm.AddFieldMappingsAt(f, stored())
	}
	im.DefaultMapping = dm
	im.StoreDynamic = false
	im.IndexDynamic = false
	im.DocValuesDynamic = false
	return im, nil
}
