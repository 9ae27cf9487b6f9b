// Command newswire is the news-intelligence pipeline: one binary with a
// subcommand per stage. See `newswire --help` and README.md.
package main

import (
	"os"

	"github.com/newswire/newswire/pipeline/app"
)

func main() { os.Exit(app.Main()) }
