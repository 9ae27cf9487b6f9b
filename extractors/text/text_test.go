package text

import (
	"context"
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode"

	"golang.org/x/text/encoding/charmap"

	"github.com/newswire/newswire/extractors"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/article/seeds"
)

func TestNormalize(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"empty", "", ""},
		{"ascii unchanged", "The police arrived.", "The police arrived."},
		{"cyrillic o and i in english", "The pоlice offіcer spоke", "The police officer spoke"},
		{"cyrillic a e p c", "аrrеstеd in Pаris, сity", "arrested in Paris, city"},
		{"greek omicron", "Eurοpe", "Europe"},
		{"russian word kept", "Москва is a city", "Москва is a city"},
		{"greek word kept", "Αθήνα", "Αθήνα"},
		{"mixed word with non-lookalike kept", "aбc", "aбc"},
		{"nbsp and ligature", "ﬁve\u00a0men", "five men"},
		{"zero width and soft hyphen", "ter\u00adror\u200bism", "terrorism"},
		{"whitespace", "  one \t two  \r\n\n\n\nthree  ", "one two\n\nthree"},
		{"nfc combining", "Cafe\u0301", "Café"},
		{"uppercase lookalike", "ISIS-К and NАTO", "ISIS-К and NATO"},
		{"cyrillic K after latin in word", "Kabul АRMY", "Kabul ARMY"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := Normalize(c.in)
			if got != c.want {
				t.Fatalf("Normalize(%q) = %q, want %q", c.in, got, c.want)
			}
			if again := Normalize(got); again != got {
				t.Fatalf("not idempotent: %q then %q", got, again)
			}
		})
	}
}

func TestLooksLikeHTML(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want bool
	}{
		{"doctype", "<!DOCTYPE html><html><body>x</body></html>", true},
		{"html tag with bom", "\ufeff  <html lang=en>", true},
		{"xml prolog xhtml", `<?xml version="1.0"?><!DOCTYPE html><html>`, true},
		{"fragment", "<div><p>Hello</p><p>there <a href=x>y</a></p></div>", true},
		{"plain text", "Police said on Monday that three men were arrested.\n\nMore text.", false},
		{"text with one angle bracket", "If a < b and c > d then <p> is a tag name.", false},
		{"empty", "", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := LooksLikeHTML([]byte(c.in)); got != c.want {
				t.Fatalf("LooksLikeHTML = %v, want %v", got, c.want)
			}
		})
	}
}

func TestCleanURL(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"utm and fragment", "https://Example.com/a/b?utm_source=x&id=3&utm_medium=y#top", "https://example.com/a/b?id=3"},
		{"click ids", "http://example.com:80/x?fbclid=1&gclid=2", "http://example.com/x"},
		{"sorted", "https://example.com/?b=2&a=1", "https://example.com/?a=1&b=2"},
		{"empty path", "https://example.com", "https://example.com/"},
		{"only tracking", "https://example.com/p?utm_campaign=z", "https://example.com/p"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := CleanURL(c.in)
			if err != nil {
				t.Fatal(err)
			}
			if got != c.want {
				t.Fatalf("CleanURL(%q) = %q, want %q", c.in, got, c.want)
			}
		})
	}
}

const fixturePage = `<!DOCTYPE html>
<html lang="en-GB"><head>
<meta charset="%s">
<title>Harbour bridge closed after storm | Coastal Times</title>
<meta property="og:title" content="Harbour bridge closed after storm">
<meta property="og:type" content="article">
<link rel="canonical" href="/news/harbour-bridge-closed?utm_source=rss#comments">
<meta name="author" content="Mara Quillfeather">
<script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle",
"headline":"Harbour bridge closed after storm","datePublished":"2024-03-05T08:30:00Z",
"author":{"@type":"Person","name":"Mara Quillfeather"}}</script>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article>
<h1>Harbour bridge closed after storm</h1>
<p>The old harbour bridge in Saltmere was closed on Tuesday morning after engineers found cracks in two of its supports, the town council said.</p>
<p>Councillor Edwin Farrow told reporters that the caf%s near the bridge would stay open and that ferries would run every twenty minutes until the repairs were finished.</p>
<p>Engineers expect the work to take at least three weeks. Drivers were asked to use the northern ring road, which adds about fifteen minutes to most journeys into the town centre.</p>
<p>Residents who live on the quay said the storm had been the worst in a decade, with waves breaking over the sea wall for most of Monday night.</p>
</article>
<footer>Share this story. Copyright Coastal Times. All rights reserved.</footer>
</body></html>`

func page(charsetName, eAcute string) string {
	return strings.Replace(strings.Replace(fixturePage, "%s", charsetName, 1), "%s", eAcute, 1)
}

func TestFromHTML(t *testing.T) {
	ctx := context.Background()
	fetched := time.Date(2024, 3, 6, 0, 0, 0, 0, time.UTC)
	win, err := charmap.Windows1252.NewEncoder().String(page("windows-1252", "é"))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		page []byte
	}{
		{"utf-8", []byte(page("utf-8", "é"))},
		{"windows-1252", []byte(win)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a, err := FromHTML(ctx, c.page, "https://www.coastal.example/news/harbour-bridge-closed?utm_medium=social", fetched)
			if err != nil {
				t.Fatal(err)
			}
			want := "https://www.coastal.example/news/harbour-bridge-closed"
			if a.CanonicalURL != want {
				t.Errorf("canonical = %q, want %q", a.CanonicalURL, want)
			}
			if a.ID != article.IDFor(want) {
				t.Errorf("id = %q, want IDFor(canonical)", a.ID)
			}
			if a.Source != "coastal.example" {
				t.Errorf("source = %q", a.Source)
			}
			if !strings.Contains(a.Title, "Harbour bridge closed after storm") {
				t.Errorf("title = %q", a.Title)
			}
			if a.Byline != "Mara Quillfeather" {
				t.Errorf("byline = %q", a.Byline)
			}
			if a.Published == nil || !a.Published.Equal(time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)) && !a.Published.Equal(time.Date(2024, 3, 5, 8, 30, 0, 0, time.UTC)) {
				t.Errorf("published = %v", a.Published)
			}
			if a.Language != "en" {
				t.Errorf("language = %q", a.Language)
			}
			if !strings.Contains(a.Text, "café near the bridge") {
				t.Errorf("text lacks decoded é: %q", a.Text)
			}
			for _, junk := range []string{"Copyright", "Sport"} {
				if strings.Contains(a.Text, junk) {
					t.Errorf("text holds boilerplate %q: %q", junk, a.Text)
				}
			}
			if a.HTMLSize != len(c.page) || a.ContentHash != article.HashText(a.Text) || a.SchemaVersion != article.SchemaVersion {
				t.Errorf("size/hash/schema wrong: %d %q %d", a.HTMLSize, a.ContentHash, a.SchemaVersion)
			}
			if err := a.Validate(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestFromHTMLBadInput(t *testing.T) {
	ctx := context.Background()
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 64)...)
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"empty", nil, ErrEmpty},
		{"whitespace", []byte(" \n\t "), ErrEmpty},
		{"png", png, ErrBinary},
		{"pdf", []byte("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00"), ErrBinary},
		{"no text", []byte("<html><head><title>x</title></head><body><div> </div><script>var a=1;</script></body></html>"), ErrNoText},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := FromHTML(ctx, c.in, "https://example.com/a", time.Now())
			if !errors.Is(err, c.want) {
				t.Fatalf("err = %v, want %v", err, c.want)
			}
		})
	}
}

func TestExtractorRegistered(t *testing.T) {
	if !contains(extractors.Default.Names(), Name) {
		t.Fatalf("text extractor not registered: %v", extractors.Default.Names())
	}
	a := &article.Article{Title: "Ferry  service\nresumes", Text: "The fеrry   left at nоon.\n\n\n\nIt was full."}
	d := &extractors.Document{Article: a, Out: &article.Enriched{Article: *a}}
	if err := (Extractor{}).Extract(context.Background(), d); err != nil {
		t.Fatal(err)
	}
	want := "Ferry service resumes\n\nThe ferry left at noon.\n\nIt was full."
	if d.Text != want {
		t.Fatalf("Text = %q, want %q", d.Text, want)
	}
	if d.Text[:d.TitleEnd] != "Ferry service resumes" {
		t.Fatalf("TitleEnd = %d", d.TitleEnd)
	}
	if d.Out.ContentHash != article.HashText(d.Out.Text) {
		t.Fatal("content hash not updated")
	}
}

func contains(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}

// TestSeedsHaveNoMixedScriptWords checks that after Normalize no word of the
// sample articles mixes Latin letters with Cyrillic or Greek look-alikes.
func TestSeedsHaveNoMixedScriptWords(t *testing.T) {
	dir := seeds.Dir(t)
	files, _ := filepath.Glob(filepath.Join(dir, "*.txt"))
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range strings.FieldsFunc(Normalize(string(b)), func(r rune) bool { return !unicode.IsLetter(r) }) {
				latin, other := false, false
				for _, r := range w {
					latin = latin || unicode.Is(unicode.Latin, r)
					if _, ok := lookalikes[r]; ok {
						other = true
					}
				}
				if latin && other {
					t.Errorf("mixed-script word left: %q", w)
				}
			}
		})
	}
}

func TestStripSiteName(t *testing.T) {
	u, _ := url.Parse("https://www.sportsnet.ca/tennis/story")
	cases := []struct{ name, title, site, want string }{
		{"host suffix", "Nadal keeps Spain alive - Sportsnet.ca", "", "Nadal keeps Spain alive"},
		{"site name", "Storm hits coast | Coastal Times", "Coastal Times", "Storm hits coast"},
		{"host word", "Storm hits coast | SPORTSNET", "", "Storm hits coast"},
		{"dash inside headline kept", "Nadal - the comeback", "", "Nadal - the comeback"},
		{"no suffix", "Storm hits coast", "Coastal Times", "Storm hits coast"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := stripSiteName(c.title, c.site, u); got != c.want {
				t.Fatalf("= %q, want %q", got, c.want)
			}
		})
	}
}

func TestPublishedTime(t *testing.T) {
	day := time.Date(2026, 10, 22, 0, 0, 0, 0, time.UTC)
	cases := []struct {
		name     string
		found    time.Time
		declared string
		want     time.Time
	}{
		{"full timestamp beats the day", day, "2026-10-22T11:35:00Z", time.Date(2026, 10, 22, 11, 35, 0, 0, time.UTC)},
		{"offset kept as instant", day, "2026-10-22T08:15:00+02:00", time.Date(2026, 10, 22, 6, 15, 0, 0, time.UTC)},
		{"no finder date", time.Time{}, "2026-10-22T11:35:00Z", time.Date(2026, 10, 22, 11, 35, 0, 0, time.UTC)},
		{"declared disagrees: keep the found day", day, "2019-01-01T10:00:00Z", day},
		{"declared unparseable", day, "last Tuesday", day},
		{"nothing", time.Time{}, "", time.Time{}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := publishedTime(tc.found, tc.declared); !got.Equal(tc.want) {
				t.Errorf("publishedTime = %v, want %v", got, tc.want)
			}
		})
	}
}

func TestFromHTMLKeepsPublishedTimeOfDay(t *testing.T) {
	page := []byte(`<!doctype html><html lang="en"><head><title>Police detain three after raid</title>
<meta property="article:published_time" content="2026-10-22T11:35:00Z">
<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2026-10-22T11:35:00Z"}</script>
</head><body><article><h1>Police detain three after raid</h1>
<p>Police in the northern city detained three men on Wednesday after a raid on a flat, officials said in a statement.</p>
<p>The men were questioned about a suspected plot against a concert venue, according to the interior ministry.</p>
<p>A spokesman declined to give further details while the investigation continued into the evening.</p>
</article></body></html>`)
	a, err := FromHTML(context.Background(), page, "https://news.example/police-detain-three", time.Date(2026, 10, 23, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	want := time.Date(2026, 10, 22, 11, 35, 0, 0, time.UTC)
	if a.Published == nil || !a.Published.Equal(want) {
		t.Errorf("published = %v, want %v", a.Published, want)
	}
}
