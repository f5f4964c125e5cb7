//! The run report: uncaught errors, unhandled rejections, and how they are formatted.

mod common;

use common::{json, run, runtime};
use eme_host::Problem;

fn only_problem(rt: &eme_host::Runtime) -> &Problem {
    let problems = &rt.report().problems;
    assert_eq!(problems.len(), 1, "{problems:#?}");
    &problems[0]
}

#[test]
fn an_unhandled_rejection_is_reported() {
    let mut rt = runtime();
    run(&mut rt, "Promise.reject(new TypeError('nobody listens'));");
    let problem = only_problem(&rt);
    assert!(
        matches!(problem, Problem::UnhandledRejection(_)),
        "{problem:?}"
    );
    assert!(
        problem
            .text()
            .starts_with("Uncaught (in promise) TypeError: nobody listens\n    at "),
        "{problem}"
    );
    assert!(problem.text().contains("test.js:1:"), "{problem}");
}

#[test]
fn a_rejection_with_a_primitive_reason_is_reported() {
    let mut rt = runtime();
    run(
        &mut rt,
        "Promise.reject(42); (async () => { throw 'oops'; })();",
    );
    let texts: Vec<_> = rt.report().unhandled_rejections().collect();
    assert_eq!(
        texts,
        ["Uncaught (in promise) 42", "Uncaught (in promise) oops"]
    );
}

#[test]
fn a_rejection_handled_later_in_the_same_checkpoint_is_not_reported() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        var caught = [];
        var p = Promise.reject(new Error("late"));
        Promise.resolve().then(() => Promise.resolve()).then(() => {
            p.catch(e => caught.push(e.message));
        });
        "#,
    );
    assert_eq!(json(&mut rt, "caught"), r#"["late"]"#);
    assert!(rt.report().is_clean(), "{:#?}", rt.report());
}

#[test]
fn a_rejection_still_unhandled_after_its_checkpoint_is_reported_even_if_handled_later() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        var p = Promise.reject(new Error("too late"));
        setTimeout(() => p.catch(() => {}), 0);
        "#,
    );
    assert_eq!(
        rt.report().unhandled_rejections().count(),
        1,
        "{:#?}",
        rt.report()
    );
}

#[test]
fn a_rejection_inside_a_timer_is_reported_after_that_task() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        setTimeout(() => { Promise.reject(new RangeError("from a timer")); }, 0);
        setTimeout(() => { Promise.reject(new RangeError("handled")).catch(() => {}); }, 0);
        "#,
    );
    let texts: Vec<_> = rt.report().unhandled_rejections().collect();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(
        texts[0].starts_with("Uncaught (in promise) RangeError: from a timer"),
        "{}",
        texts[0]
    );
}

#[test]
fn a_syntax_error_names_file_line_and_column_and_the_next_script_still_runs() {
    let mut rt = runtime();
    let value = rt
        .eval_script("var a = 1;\nvar b = ;\n", "broken.js")
        .unwrap();
    assert!(value.is_none());
    assert_eq!(
        only_problem(&rt).text(),
        "Uncaught SyntaxError: unexpected token ';', primary expression\n    at broken.js:2:9"
    );
    rt.eval_script("var ran = typeof a;", "next.js").unwrap();
    // The broken script declared nothing.
    assert_eq!(json(&mut rt, "ran"), r#""undefined""#);
}

#[test]
fn a_script_that_ends_too_early_is_located_at_its_end() {
    let mut rt = runtime();
    rt.eval_script("function f() {\n  return [1, 2", "cut.js")
        .unwrap();
    let text = only_problem(&rt).text();
    assert_eq!(
        text,
        "Uncaught SyntaxError: unexpected end of input\n    at cut.js:2:15"
    );
}

#[test]
fn a_throwing_script_is_reported_and_the_next_script_still_runs() {
    let mut rt = runtime();
    let value = rt
        .eval_script("function fail() {\n  null.x;\n}\nfail();", "app.js")
        .unwrap();
    assert!(value.is_none());
    let text = only_problem(&rt).text().to_owned();
    assert!(
        text.starts_with("Uncaught TypeError: cannot convert 'null' or 'undefined' to object\n"),
        "{text}"
    );
    assert!(text.contains("    at fail (app.js:2:"), "{text}");
    assert!(text.contains("    at <main> (app.js:4:"), "{text}");

    let value = rt.eval_script("1 + 1", "next.js").unwrap();
    assert_eq!(value.and_then(|v| v.as_number()), Some(2.0));
}

#[test]
fn thrown_error_objects_show_name_message_and_stack() {
    let mut rt = runtime();
    rt.eval_script(
        "function inner() {\n  throw new RangeError('out of range');\n}\ninner();",
        "throw.js",
    )
    .unwrap();
    let text = only_problem(&rt).text();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines[0], "Uncaught RangeError: out of range");
    assert!(lines[1].starts_with("    at inner (throw.js:2:"), "{text}");
    assert!(lines[2].starts_with("    at <main> (throw.js:4:"), "{text}");
}

#[test]
fn thrown_primitives_show_the_value_and_the_throw_site() {
    let mut rt = runtime();
    rt.eval_script("throw 42;", "n.js").unwrap();
    rt.eval_script("\nthrow 'a string';", "s.js").unwrap();
    let texts: Vec<_> = rt.report().uncaught_errors().collect();
    assert_eq!(
        texts,
        [
            "Uncaught 42\n    at <main> (n.js:1:7)",
            "Uncaught a string\n    at <main> (s.js:2:7)"
        ]
    );
}

#[test]
fn error_like_objects_without_a_stack_show_name_and_message() {
    let mut rt = runtime();
    rt.eval_script(
        "throw { name: 'InvalidStateError', message: 'not now' };",
        "o.js",
    )
    .unwrap();
    rt.eval_script(
        "throw new DOMException('no such key', 'NotFoundError');",
        "d.js",
    )
    .unwrap();
    let texts: Vec<_> = rt.report().uncaught_errors().collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts[0].starts_with("Uncaught InvalidStateError: not now\n    at <main> (o.js:1:"),
        "{}",
        texts[0]
    );
    assert!(
        texts[1].starts_with("Uncaught NotFoundError: no such key"),
        "{}",
        texts[1]
    );
    assert!(texts[1].contains("d.js:1:"), "{}", texts[1]);
}

#[test]
fn plain_objects_are_displayed() {
    let mut rt = runtime();
    rt.eval_script("throw { code: 7 };", "p.js").unwrap();
    let text = only_problem(&rt).text();
    assert!(text.starts_with("Uncaught {"), "{text}");
    assert!(text.contains("code: 7"), "{text}");
}

#[test]
fn an_engine_error_stops_the_run_with_an_error() {
    let mut rt = runtime();
    let error = rt
        .eval_script("function down() { down(); }\ndown();", "deep.js")
        .unwrap_err();
    assert!(matches!(error, eme_host::Error::Engine(_)), "{error:?}");
    assert!(error.to_string().contains("RuntimeLimitError"), "{error}");
    assert_eq!(rt.report().uncaught_errors().count(), 1);
}

#[test]
fn an_engine_error_inside_a_timer_stops_the_event_loop() {
    let mut rt = runtime();
    rt.eval_script(
        "var later = false;\nsetTimeout(function down() { down(); }, 0);\nsetTimeout(() => { later = true; }, 50);",
        "deep.js",
    )
    .unwrap();
    let error = rt.run_event_loop().unwrap_err();
    assert!(matches!(error, eme_host::Error::Engine(_)), "{error:?}");
    assert_eq!(json(&mut rt, "later"), "false");
}

#[test]
fn unhandledrejection_fires_at_the_global_and_canceling_it_silences_the_report() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        var seen = [];
        var p = Promise.reject(new RangeError("handled by the page"));
        addEventListener("unhandledrejection", e => {
            seen.push([e.type, e instanceof PromiseRejectionEvent, e.cancelable, e.isTrusted,
                       e.promise === p, e.reason.message]);
            e.preventDefault();
        });
        "#,
    );
    assert_eq!(
        json(&mut rt, "seen"),
        r#"[["unhandledrejection",true,true,true,true,"handled by the page"]]"#
    );
    assert!(rt.report().is_clean(), "{:#?}", rt.report());
}

#[test]
fn an_unhandledrejection_nobody_cancels_is_still_reported() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        var count = 0;
        addEventListener("unhandledrejection", () => { count++; });
        Promise.reject(new Error("seen but not canceled"));
        "#,
    );
    assert_eq!(json(&mut rt, "count"), "1");
    assert_eq!(
        rt.report().unhandled_rejections().count(),
        1,
        "{:#?}",
        rt.report()
    );
}

#[test]
fn a_rejection_handled_within_its_checkpoint_fires_no_event() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        var fired = 0;
        addEventListener("unhandledrejection", () => { fired++; });
        var p = Promise.reject(new Error("caught in time"));
        queueMicrotask(() => p.catch(() => {}));
        "#,
    );
    assert_eq!(json(&mut rt, "fired"), "0");
    assert!(rt.report().is_clean(), "{:#?}", rt.report());
}

#[test]
fn promise_rejection_event_constructor_requires_a_promise() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        var results = [];
        try { new PromiseRejectionEvent("x"); } catch (e) { results.push(e.name); }
        try { new PromiseRejectionEvent("x", {}); } catch (e) { results.push(e.name); }
        try { new PromiseRejectionEvent("x", { promise: 1 }); } catch (e) { results.push(e.name); }
        var p = Promise.resolve();
        var e = new PromiseRejectionEvent("x", { promise: p, reason: 7, cancelable: true });
        results.push(e.promise === p, e.reason, e.cancelable, PromiseRejectionEvent.length,
                     Object.getPrototypeOf(PromiseRejectionEvent.prototype) === Event.prototype);
        "#,
    );
    assert_eq!(
        json(&mut rt, "results"),
        r#"["TypeError","TypeError","TypeError",true,7,true,2,true]"#
    );
}
