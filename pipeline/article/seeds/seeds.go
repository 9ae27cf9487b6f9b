// Package seeds finds the project's real sample articles for tests: the
// folder ../shared/seeds beside the repository root. In CI (CI=true) the
// folder is always there, so a missing one fails the test; elsewhere the
// test is skipped. Never copy the articles' text into the repository.
//
//	for _, f := range seeds.Files(t) { ... }
package seeds

import (
	"os"
	"path/filepath"
	"sort"
	"testing"
)

// Dir returns the absolute path of ../shared/seeds relative to the
// repository root (the nearest folder above the working directory holding
// go.mod), failing in CI and skipping elsewhere when it is missing.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Fatal("seeds: repository root (go.mod) not found")
		}
		dir = parent
	}
	seeds := filepath.Join(filepath.Dir(dir), "shared", "seeds")
	if _, err := os.Stat(seeds); err != nil {
		if os.Getenv("CI") == "true" {
			tb.Fatalf("sample articles missing: %v", err)
		}
		tb.Skipf("sample articles missing: %v", err)
	}
	return seeds
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
