package kb

import (
	"testing"

	"github.com/newswire/newswire/pipeline/article"
)

func TestGroupAliases(t *testing.T) {
	k := mustLoad(t)
	tests := []struct{ in, id string }{
		{"Jama'at Nusrat al-Islam wal-Muslimin", "kb:jnim"},
		{"GSIM", "kb:jnim"},
		{"Estado Mayor Central", "kb:farc-emc"},
		{"FARC", "kb:farc"},
		{"Tehrik-e-Taliban Pakistan", "kb:ttp"},
		{"Daesh Khorasan", "kb:isis-k"},
		{"Jama'atu Ahlis Sunna Lidda'awati", "kb:boko-haram"},
		{"US House", "kb:us-house"},
		{"Shafaq News", "kb:shafaq-news"},
		{"AUSSOM", "kb:au-somalia-mission"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if _, id, ok := k.Resolve(article.KindGroup, tt.in); !ok || id != tt.id {
				t.Errorf("Resolve(%q) = %q, %v; want %q", tt.in, id, ok, tt.id)
			}
		})
	}
}

func TestTrimArticle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Shafaq News/", "Shafaq News"},
		{"‘Eastern", "Eastern"},
		{"the Pentagon's", "Pentagon"},
		{"(ISIS)", "ISIS"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := TrimArticle(tt.in); got != tt.want {
				t.Errorf("TrimArticle(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}
