//! The media elements through the runtime, in virtual time, on the test content of
//! `wpt-subset/encrypted-media/content`: an encrypted clip played to `ended` with a Clear Key
//! session presents exactly the clear clip's frames, in HTML's and EME's event order; a late
//! licence resumes playback; a wrong key is a decode error; `setMediaKeys()`'s edge cases;
//! the shapes of `TimeRanges` and `MediaError`.

mod common;

use std::path::PathBuf;

use common::json;
use eme_host::{LocalFileFetcher, Runtime, RuntimeBuilder};

fn content_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../wpt-subset/encrypted-media/content")
        .canonicalize()
        .unwrap()
}

/// A runtime in virtual time whose base URL is the content directory (so `src = "cenc/…"`
/// works) and which may read it.
fn runtime() -> Runtime {
    let dir = content_dir();
    let base = url::Url::from_directory_path(&dir).unwrap();
    let fetcher = LocalFileFetcher::new(base.clone(), [dir]).unwrap();
    RuntimeBuilder::new()
        .quiet(true)
        .print_problems(false)
        .virtual_time(true)
        .location(base)
        .fetcher(fetcher)
        .build()
}

/// Helpers every script gets: the Clear Key licence for a keys.json entry, the event log.
const PRELUDE: &str = r#"
var log = [];
var MEDIA_EVENTS = ["loadstart", "progress", "suspend", "abort", "error", "emptied", "durationchange",
  "resize", "loadedmetadata", "loadeddata", "canplay", "canplaythrough", "play", "playing", "waiting",
  "seeking", "seeked", "pause", "ended", "ratechange", "volumechange", "encrypted", "waitingforkey"];
function record(element) {
  MEDIA_EVENTS.forEach(function (name) {
    element.addEventListener(name, function () { log.push(name); });
  });
}
function b64url(hex) {
  var bytes = hex.match(/../g).map(function (h) { return parseInt(h, 16); });
  return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
async function licence(name, wrongKey) {
  var keys = await (await fetch("keys.json")).json();
  var key = wrongKey ? "00112233445566778899aabbccddeeff" : keys[name].key;
  var set = { keys: [{ kty: "oct", kid: b64url(keys[name].kid), k: b64url(key) }] };
  return new TextEncoder().encode(JSON.stringify(set));
}
async function clearKeys() {
  var access = await navigator.requestMediaKeySystemAccess("org.w3.clearkey", [{
    initDataTypes: ["cenc"],
    videoCapabilities: [{ contentType: 'video/mp4; codecs="avc1.64001f"' }],
    audioCapabilities: [{ contentType: 'audio/mp4; codecs="mp4a.40.2"' }],
  }]);
  return access.createMediaKeys();
}
/// On `encrypted`: setMediaKeys, a session, generateRequest, and (unless `licenceAfter` is a
/// promise to wait for first) update with the licence.
function handleEncrypted(video, options) {
  options = options || {};
  video.addEventListener("encrypted", async function (event) {
    var keys = await clearKeys();
    await video.setMediaKeys(keys);
    var session = keys.createSession();
    self.session = session;
    session.addEventListener("message", async function () {
      if (options.licenceAfter) await options.licenceAfter;
      await session.update(await licence(options.keyName || "video", options.wrongKey));
    });
    await session.generateRequest(event.initDataType, event.initData);
  });
}
"#;

fn run(source: &str) -> Runtime {
    let mut runtime = runtime();
    runtime
        .eval_script(&format!("{PRELUDE}\n{source}"), "media.js")
        .expect("script runs");
    runtime.run_event_loop().expect("event loop runs to idle");
    assert!(
        runtime.report().is_clean(),
        "problems: {:?}",
        runtime.report()
    );
    runtime
}

fn clear_video_digest() -> [u8; 32] {
    let bytes = std::fs::read(content_dir().join("clear/video.mp4")).unwrap();
    let file = eme_media::parse_file(&bytes).unwrap();
    let digests = eme_media::playback::file_digests(&file);
    assert_eq!(digests.len(), 1);
    digests.values().next().unwrap().1
}

#[test]
fn an_encrypted_clip_plays_to_the_end_with_the_clear_clips_frames() {
    let mut rt = run(r#"
        var video = document.createElement("video");
        record(video);
        handleEncrypted(video);
        var states = [];
        video.addEventListener("loadedmetadata", function () { states.push(["loadedmetadata", video.readyState, video.duration]); });
        video.addEventListener("ended", function () {
            states.push(["ended", video.currentTime, video.readyState, video.ended, video.paused]);
        });
        video.src = "cenc/video.mp4";
        video.play().then(function () { log.push("play() resolved"); });
    "#);
    assert_eq!(
        json(&mut rt, "log"),
        r#"["play","waiting","loadstart","encrypted","durationchange","resize","loadedmetadata","waitingforkey","progress","suspend","loadeddata","canplay","playing","play() resolved","canplaythrough","pause","ended"]"#
    );
    assert_eq!(
        json(&mut rt, "states"),
        r#"[["loadedmetadata",1,2],["ended",2,2,true,true]]"#
    );
    assert_eq!(
        json(
            &mut rt,
            "[video.videoWidth > 0, video.videoHeight > 0, video.error]"
        ),
        "[true,true,null]"
    );
    let reports = eme_html::media_reports(rt.context());
    assert_eq!(reports.len(), 1);
    let track = &reports[0].tracks[0];
    assert_eq!(track.frames_presented, 50);
    assert_eq!(track.time_reached.as_secs_f64(), 2.0);
    assert_eq!(track.digest, clear_video_digest());
    assert!(reports[0].current_src.ends_with("/cenc/video.mp4"));
}

#[test]
fn without_decryption_the_digest_differs() {
    let bytes = std::fs::read(content_dir().join("cenc/video.mp4")).unwrap();
    let file = eme_media::parse_file(&bytes).unwrap();
    let encrypted = eme_media::playback::file_digests(&file);
    assert_ne!(encrypted.values().next().unwrap().1, clear_video_digest());
    // And nothing is presented without keys.
    let mut rt = run(r#"
        var video = document.createElement("video");
        record(video);
        video.src = "cenc/video.mp4";
        video.play();
    "#);
    assert!(json(&mut rt, "log").contains("\"waitingforkey\""));
    let reports = eme_html::media_reports(rt.context());
    assert_eq!(reports[0].tracks[0].frames_presented, 0);
    assert_eq!(
        json(
            &mut rt,
            "[video.currentTime, video.paused, video.readyState <= 1]"
        ),
        "[0,false,true]"
    );
}

#[test]
fn a_late_licence_resumes_playback_to_the_end() {
    let mut rt = run(r#"
        var video = document.createElement("video");
        record(video);
        var release;
        var licenceAfter = new Promise(function (resolve) { release = resolve; });
        handleEncrypted(video, { licenceAfter: licenceAfter });
        video.addEventListener("waitingforkey", function () {
            setTimeout(function () { log.push("licence"); release(); }, 3000);
        });
        video.src = "cenc/video.mp4";
        video.play();
    "#);
    let log = json(&mut rt, "log");
    assert!(
        log.ends_with(r#""waitingforkey","progress","suspend","licence","loadeddata","canplay","playing","canplaythrough","pause","ended"]"#),
        "{log}"
    );
    assert_eq!(json(&mut rt, "video.currentTime"), "2");
    assert_eq!(
        eme_html::media_reports(rt.context())[0].tracks[0].digest,
        clear_video_digest()
    );
}

#[test]
fn a_wrong_key_is_a_decode_error() {
    // AAC's framing check detects a wrong key (AVC's does only when NAL lengths are encrypted).
    let mut rt = run(r#"
        var video = document.createElement("audio");
        record(video);
        handleEncrypted(video, { wrongKey: true, keyName: "audio" });
        video.addEventListener("error", function () {
            self.error = [video.error.code, video.error.MEDIA_ERR_DECODE, video.error instanceof MediaError,
                          video.error === video.error, typeof video.error.message, video.error.message.length > 0];
        });
        video.src = "cenc/audio.mp4";
        video.play().catch(function (e) { log.push("play() rejected " + e.name); });
    "#);
    assert!(
        json(&mut rt, "log").contains("\"error\""),
        "{}",
        json(&mut rt, "log")
    );
    assert_eq!(json(&mut rt, "error"), r#"[3,3,true,true,"string",true]"#);
}

#[test]
fn set_media_keys_edge_cases() {
    let mut rt = run(r#"
        var results = {};
        (async function () {
            var video = document.createElement("video");
            var other = document.createElement("video");
            var keys = await clearKeys();
            var keys2 = await clearKeys();
            await video.setMediaKeys({}).catch(function (e) { results.notKeys = e.name; });
            await video.setMediaKeys().catch(function (e) { results.missing = e.name; });
            var first = video.setMediaKeys(keys);
            var second = await video.setMediaKeys(keys2).catch(function (e) { return e.name; });
            results.pending = second;
            await first;
            results.attached = video.mediaKeys === keys;
            results.same = await video.setMediaKeys(keys).then(function () { return "resolved"; });
            results.quota = await other.setMediaKeys(keys).catch(function (e) { return e.name + " " + e.code; });
            results.otherKeys = other.mediaKeys;
            await video.setMediaKeys(null);
            results.detached = video.mediaKeys;
            await other.setMediaKeys(keys);
            results.reused = other.mediaKeys === keys;
        })();
        // null while playing: the element waits for a key again.
        (async function () {
            var playing = document.createElement("video");
            record(playing);
            handleEncrypted(playing);
            playing.addEventListener("playing", async function () {
                await playing.setMediaKeys(null);
                results.nullWhilePlaying = playing.mediaKeys;
            }, { once: true });
            playing.src = "cenc/video.mp4";
            playing.play().catch(function () {});
        })();
    "#);
    assert_eq!(
        json(&mut rt, "results"),
        r#"{"notKeys":"TypeError","missing":"TypeError","pending":"InvalidStateError","attached":true,"same":"resolved","quota":"QuotaExceededError 22","otherKeys":null,"detached":null,"reused":true,"nullWhilePlaying":null}"#
    );
    // The element that lost its keys stopped at a frame it could not decrypt.
    let log = json(&mut rt, "log");
    assert_eq!(log.matches("waitingforkey").count(), 2, "{log}");
    assert!(!log.contains("ended"), "{log}");
}

#[test]
fn time_ranges_and_media_error_shapes() {
    let mut rt = run(r#"
        var shapes = {};
        var video = document.createElement("video");
        shapes.empty = [video.buffered.length, video.seekable.length, video.played.length, video.buffered instanceof TimeRanges];
        try { video.buffered.start(0); } catch (e) { shapes.index = e.name; }
        try { video.volume = 1.5; } catch (e) { shapes.volume = e.name; }
        try { video.playbackRate = -1; } catch (e) { shapes.rate = e.name; }
        try { new TimeRanges(); } catch (e) { shapes.ctor = e.constructor.name; }
        shapes.constants = [MediaError.MEDIA_ERR_ABORTED, MediaError.MEDIA_ERR_NETWORK, MediaError.MEDIA_ERR_DECODE,
                            MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED, HTMLMediaElement.HAVE_ENOUGH_DATA, HTMLMediaElement.NETWORK_NO_SOURCE];
        video.addEventListener("loadedmetadata", function () {
            var b = video.buffered;
            shapes.loaded = [b.length, b.start(0), b.end(0), video.seekable.end(0), b === video.buffered];
            try { b.end(1); } catch (e) { shapes.index1 = e.name; }
        });
        video.src = "clear/video.mp4";
        var missing = document.createElement("video");
        missing.addEventListener("error", function () {
            shapes.missing = [missing.error.code, missing.networkState, missing.error.message.indexOf("missing.mp4") >= 0];
        });
        missing.src = "missing.mp4";
        missing.play().catch(function (e) { shapes.missingPlay = e.name; });
    "#);
    assert_eq!(
        json(&mut rt, "shapes"),
        r#"{"empty":[0,0,0,true],"index":"IndexSizeError","volume":"IndexSizeError","rate":"NotSupportedError","ctor":"TypeError","constants":[1,2,3,4,4,3],"loaded":[1,0,2,2,false],"index1":"IndexSizeError","missing":[4,3,true],"missingPlay":"NotSupportedError"}"#
    );
}
