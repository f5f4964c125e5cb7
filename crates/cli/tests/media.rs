//! `eme run --media-report` as a user runs it: the bundled example plays encrypted content to
//! its end, and the digest of the frames it decrypted equals the digest of playing the clear
//! packaging of the same clip — for every scheme.

mod common;

use std::path::Path;

use common::{Scripts, eme, stderr, stdout};

fn project() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The `sha256 …` lines of a media report.
fn digests(report: &str) -> Vec<String> {
    report
        .lines()
        .filter_map(|line| {
            line.split_once("sha256 ")
                .map(|(_, digest)| digest.to_owned())
        })
        .collect()
}

#[test]
fn the_example_plays_every_scheme_to_the_clear_frames() {
    let dir = Scripts::new("media-example");
    let content = project().join("wpt-subset/encrypted-media/content");
    let clear = dir.write(
        "clear.js",
        &format!(
            "const v = document.createElement('video');\nv.src = {:?};\nv.play();\n",
            content.join("clear/video.mp4").display().to_string()
        ),
    );
    let allow = content.to_str().unwrap();
    let run = eme(
        &[
            "run",
            "--allow-read",
            allow,
            "--media-report",
            clear.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let reference = digests(&stdout(&run));
    assert_eq!(reference.len(), 1, "{}", stdout(&run));

    let example = std::fs::read_to_string(project().join("examples/play-encrypted.js")).unwrap();
    for scheme in ["cenc", "cbcs", "cens", "cbc1"] {
        // The example as shipped, pointed at the content by absolute path from a temp dir.
        let script = dir.write(
            &format!("play-{scheme}.js"),
            &example
                .replace(
                    "const content = \"../wpt-subset/encrypted-media/content/\";",
                    &format!("const content = {:?};", format!("{}/", content.display())),
                )
                .replace(
                    "const scheme = \"cenc\";",
                    &format!("const scheme = \"{scheme}\";"),
                ),
        );
        let run = eme(
            &[
                "run",
                "--allow-read",
                allow,
                "--media-report",
                script.to_str().unwrap(),
            ],
            dir.path(),
        );
        assert!(run.status.success(), "{scheme}: {}", stderr(&run));
        let out = stdout(&run);
        assert!(out.contains("waitingforkey"), "{scheme}: {out}");
        assert!(out.contains("ended at 2s"), "{scheme}: {out}");
        assert_eq!(digests(&out), reference, "{scheme}: {out}");
    }
}
