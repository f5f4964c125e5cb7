//! GC safety of the EME objects: state reachable only through pending work or traced fields
//! survives forced collections.

mod common;

use boa_engine::{JsValue, NativeFunction, js_string};
use common::{json, runtime};

/// Defines `gc()`, a forced full collection, for the script.
fn define_gc(runtime: &mut eme_host::Runtime) {
    let gc = NativeFunction::from_fn_ptr(|_, _, _| {
        boa_gc::force_collect();
        Ok(JsValue::undefined())
    });
    runtime
        .context()
        .register_global_callable(js_string!("gc"), 0, gc)
        .expect("define gc");
}

#[test]
fn an_unreferenced_session_with_pending_work_keeps_its_listeners_across_collections() {
    let mut rt = runtime();
    define_gc(&mut rt);
    rt.eval_script(
        r#"
        var log = [];
        // No closure below captures the session: between steps it is reachable only through
        // the tasks the implementation queued.
        function start(keys) {
            const session = keys.createSession();
            session.addEventListener("message", e => { log.push("message:" + e.messageType); gc(); e.target.close(); });
            session.closed.then(reason => { log.push("closed:" + reason); gc(); });
            session.generateRequest("keyids",
                new TextEncoder().encode(JSON.stringify({ kids: ["AAECAwQFBgcICQoLDA0ODw"] })))
                .then(() => { log.push("resolved"); gc(); });
        }
        navigator.requestMediaKeySystemAccess("org.w3.clearkey",
            [{ initDataTypes: ["keyids"], videoCapabilities: [{ contentType: "video/webm" }] }])
            .then(access => access.createMediaKeys())
            .then(keys => { start(keys); gc(); });
        "#,
        "gc.js",
    )
    .expect("script runs");
    rt.run_event_loop().expect("event loop");
    assert_eq!(
        json(&mut rt, "log"),
        r#"["resolved","message:license-request","closed:closed-by-application"]"#
    );
    assert!(rt.report().is_clean(), "{:?}", rt.report());
}

#[test]
fn key_status_maps_and_iterators_survive_collections() {
    let mut rt = runtime();
    rt.eval_script(
        r#"
        var out = [];
        (async () => {
            const access = await navigator.requestMediaKeySystemAccess("org.w3.clearkey",
                [{ initDataTypes: ["keyids"], audioCapabilities: [{ contentType: 'audio/webm; codecs="opus"' }] }]);
            const session = (await access.createMediaKeys()).createSession();
            const kid = "AAECAwQFBgcICQoLDA0ODw";
            await session.generateRequest("keyids", new TextEncoder().encode(JSON.stringify({ kids: [kid] })));
            await session.update(new TextEncoder().encode(JSON.stringify({ keys: [{ kty: "oct", kid, k: kid }] })));
            globalThis.iterator = session.keyStatuses.entries();
            globalThis.statuses = session.keyStatuses;
        })();
        "#,
        "gc2.js",
    )
    .expect("script runs");
    rt.run_event_loop().expect("event loop");
    boa_gc::force_collect();
    assert_eq!(
        json(
            &mut rt,
            "[statuses.size, [...iterator].map(([k, v]) => [k.byteLength, v])]"
        ),
        r#"[1,[[16,"usable"]]]"#
    );
}
