package container

import (
	"bytes"
	"fmt"
)

// checkSample packs and unpacks frames of 1, 2 and 3 pseudo-random records (fewer when a
// frame or the sample size limit holds fewer) and refuses the layout if one does not come
// back: a chain that fails on some record counts or loses information.
func checkSample(enc *frameEncoder, opts WriterOptions) error {
	l := enc.l
	dec := &frameDecoder{l: l, run: chainOf(opts.Engine), workers: 1}
	defer dec.close()
	const maxSample = 4 << 20
	state := uint64(0x9E3779B97F4A7C15)
	for records := 1; records <= 3; records++ {
		n := records * l.recordSize
		if n > l.frameSize || (records > 1 && n > maxSample) {
			break
		}
		raw := make([]byte, n)
		for i := range raw {
			state ^= state << 13
			state ^= state >> 7
			state ^= state << 17
			raw[i] = byte(state)
		}
		var block []byte
		frame, err := enc.appendFrame(nil, raw, &block)
		if err != nil {
			return fmt.Errorf("container: invalid header: a sample of %d records does not encode: %w", records, err)
		}
		fh, fe := parseFrameHeader(frame, l, 0, 0)
		if fe == nil {
			d := &decodeJob{fh: fh, payload: frame[frameHeaderLen:]}
			if fe = dec.decode(d); fe == nil && !bytes.Equal(d.raw, raw) {
				fe = &FormatError{Msg: "decodes to different bytes"}
			}
		}
		if fe != nil {
			msg := fe.Msg
			if fe.Field != "" {
				msg = "field " + quote(fe.Field) + ": " + msg
			}
			return fmt.Errorf("container: invalid header: a sample of %d records does not come back: %s", records, msg)
		}
	}
	return nil
}
