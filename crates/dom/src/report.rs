//! HTML's "report an exception": listener and callback errors are reported to the embedder,
//! never propagated to the code that dispatched the event.

use std::rc::Rc;

use boa_engine::{Context, JsError};

/// The embedder's sink for reported exceptions, kept as context data.
///
/// It lives outside the GC heap on purpose: the closure must capture only Rust state
/// (counters, output handles), never JS values, which it receives as arguments instead.
#[derive(Clone)]
pub struct ExceptionReporter(pub Rc<ReportFn>);

/// The sink's signature: the error and the context it was thrown in.
pub type ReportFn = dyn Fn(&JsError, &mut Context);

/// Installs `reporter` as the context's exception sink, replacing any earlier one.
pub fn set_exception_reporter(ctx: &mut Context, reporter: ExceptionReporter) {
    ctx.insert_data(reporter);
}

/// Reports `error` to the installed sink, or to stderr when the embedder installed none.
pub fn report_exception(error: &JsError, ctx: &mut Context) {
    match ctx.get_data::<ExceptionReporter>().cloned() {
        Some(reporter) => (reporter.0)(error, ctx),
        None => eprintln!("Uncaught {error}"),
    }
}
