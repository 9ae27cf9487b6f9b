// Package text turns fetched HTML pages into raw articles and normalises
// article text for search and extraction.
//
// FromHTML (and Extract, which also takes the response's Content-Type)
// decodes the page to UTF-8, takes the main text from go-trafilatura checked
// against go-readability (see combine.go), keeps paragraph breaks, and fills
// the raw Article: title, byline, published time, language, canonical
// URL without tracking parameters, source, ID and content hash.
//
// Normalize applies Unicode NFKC, tidies whitespace and folds Cyrillic and
// Greek look-alike letters inside Latin words to Latin, so that "pоlice"
// written with a Cyrillic "о" matches "police".
//
// The package also registers the "text" extractor (order 10), which sets
// Document.Text to the title and the normalised text.
//
// Usage:
//
//	a, err := text.FromHTML(ctx, page, "https://example.com/news/1", time.Now())
//	if err != nil {
//		return err // text.ErrEmpty, ErrBinary, ErrMalformed or ErrNoText
//	}
//	fmt.Println(a.Title, a.Language, a.CanonicalURL)
package text
