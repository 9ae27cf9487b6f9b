package bustest

import (
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/newswire/newswire/pipeline/bus"
)

// ClusterName is the NATS cluster name of a test cluster.
const ClusterName = "newswire-test"

// Cluster is an in-process NATS cluster with JetStream: every node listens
// for clients and routes on its own 127.0.0.1 ports and keeps its
// JetStream store in its own temp dir. A node can be stopped and restarted
// with the same ports and store, so it rejoins as the same peer. For tests
// only. Stop and Restart are safe for concurrent use.
type Cluster struct {
	tb testing.TB

	mu      sync.Mutex
	opts    []*server.Options // templates, cloned for every start
	servers []*server.Server  // nil while a node is stopped
}

// NewCluster starts an n-node cluster (n >= 1; use 3 for replicas 3), named
// n1..nN, and waits until JetStream has a meta leader that every node
// follows. The cluster is shut down when the test ends.
func NewCluster(tb testing.TB, n int) *Cluster {
	tb.Helper()
	if n < 1 {
		tb.Fatalf("bustest: cluster of %d nodes", n)
	}
	ports := freePorts(tb, 2*n)
	var routes []string
	for i := range n {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", ports[n+i]))
	}
	c := &Cluster{tb: tb}
	for i := range n {
		c.opts = append(c.opts, &server.Options{
			ServerName: fmt.Sprintf("n%d", i+1),
			Host:       "127.0.0.1",
			Port:       ports[i],
			JetStream:  true,
			StoreDir:   tb.TempDir(),
			Cluster: server.ClusterOpts{
				Name: ClusterName,
				Host: "127.0.0.1",
				Port: ports[n+i],
			},
			Routes:     server.RoutesFromStr(strings.Join(routes, ",")),
			NoSigs:     true,
			NoLog:      true,
			MaxPayload: 8 << 20,
		})
	}
	c.servers = make([]*server.Server, n)
	tb.Cleanup(c.shutdown)
	for i := range n {
		if err := c.start(i); err != nil {
			tb.Fatal(err)
		}
	}
	c.WaitReady(30 * time.Second)
	return c
}

// freePorts reserves n distinct free TCP ports on 127.0.0.1.
func freePorts(tb testing.TB, n int) []int {
	tb.Helper()
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	ports := make([]int, 0, n)
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			tb.Fatalf("bustest: free port: %v", err)
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// start starts node i from its options template.
func (c *Cluster) start(i int) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.servers[i] != nil {
		return fmt.Errorf("bustest: node %s already running", c.opts[i].ServerName)
	}
	s, err := server.NewServer(c.opts[i].Clone())
	if err != nil {
		return fmt.Errorf("bustest: node %s: %w", c.opts[i].ServerName, err)
	}
	go s.Start()
	if !s.ReadyForConnections(15 * time.Second) {
		s.Shutdown()
		return fmt.Errorf("bustest: node %s not ready for connections", c.opts[i].ServerName)
	}
	c.servers[i] = s
	return nil
}

func (c *Cluster) shutdown() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, s := range c.servers {
		if s != nil {
			bus.Shutdown(s)
			c.servers[i] = nil
		}
	}
}

// Size is the number of nodes, running or not.
func (c *Cluster) Size() int { return len(c.opts) }

// Name is node i's server name: n1, n2...
func (c *Cluster) Name(i int) string { return c.opts[i].ServerName }

// Index is the node named name, or -1.
func (c *Cluster) Index(name string) int {
	for i, o := range c.opts {
		if o.ServerName == name {
			return i
		}
	}
	return -1
}

// URL is node i's client URL, valid whether or not it runs.
func (c *Cluster) URL(i int) string {
	return fmt.Sprintf("nats://%s:%d", c.opts[i].Host, c.opts[i].Port)
}

// URLs are the client URLs of all nodes, comma-separated, as bus.Connect
// takes them.
func (c *Cluster) URLs() string {
	urls := make([]string, c.Size())
	for i := range urls {
		urls[i] = c.URL(i)
	}
	return strings.Join(urls, ",")
}

// Server is node i's server, nil while it is stopped.
func (c *Cluster) Server(i int) *server.Server {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.servers[i]
}

// Stop shuts node i down gracefully (it hands off the raft groups it leads)
// and waits for it, keeping its store for Restart.
func (c *Cluster) Stop(i int) {
	c.tb.Helper()
	c.mu.Lock()
	s := c.servers[i]
	c.servers[i] = nil
	c.mu.Unlock()
	if s == nil {
		c.tb.Fatalf("bustest: node %s is not running", c.Name(i))
	}
	bus.Shutdown(s)
}

// Restart starts a stopped node i again with the same ports and store, so
// it rejoins the cluster as the same JetStream peer and catches up, and
// waits until every node is current with the meta leader.
func (c *Cluster) Restart(i int) {
	c.tb.Helper()
	if err := c.start(i); err != nil {
		c.tb.Fatal(err)
	}
	c.WaitReady(30 * time.Second)
}

// WaitReady waits up to total until the running nodes are routed to each
// other, one of them is the JetStream meta leader and all are current
// with it; it fails the test otherwise.
func (c *Cluster) WaitReady(total time.Duration) {
	c.tb.Helper()
	CheckFor(c.tb, total, 50*time.Millisecond, c.ready)
}

func (c *Cluster) ready() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	running := 0
	for _, s := range c.servers {
		if s != nil {
			running++
		}
	}
	leaders := 0
	for _, s := range c.servers {
		if s == nil {
			continue
		}
		if got := s.NumRoutes(); got < running-1 {
			return fmt.Errorf("node %s has %d routes, want %d", s.Name(), got, running-1)
		}
		if s.JetStreamIsLeader() {
			leaders++
		}
		if !s.JetStreamIsCurrent() {
			return fmt.Errorf("node %s is not current with the meta leader", s.Name())
		}
	}
	if leaders != 1 {
		return fmt.Errorf("%d JetStream meta leaders", leaders)
	}
	return nil
}

// StreamLeader is the index of the node leading stream (in the default
// account), or -1 while it has none.
func (c *Cluster) StreamLeader(stream string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, s := range c.servers {
		if s != nil && s.JetStreamIsStreamLeader(server.DEFAULT_GLOBAL_ACCOUNT, stream) {
			return i
		}
	}
	return -1
}

// ConsumerLeader is the index of the node leading the durable consumer of
// stream, or -1 while it has none.
func (c *Cluster) ConsumerLeader(stream, durable string) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	for i, s := range c.servers {
		if s != nil && s.JetStreamIsConsumerLeader(server.DEFAULT_GLOBAL_ACCOUNT, stream, durable) {
			return i
		}
	}
	return -1
}

// Connect connects to every node of the cluster with bus.Connect's
// options; the connection is closed when the test ends.
func (c *Cluster) Connect(tb testing.TB) *bus.Conn {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	conn, err := bus.Connect(ctx, c.URLs(), nil, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(conn.NC.Close)
	return conn
}
