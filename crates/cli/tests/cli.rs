//! The `eme` binary as a user runs it: exit codes, messages, output streams, timeouts.

mod common;

use std::time::{Duration, Instant};

use common::{Scripts, eme, stderr, stdout};

#[test]
fn a_clean_run_exits_0_with_console_log_on_stdout_in_order() {
    let dir = Scripts::new("clean");
    dir.write("a.js", "var shared = 'from a';\nconsole.log('a runs');\nsetTimeout(() => console.log('timer'), 5);\nPromise.resolve().then(() => console.log('microtask'));");
    dir.write(
        "b.js",
        "console.log('b sees', shared);\nconsole.warn('a warning');",
    );
    let output = eme(&["run", "a.js", "b.js"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "a runs\nmicrotask\nb sees from a\ntimer\n");
    assert_eq!(stderr(&output), "a warning\n");
}

#[test]
fn an_uncaught_error_exits_1_and_names_file_line_and_column() {
    let dir = Scripts::new("uncaught");
    dir.write("fail.js", "function check() {\n  throw new TypeError('bad state');\n}\ncheck();\nconsole.log('not reached');");
    dir.write("next.js", "console.log('next script still runs');");
    let output = eme(&["run", "fail.js", "next.js"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "next script still runs\n");
    let err = stderr(&output);
    assert!(err.starts_with("Uncaught TypeError: bad state\n"), "{err}");
    assert!(err.contains("at check (fail.js:2:"), "{err}");
    assert!(err.contains("(fail.js:4:"), "{err}");
}

#[test]
fn a_syntax_error_exits_1_with_its_location() {
    let dir = Scripts::new("syntax");
    dir.write("broken.js", "let ok = 1;\nlet = = 2;");
    let output = eme(&["run", "broken.js"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    let err = stderr(&output);
    assert!(err.starts_with("Uncaught SyntaxError: "), "{err}");
    assert!(err.contains("    at broken.js:2:"), "{err}");
}

#[test]
fn an_unhandled_rejection_exits_1() {
    let dir = Scripts::new("rejection");
    dir.write(
        "reject.js",
        "Promise.reject(new Error('nobody caught me'));",
    );
    let output = eme(&["run", "reject.js"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with("Uncaught (in promise) Error: nobody caught me"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_missing_file_exits_2_before_any_script_runs() {
    let dir = Scripts::new("missing");
    dir.write("first.js", "console.log('must not run');");
    let output = eme(&["run", "first.js", "nope.js"], dir.path());
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(stdout(&output), "");
    let err = stderr(&output);
    assert!(err.starts_with("eme: cannot read nope.js: "), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn usage_errors_exit_2() {
    let dir = Scripts::new("usage");
    dir.write("ok.js", "");
    for args in [
        &["run"][..],
        &["run", "--timeout", "soon", "ok.js"],
        &["run", "--timeout", "-1", "ok.js"],
        &["frobnicate"],
        &[],
    ] {
        let output = eme(args, dir.path());
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn quiet_silences_console_but_not_errors() {
    let dir = Scripts::new("quiet");
    dir.write("noisy.js", "console.log('out'); console.error('err'); setTimeout(() => { throw new Error('loud'); }, 0);");
    let output = eme(&["run", "--quiet", "noisy.js"], dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    let err = stderr(&output);
    assert!(!err.contains("err\n"), "{err}");
    assert!(err.starts_with("Uncaught Error: loud"), "{err}");
}

#[test]
fn a_top_level_endless_loop_times_out_with_exit_1() {
    let dir = Scripts::new("spin");
    dir.write("spin.js", "while (true) {}");
    let started = Instant::now();
    let output = eme(&["run", "--timeout", "0.5", "spin.js"], dir.path());
    let elapsed = started.elapsed();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), "eme: timed out after 0.5 s\n");
    assert!(elapsed < Duration::from_secs(5), "{elapsed:?}");
}

#[test]
fn an_endless_loop_inside_a_callback_is_ended_by_the_watchdog() {
    let dir = Scripts::new("callback");
    dir.write(
        "stuck.js",
        "console.log('before');\nsetTimeout(() => { for (;;); }, 0);",
    );
    let started = Instant::now();
    let output = eme(&["run", "--timeout", "1", "stuck.js"], dir.path());
    let elapsed = started.elapsed();
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "before\n");
    assert_eq!(stderr(&output), "eme: timed out after 1 s\n");
    // Deadline + the watchdog's one second of grace, plus start-up slack.
    assert!(elapsed >= Duration::from_secs(2), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(6), "{elapsed:?}");
}

#[test]
fn timeout_0_means_no_limit() {
    let dir = Scripts::new("nolimit");
    dir.write("wait.js", "setTimeout(() => console.log('done'), 50);");
    let output = eme(&["run", "--timeout", "0", "wait.js"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "done\n");
}

#[test]
fn timers_run_in_virtual_time_by_default_and_in_real_time_with_realtime() {
    let dir = Scripts::new("clock");
    dir.write(
        "wait.js",
        "const t0 = Date.now(), p0 = performance.now();\nsetTimeout(() => console.log(Date.now() - t0, performance.now() - p0), 20000);",
    );
    let started = Instant::now();
    let output = eme(&["run", "--timeout", "10", "wait.js"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "20000 20000\n");
    assert!(started.elapsed() < Duration::from_secs(10));

    // Real time: the 20 s timer cannot fire before the 0.5 s wall-time deadline.
    let output = eme(
        &["run", "--realtime", "--timeout", "0.5", "wait.js"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stdout(&output), "");
    assert_eq!(stderr(&output), "eme: timed out after 0.5 s\n");
}

#[test]
fn realtime_waits_for_timers_in_wall_time() {
    let dir = Scripts::new("realtime");
    dir.write(
        "wait.js",
        "const t0 = Date.now();\nsetTimeout(() => console.log(Date.now() - t0 >= 300), 300);",
    );
    let started = Instant::now();
    let output = eme(&["run", "--realtime", "wait.js"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "true\n");
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[test]
fn fetch_reads_beside_the_script_and_elsewhere_only_with_allow_read() {
    let dir = Scripts::new("fetch");
    dir.write("site/licence.json", r#"{"keys": []}"#);
    dir.write("media/seg.m4s", "0123456789");
    dir.write(
        "site/main.js",
        r#"console.log(location.href.endsWith("/site/main.js"));
fetch("licence.json").then(r => r.json()).then(j => console.log("json", JSON.stringify(j)))
    .then(() => fetch("../media/seg.m4s")).then(r => r.arrayBuffer())
    .then(b => console.log("segment", b.byteLength), e => console.log(e.name + ": " + e.message));"#,
    );
    let output = eme(&["run", "site/main.js"], dir.path());
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let out = stdout(&output);
    assert!(
        out.starts_with("true\njson {\"keys\":[]}\nTypeError: fetch refused: "),
        "{out}"
    );
    assert!(out.contains("seg.m4s"), "{out}");
    assert!(out.contains("--allow-read"), "{out}");

    let output = eme(
        &["run", "--allow-read", "media", "site/main.js"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(stdout(&output), "true\njson {\"keys\":[]}\nsegment 10\n");

    let output = eme(
        &["run", "--allow-read", "nowhere", "site/main.js"],
        dir.path(),
    );
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        stderr(&output),
        "eme: --allow-read nowhere: not a directory\n"
    );
}
