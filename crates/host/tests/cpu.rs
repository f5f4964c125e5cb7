//! Waiting for a timer costs (almost) no CPU: the loop sleeps instead of spinning.
//! Its own test binary, so no other test's work runs in this process meanwhile.

mod common;

use std::time::{Duration, Instant};

/// CPU time (user + system) consumed so far by the calling thread.
fn thread_cpu_time() -> Duration {
    // schedstat: "<ns on cpu> <ns waiting> <timeslices>"; fall back to stat's clock ticks.
    if let Ok(schedstat) = std::fs::read_to_string("/proc/thread-self/schedstat")
        && let Some(nanos) = schedstat
            .split_whitespace()
            .next()
            .and_then(|n| n.parse().ok())
    {
        return Duration::from_nanos(nanos);
    }
    let stat = std::fs::read_to_string("/proc/thread-self/stat").expect("Linux /proc");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    let after_name = &stat[stat.rfind(')').expect("stat format") + 2..];
    let fields: Vec<u64> = after_name
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let ticks = fields[11] + fields[12];
    Duration::from_millis(ticks * 10) // USER_HZ is 100 on Linux
}

/// The measurement itself works: spinning for 100 ms shows up as CPU time.
fn assert_measurement_sees_spinning() {
    let before = thread_cpu_time();
    let spin = Instant::now();
    while spin.elapsed() < Duration::from_millis(100) {
        std::hint::spin_loop();
    }
    let spent = thread_cpu_time() - before;
    assert!(
        spent >= Duration::from_millis(50),
        "spinning 100 ms measured as {spent:?}"
    );
}

#[test]
fn a_300_ms_timer_costs_far_less_than_300_ms_of_cpu() {
    assert_measurement_sees_spinning();
    let mut rt = common::runtime();
    rt.eval_script(
        "var fired = false; setTimeout(() => { fired = true; }, 300);",
        "wait.js",
    )
    .unwrap();

    let cpu_before = thread_cpu_time();
    let wall = Instant::now();
    rt.run_event_loop().unwrap();
    let wall = wall.elapsed();
    let cpu = thread_cpu_time() - cpu_before;

    assert_eq!(common::json(&mut rt, "fired"), "true");
    assert!(
        wall >= Duration::from_millis(300),
        "the timer fired early: {wall:?}"
    );
    eprintln!("waiting for a 300 ms timer: {wall:?} wall, {cpu:?} CPU");
    // A sanity bound, not a benchmark: a spinning loop would burn ~300 ms.
    assert!(
        cpu < Duration::from_millis(60),
        "waiting cost {cpu:?} of CPU"
    );
}
