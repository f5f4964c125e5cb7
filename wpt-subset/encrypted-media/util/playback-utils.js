// Helpers for the Clear Key playback pages (clearkey-mp4-playback-*.https.html).
//
// Loaded as a classic script after testharness.js; everything here is a global. Media elements
// play the files of ../content/ through `src` (no Media Source Extensions): every scheme
// directory holds `video.mp4` and `audio.mp4`, protected with different keys, whose key IDs and
// keys are in ../content/keys.json. Licences are Clear Key JWK Sets built from the key IDs a
// session's `message` event asks for.
//
// Why audio matters: Common Encryption has no integrity check, so a wrong key (or no decryption
// at all) is only visible where the decoder checks the framing of what it gets. The AAC framing
// check catches it on audio content within a few samples; the video content leaves its NAL
// lengths clear, so its framing stays valid whatever the key. Tests that must prove the
// decrypted output is checked therefore use audio.

// ---------------------------------------------------------------------------------------------
// Content

var PLAYBACK_KEY_SYSTEM = "org.w3.clearkey";
var PLAYBACK_VIDEO_TYPE = 'video/mp4; codecs="avc1.4d401e"';
var PLAYBACK_AUDIO_TYPE = 'audio/mp4; codecs="mp4a.40.2"';
// The duration of every clip under content/ (content/README.md: 2 s at 25 fps).
var PLAYBACK_DURATION = 2;
// The W3C Common system ID of "cenc" initialization data (the format registry).
var PLAYBACK_COMMON_SYSTEM_ID = "1077efecc0b24d02ace33c1e52e2fb4b";
// A key no content uses.
var PLAYBACK_WRONG_KEY = "00112233445566778899aabbccddeeff";

/** The URL (relative to the page) of a clip: `scheme` is "cenc", "cbcs", … or "clear". */
function contentUrl(scheme, track) {
  return "content/" + scheme + "/" + track + ".mp4";
}

var playbackKeysPromise = null;

/**
 * content/keys.json, fetched once: `{video: {kid, key}, audio: {kid, key}, …}` with lower-case
 * hex strings.
 */
function contentKeys() {
  if (playbackKeysPromise === null) {
    playbackKeysPromise = fetch("content/keys.json").then(function (response) {
      if (!response.ok) throw new Error("content/keys.json: HTTP " + response.status);
      return response.json();
    }).then(function (keys) {
      Object.keys(keys).forEach(function (name) {
        keys[name].kid = keys[name].kid.toLowerCase();
        keys[name].key = keys[name].key.toLowerCase();
      });
      return keys;
    });
  }
  return playbackKeysPromise;
}

// ---------------------------------------------------------------------------------------------
// Bytes and encodings

function hexToBytes(hex) {
  var out = new Uint8Array(hex.length / 2);
  for (var i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}

function bytesToHex(bytes) {
  var hex = "";
  for (var i = 0; i < bytes.length; i++) hex += (bytes[i] < 16 ? "0" : "") + bytes[i].toString(16);
  return hex;
}

function viewBytes(source) {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
}

/** base64url without padding, as JWK and the Clear Key license request format use. */
function toBase64url(bytes) {
  var binary = "";
  for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text) {
  var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
  while (base64.length % 4) base64 += "=";
  var binary = atob(base64);
  var out = new Uint8Array(binary.length);
  for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Clear Key sessions

/** A MediaKeys for Clear Key with the content's video and audio types. */
function createPlaybackMediaKeys() {
  return navigator.requestMediaKeySystemAccess(PLAYBACK_KEY_SYSTEM, [{
    initDataTypes: ["cenc", "keyids"],
    videoCapabilities: [{ contentType: PLAYBACK_VIDEO_TYPE }],
    audioCapabilities: [{ contentType: PLAYBACK_AUDIO_TYPE }],
  }]).then(function (access) {
    return access.createMediaKeys();
  });
}

/** The key IDs (hex) a Clear Key license request (a `message` event's bytes) asks for. */
function requestedKeyIds(message) {
  var request = JSON.parse(new TextDecoder().decode(viewBytes(message)));
  assert_true(Array.isArray(request.kids), "the license request lists key IDs");
  return request.kids.map(function (kid) { return bytesToHex(fromBase64url(kid)); });
}

/**
 * A Clear Key licence (JWK Set bytes) giving, for each key ID in `kids` (hex) that keys.json
 * knows, its key — or `options.wrongKey` (hex) instead, when given.
 */
function makeLicence(keys, kids, options) {
  options = options || {};
  var jwks = [];
  kids.forEach(function (kid) {
    Object.keys(keys).forEach(function (name) {
      if (keys[name].kid !== kid) return;
      if (jwks.some(function (jwk) { return jwk.kid === toBase64url(hexToBytes(kid)); })) return;
      jwks.push({
        kty: "oct",
        kid: toBase64url(hexToBytes(kid)),
        k: toBase64url(hexToBytes(options.wrongKey || keys[name].key)),
      });
    });
  });
  return new TextEncoder().encode(JSON.stringify({ keys: jwks, type: "temporary" }));
}

/**
 * Creates a temporary session on `mediaKeys` that answers its license request with a licence
 * for the key IDs it asks for, then calls generateRequest(initDataType, initData). Resolves with
 * the session once update() resolved. `options`: `wrongKey` (hex), `before` (a function
 * returning a promise, run before update(): a late licence), `only` (hex key IDs: the licence
 * carries only those).
 */
function startSession(test, mediaKeys, initDataType, initData, options) {
  options = options || {};
  var session = mediaKeys.createSession("temporary");
  var updated = new Promise(function (resolve, reject) {
    session.addEventListener("message", function (event) {
      Promise.resolve().then(function () {
        assert_equals(event.messageType, "license-request", "messageType");
        var kids = requestedKeyIds(event.message);
        if (options.only) kids = kids.filter(function (kid) { return options.only.indexOf(kid) !== -1; });
        return Promise.all([contentKeys(), options.before ? options.before() : null]).then(function (values) {
          return session.update(makeLicence(values[0], kids, options));
        });
      }).then(function () { resolve(session); }, reject);
    });
  });
  return session.generateRequest(initDataType, initData).then(function () { return updated; });
}

/** "keyids" initialization data naming `kids` (hex). */
function keyIdsInitData(kids) {
  return new TextEncoder().encode(JSON.stringify({
    kids: kids.map(function (kid) { return toBase64url(hexToBytes(kid)); }),
  }));
}

/**
 * Handles `element`'s `encrypted` events: each one starts a session (see startSession) on
 * `mediaKeys` with the event's init data. `mediaKeys` may be a promise, or a function called
 * with the event that returns one (to attach keys from the handler). Session failures fail
 * `test`. Returns the list of sessions started so far.
 */
function answerEncrypted(test, element, mediaKeys, options) {
  var sessions = [];
  element.addEventListener("encrypted", test.step_func(function (event) {
    var keys = typeof mediaKeys === "function" ? mediaKeys(event) : mediaKeys;
    Promise.resolve(keys).then(function (keys) {
      return startSession(test, keys, event.initDataType, event.initData, options);
    }).then(function (session) {
      sessions.push(session);
    }).catch(test.unreached_func("the licence exchange failed"));
  }));
  return sessions;
}

// ---------------------------------------------------------------------------------------------
// Media elements

var PLAYBACK_EVENTS = [
  "loadstart", "durationchange", "loadedmetadata", "loadeddata", "canplay", "canplaythrough",
  "play", "playing", "waiting", "pause", "ended", "emptied", "abort", "error", "seeking", "seeked",
  "encrypted", "waitingforkey",
];

/** Records the names of `element`'s media events, in order, into the returned array. */
function recordEvents(element) {
  var log = [];
  PLAYBACK_EVENTS.forEach(function (name) {
    element.addEventListener(name, function () { log.push(name); });
  });
  return log;
}

/** What an `error` event's element says, for assertion messages. */
function describeMediaError(element) {
  var error = element.error;
  return error ? "MediaError code " + error.code + " (" + error.message + ")" : "no MediaError";
}

/** Fails `test` on an `error` event of `element`. */
function failOnError(test, element) {
  element.addEventListener("error", test.step_func(function () {
    assert_unreached("unexpected error event: " + describeMediaError(element));
  }));
}

/** A promise for the next `name` event of `target`. */
function nextEvent(target, name) {
  return new Promise(function (resolve) {
    target.addEventListener(name, resolve, { once: true });
  });
}

/** Resolves once `element` played to `ended`; rejects on its `error` event. */
function playedToEnd(element) {
  return new Promise(function (resolve, reject) {
    element.addEventListener("ended", function () { resolve(); }, { once: true });
    element.addEventListener("error", function () {
      reject(new Error("error event before ended: " + describeMediaError(element)));
    }, { once: true });
  });
}

/** Resolves once `element`'s currentTime reached `seconds` while playing; rejects on `error`. */
function playedPast(element, seconds) {
  return new Promise(function (resolve, reject) {
    function check() {
      if (element.currentTime >= seconds) {
        element.removeEventListener("timeupdate", check);
        element.removeEventListener("ended", check);
        resolve();
      }
    }
    element.addEventListener("timeupdate", check);
    element.addEventListener("ended", check);
    element.addEventListener("error", function () {
      reject(new Error("error event before " + seconds + " s: " + describeMediaError(element)));
    }, { once: true });
  });
}

/** Resolves after `ms` milliseconds. */
function delay(test, ms) {
  return new Promise(function (resolve) { test.step_timeout(resolve, ms); });
}

/** play(), ignoring the promise's outcome (the events are what the tests check). */
function startPlaying(element) {
  var promise = element.play();
  if (promise) promise.catch(function () {});
}

/**
 * The checks a completed playback must pass: no error, `ended`, the position at the duration,
 * and data for the current position.
 */
function assertPlayedToEnd(element, what) {
  what = what ? what + ": " : "";
  assert_equals(element.error, null, what + "no MediaError");
  assert_true(element.ended, what + "ended");
  assert_equals(element.duration, PLAYBACK_DURATION, what + "duration");
  assert_approx_equals(element.currentTime, element.duration, 0.05, what + "currentTime at the end");
  assert_greater_than_equal(element.readyState, HTMLMediaElement.HAVE_CURRENT_DATA, what + "readyState");
}

/**
 * The checks of an element stalled for want of a key: no data for the current position, the
 * position not moved, not `playing`.
 */
function assertStalledForKey(element, log, what) {
  what = what ? what + ": " : "";
  assert_less_than_equal(element.readyState, HTMLMediaElement.HAVE_METADATA,
                         what + "readyState while waiting for the key");
  assert_equals(element.currentTime, 0, what + "currentTime while waiting for the key");
  assert_equals(log.indexOf("playing"), -1, what + "no playing event before the key");
  assert_equals(log.indexOf("loadeddata"), -1, what + "no loadeddata event before the key");
  assert_equals(element.error, null, what + "no MediaError while waiting for the key");
}

// ---------------------------------------------------------------------------------------------
// "cenc" initialization data

/**
 * Parses "cenc" initialization data as a sequence of `pssh` boxes (ISO/IEC 23001-7); fails
 * the current test unless the boxes tile the data exactly. Returns `[{version, systemId, kids,
 * data}]` with hex system and key IDs.
 */
function parsePsshBoxes(initData) {
  var bytes = viewBytes(initData);
  var view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  var boxes = [];
  var at = 0;
  while (at < bytes.length) {
    assert_less_than_equal(at + 32, bytes.length, "a pssh box header at offset " + at);
    var size = view.getUint32(at);
    var type = String.fromCharCode(bytes[at + 4], bytes[at + 5], bytes[at + 6], bytes[at + 7]);
    assert_equals(type, "pssh", "box type at offset " + at);
    assert_greater_than_equal(size, 32, "pssh box size");
    assert_less_than_equal(at + size, bytes.length, "the pssh box fits the init data");
    var version = bytes[at + 8];
    assert_true(version === 0 || version === 1, "pssh version 0 or 1");
    var box = { version: version, systemId: bytesToHex(bytes.subarray(at + 12, at + 28)), kids: [] };
    var p = at + 28;
    if (version === 1) {
      var count = view.getUint32(p);
      p += 4;
      assert_less_than_equal(p + count * 16 + 4, at + size, "pssh key IDs fit the box");
      for (var i = 0; i < count; i++, p += 16) box.kids.push(bytesToHex(bytes.subarray(p, p + 16)));
    }
    var dataSize = view.getUint32(p);
    p += 4;
    assert_equals(p + dataSize, at + size, "pssh Data ends the box");
    box.data = bytes.slice(p, p + dataSize);
    boxes.push(box);
    at += size;
  }
  assert_equals(at, bytes.length, "the pssh boxes tile the init data");
  return boxes;
}

// ---------------------------------------------------------------------------------------------
// Subtests shared by several pages

/**
 * A wrong key for encrypted audio must be a decode error: the decrypted output is checked, so
 * playback that skipped or botched decryption could not pass the other subtests either.
 */
function wrongAudioKeyTest(scheme) {
  promise_test(function (test) {
    var audio = document.createElement("audio");
    var log = recordEvents(audio);
    answerEncrypted(test, audio, function () {
      return createPlaybackMediaKeys().then(function (mediaKeys) {
        return audio.setMediaKeys(mediaKeys).then(function () { return mediaKeys; });
      });
    }, { wrongKey: PLAYBACK_WRONG_KEY });
    audio.src = contentUrl(scheme, "audio");
    startPlaying(audio);
    return new Promise(function (resolve, reject) {
      audio.addEventListener("error", resolve, { once: true });
      audio.addEventListener("ended", function () {
        reject(new Error("played to the end with a wrong key"));
      }, { once: true });
    }).then(function () {
      assert_true(audio.error instanceof MediaError, "error is a MediaError");
      assert_equals(audio.error.code, MediaError.MEDIA_ERR_DECODE, "MEDIA_ERR_DECODE");
      assert_equals(log.indexOf("ended"), -1, "no ended event");
    });
  }, scheme + ": a wrong audio key is a decode error (MEDIA_ERR_DECODE)");
}
