package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// object assembles asm (one global_asm! block, Intel syntax on x86-64) into an object file
// with the pinned rustc, links it as the blob build does with bp_t as the only root, and
// returns the linked ELF's path.
func object(t *testing.T, triple, asm string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "t.rs")
	body, extra, _ := strings.Cut(asm, "\n--\n") // extra: sections after the function
	code := "#![no_std]\ncore::arch::global_asm!(r#\"\n.text\n.globl bp_t\n.type bp_t,@function\n.p2align 4\nbp_t:\n" + body + "\n.size bp_t, .-bp_t\n" + extra + "\n\"#);\n"
	if err := os.WriteFile(src, []byte(code), 0o644); err != nil {
		t.Fatal(err)
	}
	obj := filepath.Join(dir, "t.o")
	out, err := exec.Command("rustc", "--edition", "2021", "--crate-type", "lib", "--emit", "obj",
		"-C", "panic=abort", "--target", triple, "-o", obj, src).CombinedOutput()
	if err != nil {
		t.Fatalf("rustc: %v\n%s", err, out)
	}
	elfPath, err := link(dir, "t", []string{"bp_t"}, []string{obj})
	if err != nil {
		t.Fatal(err)
	}
	return elfPath
}

const (
	x86   = "x86_64-unknown-linux-gnu"
	arm64 = "aarch64-unknown-linux-gnu"
)

// Each case is a small object that breaks one rule (or none), and the message the verifier
// must give.
var cases = []struct {
	name, triple, arch, asm, want string
}{
	{"ok", x86, "amd64", "push rbp\nmov rbp, rsp\nsub rsp, 32\nmov [rbp-32], rax\nadd rsp, 32\npop rbp\nret", ""},
	{"undefined", x86, "amd64", "call missing_function\nret", "undefined symbol missing_function"},
	{"writable", x86, "amd64", "lea rax, [rip + counter]\nret\n--\n.data\ncounter: .quad 1", "section .data"},
	{"tls", x86, "amd64", "lea rax, [rip + tls]\nret\n--\n.section .tdata,\"awT\",@progbits\ntls: .quad 1", "section .tdata"},
	{"got outside", x86, "amd64", "mov rax, [rip + weakfn@GOTPCREL]\nret\n.weak weakfn", "to \"weakfn\" outside the blob"},
	{"got unrelaxable", x86, "amd64", "add rax, [rip + bp_t@GOTPCREL]\nret", "the relaxation does not know"},
	{"absolute", x86, "amd64", "movabs rax, offset bp_t\nret", "R_X86_64_64 at"},
	{"pointer table", x86, "amd64", "lea rax, [rip + table]\nret\n--\n.section .rodata\ntable: .quad bp_t", "pointers in .rodata"},
	{"indirect", x86, "amd64", "jmp rax", "indirect JMP"},
	{"syscall", x86, "amd64", "syscall\nret", "SYSCALL is not allowed"},
	{"cpuid", x86, "amd64", "cpuid\nret", "CPUID is not allowed"},
	{"trap", x86, "amd64", "ud2", "trap instruction UD2"},
	{"probe", x86, "amd64", "sub rsp, 8192\nadd rsp, 8192\nret", "needs stack probes"},
	{"dynamic", x86, "amd64", "sub rsp, rax\nret", "dynamic stack allocation"},
	{"red zone", x86, "amd64", "mov [rsp-8], rax\nret", "below the stack pointer"},
	{"red zone fp", x86, "amd64", "push rbp\nmov rbp, rsp\nmov [rbp-8], rax\npop rbp\nret", "below the allocated frame"},
	{"recursion", x86, "amd64", "call bp_t\nret", "recursion: bp_t -> bp_t"},
	{"panic", x86, "amd64", "call _ZN4core9panicking5panic17h0123456789abcdefE\nret\n--\n.globl _ZN4core9panicking5panic17h0123456789abcdefE\n.type _ZN4core9panicking5panic17h0123456789abcdefE,@function\n_ZN4core9panicking5panic17h0123456789abcdefE:\njmp _ZN4core9panicking5panic17h0123456789abcdefE\n.size _ZN4core9panicking5panic17h0123456789abcdefE, 2", "panic reachable: bp_t -> _ZN4core9panicking5panic"},

	{"ok", arm64, "arm64", "stp x29, x30, [sp, #-32]!\nmov x29, sp\nstr x0, [x29, #16]\nldp x29, x30, [sp], #32\nret", ""},
	{"x18", arm64, "arm64", "mov x18, x0\nret", "uses x18"},
	{"x28", arm64, "arm64", "stp x27, x28, [sp, #-16]!\nldp x27, x28, [sp], #16\nret", "x28 (Go's g"},
	{"indirect", arm64, "arm64", "br x0", "indirect branch"},
	{"syscall", arm64, "arm64", "svc #0\nret", "SVC"},
	{"system register", arm64, "arm64", "mrs x0, tpidr_el0\nret", "MRS"},
	{"trap", arm64, "arm64", "brk #1", "trap instruction BRK"},
	{"adrp", arm64, "arm64", "adrp x0, konst\nadd x0, x0, :lo12:konst\nret\n--\n.section .rodata\nkonst: .quad 7", "R_AARCH64_ADR_PREL_PG_HI21"},
	{"red zone", arm64, "arm64", "str x0, [sp, #-16]\nret", "below the stack pointer"},
	{"probe", arm64, "arm64", "sub sp, sp, #2, lsl #12\nadd sp, sp, #2, lsl #12\nret", "needs stack probes"},
	{"recursion", arm64, "arm64", "bl bp_t\nret", "recursion"},
}

func TestVerifierRules(t *testing.T) {
	for _, c := range cases {
		t.Run(c.arch+"/"+c.name, func(t *testing.T) {
			b, err := verify(object(t, c.triple, c.asm), c.arch, []string{"bp_t"})
			switch {
			case c.want == "" && err != nil:
				t.Fatalf("refused a good object: %v", err)
			case c.want != "" && err == nil:
				t.Fatalf("accepted an object that breaks a rule (want %q)", c.want)
			case c.want != "" && !strings.Contains(err.Error(), c.want):
				t.Fatalf("refused for another reason; want %q in:\n%v", c.want, err)
			}
			if c.want == "" {
				want := map[string]uint64{"amd64": 40, "arm64": 32}[c.arch]
				if b.stack["bp_t"] != want {
					t.Errorf("stack need %d, want %d", b.stack["bp_t"], want)
				}
			}
		})
	}
}

// TestRelaxGOT checks that a GOT load of a symbol inside the blob becomes a direct
// PC-relative lea of it (48 8b 05 -> 48 8d 05, displacement to bp_t).
func TestRelaxGOT(t *testing.T) {
	b, err := verify(object(t, x86, "mov rax, [rip + bp_t@GOTPCREL]\nret"), "amd64", []string{"bp_t"})
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0x48, 0x8d, 0x05, 0xf9, 0xff, 0xff, 0xff} // lea rax, [rip - 7] = bp_t
	if !bytes.Equal(b.code[:7], want) {
		t.Errorf("relaxed code % x, want % x", b.code[:7], want)
	}
}
