package status

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"text/tabwriter"
	"time"
)

// WriteTable writes s as aligned tables for a terminal: the stages, the
// streams and dead letters of stages without a consumer.
func WriteTable(w io.Writer, s *Snapshot) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "STAGE\tSTREAM\tPENDING\tIN FLIGHT\tREDELIVERED\tWAITING\tACKED/S\tDEAD\tLAST DELIVERY\tSTATE\n")
	known := map[string]bool{}
	for _, st := range s.Stages {
		known[st.Name] = true
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%s\t%d\t%s\t%s\n",
			st.Name, st.Stream, st.Pending, st.InFlight, st.Redelivered, st.Waiting,
			rate(st.AckRate), st.DeadLetters, ago(s.Time, st.LastDelivery), st.Health())
	}
	var orphans []string
	for name, n := range s.DeadLetters {
		if !known[name] && n > 0 {
			orphans = append(orphans, name)
		}
	}
	sort.Strings(orphans)
	for _, name := range orphans {
		fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\t-\t%d\t-\t%s\n", name, s.DeadLetters[name], "no consumer")
	}
	if len(s.Stages) == 0 && len(orphans) == 0 {
		fmt.Fprintf(tw, "(no stage has started)\n")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "STREAM\tMESSAGES\tBYTES\tFIRST\tLAST\tCONSUMERS\n")
	for _, st := range s.Streams {
		if st.Missing {
			fmt.Fprintf(tw, "%s\t-\t-\t-\t-\t-\n", st.Name)
			continue
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%d\t%d\t%d\n", st.Name, st.Messages, bytes(st.Bytes), st.FirstSeq, st.LastSeq, st.Consumers)
	}
	return tw.Flush()
}

func rate(r *float64) string {
	if r == nil {
		return "-"
	}
	return strconv.FormatFloat(*r, 'f', 1, 64)
}

func ago(now time.Time, t *time.Time) string {
	if t == nil || t.IsZero() {
		return "-"
	}
	d := now.Sub(*t)
	if d < 0 {
		d = 0
	}
	return d.Round(time.Second).String() + " ago"
}

func bytes(n uint64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatUint(n, 10) + " B"
	}
	div, exp := uint64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
