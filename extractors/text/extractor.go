package text

import (
	"context"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/article"
)

// Name is the registered name of the text extractor.
const Name = "text"

// Order is the text extractor's place in the pipeline: first.
const Order = 10

func init() {
	extractors.MustRegister(Name, Order, func(extractors.Config) (extractors.Extractor, error) {
		return Extractor{}, nil
	})
}

// Extractor is the "text" extractor: it normalises the article's title and
// text, sets Document.Text to title + "\n\n" + text with TitleEnd at the end
// of the title, writes the normalised title and text (and their hash) to the
// output article, and detects the language when the article does not give
// it. It has no state and is safe for concurrent use.
type Extractor struct{}

// Name implements extractors.Extractor.
func (Extractor) Name() string { return Name }

// Extract implements extractors.Extractor.
func (Extractor) Extract(ctx context.Context, d *extractors.Document) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	title := Normalize(d.Article.Title)
	// A title is one line.
	title = joinLines(title)
	body := Normalize(d.Article.Text)
	switch {
	case title == "":
		d.Text, d.TitleEnd = body, 0
	case body == "":
		d.Text, d.TitleEnd = title, len(title)
	default:
		d.Text, d.TitleEnd = title+"\n\n"+body, len(title)
	}
	d.Out.Title = title
	if body != d.Out.Text {
		d.Out.Text = body
		d.Out.ContentHash = article.HashText(body)
	}
	if d.Out.Language == "" {
		d.Out.Language = Language(body, "")
	}
	return nil
}

func joinLines(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			if len(out) > 0 && out[len(out)-1] != ' ' {
				out = append(out, ' ')
			}
			continue
		}
		out = append(out, s[i])
	}
	return string(out)
}
