package bustest

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

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
	tb      testing.TB
	process string // NodeProcess: nodes run as child processes

	mu      sync.Mutex
	opts    []*server.Options // templates, cloned for every start
	servers []*server.Server  // in-process nodes; nil while stopped
	procs   []*exec.Cmd       // process nodes; nil while stopped
	exited  []chan struct{}   // closed when procs[i] has exited
	ctl     *nats.Conn        // process mode: control connection
}

// ClusterOptions configure NewClusterWith. Zero values are defaults.
type ClusterOptions struct {
	// Nodes in the cluster. Default: 3.
	Nodes int
	// NodeProcess is the name of a test in the calling package whose only
	// statement is bustest.RunNodeProcess(t). When set, every node runs in
	// a child process (the test binary re-executed to run that test), so
	// Kill can stop one with SIGKILL like a crashed machine: no leader
	// hand-off, elections after a timeout. Server then returns nil.
	// Default: "" (nodes in the test process).
	NodeProcess string
}

// NewCluster starts an n-node in-process cluster (n >= 1; use 3 for
// replicas 3), named n1..nN, and waits until JetStream has a meta leader
// that every node follows. The cluster is shut down when the test ends.
func NewCluster(tb testing.TB, n int) *Cluster {
	tb.Helper()
	return NewClusterWith(tb, ClusterOptions{Nodes: n})
}

// NewClusterWith starts a cluster configured by o, like NewCluster.
func NewClusterWith(tb testing.TB, o ClusterOptions) *Cluster {
	tb.Helper()
	n := o.Nodes
	if n == 0 {
		n = 3
	}
	if n < 1 {
		tb.Fatalf("bustest: cluster of %d nodes", n)
	}
	ports := freePorts(tb, 2*n)
	var routes []string
	for i := range n {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", ports[n+i]))
	}
	c := &Cluster{tb: tb, process: o.NodeProcess}
	for i := range n {
		c.opts = append(c.opts, nodeOptions(nodeConfig{
			Name: fmt.Sprintf("n%d", i+1), Port: ports[i], ClusterPort: ports[n+i],
			StoreDir: tb.TempDir(), Routes: routes,
		}))
	}
	c.servers = make([]*server.Server, n)
	c.procs = make([]*exec.Cmd, n)
	c.exited = make([]chan struct{}, n)
	tb.Cleanup(c.shutdown)
	for i := range n {
		if err := c.start(i); err != nil {
			tb.Fatal(err)
		}
	}
	c.WaitReady(60 * time.Second)
	return c
}

// nodeConfig is what a node needs; a process node gets it as JSON in
// the environment variable NodeProcessEnv.
type nodeConfig struct {
	Name        string   `json:"name"`
	Port        int      `json:"port"`
	ClusterPort int      `json:"cluster_port"`
	StoreDir    string   `json:"store_dir"`
	Routes      []string `json:"routes"`
}

func nodeOptions(nc nodeConfig) *server.Options {
	return &server.Options{
		ServerName: nc.Name,
		Host:       "127.0.0.1",
		Port:       nc.Port,
		JetStream:  true,
		StoreDir:   nc.StoreDir,
		Cluster: server.ClusterOpts{
			Name: ClusterName,
			Host: "127.0.0.1",
			Port: nc.ClusterPort,
		},
		Routes:     server.RoutesFromStr(strings.Join(nc.Routes, ",")),
		NoSigs:     true,
		NoLog:      true,
		MaxPayload: 8 << 20,
	}
}

// NodeProcessEnv is the environment variable that tells a re-executed
// test binary which node to run (see RunNodeProcess).
const NodeProcessEnv = "NEWSWIRE_BUSTEST_NODE"

// RunNodeProcess runs one cluster node in a child process started by a
// Cluster with ClusterOptions.NodeProcess, until the node is killed, gets
// SIGTERM (a graceful shutdown) or the parent test process exits. Outside
// such a child it skips the test. Call it as the only statement of the
// test named in NodeProcess.
func RunNodeProcess(t *testing.T) {
	raw := os.Getenv(NodeProcessEnv)
	if raw == "" {
		t.Skip("helper process for bustest.Cluster nodes")
	}
	var nc nodeConfig
	if err := json.Unmarshal([]byte(raw), &nc); err != nil {
		t.Fatalf("bustest node: %v", err)
	}
	s, err := server.NewServer(nodeOptions(nc))
	if err != nil {
		t.Fatalf("bustest node %s: %v", nc.Name, err)
	}
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM, syscall.SIGINT)
	go s.Start()
	parent := os.Getppid()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-term:
			bus.Shutdown(s)
			return
		case <-tick.C:
			if os.Getppid() != parent { // orphaned: the test is gone
				bus.Shutdown(s)
				return
			}
		}
	}
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
	if c.servers[i] != nil || c.procs[i] != nil {
		return fmt.Errorf("bustest: node %s already running", c.opts[i].ServerName)
	}
	if c.process != "" {
		return c.startProcess(i)
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

// startProcess starts node i as a child process and waits until it
// accepts TCP connections. c.mu is held.
func (c *Cluster) startProcess(i int) error {
	o := c.opts[i]
	var routes []string
	for _, u := range o.Routes {
		routes = append(routes, u.String())
	}
	cfg, err := json.Marshal(nodeConfig{Name: o.ServerName, Port: o.Port, ClusterPort: o.Cluster.Port, StoreDir: o.StoreDir, Routes: routes})
	if err != nil {
		return err
	}
	cmd := exec.Command(os.Args[0], "-test.run=^"+c.process+"$", "-test.count=1", "-test.timeout=0")
	cmd.Env = append(os.Environ(), NodeProcessEnv+"="+string(cfg))
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("bustest: node %s: %w", o.ServerName, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	deadline := time.Now().Add(30 * time.Second)
	addr := net.JoinHostPort(o.Host, strconv.Itoa(o.Port))
	for {
		conn, err := net.DialTimeout("tcp", addr, time.Second)
		if err == nil {
			conn.Close()
			break
		}
		select {
		case <-exited:
			return fmt.Errorf("bustest: node %s exited at start-up: %v", o.ServerName, cmd.ProcessState)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("bustest: node %s not listening on %s", o.ServerName, addr)
		}
	}
	c.procs[i] = cmd
	c.exited[i] = exited
	return nil
}

func (c *Cluster) shutdown() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctl != nil {
		c.ctl.Close()
	}
	for i, s := range c.servers {
		if s != nil {
			bus.Shutdown(s)
			c.servers[i] = nil
		}
	}
	for i, p := range c.procs {
		if p != nil {
			_ = p.Process.Kill()
			<-c.exited[i]
			c.procs[i] = nil
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

// Server is node i's server, nil while it is stopped or when nodes run
// as processes.
func (c *Cluster) Server(i int) *server.Server {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.servers[i]
}

// Stop shuts node i down gracefully (it hands off the raft groups it leads)
// and waits for it, keeping its store for Restart.
func (c *Cluster) Stop(i int) {
	c.tb.Helper()
	c.halt(i, syscall.SIGTERM)
}

// Kill stops process node i with SIGKILL, like a crashed machine: the
// raft groups it led elect a new leader only after their election
// timeout. Its store is kept for Restart. It needs NodeProcess.
func (c *Cluster) Kill(i int) {
	c.tb.Helper()
	if c.process == "" {
		c.tb.Fatal("bustest: Kill needs ClusterOptions.NodeProcess")
	}
	c.halt(i, syscall.SIGKILL)
}

func (c *Cluster) halt(i int, sig syscall.Signal) {
	c.tb.Helper()
	c.mu.Lock()
	s, p, exited := c.servers[i], c.procs[i], c.exited[i]
	c.servers[i], c.procs[i] = nil, nil
	c.mu.Unlock()
	switch {
	case s != nil:
		bus.Shutdown(s)
	case p != nil:
		_ = p.Process.Signal(sig)
		select {
		case <-exited:
		case <-time.After(30 * time.Second):
			_ = p.Process.Kill()
			<-exited
			c.tb.Errorf("bustest: node %s did not exit within 30s of %s", c.Name(i), sig)
		}
	default:
		c.tb.Fatalf("bustest: node %s is not running", c.Name(i))
	}
}

// Restart starts a stopped node i again with the same ports and store, so
// it rejoins the cluster as the same JetStream peer and catches up, and
// waits until every node is current with the meta leader.
func (c *Cluster) Restart(i int) {
	c.tb.Helper()
	if err := c.start(i); err != nil {
		c.tb.Fatal(err)
	}
	c.WaitReady(60 * time.Second)
}

// WaitReady waits up to total until the running nodes are routed to each
// other, one of them is the JetStream meta leader and all are current
// with it; it fails the test otherwise.
func (c *Cluster) WaitReady(total time.Duration) {
	c.tb.Helper()
	CheckFor(c.tb, total, 50*time.Millisecond, c.ready)
}

func (c *Cluster) ready() error {
	if c.process != "" {
		return c.readyProcesses()
	}
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

// readyProcesses checks process nodes from the outside: each running node
// knows the other running ones and answers a JetStream API request, which
// needs a meta leader.
func (c *Cluster) readyProcesses() error {
	c.mu.Lock()
	var running []int
	for i, p := range c.procs {
		if p != nil {
			running = append(running, i)
		}
	}
	c.mu.Unlock()
	for _, i := range running {
		nc, err := nats.Connect(c.URL(i), nats.Timeout(time.Second), nats.NoReconnect())
		if err != nil {
			return fmt.Errorf("node %s: %w", c.Name(i), err)
		}
		err = func() error {
			defer nc.Close()
			if got := len(nc.DiscoveredServers()); got < len(running)-1 {
				return fmt.Errorf("node %s knows %d other nodes, want %d", c.Name(i), got, len(running)-1)
			}
			js, err := jetstream.New(nc)
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			defer cancel()
			if _, err := js.AccountInfo(ctx); err != nil {
				return fmt.Errorf("node %s: jetstream: %w", c.Name(i), err)
			}
			return nil
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// control is a connection to the cluster for leader queries in process
// mode, opened on first use.
func (c *Cluster) control() (jetstream.JetStream, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctl == nil {
		nc, err := nats.Connect(c.URLs(), nats.MaxReconnects(-1), nats.ReconnectWait(50*time.Millisecond), nats.Timeout(time.Second))
		if err != nil {
			return nil, err
		}
		c.ctl = nc
	}
	return jetstream.New(c.ctl)
}

// leaderOf is the index of the node named by a stream's or consumer's
// cluster info, or -1.
func (c *Cluster) leaderOf(ci *jetstream.ClusterInfo) int {
	if ci == nil || ci.Leader == "" {
		return -1
	}
	return c.Index(ci.Leader)
}

// remoteLeader asks the cluster, over the control connection, for the
// cluster info get reads, and returns the index of its leader, or -1.
func (c *Cluster) remoteLeader(get func(context.Context, jetstream.JetStream) (*jetstream.ClusterInfo, error)) int {
	js, err := c.control()
	if err != nil {
		return -1
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	ci, err := get(ctx, js)
	if err != nil {
		return -1
	}
	return c.leaderOf(ci)
}

// StreamLeader is the index of the node leading stream (in the default
// account), or -1 while it has none.
func (c *Cluster) StreamLeader(stream string) int {
	if c.process != "" {
		return c.remoteLeader(func(ctx context.Context, js jetstream.JetStream) (*jetstream.ClusterInfo, error) {
			s, err := js.Stream(ctx, stream)
			if err != nil {
				return nil, err
			}
			info, err := s.Info(ctx)
			if err != nil {
				return nil, err
			}
			return info.Cluster, nil
		})
	}
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
	if c.process != "" {
		return c.remoteLeader(func(ctx context.Context, js jetstream.JetStream) (*jetstream.ClusterInfo, error) {
			cons, err := js.Consumer(ctx, stream, durable)
			if err != nil {
				return nil, err
			}
			info, err := cons.Info(ctx)
			if err != nil {
				return nil, err
			}
			return info.Cluster, nil
		})
	}
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
