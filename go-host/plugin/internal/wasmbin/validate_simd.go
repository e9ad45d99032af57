package wasmbin

// simdInit fills the signatures of the fixed-width SIMD instructions (0xfd sub-opcodes).
// The opcodes left out are unassigned, and refused.
func simdInit(s []opSig) {
	const (
		v1 = tV           // one vector
		v2 = tV + tV      // two
		v3 = tV + tV + tV // three (bitselect)
	)
	// loads and the store, natural alignments
	for op, align := range []byte{4, 3, 3, 3, 3, 3, 3, 0, 1, 2, 3} { // v128.load .. load64_splat
		memSig(s, op, tI, tV, align, 0)
	}
	memSig(s, 11, tI+tV, "", 4, 0) // v128.store
	memSig(s, 92, tI, tV, 2, 0)    // v128.load32_zero
	memSig(s, 93, tI, tV, 3, 0)    // v128.load64_zero
	// load_lane (address, vector -> vector) and store_lane (address, vector -> ): 8..64 bits
	for k := 0; k < 4; k++ {
		memSig(s, 84+k, tI+tV, tV, byte(k), 16>>k)
		memSig(s, 88+k, tI+tV, "", byte(k), 16>>k)
	}
	sigRange(s, 12, 12, "", v1) // v128.const
	sigRange(s, 13, 14, v2, v1) // i8x16.shuffle (lanes checked apart), swizzle
	// splats
	sigRange(s, 15, 17, tI, v1)
	sigRange(s, 18, 18, tL, v1)
	sigRange(s, 19, 19, tF, v1)
	sigRange(s, 20, 20, tD, v1)
	// extract_lane and replace_lane, with their lane counts
	for _, l := range []struct {
		extract, replace int
		t                string
		lanes            byte
	}{
		{21, 23, tI, 16}, {24, 26, tI, 8}, {27, 28, tI, 4}, {29, 30, tL, 2}, {31, 32, tF, 4}, {33, 34, tD, 2},
	} {
		for op := l.extract; op < l.replace; op++ { // i8x16 and i16x8 have _s and _u
			s[op] = opSig{ok: true, in: v1, out: l.t, lanes: l.lanes}
		}
		s[l.replace] = opSig{ok: true, in: v1 + l.t, out: v1, lanes: l.lanes}
	}
	for _, r := range []struct {
		from, to int
		in, out  string
	}{
		{35, 76, v2, v1},   // comparisons of every shape
		{77, 77, v1, v1},   // v128.not
		{78, 81, v2, v1},   // and, andnot, or, xor
		{82, 82, v3, v1},   // bitselect
		{83, 83, v1, tI},   // any_true
		{94, 98, v1, v1},   // demote, promote, i8x16 abs neg popcnt
		{99, 100, v1, tI},  // i8x16 all_true, bitmask
		{101, 102, v2, v1}, // i8x16 narrow
		{103, 106, v1, v1}, // f32x4 ceil floor trunc nearest
		{107, 109, v1 + tI, v1},
		{110, 115, v2, v1},
		{116, 117, v1, v1}, // f64x2 ceil floor
		{118, 121, v2, v1},
		{122, 122, v1, v1}, // f64x2.trunc
		{123, 123, v2, v1},
		{124, 129, v1, v1}, // extadd_pairwise, i16x8 abs neg
		{130, 130, v2, v1}, // q15mulr_sat_s
		{131, 132, v1, tI}, // i16x8 all_true, bitmask
		{133, 134, v2, v1}, // i16x8 narrow
		{135, 138, v1, v1}, // i16x8 extend
		{139, 141, v1 + tI, v1},
		{142, 147, v2, v1},
		{148, 148, v1, v1}, // f64x2.nearest
		{149, 153, v2, v1},
		{155, 159, v2, v1}, // avgr_u, extmul
		{160, 161, v1, v1}, // i32x4 abs neg
		{163, 164, v1, tI}, // i32x4 all_true, bitmask
		{167, 170, v1, v1}, // i32x4 extend
		{171, 173, v1 + tI, v1},
		{174, 174, v2, v1},
		{177, 177, v2, v1},
		{181, 186, v2, v1}, // mul, min, max, dot
		{188, 191, v2, v1}, // i32x4 extmul
		{192, 193, v1, v1}, // i64x2 abs neg
		{195, 196, v1, tI}, // i64x2 all_true, bitmask
		{199, 202, v1, v1}, // i64x2 extend
		{203, 205, v1 + tI, v1},
		{206, 206, v2, v1},
		{209, 209, v2, v1},
		{213, 223, v2, v1}, // i64x2 mul, comparisons, extmul
		{224, 225, v1, v1}, // f32x4 abs neg
		{227, 227, v1, v1}, // f32x4.sqrt
		{228, 235, v2, v1},
		{236, 237, v1, v1}, // f64x2 abs neg
		{239, 239, v1, v1}, // f64x2.sqrt
		{240, 247, v2, v1},
		{248, 255, v1, v1}, // conversions
	} {
		sigRange(s, r.from, r.to, r.in, r.out)
	}
}
