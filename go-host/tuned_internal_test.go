package binpipe

import "testing"

// TestTunedTables checks that every committed table (tuned_<class>.go) is usable wherever its
// class runs: known kernels, steps ascending from 0, paths Auto may take. It checks the form,
// never a speed.
func TestTunedTables(t *testing.T) {
	classes := map[string]bool{}
	for _, tab := range tunedTables {
		if classes[tab.class] {
			t.Errorf("two tables for class %q", tab.class)
		}
		classes[tab.class] = true
		if p, ok := pathByName(tab.class); tab.class != "none" && (!ok || !p.isNative()) {
			t.Errorf("table class %q is neither a native tier nor none", tab.class)
		}
		if len(tab.steps) > 0 && (tab.machine == "" || tab.when == "") {
			t.Errorf("class %s: a measured table must name its machine and time", tab.class)
		}
		for name, steps := range tab.steps {
			if _, ok := kernelByName(name); !ok {
				t.Errorf("class %s: unknown kernel %q", tab.class, name)
			}
			for i, s := range steps {
				p, ok := pathByName(s.use)
				switch {
				case !ok || p == pathCanonical:
					t.Errorf("class %s, %s: step %d uses %q", tab.class, name, i, s.use)
				case p.isNative() && tab.class != "none" && p > mustPath(t, tab.class):
					t.Errorf("class %s, %s: step %d uses tier %s, wider than the class", tab.class, name, i, s.use)
				case p.isNative() && tab.class == "none":
					t.Errorf("class none, %s: step %d uses native tier %s", name, i, s.use)
				case i == 0 && s.from != 0, i > 0 && s.from <= steps[i-1].from:
					t.Errorf("class %s, %s: steps not ascending from 0: %v", tab.class, name, steps)
				}
			}
		}
	}
}

func mustPath(t *testing.T, name string) path {
	p, ok := pathByName(name)
	if !ok {
		t.Fatalf("no path %q", name)
	}
	return p
}

// TestAutoSteps checks the structural defaults and the table fallbacks without native code:
// the thresholds of thresholds.go; a table entry naming a tier that is not here, or not
// ascending, is ignored; a good entry is taken as it is.
func TestAutoSteps(t *testing.T) {
	if !wasmCompiled {
		t.Skip("wazero interprets here: Auto never takes wasm")
	}
	if got := autoSteps(kHexEncode, nil, nil); len(got) != 2 || got[1] != (step{hexEncodeWasmMin, pathWasm}) {
		t.Errorf("hex-encode default steps without native code: %v", got)
	}
	if got := autoSteps(kCRC32C, nil, nil); len(got) != 1 || got[0].use != pathGo {
		t.Errorf("crc32c default steps: %v", got)
	}
	tab := &tuned{class: "test", steps: map[string][]tunedStep{
		"hex-encode":    {{0, "go"}, {64, "neon"}}, // no tier here (nil tiers)
		"hex-decode":    {{0, "go"}, {64, "wasm"}, {32, "go"}},
		"base64-encode": {{0, "go"}, {300, "wasm"}},
		"base64-decode": {{0, "canonical"}},
	}}
	for k, want := range map[kernelID][]step{
		kHexEncode:    {{0, pathGo}, {hexEncodeWasmMin, pathWasm}},
		kHexDecode:    {{0, pathGo}, {hexDecodeWasmMin, pathWasm}},
		kBase64Encode: {{0, pathGo}, {300, pathWasm}},
		kBase64Decode: {{0, pathGo}, {base64DecodeWasmMin, pathWasm}},
	} {
		got := autoSteps(k, tab, nil)
		if len(got) != len(want) || (len(got) == 2 && got[1] != want[1]) || got[0] != want[0] {
			t.Errorf("%v: steps %v, want %v", k, got, want)
		}
	}
}

// TestAutoStepsNative: with native code, a kernel the table does not name takes its widest tier
// from nativeGoBelow bytes on, never wasm, the standard library's assembly kernels stay in Go,
// and a kernel in nativeUnmeasured takes no native tier; BackendNative takes the table's tier
// at its largest size.
func TestAutoStepsNative(t *testing.T) {
	tiers := nativeTiers()
	for k := range kernelID(numKernels) {
		w, ok := widestWith(k, tiers)
		if !ok {
			continue
		}
		got := autoSteps(k, nil, tiers)
		switch {
		case nativeUnmeasured[k]:
			for _, s := range got {
				if s.use.isNative() {
					t.Errorf("%v: %v takes native code, which no table has measured", k, got)
				}
			}
		case goAssembly(k):
			if len(got) != 1 || got[0].use != pathGo {
				t.Errorf("%v: %v, want Go at every size", k, got)
			}
		case len(got) != 2 || got[1] != (step{nativeGoBelow, w.p}):
			t.Errorf("%v: %v, want Go then %v from %d", k, got, w.p, nativeGoBelow)
		}
		narrow := w // the narrowest tier with k
		for _, t := range tiers {
			if t.has(k) && t.p < narrow.p {
				narrow = t
			}
		}
		tab := &tuned{class: "test", steps: map[string][]tunedStep{k.String(): {{0, "go"}, {16, narrow.p.String()}, {1 << 30, "go"}}}}
		if p, ok := nativeChoice(k, pathGo, tab, tiers); !ok || p != narrow.p {
			t.Errorf("%v: BackendNative takes %v, want the table's %v", k, p, narrow.p)
		}
	}
}

// TestNativeCallMax: BackendAuto never gives an unsplittable native kernel more than
// nativeCallMax bytes in one call (the call cannot be preempted); BackendNative, chosen
// explicitly, does.
func TestNativeCallMax(t *testing.T) {
	if len(nativeTiers()) == 0 {
		t.Skip("no native tier in this build on this CPU")
	}
	auto, nat := newTestEngine(t), newTestEngine(t, WithBackend(BackendNative))
	for _, k := range []kernelID{kXXH3, kShuffle, kUnshuffle, kDeltaDecode} {
		if _, ok := widestWith(k, nativeTiers()); !ok {
			continue
		}
		n := nativeCallMax(k) + 1
		if p := auto.route(k, n, true); p.isNative() {
			t.Errorf("auto: %v of %d bytes takes %v", k, n, p)
		}
		if p := nat.route(k, n, true); !p.isNative() {
			t.Errorf("native: %v of %d bytes takes %v", k, n, p)
		}
	}
}

// TestNativeKernelsRouted: every kernel internal/native lists for a tier is one the root knows,
// and a BackendNative engine pinned to the tier routes it there at every size (so no native
// kernel is silently left in Go).
func TestNativeKernelsRouted(t *testing.T) {
	for _, tier := range nativeTiers() {
		e := newTestEngine(t, WithBackend(BackendNative), WithNativeTier(tier.p.String()))
		for _, name := range tier.k.Kernels() {
			k, ok := kernelByName(name)
			if !ok {
				t.Errorf("%v: internal/native lists %q, which the root does not know", tier.p, name)
				continue
			}
			for _, n := range []int{0, 100, 1 << 20} {
				if p := e.route(k, n, true); p != tier.p {
					t.Errorf("%v: %s at %d bytes takes %v", tier.p, name, n, p)
				}
			}
		}
	}
}
