package bench

import (
	"regexp"
	"strings"
	"testing"

	"github.com/newswire/newswire/pipeline/alert"
	"github.com/newswire/newswire/pipeline/article"
)

func TestGenerate(t *testing.T) {
	const n = 200
	arts := Generate(n, 1)
	again := Generate(n, 1)
	other := Generate(n, 2)
	toll := regexp.MustCompile(`(killing|killed|death toll)[^.]* \d+`)
	words, withToll, sameAsOther := 0, 0, 0
	ids := map[string]bool{}
	for i, a := range arts {
		if a.Text != again[i].Text || a.ID != again[i].ID {
			t.Fatalf("article %d differs between two runs with the same seed", i)
		}
		if a.Text == other[i].Text {
			sameAsOther++
		}
		if one := GenerateOne(i, 1); one.Text != a.Text {
			t.Fatalf("GenerateOne(%d) differs from Generate", i)
		}
		if err := a.Validate(); err != nil {
			t.Fatalf("article %d invalid: %v", i, err)
		}
		if ids[a.ID] {
			t.Fatalf("duplicate ID %s", a.ID)
		}
		ids[a.ID] = true
		if strings.Contains(a.Text, "%!") || strings.Contains(a.Text, "{") {
			t.Fatalf("article %d has an unfilled template: %s", i, a.Text)
		}
		w := Words(a.Text)
		if w < 450 || w > 1300 {
			t.Errorf("article %d has %d words, want 500-1,100 or so", i, w)
		}
		words += w
		if toll.MatchString(a.Text) {
			withToll++
		}
		if a.Title == "" || a.Published == nil || a.HTMLSize < 50_000 {
			t.Errorf("article %d lacks a title, date or page size: %+v", i, a.Title)
		}
	}
	if avg := words / n; avg < 700 || avg > 900 {
		t.Errorf("average %d words, want about 800", avg)
	}
	if withToll < n/2 {
		t.Errorf("%d of %d articles report casualties, want most", withToll, n)
	}
	if sameAsOther > n/10 {
		t.Errorf("%d articles identical across seeds", sameAsOther)
	}
}

func TestGenerateMentions(t *testing.T) {
	a := GenerateOne(0, 1)
	checks := []struct {
		name string
		re   string
	}{
		{"a person quoted with a role", `", said [A-Z][a-z]+ [A-Z][a-z]+, (a|an|the) [a-z]`},
		{"a dateline", `^[A-Z]+, [A-Z][a-z]+ \d+ - `},
		{"a real country or city", `Afghanistan|Pakistan|Iraq|Syria|Somalia|Nigeria|Mali|Niger|Kenya|France|Germany|Belgium|United Kingdom|Austria|Turkey|Russia|Spain|Sweden|Indonesia|Philippines|Libya`},
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			if !regexp.MustCompile(c.re).MatchString(a.Text) {
				t.Errorf("no match for %s in %q", c.re, a.Text)
			}
		})
	}
}

func TestRules(t *testing.T) {
	for _, n := range []int{1, 100, 250} {
		rules := Rules(n)
		if len(rules) != n {
			t.Fatalf("Rules(%d) gave %d", n, len(rules))
		}
		if _, err := alert.NewRuleSet(rules, alert.Options{}); err != nil {
			t.Fatalf("Rules(%d) do not compile: %v", n, err)
		}
	}
}

func TestProseEnrich(t *testing.T) {
	a := &article.Article{ID: "x", Text: "Maria Schneider, a police spokeswoman in Berlin, said the United Nations would send a team to Germany."}
	e, err := ProseEnrich(a)
	if err != nil {
		t.Fatal(err)
	}
	if e.ID != "x" || e.Text != a.Text {
		t.Errorf("article fields not kept: %+v", e.Article)
	}
	if len(e.People)+len(e.Places)+len(e.Groups) == 0 {
		t.Errorf("prose found nothing in %q", a.Text)
	}
}
