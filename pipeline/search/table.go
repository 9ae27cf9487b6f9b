package search

import (
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"unicode/utf8"

	"github.com/newswire/newswire/pipeline/index"
)

// WriteTable writes res as a plain-text table for the terminal: one row per
// hit with date, source, title and entities, then the facets and events when
// present.
func WriteTable(w io.Writer, res *index.Result) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%d matching articles\n\n", res.Total)
	fmt.Fprintln(tw, "PUBLISHED\tSOURCE\tTITLE\tGROUPS\tPLACES\tEVENTS\tID")
	for _, h := range res.Hits {
		date := "-"
		if h.Published != nil {
			date = h.Published.UTC().Format("2006-01-02")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", date, clip(h.Source, 24), clip(h.Title, 60),
			clip(strings.Join(h.Groups, ", "), 40), clip(strings.Join(h.Places, ", "), 30),
			strings.Join(h.EventTypes, ","), h.ID)
	}
	for _, name := range index.FacetNames() {
		vals, ok := res.Facets[name]
		if !ok || len(vals) == 0 {
			continue
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = fmt.Sprintf("%s (%d)", v.Value, v.Count)
		}
		fmt.Fprintf(tw, "\n%s:\t%s", name, strings.Join(parts, ", "))
	}
	if len(res.Facets) > 0 {
		fmt.Fprintln(tw)
	}
	if len(res.Events) > 0 {
		fmt.Fprintln(tw, "\nDATE\tTYPE\tPLACE\tKILLED\tINJURED\tARTICLE")
		for _, e := range res.Events {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", deref(e.Date), e.Type, deref(e.Place), num(e.Killed), num(e.Injured), clip(e.Title, 50))
		}
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}

func deref(s *string) string {
	if s == nil || *s == "" {
		return "-"
	}
	return *s
}

func num(n *int) string {
	if n == nil {
		return "-"
	}
	return fmt.Sprint(*n)
}
