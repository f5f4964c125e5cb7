//! The global surface a page expects.

mod common;

use common::{json, run, runtime};

#[test]
fn window_and_self_are_the_global_object() {
    let mut rt = runtime();
    assert_eq!(
        json(
            &mut rt,
            "[window === self, self === globalThis, window.window === window, window.TypeError === TypeError]"
        ),
        "[true,true,true,true]"
    );
}

#[test]
fn window_is_read_only_and_self_is_replaceable() {
    let mut rt = runtime();
    run(
        &mut rt,
        r#"
        window = 1;                       // sloppy mode: silently ignored
        var windowStill = window === globalThis;
        var strictThrows = false;
        (function () { "use strict"; try { window = 2; } catch (e) { strictThrows = e instanceof TypeError; } })();
        self = "replaced";
        "#,
    );
    assert_eq!(
        json(
            &mut rt,
            "[windowStill, strictThrows, self, window === globalThis]"
        ),
        r#"[true,true,"replaced",true]"#
    );
    assert!(rt.report().is_clean(), "{:?}", rt.report());
}

#[test]
fn globals_created_by_assignment_are_visible_through_window() {
    let mut rt = runtime();
    rt.eval_script("helper = function () { return 7; };", "a.js")
        .unwrap();
    rt.eval_script("var viaWindow = window.helper();", "b.js")
        .unwrap();
    assert_eq!(json(&mut rt, "viaWindow"), "7");
}

#[test]
fn the_web_apis_are_present() {
    let mut rt = runtime();
    let names = [
        "console",
        "setTimeout",
        "clearTimeout",
        "setInterval",
        "clearInterval",
        "queueMicrotask",
        "atob",
        "btoa",
        "TextEncoder",
        "TextDecoder",
        "URL",
        "structuredClone",
        "Event",
        "EventTarget",
        "DOMException",
    ];
    let expr = format!(
        "[{}].filter(n => typeof globalThis[n] === 'undefined')",
        names.map(|n| format!("{n:?}")).join(",")
    );
    assert_eq!(json(&mut rt, &expr), "[]");
    assert_eq!(
        json(
            &mut rt,
            "[btoa('hi'), atob('aGk='), new TextDecoder().decode(new TextEncoder().encode('é')), new URL('https://a.example/b?c').pathname, structuredClone({x: [1]}).x[0]]"
        ),
        r#"["aGk=","hi","é","/b",1]"#
    );
}
