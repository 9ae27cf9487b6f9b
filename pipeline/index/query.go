package index

import (
	"fmt"
	"github.com/newswire/newswire/extractors/text"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/newswire/newswire/pipeline/article"
)

// Limits of the query language. A query over a limit is an ErrBadQuery.
const (
	// MaxQueryLen is the longest query accepted, in bytes.
	MaxQueryLen = 1024
	// MaxClauses is the most words, phrases and filters in one query.
	MaxClauses = 64
	// MaxDepth is the deepest nesting of parentheses and NOT.
	MaxDepth = 16
)

// NodeKind says what a query Node is.
type NodeKind int

// The node kinds.
const (
	// NodeAll matches every article (the empty query).
	NodeAll NodeKind = iota
	// NodeWord matches a word in the title or text (Text).
	NodeWord
	// NodePhrase matches consecutive words in the title or text (Text).
	NodePhrase
	// NodeField matches when the article's Field has one of Values.
	NodeField
	// NodeDate matches articles published in [From, To).
	NodeDate
	// NodeAnd matches when every child matches.
	NodeAnd
	// NodeOr matches when any child matches.
	NodeOr
	// NodeNot matches when its only child does not.
	NodeNot
)

// Field is a field a filter applies to.
type Field string

// The fields of the query language.
const (
	FieldPerson    Field = "person"
	FieldGroup     Field = "group"
	FieldPlace     Field = "place"
	FieldEvent     Field = "event"
	FieldSource    Field = "source"
	FieldLang      Field = "lang"
	FieldPublished Field = "published"
)

// Fields lists the field names the query language knows.
func Fields() []Field {
	return []Field{FieldPerson, FieldGroup, FieldPlace, FieldEvent, FieldSource, FieldLang, FieldPublished}
}

// EntityKind returns the entity kind a field filters on, and false for
// fields that are not entities.
func (f Field) EntityKind() (article.EntityKind, bool) {
	switch f {
	case FieldPerson:
		return article.KindPerson, true
	case FieldGroup:
		return article.KindGroup, true
	case FieldPlace:
		return article.KindPlace, true
	}
	return "", false
}

// Node is one node of a parsed query. Backends translate the tree; Match
// evaluates it in memory with the same semantics.
type Node struct {
	Kind NodeKind
	// Pos is the byte offset in the query where the node starts.
	Pos int
	// Text is the word or phrase as typed (NodeWord, NodePhrase).
	Text string
	// Field and Values describe a filter (NodeField): the article matches
	// when the field holds any of Values, compared case-insensitively.
	// Entity values are names; after Query.Resolve the canonical name comes
	// first, then the name as typed. Event values are event types, source
	// and lang values are lower case.
	Field  Field
	Values []string
	// From and To bound a publication date range (NodeDate): From is
	// inclusive, To exclusive, nil is open.
	From, To *time.Time
	// Children are the operands of NodeAnd, NodeOr and NodeNot.
	Children []*Node
}

// Query is a parsed query. Build it with Parse; it is immutable after
// Resolve and safe for concurrent Match calls.
type Query struct {
	// Raw is the query as typed.
	Raw string
	// Root is the query tree; never nil.
	Root *Node
}

// Resolver maps an entity name to its canonical name, typically through the
// knowledge base ("ISKP" -> "Islamic State Khorasan Province"). ok is false
// for unknown names, which are then matched as typed.
type Resolver interface {
	Resolve(kind article.EntityKind, name string) (canonical string, ok bool)
}

// Resolve rewrites person:, group: and place: filters to match the canonical
// name of what was typed as well as the name as typed. A nil Resolver leaves
// names as typed. It returns q.
func (q *Query) Resolve(r Resolver) *Query {
	if r == nil {
		return q
	}
	walk(q.Root, func(n *Node) {
		if n.Kind != NodeField {
			return
		}
		kind, ok := n.Field.EntityKind()
		if !ok {
			return
		}
		var vals []string
		for _, v := range n.Values {
			if c, ok := r.Resolve(kind, v); ok && c != "" {
				vals = appendFold(vals, c)
			}
		}
		for _, v := range n.Values {
			vals = appendFold(vals, v)
		}
		n.Values = vals
	})
	return q
}

func appendFold(vals []string, v string) []string {
	for _, x := range vals {
		if strings.EqualFold(x, v) {
			return vals
		}
	}
	return append(vals, v)
}

func walk(n *Node, fn func(*Node)) {
	fn(n)
	for _, c := range n.Children {
		walk(c, fn)
	}
}

// String renders the query in a normal form, with explicit operators and
// parentheses.
func (q *Query) String() string { return q.Root.String() }

// String renders the node in the query language.
func (n *Node) String() string {
	switch n.Kind {
	case NodeAll:
		return "*"
	case NodeWord:
		return n.Text
	case NodePhrase:
		return strconv.Quote(n.Text)
	case NodeField:
		vs := make([]string, len(n.Values))
		for i, v := range n.Values {
			vs[i] = quoteIfNeeded(v)
		}
		return string(n.Field) + ":" + strings.Join(vs, "|")
	case NodeDate:
		var from, to string
		if n.From != nil {
			from = n.From.UTC().Format(time.RFC3339)
		}
		if n.To != nil {
			to = n.To.UTC().Format(time.RFC3339)
		}
		return "published:[" + from + ".." + to + ")"
	case NodeNot:
		return "NOT " + n.Children[0].String()
	case NodeAnd, NodeOr:
		op := " AND "
		if n.Kind == NodeOr {
			op = " OR "
		}
		parts := make([]string, len(n.Children))
		for i, c := range n.Children {
			parts[i] = c.String()
		}
		return "(" + strings.Join(parts, op) + ")"
	}
	return "?"
}

func quoteIfNeeded(s string) string {
	if strings.ContainsAny(s, " \t\"():|") {
		return strconv.Quote(s)
	}
	return s
}

// QueryError is a query the parser refused. It wraps ErrBadQuery.
type QueryError struct {
	// Pos is the byte offset of the problem in the query.
	Pos int
	// Msg names the problem.
	Msg string
}

// Error implements error.
func (e *QueryError) Error() string {
	return fmt.Sprintf("bad query: %s at position %d", e.Msg, e.Pos+1)
}

// Unwrap makes errors.Is(err, ErrBadQuery) true.
func (e *QueryError) Unwrap() error { return ErrBadQuery }

func badQuery(pos int, format string, args ...any) error {
	return &QueryError{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}

// Parse parses a query in newswire's query language:
//
//	word                  the word, in the title or text (stemmed, any case)
//	"some words"          the phrase
//	a b, a AND b          both (AND is implicit)
//	a OR b                either
//	NOT a, -a             not a
//	( ... )               grouping; NOT binds tightest, then AND, then OR
//	person:NAME           a person, by canonical name or alias ("quote" names with spaces)
//	group:NAME            a group (group:ISIS-K, group:"Islamic State")
//	place:NAME            a place, or a place within it (place:Europe matches Cologne)
//	event:TYPE            an event of that type (event:bombing)
//	source:HOST           the source site
//	lang:CODE             the ISO 639-1 language
//	published:DATES       published in a period: 2024, 2024-03, 2024-03-31,
//	                      2024-01-01..2024-03-31 (inclusive), 2024-01.., ..2024-03,
//	                      >=2024-01, >2024-01, <2024, <=2024-03-31
//
// Dates are UTC. An empty query matches every article. Errors wrap
// ErrBadQuery (as a *QueryError) and name the problem and its position.
func Parse(q string) (*Query, error) {
	if len(q) > MaxQueryLen {
		return nil, badQuery(MaxQueryLen, "query is %d bytes long, the limit is %d", len(q), MaxQueryLen)
	}
	if !utf8.ValidString(q) {
		return nil, badQuery(0, "query is not valid UTF-8")
	}
	// Fold the query the way article text is folded at crawl time (Unicode
	// normalisation, Cyrillic and Greek look-alike letters inside Latin
	// words), so a pasted "іn" finds "in".
	q = text.Normalize(q)
	toks, err := lex(q)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	if len(toks) == 1 { // only EOF
		return &Query{Raw: q, Root: &Node{Kind: NodeAll}}, nil
	}
	root, err := p.parseOr(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		if t.kind == tokRParen {
			return nil, badQuery(t.pos, "unbalanced ')'")
		}
		return nil, badQuery(t.pos, "unexpected %s", t.describe())
	}
	if p.clauses > MaxClauses {
		return nil, badQuery(0, "query has %d terms and filters, the limit is %d", p.clauses, MaxClauses)
	}
	root = simplify(root)
	if root == nil {
		root = &Node{Kind: NodeAll}
	}
	return &Query{Raw: q, Root: root}, nil
}

// MustParse is Parse for queries known to be valid, such as constants in
// tests; it panics on error.
func MustParse(q string) *Query {
	pq, err := Parse(q)
	if err != nil {
		panic(err)
	}
	return pq
}

type tokKind int

const (
	tokEOF tokKind = iota
	tokWord
	tokPhrase
	tokField // text is the field name; the value follows as tokWord or tokPhrase
	tokAnd
	tokOr
	tokNot
	tokLParen
	tokRParen
)

type token struct {
	kind tokKind
	pos  int
	text string
}

func (t token) describe() string {
	switch t.kind {
	case tokEOF:
		return "end of query"
	case tokAnd:
		return "AND"
	case tokOr:
		return "OR"
	case tokNot:
		return "NOT"
	case tokLParen:
		return "'('"
	case tokRParen:
		return "')'"
	case tokPhrase:
		return strconv.Quote(t.text)
	case tokField:
		return t.text + ":"
	}
	return strconv.Quote(t.text)
}

func isFieldName(s string) bool {
	for _, f := range Fields() {
		if string(f) == s {
			return true
		}
	}
	return false
}

func isWordBreak(r rune) bool {
	return unicode.IsSpace(r) || r == '(' || r == ')' || r == '"'
}

func lex(q string) ([]token, error) {
	var toks []token
	i := 0
	for i < len(q) {
		r, n := utf8.DecodeRuneInString(q[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case r == '(':
			toks = append(toks, token{kind: tokLParen, pos: i})
			i++
		case r == ')':
			toks = append(toks, token{kind: tokRParen, pos: i})
			i++
		case r == '"':
			text, next, err := lexPhrase(q, i)
			if err != nil {
				return nil, err
			}
			toks = append(toks, token{kind: tokPhrase, pos: i, text: text})
			i = next
		case r == '-' && i+1 < len(q) && !unicode.IsSpace(rune(q[i+1])) && q[i+1] != ')' && q[i+1] != '-':
			toks = append(toks, token{kind: tokNot, pos: i})
			i++
		default:
			start := i
			for i < len(q) {
				r, n := utf8.DecodeRuneInString(q[i:])
				if isWordBreak(r) {
					break
				}
				if r == ':' {
					name := q[start:i]
					if isFieldName(strings.ToLower(name)) {
						break
					}
					if isIdent(name) {
						return nil, badQuery(start, "unknown field %q (known: %s)", name, fieldList())
					}
				}
				i += n
			}
			word := q[start:i]
			if i < len(q) && q[i] == ':' {
				toks = append(toks, token{kind: tokField, pos: start, text: strings.ToLower(word)})
				i++
				if i >= len(q) || unicode.IsSpace(rune(q[i])) || q[i] == ')' || q[i] == '(' {
					return nil, badQuery(start, "%s: needs a value", word)
				}
				if q[i] == '"' {
					text, next, err := lexPhrase(q, i)
					if err != nil {
						return nil, err
					}
					toks = append(toks, token{kind: tokPhrase, pos: i, text: text})
					i = next
					continue
				}
				vstart := i
				for i < len(q) {
					r, n := utf8.DecodeRuneInString(q[i:])
					if isWordBreak(r) {
						break
					}
					i += n
				}
				toks = append(toks, token{kind: tokWord, pos: vstart, text: q[vstart:i]})
				continue
			}
			switch word {
			case "AND", "&&":
				toks = append(toks, token{kind: tokAnd, pos: start})
			case "OR", "||":
				toks = append(toks, token{kind: tokOr, pos: start})
			case "NOT":
				toks = append(toks, token{kind: tokNot, pos: start})
			default:
				toks = append(toks, token{kind: tokWord, pos: start, text: word})
			}
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(q)}), nil
}

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && r != '_' {
			return false
		}
	}
	return true
}

func fieldList() string {
	fs := Fields()
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = string(f) + ":"
	}
	return strings.Join(names, " ")
}

// lexPhrase reads a quoted phrase starting at q[i] == '"'. A backslash
// escapes the next character.
func lexPhrase(q string, i int) (string, int, error) {
	var b strings.Builder
	for j := i + 1; j < len(q); j++ {
		switch q[j] {
		case '\\':
			if j+1 < len(q) {
				j++
				b.WriteByte(q[j])
			}
		case '"':
			return b.String(), j + 1, nil
		default:
			b.WriteByte(q[j])
		}
	}
	return "", 0, badQuery(i, "unterminated quote")
}

type parser struct {
	toks    []token
	i       int
	clauses int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

func (p *parser) parseOr(depth int) (*Node, error) {
	first, err := p.parseAnd(depth)
	if err != nil {
		return nil, err
	}
	var or *Node
	for p.peek().kind == tokOr {
		op := p.next()
		if k := p.peek().kind; k == tokEOF || k == tokRParen || k == tokOr || k == tokAnd {
			return nil, badQuery(op.pos, "OR needs a term on its right")
		}
		right, err := p.parseAnd(depth)
		if err != nil {
			return nil, err
		}
		if or == nil {
			or = &Node{Kind: NodeOr, Pos: first.Pos, Children: []*Node{first}}
		}
		or.Children = append(or.Children, right)
	}
	if or != nil {
		return or, nil
	}
	return first, nil
}

func (p *parser) parseAnd(depth int) (*Node, error) {
	first, err := p.parseUnary(depth)
	if err != nil {
		return nil, err
	}
	var and *Node
	for {
		t := p.peek()
		if t.kind == tokEOF || t.kind == tokRParen || t.kind == tokOr {
			break
		}
		if t.kind == tokAnd {
			p.next()
			if k := p.peek().kind; k == tokEOF || k == tokRParen || k == tokOr || k == tokAnd {
				return nil, badQuery(t.pos, "AND needs a term on its right")
			}
		}
		right, err := p.parseUnary(depth)
		if err != nil {
			return nil, err
		}
		if and == nil {
			and = &Node{Kind: NodeAnd, Pos: first.Pos, Children: []*Node{first}}
		}
		and.Children = append(and.Children, right)
	}
	if and != nil {
		return and, nil
	}
	return first, nil
}

func (p *parser) parseUnary(depth int) (*Node, error) {
	if depth > MaxDepth {
		return nil, badQuery(p.peek().pos, "query nests deeper than %d levels", MaxDepth)
	}
	t := p.next()
	switch t.kind {
	case tokNot:
		if k := p.peek().kind; k == tokEOF || k == tokRParen || k == tokOr || k == tokAnd {
			return nil, badQuery(t.pos, "NOT needs a term on its right")
		}
		c, err := p.parseUnary(depth + 1)
		if err != nil {
			return nil, err
		}
		return &Node{Kind: NodeNot, Pos: t.pos, Children: []*Node{c}}, nil
	case tokLParen:
		if p.peek().kind == tokRParen {
			return nil, badQuery(t.pos, "empty parentheses")
		}
		n, err := p.parseOr(depth + 1)
		if err != nil {
			return nil, err
		}
		if c := p.next(); c.kind != tokRParen {
			return nil, badQuery(t.pos, "unbalanced '(': no matching ')'")
		}
		return n, nil
	case tokWord:
		p.clauses++
		return &Node{Kind: NodeWord, Pos: t.pos, Text: t.text}, nil
	case tokPhrase:
		p.clauses++
		return &Node{Kind: NodePhrase, Pos: t.pos, Text: t.text}, nil
	case tokField:
		p.clauses++
		v := p.next()
		if v.kind != tokWord && v.kind != tokPhrase {
			return nil, badQuery(t.pos, "%s: needs a value", t.text)
		}
		return fieldNode(Field(t.text), t.pos, v)
	case tokEOF:
		return nil, badQuery(t.pos, "query ends where a term was expected")
	case tokRParen:
		return nil, badQuery(t.pos, "unbalanced ')'")
	default:
		return nil, badQuery(t.pos, "%s needs a term on its left", t.describe())
	}
}

func fieldNode(f Field, pos int, v token) (*Node, error) {
	val := strings.TrimSpace(v.text)
	if val == "" {
		return nil, badQuery(v.pos, "%s: has an empty value", f)
	}
	n := &Node{Kind: NodeField, Pos: pos, Field: f}
	switch f {
	case FieldPublished:
		from, to, err := parseDateRange(val, v.pos)
		if err != nil {
			return nil, err
		}
		return &Node{Kind: NodeDate, Pos: pos, From: from, To: to}, nil
	case FieldEvent:
		t := strings.ToLower(strings.NewReplacer(" ", "_", "-", "_").Replace(val))
		known := false
		for _, et := range article.EventTypes {
			if et == t {
				known = true
			}
		}
		if !known {
			return nil, badQuery(v.pos, "unknown event type %q (known: %s)", val, strings.Join(article.EventTypes, ", "))
		}
		n.Values = []string{t}
	case FieldSource:
		n.Values = []string{strings.TrimPrefix(strings.ToLower(val), "www.")}
	case FieldLang:
		n.Values = []string{strings.ToLower(val)}
	default:
		n.Values = []string{val}
	}
	return n, nil
}

// parseDateRange parses the value of published:.
func parseDateRange(v string, pos int) (from, to *time.Time, err error) {
	period := func(s string, at int) (time.Time, time.Time, error) {
		start, end, ok := parsePeriod(s)
		if !ok {
			return time.Time{}, time.Time{}, badQuery(at, "bad date %q: want YYYY, YYYY-MM, YYYY-MM-DD or an RFC 3339 time", s)
		}
		return start, end, nil
	}
	switch {
	case strings.HasPrefix(v, ">="), strings.HasPrefix(v, "<="):
		s, e, err := period(v[2:], pos+2)
		if err != nil {
			return nil, nil, err
		}
		if v[0] == '>' {
			return &s, nil, nil
		}
		return nil, &e, nil
	case strings.HasPrefix(v, ">"), strings.HasPrefix(v, "<"):
		s, e, err := period(v[1:], pos+1)
		if err != nil {
			return nil, nil, err
		}
		if v[0] == '>' {
			return &e, nil, nil
		}
		return nil, &s, nil
	case strings.Contains(v, ".."):
		i := strings.Index(v, "..")
		a, b := v[:i], v[i+2:]
		if a == "" && b == "" {
			return nil, nil, badQuery(pos, "date range %q has no bounds", v)
		}
		if a != "" {
			s, _, err := period(a, pos)
			if err != nil {
				return nil, nil, err
			}
			from = &s
		}
		if b != "" {
			_, e, err := period(b, pos+i+2)
			if err != nil {
				return nil, nil, err
			}
			to = &e
		}
		if from != nil && to != nil && !from.Before(*to) {
			return nil, nil, badQuery(pos, "date range %q ends before it starts", v)
		}
		return from, to, nil
	default:
		s, e, err := period(strings.TrimPrefix(v, "="), pos)
		if err != nil {
			return nil, nil, err
		}
		return &s, &e, nil
	}
}

// parsePeriod parses a year, month, day or instant into [start, end).
func parsePeriod(s string) (start, end time.Time, ok bool) {
	if t, err := time.ParseInLocation("2006-01-02", s, time.UTC); err == nil {
		return t, t.AddDate(0, 0, 1), true
	}
	if t, err := time.ParseInLocation("2006-01", s, time.UTC); err == nil {
		return t, t.AddDate(0, 1, 0), true
	}
	if len(s) == 4 {
		if t, err := time.ParseInLocation("2006", s, time.UTC); err == nil {
			return t, t.AddDate(1, 0, 0), true
		}
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		t = t.UTC()
		return t, t.Add(time.Second), true
	}
	return time.Time{}, time.Time{}, false
}

// simplify drops words and phrases that are only stop words (they match
// nothing in any backend) and flattens nested ANDs and ORs. It returns nil
// when nothing is left.
func simplify(n *Node) *Node {
	switch n.Kind {
	case NodeWord, NodePhrase:
		if len(Analyze(n.Text)) == 0 {
			return nil
		}
		return n
	case NodeNot:
		c := simplify(n.Children[0])
		if c == nil {
			return nil
		}
		n.Children[0] = c
		return n
	case NodeAnd, NodeOr:
		var kids []*Node
		for _, c := range n.Children {
			c = simplify(c)
			if c == nil {
				continue
			}
			if c.Kind == n.Kind {
				kids = append(kids, c.Children...)
			} else {
				kids = append(kids, c)
			}
		}
		switch len(kids) {
		case 0:
			return nil
		case 1:
			return kids[0]
		}
		n.Children = kids
		return n
	}
	return n
}
