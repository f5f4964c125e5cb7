//! `MediaKeyMessageEvent`: <https://w3c.github.io/encrypted-media/#mediakeymessageevent>

use boa_engine::{
    Context, JsArgs, JsData, JsObject, JsResult, JsValue, js_string,
    object::builtins::JsArrayBuffer,
};
use boa_gc::{Finalize, Trace};
use eme_cdm::MessageType;
use eme_dom::{
    event::{self, Event, EventInit},
    interface::{self, InterfaceBuilder},
    webidl,
};

use crate::{idl_enum, idl_string, type_error};

const INTERFACE: &str = "MediaKeyMessageEvent";

/// Native data of a `MediaKeyMessageEvent`: the embedded `Event` and its two attributes.
#[derive(Debug, Trace, Finalize, JsData)]
pub struct MediaKeyMessageEvent {
    event: Event,
    #[unsafe_ignore_trace] // a field-less enum of eme_cdm, which cannot hold a JS value
    message_type: MessageType,
    message: JsObject,
}

/// A trusted-to-be `message` event carrying `message` (the spec's "Queue a message event"
/// creates exactly this; the caller fires it).
pub(crate) fn create(
    message_type: MessageType,
    message: &[u8],
    ctx: &mut Context,
) -> JsResult<JsObject> {
    let message = webidl::array_buffer(message, ctx)?;
    let event = Event::new(js_string!("message"), EventInit::default(), ctx);
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    event::create_event_object(
        prototype,
        MediaKeyMessageEvent {
            event,
            message_type,
            message,
        },
        ctx,
    )
}

// https://w3c.github.io/encrypted-media/#dom-mediakeymessageevent-constructor
fn constructor(new_target: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    interface::require_new(new_target, INTERFACE)?;
    let event_type = event::required_type_argument(args, INTERFACE, ctx)?;
    if args.len() < 2 {
        return Err(type_error(format!(
            "Failed to construct '{INTERFACE}': 2 arguments required, but only {} present.",
            args.len()
        )));
    }
    // MediaKeyMessageEventInit: inherited EventInit members first, then `message`,
    // `messageType` (lexicographic); both are required.
    let dict = webidl::dictionary(args.get_or_undefined(1), "MediaKeyMessageEventInit")?;
    let init = EventInit::from_dictionary(&dict, ctx)?;
    let message = webidl::member(&dict, "message", ctx)?;
    if message.is_undefined() {
        return Err(type_error("required member message is undefined"));
    }
    let message = message
        .as_object()
        .filter(|o| JsArrayBuffer::from_object(o.clone()).is_ok())
        .ok_or_else(|| type_error("member message is not of type 'ArrayBuffer'"))?;
    let message_type = webidl::member(&dict, "messageType", ctx)?;
    if message_type.is_undefined() {
        return Err(type_error("required member messageType is undefined"));
    }
    let message_type = idl_enum::<MessageType>(&message_type, ctx)?;
    let prototype = interface::prototype_from_new_target(new_target, INTERFACE, ctx)?;
    let event = Event::new(event_type, init, ctx);
    Ok(event::create_event_object(
        prototype,
        MediaKeyMessageEvent {
            event,
            message_type,
            message,
        },
        ctx,
    )?
    .into())
}

fn get_message_type(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<MediaKeyMessageEvent, _>(this, INTERFACE, |e| idl_string(e.message_type))
}

fn get_message(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<MediaKeyMessageEvent, _>(this, INTERFACE, |e| e.message.clone().into())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    InterfaceBuilder::new(ctx, INTERFACE)
        .constructor(constructor, 2)
        .inherits_embedded("Event", |data: &MediaKeyMessageEvent| data.event.clone())?
        .attribute("messageType", get_message_type, None)
        .attribute("message", get_message, None)
        .build()?;
    Ok(())
}
