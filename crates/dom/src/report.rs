//! HTML's "report an exception": listener and callback errors are reported, never propagated
//! to the code that dispatched the event.
//! <https://html.spec.whatwg.org/multipage/webappapis.html#report-an-exception>
//!
//! When the global object is an `EventTarget`, a cancelable `ErrorEvent` named `error` is fired
//! at it first (as `window.onerror` / `addEventListener("error")` expect); only an exception
//! whose event was not canceled reaches the embedder's sink as uncaught.

use std::cell::Cell;
use std::rc::Rc;

use boa_engine::{Context, JsError, JsString, JsValue};

use crate::error_event::{self, ErrorDetails};
use crate::event_target::{self, EventTarget};

/// The embedder's sink for reported exceptions, kept as context data.
///
/// It lives outside the GC heap on purpose: the closure must capture only Rust state
/// (counters, output handles), never JS values, which it receives as arguments instead.
#[derive(Clone)]
pub struct ExceptionReporter(pub Rc<ReportFn>);

/// The sink's signature: the error and the context it was thrown in.
pub type ReportFn = dyn Fn(&JsError, &mut Context);

/// Set while an `error` event is being dispatched, so an exception thrown by an `error`
/// listener is handed to the sink directly instead of firing another event.
#[derive(Default)]
struct ReportingError(Cell<bool>);

/// Installs `reporter` as the context's exception sink, replacing any earlier one.
pub fn set_exception_reporter(ctx: &mut Context, reporter: ExceptionReporter) {
    ctx.insert_data(reporter);
}

/// Reports `error`: fires `error` at the global, then, unless a listener canceled it, hands it
/// to the installed sink (stderr when the embedder installed none).
pub fn report_exception(error: &JsError, ctx: &mut Context) {
    if !ctx.get_data::<ReportingError>().is_some_and(|r| r.0.get())
        && error_event_canceled(error, ctx)
    {
        return;
    }
    match ctx.get_data::<ExceptionReporter>().cloned() {
        Some(reporter) => (reporter.0)(error, ctx),
        None => eprintln!("Uncaught {error}"),
    }
}

/// Fires the `error` event at the global; true if a listener canceled it.
fn error_event_canceled(error: &JsError, ctx: &mut Context) -> bool {
    let global = ctx.global_object();
    if EventTarget::of(&global, ctx).is_none() {
        return false;
    }
    // Engine errors (runtime limits) have no script value and are not script-visible.
    let Ok(value) = error.clone().into_opaque(ctx) else {
        return false;
    };
    let message = describe(&value, ctx);
    let details = ErrorDetails {
        message,
        error: value,
        ..ErrorDetails::default()
    };
    let Ok(event) = error_event::create(details, ctx) else {
        return false;
    };
    if ctx.get_data::<ReportingError>().is_none() {
        ctx.insert_data(ReportingError::default());
    }
    set_reporting(ctx, true);
    let not_canceled = event_target::fire_event(&global, &event, ctx);
    set_reporting(ctx, false);
    matches!(not_canceled, Ok(false))
}

fn set_reporting(ctx: &Context, value: bool) {
    if let Some(flag) = ctx.get_data::<ReportingError>() {
        flag.0.set(value);
    }
}

/// `Uncaught <ToString(value)>`, as browsers put in `ErrorEvent.message`.
fn describe(value: &JsValue, ctx: &mut Context) -> JsString {
    let text = value
        .to_string(ctx)
        .map_or_else(|_| "exception".to_owned(), |s| s.to_std_string_escaped());
    JsString::from(format!("Uncaught {text}"))
}
