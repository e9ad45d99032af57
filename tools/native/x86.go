package main

import (
	"golang.org/x/arch/x86/x86asm"
)

// decodeAMD64 walks fn's instructions (body starts at fn.addr): it records direct calls and
// tail calls, sums the stack pointer's decrements into fn.frame and reports every forbidden
// instruction or access.
func decodeAMD64(fn *function, body []byte, p *problems) {
	below := uint64(0) // bytes allocated below the frame pointer since `mov rbp, rsp`
	hasFP := false
	for pc := 0; pc < len(body); {
		inst, err := decodeX86(body[pc:])
		addr := fn.addr + uint64(pc)
		if err != nil {
			p.add("%s+%#x (%#x): undecodable instruction %x", fn.name, pc, addr, body[pc:min(pc+8, len(body))])
			return
		}
		next := addr + uint64(inst.Len)
		switch inst.Op {
		case x86asm.CALL, x86asm.JMP:
			rel, ok := inst.Args[0].(x86asm.Rel)
			if !ok {
				p.add("%s+%#x: indirect %v (jump table or function pointer): %v", fn.name, pc, inst.Op, inst)
				break
			}
			target := uint64(int64(next) + int64(rel))
			if inst.Op == x86asm.CALL || target < fn.addr || target >= fn.addr+fn.size {
				fn.calls = append(fn.calls, target)
				fn.callSites = append(fn.callSites, addr)
			}
		case x86asm.LCALL, x86asm.LJMP:
			p.add("%s+%#x: far %v", fn.name, pc, inst.Op)
		case x86asm.INT:
			if inst.Args[0] == x86asm.Imm(3) {
				p.add("%s+%#x: trap instruction int3 (an abort or a panic's remnant) is reachable", fn.name, pc)
			} else {
				p.add("%s+%#x: %v is not allowed (syscall)", fn.name, pc, inst)
			}
		case x86asm.SYSCALL, x86asm.SYSENTER, x86asm.SYSEXIT, x86asm.SYSRET, x86asm.INTO,
			x86asm.CPUID, x86asm.XGETBV, x86asm.RDTSC, x86asm.RDTSCP, x86asm.HLT, x86asm.IN, x86asm.OUT:
			p.add("%s+%#x: %v is not allowed (syscall, cpuid or privileged)", fn.name, pc, inst.Op)
		case x86asm.UD1, x86asm.UD2:
			p.add("%s+%#x: trap instruction %v (an abort or a panic's remnant) is reachable", fn.name, pc, inst.Op)
		case x86asm.PUSH, x86asm.PUSHF:
			fn.frame += 8
			if hasFP {
				below += 8
			}
		case x86asm.MOV:
			if inst.Args[0] == x86asm.RBP && inst.Args[1] == x86asm.RSP {
				hasFP, below = true, 0
			}
		case x86asm.SUB:
			if inst.Args[0] == x86asm.RSP {
				imm, ok := inst.Args[1].(x86asm.Imm)
				if !ok || int64(imm) < 0 {
					p.add("%s+%#x: dynamic stack allocation %v", fn.name, pc, inst)
					break
				}
				fn.frame += uint64(imm)
				if hasFP {
					below += uint64(imm)
				}
			}
		case x86asm.AND:
			if inst.Args[0] == x86asm.RSP {
				// Realignment: moves SP down by up to alignment - 8 bytes.
				if imm, ok := inst.Args[1].(x86asm.Imm); ok && int64(imm) < 0 {
					fn.frame += uint64(-int64(imm)) - 8
				} else {
					p.add("%s+%#x: unexpected %v", fn.name, pc, inst)
				}
			}
		case x86asm.ADD, x86asm.LEA, x86asm.POP, x86asm.POPF, x86asm.RET, x86asm.LEAVE:
			// SP moves up (or back to the frame pointer): nothing to add.
		default:
			for _, a := range inst.Args {
				if a == x86asm.RSP || a == x86asm.ESP {
					if inst.Args[0] == a {
						p.add("%s+%#x: %v writes the stack pointer in a way the verifier cannot follow", fn.name, pc, inst)
					}
				}
			}
		}
		for _, a := range inst.Args {
			m, ok := a.(x86asm.Mem)
			if !ok || m.Index != 0 {
				continue
			}
			switch {
			case (m.Base == x86asm.RSP || m.Base == x86asm.ESP) && m.Disp < 0:
				p.add("%s+%#x: access below the stack pointer (red zone): %v", fn.name, pc, inst)
			case m.Base == x86asm.RBP && m.Disp < 0 && (!hasFP || uint64(-m.Disp) > below):
				p.add("%s+%#x: access below the allocated frame (red zone): %v", fn.name, pc, inst)
			}
		}
		pc += inst.Len
	}
	if fn.frame > 4096 {
		p.add("%s: frame of %d bytes needs stack probes (over 4 KiB)", fn.name, fn.frame)
	}
}

// decodeX86 is x86asm.Decode in 64-bit mode, with one correction: x/arch v0.33 gives
// VZEROUPPER/VZEROALL (VEX map 0F opcode 77, the only VEX instructions without a ModRM byte)
// one byte too many.
func decodeX86(code []byte) (x86asm.Inst, error) {
	inst, err := x86asm.Decode(code, 64)
	if err != nil {
		return inst, err
	}
	switch {
	case len(code) >= 3 && code[0] == 0xc5 && code[2] == 0x77:
		inst.Len = 3
	case len(code) >= 4 && code[0] == 0xc4 && code[1]&0x1f == 1 && code[3] == 0x77:
		inst.Len = 4
	}
	return inst, nil
}
