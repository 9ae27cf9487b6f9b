package dates

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Precision says how much of a Date is known.
type Precision string

// The precisions of a Date.
const (
	Day   Precision = "day"
	Month Precision = "month"
	Year  Precision = "year"
)

// Date is one resolved date expression.
type Date struct {
	// Value is the ISO form at its precision: "2024-01-03", "2024-01" or "2024".
	Value     string
	Precision Precision
	// Text is the matched words, as written.
	Text string
	// Start and End are byte offsets of Text in the input.
	Start, End int
	// Time is the first instant of the period Value names, in UTC.
	Time time.Time
	// Relative is true when the expression needed the publication date.
	Relative bool
}

// futureSlack is how far past the publication date a date without a year may
// fall before it is taken to mean the year before: news mostly reports the
// past, but announces events a few weeks ahead.
const futureSlack = 31 * 24 * time.Hour

const monthRe = `(January|February|March|April|May|June|July|August|September|October|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)`
const weekdayRe = `(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)`
const numWordRe = `(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,3})`
const apos = `['’]`

type kind int

const (
	kISO kind = iota
	kDMY
	kMDY
	kMonthYear
	kMonthRel
	kMonthRelYear
	kYear
	kWeekday
	kRelWord
	kRelUnit
	kAgo
	kHoliday
)

type pattern struct {
	k  kind
	re *regexp.Regexp
}

// patterns are compiled once and never modified.
var patterns = []pattern{
	{kISO, regexp.MustCompile(`\b(\d{4})-(\d{2})-(\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?\b`)},
	{kDMY, regexp.MustCompile(`\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?` + monthRe + `\b\.?(?:,?\s+(\d{4})\b)?`)},
	{kMDY, regexp.MustCompile(`\b` + monthRe + `\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b(?:,?\s+(\d{4})\b)?`)},
	{kMonthYear, regexp.MustCompile(`\b(?:(?i:early|mid|late)[- ])?` + monthRe + `\.?,?\s+(?:of\s+)?(\d{4})\b`)},
	{kMonthRel, regexp.MustCompile(`\b(?:(?i:(last|this|next|in|on|during|since|by|until|from|early|late|mid|mid-))\s*)` + monthRe + `\b(?:\s+(?i:(last|this|next))\s+(?i:year))?`)},
	{kMonthRelYear, regexp.MustCompile(`\b` + monthRe + `\s+(?i:(last|this|next))\s+(?i:year)\b`)},
	{kYear, regexp.MustCompile(`\b(?i:in|since|during|of|by|until|early|late|mid|mid-|throughout)\s*((?:19|20)\d{2})\b`)},
	{kWeekday, regexp.MustCompile(`\b(?:(?i:(last|this|next|on|since|from|by|until|early on|late on))\s+)?` + weekdayRe + `(?:\s+(?i:morning|afternoon|evening|night))?\b`)},
	{kRelWord, regexp.MustCompile(`(?i)\b(the day before yesterday|yesterday|today|tonight|last night|this (?:morning|afternoon|evening)|earlier today)\b`)},
	{kRelUnit, regexp.MustCompile(`(?i)\b(?:(last|this|next|earlier this|later this|past) (week|month|year)|(the previous|the following) (week|month|year))\b`)},
	{kAgo, regexp.MustCompile(`(?i)\b` + numWordRe + ` (day|week|month|year)s? ago\b`)},
	{kHoliday, regexp.MustCompile(`\b(?:(?i:(last|this|next))\s+)?(New Year` + apos + `s Eve|New Year` + apos + `s Day|Christmas Eve|Christmas Day|Christmas|Boxing Day|Halloween|Bastille Day|Valentine` + apos + `s Day)(?:,?\s+(\d{4})\b)?`)},
}

// Find returns the date expressions in text, in order, resolved against
// published (which may be nil). Overlapping matches keep the longest.
func Find(text string, published *time.Time) []Date {
	var ref *time.Time
	if published != nil {
		r := published.UTC()
		ref = &r
	}
	var all []Date
	lower := strings.ToLower(text)
	for _, p := range patterns {
		if !mayMatch(p.k, text, lower) {
			continue
		}
		for _, m := range p.re.FindAllStringSubmatchIndex(text, -1) {
			sub := make([]string, len(m)/2)
			for i := range sub {
				if m[2*i] >= 0 {
					sub[i] = text[m[2*i]:m[2*i+1]]
				}
			}
			if p.k == kMonthRel && digitFollows(text[m[1]:]) {
				continue // "on January 3" is a day: kMDY has it
			}
			if p.k == kHoliday && sub[1] == "" && sub[3] == "" && !holidayAsDate(text[m[1]:]) {
				continue // "a Christmas market" names no day
			}
			d, ok := resolve(p.k, sub, ref)
			if !ok {
				continue
			}
			d.Start, d.End, d.Text = m[0], m[1], text[m[0]:m[1]]
			all = append(all, d)
		}
	}
	// Longest first, then earliest; keep those that overlap nothing kept.
	sort.SliceStable(all, func(i, j int) bool {
		li, lj := all[i].End-all[i].Start, all[j].End-all[j].Start
		if li != lj {
			return li > lj
		}
		return all[i].Start < all[j].Start
	})
	var out []Date
	for _, d := range all {
		clash := false
		for _, o := range out {
			if d.Start < o.End && o.Start < d.End {
				clash = true
				break
			}
		}
		if !clash {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// holidayAsDate reports whether a holiday name without a year is used as a
// date ("on Christmas Day", "the Christmas attack") rather than naming a
// thing ("a Christmas market").
func holidayAsDate(after string) bool {
	f := strings.Fields(after)
	if len(f) == 0 {
		return true
	}
	switch strings.ToLower(strings.Trim(f[0], ".,;:")) {
	case "market", "markets", "tree", "trees", "party", "parties", "lights", "shopping", "holiday", "holidays",
		"season", "period", "break", "celebrations", "festivities", "fair", "fairs", "concert", "service", "services",
		"card", "cards", "present", "presents", "gift", "gifts", "dinner", "message", "speech", "decorations":
		return false
	}
	return true
}

// mayMatch is a cheap literal test run before a pattern's regular
// expression: most sentences hold no date at all.
func mayMatch(k kind, text, lower string) bool {
	switch k {
	case kISO:
		return strings.ContainsAny(text, "0123456789") && strings.Contains(text, "-")
	case kDMY, kMDY, kMonthYear, kMonthRel, kMonthRelYear:
		for _, m := range []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"} {
			if strings.Contains(text, m) {
				return true
			}
		}
		return false
	case kYear:
		return strings.Contains(text, "19") || strings.Contains(text, "20")
	case kWeekday:
		return strings.Contains(text, "day")
	case kRelWord:
		return strings.Contains(lower, "day") || strings.Contains(lower, "night") || strings.Contains(lower, "this ") || strings.Contains(lower, "today")
	case kRelUnit:
		return strings.Contains(lower, "week") || strings.Contains(lower, "month") || strings.Contains(lower, "year")
	case kAgo:
		return strings.Contains(lower, " ago")
	case kHoliday:
		return strings.Contains(text, "Christmas") || strings.Contains(text, "New Year") || strings.Contains(text, "Halloween") ||
			strings.Contains(text, "Bastille") || strings.Contains(text, "Valentine") || strings.Contains(text, "Boxing")
	}
	return true
}

func digitFollows(rest string) bool {
	rest = strings.TrimLeft(rest, " .")
	return rest != "" && rest[0] >= '0' && rest[0] <= '9'
}

// Parse resolves one date expression that must make up all of expr (spaces
// around it aside).
func Parse(expr string, published *time.Time) (Date, bool) {
	expr = strings.TrimSpace(expr)
	ds := Find(expr, published)
	if len(ds) != 1 || ds[0].Start != 0 || ds[0].End != len(expr) {
		return Date{}, false
	}
	return ds[0], true
}

// Compatible reports whether one of two ISO dates, full or partial, lies
// within the other: "2024-01" and "2024-01-03" are compatible, "2024-01-03" and
// "2024-01-04" are not.
func Compatible(a, b string) bool {
	if a == "" || b == "" {
		return true
	}
	if len(a) > len(b) {
		a, b = b, a
	}
	return strings.HasPrefix(b, a)
}

func resolve(k kind, s []string, ref *time.Time) (Date, bool) {
	switch k {
	case kISO:
		y, _ := strconv.Atoi(s[1])
		mo, _ := strconv.Atoi(s[2])
		d, _ := strconv.Atoi(s[3])
		return day(y, time.Month(mo), d, false)
	case kDMY, kMDY:
		dd, mm := s[1], s[2]
		if k == kMDY {
			dd, mm = s[2], s[1]
		}
		mo := month(mm)
		d, _ := strconv.Atoi(dd)
		if s[3] != "" {
			y, _ := strconv.Atoi(s[3])
			return day(y, mo, d, false)
		}
		if ref == nil {
			return Date{}, false
		}
		return day(inferYear(*ref, mo, d), mo, d, true)
	case kMonthYear:
		y, _ := strconv.Atoi(s[2])
		return monthDate(y, month(s[1]), false)
	case kMonthRel:
		if ref == nil {
			return Date{}, false
		}
		lead, name, rel := strings.ToLower(s[1]), s[2], strings.ToLower(s[3])
		mo := month(name)
		if mo == 0 {
			return Date{}, false
		}
		if name == "May" && lead == "" && rel == "" {
			return Date{}, false
		}
		y := ref.Year()
		switch {
		case strings.EqualFold(rel, "last"):
			y--
		case strings.EqualFold(rel, "next"):
			y++
		case strings.EqualFold(rel, "this"):
		case lead == "last":
			if mo >= ref.Month() {
				y--
			}
		case lead == "next":
			if mo <= ref.Month() {
				y++
			}
		case lead == "this":
		default:
			y = inferYear(*ref, mo, 1)
		}
		return monthDate(y, mo, true)
	case kMonthRelYear:
		return resolve(kMonthRel, []string{s[0], "", s[1], s[2]}, ref)
	case kYear:
		y, _ := strconv.Atoi(s[1])
		return yearDate(y, false)
	case kWeekday:
		if ref == nil {
			return Date{}, false
		}
		want := weekday(s[2])
		lead := strings.ToLower(s[1])
		r := truncDay(*ref)
		diff := (int(r.Weekday()) - int(want) + 7) % 7
		switch lead {
		case "next":
			ahead := (int(want) - int(r.Weekday()) + 7) % 7
			if ahead == 0 {
				ahead = 7
			}
			t := r.AddDate(0, 0, ahead)
			return day(t.Year(), t.Month(), t.Day(), true)
		case "last":
			if diff == 0 {
				diff = 7
			}
		}
		t := r.AddDate(0, 0, -diff)
		return day(t.Year(), t.Month(), t.Day(), true)
	case kRelWord:
		if ref == nil {
			return Date{}, false
		}
		r := truncDay(*ref)
		switch strings.ToLower(s[1]) {
		case "yesterday":
			r = r.AddDate(0, 0, -1)
		case "the day before yesterday":
			r = r.AddDate(0, 0, -2)
		}
		return day(r.Year(), r.Month(), r.Day(), true)
	case kRelUnit:
		if ref == nil {
			return Date{}, false
		}
		rel, unit := strings.ToLower(s[1]), strings.ToLower(s[2])
		if rel == "" {
			rel, unit = strings.ToLower(s[3]), strings.ToLower(s[4])
		}
		off := 0
		switch rel {
		case "last", "past", "the previous":
			off = -1
		case "next", "the following":
			off = 1
		}
		if rel == "past" && unit != "week" {
			// "the past year" is a span ending now, not a calendar period.
			return Date{}, false
		}
		r := truncDay(*ref)
		switch unit {
		case "week":
			// A week has no ISO partial form: give its month (the month of its
			// Wednesday), at month precision.
			wd := (int(r.Weekday()) + 6) % 7 // days since Monday
			mid := r.AddDate(0, 0, -wd+2+7*off)
			return monthDate(mid.Year(), mid.Month(), true)
		case "month":
			t := time.Date(r.Year(), r.Month()+time.Month(off), 1, 0, 0, 0, 0, time.UTC)
			return monthDate(t.Year(), t.Month(), true)
		default:
			return yearDate(r.Year()+off, true)
		}
	case kAgo:
		if ref == nil {
			return Date{}, false
		}
		n := number(s[1])
		if n <= 0 {
			return Date{}, false
		}
		r := truncDay(*ref)
		switch strings.ToLower(s[2]) {
		case "day":
			t := r.AddDate(0, 0, -n)
			return day(t.Year(), t.Month(), t.Day(), true)
		case "week":
			t := r.AddDate(0, 0, -7*n)
			return day(t.Year(), t.Month(), t.Day(), true)
		case "month":
			t := time.Date(r.Year(), r.Month()-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
			return monthDate(t.Year(), t.Month(), true)
		default:
			return yearDate(r.Year()-n, true)
		}
	case kHoliday:
		mo, d := holiday(s[2])
		if s[3] != "" {
			y, _ := strconv.Atoi(s[3])
			return day(y, mo, d, false)
		}
		if ref == nil {
			return Date{}, false
		}
		y := inferYear(*ref, mo, d)
		switch strings.ToLower(s[1]) {
		case "last":
			if !time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Before(truncDay(*ref)) {
				y--
			}
		case "next":
			if !time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).After(truncDay(*ref)) {
				y++
			}
		case "this":
			y = ref.Year()
		}
		return day(y, mo, d, true)
	}
	return Date{}, false
}

func truncDay(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// inferYear picks the year for a month and day given without one: the
// publication year, or the year before when that would put the date more than
// futureSlack after publication.
func inferYear(ref time.Time, mo time.Month, d int) int {
	y := ref.Year()
	if time.Date(y, mo, d, 0, 0, 0, 0, time.UTC).Sub(truncDay(ref)) > futureSlack {
		y--
	}
	return y
}

func day(y int, mo time.Month, d int, rel bool) (Date, bool) {
	if mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1000 || y > 2999 {
		return Date{}, false
	}
	t := time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
	if t.Month() != mo { // 31 February
		return Date{}, false
	}
	return Date{Value: t.Format("2006-01-02"), Precision: Day, Time: t, Relative: rel}, true
}

func monthDate(y int, mo time.Month, rel bool) (Date, bool) {
	if mo < 1 || mo > 12 || y < 1000 || y > 2999 {
		return Date{}, false
	}
	t := time.Date(y, mo, 1, 0, 0, 0, 0, time.UTC)
	return Date{Value: t.Format("2006-01"), Precision: Month, Time: t, Relative: rel}, true
}

func yearDate(y int, rel bool) (Date, bool) {
	if y < 1000 || y > 2999 {
		return Date{}, false
	}
	t := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
	return Date{Value: strconv.Itoa(y), Precision: Year, Time: t, Relative: rel}, true
}

func month(s string) time.Month {
	s = strings.ToLower(strings.TrimSuffix(s, "."))
	if len(s) < 3 {
		return 0
	}
	for m := time.January; m <= time.December; m++ {
		if strings.HasPrefix(strings.ToLower(m.String()), s[:3]) {
			return m
		}
	}
	return 0
}

func weekday(s string) time.Weekday {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), s) {
			return d
		}
	}
	return time.Sunday
}

func holiday(s string) (time.Month, int) {
	s = strings.ToLower(strings.ReplaceAll(s, "’", "'"))
	switch s {
	case "new year's eve":
		return time.December, 31
	case "new year's day":
		return time.January, 1
	case "christmas eve":
		return time.December, 24
	case "boxing day":
		return time.December, 26
	case "halloween":
		return time.October, 31
	case "bastille day":
		return time.July, 14
	case "valentine's day":
		return time.February, 14
	}
	return time.December, 25
}

func number(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	switch strings.ToLower(s) {
	case "a", "an", "one":
		return 1
	}
	for i, w := range []string{"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve"} {
		if strings.EqualFold(s, w) {
			return i + 2
		}
	}
	return 0
}
