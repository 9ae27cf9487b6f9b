package text

import (
	"context"
	"strings"
	"testing"
	"time"
)

func BenchmarkFromHTML(b *testing.B) {
	page := []byte(page("utf-8", "é"))
	b.SetBytes(int64(len(page)))
	b.ReportAllocs()
	ctx := context.Background()
	b.ResetTimer()
	for range b.N {
		if _, err := FromHTML(ctx, page, "https://coastal.example/news/a", time.Now()); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormalize(b *testing.B) {
	s := strings.Repeat("The pоlice offіcer spoke to reporters\u00a0in Paris on Monday.\n\n", 200)
	b.SetBytes(int64(len(s)))
	b.ReportAllocs()
	for range b.N {
		Normalize(s)
	}
}
