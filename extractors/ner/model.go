package ner

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"sort"
)

// Labels are the BIO labels the tagger predicts, in class order.
var labelNames = [...]string{"O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"}

// numLabels is the number of BIO classes.
const numLabels = len(labelNames)

func labelIndex(s string) (int, bool) {
	for i, l := range labelNames {
		if l == s {
			return i, true
		}
	}
	return 0, false
}

// allowed reports whether label cur may follow label prev under BIO.
func allowed(prev, cur int) bool {
	if cur == 0 || cur%2 == 1 {
		return true
	}
	return prev == cur || prev == cur-1
}

// Model is a trained averaged-perceptron sequence tagger: one weight per
// (hashed feature, label). It is read-only after loading and safe for
// concurrent use.
type Model struct {
	index   map[uint64]int32
	weights []float32 // len(index)*numLabels
}

// Features returns the number of features the model keeps.
func (m *Model) Features() int { return len(m.index) }

func (m *Model) score(feats []uint64, scores *[numLabels]float32) {
	for i := range scores {
		scores[i] = 0
	}
	for _, f := range feats {
		j, ok := m.index[f]
		if !ok {
			continue
		}
		w := m.weights[int(j)*numLabels : int(j)*numLabels+numLabels]
		for k := range scores {
			scores[k] += w[k]
		}
	}
}

const modelMagic = "NWNER1\n"

// WriteTo writes the model, gzip-compressed, with weights quantised to 16
// bits. Output is deterministic.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	zw, err := gzip.NewWriterLevel(cw, gzip.BestCompression)
	if err != nil {
		return cw.n, err
	}
	bw := bufio.NewWriter(zw)
	keys := make([]uint64, 0, len(m.index))
	for k := range m.index {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return keys[i] < keys[j] })
	var maxAbs float32
	for _, v := range m.weights {
		maxAbs = max(maxAbs, float32(math.Abs(float64(v))))
	}
	scale := float32(1)
	if maxAbs > 0 {
		scale = maxAbs / 32767
	}
	bw.WriteString(modelMagic)
	var buf [8]byte
	binary.LittleEndian.PutUint32(buf[:4], uint32(numLabels))
	bw.Write(buf[:4])
	binary.LittleEndian.PutUint32(buf[:4], math.Float32bits(scale))
	bw.Write(buf[:4])
	binary.LittleEndian.PutUint32(buf[:4], uint32(len(keys)))
	bw.Write(buf[:4])
	// Keys as deltas (varints) compress far better than raw hashes.
	var prev uint64
	vb := make([]byte, binary.MaxVarintLen64)
	for _, k := range keys {
		n := binary.PutUvarint(vb, k-prev)
		bw.Write(vb[:n])
		prev = k
	}
	for _, k := range keys {
		j := m.index[k]
		for _, v := range m.weights[int(j)*numLabels : int(j)*numLabels+numLabels] {
			q := int16(math.Round(float64(v / scale)))
			binary.LittleEndian.PutUint16(buf[:2], uint16(q))
			bw.Write(buf[:2])
		}
	}
	if err := bw.Flush(); err != nil {
		return cw.n, fmt.Errorf("ner: write model: %w", err)
	}
	if err := zw.Close(); err != nil {
		return cw.n, fmt.Errorf("ner: write model: %w", err)
	}
	return cw.n, nil
}

type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// ReadModel reads a model written by WriteTo.
func ReadModel(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadModel, err)
	}
	br := bufio.NewReader(zr)
	magic := make([]byte, len(modelMagic))
	if _, err := io.ReadFull(br, magic); err != nil || string(magic) != modelMagic {
		return nil, fmt.Errorf("%w: bad header", ErrBadModel)
	}
	var hdr [12]byte
	if _, err := io.ReadFull(br, hdr[:]); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadModel, err)
	}
	if n := binary.LittleEndian.Uint32(hdr[:4]); n != uint32(numLabels) {
		return nil, fmt.Errorf("%w: %d labels, want %d", ErrBadModel, n, numLabels)
	}
	scale := math.Float32frombits(binary.LittleEndian.Uint32(hdr[4:8]))
	n := int(binary.LittleEndian.Uint32(hdr[8:12]))
	if n < 0 || n > 1<<26 {
		return nil, fmt.Errorf("%w: %d features", ErrBadModel, n)
	}
	m := &Model{index: make(map[uint64]int32, n), weights: make([]float32, n*numLabels)}
	var k uint64
	for i := 0; i < n; i++ {
		d, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadModel, err)
		}
		k += d
		m.index[k] = int32(i)
	}
	var b [2]byte
	for i := range m.weights {
		if _, err := io.ReadFull(br, b[:]); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBadModel, err)
		}
		m.weights[i] = float32(int16(binary.LittleEndian.Uint16(b[:]))) * scale
	}
	return m, nil
}
