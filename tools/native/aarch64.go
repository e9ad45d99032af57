package main

import (
	"encoding/binary"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/arch/arm64/arm64asm"
)

var (
	reX18     = regexp.MustCompile(`\b[XW](18|28)\b`)
	reSPImm   = regexp.MustCompile(`^(SUB|ADD) SP, SP, #(0x[0-9a-f]+|[0-9]+)(, LSL #12)?$`)
	reFPSet   = regexp.MustCompile(`^(ADD X29, SP, #(0x[0-9a-f]+|[0-9]+)|MOV X29, SP)$`)
	reMem     = regexp.MustCompile(`\[(SP|X29)(?:,#(-?(?:0x[0-9a-f]+|[0-9]+)))?\](!?)`)
	reWriteSP = regexp.MustCompile(`^[A-Z0-9.]+ (SP|WSP),`)
)

// decodeARM64 is decodeAMD64 for arm64: direct BL/B targets, SP decrements, forbidden
// instructions, accesses below SP and any use of x18 or x28.
func decodeARM64(fn *function, body []byte, p *problems) {
	below, hasFP := uint64(0), false
	for pc := 0; pc+4 <= len(body); pc += 4 {
		addr := fn.addr + uint64(pc)
		word := binary.LittleEndian.Uint32(body[pc:])
		inst, err := arm64asm.Decode(body[pc : pc+4])
		if err != nil {
			if word&0xffff0000 == 0 {
				p.add("%s+%#x: trap instruction udf is reachable", fn.name, pc)
			} else {
				p.add("%s+%#x (%#x): undecodable instruction %08x", fn.name, pc, addr, word)
			}
			continue
		}
		text := inst.String()
		switch inst.Op {
		case arm64asm.BL, arm64asm.B:
			rel, ok := inst.Args[0].(arm64asm.PCRel)
			if !ok {
				break // B.cond: a condition first, always within the function
			}
			target := uint64(int64(addr) + int64(rel))
			if inst.Op == arm64asm.BL || target < fn.addr || target >= fn.addr+fn.size {
				fn.calls = append(fn.calls, target)
				fn.callSites = append(fn.callSites, addr)
			}
		case arm64asm.BR, arm64asm.BLR:
			p.add("%s+%#x: indirect branch (jump table or function pointer): %s", fn.name, pc, text)
		case arm64asm.SVC, arm64asm.HVC, arm64asm.SMC, arm64asm.MRS, arm64asm.MSR, arm64asm.SYS, arm64asm.SYSL:
			p.add("%s+%#x: %s is not allowed (syscall or system register)", fn.name, pc, text)
		case arm64asm.BRK, arm64asm.HLT:
			p.add("%s+%#x: trap instruction %s (an abort or a panic's remnant) is reachable", fn.name, pc, text)
		}
		if reX18.MatchString(text) {
			p.add("%s+%#x: uses x18 (the platform register) or x28 (Go's g, read by its signal handler): %s", fn.name, pc, text)
		}
		if m := reSPImm.FindStringSubmatch(text); m != nil {
			n, _ := strconv.ParseUint(m[2], 0, 64)
			if m[3] != "" {
				n <<= 12
			}
			if m[1] == "SUB" {
				fn.frame += n
				if hasFP {
					below += n
				}
			}
		} else if m := reFPSet.FindStringSubmatch(text); m != nil {
			n, _ := strconv.ParseUint(m[2], 0, 64)
			hasFP, below = true, n
		} else if reWriteSP.MatchString(text) && !strings.HasPrefix(text, "MOV SP, X29") && !strings.HasPrefix(text, "ADD SP, X29") {
			p.add("%s+%#x: %s writes the stack pointer in a way the verifier cannot follow", fn.name, pc, text)
		}
		for _, m := range reMem.FindAllStringSubmatch(text, -1) {
			off, _ := strconv.ParseInt(m[2], 0, 64)
			if off >= 0 {
				continue
			}
			switch {
			case m[3] == "!" && m[1] == "SP": // pre-indexed push: SP moves down first
				fn.frame += uint64(-off)
				if hasFP {
					below += uint64(-off)
				}
			case m[1] == "SP":
				p.add("%s+%#x: access below the stack pointer: %s", fn.name, pc, text)
			case !hasFP || uint64(-off) > below:
				p.add("%s+%#x: access below the allocated frame: %s", fn.name, pc, text)
			}
		}
	}
	if fn.frame > 4096 {
		p.add("%s: frame of %d bytes needs stack probes (over 4 KiB)", fn.name, fn.frame)
	}
}
