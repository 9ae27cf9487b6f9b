// Package ner finds names of people, groups and places in tagged sentences.
// It registers the "ner" extractor (order 30), which reads
// Document.Sentences (from the nlp extractor) and fills Document.Mentions
// with Kind person, group or place and a finer Label: PER, ORG, GPE (a
// country, region or city), FAC (a facility such as an airport) or LOC.
//
// The recogniser is an averaged-perceptron sequence tagger with BIO labels
// over PER, ORG, LOC and MISC, decoded greedily left to right. Features are
// the word, its lower case, shape, prefixes and suffixes, its part of speech
// and its neighbours', the previous labels, membership of gazetteer lists
// (given names, places and CLDR country names, organisations, organisation
// and facility words, titles, nationalities) and document-level evidence: the
// same word seen in lower case or capitalised mid-sentence elsewhere in the
// document, and the type it was last given. The model is trained on
// wikigold and GUM (CC BY) by cmd/ner-train, embedded gzip-compressed, and
// scored on CoNLL-2003 by cmd/ner-eval.
//
// Use it through the pipeline, or directly:
//
//	an, _ := nlp.New()
//	rec, err := ner.New()
//	if err != nil {
//		return err
//	}
//	text := "Ana Ruiz of the Red Cross arrived in Lima."
//	for _, m := range rec.Recognize(text, an.Analyze(text)) {
//		fmt.Println(m.Text, m.Label, m.Kind) // Ana Ruiz PER person ...
//	}
package ner
