// Package kb is the knowledge base of known people and groups: canonical
// names, aliases and spellings, a stable id per entity and a finer kind per
// group. The data is kb.yaml, embedded; a user file of the same shape is
// merged over it (extractors.Config.KnowledgeBase).
//
// The entities extractor resolves recognised mentions with it and scans the
// text for known aliases the recogniser missed; search and alerts use
// Resolve to turn a query such as "group:ISIS-K" into the canonical name.
//
//	k, err := kb.Load("")           // or kb.Load("/etc/newswire/kb.yaml")
//	name, id, ok := k.Resolve(article.KindGroup, "ISIS-K")
//	// "Islamic State Khorasan Province", "kb:isis-k", true
//	for _, m := range k.Scan(text) { ... m.Entry.Name ... }
//
// Person names spelled two ways map to one KB person under the tight rule
// documented on MatchPerson; when more than one person would match, none does.
package kb
