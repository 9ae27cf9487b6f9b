package indextest

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

func TestGenerate(t *testing.T) {
	a, b := Generate(200, 7), Generate(200, 7)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("Generate is not deterministic")
	}
	ids := map[string]bool{}
	for _, d := range a {
		t.Run(d.ID, func(t *testing.T) {
			if ids[d.ID] {
				t.Errorf("duplicate id")
			}
			ids[d.ID] = true
			if words := len(strings.Fields(d.Text)); words < 250 || words > 900 {
				t.Errorf("%d words", words)
			}
			if len(d.People) == 0 || len(d.Places) == 0 || d.Title == "" {
				t.Errorf("missing people, places or title: %+v", d)
			}
			for _, e := range slices.Concat(d.People, d.Groups) {
				if !strings.Contains(d.Text, e.Name) {
					t.Errorf("entity %q not in the text", e.Name)
				}
			}
			for _, e := range d.Events {
				if !strings.Contains(d.Text, e.Evidence) {
					t.Errorf("evidence %q not in the text", e.Evidence)
				}
			}
		})
	}
	if reflect.DeepEqual(Generate(5, 1), Generate(5, 2)) {
		t.Error("different seeds give the same articles")
	}
}
