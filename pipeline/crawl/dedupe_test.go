package crawl

import (
	"strings"
	"testing"
)

func TestNearDuplicates(t *testing.T) {
	story := strings.Repeat("", 0) + `Engineers closed the old harbour bridge in Saltmere on Tuesday after finding cracks in two of its supports.
The town council said ferries would run every twenty minutes until repairs were finished, which could take three weeks.
Drivers were asked to use the northern ring road, adding about fifteen minutes to most journeys into the centre.
Residents on the quay said the storm had been the worst in a decade, with waves breaking over the sea wall all night.
Traders asked the council for help with the cost of repairs to their shops and for extra parking near the ferry terminal.`
	other := `The regional orchestra announced a new season of free concerts in parks across the valley this summer.
Its director said the programme would mix well-known symphonies with new pieces by local composers and schoolchildren.
Tickets are not needed, but the organisers ask people to bring their own chairs and to leave the parks clean afterwards.
The first concert is planned for the second weekend of June, weather permitting, on the lawn beside the old mill.`
	cases := []struct {
		name, text string
		wantDup    bool
	}{
		{"syndicated copy", story + "\nThis story first appeared in the Saltmere Herald.", true},
		{"lightly edited", strings.Replace(story, "three weeks", "about three weeks", 1), true},
		{"footer replaced", story + "\nThis report was first published by our partners at a regional paper and is shared here under licence.", true},
		{"different story", other + "\n" + other, false},
		{"same place, other story", `Saltmere council voted on Tuesday to build a new primary school beside the ferry terminal, despite objections from traders.
The school would take three hundred pupils and open in two years, the council said, paid for by the regional authority.
Parents on the quay welcomed the plan, but some residents worried about traffic on the northern ring road at peak times.
Councillors promised a study of parking near the harbour bridge before building starts, and a public meeting next month.`, false},
		{"too short", "Bridge closed.", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var n nearDups
			fp, ok := simhash(story)
			if !ok {
				t.Fatal("story too short for simhash")
			}
			if got := n.match(fp, minhash(story), "orig"); got != "" {
				t.Fatalf("first article matched %q", got)
			}
			fp2, ok := simhash(c.text)
			got := ""
			if ok {
				got = n.match(fp2, minhash(c.text), "copy")
			}
			if (got == "orig") != c.wantDup {
				t.Fatalf("match = %q, want duplicate %v", got, c.wantDup)
			}
		})
	}
}
