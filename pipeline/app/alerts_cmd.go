package app

import (
	"encoding/json"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/newswire/newswire/pipeline/alert"
)

func alertsCmd(o *Options) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alerts",
		Short: "Watch alerts and manage alert rules",
	}
	cmd.AddCommand(alertsWatchCmd(o))
	cmd.AddCommand(alertsRuleCmds(o)...)
	return cmd
}

func alertsWatchCmd(o *Options) *cobra.Command {
	var asJSON bool
	var durable string
	cmd := &cobra.Command{
		Use:   "watch [RULE...]",
		Short: "Print alerts as they come (all rules, or the named ones)",
		Long: `Subscribes to newswire.alerts.<rule> and prints each alert readably, or as
JSON Lines with --json. With --durable NAME the position is kept on the server:
a watcher restarted with the same name replays what it missed.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			env, err := openEnv(ctx, *o, newLogger(o, cmd.ErrOrStderr()))
			if err != nil {
				return err
			}
			defer env.Close()
			out := cmd.OutOrStdout()
			enc := json.NewEncoder(out)
			err = alert.Watch(ctx, env.Conn, args, durable, func(a alert.Alert) error {
				if asJSON {
					return enc.Encode(a)
				}
				if err := alert.Format(out, a); err != nil {
					return err
				}
				_, err := fmt.Fprintln(out)
				return err
			})
			if ctx.Err() != nil {
				return nil
			}
			return err
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print alerts as JSON Lines")
	cmd.Flags().StringVar(&durable, "durable", "", "durable consumer name: resume where this watcher left off")
	return cmd
}
