package app

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/newswire/newswire/pipeline/index"
)

// countBackend answers Count with err.
type countBackend struct {
	index.Backend
	err error
}

func (b countBackend) Count(context.Context) (int, error) { return 3, b.err }

func TestReadyz(t *testing.T) {
	cases := []struct {
		name    string
		backend index.Backend
		want    int
	}{
		{"serve with a reachable index", countBackend{}, http.StatusOK},
		{"serve with the index down", countBackend{err: errors.New("connection refused")}, http.StatusServiceUnavailable},
		{"metrics-only stage without NATS", nil, http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := &Env{Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Reg: newRegistry()}
			rec := httptest.NewRecorder()
			e.httpHandler(tc.backend, nil, "").ServeHTTP(rec, httptest.NewRequest("GET", "/readyz", nil))
			if rec.Code != tc.want {
				t.Errorf("GET /readyz = %d %q, want %d", rec.Code, rec.Body.String(), tc.want)
			}
		})
	}
}
