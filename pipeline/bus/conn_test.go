package bus_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/newswire/newswire/pipeline/bus"
)

func TestIsTransient(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"no responders", nats.ErrNoResponders, true},
		{"no stream response", fmt.Errorf("publish x: %w", jetstream.ErrNoStreamResponse), true},
		{"timeout", nats.ErrTimeout, true},
		{"attempt deadline", context.DeadlineExceeded, true},
		{"reconnecting", nats.ErrConnectionReconnecting, true},
		{"cluster not available", fmt.Errorf("nats: %w", &jetstream.APIError{Code: 503, ErrorCode: 10008}), true},
		{"not leader", &jetstream.APIError{Code: 500, ErrorCode: 10009}, true},
		{"stream not found", &jetstream.APIError{Code: 404, ErrorCode: jetstream.JSErrCodeStreamNotFound}, false},
		{"message too large", nats.ErrMaxPayload, false},
		{"closed", nats.ErrConnectionClosed, false},
		{"cancelled", context.Canceled, false},
		{"other", errors.New("bad"), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := bus.IsTransient(tc.err); got != tc.want {
				t.Errorf("IsTransient(%v) = %v, want %v", tc.err, got, tc.want)
			}
		})
	}
}

func TestRetry(t *testing.T) {
	permanent := errors.New("permanent")
	for _, tc := range []struct {
		name      string
		failures  []error // returned by the first attempts, then nil
		wantCalls int
		wantErr   error
	}{
		{"first time", nil, 1, nil},
		{"through an election", []error{nats.ErrNoResponders, jetstream.ErrNoStreamResponse, nats.ErrTimeout}, 4, nil},
		{"permanent", []error{permanent, nil}, 1, permanent},
		{"transient then permanent", []error{nats.ErrNoResponders, permanent}, 2, permanent},
	} {
		t.Run(tc.name, func(t *testing.T) {
			calls := 0
			err := bus.Retry(context.Background(), func(ctx context.Context) error {
				calls++
				if _, ok := ctx.Deadline(); !ok {
					t.Error("attempt without a deadline")
				}
				if calls <= len(tc.failures) {
					return tc.failures[calls-1]
				}
				return nil
			})
			if calls != tc.wantCalls {
				t.Errorf("%d calls, want %d", calls, tc.wantCalls)
			}
			if !errors.Is(err, tc.wantErr) || (tc.wantErr == nil && err != nil) {
				t.Errorf("err %v, want %v", err, tc.wantErr)
			}
		})
	}
	t.Run("bounded by ctx", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		calls := 0
		err := bus.Retry(ctx, func(context.Context) error { calls++; return nats.ErrNoResponders })
		if !errors.Is(err, nats.ErrNoResponders) || ctx.Err() == nil {
			t.Errorf("err %v after %d calls, ctx %v", err, calls, ctx.Err())
		}
		if calls < 2 {
			t.Errorf("%d calls, want retries", calls)
		}
	})
}
