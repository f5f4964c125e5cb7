//! What every web interface needs, independent of EME: `Event`, `EventTarget`,
//! `DOMException`, WebIDL conversions, interface-object builders, "queue a task" and timed sources
//! (Rust state machines the host's event loop runs at times on the context's clock).

#![forbid(unsafe_code)]

pub mod dom_exception;
pub mod error_event;
pub mod event;
pub mod event_target;
pub mod inheritance;
pub mod interface;
pub mod promise;
pub mod promise_rejection_event;
pub mod report;
pub mod task;
pub mod timed;
pub mod webidl;

use boa_engine::{Context, JsResult};

pub use dom_exception::ExceptionName;

/// Registers `Event`, `EventTarget`, `ErrorEvent`, `PromiseRejectionEvent` and `DOMException`
/// as globals.
pub fn register(ctx: &mut Context) -> JsResult<()> {
    dom_exception::register(ctx)?;
    event::register(ctx)?;
    event_target::register(ctx)?;
    error_event::register(ctx)?;
    promise_rejection_event::register(ctx)?;
    Ok(())
}
