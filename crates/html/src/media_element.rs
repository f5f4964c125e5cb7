//! `HTMLMediaElement`: <https://html.spec.whatwg.org/multipage/media.html#htmlmediaelement>,
//! with EME's partial interface (`mediaKeys`, `setMediaKeys()`, `onencrypted`,
//! `onwaitingforkey`: <https://w3c.github.io/encrypted-media/#htmlmediaelement-extensions>).
//!
//! A thin, spec-shaped layer over `eme_media`'s [`PlaybackEngine`]: every member reads or
//! calls the engine, and what the engine returns becomes queued tasks ([`state`]). The `video`
//! and `audio` elements share this native data ([`HTMLMediaElement`]); their own interfaces
//! are in `video_element.rs` and `audio_element.rs`.
//!
//! Left out of the interface (rather than exposed as stubs): `audioTracks`, `videoTracks`,
//! `textTracks` and `addTextTrack()` (no track lists are modelled), `srcObject` (a
//! `MediaSource` attaches through `URL.createObjectURL()`, see `media_source.rs`).
//!
//! [`PlaybackEngine`]: eme_media::playback::PlaybackEngine

mod load;
mod set_media_keys;
pub(crate) mod state;

use std::cell::RefCell;
use std::rc::Rc;

use boa_engine::object::builtins::JsPromise;
use boa_engine::{
    Context, JsArgs, JsData, JsNativeError, JsObject, JsResult, JsString, JsValue, js_string,
};
use boa_gc::{Finalize, Gc, Trace};
use eme_dom::interface::{self, InterfaceBuilder, illegal_invocation};
use eme_dom::{ExceptionName, dom_exception, promise::promise_operation};
use eme_media::MediaTime;
use eme_media::playback::{NetworkState, PlaybackEngine};

use crate::element::{self, AttributeChange, ElementSteps};
use crate::node::Node;
use crate::{media_error, media_report, time_ranges};
use state::{MediaElementState, MediaKind};

const INTERFACE: &str = "HTMLMediaElement";

/// Native data of a `video` or `audio` element: the embedded `Node` (for the DOM's members)
/// and the media state.
#[derive(Trace, Finalize, JsData)]
pub struct HTMLMediaElement {
    node: Node,
    pub(crate) state: Gc<MediaElementState>,
}

/// Creates a media element of `document` (the element factories of `video` and `audio`).
pub(crate) fn create(
    document: &JsObject,
    local_name: &JsString,
    kind: MediaKind,
    interface_name: &str,
    ctx: &mut Context,
) -> JsResult<JsObject> {
    let steps = ElementSteps {
        attribute_changed: Some(attribute_changed),
        ..ElementSteps::default()
    };
    let node = element::create_html_element_data(document, local_name, steps, ctx)?;
    let engine = Rc::new(RefCell::new(PlaybackEngine::new()));
    let report = media_report::register_element(ctx, kind.local_name(), &engine);
    let state = Gc::new(MediaElementState::new(kind, engine, report));
    let prototype = interface::prototype_of(ctx, interface_name)?;
    let object = JsObject::from_proto_and_data(
        prototype,
        HTMLMediaElement {
            node,
            state: state.clone(),
        },
    );
    *state.element.borrow_mut() = Some(object);
    state.element.borrow().clone().ok_or_else(|| {
        JsNativeError::typ()
            .with_message("media element creation failed")
            .into()
    })
}

/// The media state of `object` if it is a media element (optionally of one kind).
pub(crate) fn state_of(
    object: &JsObject,
    kind: Option<MediaKind>,
) -> Option<Gc<MediaElementState>> {
    let data = object.downcast_ref::<HTMLMediaElement>()?;
    match kind {
        Some(kind) if data.state.kind != kind => None,
        _ => Some(data.state.clone()),
    }
}

/// EME's Initialization Data Encountered for MSE: queue `encrypted` with "cenc" init data.
pub(crate) fn queue_encrypted_event(
    state: &Gc<MediaElementState>,
    init_data: Vec<u8>,
    ctx: &mut Context,
) {
    load::queue_encrypted(state, init_data, ctx);
}

/// The brand check of `HTMLMediaElement` members.
fn this_state(this: &JsValue) -> JsResult<Gc<MediaElementState>> {
    this.as_object()
        .and_then(|object| state_of(&object, None))
        .ok_or_else(|| illegal_invocation(INTERFACE))
}

fn this_element(this: &JsValue) -> JsResult<(JsObject, Gc<MediaElementState>)> {
    let object = this
        .as_object()
        .ok_or_else(|| illegal_invocation(INTERFACE))?;
    let state = state_of(&object, None).ok_or_else(|| illegal_invocation(INTERFACE))?;
    Ok((object, state))
}

fn is_media_element(object: &JsObject) -> bool {
    object.is::<HTMLMediaElement>()
}

/// DOM's attribute change steps for media elements: setting `src` runs the load algorithm
/// ("If a src attribute of a media element is set or changed, the user agent must invoke the
/// media element's media element load algorithm"; removing it does not); `loop` and
/// `autoplay` feed the engine.
fn attribute_changed(
    object: &JsObject,
    change: &AttributeChange<'_>,
    ctx: &mut Context,
) -> JsResult<()> {
    let Some(state) = state_of(object, None) else {
        return Ok(());
    };
    match change.local_name {
        "src" => {
            if let Some(value) = change.value {
                load::load(&state, Some(value.clone()), ctx)?;
            }
        }
        "loop" => state
            .engine
            .borrow_mut()
            .set_looping(change.value.is_some()),
        "autoplay" => state.local.borrow_mut().autoplay = change.value.is_some(),
        _ => {}
    }
    Ok(())
}

// ----- Reflected content attributes -----

fn reflect_get(object: &JsObject, name: &str, ctx: &Context) -> Option<JsString> {
    element::get_attribute(object, name, ctx)
}

fn reflect_bool(this: &JsValue, name: &str, ctx: &mut Context) -> JsResult<JsValue> {
    let (object, _) = this_element(this)?;
    Ok(reflect_get(&object, name, ctx).is_some().into())
}

fn set_reflect_bool(
    this: &JsValue,
    args: &[JsValue],
    name: &str,
    ctx: &mut Context,
) -> JsResult<JsValue> {
    let (object, _) = this_element(this)?;
    if args.get_or_undefined(0).to_boolean() {
        element::set_attribute(&object, name, js_string!(), ctx)?;
    } else {
        element::remove_attribute(&object, name, ctx)?;
    }
    Ok(JsValue::undefined())
}

/// `[ReflectURL]`: the attribute resolved against the base URL, else its value, "" if absent.
pub(crate) fn reflect_url(object: &JsObject, name: &str, ctx: &Context) -> JsValue {
    let Some(value) = reflect_get(object, name, ctx) else {
        return js_string!().into();
    };
    let raw = value.to_std_string_escaped();
    match crate::media_loader::media_loader(ctx).map(|loader| loader.resolve(&raw)) {
        Some(Ok(url)) => JsString::from(url.as_str()).into(),
        _ => value.into(),
    }
}

pub(crate) fn set_reflect_string(
    this: &JsValue,
    args: &[JsValue],
    name: &str,
    ctx: &mut Context,
) -> JsResult<JsValue> {
    let (object, _) = this_element(this)?;
    let value = eme_dom::webidl::dom_string(args.get_or_undefined(0), ctx)?;
    element::set_attribute(&object, name, value, ctx)?;
    Ok(JsValue::undefined())
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-src
fn get_src(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (object, _) = this_element(this)?;
    Ok(reflect_url(&object, "src", ctx))
}

fn set_src(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    set_reflect_string(this, args, "src", ctx)
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-crossorigin: limited to the
// known values of the CORS settings attribute; absent is null, invalid or "" is "anonymous".
fn get_cross_origin(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (object, _) = this_element(this)?;
    Ok(match reflect_get(&object, "crossorigin", ctx) {
        None => JsValue::null(),
        Some(value)
            if value
                .to_std_string_escaped()
                .eq_ignore_ascii_case("use-credentials") =>
        {
            js_string!("use-credentials").into()
        }
        Some(_) => js_string!("anonymous").into(),
    })
}

fn set_cross_origin(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (object, _) = this_element(this)?;
    let value = args.get_or_undefined(0);
    if value.is_null() {
        element::remove_attribute(&object, "crossorigin", ctx)?;
    } else {
        let value = eme_dom::webidl::dom_string(value, ctx)?;
        element::set_attribute(&object, "crossorigin", value, ctx)?;
    }
    Ok(JsValue::undefined())
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-preload: an enumerated
// attribute; the missing and invalid value defaults are "metadata" (HTML's suggestion).
fn get_preload(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (object, _) = this_element(this)?;
    let keyword = match reflect_get(&object, "preload", ctx)
        .map(|v| v.to_std_string_escaped().to_ascii_lowercase())
    {
        Some(value) if value == "none" => "none",
        Some(value) if value == "auto" || value.is_empty() => "auto",
        _ => "metadata",
    };
    Ok(js_string!(keyword).into())
}

fn set_preload(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    set_reflect_string(this, args, "preload", ctx)
}

/// Declares the getter and setter of an IDL attribute reflecting a boolean content attribute.
macro_rules! reflect_boolean_attribute {
    ($get:ident, $set:ident, $attribute:literal) => {
        fn $get(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
            reflect_bool(this, $attribute, ctx)
        }
        fn $set(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
            set_reflect_bool(this, args, $attribute, ctx)
        }
    };
}

reflect_boolean_attribute!(get_autoplay, set_autoplay, "autoplay");
reflect_boolean_attribute!(get_loop, set_loop, "loop");
reflect_boolean_attribute!(get_controls, set_controls, "controls");
// `defaultMuted` reflects the `muted` content attribute.
reflect_boolean_attribute!(get_default_muted, set_default_muted, "muted");

// ----- Error and network state -----

// https://html.spec.whatwg.org/multipage/media.html#dom-media-error
fn get_error(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let error = state.engine.borrow().error().cloned();
    let Some(error) = error else {
        *state.error_object.borrow_mut() = None;
        return Ok(JsValue::null());
    };
    if let Some(object) = state.error_object.borrow().clone() {
        return Ok(object.into());
    }
    let object = media_error::create(&error, ctx)?;
    *state.error_object.borrow_mut() = Some(object.clone());
    Ok(object.into())
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-currentsrc
fn get_current_src(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let src = state.local.borrow().current_src.clone();
    Ok(JsString::from(src.as_str()).into())
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-networkstate
fn get_network_state(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    if state.local.borrow().selecting {
        return Ok(JsValue::from(NetworkState::NoSource as u16));
    }
    let network_state = state.engine.borrow().network_state();
    Ok(JsValue::from(network_state as u16))
}

fn get_buffered(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let ranges = state.engine.borrow().buffered();
    Ok(time_ranges::create(&ranges, ctx)?.into())
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-load
fn load(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (object, state) = this_element(this)?;
    let src = reflect_get(&object, "src", ctx);
    load::load(&state, src, ctx)?;
    Ok(JsValue::undefined())
}

// https://html.spec.whatwg.org/multipage/media.html#dom-navigator-canplaytype
fn can_play_type(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    this_state(this)?;
    if args.is_empty() {
        return Err(JsNativeError::typ()
            .with_message("Failed to execute 'canPlayType' on 'HTMLMediaElement': 1 argument required, but only 0 present")
            .into());
    }
    let type_ = eme_dom::webidl::dom_string(&args[0], ctx)?.to_std_string_escaped();
    Ok(js_string!(can_play(&type_)).into())
}

/// "" (cannot play), "maybe" (the container without codecs) or "probably" (every listed
/// codec is AVC, HEVC or AAC, which the engine's framing checks know).
pub fn can_play(type_: &str) -> &'static str {
    let Ok(parsed) = eme_media::mse::ContentType::parse(type_) else {
        return "";
    };
    if parsed.codecs.is_empty() {
        return "maybe";
    }
    let playable = parsed.codecs.iter().all(|codec| {
        let family = codec.split('.').next().unwrap_or("").to_ascii_lowercase();
        matches!(family.as_str(), "avc1" | "avc3" | "hvc1" | "hev1" | "mp4a")
    });
    if playable { "probably" } else { "" }
}

// ----- Ready state and playback -----

fn get_ready_state(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let ready_state = state.engine.borrow().ready_state();
    Ok(JsValue::from(ready_state as u16))
}

fn get_seeking(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let seeking = state.engine.borrow().seeking();
    Ok(seeking.into())
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-currenttime: the official
// playback position, brought up to the clock's time first.
fn get_current_time(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    state::run(&state, ctx, |engine, now| engine.advance(now))?;
    let position = state.engine.borrow().current_time();
    Ok(JsValue::from(position.as_secs_f64()))
}

/// WebIDL `double` (restricted): ToNumber, and a non-finite value is a TypeError.
fn restricted_double(value: &JsValue, what: &str, ctx: &mut Context) -> JsResult<f64> {
    let number = value.to_number(ctx)?;
    if number.is_finite() {
        Ok(number)
    } else {
        Err(JsNativeError::typ()
            .with_message(format!("The provided {what} is non-finite"))
            .into())
    }
}

fn seek_to(this: &JsValue, value: &JsValue, what: &str, ctx: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let seconds = restricted_double(value, what, ctx)?;
    let target = MediaTime::from_secs_f64(seconds);
    state::run(&state, ctx, |engine, now| engine.seek(now, target))?;
    Ok(JsValue::undefined())
}

fn set_current_time(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    seek_to(this, args.get_or_undefined(0), "currentTime", ctx)
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-fastseek: "approximate-for-speed"
// may seek exactly.
fn fast_seek(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    this_state(this)?;
    if args.is_empty() {
        return Err(JsNativeError::typ()
            .with_message("Failed to execute 'fastSeek' on 'HTMLMediaElement': 1 argument required, but only 0 present")
            .into());
    }
    seek_to(this, &args[0], "time", ctx)
}

fn get_duration(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let duration = state.engine.borrow().duration();
    Ok(JsValue::from(match duration {
        None => f64::NAN,
        Some(MediaTime::MAX) => f64::INFINITY,
        Some(duration) => duration.as_secs_f64(),
    }))
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-getstartdate: a new Date for the
// timeline offset, which is NaN (no explicit date in an MP4 resource).
fn get_start_date(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    this_state(this)?;
    let date = ctx.intrinsics().constructors().date().constructor();
    Ok(date
        .construct(&[JsValue::from(f64::NAN)], None, ctx)?
        .into())
}

fn get_paused(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let paused = state.engine.borrow().paused();
    Ok(paused.into())
}

fn unsupported_rate(rate: f64, ctx: &mut Context) -> boa_engine::JsError {
    dom_exception::error(
        ctx,
        ExceptionName::NotSupportedError,
        &format!("The provided playback rate ({rate}) is not supported"),
    )
}

fn get_default_playback_rate(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let rate = state.engine.borrow().default_playback_rate();
    Ok(rate.into())
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-defaultplaybackrate
fn set_default_playback_rate(
    this: &JsValue,
    args: &[JsValue],
    ctx: &mut Context,
) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let rate = restricted_double(args.get_or_undefined(0), "defaultPlaybackRate", ctx)?;
    if let Err(refused) = state::operate(&state, ctx, |engine, _| {
        engine.set_default_playback_rate(rate)
    })? {
        return Err(unsupported_rate(refused.0, ctx));
    }
    Ok(JsValue::undefined())
}

fn get_playback_rate(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let rate = state.engine.borrow().playback_rate();
    Ok(rate.into())
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-playbackrate: "If the given
// value is not supported by the user agent, then throw a NotSupportedError DOMException."
fn set_playback_rate(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let rate = restricted_double(args.get_or_undefined(0), "playbackRate", ctx)?;
    if let Err(refused) = state::operate(&state, ctx, |engine, now| {
        engine.set_playback_rate(now, rate)
    })? {
        return Err(unsupported_rate(refused.0, ctx));
    }
    Ok(JsValue::undefined())
}

fn get_preserves_pitch(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let preserves = state.local.borrow().preserves_pitch;
    Ok(preserves.into())
}

fn set_preserves_pitch(this: &JsValue, args: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    state.local.borrow_mut().preserves_pitch = args.get_or_undefined(0).to_boolean();
    Ok(JsValue::undefined())
}

fn get_played(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    state::run(&state, ctx, |engine, now| engine.advance(now))?;
    let played = state.local.borrow().played.clone();
    Ok(time_ranges::create(&played, ctx)?.into())
}

fn get_seekable(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let ranges = state.engine.borrow().seekable();
    Ok(time_ranges::create(&ranges, ctx)?.into())
}

fn get_ended(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    // "the media element has ended playback, the direction of playback is forwards, and
    // paused is true"
    let engine = state.engine.borrow();
    Ok((engine.ended() && engine.paused()).into())
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-play
fn play(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    promise_operation(ctx, |ctx| {
        let state = this_state(this)?;
        let now = state::clock_now(ctx);
        // Steps 1–2 inside the engine (the element's error is MEDIA_ERR_SRC_NOT_SUPPORTED →
        // a promise rejected with NotSupportedError).
        let outcome = state.engine.borrow_mut().play(now);
        let events = match outcome {
            Ok(events) => events,
            Err(rejection) => {
                let reason = state::play_rejection(rejection, ctx)?;
                return Ok(
                    JsPromise::reject(boa_engine::JsError::from_opaque(reason), ctx)?.into(),
                );
            }
        };
        // Steps 3–4: append the promise to the pending play promises, then the internal play
        // steps' results.
        let (promise, resolvers) = JsPromise::new_pending(ctx);
        state.play_promises.borrow_mut().push(resolvers);
        state.local.borrow_mut().can_autoplay = false;
        state::handle_events(&state, events, ctx)?;
        state::wake(&state, ctx);
        Ok(promise.into())
    })
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-pause
fn pause(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (object, state) = this_element(this)?;
    // Step 1: with networkState NETWORK_EMPTY, invoke resource selection.
    if state.engine.borrow().network_state() == NetworkState::Empty
        && !state.local.borrow().selecting
    {
        let src = reflect_get(&object, "src", ctx);
        if src.is_some() {
            load::load(&state, src, ctx)?;
        }
    }
    state.local.borrow_mut().can_autoplay = false;
    state::run(&state, ctx, |engine, now| engine.pause(now))?;
    Ok(JsValue::undefined())
}

// ----- Volume -----

fn get_volume(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let volume = state.local.borrow().volume;
    Ok(volume.into())
}

// https://html.spec.whatwg.org/multipage/media.html#dom-media-volume: "If the new value is
// outside the range 0.0 to 1.0 inclusive, then … throw an IndexSizeError DOMException."
fn set_volume(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let volume = restricted_double(args.get_or_undefined(0), "volume", ctx)?;
    if !(0.0..=1.0).contains(&volume) {
        return Err(dom_exception::error(
            ctx,
            ExceptionName::IndexSizeError,
            &format!("The volume provided ({volume}) is outside the range [0, 1]"),
        ));
    }
    let changed = {
        let mut local = state.local.borrow_mut();
        let changed = local.volume != volume;
        local.volume = volume;
        changed
    };
    if changed {
        state::queue_event(&state, "volumechange", ctx);
    }
    Ok(JsValue::undefined())
}

fn get_muted(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let muted = state.local.borrow().muted;
    Ok(muted.into())
}

fn set_muted(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let muted = args.get_or_undefined(0).to_boolean();
    let changed = {
        let mut local = state.local.borrow_mut();
        let changed = local.muted != muted;
        local.muted = muted;
        changed
    };
    if changed {
        state::queue_event(&state, "volumechange", ctx);
    }
    Ok(JsValue::undefined())
}

// ----- EME -----

// https://w3c.github.io/encrypted-media/#dom-htmlmediaelement-mediakeys
fn get_media_keys(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let state = this_state(this)?;
    let keys = state.media_keys.borrow().clone();
    Ok(keys.map_or(JsValue::null(), JsValue::from))
}

fn set_media_keys(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    promise_operation(ctx, |ctx| {
        let state = this_state(this)?;
        set_media_keys::set_media_keys(&state, args, ctx)
    })
}

/// The constants of `HTMLMediaElement`.
const CONSTANTS: [(&str, u16); 9] = [
    ("NETWORK_EMPTY", 0),
    ("NETWORK_IDLE", 1),
    ("NETWORK_LOADING", 2),
    ("NETWORK_NO_SOURCE", 3),
    ("HAVE_NOTHING", 0),
    ("HAVE_METADATA", 1),
    ("HAVE_CURRENT_DATA", 2),
    ("HAVE_FUTURE_DATA", 3),
    ("HAVE_ENOUGH_DATA", 4),
];

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    element::embed_node::<HTMLMediaElement>(ctx, |data| data.node.clone());
    let html_element = interface::interface(ctx, "HTMLElement")?;
    let mut builder = InterfaceBuilder::new(ctx, INTERFACE).inherits(html_element);
    for (name, value) in CONSTANTS {
        builder = builder.constant(name, value);
    }
    builder
        // error state
        .attribute("error", get_error, None)
        // network state
        .attribute("src", get_src, Some(set_src))
        .attribute("currentSrc", get_current_src, None)
        .attribute("crossOrigin", get_cross_origin, Some(set_cross_origin))
        .attribute("networkState", get_network_state, None)
        .attribute("preload", get_preload, Some(set_preload))
        .attribute("buffered", get_buffered, None)
        .operation("load", 0, load)
        .operation("canPlayType", 1, can_play_type)
        // ready state
        .attribute("readyState", get_ready_state, None)
        .attribute("seeking", get_seeking, None)
        // playback state
        .attribute("currentTime", get_current_time, Some(set_current_time))
        .operation("fastSeek", 1, fast_seek)
        .attribute("duration", get_duration, None)
        .operation("getStartDate", 0, get_start_date)
        .attribute("paused", get_paused, None)
        .attribute(
            "defaultPlaybackRate",
            get_default_playback_rate,
            Some(set_default_playback_rate),
        )
        .attribute("playbackRate", get_playback_rate, Some(set_playback_rate))
        .attribute(
            "preservesPitch",
            get_preserves_pitch,
            Some(set_preserves_pitch),
        )
        .attribute("played", get_played, None)
        .attribute("seekable", get_seekable, None)
        .attribute("ended", get_ended, None)
        .attribute("autoplay", get_autoplay, Some(set_autoplay))
        .attribute("loop", get_loop, Some(set_loop))
        .operation("play", 0, play)
        .operation("pause", 0, pause)
        // controls
        .attribute("controls", get_controls, Some(set_controls))
        .attribute("volume", get_volume, Some(set_volume))
        .attribute("muted", get_muted, Some(set_muted))
        .attribute("defaultMuted", get_default_muted, Some(set_default_muted))
        // EME
        .attribute("mediaKeys", get_media_keys, None)
        .event_handler("encrypted", is_media_element)
        .event_handler("waitingforkey", is_media_element)
        .operation("setMediaKeys", 1, set_media_keys)
        .build()?;
    Ok(())
}
