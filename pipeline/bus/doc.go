// Package bus is newswire's use of NATS JetStream: subject names, the
// streams behind them, the embedded server for single-machine mode and tests,
// and connecting to an external cluster.
//
//	srv, err := bus.StartEmbedded(ctx, bus.EmbeddedOptions{StoreDir: dir})
//	conn, err := bus.Connect(ctx, "", srv)   // "" with an embedded server
//	err = conn.EnsureStreams(ctx, bus.StreamOptions{})
//	_, err = conn.PublishJSON(ctx, bus.RawSubject("example.com"), a, jetstream.WithMsgID(a.ID))
package bus
