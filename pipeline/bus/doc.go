// Package bus is newswire's use of NATS JetStream: subject names, the
// streams behind them, the embedded server for single-machine mode and tests,
// and connecting to an external cluster.
//
//	srv, err := bus.StartEmbedded(ctx, bus.EmbeddedOptions{StoreDir: dir})
//	conn, err := bus.Connect(ctx, "", srv, log) // "" with an embedded server
//	err = conn.EnsureStreams(ctx, bus.StreamOptions{})
//	_, err = conn.PublishJSON(ctx, bus.RawSubject("example.com"), a, jetstream.WithMsgID(a.ID))
//
// On a three-node cluster, connect with every node's URL and keep three
// replicas of each stream:
//
//	conn, err := bus.Connect(ctx, "nats://n1:4222,nats://n2:4222,nats://n3:4222", nil, log)
//	err = conn.EnsureStreams(ctx, bus.StreamOptions{Replicas: 3})
//
// When a node fails, its client reconnects to another (buffering what it
// publishes meanwhile) and the stream and consumer raft groups it led
// elect new leaders: at once after a graceful shutdown, after several
// seconds (the election timeout) after a crash. PublishMsg and PublishJSON
// retry through that window (see Retry and IsTransient); with a message ID
// a retried publish is stored once. pipeline/stage confirms its acks the
// same way. bustest.NewCluster runs such a cluster in tests.
package bus
