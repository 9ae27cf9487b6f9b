package main

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/newswire/newswire/extractors"
	_ "github.com/newswire/newswire/extractors/all"
	"github.com/newswire/newswire/extractors/events"
	"github.com/newswire/newswire/pipeline/article"
)

func main() {
	var (
		src   = flag.String("ecbplus", "../shared/eval/ecbplus/ECBplus.tar.gz", "ECB+ archive (ECBplus.tar.gz) or unpacked ECB+ directory")
		split = flag.String("split", "dev", "dev (topics 1-22), test (topics 23-45) or all")
		verb  = flag.Bool("v", false, "list misses and false alarms")
	)
	flag.Parse()
	if err := run(context.Background(), *src, *split, *verb, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "evscore:", err)
		os.Exit(1)
	}
}

// doc is one ECB+ document: its sentences as token lists and the gold
// mentions by sentence.
type doc struct {
	name  string
	topic int
	sents map[int][]string // sentence number -> tokens
	gold  map[int][]gold   // sentence number -> mentions
}

type gold struct {
	tag  string // ACTION_OCCURRENCE, TIME_DATE, LOC_GEO, ...
	text string
}

type xmlDoc struct {
	Name   string `xml:"doc_name,attr"`
	Tokens []struct {
		ID       string `xml:"t_id,attr"`
		Sentence int    `xml:"sentence,attr"`
		Text     string `xml:",chardata"`
	} `xml:"token"`
	Markables struct {
		Items []struct {
			XMLName xml.Name
			Anchors []struct {
				ID string `xml:"t_id,attr"`
			} `xml:"token_anchor"`
		} `xml:",any"`
	} `xml:"Markables"`
}

func parse(name string, r io.Reader) (*doc, error) {
	var x xmlDoc
	if err := xml.NewDecoder(r).Decode(&x); err != nil {
		return nil, fmt.Errorf("parse %s: %w", name, err)
	}
	base := path.Base(name)
	topic, err := strconv.Atoi(strings.SplitN(base, "_", 2)[0])
	if err != nil {
		return nil, fmt.Errorf("parse %s: topic: %w", name, err)
	}
	d := &doc{name: base, topic: topic, sents: map[int][]string{}, gold: map[int][]gold{}}
	sentOf, textOf := map[string]int{}, map[string]string{}
	for _, t := range x.Tokens {
		if strings.HasSuffix(base, "ecbplus.xml") && t.Sentence == 0 {
			continue // the source URL
		}
		d.sents[t.Sentence] = append(d.sents[t.Sentence], t.Text)
		sentOf[t.ID], textOf[t.ID] = t.Sentence, t.Text
	}
	for _, m := range x.Markables.Items {
		if len(m.Anchors) == 0 {
			continue // an instance, not a mention
		}
		s, ok := sentOf[m.Anchors[0].ID]
		if !ok {
			continue
		}
		var words []string
		for _, a := range m.Anchors {
			words = append(words, textOf[a.ID])
		}
		d.gold[s] = append(d.gold[s], gold{tag: m.XMLName.Local, text: strings.Join(words, " ")})
	}
	return d, nil
}

// load reads every document of the archive or directory.
func load(src string) ([]*doc, error) {
	st, err := os.Stat(src)
	if err != nil {
		return nil, fmt.Errorf("open ECB+: %w", err)
	}
	var out []*doc
	if st.IsDir() {
		err := walk(src, func(name string, r io.Reader) error {
			d, err := parse(name, r)
			if err == nil {
				out = append(out, d)
			}
			return err
		})
		return out, err
	}
	f, err := os.Open(src)
	if err != nil {
		return nil, fmt.Errorf("open ECB+: %w", err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", src, err)
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", src, err)
		}
		if h.Typeflag != tar.TypeReg || !strings.HasSuffix(h.Name, ".xml") {
			continue
		}
		d, err := parse(h.Name, tr)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func walk(dir string, fn func(string, io.Reader) error) error {
	es, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	for _, e := range es {
		p := path.Join(dir, e.Name())
		if e.IsDir() {
			if err := walk(p, fn); err != nil {
				return err
			}
			continue
		}
		if !strings.HasSuffix(e.Name(), ".xml") {
			continue
		}
		f, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("open %s: %w", p, err)
		}
		err = fn(p, f)
		f.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// inSplit reports whether a topic belongs to the split.
func inSplit(topic int, split string) (bool, error) {
	switch split {
	case "dev":
		return topic <= 22, nil
	case "test":
		return topic >= 23, nil
	case "all":
		return true, nil
	}
	return false, fmt.Errorf("unknown split %q (dev, test, all)", split)
}

// goldType maps a gold trigger to one of our types by its words; "" when it
// is no incident of ours.
func goldType(text string) string {
	for _, w := range strings.Fields(strings.ToLower(text)) {
		switch w {
		case "shot", "shooting", "shootings", "shoot", "shoots", "fired", "firing", "gunfire", "gunned", "gunshot", "gunshots", "shootout":
			return article.EventShooting
		case "bomb", "bombs", "bombing", "bombed", "bombings", "blast", "blasts", "explosion", "explosions", "exploded", "explode", "detonated", "firebomb", "firebombed", "firebombing":
			return article.EventBombing
		case "airstrike", "airstrikes", "shelling", "shelled", "bombardment", "bombarded":
			return article.EventAirStrike
		case "stabbed", "stabbing", "stabbings", "stab":
			return article.EventStabbing
		case "attack", "attacks", "attacked", "assault", "assaulted", "ambush", "ambushed", "massacre":
			return article.EventAttack
		case "kidnapped", "kidnapping", "abducted", "abduction":
			return article.EventKidnapping
		case "hostage", "hostages":
			return article.EventHostageTaking
		case "arrested", "arrest", "arrests", "detained", "detain", "apprehended", "nabbed", "custody", "booked":
			return article.EventArrest
		case "raid", "raids", "raided":
			return article.EventRaid
		}
	}
	return ""
}

// class is the unit of detection: violent incidents and police operations.
func class(typ string) string {
	switch typ {
	case article.EventArrest, article.EventRaid:
		return "police"
	case article.EventWarning, article.EventThreatLevel:
		return ""
	}
	return "violent"
}

type unit struct {
	doc   string
	sent  int
	class string
}

type found struct {
	types     map[string]bool
	times     []string
	places    []string
	date      string // ours
	place     string // ours
	words     string
	sentences string
}

type score struct {
	tp, fp, fn                  int
	typeOK                      int
	timeGold, timeOK, timeWrong int
	timeMiss                    int
	locGold, locOK, locWrong    int
	locMiss                     int
	docs, sents                 int
}

// captureKey is the context key under which the capture extractor finds its
// sink.
type captureKey struct{}

// capture runs last and hands the Document to the scorer through the context.
type capture struct{}

func (capture) Name() string { return "evscore-capture" }

func (capture) Extract(ctx context.Context, d *extractors.Document) error {
	if p, ok := ctx.Value(captureKey{}).(**extractors.Document); ok {
		*p = d
	}
	return nil
}

func init() {
	extractors.MustRegister("evscore-capture", events.Order+1, func(extractors.Config) (extractors.Extractor, error) { return capture{}, nil })
}

// placeholderPub stands in for the missing publication date.
var placeholderPub = time.Date(2012, 6, 15, 12, 0, 0, 0, time.UTC)

func run(ctx context.Context, src, split string, verbose bool, w io.Writer) error {
	docs, err := load(src)
	if err != nil {
		return err
	}
	sort.Slice(docs, func(i, j int) bool { return docs[i].name < docs[j].name })
	p, err := extractors.NewPipeline(extractors.Config{})
	if err != nil {
		return fmt.Errorf("build pipeline: %w", err)
	}
	var sc score
	byType := map[string]*score{}
	start := time.Now()
	for _, dc := range docs {
		ok, err := inSplit(dc.topic, split)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		sc.docs++
		// One sentence a line, in sentence order.
		var nums []int
		for n := range dc.sents {
			nums = append(nums, n)
		}
		sort.Ints(nums)
		lines := make([]string, len(nums))
		for i, n := range nums {
			lines[i] = strings.Join(dc.sents[n], " ")
		}
		pub := placeholderPub
		a := &article.Article{ID: dc.name, Text: strings.Join(lines, "\n"), Published: &pub}
		var d *extractors.Document
		if _, err := p.Run(context.WithValue(ctx, captureKey{}, &d), a); err != nil {
			return fmt.Errorf("%s: %w", dc.name, err)
		}
		if d == nil {
			return fmt.Errorf("%s: capture extractor did not run", dc.name)
		}
		goldU, oursU := map[unit]*found{}, map[unit]*found{}
		annotated := map[int]bool{}
		for i, n := range nums {
			for _, g := range dc.gold[n] {
				if strings.HasPrefix(g.tag, "ACTION_") || strings.HasPrefix(g.tag, "NEG_ACTION_") {
					annotated[i] = true
				}
				if g.tag != "ACTION_OCCURRENCE" {
					continue
				}
				t := goldType(g.text)
				if t == "" {
					continue
				}
				u := unit{dc.name, i, class(t)}
				f := goldU[u]
				if f == nil {
					f = &found{types: map[string]bool{}, sentences: lines[i]}
					for _, a := range dc.gold[n] {
						switch {
						case a.tag == "TIME_DATE" || a.tag == "TIME_OF_THE_DAY":
							f.times = append(f.times, a.text)
						case strings.HasPrefix(a.tag, "LOC_"):
							f.places = append(f.places, a.text)
						}
					}
					goldU[u] = f
				}
				f.types[t] = true
				f.words += g.text + "; "
			}
		}
		sc.sents += len(annotated)
		// The text extractor keeps one sentence a line: the line of a
		// trigger is its gold sentence.
		for _, m := range events.Mentions(d) {
			c := class(m.Event.Type)
			if c == "" {
				continue
			}
			line := strings.Count(d.Text[:m.Start], "\n") - strings.Count(d.Text[:d.TitleEnd], "\n")
			if !annotated[line] {
				continue
			}
			u := unit{dc.name, line, c}
			if oursU[u] != nil {
				continue // one per incident class and sentence
			}
			typ := m.Event.Type
			if typ == article.EventFoiledPlot && m.Event.Subtype != "" {
				typ = m.Event.Subtype // the attack that was stopped
			}
			f := &found{types: map[string]bool{typ: true}, words: m.Event.Trigger, sentences: m.Event.Evidence}
			f.date = m.Event.DateText
			if m.Event.Place != nil {
				f.place = *m.Event.Place
			}
			oursU[u] = f
		}
		for u, g := range goldU {
			gt := firstType(g.types)
			ts := byType[gt]
			if ts == nil {
				ts = &score{}
				byType[gt] = ts
			}
			o := oursU[u]
			if o == nil {
				sc.fn++
				ts.fn++
				if verbose {
					fmt.Fprintf(w, "MISS  %s s%d %s [%s] %s\n", u.doc, u.sent, u.class, g.words, g.sentences)
				}
				continue
			}
			sc.tp++
			ts.tp++
			if g.types[firstType(o.types)] {
				sc.typeOK++
				ts.typeOK++
			}
			args(&sc, g, o, verbose, w, u)
		}
		for u, o := range oursU {
			if goldU[u] == nil {
				sc.fp++
				if verbose {
					fmt.Fprintf(w, "FALSE %s s%d %s [%s] %s\n", u.doc, u.sent, u.class, o.words, o.sentences)
				}
			}
		}
	}
	el := time.Since(start)
	fmt.Fprintf(w, "ecb+ split=%s docs=%d annotated sentences=%d (%.1f docs/s with the whole pipeline)\n", split, sc.docs, sc.sents, float64(sc.docs)/el.Seconds())
	fmt.Fprintf(w, "trigger units  P=%.2f R=%.2f F1=%.2f (tp=%d fp=%d fn=%d)\n", ratio(sc.tp, sc.tp+sc.fp), ratio(sc.tp, sc.tp+sc.fn), f1(sc.tp, sc.fp, sc.fn), sc.tp, sc.fp, sc.fn)
	fmt.Fprintf(w, "type on matched  %.2f (%d/%d)\n", ratio(sc.typeOK, sc.tp), sc.typeOK, sc.tp)
	fmt.Fprintf(w, "time  gold=%d right=%d wrong=%d missing=%d  accuracy=%.2f precision=%.2f\n", sc.timeGold, sc.timeOK, sc.timeWrong, sc.timeMiss, ratio(sc.timeOK, sc.timeGold), ratio(sc.timeOK, sc.timeOK+sc.timeWrong))
	fmt.Fprintf(w, "place gold=%d right=%d wrong=%d missing=%d  accuracy=%.2f precision=%.2f\n", sc.locGold, sc.locOK, sc.locWrong, sc.locMiss, ratio(sc.locOK, sc.locGold), ratio(sc.locOK, sc.locOK+sc.locWrong))
	var ts []string
	for t := range byType {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	for _, t := range ts {
		s := byType[t]
		fmt.Fprintf(w, "  gold %-16s R=%.2f (tp=%d fn=%d) type=%.2f\n", t, ratio(s.tp, s.tp+s.fn), s.tp, s.fn, ratio(s.typeOK, s.tp))
	}
	return nil
}

// args scores the time and place of a matched unit against the sentence's
// gold time and location mentions.
func args(sc *score, g, o *found, verbose bool, w io.Writer, u unit) {
	if len(g.times) > 0 {
		sc.timeGold++
		switch {
		case o.date == "":
			sc.timeMiss++
		case overlapsAny(o.date, g.times):
			sc.timeOK++
		default:
			sc.timeWrong++
			if verbose {
				fmt.Fprintf(w, "TIME  %s s%d ours=%q gold=%q\n", u.doc, u.sent, o.date, g.times)
			}
		}
	} else if o.date != "" {
		sc.timeWrong++
		if verbose {
			fmt.Fprintf(w, "TIME  %s s%d ours=%q gold=none\n", u.doc, u.sent, o.date)
		}
	}
	if len(g.places) > 0 {
		sc.locGold++
		switch {
		case o.place == "":
			sc.locMiss++
		case overlapsAny(o.place, g.places):
			sc.locOK++
		default:
			sc.locWrong++
			if verbose {
				fmt.Fprintf(w, "PLACE %s s%d ours=%q gold=%q\n", u.doc, u.sent, o.place, g.places)
			}
		}
	} else if o.place != "" {
		// The place may come from a neighbouring sentence: not counted
		// wrong, since the gold sentence names none.
		_ = o
	}
}

// overlapsAny reports whether s and one of xs share a word of three letters
// or more, ignoring case: "Monday" and "on Monday", "Paris" and "Paris ,
// France".
func overlapsAny(s string, xs []string) bool {
	ws := map[string]bool{}
	for _, w := range strings.Fields(strings.ToLower(s)) {
		if w = strings.Trim(w, ".,;:'\"()"); len(w) >= 3 || isDigits(w) {
			ws[w] = true
		}
	}
	for _, x := range xs {
		for _, w := range strings.Fields(strings.ToLower(x)) {
			if ws[strings.Trim(w, ".,;:'\"()")] {
				return true
			}
		}
	}
	return false
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

func firstType(m map[string]bool) string {
	var ts []string
	for t := range m {
		ts = append(ts, t)
	}
	sort.Strings(ts)
	if len(ts) == 0 {
		return ""
	}
	return ts[0]
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

func f1(tp, fp, fn int) float64 {
	p, r := ratio(tp, tp+fp), ratio(tp, tp+fn)
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}
