//! Media Source Extensions through the runtime, in virtual time, on the test content of
//! `wpt-subset/encrypted-media/content`: a script attaches a `MediaSource` to a video element
//! through `URL.createObjectURL()`, appends the encrypted clip in chunks, handles `encrypted`
//! with a Clear Key session and plays to `ended`, presenting exactly the clear clip's frames;
//! and the error paths of `MediaSource` and `SourceBuffer`.

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

/// A runtime in virtual time whose base URL is the content directory and which may read it.
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

/// The clip's codec string (its `avcC`: profile 0x4d, constraints 0x40, level 0x0b).
const TYPE: &str = r#"video/mp4; codecs=\"avc1.4d400b\""#;

/// Helpers every script gets: the event log, the Clear Key licence, the clip's bytes.
const PRELUDE: &str = r#"
var log = [];
var MEDIA_EVENTS = ["loadstart", "progress", "suspend", "abort", "error", "emptied", "durationchange",
  "resize", "loadedmetadata", "loadeddata", "canplay", "canplaythrough", "play", "playing", "waiting",
  "seeking", "seeked", "pause", "ended", "ratechange", "encrypted", "waitingforkey"];
function record(target, names, prefix) {
  names.forEach(function (name) {
    target.addEventListener(name, function () { log.push((prefix || "") + name); });
  });
}
function b64url(hex) {
  var bytes = hex.match(/../g).map(function (h) { return parseInt(h, 16); });
  return btoa(String.fromCharCode.apply(null, bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}
async function licence(name) {
  var keys = await (await fetch("keys.json")).json();
  var set = { keys: [{ kty: "oct", kid: b64url(keys[name].kid), k: b64url(keys[name].key) }] };
  return new TextEncoder().encode(JSON.stringify(set));
}
function handleEncrypted(video) {
  video.addEventListener("encrypted", async function (event) {
    var access = await navigator.requestMediaKeySystemAccess("org.w3.clearkey", [{
      initDataTypes: ["cenc"], videoCapabilities: [{ contentType: 'video/mp4; codecs="avc1.4d400b"' }] }]);
    var keys = await access.createMediaKeys();
    await video.setMediaKeys(keys);
    var session = keys.createSession();
    session.addEventListener("message", async function () { await session.update(await licence("video")); });
    await session.generateRequest(event.initDataType, event.initData);
  });
}
async function clip() {
  return new Uint8Array(await (await fetch("cenc/video.mp4")).arrayBuffer());
}
function updateEnd(sb) {
  return new Promise(function (resolve) { sb.addEventListener("updateend", resolve, { once: true }); });
}
function attach() {
  var video = document.createElement("video");
  var ms = new MediaSource();
  video.src = URL.createObjectURL(ms);
  return { video: video, ms: ms, open: new Promise(function (r) { ms.addEventListener("sourceopen", r, { once: true }); }) };
}
var results = {};
function fails(name, f) {
  try { f(); return "no exception"; } catch (e) { return e.name === name ? name : e.name + ": " + e.message; }
}
"#;

fn run(source: &str) -> Runtime {
    let mut runtime = runtime();
    let source = source.replace("TYPE", TYPE);
    runtime
        .eval_script(&format!("{PRELUDE}\n{source}"), "mse.js")
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
fn an_encrypted_clip_appended_in_chunks_plays_to_the_end_with_the_clear_clips_frames() {
    let mut rt = run(r#"
        var video = document.createElement("video");
        record(video, MEDIA_EVENTS);
        handleEncrypted(video);
        var ms = new MediaSource();
        record(ms, ["sourceopen", "sourceended", "sourceclose"]);
        record(ms.sourceBuffers, ["addsourcebuffer", "removesourcebuffer"], "sourceBuffers:");
        record(ms.activeSourceBuffers, ["addsourcebuffer"], "activeSourceBuffers:");
        var url = URL.createObjectURL(ms);
        results.url = /^blob:null\/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/.test(url) || url;
        results.closed = [ms.readyState, ms.duration];
        video.src = url;
        video.play();
        ms.addEventListener("sourceopen", async function () {
            results.open = [ms.readyState, Number.isNaN(ms.duration), video.src === url];
            results.supported = [MediaSource.isTypeSupported('TYPE'), video.canPlayType('TYPE')];
            var sb = ms.addSourceBuffer('TYPE');
            results.list = [ms.sourceBuffers.length, ms.sourceBuffers[0] === sb, ms.activeSourceBuffers.length];
            record(sb, ["updatestart", "update", "updateend", "error", "abort"], "sb:");
            var bytes = await clip();
            // The initialization segment (ftyp + moov = 1017 bytes) alone, then the media
            // segment split at an arbitrary byte.
            var chunks = [bytes.subarray(0, 1017), bytes.subarray(1017, 5000), bytes.subarray(5000)];
            for (var i = 0; i < chunks.length; i++) {
                sb.appendBuffer(chunks[i]);
                results["updating" + i] = sb.updating;
                await updateEnd(sb);
                log.push("appended " + i);
            }
            var b = sb.buffered;
            results.buffered = [b.length, b.start(0), b.end(0)];
            ms.endOfStream();
            results.ended = [ms.readyState, ms.duration, video.duration];
        });
    "#);
    assert_eq!(
        json(&mut rt, "results"),
        r#"{"url":true,"closed":["closed",null],"open":["open",true,true],"supported":[true,"probably"],"list":[1,true,0],"updating0":true,"updating1":true,"updating2":true,"buffered":[1,0,2],"ended":["ended",2,2]}"#
    );
    assert_eq!(
        json(&mut rt, "log"),
        r#"["play","waiting","loadstart","sourceopen","sourceBuffers:addsourcebuffer","sb:updatestart","encrypted","activeSourceBuffers:addsourcebuffer","durationchange","resize","loadedmetadata","sb:update","sb:updateend","appended 0","sb:updatestart","sb:update","sb:updateend","appended 1","sb:updatestart","waitingforkey","sb:update","sb:updateend","appended 2","sourceended","durationchange","progress","suspend","loadeddata","canplay","playing","canplaythrough","pause","ended"]"#
    );
    assert_eq!(
        json(
            &mut rt,
            "[video.currentTime, video.ended, video.error, video.buffered.length, video.buffered.end(0)]"
        ),
        "[2,true,null,1,2]"
    );
    let reports = eme_html::media_reports(rt.context());
    assert_eq!(reports.len(), 1);
    let track = &reports[0].tracks[0];
    assert_eq!(track.frames_presented, 50);
    assert_eq!(track.digest, clear_video_digest());
    assert!(reports[0].current_src.starts_with("blob:"));
}

#[test]
fn source_buffer_error_paths() {
    let mut rt = run(r#"
        (async function () {
            var a = attach();
            results.closedAdd = fails("InvalidStateError", function () { a.ms.addSourceBuffer('TYPE'); });
            await a.open;
            results.empty = fails("TypeError", function () { a.ms.addSourceBuffer(""); });
            results.webm = fails("NotSupportedError", function () { a.ms.addSourceBuffer("video/webm"); });
            var sb = a.ms.addSourceBuffer('TYPE');
            results.second = fails("QuotaExceededError", function () { a.ms.addSourceBuffer('TYPE'); });
            results.changeType = fails("NotSupportedError", function () { sb.changeType('TYPE'); });
            var bytes = await clip();
            sb.appendBuffer(bytes.subarray(0, 1017));
            results.whileUpdating = fails("InvalidStateError", function () { sb.appendBuffer(bytes.subarray(1017)); });
            results.durationWhileUpdating = fails("InvalidStateError", function () { a.ms.duration = 5; });
            await updateEnd(sb);
            results.duration = a.ms.duration === Infinity;
            results.negative = fails("TypeError", function () { a.ms.duration = -1; });
            results.badEnd = fails("TypeError", function () { a.ms.endOfStream("bogus"); });
            a.ms.removeSourceBuffer(sb);
            results.removedList = [a.ms.sourceBuffers.length, a.ms.sourceBuffers[0]];
            results.afterRemove = fails("InvalidStateError", function () { sb.appendBuffer(bytes); });
            results.removedBuffered = fails("InvalidStateError", function () { sb.buffered; });
            results.notFound = fails("NotFoundError", function () { a.ms.removeSourceBuffer(sb); });

            // Garbage after the initialization segment: error, updateend, then the element's
            // "media data is corrupted" steps (MEDIA_ERR_DECODE) and readyState "ended".
            var b = attach();
            record(b.video, ["loadedmetadata", "error"], "video:");
            await b.open;
            record(b.ms, ["sourceended"]);
            var sb2 = b.ms.addSourceBuffer('TYPE');
            record(sb2, ["updatestart", "update", "updateend", "error"], "sb:");
            sb2.appendBuffer(bytes.subarray(0, 1017));
            await updateEnd(sb2);
            sb2.appendBuffer(new Uint8Array([0, 0, 0, 4, 0x6d, 0x6f, 0x6f, 0x66, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9]));
            await new Promise(function (r) { b.video.addEventListener("error", r, { once: true }); });
            results.decode = [b.video.error.code, b.ms.readyState];

            // Detaching: a new src closes the media source and removes its buffers (the file
            // then loads: the log's last loadedmetadata).
            b.video.src = "cenc/video.mp4";
            await new Promise(function (r) { b.ms.addEventListener("sourceclose", r, { once: true }); });
            results.detached = [b.ms.readyState, b.ms.sourceBuffers.length, b.ms.activeSourceBuffers.length];

            // A revoked URL names nothing.
            var ms3 = new MediaSource();
            var url = URL.createObjectURL(ms3);
            URL.revokeObjectURL(url);
            var v3 = document.createElement("video");
            v3.src = url;
            await new Promise(function (r) { v3.addEventListener("error", r, { once: true }); });
            results.revoked = [v3.error.code, ms3.readyState];
            results.notMediaSource = fails("TypeError", function () { URL.createObjectURL({}); });
        })().catch(function (e) { results.failure = String(e); });
    "#);
    assert_eq!(
        json(&mut rt, "results"),
        r#"{"closedAdd":"InvalidStateError","empty":"TypeError","webm":"NotSupportedError","second":"QuotaExceededError","changeType":"NotSupportedError","whileUpdating":"InvalidStateError","durationWhileUpdating":"InvalidStateError","duration":true,"negative":"TypeError","badEnd":"TypeError","removedList":[0,null],"afterRemove":"InvalidStateError","removedBuffered":"InvalidStateError","notFound":"NotFoundError","decode":[3,"ended"],"detached":["closed",0,0],"revoked":[4,"closed"],"notMediaSource":"TypeError"}"#
    );
    assert_eq!(
        json(&mut rt, "log"),
        r#"["sb:updatestart","video:loadedmetadata","sb:update","sb:updateend","sb:updatestart","sb:error","sb:updateend","sourceended","video:error","video:loadedmetadata"]"#
    );
}

#[test]
fn is_type_supported_agrees_with_can_play_type() {
    let mut rt = run(r#"
        var video = document.createElement("video");
        var types = ['TYPE', 'video/mp4', 'audio/mp4; codecs="mp4a.40.2"', 'audio/mp4; codecs="avc1.4d400b"',
            'video/webm', 'video/mp4; codecs="vp09.00.10.08"', ''];
        results.types = types.map(function (t) { return [MediaSource.isTypeSupported(t), video.canPlayType(t) !== ""]; });
        results.shape = [MediaSource.canConstructInDedicatedWorker, typeof URL.createObjectURL, URL.createObjectURL.length,
            Object.prototype.toString.call(new MediaSource()), new MediaSource() instanceof EventTarget,
            Object.prototype.toString.call(new MediaSource().sourceBuffers), MediaSource.length];
    "#);
    assert_eq!(
        json(&mut rt, "results"),
        r#"{"types":[[true,true],[true,true],[true,true],[false,false],[false,false],[false,false],[false,false]],"shape":[false,"function",1,"[object MediaSource]",true,"[object SourceBufferList]",0]}"#
    );
}
