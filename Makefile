# newswire: make demo runs the pipeline on the embedded defaults; make test runs every test.
GO      ?= go
BIN     := bin/newswire
EVAL    ?= ../shared/eval
STATICCHECK_VERSION ?= v0.6.1

include mk/browser.mk

.PHONY: all build deps test test-race vet fmt lint bench test-integ demo demo-once eval eval-dev ner-model fuzz clean

all: build

deps:
	$(GO) mod download

build: deps
	$(GO) build -o $(BIN) ./cmd/newswire

# make test: lint (gofmt, vet, staticcheck), then every test with the race
# detector. browser-deps installs Debian's chromium for the web page's
# browser test.
test: deps browser-deps lint test-race

test-race:
	$(GO) test -race -count=1 -timeout 30m ./...

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

lint: vet
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	$(GO) run honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION) ./...

# Live Elasticsearch tests: NEWSWIRE_ES_URL=http://localhost:9200 make test-integ
test-integ:
	$(GO) test -count=1 -run 'Live|Conformance' ./pipeline/index/...

# Fuzz the message decoding, extraction and HTML-to-text paths, FUZZTIME each
# (seed corpora are in the tests; new failures land in testdata/fuzz).
FUZZTIME ?= 30s
fuzz:
	@set -e; for t in $$(grep -rl --include='*_test.go' '^func Fuzz' . | xargs -n1 dirname | sort -u); do \
		for f in $$(grep -ho '^func Fuzz[A-Za-z0-9_]*' $$t/*_test.go | sed 's/func //'); do \
			echo "== $$t $$f"; $(GO) test -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) $$t; \
		done; \
	done

# The stage benchmarks and an end-to-end load run of BENCH_N generated
# articles, as one table; JSON under bench-out/ (docs/benchmarks.md).
BENCH_N ?= 20000
bench:
	BENCH_N=$(BENCH_N) $(GO) run ./pipeline/bench/cmd/benchreport -out bench-out

# The demo: a local news site of our own writing, crawled, extracted, indexed,
# alerted on, and searchable at http://127.0.0.1:8080 until Ctrl-C.
demo: build
	./$(BIN) demo

demo-once: build
	./$(BIN) demo --once

# Entity recognition on the CoNLL-2003 English test set.
eval:
	$(GO) run ./extractors/ner/cmd/ner-eval -data $(EVAL)/conll2003/test.txt

# Rebuild the shipped entity model from its training data (docs/ner.md,
# "Rebuilding the model"): our annotated files, wikigold, GUM train and dev,
# and generated documents.
NER_MODEL ?= extractors/ner/model/ner.model.gz
ner-model:
	$(GO) run ./extractors/ner/cmd/ner-train $(NER_TRAIN_FLAGS) -o $(NER_MODEL) \
		$(EVAL)/ner-train/wikigold.conll.txt $(EVAL)/ner-train/gum/iob2/train.iob2.txt \
		$(EVAL)/ner-train/gum/iob2/dev.iob2.txt $(sort $(wildcard extractors/ner/train/*.ann.txt))

# Entity recognition on the development sets, never on CoNLL-2003: trains a
# model without them (GUM dev, ECB+ topics 16-22, our written wire dev sets)
# and scores it on each. Use it to compare settings; see docs/ner.md.
NER_DEV_MODEL ?= /tmp/newswire-ner-dev.model.gz
NER_TRAIN_FLAGS ?= -synth 1000 -synth-weight 0.3 -word-dropout 0.2
eval-dev:
	$(GO) run ./extractors/ner/cmd/ner-train $(NER_TRAIN_FLAGS) -o $(NER_DEV_MODEL) \
		$(EVAL)/ner-train/wikigold.conll.txt $(EVAL)/ner-train/gum/iob2/train.iob2.txt \
		$(filter-out extractors/ner/train/ecbplus-c.ann.txt,$(sort $(wildcard extractors/ner/train/*.ann.txt)))
	for f in $(EVAL)/ner-train/gum/iob2/dev.iob2.txt extractors/ner/train/ecbplus-c.ann.txt extractors/ner/dev/*.ann.txt; do \
		echo "== $$f"; $(GO) run ./extractors/ner/cmd/ner-eval -model $(NER_DEV_MODEL) -data $$f | head -6; done

clean:
	rm -rf bin newswire-data
