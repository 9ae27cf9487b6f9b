package text

import "errors"

// ErrEmpty reports an empty input (nothing but whitespace).
var ErrEmpty = errors.New("text: empty input")

// ErrBinary reports an input that is not text (an image, a PDF, an archive).
var ErrBinary = errors.New("text: binary input, not HTML")

// ErrNoText reports an HTML page in which no main text was found.
var ErrNoText = errors.New("text: no article text found")

// ErrMalformed reports a page that could not be decoded from its charset or
// parsed as HTML.
var ErrMalformed = errors.New("text: malformed page")
