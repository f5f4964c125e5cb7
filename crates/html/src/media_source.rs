//! Media Source Extensions: `MediaSource`, `SourceBufferList`, `URL.createObjectURL()` /
//! `URL.revokeObjectURL()` for media sources, and attaching a `MediaSource` to a media element
//! (<https://w3c.github.io/media-source/>). `SourceBuffer` is in `source_buffer.rs`; the
//! buffering model itself is `eme_media::mse`, without JavaScript.
//!
//! # Objects and garbage collection
//!
//! - A `MediaSource` object's native data holds a `Gc` of [`MediaSourceInner`]: its two
//!   `SourceBufferList` objects (whose items are the `SourceBuffer` objects) and the attached
//!   media element object — all traced `JsObject` fields.
//! - A `SourceBuffer` holds its `MediaSource` object (traced; `None` once removed).
//! - The media element's state holds the attached `MediaSource` object (traced).
//! - The Rust-only part — readyState, duration and each buffer's
//!   [`SourceBufferState`](eme_media::mse::SourceBufferState) — is an `Rc<RefCell<MseShared>>`
//!   holding no JS value, shared with the [`MediaSourceFrames`] the element's playback engine
//!   plays from. So every cycle (element ↔ MediaSource ↔ SourceBuffers) goes through traced
//!   fields, and no `Rc` cycle exists.
//! - The object URL registry (context data) holds the `MediaSource` object strongly until
//!   `URL.revokeObjectURL()`, as a browser's blob URL store does: a MediaSource whose URL is
//!   never revoked lives as long as the realm.
//!
//! # Deviations
//!
//! - `SourceBufferList` indexed properties are ordinary data properties rewritten by Rust (as
//!   `NodeList`'s are, see `collection.rs`).
//! - `setLiveSeekableRange()` is validated and stored but does not feed the element's
//!   `seekable`. Audio/video/text track lists are not modelled. `changeType()` throws
//!   `NotSupportedError`. `srcObject` is not provided; attach through an object URL.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use boa_engine::property::PropertyDescriptor;
use boa_engine::{
    Context, JsArgs, JsData, JsObject, JsResult, JsString, JsValue, NativeFunction, js_string,
};
use boa_gc::{Finalize, Gc, GcRefCell, Trace};
use eme_dom::event_target::EventTarget;
use eme_dom::interface::{self, InterfaceBuilder, illegal_invocation};
use eme_dom::{ExceptionName, dom_exception};
use eme_media::codec::codec_check;
use eme_media::frame::CodedFrame;
use eme_media::mse::{MediaType, SourceBufferState, TrackKind as MseTrackKind};
use eme_media::playback::{FrameSource, MediaErrorCode, TrackKind, TrackSummary};
use eme_media::{MediaTime, TimeRanges};

use crate::media_element::state::{self as media_state, MediaElementState};
use crate::source_buffer;

const MEDIA_SOURCE: &str = "MediaSource";
const SOURCE_BUFFER_LIST: &str = "SourceBufferList";

/// `ReadyState` (<https://w3c.github.io/media-source/#dom-readystate>).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MsReadyState {
    Closed,
    Open,
    Ended,
}

impl MsReadyState {
    fn as_str(self) -> &'static str {
        match self {
            MsReadyState::Closed => "closed",
            MsReadyState::Open => "open",
            MsReadyState::Ended => "ended",
        }
    }
}

/// The Rust-only state of a media source, shared with the engine's [`MediaSourceFrames`].
pub(crate) struct MseShared {
    pub(crate) ready_state: MsReadyState,
    /// `duration` in seconds (NaN when unknown).
    pub(crate) duration: f64,
    /// The buffers of `sourceBuffers`, in order.
    pub(crate) buffers: Vec<Rc<RefCell<SourceBufferState>>>,
    /// `setLiveSeekableRange()`'s range, in seconds.
    live_seekable_range: Option<(f64, f64)>,
}

/// A media source's traced state (see the [module documentation](self)).
#[derive(Trace, Finalize)]
pub(crate) struct MediaSourceInner {
    /// `sourceBuffers`.
    pub(crate) source_buffers: JsObject,
    /// `activeSourceBuffers`.
    pub(crate) active_source_buffers: JsObject,
    /// The media element it is attached to.
    pub(crate) element: GcRefCell<Option<JsObject>>,
    // Untraced: readyState, duration and the buffers' Rust models, no JS value (the same
    // data the element's frame source reads).
    #[unsafe_ignore_trace]
    pub(crate) shared: Rc<RefCell<MseShared>>,
}

/// Native data of a `MediaSource`.
#[derive(Trace, Finalize, JsData)]
pub struct MediaSource {
    event_target: EventTarget,
    pub(crate) inner: Gc<MediaSourceInner>,
}

/// Native data of a `SourceBufferList`.
#[derive(Trace, Finalize, JsData)]
pub struct SourceBufferList {
    event_target: EventTarget,
    items: GcRefCell<Vec<JsObject>>,
    // Untraced: a count of the index properties defined, no JS value.
    #[unsafe_ignore_trace]
    indexed: Cell<usize>,
}

/// The media source of `object`, if it is one.
pub(crate) fn inner_of(object: &JsObject) -> Option<Gc<MediaSourceInner>> {
    object
        .downcast_ref::<MediaSource>()
        .map(|data| data.inner.clone())
}

fn this_media_source(this: &JsValue) -> JsResult<(JsObject, Gc<MediaSourceInner>)> {
    let object = this
        .as_object()
        .ok_or_else(|| illegal_invocation(MEDIA_SOURCE))?;
    let inner = inner_of(&object).ok_or_else(|| illegal_invocation(MEDIA_SOURCE))?;
    Ok((object, inner))
}

pub(crate) fn invalid_state(ctx: &mut Context, message: &str) -> boa_engine::JsError {
    dom_exception::error(ctx, ExceptionName::InvalidStateError, message)
}

fn type_error(message: impl Into<String>) -> boa_engine::JsError {
    boa_engine::JsNativeError::typ()
        .with_message(message.into())
        .into()
}

/// Queues a task firing the simple event `name` at `target`.
pub(crate) fn queue_simple_event(target: &JsObject, name: &'static str, ctx: &mut Context) {
    let target = target.clone();
    eme_dom::task::queue_task(ctx, move |ctx| {
        media_state::fire_simple_event(&target, name, ctx)
    });
}

// ----- SourceBufferList -----

fn create_list(ctx: &mut Context) -> JsResult<JsObject> {
    let prototype = interface::prototype_of(ctx, SOURCE_BUFFER_LIST)?;
    Ok(JsObject::from_proto_and_data(
        prototype,
        SourceBufferList {
            event_target: EventTarget::new(),
            items: GcRefCell::new(Vec::new()),
            indexed: Cell::new(0),
        },
    ))
}

pub(crate) fn list_items(list: &JsObject) -> Vec<JsObject> {
    list.downcast_ref::<SourceBufferList>()
        .map(|data| data.items.borrow().clone())
        .unwrap_or_default()
}

/// Replaces the items of `list` and rewrites its indexed properties.
fn set_list_items(list: &JsObject, items: Vec<JsObject>, ctx: &mut Context) {
    let previous = {
        let Some(data) = list.downcast_ref::<SourceBufferList>() else {
            return;
        };
        *data.items.borrow_mut() = items.clone();
        data.indexed.replace(items.len())
    };
    for (index, item) in items.iter().enumerate() {
        let _ = list.insert_property(
            index,
            PropertyDescriptor::builder()
                .value(item.clone())
                .writable(false)
                .enumerable(true)
                .configurable(true),
        );
    }
    for index in items.len()..previous {
        let _ = list.delete_property_or_throw(index, ctx);
    }
}

pub(crate) fn list_push(list: &JsObject, item: &JsObject, ctx: &mut Context) {
    let mut items = list_items(list);
    items.push(item.clone());
    set_list_items(list, items, ctx);
}

/// Removes `item`; whether it was there.
pub(crate) fn list_remove(list: &JsObject, item: &JsObject, ctx: &mut Context) -> bool {
    let mut items = list_items(list);
    let before = items.len();
    items.retain(|i| !JsObject::equals(i, item));
    let removed = items.len() != before;
    if removed {
        set_list_items(list, items, ctx);
    }
    removed
}

fn list_length(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<SourceBufferList, _>(this, SOURCE_BUFFER_LIST, |data| {
        JsValue::from(data.items.borrow().len() as u32)
    })
}

fn is_list(object: &JsObject) -> bool {
    object.is::<SourceBufferList>()
}

fn is_media_source(object: &JsObject) -> bool {
    object.is::<MediaSource>()
}

// ----- MediaSource -----

// https://w3c.github.io/media-source/#dom-mediasource-constructor
fn construct(new_target: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    interface::require_new(new_target, MEDIA_SOURCE)?;
    let prototype = interface::prototype_from_new_target(new_target, MEDIA_SOURCE, ctx)?;
    // Steps 2-5: empty sourceBuffers and activeSourceBuffers, readyState "closed", duration NaN.
    let inner = Gc::new(MediaSourceInner {
        source_buffers: create_list(ctx)?,
        active_source_buffers: create_list(ctx)?,
        element: GcRefCell::new(None),
        shared: Rc::new(RefCell::new(MseShared {
            ready_state: MsReadyState::Closed,
            duration: f64::NAN,
            buffers: Vec::new(),
            live_seekable_range: None,
        })),
    });
    Ok(JsObject::from_proto_and_data(
        prototype,
        MediaSource {
            event_target: EventTarget::new(),
            inner,
        },
    )
    .into())
}

fn get_source_buffers(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(this_media_source(this)?.1.source_buffers.clone().into())
}

fn get_active_source_buffers(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(this_media_source(this)?
        .1
        .active_source_buffers
        .clone()
        .into())
}

fn get_ready_state(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_media_source(this)?;
    let state = inner.shared.borrow().ready_state;
    Ok(js_string!(state.as_str()).into())
}

// https://w3c.github.io/media-source/#dom-mediasource-duration
fn get_duration(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_media_source(this)?;
    let shared = inner.shared.borrow();
    // "If the readyState attribute is "closed" then return NaN".
    if shared.ready_state == MsReadyState::Closed {
        return Ok(f64::NAN.into());
    }
    Ok(shared.duration.into())
}

/// Whether any of the media source's buffers has `updating` true.
fn any_updating(inner: &MediaSourceInner) -> bool {
    list_items(&inner.source_buffers)
        .iter()
        .any(source_buffer::is_updating)
}

fn set_duration(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_media_source(this)?;
    // WebIDL `unrestricted double`; step 1: "If the value being set is negative or NaN then
    // throw a TypeError exception."
    let value = args.get_or_undefined(0).to_number(ctx)?;
    if value.is_nan() || value < 0.0 {
        return Err(type_error("The duration must be a non-negative number"));
    }
    // Step 2: readyState must be "open".
    if inner.shared.borrow().ready_state != MsReadyState::Open {
        return Err(invalid_state(
            ctx,
            "The MediaSource's readyState is not 'open'",
        ));
    }
    // Step 3: no SourceBuffer may be updating.
    if any_updating(&inner) {
        return Err(invalid_state(ctx, "A SourceBuffer is updating"));
    }
    // Step 4: the duration change algorithm.
    duration_change(&inner, value, ctx)?;
    Ok(JsValue::undefined())
}

/// The duration change algorithm
/// (<https://w3c.github.io/media-source/#duration-change-algorithm>).
pub(crate) fn duration_change(
    inner: &Gc<MediaSourceInner>,
    new_duration: f64,
    ctx: &mut Context,
) -> JsResult<()> {
    let mut new_duration = new_duration;
    {
        let shared = inner.shared.borrow();
        // Step 1: "If the current value of duration is equal to new duration, then return."
        if shared.duration == new_duration {
            return Ok(());
        }
        // Step 2: "If new duration is less than the highest presentation timestamp of any
        // buffered coded frames for all SourceBuffer objects in sourceBuffers, then throw an
        // InvalidStateError".
        let highest_pts = shared
            .buffers
            .iter()
            .flat_map(|b| {
                b.borrow()
                    .track_buffers()
                    .iter()
                    .filter_map(|t| t.frames().iter().map(|f| f.pts).max())
                    .collect::<Vec<_>>()
            })
            .max();
        if let Some(pts) = highest_pts
            && new_duration < pts.as_secs_f64()
        {
            drop(shared);
            return Err(invalid_state(
                ctx,
                "The new duration is below the highest presentation timestamp of the buffered coded frames",
            ));
        }
        // Steps 3-4: not below the highest end time.
        let highest_end = shared
            .buffers
            .iter()
            .map(|b| b.borrow().highest_end_time())
            .max()
            .unwrap_or(MediaTime::ZERO)
            .as_secs_f64();
        if new_duration < highest_end {
            new_duration = highest_end;
        }
    }
    // Step 5: update duration.
    inner.shared.borrow_mut().duration = new_duration;
    // Step 6: update the media element's duration (the engine reads it from the source and
    // fires durationchange).
    notify_element(inner, false, ctx)
}

/// The duration change algorithm's steps 1-5 without step 6 (the caller notifies the element
/// afterwards): what the initialization segment received algorithm's step 1 needs.
pub(crate) fn set_duration_quietly(inner: &MediaSourceInner, new_duration: f64) {
    let mut shared = inner.shared.borrow_mut();
    let highest_end = shared
        .buffers
        .iter()
        .map(|b| b.borrow().highest_end_time())
        .max()
        .unwrap_or(MediaTime::ZERO)
        .as_secs_f64();
    shared.duration = new_duration.max(highest_end);
}

/// Tells the attached element's engine that the media source's data changed.
pub(crate) fn notify_element(
    inner: &Gc<MediaSourceInner>,
    replaced: bool,
    ctx: &mut Context,
) -> JsResult<()> {
    let Some(state) = element_state(inner) else {
        return Ok(());
    };
    media_state::run(&state, ctx, |engine, now| {
        if replaced {
            engine.data_changed(now)
        } else {
            engine.advance(now)
        }
    })
}

pub(crate) fn element_state(inner: &MediaSourceInner) -> Option<Gc<MediaElementState>> {
    let element = inner.element.borrow().clone()?;
    crate::media_element::state_of(&element, None)
}

// https://w3c.github.io/media-source/#dom-mediasource-addsourcebuffer
fn add_source_buffer(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (object, inner) = this_media_source(this)?;
    crate::node::require_arguments(args, 1, "addSourceBuffer", "MediaSource")?;
    let type_ = eme_dom::webidl::dom_string(args.get_or_undefined(0), ctx)?.to_std_string_escaped();
    // Step 1: "If type is an empty string then throw a TypeError exception."
    if type_.is_empty() {
        return Err(type_error("addSourceBuffer: the type is empty"));
    }
    // Step 2: unsupported types → NotSupportedError.
    let state = match SourceBufferState::new(&type_) {
        Ok(state) if is_type_supported_str(&type_) => state,
        Ok(_) => {
            return Err(dom_exception::error(
                ctx,
                ExceptionName::NotSupportedError,
                &format!("{type_:?} is not supported"),
            ));
        }
        Err(unsupported) => {
            return Err(dom_exception::error(
                ctx,
                ExceptionName::NotSupportedError,
                &format!("{type_:?} is not supported: {}", unsupported.reason),
            ));
        }
    };
    // Step 3: "If the user agent can't handle any more SourceBuffer objects" → QuotaExceeded:
    // at most one video and one audio buffer.
    let media_type = state.content_type().media_type;
    let same_kind = inner
        .shared
        .borrow()
        .buffers
        .iter()
        .filter(|b| b.borrow().content_type().media_type == media_type)
        .count();
    if same_kind >= 1 {
        let kind = if media_type == MediaType::Video {
            "video"
        } else {
            "audio"
        };
        return Err(dom_exception::error(
            ctx,
            ExceptionName::QuotaExceededError,
            &format!(
                "This MediaSource already has a {kind} SourceBuffer (at most one video and one audio)"
            ),
        ));
    }
    // Step 4: readyState must be "open".
    if inner.shared.borrow().ready_state != MsReadyState::Open {
        return Err(invalid_state(
            ctx,
            "The MediaSource's readyState is not 'open'",
        ));
    }
    // Steps 5-7: a new SourceBuffer, added to sourceBuffers, then addsourcebuffer.
    let state = Rc::new(RefCell::new(state));
    let buffer = source_buffer::create(&object, state.clone(), ctx)?;
    inner.shared.borrow_mut().buffers.push(state);
    list_push(&inner.source_buffers, &buffer, ctx);
    queue_simple_event(&inner.source_buffers, "addsourcebuffer", ctx);
    Ok(buffer.into())
}

// https://w3c.github.io/media-source/#dom-mediasource-removesourcebuffer
fn remove_source_buffer(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (_, inner) = this_media_source(this)?;
    let Some(buffer) = args
        .get_or_undefined(0)
        .as_object()
        .filter(source_buffer::is_source_buffer)
    else {
        return Err(type_error(
            "removeSourceBuffer: the argument is not a SourceBuffer",
        ));
    };
    // Step 1: "If sourceBuffer specifies an object that is not in sourceBuffers then throw a
    // NotFoundError exception".
    if !list_items(&inner.source_buffers)
        .iter()
        .any(|b| JsObject::equals(b, &buffer))
    {
        return Err(dom_exception::error(
            ctx,
            ExceptionName::NotFoundError,
            "The SourceBuffer is not in this MediaSource's sourceBuffers",
        ));
    }
    remove_buffer(&inner, &buffer, ctx)?;
    Ok(JsValue::undefined())
}

/// removeSourceBuffer()'s steps 2-12 (also detaching's).
fn remove_buffer(
    inner: &Gc<MediaSourceInner>,
    buffer: &JsObject,
    ctx: &mut Context,
) -> JsResult<()> {
    // Step 2: if updating, abort the buffer append or range removal: updating false, abort,
    // updateend.
    source_buffer::abort_if_updating(buffer, ctx);
    // Steps 3-8 (track lists are not modelled). Step 9: leave activeSourceBuffers.
    if list_remove(&inner.active_source_buffers, buffer, ctx) {
        queue_simple_event(&inner.active_source_buffers, "removesourcebuffer", ctx);
    }
    // Steps 10-11: leave sourceBuffers; removesourcebuffer.
    list_remove(&inner.source_buffers, buffer, ctx);
    queue_simple_event(&inner.source_buffers, "removesourcebuffer", ctx);
    // Step 12: destroy its resources; it no longer belongs to this media source.
    if let Some(state) = source_buffer::detach(buffer) {
        inner
            .shared
            .borrow_mut()
            .buffers
            .retain(|b| !Rc::ptr_eq(b, &state));
    }
    notify_element(inner, true, ctx)
}

/// The `EndOfStreamError` enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EndOfStreamError {
    Network,
    Decode,
}

// https://w3c.github.io/media-source/#dom-mediasource-endofstream
fn end_of_stream(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (object, inner) = this_media_source(this)?;
    let error = match args.get_or_undefined(0) {
        v if v.is_undefined() => None,
        v => Some(eme_dom::webidl::enumeration(
            v,
            &[EndOfStreamError::Network, EndOfStreamError::Decode],
            |e| match e {
                EndOfStreamError::Network => "network",
                EndOfStreamError::Decode => "decode",
            },
            "EndOfStreamError",
            ctx,
        )?),
    };
    // Step 1: readyState must be "open".
    if inner.shared.borrow().ready_state != MsReadyState::Open {
        return Err(invalid_state(
            ctx,
            "The MediaSource's readyState is not 'open'",
        ));
    }
    // Step 2: no SourceBuffer may be updating.
    if any_updating(&inner) {
        return Err(invalid_state(ctx, "A SourceBuffer is updating"));
    }
    // Step 3: the end of stream algorithm.
    end_of_stream_algorithm(&object, &inner, error, ctx)?;
    Ok(JsValue::undefined())
}

/// <https://w3c.github.io/media-source/#end-of-stream-algorithm>
pub(crate) fn end_of_stream_algorithm(
    object: &JsObject,
    inner: &Gc<MediaSourceInner>,
    error: Option<EndOfStreamError>,
    ctx: &mut Context,
) -> JsResult<()> {
    // Steps 1-2: readyState "ended", sourceended.
    inner.shared.borrow_mut().ready_state = MsReadyState::Ended;
    queue_simple_event(object, "sourceended", ctx);
    match error {
        // Step 3, no error: the duration change algorithm with the highest end time, then
        // "notify the media element that it now has all of the media data".
        None => {
            let highest_end = inner
                .shared
                .borrow()
                .buffers
                .iter()
                .map(|b| b.borrow().highest_end_time())
                .max()
                .unwrap_or(MediaTime::ZERO)
                .as_secs_f64();
            duration_change(inner, highest_end, ctx)?;
            notify_element(inner, false, ctx)
        }
        Some(error) => {
            let Some(state) = element_state(inner) else {
                return Ok(());
            };
            let have_nothing =
                state.engine.borrow().ready_state() == eme_media::playback::ReadyState::HaveNothing;
            // "If the HTMLMediaElement's readyState attribute equals HAVE_NOTHING: run the
            // 'If the media data cannot be fetched at all' steps"; else the network error or
            // "media data is corrupted" steps.
            let (code, message) = match (have_nothing, error) {
                (true, _) => (
                    MediaErrorCode::SrcNotSupported,
                    "MediaSource endOfStream() with an error before any metadata",
                ),
                (false, EndOfStreamError::Network) => (
                    MediaErrorCode::Network,
                    "MediaSource endOfStream(\"network\")",
                ),
                (false, EndOfStreamError::Decode) => (
                    MediaErrorCode::Decode,
                    "MediaSource endOfStream(\"decode\"): the appended media data is corrupted",
                ),
            };
            media_state::run(&state, ctx, |engine, now| {
                engine.media_data_error(now, code, message)
            })
        }
    }
}

fn seconds_arg(args: &[JsValue], index: usize, ctx: &mut Context) -> JsResult<f64> {
    // WebIDL `double`: non-finite values are a TypeError.
    let value = args.get_or_undefined(index).to_number(ctx)?;
    if !value.is_finite() {
        return Err(type_error("The value is not a finite number"));
    }
    Ok(value)
}

// https://w3c.github.io/media-source/#dom-mediasource-setliveseekablerange
fn set_live_seekable_range(
    this: &JsValue,
    args: &[JsValue],
    ctx: &mut Context,
) -> JsResult<JsValue> {
    let (_, inner) = this_media_source(this)?;
    let start = seconds_arg(args, 0, ctx)?;
    let end = seconds_arg(args, 1, ctx)?;
    // Step 1: readyState must be "open".
    if inner.shared.borrow().ready_state != MsReadyState::Open {
        return Err(invalid_state(
            ctx,
            "The MediaSource's readyState is not 'open'",
        ));
    }
    // Step 2: "If start is negative or greater than end, then throw a TypeError exception."
    if start < 0.0 || start > end {
        return Err(type_error(
            "setLiveSeekableRange: start must be in [0, end]",
        ));
    }
    // Step 3.
    inner.shared.borrow_mut().live_seekable_range = Some((start, end));
    Ok(JsValue::undefined())
}

// https://w3c.github.io/media-source/#dom-mediasource-clearliveseekablerange
fn clear_live_seekable_range(
    this: &JsValue,
    _: &[JsValue],
    ctx: &mut Context,
) -> JsResult<JsValue> {
    let (_, inner) = this_media_source(this)?;
    if inner.shared.borrow().ready_state != MsReadyState::Open {
        return Err(invalid_state(
            ctx,
            "The MediaSource's readyState is not 'open'",
        ));
    }
    inner.shared.borrow_mut().live_seekable_range = None;
    Ok(JsValue::undefined())
}

/// What `isTypeSupported()` answers: a type the buffering model parses and `canPlayType()`
/// does not refuse (so the two agree).
fn is_type_supported_str(type_: &str) -> bool {
    !type_.is_empty()
        && eme_media::mse::ContentType::parse(type_).is_ok()
        && !crate::media_element::can_play(type_).is_empty()
}

// https://w3c.github.io/media-source/#dom-mediasource-istypesupported
fn is_type_supported(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    crate::node::require_arguments(args, 1, "isTypeSupported", "MediaSource")?;
    let type_ = eme_dom::webidl::dom_string(args.get_or_undefined(0), ctx)?.to_std_string_escaped();
    Ok(is_type_supported_str(&type_).into())
}

// ----- Attaching to and detaching from a media element -----

/// MSE's "attaching to a media element", run by the element's resource fetch for a `blob:`
/// URL: `Err(reason)` when the URL names no media source or one that is not "closed" (the
/// element then fails as if the media data could not be fetched).
pub(crate) fn attach(
    state: &Gc<MediaElementState>,
    element: &JsObject,
    url: &str,
    ctx: &Context,
) -> Result<(Box<dyn FrameSource>, JsObject), String> {
    let Some(object) = lookup_object_url(ctx, url) else {
        return Err(format!(
            "{url} names no MediaSource (never created or revoked)"
        ));
    };
    let Some(inner) = inner_of(&object) else {
        return Err(format!("{url} does not name a MediaSource"));
    };
    if inner.shared.borrow().ready_state != MsReadyState::Closed {
        return Err(format!("{url}: the MediaSource is already attached"));
    }
    // Attach: the media source's readyState "open", then sourceopen.
    *inner.element.borrow_mut() = Some(element.clone());
    *state.media_source.borrow_mut() = Some(object.clone());
    // The caller queues sourceopen after resource selection's loadstart.
    inner.shared.borrow_mut().ready_state = MsReadyState::Open;
    Ok((
        Box::new(MediaSourceFrames {
            shared: inner.shared.clone(),
        }),
        object,
    ))
}

/// MSE's detaching from a media element (the element's load algorithm ran again): readyState
/// "closed", duration NaN, every SourceBuffer removed, then sourceclose.
pub(crate) fn detach(state: &Gc<MediaElementState>, ctx: &mut Context) -> JsResult<()> {
    let Some(object) = state.media_source.borrow_mut().take() else {
        return Ok(());
    };
    let Some(inner) = inner_of(&object) else {
        return Ok(());
    };
    *inner.element.borrow_mut() = None;
    {
        let mut shared = inner.shared.borrow_mut();
        shared.ready_state = MsReadyState::Closed;
        shared.duration = f64::NAN;
    }
    for buffer in list_items(&inner.source_buffers) {
        remove_buffer(&inner, &buffer, ctx)?;
    }
    queue_simple_event(&object, "sourceclose", ctx);
    Ok(())
}

/// The element's playback engine reads a media source's track buffers through this.
struct MediaSourceFrames {
    shared: Rc<RefCell<MseShared>>,
}

/// Track IDs the engine sees: the buffer's index in the high bits, so two buffers' tracks
/// never collide.
fn engine_track_id(buffer_index: usize, track_id: u32) -> u32 {
    ((buffer_index as u32) << 16) | (track_id & 0xffff)
}

impl MediaSourceFrames {
    fn active(&self) -> Vec<Rc<RefCell<SourceBufferState>>> {
        self.shared
            .borrow()
            .buffers
            .iter()
            .filter(|b| b.borrow().first_initialization_segment_received())
            .cloned()
            .collect()
    }
}

impl FrameSource for MediaSourceFrames {
    fn tracks(&self) -> Vec<TrackSummary> {
        let shared = self.shared.borrow();
        // Initialization segment received, the HAVE_NOTHING step: the element learns its
        // tracks (and leaves HAVE_NOTHING) only once every SourceBuffer in sourceBuffers has
        // received its first initialization segment — else a second buffer's tracks (the
        // audio of an audio + video presentation) would never be played.
        let waiting_for_init = shared
            .buffers
            .iter()
            .any(|buffer| !buffer.borrow().first_initialization_segment_received());
        if waiting_for_init {
            return Vec::new();
        }
        let mut tracks = Vec::new();
        for (index, buffer) in shared.buffers.iter().enumerate() {
            let buffer = buffer.borrow();
            let Some(init) = buffer.init_segment() else {
                continue;
            };
            for track_buffer in buffer.track_buffers() {
                let track = track_buffer.track();
                let kind = match track_buffer.kind() {
                    MseTrackKind::Video => TrackKind::Video,
                    MseTrackKind::Audio => TrackKind::Audio,
                };
                tracks.push(TrackSummary {
                    id: engine_track_id(index, track_buffer.track_id()),
                    kind,
                    codec_check: track
                        .sample_entries
                        .first()
                        .and_then(|e| codec_check(e, &init.moov_bytes, init.moov.offset)),
                    width: track.width,
                    height: track.height,
                });
            }
        }
        tracks
    }

    fn buffered(&self) -> TimeRanges {
        // HTMLMediaElement.buffered for a media source: the intersection of the active
        // buffers' ranges (each extended to the end when "ended").
        let ended = self.shared.borrow().ready_state == MsReadyState::Ended;
        let mut result: Option<TimeRanges> = None;
        for buffer in self.active() {
            let ranges = buffer.borrow().buffered(ended);
            result = Some(match result {
                None => ranges,
                Some(so_far) => so_far.intersection(&ranges),
            });
        }
        result.unwrap_or_default()
    }

    fn frames_in(&self, track_id: u32, from: MediaTime, to: MediaTime) -> Vec<CodedFrame> {
        let shared = self.shared.borrow();
        let index = (track_id >> 16) as usize;
        let Some(buffer) = shared.buffers.get(index) else {
            return Vec::new();
        };
        let buffer = buffer.borrow();
        let Some(track_buffer) = buffer
            .track_buffers()
            .iter()
            .find(|t| engine_track_id(index, t.track_id()) == track_id)
        else {
            return Vec::new();
        };
        let mut frames: Vec<CodedFrame> = track_buffer
            .frames()
            .iter()
            .filter(|f| f.pts < to && f.end() > from)
            .map(|f| CodedFrame {
                track_id,
                ..f.clone()
            })
            .collect();
        frames.sort_by_key(|f| f.pts);
        frames
    }

    fn duration(&self) -> Option<MediaTime> {
        let duration = self.shared.borrow().duration;
        if duration.is_nan() {
            None
        } else if duration.is_infinite() {
            Some(MediaTime::MAX)
        } else {
            Some(MediaTime::from_secs_f64(duration))
        }
    }

    fn is_complete(&self) -> bool {
        self.shared.borrow().ready_state == MsReadyState::Ended
    }
}

// ----- Object URLs -----

/// The context's blob URL store for media sources: URL → the `MediaSource` object, held
/// strongly until revoked.
#[derive(Default, Trace, Finalize, JsData)]
struct ObjectUrls {
    entries: HashMap<String, JsObject>,
    // Untraced: a counter.
    #[unsafe_ignore_trace]
    next: u64,
}

fn lookup_object_url(ctx: &Context, url: &str) -> Option<JsObject> {
    ctx.get_data::<ObjectUrls>()?.entries.get(url).cloned()
}

/// The origin part of a new blob URL: `location.origin` unless it is opaque.
fn blob_origin(ctx: &mut Context) -> String {
    let global = ctx.global_object();
    let origin = global
        .get(js_string!("location"), ctx)
        .ok()
        .and_then(|l| l.as_object())
        .and_then(|l| l.get(js_string!("origin"), ctx).ok())
        .and_then(|o| o.as_string().map(|s| s.to_std_string_escaped()));
    match origin {
        Some(origin) if !origin.is_empty() && origin != "null" => origin,
        _ => "null".to_owned(),
    }
}

// https://w3c.github.io/media-source/#dom-url-createobjecturl
fn create_object_url(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let Some(object) = args.get_or_undefined(0).as_object().filter(is_media_source) else {
        return Err(type_error(
            "URL.createObjectURL: the argument is not a MediaSource (Blob is not supported)",
        ));
    };
    let origin = blob_origin(ctx);
    let mut urls = ctx
        .remove_data::<ObjectUrls>()
        .map(|u| *u)
        .unwrap_or_default();
    urls.next += 1;
    let n = urls.next;
    let nanos = ctx.clock().now().nanos_since_epoch() as u64;
    let url = format!(
        "blob:{origin}/{:08x}-{:04x}-4{:03x}-8{:03x}-{:012x}",
        (nanos >> 32) as u32 ^ 0x5eed_5eed,
        (nanos >> 16) as u16,
        (nanos & 0xfff) as u16,
        (n >> 48) as u16 & 0xfff,
        n & 0xffff_ffff_ffff
    );
    urls.entries.insert(url.clone(), object);
    ctx.insert_data(urls);
    Ok(JsString::from(url.as_str()).into())
}

// https://w3c.github.io/FileAPI/#dfn-revokeObjectURL
fn revoke_object_url(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let url = eme_dom::webidl::dom_string(args.get_or_undefined(0), ctx)?.to_std_string_escaped();
    if let Some(mut urls) = ctx.remove_data::<ObjectUrls>() {
        urls.entries.remove(&url);
        ctx.insert_data(*urls);
    }
    Ok(JsValue::undefined())
}

/// Adds the static `createObjectURL` / `revokeObjectURL` operations to the `URL` interface
/// object boa_runtime registered (nothing when there is none).
fn patch_url(ctx: &mut Context) -> JsResult<()> {
    let global = ctx.global_object();
    let Some(url) = global.get(js_string!("URL"), ctx)?.as_object() else {
        return Ok(());
    };
    for (name, f) in [
        ("createObjectURL", create_object_url as interface::NativeFn),
        ("revokeObjectURL", revoke_object_url),
    ] {
        let function = InterfaceBuilder::function(ctx, JsString::from(name), 1, f);
        url.define_property_or_throw(
            JsString::from(name),
            PropertyDescriptor::builder()
                .value(function)
                .writable(true)
                .enumerable(true)
                .configurable(true),
            ctx,
        )?;
    }
    Ok(())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    InterfaceBuilder::new(ctx, SOURCE_BUFFER_LIST)
        .inherits_embedded("EventTarget", |d: &SourceBufferList| d.event_target.clone())?
        .attribute("length", list_length, None)
        .event_handler("addsourcebuffer", is_list)
        .event_handler("removesourcebuffer", is_list)
        .build()?;
    source_buffer::register(ctx)?;
    let media_source = InterfaceBuilder::new(ctx, MEDIA_SOURCE)
        .constructor(construct, 0)
        .inherits_embedded("EventTarget", |d: &MediaSource| d.event_target.clone())?
        .attribute("sourceBuffers", get_source_buffers, None)
        .attribute("activeSourceBuffers", get_active_source_buffers, None)
        .attribute("readyState", get_ready_state, None)
        .attribute("duration", get_duration, Some(set_duration))
        .event_handler("sourceopen", is_media_source)
        .event_handler("sourceended", is_media_source)
        .event_handler("sourceclose", is_media_source)
        .operation("addSourceBuffer", 1, add_source_buffer)
        .operation("removeSourceBuffer", 1, remove_source_buffer)
        .operation("endOfStream", 0, end_of_stream)
        .operation("setLiveSeekableRange", 2, set_live_seekable_range)
        .operation("clearLiveSeekableRange", 0, clear_live_seekable_range)
        .build()?;
    // Static members on the interface object.
    let is_type_supported =
        InterfaceBuilder::function(ctx, js_string!("isTypeSupported"), 1, is_type_supported);
    media_source.constructor.define_property_or_throw(
        js_string!("isTypeSupported"),
        PropertyDescriptor::builder()
            .value(is_type_supported)
            .writable(true)
            .enumerable(true)
            .configurable(true),
        ctx,
    )?;
    let getter = boa_engine::object::FunctionObjectBuilder::new(
        ctx.realm(),
        NativeFunction::from_fn_ptr(|_, _, _| Ok(false.into())),
    )
    .name(js_string!("get canConstructInDedicatedWorker"))
    .length(0)
    .build();
    media_source.constructor.define_property_or_throw(
        js_string!("canConstructInDedicatedWorker"),
        PropertyDescriptor::builder()
            .get(getter)
            .set(JsValue::undefined())
            .enumerable(true)
            .configurable(true),
        ctx,
    )?;
    patch_url(ctx)
}
