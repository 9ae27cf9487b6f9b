package app

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/newswire/newswire/extractors"
	_ "github.com/newswire/newswire/extractors/all" // register every extractor
	"github.com/newswire/newswire/extractors/text"
	"github.com/newswire/newswire/pipeline/article"
	"github.com/newswire/newswire/pipeline/extract"
)

// maxInputBytes bounds one input file of `newswire extract`.
const maxInputBytes = 64 << 20

type extractFlags struct {
	url, title, published, kb string
}

func extractCmd(o *Options) *cobra.Command {
	var f extractFlags
	cmd := &cobra.Command{
		Use:   "extract [flags] FILE...|-",
		Short: "Extract people, groups, places and events from articles, without NATS",
		Long: `Reads articles (plain text or HTML, told apart by content) and prints each
enriched article as JSON: one indented document for one file, JSON Lines for
several (one per file, in order). "-" reads standard input. The model loads once.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runExtract(cmd.Context(), cmd.OutOrStdout(), f, args)
		},
	}
	fl := cmd.Flags()
	fl.StringVar(&f.url, "url", "", "the article's URL (its source and canonical URL)")
	fl.StringVar(&f.title, "title", "", "the article's title (overrides one found in HTML)")
	fl.StringVar(&f.published, "published", "", "publication date YYYY-MM-DD (or RFC 3339), for relative dates")
	fl.StringVar(&f.kb, "kb", "", "extra knowledge-base file (YAML) merged over the built-in one")
	return cmd
}

func runExtract(ctx context.Context, stdout io.Writer, f extractFlags, files []string) error {
	var published *time.Time
	if f.published != "" {
		t, err := parseDate(f.published)
		if err != nil {
			return fmt.Errorf("--published: %w", err)
		}
		published = &t
	}
	p, err := extractors.NewPipeline(extractors.Config{KnowledgeBase: f.kb})
	if err != nil {
		return err
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	if len(files) == 1 {
		enc.SetIndent("", "  ")
	}
	failed := 0
	for _, name := range files {
		a, err := readArticle(ctx, name, f, published)
		if err == nil {
			var e *article.Enriched
			if e, err = extract.Enrich(ctx, p, a); err == nil {
				err = enc.Encode(e)
			}
		}
		if err != nil {
			failed++
			fmt.Fprintf(os.Stderr, "newswire extract: %s: %v\n", name, err)
			// Keep JSON Lines aligned with the inputs: one line per file.
			if len(files) > 1 {
				_ = enc.Encode(map[string]string{"file": name, "error": err.Error()})
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d inputs failed", failed, len(files))
	}
	return nil
}

// readArticle reads one input and turns it into a raw Article.
func readArticle(ctx context.Context, name string, f extractFlags, published *time.Time) (*article.Article, error) {
	var r io.Reader
	if name == "-" {
		r = os.Stdin
	} else {
		fh, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer fh.Close()
		r = fh
	}
	data, err := io.ReadAll(io.LimitReader(r, maxInputBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read: %w", err)
	}
	if len(data) > maxInputBytes {
		return nil, fmt.Errorf("larger than %d MiB", maxInputBytes>>20)
	}
	u := f.url
	if u == "" {
		u = "file:" + name
	}
	now := time.Now().UTC()
	var a *article.Article
	if text.LooksLikeHTML(data) {
		a, err = text.FromHTML(ctx, data, u, now)
		if err != nil {
			return nil, err
		}
	} else {
		a = plainArticle(data, u, now)
	}
	if f.title != "" {
		a.Title = f.title
	}
	if published != nil {
		a.Published = published
	}
	return a, nil
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{"2006-01-02", time.RFC3339, "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not YYYY-MM-DD or RFC 3339", s)
}

// plainArticle wraps plain text as a raw Article; the text extractor
// normalises it. The source is the URL's host, or "file" for local files.
func plainArticle(data []byte, rawURL string, fetched time.Time) *article.Article {
	txt := strings.ToValidUTF8(string(data), "\uFFFD")
	source := "file"
	if u, err := url.Parse(rawURL); err == nil && u.Host != "" {
		source = strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	title, body := splitHeadline(txt)
	return &article.Article{
		SchemaVersion: article.SchemaVersion,
		ID:            article.IDFor(rawURL),
		URL:           rawURL,
		CanonicalURL:  rawURL,
		Source:        source,
		Fetched:       fetched,
		Title:         title,
		Text:          body,
		HTMLSize:      0,
		ContentHash:   article.HashText(body),
	}
}

// splitHeadline takes the first line of a plain-text article as its title
// when it reads like a headline: at most 200 bytes, not ending a sentence,
// and followed by a blank line. Otherwise the whole text is the body.
func splitHeadline(txt string) (title, body string) {
	trimmed := strings.TrimLeft(txt, " \t\r\n")
	first, rest, ok := strings.Cut(trimmed, "\n")
	first = strings.TrimSpace(first)
	if !ok || first == "" || len(first) > 200 || strings.HasSuffix(first, ".") {
		return "", txt
	}
	if next, _, _ := strings.Cut(rest, "\n"); strings.TrimSpace(next) != "" {
		return "", txt
	}
	return first, strings.TrimLeft(rest, " \t\r\n")
}
