package purego

// XXH3State computes XXH3 over input written in pieces: after any sequence of Writes,
// Sum64 equals XXH3 of everything written, with the seed given to Reset.
//
// The long-input hash takes a stripe only once a later byte is known to exist (the stripe
// holding the last byte is replaced by the input's final 64 bytes, and a block is scrambled
// only if input follows it). So the state holds back between 1 and xxh3StreamBuf bytes, and
// keeps a copy of the last 64 bytes it has taken for a final stripe that reaches back
// before the held bytes. Inputs of up to 240 bytes never leave the buffer, so Sum64 hashes
// them with the one-shot short paths. The zero value is ready for seed 0.
type XXH3State struct {
	acc     [8]uint64
	secret  [xxh3SecretLen]byte
	buf     [xxh3StreamBuf]byte
	last    [xxh3Stripe]byte // the last 64 bytes taken into acc
	seed    uint64
	total   uint64 // bytes written since Reset
	nbuf    int    // bytes held in buf
	stripes int    // stripes taken in the current block, 0..15
	started bool   // Reset has run (the zero value has not)
}

// xxh3StreamBuf is how many bytes the state holds back: whole stripes, at least 240 so an
// input short enough for the short paths is still all there when Sum64 runs.
const xxh3StreamBuf = 4 * xxh3Stripe

// Reset starts a new input hashed with seed.
func (s *XXH3State) Reset(seed uint64) {
	s.acc = xxh3AccInit
	xxh3SeedSecret(&s.secret, seed)
	s.seed, s.total, s.nbuf, s.stripes, s.started = seed, 0, 0, 0, true
}

// Write adds p to the input. It keeps no reference to p.
func (s *XXH3State) Write(p []byte) {
	if !s.started {
		s.Reset(0)
	}
	s.total += uint64(len(p))
	if len(p) <= xxh3StreamBuf-s.nbuf {
		s.nbuf += copy(s.buf[s.nbuf:], p)
		return
	}
	// More arrives than the buffer holds, so every full stripe of buf is followed by input.
	if s.nbuf > 0 {
		p = p[copy(s.buf[s.nbuf:], p):]
		s.take(s.buf[:])
		s.last = [xxh3Stripe]byte(s.buf[xxh3StreamBuf-xxh3Stripe:])
		s.nbuf = 0
	}
	// Take the stripes of p directly, keeping back 1..64 bytes.
	if whole := (len(p) - 1) / xxh3Stripe * xxh3Stripe; whole > 0 {
		s.take(p[:whole])
		s.last = [xxh3Stripe]byte(p[whole-xxh3Stripe : whole])
		p = p[whole:]
	}
	s.nbuf = copy(s.buf[:], p)
}

// take accumulates data (whole stripes, each followed by more input) into acc, scrambling
// at every block end.
func (s *XXH3State) take(data []byte) {
	s.acc, s.stripes = xxh3TakeStripes(s.acc, s.stripes, data, &s.secret)
}

// xxh3TakeStripes accumulates the whole stripes of data into acc, the first being stripe
// number stripes of its block, and returns acc and the stripe number after data.
func xxh3TakeStripes(acc [8]uint64, stripes int, data []byte, secret *[xxh3SecretLen]byte) ([8]uint64, int) {
	for len(data) >= xxh3Stripe {
		n := min(xxh3StripesPerBlock-stripes, len(data)/xxh3Stripe)
		xxh3Accumulate(&acc, data[:n*xxh3Stripe], secret[8*stripes:])
		data = data[n*xxh3Stripe:]
		if stripes += n; stripes == xxh3StripesPerBlock {
			xxh3Scramble(&acc, secret[xxh3SecretLen-xxh3Stripe:])
			stripes = 0
		}
	}
	return acc, stripes
}

// Sum64 returns XXH3 of the input written so far; the state is unchanged, so writing may
// continue.
func (s *XXH3State) Sum64() uint64 {
	if s.total <= xxh3MidMax {
		return XXH3(s.buf[:s.nbuf], s.seed)
	}
	held := s.buf[:s.nbuf]
	// The held stripes before the final one are followed by input: take them on a copy.
	whole := (len(held) - 1) / xxh3Stripe * xxh3Stripe
	acc, _ := xxh3TakeStripes(s.acc, s.stripes, held[:whole], &s.secret)
	var final [xxh3Stripe]byte
	if len(held) >= xxh3Stripe {
		final = [xxh3Stripe]byte(held[len(held)-xxh3Stripe:])
	} else {
		copy(final[copy(final[:], s.last[len(held):]):], held)
	}
	return xxh3Finish(&acc, final[:], &s.secret, s.total)
}
