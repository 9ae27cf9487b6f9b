package dates

import (
	"testing"
	"time"
)

func TestFind(t *testing.T) {
	// Monday 25 March 2024.
	pub := time.Date(2024, 3, 25, 13, 10, 0, 0, time.UTC)
	jan := time.Date(2024, 1, 4, 9, 0, 0, 0, time.UTC)
	tests := []struct {
		name, text string
		ref        *time.Time
		value      string
		prec       Precision
		match      string
	}{
		{"dmy", "It happened on 3 January 2024 at noon.", nil, "2024-01-03", Day, "3 January 2024"},
		{"dmy ordinal of", "on the 3rd of January, 2024,", nil, "2024-01-03", Day, "3rd of January, 2024"},
		{"mdy", "On January 3, 2024, police said", nil, "2024-01-03", Day, "January 3, 2024"},
		{"abbrev", "since Jan. 3, 2024 the town", nil, "2024-01-03", Day, "Jan. 3, 2024"},
		{"iso", "filed 2024-01-03 by", nil, "2024-01-03", Day, "2024-01-03"},
		{"iso timestamp", "2024-03-25T13:10:07+00:00", nil, "2024-03-25", Day, "2024-03-25T13:10:07+00:00"},
		{"no year", "the blast on January 3 killed", &pub, "2024-01-03", Day, "January 3"},
		{"no year without ref", "the blast on January 3 killed", nil, "", "", ""},
		{"no year previous year", "the attack on December 28 was", &jan, "2023-12-28", Day, "December 28"},
		{"yesterday", "Police said yesterday that", &pub, "2024-03-24", Day, "yesterday"},
		{"today", "Officials today raised", &pub, "2024-03-25", Day, "today"},
		{"on weekday", "gunmen struck on Friday night in", &pub, "2024-03-22", Day, "on Friday night"},
		{"weekday same day", "said on Monday", &pub, "2024-03-25", Day, "on Monday"},
		{"last weekday", "raided last Monday", &pub, "2024-03-18", Day, "last Monday"},
		{"last week", "last week's attack", &pub, "2024-03", Month, "last week"},
		{"last week across months", "last week", &jan, "2023-12", Month, "last week"},
		{"this month", "arrested this month", &pub, "2024-03", Month, "this month"},
		{"last month", "arrested last month", &jan, "2023-12", Month, "last month"},
		{"last year", "bombed last year", &pub, "2023", Year, "last year"},
		{"in july last year", "stabbed in July last year", &pub, "2023-07", Month, "in July last year"},
		{"july last year", "stabbed July last year", &pub, "2023-07", Month, "July last year"},
		{"in july", "in July the group", &pub, "2023-07", Month, "in July"},
		{"in february", "in February the group", &pub, "2024-02", Month, "in February"},
		{"month year", "In March 2015, gunmen", nil, "2015-03", Month, "March 2015"},
		{"in year", "founded in 2015 by", nil, "2015", Year, "in 2015"},
		{"bare number no date", "killed 2015 people", nil, "", "", ""},
		{"new years eve", "on New Year's Eve a man", &jan, "2023-12-31", Day, "New Year's Eve"},
		{"new years eve curly", "on New Year’s Eve a man", &pub, "2023-12-31", Day, "New Year’s Eve"},
		{"christmas day", "on Christmas Day police", &pub, "2023-12-25", Day, "Christmas Day"},
		{"christmas market is no date", "a Christmas market in Berlin", &pub, "", "", ""},
		{"christmas with year", "Christmas 2016 market", nil, "2016-12-25", Day, "Christmas 2016"},
		{"days ago", "two days ago a bomb", &pub, "2024-03-23", Day, "two days ago"},
		{"months ago", "three months ago", &pub, "2023-12", Month, "three months ago"},
		{"may modal", "attacks may happen", &pub, "", "", ""},
		{"may day", "on May 5 a", &pub, "2023-05-05", Day, "May 5"},
		{"invalid day falls back to month", "on 31 February 2024", nil, "2024-02", Month, "February 2024"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Find(tc.text, tc.ref)
			if tc.value == "" {
				if len(got) != 0 {
					t.Fatalf("Find(%q) = %+v, want none", tc.text, got)
				}
				return
			}
			if len(got) != 1 {
				t.Fatalf("Find(%q) = %+v, want one", tc.text, got)
			}
			d := got[0]
			if d.Value != tc.value || d.Precision != tc.prec || d.Text != tc.match {
				t.Errorf("Find(%q) = %q %s %q, want %q %s %q", tc.text, d.Value, d.Precision, d.Text, tc.value, tc.prec, tc.match)
			}
			if tc.text[d.Start:d.End] != d.Text {
				t.Errorf("offsets %d:%d do not give %q", d.Start, d.End, d.Text)
			}
		})
	}
}

func TestFindSeveral(t *testing.T) {
	pub := time.Date(2024, 3, 25, 0, 0, 0, 0, time.UTC)
	got := Find("On Friday gunmen attacked; on 3 January 2024 a bomb; last year a raid.", &pub)
	want := []string{"2024-03-22", "2024-01-03", "2023"}
	if len(got) != len(want) {
		t.Fatalf("got %+v", got)
	}
	for i := range want {
		if got[i].Value != want[i] {
			t.Errorf("%d: got %s want %s", i, got[i].Value, want[i])
		}
	}
}

func TestParseAndCompatible(t *testing.T) {
	if d, ok := Parse(" 2024-01-03 ", nil); !ok || d.Value != "2024-01-03" {
		t.Errorf("Parse: %+v %v", d, ok)
	}
	if _, ok := Parse("on 2024-01-03 at", nil); ok {
		t.Error("Parse accepted extra words")
	}
	tests := []struct {
		a, b string
		want bool
	}{
		{"2024-01", "2024-01-03", true},
		{"2024-01-03", "2024-01-04", false},
		{"", "2024", true},
		{"2024", "2023-12-31", false},
	}
	for _, tc := range tests {
		t.Run(tc.a+"~"+tc.b, func(t *testing.T) {
			if got := Compatible(tc.a, tc.b); got != tc.want {
				t.Errorf("Compatible = %v", got)
			}
		})
	}
}

func BenchmarkFind(b *testing.B) {
	pub := time.Date(2024, 3, 25, 0, 0, 0, 0, time.UTC)
	text := "Police said on Monday that the attack on 3 January 2024 killed at least 40 people, and last week another bomb went off in July last year's market."
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		Find(text, &pub)
	}
}
