package crawl

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"
)

// progress writes a progress line to Config.Progress every second until
// the returned stop is called.
func (c *Crawler) progress(ctx context.Context) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	start := time.Now()
	line := func() string {
		st := c.Stats()
		queued := "-"
		if f := c.cfg.Frontier; f != nil {
			qctx, cancel := context.WithTimeout(ctx, time.Second)
			if n, err := f.Pending(qctx); err == nil {
				queued = strconv.FormatUint(n, 10)
			}
			cancel()
		}
		rate := float64(st.Fetched) / max(time.Since(start).Seconds(), 0.001)
		return fmt.Sprintf("crawl: fetched %d  published %d  not-articles %d  skipped %d  queued %s  errors %d  dead %d  %.1f pages/s",
			st.Fetched, st.Published, st.NotArticles, st.Skipped, queued, st.Errors, st.DeadLettered, rate)
	}
	wg.Go(func() {
		t := time.NewTicker(time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				fmt.Fprintf(c.cfg.Progress, "\r%s\n", line())
				return
			case <-t.C:
				fmt.Fprintf(c.cfg.Progress, "\r%s\x1b[K", line())
			}
		}
	})
	return func() { close(done); wg.Wait() }
}
