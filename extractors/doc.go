// Package extractors is the analysis of one article, with no NATS: the
// Extractor interface, the registry extractors add themselves to, and the
// Pipeline that runs them in order over a Document.
//
// Each extractor reads what earlier ones left in the Document and adds its
// own findings:
//
//	text      normalised text, language          (order 10)
//	nlp       sentences and tagged tokens        (order 20)
//	ner       entity mentions                    (order 30)
//	entities  people and groups, canonical names (order 40)
//	places    places resolved in the gazetteer   (order 50)
//	events    incidents with date, place, toll   (order 60)
//
// The same Pipeline serves `newswire extract`, the extract worker and the
// benchmarks. Import extractors/all to register every extractor:
//
//	import _ "github.com/newswire/newswire/extractors/all"
//
//	p, err := extractors.NewPipeline(extractors.Config{})
//	enriched, err := p.Run(ctx, &article)
package extractors
