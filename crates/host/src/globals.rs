//! The whole global surface of a runtime, set up in one place.

use std::rc::Rc;

use boa_engine::context::ContextBuilder;
use boa_engine::module::IdleModuleLoader;
use boa_engine::object::FunctionObjectBuilder;
use boa_engine::object::builtins::JsFunction;
use boa_engine::property::PropertyDescriptor;
use boa_engine::{Context, JsResult, JsString, JsValue, NativeFunction, js_string};
use boa_runtime::NullLogger;
use boa_runtime::extensions::{
    Base64Extension, ConsoleExtension, EncodingExtension, MicrotaskExtension,
    StructuredCloneExtension, TimeoutExtension, UrlExtension,
};
use eme_dom::report::{ExceptionReporter, set_exception_reporter};

use eme_dom::timed::TimedSources;

use crate::clock::HostClock;
use crate::console::StdioLogger;
use crate::event_loop::EventLoop;
use crate::fetch::{LocalFileFetcher, install_fetch};
use crate::hooks::Hooks;
use crate::report::{self, Problem, ReportSink};

/// What [`create_context`] needs from the builder and the runtime.
pub(crate) struct Setup {
    pub(crate) quiet: bool,
    pub(crate) eme_options: eme::EmeOptions,
    pub(crate) event_loop: Rc<EventLoop>,
    pub(crate) hooks: Rc<Hooks>,
    pub(crate) sink: Rc<ReportSink>,
    pub(crate) clock: Rc<HostClock>,
    pub(crate) sources: Rc<TimedSources>,
    pub(crate) fetcher: Option<LocalFileFetcher>,
    pub(crate) location: Option<url::Url>,
}

/// Builds the context and defines every global a script sees.
pub(crate) fn create_context(setup: Setup) -> JsResult<Context> {
    let mut ctx = ContextBuilder::new()
        // Tasks, microtasks, timers and async jobs: the HTML-ordered tokio loop.
        .job_executor(setup.event_loop)
        // Promise rejection tracking (unhandled rejections).
        .host_hooks(setup.hooks)
        // `import()` resolves nothing: a script cannot read files through the module loader.
        .module_loader(Rc::new(IdleModuleLoader))
        // One clock for `Date`, `performance`, timers and timed sources.
        .clock(setup.clock.clone())
        .build()?;
    // Timed sources registered through eme_dom land where the event loop looks.
    eme_dom::timed::install(&mut ctx, setup.sources);

    // HTML "report an exception": uncaught errors of scripts, tasks and microtasks (reported by
    // the event loop) and of event listeners (reported by eme-dom) all land in the run report.
    let sink = setup.sink;
    set_exception_reporter(
        &mut ctx,
        ExceptionReporter(Rc::new(move |error, ctx| {
            sink.push(Problem::UncaughtError(report::uncaught(error, ctx)));
        })),
    );

    // `window === self === globalThis`.
    define_window_and_self(&mut ctx)?;

    // From boa_runtime: atob/btoa, setTimeout/setInterval/clearTimeout/clearInterval,
    // queueMicrotask, TextEncoder/TextDecoder, URL, structuredClone, console.
    let web_apis = (
        Base64Extension,
        TimeoutExtension,
        MicrotaskExtension,
        EncodingExtension,
        UrlExtension,
        StructuredCloneExtension,
    );
    if setup.quiet {
        boa_runtime::register_extensions((web_apis, ConsoleExtension(NullLogger)), None, &mut ctx)?;
    } else {
        boa_runtime::register_extensions(
            (web_apis, ConsoleExtension(StdioLogger)),
            None,
            &mut ctx,
        )?;
    }

    // Event, EventTarget, ErrorEvent, DOMException.
    eme_dom::register(&mut ctx)?;
    // The global is a `Window`, so an EventTarget: `error` events of reported exceptions.
    define_window_interface(&mut ctx)?;
    // navigator.requestMediaKeySystemAccess and the EME interfaces (needs eme_dom's classes).
    eme::register(&mut ctx, &setup.eme_options)?;
    // The DOM core and `document` (needs EventTarget, Event, DOMException).
    eme_html::register(&mut ctx)?;

    // `performance.now()` / `timeOrigin` (needs EventTarget).
    crate::performance::register(&mut ctx, setup.clock.time_origin_millis())?;
    if let Some(fetcher) = setup.fetcher {
        // Media elements read their `src` through the same files and directory checks.
        eme_html::install_media_loader(&mut ctx, Rc::new(fetcher.clone()));
        install_fetch(&mut ctx, fetcher)?;
    }
    if let Some(location) = setup.location {
        define_location(&mut ctx, &location)?;
        eme_html::set_url(&ctx, location.as_str())?;
    }

    Ok(ctx)
}

/// `Window` (non-constructible, inheriting `EventTarget`) as the global object's prototype.
/// The global object itself carries `EventTarget` data (see [`Hooks`]'s
/// `create_global_object`), so `addEventListener("error", …)` on it passes the brand check.
fn define_window_interface(ctx: &mut Context) -> JsResult<()> {
    let event_target = eme_dom::interface::interface(ctx, "EventTarget")?;
    let window = eme_dom::interface::InterfaceBuilder::new(ctx, "Window")
        .inherits(event_target)
        .build()?;
    ctx.global_object().set_prototype(Some(window.prototype));
    Ok(())
}

/// `location`, as a `URL` object for `url` (a page's `Location` offers the same members a
/// script reads: `href`, `protocol`, `pathname`, …), unless the global has one already.
/// Read-only and non-configurable, like HTML's `[LegacyUnforgeable]` attribute; assigning to
/// it navigates nowhere.
fn define_location(ctx: &mut Context, url: &url::Url) -> JsResult<()> {
    let global = ctx.global_object();
    if global.has_property(js_string!("location"), ctx)? {
        return Ok(());
    }
    let url_constructor = global.get(js_string!("URL"), ctx)?;
    let Some(url_constructor) = url_constructor.as_constructor() else {
        return Ok(());
    };
    let location = url_constructor.construct(&[js_string!(url.as_str()).into()], None, ctx)?;
    let getter = FunctionObjectBuilder::new(
        ctx.realm(),
        NativeFunction::from_copy_closure_with_captures(
            |_, _, location, _| Ok(location.clone().into()),
            location,
        ),
    )
    .name(js_string!("get location"))
    .length(0)
    .build();
    global.define_property_or_throw(
        js_string!("location"),
        PropertyDescriptor::builder()
            .get(getter)
            .enumerable(true)
            .configurable(false),
        ctx,
    )?;
    Ok(())
}

/// `window` (read-only, like HTML's `[LegacyUnforgeable] readonly attribute WindowProxy window`)
/// and `self` (`[Replaceable]`: assigning to it replaces the accessor with a data property), both
/// enumerable accessors on the global object returning the global object.
fn define_window_and_self(ctx: &mut Context) -> JsResult<()> {
    let global = ctx.global_object();

    let get_window = FunctionObjectBuilder::new(
        ctx.realm(),
        NativeFunction::from_fn_ptr(|_, _, ctx| Ok(ctx.global_object().into())),
    )
    .name(js_string!("get window"))
    .length(0)
    .build();
    global.define_property_or_throw(
        js_string!("window"),
        PropertyDescriptor::builder()
            .get(get_window)
            .enumerable(true)
            .configurable(false),
        ctx,
    )?;

    let get_self = FunctionObjectBuilder::new(
        ctx.realm(),
        NativeFunction::from_fn_ptr(|_, _, ctx| Ok(ctx.global_object().into())),
    )
    .name(js_string!("get self"))
    .length(0)
    .build();
    define_replaceable(ctx, "self", get_self)?;
    Ok(())
}

/// Defines a `[Replaceable]` readonly attribute of the global object (WebIDL): an accessor
/// whose setter defines an own data property of that name, shadowing the accessor, so
/// scripts may assign `self` or `performance` as pages do.
pub(crate) fn define_replaceable(
    ctx: &mut Context,
    name: &str,
    getter: JsFunction,
) -> JsResult<()> {
    let key = JsString::from(name);
    let setter = FunctionObjectBuilder::new(
        ctx.realm(),
        NativeFunction::from_copy_closure_with_captures(
            |_, args, key, ctx| {
                let value = args.first().cloned().unwrap_or_default();
                ctx.global_object().define_property_or_throw(
                    key.clone(),
                    PropertyDescriptor::builder()
                        .value(value)
                        .writable(true)
                        .enumerable(true)
                        .configurable(true),
                    ctx,
                )?;
                Ok(JsValue::undefined())
            },
            key.clone(),
        ),
    )
    .name(JsString::from(format!("set {name}")))
    .length(1)
    .build();
    ctx.global_object().define_property_or_throw(
        key,
        PropertyDescriptor::builder()
            .get(getter)
            .set(setter)
            .enumerable(true)
            .configurable(true),
        ctx,
    )?;
    Ok(())
}
