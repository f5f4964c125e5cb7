//! Helpers shared by the integration tests.
#![allow(dead_code)]

use boa_engine::Source;
use eme_host::{Runtime, RuntimeBuilder};

/// A runtime that prints nothing: console silenced, problems only collected.
pub fn runtime() -> Runtime {
    RuntimeBuilder::new()
        .quiet(true)
        .print_problems(false)
        .build()
}

/// Evaluates `expr` in the runtime's global and returns `JSON.stringify` of it.
pub fn json(runtime: &mut Runtime, expr: &str) -> String {
    let code = format!("JSON.stringify({expr})");
    let value = runtime
        .context()
        .eval(Source::from_bytes(code.as_bytes()))
        .expect("expression evaluates");
    value
        .to_string(runtime.context())
        .expect("a string")
        .to_std_string_escaped()
}

/// Runs one script then the event loop, both expected to finish normally.
pub fn run(runtime: &mut Runtime, source: &str) {
    runtime.eval_script(source, "test.js").expect("script runs");
    runtime.run_event_loop().expect("event loop runs to idle");
}
