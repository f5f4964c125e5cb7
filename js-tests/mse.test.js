// Media Source Extensions error paths as a script sees them under `eme run` (no media files
// are read: the end-to-end playback is crates/host/tests/mse.rs).
// Spec: https://w3c.github.io/media-source/

var TYPE = 'video/mp4; codecs="avc1.4d400b"';

function nextEvent(target, name) {
  return new Promise(function (resolve) { target.addEventListener(name, resolve, { once: true }); });
}

function assertThrowsName(name, f, what) {
  try {
    f();
  } catch (e) {
    assertEquals(e.name, name, what + ": " + e.message);
    return;
  }
  throw new AssertionError(what + ": no exception, expected " + name);
}

function attach() {
  var video = document.createElement("video");
  var ms = new MediaSource();
  var opened = nextEvent(ms, "sourceopen");
  video.src = URL.createObjectURL(ms);
  return { video: video, ms: ms, opened: opened };
}

test("MediaSource starts closed; object URLs are blob: URLs; other objects are a TypeError", async function () {
  var ms = new MediaSource();
  assert(ms instanceof EventTarget, "an EventTarget");
  assertEquals(ms.readyState, "closed", "readyState");
  assert(Number.isNaN(ms.duration), "duration NaN");
  assertEquals(ms.sourceBuffers.length, 0, "sourceBuffers");
  assertEquals(ms.activeSourceBuffers.length, 0, "activeSourceBuffers");
  assertEquals(MediaSource.canConstructInDedicatedWorker, false, "canConstructInDedicatedWorker");
  var url = URL.createObjectURL(ms);
  assert(url.indexOf("blob:") === 0, url);
  assert(URL.createObjectURL(ms) !== url, "each call gives a new URL");
  assertThrowsName("TypeError", function () { URL.createObjectURL({}); }, "a plain object");
  assertThrowsName("InvalidStateError", function () { ms.addSourceBuffer(TYPE); }, "addSourceBuffer while closed");
  assertThrowsName("InvalidStateError", function () { ms.endOfStream(); }, "endOfStream while closed");
});

test("isTypeSupported agrees with canPlayType", async function () {
  var video = document.createElement("video");
  [TYPE, "video/mp4", 'audio/mp4; codecs="mp4a.40.2"', "video/webm", 'video/mp4; codecs="vp09.00.10.08"', ""].forEach(function (t) {
    assertEquals(MediaSource.isTypeSupported(t), video.canPlayType(t) !== "", "type " + JSON.stringify(t));
  });
  assertEquals(MediaSource.isTypeSupported(TYPE), true, TYPE);
  assertEquals(MediaSource.isTypeSupported("video/webm"), false, "video/webm");
});

test("attaching opens the source; addSourceBuffer's exceptions", async function () {
  var a = attach();
  await a.opened;
  assertEquals(a.ms.readyState, "open", "readyState");
  assertThrowsName("TypeError", function () { a.ms.addSourceBuffer(""); }, "an empty type");
  assertThrowsName("NotSupportedError", function () { a.ms.addSourceBuffer("video/webm"); }, "video/webm");
  var added = nextEvent(a.ms.sourceBuffers, "addsourcebuffer");
  var sb = a.ms.addSourceBuffer(TYPE);
  await added;
  assertEquals(a.ms.sourceBuffers.length, 1, "sourceBuffers.length");
  assertEquals(a.ms.sourceBuffers[0], sb, "sourceBuffers[0]");
  assertThrowsName("QuotaExceededError", function () { a.ms.addSourceBuffer(TYPE); }, "a second video buffer");
  assertThrowsName("NotSupportedError", function () { sb.changeType(TYPE); }, "changeType");
  assertEquals(sb.mode, "segments", "mode");
  assertEquals(sb.updating, false, "updating");
  assertEquals(sb.appendWindowEnd, Infinity, "appendWindowEnd");
});

test("appendBuffer while updating and after removeSourceBuffer: InvalidStateError", async function () {
  var a = attach();
  await a.opened;
  var sb = a.ms.addSourceBuffer(TYPE);
  var events = [];
  ["updatestart", "update", "updateend", "abort", "error"].forEach(function (n) { sb.addEventListener(n, function () { events.push(n); }); });
  sb.appendBuffer(new Uint8Array(4)); // a partial box header: waits for more bytes
  assertEquals(sb.updating, true, "updating");
  assertThrowsName("InvalidStateError", function () { sb.appendBuffer(new Uint8Array(4)); }, "appendBuffer while updating");
  assertThrowsName("InvalidStateError", function () { a.ms.endOfStream(); }, "endOfStream while updating");
  await nextEvent(sb, "updateend");
  assertArrayEquals(events, ["updatestart", "update", "updateend"], "events");
  a.ms.removeSourceBuffer(sb);
  assertEquals(a.ms.sourceBuffers.length, 0, "removed");
  assertThrowsName("InvalidStateError", function () { sb.appendBuffer(new Uint8Array(4)); }, "appendBuffer after removal");
  assertThrowsName("NotFoundError", function () { a.ms.removeSourceBuffer(sb); }, "removing twice");
});

test("garbage bytes: error, updateend, then the element's error and readyState 'ended'", async function () {
  var a = attach();
  await a.opened;
  var sb = a.ms.addSourceBuffer(TYPE);
  var events = [];
  ["updatestart", "update", "updateend", "error"].forEach(function (n) { sb.addEventListener(n, function () { events.push(n); }); });
  a.ms.addEventListener("sourceended", function () { events.push("sourceended"); });
  a.video.addEventListener("error", function () { events.push("video error"); });
  sb.appendBuffer(new Uint8Array([0, 0, 0, 4, 0x6d, 0x6f, 0x6f, 0x66, 1, 2, 3, 4]));
  await nextEvent(a.video, "error");
  assertArrayEquals(events, ["updatestart", "error", "updateend", "sourceended", "video error"], "events");
  assertEquals(a.ms.readyState, "ended", "readyState");
  // Before any metadata, endOfStream("decode") runs "the media data cannot be fetched at all"
  // (after an initialization segment it is MEDIA_ERR_DECODE: crates/host/tests/mse.rs).
  assertEquals(a.video.error.code, MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED, "code");
});

test("revokeObjectURL, then src: MEDIA_ERR_SRC_NOT_SUPPORTED; a new src detaches", async function () {
  var ms = new MediaSource();
  var url = URL.createObjectURL(ms);
  URL.revokeObjectURL(url);
  var video = document.createElement("video");
  video.src = url;
  await nextEvent(video, "error");
  assertEquals(video.error.code, MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED, "code");
  assertEquals(ms.readyState, "closed", "never opened");

  var a = attach();
  await a.opened;
  a.ms.addSourceBuffer(TYPE);
  var closed = nextEvent(a.ms, "sourceclose");
  a.video.removeAttribute("src");
  a.video.load();
  await closed;
  assertEquals(a.ms.readyState, "closed", "readyState after detaching");
  assertEquals(a.ms.sourceBuffers.length, 0, "buffers removed");
});
