//! Adds deadline and fuel checkpoints where wasmtime has none, before a module is compiled.
//!
//! wasmtime checks the epoch (the deadline) and fuel at function entries, loop headers and
//! before every bulk instruction (`memory.fill`, `memory.copy`, `memory.init`, `memory.grow`,
//! `table.*`), which it also charges one unit of fuel per byte or element; but not when a
//! call returns. Code after a call runs unchecked until the next check, so a deep recursion
//! whose frames each run a long loop-free body on the way back up would run for a long time
//! unchecked: about a thousand frames of a 1 MiB body are a second of work.
//!
//! The host therefore appends one empty function of its own, `checkpoint()`, whose entry is
//! a check, and calls it after every call in a function body longer than [`LONG_BODY`]
//! bytes. Between two checks a call then runs at most [`LONG_BODY`] bytes of code per frame
//! it returns through, or one body. The function is appended after the module's own (after
//! its imported functions too, the minimal WASI's), so no index the module uses changes.

use std::borrow::Cow;
use std::convert::Infallible;

use wasm_encoder::reencode::{self, Reencode};
use wasm_encoder::{CodeSection, Function, FunctionSection, Instruction, Module, TypeSection};
use wasmparser::{Operator, Parser};

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
    if rewriter.function_types.is_empty() {
        return Ok(wasm.to_vec()); // no code, nothing to check
    }
    if rewriter.checkpoint.is_none() || rewriter.bodies != rewriter.function_types.len() {
        return Err(load_error(
            "adding checkpoints: the module has no type or function section",
        ));
    }
    Ok(module.finish())
}

/// The rewriter's state while it walks the module's sections in order.
#[derive(Default)]
struct Checkpoints {
    /// Type index of every function the module defines.
    function_types: Vec<u32>,
    /// Functions the module imports (they come first in the function index space).
    imported_functions: u32,
    /// Type index of `checkpoint`, once the type section was read.
    checkpoint_type: Option<u32>,
    /// Function index of `checkpoint`, once the function section was read.
    checkpoint: Option<u32>,
    /// Function bodies rewritten so far.
    bodies: usize,
}

/// The rewriter's error: reading the module failed (it never fails otherwise).
type RewriteError = reencode::Error<Infallible>;

impl Reencode for Checkpoints {
    type Error = Infallible;

    fn parse_type_section(
        &mut self,
        types: &mut TypeSection,
        section: wasmparser::TypeSectionReader<'_>,
    ) -> Result<(), RewriteError> {
        reencode::utils::parse_type_section(self, types, section)?;
        self.checkpoint_type = Some(types.len());
        types.ty().function([], []);
        Ok(())
    }

    fn parse_import_section(
        &mut self,
        imports: &mut wasm_encoder::ImportSection,
        section: wasmparser::ImportSectionReader<'_>,
    ) -> Result<(), RewriteError> {
        for import in section.clone().into_imports() {
            if matches!(import?.ty, wasmparser::TypeRef::Func(_)) {
                self.imported_functions += 1;
            }
        }
        reencode::utils::parse_import_section(self, imports, section)
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
        if let Some(checkpoint_type) = self.checkpoint_type {
            self.checkpoint = Some(self.imported_functions + functions.len());
            functions.function(checkpoint_type);
        }
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<(), RewriteError> {
        reencode::utils::parse_code_section(self, code, section)?;
        let mut checkpoint = Function::new([]);
        checkpoint.instruction(&Instruction::End);
        code.function(&checkpoint);
        Ok(())
    }

    fn parse_function_body(
        &mut self,
        code: &mut CodeSection,
        body: wasmparser::FunctionBody<'_>,
    ) -> Result<(), RewriteError> {
        self.bodies += 1;
        let range = body.range();
        if range.end - range.start <= LONG_BODY {
            return reencode::utils::parse_function_body(self, code, body);
        }
        let checkpoint = self.checkpoint.unwrap_or(u32::MAX);
        let mut function = self.new_function_with_parsed_locals(&body)?;
        let mut operators = body.get_operators_reader()?;
        while !operators.eof() {
            let op = operators.read()?;
            let call = matches!(op, Operator::Call { .. } | Operator::CallIndirect { .. });
            function.instruction(&self.instruction(op)?);
            if call {
                // Valid anywhere: it takes and leaves nothing on the stack.
                function.instruction(&Instruction::Call(checkpoint));
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
