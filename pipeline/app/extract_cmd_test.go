package app

import "testing"

func TestSplitHeadline(t *testing.T) {
	cases := []struct {
		name, in, title, body string
	}{
		{"headline then blank line", "Bomb hits market in Kano\n\nA bomb exploded on Monday.", "Bomb hits market in Kano", "A bomb exploded on Monday."},
		{"first line is a sentence", "A bomb exploded on Monday.\n\nPolice said more.", "", "A bomb exploded on Monday.\n\nPolice said more."},
		{"no blank line after", "Bomb hits market\nA bomb exploded.", "", "Bomb hits market\nA bomb exploded."},
		{"single line", "Just one line", "", "Just one line"},
		{"leading blank lines", "\n\nTitle here\n\nBody.", "Title here", "Body."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			title, body := splitHeadline(tc.in)
			if title != tc.title || body != tc.body {
				t.Errorf("splitHeadline(%q) = %q, %q; want %q, %q", tc.in, title, body, tc.title, tc.body)
			}
		})
	}
}
