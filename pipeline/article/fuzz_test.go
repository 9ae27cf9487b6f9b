package article

import (
	"encoding/json"
	"errors"
	"testing"
)

// FuzzDecode feeds arbitrary bytes to the message decoders: they must
// return an article or an error wrapping ErrInvalid/ErrSchema, never panic,
// and a decoded article must survive a round trip.
func FuzzDecode(f *testing.F) {
	f.Add([]byte(`{"schema_version":1,"id":"a","url":"http://x/a","title":"T","text":"Police arrested two men."}`))
	f.Add([]byte(`{"schema_version":2,"id":"a","url":"u"}`))
	f.Add([]byte(`{"schema_version":1,"id":"a","url":"u","people":[{"name":"X","aliases":null}],"events":[{"type":"bombing","killed":3}]}`))
	f.Add([]byte(`not json`))
	f.Add([]byte(`{"schema_version":1,"id":"a","url":"u","published":"yesterday"}`))
	f.Add([]byte{0xff, 0xfe, '{'})
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := DecodeArticle(data)
		if err != nil {
			if !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrSchema) {
				t.Fatalf("DecodeArticle error %v wraps neither ErrInvalid nor ErrSchema", err)
			}
		} else {
			out, err := json.Marshal(a)
			if err != nil {
				t.Fatalf("re-encode: %v", err)
			}
			if _, err := DecodeArticle(out); err != nil {
				t.Fatalf("round trip: %v", err)
			}
		}
		if _, err := DecodeEnriched(data); err != nil && !errors.Is(err, ErrInvalid) && !errors.Is(err, ErrSchema) {
			t.Fatalf("DecodeEnriched error %v wraps neither ErrInvalid nor ErrSchema", err)
		}
	})
}
