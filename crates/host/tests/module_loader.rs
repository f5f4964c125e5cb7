//! `import()` must not read files. This file is its own test binary because it changes the
//! process's working directory (the directory Boa's default loader reads from).

mod common;

use std::path::PathBuf;

use boa_engine::{Context, Source};
use common::{json, run, runtime};

const IMPORT: &str = r#"
    var result = "pending";
    import("secret.json", { with: { type: "json" } }).then(
        (module) => { result = "read: " + JSON.stringify(module.default); },
        (error) => { result = "blocked: " + error.message; },
    );
"#;

fn unique_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("eme-host-import-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn import_cannot_read_a_file_that_a_default_boa_context_would_read() {
    let dir = unique_dir();
    std::fs::write(dir.join("secret.json"), r#"{"password": "hunter2"}"#).unwrap();
    std::env::set_current_dir(&dir).unwrap();

    // Control: a default Boa context (filesystem loader rooted at the cwd) reads the file,
    // so the runtime below is blocking a real read, not failing for another reason.
    let mut plain = Context::default();
    plain.eval(Source::from_bytes(IMPORT)).unwrap();
    plain.run_jobs().unwrap();
    let leaked = plain
        .eval(Source::from_bytes("result"))
        .unwrap()
        .to_string(&mut plain)
        .unwrap()
        .to_std_string_escaped();
    assert!(
        leaked.contains("hunter2"),
        "control did not read the file: {leaked}"
    );

    let mut rt = runtime();
    run(&mut rt, IMPORT);
    let result = json(&mut rt, "result");
    assert!(result.starts_with("\"blocked: "), "{result}");
    assert!(!result.contains("hunter2"), "{result}");
    assert!(rt.report().is_clean(), "{:?}", rt.report());

    std::fs::remove_dir_all(&dir).ok();
}
