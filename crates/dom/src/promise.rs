//! WebIDL's rule for promise-returning operations: every failure, including argument
//! conversion and brand checks, becomes a rejected promise, never a synchronous throw.
//! <https://webidl.spec.whatwg.org/#es-operations> (step "If op has a return type that is a promise type")

use boa_engine::{Context, JsResult, JsValue, object::builtins::JsPromise};

/// Runs `steps`; an `Err` becomes a promise rejected with that error. Engine errors (runtime
/// limits) are not script-visible values, so they still propagate.
pub fn promise_operation(
    ctx: &mut Context,
    steps: impl FnOnce(&mut Context) -> JsResult<JsValue>,
) -> JsResult<JsValue> {
    match steps(ctx) {
        Ok(value) => Ok(value),
        Err(error) if error.as_engine().is_some() => Err(error),
        Err(error) => Ok(JsPromise::reject(error, ctx)?.into()),
    }
}
