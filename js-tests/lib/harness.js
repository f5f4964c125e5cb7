// js-tests/lib/harness.js — a small test harness for `eme run`.
//
// Usage: eme run js-tests/lib/harness.js js-tests/NAME.test.js
//
// Both files are classic scripts sharing one global. Test files call `test(name, fn)`; the
// tests start from a setTimeout(0) task (so every script has been evaluated), run one after
// another, each with its own timeout, and print `ok - name` or `FAILED - name: message`,
// then `N passed, N failed`. If anything failed, or no test was registered, an error is thrown
// from a task so that `eme run` exits with status 1.
//
// Everything below is a plain global (function declarations / var in a classic script).

var HARNESS_TEST_TIMEOUT_MS = 5000;
var HARNESS_TESTS = [];

// ---------------------------------------------------------------------------------------------
// Registering and running tests

/** Registers a test. `fn` may be async; `timeoutMs` overrides the per-test timeout. */
function test(name, fn, timeoutMs) {
  if (typeof name !== "string" || typeof fn !== "function") {
    throw new TypeError("test(name, fn): name must be a string and fn a function");
  }
  HARNESS_TESTS.push({ name: name, fn: fn, timeoutMs: timeoutMs || HARNESS_TEST_TIMEOUT_MS });
}

function harnessRunOne(t) {
  return new Promise(function (resolve, reject) {
    var timer = setTimeout(function () {
      reject(new AssertionError("timed out after " + t.timeoutMs + " ms (an awaited event or promise never came)"));
    }, t.timeoutMs);
    var result;
    try {
      result = Promise.resolve(t.fn());
    } catch (e) {
      clearTimeout(timer);
      reject(e);
      return;
    }
    result.then(
      function () { clearTimeout(timer); resolve(); },
      function (e) { clearTimeout(timer); reject(e); }
    );
  });
}

async function harnessRunAll() {
  var passed = 0;
  var failed = 0;
  for (var i = 0; i < HARNESS_TESTS.length; i++) {
    var t = HARNESS_TESTS[i];
    try {
      await harnessRunOne(t);
      passed++;
      console.log("ok - " + t.name);
    } catch (e) {
      failed++;
      console.log("FAILED - " + t.name + ": " + describeError(e));
    }
  }
  console.log(passed + " passed, " + failed + " failed");
  if (HARNESS_TESTS.length === 0) {
    setTimeout(function () { throw new Error("no tests were registered"); }, 0);
  } else if (failed > 0) {
    setTimeout(function () { throw new Error(failed + " test(s) failed"); }, 0);
  }
}

setTimeout(function () {
  harnessRunAll().catch(function (e) {
    setTimeout(function () { throw e; }, 0);
  });
}, 0);

// ---------------------------------------------------------------------------------------------
// Assertions

class AssertionError extends Error {
  constructor(message) {
    super(message);
    this.name = "AssertionError";
  }
}

function describeError(e) {
  if (e === null || e === undefined) return String(e);
  if (typeof DOMException === "function" && e instanceof DOMException) {
    return "DOMException " + e.name + ": " + e.message;
  }
  if (e instanceof Error) return e.name + ": " + e.message;
  return "non-Error thrown: " + formatValue(e);
}

function formatValue(v) {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "bigint") return String(v) + "n";
  if (typeof v === "symbol" || typeof v === "boolean" || v === undefined || v === null) return String(v);
  if (typeof v === "function") return "function " + (v.name || "(anonymous)");
  if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) {
    var bytes = toBytes(v);
    var hex = hexOf(bytes.length > 64 ? bytes.subarray(0, 64) : bytes);
    return (v instanceof ArrayBuffer ? "ArrayBuffer" : v.constructor.name) + "[" + bytes.length + "] " + hex + (bytes.length > 64 ? "…" : "");
  }
  if (Array.isArray(v)) return "[" + v.map(formatValue).join(", ") + "]";
  if (v instanceof Error) return describeError(v);
  try {
    var json = JSON.stringify(v);
    if (json !== undefined) return Object.prototype.toString.call(v) + " " + json;
  } catch (e) { /* fall through */ }
  return Object.prototype.toString.call(v);
}

function withMessage(msg, text) {
  return (msg ? msg + ": " : "") + text;
}

function fail(msg) {
  throw new AssertionError(msg || "failed");
}

function assert(cond, msg) {
  if (!cond) throw new AssertionError(msg || "assertion failed");
}

/** SameValue comparison (so NaN equals NaN, and +0 differs from -0). */
function assertEquals(actual, expected, msg) {
  if (!Object.is(actual, expected)) {
    throw new AssertionError(withMessage(msg, "expected " + formatValue(expected) + ", got " + formatValue(actual)));
  }
}

/** Element-wise SameValue comparison of arrays, typed arrays, ArrayBuffers or other array-likes. */
function assertArrayEquals(actual, expected, msg) {
  var a = actual instanceof ArrayBuffer ? new Uint8Array(actual) : actual;
  var e = expected instanceof ArrayBuffer ? new Uint8Array(expected) : expected;
  if (a === null || a === undefined || typeof a.length !== "number") {
    throw new AssertionError(withMessage(msg, "expected an array-like, got " + formatValue(actual)));
  }
  var same = a.length === e.length;
  for (var i = 0; same && i < a.length; i++) {
    if (!Object.is(a[i], e[i])) same = false;
  }
  if (!same) {
    throw new AssertionError(withMessage(msg, "expected " + formatValue(expected) + ", got " + formatValue(actual)));
  }
}

/**
 * Checks that `e` matches `expected`: a constructor (checked with instanceof) or a
 * DOMException name (checked as a DOMException with that name and a non-empty message).
 */
function checkError(e, expected, msg) {
  if (typeof expected === "function") {
    if (!(e instanceof expected)) {
      throw new AssertionError(withMessage(msg, "expected " + expected.name + ", got " + describeError(e)));
    }
    return;
  }
  if (typeof expected === "string") {
    if (!(e instanceof DOMException)) {
      throw new AssertionError(withMessage(msg, "expected DOMException " + expected + ", got " + describeError(e)));
    }
    if (e.name !== expected) {
      throw new AssertionError(withMessage(msg, "expected DOMException " + expected + ", got DOMException " + e.name + ": " + e.message));
    }
    if (typeof e.message !== "string" || e.message.length === 0) {
      throw new AssertionError(withMessage(msg, "DOMException " + expected + " has an empty message"));
    }
    return;
  }
  throw new TypeError("expected must be a constructor or a DOMException name");
}

/** Calls fn; it must throw an error matching `expected`. Returns the error. */
function assertThrows(expected, fn, msg) {
  try {
    fn();
  } catch (e) {
    checkError(e, expected, msg);
    return e;
  }
  var what = typeof expected === "function" ? expected.name : "DOMException " + expected;
  throw new AssertionError(withMessage(msg, "expected " + what + " to be thrown, but nothing was thrown"));
}

/**
 * `promiseOrFn` is a promise or a function returning one. The promise must reject with an
 * error matching `expected`. A function that throws synchronously, or returns something that
 * is not a Promise, fails the assertion (promise-returning EME methods never throw).
 * Returns the rejection reason.
 */
async function assertRejects(expected, promiseOrFn, msg) {
  var promise = promiseOrFn;
  if (typeof promiseOrFn === "function") {
    try {
      promise = promiseOrFn();
    } catch (e) {
      throw new AssertionError(withMessage(msg, "threw synchronously instead of returning a rejected promise: " + describeError(e)));
    }
  }
  if (!(promise instanceof Promise)) {
    throw new AssertionError(withMessage(msg, "expected a Promise, got " + formatValue(promise)));
  }
  var value;
  try {
    value = await promise;
  } catch (e) {
    checkError(e, expected, msg);
    return e;
  }
  var what = typeof expected === "function" ? expected.name : "DOMException " + expected;
  throw new AssertionError(withMessage(msg, "expected a rejection with " + what + ", but the promise resolved with " + formatValue(value)));
}

// ---------------------------------------------------------------------------------------------
// Bytes, text and base64url

/** A Uint8Array over the bytes of an ArrayBuffer, a view, or an array of numbers. */
function toBytes(x) {
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  if (Array.isArray(x)) return Uint8Array.from(x);
  throw new TypeError("toBytes: not bytes: " + formatValue(x));
}

/** Concatenates byte sources into one Uint8Array. */
function concatBytes() {
  var parts = Array.prototype.map.call(arguments, toBytes);
  var total = parts.reduce(function (n, p) { return n + p.length; }, 0);
  var out = new Uint8Array(total);
  var offset = 0;
  parts.forEach(function (p) { out.set(p, offset); offset += p.length; });
  return out;
}

/** `length` bytes with a recognisable pattern derived from `seed`. */
function patternBytes(length, seed) {
  var out = new Uint8Array(length);
  for (var i = 0; i < length; i++) out[i] = (seed * 31 + i * 7 + 1) & 0xff;
  return out;
}

/** A 16-byte key ID numbered n (distinct for distinct n < 256). */
function keyId(n) {
  var out = new Uint8Array(16);
  for (var i = 0; i < 16; i++) out[i] = (n + i * 17) & 0xff;
  out[0] = n & 0xff;
  return out;
}

/** A 16-byte content key numbered n. */
function contentKey(n) {
  var out = new Uint8Array(16);
  for (var i = 0; i < 16; i++) out[i] = (0xa5 ^ (n * 13 + i * 29)) & 0xff;
  return out;
}

function hexOf(bytes) {
  return Array.prototype.map.call(toBytes(bytes), function (b) { return (b < 16 ? "0" : "") + b.toString(16); }).join("");
}

function bytesFromHex(hex) {
  var clean = hex.replace(/[^0-9a-fA-F]/g, "");
  var out = new Uint8Array(clean.length / 2);
  for (var i = 0; i < out.length; i++) out[i] = parseInt(clean.substring(i * 2, i * 2 + 2), 16);
  return out;
}

function utf8(text) {
  return new TextEncoder().encode(text);
}

function utf8Decode(bytes) {
  return new TextDecoder().decode(toBytes(bytes));
}

/** Standard base64 (RFC 4648 §4: `+`, `/`, `=` padding). */
function b64Encode(bytes) {
  var s = "";
  toBytes(bytes).forEach(function (b) { s += String.fromCharCode(b); });
  return btoa(s);
}

/** base64url without padding (RFC 7515), as Clear Key uses. */
function b64urlEncode(bytes) {
  return b64Encode(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Decodes base64url (padding optional). */
function b64urlDecode(text) {
  var s = text.replace(/-/g, "+").replace(/_/g, "/");
  while (s.length % 4 !== 0) s += "=";
  var bin = atob(s);
  var out = new Uint8Array(bin.length);
  for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Clear Key formats

var CLEARKEY = "org.w3.clearkey";
var COMMON_SYSTEM_ID = "1077efecc0b24d02ace33c1e52e2fb4b";
var WIDEVINE_SYSTEM_ID = "edef8ba979d64acea3c827dcd51d21ed";

/** `keyids` init data: UTF-8 JSON `{"kids":["<b64url>",...]}`. */
function keyIdsInitData() {
  var kids = Array.prototype.map.call(arguments, b64urlEncode);
  return utf8(JSON.stringify({ kids: kids }));
}

/**
 * A JWK Set object. `keys` is an array of `{ kid, key }` (byte sources); `type` is added when
 * it is not undefined.
 */
function jwkSet(keys, type) {
  var set = {
    keys: keys.map(function (k) {
      return { kty: "oct", k: b64urlEncode(k.key), kid: b64urlEncode(k.kid) };
    }),
  };
  if (type !== undefined) set.type = type;
  return set;
}

/** A Clear Key licence (JWK Set) as UTF-8 bytes; see jwkSet. */
function licence(keys, type) {
  return utf8(JSON.stringify(jwkSet(keys, type)));
}

/** `[{kid: keyId(n), key: contentKey(n)}, ...]` for the given numbers. */
function keyPairs() {
  return Array.prototype.map.call(arguments, function (n) { return { kid: keyId(n), key: contentKey(n) }; });
}

function u32be(n) {
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

/**
 * A `pssh` box (ISO/IEC 23001-7 §8.1): size, "pssh", version, flags 0, SystemID, then for
 * version 1 KID_count and the KIDs, then DataSize and Data. `systemId` is hex text or 16
 * bytes; `kids` is an array of 16-byte byte sources (ignored for version 0).
 */
function pssh(version, systemId, kids, data) {
  var sys = typeof systemId === "string" ? bytesFromHex(systemId) : toBytes(systemId);
  if (sys.length !== 16) throw new TypeError("pssh: systemId must be 16 bytes");
  var payload = toBytes(data || []);
  var parts = [[version & 0xff, 0, 0, 0], sys];
  if (version >= 1) {
    parts.push(u32be(kids.length));
    kids.forEach(function (k) { parts.push(k); });
  }
  parts.push(u32be(payload.length), payload);
  var body = concatBytes.apply(null, parts);
  return concatBytes(u32be(8 + body.length), utf8("pssh"), body);
}

// ---------------------------------------------------------------------------------------------
// EME helpers

var CLEARKEY_VIDEO_TYPE = 'video/mp4;codecs="avc1.42E01E"';

/** A plain Clear Key configuration list (one configuration). */
function clearKeyConfigs() {
  return [{
    initDataTypes: ["keyids", "cenc", "webm"],
    videoCapabilities: [{ contentType: CLEARKEY_VIDEO_TYPE }],
  }];
}

async function newMediaKeys() {
  var access = await navigator.requestMediaKeySystemAccess(CLEARKEY, clearKeyConfigs());
  return access.createMediaKeys();
}

/** requestMediaKeySystemAccess → createMediaKeys → createSession(type). */
async function newSession(type) {
  var mediaKeys = await newMediaKeys();
  return type === undefined ? mediaKeys.createSession() : mediaKeys.createSession(type);
}

/** Resolves with the next event of `type` fired at `target`. */
function waitForEvent(target, type) {
  return new Promise(function (resolve) {
    function listener(event) {
      target.removeEventListener(type, listener);
      resolve(event);
    }
    target.addEventListener(type, listener);
  });
}

/**
 * A session that went through generateRequest("keyids", kids) and update(licence) for the given
 * key numbers (see keyId / contentKey); the `message` and `keystatuseschange` events have
 * already fired when it resolves, so later events a test waits for are fresh ones.
 */
async function sessionWithKeys(numbers, mediaKeys) {
  var keys = mediaKeys || (await newMediaKeys());
  var session = keys.createSession();
  var message = waitForEvent(session, "message");
  await session.generateRequest("keyids", keyIdsInitData.apply(null, numbers.map(keyId)));
  await message;
  var changed = waitForEvent(session, "keystatuseschange");
  await session.update(licence(keyPairs.apply(null, numbers)));
  await changed;
  return session;
}

/** Resolves after `ms` milliseconds (a later task). */
function sleep(ms) {
  return new Promise(function (resolve) { setTimeout(resolve, ms || 0); });
}

/**
 * Resolves with "pending", "fulfilled" or "rejected" describing `promise` after waiting
 * `ms` milliseconds; never leaves a rejection unhandled.
 */
function promiseState(promise, ms) {
  var state = "pending";
  promise.then(function () { state = "fulfilled"; }, function () { state = "rejected"; });
  return sleep(ms || 20).then(function () { return state; });
}
