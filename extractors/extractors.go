package extractors

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/newswire/newswire/pipeline/article"
)

// Token is one token of the article text with its part-of-speech tag.
type Token struct {
	Text string
	// Tag is a Penn Treebank tag.
	Tag string
	// Start and End are byte offsets into Document.Text.
	Start, End int
}

// Sentence is one sentence of the article text.
type Sentence struct {
	// Start and End are byte offsets into Document.Text.
	Start, End int
	Tokens     []Token
}

// Mention is one span of text that names an entity.
type Mention struct {
	Text string
	// Kind is person, group or place.
	Kind article.EntityKind
	// Label is the recogniser's finer label (PER, ORG, LOC, GPE, FAC, ...).
	Label string
	// Start and End are byte offsets into Document.Text.
	Start, End int
	// Sentence indexes Document.Sentences.
	Sentence int
	// EntityID is set by the entities and places extractors to the id of the
	// entity or place the mention resolved to.
	EntityID string
}

// Document is one article under analysis. Extractors run one after another
// on a Document; it is not shared between goroutines.
type Document struct {
	// Article is the input.
	Article *article.Article
	// Text is the text under analysis: the article's title and text, set by
	// the text extractor. Offsets elsewhere index into it.
	Text string
	// TitleEnd is the byte offset where the title ends in Text (0 if none).
	TitleEnd  int
	Sentences []Sentence
	Mentions  []Mention
	// Out is the enriched article being built.
	Out *article.Enriched
}

// SentenceText returns the text of sentence i.
func (d *Document) SentenceText(i int) string {
	s := d.Sentences[i]
	return d.Text[s.Start:s.End]
}

// Extractor adds what it finds in an article to a Document. Implementations
// are safe for concurrent use on different Documents.
type Extractor interface {
	Name() string
	Extract(ctx context.Context, d *Document) error
}

// Config configures the extractors. The zero value selects the defaults.
type Config struct {
	// KnowledgeBase is an extra knowledge-base file (YAML) of known entities
	// merged over the embedded one. Default: none.
	KnowledgeBase string
	// Disable names extractors to leave out.
	Disable []string
}

// Factory builds an extractor. It is called once per Pipeline, so it is the
// place to load models.
type Factory func(cfg Config) (Extractor, error)

type registration struct {
	name    string
	order   int
	factory Factory
}

// Registry holds extractor factories by name.
type Registry struct {
	mu   sync.Mutex
	regs map[string]registration
}

// Default is the registry that extractor packages add themselves to from init.
var Default = &Registry{}

// MustRegister adds a factory to the registry under name. Extractors run in
// ascending order. It panics on a duplicate name; call it from init.
func (r *Registry) MustRegister(name string, order int, f Factory) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.regs == nil {
		r.regs = map[string]registration{}
	}
	if _, dup := r.regs[name]; dup {
		panic(fmt.Sprintf("extractors: %q registered twice", name))
	}
	r.regs[name] = registration{name: name, order: order, factory: f}
}

// MustRegister adds a factory to the Default registry.
func MustRegister(name string, order int, f Factory) { Default.MustRegister(name, order, f) }

// Names lists the registered extractors in run order.
func (r *Registry) Names() []string {
	var out []string
	for _, reg := range r.sorted() {
		out = append(out, reg.name)
	}
	return out
}

func (r *Registry) sorted() []registration {
	r.mu.Lock()
	defer r.mu.Unlock()
	regs := make([]registration, 0, len(r.regs))
	for _, reg := range r.regs {
		regs = append(regs, reg)
	}
	sort.Slice(regs, func(i, j int) bool {
		if regs[i].order != regs[j].order {
			return regs[i].order < regs[j].order
		}
		return regs[i].name < regs[j].name
	})
	return regs
}

// Pipeline runs extractors in order. Safe for concurrent use.
type Pipeline struct {
	extractors []Extractor
}

// NewPipeline builds every extractor of the Default registry.
func NewPipeline(cfg Config) (*Pipeline, error) { return Default.NewPipeline(cfg) }

// NewPipeline builds every registered extractor not disabled in cfg.
func (r *Registry) NewPipeline(cfg Config) (*Pipeline, error) {
	disabled := map[string]bool{}
	for _, n := range cfg.Disable {
		disabled[n] = true
	}
	p := &Pipeline{}
	for _, reg := range r.sorted() {
		if disabled[reg.name] {
			continue
		}
		x, err := reg.factory(cfg)
		if err != nil {
			return nil, fmt.Errorf("extractors: build %s: %w", reg.name, err)
		}
		p.extractors = append(p.extractors, x)
	}
	return p, nil
}

// NewPipelineOf builds a pipeline of the given extractors, in that order.
func NewPipelineOf(xs ...Extractor) *Pipeline { return &Pipeline{extractors: xs} }

// Names lists the pipeline's extractors in run order.
func (p *Pipeline) Names() []string {
	out := make([]string, len(p.extractors))
	for i, x := range p.extractors {
		out[i] = x.Name()
	}
	return out
}

// Run analyses one article and returns the enriched article. The input is not
// modified. Slices in the result are never nil, so they encode as [].
func (p *Pipeline) Run(ctx context.Context, a *article.Article) (*article.Enriched, error) {
	d := &Document{Article: a, Out: &article.Enriched{Article: *a}}
	for _, x := range p.extractors {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := x.Extract(ctx, d); err != nil {
			return nil, fmt.Errorf("extractor %s: %w", x.Name(), err)
		}
	}
	d.Out.Extracted = time.Now().UTC()
	normalise(d.Out)
	return d.Out, nil
}

func normalise(e *article.Enriched) {
	if e.People == nil {
		e.People = []article.Entity{}
	}
	if e.Groups == nil {
		e.Groups = []article.Entity{}
	}
	if e.Places == nil {
		e.Places = []article.Place{}
	}
	if e.Events == nil {
		e.Events = []article.Event{}
	}
	for i := range e.People {
		if e.People[i].Aliases == nil {
			e.People[i].Aliases = []string{}
		}
	}
	for i := range e.Groups {
		if e.Groups[i].Aliases == nil {
			e.Groups[i].Aliases = []string{}
		}
	}
	for i := range e.Places {
		if e.Places[i].Aliases == nil {
			e.Places[i].Aliases = []string{}
		}
	}
	for i := range e.Events {
		if e.Events[i].Perpetrators == nil {
			e.Events[i].Perpetrators = []string{}
		}
		if e.Events[i].Targets == nil {
			e.Events[i].Targets = []string{}
		}
	}
}
