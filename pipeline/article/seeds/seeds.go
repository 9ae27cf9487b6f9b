// Package seeds finds the project's real sample articles for tests: the
// folder ../shared/seeds beside the repository root. In CI (CI=true) the
// folder is always there, so a missing one fails the test; elsewhere the
// test is skipped. Never copy the articles' text into the repository.
//
//	for _, f := range seeds.Files(t) { ... }
package seeds

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// lookup finds ../shared/seeds beside the repository root (the nearest
// folder above the working directory holding go.mod).
func lookup() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("seeds: repository root (go.mod) not found")
		}
		dir = parent
	}
	seeds := filepath.Join(filepath.Dir(dir), "shared", "seeds")
	if _, err := os.Stat(seeds); err != nil {
		return "", err
	}
	return seeds, nil
}

// Dir returns the absolute path of ../shared/seeds relative to the
// repository root, failing in CI and skipping elsewhere when it is missing.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := lookup()
	if err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("sample articles missing: %v", err)
		}
		tb.Skipf("sample articles missing: %v", err)
	}
	return dir
}

// Files returns the sample articles (*.txt) in name order, failing in CI
// and skipping elsewhere when there are none.
func Files(tb testing.TB) []string {
	tb.Helper()
	dir := Dir(tb)
	files, err := filepath.Glob(filepath.Join(dir, "*.txt"))
	if err != nil || len(files) == 0 {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("no sample articles in %s: %v", dir, err)
		}
		tb.Skipf("no sample articles in %s", dir)
	}
	sort.Strings(files)
	return files
}

// Texts returns the text of every sample article, in name order, failing
// in CI and skipping elsewhere when they are missing.
func Texts(tb testing.TB) []string {
	tb.Helper()
	return read(tb, Files(tb))
}

// TextsIfPresent is Texts for callers that can do without the articles (a
// benchmark that adds them to its inputs): nil when they are missing.
func TextsIfPresent(tb testing.TB) []string {
	tb.Helper()
	dir, err := lookup()
	if err != nil {
		return nil
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	sort.Strings(files)
	return read(tb, files)
}

func read(tb testing.TB, files []string) []string {
	tb.Helper()
	out := make([]string, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}
