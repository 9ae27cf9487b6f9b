package demo

import (
	"bufio"
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"

	"gopkg.in/yaml.v3"
)

//go:embed articles/*.md
var articleFS embed.FS

// Section is one section of the demo site, served at /<Slug>/.
type Section struct {
	// Slug is the URL path segment, e.g. "europe".
	Slug string
	// Name is the display name, e.g. "Europe".
	Name string
}

// Path is the section page's URL path, e.g. "/europe/".
func (s Section) Path() string { return "/" + s.Slug + "/" }

// Sections lists the site's sections in navigation order. "world" lists every
// article; the others list the articles filed under them.
func Sections() []Section {
	return []Section{
		{Slug: "world", Name: "World"},
		{Slug: "europe", Name: "Europe"},
		{Slug: "middle-east", Name: "Middle East"},
		{Slug: "africa", Name: "Africa"},
		{Slug: "asia", Name: "South Asia"},
		{Slug: "americas", Name: "Americas"},
	}
}

// Article is one story of the demo site. Its body is our own writing, kept as
// a Markdown-like file with YAML front matter under articles/.
type Article struct {
	// Slug names the article; its page is /articles/<Slug>.html.
	Slug string
	// Title is the headline.
	Title string
	// Section is the slug of the section the article is filed under.
	Section string
	// Author is the byline, without "By".
	Author string
	// Dateline is the place the story was filed from, e.g. "MOGADISHU".
	Dateline string
	// Summary is the standfirst, also used as the feed item description.
	Summary string
	// Tags are free keywords, rendered as article:tag metadata.
	Tags []string
	// Published is when the article was first published.
	Published time.Time
	// Updated is when it was last updated; equal to Published when never.
	Updated time.Time
	// Blocks are the body's paragraphs and subheadings, in order.
	Blocks []Block
}

// Block is one paragraph or subheading of an article body.
type Block struct {
	// Heading is true for a subheading ("## " in the source file).
	Heading bool
	// Text is the block's plain text.
	Text string
}

// Path is the article page's URL path, e.g. "/articles/some-slug.html".
func (a *Article) Path() string { return "/articles/" + a.Slug + ".html" }

// Text is the article body as plain text, blocks separated by blank lines.
func (a *Article) Text() string {
	parts := make([]string, len(a.Blocks))
	for i, b := range a.Blocks {
		parts[i] = b.Text
	}
	return strings.Join(parts, "\n\n")
}

// Words counts the words of the body (not the headline or the summary).
func (a *Article) Words() int {
	n := 0
	for _, b := range a.Blocks {
		n += len(strings.FieldsFunc(b.Text, func(r rune) bool {
			return unicode.IsSpace(r) || r == '—' || r == '–'
		}))
	}
	return n
}

// frontMatter is the YAML header of an article file.
type frontMatter struct {
	Title     string   `yaml:"title"`
	Section   string   `yaml:"section"`
	Author    string   `yaml:"author"`
	Dateline  string   `yaml:"dateline"`
	Summary   string   `yaml:"summary"`
	Tags      []string `yaml:"tags"`
	Published string   `yaml:"published"`
	Updated   string   `yaml:"updated"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// Articles returns every article of the demo site, newest first. The content
// is embedded in the binary, so an error means the build carries a bad file.
func Articles() ([]Article, error) {
	return loadArticles(articleFS, "articles")
}

// loadArticles parses every *.md file of dir in fsys.
func loadArticles(fsys fs.FS, dir string) ([]Article, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.md"))
	if err != nil {
		return nil, fmt.Errorf("list articles: %w", err)
	}
	sections := map[string]bool{}
	for _, s := range Sections() {
		sections[s.Slug] = true
	}
	out := make([]Article, 0, len(names))
	for _, name := range names {
		data, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", name, err)
		}
		a, err := parseArticle(strings.TrimSuffix(path.Base(name), ".md"), data)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		if !sections[a.Section] || a.Section == "world" {
			return nil, fmt.Errorf("%s: %w: unknown section %q", name, ErrBadArticle, a.Section)
		}
		out = append(out, *a)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if !out[i].Published.Equal(out[j].Published) {
			return out[i].Published.After(out[j].Published)
		}
		return out[i].Slug < out[j].Slug
	})
	return out, nil
}

// parseArticle reads one article file: a YAML front matter between "---"
// lines, then the body, paragraphs separated by blank lines, "## " starting a
// subheading. Lines of one paragraph are joined with a space.
func parseArticle(slug string, data []byte) (*Article, error) {
	if !slugRE.MatchString(slug) {
		return nil, fmt.Errorf("%w: slug %q is not lowercase-dashed", ErrBadArticle, slug)
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	rest, ok := bytes.CutPrefix(data, []byte("---\n"))
	if !ok {
		return nil, fmt.Errorf("%w: no front matter (want a first line ---)", ErrBadArticle)
	}
	head, body, ok := bytes.Cut(rest, []byte("\n---\n"))
	if !ok {
		return nil, fmt.Errorf("%w: front matter not closed by ---", ErrBadArticle)
	}
	var fm frontMatter
	dec := yaml.NewDecoder(bytes.NewReader(head))
	dec.KnownFields(true)
	if err := dec.Decode(&fm); err != nil {
		return nil, fmt.Errorf("%w: front matter: %w", ErrBadArticle, err)
	}
	a := &Article{Slug: slug, Title: strings.TrimSpace(fm.Title), Section: fm.Section,
		Author: strings.TrimSpace(fm.Author), Dateline: strings.TrimSpace(fm.Dateline),
		Summary: strings.TrimSpace(fm.Summary), Tags: fm.Tags}
	for field, v := range map[string]string{"title": a.Title, "section": a.Section, "author": a.Author,
		"summary": a.Summary, "published": fm.Published} {
		if v == "" {
			return nil, fmt.Errorf("%w: missing %s", ErrBadArticle, field)
		}
	}
	var err error
	if a.Published, err = time.Parse(time.RFC3339, fm.Published); err != nil {
		return nil, fmt.Errorf("%w: published: %w", ErrBadArticle, err)
	}
	a.Updated = a.Published
	if fm.Updated != "" {
		if a.Updated, err = time.Parse(time.RFC3339, fm.Updated); err != nil {
			return nil, fmt.Errorf("%w: updated: %w", ErrBadArticle, err)
		}
		if a.Updated.Before(a.Published) {
			return nil, fmt.Errorf("%w: updated %s is before published %s", ErrBadArticle, fm.Updated, fm.Published)
		}
	}
	a.Blocks = parseBody(body)
	if len(a.Blocks) == 0 {
		return nil, fmt.Errorf("%w: empty body", ErrBadArticle)
	}
	return a, nil
}

// parseBody splits a body into blocks.
func parseBody(body []byte) []Block {
	var blocks []Block
	var para []string
	flush := func() {
		if len(para) > 0 {
			blocks = append(blocks, Block{Text: strings.Join(para, " ")})
			para = nil
		}
	}
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "":
			flush()
		case strings.HasPrefix(line, "## "):
			flush()
			blocks = append(blocks, Block{Heading: true, Text: strings.TrimSpace(line[3:])})
		default:
			para = append(para, line)
		}
	}
	flush()
	return blocks
}
