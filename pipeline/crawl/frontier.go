package crawl

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nuid"

	"github.com/newswire/newswire/pipeline/bus"
)

// Names of the shared frontier's JetStream objects.
const (
	// FrontierStream is the work-queue stream of URLs to fetch.
	FrontierStream = "NEWSWIRE_FRONTIER"
	// FrontierSubjectPrefix prefixes a partition's subject:
	// newswire.frontier.<partition>.
	FrontierSubjectPrefix = "newswire.frontier."
	// StateBucket is the key-value bucket of per-URL state: the seen-set,
	// ETag, Last-Modified, content hash and last fetch.
	StateBucket = "newswire_crawl_state"
	// LeaseBucket is the key-value bucket of partition leases.
	LeaseBucket = "newswire_crawl_leases"
	// DupBucket is the key-value bucket of published articles' content
	// hashes and SimHash fingerprints, for duplicate detection shared by
	// crawl workers.
	DupBucket = "newswire_crawl_dups"
)

// FrontierOptions configures a Frontier. The zero value selects defaults.
type FrontierOptions struct {
	// Partitions is the number of host partitions; every URL of one host
	// falls in one partition, and one worker at a time holds a partition,
	// so a host's politeness holds however many workers run. All workers
	// must agree on it. Default: 16.
	Partitions int
	// LeaseTTL is how long a partition stays with a worker that stopped
	// renewing it. Default: 30s.
	LeaseTTL time.Duration
	// AckWait is how long a fetched URL may take, retries included, before
	// it is handed to another worker. Default: 10m.
	AckWait time.Duration
	// Worker names this worker in leases. Default: a random id.
	Worker string
	// Replicas of the stream and buckets. Default: 1.
	Replicas int
	// Memory keeps the stream and buckets in memory (tests).
	Memory bool
	// DupMaxAge is how long a published article's hash and fingerprint
	// are kept for duplicate detection. Default: 30 days.
	DupMaxAge time.Duration
}

// FrontierItem is one URL waiting to be fetched.
type FrontierItem struct {
	URL    string `json:"url"`
	Source string `json:"source"`
	// Kind is "page", "feed" or "sitemap".
	Kind string `json:"kind"`
	// Hop counts the links followed from a start URL, feed or sitemap.
	Hop int `json:"hop"`
}

// URLState is what the frontier remembers of one URL.
type URLState struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	ContentHash  string    `json:"content_hash,omitempty"`
	Status       int       `json:"status,omitempty"`
	Fetched      time.Time `json:"fetched,omitzero"`
	// Article is set when the page was last judged an article.
	Article bool `json:"article,omitempty"`
	// ArticleHash is the ContentHash of the article last published (or
	// found unchanged) from this URL.
	ArticleHash string `json:"article_hash,omitempty"`
	// Unchanged counts visits in a row that found the article unchanged
	// (a 304 or the same text); each doubles the wait before the next.
	Unchanged int `json:"unchanged,omitempty"`
	// NextVisit is when an article page is due to be fetched again; zero
	// for pages that are not revisited.
	NextVisit time.Time `json:"next_visit,omitzero"`
	// Queued is when the URL was last queued for a revisit.
	Queued time.Time `json:"queued,omitzero"`
	// Attempts counts failed fetches since the last success, over all
	// workers, so a restart does not reset the dead-letter count.
	Attempts int `json:"attempts,omitempty"`
}

// Frontier is a crawl frontier shared by crawl workers through JetStream:
// URLs wait in a work-queue stream partitioned by host, and a key-value
// bucket holds the seen-set and per-URL state, so no URL is queued twice.
// Safe for concurrent use.
type Frontier struct {
	js     jetstream.JetStream
	stream jetstream.Stream
	state  jetstream.KeyValue
	leases jetstream.KeyValue
	dups   *dupIndex
	o      FrontierOptions

	mu    sync.Mutex
	held  map[int]uint64 // partition -> lease revision
	conss map[int]jetstream.Consumer
}

// OpenFrontier creates the frontier's stream and buckets if needed (it is
// idempotent) and returns a handle for one worker.
func OpenFrontier(ctx context.Context, conn *bus.Conn, o FrontierOptions) (*Frontier, error) {
	if o.Partitions <= 0 {
		o.Partitions = 16
	}
	if o.LeaseTTL <= 0 {
		o.LeaseTTL = 30 * time.Second
	}
	if o.AckWait <= 0 {
		o.AckWait = 10 * time.Minute
	}
	if o.Worker == "" {
		o.Worker = nuid.Next()
	}
	if o.Replicas <= 0 {
		o.Replicas = 1
	}
	if o.DupMaxAge <= 0 {
		o.DupMaxAge = 30 * 24 * time.Hour
	}
	storage := jetstream.FileStorage
	if o.Memory {
		storage = jetstream.MemoryStorage
	}
	st, err := conn.JS.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        FrontierStream,
		Description: "newswire crawl frontier: URLs to fetch, partitioned by host",
		Subjects:    []string{FrontierSubjectPrefix + ">"},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     storage,
		Replicas:    o.Replicas,
		Duplicates:  time.Minute,
	})
	if err != nil {
		return nil, fmt.Errorf("crawl: ensure stream %s: %w", FrontierStream, err)
	}
	state, err := conn.JS.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: StateBucket, Description: "newswire crawl: per-URL state and seen-set",
		Storage: storage, Replicas: o.Replicas,
	})
	if err != nil {
		return nil, fmt.Errorf("crawl: ensure bucket %s: %w", StateBucket, err)
	}
	leases, err := conn.JS.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: LeaseBucket, Description: "newswire crawl: partition leases",
		Storage: storage, Replicas: o.Replicas, TTL: o.LeaseTTL,
	})
	if err != nil {
		return nil, fmt.Errorf("crawl: ensure bucket %s: %w", LeaseBucket, err)
	}
	dups, err := conn.JS.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket: DupBucket, Description: "newswire crawl: content hashes and SimHash fingerprints of published articles",
		Storage: storage, Replicas: o.Replicas, TTL: o.DupMaxAge,
	})
	if err != nil {
		return nil, fmt.Errorf("crawl: ensure bucket %s: %w", DupBucket, err)
	}
	return &Frontier{js: conn.JS, stream: st, state: state, leases: leases, dups: newDupIndex(dups), o: o,
		held: map[int]uint64{}, conss: map[int]jetstream.Consumer{}}, nil
}

func urlKey(u string) string {
	sum := sha256.Sum256([]byte(u))
	return "url." + hex.EncodeToString(sum[:20])
}

// partition maps a URL's host to its partition.
func (f *Frontier) partition(rawURL string) int {
	host := rawURL
	if u, err := url.Parse(rawURL); err == nil {
		host = strings.ToLower(u.Host)
	}
	h := fnv.New32a()
	h.Write([]byte(host))
	return int(h.Sum32() % uint32(f.o.Partitions))
}

func (f *Frontier) subject(p int) string { return FrontierSubjectPrefix + strconv.Itoa(p) }

// Add queues an item unless its URL was queued before (by any worker). An
// article page whose NextVisit has passed is queued once more, by one
// worker, for a conditional revisit. It reports whether the item was queued.
func (f *Frontier) Add(ctx context.Context, it FrontierItem) (bool, error) {
	st, _ := json.Marshal(URLState{URL: it.URL})
	if _, err := f.state.Create(ctx, urlKey(it.URL), st); err != nil {
		if errors.Is(err, jetstream.ErrKeyExists) {
			return f.revisit(ctx, it, time.Now())
		}
		return false, fmt.Errorf("crawl: frontier seen-set: %w", err)
	}
	if err := f.publish(ctx, it, "url:"+it.URL); err != nil {
		// Forget it, so a later Add can queue it again (even when ctx is
		// what failed).
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		_ = f.state.Delete(dctx, urlKey(it.URL))
		return false, err
	}
	return true, nil
}

// revisit queues a known article page again when it is due. The state is
// updated with compare-and-set, so of several workers that find it due at
// once, one queues it.
func (f *Frontier) revisit(ctx context.Context, it FrontierItem, now time.Time) (bool, error) {
	if it.Kind != kindPage {
		return false, nil
	}
	e, err := f.state.Get(ctx, urlKey(it.URL))
	if err != nil {
		if errors.Is(err, jetstream.ErrKeyNotFound) {
			return false, nil
		}
		return false, fmt.Errorf("crawl: frontier state: %w", err)
	}
	var st URLState
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		return false, fmt.Errorf("crawl: frontier state of %s: %w", it.URL, err)
	}
	if !st.Article || st.NextVisit.IsZero() || now.Before(st.NextVisit) || !st.Queued.Before(st.NextVisit) {
		return false, nil
	}
	st.Queued = now.UTC()
	data, _ := json.Marshal(st)
	if _, err := f.state.Update(ctx, urlKey(it.URL), data, e.Revision()); err != nil {
		if errors.Is(err, jetstream.ErrKeyExists) {
			return false, nil // another worker got there first
		}
		return false, fmt.Errorf("crawl: frontier revisit: %w", err)
	}
	if err := f.publish(ctx, it, fmt.Sprintf("revisit:%d:%s", st.NextVisit.Unix(), it.URL)); err != nil {
		return false, err
	}
	return true, nil
}

// AddSeed queues a start URL, feed or sitemap for one crawl round, whether
// or not it was seen before. Workers that add the same seed for the same
// round (a round is named by its start time) queue it once.
func (f *Frontier) AddSeed(ctx context.Context, it FrontierItem, round time.Time) error {
	return f.publish(ctx, it, fmt.Sprintf("seed:%d:%s", round.Unix(), it.URL))
}

func (f *Frontier) publish(ctx context.Context, it FrontierItem, msgID string) error {
	data, err := json.Marshal(it)
	if err != nil {
		return err
	}
	if _, err := f.js.Publish(ctx, f.subject(f.partition(it.URL)), data, jetstream.WithMsgID(msgID)); err != nil {
		return fmt.Errorf("crawl: frontier publish %s: %w", it.URL, err)
	}
	return nil
}

// State returns what the frontier knows of a URL; ok is false for a URL
// never seen.
func (f *Frontier) State(ctx context.Context, u string) (st URLState, ok bool, err error) {
	e, err := f.state.Get(ctx, urlKey(u))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return URLState{}, false, nil
	}
	if err != nil {
		return URLState{}, false, fmt.Errorf("crawl: frontier state: %w", err)
	}
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		return URLState{}, false, fmt.Errorf("crawl: frontier state of %s: %w", u, err)
	}
	return st, true, nil
}

// SetState records what a fetch of st.URL found.
func (f *Frontier) SetState(ctx context.Context, st URLState) error {
	data, _ := json.Marshal(st)
	if _, err := f.state.Put(ctx, urlKey(st.URL), data); err != nil {
		return fmt.Errorf("crawl: frontier set state: %w", err)
	}
	return nil
}

// Pending is the number of URLs queued or in flight, over all workers.
func (f *Frontier) Pending(ctx context.Context) (uint64, error) {
	info, err := f.stream.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("crawl: frontier info: %w", err)
	}
	return info.State.Msgs, nil
}

// workers counts the workers whose heartbeat is in the lease bucket,
// after writing this worker's own.
func (f *Frontier) workers(ctx context.Context) int {
	if _, err := f.leases.Put(ctx, "w."+f.o.Worker, []byte(time.Now().UTC().Format(time.RFC3339))); err != nil {
		return 1
	}
	kl, err := f.leases.ListKeysFiltered(ctx, "w.>")
	if err != nil {
		return 1
	}
	seen := map[string]bool{}
	for k := range kl.Keys() {
		seen[k] = true
	}
	return max(len(seen), 1)
}

// claim renews the partitions held and takes free ones up to a fair share
// (partitions / live workers, rounded up). Partitions over the share are
// given up when busy reports nothing in flight on them, so a worker that
// joins gets its share. It returns the partitions held.
func (f *Frontier) claim(ctx context.Context, busy func(p int) bool) []int {
	share := (f.o.Partitions + f.workers(ctx) - 1) / f.workers(ctx)
	f.mu.Lock()
	defer f.mu.Unlock()
	for p, rev := range f.held {
		nrev, err := f.leases.Update(ctx, leaseKey(p), []byte(f.o.Worker), rev)
		if err != nil {
			delete(f.held, p) // lost it (expired and taken)
			continue
		}
		f.held[p] = nrev
	}
	for p, rev := range f.held {
		if len(f.held) <= share {
			break
		}
		if !busy(p) {
			_ = f.leases.Delete(ctx, leaseKey(p), jetstream.LastRevision(rev))
			delete(f.held, p)
		}
	}
	// Start at a different partition per worker, so that workers starting
	// together do not race for the same ones.
	h := fnv.New32a()
	h.Write([]byte(f.o.Worker))
	off := int(h.Sum32() % uint32(f.o.Partitions))
	for i := 0; i < f.o.Partitions && len(f.held) < share; i++ {
		p := (off + i) % f.o.Partitions
		if _, ok := f.held[p]; ok {
			continue
		}
		if rev, err := f.leases.Create(ctx, leaseKey(p), []byte(f.o.Worker)); err == nil {
			f.held[p] = rev
		}
	}
	out := make([]int, 0, len(f.held))
	for p := range f.held {
		out = append(out, p)
	}
	return out
}

func leaseKey(p int) string { return "p" + strconv.Itoa(p) }

// release gives up every partition held and the worker's heartbeat.
func (f *Frontier) release(ctx context.Context) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for p, rev := range f.held {
		_ = f.leases.Delete(ctx, leaseKey(p), jetstream.LastRevision(rev))
		delete(f.held, p)
	}
	_ = f.leases.Delete(ctx, "w."+f.o.Worker)
}

// next fetches up to n queued items of partition p without waiting.
func (f *Frontier) next(ctx context.Context, p, n int) ([]jetstream.Msg, error) {
	f.mu.Lock()
	cons := f.conss[p]
	f.mu.Unlock()
	if cons == nil {
		var err error
		cons, err = f.js.CreateOrUpdateConsumer(ctx, FrontierStream, jetstream.ConsumerConfig{
			Durable:       "frontier-" + strconv.Itoa(p),
			FilterSubject: f.subject(p),
			AckPolicy:     jetstream.AckExplicitPolicy,
			AckWait:       f.o.AckWait,
			MaxDeliver:    -1,
		})
		if err != nil {
			return nil, fmt.Errorf("crawl: frontier consumer %d: %w", p, err)
		}
		f.mu.Lock()
		f.conss[p] = cons
		f.mu.Unlock()
	}
	batch, err := cons.FetchNoWait(n)
	if err != nil {
		return nil, fmt.Errorf("crawl: frontier fetch %d: %w", p, err)
	}
	var out []jetstream.Msg
	for m := range batch.Messages() {
		out = append(out, m)
	}
	return out, batch.Error()
}
