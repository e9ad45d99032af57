package binpipe_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	binpipe "github.com/binpipe/binpipe/go-host"
)

func ExampleCRC32C() {
	crc := binpipe.CRC32C([]byte("123456789"), 0)
	fmt.Printf("%#x\n", crc)

	// A seed continues a stream: the CRC of two parts equals the CRC of the whole.
	part := binpipe.CRC32C([]byte("1234"), 0)
	fmt.Printf("%#x\n", binpipe.CRC32C([]byte("56789"), part))
	// Output:
	// 0xe3069283
	// 0xe3069283
}

func ExampleCountByte() {
	fmt.Println(binpipe.CountByte([]byte("a,b,,c"), ','))
	// Output: 3
}

func ExampleShuffle() {
	// Three little-endian uint32 values; shuffling groups byte 0 of each, then byte 1, ...
	values := []byte{1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0}
	planes, err := binpipe.Shuffle(nil, values, 4)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(planes)

	back, err := binpipe.Unshuffle(nil, planes, 4)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(back)
	// Output:
	// [1 2 3 0 0 0 0 0 0 0 0 0]
	// [1 0 0 0 2 0 0 0 3 0 0 0]
}

func ExampleShuffle_error() {
	_, err := binpipe.Shuffle(nil, []byte("abc"), 0)
	fmt.Println(errors.Is(err, binpipe.ErrInvalidArgument))

	var kerr *binpipe.KernelError
	if errors.As(err, &kerr) {
		fmt.Println(kerr.Kernel, kerr.Kind)
	}
	// Output:
	// true
	// shuffle invalid-argument
}

func ExampleNew() {
	// An engine that runs every kernel in the wasm module, for example to cross-check it.
	e, err := binpipe.New(context.Background(), binpipe.WithBackend(binpipe.BackendWasm), binpipe.WithPoolSize(2))
	if err != nil {
		log.Fatal(err)
	}
	defer e.Close()

	crc, err := e.CRC32C([]byte("123456789"), 0)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%v: %#x\n", e.Backend(), crc)
	// Output: wasm: 0xe3069283
}
