// Package stage runs one pipeline stage against a JetStream durable consumer
// with the same ack policy everywhere:
//
//   - a handler returning nil acks the message (after its effect is durable)
//     and waits for the server to confirm the ack, retrying through a
//     broker failover (bus.Retry), so a lost ack does not redo the work;
//   - an error wrapping ErrPermanent (or article.ErrInvalid / ErrSchema)
//     sends the message to the stage's dead-letter subject with the reason,
//     then terminates it;
//   - any other error naks with the next backoff delay, until MaxDeliver
//     deliveries, after which the message is dead-lettered too.
//
// Nothing is dropped silently: if the dead letter cannot be published, the
// message is nak'ed and comes back.
//
//	r, err := stage.New(conn, stage.Config{Name: "extract", Stream: bus.StreamRaw}, log, reg)
//	err = r.Run(ctx, func(ctx context.Context, m jetstream.Msg) error { ... })
//
// Long handlers are kept alive with InProgress every AckWait/3. Run keeps one
// long-lived pull open; if it waits StallAfter for a message while the
// consumer has undelivered ones (the node that served the pull died in a
// broker failover), it pulls again.
//
// Every line the Runner logs about a message carries the attributes
// Config.LogAttrs derives from it (by default ArticleAttrs: article_id from
// the Newswire-Article-Id header or the JSON "id", and url). Handlers get a
// logger with the same attributes from the context:
//
//	func handle(ctx context.Context, m jetstream.Msg) error {
//		stage.Logger(ctx).Info("indexed") // ... article_id=... url=...
//		return nil
//	}
package stage
