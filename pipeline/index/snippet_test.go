package index

import "testing"

func TestCleanSnippet(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"plain", "a <mark>bomb</mark> went off", "a <mark>bomb</mark> went off"},
		{"raw text is escaped", `Shah & Sons <b> "x" <mark>bomb</mark>`, "Shah &amp; Sons &lt;b&gt; &#34;x&#34; <mark>bomb</mark>"},
		{"go escaped stays once", "Shah &amp; Sons &lt;b&gt; &#34;x&#34; <mark>bomb</mark>", "Shah &amp; Sons &lt;b&gt; &#34;x&#34; <mark>bomb</mark>"},
		{"lucene escaped", "it&#x27;s &#x2F; &quot;q&quot; <mark>bomb</mark>", "it&#39;s / &#34;q&#34; <mark>bomb</mark>"},
		{"escaped mark in text stays text", "&lt;mark&gt;x <mark>y</mark>", "&lt;mark&gt;x <mark>y</mark>"},
		{"unclosed mark", "<mark>bomb", "<mark>bomb</mark>"},
		{"stray close", "bomb</mark> x", "bomb x"},
		{"nested open", "<mark><mark>a</mark>", "<mark>a</mark>"},
		{"lone lt", "a < b <mark>c</mark>", "a &lt; b <mark>c</mark>"},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := CleanSnippet(tt.in); got != tt.want {
				t.Errorf("CleanSnippet(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
