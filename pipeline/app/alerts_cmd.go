package app

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/newswire/newswire/pipeline/article"

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
			env, err := openEnvWith(ctx, *o, newLogger(o, cmd.ErrOrStderr()), false)
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

func alertsRuleCmds(o *Options) []*cobra.Command {
	var rulesFile string
	path := func() string {
		if rulesFile != "" {
			return rulesFile
		}
		o.fill()
		return (&stageFlags{}).rulesPath(o)
	}
	var r alert.Rule
	var ev alert.EventCondition
	add := &cobra.Command{
		Use:   "add NAME",
		Short: "Add a rule to the rules file (running alert workers pick it up)",
		Example: `  newswire alerts add isis-k-europe --group ISIS-K --place Europe --event attack --event foiled_plot
  newswire alerts add big-bombings --event bombing --event suicide_bombing --min-killed 10
  newswire alerts add analyst --query '"Nigel Inkster" OR person:Inkster'`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			rule := r
			rule.Name = args[0]
			if len(ev.Types)+len(ev.Status) > 0 || ev.MinKilled > 0 || ev.MinInjured > 0 || ev.Within != "" {
				e := ev
				rule.Events = &e
			}
			if err := ensureRulesFile(path()); err != nil {
				return err
			}
			if err := alert.AddRule(path(), rule); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "added rule %s to %s\n", rule.Name, path())
			return nil
		},
	}
	fs := add.Flags()
	fs.StringVar(&r.Description, "description", "", "what the rule watches for")
	fs.StringArrayVar(&r.People, "person", nil, "person name (repeatable; any of them)")
	fs.StringArrayVar(&r.Groups, "group", nil, "group name or alias (repeatable)")
	fs.StringArrayVar(&r.Places, "place", nil, "place; matches places inside it too (repeatable)")
	fs.StringArrayVar(&ev.Types, "event", nil, "event type (repeatable): "+joinTypes())
	fs.StringArrayVar(&ev.Status, "status", nil, "event status (repeatable): carried_out, failed, foiled, planned")
	fs.IntVar(&ev.MinKilled, "min-killed", 0, "at least this many killed")
	fs.IntVar(&ev.MinInjured, "min-injured", 0, "at least this many injured")
	fs.StringVar(&ev.Within, "within", "", "event date within this window of now (7d, 36h, 2w)")
	fs.StringVar(&r.Query, "query", "", "full-text query in the search syntax")
	fs.StringVar(&r.Webhook, "webhook", "", "POST this rule's alerts to a URL")

	list := &cobra.Command{
		Use:   "list",
		Short: "List the rules in the rules file",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			rules, err := alert.ListRules(path())
			if err != nil {
				return err
			}
			out := cmd.OutOrStdout()
			for _, r := range rules {
				fmt.Fprintf(out, "%-24s %s\n", r.Name, describeRule(r))
			}
			if len(rules) == 0 {
				fmt.Fprintf(out, "no rules in %s\n", path())
			}
			return nil
		},
	}
	rm := &cobra.Command{
		Use:   "rm NAME",
		Short: "Remove a rule from the rules file",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := alert.RemoveRule(path(), args[0]); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "removed rule %s from %s\n", args[0], path())
			return nil
		},
	}
	for _, c := range []*cobra.Command{add, list, rm} {
		c.Flags().StringVar(&rulesFile, "rules", "", "rules file (default DATA/rules.yaml)")
	}
	return []*cobra.Command{add, list, rm}
}

func joinTypes() string { return strings.Join(article.EventTypes, ", ") }

// describeRule renders a rule's conditions on one line.
func describeRule(r alert.Rule) string {
	var parts []string
	add := func(label string, vs []string) {
		if len(vs) > 0 {
			parts = append(parts, label+"="+strings.Join(vs, "|"))
		}
	}
	add("people", r.People)
	add("groups", r.Groups)
	add("places", r.Places)
	if e := r.Events; e != nil {
		add("events", e.Types)
		add("status", e.Status)
		if e.MinKilled > 0 {
			parts = append(parts, fmt.Sprintf("killed>=%d", e.MinKilled))
		}
		if e.MinInjured > 0 {
			parts = append(parts, fmt.Sprintf("injured>=%d", e.MinInjured))
		}
		if e.Within != "" {
			parts = append(parts, "within="+e.Within)
		}
	}
	if r.Query != "" {
		parts = append(parts, "query="+r.Query)
	}
	if r.Description != "" {
		parts = append(parts, "# "+r.Description)
	}
	return strings.Join(parts, " ")
}
