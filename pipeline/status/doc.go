// Package status reports how far each newswire stage has got: per durable
// consumer on the newswire streams, the lag (messages not yet delivered),
// messages in flight and redelivered, the rate at which messages are
// settled, and the dead letters of the stage; plus the size of each stream.
//
//	prev, err := status.Collect(ctx, conn, nil)
//	// ... an interval later
//	cur, err := status.Collect(ctx, conn, prev) // AckRate over the interval
//	err = status.WriteTable(os.Stdout, cur)
//
// It only reads: it creates no stream and no durable consumer, so it is
// safe to point at a production cluster. Collect is safe for concurrent use.
package status
