// MediaKeySystemAccess.createMediaKeys() and the MediaKeys methods.
// Spec: https://w3c.github.io/encrypted-media/#mediakeys-interface

test("createMediaKeys() resolves a new MediaKeys each call", async function () {
  var access = await navigator.requestMediaKeySystemAccess(CLEARKEY, clearKeyConfigs());
  var p = access.createMediaKeys();
  assert(p instanceof Promise, "createMediaKeys returns a Promise");
  var a = await p;
  var b = await access.createMediaKeys();
  assert(a instanceof MediaKeys, "resolves a MediaKeys");
  assert(b instanceof MediaKeys, "second call resolves a MediaKeys");
  assert(a !== b, "each call creates a new MediaKeys");
});

test("createSession() with no argument or undefined creates a temporary session", async function () {
  var mediaKeys = await newMediaKeys();
  var sessions = [mediaKeys.createSession(), mediaKeys.createSession(undefined), mediaKeys.createSession("temporary")];
  for (var session of sessions) {
    assert(session instanceof MediaKeySession, "createSession returns a MediaKeySession");
    var message = waitForEvent(session, "message");
    await session.generateRequest("keyids", keyIdsInitData(keyId(1)));
    var event = await message;
    var request = JSON.parse(utf8Decode(event.message));
    assertEquals(request.type, "temporary", "licence request type");
  }
  assert(sessions[0] !== sessions[1], "each call creates a new session");
});

test("createSession(\"persistent-license\") throws NotSupportedError synchronously", async function () {
  var mediaKeys = await newMediaKeys();
  assertThrows("NotSupportedError", function () { mediaKeys.createSession("persistent-license"); });
});

test("createSession() with a value outside MediaKeySessionType throws TypeError", async function () {
  var mediaKeys = await newMediaKeys();
  var values = ["bogus", "", "Temporary", "persistent-usage-record", null, 1];
  values.forEach(function (v) {
    assertThrows(TypeError, function () { mediaKeys.createSession(v); }, "createSession(" + formatValue(v) + ")");
  });
});

test("setServerCertificate() rejects TypeError for empty, missing or non-BufferSource certificates", async function () {
  var mediaKeys = await newMediaKeys();
  var cases = [
    ["empty Uint8Array", function () { return mediaKeys.setServerCertificate(new Uint8Array(0)); }],
    ["empty ArrayBuffer", function () { return mediaKeys.setServerCertificate(new ArrayBuffer(0)); }],
    ["no argument", function () { return mediaKeys.setServerCertificate(); }],
    ["string", function () { return mediaKeys.setServerCertificate("string"); }],
    ["number", function () { return mediaKeys.setServerCertificate(200); }],
    ["null", function () { return mediaKeys.setServerCertificate(null); }],
    ["plain array", function () { return mediaKeys.setServerCertificate([1, 2, 3]); }],
  ];
  for (var c of cases) {
    await assertRejects(TypeError, c[1], c[0]);
  }
});

test("setServerCertificate() with a 200-byte certificate resolves false", async function () {
  var mediaKeys = await newMediaKeys();
  var result = await mediaKeys.setServerCertificate(patternBytes(200, 3));
  assertEquals(result, false, "Clear Key does not use server certificates");
  result = await mediaKeys.setServerCertificate(patternBytes(200, 4).buffer);
  assertEquals(result, false, "ArrayBuffer certificate");
});

test("getStatusForPolicy({minHdcpVersion}) resolves \"usable\"", async function () {
  var mediaKeys = await newMediaKeys();
  var p = mediaKeys.getStatusForPolicy({ minHdcpVersion: "1.0" });
  assert(p instanceof Promise, "returns a Promise");
  assertEquals(await p, "usable", "minHdcpVersion 1.0");
  assertEquals(await mediaKeys.getStatusForPolicy({ minHdcpVersion: "2.2" }), "usable", "minHdcpVersion 2.2");
});

test("getStatusForPolicy() with no policy members rejects TypeError", async function () {
  var mediaKeys = await newMediaKeys();
  await assertRejects(TypeError, function () { return mediaKeys.getStatusForPolicy(); }, "no argument");
  await assertRejects(TypeError, function () { return mediaKeys.getStatusForPolicy({}); }, "{}");
  await assertRejects(TypeError, function () { return mediaKeys.getStatusForPolicy(undefined); }, "undefined");
  await assertRejects(TypeError, function () { return mediaKeys.getStatusForPolicy({ unknownMember: "1.0" }); }, "only unknown members");
  await assertRejects(TypeError, function () { return mediaKeys.getStatusForPolicy("1.0"); }, "a string is not a dictionary");
});
