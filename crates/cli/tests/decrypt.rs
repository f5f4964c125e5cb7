//! `eme decrypt` as a user runs it, on the committed test media (`scripts/make-test-media`):
//! every scheme's output decodes in ffmpeg to the same frames as the clear clip, an independent
//! check of what the library tests compare byte for byte. ffmpeg comes from
//! `scripts/install-test-tools`, which the test command runs first.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{Scripts, eme, stderr, stdout};

fn content(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../wpt-subset/encrypted-media/content")
        .join(path)
}

/// `--key KID:KEY` for an entry of `keys.json`.
fn key_arg(name: &str) -> String {
    let keys: serde_json::Value =
        serde_json::from_slice(&std::fs::read(content("keys.json")).unwrap()).unwrap();
    format!(
        "{}:{}",
        keys[name]["kid"].as_str().unwrap(),
        keys[name]["key"].as_str().unwrap()
    )
}

/// The per-frame checksums ffmpeg decodes from `file` (`-f framemd5`, header lines dropped).
fn decoded_frames(file: &Path) -> Vec<String> {
    let output = Command::new("ffmpeg")
        .args(["-v", "error", "-i"])
        .arg(file)
        .args(["-f", "framemd5", "-"])
        .output()
        .expect("ffmpeg is needed for this test: run scripts/install-test-tools");
    assert!(
        output.status.success() && output.stderr.is_empty(),
        "ffmpeg could not decode {}: {}",
        file.display(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .filter(|line| !line.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_scheme_decodes_like_the_clear_clip_in_ffmpeg() {
    let dir = Scripts::new("decrypt-ffmpeg");
    for (stream, key) in [("video", "video"), ("audio", "audio")] {
        let reference = decoded_frames(&content(&format!("clear/{stream}.mp4")));
        assert!(reference.len() > 40, "{stream}: {} frames", reference.len());
        for scheme in ["cenc", "cbcs", "cens", "cbc1"] {
            let output = dir.path().join(format!("{scheme}-{stream}.mp4"));
            let input = content(&format!("{scheme}/{stream}.mp4"));
            let run = eme(
                &[
                    "decrypt",
                    "--key",
                    &key_arg(key),
                    input.to_str().unwrap(),
                    output.to_str().unwrap(),
                ],
                dir.path(),
            );
            assert!(run.status.success(), "{scheme} {stream}: {}", stderr(&run));
            assert!(stdout(&run).contains("decrypted"), "{}", stdout(&run));
            assert_eq!(decoded_frames(&output), reference, "{scheme} {stream}");
        }
    }
}

#[test]
fn a_progressive_file_decodes_like_its_source() {
    let dir = Scripts::new("decrypt-progressive");
    let output = dir.path().join("clear.mp4");
    let input = content("progressive/cenc.mp4");
    let run = eme(
        &[
            "decrypt",
            "--key",
            &key_arg("progressive"),
            input.to_str().unwrap(),
            output.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert!(run.status.success(), "{}", stderr(&run));
    assert_eq!(
        decoded_frames(&output),
        decoded_frames(&content("clip.mp4"))
    );
}

#[test]
fn info_describes_without_decrypting() {
    let dir = Scripts::new("decrypt-info");
    let input = content("cens/video.mp4");
    let run = eme(&["decrypt", "--info", input.to_str().unwrap()], dir.path());
    assert!(run.status.success(), "{}", stderr(&run));
    let text = stdout(&run);
    assert!(text.contains("scheme 'cens'"), "{text}");
    assert!(text.contains("pattern 1:9, per-sample IV size 8"), "{text}");
    assert!(text.contains("W3C Common (Clear Key)"), "{text}");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "--info wrote a file"
    );
}

#[test]
fn a_missing_key_fails_naming_the_key_id() {
    let dir = Scripts::new("decrypt-missing");
    let input = content("cbcs/video.mp4");
    let output = dir.path().join("out.mp4");
    let run = eme(
        &[
            "decrypt",
            "--key",
            &key_arg("audio"),
            input.to_str().unwrap(),
            output.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("no key given for key ID 4b8f3a2c1d0e5f6a7b8c9d0e1f2a3b4c"),
        "{}",
        stderr(&run)
    );
    assert!(!output.exists(), "nothing is written on failure");
}

#[test]
fn a_wrong_audio_key_is_detected() {
    let dir = Scripts::new("decrypt-wrong");
    let input = content("cenc/audio.mp4");
    let output = dir.path().join("out.mp4");
    let wrong = format!("{}:{}", &key_arg("audio")[..32], "00".repeat(16));
    let run = eme(
        &[
            "decrypt",
            "--key",
            &wrong,
            input.to_str().unwrap(),
            output.to_str().unwrap(),
        ],
        dir.path(),
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(
        stderr(&run).contains("the key is probably wrong"),
        "{}",
        stderr(&run)
    );
}

#[test]
fn malformed_keys_and_missing_files_are_usage_errors() {
    let dir = Scripts::new("decrypt-usage");
    let input = content("cenc/video.mp4");
    let input = input.to_str().unwrap();
    for key in [
        "00:11",
        "4b8f3a2c1d0e5f6a7b8c9d0e1f2a3b4c",
        &format!("{}:{}", "g".repeat(32), "0".repeat(32)),
    ] {
        let run = eme(&["decrypt", "--key", key, input, "out.mp4"], dir.path());
        assert_eq!(run.status.code(), Some(2), "--key {key}: {}", stderr(&run));
    }
    let run = eme(&["decrypt", input], dir.path());
    assert_eq!(run.status.code(), Some(2), "no OUTPUT: {}", stderr(&run));
    let run = eme(&["decrypt", "--info", "no-such-file.mp4"], dir.path());
    assert_eq!(run.status.code(), Some(2));
    assert!(
        stderr(&run).contains("no-such-file.mp4"),
        "{}",
        stderr(&run)
    );
}
