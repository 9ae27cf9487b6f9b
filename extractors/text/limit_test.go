package text

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestLimitText(t *testing.T) {
	cases := []struct {
		name, page string
		max        int
		want       string // the body after the cut
		cut        bool
	}{
		{"under the limit", "<p>one</p><p>two</p>", 100, "<p>one</p><p>two</p>", false},
		{"cut inside a paragraph", "<p>one</p><p>two three</p><p>four</p>", 7, "<p>one</p><p>two </p>", true},
		{"nested", "<div><p>one <b>two</b> three</p><div><p>four</p></div></div><p>five</p>", 9, "<div><p>one <b>two</b> t</p></div>", true},
		{"scripts do not count", "<script>var x = 'long long long';</script><p>one</p><p>two</p>", 6, "<script>var x = 'long long long';</script><p>one</p><p>two</p>", false},
		{"rune boundary", "<p>caf\u00e9s</p>", 4, "<p>caf</p>", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc, err := html.Parse(strings.NewReader("<html><head></head><body>" + c.page + "</body></html>"))
			if err != nil {
				t.Fatal(err)
			}
			if got := limitText(doc, c.max); got != c.cut {
				t.Errorf("cut = %v, want %v", got, c.cut)
			}
			var b bytes.Buffer
			if err := html.Render(&b, doc); err != nil {
				t.Fatal(err)
			}
			body := strings.TrimSuffix(strings.TrimPrefix(b.String(), "<html><head></head><body>"), "</body></html>")
			if body != c.want {
				t.Errorf("body = %q, want %q", body, c.want)
			}
		})
	}
}

// TestExtractHugePage: a page of 20 times MaxPageText of paragraphs is cut
// at MaxPageText of text (the benchmark below shows the time it saves).
func TestExtractHugePage(t *testing.T) {
	para := "<p>The ferry left the harbour at noon on Tuesday with forty passengers aboard.</p>\n"
	page := "<html><head><title>Timetable archive</title></head><body><article>" +
		strings.Repeat(para, 20*MaxPageText/len(para)) + "<p>A sentence after the limit.</p></article></body></html>"
	a, err := Extract(context.Background(), []byte(page), Options{URL: "https://harbour.example/archive"})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(a.Text, "after the limit") {
		t.Error("text after the limit was kept")
	}
	if n := len(a.Text); n < MaxPageText/2 || n > MaxPageText*11/10 {
		t.Errorf("text of %d bytes, want about MaxPageText (%d)", n, MaxPageText)
	}
	if a.HTMLSize != len(page) {
		t.Errorf("HTMLSize = %d, want the page's %d", a.HTMLSize, len(page))
	}
}

// BenchmarkExtractLargePage extracts pages holding 256 KiB to 10 MiB of
// paragraph text; above MaxPageText the time stays flat.
func BenchmarkExtractLargePage(b *testing.B) {
	para := "<p>The ferry left the harbour at noon on Tuesday with forty passengers aboard.</p>\n"
	for _, size := range []struct {
		name  string
		bytes int
	}{{"text=256KiB", 256 << 10}, {"text=1MiB", 1 << 20}, {"text=10MiB", 10 << 20}} {
		b.Run(size.name, func(b *testing.B) {
			page := []byte("<html><body><article>" + strings.Repeat(para, size.bytes/len(para)) + "</article></body></html>")
			b.SetBytes(int64(len(page)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Extract(context.Background(), page, Options{URL: "https://harbour.example/a"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
