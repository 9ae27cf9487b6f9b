package status_test

import (
	"os"
	"time"

	"github.com/newswire/newswire/pipeline/status"
)

func ExampleWriteTable() {
	now := time.Date(2026, 1, 2, 15, 4, 5, 0, time.UTC)
	last := now.Add(-3 * time.Second)
	r := 41.5
	s := &status.Snapshot{
		Time: now,
		Stages: []status.Stage{
			{Name: "extract", Stream: "NEWSWIRE_RAW", Pending: 120, InFlight: 8, Waiting: 0, AckRate: &r, DeadLetters: 2, LastDelivery: &last},
			{Name: "index", Stream: "NEWSWIRE_ENRICHED", Waiting: 1},
		},
		Streams: []status.Stream{
			{Name: "NEWSWIRE_RAW", Messages: 5000, Bytes: 52 << 20, FirstSeq: 1, LastSeq: 5000, Consumers: 1},
			{Name: "NEWSWIRE_DLQ", Missing: true},
		},
		DeadLetters: map[string]uint64{"extract": 2, "webhook": 1},
	}
	_ = status.WriteTable(os.Stdout, s)
	// Output:
	// STAGE    STREAM             PENDING  IN FLIGHT  REDELIVERED  WAITING  ACKED/S  DEAD  LAST DELIVERY  STATE
	// extract  NEWSWIRE_RAW       120      8          0            0        41.5     2     3s ago         behind
	// index    NEWSWIRE_ENRICHED  0        0          0            1        -        0     -              ok
	// webhook  -                  -        -          -            -        -        1     -              no consumer
	//
	// STREAM        MESSAGES  BYTES     FIRST  LAST  CONSUMERS
	// NEWSWIRE_RAW  5000      52.0 MiB  1      5000  1
	// NEWSWIRE_DLQ  -         -         -      -     -
}
