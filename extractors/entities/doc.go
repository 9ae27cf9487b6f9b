// Package entities turns the person and group mentions the recogniser found
// into canonical entities: one article.Entity per person or group, with the
// fullest name, the other surface forms as aliases, a mention count, a finer
// kind for groups and roles for people, and a stable id. It registers the
// "entities" extractor (order 40).
//
// Within an article, "Gen. Erik Kurilla" and later "Kurilla" are one person
// with the role "Gen."; titles, possessives and a leading "the" are stripped.
// Across articles, the knowledge base (package kb) maps aliases and spellings
// to one canonical entity ("ISIS-K" -> "Islamic State Khorasan Province",
// id "kb:isis-k"); unknown entities get "person:<slug>" or "group:<slug>".
// The extractor also scans the text for known aliases the recogniser missed,
// and a mention of a known group is a group whatever the recogniser said.
//
//	k, _ := kb.Load("")
//	x := entities.New(k)
//	err := x.Extract(ctx, doc) // fills doc.Out.People, doc.Out.Groups
//
// In a pipeline it is built from the registry:
//
//	import _ "github.com/newswire/newswire/extractors/entities"
//	p, err := extractors.NewPipeline(extractors.Config{KnowledgeBase: "kb.yaml"})
package entities
