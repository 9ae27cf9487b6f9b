// Package dates finds date expressions in English news text and resolves them
// against the article's publication date. It has no NLP dependency: the
// functions are pure and safe for concurrent use.
//
// Absolute expressions ("3 January 2024", "Jan. 3, 2024", "2024-01-03"),
// expressions without a year ("January 3"), relative ones ("yesterday",
// "on Monday", "last week", "this month", "in July last year", "two days
// ago") and fixed holidays ("New Year's Eve", "Christmas Day") resolve to a
// Date with an ISO value of day, month or year precision ("2024-01-03",
// "2024-01", "2024"). Expressions that need the publication date are left
// out when it is nil.
//
//	pub := time.Date(2024, 3, 25, 0, 0, 0, 0, time.UTC)
//	for _, d := range dates.Find("The attack on Friday killed 140.", &pub) {
//		fmt.Println(d.Value, d.Precision, d.Text) // 2024-03-22 day on Friday
//	}
package dates
