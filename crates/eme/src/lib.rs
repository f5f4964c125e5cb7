//! The W3C Encrypted Media Extensions interfaces as native Boa objects.
//!
//! One module per interface, named after it; each method mirrors its spec algorithm step by
//! step (<https://w3c.github.io/encrypted-media/>) and delegates key work to `eme_cdm`.
//!
//! # Where a queued task runs: the path of `session.update(response)`
//!
//! The spec's "in parallel" steps run synchronously, in the call; only their outcome waits
//! for a task, so scripts see the spec's order. Following one call:
//!
//! 1. **The call.** `MediaKeySession.prototype.update` is the native fn `update` in
//!    `media_key_session.rs`, installed by `InterfaceBuilder::operation`
//!    (`eme_dom::interface`). `eme_dom::promise::promise_operation` wraps it, so every failure
//!    below becomes a rejected promise.
//! 2. **Arguments and preconditions.** `this_session` (brand check), `require_arguments`
//!    (here), `eme_dom::webidl::buffer_source` (copies the bytes), then
//!    `reject_if_closing_or_closed` and `reject_if_not_callable`; a pending promise is created.
//! 3. **"In parallel": the CDM.** `eme_cdm::Cdm::update` (`crates/cdm/src/key_system.rs`),
//!    for Clear Key `ClearKeyCdm::update` (`crates/cdm/src/clear_key/cdm.rs`), which parses the
//!    JWK Set (`crates/cdm/src/license.rs`) and returns a `SessionUpdate` holding only Rust
//!    data. It runs now, before `update()` returns.
//! 4. **Queueing.** `settle_in_task` (here) hands a closure owning the outcome, the promise's
//!    resolvers and the session to `eme_dom::task::queue_task` (`crates/dom/src/task.rs`),
//!    which enqueues a Boa `GenericJob`. The context's job executor is the host's `EventLoop`
//!    (`crates/host/src/event_loop.rs`); its `enqueue_job` appends the job to the task queue.
//! 5. **The task runs** in a later turn of `EventLoop::run` (`next_task`, `run_task`), after
//!    the current script and its microtask checkpoint. The closure (in `update`) runs
//!    `update_key_statuses`, which replaces the `MediaKeyStatusMap` entries
//!    (`media_key_status_map.rs`) and queues one more task for the event, then resolves the
//!    promise. The promise's reactions run in that task's microtask checkpoint
//!    (`EventLoop::perform_microtask_checkpoint`), so they see the new statuses.
//! 6. **The event.** The next task creates a plain `keystatuseschange` event
//!    (`eme_dom::event::create`) and fires it with `eme_dom::event_target::fire_event`
//!    (`crates/dom/src/event_target.rs`: `dispatch`, `invoke`, `call_listener`); the
//!    `onkeystatuseschange` handler, declared by `InterfaceBuilder::event_handler`, is one of
//!    those listeners. A listener's exception goes to `eme_dom::report::report_exception`,
//!    which fires `error` at the global and then hands it to the host's sink.
//!
//! `generateRequest`, `close`, `remove`, `setServerCertificate`, `createMediaKeys` and
//! `requestMediaKeySystemAccess` follow the same shape: validate, call the CDM (or the key
//! system), `settle_in_task` or `queue_task`, fire events from further tasks.

#![forbid(unsafe_code)]

pub mod media_encrypted_event;
pub mod media_key_message_event;
pub mod media_key_session;
pub mod media_key_status_map;
pub mod media_key_system_access;
pub mod media_keys;
pub mod navigator;

pub use media_keys::{MediaKeysHandle, MediaKeysUser};

use std::fmt;
use std::rc::Rc;

use boa_engine::{Context, JsError, JsNativeError, JsResult, JsString, JsValue};
use eme_cdm::{CdmError, ClearKey, ErrorKind, KeySystem, types::IdlEnum};
use eme_dom::{ExceptionName, dom_exception, webidl};

/// What an embedder can choose about the EME surface.
#[derive(Clone)]
pub struct EmeOptions {
    /// The key systems `requestMediaKeySystemAccess` knows, matched by exact name.
    pub key_systems: Vec<Rc<dyn KeySystem>>,
}

impl Default for EmeOptions {
    fn default() -> Self {
        Self {
            key_systems: vec![Rc::new(ClearKey::new())],
        }
    }
}

impl fmt::Debug for EmeOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = self.key_systems.iter().map(|k| k.name()).collect();
        f.debug_struct("EmeOptions")
            .field("key_systems", &names)
            .finish()
    }
}

/// Registers `Navigator` / `navigator.requestMediaKeySystemAccess` and every EME interface.
/// Requires `eme_dom::register` to have run first (EME interfaces inherit from its classes).
pub fn register(ctx: &mut Context, options: &EmeOptions) -> JsResult<()> {
    navigator::register(ctx, options)?;
    media_key_system_access::register(ctx)?;
    media_keys::register(ctx)?;
    media_key_session::register(ctx)?;
    media_key_status_map::register(ctx)?;
    media_key_message_event::register(ctx)?;
    media_encrypted_event::register(ctx)?;
    Ok(())
}

/// A CDM failure as the script sees it: a `TypeError`, or a `DOMException` with the
/// matching name.
pub(crate) fn cdm_error(error: CdmError, ctx: &mut Context) -> JsError {
    let name = match error.kind {
        ErrorKind::TypeError => return JsNativeError::typ().with_message(error.message).into(),
        ErrorKind::NotSupportedError => ExceptionName::NotSupportedError,
        ErrorKind::InvalidStateError => ExceptionName::InvalidStateError,
        ErrorKind::QuotaExceededError => ExceptionName::QuotaExceededError,
        ErrorKind::InvalidAccessError => ExceptionName::InvalidAccessError,
    };
    dom_exception::error(ctx, name, &error.message)
}

/// A WebIDL enumeration value converted from JS to the CDM's enum `E`: ToString, then one of
/// `E`'s IDL strings exactly, else a TypeError naming the enumeration.
pub(crate) fn idl_enum<E: IdlEnum>(value: &JsValue, ctx: &mut Context) -> JsResult<E> {
    webidl::enumeration(value, E::ALL, E::as_str, E::IDL_NAME, ctx)
}

/// A CDM enum value as the JS string WebIDL maps it to.
pub(crate) fn idl_string<E: IdlEnum>(value: E) -> JsValue {
    JsString::from(value.as_str()).into()
}

/// A `DOMException` named `name`.
pub(crate) fn dom_error(ctx: &mut Context, name: ExceptionName, message: &str) -> JsError {
    dom_exception::error(ctx, name, message)
}

/// A `TypeError` with `message`.
pub(crate) fn type_error(message: impl Into<String>) -> JsError {
    JsNativeError::typ().with_message(message.into()).into()
}

/// The TypeError WebIDL throws when fewer than `required` arguments were passed.
pub(crate) fn require_arguments(
    args: &[boa_engine::JsValue],
    required: usize,
    operation: &str,
    interface: &str,
) -> JsResult<()> {
    if args.len() < required {
        return Err(type_error(format!(
            "Failed to execute '{operation}' on '{interface}': {required} argument{} required, but only {} present.",
            if required == 1 { "" } else { "s" },
            args.len()
        )));
    }
    Ok(())
}

/// The spec's "queue a task to resolve/reject promise": `steps` run in a new task; `Ok`
/// resolves with the value, `Err` rejects with the error (engine errors still end the run).
pub(crate) fn settle_in_task(
    ctx: &mut Context,
    resolvers: boa_engine::builtins::promise::ResolvingFunctions,
    steps: impl FnOnce(&mut Context) -> JsResult<boa_engine::JsValue> + 'static,
) {
    eme_dom::task::queue_task(ctx, move |ctx| {
        let undefined = boa_engine::JsValue::undefined();
        match steps(ctx) {
            Ok(value) => resolvers.resolve.call(&undefined, &[value], ctx)?,
            Err(error) if error.as_engine().is_some() => return Err(error),
            Err(error) => {
                let reason = error.into_opaque(ctx)?;
                resolvers.reject.call(&undefined, &[reason], ctx)?
            }
        };
        Ok(())
    });
}
