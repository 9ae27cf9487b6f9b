package bus

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/nats-io/nats-server/v2/server"
)

// EmbeddedOptions configures an in-process NATS server with JetStream.
type EmbeddedOptions struct {
	// StoreDir is where JetStream keeps its file storage. Required.
	StoreDir string
	// Listen makes the server accept TCP clients on Host:Port; otherwise it
	// serves in-process connections only. Default: false.
	Listen bool
	// Host and Port for Listen. Defaults: 127.0.0.1 and 4222; Port -1 picks
	// a free port.
	Host string
	Port int
	// ReadyTimeout bounds the wait for the server. Default: 10s.
	ReadyTimeout time.Duration
}

// StartEmbedded starts an in-process NATS server with JetStream on disk and
// waits until it accepts connections. Shut it down with Shutdown.
func StartEmbedded(ctx context.Context, o EmbeddedOptions) (*server.Server, error) {
	if o.StoreDir == "" {
		return nil, fmt.Errorf("embedded nats: StoreDir is required")
	}
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	if o.Port == 0 {
		o.Port = 4222
	}
	if o.ReadyTimeout == 0 {
		o.ReadyTimeout = 10 * time.Second
	}
	if o.Listen && o.Port > 0 {
		// The server only logs a failed listen; check first for a clear error.
		l, err := net.Listen("tcp", net.JoinHostPort(o.Host, strconv.Itoa(o.Port)))
		if err != nil {
			return nil, fmt.Errorf("embedded nats: %w", err)
		}
		l.Close()
	}
	opts := &server.Options{
		ServerName: "newswire-embedded",
		JetStream:  true,
		StoreDir:   o.StoreDir,
		Host:       o.Host,
		Port:       o.Port,
		DontListen: !o.Listen,
		NoSigs:     true,
		NoLog:      true,
		// Articles can be large; raise the default 1 MB payload cap.
		MaxPayload: 8 << 20,
	}
	s, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("embedded nats: %w", err)
	}
	go s.Start()
	deadline := o.ReadyTimeout
	if d, ok := ctx.Deadline(); ok && time.Until(d) < deadline {
		deadline = time.Until(d)
	}
	if !s.ReadyForConnections(deadline) {
		s.Shutdown()
		return nil, fmt.Errorf("embedded nats: not ready after %s", deadline)
	}
	return s, nil
}

// Shutdown stops an embedded server and waits for it.
func Shutdown(s *server.Server) {
	if s == nil {
		return
	}
	s.Shutdown()
	s.WaitForShutdown()
}
