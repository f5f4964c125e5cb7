//! `PromiseRejectionEvent`: <https://html.spec.whatwg.org/multipage/webappapis.html#promiserejectionevent>
//! — what "notify about rejected promises" fires at the global as `unhandledrejection`.

use boa_engine::{Context, JsArgs, JsData, JsNativeError, JsObject, JsResult, JsValue, js_string};
use boa_gc::{Finalize, Trace};

use crate::event::{self, Event, EventInit};
use crate::interface::{self, InterfaceBuilder};
use crate::webidl;

const INTERFACE: &str = "PromiseRejectionEvent";

/// Native data of a `PromiseRejectionEvent`: the embedded `Event`, `promise` and `reason`.
#[derive(Debug, Trace, Finalize, JsData)]
pub struct PromiseRejectionEvent {
    event: Event,
    promise: JsObject,
    reason: JsValue,
}

/// A cancelable `unhandledrejection` event for `promise`, rejected with `reason`.
pub fn create_unhandled_rejection(
    promise: JsObject,
    reason: JsValue,
    ctx: &mut Context,
) -> JsResult<JsObject> {
    let init = EventInit {
        cancelable: true,
        ..EventInit::default()
    };
    let event = Event::new(js_string!("unhandledrejection"), init, ctx);
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    event::create_event_object(
        prototype,
        PromiseRejectionEvent {
            event,
            promise,
            reason,
        },
        ctx,
    )
}

// https://html.spec.whatwg.org/multipage/webappapis.html#promiserejectionevent
fn constructor(new_target: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    interface::require_new(new_target, INTERFACE)?;
    let event_type = event::required_type_argument(args, INTERFACE, ctx)?;
    // `PromiseRejectionEventInit eventInitDict` is not optional: it has a required member.
    let dict = webidl::dictionary(args.get_or_undefined(1), "PromiseRejectionEventInit")?;
    let init = EventInit::from_dictionary(&dict, ctx)?;
    // PromiseRejectionEventInit members in lexicographic order: promise, reason.
    let promise = webidl::member(&dict, "promise", ctx)?;
    if promise.is_undefined() {
        return Err(JsNativeError::typ()
            .with_message("Failed to construct 'PromiseRejectionEvent': required member promise is undefined.")
            .into());
    }
    let promise = promise.as_object().ok_or_else(|| {
        JsNativeError::typ().with_message(
            "Failed to construct 'PromiseRejectionEvent': member promise is not an object.",
        )
    })?;
    let reason = webidl::member(&dict, "reason", ctx)?;
    let prototype = interface::prototype_from_new_target(new_target, INTERFACE, ctx)?;
    let event = Event::new(event_type, init, ctx);
    Ok(event::create_event_object(
        prototype,
        PromiseRejectionEvent {
            event,
            promise,
            reason,
        },
        ctx,
    )?
    .into())
}

fn get_promise(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<PromiseRejectionEvent, _>(this, INTERFACE, |e| e.promise.clone().into())
}

fn get_reason(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<PromiseRejectionEvent, _>(this, INTERFACE, |e| e.reason.clone())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    InterfaceBuilder::new(ctx, INTERFACE)
        .constructor(constructor, 2)
        .inherits_embedded("Event", |data: &PromiseRejectionEvent| data.event.clone())?
        .attribute("promise", get_promise, None)
        .attribute("reason", get_reason, None)
        .build()?;
    Ok(())
}
