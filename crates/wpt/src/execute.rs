//! Runs one [`Page`] in a fresh runtime, in this thread: the page environment, its scripts in
//! document order (each followed by a microtask checkpoint, as HTML does), the load event,
//! then the event loop until testharness.js completes.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use boa_engine::job::GenericJob;
use boa_engine::object::{FunctionObjectBuilder, ObjectInitializer};
use boa_engine::property::Attribute;
use boa_engine::{Context, JsNativeError, JsResult, JsValue, NativeFunction, js_string};
use eme_host::{Error as HostError, Problem, Runtime, RuntimeBuilder, StopHandle};
use serde::{Deserialize, Serialize};

use crate::fetch::{PageFetcher, PageMediaLoader};
use crate::page::{Page, PageScript};
use crate::resources::{self, Resources};
use crate::results::{FileResult, FileStatus, SubtestResult};

const PAGE_ENVIRONMENT: &str = include_str!("js/page-environment.js");

/// testharness.js's own timeouts, in seconds: WPT's 10 s, and 60 s for `timeout=long`.
pub const NORMAL_TIMEOUT: f64 = 10.0;
/// The harness timeout, in seconds, of a page marked `timeout=long` (WPT's long timeout).
pub const LONG_TIMEOUT: f64 = 60.0;

/// How a page is run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PageRequest {
    /// The page to load and run.
    pub page: Page,
    /// Where the page's scripts and fetched URLs are served from.
    pub resources: Resources,
    /// Scales the harness timeouts (`--timeout` / 10 s).
    pub timeout_multiplier: f64,
}

impl PageRequest {
    /// The harness timeout of this page.
    pub fn harness_timeout(&self) -> Duration {
        let base = if self.page.long_timeout {
            LONG_TIMEOUT
        } else {
            NORMAL_TIMEOUT
        };
        Duration::try_from_secs_f64(base * self.timeout_multiplier).unwrap_or(Duration::MAX)
    }
}

/// What a page reports while it runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PageEvent {
    /// One subtest finished.
    Subtest(SubtestResult),
    /// The page is done.
    Finished(FileResult),
}

/// The harness's completion message (see `js/testharnessreport.js`).
#[derive(Debug, Deserialize)]
struct Completion {
    status: FileStatus,
    message: Option<String>,
    subtests: Vec<SubtestResult>,
}

/// Extra time the runtime gives a page past its harness timeout, so the harness's own timeout
/// (which marks the unfinished subtests) normally wins.
const RUNTIME_GRACE: Duration = Duration::from_secs(2);

/// What the report natives share with the runner, kept in the context's host data.
struct Collector {
    on_event: Rc<dyn Fn(PageEvent)>,
    subtests: RefCell<Vec<SubtestResult>>,
    completion: RefCell<Option<Completion>>,
    stop: StopHandle,
}

/// Runs `request` to completion and returns its result; `on_event` sees every subtest as it
/// finishes (a parent process uses that to keep partial results of a page it must kill).
pub fn run_page(request: &PageRequest, on_event: Rc<dyn Fn(PageEvent)>) -> FileResult {
    let started = Instant::now();
    let mut result = run_page_inner(request, on_event.clone());
    result.duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    on_event(PageEvent::Finished(result.clone()));
    result
}

fn run_page_inner(request: &PageRequest, on_event: Rc<dyn Fn(PageEvent)>) -> FileResult {
    let page = &request.page;
    let mut runtime = RuntimeBuilder::new()
        .quiet(true)
        .print_problems(false)
        // Virtual time, as in `eme run`: a page waiting on its timers, the harness timeout or
        // playback moves on at once instead of waiting for the wall clock, so results do not
        // depend on the machine's speed. The kill deadline below stays wall time.
        .virtual_time(true)
        .timeout(Some(
            request.harness_timeout().saturating_add(RUNTIME_GRACE),
        ))
        .build();
    let page_url = resources::page_url(&page.path, &page.variant);
    let mut notes = Vec::new();

    let hooks = match install_environment(&mut runtime, request, &page_url, on_event) {
        Ok(hooks) => hooks,
        Err(error) => return crashed(page, format!("cannot set up the page: {error}")),
    };

    let mut outcome = Ok(());
    for (index, script) in page.scripts.iter().enumerate() {
        // The parser inserts the markup before the script, then runs it.
        if let Err(error) = hooks.insert_body(&mut runtime, index) {
            return markup_error(page, &error);
        }
        let (name, text) = match script {
            PageScript::Inline { text, line } => {
                // Pad with the lines before the script so positions are the HTML file's.
                (
                    page.file.clone(),
                    format!("{}{text}", "\n".repeat(line.saturating_sub(1))),
                )
            }
            PageScript::External { src } => {
                match request
                    .resources
                    .resolve(&page_url, src)
                    .and_then(|url| request.resources.load(&url))
                {
                    Ok(loaded) => (loaded.name, loaded.text),
                    Err(error) => {
                        // As in a browser, a script that fails to load is skipped.
                        notes.push(format!("cannot load script {error}"));
                        continue;
                    }
                }
            }
            PageScript::Unsupported { reason } => {
                notes.push(format!("skipped a script: {reason}"));
                continue;
            }
        };
        outcome = runtime.eval_script(&text, &name).map(drop);
        if outcome.is_err() {
            break;
        }
    }
    if outcome.is_ok() {
        if let Err(error) = hooks.insert_body(&mut runtime, page.scripts.len()) {
            return markup_error(page, &error);
        }
        queue_load_event(&mut runtime, hooks.fire_load);
        outcome = runtime.run_event_loop();
    }

    let problems: Vec<Problem> = runtime.report().problems.clone();
    let collector = runtime.context().get_data::<Collector>().map(|collector| {
        (
            collector.completion.borrow_mut().take(),
            collector.subtests.take(),
        )
    });
    let (completion, streamed) = collector.unwrap_or_default();
    finish(
        page,
        completion,
        streamed,
        outcome,
        &problems,
        notes,
        request.harness_timeout(),
    )
}

/// Turns what the page did into its result.
fn finish(
    page: &Page,
    completion: Option<Completion>,
    streamed: Vec<SubtestResult>,
    outcome: Result<(), HostError>,
    problems: &[Problem],
    notes: Vec<String>,
    harness_timeout: Duration,
) -> FileResult {
    let note_text = (!notes.is_empty()).then(|| notes.join("; "));
    let mut result = FileResult {
        test: page.test_name(),
        status: FileStatus::Ok,
        message: None,
        subtests: Vec::new(),
        duration_ms: 0,
    };
    if let Some(completion) = completion {
        result.status = completion.status;
        result.message = completion.message;
        result.subtests = completion.subtests;
        return result;
    }
    result.subtests = streamed;
    let (status, message) = match outcome {
        Err(HostError::TimedOut(_)) => (
            FileStatus::Timeout,
            format!(
                "the harness did not complete within {} s",
                harness_timeout.as_secs_f64()
            ),
        ),
        Err(HostError::Engine(error)) => {
            (FileStatus::Crash, format!("the runtime stopped: {error}"))
        }
        Err(error) => (FileStatus::Crash, error.to_string()),
        Ok(()) => {
            let cause = note_text
                .clone()
                .or_else(|| problems.first().map(|p| first_line(p.text()).to_owned()));
            let message = match cause {
                Some(cause) => format!("the harness never completed ({cause})"),
                None => "the page went idle before the harness completed".to_owned(),
            };
            // With nothing left to run it would wait forever in a browser: a timeout.
            let status = if note_text.is_some() {
                FileStatus::Error
            } else {
                FileStatus::Timeout
            };
            (status, message)
        }
    };
    result.status = status;
    result.message = Some(message);
    result
}

fn first_line(text: &str) -> &str {
    let text = text.strip_prefix("Uncaught (in promise) ").unwrap_or(text);
    text.lines().next().unwrap_or_default()
}

fn crashed(page: &Page, message: String) -> FileResult {
    FileResult {
        test: page.test_name(),
        status: FileStatus::Crash,
        message: Some(message),
        subtests: Vec::new(),
        duration_ms: 0,
    }
}

/// A harness ERROR for body markup the page environment could not build.
fn markup_error(page: &Page, error: &boa_engine::JsError) -> FileResult {
    FileResult {
        test: page.test_name(),
        status: FileStatus::Error,
        message: Some(format!("cannot build the page's markup: {error}")),
        subtests: Vec::new(),
        duration_ms: 0,
    }
}

/// The page environment's parser hooks.
struct PageHooks {
    /// `insertBody(i)`: builds the body markup before script `i` (after the last one for
    /// `i == scripts.len()`).
    insert_body: JsValue,
    /// `fireLoadEvents(setReadyState)`.
    fire_load: JsValue,
}

impl PageHooks {
    fn insert_body(&self, runtime: &mut Runtime, index: usize) -> JsResult<()> {
        let ctx = runtime.context();
        let Some(insert) = self.insert_body.as_callable() else {
            return Ok(());
        };
        insert.call(&JsValue::undefined(), &[JsValue::from(index)], ctx)?;
        Ok(())
    }
}

/// Defines the report natives, `fetch`, and the page environment; returns its parser hooks.
fn install_environment(
    runtime: &mut Runtime,
    request: &PageRequest,
    page_url: &url::Url,
    on_event: Rc<dyn Fn(PageEvent)>,
) -> JsResult<PageHooks> {
    let stop = runtime.stop_handle();
    let ctx = runtime.context();
    ctx.insert_data(Collector {
        on_event,
        subtests: RefCell::default(),
        completion: RefCell::default(),
        stop,
    });
    let report = ObjectInitializer::new(ctx)
        .function(
            NativeFunction::from_fn_ptr(report_subtest),
            js_string!("result"),
            1,
        )
        .function(
            NativeFunction::from_fn_ptr(report_completion),
            js_string!("complete"),
            1,
        )
        .property(
            js_string!("timeoutMultiplier"),
            request.timeout_multiplier,
            Attribute::READONLY,
        )
        .build();
    ctx.register_global_property(
        js_string!("__emeWptReport"),
        report,
        Attribute::WRITABLE | Attribute::CONFIGURABLE,
    )?;

    // `fetch` as `eme run` has it, with the `Response.prototype.arrayBuffer()` boa_runtime lacks.
    eme_host::fetch::install_fetch(
        ctx,
        PageFetcher::new(request.resources.clone(), page_url.clone()),
    )?;
    // Media elements read `src` from the same files, relative to the page's URL.
    eme_html::install_media_loader(
        ctx,
        Rc::new(PageMediaLoader::new(
            request.resources.clone(),
            page_url.clone(),
        )),
    );

    let description = serde_json::json!({
        "url": page_url.as_str(),
        "title": request.page.title,
        "longTimeout": request.page.long_timeout,
        "scripts": request
            .page
            .scripts
            .iter()
            .filter_map(|script| match script {
                PageScript::External { src } => {
                    request.resources.resolve(page_url, src).ok().map(|url| url.to_string())
                }
                _ => None,
            })
            .collect::<Vec<_>>(),
        "body": request.page.body,
    });
    // The page's document (the runtime's native one) has the page's URL and is loading until
    // the load events.
    eme_html::set_url(ctx, page_url.as_str())?;
    eme_html::set_ready_state(ctx, eme_html::ReadyState::Loading)?;
    let source = format!("{PAGE_ENVIRONMENT}({description})");
    match runtime.eval_script(&source, "eme-wpt:page-environment.js") {
        Ok(Some(hooks)) if hooks.is_object() => {
            let ctx = runtime.context();
            let object = hooks.to_object(ctx)?;
            Ok(PageHooks {
                insert_body: object.get(js_string!("insertBody"), ctx)?,
                fire_load: object.get(js_string!("fireLoadEvents"), ctx)?,
            })
        }
        Ok(_) => Err(JsNativeError::error()
            .with_message(describe_problems(runtime))
            .into()),
        Err(error) => Err(JsNativeError::error()
            .with_message(error.to_string())
            .into()),
    }
}

fn describe_problems(runtime: &Runtime) -> String {
    runtime.report().problems.first().map_or_else(
        || "the page environment did not evaluate to its hooks".to_owned(),
        |p| p.text().to_owned(),
    )
}

/// HTML fires `load` in a task queued once the document is parsed and its scripts ran. The
/// page environment's hook gets the native "update the current document readiness".
fn queue_load_event(runtime: &mut Runtime, fire_load: JsValue) {
    let ctx = runtime.context();
    let realm = ctx.realm().clone();
    ctx.enqueue_job(
        GenericJob::new(
            move |ctx| {
                let set_ready_state = FunctionObjectBuilder::new(
                    ctx.realm(),
                    NativeFunction::from_fn_ptr(set_ready_state),
                )
                .name(js_string!("setReadyState"))
                .length(1)
                .build();
                fire_load
                    .as_callable()
                    .map_or(Ok(JsValue::undefined()), |f| {
                        f.call(&JsValue::undefined(), &[set_ready_state.into()], ctx)
                    })
            },
            realm,
        )
        .into(),
    );
}

/// `setReadyState("interactive" | "complete")`, for the page environment's load sequence.
fn set_ready_state(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let state = match args
        .first()
        .and_then(JsValue::as_string)
        .map(|s| s.to_std_string_escaped())
        .as_deref()
    {
        Some("loading") => eme_html::ReadyState::Loading,
        Some("interactive") => eme_html::ReadyState::Interactive,
        Some("complete") => eme_html::ReadyState::Complete,
        _ => {
            return Err(JsNativeError::typ()
                .with_message(
                    "setReadyState: expected \"loading\", \"interactive\" or \"complete\"",
                )
                .into());
        }
    };
    eme_html::set_ready_state(ctx, state)?;
    Ok(JsValue::undefined())
}

fn json_argument<T: for<'de> Deserialize<'de>>(args: &[JsValue], ctx: &mut Context) -> JsResult<T> {
    let text = args
        .first()
        .cloned()
        .unwrap_or_default()
        .to_string(ctx)?
        .to_std_string_escaped();
    serde_json::from_str(&text).map_err(|error| {
        JsNativeError::typ()
            .with_message(format!("malformed harness report: {error}"))
            .into()
    })
}

fn report_subtest(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let subtest: SubtestResult = json_argument(args, ctx)?;
    if let Some(collector) = ctx.get_data::<Collector>() {
        collector.subtests.borrow_mut().push(subtest.clone());
        (collector.on_event)(PageEvent::Subtest(subtest));
    }
    Ok(JsValue::undefined())
}

fn report_completion(_: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let completion: Completion = json_argument(args, ctx)?;
    if let Some(collector) = ctx.get_data::<Collector>() {
        collector.completion.borrow_mut().get_or_insert(completion);
        // The page may still hold timers and pending work: the test is over all the same.
        collector.stop.stop();
    }
    Ok(JsValue::undefined())
}
