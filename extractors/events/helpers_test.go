package events

import (
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/nlp"
	"github.com/newswire/newswire/pipeline/article"
)

// ent describes a hand-annotated entity for a test document:
// "ISIS=group:militant", "Moscow=place:city:RU:55.75:37.62".
type ent string

// buildDoc builds a Document the way the upstream extractors would leave it,
// without them: sentences from the fallback splitter, and a mention for
// every occurrence of each entity's name.
func buildDoc(t testing.TB, text string, pub *time.Time, ents ...ent) *extractors.Document {
	return buildTagged(t, nil, text, pub, ents...)
}

// buildTagged is buildDoc with sentences and tags from the nlp analyzer when
// it is not nil.
func buildTagged(t testing.TB, an *nlp.Analyzer, text string, pub *time.Time, ents ...ent) *extractors.Document {
	t.Helper()
	a := &article.Article{ID: "test", Published: pub, Text: text}
	d := &extractors.Document{Article: a, Text: text, Out: &article.Enriched{Article: *a}}
	if an != nil {
		d.Sentences = an.Analyze(text)
	}
	for _, e := range ents {
		name, spec, ok := strings.Cut(string(e), "=")
		if !ok {
			t.Fatalf("bad entity %q", e)
		}
		f := strings.Split(spec, ":")
		id := f[0] + ":" + strings.ToLower(name)
		kind := article.EntityKind(f[0])
		switch kind {
		case article.KindPerson:
			d.Out.People = append(d.Out.People, article.Entity{ID: id, Name: name})
		case article.KindGroup:
			g := article.Entity{ID: id, Name: name}
			if len(f) > 1 {
				g.Kind = f[1]
			}
			d.Out.Groups = append(d.Out.Groups, g)
		case article.KindPlace:
			p := article.Place{ID: id, Name: name}
			if len(f) > 1 {
				p.Kind = f[1]
			}
			if len(f) > 2 {
				p.CountryCode = f[2]
			}
			if len(f) > 4 {
				lat, lon := parseF(f[3]), parseF(f[4])
				p.Lat, p.Lon = &lat, &lon
			}
			d.Out.Places = append(d.Out.Places, p)
		default:
			t.Fatalf("bad kind in %q", e)
		}
		for off := 0; ; {
			i := strings.Index(text[off:], name)
			if i < 0 {
				break
			}
			s := off + i
			d.Mentions = append(d.Mentions, extractors.Mention{Text: name, Kind: kind, Start: s, End: s + len(name), Sentence: -1, EntityID: id})
			off = s + len(name)
		}
	}
	return d
}

func parseF(s string) float64 {
	var v float64
	var frac float64 = 0
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	for _, r := range s {
		switch {
		case r == '.':
			frac = 1
		case frac > 0:
			frac /= 10
			v += float64(r-'0') * frac
		default:
			v = v*10 + float64(r-'0')
		}
	}
	if neg {
		v = -v
	}
	return v
}
