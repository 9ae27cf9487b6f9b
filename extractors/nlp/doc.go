// Package nlp splits the article text into sentences and tokens and tags each
// token with its Penn Treebank part of speech. It registers the "nlp"
// extractor (order 20), which fills Document.Sentences from Document.Text.
//
// It uses prose v2's tokenizer rules and tagger weights (re-laid for speed,
// see Tagger) and the Punkt segmenter prose itself uses for sentences, and
// loads both models once: prose's own document pipeline reloads the
// segmenter's training data (about 11 ms) on every call and, unless a model is
// passed in, the tagger's weights too.
//
// Other packages' tests can use an Analyzer directly:
//
//	a, err := nlp.New()
//	if err != nil {
//		return err
//	}
//	for _, s := range a.Analyze("Ana Ruiz flew to Lima. She met the mayor.") {
//		for _, t := range s.Tokens {
//			fmt.Println(t.Text, t.Tag, t.Start, t.End)
//		}
//	}
package nlp
