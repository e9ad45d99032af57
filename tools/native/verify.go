package main

import (
	"debug/elf"
	"encoding/binary"
	"fmt"
	"sort"
	"strings"
)

// blob is a verified, linked tier: its bytes from address 0 (.text, then .rodata), its entry
// offsets and each entry's stack need in bytes (deepest call chain, return addresses included).
type blob struct {
	arch    string // "amd64" or "arm64"
	code    []byte
	entries map[string]uint64
	stack   map[string]uint64
}

// function is one symbol of .text and what decoding its instructions found.
type function struct {
	name       string
	addr, size uint64
	frame      uint64   // bytes this function alone moves SP down by, at most
	calls      []uint64 // direct call and tail-call targets
	callSites  []uint64 // address of each call in calls
}

// problems collects every rule violation, so one run reports all of them.
type problems []string

func (p *problems) add(format string, args ...any) { *p = append(*p, fmt.Sprintf(format, args...)) }

// verify checks the linked ELF at path against every rule and returns its blob.
//
// Rules: only .text (read+execute) and .rodata (read-only) are allocated (nothing writable,
// no GOT, PLT or TLS); no undefined symbols; every relocation is PC-relative, from .text, to a
// symbol inside the blob; in every reachable function, no indirect branch or call (jump
// tables), no syscall, cpuid or trap instruction, no dynamic or probed (> 4 KiB) stack frame,
// no access below the stack pointer (red zone), no x18 or x28 (arm64); the call graph from the
// entries has no cycle (recursion) and reaches no panic machinery.
func verify(path, arch string, names []string) (*blob, error) {
	f, err := elf.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var p problems
	want := map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}[arch]
	if f.Machine != want {
		return nil, fmt.Errorf("%s: machine %v, want %v", path, f.Machine, want)
	}
	text, rodata := checkSections(f, &p)
	if text == nil {
		return nil, fmt.Errorf("%s: no .text section", path)
	}
	syms, err := f.Symbols()
	if err != nil {
		return nil, fmt.Errorf("%s: symbols: %w", path, err)
	}
	for _, s := range syms {
		if s.Section == elf.SHN_UNDEF && s.Name != "" {
			p.add("undefined symbol %s", s.Name)
		}
	}
	code, err := text.Data()
	if err != nil {
		return nil, err
	}
	checkRelocations(f, syms, text, rodata, code, &p)
	if text.Addr != 0 {
		p.add(".text at %#x, not 0", text.Addr)
	}
	if rodata != nil {
		data, err := rodata.Data()
		if err != nil {
			return nil, err
		}
		if rodata.Addr < uint64(len(code)) {
			return nil, fmt.Errorf(".rodata at %#x overlaps .text", rodata.Addr)
		}
		code = append(code, make([]byte, rodata.Addr-uint64(len(code)))...)
		code = append(code, data...)
	}

	funcs := functions(syms, text)
	byAddr := map[uint64]*function{}
	for _, fn := range funcs {
		byAddr[fn.addr] = fn
		body := code[fn.addr : fn.addr+fn.size]
		switch arch {
		case "amd64":
			decodeAMD64(fn, body, &p)
		case "arm64":
			decodeARM64(fn, body, &p)
		}
	}
	b := &blob{arch: arch, code: code, entries: map[string]uint64{}, stack: map[string]uint64{}}
	for _, n := range names {
		var fn *function
		for _, c := range funcs {
			if c.name == n {
				fn = c
			}
		}
		if fn == nil {
			p.add("entry %s missing from the blob", n)
			continue
		}
		b.entries[n] = fn.addr
		need, ok := stackNeed(fn, byAddr, arch, map[uint64]int{}, nil, &p)
		if ok {
			b.stack[n] = need
		}
	}
	if len(p) > 0 {
		sort.Strings(p)
		p = compact(p)
		return nil, fmt.Errorf("%s: %d problem(s):\n  %s", path, len(p), strings.Join(p, "\n  "))
	}
	return b, nil
}

func compact(p problems) problems {
	out := p[:0]
	for i, s := range p {
		if i == 0 || s != p[i-1] {
			out = append(out, s)
		}
	}
	return out
}

// checkSections refuses every allocated section but .text and .rodata, and wrong flags on those.
func checkSections(f *elf.File, p *problems) (text, rodata *elf.Section) {
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_ALLOC == 0 {
			continue
		}
		switch {
		case s.Name == ".text" && s.Flags&(elf.SHF_WRITE|elf.SHF_TLS) == 0 && s.Flags&elf.SHF_EXECINSTR != 0:
			text = s
		case s.Name == ".rodata" && s.Flags&(elf.SHF_WRITE|elf.SHF_TLS|elf.SHF_EXECINSTR) == 0:
			rodata = s
		case s.Name == ".got" && f.Machine == elf.EM_X86_64:
			// Left out of the blob: checkRelocations rewrites every use of it into a direct
			// PC-relative reference, or refuses the blob.
		default:
			p.add("section %s (flags %v) is not allowed: only .text and read-only .rodata (nothing writable, no GOT/PLT/TLS)", s.Name, s.Flags)
		}
		if s.Type == elf.SHT_NOBITS {
			p.add("section %s has no bits in the file (bss/tbss)", s.Name)
		}
	}
	return text, rodata
}

// pcRelative lists the relocation types that are PC-relative on each machine and allowed in
// .text (x86-64 GOT loads after relaxGOT has rewritten them). ADRP page relocations (arm64) are excluded: they would tie the blob to a 4 KiB
// alignment that Go's linker does not give.
var pcRelative = map[elf.Machine]map[uint32]bool{
	elf.EM_X86_64: {
		uint32(elf.R_X86_64_PC32): true, uint32(elf.R_X86_64_PLT32): true,
		uint32(elf.R_X86_64_GOTPCREL): true, uint32(elf.R_X86_64_GOTPCRELX): true,
		uint32(elf.R_X86_64_REX_GOTPCRELX): true,
	},
	elf.EM_AARCH64: {
		uint32(elf.R_AARCH64_CALL26): true, uint32(elf.R_AARCH64_JUMP26): true,
		uint32(elf.R_AARCH64_CONDBR19): true, uint32(elf.R_AARCH64_TSTBR14): true,
		uint32(elf.R_AARCH64_ADR_PREL_LO21): true, uint32(elf.R_AARCH64_LD_PREL_LO19): true,
	},
}

// checkRelocations reads the relocations kept by --emit-relocs: only PC-relative ones, only
// in .text, only to symbols defined in .text or .rodata. It relaxes each GOT load in code.
func checkRelocations(f *elf.File, syms []elf.Symbol, text, rodata *elf.Section, code []byte, p *problems) {
	for _, s := range f.Sections {
		if s.Type == elf.SHT_REL {
			p.add("REL section %s: only RELA is expected", s.Name)
			continue
		}
		if s.Type != elf.SHT_RELA || int(s.Info) >= len(f.Sections) {
			continue
		}
		target := f.Sections[s.Info]
		if target.Flags&elf.SHF_ALLOC == 0 {
			continue // debug information
		}
		data, err := s.Data()
		if err != nil {
			p.add("%s: %v", s.Name, err)
			continue
		}
		for i := 0; i+24 <= len(data); i += 24 {
			off := binary.LittleEndian.Uint64(data[i:])
			info := binary.LittleEndian.Uint64(data[i+8:])
			typ, symIdx := uint32(info), info>>32
			if target != text {
				p.add("relocation %s at %s+%#x: pointers in %s are absolute or form a jump table", relocName(f.Machine, typ), target.Name, off, target.Name)
				continue
			}
			if !pcRelative[f.Machine][typ] {
				p.add("relocation %s at %#x is not PC-relative", relocName(f.Machine, typ), off)
				continue
			}
			if symIdx == 0 || int(symIdx) > len(syms) {
				p.add("relocation at %#x names no symbol", off)
				continue
			}
			sym := syms[symIdx-1] // debug/elf drops the null symbol
			if sec := int(sym.Section); sym.Section >= elf.SHN_LORESERVE || sec >= len(f.Sections) ||
				(f.Sections[sec] != text && f.Sections[sec] != rodata) {
				p.add("relocation at %#x to %q outside the blob", off, sym.Name)
				continue
			}
			if f.Machine == elf.EM_X86_64 && typ != uint32(elf.R_X86_64_PC32) && typ != uint32(elf.R_X86_64_PLT32) {
				addend := int64(binary.LittleEndian.Uint64(data[i+16:]))
				if err := relaxGOT(code, off, sym.Value, addend); err != nil {
					p.add("relocation %s at %#x to %s: %v", relocName(f.Machine, typ), off, sym.Name, err)
				}
			}
		}
	}
}

func relocName(m elf.Machine, typ uint32) string {
	if m == elf.EM_AARCH64 {
		return elf.R_AARCH64(typ).String()
	}
	return elf.R_X86_64(typ).String()
}

// functions lists the function symbols of .text by address.
func functions(syms []elf.Symbol, text *elf.Section) []*function {
	var out []*function
	seen := map[uint64]bool{}
	for _, s := range syms {
		if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Size == 0 || s.Value < text.Addr || s.Value+s.Size > text.Addr+text.Size || seen[s.Value] {
			continue
		}
		seen[s.Value] = true
		out = append(out, &function{name: s.Name, addr: s.Value, size: s.Size})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].addr < out[j].addr })
	return out
}

// isPanic reports whether a function belongs to the panic machinery: core's panicking
// module, the handler, and the formatting failure paths that only panics reach.
func isPanic(name string) bool {
	for _, s := range []string{"panic", "rust_begin_unwind", "_fail", "unwrap_failed", "expect_failed"} {
		if strings.Contains(name, s) {
			return true
		}
	}
	return false
}

// stackNeed is fn's deepest stack use, its callees' included; it reports recursion and
// reachable panic machinery on the way. path holds the call chain (for messages); state
// marks functions in progress (1) and done (2).
func stackNeed(fn *function, byAddr map[uint64]*function, arch string, state map[uint64]int, path []string, p *problems) (uint64, bool) {
	path = append(path, fn.name)
	if isPanic(fn.name) {
		p.add("panic reachable: %s", strings.Join(path, " -> "))
		return 0, false
	}
	state[fn.addr] = 1
	defer func() { state[fn.addr] = 2 }()
	ret := uint64(0)
	if arch == "amd64" {
		ret = 8 // CALL pushes the return address
	}
	deepest, ok := uint64(0), true
	for i, t := range fn.calls {
		callee := byAddr[t]
		if callee == nil {
			p.add("%s: call at %#x to %#x, which starts no function", fn.name, fn.callSites[i], t)
			ok = false
			continue
		}
		if state[t] == 1 {
			p.add("recursion: %s -> %s", strings.Join(path, " -> "), callee.name)
			ok = false
			continue
		}
		n, good := stackNeed(callee, byAddr, arch, state, path, p)
		ok = ok && good
		deepest = max(deepest, ret+n)
	}
	return fn.frame + deepest, ok
}

// relaxGOT rewrites the x86-64 instruction whose 32-bit displacement at off loads the GOT
// entry of a symbol at target into the equivalent direct form, as a linker's GOT relaxation
// does (rustc on stable emits non-relaxable R_X86_64_GOTPCREL for libcalls such as memcpy):
//
//	call *sym@GOTPCREL(%rip)  ff 15 disp32  ->  addr32 call sym  67 e8 rel32
//	jmp  *sym@GOTPCREL(%rip)  ff 25 disp32  ->  jmp sym; nop     e9 rel32 90
//	mov  sym@GOTPCREL(%rip), r  8b /r disp32  ->  lea sym(%rip), r  8d /r disp32
func relaxGOT(code []byte, off, target uint64, addend int64) error {
	if addend != -4 || off < 2 || off+4 > uint64(len(code)) {
		return fmt.Errorf("unexpected GOT reference (addend %d)", addend)
	}
	put := func(at, next uint64) {
		binary.LittleEndian.PutUint32(code[at:], uint32(int32(int64(target)-int64(next))))
	}
	op, modrm := code[off-2], code[off-1]
	switch {
	case op == 0xff && modrm == 0x15:
		code[off-2], code[off-1] = 0x67, 0xe8
		put(off, off+4)
	case op == 0xff && modrm == 0x25:
		code[off-2] = 0xe9
		put(off-1, off+3)
		code[off+3] = 0x90
	case op == 0x8b && modrm&0xc7 == 0x05:
		code[off-2] = 0x8d
		put(off, off+4)
	default:
		return fmt.Errorf("GOT load by an instruction the relaxation does not know (%x %x)", op, modrm)
	}
	return nil
}
