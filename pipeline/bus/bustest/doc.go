// Package bustest starts NATS servers with JetStream for tests: a single
// in-process server with newswire's streams, or a cluster whose nodes can
// be stopped, killed and restarted.
//
//	conn := bustest.NewTestConn(t) // one server, streams created
//
//	cl := bustest.NewCluster(t, 3) // three in-process nodes
//	conn := cl.Connect(t)          // bus.Connect with every node's URL
//	err := conn.EnsureStreams(ctx, bus.StreamOptions{Replicas: 3})
//	leader := cl.StreamLeader(bus.StreamRaw)
//	cl.Stop(leader)    // graceful: leaderships are handed off
//	cl.Restart(leader) // same ports and store: it rejoins and catches up
//
// To crash a node, run the nodes as child processes: add a test that only
// calls RunNodeProcess and name it in ClusterOptions.NodeProcess.
//
//	func TestNATSNodeProcess(t *testing.T) { bustest.RunNodeProcess(t) }
//
//	cl := bustest.NewClusterWith(t, bustest.ClusterOptions{NodeProcess: "TestNATSNodeProcess"})
//	cl.Kill(cl.StreamLeader(bus.StreamRaw)) // SIGKILL: an election after a timeout
//
// Poll for conditions with CheckFor, never sleep.
package bustest
