package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// A hand-made topology: a unit square split into two triangles that share
// arc 0 (the diagonal), quantized with scale 10 and translate (-10, 0).
const tiny = `{"type":"Topology",
 "transform":{"scale":[10,10],"translate":[-10,0]},
 "arcs":[[[0,0],[1,1]], [[1,1],[-1,0],[0,-1]], [[0,0],[1,0],[0,1]]],
 "objects":{"countries":{"type":"GeometryCollection","geometries":[
  {"type":"Polygon","id":"1","arcs":[[0,1]],"properties":{"name":"West"}},
  {"type":"MultiPolygon","id":"2","arcs":[[[~0,2]]],"properties":{"name":"East & Co"}}]}}}`

func TestShapes(t *testing.T) {
	var topo Topology
	// JSON has no ~; write the complement of 0 as -1.
	if err := json.Unmarshal([]byte(strings.NewReplacer("~0", "-1").Replace(tiny)), &topo); err != nil {
		t.Fatal(err)
	}
	shapes, err := topo.Shapes("countries")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		want [][2]float64
	}{
		{"East & Co", [][2]float64{{0, 10}, {-10, 0}, {0, 0}, {0, 10}}},
		{"West", [][2]float64{{-10, 0}, {0, 10}, {-10, 10}, {-10, 0}}},
	}
	if len(shapes) != len(tests) {
		t.Fatalf("got %d shapes, want %d", len(shapes), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := shapes[i]
			if s.Name != tt.name || len(s.Rings) != 1 {
				t.Fatalf("shape = %+v", s)
			}
			got := s.Rings[0]
			if len(got) != len(tt.want) {
				t.Fatalf("ring = %v, want %v", got, tt.want)
			}
			for j := range got {
				if got[j] != tt.want[j] {
					t.Errorf("ring = %v, want %v", got, tt.want)
					break
				}
			}
		})
	}
	var b bytes.Buffer
	if err := WriteSVG(&b, shapes); err != nil {
		t.Fatal(err)
	}
	// West: (-10,0) -> (170,90); (0,10) -> (180,80); (-10,10) -> (170,80).
	for _, want := range []string{`d="M170 90l10 -10l-10 0l0 10z"`, "<title>East &amp; Co</title>"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("svg lacks %s:\n%s", want, b.String())
		}
	}
}

func TestShapesErrors(t *testing.T) {
	tests := []struct{ name, doc, object, want string }{
		{"not topology", `{"type":"FeatureCollection"}`, "countries", "not a TopoJSON"},
		{"no object", `{"type":"Topology","objects":{}}`, "countries", `no object "countries"`},
		{"bad arc", `{"type":"Topology","arcs":[],"objects":{"countries":{"geometries":[{"type":"Polygon","arcs":[[5]]}]}}}`, "countries", "out of range"},
		{"bad type", `{"type":"Topology","arcs":[],"objects":{"countries":{"geometries":[{"type":"Point","arcs":[]}]}}}`, "countries", "unsupported type"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var topo Topology
			if err := json.Unmarshal([]byte(tt.doc), &topo); err != nil {
				t.Fatal(err)
			}
			_, err := topo.Shapes(tt.object)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
		})
	}
}

func TestTenths(t *testing.T) {
	for v, want := range map[int]string{0: "0", 5: ".5", -5: "-.5", 10: "1", 123: "12.3", -1230: "-123"} {
		if got := tenths(v); got != want {
			t.Errorf("tenths(%d) = %q, want %q", v, got, want)
		}
	}
}
