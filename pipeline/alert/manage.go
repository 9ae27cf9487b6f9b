package alert

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"gopkg.in/yaml.v3"
)

// ListRules returns the rules of the file at path, validated. A missing file
// holds no rules.
func ListRules(path string) ([]Rule, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("read alert rules: %w", err)
	}
	rs, err := ParseRules(data, path, Options{})
	if err != nil {
		return nil, err
	}
	return rs.Rules(), nil
}

// AddRule appends r to the rules file at path, creating the file if needed.
// Comments, order and formatting of the other rules are kept. The file is
// rewritten atomically and only if the result is valid; a running Reloader
// picks the change up. It fails with ErrRuleExists if the name is taken.
func AddRule(path string, r Rule) error {
	return editRules(path, func(seq *yaml.Node) error {
		for _, n := range seq.Content {
			if ruleName(n) == r.Name {
				return fmt.Errorf("%w: %q", ErrRuleExists, r.Name)
			}
		}
		var n yaml.Node
		if err := n.Encode(r); err != nil {
			return fmt.Errorf("encode rule %q: %w", r.Name, err)
		}
		seq.Content = append(seq.Content, &n)
		return nil
	})
}

// RemoveRule deletes the rule called name from the file at path, keeping the
// rest as it was. It fails with ErrRuleNotFound if there is no such rule.
func RemoveRule(path, name string) error {
	return editRules(path, func(seq *yaml.Node) error {
		for i, n := range seq.Content {
			if ruleName(n) == name {
				seq.Content = append(seq.Content[:i], seq.Content[i+1:]...)
				return nil
			}
		}
		return fmt.Errorf("%w: %q in %s", ErrRuleNotFound, name, path)
	})
}

func ruleName(n *yaml.Node) string {
	if n.Kind != yaml.MappingNode {
		return ""
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "name" {
			return n.Content[i+1].Value
		}
	}
	return ""
}

// editRules loads the file as a YAML tree, lets edit change the rules
// sequence, validates the result and replaces the file atomically.
func editRules(path string, edit func(seq *yaml.Node) error) error {
	data, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("read alert rules: %w", err)
	}
	mode := fs.FileMode(0o644)
	if fi, err := os.Stat(path); err == nil {
		mode = fi.Mode().Perm()
	}
	// Refuse to edit a file that is already broken: the user should see
	// and fix its error first.
	if _, err := ParseRules(data, path, Options{}); err != nil {
		return err
	}
	var doc yaml.Node
	if len(bytes.TrimSpace(data)) > 0 {
		if err := yaml.Unmarshal(data, &doc); err != nil {
			return fmt.Errorf("%w: %s: %v", ErrBadRule, path, err)
		}
	}
	if len(doc.Content) == 0 {
		doc = yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode, Tag: "!!map"}}}
	}
	root := doc.Content[0]
	var seq *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == "rules" {
			seq = root.Content[i+1]
		}
	}
	if seq == nil {
		seq = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		root.Content = append(root.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: "rules"}, seq)
	}
	if seq.Kind != yaml.SequenceNode { // "rules:" with no value
		*seq = yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: seq.Line}
	}
	if err := edit(seq); err != nil {
		return err
	}
	if len(seq.Content) > 0 {
		seq.Style &^= yaml.FlowStyle // "rules: []" grows into a block list
	}
	var out bytes.Buffer
	enc := yaml.NewEncoder(&out)
	enc.SetIndent(2)
	if err := enc.Encode(&doc); err != nil {
		return fmt.Errorf("encode alert rules: %w", err)
	}
	if err := enc.Close(); err != nil {
		return fmt.Errorf("encode alert rules: %w", err)
	}
	if _, err := ParseRules(out.Bytes(), path, Options{}); err != nil {
		return err
	}
	return writeAtomic(path, out.Bytes(), mode)
}

// writeAtomic writes data to a temporary file beside path and renames it
// over path, so readers see the old or the new file, never half of one.
func writeAtomic(path string, data []byte, mode fs.FileMode) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write alert rules: %w", err)
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, mode)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("write alert rules %s: %w", path, err)
	}
	return nil
}
