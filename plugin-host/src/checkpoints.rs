//! Adds deadline and fuel checkpoints where wasmtime has none, before a module is compiled.
//!
//! wasmtime checks the epoch (the deadline) and fuel only at function entries and loop
//! headers, and charges one unit of fuel per instruction. Two kinds of work escape that:
//!
//! - a bulk instruction (`memory.fill`, `memory.copy`, `memory.init`, `table.fill`,
//!   `table.copy`, `table.init`) runs as host code whose time grows with its length, so a
//!   straight run of them, or one per frame of a deep recursion as it returns, would run for
//!   many seconds between two checks and cost one unit each;
//! - code after a call returns runs unchecked until the next loop header or call, so a deep
//!   recursion whose frames each run a long function body on the way back up would too.
//!
//! The host therefore appends one function of its own, `charge(n: i32)`, whose entry is a
//! checkpoint and whose loop burns about 8 units of fuel per KiB of `n`, and calls it with
//! the length (the operand on top of the stack, kept in one added local) before every bulk
//! instruction, and with 0 after every call in a function body longer than
//! [`LONG_BODY`] bytes. Between two checkpoints a call then does at most one bulk
//! instruction and [`LONG_BODY`] bytes of code per frame. The function is appended after
//! the module's own (there are no imports), so no index the module uses changes; `memory.grow`
//! and `table.grow` need no checkpoint (wasmtime grows memory by changing page protection, and
//! the store's limiter bounds table elements).

use std::borrow::Cow;
use std::convert::Infallible;

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{CodeSection, Function, FunctionSection, Instruction, Module, TypeSection};
use wasmparser::{CompositeInnerType, Operator, Parser};

use crate::check::load_error;
use crate::error::Error;

/// A function body longer than this many bytes gets a checkpoint after every call.
const LONG_BODY: u64 = 4096;

/// `wasm` (a module that passed [`check`](crate::check::check)) with the checkpoints added.
pub(crate) fn instrument(wasm: &[u8]) -> Result<Vec<u8>, Error> {
    let mut rewriter = Checkpoints::default();
    let mut module = Module::new();
    rewriter
        .parse_core_module(&mut module, Parser::new(0), wasm)
        .map_err(|e| load_error(format!("adding checkpoints: {e}")))?;
    if rewriter.charge.is_none() || rewriter.bodies != rewriter.function_types.len() {
        return Err(load_error(
            "adding checkpoints: the module has no type or function section",
        ));
    }
    Ok(module.finish())
}

/// The rewriter's state while it walks the module's sections in order.
#[derive(Default)]
struct Checkpoints {
    /// Parameter count of every type.
    type_params: Vec<u32>,
    /// Type index of every function the module defines.
    function_types: Vec<u32>,
    /// Type index of `charge`, once the type section was read.
    charge_type: Option<u32>,
    /// Function index of `charge`, once the function section was read.
    charge: Option<u32>,
    /// Function bodies rewritten so far.
    bodies: usize,
}

/// The rewriter's error: reading the module failed (it never fails otherwise).
type RewriteError = reencode::Error<Infallible>;

impl Checkpoints {
    /// The body of `charge(n)`: a loop of `n / 1024` iterations.
    fn charge_body() -> Function {
        let mut f = Function::new([]);
        for instruction in [
            Instruction::LocalGet(0),
            Instruction::I32Const(10),
            Instruction::I32ShrU,
            Instruction::LocalSet(0),
            Instruction::Block(wasm_encoder::BlockType::Empty),
            Instruction::Loop(wasm_encoder::BlockType::Empty),
            Instruction::LocalGet(0),
            Instruction::I32Eqz,
            Instruction::BrIf(1),
            Instruction::LocalGet(0),
            Instruction::I32Const(1),
            Instruction::I32Sub,
            Instruction::LocalSet(0),
            Instruction::Br(0),
            Instruction::End,
            Instruction::End,
            Instruction::End,
        ] {
            f.instruction(&instruction);
        }
        f
    }
}

/// Whether `op` runs host code whose time grows with the length on top of its stack.
fn is_bulk(op: &Operator<'_>) -> bool {
    matches!(
        op,
        Operator::MemoryFill { .. }
            | Operator::MemoryCopy { .. }
            | Operator::MemoryInit { .. }
            | Operator::TableFill { .. }
            | Operator::TableCopy { .. }
            | Operator::TableInit { .. }
    )
}

impl Reencode for Checkpoints {
    type Error = Infallible;

    fn parse_type_section(
        &mut self,
        types: &mut TypeSection,
        section: wasmparser::TypeSectionReader<'_>,
    ) -> Result<(), RewriteError> {
        for group in section {
            let group = group?;
            for ty in group.types() {
                let params = match &ty.composite_type.inner {
                    CompositeInnerType::Func(func) => func.params().len(),
                    _ => 0,
                };
                self.type_params
                    .push(u32::try_from(params).unwrap_or(u32::MAX));
            }
            self.parse_recursive_type_group(types.ty(), group)?;
        }
        self.charge_type = Some(types.len());
        types.ty().function([wasm_encoder::ValType::I32], []);
        Ok(())
    }

    fn parse_function_section(
        &mut self,
        functions: &mut FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), RewriteError> {
        for ty in section {
            let ty = ty?;
            self.function_types.push(ty);
            functions.function(ty);
        }
        if let Some(charge_type) = self.charge_type {
            self.charge = Some(functions.len());
            functions.function(charge_type);
        }
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<(), RewriteError> {
        reencode::utils::parse_code_section(self, code, section)?;
        code.function(&Checkpoints::charge_body());
        Ok(())
    }

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        body: wasmparser::FunctionBody<'_>,
    ) -> Result<(), RewriteError> {
        let params = self
            .function_types
            .get(self.bodies)
            .and_then(|&ty| self.type_params.get(ty as usize))
            .copied()
            .unwrap_or(0);
        self.bodies += 1;
        let charge = self.charge.unwrap_or(u32::MAX);
        let mut locals = Vec::new();
        let mut scratch = params;
        for group in body.get_locals_reader()? {
            let (count, ty) = group?;
            scratch = scratch.saturating_add(count);
            locals.push((count, self.val_type(ty)?));
        }
        locals.push((1, wasm_encoder::ValType::I32));
        let range = body.range();
        let long = range.end - range.start > LONG_BODY;

        let mut function = Function::new(locals);
        let mut operators = body.get_operators_reader()?;
        while !operators.eof() {
            let op = operators.read()?;
            if is_bulk(&op) {
                function.instruction(&Instruction::LocalTee(scratch));
                function.instruction(&Instruction::LocalGet(scratch));
                function.instruction(&Instruction::Call(charge));
            }
            let call = matches!(op, Operator::Call { .. } | Operator::CallIndirect { .. });
            function.instruction(&self.instruction(op)?);
            if long && call {
                function.instruction(&Instruction::I32Const(0));
                function.instruction(&Instruction::Call(charge));
            }
        }
        code.function(&function);
        Ok(())
    }

    fn parse_custom_section(
        &mut self,
        module: &mut Module,
        section: wasmparser::CustomSectionReader<'_>,
    ) -> Result<(), RewriteError> {
        // Kept byte for byte: custom sections are not validated, so none is parsed here.
        module.section(&wasm_encoder::CustomSection {
            name: Cow::Borrowed(section.name()),
            data: Cow::Borrowed(section.data()),
        });
        Ok(())
    }
}
