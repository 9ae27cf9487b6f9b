package alert

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/bus/bustest"
	"github.com/newswire/newswire/pipeline/internal/logtest"
)

func TestReloader(t *testing.T) {
	path := filepath.Join(t.TempDir(), "rules.yaml")
	write := func(s string) {
		t.Helper()
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("rules:\n  - name: one\n    groups: [ISKP]\n")
	var logs logtest.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	r, err := NewReloaderEvery(t.Context(), path, Options{}, log, 5*time.Millisecond)
	if err != nil {
		t.Fatal(err)
	}
	if r.Current().Len() != 1 {
		t.Fatalf("Len = %d, want 1", r.Current().Len())
	}

	write("rules:\n  - name: one\n    groups: [ISKP]\n  - name: two\n    people: [Jane Roe]\n")
	bustest.CheckFor(t, 5*time.Second, 5*time.Millisecond, func() error {
		if n := r.Current().Len(); n != 2 {
			return fmt.Errorf("Len = %d, want 2 after the edit", n)
		}
		return nil
	})

	// A bad edit keeps the previous rules and logs the problem once.
	write("rules:\n  - name: one\n    groups: [ISKP]\n  - name: two\n    evnts: {}\n")
	bustest.CheckFor(t, 5*time.Second, 5*time.Millisecond, func() error {
		if !strings.Contains(logs.String(), "rules.yaml:5: unknown rule key") {
			return errors.New("bad edit not logged")
		}
		return nil
	})
	if n := r.Current().Len(); n != 2 {
		t.Errorf("after a bad edit Len = %d, want the previous 2", n)
	}
	if !errors.Is(r.Err(), ErrBadRule) {
		t.Errorf("Err = %v, want ErrBadRule", r.Err())
	}

	write("rules:\n  - name: three\n    places: [Europe]\n")
	bustest.CheckFor(t, 5*time.Second, 5*time.Millisecond, func() error {
		if _, ok := r.Current().Rule("three"); !ok || r.Current().Len() != 1 {
			return errors.New("fixed file not loaded")
		}
		return nil
	})
	if r.Err() != nil {
		t.Errorf("Err after the fix = %v", r.Err())
	}
	if n := strings.Count(logs.String(), "not reloaded"); n != 1 {
		t.Errorf("bad edit logged %d times, want once:\n%s", n, logs.String())
	}

	if _, err := NewReloader(t.Context(), filepath.Join(t.TempDir(), "none.yaml"), Options{}, log); err == nil {
		t.Error("NewReloader on a missing file: no error")
	}
}
