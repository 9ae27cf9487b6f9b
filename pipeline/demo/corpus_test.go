package demo

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestCorpusCoverage guards what the demo exists to exercise: if an edit of
// the articles drops one of these, the demo stops showing that feature.
func TestCorpusCoverage(t *testing.T) {
	arts, err := Articles()
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, a := range arts {
		all.WriteString(a.Title + "\n" + a.Text() + "\n")
	}
	text := all.String()
	tests := []struct {
		name string
		re   string
		min  int
	}{
		{"casualties at least", `(?i)at least \d+ (people )?(killed|dead|wounded|injured|people|students)`, 3},
		{"casualties more than", `(?i)more than \d+ (people|wounded|injured)`, 3},
		{"weekday dates", `\bon (Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b`, 10},
		{"relative dates", `\b(last week|last year|earlier this week|next month|next week)\b`, 3},
		{"day month dates", `\bon \d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December)\b`, 1},
		{"titled officials", `\b(Interior Minister|Gen\.|Police Chief|police chief|spokesman|Defence Minister)\b`, 10},
		{"al-Shabaab", `al-Shabaab`, 2},
		{"Boko Haram", `Boko Haram`, 2},
		{"ISIS-K aliases", `\b(ISIS-K|ISKP|Islamic State Khorasan Province)\b`, 5},
		{"Daesh", `\bDaesh\b`, 2},
		{"agencies", `\b(Europol|FBI|NATO|CENTCOM|Central Command)\b`, 3},
		{"suicide bombing", `(?i)suicide (bomb|attack)`, 2},
		{"stabbing", `(?i)knife attack|stab`, 1},
		{"shooting", `(?i)opened fire|shot`, 2},
		{"hostages", `(?i)hostage`, 1},
		{"kidnapping", `(?i)abduct|kidnap`, 2},
		{"arrests", `(?i)\barrest`, 5},
		{"raids", `(?i)\braids?\b`, 3},
		{"foiled plot", `(?i)foiled|plot`, 3},
		{"drone strike", `(?i)drone strike`, 1},
		{"threat level", `(?i)threat level|alert to the highest level|highest level`, 1},
		{"warning", `(?i)\bwarn`, 2},
		{"airport", `Airport`, 2},
		{"stadium", `Stadium|Stade`, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if n := len(regexp.MustCompile(tc.re).FindAllStringIndex(text, -1)); n < tc.min {
				t.Errorf("%d matches of %s, want at least %d", n, tc.re, tc.min)
			}
		})
	}
}

// TestNoSeedText makes sure no run of ten words from the real sample
// articles in ../shared/seeds found its way into the demo articles.
func TestNoSeedText(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "seeds")
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no seed articles in %s", dir)
		}
		t.Skipf("no seed articles in %s", dir)
	}
	const n = 10
	shingles := func(s string) []string {
		w := strings.Fields(strings.ToLower(s))
		var out []string
		for i := 0; i+n <= len(w); i++ {
			out = append(out, strings.Join(w[i:i+n], " "))
		}
		return out
	}
	seen := map[string]string{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range shingles(string(data)) {
			seen[s] = filepath.Base(f)
		}
	}
	arts, err := Articles()
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range arts {
		for _, s := range shingles(a.Text()) {
			if f, ok := seen[s]; ok {
				t.Errorf("%s shares %q with seed %s", a.Slug, s, f)
				break
			}
		}
	}
}
