//! `MediaKeySession`: <https://w3c.github.io/encrypted-media/#mediakeysession-interface>
//!
//! The CDM's "in parallel" steps run synchronously in Rust; their results are delivered by
//! queued tasks, so what a script observes is the spec's order: a promise's reactions run in
//! the task that settles it, and events fire from later tasks.

use boa_engine::{
    Context, JsData, JsObject, JsResult, JsString, JsValue, builtins::promise::ResolvingFunctions,
    object::builtins::JsPromise,
};
use boa_gc::{Finalize, Gc, GcRefCell, Trace};
use eme_cdm::{CdmError, KeyStatus, SessionMessage, SessionType, types::ClosedReason};
use eme_dom::{
    ExceptionName,
    event_target::{self, EventTarget},
    interface::{self, InterfaceBuilder, illegal_invocation},
    promise::promise_operation,
    task::queue_task,
    webidl,
};

use crate::media_key_status_map::{self, StatusEntries};
use crate::media_keys::CdmInstance;
use crate::{
    cdm_error, dom_error, idl_string, media_key_message_event, require_arguments, settle_in_task,
    type_error,
};

const INTERFACE: &str = "MediaKeySession";

/// The session's link to its CDM.
#[derive(Finalize, Trace)]
// SAFETY (of the empty trace): `eme_cdm` values, which cannot name a Boa type, and weak
// references to media elements, which never keep anything alive and so need no tracing.
#[boa_gc(unsafe_empty_trace)]
struct CdmLink {
    cdm: CdmInstance,
    session_type: SessionType,
}

/// The spec's internal slots and attribute values.
#[derive(Trace, Finalize)]
struct SessionState {
    link: CdmLink,
    session_id: JsString,
    expiration: f64,
    /// The `closed` promise (the same object on every read) and, until it is resolved, its
    /// resolving functions — their absence is the spec's "closed promise is resolved".
    closed: JsObject,
    closed_resolvers: Option<ResolvingFunctions>,
    key_statuses: JsObject,
    key_status_entries: StatusEntries,
    uninitialized: bool,
    callable: bool,
    closing_or_closed: bool,
}

/// Native data of a `MediaKeySession`: its embedded `EventTarget` and its state.
#[derive(Trace, Finalize, JsData)]
pub struct MediaKeySession {
    event_target: EventTarget,
    state: Gc<GcRefCell<SessionState>>,
}

type State = Gc<GcRefCell<SessionState>>;

/// A new session in its initial state (createSession steps 3–10).
pub(crate) fn create(
    cdm: CdmInstance,
    session_type: SessionType,
    ctx: &mut Context,
) -> JsResult<JsObject> {
    let (closed, closed_resolvers) = JsPromise::new_pending(ctx);
    let (key_statuses, key_status_entries) = media_key_status_map::create(ctx)?;
    let state = SessionState {
        link: CdmLink { cdm, session_type },
        session_id: JsString::default(),
        expiration: f64::NAN,
        closed: closed.into(),
        closed_resolvers: Some(closed_resolvers),
        key_statuses,
        key_status_entries,
        uninitialized: true,
        callable: false,
        closing_or_closed: false,
    };
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    Ok(JsObject::from_proto_and_data(
        prototype,
        MediaKeySession {
            event_target: EventTarget::new(),
            state: Gc::new(GcRefCell::new(state)),
        },
    ))
}

/// The session object and its state; the object borrow ends before this returns.
fn this_session(this: &JsValue) -> JsResult<(JsObject, State)> {
    let object = this
        .as_object()
        .ok_or_else(|| illegal_invocation(INTERFACE))?;
    let state = object
        .downcast_ref::<MediaKeySession>()
        .map(|s| s.state.clone())
        .ok_or_else(|| illegal_invocation(INTERFACE))?;
    Ok((object, state))
}

fn get_session_id(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(this_session(this)?.1.borrow().session_id.clone().into())
}

fn get_expiration(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(this_session(this)?.1.borrow().expiration.into())
}

// A promise-typed attribute: WebIDL turns a failed brand check into a rejected promise.
fn get_closed(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    promise_operation(ctx, |_| {
        Ok(this_session(this)?.1.borrow().closed.clone().into())
    })
}

fn get_key_statuses(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(this_session(this)?.1.borrow().key_statuses.clone().into())
}

fn invalid_state(ctx: &mut Context, message: &str) -> boa_engine::JsError {
    dom_error(ctx, ExceptionName::InvalidStateError, message)
}

// The spec's preconditions, shared by the session's methods, each named after its condition.

/// "If this's closing or closed value is true, return a promise rejected with an
/// InvalidStateError" (generateRequest, load, update, remove; close resolves instead).
fn reject_if_closing_or_closed(state: &State, ctx: &mut Context) -> JsResult<()> {
    if state.borrow().closing_or_closed {
        return Err(invalid_state(ctx, "The session is closed or closing."));
    }
    Ok(())
}

/// "If this's callable value is false, return a promise rejected with an InvalidStateError"
/// (update, close, remove): no generateRequest() or load() has completed.
fn reject_if_not_callable(state: &State, ctx: &mut Context) -> JsResult<()> {
    if !state.borrow().callable {
        return Err(invalid_state(
            ctx,
            "The session is not yet initialized: call generateRequest() and wait for it first.",
        ));
    }
    Ok(())
}

/// "If this's uninitialized value is false, return a promise rejected with an
/// InvalidStateError. Let this's uninitialized value be false." (generateRequest, load): a
/// session is initialized once, and is used up from here on even if a later step fails.
fn reject_if_initialized_else_mark_initialized(state: &State, ctx: &mut Context) -> JsResult<()> {
    if !state.borrow().uninitialized {
        return Err(invalid_state(
            ctx,
            "The session has already been initialized (generateRequest() or load() was called).",
        ));
    }
    state.borrow_mut().uninitialized = false;
    Ok(())
}

/// The CDM and the session id the in-parallel steps of update/close/remove work with.
fn cdm_and_session_id(state: &State) -> (CdmInstance, String) {
    let state = state.borrow();
    (
        state.link.cdm.clone(),
        state.session_id.to_std_string_escaped(),
    )
}

/// A CDM outcome as a script-visible result.
fn from_cdm<T>(outcome: Result<T, CdmError>, ctx: &mut Context) -> JsResult<T> {
    outcome.map_err(|e| cdm_error(e, ctx))
}

// https://w3c.github.io/encrypted-media/#dom-mediakeysession-generaterequest
fn generate_request(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    promise_operation(ctx, |ctx| {
        let (session, state) = this_session(this)?;
        require_arguments(args, 2, "generateRequest", INTERFACE)?;
        let init_data_type = webidl::dom_string(&args[0], ctx)?.to_std_string_escaped();
        let init_data = webidl::buffer_source(&args[1], "initData", ctx)?;
        // 1. Closing or closed → InvalidStateError.
        reject_if_closing_or_closed(&state, ctx)?;
        // 2–3. Already initialized → InvalidStateError; else the session is used up from here on.
        reject_if_initialized_else_mark_initialized(&state, ctx)?;
        // 4–5. Empty initDataType / initData → TypeError.
        if init_data_type.is_empty() {
            return Err(type_error("initDataType must not be the empty string"));
        }
        if init_data.is_empty() {
            return Err(type_error("initData must not be empty"));
        }
        // 6. The key system must support the init data type (exact, case-sensitive).
        let (cdm, session_type) = {
            let state = state.borrow();
            (state.link.cdm.clone(), state.link.session_type)
        };
        let supported = eme_cdm::InitDataType::parse(&init_data_type)
            .filter(|t| cdm.borrow().supports_init_data_type(*t));
        let Some(init_data_type) = supported else {
            return Err(dom_error(
                ctx,
                ExceptionName::NotSupportedError,
                &format!("initDataType '{init_data_type}' is not supported by this key system"),
            ));
        };
        // 7–9. Copy the data (done), create the promise.
        let (promise, resolvers) = JsPromise::new_pending(ctx);
        // 10. In parallel: sanitize, create the session id and the licence request.
        let outcome = cdm
            .borrow_mut()
            .generate_request(session_type, init_data_type, &init_data);
        // 10.10 Queued task: set sessionId, callable, resolve, then queue the message event.
        settle_in_task(ctx, resolvers, move |ctx| {
            let request = from_cdm(outcome, ctx)?;
            {
                let mut state = state.borrow_mut();
                state.session_id = JsString::from(request.session_id.as_str());
                state.callable = true;
            }
            queue_message_event(&session, request.message, ctx);
            Ok(JsValue::undefined())
        });
        Ok(promise.into())
    })
}

// https://w3c.github.io/encrypted-media/#dom-mediakeysession-load
fn load(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    promise_operation(ctx, |ctx| {
        let (_, state) = this_session(this)?;
        require_arguments(args, 1, "load", INTERFACE)?;
        let session_id = webidl::dom_string(&args[0], ctx)?;
        // 1. Closing or closed → InvalidStateError.
        reject_if_closing_or_closed(&state, ctx)?;
        // 2–3. Already initialized → InvalidStateError; else the session is used up from here on.
        reject_if_initialized_else_mark_initialized(&state, ctx)?;
        // 4. Empty sessionId → TypeError.
        if session_id.is_empty() {
            return Err(type_error("sessionId must not be the empty string"));
        }
        // 5. Only persistent session types can be loaded.
        match state.borrow().link.session_type {
            SessionType::Temporary => Err(type_error(
                "load() requires a persistent session type; this session is 'temporary'",
            )),
            // createSession refuses every type the key system cannot store, so a session of a
            // persistent type only exists once a key system supports storage.
            SessionType::PersistentLicense => Err(type_error(
                "this key system has no persistent session store",
            )),
        }
    })
}

// https://w3c.github.io/encrypted-media/#dom-mediakeysession-update
fn update(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    promise_operation(ctx, |ctx| {
        let (session, state) = this_session(this)?;
        require_arguments(args, 1, "update", INTERFACE)?;
        let response = webidl::buffer_source(&args[0], "response", ctx)?;
        // 1. Closing or closed → InvalidStateError.
        reject_if_closing_or_closed(&state, ctx)?;
        // 2. Not callable → InvalidStateError.
        reject_if_not_callable(&state, ctx)?;
        // 3. Empty response → TypeError.
        if response.is_empty() {
            return Err(type_error("response must not be empty"));
        }
        // 4–5. Copy (done), create the promise.
        let (promise, resolvers) = JsPromise::new_pending(ctx);
        // 6. In parallel: the CDM sanitizes and processes the licence.
        let (cdm, session_id) = cdm_and_session_id(&state);
        let outcome = cdm.borrow_mut().update(&session_id, &response);
        // 6.8 Queued task.
        settle_in_task(ctx, resolvers, move |ctx| {
            let result = from_cdm(outcome, ctx)?;
            if result.session_closed {
                session_closed(&session, &state, ClosedReason::ReleaseAcknowledged, ctx)?;
                return Ok(JsValue::undefined());
            }
            if let Some(statuses) = result.key_statuses {
                update_key_statuses(&session, &state, &statuses, ctx);
            }
            if let Some(message) = result.message {
                queue_message_event(&session, message, ctx);
            }
            Ok(JsValue::undefined())
        });
        Ok(promise.into())
    })
}

// https://w3c.github.io/encrypted-media/#dom-mediakeysession-close
fn close(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    promise_operation(ctx, |ctx| {
        let (session, state) = this_session(this)?;
        // 1–2. Already closing or closed → a promise resolved with undefined.
        if state.borrow().closing_or_closed {
            return Ok(JsPromise::resolve(JsValue::undefined(), ctx)?.into());
        }
        // 3. Not callable → InvalidStateError.
        reject_if_not_callable(&state, ctx)?;
        // 4–5. Promise; set closing or closed.
        let (promise, resolvers) = JsPromise::new_pending(ctx);
        state.borrow_mut().closing_or_closed = true;
        // 6. In parallel: the CDM closes the key session (its keys are destroyed).
        let (cdm, session_id) = cdm_and_session_id(&state);
        let outcome = cdm.borrow_mut().close(&session_id);
        // 6.3 Queued task: resolve close()'s promise, then run Session Closed — the current
        // spec order (REC-2017, Chromium and Firefox resolve `closed` first).
        queue_task(ctx, move |ctx| {
            let undefined = JsValue::undefined();
            match from_cdm(outcome, ctx) {
                Ok(()) => {
                    resolvers.resolve.call(&undefined, &[], ctx)?;
                    session_closed(&session, &state, ClosedReason::ClosedByApplication, ctx)
                }
                Err(error) => {
                    let reason = error.into_opaque(ctx)?;
                    resolvers
                        .reject
                        .call(&undefined, &[reason], ctx)
                        .map(|_| ())
                }
            }
        });
        Ok(promise.into())
    })
}

// https://w3c.github.io/encrypted-media/#dom-mediakeysession-remove
fn remove(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    promise_operation(ctx, |ctx| {
        let (session, state) = this_session(this)?;
        // 1. Closing or closed → InvalidStateError.
        reject_if_closing_or_closed(&state, ctx)?;
        // 2. Not callable → InvalidStateError.
        reject_if_not_callable(&state, ctx)?;
        let (promise, resolvers) = JsPromise::new_pending(ctx);
        // 4. In parallel: destroy the licences and keys (a record of destruction for
        //    persistent sessions becomes the message).
        let (cdm, session_id) = cdm_and_session_id(&state);
        let outcome = cdm.borrow_mut().remove(&session_id);
        // 4.5 Queued task: every key "released", expiration NaN, resolve, then the message.
        settle_in_task(ctx, resolvers, move |ctx| {
            let removal = from_cdm(outcome, ctx)?;
            update_key_statuses(&session, &state, &removal.key_statuses, ctx);
            state.borrow_mut().expiration = f64::NAN;
            if let Some(message) = removal.message {
                queue_message_event(&session, message, ctx);
            }
            Ok(JsValue::undefined())
        });
        Ok(promise.into())
    })
}

// https://w3c.github.io/encrypted-media/#queue-message
fn queue_message_event(session: &JsObject, message: SessionMessage, ctx: &mut Context) {
    let session = session.clone();
    queue_task(ctx, move |ctx| {
        let event = media_key_message_event::create(message.message_type, &message.message, ctx)?;
        event_target::fire_event(&session, &event, ctx)?;
        Ok(())
    });
}

// https://w3c.github.io/encrypted-media/#update-key-statuses
// The map is replaced now, inside the current task; the event is queued.
fn update_key_statuses(
    session: &JsObject,
    state: &State,
    statuses: &[(Vec<u8>, KeyStatus)],
    ctx: &mut Context,
) {
    state.borrow().key_status_entries.replace(statuses);
    let session = session.clone();
    // 5. Queue a task to fire keystatuseschange at the session.
    queue_task(ctx, move |ctx| {
        let event = eme_dom::event::create("keystatuseschange", Default::default(), ctx)?;
        event_target::fire_event(&session, &event, ctx)?;
        Ok(())
    });
    // 6. Queue a task to run Attempt to Resume Playback If Necessary on the elements using
    // the session's MediaKeys.
    let (cdm, _) = cdm_and_session_id(state);
    crate::media_keys::queue_attempt_to_resume_playback(&cdm, ctx);
}

// https://w3c.github.io/encrypted-media/#session-closed
fn session_closed(
    session: &JsObject,
    state: &State,
    reason: ClosedReason,
    ctx: &mut Context,
) -> JsResult<()> {
    // 1. If the closed promise is already resolved, abort.
    let Some(resolvers) = state.borrow_mut().closed_resolvers.take() else {
        return Ok(());
    };
    // 2–5. Closing or closed; empty key statuses (queues keystatuseschange); expiration NaN.
    state.borrow_mut().closing_or_closed = true;
    update_key_statuses(session, state, &[], ctx);
    state.borrow_mut().expiration = f64::NAN;
    // 6. Resolve `closed` with the reason.
    resolvers
        .resolve
        .call(&JsValue::undefined(), &[idl_string(reason)], ctx)?;
    Ok(())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    InterfaceBuilder::new(ctx, INTERFACE)
        .inherits_embedded("EventTarget", |data: &MediaKeySession| {
            data.event_target.clone()
        })?
        .attribute("sessionId", get_session_id, None)
        .attribute("expiration", get_expiration, None)
        .attribute("closed", get_closed, None)
        .attribute("keyStatuses", get_key_statuses, None)
        .event_handler("keystatuseschange", JsObject::is::<MediaKeySession>)
        .event_handler("message", JsObject::is::<MediaKeySession>)
        .operation("generateRequest", 2, generate_request)
        .operation("load", 1, load)
        .operation("update", 1, update)
        .operation("close", 0, close)
        .operation("remove", 0, remove)
        .build()?;
    Ok(())
}
