package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/newswire/newswire/pipeline/bus"
)

// WatchAckWait is how long Watch's consumer waits for fn before redelivering.
const WatchAckWait = 30 * time.Second

// Watch consumes alerts of the named rules (all rules when rules is empty)
// from the alerts stream and calls fn for each, in order, until ctx ends.
//
// With durable != "", the position is kept in a durable consumer of that
// name: a watcher that restarts with the same name resumes after the last
// alert fn accepted, replaying what it missed (a new durable starts from the
// oldest alert kept). With durable == "", Watch sees only alerts published
// after it starts. An fn error is not fatal: the alert is redelivered a
// second later, and alerts after it wait (delivery is one at a time, in
// order). Messages that are not alerts are terminated without calling fn.
// Watch returns nil when ctx ends.
func Watch(ctx context.Context, conn *bus.Conn, rules []string, durable string, fn func(Alert) error) error {
	cons, err := watchConsumer(ctx, conn, rules, durable)
	if err != nil {
		return err
	}
	it, err := cons.Messages(jetstream.PullMaxMessages(64))
	if err != nil {
		return fmt.Errorf("watch alerts: %w", err)
	}
	stop := context.AfterFunc(ctx, it.Stop)
	defer stop()
	defer it.Stop()
	for {
		msg, err := it.Next()
		if errors.Is(err, jetstream.ErrMsgIteratorClosed) || ctx.Err() != nil {
			if msg != nil {
				_ = msg.Nak()
			}
			return nil
		}
		if err != nil {
			return fmt.Errorf("watch alerts: %w", err)
		}
		var a Alert
		if err := json.Unmarshal(msg.Data(), &a); err != nil {
			_ = msg.TermWithReason("undecodable alert: " + err.Error())
			continue
		}
		if err := fn(a); err != nil {
			_ = msg.NakWithDelay(time.Second)
			continue
		}
		if err := msg.DoubleAck(ctx); err != nil && ctx.Err() == nil {
			return fmt.Errorf("watch alerts: ack: %w", err)
		}
	}
}

func watchConsumer(ctx context.Context, conn *bus.Conn, rules []string, durable string) (jetstream.Consumer, error) {
	if conn == nil || conn.JS == nil {
		return nil, errors.New("watch alerts: no bus connection")
	}
	subjects := []string{bus.SubjectAlertPrefix + ">"}
	if len(rules) > 0 {
		subjects = subjects[:0]
		for _, r := range rules {
			subjects = append(subjects, bus.AlertSubject(r))
		}
	}
	cfg := jetstream.ConsumerConfig{
		AckPolicy:      jetstream.AckExplicitPolicy,
		AckWait:        WatchAckWait,
		FilterSubjects: subjects,
		MaxAckPending:  1, // in order, one at a time
	}
	if len(subjects) == 1 {
		cfg.FilterSubject, cfg.FilterSubjects = subjects[0], nil
	}
	if durable == "" {
		cfg.DeliverPolicy = jetstream.DeliverNewPolicy
		cfg.InactiveThreshold = time.Minute
	} else {
		cfg.Durable = durable
		cfg.DeliverPolicy = jetstream.DeliverAllPolicy
		cfg.Description = "newswire alerts watch " + strings.Join(rules, " ")
	}
	cons, err := conn.JS.CreateOrUpdateConsumer(ctx, bus.StreamAlerts, cfg)
	if err != nil {
		return nil, fmt.Errorf("watch alerts: consumer %q: %w", durable, err)
	}
	return cons, nil
}

// Format writes a readable rendering of an alert for a terminal.
func Format(w io.Writer, a Alert) error {
	var b strings.Builder
	head := "ALERT"
	if a.Update {
		head = "UPDATE"
	}
	when := a.Alerted
	if a.Published != nil {
		when = *a.Published
	}
	fmt.Fprintf(&b, "%s [%s] %s  (%s)\n", head, a.Rule, a.Title, a.AlertID)
	fmt.Fprintf(&b, "  %s  %s  %s\n", when.UTC().Format("2006-01-02 15:04Z"), a.Source, a.URL)
	if inc := a.Incident; inc != nil {
		fmt.Fprintf(&b, "  incident: %s", inc.Family)
		if inc.Place != "" {
			fmt.Fprintf(&b, " in %s", inc.Place)
		}
		if inc.CountryCode != "" {
			fmt.Fprintf(&b, " (%s)", inc.CountryCode)
		}
		if inc.Date != "" {
			fmt.Fprintf(&b, " on %s", inc.Date)
		}
		if inc.Killed != nil {
			fmt.Fprintf(&b, ", killed %d", *inc.Killed)
		}
		if inc.Injured != nil {
			fmt.Fprintf(&b, ", injured %d", *inc.Injured)
		}
		b.WriteString("\n")
	}
	for _, c := range a.Changes {
		fmt.Fprintf(&b, "  * %s\n", c)
	}
	for _, r := range a.Reasons {
		fmt.Fprintf(&b, "  - %s\n", r)
	}
	if len(a.Sources) > 0 {
		fmt.Fprintf(&b, "  sources (%d articles): %s\n", a.Articles, strings.Join(a.Sources, ", "))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
