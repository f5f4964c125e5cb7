//! Task / microtask ordering and error isolation of the event loop.

mod common;

use boa_engine::{JsArgs, JsValue, NativeFunction, Source, js_string};
use common::{json, run, runtime};

/// Defines `queueRustTask(label)`: queues a task from Rust (eme-dom's "queue a task") that
/// appends `label` to the global `log`.
fn define_queue_rust_task(runtime: &mut eme_host::Runtime) {
    let function = NativeFunction::from_fn_ptr(|_, args, ctx| {
        let label = args.get_or_undefined(0).to_string(ctx)?;
        eme_dom::task::queue_task(ctx, move |ctx| {
            let code = format!("log.push({})", JsValue::from(label).display());
            ctx.eval(Source::from_bytes(code.as_bytes()))?;
            Ok(())
        });
        Ok(JsValue::undefined())
    });
    runtime
        .context()
        .register_global_callable(js_string!("queueRustTask"), 1, function)
        .expect("define queueRustTask");
}

#[test]
fn tasks_run_after_the_microtask_checkpoint_in_the_order_they_became_runnable() {
    let mut rt = runtime();
    define_queue_rust_task(&mut rt);
    run(
        &mut rt,
        r#"
        var log = [];
        setTimeout(() => {
            log.push("timeout");
            Promise.resolve().then(() => log.push("timeout-then"));
        }, 0);
        queueRustTask("rust-task");
        Promise.resolve().then(() => {
            log.push("then");
            queueMicrotask(() => log.push("nested-microtask"));
        });
        queueMicrotask(() => log.push("microtask"));
        log.push("sync");
        "#,
    );
    assert_eq!(
        json(&mut rt, "log"),
        r#"["sync","then","microtask","nested-microtask","timeout","timeout-then","rust-task"]"#
    );
    assert!(rt.report().is_clean(), "{:?}", rt.report());
}

#[test]
fn a_task_queued_before_a_zero_timer_runs_first() {
    let mut rt = runtime();
    define_queue_rust_task(&mut rt);
    run(
        &mut rt,
        r#"
        var log = [];
        queueRustTask("rust-task");
        setTimeout(() => log.push("timeout"), 0);
        "#,
    );
    assert_eq!(json(&mut rt, "log"), r#"["rust-task","timeout"]"#);
}

#[test]
fn microtasks_run_after_each_script_before_the_next_one() {
    let mut rt = runtime();
    rt.eval_script(
        "var log = []; Promise.resolve().then(() => log.push('micro'));",
        "a.js",
    )
    .unwrap();
    rt.eval_script("log.push('second script');", "b.js")
        .unwrap();
    assert_eq!(json(&mut rt, "log"), r#"["micro","second script"]"#);
}

#[test]
fn timers_fire_in_deadline_order() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        var log = [];
        setTimeout(() => log.push(30), 30);
        setTimeout(() => log.push(10), 10);
        setTimeout(() => log.push(20), 20);
        setTimeout(() => log.push(0), 0);
        "#,
    );
    assert_eq!(json(&mut rt, "log"), "[0,10,20,30]");
}

#[test]
fn a_throwing_timer_does_not_stop_another_timer() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        var hits = [];
        setTimeout(() => { throw new Error("first timer failed"); }, 0);
        setTimeout(() => hits.push("second"), 5);
        setTimeout(() => hits.push("third"), 0);
        "#,
    );
    assert_eq!(json(&mut rt, "hits"), r#"["third","second"]"#);
    let errors: Vec<_> = rt.report().uncaught_errors().collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("Uncaught Error: first timer failed\n    at "),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("test.js:3:"), "{}", errors[0]);
}

#[test]
fn a_throwing_microtask_is_reported_and_the_checkpoint_goes_on() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        var log = [];
        queueMicrotask(() => { throw new TypeError("bad microtask"); });
        queueMicrotask(() => log.push("next microtask"));
        setTimeout(() => log.push("timer"), 0);
        "#,
    );
    assert_eq!(json(&mut rt, "log"), r#"["next microtask","timer"]"#);
    let errors: Vec<_> = rt.report().uncaught_errors().collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("Uncaught TypeError: bad microtask"),
        "{}",
        errors[0]
    );
}

#[test]
fn a_throwing_rust_task_is_reported_and_the_loop_goes_on() {
    let mut rt = runtime();
    define_queue_rust_task(&mut rt);
    run(
        &mut rt,
        r#"
        var log = [];
        queueRustTask("a");
        queueRustTask("b");
        log = null; // the first task's log.push throws
        setTimeout(() => { log = ["timer"]; }, 0);
        "#,
    );
    assert_eq!(json(&mut rt, "log"), r#"["timer"]"#);
    assert_eq!(
        rt.report().uncaught_errors().count(),
        2,
        "{:?}",
        rt.report()
    );
}

#[test]
fn intervals_rearm_until_cleared() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        var ticks = 0;
        var id = setInterval(() => {
            ticks++;
            if (ticks === 3) clearInterval(id);
        }, 1);
        "#,
    );
    assert_eq!(json(&mut rt, "ticks"), "3");
}

#[test]
fn a_throwing_interval_keeps_running() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        var ticks = 0;
        var id = setInterval(() => {
            ticks++;
            if (ticks === 2) clearInterval(id);
            throw new Error("tick " + ticks);
        }, 1);
        "#,
    );
    assert_eq!(json(&mut rt, "ticks"), "2");
    assert_eq!(rt.report().uncaught_errors().count(), 2);
}

#[test]
fn a_cancelled_timer_neither_runs_nor_keeps_the_loop_alive() {
    let mut rt = runtime();
    let started = std::time::Instant::now();
    run(
        &mut rt,
        r#"
        var fired = false;
        var id = setTimeout(() => { fired = true; }, 10000);
        clearTimeout(id);
        "#,
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert_eq!(json(&mut rt, "fired"), "false");
}

#[test]
fn listener_errors_reported_by_dom_land_in_the_same_report() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        var after = false;
        var target = new EventTarget();
        target.addEventListener("ping", () => { throw new RangeError("listener failed"); });
        target.addEventListener("ping", () => { after = true; });
        target.dispatchEvent(new Event("ping"));
        "#,
    );
    assert_eq!(json(&mut rt, "after"), "true");
    let errors: Vec<_> = rt.report().uncaught_errors().collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(
        errors[0].starts_with("Uncaught RangeError: listener failed"),
        "{}",
        errors[0]
    );
}

#[test]
fn context_run_jobs_drains_microtasks_without_a_tokio_runtime() {
    let mut rt = runtime();
    rt.context()
        .eval(Source::from_bytes(
            "var log = []; Promise.resolve().then(() => log.push('micro')); setTimeout(() => log.push('timer'), 0);",
        ))
        .unwrap();
    rt.context().run_jobs().unwrap();
    assert_eq!(json(&mut rt, "log"), r#"["micro","timer"]"#);
}

/// Defines `delay(ms)`: a promise resolved by an async job that sleeps on tokio.
fn define_delay(runtime: &mut eme_host::Runtime) {
    async fn delay(
        _: &JsValue,
        args: &[JsValue],
        ctx: &std::cell::RefCell<&mut boa_engine::Context>,
    ) -> boa_engine::JsResult<JsValue> {
        let ms = args.get_or_undefined(0).to_u32(&mut ctx.borrow_mut())?;
        tokio::time::sleep(std::time::Duration::from_millis(u64::from(ms))).await;
        Ok(JsValue::from(ms))
    }
    runtime
        .context()
        .register_global_callable(js_string!("delay"), 1, NativeFunction::from_async_fn(delay))
        .expect("define delay");
}

#[test]
fn async_jobs_are_polled_and_their_results_delivered_in_time_order() {
    let mut rt = runtime();
    define_delay(&mut rt);
    run(
        &mut rt,
        r#"
        var log = [];
        delay(40).then((ms) => log.push("delay " + ms));
        delay(10).then((ms) => { log.push("delay " + ms); return delay(1); }).then(() => log.push("chained"));
        setTimeout(() => log.push("timer 25"), 25);
        "#,
    );
    assert_eq!(
        json(&mut rt, "log"),
        r#"["delay 10","chained","timer 25","delay 40"]"#
    );
    assert!(rt.report().is_clean(), "{:?}", rt.report());
}

#[test]
fn async_jobs_are_polled_while_an_interval_keeps_the_loop_busy() {
    let mut rt = runtime();
    define_delay(&mut rt);
    run(
        &mut rt,
        r#"
        var ticks = 0;
        var id = setInterval(() => { ticks++; }, 0);
        delay(20).then(() => clearInterval(id));
        "#,
    );
    assert!(json(&mut rt, "ticks").parse::<u32>().unwrap() > 0);
}

#[test]
fn a_finalization_registry_does_not_keep_the_loop_alive() {
    let mut rt = runtime();
    let started = std::time::Instant::now();
    run(
        &mut rt,
        "var registry = new FinalizationRegistry(() => {}); registry.register({}, 'held');",
    );
    assert!(started.elapsed() < std::time::Duration::from_secs(2));
    assert!(rt.report().is_clean(), "{:?}", rt.report());
}

#[test]
fn finalization_registry_callbacks_run_after_a_collection() {
    let mut rt = runtime();
    let gc = NativeFunction::from_fn_ptr(|_, _, _| {
        boa_gc::force_collect();
        Ok(JsValue::undefined())
    });
    rt.context()
        .register_global_callable(js_string!("gc"), 0, gc)
        .unwrap();
    run(
        &mut rt,
        r#"
        var cleaned = [];
        var registry = new FinalizationRegistry((held) => cleaned.push(held));
        (function () { registry.register({}, "held value"); })();
        setTimeout(() => gc(), 0);
        setTimeout(() => {}, 20);
        "#,
    );
    assert_eq!(json(&mut rt, "cleaned"), r#"["held value"]"#);
}
