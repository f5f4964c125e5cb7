//! `MediaError`: <https://html.spec.whatwg.org/multipage/media.html#error-codes>

use boa_engine::{Context, JsData, JsObject, JsResult, JsString, JsValue};
use boa_gc::{Finalize, Trace};
use eme_dom::interface::{self, InterfaceBuilder};
use eme_media::playback::PlaybackError;

const INTERFACE: &str = "MediaError";

/// The error codes, as the interface's constants.
const CODES: [(&str, u16); 4] = [
    ("MEDIA_ERR_ABORTED", 1),
    ("MEDIA_ERR_NETWORK", 2),
    ("MEDIA_ERR_DECODE", 3),
    ("MEDIA_ERR_SRC_NOT_SUPPORTED", 4),
];

/// Native data of a `MediaError`: its `code` and `message`.
#[derive(Debug, Clone, Trace, Finalize, JsData)]
pub struct MediaError {
    // Untraced: a number.
    #[unsafe_ignore_trace]
    code: u16,
    message: JsString,
}

/// Creates the `MediaError` object for the engine's `error`.
pub(crate) fn create(error: &PlaybackError, ctx: &mut Context) -> JsResult<JsObject> {
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    Ok(JsObject::from_proto_and_data(
        prototype,
        MediaError {
            code: error.code as u16,
            message: JsString::from(error.message.as_str()),
        },
    ))
}

// https://html.spec.whatwg.org/multipage/media.html#dom-mediaerror-code
fn get_code(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<MediaError, _>(this, INTERFACE, |e| JsValue::from(e.code))
}

// https://html.spec.whatwg.org/multipage/media.html#dom-mediaerror-message
fn get_message(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<MediaError, _>(this, INTERFACE, |e| e.message.clone().into())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    let mut builder = InterfaceBuilder::new(ctx, INTERFACE);
    for (name, value) in CODES {
        builder = builder.constant(name, value);
    }
    builder
        .attribute("code", get_code, None)
        .attribute("message", get_message, None)
        .build()?;
    Ok(())
}
