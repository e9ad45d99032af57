package bench

import (
	"slices"
	"strings"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// BenchmarkNative runs every kernel of BenchmarkPeers through binpipe's Go API on each path
// side by side with the same peers, at 4 KiB, 64 KiB and 1 MiB: impl "binpipe" is the package
// functions (BackendAuto, what programs get), "binpipe-go" BackendGo, "binpipe-wasm"
// BackendWasm and "binpipe-<tier>" BackendNative pinned to each native tier this CPU has
// (only for the kernels that tier runs natively: elsewhere BackendNative would run Go under
// the tier's name). `just bench-native` runs it in interleaved rounds on a quiet machine and
// summarises it (peers_table.py, benchstat); the criterion benches of the kernels crate
// (`cargo bench -p binpipe-kernels --bench <family>`) time the same tiers called from Rust.
//
//	go test -run '^$' -bench BenchmarkNative -benchtime 200ms
func BenchmarkNative(b *testing.B) {
	type path struct {
		name string
		bp   api
		tier string // for native paths: the tier whose kernels it runs
	}
	paths := []path{{"binpipe", api{}, ""}}
	for _, c := range []struct {
		name string
		opts []binpipe.Option
		tier string
	}{
		{"binpipe-go", []binpipe.Option{binpipe.WithBackend(binpipe.BackendGo)}, ""},
		{"binpipe-wasm", []binpipe.Option{binpipe.WithBackend(binpipe.BackendWasm)}, ""},
	} {
		e, err := binpipe.New(b.Context(), c.opts...)
		if err != nil {
			b.Fatal(err)
		}
		defer e.Close()
		paths = append(paths, path{c.name, api{e}, c.tier})
	}
	for _, tier := range binpipe.NativeTiers() {
		e, err := binpipe.New(b.Context(), binpipe.WithBackend(binpipe.BackendNative), binpipe.WithNativeTier(tier))
		if err != nil {
			b.Fatal(err)
		}
		defer e.Close()
		paths = append(paths, path{"binpipe-" + tier, api{e}, tier})
	}
	for _, k := range kernelCases {
		b.Run(k.name, func(b *testing.B) {
			for _, n := range []int{4 << 10, 64 << 10, 1 << 20} {
				var impls []impl
				for _, p := range paths {
					if p.tier != "" && p.bp.e.Path(witName(k.name), n) != p.tier {
						continue
					}
					im := k.setup(p.bp, n)[0]
					im.name = p.name
					impls = append(impls, im)
				}
				impls = append(impls, k.setup(api{}, n)[1:]...) // the peers
				for _, im := range impls {
					im.run() // warm up: compile the module, fill the pool, grow dst
					b.Run(sizeName(n)+"/"+im.name, func(b *testing.B) {
						b.SetBytes(int64(n))
						for b.Loop() {
							im.run()
						}
					})
				}
			}
		})
	}
}

// witName is the WIT kernel a BenchmarkPeers case runs ("shuffle-4" runs "shuffle",
// "byteswap-in-place" "byteswap").
func witName(caseName string) string {
	switch {
	case caseName == "xxh3":
		return "xxh3-64"
	case strings.HasPrefix(caseName, "utf8-"):
		return "utf8-validate"
	case caseName == "byteswap-in-place":
		return "byteswap"
	case strings.HasPrefix(caseName, "shuffle-"), strings.HasPrefix(caseName, "unshuffle-"):
		return caseName[:strings.IndexByte(caseName, '-')]
	}
	return caseName
}

// TestWitNames checks that every BenchmarkPeers case names a kernel binpipe routes.
func TestWitNames(t *testing.T) {
	for _, k := range kernelCases {
		if p := binpipe.Path(witName(k.name), 1); p == "" {
			t.Errorf("case %s: kernel %q unknown to binpipe.Path", k.name, witName(k.name))
		}
	}
}

// TestNativeClass logs this CPU's class (its widest native tier, or "none"), which names
// bench-native.sh's result files.
func TestNativeClass(t *testing.T) {
	class := "none"
	for _, c := range []string{"neon", "avx2", "avx512"} {
		if slices.Contains(binpipe.NativeTiers(), c) {
			class = c
		}
	}
	t.Logf("native class: %s", class)
}
