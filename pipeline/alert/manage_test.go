package alert

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestAddListRemoveRule(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte(goodRules), 0o600); err != nil {
		t.Fatal(err)
	}
	add := Rule{Name: "mass-casualty", Description: "many dead", Events: &EventCondition{MinKilled: 20, Within: "2d"}}
	if err := AddRule(path, add); err != nil {
		t.Fatal(err)
	}
	if err := AddRule(path, add); !errors.Is(err, ErrRuleExists) {
		t.Errorf("second AddRule: %v, want ErrRuleExists", err)
	}
	if err := AddRule(path, Rule{Name: "bad", Events: &EventCondition{Types: []string{"picnic"}}}); !errors.Is(err, ErrBadRule) {
		t.Errorf("AddRule of a bad rule: %v, want ErrBadRule", err)
	}
	rules, err := ListRules(path)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range rules {
		names = append(names, r.Name)
	}
	if got := strings.Join(names, ","); got != "isisk-europe,big-bombings,person-watch,mass-casualty" {
		t.Errorf("rules after add = %s", got)
	}
	if err := RemoveRule(path, "big-bombings"); err != nil {
		t.Fatal(err)
	}
	if err := RemoveRule(path, "big-bombings"); !errors.Is(err, ErrRuleNotFound) {
		t.Errorf("second RemoveRule: %v, want ErrRuleNotFound", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, keep := range []string{"# standing questions", "# one name is fine", "name: mass-casualty", "min_killed: 20"} {
		if !strings.Contains(string(data), keep) {
			t.Errorf("file lost %q:\n%s", keep, data)
		}
	}
	if strings.Contains(string(data), "big-bombings") {
		t.Errorf("removed rule still in file:\n%s", data)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("file mode = %v, %v; want 0600 kept", fi.Mode(), err)
	}
}

func TestAddRuleToEmptyList(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	if err := os.WriteFile(path, []byte("# alert rules\nrules: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := AddRule(path, Rule{Name: "jane", People: []string{"Jane Roe"}, Events: &EventCondition{Within: "7d"}}); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	want := "# alert rules\nrules:\n  - name: jane\n    people:\n      - Jane Roe\n    events:\n      within: 7d\n"
	if string(data) != want {
		t.Errorf("file:\n%s\nwant:\n%s", data, want)
	}
}

func TestAddRuleCreatesFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.yaml")
	if rules, err := ListRules(path); err != nil || len(rules) != 0 {
		t.Fatalf("ListRules of a missing file = %v, %v", rules, err)
	}
	if err := AddRule(path, Rule{Name: "jane", People: []string{"Jane Roe"}}); err != nil {
		t.Fatal(err)
	}
	rs, err := LoadRules(path)
	if err != nil {
		t.Fatal(err)
	}
	if r, ok := rs.Rule("jane"); !ok || r.People[0] != "Jane Roe" {
		t.Errorf("rule = %+v, %v", r, ok)
	}
}
