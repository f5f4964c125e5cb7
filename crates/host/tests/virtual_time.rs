//! The one clock in virtual and real mode: `Date.now()`, `performance.now()` and the timers
//! agree; virtual time jumps to the next due timer; real time sleeps.

mod common;

use std::time::{Duration, Instant};

use boa_engine::{JsArgs, JsValue, NativeFunction, js_string};
use common::{json, run};
use eme_host::{ClockMode, Runtime, RuntimeBuilder};

fn runtime_in(mode: ClockMode) -> Runtime {
    RuntimeBuilder::new()
        .quiet(true)
        .print_problems(false)
        .clock_mode(mode)
        .build()
}

#[test]
fn a_ten_second_timeout_advances_date_and_performance_by_ten_seconds_at_once() {
    let mut rt = runtime_in(ClockMode::Virtual);
    let started = Instant::now();
    run(
        &mut rt,
        r#"
        var d0 = Date.now(), p0 = performance.now(), result = null;
        setTimeout(() => {
            result = { date: Date.now() - d0, perf: performance.now() - p0,
                       newDate: new Date().getTime() - d0 };
        }, 10000);
        "#,
    );
    let wall = started.elapsed();
    assert_eq!(
        json(&mut rt, "result"),
        r#"{"date":10000,"perf":10000,"newDate":10000}"#
    );
    assert!(rt.clock().elapsed() >= Duration::from_secs(10));
    // Generous bound: the point is that nobody slept ten seconds.
    assert!(wall < Duration::from_secs(5), "{wall:?}");
    assert!(rt.report().is_clean(), "{:?}", rt.report());
}

#[test]
fn virtual_date_starts_at_the_real_wall_time() {
    let mut rt = runtime_in(ClockMode::Virtual);
    let before = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis();
    let now: u128 = json(&mut rt, "Date.now()").parse().unwrap();
    let origin: f64 = json(&mut rt, "performance.timeOrigin").parse().unwrap();
    assert!(
        now + 1000 >= before && now <= before + 1000,
        "{now} vs {before}"
    );
    assert!((origin - now as f64).abs() < 1000.0, "{origin} vs {now}");
    assert_eq!(json(&mut rt, "performance.now()"), "0");
}

#[test]
fn timers_keep_their_order_and_exact_times_across_jumps() {
    let mut rt = runtime_in(ClockMode::Virtual);
    run(
        &mut rt,
        r#"
        var log = [], t0 = performance.now();
        const at = label => log.push(label + "@" + (performance.now() - t0));
        setTimeout(() => at("c"), 300);
        setTimeout(() => { at("a"); setTimeout(() => at("a+150"), 150); }, 100);
        setTimeout(() => at("b"), 200);
        setTimeout(() => at("b2"), 200);
        const cleared = setTimeout(() => at("cleared"), 50);
        clearTimeout(cleared);
        let n = 0;
        const interval = setInterval(() => { at("i"); if (++n === 3) clearInterval(interval); }, 120);
        setTimeout(() => Promise.resolve().then(() => at("micro-after-0")), 0);
        "#,
    );
    assert_eq!(
        json(&mut rt, "log"),
        r#"["micro-after-0@0","a@100","i@120","b@200","b2@200","i@240","a+150@250","c@300","i@360"]"#
    );
    assert_eq!(rt.clock().elapsed(), Duration::from_millis(360));
}

#[test]
fn a_cleared_long_timer_neither_moves_virtual_time_nor_keeps_the_loop_alive() {
    let mut rt = runtime_in(ClockMode::Virtual);
    run(
        &mut rt,
        "var t = setTimeout(() => {}, 60000); setTimeout(() => clearTimeout(t), 10);",
    );
    assert_eq!(rt.clock().elapsed(), Duration::from_millis(10));
}

#[test]
fn the_loop_still_ends_on_its_wall_time_deadline_when_virtual_timers_never_stop() {
    let mut rt = RuntimeBuilder::new()
        .quiet(true)
        .print_problems(false)
        .virtual_time(true)
        .timeout(Some(Duration::from_millis(300)))
        .build();
    rt.eval_script("setInterval(() => {}, 1000);", "forever.js")
        .unwrap();
    let started = Instant::now();
    let outcome = rt.run_event_loop();
    assert!(
        matches!(outcome, Err(eme_host::Error::TimedOut(_))),
        "{outcome:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    // Far more virtual time than the 0.3 s of wall time passed.
    assert!(rt.clock().elapsed() > Duration::from_secs(60));
}

/// `realDelay(ms)`: a promise an async job resolves after `ms` of real (tokio) time — I/O
/// that completes in wall time.
fn define_real_delay(rt: &mut Runtime) {
    let function = NativeFunction::from_async_fn(async |_, args, ctx| {
        let ms = args.get_or_undefined(0).to_number(&mut ctx.borrow_mut())?;
        tokio::time::sleep(Duration::from_secs_f64(ms / 1000.0)).await;
        Ok(JsValue::undefined())
    });
    rt.context()
        .register_global_callable(js_string!("realDelay"), 1, function)
        .expect("define realDelay");
}

#[test]
fn pending_async_work_completes_before_virtual_time_jumps_past_it() {
    let mut rt = runtime_in(ClockMode::Virtual);
    define_real_delay(&mut rt);
    let started = Instant::now();
    run(
        &mut rt,
        r#"
        var log = [], t0 = performance.now();
        setTimeout(() => log.push("timer@" + (performance.now() - t0)), 10000);
        realDelay(50).then(() => log.push("io")).then(() => log.push("io-then"));
        "#,
    );
    assert!(started.elapsed() >= Duration::from_millis(45));
    let log = json(&mut rt, "log");
    assert!(log.starts_with(r#"["io","io-then","#), "{log}");
    assert!(log.ends_with(r#""timer@10000"]"#), "{log}");
}

#[test]
fn real_mode_sleeps_and_the_clock_follows_wall_time() {
    let mut rt = runtime_in(ClockMode::Real);
    assert_eq!(rt.clock().mode(), ClockMode::Real);
    let started = Instant::now();
    run(
        &mut rt,
        r#"
        var d0 = Date.now(), p0 = performance.now(), result = null;
        setTimeout(() => { result = { date: Date.now() - d0, perf: performance.now() - p0 }; }, 200);
        "#,
    );
    let wall = started.elapsed();
    assert!(wall >= Duration::from_millis(195), "{wall:?}");
    let date: f64 = json(&mut rt, "result.date").parse().unwrap();
    let perf: f64 = json(&mut rt, "result.perf").parse().unwrap();
    // The clock did not jump: what the script saw passed in wall time.
    let wall_ms = wall.as_secs_f64() * 1000.0;
    assert!(
        (199.0..=wall_ms + 1.0).contains(&date),
        "{date} ({wall_ms})"
    );
    assert!(
        (199.0..=wall_ms + 1.0).contains(&perf),
        "{perf} ({wall_ms})"
    );
    // Advancing a real clock does nothing.
    rt.clock().advance(Duration::from_secs(100));
    assert!(rt.clock().elapsed() < Duration::from_secs(100));
}

#[test]
fn performance_has_the_hr_time_shape() {
    let mut rt = runtime_in(ClockMode::Virtual);
    assert_eq!(
        json(
            &mut rt,
            r#"[typeof performance.now(), performance instanceof Performance,
                performance instanceof EventTarget, Object.prototype.toString.call(performance),
                typeof performance.timeOrigin, performance.toJSON().timeOrigin === performance.timeOrigin,
                Performance.prototype.hasOwnProperty("now")]"#
        ),
        r#"["number",true,true,"[object Performance]","number",true,true]"#
    );
    assert_eq!(
        json(
            &mut rt,
            r#"(() => { try { Performance.prototype.now.call({}); return "no error"; }
                        catch (e) { return e.name; } })()"#
        ),
        r#""TypeError""#
    );
}
