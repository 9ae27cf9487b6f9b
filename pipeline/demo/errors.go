package demo

import "errors"

// ErrBadArticle is returned (wrapped, with the file name) when an embedded
// article file cannot be parsed or lacks a required field.
var ErrBadArticle = errors.New("demo: bad article file")

// ErrBadBaseURL is returned by NewSite when the base URL is not an absolute
// http or https URL.
var ErrBadBaseURL = errors.New("demo: bad base URL")
