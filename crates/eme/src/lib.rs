//! The W3C Encrypted Media Extensions interfaces as native Boa objects.

use boa_engine::{Context, JsResult};

/// What an embedder can choose about the EME surface.
#[derive(Debug, Clone, Default)]
pub struct EmeOptions {}

/// Registers `Navigator` / `navigator.requestMediaKeySystemAccess` and every EME interface.
/// Requires `eme_dom::register` to have run first (EME interfaces inherit from its classes).
pub fn register(_ctx: &mut Context, _options: &EmeOptions) -> JsResult<()> {
    Ok(())
}
