// Package events finds incidents in a news article: attacks, bombings,
// shootings, stabbings, hostage-takings, kidnappings, arrests, raids, foiled
// plots, air strikes, threat-level changes and official warnings. It is the
// "events" extractor (order 60) and reads what earlier extractors left in the
// Document: sentences and tagged tokens (nlp), mentions resolved to entities
// (entities, places), and the people, groups and places in Out.
//
// The work is done in small parts, each tested on its own:
//
//	detectTriggers  trigger words by type, with POS and context filters
//	fillActors      perpetrators, targets and claims from entity mentions
//	fillDate        date expressions resolved with package dates
//	Casualties      killed and injured counts with their qualifiers
//	statusOf        carried out, failed, foiled or planned
//	Merge           one event per incident within an article
//
// Use it through the pipeline, or directly on a Document:
//
//	evs := events.Find(doc) // []article.Event, merged
//	for _, e := range evs {
//		fmt.Println(e.Type, *e.Date, *e.Place, *e.Killed)
//	}
//
// Link events across articles by grouping on Key and comparing with
// SameIncident. docs/events.md documents the type list and the coding of
// dates, tolls and status.
package events
