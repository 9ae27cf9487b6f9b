// Package alert turns standing questions into a stream of alerts.
//
// Rules live in a YAML file (see docs/alerts.md). Each rule combines entity
// conditions (people, groups, places; places match by containment, so
// "Europe" matches an event in Cologne), event conditions (types, status,
// minimum tolls, date window) and a full-text query; all present conditions
// must hold. A Worker evaluates each enriched article against the rules and
// publishes matches as JSON Alerts on newswire.alerts.<rule>, in the
// NEWSWIRE_ALERTS stream. The same incident reported by many outlets alerts
// once and then publishes follow-ups with the same alert ID; incident state
// lives in the JetStream key-value bucket StateBucket, shared by replicas.
//
//	rules, err := alert.NewReloader(ctx, "alerts.yaml", alert.Options{Resolver: kb}, log)
//	w, err := alert.NewWorker(conn, rules, log, prometheus.DefaultRegisterer)
//	// for each enriched article, from the stage runner:
//	err = w.Handle(ctx, enriched)
//
// Subscribers replay what they missed through a durable consumer:
//
//	err = alert.Watch(ctx, conn, []string{"isisk-europe"}, "analyst-1", func(a alert.Alert) error {
//		return alert.Format(os.Stdout, a)
//	})
package alert
