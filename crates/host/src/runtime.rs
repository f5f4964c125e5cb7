//! [`RuntimeBuilder`] and [`Runtime`]: one JS global, its event loop, and what went wrong.

use std::cell::RefCell;
use std::future::Future;
use std::path::{Path, PathBuf};
use std::pin::pin;
use std::rc::Rc;
use std::task::Poll;
use std::time::{Duration, Instant};

use boa_engine::{Context, JsError, JsValue, Script, Source};

use crate::clock::{ClockMode, HostClock};
use crate::event_loop::{EventLoop, Stop, StopHandle};
use crate::fetch::LocalFileFetcher;
use crate::globals::{self, Setup};
use crate::hooks::{Hooks, RejectedPromises};
use crate::report::{self, Problem, ReportSink, RunReport};

/// How many VM cost units a top-level script runs between checks of the deadline.
const SCRIPT_BUDGET: u32 = 20_000;

/// Why a [`Runtime`] call failed. Script errors are not failures of the call: they are
/// reported (see [`Runtime::report`]) and the run goes on.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A script file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Read {
        /// The path given to [`Runtime::run_file`].
        path: PathBuf,
        /// The I/O error; a file that is not UTF-8 is reported as `InvalidData`.
        #[source]
        source: std::io::Error,
    },
    /// The run's deadline ([`RuntimeBuilder::timeout`]) passed.
    #[error("timed out after {} s", .0.as_secs_f64())]
    TimedOut(Duration),
    /// An engine error (a runtime limit such as the recursion limit) stopped the run. It is
    /// also in the report, with its stack.
    #[error("run stopped: {0}")]
    Engine(String),
    /// A top-level script was interrupted by the timeout, which leaves the context in an
    /// unknown state; the runtime refuses to run more JavaScript.
    #[error("the runtime was interrupted by a timeout and cannot run more JavaScript")]
    Poisoned,
}

/// Configures a [`Runtime`].
#[derive(Debug, Clone, Default)]
pub struct RuntimeBuilder {
    quiet: bool,
    timeout: Option<Duration>,
    eme_options: eme::EmeOptions,
    silent_errors: bool,
    clock_mode: ClockMode,
    fetcher: Option<LocalFileFetcher>,
    location: Option<url::Url>,
}

impl RuntimeBuilder {
    /// Defaults: console output on, no timeout, default EME options, problems printed on stderr.
    pub fn new() -> Self {
        Self::default()
    }

    /// `true` silences `console.*` output (reported problems are still printed on stderr,
    /// unless [`print_problems`](Self::print_problems) turns that off).
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// Stops the run with [`Error::TimedOut`] once `timeout` has passed since the first script
    /// or event-loop call. Checked between tasks, while the loop sleeps, and while a top-level
    /// script runs. JavaScript running inside a callback (a timer, a listener, a microtask)
    /// cannot be interrupted in-process: a host that must bound it needs a watchdog (the `eme`
    /// CLI exits the process).
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// What the EME surface offers.
    pub fn eme_options(mut self, options: eme::EmeOptions) -> Self {
        self.eme_options = options;
        self
    }

    /// Whether reported problems are also printed on stderr as they happen (default `true`).
    /// They are always collected in [`Runtime::report`].
    pub fn print_problems(mut self, print: bool) -> Self {
        self.silent_errors = !print;
        self
    }

    /// Real (the default) or virtual time for the runtime's one clock (`Date`,
    /// `performance.now()`, timers, timed sources); see [`ClockMode`].
    pub fn clock_mode(mut self, mode: ClockMode) -> Self {
        self.clock_mode = mode;
        self
    }

    /// `true` selects [`ClockMode::Virtual`], `false` [`ClockMode::Real`].
    pub fn virtual_time(self, virtual_time: bool) -> Self {
        self.clock_mode(if virtual_time {
            ClockMode::Virtual
        } else {
            ClockMode::Real
        })
    }

    /// Offers `fetch()` (with `Request`, `Response`, `Headers`) answered from local files by
    /// `fetcher`. Without it there is no `fetch`.
    pub fn fetcher(mut self, fetcher: LocalFileFetcher) -> Self {
        self.fetcher = Some(fetcher);
        self
    }

    /// Defines the global `location` (a `URL` object for `url`), unless something defined
    /// `location` already.
    pub fn location(mut self, url: url::Url) -> Self {
        self.location = Some(url);
        self
    }

    /// Creates the context with every global and the event loop.
    ///
    /// # Panics
    /// If a global cannot be registered (a bug, not a runtime condition) or the tokio runtime
    /// cannot be created (out of OS resources).
    pub fn build(self) -> Runtime {
        let sink = ReportSink::new(!self.silent_errors);
        let rejected = Rc::new(RejectedPromises::default());
        let clock = Rc::new(HostClock::new(self.clock_mode));
        let sources = Rc::new(eme_dom::timed::TimedSources::default());
        let event_loop = Rc::new(EventLoop::new(
            rejected.clone(),
            sink.clone(),
            clock.clone(),
            sources.clone(),
        ));
        let context = globals::create_context(Setup {
            quiet: self.quiet,
            eme_options: self.eme_options,
            event_loop: event_loop.clone(),
            hooks: Rc::new(Hooks {
                rejected: rejected.clone(),
            }),
            sink: sink.clone(),
            clock: clock.clone(),
            sources,
            fetcher: self.fetcher,
            location: self.location,
        })
        .unwrap_or_else(|error| panic!("registering the runtime's globals failed: {error}"));
        let tokio = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("cannot create the tokio runtime");
        Runtime {
            context,
            clock,
            event_loop,
            rejected,
            sink,
            tokio,
            local: tokio::task::LocalSet::new(),
            report: RunReport::default(),
            timeout: self.timeout,
            deadline: None,
            poisoned: false,
        }
    }
}

/// A JavaScript global with the web and EME APIs, run on an HTML-ordered event loop.
///
/// Typical use: [`eval_script`](Self::eval_script) / [`run_file`](Self::run_file) for each
/// classic script (each followed by a microtask checkpoint), then
/// [`run_event_loop`](Self::run_event_loop), then [`report`](Self::report).
///
/// The runtime drives its own tokio current-thread runtime: do not call it from inside
/// another tokio runtime's `block_on`.
///
/// **Timeouts poison the runtime**: when the timeout interrupts a top-level script, Boa leaves a
/// VM frame behind, so every later call returns [`Error::Poisoned`]; create a new runtime.
pub struct Runtime {
    context: Context,
    clock: Rc<HostClock>,
    event_loop: Rc<EventLoop>,
    rejected: Rc<RejectedPromises>,
    sink: Rc<ReportSink>,
    tokio: tokio::runtime::Runtime,
    local: tokio::task::LocalSet,
    report: RunReport,
    timeout: Option<Duration>,
    deadline: Option<Instant>,
    poisoned: bool,
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Runtime")
            .field("report", &self.report)
            .field("timeout", &self.timeout)
            .field("poisoned", &self.poisoned)
            .finish_non_exhaustive()
    }
}

impl Default for Runtime {
    fn default() -> Self {
        RuntimeBuilder::new().build()
    }
}

impl Runtime {
    /// Shorthand for [`RuntimeBuilder::new`].
    pub fn builder() -> RuntimeBuilder {
        RuntimeBuilder::new()
    }

    /// The Boa context, to register more globals or inspect results. Problems reported while
    /// the caller uses it directly show up in [`report`](Self::report) after the next
    /// `Runtime` call.
    pub fn context(&mut self) -> &mut Context {
        &mut self.context
    }

    /// The runtime's clock (the one the context, `performance` and the event loop read): its
    /// mode, the time since the origin, and in virtual mode a way to move it.
    pub fn clock(&self) -> Rc<HostClock> {
        self.clock.clone()
    }

    /// A handle that ends a running [`run_event_loop`](Self::run_event_loop) after the current
    /// task, for embedders whose scripts signal "finished" before the loop is idle (a test
    /// harness completing while the page still has timers).
    pub fn stop_handle(&self) -> StopHandle {
        self.event_loop.stop_handle()
    }

    /// Everything reported so far: uncaught errors and unhandled rejections, formatted.
    pub fn report(&self) -> &RunReport {
        &self.report
    }

    /// Runs `source` as a classic (sloppy-mode) script named `name` in stack traces and
    /// error locations, then performs a microtask checkpoint (HTML "clean up after running
    /// script").
    ///
    /// A script that throws, or does not parse, is reported and `Ok(None)` is returned, so
    /// the next script can still run; `Ok(Some(value))` is its completion value.
    ///
    /// # Errors
    /// [`Error::TimedOut`] (and the runtime is poisoned if the script itself was interrupted),
    /// [`Error::Engine`], [`Error::Poisoned`].
    pub fn eval_script(&mut self, source: &str, name: &str) -> Result<Option<JsValue>, Error> {
        let outcome = self.eval_script_inner(source, name);
        self.collect_report();
        outcome
    }

    fn eval_script_inner(&mut self, source: &str, name: &str) -> Result<Option<JsValue>, Error> {
        self.start_run()?;
        let parsed = Script::parse(
            Source::from_bytes(source).with_path(Path::new(name)),
            None,
            &mut self.context,
        );
        let value = match parsed {
            Err(error) => {
                let text = report::uncaught_syntax_error(&error, name, source);
                self.sink.push(Problem::UncaughtError(text));
                None
            }
            Ok(script) => match self.evaluate(&script)? {
                Ok(value) => Some(value),
                Err(error) if error.as_engine().is_some() => return Err(self.engine_error(&error)),
                Err(error) => {
                    eme_dom::report::report_exception(&error, &mut self.context);
                    None
                }
            },
        };
        if let Err(error) = self
            .event_loop
            .perform_microtask_checkpoint(&mut self.context)
        {
            return Err(self.engine_error(&error));
        }
        Ok(value)
    }

    /// Reads `path` and runs it like [`eval_script`](Self::eval_script), named by its path.
    ///
    /// # Errors
    /// [`Error::Read`], and those of `eval_script`.
    pub fn run_file(&mut self, path: impl AsRef<Path>) -> Result<Option<JsValue>, Error> {
        let path = path.as_ref();
        let source = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
        self.eval_script(&source, &path.display().to_string())
    }

    /// Runs tasks, timers, microtasks and async jobs until none is left.
    ///
    /// # Errors
    /// [`Error::TimedOut`], [`Error::Engine`], [`Error::Poisoned`].
    pub fn run_event_loop(&mut self) -> Result<(), Error> {
        let outcome = self.run_event_loop_inner();
        self.collect_report();
        outcome
    }

    fn run_event_loop_inner(&mut self) -> Result<(), Error> {
        self.start_run()?;
        let outcome = {
            let Self {
                context,
                event_loop,
                tokio,
                local,
                ..
            } = self;
            let context = RefCell::new(context);
            local.block_on(tokio, event_loop.run(&context))
        };
        match outcome {
            Ok(()) => Ok(()),
            Err(Stop::TimedOut) => Err(self.timed_out()),
            Err(Stop::Engine(error)) => Err(self.engine_error(&error)),
        }
    }

    /// Refuses a poisoned runtime, starts the timeout clock on first use, checks the deadline.
    fn start_run(&mut self) -> Result<(), Error> {
        if self.poisoned {
            return Err(Error::Poisoned);
        }
        if self.deadline.is_none()
            && let Some(timeout) = self.timeout
        {
            // A timeout too large to represent is no timeout.
            self.deadline = Instant::now().checked_add(timeout);
            self.event_loop.set_deadline(self.deadline);
        }
        match self.deadline {
            Some(deadline) if Instant::now() >= deadline => Err(self.timed_out()),
            _ => Ok(()),
        }
    }

    /// Evaluates a parsed script; with a deadline, in budgeted slices raced against it.
    fn evaluate(&mut self, script: &Script) -> Result<Result<JsValue, JsError>, Error> {
        let Some(deadline) = self.deadline else {
            return Ok(script.evaluate(&mut self.context));
        };
        let outcome = {
            let Self {
                context,
                tokio,
                local,
                ..
            } = self;
            let mut evaluation = pin!(script.evaluate_async_with_budget(context, SCRIPT_BUDGET));
            // The evaluation yields every SCRIPT_BUDGET units and wakes itself at once.
            local.block_on(
                tokio,
                std::future::poll_fn(|cx| match evaluation.as_mut().poll(cx) {
                    Poll::Ready(result) => Poll::Ready(Some(result)),
                    Poll::Pending if Instant::now() >= deadline => Poll::Ready(None),
                    Poll::Pending => Poll::Pending,
                }),
            )
        };
        match outcome {
            Some(result) => Ok(result),
            None => {
                // Dropping a budgeted evaluation mid-way leaks its VM frame in Boa 0.22 (the
                // context still evaluates, but its stack is off by a frame): never reuse it.
                self.poisoned = true;
                Err(self.timed_out())
            }
        }
    }

    fn timed_out(&self) -> Error {
        Error::TimedOut(self.timeout.unwrap_or_default())
    }

    /// Reports an engine error like any uncaught error and turns it into [`Error::Engine`].
    fn engine_error(&mut self, error: &JsError) -> Error {
        let text = report::uncaught(error, &mut self.context);
        let summary = text
            .strip_prefix("Uncaught ")
            .unwrap_or(&text)
            .lines()
            .next()
            .unwrap_or_default()
            .to_owned();
        self.sink.push(Problem::UncaughtError(text));
        Error::Engine(summary)
    }

    fn collect_report(&mut self) {
        self.report.problems.extend(self.sink.take());
    }
}

impl Drop for Runtime {
    fn drop(&mut self) {
        // Drop queued jobs (and the JS values they hold) while the context still exists.
        self.event_loop.clear();
        self.rejected.clear();
    }
}
