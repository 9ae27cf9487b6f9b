package app

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// Main runs the newswire command line and returns the exit code.
func Main() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := NewRootCommand().ExecuteContext(ctx); err != nil {
		return 1
	}
	return 0
}

// NewRootCommand builds the newswire command tree.
func NewRootCommand() *cobra.Command {
	o := &Options{}
	root := &cobra.Command{
		Use:   "newswire",
		Short: "Crawl news, extract who, which groups, where and what happened, search it and alert on it",
		Long: `newswire is a news-intelligence pipeline: crawl workers fetch articles, extract
workers find people, groups, places and events, index workers make them
searchable, and alert workers tell subscribers when a watched group or kind of
event appears. Stages talk over NATS JetStream; by default an embedded server
and an embedded Bleve index keep everything under --data.`,
		SilenceUsage: true,
	}
	pf := root.PersistentFlags()
	pf.StringVar(&o.DataDir, "data", "newswire-data", "data directory (embedded NATS store, Bleve index, rules)")
	pf.StringVar(&o.NATS, "nats", "", "NATS server URL(s); empty runs an embedded server under --data")
	pf.StringVar(&o.Listen, "listen", "", "with the embedded server, also accept NATS clients on host:port")
	pf.IntVar(&o.Replicas, "replicas", 1, "stream replicas (3 on a NATS cluster)")
	pf.StringVar(&o.LogLevel, "log-level", "info", "log level: debug, info, warn, error")
	pf.BoolVar(&o.LogJSON, "log-json", false, "log JSON lines")

	root.AddCommand(
		versionCmd(),
		extractCmd(o),
		runCmd(o),
		crawlCmd(o),
		extractWorkerCmd(o),
		indexWorkerCmd(o),
		alertWorkerCmd(o),
		serveCmd(o),
		searchCmd(o),
		alertsCmd(o),
		demoCmd(o),
		dlqCmd(o),
		statusCmd(o),
	)
	return root
}
