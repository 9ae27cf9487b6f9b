package alert

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/article"
)

func TestParseRulesErrors(t *testing.T) {
	cases := []struct {
		name string
		yaml string
		want string // substring, includes the line
	}{
		{"syntax", "rules:\n  - name: a\n   groups: [x", "line"},
		{"top level list", "- name: a\n", "rules.yaml:1: top level must be a mapping"},
		{"unknown top key", "rulez:\n  - name: a\n", "rules.yaml:1: unknown top-level key \"rulez\""},
		{"rules not list", "rules: 3\n", "rules.yaml:1: rules must be a list"},
		{"no name", "rules:\n  - groups: [ISIS]\n", "rules.yaml:2: rule has no name"},
		{"bad name", "rules:\n  - name: isis k\n    groups: [ISIS]\n", "rules.yaml:2: rule name \"isis k\" must be"},
		{"dup name", "rules:\n  - name: a\n    groups: [x]\n  - name: a\n    groups: [y]\n", "rules.yaml:4: rule name \"a\" already used on line 2"},
		{"no conditions", "rules:\n  - name: a\n    description: nothing\n", "rules.yaml:2: rule \"a\" has no conditions"},
		{"unknown key", "rules:\n  - name: a\n    group: [x]\n", "rules.yaml:3: unknown rule key \"group\""},
		{"people not list", "rules:\n  - name: a\n    people: {x: 1}\n", "rules.yaml:3: people must be a list of strings"},
		{"empty entry", "rules:\n  - name: a\n    people:\n      - Ann\n      - \"\"\n", "rules.yaml:5: people has an empty entry"},
		{"bad type", "rules:\n  - name: a\n    events:\n      types: [attack, bombings]\n", "rules.yaml:4: rule \"a\": events.types: unknown event type \"bombings\""},
		{"bad status", "rules:\n  - name: a\n    events:\n      status: [done]\n", "rules.yaml:4: rule \"a\": events.status: unknown event status \"done\""},
		{"bad min", "rules:\n  - name: a\n    events:\n      min_killed: ten\n", "rules.yaml:4: events.min_killed must be a whole number >= 0, got \"ten\""},
		{"negative min", "rules:\n  - name: a\n    events:\n      min_injured: -1\n", "rules.yaml:4: events.min_injured must be a whole number >= 0"},
		{"bad window", "rules:\n  - name: a\n    events:\n      within: 7 days\n", "rules.yaml:4: events.within: bad window \"7 days\""},
		{"unknown event key", "rules:\n  - name: a\n    events:\n      killed: 3\n", "rules.yaml:4: unknown events key \"killed\""},
		{"bad webhook", "rules:\n  - name: a\n    groups: [x]\n    webhook: ftp://x\n", "rules.yaml:4: rule \"a\": webhook:"},
		{"bad query", "rules:\n  - name: a\n    groups: [x]\n    query: 'market AND (blast'\n", "rules.yaml:4: rule \"a\": query: \"market AND (blast\": bad query:"},
		{"dup key", "rules:\n  - name: a\n    groups: [x]\n    groups: [y]\n", "rules.yaml:4: duplicate key \"groups\""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseRules([]byte(tc.yaml), "rules.yaml", Options{})
			if err == nil {
				t.Fatalf("no error, want %q", tc.want)
			}
			if !errors.Is(err, ErrBadRule) {
				t.Errorf("error %v does not wrap ErrBadRule", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q\nwant it to contain %q", err, tc.want)
			}
		})
	}
}

const goodRules = `# standing questions
webhook: https://hooks.example.org/all
rules:
  - name: isisk-europe
    description: ISIS-K linked to an attack or plot in Europe
    groups: [ISIS-K]
    places: [Europe]
    events:
      types: [attack, bombing, suicide_bombing, shooting, stabbing, foiled_plot]
      within: 7d
  - name: big-bombings
    events:
      types: [bombing, suicide_bombing]
      min_killed: 10
  - name: person-watch
    people: Jane Roe   # one name is fine
    webhook: https://hooks.example.org/jane
`

func TestLoadRules(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte(goodRules), 0o644); err != nil {
		t.Fatal(err)
	}
	rs, err := LoadRules(path)
	if err != nil {
		t.Fatal(err)
	}
	if rs.Len() != 3 {
		t.Fatalf("Len = %d, want 3", rs.Len())
	}
	r, ok := rs.Rule("big-bombings")
	if !ok || r.Events.MinKilled != 10 || len(r.Events.Types) != 2 {
		t.Errorf("big-bombings = %+v", r)
	}
	if got := rs.Webhook("person-watch"); got != "https://hooks.example.org/jane" {
		t.Errorf("rule webhook = %q", got)
	}
	if got := rs.Webhook("big-bombings"); got != "https://hooks.example.org/all" {
		t.Errorf("global webhook = %q", got)
	}
	if _, err := LoadRules(filepath.Join(t.TempDir(), "missing.yaml")); err == nil {
		t.Error("missing file: no error")
	}
}

func TestParseWindow(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want time.Duration
	}{{"7d", 7 * 24 * time.Hour}, {"36h", 36 * time.Hour}, {"2w", 14 * 24 * time.Hour}, {"1.5d", 36 * time.Hour}, {"90m", 90 * time.Minute}} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := parseWindow(tc.in)
			if err != nil || got != tc.want {
				t.Errorf("parseWindow(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
			}
		})
	}
	for _, bad := range []string{"", "d", "-3d", "0h", "week"} {
		t.Run("bad "+bad, func(t *testing.T) {
			if _, err := parseWindow(bad); err == nil {
				t.Errorf("parseWindow(%q): no error", bad)
			}
		})
	}
}

// fakeResolver resolves a fixed table of aliases.
type fakeResolver map[string]string

func (f fakeResolver) Resolve(kind article.EntityKind, name string) (string, bool) {
	c, ok := f[string(kind)+":"+strings.ToLower(name)]
	return c, ok
}
