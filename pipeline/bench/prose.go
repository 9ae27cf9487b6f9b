package bench

import (
	"context"
	"fmt"
	"time"

	"github.com/jdkato/prose/v2"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/extract"
	"github.com/newswire/newswire/pipeline/stage"
)

// ProseEnrich extracts a's entities with prose's stock document pipeline
// (prose.NewDocument with every default: tokenizer, segmenter, tagger and
// its NER model): PERSON entities become people, GPE places and ORG groups,
// each name once with its count of mentions. prose finds no events. It is
// the baseline our extractors are measured against, not a product path.
func ProseEnrich(a *article.Article) (*article.Enriched, error) {
	doc, err := prose.NewDocument(a.Text)
	if err != nil {
		return nil, fmt.Errorf("prose %s: %w", a.ID, err)
	}
	e := &article.Enriched{Article: *a, Extracted: time.Now()}
	people, groups, places := map[string]int{}, map[string]int{}, map[string]int{}
	for _, ent := range doc.Entities() {
		var m map[string]int
		switch ent.Label {
		case "PERSON":
			m = people
		case "GPE":
			m = places
		case "ORG":
			m = groups
		default:
			continue
		}
		if m[ent.Text] == 0 {
			switch ent.Label {
			case "PERSON":
				e.People = append(e.People, article.Entity{ID: "person:" + ent.Text, Name: ent.Text})
			case "ORG":
				e.Groups = append(e.Groups, article.Entity{ID: "org:" + ent.Text, Name: ent.Text})
			default:
				e.Places = append(e.Places, article.Place{ID: "place:" + ent.Text, Name: ent.Text})
			}
		}
		m[ent.Text]++
	}
	for i := range e.People {
		e.People[i].Mentions = people[e.People[i].Name]
	}
	for i := range e.Groups {
		e.Groups[i].Mentions = groups[e.Groups[i].Name]
	}
	for i := range e.Places {
		e.Places[i].Mentions = places[e.Places[i].Name]
	}
	return e, nil
}

// proseHandler is the extract stage's handler with ProseEnrich in place of
// our extractors.
func proseHandler(conn *bus.Conn) stage.Handler {
	return func(ctx context.Context, m jetstream.Msg) error {
		a, err := article.DecodeArticle(m.Data())
		if err != nil {
			return err
		}
		e, err := ProseEnrich(a)
		if err != nil {
			return fmt.Errorf("%w: %v", stage.ErrPermanent, err)
		}
		_, err = conn.PublishJSON(ctx, bus.SubjectEnriched, e, jetstream.WithMsgID(extract.MsgID(a)))
		return err
	}
}
