package entities

import (
	"context"
	"strings"
	"testing"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/extractors/kb"
	"github.com/newswire/newswire/pipeline/article"
)

// doc builds a Document whose mentions are the spans marked [[kind:text]].
func doc(t *testing.T, marked string) *extractors.Document {
	t.Helper()
	var b strings.Builder
	var ms []extractors.Mention
	for {
		i := strings.Index(marked, "[[")
		if i < 0 {
			b.WriteString(marked)
			break
		}
		b.WriteString(marked[:i])
		j := strings.Index(marked[i:], "]]")
		if j < 0 {
			t.Fatalf("unclosed mark in %q", marked)
		}
		kindText := marked[i+2 : i+j]
		kind, text, _ := strings.Cut(kindText, ":")
		start := b.Len()
		b.WriteString(text)
		ms = append(ms, extractors.Mention{Text: text, Kind: article.EntityKind(kind), Start: start, End: b.Len()})
		marked = marked[i+j+2:]
	}
	a := &article.Article{Text: b.String()}
	return &extractors.Document{Article: a, Text: b.String(), Mentions: ms, Out: &article.Enriched{Article: *a}}
}

func newX(t *testing.T) *Extractor {
	t.Helper()
	k, err := kb.Load("")
	if err != nil {
		t.Fatal(err)
	}
	return New(k)
}

func find(es []article.Entity, name string) *article.Entity {
	for i := range es {
		if es[i].Name == name {
			return &es[i]
		}
	}
	return nil
}

func TestExtract(t *testing.T) {
	x := newX(t)
	type want struct {
		name, id string
		mentions int
		aliases  []string
		roles    []string
		kind     string
	}
	tests := []struct {
		name   string
		text   string
		people []want
		groups []want
	}{
		{
			name:   "surname joins full name, role from apposition",
			text:   `"Expect more," said [[person:Dana Whitcombe]], director of counter-terrorism studies at a London institute. [[person:Whitcombe]] added that [[person:Whitcombe's]] team agreed.`,
			people: []want{{name: "Dana Whitcombe", id: "person:dana-whitcombe", mentions: 3, aliases: []string{"Whitcombe"}, roles: []string{"director of counter-terrorism studies at a London institute"}}},
		},
		{
			name:   "title stripped and kept, KB person by transliteration",
			text:   `The head of the regional command, [[person:Gen. Erik Corella]], warned of attacks. [[person:Corella]] did not elaborate.`,
			people: []want{{name: "Michael Erik Kurilla", id: "kb:michael-erik-kurilla", mentions: 2, aliases: []string{"Erik Corella", "Corella"}, roles: []string{"Gen.", "head of the regional command"}}},
		},
		{
			name:   "prime minister title",
			text:   `[[person:Prime Minister Anna Lindqvist]] met [[person:President Tomas Berg]] on Monday.`,
			people: []want{{name: "Anna Lindqvist", id: "person:anna-lindqvist", mentions: 1, roles: []string{"Prime Minister"}}, {name: "Tomas Berg", id: "person:tomas-berg", mentions: 1, roles: []string{"President"}}},
		},
		{
			name:   "two people sharing a surname are not merged",
			text:   `[[person:Maria Okafor]] and her brother [[person:Daniel Okafor]] were questioned; [[person:Okafor]] declined to comment.`,
			people: []want{{name: "Maria Okafor", id: "person:maria-okafor", mentions: 1}, {name: "Daniel Okafor", id: "person:daniel-okafor", mentions: 1}, {name: "Okafor", id: "person:okafor", mentions: 1}},
		},
		{
			name:   "group aliases canonicalised, kind from KB, place mention overridden",
			text:   `[[place:ISIS]] claimed the attack. Analysts said [[group:the Islamic State group]] and [[group:Daesh]] are one, and ISKP is its branch.`,
			groups: []want{{name: "Islamic State", id: "kb:isis", mentions: 3, aliases: []string{"ISIS", "Islamic State group", "Daesh"}, kind: "militant"}, {name: "Islamic State Khorasan Province", id: "kb:isis-k", mentions: 1, aliases: []string{"ISKP"}, kind: "militant"}},
		},
		{
			name:   "scan finds agencies the recogniser missed; IS verb ignored",
			text:   `The FBI and Europol said the danger IS real. IS militants were seen.`,
			groups: []want{{name: "Federal Bureau of Investigation", id: "kb:fbi", mentions: 1, kind: "agency"}, {name: "Europol", id: "kb:europol", mentions: 1, kind: "police"}, {name: "Islamic State", id: "kb:isis", mentions: 1, kind: "militant"}},
		},
		{
			name:   "unknown group gets slug id and guessed kind",
			text:   `Officers of [[group:the Ruritanian National Police]] arrested two men.`,
			groups: []want{{name: "Ruritanian National Police", id: "group:ruritanian-national-police", mentions: 1, kind: "police"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc(t, tt.text)
			if err := x.Extract(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			check := func(label string, got []article.Entity, wants []want) {
				if len(got) != len(wants) {
					t.Errorf("%s: got %d entities %+v, want %d", label, len(got), got, len(wants))
				}
				for _, w := range wants {
					e := find(got, w.name)
					if e == nil {
						t.Errorf("%s: no %q in %+v", label, w.name, got)
						continue
					}
					if e.ID != w.id || e.Mentions != w.mentions || e.Kind != w.kind {
						t.Errorf("%s: %q = id %q mentions %d kind %q; want %q %d %q", label, w.name, e.ID, e.Mentions, e.Kind, w.id, w.mentions, w.kind)
					}
					if w.aliases != nil && strings.Join(e.Aliases, "|") != strings.Join(w.aliases, "|") {
						t.Errorf("%s: %q aliases %q, want %q", label, w.name, e.Aliases, w.aliases)
					}
					if strings.Join(e.Roles, "|") != strings.Join(w.roles, "|") {
						t.Errorf("%s: %q roles %q, want %q", label, w.name, e.Roles, w.roles)
					}
				}
			}
			check("people", d.Out.People, tt.people)
			check("groups", d.Out.Groups, tt.groups)
			for _, m := range d.Mentions {
				if (m.Kind == article.KindPerson || m.Kind == article.KindGroup) && m.EntityID == "" {
					t.Errorf("mention %q has no entity id", m.Text)
				}
			}
		})
	}
}

func TestRegistered(t *testing.T) {
	p, err := extractors.NewPipeline(extractors.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(p.Names(), ","), Name) {
		t.Errorf("pipeline %v lacks %s", p.Names(), Name)
	}
	if _, err := extractors.NewPipeline(extractors.Config{KnowledgeBase: "/nonexistent/kb.yaml"}); err == nil {
		t.Error("missing knowledge base: no error")
	}
}

func BenchmarkExtract(b *testing.B) {
	k, err := kb.Load("")
	if err != nil {
		b.Fatal(err)
	}
	x := New(k)
	text := strings.Repeat("The FBI said ISIS-K and al-Shabaab threatened Europe, according to Dana Whitcombe of a think tank. ", 60)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		a := &article.Article{Text: text}
		d := &extractors.Document{Article: a, Text: text, Out: &article.Enriched{}}
		if err := x.Extract(context.Background(), d); err != nil {
			b.Fatal(err)
		}
	}
}
