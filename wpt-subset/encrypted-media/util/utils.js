// Shared helpers for the Clear Key conformance pages.
//
// Loaded as a classic script after testharness.js; everything here is a global. The test
// bodies in ../scripts/*.js take the object returned by clearKeyConfig() so that the same
// bodies could be pointed at another key system's description.

// ---------------------------------------------------------------------------------------------
// The key system under test

var CLEARKEY_KEY_SYSTEM = "org.w3.clearkey";

// Content types the Clear Key implementation is expected to accept.
var CK_VIDEO_MP4 = 'video/mp4;codecs="avc1.42E01E"';
var CK_AUDIO_MP4 = 'audio/mp4;codecs="mp4a.40.2"';
var CK_VIDEO_WEBM_VP8 = 'video/webm;codecs="vp8"';
var CK_VIDEO_WEBM_VP9 = 'video/webm;codecs="vp9"';
var CK_AUDIO_WEBM_OPUS = 'audio/webm;codecs="opus"';
var CK_AUDIO_WEBM_VORBIS = 'audio/webm;codecs="vorbis"';

// The Common SystemID of the "cenc" initialization data format (format registry).
var COMMON_SYSTEM_ID = new Uint8Array([
  0x10, 0x77, 0xef, 0xec, 0xc0, 0xb2, 0x4d, 0x02,
  0xac, 0xe3, 0x3c, 0x1e, 0x52, 0xe2, 0xfb, 0x4b,
]);
// Some other protection system (Widevine's SystemID), which Clear Key does not use.
var OTHER_SYSTEM_ID = new Uint8Array([
  0xed, 0xef, 0x8b, 0xa9, 0x79, 0xd6, 0x4a, 0xce,
  0xa3, 0xc8, 0x27, 0xdc, 0xd5, 0x1d, 0x21, 0xed,
]);

/**
 * Describes the key system under test: its name, the initialization data types it supports,
 * a configuration list that it must accept, and builders for valid init data and licences.
 */
function clearKeyConfig() {
  return {
    keySystem: CLEARKEY_KEY_SYSTEM,
    initDataTypes: ["keyids", "cenc", "webm"],
    videoType: CK_VIDEO_MP4,
    audioType: CK_AUDIO_MP4,
    configurations: [{
      initDataTypes: ["keyids", "cenc", "webm"],
      audioCapabilities: [{ contentType: CK_AUDIO_MP4 }],
      videoCapabilities: [{ contentType: CK_VIDEO_MP4 }],
    }],
    /** Valid init data of the given type naming the given key IDs (webm: the first only). */
    initData: function (initDataType, kids) {
      return initDataFor(initDataType, kids);
    },
    /** A licence (JWK Set bytes) for [{kid, key}] pairs. */
    licence: function (pairs, type) {
      return jwkSet(pairs, type);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Bytes

/** A Uint8Array over exactly the bytes of an ArrayBuffer or ArrayBufferView. */
function bytesOf(source) {
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  if (ArrayBuffer.isView(source)) return new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
  if (Array.isArray(source)) return new Uint8Array(source);
  throw new TypeError("bytesOf: not a BufferSource or array: " + String(source));
}

/** Concatenates BufferSources and arrays of byte values into one new Uint8Array. */
function concatBytes() {
  var parts = Array.prototype.map.call(arguments, bytesOf);
  var total = parts.reduce(function (n, p) { return n + p.length; }, 0);
  var out = new Uint8Array(total);
  var at = 0;
  parts.forEach(function (p) { out.set(p, at); at += p.length; });
  return out;
}

/** `length` bytes, byte i = (seed * 31 + i * 7) mod 256: deterministic, non-trivial data. */
function patternBytes(length, seed) {
  var out = new Uint8Array(length);
  for (var i = 0; i < length; i++) out[i] = (seed * 31 + i * 7) & 0xff;
  return out;
}

/** The 16-byte key ID number n: bytes n*16 .. n*16+15 (mod 256); keyId(0) is 00 01 .. 0f. */
function keyId(n) {
  var out = new Uint8Array(16);
  for (var i = 0; i < 16; i++) out[i] = (n * 16 + i) & 0xff;
  return out;
}

/** The 16-byte content key paired with keyId(n) in these tests. */
function contentKey(n) {
  var out = new Uint8Array(16);
  for (var i = 0; i < 16; i++) out[i] = (0xa5 ^ (n * 13 + i * 29)) & 0xff;
  return out;
}

/** [{kid, key}] pairs for the numbered keys: keyPairs(1, 2) → keys 1 and 2. */
function keyPairs() {
  return Array.prototype.map.call(arguments, function (n) { return { kid: keyId(n), key: contentKey(n) }; });
}

function hexOf(source) {
  return Array.prototype.map.call(bytesOf(source), function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
}

function utf8Encode(text) {
  return new TextEncoder().encode(text);
}

function utf8Decode(source) {
  return new TextDecoder().decode(bytesOf(source));
}

/** Compares two byte sequences (any BufferSource/array); returns true when equal. */
function bytesEqual(a, b) {
  var x = bytesOf(a);
  var y = bytesOf(b);
  if (x.length !== y.length) return false;
  for (var i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Asserts that `actual` holds exactly the bytes `expected`. */
function assert_bytes_equal(actual, expected, description) {
  assert_true(actual instanceof ArrayBuffer || ArrayBuffer.isView(actual), (description || "value") + " is a BufferSource");
  assert_equals(hexOf(actual), hexOf(expected), description);
}

// ---------------------------------------------------------------------------------------------
// base64 / base64url (RFC 4648; base64url here never carries "=" padding, as RFC 7515 requires)

function base64Encode(source) {
  var bytes = bytesOf(source);
  var s = "";
  for (var i = 0; i < bytes.length; i++) s += String.fromCharCode(bytes[i]);
  return btoa(s);
}

function base64urlEncode(source) {
  return base64Encode(source).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function base64urlDecode(text) {
  var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  while (b64.length % 4) b64 += "=";
  var s = atob(b64);
  var out = new Uint8Array(s.length);
  for (var i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Initialization data

/** "keyids" init data: UTF-8 JSON {"kids":[<base64url>...]} for the given raw key IDs. */
function keyIdsInitData(kids) {
  return utf8Encode(JSON.stringify({ kids: kids.map(base64urlEncode) }));
}

/** "keyids" init data from literal JSON text (for malformed cases). */
function keyIdsText(text) {
  return utf8Encode(text);
}

function uint32BE(value) {
  return [(value >>> 24) & 0xff, (value >>> 16) & 0xff, (value >>> 8) & 0xff, value & 0xff];
}

/**
 * One 'pssh' box (ISO/IEC 23001-7): size, 'pssh', version + 24-bit flags, SystemID,
 * [version 1: KID_count, KIDs], DataSize, Data.
 */
function psshBox(version, systemId, kids, data, flags) {
  var payload = data ? bytesOf(data) : new Uint8Array(0);
  var parts = [[0x70, 0x73, 0x73, 0x68], [version & 0xff, 0, 0, (flags || 0) & 0xff], systemId];
  if (version > 0) {
    parts.push(uint32BE(kids.length));
    kids.forEach(function (k) { parts.push(k); });
  }
  parts.push(uint32BE(payload.length));
  parts.push(payload);
  var body = concatBytes.apply(null, parts);
  return concatBytes(uint32BE(body.length + 4), body);
}

/** "cenc" init data: a single version 1 Common SystemID 'pssh' box listing `kids`. */
function cencInitData(kids) {
  return psshBox(1, COMMON_SYSTEM_ID, kids);
}

/** "webm" init data: the key ID itself. */
function webmInitData(kid) {
  return bytesOf(kid).slice();
}

function initDataFor(initDataType, kids) {
  if (initDataType === "keyids") return keyIdsInitData(kids);
  if (initDataType === "cenc") return cencInitData(kids);
  if (initDataType === "webm") return webmInitData(kids[0]);
  throw new Error("initDataFor: unknown init data type " + initDataType);
}

/** The exact Clear Key licence request text for the given key IDs and session type. */
function expectedLicenceRequest(kids, sessionType) {
  return '{"kids":[' + kids.map(function (k) { return '"' + base64urlEncode(k) + '"'; }).join(",") +
    '],"type":"' + (sessionType || "temporary") + '"}';
}

// ---------------------------------------------------------------------------------------------
// Licences (JWK Sets)

/** The JWK Set object for [{kid, key}] pairs, with an optional "type" member. */
function jwkSetObject(pairs, type) {
  var set = {
    keys: pairs.map(function (p) { return { kty: "oct", k: base64urlEncode(p.key), kid: base64urlEncode(p.kid) }; }),
  };
  if (type !== undefined) set.type = type;
  return set;
}

/** The UTF-8 bytes of a JWK Set for [{kid, key}] pairs. */
function jwkSet(pairs, type) {
  return utf8Encode(JSON.stringify(jwkSetObject(pairs, type)));
}

/** The UTF-8 bytes of any JSON value (for hand-built, possibly invalid licences). */
function jsonBytes(value) {
  return utf8Encode(JSON.stringify(value));
}

/** Pads JSON object text (ending in "}") with spaces before the final brace to `size` bytes. */
function padJsonTo(bytes, size) {
  var text = utf8Decode(bytes);
  var padding = size - bytes.length;
  if (padding < 0) throw new Error("padJsonTo: already larger than " + size);
  return utf8Encode(text.slice(0, -1) + " ".repeat(padding) + "}");
}

// ---------------------------------------------------------------------------------------------
// EME plumbing

function requestClearKeyAccess(config) {
  return navigator.requestMediaKeySystemAccess(config.keySystem, config.configurations);
}

function createMediaKeysFor(config) {
  return requestClearKeyAccess(config).then(function (access) { return access.createMediaKeys(); });
}

/** A fresh temporary session on fresh MediaKeys. */
function createFreshSession(config) {
  return createMediaKeysFor(config).then(function (mediaKeys) { return mediaKeys.createSession(); });
}

/** Resolves with the next event of `type` at `target` (listener removed afterwards). */
function waitForEvent(target, type) {
  return new Promise(function (resolve) {
    target.addEventListener(type, function listener(event) {
      target.removeEventListener(type, listener);
      resolve(event);
    });
  });
}

/**
 * A session whose generateRequest for the given key IDs has resolved and whose message event
 * has been received: resolves with {mediaKeys, session, message}.
 */
function createRequestedSession(config, initDataType, kids, mediaKeys) {
  var keysPromise = mediaKeys ? Promise.resolve(mediaKeys) : createMediaKeysFor(config);
  return keysPromise.then(function (mk) {
    var session = mk.createSession();
    var message = waitForEvent(session, "message");
    return session.generateRequest(initDataType, config.initData(initDataType, kids)).then(function () {
      return message;
    }).then(function (event) {
      return { mediaKeys: mk, session: session, message: event };
    });
  });
}

/** A session holding the given numbered keys (licence applied, keystatuseschange seen). */
function createSessionWithKeys(config, numbers, mediaKeys) {
  var kids = numbers.map(keyId);
  return createRequestedSession(config, "keyids", kids, mediaKeys).then(function (r) {
    var changed = waitForEvent(r.session, "keystatuseschange");
    return r.session.update(config.licence(keyPairs.apply(null, numbers))).then(function () {
      return changed;
    }).then(function () { return r; });
  });
}

/** Resolves after a full task (a timer) so that queued tasks had a chance to run. */
function nextTask(ms) {
  return new Promise(function (resolve) { setTimeout(resolve, ms || 0); });
}

/**
 * Resolves "fulfilled", "rejected" or "pending": whether `p` has settled by the time the
 * current microtask checkpoint reaches it (p's reactions are registered before the probe's).
 */
function promiseState(p) {
  var probe = {};
  return Promise.race([p, Promise.resolve(probe)]).then(
    function (v) { return v === probe ? "pending" : "fulfilled"; },
    function () { return "rejected"; });
}

/**
 * Calls fn(); asserts it did not throw synchronously and returned a Promise, and returns that
 * promise (for promise_rejects_*). Promise-returning WebIDL operations report every error,
 * including argument conversion errors, through the returned promise.
 */
function callReturningPromise(fn, description) {
  var result;
  try {
    result = fn();
  } catch (e) {
    assert_unreached((description || "call") + " threw synchronously instead of returning a rejected promise: " + e);
  }
  assert_true(result instanceof Promise, (description || "call") + " returns a Promise");
  return result;
}
