// Package seedtest runs alert rules over the project's sample articles
// (../shared/seeds beside the repository) after real extraction, to catch
// mismatches between what the extract stage writes and what rules read. It
// is separate from package alert so that extractor work in progress cannot
// break the alert tests. It has no non-test code.
//
//	go test ./pipeline/alert/seedtest/
package seedtest
