// Package indextest is the conformance suite every index.Backend passes, so
// search behaves the same on Bleve and Elasticsearch.
//
//	func TestConformance(t *testing.T) {
//		indextest.Run(t, func(t *testing.T) index.Backend {
//			b, err := bleve.Open("", bleve.Options{})
//			if err != nil {
//				t.Fatal(err)
//			}
//			return b
//		})
//	}
//
// The fixture articles (Articles) are written for the suite.
package indextest
