//! `SourceBuffer` (<https://w3c.github.io/media-source/#sourcebuffer>) over
//! `eme_media::mse::SourceBufferState`: the attributes' checks, the prepare append and buffer
//! append algorithms (asynchronous: `updatestart`, then the segment parser loop in a later
//! task, then `update` and `updateend`), the append error algorithm, `abort()` and the range
//! removal algorithm. See `media_source.rs` for the object graph and its tracing.

use std::cell::RefCell;
use std::rc::Rc;

use boa_engine::{Context, JsArgs, JsData, JsObject, JsResult, JsValue, js_string};
use boa_gc::{Finalize, Gc, GcRefCell, Trace};
use eme_dom::event_target::EventTarget;
use eme_dom::interface::{self, InterfaceBuilder, illegal_invocation};
use eme_dom::{ExceptionName, dom_exception};
use eme_media::MediaTime;
use eme_media::mse::{AppendError, AppendMode, AppendOutcome, AttributeError, SourceBufferState};

use crate::media_source::{
    self, EndOfStreamError, MediaSourceInner, MsReadyState, invalid_state, queue_simple_event,
};
use crate::time_ranges;

const INTERFACE: &str = "SourceBuffer";

/// Flags that hold no JS value.
#[derive(Default)]
struct Flags {
    updating: bool,
    /// Bumped by `abort()`: a queued buffer append or range removal of an older generation
    /// does nothing.
    generation: u64,
}

/// A source buffer's traced state.
#[derive(Trace, Finalize)]
pub(crate) struct SourceBufferInner {
    /// The parent media source; `None` once removed from it.
    media_source: GcRefCell<Option<JsObject>>,
    // Untraced: the Boa-free MSE model (`eme_media` cannot name a Boa type) and plain flags.
    #[unsafe_ignore_trace]
    state: Rc<RefCell<SourceBufferState>>,
    #[unsafe_ignore_trace]
    flags: RefCell<Flags>,
}

/// Native data of a `SourceBuffer`.
#[derive(Trace, Finalize, JsData)]
pub struct SourceBuffer {
    event_target: EventTarget,
    inner: Gc<SourceBufferInner>,
}

pub(crate) fn create(
    media_source: &JsObject,
    state: Rc<RefCell<SourceBufferState>>,
    ctx: &mut Context,
) -> JsResult<JsObject> {
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    Ok(JsObject::from_proto_and_data(
        prototype,
        SourceBuffer {
            event_target: EventTarget::new(),
            inner: Gc::new(SourceBufferInner {
                media_source: GcRefCell::new(Some(media_source.clone())),
                state,
                flags: RefCell::new(Flags::default()),
            }),
        },
    ))
}

pub(crate) fn is_source_buffer(object: &JsObject) -> bool {
    object.is::<SourceBuffer>()
}

fn inner_of(object: &JsObject) -> Option<Gc<SourceBufferInner>> {
    object
        .downcast_ref::<SourceBuffer>()
        .map(|d| d.inner.clone())
}

pub(crate) fn is_updating(object: &JsObject) -> bool {
    inner_of(object).is_some_and(|i| i.flags.borrow().updating)
}

/// Removal from the parent: returns the buffer state the media source shared.
pub(crate) fn detach(object: &JsObject) -> Option<Rc<RefCell<SourceBufferState>>> {
    let inner = inner_of(object)?;
    *inner.media_source.borrow_mut() = None;
    Some(inner.state.clone())
}

fn this_buffer(this: &JsValue) -> JsResult<(JsObject, Gc<SourceBufferInner>)> {
    let object = this
        .as_object()
        .ok_or_else(|| illegal_invocation(INTERFACE))?;
    let inner = inner_of(&object).ok_or_else(|| illegal_invocation(INTERFACE))?;
    Ok((object, inner))
}

/// The parent media source, or InvalidStateError "removed from the parent media source".
fn parent(
    inner: &SourceBufferInner,
    ctx: &mut Context,
) -> JsResult<(JsObject, Gc<MediaSourceInner>)> {
    let object = inner.media_source.borrow().clone();
    match object.and_then(|o| media_source::inner_of(&o).map(|i| (o, i))) {
        Some(pair) => Ok(pair),
        None => Err(invalid_state(
            ctx,
            "This SourceBuffer has been removed from its MediaSource",
        )),
    }
}

fn check_not_updating(inner: &SourceBufferInner, ctx: &mut Context) -> JsResult<()> {
    if inner.flags.borrow().updating {
        return Err(invalid_state(ctx, "This SourceBuffer is updating"));
    }
    Ok(())
}

/// "If the readyState attribute of the parent media source is in the "ended" state then run
/// the following steps: set readyState to "open", queue a task to fire sourceopen."
fn reopen_if_ended(media_source: &JsObject, ms: &MediaSourceInner, ctx: &mut Context) {
    let mut shared = ms.shared.borrow_mut();
    if shared.ready_state == MsReadyState::Ended {
        shared.ready_state = MsReadyState::Open;
        drop(shared);
        queue_simple_event(media_source, "sourceopen", ctx);
    }
}

fn attribute_error(error: AttributeError, ctx: &mut Context) -> boa_engine::JsError {
    match error {
        AttributeError::InvalidState(message) => invalid_state(ctx, message),
        AttributeError::Type(message) => boa_engine::JsNativeError::typ()
            .with_message(message)
            .into(),
    }
}

// ----- Attributes -----

// https://w3c.github.io/media-source/#dom-sourcebuffer-mode
fn get_mode(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_buffer(this)?;
    let mode = inner.state.borrow().mode();
    Ok(js_string!(mode.as_str()).into())
}

fn set_mode(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_buffer(this)?;
    let mode = eme_dom::webidl::enumeration(
        args.get_or_undefined(0),
        &[AppendMode::Segments, AppendMode::Sequence],
        AppendMode::as_str,
        "AppendMode",
        ctx,
    )?;
    // Steps 1-2: removed → InvalidStateError; updating → InvalidStateError.
    let (ms_object, ms) = parent(&inner, ctx)?;
    check_not_updating(&inner, ctx)?;
    // Step 3 (generate timestamps flag with "segments" → TypeError) and step 6 (parsing a
    // media segment → InvalidStateError) are the buffering model's; step 5 reopens an ended
    // source first.
    reopen_if_ended(&ms_object, &ms, ctx);
    let result = inner.state.borrow_mut().set_mode(mode);
    result.map_err(|e| attribute_error(e, ctx))?;
    Ok(JsValue::undefined())
}

fn get_updating(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_buffer(this)?;
    let updating = inner.flags.borrow().updating;
    Ok(updating.into())
}

// https://w3c.github.io/media-source/#dom-sourcebuffer-buffered
fn get_buffered(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_buffer(this)?;
    // Step 1: removed → InvalidStateError.
    let (_, ms) = parent(&inner, ctx)?;
    let ended = ms.shared.borrow().ready_state == MsReadyState::Ended;
    let ranges = inner.state.borrow().buffered(ended);
    Ok(time_ranges::create(&ranges, ctx)?.into())
}

fn get_timestamp_offset(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_buffer(this)?;
    let offset = inner.state.borrow().timestamp_offset();
    Ok(offset.as_secs_f64().into())
}

fn finite(value: &JsValue, ctx: &mut Context) -> JsResult<f64> {
    let number = value.to_number(ctx)?;
    if !number.is_finite() {
        return Err(boa_engine::JsNativeError::typ()
            .with_message("The value is not a finite number")
            .into());
    }
    Ok(number)
}

// https://w3c.github.io/media-source/#dom-sourcebuffer-timestampoffset
fn set_timestamp_offset(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_buffer(this)?;
    let value = finite(args.get_or_undefined(0), ctx)?;
    let (ms_object, ms) = parent(&inner, ctx)?;
    check_not_updating(&inner, ctx)?;
    reopen_if_ended(&ms_object, &ms, ctx);
    let result = inner
        .state
        .borrow_mut()
        .set_timestamp_offset(MediaTime::from_secs_f64(value));
    result.map_err(|e| attribute_error(e, ctx))?;
    Ok(JsValue::undefined())
}

fn get_append_window_start(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_buffer(this)?;
    let start = inner.state.borrow().append_window_start();
    Ok(start.as_secs_f64().into())
}

// https://w3c.github.io/media-source/#dom-sourcebuffer-appendwindowstart
fn set_append_window_start(
    this: &JsValue,
    args: &[JsValue],
    ctx: &mut Context,
) -> JsResult<JsValue> {
    let (_, inner) = this_buffer(this)?;
    let value = finite(args.get_or_undefined(0), ctx)?;
    parent(&inner, ctx)?;
    check_not_updating(&inner, ctx)?;
    // Step 3: negative or ≥ appendWindowEnd → TypeError (the model's check).
    if value < 0.0 {
        return Err(boa_engine::JsNativeError::typ()
            .with_message("appendWindowStart must not be negative")
            .into());
    }
    let result = inner
        .state
        .borrow_mut()
        .set_append_window_start(MediaTime::from_secs_f64(value));
    result.map_err(|e| attribute_error(e, ctx))?;
    Ok(JsValue::undefined())
}

fn get_append_window_end(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_buffer(this)?;
    let end = inner.state.borrow().append_window_end();
    Ok(if end == MediaTime::MAX {
        f64::INFINITY
    } else {
        end.as_secs_f64()
    }
    .into())
}

// https://w3c.github.io/media-source/#dom-sourcebuffer-appendwindowend
fn set_append_window_end(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_buffer(this)?;
    // `unrestricted double`.
    let value = args.get_or_undefined(0).to_number(ctx)?;
    parent(&inner, ctx)?;
    check_not_updating(&inner, ctx)?;
    // Step 3: NaN → TypeError. Step 4: ≤ appendWindowStart → TypeError (the model's check).
    if value.is_nan() {
        return Err(boa_engine::JsNativeError::typ()
            .with_message("appendWindowEnd must not be NaN")
            .into());
    }
    let end = if value == f64::INFINITY {
        MediaTime::MAX
    } else if value < 0.0 {
        MediaTime::ZERO
    } else {
        MediaTime::from_secs_f64(value)
    };
    let result = inner.state.borrow_mut().set_append_window_end(end);
    result.map_err(|e| attribute_error(e, ctx))?;
    Ok(JsValue::undefined())
}

// ----- appendBuffer and the buffer append algorithm -----

// https://w3c.github.io/media-source/#dom-sourcebuffer-appendbuffer
fn append_buffer(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (object, inner) = this_buffer(this)?;
    let bytes =
        eme_dom::webidl::buffer_source(args.get_or_undefined(0), "appendBuffer's data", ctx)?;
    // Step 1: the prepare append algorithm.
    prepare_append(&inner, bytes.len(), ctx)?;
    // Steps 2-3: add the data to the input buffer; updating true.
    let generation = {
        let mut flags = inner.flags.borrow_mut();
        flags.updating = true;
        flags.generation
    };
    // Step 4: queue a task to fire updatestart.
    queue_simple_event(&object, "updatestart", ctx);
    // Step 5: asynchronously run the buffer append algorithm.
    eme_dom::task::queue_task(ctx, move |ctx| {
        if inner.flags.borrow().generation != generation {
            return Ok(());
        }
        buffer_append(&object, &inner, &bytes, ctx)
    });
    Ok(JsValue::undefined())
}

/// <https://w3c.github.io/media-source/#sourcebuffer-prepare-append>
fn prepare_append(inner: &SourceBufferInner, new_len: usize, ctx: &mut Context) -> JsResult<()> {
    // Step 1: removed from the parent media source → InvalidStateError.
    let (ms_object, ms) = parent(inner, ctx)?;
    // Step 2: updating → InvalidStateError.
    check_not_updating(inner, ctx)?;
    // Steps 3-4: the media element's error attribute is not null → InvalidStateError.
    let position = match media_source::element_state(&ms) {
        Some(element) => {
            let engine = element.engine.borrow();
            if engine.error().is_some() {
                drop(engine);
                return Err(invalid_state(ctx, "The media element has an error"));
            }
            engine.current_time()
        }
        None => MediaTime::ZERO,
    };
    // Step 5: reopen an ended media source.
    reopen_if_ended(&ms_object, &ms, ctx);
    // Steps 6-8: coded frame eviction; still full → QuotaExceededError.
    let result = inner.state.borrow_mut().prepare_append(new_len, position);
    match result {
        Ok(eviction) => {
            if eviction.frames_removed > 0 {
                media_source::notify_element(&ms, true, ctx)?;
            }
            Ok(())
        }
        Err(error) => Err(dom_exception::error(
            ctx,
            ExceptionName::QuotaExceededError,
            &format!("appendBuffer: {error}"),
        )),
    }
}

/// The buffer append algorithm: the segment parser loop over the new bytes, then what it
/// produced (<https://w3c.github.io/media-source/#sourcebuffer-buffer-append>).
fn buffer_append(
    object: &JsObject,
    inner: &Gc<SourceBufferInner>,
    bytes: &[u8],
    ctx: &mut Context,
) -> JsResult<()> {
    let Ok((ms_object, ms)) = parent(inner, ctx) else {
        return Ok(());
    };
    // Step 1: run the segment parser loop.
    let result = inner.state.borrow_mut().append(bytes);
    let (outcome, error) = match result {
        Ok(outcome) => (outcome, None),
        Err(AppendError::Decode { reason, processed }) => (*processed, Some(reason)),
        Err(AppendError::QuotaExceeded { needed, limit }) => (
            AppendOutcome::default(),
            Some(format!("{needed} bytes do not fit the {limit}-byte limit")),
        ),
    };
    apply_outcome(object, &ms, &outcome, ctx)?;
    if error.is_some() {
        // Step 2: "If the segment parser loop algorithm in the previous step was aborted,
        // then abort this algorithm" — it ran the append error algorithm.
        return append_error(object, inner, &ms_object, &ms, ctx);
    }
    // Steps 4-7: updating false, update, updateend.
    inner.flags.borrow_mut().updating = false;
    queue_simple_event(object, "update", ctx);
    queue_simple_event(object, "updateend", ctx);
    Ok(())
}

/// What the segment parser loop did, in the spec's order: the initialization segment received
/// algorithm's steps (duration, activeSourceBuffers, `encrypted`, HAVE_METADATA through the
/// engine), then coded frame processing's duration change.
fn apply_outcome(
    object: &JsObject,
    ms: &Gc<MediaSourceInner>,
    outcome: &AppendOutcome,
    ctx: &mut Context,
) -> JsResult<()> {
    for init in &outcome.init_segments {
        // Initialization segment received, step 1: a NaN duration becomes the segment's (or
        // +Infinity).
        // The element reads the new duration with the metadata, once the steps below ran
        // (so `encrypted` precedes `durationchange` and `loadedmetadata`).
        if ms.shared.borrow().duration.is_nan() {
            let duration = init.duration.map_or(f64::INFINITY, MediaTime::as_secs_f64);
            media_source::set_duration_quietly(ms, duration);
        }
        // Step 3 (EME): "Initialization Data Encountered" for the segment's pssh boxes.
        if init.has_init_data
            && let Some(element) = media_source::element_state(ms)
        {
            crate::media_element::queue_encrypted_event(&element, init.init.init_data(), ctx);
        }
        // Step 5 (first initialization segment): the buffer becomes active.
        if init.first {
            media_source::list_push(&ms.active_source_buffers, object, ctx);
            queue_simple_event(&ms.active_source_buffers, "addsourcebuffer", ctx);
        }
    }
    // Coded frame processing's last step: data beyond the duration extends it.
    let current = ms.shared.borrow().duration;
    if !current.is_nan()
        && let Some(new_duration) = outcome.new_duration(MediaTime::from_secs_f64(current))
    {
        media_source::duration_change(ms, new_duration.as_secs_f64(), ctx)?;
    }
    // The element reads the new tracks and frames (HAVE_METADATA on the first initialization
    // segment, then HAVE_ENOUGH_DATA...).
    media_source::notify_element(ms, outcome.coded_frames_added > 0, ctx)
}

/// <https://w3c.github.io/media-source/#sourcebuffer-append-error>
fn append_error(
    object: &JsObject,
    inner: &Gc<SourceBufferInner>,
    ms_object: &JsObject,
    ms: &Gc<MediaSourceInner>,
    ctx: &mut Context,
) -> JsResult<()> {
    // Step 1 (reset parser state) ran in the buffering model. Steps 2-4: updating false,
    // error, updateend.
    inner.flags.borrow_mut().updating = false;
    queue_simple_event(object, "error", ctx);
    queue_simple_event(object, "updateend", ctx);
    // Step 5: the end of stream algorithm with "decode".
    media_source::end_of_stream_algorithm(ms_object, ms, Some(EndOfStreamError::Decode), ctx)
}

/// removeSourceBuffer()'s step 2 (and detaching): abort an append or removal in progress.
pub(crate) fn abort_if_updating(object: &JsObject, ctx: &mut Context) {
    let Some(inner) = inner_of(object) else {
        return;
    };
    let was_updating = {
        let mut flags = inner.flags.borrow_mut();
        flags.generation += 1;
        std::mem::replace(&mut flags.updating, false)
    };
    if was_updating {
        queue_simple_event(object, "abort", ctx);
        queue_simple_event(object, "updateend", ctx);
    }
}

// https://w3c.github.io/media-source/#dom-sourcebuffer-abort
fn abort(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (object, inner) = this_buffer(this)?;
    // Step 1: removed → InvalidStateError. Step 2: readyState not "open" → InvalidStateError.
    let (_, ms) = parent(&inner, ctx)?;
    if ms.shared.borrow().ready_state != MsReadyState::Open {
        return Err(invalid_state(
            ctx,
            "The MediaSource's readyState is not 'open'",
        ));
    }
    // Step 3 (a running range removal → InvalidStateError) is covered by step 4 here: the
    // removal runs in one task, so a pending one is aborted like an append.
    // Step 4: abort the buffer append algorithm: updating false, abort, updateend.
    abort_if_updating(&object, ctx);
    // Steps 5-7: reset parser state, append window to [0, +Infinity).
    inner.state.borrow_mut().abort();
    Ok(JsValue::undefined())
}

// https://w3c.github.io/media-source/#dom-sourcebuffer-changetype
fn change_type(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    this_buffer(this)?;
    crate::node::require_arguments(args, 1, "changeType", "SourceBuffer")?;
    Err(dom_exception::error(
        ctx,
        ExceptionName::NotSupportedError,
        "changeType() is not supported: this host buffers one byte stream type per SourceBuffer",
    ))
}

// https://w3c.github.io/media-source/#dom-sourcebuffer-remove
fn remove(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (object, inner) = this_buffer(this)?;
    let start = finite(args.get_or_undefined(0), ctx)?;
    let end = args.get_or_undefined(1).to_number(ctx)?;
    // Steps 1-2.
    let (ms_object, ms) = parent(&inner, ctx)?;
    check_not_updating(&inner, ctx)?;
    let duration = ms.shared.borrow().duration;
    // Step 3: duration NaN → TypeError. Step 4: start outside [0, duration] → TypeError.
    // Step 5: end ≤ start or NaN → TypeError.
    if duration.is_nan() {
        return Err(boa_engine::JsNativeError::typ()
            .with_message("remove(): the MediaSource's duration is NaN")
            .into());
    }
    if start < 0.0 || start > duration {
        return Err(boa_engine::JsNativeError::typ()
            .with_message("remove(): start is outside [0, duration]")
            .into());
    }
    if end.is_nan() || end <= start {
        return Err(boa_engine::JsNativeError::typ()
            .with_message("remove(): end must be greater than start")
            .into());
    }
    // Step 6: reopen an ended media source.
    reopen_if_ended(&ms_object, &ms, ctx);
    // Step 7: the range removal algorithm: updating true, updatestart, then the coded frame
    // removal, updating false, update, updateend.
    let generation = {
        let mut flags = inner.flags.borrow_mut();
        flags.updating = true;
        flags.generation
    };
    queue_simple_event(&object, "updatestart", ctx);
    eme_dom::task::queue_task(ctx, move |ctx| {
        if inner.flags.borrow().generation != generation {
            return Ok(());
        }
        let to_time = |s: f64| {
            if s.is_infinite() {
                MediaTime::MAX
            } else {
                MediaTime::from_secs_f64(s)
            }
        };
        let duration = ms.shared.borrow().duration;
        let removal =
            inner
                .state
                .borrow_mut()
                .remove(to_time(start), to_time(end), to_time(duration));
        if removal.frames_removed > 0 {
            media_source::notify_element(&ms, true, ctx)?;
        }
        inner.flags.borrow_mut().updating = false;
        queue_simple_event(&object, "update", ctx);
        queue_simple_event(&object, "updateend", ctx);
        Ok(())
    });
    Ok(JsValue::undefined())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    InterfaceBuilder::new(ctx, INTERFACE)
        .inherits_embedded("EventTarget", |d: &SourceBuffer| d.event_target.clone())?
        .attribute("mode", get_mode, Some(set_mode))
        .attribute("updating", get_updating, None)
        .attribute("buffered", get_buffered, None)
        .attribute(
            "timestampOffset",
            get_timestamp_offset,
            Some(set_timestamp_offset),
        )
        .attribute(
            "appendWindowStart",
            get_append_window_start,
            Some(set_append_window_start),
        )
        .attribute(
            "appendWindowEnd",
            get_append_window_end,
            Some(set_append_window_end),
        )
        .event_handler("updatestart", is_source_buffer)
        .event_handler("update", is_source_buffer)
        .event_handler("updateend", is_source_buffer)
        .event_handler("error", is_source_buffer)
        .event_handler("abort", is_source_buffer)
        .operation("appendBuffer", 1, append_buffer)
        .operation("abort", 0, abort)
        .operation("changeType", 1, change_type)
        .operation("remove", 2, remove)
        .build()?;
    Ok(())
}
