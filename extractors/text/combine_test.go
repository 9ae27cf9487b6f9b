package text

import (
	"strings"
	"testing"
)

func TestCombine(t *testing.T) {
	p := func(n int, word string) string {
		return strings.TrimSpace(strings.Repeat(word+" ", n))
	}
	article := strings.Join([]string{
		"The ferry left the harbour at dawn with forty passengers on board and a cargo of timber.",
		"Its captain said the crossing had been calm until the wind turned shortly after nine.",
		"Coastguards met the vessel at the northern pier, where families had gathered since morning.",
	}, "\n\n")
	more := strings.Join([]string{
		"A second ferry was held in port until the storm passed over the islands in the afternoon.",
		"Harbour officials expect the timetable to return to normal by the end of the week.",
		"Traders on the quay said business had been slow for most of the month because of the weather.",
	}, "\n\n")
	cases := []struct {
		name, traf, read, want string
	}{
		{"no readability", article, "", article},
		{"no trafilatura", "", article, article},
		{"agree", article, article, article},
		{"trim boilerplate at both ends", "Share this story on social media\n\n" + article + "\n\nRead more: ten other stories you may like today", article, article},
		{"keep unsupported middle", strings.Replace(article, "\n\nIts captain", "\n\nA quote from a witness sits here in the middle.\n\nIts captain", 1), article,
			strings.Replace(article, "\n\nIts captain", "\n\nA quote from a witness sits here in the middle.\n\nIts captain", 1)},
		{"trafilatura stopped early", article, article + "\n\n" + more, article + "\n\n" + more},
		{"listing not taken", article, article + "\n\nShare Tweet Email\n\n" + more + "\n\nShare Tweet Email\n\n" + p(30, "teaser") + "\n\nShare Tweet Email", article},
		{"disagree keeps trafilatura", article, more, article},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, _ := combine(c.traf, c.read)
			if got != c.want {
				t.Fatalf("combine =\n%s\nwant\n%s", got, c.want)
			}
		})
	}
}

func TestDropLeadingTitle(t *testing.T) {
	cases := []struct{ name, body, title, want string }{
		{"exact", "Storm hits coast\n\nBody text here.", "Storm hits coast", "Body text here."},
		{"title with site", "Storm hits coast\n\nBody text here.", "Storm hits coast | Coastal Times", "Body text here."},
		{"different", "Police say\n\nBody text here.", "Storm hits coast", "Police say\n\nBody text here."},
		{"single paragraph kept", "Storm hits coast", "Storm hits coast", "Storm hits coast"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := dropLeadingTitle(c.body, c.title); got != c.want {
				t.Fatalf("= %q, want %q", got, c.want)
			}
		})
	}
}
