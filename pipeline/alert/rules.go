package alert

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/newswire/newswire/pipeline/article"
)

// Rule is one standing question, as written in the rules file. Every present
// condition must hold for the rule to match; inside a list any one entry is
// enough.
type Rule struct {
	// Name identifies the rule and is the last token of its alert subject,
	// newswire.alerts.<name>. Letters, digits, '-' and '_' only.
	Name string `yaml:"name" json:"name"`
	// Description is free text shown with its alerts.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// People, Groups and Places are any-of lists of names. Names are resolved
	// to canonical names (see Resolver) and match an entity's name, ID or
	// aliases, case-insensitively. A place also matches every place inside
	// it: "Europe" matches Cologne through Place.Within.
	People []string `yaml:"people,omitempty" json:"people,omitempty"`
	Groups []string `yaml:"groups,omitempty" json:"groups,omitempty"`
	Places []string `yaml:"places,omitempty" json:"places,omitempty"`
	// Events, when present, requires at least one event of the article to
	// satisfy all of its conditions.
	Events *EventCondition `yaml:"events,omitempty" json:"events,omitempty"`
	// Query is a full-text condition in the search query language.
	Query string `yaml:"query,omitempty" json:"query,omitempty"`
	// Webhook, when set, receives this rule's alerts by HTTP POST; it
	// overrides the file's top-level webhook.
	Webhook string `yaml:"webhook,omitempty" json:"webhook,omitempty"`
}

// EventCondition holds the conditions on one event. Zero fields are absent
// conditions.
type EventCondition struct {
	// Types is an any-of list of event types (article.EventTypes).
	Types []string `yaml:"types,omitempty" json:"types,omitempty"`
	// Status is an any-of list of "carried_out", "failed", "foiled", "planned".
	Status []string `yaml:"status,omitempty" json:"status,omitempty"`
	// MinKilled and MinInjured require a reported toll of at least that many.
	MinKilled  int `yaml:"min_killed,omitempty" json:"min_killed,omitempty"`
	MinInjured int `yaml:"min_injured,omitempty" json:"min_injured,omitempty"`
	// Within is a date window relative to now, such as "7d", "36h" or "2w":
	// the event's date (or, without one, the article's publication date)
	// must fall inside it.
	Within string `yaml:"within,omitempty" json:"within,omitempty"`
}

// EventStatuses lists the event statuses a rule may name.
var EventStatuses = []string{"carried_out", "failed", "foiled", "planned"}

// Resolver maps a name to its canonical name, typically through the entity
// stage's knowledge base ("ISKP" -> "Islamic State Khorasan Province"). It has
// the method set of index.Resolver, so one value serves both. ok is false for
// unknown names, which are then matched as written.
type Resolver interface {
	Resolve(kind article.EntityKind, name string) (canonical string, ok bool)
}

// Options configures how rules are compiled. The zero value is valid.
type Options struct {
	// Resolver resolves rule names to canonical names. Default: names are
	// matched as written.
	Resolver Resolver
	// Now is the clock for date windows. Default: time.Now.
	Now func() time.Time
}

// Source yields the current rule set. *RuleSet (fixed rules) and *Reloader
// (rules reloaded from a file) implement it.
type Source interface {
	Current() *RuleSet
}

// RuleSet is a compiled, immutable set of rules. It is safe for concurrent
// use; reloading builds a new RuleSet and swaps it in.
type RuleSet struct {
	path    string
	webhook string
	rules   []*compiledRule
	now     func() time.Time
}

// Current returns rs itself, so a fixed *RuleSet is a Source.
func (rs *RuleSet) Current() *RuleSet { return rs }

// Path returns the file the rules were loaded from, or "" for parsed bytes.
func (rs *RuleSet) Path() string { return rs.path }

// Len returns the number of rules.
func (rs *RuleSet) Len() int {
	if rs == nil {
		return 0
	}
	return len(rs.rules)
}

// Rules returns copies of the rules, in file order.
func (rs *RuleSet) Rules() []Rule {
	if rs == nil {
		return nil
	}
	out := make([]Rule, len(rs.rules))
	for i, c := range rs.rules {
		out[i] = c.rule
	}
	return out
}

// Rule returns the rule of that name.
func (rs *RuleSet) Rule(name string) (Rule, bool) {
	if rs != nil {
		for _, c := range rs.rules {
			if c.rule.Name == name {
				return c.rule, true
			}
		}
	}
	return Rule{}, false
}

// Webhook returns the webhook URL for a rule's alerts: the rule's own, else
// the file's top-level one, else "".
func (rs *RuleSet) Webhook(rule string) string {
	if rs == nil {
		return ""
	}
	if r, ok := rs.Rule(rule); ok && r.Webhook != "" {
		return r.Webhook
	}
	return rs.webhook
}

// File is the structure of a rules file.
type File struct {
	// Webhook is the default webhook URL for every rule. Optional.
	Webhook string `yaml:"webhook,omitempty"`
	// Rules are the rules, in order.
	Rules []Rule `yaml:"rules"`
}

// LoadRules reads and compiles a YAML rules file with default Options. Errors
// wrap ErrBadRule and name the file, line and problem.
func LoadRules(path string) (*RuleSet, error) {
	return LoadRulesWith(path, Options{})
}

// LoadRulesWith is LoadRules with Options.
func LoadRulesWith(path string, o Options) (*RuleSet, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read alert rules: %w", err)
	}
	rs, err := ParseRules(data, path, o)
	if err != nil {
		return nil, err
	}
	return rs, nil
}

// ParseRules compiles a rules file's contents; filename is used in errors.
func ParseRules(data []byte, filename string, o Options) (*RuleSet, error) {
	f, err := decodeFile(data, filename)
	if err != nil {
		return nil, err
	}
	return compileFile(f, filename, o)
}

// NewRuleSet compiles rules given in code, as a rules file holding them would.
func NewRuleSet(rules []Rule, o Options) (*RuleSet, error) {
	f := &parsedFile{}
	for _, r := range rules {
		f.rules = append(f.rules, parsedRule{Rule: r})
	}
	return compileFile(f, "", o)
}

type parsedRule struct {
	Rule
	line   int            // line of the rule's mapping
	fields map[string]int // line of each key, for errors
}

type parsedFile struct {
	webhook     string
	webhookLine int
	rules       []parsedRule
}

// lineErr formats an error for a position in the rules file.
func lineErr(filename string, line int, format string, args ...any) error {
	pos := filename
	if pos == "" {
		pos = "rules"
	}
	if line > 0 {
		pos += ":" + strconv.Itoa(line)
	}
	return fmt.Errorf("%w: %s: %s", ErrBadRule, pos, fmt.Sprintf(format, args...))
}

var ruleKeys = []string{"name", "description", "people", "groups", "places", "events", "query", "webhook"}
var eventKeys = []string{"types", "status", "min_killed", "min_injured", "within"}

// decodeFile walks the YAML tree so every problem can name its line.
func decodeFile(data []byte, filename string) (*parsedFile, error) {
	f := &parsedFile{}
	if len(bytes.TrimSpace(data)) == 0 {
		return f, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		// yaml.v3 syntax errors already say "yaml: line N: ...".
		return nil, fmt.Errorf("%w: %s: %v", ErrBadRule, orRules(filename), err)
	}
	if len(doc.Content) == 0 {
		return f, nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, lineErr(filename, root.Line, "top level must be a mapping with a \"rules:\" list, found %s", kindName(root))
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch k.Value {
		case "webhook":
			if v.Kind != yaml.ScalarNode {
				return nil, lineErr(filename, v.Line, "webhook must be a URL string, found %s", kindName(v))
			}
			f.webhook, f.webhookLine = v.Value, v.Line
		case "rules":
			if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
				continue
			}
			if v.Kind != yaml.SequenceNode {
				return nil, lineErr(filename, v.Line, "rules must be a list, found %s", kindName(v))
			}
			for _, rn := range v.Content {
				r, err := decodeRule(rn, filename)
				if err != nil {
					return nil, err
				}
				f.rules = append(f.rules, r)
			}
		default:
			return nil, lineErr(filename, k.Line, "unknown top-level key %q (want \"rules\" or \"webhook\")", k.Value)
		}
	}
	return f, nil
}

func decodeRule(n *yaml.Node, filename string) (parsedRule, error) {
	r := parsedRule{line: n.Line, fields: map[string]int{}}
	if n.Kind != yaml.MappingNode {
		return r, lineErr(filename, n.Line, "a rule must be a mapping of name, description, conditions; found %s", kindName(n))
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if _, dup := r.fields[k.Value]; dup {
			return r, lineErr(filename, k.Line, "duplicate key %q in rule", k.Value)
		}
		r.fields[k.Value] = k.Line
		var err error
		switch k.Value {
		case "name":
			r.Name, err = scalar(v, filename, "name")
		case "description":
			r.Description, err = scalar(v, filename, "description")
		case "query":
			r.Query, err = scalar(v, filename, "query")
		case "webhook":
			r.Webhook, err = scalar(v, filename, "webhook")
		case "people":
			r.People, err = stringList(v, filename, "people")
		case "groups":
			r.Groups, err = stringList(v, filename, "groups")
		case "places":
			r.Places, err = stringList(v, filename, "places")
		case "events":
			r.Events, err = decodeEvents(v, filename, r.fields)
		default:
			err = lineErr(filename, k.Line, "unknown rule key %q (known: %s)", k.Value, strings.Join(ruleKeys, ", "))
		}
		if err != nil {
			return r, err
		}
	}
	return r, nil
}

func decodeEvents(n *yaml.Node, filename string, fields map[string]int) (*EventCondition, error) {
	if n.Kind != yaml.MappingNode {
		return nil, lineErr(filename, n.Line, "events must be a mapping of %s; found %s", strings.Join(eventKeys, ", "), kindName(n))
	}
	ec := &EventCondition{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		fields["events."+k.Value] = k.Line
		var err error
		switch k.Value {
		case "types", "type":
			ec.Types, err = stringList(v, filename, "events.types")
			fields["events.types"] = k.Line
		case "status":
			ec.Status, err = stringList(v, filename, "events.status")
		case "min_killed":
			ec.MinKilled, err = nonNegInt(v, filename, "events.min_killed")
		case "min_injured":
			ec.MinInjured, err = nonNegInt(v, filename, "events.min_injured")
		case "within":
			ec.Within, err = scalar(v, filename, "events.within")
			if err == nil {
				_, err = parseWindow(ec.Within)
				if err != nil {
					err = lineErr(filename, v.Line, "events.within: %v", err)
				}
			}
		default:
			err = lineErr(filename, k.Line, "unknown events key %q (known: %s)", k.Value, strings.Join(eventKeys, ", "))
		}
		if err != nil {
			return nil, err
		}
	}
	return ec, nil
}

func scalar(n *yaml.Node, filename, field string) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", lineErr(filename, n.Line, "%s must be a string, found %s", field, kindName(n))
	}
	return n.Value, nil
}

func stringList(n *yaml.Node, filename, field string) ([]string, error) {
	switch n.Kind {
	case yaml.ScalarNode:
		// A single name is accepted for a one-entry list.
		if strings.TrimSpace(n.Value) == "" {
			return nil, lineErr(filename, n.Line, "%s is empty", field)
		}
		return []string{n.Value}, nil
	case yaml.SequenceNode:
		out := make([]string, 0, len(n.Content))
		for _, e := range n.Content {
			if e.Kind != yaml.ScalarNode {
				return nil, lineErr(filename, e.Line, "%s entries must be strings, found %s", field, kindName(e))
			}
			if strings.TrimSpace(e.Value) == "" {
				return nil, lineErr(filename, e.Line, "%s has an empty entry", field)
			}
			out = append(out, e.Value)
		}
		if len(out) == 0 {
			return nil, lineErr(filename, n.Line, "%s is an empty list", field)
		}
		return out, nil
	}
	return nil, lineErr(filename, n.Line, "%s must be a list of strings, found %s", field, kindName(n))
}

func nonNegInt(n *yaml.Node, filename, field string) (int, error) {
	if n.Kind != yaml.ScalarNode {
		return 0, lineErr(filename, n.Line, "%s must be a whole number, found %s", field, kindName(n))
	}
	v, err := strconv.Atoi(n.Value)
	if err != nil || v < 0 {
		return 0, lineErr(filename, n.Line, "%s must be a whole number >= 0, got %q", field, n.Value)
	}
	return v, nil
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

func orRules(filename string) string {
	if filename == "" {
		return "rules"
	}
	return filename
}

var ruleNameRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,64}$`)

// parseWindow parses a date window: a positive number followed by m, h, d or
// w, or a Go duration such as "90m".
func parseWindow(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, errors.New("empty window, want e.g. 7d, 36h or 2w")
	}
	unit := s[len(s)-1]
	mult := map[byte]time.Duration{'d': 24 * time.Hour, 'w': 7 * 24 * time.Hour}[unit]
	if mult != 0 {
		v, err := strconv.ParseFloat(s[:len(s)-1], 64)
		if err != nil || v <= 0 {
			return 0, fmt.Errorf("bad window %q, want e.g. 7d, 36h or 2w", s)
		}
		return time.Duration(v * float64(mult)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("bad window %q, want e.g. 7d, 36h or 2w", s)
	}
	return d, nil
}

// compileFile validates every rule and builds the matchers.
func compileFile(f *parsedFile, filename string, o Options) (*RuleSet, error) {
	rs := &RuleSet{path: filename, webhook: f.webhook, now: o.Now}
	if rs.now == nil {
		rs.now = time.Now
	}
	if f.webhook != "" {
		if err := checkURL(f.webhook); err != nil {
			return nil, lineErr(filename, f.webhookLine, "webhook: %v", err)
		}
	}
	seen := map[string]int{}
	for _, pr := range f.rules {
		line := func(field string) int {
			if l, ok := pr.fields[field]; ok {
				return l
			}
			return pr.line
		}
		r := pr.Rule
		if r.Name == "" {
			return nil, lineErr(filename, pr.line, "rule has no name")
		}
		if !ruleNameRE.MatchString(r.Name) {
			return nil, lineErr(filename, line("name"), "rule name %q must be 1-64 letters, digits, '-' or '_' (it becomes a subject token)", r.Name)
		}
		if prev, dup := seen[r.Name]; dup {
			return nil, lineErr(filename, line("name"), "rule name %q already used on line %d", r.Name, prev)
		}
		seen[r.Name] = line("name")
		if len(r.People)+len(r.Groups)+len(r.Places) == 0 && r.Events == nil && strings.TrimSpace(r.Query) == "" {
			return nil, lineErr(filename, pr.line, "rule %q has no conditions (people, groups, places, events or query)", r.Name)
		}
		if r.Webhook != "" {
			if err := checkURL(r.Webhook); err != nil {
				return nil, lineErr(filename, line("webhook"), "rule %q: webhook: %v", r.Name, err)
			}
		}
		c, err := compileRule(r, o)
		if err != nil {
			field := "name"
			var fe *fieldError
			if errors.As(err, &fe) {
				field = fe.field
			}
			return nil, lineErr(filename, line(field), "rule %q: %v", r.Name, err)
		}
		rs.rules = append(rs.rules, c)
	}
	return rs, nil
}

// fieldError is a compile error attributed to one field of a rule.
type fieldError struct {
	field string
	err   error
}

func (e *fieldError) Error() string { return e.field + ": " + e.err.Error() }
func (e *fieldError) Unwrap() error { return e.err }

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return err
	}
	if u.Scheme != "http" && u.Scheme != "https" || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) URL", s)
	}
	return nil
}

func validateEvents(ec *EventCondition) error {
	for _, t := range ec.Types {
		if !slices.Contains(article.EventTypes, t) {
			return &fieldError{"events.types", fmt.Errorf("unknown event type %q (known: %s)", t, strings.Join(article.EventTypes, ", "))}
		}
	}
	for _, s := range ec.Status {
		if !slices.Contains(EventStatuses, s) {
			return &fieldError{"events.status", fmt.Errorf("unknown event status %q (known: %s)", s, strings.Join(EventStatuses, ", "))}
		}
	}
	if ec.MinKilled < 0 {
		return &fieldError{"events.min_killed", errors.New("must be >= 0")}
	}
	if ec.MinInjured < 0 {
		return &fieldError{"events.min_injured", errors.New("must be >= 0")}
	}
	return nil
}
