//! `ErrorEvent`: <https://html.spec.whatwg.org/multipage/webappapis.html#errorevent>
//! — what "report an exception" fires at the global.

use boa_engine::{Context, JsArgs, JsData, JsObject, JsResult, JsString, JsValue, js_string};
use boa_gc::{Finalize, Trace};

use crate::event::{self, Event, EventInit};
use crate::interface::{self, InterfaceBuilder};
use crate::webidl;

const INTERFACE: &str = "ErrorEvent";

/// Native data of an `ErrorEvent`: the embedded `Event` and its `ErrorEventInit` members.
#[derive(Debug, Trace, Finalize, JsData)]
pub struct ErrorEvent {
    event: Event,
    message: JsString,
    filename: JsString,
    lineno: u32,
    colno: u32,
    error: JsValue,
}

/// What an `ErrorEvent` describes (its `ErrorEventInit` members).
#[derive(Debug, Clone, Default)]
pub struct ErrorDetails {
    /// `message`: what browsers show, e.g. `"Uncaught TypeError: …"`.
    pub message: JsString,
    /// `filename`: the script's URL or name (empty when unknown).
    pub filename: JsString,
    /// `lineno`: 1-based line (0 when unknown).
    pub lineno: u32,
    /// `colno`: 1-based column (0 when unknown).
    pub colno: u32,
    /// `error`: the thrown value itself.
    pub error: JsValue,
}

/// A cancelable `error` event, as "report an exception" creates it.
pub fn create(details: ErrorDetails, ctx: &mut Context) -> JsResult<JsObject> {
    let init = EventInit {
        cancelable: true,
        ..EventInit::default()
    };
    let event = Event::new(js_string!("error"), init, ctx);
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    event::create_event_object(prototype, with_details(event, details), ctx)
}

fn with_details(event: Event, d: ErrorDetails) -> ErrorEvent {
    ErrorEvent {
        event,
        message: d.message,
        filename: d.filename,
        lineno: d.lineno,
        colno: d.colno,
        error: d.error,
    }
}

// https://html.spec.whatwg.org/multipage/webappapis.html#dom-errorevent-constructor
fn constructor(new_target: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    interface::require_new(new_target, INTERFACE)?;
    let event_type = event::required_type_argument(args, INTERFACE, ctx)?;
    let dict = webidl::dictionary(args.get_or_undefined(1), "ErrorEventInit")?;
    let init = EventInit::from_dictionary(&dict, ctx)?;
    // ErrorEventInit members in lexicographic order: colno, error, filename, lineno, message.
    let colno = webidl::member(&dict, "colno", ctx)?;
    let colno = if colno.is_undefined() {
        0
    } else {
        colno.to_u32(ctx)?
    };
    let error = webidl::member(&dict, "error", ctx)?;
    let filename = webidl::member(&dict, "filename", ctx)?;
    let filename = webidl::optional_dom_string(&filename, JsString::default(), ctx)?;
    let lineno = webidl::member(&dict, "lineno", ctx)?;
    let lineno = if lineno.is_undefined() {
        0
    } else {
        lineno.to_u32(ctx)?
    };
    let message = webidl::member(&dict, "message", ctx)?;
    let message = webidl::optional_dom_string(&message, JsString::default(), ctx)?;
    let prototype = interface::prototype_from_new_target(new_target, INTERFACE, ctx)?;
    let event = Event::new(event_type, init, ctx);
    let details = ErrorDetails {
        message,
        filename,
        lineno,
        colno,
        error,
    };
    Ok(event::create_event_object(prototype, with_details(event, details), ctx)?.into())
}

fn get_message(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<ErrorEvent, _>(this, INTERFACE, |e| e.message.clone().into())
}

fn get_filename(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<ErrorEvent, _>(this, INTERFACE, |e| e.filename.clone().into())
}

fn get_lineno(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<ErrorEvent, _>(this, INTERFACE, |e| e.lineno.into())
}

fn get_colno(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<ErrorEvent, _>(this, INTERFACE, |e| e.colno.into())
}

fn get_error(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<ErrorEvent, _>(this, INTERFACE, |e| e.error.clone())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    InterfaceBuilder::new(ctx, INTERFACE)
        .constructor(constructor, 1)
        .inherits_embedded("Event", |data: &ErrorEvent| data.event.clone())?
        .attribute("message", get_message, None)
        .attribute("filename", get_filename, None)
        .attribute("lineno", get_lineno, None)
        .attribute("colno", get_colno, None)
        .attribute("error", get_error, None)
        .build()?;
    Ok(())
}
