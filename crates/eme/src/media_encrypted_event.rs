//! `MediaEncryptedEvent`: <https://w3c.github.io/encrypted-media/#mediaencryptedevent>

use boa_engine::{
    Context, JsArgs, JsData, JsObject, JsResult, JsString, JsValue, object::builtins::JsArrayBuffer,
};
use boa_gc::{Finalize, Trace};
use eme_dom::{
    event::{self, Event, EventInit},
    interface::{self, InterfaceBuilder},
    webidl,
};

use crate::type_error;

const INTERFACE: &str = "MediaEncryptedEvent";

/// Native data of a `MediaEncryptedEvent`: the embedded `Event`, `initDataType` and `initData`.
#[derive(Debug, Trace, Finalize, JsData)]
pub struct MediaEncryptedEvent {
    event: Event,
    init_data_type: JsString,
    init_data: Option<JsObject>,
}

// https://w3c.github.io/encrypted-media/#dom-mediaencryptedevent-constructor
fn constructor(new_target: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    interface::require_new(new_target, INTERFACE)?;
    let event_type = event::required_type_argument(args, INTERFACE, ctx)?;
    // MediaEncryptedEventInit: EventInit members, then `initData` (ArrayBuffer?, default
    // null) and `initDataType` (default "").
    let dict = webidl::dictionary(args.get_or_undefined(1), "MediaEncryptedEventInit")?;
    let init = EventInit::from_dictionary(&dict, ctx)?;
    let init_data = webidl::member(&dict, "initData", ctx)?;
    let init_data = if init_data.is_null_or_undefined() {
        None
    } else {
        Some(
            init_data
                .as_object()
                .filter(|o| JsArrayBuffer::from_object(o.clone()).is_ok())
                .ok_or_else(|| type_error("member initData is not of type 'ArrayBuffer'"))?,
        )
    };
    let init_data_type = webidl::member(&dict, "initDataType", ctx)?;
    let init_data_type = webidl::optional_dom_string(&init_data_type, JsString::default(), ctx)?;
    let prototype = interface::prototype_from_new_target(new_target, INTERFACE, ctx)?;
    let event = Event::new(event_type, init, ctx);
    Ok(event::create_event_object(
        prototype,
        MediaEncryptedEvent {
            event,
            init_data_type,
            init_data,
        },
        ctx,
    )?
    .into())
}

/// Creates a trusted-to-be `MediaEncryptedEvent` (not bubbling, not cancelable) for the media
/// element's "Initialization Data Encountered" steps
/// (<https://w3c.github.io/encrypted-media/#initdata-encountered>); `init_data` is an
/// `ArrayBuffer` or `None` (null). The caller fires it.
pub fn create(
    event_type: &str,
    init_data_type: &str,
    init_data: Option<JsObject>,
    ctx: &mut Context,
) -> JsResult<JsObject> {
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    let event = Event::new(JsString::from(event_type), EventInit::default(), ctx);
    event::create_event_object(
        prototype,
        MediaEncryptedEvent {
            event,
            init_data_type: JsString::from(init_data_type),
            init_data,
        },
        ctx,
    )
}

fn get_init_data_type(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<MediaEncryptedEvent, _>(this, INTERFACE, |e| {
        e.init_data_type.clone().into()
    })
}

fn get_init_data(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<MediaEncryptedEvent, _>(this, INTERFACE, |e| {
        e.init_data.clone().map_or(JsValue::null(), JsValue::from)
    })
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    InterfaceBuilder::new(ctx, INTERFACE)
        .constructor(constructor, 1)
        .inherits_embedded("Event", |data: &MediaEncryptedEvent| data.event.clone())?
        .attribute("initDataType", get_init_data_type, None)
        .attribute("initData", get_init_data, None)
        .build()?;
    Ok(())
}
