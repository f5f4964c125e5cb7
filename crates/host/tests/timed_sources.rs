//! Timed sources registered from Rust run at their due time, as tasks among the timers, in
//! virtual and real time; they re-arm, cancel, and stop rooting what they hold once done.

mod common;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::time::{Duration, Instant};

use boa_engine::context::time::{JsDuration, JsInstant};
use boa_engine::object::builtins::JsFunction;
use boa_engine::{Context, JsResult, JsValue, Source, js_string};
use common::json;
use eme_host::timed::{self, TimedSource};
use eme_host::{ClockMode, Runtime, RuntimeBuilder};

fn runtime_in(mode: ClockMode) -> Runtime {
    RuntimeBuilder::new()
        .quiet(true)
        .print_problems(false)
        .clock_mode(mode)
        .build()
}

/// Runs every `period` from its first due time, `remaining` times; each run calls the JS
/// function `callback` with the milliseconds since the clock's origin.
struct Ticker {
    due: Cell<Option<JsInstant>>,
    period: JsDuration,
    remaining: Cell<u32>,
    callback: JsFunction,
}

impl TimedSource for Ticker {
    fn next_due(&self) -> Option<JsInstant> {
        self.due.get()
    }

    fn run_due(&self, now: JsInstant, ctx: &mut Context) -> JsResult<()> {
        let left = self.remaining.get() - 1;
        self.remaining.set(left);
        // Re-arm from inside the run, or report that nothing is scheduled any more.
        self.due.set((left > 0).then(|| now + self.period));
        #[expect(clippy::cast_precision_loss, reason = "test times are small")]
        let ms = now.nanos_since_epoch() as f64 / 1e6;
        self.callback
            .call(&JsValue::undefined(), &[JsValue::from(ms)], ctx)?;
        Ok(())
    }
}

fn ticker(rt: &mut Runtime, first_in_ms: u64, period_ms: u64, runs: u32) -> Rc<Ticker> {
    let callback = rt
        .context()
        .eval(Source::from_bytes("(ms => log.push('tick@' + ms))"))
        .expect("callback");
    let callback = JsFunction::from_object(callback.as_object().expect("object")).expect("fn");
    let now = rt.context().clock().now();
    Rc::new(Ticker {
        due: Cell::new(Some(now + JsDuration::from_millis(first_in_ms))),
        period: JsDuration::from_millis(period_ms),
        remaining: Cell::new(runs),
        callback,
    })
}

#[test]
fn a_source_runs_at_its_due_times_among_timers_in_virtual_time() {
    let mut rt = runtime_in(ClockMode::Virtual);
    rt.eval_script(
        "var log = []; setTimeout(() => log.push('timer@' + performance.now()), 1500);
         setTimeout(() => log.push('timer@' + performance.now()), 2000);",
        "setup.js",
    )
    .unwrap();
    let source = ticker(&mut rt, 1000, 1000, 3);
    let handle = timed::register(rt.context(), source.clone());
    assert!(handle.is_registered());
    let started = Instant::now();
    rt.run_event_loop().unwrap();
    assert!(started.elapsed() < Duration::from_secs(2));
    // The timer set for 2000 was queued before the source fell due at 2000: it runs first.
    assert_eq!(
        json(&mut rt, "log"),
        r#"["tick@1000","timer@1500","timer@2000","tick@2000","tick@3000"]"#
    );
    assert!(
        !handle.is_registered(),
        "a source with nothing scheduled is dropped"
    );
    assert_eq!(Rc::strong_count(&source), 1, "the registry let go of it");
    assert!(rt.report().is_clean(), "{:?}", rt.report());
}

#[test]
fn a_source_runs_at_its_due_time_in_real_time() {
    let mut rt = runtime_in(ClockMode::Real);
    rt.eval_script("var log = [];", "setup.js").unwrap();
    let source = ticker(&mut rt, 100, 50, 2);
    timed::register(rt.context(), source);
    let started = Instant::now();
    rt.run_event_loop().unwrap();
    assert!(started.elapsed() >= Duration::from_millis(145));
    let ticks: Vec<f64> = json(&mut rt, "log.map(t => +t.slice(5))")
        .trim_matches(['[', ']'])
        .split(',')
        .map(|t| t.parse().unwrap())
        .collect();
    assert_eq!(ticks.len(), 2);
    assert!(
        ticks[0] >= 100.0 && ticks[1] >= ticks[0] + 50.0,
        "{ticks:?}"
    );
}

#[test]
fn registering_again_is_one_registration_and_cancel_stops_a_waiting_source() {
    let mut rt = runtime_in(ClockMode::Virtual);
    rt.eval_script("var log = [];", "setup.js").unwrap();
    let source = ticker(&mut rt, 500, 100, 5);
    let first = timed::register(rt.context(), source.clone());
    let second = timed::register(rt.context(), source.clone());
    assert_eq!(timed::sources(rt.context()).len(), 1);
    second.cancel();
    assert!(!first.is_registered());
    rt.run_event_loop().unwrap();
    assert_eq!(json(&mut rt, "log"), "[]");
    assert_eq!(rt.clock().elapsed(), Duration::ZERO, "nothing to jump to");
}

/// Cancels itself from a JS timer through a handle the test stores in a global function.
#[test]
fn a_source_cancelled_by_a_task_before_its_due_time_never_runs() {
    let mut rt = runtime_in(ClockMode::Virtual);
    rt.eval_script("var log = [];", "setup.js").unwrap();
    let source = ticker(&mut rt, 1000, 100, 1);
    let handle = timed::register(rt.context(), source);
    let cancel = boa_engine::NativeFunction::from_copy_closure_with_captures(
        |_, _, handle: &RefCellHandle, _| {
            if let Some(handle) = handle.borrow_mut().take() {
                handle.cancel();
            }
            Ok(JsValue::undefined())
        },
        RefCellHandle(RefCell::new(Some(handle))),
    );
    rt.context()
        .register_global_callable(js_string!("cancelTicker"), 0, cancel)
        .unwrap();
    rt.eval_script(
        "setTimeout(() => { log.push('cancel@' + performance.now()); cancelTicker(); }, 400);",
        "cancel.js",
    )
    .unwrap();
    rt.run_event_loop().unwrap();
    assert_eq!(json(&mut rt, "log"), r#"["cancel@400"]"#);
    assert_eq!(rt.clock().elapsed(), Duration::from_millis(400));
}

/// A capture for `from_copy_closure_with_captures`: holds no JS value, so nothing to trace.
#[derive(boa_engine::Trace, boa_engine::Finalize)]
#[boa_gc(unsafe_empty_trace)]
struct RefCellHandle(RefCell<Option<timed::TimedSourceHandle>>);

impl std::ops::Deref for RefCellHandle {
    type Target = RefCell<Option<timed::TimedSourceHandle>>;
    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

#[test]
fn a_registered_source_roots_the_js_values_it_holds() {
    let mut rt = runtime_in(ClockMode::Virtual);
    rt.eval_script("var log = [];", "setup.js").unwrap();
    // The callback is a fresh closure reachable only through the source.
    let callback = rt
        .context()
        .eval(Source::from_bytes(
            "(() => { const kept = { n: 42 }; return ms => log.push('kept ' + kept.n + '@' + ms); })()",
        ))
        .unwrap();
    let callback = JsFunction::from_object(callback.as_object().unwrap()).unwrap();
    let now = rt.context().clock().now();
    let source = Rc::new(Ticker {
        due: Cell::new(Some(now + JsDuration::from_millis(10))),
        period: JsDuration::from_millis(10),
        remaining: Cell::new(1),
        callback,
    });
    timed::register(rt.context(), source);
    boa_gc::force_collect();
    rt.run_event_loop().unwrap();
    assert_eq!(json(&mut rt, "log"), r#"["kept 42@10"]"#);
}

/// A source that throws is reported like a task and the loop goes on.
#[test]
fn a_throwing_source_is_reported_and_the_loop_goes_on() {
    struct Failing(Cell<Option<JsInstant>>);
    impl TimedSource for Failing {
        fn next_due(&self) -> Option<JsInstant> {
            self.0.get()
        }
        fn run_due(&self, _: JsInstant, _: &mut Context) -> JsResult<()> {
            self.0.set(None);
            Err(boa_engine::js_error!(Error: "source failed"))
        }
    }
    let mut rt = runtime_in(ClockMode::Virtual);
    rt.eval_script(
        "var log = []; setTimeout(() => log.push('after'), 20);",
        "setup.js",
    )
    .unwrap();
    let now = rt.context().clock().now();
    timed::register(
        rt.context(),
        Rc::new(Failing(Cell::new(Some(now + JsDuration::from_millis(10))))),
    );
    rt.run_event_loop().unwrap();
    assert_eq!(json(&mut rt, "log"), r#"["after"]"#);
    let problems = &rt.report().problems;
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].text().contains("source failed"), "{problems:?}");
}
