package events

import "testing"

func TestCasualties(t *testing.T) {
	type c struct {
		v          int
		qual, text string
	}
	tests := []struct {
		name            string
		sentence        string
		killed, injured *c
	}{
		{"at least killed", "At least 140 people were killed in the blast.", &c{140, "at_least", "At least 140 people were killed"}, nil},
		{"more than wounded", "More than 200 wounded were taken to hospital.", nil, &c{200, "more_than", "More than 200 wounded"}},
		{"almost casualties", "The strike caused almost 400 casualties.", nil, &c{400, "about", "almost 400 casualties"}},
		{"number word", "Two employees were killed and three injured.", &c{2, "", "Two employees were killed"}, &c{3, "", "three injured"}},
		{"verb first", "A bomb exploded at the market, killing at least 95 and injuring 284.", &c{95, "at_least", "at least 95"}, &c{284, "", "284"}},
		{"dozens vague", "Dozens were wounded in the attack.", nil, &c{0, "", "Dozens were wounded"}},
		{"toll", "The death toll rose to 143 on Sunday.", &c{143, "", "143"}, nil},
		{"hyphen number", "Twenty-five people died.", &c{25, "", "Twenty-five people died"}, nil},
		{"thousands sep", "1,200 people were injured.", nil, &c{1200, "", "1,200 people were injured"}},
		{"year is not a toll", "In 2015 killed", nil, nil},
		{"none", "Police raided a flat in the city.", nil, nil},
		{"left dead", "The attack left 12 dead.", &c{12, "", "12 dead"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			k, i := Casualties(tc.sentence)
			if (k == nil) != (tc.killed == nil) {
				t.Fatalf("killed = %+v, want %+v", k, tc.killed)
			}
			if k != nil && (k.Value != tc.killed.v || k.Qualifier != tc.killed.qual || k.Text != tc.killed.text) {
				t.Errorf("killed = %+v, want %+v", *k, *tc.killed)
			}
			if (i == nil) != (tc.injured == nil) {
				t.Fatalf("injured = %+v, want %+v", i, tc.injured)
			}
			if i != nil && (i.Value != tc.injured.v || i.Qualifier != tc.injured.qual || i.Text != tc.injured.text) {
				t.Errorf("injured = %+v, want %+v", *i, *tc.injured)
			}
		})
	}
}
