//! `fetch()` of local files through `LocalFileFetcher`: beside the script, by `file:` URL,
//! 404 for a missing file, refused outside the allowed directories; and `location`.

mod common;

use std::path::{Path, PathBuf};

use common::json;
use eme_host::{LocalFileFetcher, Runtime, RuntimeBuilder};

/// `site/main.js` with `site/media/init.mp4` (1000 bytes), `site/data.json`, and a file
/// outside the script's directory, `other/secret.txt`.
struct Site {
    dir: tempfile::TempDir,
}

impl Site {
    fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("eme-host-fetch-")
            .tempdir()
            .unwrap();
        let site = Self { dir };
        site.write("site/main.js", "");
        site.write("site/media/init.mp4", "");
        std::fs::write(site.path("site/media/init.mp4"), vec![7_u8; 1000]).unwrap();
        site.write("site/data.json", r#"{"kid": "abc", "n": [1, 2]}"#);
        site.write("other/secret.txt", "secret");
        site
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, text: &str) {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn runtime(&self, allow_read: &[&Path]) -> Runtime {
        let fetcher = LocalFileFetcher::for_scripts(&[self.path("site/main.js")], allow_read)
            .unwrap()
            .with_refusal_hint("pass --allow-read DIR to allow it");
        RuntimeBuilder::new()
            .quiet(true)
            .print_problems(false)
            .virtual_time(true)
            .location(fetcher.base().clone())
            .fetcher(fetcher)
            .build()
    }
}

/// Runs `script` (which sets `result`, possibly later) and the loop; `JSON` of `result`.
fn result_of(rt: &mut Runtime, script: &str) -> String {
    rt.eval_script(&format!("var result = 'pending';\n{script}"), "test.js")
        .unwrap();
    rt.run_event_loop().unwrap();
    json(rt, "result")
}

#[test]
fn a_file_beside_the_script_comes_as_an_array_buffer_with_its_content_type() {
    let site = Site::new();
    let mut rt = site.runtime(&[]);
    let result = result_of(
        &mut rt,
        r#"fetch("media/init.mp4").then(async r => {
            const bytes = await r.arrayBuffer();
            result = [r.ok, r.status, r.headers.get("content-type"), r.headers.get("content-length"),
                      bytes instanceof ArrayBuffer, bytes.byteLength, new Uint8Array(bytes)[999],
                      r.url.startsWith("file:///") && r.url.endsWith("/site/media/init.mp4")];
        });"#,
    );
    assert_eq!(result, r#"[true,200,"video/mp4","1000",true,1000,7,true]"#);
    assert!(rt.report().is_clean(), "{:?}", rt.report());
}

#[test]
fn json_and_text_bodies_and_file_urls() {
    let site = Site::new();
    let mut rt = site.runtime(&[]);
    let result = result_of(
        &mut rt,
        r#"Promise.all([
            fetch("./data.json").then(r => r.json()),
            fetch(new URL("data.json", location.href).href).then(r => r.text()),
            fetch("data.json").then(r => r.headers.get("content-type")),
        ]).then(values => { result = values; });"#,
    );
    assert_eq!(
        result,
        r#"[{"kid":"abc","n":[1,2]},"{\"kid\": \"abc\", \"n\": [1, 2]}","application/json"]"#
    );
}

#[test]
fn a_missing_file_is_a_404_response() {
    let site = Site::new();
    let mut rt = site.runtime(&[]);
    let result = result_of(
        &mut rt,
        r#"fetch("media/nope.m4s").then(r => { result = [r.ok, r.status]; });"#,
    );
    assert_eq!(result, "[false,404]");
}

#[test]
fn a_file_outside_the_allowed_directories_is_refused_naming_the_path_and_the_flag() {
    let site = Site::new();
    let mut rt = site.runtime(&[]);
    let result = result_of(
        &mut rt,
        r#"fetch("../other/secret.txt").then(() => { result = "read"; },
               e => { result = [e instanceof TypeError, e.message]; });"#,
    );
    assert!(result.starts_with("[true,"), "{result}");
    assert!(result.contains("secret.txt"), "{result}");
    assert!(result.contains("--allow-read"), "{result}");

    // Absolute file: URLs are held to the same rule.
    let mut rt = site.runtime(&[]);
    let url = url::Url::from_file_path(site.path("other/secret.txt")).unwrap();
    let result = result_of(
        &mut rt,
        &format!(
            r#"fetch("{url}").then(() => {{ result = "read"; }}, e => {{ result = e.message; }});"#
        ),
    );
    assert!(result.contains("--allow-read"), "{result}");
}

#[test]
fn allow_read_opens_another_directory() {
    let site = Site::new();
    let other = site.path("other");
    let mut rt = site.runtime(&[&other]);
    let result = result_of(
        &mut rt,
        r#"fetch("../other/secret.txt").then(r => r.text()).then(t => { result = t; });"#,
    );
    assert_eq!(result, r#""secret""#);
}

#[test]
fn urls_that_are_not_local_files_are_network_errors() {
    let site = Site::new();
    let mut rt = site.runtime(&[]);
    let result = result_of(
        &mut rt,
        r#"fetch("https://example.com/licence").then(() => { result = "fetched"; },
               e => { result = [e.name, e.message.includes("not a local file")]; });"#,
    );
    assert_eq!(result, r#"["TypeError",true]"#);
}

#[test]
fn location_is_the_first_scripts_file_url() {
    let site = Site::new();
    let mut rt = site.runtime(&[]);
    let href = json(&mut rt, "location.href");
    assert!(href.starts_with(r#""file:///"#), "{href}");
    assert!(href.ends_with(r#"/site/main.js""#), "{href}");
    assert_eq!(json(&mut rt, "location.protocol"), r#""file:""#);
}

#[test]
fn without_a_fetcher_there_is_no_fetch_and_no_location() {
    let mut rt = common::runtime();
    assert_eq!(
        json(&mut rt, "[typeof fetch, typeof location]"),
        r#"["undefined","undefined"]"#
    );
}
