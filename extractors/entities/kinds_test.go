package entities

import (
	"context"
	"strings"
	"testing"

	"github.com/newswire/newswire/pipeline/article"
)

func TestFixKinds(t *testing.T) {
	x := newX(t)
	type ent struct {
		kind  article.EntityKind
		name  string
		roles string
	}
	tests := []struct {
		name string
		text string
		// want lists the people and groups that come out, and the place
		// mentions left for the places stage.
		want []ent
	}{
		{
			name: "outlet with stray slash is a group",
			text: `Reporting by [[person:Shafaq News/]] said so.`,
			want: []ent{{kind: article.KindGroup, name: "Shafaq News"}},
		},
		{
			name: "organisation word makes a person span a group",
			text: `A study by [[person:Harbour Policy Lab]] found little.`,
			want: []ent{{kind: article.KindGroup, name: "Harbour Policy Lab"}},
		},
		{
			name: "place word makes a person span a place",
			text: `Gunmen struck in [[person:Wandala State]] overnight.`,
			want: []ent{{kind: article.KindPlace, name: "Wandala State"}},
		},
		{
			name: "KB person taken for a place is a person",
			text: `Russian President [[place:Vladimir Putin]] spoke.`,
			want: []ent{{kind: article.KindPerson, name: "Vladimir Putin"}},
		},
		{
			name: "same name a person elsewhere is not a place",
			text: `[[person:Tomas Ferrand-Lind]] spoke. Reporters asked [[place:Tomas Ferrand-Lind]] twice.`,
			want: []ent{{kind: article.KindPerson, name: "Tomas Ferrand-Lind"}},
		},
		{
			name: "group span with title and name is a person with a role",
			text: `[[group:Eastvale Police Chief Marta Oyelaran-Beck]] said two men were held.`,
			want: []ent{{kind: article.KindPerson, name: "Marta Oyelaran-Beck", roles: "Eastvale Police Chief"}},
		},
		{
			name: "title inside a person span becomes a role",
			text: `[[person:Northland Governor Ilse Varga]] visited.`,
			want: []ent{{kind: article.KindPerson, name: "Ilse Varga", roles: "Northland Governor"}},
		},
		{
			name: "group span ending in a person's surname is that person",
			text: `[[group:Imke Sandoval-Reyes]] wrote the report. [[person:Sandoval-Reyes]] added more.`,
			want: []ent{{kind: article.KindPerson, name: "Imke Sandoval-Reyes"}},
		},
		{
			name: "hyphenated surname joins the full name",
			text: `[[person:Nadia Karimova-Holt]] spoke first; [[person:Karimova-Holt]] then left.`,
			want: []ent{{kind: article.KindPerson, name: "Nadia Karimova-Holt"}},
		},
		{
			name: "common word and bare title dropped",
			text: `[[person:Gunmen]] opened fire, the gunmen fled. [[person:Deputy]] [[group:X]] left.`,
			want: nil,
		},
		{
			name: "real person kept",
			text: `[[person:Oskar Brandvold]] said the gunmen fled.`,
			want: []ent{{kind: article.KindPerson, name: "Oskar Brandvold"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := doc(t, tt.text)
			if err := x.Extract(context.Background(), d); err != nil {
				t.Fatal(err)
			}
			var got []ent
			for _, e := range d.Out.People {
				got = append(got, ent{article.KindPerson, e.Name, strings.Join(e.Roles, "|")})
			}
			for _, e := range d.Out.Groups {
				got = append(got, ent{article.KindGroup, e.Name, strings.Join(e.Roles, "|")})
			}
			for _, m := range d.Mentions {
				if m.Kind == article.KindPlace {
					got = append(got, ent{kind: article.KindPlace, name: m.Text})
				}
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("got %+v, want %+v", got[i], tt.want[i])
				}
			}
		})
	}
}

func TestSplitTitled(t *testing.T) {
	tests := []struct{ in, role, rest string }{
		{"Valle Norte Governor Luz Marina Ortega", "Valle Norte Governor", "Luz Marina Ortega"},
		{"Federal Interior Minister Jonas Weber", "Federal Interior Minister", "Jonas Weber"},
		{"NIA Inspector General Ravi Menon", "NIA Inspector General", "Ravi Menon"},
		{"Ravi Menon", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			role, rest, _ := splitTitled(tt.in, 2)
			if role != tt.role || rest != tt.rest {
				t.Errorf("splitTitled(%q) = %q, %q; want %q, %q", tt.in, role, rest, tt.role, tt.rest)
			}
		})
	}
}
