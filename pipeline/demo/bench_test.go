package demo

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

func BenchmarkNewSite(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := NewSite("http://127.0.0.1:8181"); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkServe(b *testing.B) {
	s, err := NewSite("http://127.0.0.1:8181")
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range []string{"/", "/articles/lyon-station-stabbing.html", "/feed.xml"} {
		b.Run("path="+p, func(b *testing.B) {
			b.ReportAllocs()
			req := httptest.NewRequest(http.MethodGet, p, nil)
			for b.Loop() {
				rec := httptest.NewRecorder()
				s.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
				b.SetBytes(int64(rec.Body.Len()))
			}
		})
	}
}
