package alert

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// DefaultPollInterval is how often a Reloader checks its file for changes.
const DefaultPollInterval = time.Second

// Reloader keeps a RuleSet in step with its file: it polls the file, and
// when the contents change it compiles them and swaps the new RuleSet in
// atomically. A bad edit keeps the previous rules and is logged (and
// available from Err) until the file is fixed. Polling works on every file
// system, including bind mounts and ConfigMap volumes where inotify events
// are unreliable. Safe for concurrent use.
type Reloader struct {
	path string
	opts Options
	log  *slog.Logger

	cur atomic.Pointer[RuleSet]

	mu       sync.Mutex // serialises reloads; guards sum and lastErr
	sum      [sha256.Size]byte
	lastErr  error // of the last attempt
	parseErr error // of the contents with hash sum
	logged   error // last error logged by poll
}

// NewReloader loads the rules file at path, failing if it is missing or bad,
// then polls it every DefaultPollInterval until ctx ends.
func NewReloader(ctx context.Context, path string, o Options, log *slog.Logger) (*Reloader, error) {
	return NewReloaderEvery(ctx, path, o, log, DefaultPollInterval)
}

// NewReloaderEvery is NewReloader with a poll interval; interval <= 0 turns
// polling off, leaving reloads to explicit Reload calls (e.g. on SIGHUP).
func NewReloaderEvery(ctx context.Context, path string, o Options, log *slog.Logger, interval time.Duration) (*Reloader, error) {
	if log == nil {
		log = slog.Default()
	}
	r := &Reloader{path: path, opts: o, log: log.With("component", "alert", "rules", path)}
	if _, err := r.Reload(); err != nil {
		return nil, err
	}
	if interval > 0 {
		go r.poll(ctx, interval)
	}
	return r, nil
}

// Current returns the rules in force.
func (r *Reloader) Current() *RuleSet { return r.cur.Load() }

// Err returns the error of the last reload attempt, nil when the file's
// current contents are in force.
func (r *Reloader) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.lastErr
}

// Reload reads the file now and swaps in its rules if the contents changed.
// It reports whether new rules were swapped in; on error the previous rules
// stay in force.
func (r *Reloader) Reload() (bool, error) {
	data, err := os.ReadFile(r.path)
	if err != nil {
		return false, r.fail(fmt.Errorf("read alert rules: %w", err))
	}
	return r.apply(data, sha256.Sum256(data))
}

func (r *Reloader) fail(err error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lastErr = err
	return err
}

// apply compiles data unless it is what is in force already.
func (r *Reloader) apply(data []byte, sum [sha256.Size]byte) (bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.cur.Load() != nil && sum == r.sum {
		r.lastErr = r.parseErr
		return false, r.parseErr
	}
	r.sum = sum
	rs, err := ParseRules(data, r.path, r.opts)
	r.parseErr, r.lastErr = err, err
	if err != nil {
		return false, err
	}
	r.cur.Store(rs)
	return true, nil
}

// poll applies a change once two polls in a row read the same contents, so
// a file caught half-written is not loaded.
func (r *Reloader) poll(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	var pending [sha256.Size]byte
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		data, err := os.ReadFile(r.path)
		if err != nil {
			err = r.fail(fmt.Errorf("read alert rules: %w", err))
			if !sameErr(err, r.reported()) {
				r.log.Error("alert rules not reloaded; keeping the previous rules", "err", err)
				r.setReported(err)
			}
			continue
		}
		sum := sha256.Sum256(data)
		if sum != pending {
			pending = sum
			continue
		}
		changed, err := r.apply(data, sum)
		switch {
		case err != nil && !sameErr(err, r.reported()):
			r.log.Error("alert rules not reloaded; keeping the previous rules", "err", err)
			r.setReported(err)
		case changed:
			r.log.Info("alert rules reloaded", "rules", r.Current().Len())
			r.setReported(nil)
		}
	}
}

func sameErr(a, b error) bool {
	return a != nil && b != nil && a.Error() == b.Error()
}

// reported and setReported remember the last logged error so a bad file is
// logged once, not every poll.
func (r *Reloader) reported() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.logged
}

func (r *Reloader) setReported(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logged = err
}
