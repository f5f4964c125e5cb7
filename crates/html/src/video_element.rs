//! `HTMLVideoElement`: <https://html.spec.whatwg.org/multipage/media.html#htmlvideoelement>

use boa_engine::{Context, JsArgs, JsObject, JsResult, JsString, JsValue, js_string};
use eme_dom::interface::{self, InterfaceBuilder, illegal_invocation};

use crate::element;
use crate::media_element::{self, reflect_url, set_reflect_string, state::MediaKind};

const INTERFACE: &str = "HTMLVideoElement";

fn this_video(this: &JsValue) -> JsResult<JsObject> {
    this.as_object()
        .filter(|object| media_element::state_of(object, Some(MediaKind::Video)).is_some())
        .ok_or_else(|| illegal_invocation(INTERFACE))
}

/// `[Reflect] unsigned long`: the attribute parsed as a non-negative integer in
/// [0, 2147483647], else 0.
fn reflect_dimension(this: &JsValue, name: &str, ctx: &mut Context) -> JsResult<JsValue> {
    let object = this_video(this)?;
    let value = element::get_attribute(&object, name, ctx)
        .and_then(|v| parse_non_negative_integer(&v.to_std_string_escaped()))
        .filter(|v| *v <= 2_147_483_647)
        .unwrap_or(0);
    Ok(JsValue::from(value as u32))
}

/// HTML's rules for parsing non-negative integers (leading whitespace, an optional "+",
/// digits; what follows the digits is ignored).
fn parse_non_negative_integer(input: &str) -> Option<u64> {
    let trimmed = input.trim_start_matches([' ', '\t', '\n', '\x0c', '\r']);
    let trimmed = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let digits: String = trimmed.chars().take_while(char::is_ascii_digit).collect();
    if digits.is_empty() {
        return None;
    }
    digits.parse::<u64>().ok().or(Some(u64::MAX))
}

/// Setting a reflected `unsigned long`: values above 2147483647 set the default (0).
fn set_dimension(
    this: &JsValue,
    args: &[JsValue],
    name: &str,
    ctx: &mut Context,
) -> JsResult<JsValue> {
    let object = this_video(this)?;
    let value = crate::time_ranges::unsigned_long(args.get_or_undefined(0), ctx)?;
    let value = if value > 2_147_483_647 { 0 } else { value };
    element::set_attribute(
        &object,
        name,
        JsString::from(value.to_string().as_str()),
        ctx,
    )?;
    Ok(JsValue::undefined())
}

fn get_width(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    reflect_dimension(this, "width", ctx)
}
fn set_width(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    set_dimension(this, args, "width", ctx)
}
fn get_height(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    reflect_dimension(this, "height", ctx)
}
fn set_height(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    set_dimension(this, args, "height", ctx)
}

// https://html.spec.whatwg.org/multipage/media.html#dom-video-videowidth: the intrinsic
// size once the metadata is known, else 0.
fn video_size(this: &JsValue) -> JsResult<(u32, u32)> {
    let object = this_video(this)?;
    let state = media_element::state_of(&object, Some(MediaKind::Video))
        .ok_or_else(|| illegal_invocation(INTERFACE))?;
    let engine = state.engine.borrow();
    if engine.ready_state() == eme_media::playback::ReadyState::HaveNothing {
        return Ok((0, 0));
    }
    Ok(engine.video_size())
}

fn get_video_width(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(JsValue::from(video_size(this)?.0))
}
fn get_video_height(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(JsValue::from(video_size(this)?.1))
}

fn get_poster(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let object = this_video(this)?;
    Ok(reflect_url(&object, "poster", ctx))
}
fn set_poster(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    this_video(this)?;
    set_reflect_string(this, args, "poster", ctx)
}

fn get_plays_inline(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let object = this_video(this)?;
    Ok(element::get_attribute(&object, "playsinline", ctx)
        .is_some()
        .into())
}
fn set_plays_inline(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let object = this_video(this)?;
    if args.get_or_undefined(0).to_boolean() {
        element::set_attribute(&object, "playsinline", js_string!(), ctx)?;
    } else {
        element::remove_attribute(&object, "playsinline", ctx)?;
    }
    Ok(JsValue::undefined())
}

/// The element factory of `video`.
fn create_video(
    document: &JsObject,
    local_name: &JsString,
    ctx: &mut Context,
) -> JsResult<JsObject> {
    media_element::create(document, local_name, MediaKind::Video, INTERFACE, ctx)
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    let parent = interface::interface(ctx, "HTMLMediaElement")?;
    InterfaceBuilder::new(ctx, INTERFACE)
        .inherits(parent)
        .attribute("width", get_width, Some(set_width))
        .attribute("height", get_height, Some(set_height))
        .attribute("videoWidth", get_video_width, None)
        .attribute("videoHeight", get_video_height, None)
        .attribute("poster", get_poster, Some(set_poster))
        .attribute("playsInline", get_plays_inline, Some(set_plays_inline))
        .build()?;
    element::register_element_factory(ctx, "video", create_video);
    Ok(())
}
