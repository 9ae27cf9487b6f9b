// Package dlq inspects and re-drives newswire's dead letters.
//
// Every stage (pipeline/stage) publishes a message it cannot process to
// newswire.dlq.<stage> in the NEWSWIRE_DLQ stream: the data is the original
// message, the reason and origin are in Newswire-* headers. This package
// lists them, shows one with its payload, and replays them to the subject
// they came from once the cause is fixed:
//
//	letters, err := dlq.List(ctx, conn, "extract", 100)
//	m, err := dlq.Show(ctx, conn, letters[0].Seq)
//	res, err := dlq.Replay(ctx, conn, dlq.Filter{Stage: "extract"})
//
// Replay publishes the original data and headers to the original subject
// with a new Nats-Msg-Id ("replay:<dead-letter seq>:<dead time>"), so the
// stream's duplicate window does not drop it, yet replaying the same dead
// letter twice within the window (say after a crash between the publish and
// the delete) publishes it once. The dead letter is deleted only after
// JetStream has acknowledged the republish: a failure leaves it in place.
//
// All functions are safe for concurrent use; they hold no state.
package dlq
