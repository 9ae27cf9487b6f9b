package app

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index/bleve"
	"github.com/newswire/newswire/pipeline/search"
)

// incidentDocs are two outlets' reports, written for this test, of one
// ferry-terminal bombing in Porto Vale with different tolls, and an
// unrelated arrest.
func incidentDocs() []*article.Enriched {
	s := func(v string) *string { return &v }
	n := func(v int) *int { return &v }
	mk := func(id, host, pub, title string, e article.Event) *article.Enriched {
		p, _ := time.Parse(time.RFC3339, pub)
		u := "https://" + host + "/" + id
		text := title + "."
		return &article.Enriched{Article: article.Article{SchemaVersion: article.SchemaVersion, ID: id, URL: u, CanonicalURL: u,
			Source: host, Title: title, Text: text, Language: "en", Published: &p, Fetched: p, ContentHash: article.HashText(text)},
			Events: []article.Event{e}}
	}
	bomb := func(killed int, text, ev string) article.Event {
		return article.Event{Type: article.EventBombing, Date: s("2024-06-01"), Place: s("Porto Vale"), CountryCode: s("PT"),
			Killed: n(killed), KilledDetail: &article.Count{Value: killed, Text: text}, Status: "carried_out", Evidence: ev}
	}
	return []*article.Enriched{
		mk("p1", "harbour-news.example", "2024-06-01T10:00:00Z", "Blast at Porto Vale ferry terminal", bomb(6, "six", "A blast killed six at the ferry terminal")),
		mk("p2", "coast-times.example", "2024-06-02T10:00:00Z", "Porto Vale terminal bombing: toll rises", bomb(9, "at least nine", "The bombing has killed at least nine")),
		mk("p3", "coast-times.example", "2024-06-03T10:00:00Z", "Police detain suspect in Lisbon",
			article.Event{Type: article.EventArrest, Date: s("2024-06-03"), Place: s("Lisbon"), CountryCode: s("PT"), Status: "carried_out", Evidence: "Police detained a suspect"}),
	}
}

func TestSearchIncidentsCommand(t *testing.T) {
	t.Setenv("NEWSWIRE_ES_URL", "")
	dir := t.TempDir()
	b, err := bleve.Open(filepath.Join(dir, "index"), bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Index(context.Background(), incidentDocs()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(search.NewHandler(b, nil, search.Options{}))
	defer srv.Close()

	run := func(t *testing.T, args ...string) (string, error) {
		t.Helper()
		cmd := NewRootCommand()
		var out bytes.Buffer
		cmd.SetOut(&out)
		cmd.SetErr(&out)
		cmd.SetArgs(args)
		err := cmd.ExecuteContext(context.Background())
		return out.String(), err
	}
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"server", []string{"search", "--incidents", "--server", srv.URL, "Porto"},
			[]string{"1 incidents from 2 event reports in 2 articles", "bombing", "Porto Vale, PT", "6-9", "p1-0", "harbour-news.example", "six", "coast-times.example", "at least nine"}},
		{"server, no query", []string{"search", "--incidents", "--server", srv.URL},
			[]string{"2 incidents from 3 event reports in 3 articles", "arrest", "p3-0", "p1-0"}},
		{"server, type filter", []string{"search", "--incidents", "--server", srv.URL, "--type", "arrest"},
			[]string{"1 incidents from 1 event reports in 1 articles", "Lisbon"}},
		{"server, date filter", []string{"search", "--incidents", "--server", srv.URL, "--since", "2024-06-02", "--until", "2024-06-02"},
			[]string{"1 incidents from 1 event reports in 1 articles", "p2-0", "at least nine"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := run(t, tt.args...)
			if err != nil {
				t.Fatalf("%v\n%s", err, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
		})
	}
	t.Run("bad type", func(t *testing.T) {
		if _, err := run(t, "search", "--incidents", "--server", srv.URL, "--type", "parade"); err == nil || !strings.Contains(err.Error(), "unknown event type") {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("no query without incidents", func(t *testing.T) {
		if _, err := run(t, "search", "--server", srv.URL); err == nil {
			t.Error("search without a query succeeded")
		}
	})

	// Without a server, the index is read directly (Bleve holds a lock, so
	// close the server's handle first).
	srv.Close()
	if err := b.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Run("index directly, JSON", func(t *testing.T) {
		out, err := run(t, "search", "--incidents", "--server", "", "--data", dir, "--json", "Porto")
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		var res search.IncidentResult
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatalf("output is not JSON: %v\n%s", err, out)
		}
		if len(res.Incidents) != 1 || len(res.Incidents[0].Reports) != 2 || *res.Incidents[0].KilledMin != 6 || *res.Incidents[0].KilledMax != 9 {
			t.Errorf("incidents = %+v", res.Incidents)
		}
	})
}
