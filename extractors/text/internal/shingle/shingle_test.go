package shingle

import (
	"math"
	"testing"
)

func TestCompare(t *testing.T) {
	cases := []struct {
		name      string
		got, want string
		p, r      float64
		exact     bool
	}{
		{"identical", "one two three four five", "one two three four five", 1, 1, true},
		{"punctuation ignored", "one, two; three four!", "one two three four", 1, 1, true},
		{"extra text", "one two three four five", "one two three four", 0.5, 1, false},
		{"nothing extracted", "", "one two three four", 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := Compare(c.got, c.want)
			if math.Abs(s.Precision()-c.p) > 1e-9 || math.Abs(s.Recall()-c.r) > 1e-9 || s.Exact != c.exact {
				t.Fatalf("p=%v r=%v exact=%v, want p=%v r=%v exact=%v", s.Precision(), s.Recall(), s.Exact, c.p, c.r, c.exact)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	s := Summarize([]Score{Compare("a b c d", "a b c d"), Compare("a b c d e", "a b c d")})
	if math.Abs(s.Precision-0.75) > 1e-9 || s.Recall != 1 || s.Accuracy != 0.5 {
		t.Fatalf("summary = %+v", s)
	}
}
