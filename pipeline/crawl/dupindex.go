package crawl

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// dupEntry is what DupBucket holds for one published article, under
// "a.<article ID>".
type dupEntry struct {
	// Hash is the article's ContentHash.
	Hash string `json:"hash"`
	// FP is the SimHash of its text; HasFP is false for texts too short
	// for one.
	FP    uint64 `json:"fp,omitempty"`
	HasFP bool   `json:"has_fp,omitempty"`
	// MinHash is a sketch of the text's word trigrams (see minhash).
	MinHash []uint32 `json:"mh,omitempty"`
	// Resolved is set once DupOf is settled: the worker that recorded the
	// article writes the entry again with the answer, so that workers
	// loading the bucket later need not work it out again.
	Resolved bool `json:"resolved,omitempty"`
	// DupOf is the original this article copies, if any. Copies are never
	// themselves matched, so every copy links to an original.
	DupOf string `json:"dup_of,omitempty"`
}

type dupRec struct {
	e     dupEntry
	rev   uint64
	dupOf string // settled: from a resolved entry, or worked out on arrival
}

// dupIndex is a crawl worker's view of DupBucket: a watch keeps every
// worker's entries in memory, in the bucket's revision order, and an entry
// not yet resolved is matched on arrival against the originals that came
// before it. Every worker sees the same order, so two workers that publish
// copies of one story at the same moment agree on which is the original
// and no copy links to another copy. Safe for concurrent use.
type dupIndex struct {
	kv jetstream.KeyValue

	mu      sync.Mutex
	byID    map[string]dupRec
	lastRev uint64
	changed chan struct{} // closed and replaced whenever lastRev grows
	running bool
}

func newDupIndex(kv jetstream.KeyValue) *dupIndex {
	return &dupIndex{kv: kv, byID: map[string]dupRec{}, changed: make(chan struct{})}
}

func dupKey(id string) string { return "a." + id }

// watch follows the bucket until the returned stop is called. It returns
// once the entries already in the bucket are loaded.
func (d *dupIndex) watch(ctx context.Context) (stop func(), err error) {
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	w, err := d.kv.Watch(wctx, "a.>")
	if err != nil {
		cancel()
		return nil, fmt.Errorf("crawl: watch %s: %w", DupBucket, err)
	}
	d.mu.Lock()
	d.byID, d.lastRev, d.running = map[string]dupRec{}, 0, true
	d.mu.Unlock()
	loaded := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		first := true
		for e := range w.Updates() {
			if e == nil {
				if first {
					close(loaded)
					first = false
				}
				continue
			}
			d.apply(e)
		}
		if first {
			close(loaded)
		}
	}()
	select {
	case <-loaded:
	case <-ctx.Done():
	}
	return func() {
		_ = w.Stop()
		cancel()
		<-done
		d.mu.Lock()
		d.running = false
		d.mu.Unlock()
	}, nil
}

func (d *dupIndex) apply(e jetstream.KeyValueEntry) {
	id := strings.TrimPrefix(e.Key(), "a.")
	d.mu.Lock()
	defer d.mu.Unlock()
	switch e.Operation() {
	case jetstream.KeyValuePut:
		var de dupEntry
		if json.Unmarshal(e.Value(), &de) == nil {
			r := dupRec{e: de, rev: e.Revision(), dupOf: de.DupOf}
			if !de.Resolved {
				r.dupOf = d.matchLocked(id, de)
			}
			d.byID[id] = r
		}
	default:
		delete(d.byID, id)
	}
	if e.Revision() > d.lastRev {
		d.lastRev = e.Revision()
		close(d.changed)
		d.changed = make(chan struct{})
	}
}

// waitFor waits until the watch has seen revision rev (and so every
// revision before it), or ctx ends.
func (d *dupIndex) waitFor(ctx context.Context, rev uint64) error {
	for {
		d.mu.Lock()
		ok, ch, running := d.lastRev >= rev, d.changed, d.running
		d.mu.Unlock()
		if ok {
			return nil
		}
		if !running {
			return errors.New("crawl: duplicate index not watching")
		}
		select {
		case <-ch:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// check records a published article and returns the ID of the original it
// copies, "" when it is one: an article with the same content hash, or else
// the nearest SimHash within simhashMaxDist bits, among the originals
// recorded before it by any worker. An article already recorded with the
// same hash keeps its earlier answer.
func (d *dupIndex) check(ctx context.Context, id, hash string, fp uint64, hasFP bool, mh []uint32) (string, error) {
	if e, err := d.kv.Get(ctx, dupKey(id)); err == nil {
		var de dupEntry
		if json.Unmarshal(e.Value(), &de) == nil && de.Hash == hash && de.Resolved {
			return de.DupOf, nil
		}
	} else if !errors.Is(err, jetstream.ErrKeyNotFound) {
		return "", fmt.Errorf("crawl: duplicate index get: %w", err)
	}
	de := dupEntry{Hash: hash, FP: fp, HasFP: hasFP, MinHash: mh}
	data, _ := json.Marshal(de)
	rev, err := d.kv.Put(ctx, dupKey(id), data)
	if err != nil {
		return "", fmt.Errorf("crawl: duplicate index put: %w", err)
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := d.waitFor(wctx, rev); err != nil {
		return "", fmt.Errorf("crawl: duplicate index catching up: %w", err)
	}
	d.mu.Lock()
	r, ok := d.byID[id]
	d.mu.Unlock()
	if !ok {
		return "", fmt.Errorf("crawl: duplicate index lost the entry of %s", id)
	}
	orig := r.dupOf
	de.DupOf, de.Resolved = orig, true
	data, _ = json.Marshal(de)
	if _, err := d.kv.Put(ctx, dupKey(id), data); err != nil {
		return "", fmt.Errorf("crawl: duplicate index put: %w", err)
	}
	return orig, nil
}

// matchLocked finds the original among the entries so far that an
// arriving entry copies. d.mu must be held.
func (d *dupIndex) matchLocked(id string, de dupEntry) string {
	best, bestDist, bestRev := "", simhashMaxDist+1, uint64(0)
	for oid, r := range d.byID {
		if oid == id || r.dupOf != "" {
			continue
		}
		dist := simhashMaxDist + 1
		switch {
		case r.e.Hash == de.Hash:
			dist = -1 // an exact copy beats any near one
		case de.HasFP && r.e.HasFP:
			if ok, d := nearCopy(de.FP, r.e.FP, de.MinHash, r.e.MinHash); ok {
				dist = min(d, simhashMaxDist)
			}
		}
		if dist < bestDist || (dist == bestDist && best != "" && r.rev < bestRev) {
			best, bestDist, bestRev = oid, dist, r.rev
		}
	}
	return best
}
