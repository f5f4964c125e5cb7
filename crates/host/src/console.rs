//! Where `console.*` output goes: `log` / `info` / `debug` / `trace` / `table` to stdout,
//! `warn` / `error` to stderr, indented two spaces per open `console.group`.

use std::io::Write;

use boa_engine::{Context, JsError, JsResult};
use boa_gc::{Finalize, Trace};
use boa_runtime::{ConsoleState, Logger};

/// The console logger of a runtime that is not quiet.
#[derive(Debug, Trace, Finalize)]
pub(crate) struct StdioLogger;

fn write_line(mut out: impl Write, msg: &str, state: &ConsoleState) -> JsResult<()> {
    let indent = state.indent();
    for line in msg.split('\n') {
        writeln!(out, "{:indent$}{line}", "").map_err(JsError::from_rust)?;
    }
    Ok(())
}

impl Logger for StdioLogger {
    fn log(&self, msg: String, state: &ConsoleState, _: &mut Context) -> JsResult<()> {
        write_line(std::io::stdout().lock(), &msg, state)
    }

    fn info(&self, msg: String, state: &ConsoleState, _: &mut Context) -> JsResult<()> {
        write_line(std::io::stdout().lock(), &msg, state)
    }

    fn warn(&self, msg: String, state: &ConsoleState, _: &mut Context) -> JsResult<()> {
        write_line(std::io::stderr().lock(), &msg, state)
    }

    fn error(&self, msg: String, state: &ConsoleState, _: &mut Context) -> JsResult<()> {
        write_line(std::io::stderr().lock(), &msg, state)
    }
}
