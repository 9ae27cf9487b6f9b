// Package app is the newswire command line: one binary with a subcommand per
// stage (crawl, extract-worker, index-worker, alert-worker, serve), `run` for
// all stages in one process, and the tools around them (extract, search,
// alerts, demo, version).
//
// Every long-running command takes --nats URL (default: an embedded NATS
// server with JetStream under --data) and --data DIR. State lives in an Env
// built per command, never in package variables.
package app
