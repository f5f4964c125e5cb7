// HTMLMediaElement's error paths as a script sees them under `eme run` (no --allow-read: the
// test content outside js-tests/ is refused, which is itself an error path to check).
// Spec: https://html.spec.whatwg.org/multipage/media.html#media-element-load-algorithm
//       https://w3c.github.io/encrypted-media/#dom-htmlmediaelement-setmediakeys

function nextEvent(target, name) {
  return new Promise(function (resolve) { target.addEventListener(name, resolve, { once: true }); });
}

test("document.createElement gives HTMLVideoElement and HTMLAudioElement in their initial state", async function () {
  var video = document.createElement("video");
  var audio = document.createElement("audio");
  assert(video instanceof HTMLVideoElement && video instanceof HTMLMediaElement && video instanceof HTMLElement, "video");
  assert(audio instanceof HTMLAudioElement && !(audio instanceof HTMLVideoElement), "audio");
  assertEquals(video.networkState, HTMLMediaElement.NETWORK_EMPTY, "networkState");
  assertEquals(video.readyState, HTMLMediaElement.HAVE_NOTHING, "readyState");
  assert(Number.isNaN(video.duration), "duration is NaN");
  assertEquals(video.paused, true, "paused");
  assertEquals(video.error, null, "error");
  assertEquals(video.mediaKeys, null, "mediaKeys");
  assertEquals(video.src, "", "src");
  assertEquals(video.currentSrc, "", "currentSrc");
  var a = new Audio();
  assert(a instanceof HTMLAudioElement, "new Audio()");
  assertEquals(a.preload, "auto", "Audio() sets preload");
  assertEquals(Audio.prototype, HTMLAudioElement.prototype, "Audio.prototype");
});

test("a src outside the readable directories: loadstart, then error MEDIA_ERR_SRC_NOT_SUPPORTED", async function () {
  var video = document.createElement("video");
  var events = [];
  ["loadstart", "error", "loadedmetadata"].forEach(function (n) { video.addEventListener(n, function () { events.push(n); }); });
  video.src = "../../wpt-subset/encrypted-media/content/cenc/video.mp4";
  assertEquals(video.networkState, HTMLMediaElement.NETWORK_NO_SOURCE, "networkState right after src is set");
  var play = video.play();
  await nextEvent(video, "error");
  assertArrayEquals(events, ["loadstart", "error"], "events");
  assertEquals(video.error.code, MediaError.MEDIA_ERR_SRC_NOT_SUPPORTED, "code");
  assert(video.error instanceof MediaError, "a MediaError");
  assert(video.error.message.indexOf("--allow-read") >= 0, "the message says how to allow it: " + video.error.message);
  assertEquals(video.networkState, HTMLMediaElement.NETWORK_NO_SOURCE, "networkState");
  await assertRejects("NotSupportedError", play, "the pending play() promise");
  await assertRejects("NotSupportedError", video.play(), "a later play()");
});

test("a blob: src that names no MediaSource fails with MEDIA_ERR_SRC_NOT_SUPPORTED", async function () {
  var video = document.createElement("video");
  video.src = "blob:file:///00000000-0000-0000-0000-000000000000";
  await nextEvent(video, "error");
  assertEquals(video.error.code, 4, "code");
  assert(video.error.message.indexOf("MediaSource") >= 0, video.error.message);
});

test("a file that is not MP4 fails with MEDIA_ERR_SRC_NOT_SUPPORTED", async function () {
  var video = document.createElement("video");
  video.src = "harness.js"; // relative to the first script, js-tests/lib/harness.js
  await nextEvent(video, "error");
  assertEquals(video.error.code, 4, "code");
  assert(Number.isNaN(video.duration), "duration stays NaN");
});

test("an empty src fails; load() with no src leaves NETWORK_EMPTY", async function () {
  var video = document.createElement("video");
  video.load();
  assertEquals(video.networkState, 0, "no src: NETWORK_EMPTY");
  video.setAttribute("src", "");
  await nextEvent(video, "error");
  assertEquals(video.error.code, 4, "code");
});

test("setting src again aborts the load in progress: emptied, and the error is reset", async function () {
  var video = document.createElement("video");
  video.src = "missing.mp4";
  await nextEvent(video, "error");
  var emptied = nextEvent(video, "emptied");
  video.src = "missing-too.mp4";
  assertEquals(video.error, null, "the load algorithm clears error");
  await emptied;
  await nextEvent(video, "error");
  assert(video.error.message.indexOf("missing-too.mp4") >= 0, video.error.message);
});

test("setMediaKeys rejects a non-MediaKeys with TypeError and a second element with QuotaExceededError", async function () {
  var access = await navigator.requestMediaKeySystemAccess(CLEARKEY, clearKeyConfigs());
  var keys = await access.createMediaKeys();
  var other = await access.createMediaKeys();
  var a = document.createElement("video");
  var b = document.createElement("audio");
  await assertRejects(TypeError, a.setMediaKeys("keys"), "a string");
  await assertRejects(TypeError, a.setMediaKeys(), "no argument");
  var first = a.setMediaKeys(keys);
  await assertRejects("InvalidStateError", a.setMediaKeys(other), "while one is in progress");
  await first;
  assertEquals(a.mediaKeys, keys, "mediaKeys");
  await assertRejects("QuotaExceededError", b.setMediaKeys(keys), "in use by another element");
  await a.setMediaKeys(null);
  await b.setMediaKeys(keys);
  assertEquals(b.mediaKeys, keys, "usable once released");
});

test("volume, playbackRate, canPlayType and TimeRanges throw and answer as HTML says", async function () {
  var video = document.createElement("video");
  assertThrows("IndexSizeError", function () { video.volume = -0.1; });
  assertThrows(TypeError, function () { video.volume = NaN; });
  assertThrows("NotSupportedError", function () { video.playbackRate = -2; });
  assertThrows(TypeError, function () { video.currentTime = Infinity; });
  assertEquals(video.canPlayType("video/mp4"), "maybe");
  assertEquals(video.canPlayType('audio/mp4; codecs="mp4a.40.2"'), "probably");
  assertEquals(video.canPlayType('audio/mp4; codecs="avc1.64001f"'), "");
  assertEquals(video.canPlayType("video/webm"), "");
  assertThrows("IndexSizeError", function () { video.buffered.end(0); });
  var volumechange = nextEvent(video, "volumechange");
  video.muted = true;
  await volumechange;
});
