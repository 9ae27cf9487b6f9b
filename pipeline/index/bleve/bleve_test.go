package bleve_test

import (
	"testing"

	"github.com/newswire/newswire/pipeline/index"
	"github.com/newswire/newswire/pipeline/index/bleve"
	"github.com/newswire/newswire/pipeline/index/indextest"
)

func TestConformance(t *testing.T) {
	tests := []struct {
		name string
		path func(t *testing.T) string
	}{
		{"memory", func(*testing.T) string { return "" }},
		{"disk", func(t *testing.T) string { return t.TempDir() + "/idx" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			indextest.Run(t, func(t *testing.T) index.Backend {
				b, err := bleve.Open(tt.path(t), bleve.Options{})
				if err != nil {
					t.Fatal(err)
				}
				return b
			})
		})
	}
}
