package sdk

import (
	"errors"
	"testing"
	"unsafe"
)

// double doubles each 2-byte record; refuses a batch starting with 0xff at byte 1, and one
// starting with 0xfe with a plain error.
type double struct{}

func (double) Describe() Description {
	return Description{Name: "double", Version: "9.9", RecordSize: 2, MaxBatch: 64}
}

func (double) Transform(batch, out []byte) ([]byte, error) {
	if len(batch) > 0 && batch[0] == 0xff {
		return out, ErrorAt(1, "no")
	}
	if len(batch) > 0 && batch[0] == 0xfe {
		return out, errors.New("plain")
	}
	if _, err := Records(batch, 2); err != nil {
		return out, err
	}
	for i := 0; i < len(batch); i += 2 {
		out = append(out, batch[i:i+2]...)
		out = append(out, batch[i:i+2]...)
	}
	return out, nil
}

// run copies batch in as the host does and runs the transform.
func run(t *testing.T, s *state, batch []byte) [4]uint64 {
	t.Helper()
	p := s.batchBuffer(uint32(len(batch)))
	if b, _ := bytesAddr(s.batch); p != b {
		t.Fatal("batchBuffer did not return the batch buffer")
	}
	copy(s.batch, batch)
	if _, ok := s.transform(double{}, p, uint32(len(batch))); !ok {
		t.Fatal("the batch buffer was refused")
	}
	return s.transformArea
}

func TestDescribeArea(t *testing.T) {
	var s state
	a := s.describe(double{})
	if a != addr(unsafe.Pointer(&s.describeArea)) || a%4 != 0 {
		t.Fatalf("area %#x", a)
	}
	if d := s.describeArea; d[1] != 6 || d[3] != 3 || d[4] != 2 || d[5] != 64 {
		t.Fatalf("area %v", d)
	}
}

func TestOkAreaAndBufferReuse(t *testing.T) {
	var s state
	a := run(t, &s, []byte{1, 2, 3, 4})
	if string(s.out) != string([]byte{1, 2, 1, 2, 3, 4, 3, 4}) {
		t.Fatalf("out %v", s.out)
	}
	op, ol := bytesAddr(s.out)
	if a[0] != 0 || a[1] != uint64(op)|uint64(ol)<<32 {
		t.Fatalf("area %x", a)
	}
	batch, out := unsafe.SliceData(s.batch), unsafe.SliceData(s.out)
	a = run(t, &s, []byte{5, 6})
	if a[1]>>32 != 4 || unsafe.SliceData(s.batch) != batch || unsafe.SliceData(s.out) != out {
		t.Fatal("a smaller batch got new buffers")
	}
	if allocs := testing.AllocsPerRun(100, func() { run(t, &s, []byte{7, 8}) }); allocs != 0 {
		t.Fatalf("%v allocations per warm call", allocs)
	}
}

func TestErrorArea(t *testing.T) {
	var s state
	a := run(t, &s, []byte{0xff, 0})
	mp, ml := stringAddr(s.message)
	if a[0] != 1 || a[1] != uint64(mp)|uint64(ml)<<32 || ml != 2 || a[2] != 1 || a[3] != 1 {
		t.Fatalf("area %x", a)
	}
	a = run(t, &s, []byte{1, 2, 3})
	if a[0] != 1 || a[2] != 1 || a[3] != 2 || s.message != "batch of 3 bytes is not a whole number of 2-byte records" {
		t.Fatalf("partial record: area %x, %q", a, s.message)
	}
	a = run(t, &s, []byte{0xfe, 0})
	if a[0] != 1 || a[2] != 0 || s.message != "plain" {
		t.Fatalf("plain error: area %x, %q", a, s.message)
	}
	s.postTransform()
	if s.message != "" {
		t.Fatal("post-return kept the message")
	}
	if a = run(t, &s, nil); a[0] != 0 || a[1]>>32 != 0 {
		t.Fatalf("empty batch after an error: %x", a)
	}
}

func TestOnlyTheBatchBufferIsAccepted(t *testing.T) {
	var s state
	p := s.batchBuffer(8)
	if _, ok := s.transform(double{}, p, 9); ok {
		t.Error("a length past the buffer was accepted")
	}
	other := make([]byte, 8)
	if o, _ := bytesAddr(other); o != p {
		if _, ok := s.transform(double{}, o, 8); ok {
			t.Error("another buffer was accepted")
		}
	}
	if _, ok := s.transform(double{}, p, 8); !ok {
		t.Error("the batch buffer was refused")
	}
}

func TestErrorText(t *testing.T) {
	if got := ErrorAt(7, "bad").Error(); got != "bad (at byte 7)" {
		t.Error(got)
	}
	if got := (&Error{Message: "bad", Offset: -1}).Error(); got != "bad" {
		t.Error(got)
	}
}
