//! What a media element sees of its `MediaKeys` (`eme::MediaKeysHandle`): the keys of every
//! session, and "Attempt to Resume Playback If Necessary" queued after each key status change,
//! after the session's `keystatuseschange` task.

mod common;

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use boa_engine::{Context, Source, js_string};
use common::{json, runtime};
use eme::{MediaKeysHandle, MediaKeysUser};

/// Records each call, and what the script's log held at that moment.
struct Recorder(RefCell<Vec<String>>);

impl MediaKeysUser for Recorder {
    fn attempt_to_resume_playback(&self, ctx: &mut Context) {
        let log = ctx
            .eval(Source::from_bytes(b"log.join(',')"))
            .and_then(|v| v.to_string(ctx))
            .map(|s| s.to_std_string_escaped())
            .unwrap_or_default();
        self.0.borrow_mut().push(log);
    }
}

const KEY_ID: [u8; 16] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

#[test]
fn key_status_changes_reach_the_attached_element_after_keystatuseschange() {
    let mut rt = runtime();
    rt.eval_script(
        r#"
        var log = [];
        var keys, session;
        navigator.requestMediaKeySystemAccess("org.w3.clearkey",
            [{ initDataTypes: ["keyids"], videoCapabilities: [{ contentType: "video/mp4" }] }])
            .then(access => access.createMediaKeys())
            .then(k => { keys = k; });
        "#,
        "setup.js",
    )
    .unwrap();
    rt.run_event_loop().unwrap();
    let object = rt
        .context()
        .global_object()
        .get(js_string!("keys"), rt.context())
        .unwrap();
    let object = object.as_object().expect("a MediaKeys object");
    let handle = MediaKeysHandle::of(&object).expect("the MediaKeys brand");
    assert!(MediaKeysHandle::of(&rt.context().global_object()).is_none());
    assert!(!handle.in_use());
    assert_eq!(handle.key(&KEY_ID), None);

    let recorder = Rc::new(Recorder(RefCell::new(Vec::new())));
    let user: Rc<dyn MediaKeysUser> = recorder.clone();
    let weak: Weak<dyn MediaKeysUser> = Rc::downgrade(&user);
    handle.attach(weak.clone());
    assert!(handle.in_use());

    rt.eval_script(
        r#"
        session = keys.createSession();
        session.onkeystatuseschange = () => log.push("keystatuseschange");
        session.onmessage = e => {
            log.push("message");
            const licence = { keys: [{ kty: "oct", kid: "AAECAwQFBgcICQoLDA0ODw",
                                       k: "EREREREREREREREREREREQ" }] };
            session.update(new TextEncoder().encode(JSON.stringify(licence)))
                .then(() => log.push("updated"));
        };
        session.generateRequest("keyids",
            new TextEncoder().encode(JSON.stringify({ kids: ["AAECAwQFBgcICQoLDA0ODw"] })));
        "#,
        "session.js",
    )
    .unwrap();
    rt.run_event_loop().unwrap();
    assert_eq!(handle.key(&KEY_ID), Some([0x11; 16]));
    assert_eq!(
        *recorder.0.borrow(),
        vec!["message,updated,keystatuseschange".to_string()]
    );

    // Closing the session destroys its keys and changes its statuses (to none) once more.
    rt.eval_script("session.close();", "close.js").unwrap();
    rt.run_event_loop().unwrap();
    assert_eq!(handle.key(&KEY_ID), None);
    assert_eq!(recorder.0.borrow().len(), 2);

    // A detached element hears nothing; one that is gone drops out.
    handle.detach(&weak);
    assert!(!handle.in_use());
    handle.attach(weak);
    drop(user);
    drop(recorder);
    assert!(
        !handle.in_use(),
        "a dropped element no longer uses the MediaKeys"
    );
    assert_eq!(json(&mut rt, "log.length"), "4");
}
