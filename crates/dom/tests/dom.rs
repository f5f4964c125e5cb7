//! Evaluates scripts against a context with only the dom interfaces registered.

use std::cell::RefCell;
use std::rc::Rc;

use boa_engine::{Context, Source};
use eme_dom::report::{ExceptionReporter, set_exception_reporter};

/// Runs `script` (which must evaluate to a string) and returns it with the reported errors.
fn run(script: &str) -> (String, Vec<String>) {
    let mut ctx = Context::default();
    eme_dom::register(&mut ctx).expect("register");
    let reported = Rc::new(RefCell::new(Vec::new()));
    let sink = reported.clone();
    set_exception_reporter(
        &mut ctx,
        ExceptionReporter(Rc::new(move |e, _| sink.borrow_mut().push(e.to_string()))),
    );
    let value = ctx
        .eval(Source::from_bytes(script))
        .unwrap_or_else(|e| panic!("script failed: {e}"));
    let text = value
        .to_string(&mut ctx)
        .expect("string")
        .to_std_string_escaped();
    let reported = reported.borrow().clone();
    (text, reported)
}

#[test]
fn listeners_run_in_order_with_capture_first_once_and_handle_event() {
    let (log, _) = run(r#"
        const t = new EventTarget(); const log = [];
        t.addEventListener("x", () => log.push("a"));
        const listener = { handleEvent(e) { log.push("h:" + (this === listener) + ":" + (e.currentTarget === t)); } };
        t.addEventListener("x", listener);
        t.addEventListener("x", () => log.push("cap"), true);
        t.addEventListener("x", () => log.push("once"), { once: true });
        const dup = () => log.push("dup");
        t.addEventListener("x", dup); t.addEventListener("x", dup);
        t.dispatchEvent(new Event("x")); t.dispatchEvent(new Event("x"));
        log.join(",")
    "#);
    assert_eq!(log, "cap,a,h:true:true,once,dup,cap,a,h:true:true,dup");
}

#[test]
fn a_throwing_listener_is_reported_and_the_next_still_runs() {
    let (log, reported) = run(r#"
        const t = new EventTarget(); const log = [];
        t.addEventListener("x", () => { throw new Error("boom"); });
        t.addEventListener("x", () => log.push("second"));
        const ok = t.dispatchEvent(new Event("x"));
        log.join(",") + ":" + ok
    "#);
    assert_eq!(log, "second:true");
    assert_eq!(reported.len(), 1);
    assert!(reported[0].contains("boom"), "{reported:?}");
}

#[test]
fn event_fields_cancel_and_redispatch_rules() {
    let (log, _) = run(r#"
        const t = new EventTarget(); const out = [];
        t.addEventListener("x", e => { out.push(e.eventPhase, e.target === t, e.currentTarget === t, e.isTrusted); e.preventDefault(); });
        const e = new Event("x", { cancelable: true });
        out.push(e.eventPhase, e.target, e.bubbles, e.defaultPrevented);
        out.push(t.dispatchEvent(e), e.defaultPrevented, e.eventPhase, e.currentTarget);
        let threw = "";
        t.addEventListener("y", ev => { try { t.dispatchEvent(ev); } catch (err) { threw = err.name; } });
        t.dispatchEvent(new Event("y"));
        out.push(threw, Object.getOwnPropertyDescriptor(e, "isTrusted").configurable);
        out.join(",")
    "#);
    assert_eq!(
        log,
        "0,,false,false,2,true,true,false,false,true,0,,InvalidStateError,false"
    );
}

#[test]
fn a_js_subclass_of_event_target_dispatches_to_its_listeners() {
    let (log, _) = run(r#"
        class Emitter extends EventTarget {}
        const t = new Emitter();
        const log = [];
        t.addEventListener("x", function (e) { log.push(this === t, e.target === t, e.currentTarget === t); });
        log.push(Object.getPrototypeOf(t) === Emitter.prototype, t.dispatchEvent(new Event("x")));
        log.join(",")
    "#);
    assert_eq!(log, "true,true,true,true,true");
}

#[test]
fn dom_exception_shape() {
    let (log, _) = run(r#"
        const e = new DOMException("msg", "InvalidStateError");
        const d = new DOMException();
        [e.name, e.message, e.code, e instanceof Error, Object.prototype.toString.call(e),
         String(e), d.name, d.message, d.code, DOMException.INVALID_STATE_ERR,
         new DOMException("", "QuotaExceededError").code, new DOMException("", "Nope").code,
         Object.getPrototypeOf(DOMException.prototype) === Error.prototype,
         Object.getOwnPropertyDescriptor(globalThis, "DOMException").enumerable,
         typeof Object.getOwnPropertyDescriptor(DOMException.prototype, "name").get,
         Object.getOwnPropertyDescriptor(DOMException.prototype, "name").get.name].join(",")
    "#);
    assert_eq!(
        log,
        "InvalidStateError,msg,11,true,[object DOMException],InvalidStateError: msg,Error,,0,11,22,0,true,false,function,get name"
    );
}

#[test]
fn brand_checks_and_constructor_rules() {
    let (log, _) = run(r#"
        const out = [];
        for (const f of [() => EventTarget(), () => Event("x"), () => new Event(),
                         () => EventTarget.prototype.addEventListener.call({}, "x", null),
                         () => Object.getOwnPropertyDescriptor(Event.prototype, "type").get.call({})]) {
            try { f(); out.push("no throw"); } catch (e) { out.push(e instanceof TypeError); }
        }
        out.push(EventTarget.prototype.addEventListener.length, Event.length,
                 Object.prototype.toString.call(new Event("x")),
                 Object.getOwnPropertyDescriptor(EventTarget.prototype, "dispatchEvent").enumerable);
        out.join(",")
    "#);
    assert_eq!(log, "true,true,true,true,true,2,1,[object Event],true");
}
