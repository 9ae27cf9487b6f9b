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

// WriteIncidents writes res as a plain-text table for the terminal: one row
// per incident with its type, dates, place and toll range, and under it one
// row per report with the outlet's own figures.
func WriteIncidents(w io.Writer, res *IncidentResult) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%d incidents from %d event reports in %d articles", res.IncidentsTotal, res.Reports, res.Articles)
	if res.Capped {
		fmt.Fprintf(tw, " (the newest %d of %d matching articles)", res.Articles, res.Total)
	}
	if len(res.Incidents) < res.IncidentsTotal {
		fmt.Fprintf(tw, "; the latest %d shown", len(res.Incidents))
	}
	fmt.Fprintln(tw)
	if len(res.Incidents) == 0 {
		return flush(tw)
	}
	fmt.Fprintln(tw, "\nLATEST\tTYPE\tDATE\tPLACE\tKILLED\tINJURED\tREPORTS\tID")
	for _, inc := range res.Incidents {
		latest := "-"
		if inc.Latest != nil {
			latest = inc.Latest.UTC().Format("2006-01-02")
		}
		place := deref(inc.Place)
		if inc.CountryCode != nil && *inc.CountryCode != "" {
			place += ", " + *inc.CountryCode
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\t%s\n", latest, inc.Type, deref(inc.Date), clip(place, 30),
			span(inc.KilledMin, inc.KilledMax), span(inc.InjuredMin, inc.InjuredMax), len(inc.Reports), inc.ID)
		for _, r := range inc.Reports {
			pub := "-"
			if r.Published != nil {
				pub = r.Published.UTC().Format("2006-01-02")
			}
			fmt.Fprintf(tw, "  %s\t%s\t%s\t\t%s\t%s\t\t%s\n", pub, clip(r.Outlet, 24), deref(r.Date),
				figure(r.Killed, r.KilledText), figure(r.Injured, r.InjuredText), clip(r.Title, 50))
		}
	}
	return flush(tw)
}

func flush(tw *tabwriter.Writer) error {
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("write table: %w", err)
	}
	return nil
}

// span is "12-19", "12" or "-".
func span(lo, hi *int) string {
	switch {
	case lo == nil || hi == nil:
		return "-"
	case *lo == *hi:
		return fmt.Sprint(*lo)
	}
	return fmt.Sprintf("%d-%d", *lo, *hi)
}

// figure is an outlet's words for a toll ("at least 19"), else its number.
func figure(n *int, text string) string {
	if text != "" {
		return clip(text, 20)
	}
	return num(n)
}
