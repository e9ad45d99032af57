//go:build wasip1

package sdk

// the is the module's one state.
var the state

// plugin returns the registered plugin, or panics: a module without one is a build mistake.
func plugin() Plugin {
	if registered == nil {
		panic("binpipe plugin: no sdk.Register call in an init function")
	}
	return registered
}

//go:wasmexport describe
func describe() uint32 { return the.describe(plugin()) }

//go:wasmexport cabi_realloc
func cabiRealloc(old, oldSize, align, newSize uint32) uint32 {
	if old != 0 || oldSize != 0 || align != 1 {
		panic("binpipe plugin: cabi_realloc serves only the host's batch, (0, 0, 1, n)")
	}
	return the.batchBuffer(newSize)
}

//go:wasmexport transform
func transform(ptr, n uint32) uint32 {
	area, ok := the.transform(plugin(), ptr, n)
	if !ok {
		panic("binpipe plugin: transform called on memory cabi_realloc did not hand out")
	}
	return area
}

//go:wasmexport cabi_post_transform
func postTransform(area uint32) { the.postTransform() }
