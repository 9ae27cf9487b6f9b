// Command mapgen converts a TopoJSON world map (the npm package world-atlas,
// countries-110m.json, ISC licence) into the pre-projected SVG the search
// web page bundles: an equirectangular projection with viewBox 0 0 360 180,
// so a point at longitude lon and latitude lat sits at x = lon+180,
// y = 90-lat. It decodes TopoJSON itself (quantized, delta-encoded arcs) and
// needs no network.
//
// Regenerate the bundled map:
//
//	cd /tmp && npm pack world-atlas && tar xzf world-atlas-*.tgz
//	go run ./pipeline/search/internal/mapgen -in /tmp/package/countries-110m.json \
//		-out pipeline/search/web/world.svg
//	cp /tmp/package/LICENSE pipeline/search/web/world-atlas-LICENSE
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
)

func main() {
	in := flag.String("in", "", "TopoJSON file (world-atlas countries-110m.json)")
	out := flag.String("out", "", "SVG file to write (default standard output)")
	object := flag.String("object", "countries", "TopoJSON object to draw")
	flag.Parse()
	if err := run(*in, *out, *object); err != nil {
		fmt.Fprintln(os.Stderr, "mapgen:", err)
		os.Exit(1)
	}
}

func run(in, out, object string) error {
	if in == "" {
		return errors.New("-in is required")
	}
	data, err := os.ReadFile(in)
	if err != nil {
		return fmt.Errorf("read map: %w", err)
	}
	var topo Topology
	if err := json.Unmarshal(data, &topo); err != nil {
		return fmt.Errorf("decode %s: %w", in, err)
	}
	shapes, err := topo.Shapes(object)
	if err != nil {
		return err
	}
	var w io.Writer = os.Stdout
	if out != "" {
		f, err := os.Create(out)
		if err != nil {
			return fmt.Errorf("create svg: %w", err)
		}
		defer f.Close()
		w = f
	}
	if err := WriteSVG(w, shapes); err != nil {
		return fmt.Errorf("write svg: %w", err)
	}
	return nil
}

// Topology is the part of a TopoJSON document that mapgen reads.
type Topology struct {
	Type      string                `json:"type"`
	Transform *Transform            `json:"transform"`
	Arcs      [][][2]float64        `json:"arcs"`
	Objects   map[string]Geometries `json:"objects"`
}

// Transform maps quantized positions to longitude and latitude.
type Transform struct {
	Scale     [2]float64 `json:"scale"`
	Translate [2]float64 `json:"translate"`
}

// Geometries is a TopoJSON GeometryCollection.
type Geometries struct {
	Type       string     `json:"type"`
	Geometries []Geometry `json:"geometries"`
}

// Geometry is one Polygon or MultiPolygon with its arc indexes.
type Geometry struct {
	Type       string            `json:"type"`
	ID         string            `json:"id"`
	Arcs       json.RawMessage   `json:"arcs"`
	Properties map[string]string `json:"properties"`
}

// Shape is one decoded country: rings of [lon, lat] points.
type Shape struct {
	ID, Name string
	Rings    [][][2]float64
}

// Shapes decodes the named object's polygons into longitude/latitude rings.
func (t *Topology) Shapes(object string) ([]Shape, error) {
	if t.Type != "Topology" {
		return nil, fmt.Errorf("not a TopoJSON topology (type %q)", t.Type)
	}
	obj, ok := t.Objects[object]
	if !ok {
		return nil, fmt.Errorf("no object %q in topology", object)
	}
	arcs := t.decodeArcs()
	var out []Shape
	for i, g := range obj.Geometries {
		var polys [][][]int
		switch g.Type {
		case "Polygon":
			var rings [][]int
			if err := json.Unmarshal(g.Arcs, &rings); err != nil {
				return nil, fmt.Errorf("geometry %d (%s): %w", i, g.Properties["name"], err)
			}
			polys = [][][]int{rings}
		case "MultiPolygon":
			if err := json.Unmarshal(g.Arcs, &polys); err != nil {
				return nil, fmt.Errorf("geometry %d (%s): %w", i, g.Properties["name"], err)
			}
		case "", "null":
			continue
		default:
			return nil, fmt.Errorf("geometry %d: unsupported type %q", i, g.Type)
		}
		s := Shape{ID: g.ID, Name: g.Properties["name"]}
		for _, rings := range polys {
			for _, ring := range rings {
				pts, err := stitch(arcs, ring)
				if err != nil {
					return nil, fmt.Errorf("geometry %d (%s): %w", i, s.Name, err)
				}
				s.Rings = append(s.Rings, pts)
			}
		}
		out = append(out, s)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// decodeArcs undoes the delta encoding and the quantization.
func (t *Topology) decodeArcs() [][][2]float64 {
	out := make([][][2]float64, len(t.Arcs))
	for i, arc := range t.Arcs {
		pts := make([][2]float64, len(arc))
		var x, y float64
		for j, p := range arc {
			if t.Transform == nil {
				pts[j] = p
				continue
			}
			x += p[0]
			y += p[1]
			pts[j] = [2]float64{x*t.Transform.Scale[0] + t.Transform.Translate[0], y*t.Transform.Scale[1] + t.Transform.Translate[1]}
		}
		out[i] = pts
	}
	return out
}

// stitch joins a ring's arcs; index ^i (negative) means arc i reversed, and
// each arc after the first starts where the previous one ended.
func stitch(arcs [][][2]float64, ring []int) ([][2]float64, error) {
	var pts [][2]float64
	for k, idx := range ring {
		rev := idx < 0
		if rev {
			idx = ^idx
		}
		if idx >= len(arcs) {
			return nil, fmt.Errorf("arc %d out of range (%d arcs)", idx, len(arcs))
		}
		a := arcs[idx]
		seg := make([][2]float64, len(a))
		for j := range a {
			if rev {
				seg[j] = a[len(a)-1-j]
			} else {
				seg[j] = a[j]
			}
		}
		if k > 0 && len(seg) > 0 {
			seg = seg[1:]
		}
		pts = append(pts, seg...)
	}
	return pts, nil
}

// Project maps longitude and latitude to the SVG's equirectangular plane.
func Project(lon, lat float64) (x, y float64) { return lon + 180, 90 - lat }

// WriteSVG writes one <path> per shape, coordinates rounded to 0.1 unit
// (0.1 degree) and written relative to keep the file small.
func WriteSVG(w io.Writer, shapes []Shape) error {
	var b bytes.Buffer
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 180" preserveAspectRatio="xMidYMid meet">` + "\n")
	b.WriteString("<!-- Countries from world-atlas countries-110m (Natural Earth), ISC licence: see world-atlas-LICENSE. Equirectangular: x = lon+180, y = 90-lat. -->\n")
	b.WriteString(`<g class="countries">` + "\n")
	for _, s := range shapes {
		d := pathData(s.Rings)
		if d == "" {
			continue
		}
		fmt.Fprintf(&b, `<path data-id="%s" d="%s"><title>%s</title></path>`+"\n", html.EscapeString(s.ID), d, html.EscapeString(s.Name))
	}
	b.WriteString("</g>\n</svg>\n")
	_, err := w.Write(b.Bytes())
	return err
}

func pathData(rings [][][2]float64) string {
	var b bytes.Buffer
	for _, ring := range rings {
		var last [2]int
		n := 0
		for _, p := range ring {
			x, y := Project(p[0], p[1])
			q := [2]int{int(math.Round(x * 10)), int(math.Round(y * 10))}
			switch {
			case n == 0:
				b.WriteString("M" + tenths(q[0]) + " " + tenths(q[1]))
			case q == last:
				continue
			default:
				b.WriteString("l" + tenths(q[0]-last[0]) + " " + tenths(q[1]-last[1]))
			}
			last = q
			n++
		}
		if n > 0 {
			b.WriteString("z")
		}
	}
	return b.String()
}

// tenths formats v/10 with at most one decimal and no leading zero.
func tenths(v int) string {
	neg := v < 0
	if neg {
		v = -v
	}
	s := strconv.Itoa(v / 10)
	if r := v % 10; r != 0 {
		if s == "0" {
			s = ""
		}
		s += "." + strconv.Itoa(r)
	}
	if neg {
		s = "-" + s
	}
	return s
}
