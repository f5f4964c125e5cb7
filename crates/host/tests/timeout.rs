//! The runtime's timeout: a stuck top-level script and a never-ending loop are stopped.

mod common;

use std::time::{Duration, Instant};

use eme_host::{Error, RuntimeBuilder};

fn runtime_with_timeout(timeout: Duration) -> eme_host::Runtime {
    RuntimeBuilder::new()
        .quiet(true)
        .print_problems(false)
        .timeout(Some(timeout))
        .build()
}

#[test]
fn an_endless_top_level_loop_is_stopped_and_poisons_the_runtime() {
    let mut rt = runtime_with_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let error = rt.eval_script("while (true) {}", "spin.js").unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(error, Error::TimedOut(_)), "{error:?}");
    assert_eq!(error.to_string(), "timed out after 0.3 s");
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");

    assert!(matches!(
        rt.eval_script("1", "after.js"),
        Err(Error::Poisoned)
    ));
    assert!(matches!(rt.run_event_loop(), Err(Error::Poisoned)));
}

#[test]
fn an_endless_function_called_from_the_top_level_is_stopped() {
    let mut rt = runtime_with_timeout(Duration::from_millis(300));
    let started = Instant::now();
    let error = rt
        .eval_script("function spin() { for (;;) {} }\nspin();", "spin.js")
        .unwrap_err();
    assert!(matches!(error, Error::TimedOut(_)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[test]
fn a_never_ending_interval_is_stopped() {
    let mut rt = runtime_with_timeout(Duration::from_millis(300));
    let started = Instant::now();
    rt.eval_script(
        "var ticks = 0; setInterval(() => { ticks++; }, 10);",
        "tick.js",
    )
    .unwrap();
    let error = rt.run_event_loop().unwrap_err();
    let elapsed = started.elapsed();
    assert!(matches!(error, Error::TimedOut(_)), "{error:?}");
    assert!(elapsed >= Duration::from_millis(300), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(2), "{elapsed:?}");
    let ticks = common::json(&mut rt, "ticks").parse::<u32>().unwrap();
    assert!(ticks >= 5, "the interval ran {ticks} times");
}

#[test]
fn a_long_timer_is_stopped_at_the_deadline_not_at_the_timer() {
    let mut rt = runtime_with_timeout(Duration::from_millis(200));
    rt.eval_script("setTimeout(() => {}, 60000);", "wait.js")
        .unwrap();
    let started = Instant::now();
    assert!(matches!(rt.run_event_loop(), Err(Error::TimedOut(_))));
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_run_that_ends_in_time_is_not_affected() {
    let mut rt = runtime_with_timeout(Duration::from_secs(10));
    rt.eval_script(
        "var done = false; setTimeout(() => { done = true; }, 20);",
        "ok.js",
    )
    .unwrap();
    rt.run_event_loop().unwrap();
    assert_eq!(common::json(&mut rt, "done"), "true");
}
