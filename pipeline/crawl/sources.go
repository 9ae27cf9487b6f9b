package crawl

import (
	"bytes"
	"fmt"
	"net/url"
	"os"
	"regexp"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// DefaultMaxDepth is the link depth followed from a start page when a source
// does not set max_depth.
const DefaultMaxDepth = 2

// DefaultRecrawl is how often a source is crawled again when it does not set
// recrawl (continuous mode only).
const DefaultRecrawl = 15 * time.Minute

// DefaultRevisit is how long after a fetch an article page may be fetched
// again when a source does not set revisit.
const DefaultRevisit = 24 * time.Hour

// DefaultRevisitMax caps the backoff of revisits that find an article
// unchanged when a source does not set revisit_max.
const DefaultRevisitMax = 7 * 24 * time.Hour

// Source is one site to crawl, as listed in a sources file.
type Source struct {
	// Name names the source in logs and metrics. Default: the host of its
	// first URL.
	Name string `yaml:"name"`
	// StartURLs are pages (front pages, section pages) to start from.
	StartURLs []string `yaml:"start_urls"`
	// Feeds are RSS or Atom feeds whose items are fetched.
	Feeds []string `yaml:"feeds"`
	// Sitemaps are XML sitemaps or sitemap indexes, news sitemaps included.
	// Sitemaps named in a host's robots.txt are added.
	Sitemaps []string `yaml:"sitemaps"`
	// AllowedHosts are the hosts links are followed to. Default: the hosts of
	// StartURLs, Feeds and Sitemaps, with and without "www.".
	AllowedHosts []string `yaml:"allowed_hosts"`
	// Include are regular expressions; when any are given a URL must match
	// one to be fetched (start, feed and sitemap URLs are always fetched).
	Include []string `yaml:"include"`
	// Exclude are regular expressions; a URL that matches one is skipped.
	Exclude []string `yaml:"exclude"`
	// MaxDepth is how many links are followed from a start page, feed or
	// sitemap. Default: DefaultMaxDepth. -1 follows no links.
	MaxDepth int `yaml:"max_depth"`
	// Recrawl is how often the source is crawled again in continuous mode,
	// written as a Go duration ("15m"). Default: DefaultRecrawl.
	Recrawl time.Duration `yaml:"-"`
	// Revisit is how long after a fetch an article page is fetched again
	// (with a conditional GET) when a feed, sitemap or page links to it
	// again; each visit that finds it unchanged doubles the wait, up to
	// RevisitMax. Only a changed text is published again. Written as a Go
	// duration ("24h"). Default: DefaultRevisit; negative: never.
	Revisit time.Duration `yaml:"-"`
	// RevisitMax caps the doubled Revisit wait. Default: DefaultRevisitMax.
	RevisitMax time.Duration `yaml:"-"`

	include, exclude []*regexp.Regexp
	hosts            map[string]bool
}

var sourceKeys = map[string]bool{
	"name": true, "start_urls": true, "feeds": true, "sitemaps": true, "allowed_hosts": true,
	"include": true, "exclude": true, "max_depth": true, "recrawl": true,
	"revisit": true, "revisit_max": true,
}

// UnmarshalYAML reads a Source, with recrawl as a duration string.
func (s *Source) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if k := n.Content[i].Value; !sourceKeys[k] {
				return fmt.Errorf("line %d: unknown source field %q", n.Content[i].Line, k)
			}
		}
	}
	type plain Source
	var aux struct {
		plain      `yaml:",inline"`
		Recrawl    string `yaml:"recrawl"`
		Revisit    string `yaml:"revisit"`
		RevisitMax string `yaml:"revisit_max"`
	}
	if err := n.Decode(&aux); err != nil {
		return err
	}
	*s = Source(aux.plain)
	for _, d := range []struct {
		name, val string
		dst       *time.Duration
	}{{"recrawl", aux.Recrawl, &s.Recrawl}, {"revisit", aux.Revisit, &s.Revisit}, {"revisit_max", aux.RevisitMax, &s.RevisitMax}} {
		if d.val == "" {
			continue
		}
		v, err := time.ParseDuration(d.val)
		if err != nil {
			return fmt.Errorf("line %d: %s: %w", n.Line, d.name, err)
		}
		*d.dst = v
	}
	return nil
}

// LoadSources reads and validates a sources file: YAML with a top-level
// "sources" list (or a bare list) of Source.
func LoadSources(path string) ([]Source, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: read sources: %v", ErrConfig, err)
	}
	srcs, err := ParseSources(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return srcs, nil
}

// ParseSources parses and validates the YAML of a sources file.
func ParseSources(data []byte) ([]Source, error) {
	var doc struct {
		Sources []Source `yaml:"sources"`
	}
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("-")) {
		if err := yaml.Unmarshal(data, &doc.Sources); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrConfig, err)
		}
	} else {
		dec := yaml.NewDecoder(bytes.NewReader(data))
		dec.KnownFields(true)
		if err := dec.Decode(&doc); err != nil {
			return nil, fmt.Errorf("%w: %v", ErrConfig, err)
		}
	}
	if len(doc.Sources) == 0 {
		return nil, fmt.Errorf("%w: no sources", ErrConfig)
	}
	seen := map[string]bool{}
	for i := range doc.Sources {
		if err := doc.Sources[i].Validate(); err != nil {
			return nil, fmt.Errorf("source %d: %w", i+1, err)
		}
		if seen[doc.Sources[i].Name] {
			return nil, fmt.Errorf("%w: source %q listed twice", ErrConfig, doc.Sources[i].Name)
		}
		seen[doc.Sources[i].Name] = true
	}
	return doc.Sources, nil
}

// SourcesFromURLs makes one source per host of urls, for a quick crawl of
// a few pages: URLs ending in .xml or containing "sitemap" or "rss"/"feed"
// are treated as sitemaps or feeds, the others as start pages.
func SourcesFromURLs(urls []string) ([]Source, error) {
	byHost := map[string]*Source{}
	var order []string
	for _, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return nil, fmt.Errorf("%w: %q is not an http(s) URL", ErrConfig, raw)
		}
		s := byHost[u.Host]
		if s == nil {
			s = &Source{Name: strings.TrimPrefix(u.Hostname(), "www.")}
			byHost[u.Host] = s
			order = append(order, u.Host)
		}
		lower := strings.ToLower(u.Path)
		switch {
		case strings.Contains(lower, "sitemap"):
			s.Sitemaps = append(s.Sitemaps, raw)
		case strings.Contains(lower, "rss") || strings.Contains(lower, "feed") || strings.Contains(lower, "atom"):
			s.Feeds = append(s.Feeds, raw)
		default:
			s.StartURLs = append(s.StartURLs, raw)
		}
	}
	out := make([]Source, 0, len(order))
	for _, h := range order {
		s := *byHost[h]
		if err := s.Validate(); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// Validate checks a source and fills in its defaults. It is called by
// LoadSources and New.
func (s *Source) Validate() error {
	all := s.seeds()
	if len(all) == 0 {
		return fmt.Errorf("%w: source %q has no start_urls, feeds or sitemaps", ErrConfig, s.Name)
	}
	hosts := map[string]bool{}
	for _, raw := range all {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("%w: source %q: %q is not an http(s) URL", ErrConfig, s.Name, raw)
		}
		if len(s.AllowedHosts) == 0 {
			h := strings.ToLower(u.Hostname())
			hosts[h] = true
			if strings.HasPrefix(h, "www.") {
				hosts[strings.TrimPrefix(h, "www.")] = true
			} else {
				hosts["www."+h] = true
			}
		}
		if s.Name == "" {
			s.Name = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
		}
	}
	for _, h := range s.AllowedHosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" || strings.ContainsAny(h, "/ ") {
			return fmt.Errorf("%w: source %q: bad allowed host %q", ErrConfig, s.Name, h)
		}
		hosts[h] = true
	}
	s.hosts = hosts
	s.include, s.exclude = nil, nil
	for _, p := range s.Include {
		re, err := regexp.Compile(p)
		if err != nil {
			return fmt.Errorf("%w: source %q: include %q: %v", ErrConfig, s.Name, p, err)
		}
		s.include = append(s.include, re)
	}
	for _, p := range s.Exclude {
		re, err := regexp.Compile(p)
		if err != nil {
			return fmt.Errorf("%w: source %q: exclude %q: %v", ErrConfig, s.Name, p, err)
		}
		s.exclude = append(s.exclude, re)
	}
	switch {
	case s.MaxDepth == 0:
		s.MaxDepth = DefaultMaxDepth
	case s.MaxDepth < -1:
		return fmt.Errorf("%w: source %q: max_depth %d", ErrConfig, s.Name, s.MaxDepth)
	}
	switch {
	case s.Recrawl == 0:
		s.Recrawl = DefaultRecrawl
	case s.Recrawl < time.Second:
		return fmt.Errorf("%w: source %q: recrawl %s is under a second", ErrConfig, s.Name, s.Recrawl)
	}
	if s.Revisit == 0 {
		s.Revisit = DefaultRevisit
	}
	if s.RevisitMax == 0 {
		s.RevisitMax = max(DefaultRevisitMax, s.Revisit)
	}
	if s.Revisit > 0 && s.RevisitMax < s.Revisit {
		return fmt.Errorf("%w: source %q: revisit_max %s is under revisit %s", ErrConfig, s.Name, s.RevisitMax, s.Revisit)
	}
	return nil
}

func (s *Source) seeds() []string {
	all := make([]string, 0, len(s.StartURLs)+len(s.Feeds)+len(s.Sitemaps))
	all = append(all, s.StartURLs...)
	all = append(all, s.Feeds...)
	return append(all, s.Sitemaps...)
}

// allowsHost reports whether links may be followed to host (no port).
func (s *Source) allowsHost(host string) bool { return s.hosts[strings.ToLower(host)] }

// allowsURL applies the host list and the include and exclude patterns.
func (s *Source) allowsURL(u *url.URL) bool {
	if !s.allowsHost(u.Hostname()) {
		return false
	}
	str := u.String()
	for _, re := range s.exclude {
		if re.MatchString(str) {
			return false
		}
	}
	if len(s.include) == 0 {
		return true
	}
	for _, re := range s.include {
		if re.MatchString(str) {
			return true
		}
	}
	return false
}

// revisitAfter is the wait before an article page fetched unchanged times
// in a row is due again: Revisit doubled for each unchanged visit, capped at
// RevisitMax. It is negative when the source never revisits.
func (s *Source) revisitAfter(unchanged int) time.Duration {
	if s.Revisit < 0 {
		return -1
	}
	d := s.Revisit
	for i := 0; i < unchanged && d < s.RevisitMax; i++ {
		d *= 2
	}
	return min(d, s.RevisitMax)
}
