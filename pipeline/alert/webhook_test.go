package alert

import (
	"crypto/hmac"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/newswire/newswire/pipeline/bus"
	"github.com/newswire/newswire/pipeline/bus/bustest"
	"github.com/newswire/newswire/pipeline/stage"
)

// flakyServer answers the first fail requests with status, then 200.
type flakyServer struct {
	mu     sync.Mutex
	fail   int
	status int
	bodies []Alert
	calls  int
	secret string // when set, requests must carry its signature
}

func (f *flakyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.calls <= f.fail {
		http.Error(w, "try later", f.status)
		return
	}
	var a Alert
	data, _ := io.ReadAll(r.Body)
	if f.secret != "" && !hmac.Equal([]byte(r.Header.Get(HeaderSignature)), []byte(Sign(f.secret, data))) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	if err := json.Unmarshal(data, &a); err != nil || r.Header.Get("Idempotency-Key") == "" {
		http.Error(w, "bad alert", http.StatusBadRequest)
		return
	}
	f.bodies = append(f.bodies, a)
}

func (f *flakyServer) count() (calls, ok int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls, len(f.bodies)
}

func TestWebhookDeliver(t *testing.T) {
	cases := []struct {
		name       string
		fail       int
		status     int
		wantCalls  int
		wantOK     int
		deadLetter bool
		secret     string // the server's
		signWith   string // the deliverer's
	}{
		{"signed", 0, 0, 1, 1, false, "k3y", "k3y"},
		{"wrong signature is a client error", 0, 0, 1, 0, true, "k3y", "other"},
		{"succeeds after two failures", 2, http.StatusServiceUnavailable, 3, 1, false, "", ""},
		{"gives up after all attempts", 100, http.StatusBadGateway, 4, 0, true, "", ""},
		{"client error is not retried", 100, http.StatusNotFound, 1, 0, true, "", ""},
		{"429 is retried", 1, http.StatusTooManyRequests, 2, 1, false, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			conn := bustest.NewTestConn(t)
			ctx := t.Context()
			srv := &flakyServer{fail: tc.fail, status: tc.status, secret: tc.secret}
			ts := httptest.NewServer(srv)
			defer ts.Close()
			h, err := NewWebhooks(conn, mustRules(t, []Rule{{Name: "r", Groups: []string{"x"}}}, Options{}),
				WebhookConfig{Attempts: 4, Backoff: time.Millisecond, MaxBackoff: 4 * time.Millisecond, Secret: tc.signWith}, nil, prometheus.NewRegistry())
			if err != nil {
				t.Fatal(err)
			}
			a := Alert{SchemaVersion: 1, AlertID: "al-1", Rule: "r", ArticleID: "a1", Title: "t"}
			if err := h.Deliver(ctx, ts.URL+"/hook?token=secret", a); err != nil {
				t.Fatalf("Deliver: %v", err)
			}
			if calls, ok := srv.count(); calls != tc.wantCalls || ok != tc.wantOK {
				t.Errorf("server saw %d calls, %d accepted; want %d, %d", calls, ok, tc.wantCalls, tc.wantOK)
			}
			msg, err := lastDeadLetter(t, conn)
			if !tc.deadLetter {
				if err == nil {
					t.Errorf("unexpected dead letter: %s", msg.Header)
				}
				return
			}
			if err != nil {
				t.Fatalf("no dead letter: %v", err)
			}
			if want := fmt.Sprint(tc.status); tc.status == 0 && !strings.Contains(msg.Header.Get(stage.HeaderError), "401") ||
				tc.status != 0 && !strings.Contains(msg.Header.Get(stage.HeaderError), want) {
				t.Errorf("dead letter reason %q does not name the status", msg.Header.Get(stage.HeaderError))
			}
			if got := msg.Header.Get(stage.HeaderAttempts); got != fmt.Sprint(tc.wantCalls) {
				t.Errorf("dead letter attempts = %s, want %d", got, tc.wantCalls)
			}
			if hook := msg.Header.Get(HeaderWebhook); strings.Contains(hook, "secret") || !strings.HasSuffix(hook, "/hook") {
				t.Errorf("dead letter webhook header = %q, want the URL without its query", hook)
			}
			var back Alert
			if err := json.Unmarshal(msg.Data, &back); err != nil || back.AlertID != "al-1" {
				t.Errorf("dead letter body = %s (%v)", msg.Data, err)
			}
		})
	}
}

func TestWebhooksRun(t *testing.T) {
	conn := bustest.NewTestConn(t)
	ctx := t.Context()
	srv := &flakyServer{fail: 1, status: http.StatusInternalServerError}
	ts := httptest.NewServer(srv)
	defer ts.Close()
	rs := mustRules(t, []Rule{
		{Name: "hooked", People: []string{"Jane Roe"}, Webhook: ts.URL},
		{Name: "quiet", Groups: []string{"ISKP"}},
	}, Options{})
	w, err := NewWorker(conn, rs, nil, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	h, err := NewWebhooks(conn, rs, WebhookConfig{Backoff: time.Millisecond}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- h.Run(ctx, "") }()
	if err := w.Handle(ctx, bombingIn("a1", "one.example", "Lyon", "France", "FR", "2026-03-11", 1)); err != nil {
		t.Fatal(err)
	}
	bustest.CheckFor(t, 10*time.Second, 5*time.Millisecond, func() error {
		if _, ok := srv.count(); ok != 1 {
			return fmt.Errorf("%d deliveries, want 1 (only the hooked rule)", ok)
		}
		return nil
	})
	if _, err := lastDeadLetter(t, conn); !errors.Is(err, jetstream.ErrMsgNotFound) {
		t.Errorf("dead letter lookup = %v, want none", err)
	}
	srv.mu.Lock()
	if srv.bodies[0].Rule != "hooked" {
		t.Errorf("delivered %+v", srv.bodies[0])
	}
	srv.mu.Unlock()
}

func lastDeadLetter(t *testing.T, conn *bus.Conn) (*jetstream.RawStreamMsg, error) {
	t.Helper()
	st, err := conn.JS.Stream(t.Context(), bus.StreamDLQ)
	if err != nil {
		t.Fatal(err)
	}
	return st.GetLastMsgForSubject(t.Context(), bus.DLQSubject(WebhookStage))
}
