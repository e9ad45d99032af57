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

func ExampleCRC32() {
	// The CRC of zlib, gzip and PNG; a seed continues a stream, as zlib's crc32(seed, data).
	fmt.Printf("%#x\n", binpipe.CRC32([]byte("123456789"), 0))
	// Output: 0xcbf43926
}

func ExampleXXH3() {
	fmt.Printf("%#x\n", binpipe.XXH3(nil, 0))
	// Output: 0x2d06800538d394c2
}

func ExampleFindAny() {
	line := []byte(`name="a,b";x`)
	i, err := binpipe.FindAny(line, []byte(`",;`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(i, string(line[i]))
	// Output: 5 "
}

func ExampleIndexByte() {
	ends, err := binpipe.IndexByte(nil, []byte("one\ntwo\nthree\n"), '\n')
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(ends)
	// Output: [3 7 13]
}

func ExampleUTF8Validate() {
	err := binpipe.UTF8Validate([]byte("caf\xc3\xa9 \xe2\x82"))
	var u *binpipe.UTF8Error
	if errors.As(err, &u) {
		// ErrorLen 0: the input ends inside a sequence that more bytes could complete.
		fmt.Println(u.ValidUpTo, u.ErrorLen, errors.Is(err, binpipe.ErrInvalidData))
	}
	// Output: 6 0 true
}

func ExampleHexDecode() {
	b, err := binpipe.HexDecode(nil, []byte("CAFEbabe"))
	fmt.Printf("%x %v\n", b, err)

	_, err = binpipe.HexDecode(nil, []byte("cafe-babe"))
	var kerr *binpipe.KernelError
	if errors.As(err, &kerr) {
		fmt.Println(kerr.Kind, "at", kerr.Offset)
	}
	// Output:
	// cafebabe <nil>
	// invalid-data at 4
}

func ExampleBase64Encode() {
	s := binpipe.Base64Encode(nil, []byte{0xfb, 0xff}, binpipe.AlphabetURLSafe, false)
	fmt.Println(string(s))
	b, err := binpipe.Base64Decode(nil, s, binpipe.AlphabetURLSafe, false)
	fmt.Println(b, err)
	// Output:
	// -_8
	// [251 255] <nil>
}

func ExampleVarintDecode() {
	buf := binpipe.VarintEncode(nil, []uint64{1, 300, 1 << 40})
	fmt.Printf("% x\n", buf)
	values, err := binpipe.VarintDecode(nil, buf)
	fmt.Println(values, err)

	_, err = binpipe.VarintDecode(nil, buf[:len(buf)-1]) // cut off inside the last varint
	var kerr *binpipe.KernelError
	if errors.As(err, &kerr) {
		fmt.Println(kerr.Kind, "at", kerr.Offset)
	}
	// Output:
	// 01 ac 02 80 80 80 80 80 20
	// [1 300 1099511627776] <nil>
	// invalid-data at 8
}

func ExampleBitpack() {
	packed, err := binpipe.Bitpack(nil, []uint32{1, 2, 3, 4}, 3)
	if err != nil {
		log.Fatal(err)
	}
	values, err := binpipe.Bitunpack(nil, packed, 3, 4)
	fmt.Printf("%08b %v %v\n", packed, values, err)
	// Output: [11010001 00001000] [1 2 3 4] <nil>
}

func ExampleCompare() {
	// A column of little-endian int32: 5, -3, 12, 0.
	col := []byte{5, 0, 0, 0, 0xfd, 0xff, 0xff, 0xff, 12, 0, 0, 0, 0, 0, 0, 0}
	bitmap, err := binpipe.Compare(nil, col, binpipe.I32, binpipe.Ge, binpipe.Signed(0))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%04b\n", bitmap[0]) // bit i is element i

	kept, err := binpipe.Select(nil, col, 4, bitmap)
	fmt.Println(kept, err)
	// Output:
	// 1101
	// [5 0 0 0 12 0 0 0 0 0 0 0] <nil>
}

func ExampleAggregate() {
	col := []byte{5, 0, 0, 0, 0xfd, 0xff, 0xff, 0xff, 12, 0, 0, 0} // int32: 5, -3, 12
	s, err := binpipe.Aggregate(col, binpipe.I32)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(s.Count, s.Min.Int64(), s.Max.Int64(), s.Sum.Int64())
	// Output: 3 -3 12 14
}
