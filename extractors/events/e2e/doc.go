// Package e2e holds the end-to-end check of the events extractor: the whole
// registered pipeline (extractors/all) over the sample articles in
// ../shared/seeds, printing the events found. It lives apart from package
// events so that a stage upstream that does not build cannot break the
// events unit tests.
//
//	go test -run TestSeeds -v ./extractors/events/e2e/ | grep '^seed'
//	EVIDENCE=1 go test -run TestSeeds -v ./extractors/events/e2e/   # with the sentences
package e2e
