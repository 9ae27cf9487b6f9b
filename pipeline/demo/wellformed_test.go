package demo

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// voidElements have no end tag (HTML Living Standard, 13.1.2).
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true,
	"hr": true, "img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// wellFormed checks what html.Parse forgives: a doctype first, every
// non-void element closed in order, no stray end tags, no duplicate ids, and
// exactly one <title> and one <h1>.
func wellFormed(page []byte) error {
	z := html.NewTokenizer(bytes.NewReader(page))
	var stack []string
	ids := map[string]bool{}
	counts := map[string]int{}
	first := true
	for {
		tt := z.Next()
		switch tt {
		case html.ErrorToken:
			if !errors.Is(z.Err(), io.EOF) {
				return z.Err()
			}
			if len(stack) > 0 {
				return fmt.Errorf("unclosed elements %v", stack)
			}
			for _, el := range []string{"title", "h1", "html", "head", "body", "main"} {
				if counts[el] != 1 {
					return fmt.Errorf("%d <%s> elements, want 1", counts[el], el)
				}
			}
			return nil
		case html.DoctypeToken:
			if !first {
				return errors.New("doctype not first")
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			if first {
				return errors.New("no doctype")
			}
			tok := z.Token()
			counts[tok.Data]++
			for _, a := range tok.Attr {
				if a.Key == "id" {
					if ids[a.Val] {
						return fmt.Errorf("duplicate id %q", a.Val)
					}
					ids[a.Val] = true
				}
			}
			if tt == html.StartTagToken && !voidElements[tok.Data] {
				stack = append(stack, tok.Data)
			}
		case html.EndTagToken:
			tok := z.Token()
			if len(stack) == 0 || stack[len(stack)-1] != tok.Data {
				return fmt.Errorf("</%s> does not close the open elements %v", tok.Data, stack)
			}
			stack = stack[:len(stack)-1]
		}
		if tt != html.TextToken || strings.TrimSpace(string(z.Raw())) != "" {
			first = false
		}
	}
}

func TestPagesWellFormed(t *testing.T) {
	s := newTestSite(t)
	for _, p := range s.Paths() {
		rec := get(t, s, p)
		if !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/html") {
			continue
		}
		t.Run(p, func(t *testing.T) {
			if rec.Code != http.StatusOK {
				t.Fatalf("status %d", rec.Code)
			}
			if err := wellFormed(rec.Body.Bytes()); err != nil {
				t.Fatal(err)
			}
		})
	}
	t.Run("404", func(t *testing.T) {
		if err := wellFormed(get(t, s, "/nowhere").Body.Bytes()); err != nil {
			t.Fatal(err)
		}
	})
}

func TestWellFormedCatches(t *testing.T) {
	ok := "<!DOCTYPE html><html><head><title>t</title></head><body><main><h1>x</h1></main></body></html>"
	tests := []struct {
		name, page string
		wantErr    bool
	}{
		{"good", ok, false},
		{"no doctype", strings.TrimPrefix(ok, "<!DOCTYPE html>"), true},
		{"unclosed p", strings.Replace(ok, "<h1>x</h1>", "<h1>x</h1><p>y", 1), true},
		{"misnested", strings.Replace(ok, "<h1>x</h1>", "<p><b>y</p></b>", 1), true},
		{"duplicate id", strings.Replace(ok, "<h1>x</h1>", `<h1 id="a">x</h1><p id="a"></p>`, 1), true},
		{"two titles", strings.Replace(ok, "</title>", "</title><title>u</title>", 1), true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if err := wellFormed([]byte(tc.page)); (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tc.wantErr)
			}
		})
	}
}
