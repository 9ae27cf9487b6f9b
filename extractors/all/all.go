// Package all registers every extractor with the default registry. Import it
// for its side effect:
//
//	import _ "github.com/newswire/newswire/extractors/all"
package all

import (
	_ "github.com/newswire/newswire/extractors/entities" // people and groups
	_ "github.com/newswire/newswire/extractors/events"   // incidents
	_ "github.com/newswire/newswire/extractors/ner"      // entity mentions
	_ "github.com/newswire/newswire/extractors/nlp"      // sentences and tags
	_ "github.com/newswire/newswire/extractors/places"   // gazetteer
	_ "github.com/newswire/newswire/extractors/text"     // text normalisation
)
