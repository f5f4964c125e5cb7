//! The event loop: Boa's [`JobExecutor`] on a tokio current-thread runtime, in HTML order.
//!
//! <https://html.spec.whatwg.org/multipage/webappapis.html#event-loop-processing-model>
//!
//! One turn:
//! 1. run **one** task — the oldest of the queued [`GenericJob`]s and the due timers (a timer is
//!    "queued" at its deadline, so `setTimeout(f, 0)` and a task queued just after it run in
//!    that order);
//! 2. perform a microtask checkpoint: run [`PromiseJob`]s one at a time until none is left (so
//!    microtasks queued by microtasks join the same checkpoint), report the promises still
//!    rejected without a handler, `ClearKeptObjects`;
//! 3. poll the async jobs ([`NativeAsyncJob`], e.g. module loading) once; a completion is
//!    handled like a task and followed by a checkpoint;
//! 4. when nothing is runnable, sleep (tokio) until the earliest timer or timed source, an
//!    async job's wake-up, a newly queued job, or the run's deadline — never spinning;
//! 5. stop when no task, microtask, timer, scheduled timed source or async job remains.
//!
//! Timed sources ([`eme_dom::timed`]) are timers whose due time the source computes: when it
//! comes, the source is queued like a due timer (keyed by its due time) and runs as one task.
//!
//! **Virtual time** ([`ClockMode::Virtual`](crate::ClockMode)): in step 4, when no async job is
//! pending either, the loop does not sleep but moves the clock straight to the earliest due
//! time and goes on — a discrete-event simulation: `setTimeout(f, 5000)` runs at once in wall
//! time, `Date.now()` has advanced 5000 ms, and timers keep their order. While an async job is
//! pending (I/O that completes in real time, or a job awaiting a timer), the loop sleeps as in
//! real time and moves the clock to the due time when it wakes, so virtual time never outruns
//! outstanding work by more than wall time does. The run's deadline is always wall time.
//!
//! A task, timer, microtask or async job that throws is reported (see [`crate::report`]) and
//! the loop goes on. Engine errors (runtime limits) stop the run, as does the deadline.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::rc::Rc;
use std::time::{Duration, Instant};

use boa_engine::builtins::promise::PromiseState;
use boa_engine::context::time::JsInstant;
use boa_engine::job::{
    GenericJob, IntervalJob, Job, JobExecutor, NativeAsyncJob, PromiseJob, TimeoutJob,
};
use boa_engine::object::builtins::JsPromise;
use boa_engine::{Context, JsError, JsNativeError, JsResult, JsValue};
use futures::FutureExt;
use futures::stream::{FuturesUnordered, StreamExt};
use tokio::sync::Notify;

use eme_dom::timed::{DueSource, TimedSources};

use crate::clock::{self, HostClock};
use crate::hooks::RejectedPromises;
use crate::report::{self, Problem, ReportSink};

/// Why a run ended early.
#[derive(Debug)]
pub(crate) enum Stop {
    /// The runtime's deadline passed.
    TimedOut,
    /// An engine error (a runtime limit): not catchable by JS, so it ends the run.
    Engine(JsError),
}

impl Stop {
    fn into_js_error(self) -> JsError {
        match self {
            Self::Engine(error) => error,
            Self::TimedOut => JsNativeError::error()
                .with_message("the event loop ran past its deadline")
                .into(),
        }
    }
}

/// How often a busy loop yields to tokio so that its time and I/O drivers make progress.
const DRIVER_INTERVAL: Duration = Duration::from_millis(1);

/// Orders tasks and timers: when they became runnable, then the order they were queued in.
type Key = (JsInstant, u64);

/// Ahead of every other key (sequence numbers of [`EventLoop::key`] start at 1), even of a
/// timer due at the time origin — which virtual time can still be when the task is queued.
fn first_key() -> Key {
    (JsInstant::new(0, 0), 0)
}

#[derive(Debug)]
enum Timer {
    Timeout(TimeoutJob),
    Interval(IntervalJob),
    /// A timed source whose due time came.
    Source(DueSource),
}

impl Timer {
    fn cancelled(&self) -> bool {
        match self {
            Self::Timeout(job) => job.cancelled(),
            Self::Interval(job) => job.cancelled(),
            Self::Source(source) => source.cancelled(),
        }
    }
}

#[derive(Debug)]
enum Task {
    Generic(GenericJob),
    Timer(Timer),
}

/// The runtime's job executor. It lives in the [`Context`] (as its `JobExecutor`) and in the
/// [`Runtime`](crate::Runtime), which drives [`EventLoop::run`].
#[derive(Debug)]
pub(crate) struct EventLoop {
    microtasks: RefCell<VecDeque<PromiseJob>>,
    tasks: RefCell<VecDeque<(Key, GenericJob)>>,
    timers: RefCell<BTreeMap<Key, Timer>>,
    next_seq: Cell<u64>,
    /// Async jobs queued since the running loop last picked them up.
    new_async_jobs: RefCell<Vec<NativeAsyncJob>>,
    /// `FinalizationRegistry` cleanup jobs: polled, but they never keep the loop alive.
    new_cleanup_jobs: RefCell<Vec<NativeAsyncJob>>,
    /// Wakes a sleeping loop when a job is queued from inside an async job's poll.
    enqueued: Notify,
    performing_checkpoint: Cell<bool>,
    rejected: Rc<RejectedPromises>,
    sink: Rc<ReportSink>,
    deadline: Cell<Option<Instant>>,
    /// Set by a [`StopHandle`]: the running loop returns after the current task.
    stop_requested: Rc<Cell<bool>>,
    /// The context's clock; the loop moves it in virtual mode.
    clock: Rc<HostClock>,
    /// The context's timed sources (also in its host data, where `eme_dom::timed` finds them).
    sources: Rc<TimedSources>,
}

/// Ends a running [`Runtime::run_event_loop`](crate::Runtime::run_event_loop) early, from
/// inside the loop (a native function called by a script): the loop returns once the current
/// task and its microtask checkpoint are done, leaving queued work in place. Each request
/// stops one run.
#[derive(Debug, Clone)]
pub struct StopHandle(Rc<Cell<bool>>);

impl StopHandle {
    /// Asks the loop to return after the current task.
    pub fn stop(&self) {
        self.0.set(true);
    }
}

impl EventLoop {
    pub(crate) fn new(
        rejected: Rc<RejectedPromises>,
        sink: Rc<ReportSink>,
        clock: Rc<HostClock>,
        sources: Rc<TimedSources>,
    ) -> Self {
        Self {
            microtasks: RefCell::default(),
            tasks: RefCell::default(),
            timers: RefCell::default(),
            next_seq: Cell::new(1),
            new_async_jobs: RefCell::default(),
            new_cleanup_jobs: RefCell::default(),
            enqueued: Notify::new(),
            performing_checkpoint: Cell::new(false),
            rejected,
            sink,
            deadline: Cell::new(None),
            stop_requested: Rc::default(),
            clock,
            sources,
        }
    }

    pub(crate) fn stop_handle(&self) -> StopHandle {
        StopHandle(self.stop_requested.clone())
    }

    pub(crate) fn set_deadline(&self, deadline: Option<Instant>) {
        self.deadline.set(deadline);
    }

    /// Drops every queued job (used when the runtime is dropped, while the context still exists).
    pub(crate) fn clear(&self) {
        self.microtasks.borrow_mut().clear();
        self.tasks.borrow_mut().clear();
        self.timers.borrow_mut().clear();
        self.new_async_jobs.borrow_mut().clear();
        self.new_cleanup_jobs.borrow_mut().clear();
        self.sources.clear();
    }

    fn key(&self, runnable_at: JsInstant) -> Key {
        let seq = self.next_seq.get();
        self.next_seq.set(seq + 1);
        (runnable_at, seq)
    }

    fn check_deadline(&self) -> Result<(), Stop> {
        match self.deadline.get() {
            Some(deadline) if Instant::now() >= deadline => Err(Stop::TimedOut),
            _ => Ok(()),
        }
    }

    /// The oldest runnable task: the front of the task queue or the earliest due timer (timed
    /// sources that fell due join the timers first). Cancelled timers are dropped on the way.
    fn next_task(&self, now: JsInstant) -> Option<Task> {
        for source in self.sources.take_due(now) {
            let key = self.key(source.due());
            self.timers.borrow_mut().insert(key, Timer::Source(source));
        }
        let mut timers = self.timers.borrow_mut();
        timers.retain(|_, timer| !timer.cancelled());
        let due_timer = timers
            .first_key_value()
            .map(|(key, _)| *key)
            .filter(|key| key.0 <= now);
        let mut tasks = self.tasks.borrow_mut();
        let queued_task = tasks.front().map(|(key, _)| *key);
        match (queued_task, due_timer) {
            (Some(task), Some(timer)) if timer < task => timers.remove(&timer).map(Task::Timer),
            (Some(_), _) => tasks.pop_front().map(|(_, job)| Task::Generic(job)),
            (None, Some(timer)) => timers.remove(&timer).map(Task::Timer),
            (None, None) => None,
        }
    }

    fn run_task(&self, task: Task, ctx: &mut Context) -> Result<(), Stop> {
        let result = match task {
            Task::Generic(job) => job.call(ctx),
            Task::Timer(Timer::Timeout(job)) => job.call(ctx),
            Task::Timer(Timer::Interval(job)) => {
                let result = job.call(ctx);
                // HTML re-runs the timer initialization steps after the callback; a callback
                // that cleared its own interval cancelled the token.
                if !job.cancelled() {
                    let key = self.key(ctx.clock().now() + job.interval());
                    self.timers.borrow_mut().insert(key, Timer::Interval(job));
                }
                result
            }
            Task::Timer(Timer::Source(source)) => {
                let now = ctx.clock().now();
                source.run(now, ctx).map(|()| JsValue::undefined())
            }
        };
        report_unless_engine(result, ctx).map_err(Stop::Engine)
    }

    /// HTML's "perform a microtask checkpoint". Returns an engine error, if one stopped it.
    pub(crate) fn perform_microtask_checkpoint(&self, ctx: &mut Context) -> JsResult<()> {
        // 1. If the event loop's performing a microtask checkpoint is true, then return.
        if self.performing_checkpoint.replace(true) {
            return Ok(());
        }
        // 2-3. While the microtask queue is not empty: dequeue the oldest microtask, run it.
        let result = loop {
            let Some(job) = self.microtasks.borrow_mut().pop_front() else {
                break Ok(());
            };
            if let Err(error) = report_unless_engine(job.call(ctx), ctx) {
                break Err(error);
            }
        };
        // 4. For each environment settings object, notify about rejected promises.
        if result.is_ok() {
            self.notify_about_rejected_promises(ctx);
        }
        // 6. Cleanup Indexed Database transactions (none). 7. Perform ClearKeptObjects().
        ctx.clear_kept_objects();
        // 8. Set the event loop's performing a microtask checkpoint to false.
        self.performing_checkpoint.set(false);
        result
    }

    /// <https://html.spec.whatwg.org/multipage/webappapis.html#notify-about-rejected-promises>
    fn notify_about_rejected_promises(&self, ctx: &mut Context) {
        // 2. Let list be a clone of the about-to-be-notified rejected promises; 3. if it is
        //    empty, return; 4. clear it.
        let list = self.rejected.take();
        if list.is_empty() {
            return;
        }
        self.rejected.start_notifying(list.clone());
        // 5. Queue a global task to fire `unhandledrejection` for each promise still unhandled.
        let rejected = self.rejected.clone();
        let sink = self.sink.clone();
        let realm = ctx.realm().clone();
        let task = GenericJob::new(
            move |ctx| {
                for promise in list {
                    // 5.1.1. If p.[[PromiseIsHandled]] is true, continue.
                    if !rejected.finish_notifying(&promise) {
                        continue;
                    }
                    let Ok(promise) = JsPromise::from_object(promise.upcast()) else {
                        continue;
                    };
                    let PromiseState::Rejected(reason) = promise.state() else {
                        continue;
                    };
                    // 5.1.2. Let notCanceled be the result of firing `unhandledrejection` at the
                    //        global (cancelable, with promise and reason).
                    // 5.1.3. If notCanceled is true, report the rejection (the console's job).
                    if rejection_event_not_canceled(&promise, &reason, ctx)? {
                        let text = report::uncaught_in_promise(&reason, ctx);
                        sink.push(Problem::UnhandledRejection(text));
                    }
                }
                Ok(JsValue::undefined())
            },
            realm,
        );
        // Browsers report a rejection left unhandled by a checkpoint before any timer that
        // falls due meanwhile gets to handle it: this task goes ahead of every timer.
        self.tasks.borrow_mut().push_back((first_key(), task));
    }

    fn is_idle(&self) -> bool {
        self.microtasks.borrow().is_empty()
            && self.tasks.borrow().is_empty()
            && self.next_due().is_none()
            && self.new_async_jobs.borrow().is_empty()
    }

    /// Whether a task or microtask can run now, or an async job waits to be started.
    fn has_runnable_work(&self) -> bool {
        !self.microtasks.borrow().is_empty()
            || !self.tasks.borrow().is_empty()
            || !self.new_async_jobs.borrow().is_empty()
    }

    /// The earliest time a timer or timed source is due (cancelled timers are dropped first,
    /// so a cleared timer neither keeps the loop alive nor moves virtual time).
    fn next_due(&self) -> Option<JsInstant> {
        let timer = {
            let mut timers = self.timers.borrow_mut();
            timers.retain(|_, timer| !timer.cancelled());
            timers.first_key_value().map(|((at, _), _)| *at)
        };
        let source = self.sources.earliest_due();
        match (timer, source) {
            (Some(timer), Some(source)) => Some(timer.min(source)),
            (timer, source) => timer.or(source),
        }
    }

    /// When to wake up when nothing is runnable: at `due` (the earliest timer or timed source,
    /// converted to wall time) or the deadline, whichever comes first.
    fn wake_time(&self, due: Option<JsInstant>) -> Option<tokio::time::Instant> {
        let due = due.map(|at| {
            let wait = clock::duration_of(at).saturating_sub(self.clock.elapsed());
            tokio::time::Instant::now() + wait
        });
        let deadline = self.deadline.get().map(tokio::time::Instant::from_std);
        match (due, deadline) {
            (Some(due), Some(deadline)) => Some(due.min(deadline)),
            (due, deadline) => due.or(deadline),
        }
    }

    /// Runs the loop until it is idle, the deadline passes or an engine error happens.
    /// Must run inside a tokio runtime with time enabled (the [`Runtime`](crate::Runtime) does).
    pub(crate) async fn run(&self, ctx: &RefCell<&mut Context>) -> Result<(), Stop> {
        let mut jobs = FuturesUnordered::new();
        let mut cleanups = FuturesUnordered::new();
        let mut last_yield = Instant::now();
        loop {
            if self.stop_requested.replace(false) {
                return Ok(());
            }
            self.check_deadline()?;
            for job in self.new_async_jobs.take() {
                jobs.push(job.call(ctx));
            }
            for job in self.new_cleanup_jobs.take() {
                cleanups.push(job.call(ctx));
            }
            self.perform_microtask_checkpoint(&mut ctx.borrow_mut())
                .map_err(Stop::Engine)?;

            // One task, then its microtask checkpoint.
            let now = ctx.borrow().clock().now();
            let ran_task = match self.next_task(now) {
                Some(task) => {
                    let ctx = &mut *ctx.borrow_mut();
                    self.run_task(task, ctx)?;
                    self.perform_microtask_checkpoint(ctx)
                        .map_err(Stop::Engine)?;
                    true
                }
                None => false,
            };

            // Give the async jobs a chance even while tasks keep coming.
            let mut finished_job = false;
            if !jobs.is_empty()
                && let Some(Some(result)) = jobs.next().now_or_never()
            {
                report_unless_engine(result, &mut ctx.borrow_mut()).map_err(Stop::Engine)?;
                finished_job = true;
            }
            if !cleanups.is_empty()
                && let Some(Some(result)) = cleanups.next().now_or_never()
            {
                report_unless_engine(result, &mut ctx.borrow_mut()).map_err(Stop::Engine)?;
            }
            if ran_task || finished_job {
                // While tasks keep coming the loop never sleeps; let tokio's driver fire the
                // timers and I/O that async jobs wait on (at most once a millisecond).
                if last_yield.elapsed() >= DRIVER_INTERVAL {
                    tokio::task::yield_now().await;
                    last_yield = Instant::now();
                }
                continue;
            }

            if self.is_idle() && jobs.is_empty() {
                return Ok(());
            }

            let due = self.next_due();
            if self.clock.is_virtual()
                && jobs.is_empty()
                && cleanups.is_empty()
                && !self.has_runnable_work()
                && let Some(due) = due
            {
                // Nothing can happen before the next due time: jump there.
                self.clock.advance_to(due);
                continue;
            }

            let wake_at = self.wake_time(due);
            tokio::select! {
                biased;
                () = self.enqueued.notified() => {}
                Some(result) = jobs.next(), if !jobs.is_empty() => {
                    report_unless_engine(result, &mut ctx.borrow_mut()).map_err(Stop::Engine)?;
                }
                Some(result) = cleanups.next(), if !cleanups.is_empty() => {
                    report_unless_engine(result, &mut ctx.borrow_mut()).map_err(Stop::Engine)?;
                }
                () = sleep_until(wake_at) => {
                    // Virtual time waited in real time for pending async work: catch up.
                    if let Some(due) = due {
                        self.clock.advance_to(due);
                    }
                }
            }
        }
    }
}

/// Fires `unhandledrejection` at the global (when it is an EventTarget); true unless a
/// listener canceled it.
fn rejection_event_not_canceled(
    promise: &JsPromise,
    reason: &JsValue,
    ctx: &mut Context,
) -> JsResult<bool> {
    let global = ctx.global_object();
    if eme_dom::event_target::EventTarget::of(&global, ctx).is_none() {
        return Ok(true);
    }
    let event = eme_dom::promise_rejection_event::create_unhandled_rejection(
        promise.clone().into(),
        reason.clone(),
        ctx,
    )?;
    eme_dom::event_target::fire_event(&global, &event, ctx)
}

async fn sleep_until(at: Option<tokio::time::Instant>) {
    match at {
        Some(at) => tokio::time::sleep_until(at).await,
        None => std::future::pending().await,
    }
}

/// Reports a script error (HTML "report an exception") and swallows it; hands back an
/// engine error, which must stop the run.
fn report_unless_engine(result: JsResult<JsValue>, ctx: &mut Context) -> JsResult<()> {
    match result {
        Ok(_) => Ok(()),
        Err(error) if error.as_engine().is_some() => Err(error),
        Err(error) => {
            eme_dom::report::report_exception(&error, ctx);
            Ok(())
        }
    }
}

impl JobExecutor for EventLoop {
    fn enqueue_job(self: Rc<Self>, job: Job, ctx: &mut Context) {
        match job {
            Job::PromiseJob(job) => self.microtasks.borrow_mut().push_back(job),
            Job::GenericJob(job) => {
                let key = self.key(ctx.clock().now());
                self.tasks.borrow_mut().push_back((key, job));
            }
            Job::TimeoutJob(job) => {
                let key = self.key(ctx.clock().now() + job.timeout());
                self.timers.borrow_mut().insert(key, Timer::Timeout(job));
            }
            Job::IntervalJob(job) => {
                let key = self.key(ctx.clock().now() + job.interval());
                self.timers.borrow_mut().insert(key, Timer::Interval(job));
            }
            Job::AsyncJob(job) => self.new_async_jobs.borrow_mut().push(job),
            Job::FinalizationRegistryCleanupJob(job) => {
                self.new_cleanup_jobs.borrow_mut().push(job);
            }
            // `Job` is non-exhaustive: a kind added by a newer Boa cannot be run by this loop.
            other => self.sink.push(Problem::UncaughtError(format!(
                "Uncaught InternalError: the event loop cannot run {other:?}"
            ))),
        }
        self.enqueued.notify_one();
    }

    /// What `Context::run_jobs` (and `JsPromise::await_blocking`) call, possibly from inside a
    /// native function: it must not build or enter a tokio runtime, so it only drains
    /// microtasks and the tasks and timers that are already due, then returns.
    fn run_jobs(self: Rc<Self>, ctx: &mut Context) -> JsResult<()> {
        loop {
            self.perform_microtask_checkpoint(ctx)?;
            let now = ctx.clock().now();
            let Some(task) = self.next_task(now) else {
                return Ok(());
            };
            self.run_task(task, ctx).map_err(Stop::into_js_error)?;
        }
    }

    /// The full loop; needs a tokio runtime with time enabled around it.
    async fn run_jobs_async(self: Rc<Self>, ctx: &RefCell<&mut Context>) -> JsResult<()>
    where
        Self: Sized,
    {
        self.run(ctx).await.map_err(Stop::into_js_error)
    }
}
