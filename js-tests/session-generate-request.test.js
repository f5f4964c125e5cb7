// MediaKeySession initial state and generateRequest(), with the Clear Key init data formats
// (keyids, cenc, webm) and the licence request message.
// Spec: https://w3c.github.io/encrypted-media/#dom-mediakeysession-generaterequest
// Registry: https://w3c.github.io/encrypted-media/format-registry/initdata/

/** Runs generateRequest on a fresh session; resolves with the session. */
async function generated(initDataType, initData) {
  var session = await newSession();
  await session.generateRequest(initDataType, initData);
  return session;
}

/** generateRequest on a fresh session must reject with `expected`. */
async function rejectsOnFreshSession(expected, initDataType, initData, msg) {
  var session = await newSession();
  await assertRejects(expected, function () { return session.generateRequest(initDataType, initData); }, msg);
  return session;
}

/** The licence request text the session sends for the given init data. */
async function requestText(initDataType, initData) {
  var session = await newSession();
  var message = waitForEvent(session, "message");
  await session.generateRequest(initDataType, initData);
  return utf8Decode((await message).message);
}

/** A keyids init data whose JSON is padded with spaces to exactly `size` bytes. */
function paddedKeyIds(size, kid) {
  var json = JSON.stringify({ kids: [b64urlEncode(kid)] });
  var padding = size - utf8(json).length;
  return utf8(json.slice(0, -1) + " ".repeat(padding) + "}");
}

test("a new session: sessionId \"\", expiration NaN, empty keyStatuses, one closed promise", async function () {
  var session = await newSession();
  assertEquals(session.sessionId, "", "sessionId");
  assertEquals(session.expiration, NaN, "expiration");
  assert(session.keyStatuses instanceof MediaKeyStatusMap, "keyStatuses is a MediaKeyStatusMap");
  assertEquals(session.keyStatuses.size, 0, "keyStatuses.size");
  var closed = session.closed;
  assert(closed instanceof Promise, "closed is a Promise");
  assert(session.closed === closed, "closed is the same object on every read");
  assertEquals(await promiseState(closed), "pending", "closed is pending on a new session");
});

test("generateRequest(\"\", data) rejects TypeError", async function () {
  await rejectsOnFreshSession(TypeError, "", keyIdsInitData(keyId(1)));
});

test("generateRequest with empty init data rejects TypeError", async function () {
  await rejectsOnFreshSession(TypeError, "keyids", new Uint8Array(0), "empty Uint8Array");
  await rejectsOnFreshSession(TypeError, "cenc", new ArrayBuffer(0), "empty ArrayBuffer");
  await rejectsOnFreshSession(TypeError, "webm", new DataView(new ArrayBuffer(8), 4, 0), "empty DataView");
});

test("generateRequest with an unsupported initDataType rejects NotSupportedError", async function () {
  var data = keyIdsInitData(keyId(1));
  for (var type of ["CENC", "foo", "KeyIds", "keyids ", "webM"]) {
    await rejectsOnFreshSession("NotSupportedError", type, data, JSON.stringify(type));
  }
});

test("a second generateRequest rejects InvalidStateError", async function () {
  var session = await generated("keyids", keyIdsInitData(keyId(1)));
  await assertRejects("InvalidStateError", function () {
    return session.generateRequest("keyids", keyIdsInitData(keyId(2)));
  }, "after the first resolved");

  var other = await newSession();
  var first = other.generateRequest("keyids", keyIdsInitData(keyId(3)));
  // Handled at once: the rejection is already settled when the call returns.
  var second = assertRejects("InvalidStateError", other.generateRequest("keyids", keyIdsInitData(keyId(4))), "called before the first settled");
  await first;
  await second;
});

test("a failed generateRequest still uses up the session", async function () {
  var valid = keyIdsInitData(keyId(1));
  var failures = [
    ["empty type", TypeError, "", valid],
    ["empty data", TypeError, "keyids", new Uint8Array(0)],
    ["unsupported type", "NotSupportedError", "foo", valid],
    ["malformed keyids", TypeError, "keyids", utf8("{\"kids\":[")],
  ];
  for (var f of failures) {
    var session = await rejectsOnFreshSession(f[1], f[2], f[3], f[0]);
    await assertRejects("InvalidStateError", function () {
      return session.generateRequest("keyids", valid);
    }, "valid call after a failure (" + f[0] + ")");
    assertEquals(session.sessionId, "", "sessionId after " + f[0]);
  }
});

test("non-BufferSource init data rejects TypeError", async function () {
  var cases = [
    ["string", "{\"kids\":[\"AQIDBAUGBwgJCgsMDQ4PEA\"]}"],
    ["number", 123],
    ["plain object", {}],
    ["array of numbers", [1, 2, 3]],
    ["null", null],
    ["undefined", undefined],
  ];
  for (var c of cases) {
    var session = await newSession();
    await assertRejects(TypeError, function () { return session.generateRequest("keyids", c[1]); }, c[0]);
  }
  var s = await newSession();
  await assertRejects(TypeError, function () { return s.generateRequest("keyids"); }, "missing init data");
  await assertRejects(TypeError, function () { return s.generateRequest(); }, "no arguments");
});

test("keyids: init data larger than 65536 bytes rejects TypeError; 65536 bytes is accepted", async function () {
  var big = paddedKeyIds(65537, keyId(1));
  assertEquals(big.length, 65537, "test data size");
  await rejectsOnFreshSession(TypeError, "keyids", big, "65537 bytes");
  var limit = paddedKeyIds(65536, keyId(1));
  assertEquals(limit.length, 65536, "test data size");
  await generated("keyids", limit);
});

test("keyids: malformed JSON or structure rejects TypeError", async function () {
  var kid = b64urlEncode(keyId(1));
  var bad = [
    "{\"kids\":[",
    "not json",
    "{}",
    "[\"" + kid + "\"]",
    "{\"kids\":\"" + kid + "\"}",
    "{\"kids\":[1]}",
    "{\"kids\":[\"" + kid + "=\"]}",
    "{\"kids\":[\"" + kid + "\"]} trailing",
  ];
  for (var text of bad) {
    await rejectsOnFreshSession(TypeError, "keyids", utf8(text), text);
  }
});

test("keyids: a non-ASCII character rejects TypeError", async function () {
  var kid = b64urlEncode(keyId(1));
  await rejectsOnFreshSession(TypeError, "keyids", utf8("{\"kids\":[\"" + kid.slice(0, -1) + "\u00e9\"]}"), "é inside a kid");
  await rejectsOnFreshSession(TypeError, "keyids", concatBytes(utf8("{\"kids\":[\"" + kid.slice(0, -1)), [0xff], utf8("\"]}")), "byte 0xFF inside a kid");
});

test("keyids: key IDs must be 1 to 512 bytes", async function () {
  await rejectsOnFreshSession(TypeError, "keyids", utf8("{\"kids\":[\"\"]}"), "0-byte kid");
  await rejectsOnFreshSession(TypeError, "keyids", keyIdsInitData(patternBytes(513, 1)), "513-byte kid");
  await rejectsOnFreshSession(TypeError, "keyids", keyIdsInitData(keyId(1), patternBytes(513, 2)), "513-byte kid after a valid one");
  var text = await requestText("keyids", keyIdsInitData(patternBytes(512, 3)));
  assertEquals(text, "{\"kids\":[\"" + b64urlEncode(patternBytes(512, 3)) + "\"],\"type\":\"temporary\"}", "512-byte kid accepted");
  text = await requestText("keyids", keyIdsInitData([7]));
  assertEquals(text, "{\"kids\":[\"Bw\"],\"type\":\"temporary\"}", "1-byte kid accepted");
});

test("cenc: a version 1 pssh box with the Common SystemID is accepted", async function () {
  var text = await requestText("cenc", pssh(1, COMMON_SYSTEM_ID, [keyId(1), keyId(2)]));
  assertEquals(text, "{\"kids\":[\"" + b64urlEncode(keyId(1)) + "\",\"" + b64urlEncode(keyId(2)) + "\"],\"type\":\"temporary\"}", "request lists the box's KIDs in order");
});

test("cenc: the Common box is found after boxes of other systems", async function () {
  var data = concatBytes(
    pssh(0, WIDEVINE_SYSTEM_ID, [], [1, 2, 3, 4]),
    pssh(1, WIDEVINE_SYSTEM_ID, [keyId(9)]),
    pssh(1, COMMON_SYSTEM_ID, [keyId(5)])
  );
  var text = await requestText("cenc", data);
  assertEquals(text, "{\"kids\":[\"" + b64urlEncode(keyId(5)) + "\"],\"type\":\"temporary\"}", "only the Common box's KIDs");
});

test("cenc: malformed boxes reject TypeError", async function () {
  var good = pssh(1, COMMON_SYSTEM_ID, [keyId(1)]);
  await rejectsOnFreshSession(TypeError, "cenc", good.subarray(0, good.length - 1), "truncated by one byte");
  await rejectsOnFreshSession(TypeError, "cenc", good.subarray(0, 20), "truncated inside the SystemID");
  await rejectsOnFreshSession(TypeError, "cenc", concatBytes(good, [0, 0, 0]), "trailing partial box");

  var notPssh = good.slice();
  notPssh.set(utf8("moov"), 4);
  await rejectsOnFreshSession(TypeError, "cenc", notPssh, "a box that is not pssh");
  await rejectsOnFreshSession(TypeError, "cenc", concatBytes(good, notPssh), "a valid pssh followed by a non-pssh box");

  var hugeCount = good.slice();
  hugeCount.set([0xff, 0xff, 0xff, 0xff], 28); // KID_count follows size, type, version/flags, SystemID
  await rejectsOnFreshSession(TypeError, "cenc", hugeCount, "KID_count 0xFFFFFFFF");
  var overCount = good.slice();
  overCount.set([0, 0, 0, 2], 28);
  await rejectsOnFreshSession(TypeError, "cenc", overCount, "KID_count larger than the box");

  var badSize = good.slice();
  badSize.set([0, 0, 0xff, 0xff], 0);
  await rejectsOnFreshSession(TypeError, "cenc", badSize, "box size larger than the data");
  await rejectsOnFreshSession(TypeError, "cenc", new Uint8Array([0, 0, 0, 4]), "box smaller than its header");
});

test("cenc: no usable Common SystemID v1 box rejects NotSupportedError", async function () {
  await rejectsOnFreshSession("NotSupportedError", "cenc", pssh(1, WIDEVINE_SYSTEM_ID, [keyId(1)]), "only another system's box");
  await rejectsOnFreshSession("NotSupportedError", "cenc", pssh(0, COMMON_SYSTEM_ID, [], []), "only a version 0 Common box");
  await rejectsOnFreshSession("NotSupportedError", "cenc",
    concatBytes(pssh(0, COMMON_SYSTEM_ID, [], []), pssh(1, WIDEVINE_SYSTEM_ID, [keyId(2)])), "v0 Common and another system");
});

test("webm: a key ID of 1 to 512 bytes is accepted, 513 bytes rejects TypeError", async function () {
  var text = await requestText("webm", new Uint8Array([0x42]));
  assertEquals(text, "{\"kids\":[\"Qg\"],\"type\":\"temporary\"}", "1-byte webm key ID");
  var kid512 = patternBytes(512, 9);
  text = await requestText("webm", kid512);
  assertEquals(text, "{\"kids\":[\"" + b64urlEncode(kid512) + "\"],\"type\":\"temporary\"}", "512-byte webm key ID");
  await rejectsOnFreshSession(TypeError, "webm", patternBytes(513, 9), "513-byte webm key ID");
});

test("the message event: MediaKeyMessageEvent, license-request, exact licence request bytes", async function () {
  // These key ID bytes need base64url's '-' and '_' and would need '==' padding in base64.
  var kid = new Uint8Array([0xfb, 0xff, 0xbf, 0xfb, 0xef, 0xfe, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09]);
  var session = await newSession();
  var message = waitForEvent(session, "message");
  await session.generateRequest("keyids", keyIdsInitData(kid));
  var event = await message;
  assert(event instanceof MediaKeyMessageEvent, "event is a MediaKeyMessageEvent");
  assert(event instanceof Event, "event is an Event");
  assertEquals(event.type, "message", "type");
  assertEquals(event.messageType, "license-request", "messageType");
  assertEquals(event.target, session, "target");
  assertEquals(event.isTrusted, true, "isTrusted");
  assertEquals(event.bubbles, false, "bubbles");
  assertEquals(event.cancelable, false, "cancelable");
  assert(event.message instanceof ArrayBuffer, "message is an ArrayBuffer");
  var text = utf8Decode(event.message);
  assertEquals(text, "{\"kids\":[\"-_-_--_-AAECAwQFBgcICQ\"],\"type\":\"temporary\"}", "licence request text");
  assertArrayEquals(new Uint8Array(event.message), utf8(text), "message bytes are exactly the UTF-8 text");
});

test("the licence request keeps the keyids order and re-encodes the key IDs", async function () {
  var text = await requestText("keyids", keyIdsInitData(keyId(3), keyId(1), keyId(2)));
  var expected = "{\"kids\":[" + [keyId(3), keyId(1), keyId(2)].map(function (k) { return "\"" + b64urlEncode(k) + "\""; }).join(",") + "],\"type\":\"temporary\"}";
  assertEquals(text, expected, "three kids, order kept");
  // Extra members and whitespace in the init data do not reach the request.
  var kid = b64urlEncode(keyId(4));
  text = await requestText("keyids", utf8("{ \"extra\": 1,\n \"kids\" : [ \"" + kid + "\" ] }"));
  assertEquals(text, "{\"kids\":[\"" + kid + "\"],\"type\":\"temporary\"}", "sanitised request");
});

test("sessionId is a decimal uint32 string, set when generateRequest resolves, unique per session", async function () {
  var mediaKeys = await newMediaKeys();
  var ids = [];
  for (var i = 0; i < 6; i++) {
    var session = mediaKeys.createSession();
    var p = session.generateRequest("keyids", keyIdsInitData(keyId(i)));
    assertEquals(session.sessionId, "", "sessionId is still empty right after the call");
    var value = await p;
    assertEquals(value, undefined, "generateRequest resolves with undefined");
    var id = session.sessionId;
    assert(/^[0-9]+$/.test(id), "sessionId " + JSON.stringify(id) + " is decimal digits");
    assertEquals(String(Number(id)), id, "sessionId has no leading zeros");
    assert(Number(id) <= 4294967295, "sessionId fits in 32 bits");
    assertEquals(session.sessionId, id, "sessionId is stable");
    ids.push(id);
  }
  var other = await newSession();
  await other.generateRequest("cenc", pssh(1, COMMON_SYSTEM_ID, [keyId(1)]));
  ids.push(other.sessionId);
  assertEquals(new Set(ids).size, ids.length, "sessionIds are unique: " + ids.join(","));
});

test("init data may be a Uint8Array, a DataView, an ArrayBuffer or a view with an offset", async function () {
  var data = keyIdsInitData(keyId(7));
  var expected = "{\"kids\":[\"" + b64urlEncode(keyId(7)) + "\"],\"type\":\"temporary\"}";
  var framed = new Uint8Array(data.length + 10);
  framed.fill(0x7b); // '{' bytes around the real data would break the JSON if they leaked in
  framed.set(data, 5);
  var inputs = [
    ["Uint8Array", data],
    ["DataView", new DataView(data.buffer.slice(0))],
    ["ArrayBuffer", data.buffer.slice(0)],
    ["Uint8Array with offset", framed.subarray(5, 5 + data.length)],
    ["DataView with offset", new DataView(framed.buffer, 5, data.length)],
    ["Int8Array", new Int8Array(data.buffer.slice(0))],
  ];
  for (var input of inputs) {
    assertEquals(await requestText("keyids", input[1]), expected, input[0]);
  }
});

test("init data is copied when generateRequest is called", async function () {
  var data = keyIdsInitData(keyId(8));
  var session = await newSession();
  var message = waitForEvent(session, "message");
  var p = session.generateRequest("keyids", data);
  data.fill(0x20); // overwrite with spaces after the call
  await p;
  var text = utf8Decode((await message).message);
  assertEquals(text, "{\"kids\":[\"" + b64urlEncode(keyId(8)) + "\"],\"type\":\"temporary\"}", "request uses the bytes at call time");
});
