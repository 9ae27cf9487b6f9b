package search_test

import (
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/index/bleve"
	"github.com/newswire/newswire/pipeline/index/indextest"
	"github.com/newswire/newswire/pipeline/search"
)

// incidentArticles are articles written for these tests (not from any
// publication): three outlets report one market bombing in Ruritown with
// different tolls, one reports an unrelated arrest in Berlin, and one an
// older shooting in the same city.
func incidentArticles() []*article.Enriched {
	f := func(v float64) *float64 { return &v }
	n := func(v int) *int { return &v }
	s := func(v string) *string { return &v }
	mk := func(id, host, pub, title, text string, places []article.Place, evs ...article.Event) *article.Enriched {
		p, err := time.Parse(time.RFC3339, pub)
		if err != nil {
			panic(err)
		}
		u := "https://www." + host + "/news/" + id
		return &article.Enriched{Article: article.Article{SchemaVersion: article.SchemaVersion, ID: id, URL: u, CanonicalURL: u,
			Source: host, Title: title, Text: text, Language: "en", Published: &p, Fetched: p, ContentHash: article.HashText(text)},
			Places: places, Events: evs}
	}
	ruritown := article.Place{ID: "geo:ruritown", Name: "Ruritown", Kind: "city", CountryCode: "RU", Lat: f(48.1), Lon: f(20.2), Within: []string{"Ruritania", "Europe"}, Mentions: 1}
	berlin := article.Place{ID: "geo:berlin", Name: "Berlin", Kind: "city", CountryCode: "DE", Lat: f(52.52), Lon: f(13.40), Within: []string{"Germany", "Europe"}, Mentions: 1}
	bomb := func(date string, killed int, text string, injured *int, ev string) article.Event {
		return article.Event{Type: article.EventBombing, Date: s(date), Place: s("Ruritown"), CountryCode: s("RU"), Lat: f(48.1), Lon: f(20.2),
			Killed: n(killed), KilledDetail: &article.Count{Value: killed, Qualifier: "at_least", Text: text}, Injured: injured,
			Perpetrators: []string{}, Targets: []string{"a market"}, Status: "carried_out", Evidence: ev, Confidence: 0.8}
	}
	return []*article.Enriched{
		mk("i1", "first-wire.example", "2024-05-02T08:00:00Z", "Bomb tears through Ruritown market",
			"A bomb exploded in the Ruritown market on Thursday, killing at least 12 people, police said.",
			[]article.Place{ruritown}, bomb("2024-05-02", 12, "at least 12", nil, "A bomb exploded in the Ruritown market on Thursday, killing at least 12 people")),
		mk("i2", "second-post.example", "2024-05-03T09:00:00Z", "Ruritown market bombing toll rises",
			"The toll from Thursday's bombing at the Ruritown market rose to at least 19 dead and 40 wounded, officials said on Friday.",
			[]article.Place{ruritown}, bomb("2024-05-02", 19, "at least 19", n(40), "The toll from Thursday's bombing at the Ruritown market rose to at least 19 dead")),
		mk("i3", "third-daily.example", "2024-05-04T10:00:00Z", "Mourners bury victims of Ruritown blast",
			"Families buried victims of the market bombing in Ruritown, which killed 17 people according to the health ministry.",
			[]article.Place{ruritown}, bomb("2024-05", 17, "17", nil, "the market bombing in Ruritown, which killed 17 people")),
		mk("i4", "first-wire.example", "2024-05-05T11:00:00Z", "Police in Berlin arrest two suspects",
			"Police in Berlin arrested two men on Sunday over a planned attack, prosecutors said.",
			[]article.Place{berlin}, article.Event{Type: article.EventArrest, Date: s("2024-05-05"), Place: s("Berlin"), CountryCode: s("DE"),
				Lat: f(52.52), Lon: f(13.40), Perpetrators: []string{}, Targets: []string{"two men"}, Status: "carried_out",
				Evidence: "Police in Berlin arrested two men on Sunday", Confidence: 0.8}),
		mk("i5", "second-post.example", "2024-04-01T12:00:00Z", "Gunman opens fire in Ruritown",
			"A gunman opened fire outside a Ruritown cafe in late March, wounding three people.",
			[]article.Place{ruritown}, article.Event{Type: article.EventShooting, Date: s("2024-03-30"), Place: s("Ruritown"), CountryCode: s("RU"),
				Lat: f(48.1), Lon: f(20.2), Injured: n(3), Perpetrators: []string{"a gunman"}, Targets: []string{"a cafe"}, Status: "carried_out",
				Evidence: "A gunman opened fire outside a Ruritown cafe", Confidence: 0.8}),
		mk("i6", "third-daily.example", "2024-05-06T12:00:00Z", "Weather", "Rain is expected all week.", nil),
	}
}

func newIncidentServer(t *testing.T, opts search.Options) *httptest.Server {
	t.Helper()
	b, err := bleve.Open("", bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { b.Close(context.Background()) })
	docs := incidentArticles()
	perDoc, err := b.Index(context.Background(), docs)
	if err != nil {
		t.Fatal(err)
	}
	for i, err := range perDoc {
		if err != nil {
			t.Fatalf("index %s: %v", docs[i].ID, err)
		}
	}
	srv := httptest.NewServer(search.NewHandler(b, indextest.Resolver{}, opts))
	t.Cleanup(srv.Close)
	return srv
}

func TestIncidentsAPI(t *testing.T) {
	srv := newIncidentServer(t, search.Options{})
	ids := func(m map[string]any) string {
		var out []string
		for _, x := range m["incidents"].([]any) {
			out = append(out, x.(map[string]any)["id"].(string))
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		name, path string
		code       int
		check      func(t *testing.T, m map[string]any)
	}{
		{"all", "/api/incidents", 200, func(t *testing.T, m map[string]any) {
			// Newest report first: the arrest (May 5), the bombing (last
			// report May 4), the shooting (April 1).
			if got := ids(m); got != "i4-0,i1-0,i5-0" {
				t.Errorf("incidents = %s", got)
			}
			if m["total"].(float64) != 6 || m["articles"].(float64) != 6 || m["capped"] != false || m["reports"].(float64) != 5 || m["incidents_total"].(float64) != 3 {
				t.Errorf("counts = %v", m)
			}
			bomb := m["incidents"].([]any)[1].(map[string]any)
			if bomb["type"] != "bombing" || bomb["place"] != "Ruritown" || bomb["country_code"] != "RU" || bomb["date"] != "2024-05-02" ||
				bomb["date_min"] != "2024-05" || bomb["date_max"] != "2024-05-02" || bomb["status"] != "carried_out" {
				t.Errorf("bombing = %v", bomb)
			}
			if bomb["killed_min"].(float64) != 12 || bomb["killed_max"].(float64) != 19 || bomb["injured_min"].(float64) != 40 || bomb["injured_max"].(float64) != 40 {
				t.Errorf("bombing tolls = %v", bomb)
			}
			if bomb["latest"] != "2024-05-04T10:00:00Z" {
				t.Errorf("latest = %v", bomb["latest"])
			}
			var got []string
			for _, r := range bomb["reports"].([]any) {
				r := r.(map[string]any)
				got = append(got, r["outlet"].(string)+"="+r["killed_text"].(string))
				if r["url"] == "" || r["title"] == "" || r["evidence"] == "" || r["published"] == nil {
					t.Errorf("report lacks a field: %v", r)
				}
			}
			if strings.Join(got, ",") != "first-wire.example=at least 12,second-post.example=at least 19,third-daily.example=17" {
				t.Errorf("reports = %v", got)
			}
		}},
		{"query", "/api/incidents?q=market", 200, func(t *testing.T, m map[string]any) {
			if got := ids(m); got != "i1-0" {
				t.Errorf("incidents = %s", got)
			}
		}},
		{"type", "/api/incidents?type=shooting", 200, func(t *testing.T, m map[string]any) {
			if got := ids(m); got != "i5-0" {
				t.Errorf("incidents = %s", got)
			}
		}},
		{"place within", "/api/incidents?place=Germany", 200, func(t *testing.T, m map[string]any) {
			if got := ids(m); got != "i4-0" {
				t.Errorf("incidents = %s", got)
			}
		}},
		{"place name", "/api/incidents?place=Ruritown", 200, func(t *testing.T, m map[string]any) {
			if got := ids(m); got != "i1-0,i5-0" {
				t.Errorf("incidents = %s", got)
			}
		}},
		{"dates", "/api/incidents?from=2024-05-03&to=2024-05-04", 200, func(t *testing.T, m map[string]any) {
			// Only the later reports of the bombing: the ID follows the
			// earliest report read.
			if got := ids(m); got != "i2-0" {
				t.Errorf("incidents = %s", got)
			}
		}},
		{"limit", "/api/incidents?limit=1", 200, func(t *testing.T, m map[string]any) {
			if got := ids(m); got != "i4-0" || m["incidents_total"].(float64) != 3 {
				t.Errorf("incidents = %s of %v", got, m["incidents_total"])
			}
		}},
		{"bad limit", "/api/incidents?limit=0", 400, nil},
		{"huge limit", "/api/incidents?limit=100000", 400, nil},
		{"bad type", "/api/incidents?type=picnic", 400, func(t *testing.T, m map[string]any) {
			if !strings.Contains(m["error"].(string), "unknown event type") {
				t.Errorf("error = %v", m["error"])
			}
		}},
		{"bad date", "/api/incidents?from=May", 400, nil},
		{"bad query", "/api/incidents?q=(kabul", 400, nil},
		{"long place", "/api/incidents?place=" + strings.Repeat("x", 300), 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, m := get(t, srv.URL+tt.path, "")
			if code != tt.code {
				t.Fatalf("GET %s = %d %v, want %d", tt.path, code, m, tt.code)
			}
			if tt.check != nil {
				tt.check(t, m)
			}
		})
	}
	t.Run("capped", func(t *testing.T) {
		srv := newIncidentServer(t, search.Options{IncidentArticles: 2})
		_, m := get(t, srv.URL+"/api/incidents", "")
		// The two newest articles: the weather and the arrest.
		if m["articles"].(float64) != 2 || m["capped"] != true || ids(m) != "i4-0" {
			t.Errorf("body = %v", m)
		}
	})
	t.Run("token", func(t *testing.T) {
		srv := newIncidentServer(t, search.Options{Token: "s3cret"})
		if code, _ := get(t, srv.URL+"/api/incidents", ""); code != 401 {
			t.Errorf("without token = %d, want 401", code)
		}
		if code, _ := get(t, srv.URL+"/api/incidents", "s3cret"); code != 200 {
			t.Errorf("with token = %d, want 200", code)
		}
	})
}

func TestWriteIncidents(t *testing.T) {
	b, err := bleve.Open("", bleve.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close(context.Background())
	if _, err := b.Index(context.Background(), incidentArticles()); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		req   search.IncidentRequest
		want  []string
		avoid []string
	}{
		{"all", search.IncidentRequest{}, []string{
			"3 incidents from 5 event reports in 6 articles\n",
			"LATEST", "bombing", "Ruritown, RU", "12-19", "i1-0",
			"first-wire.example", "at least 12", "second-post.example", "at least 19", "third-daily.example",
		}, nil},
		{"limited and capped", search.IncidentRequest{Limit: 1, Articles: 3}, []string{
			"(the newest 3 of 6 matching articles); the latest 1 shown", "arrest",
		}, []string{"bombing"}},
		{"none", search.IncidentRequest{Query: "weather"}, []string{"0 incidents from 0 event reports in 1 articles\n"}, []string{"LATEST"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := search.FindIncidents(context.Background(), b, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			var sb strings.Builder
			if err := search.WriteIncidents(&sb, res); err != nil {
				t.Fatal(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(sb.String(), w) {
					t.Errorf("table lacks %q:\n%s", w, sb.String())
				}
			}
			for _, w := range tt.avoid {
				if strings.Contains(sb.String(), w) {
					t.Errorf("table has %q:\n%s", w, sb.String())
				}
			}
		})
	}
}

// BenchmarkFindIncidents measures one incidents request over an on-disk
// Bleve index of 2,000 generated articles: paging through the newest 1,000 matches, reading
// their events (the events view for the newest 500, Get for the rest) and
// linking them.
func BenchmarkFindIncidents(b *testing.B) {
	idx, err := bleve.Open(b.TempDir()+"/index", bleve.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer idx.Close(context.Background())
	docs := indextest.Generate(2000, 1)
	for i := 0; i < len(docs); i += 500 {
		if _, err := idx.Index(context.Background(), docs[i:min(i+500, len(docs))]); err != nil {
			b.Fatal(err)
		}
	}
	for _, tc := range []struct {
		name string
		req  search.IncidentRequest
	}{
		{"articles=1000", search.IncidentRequest{}},
		{"articles=1000,place", search.IncidentRequest{Place: "Europe"}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			var reports int
			for b.Loop() {
				res, err := search.FindIncidents(context.Background(), idx, tc.req)
				if err != nil {
					b.Fatal(err)
				}
				reports = res.Reports
			}
			b.ReportMetric(float64(reports), "reports")
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "requests/s")
		})
	}
}
