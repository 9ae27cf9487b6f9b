// Command evscore scores the events extractor on ECB+ (EventCorefBank+, CC BY
// 3.0), real news annotated by others with event triggers, times and places.
//
// ECB+ action mentions carry no event type, so the scorer maps the gold
// triggers of ACTION_OCCURRENCE mentions to our types by their words (see
// goldType): shootings, bombings, air strikes, stabbings, attacks,
// kidnappings, hostage-takings, arrests and raids. Generic actions
// (ACTION_GENERIC) and negated ones are not incidents and stay unmapped, so
// an event found on them counts against precision.
//
// The unit scored is an incident class told in one sentence ("violent" or
// "police"): our extractor makes one event per incident per sentence, while
// ECB+ marks every trigger word. Only sentences with at least one gold
// action mention are scored, because ECB+ does not annotate every sentence.
// For matched units, the time is right when our date words overlap a
// TIME_DATE or TIME_OF_THE_DAY mention of the sentence, the place when our
// place name overlaps a LOC_* mention of the sentence (ECB+ does not link
// arguments to their event, so the sentence stands in for the link).
// Documents have no publication date: a fixed one is passed so relative
// expressions resolve, and only the words are compared.
//
// Usage, from the repository root:
//
//	go run ./extractors/events/cmd/evscore -ecbplus ../shared/eval/ecbplus/ECBplus.tar.gz -split dev
//	go run ./extractors/events/cmd/evscore -ecbplus ../shared/eval/ecbplus/ECBplus.tar.gz -split test
//
// The split follows Cybulska and Vossen (2015): topics 1-22 are dev (the
// rules may be looked at and tuned on them), topics 23-45 the held-out test.
// -v lists every miss and false alarm.
package main
