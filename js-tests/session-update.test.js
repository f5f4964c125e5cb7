// MediaKeySession.update() with Clear Key licences (JWK Sets).
// Spec: https://w3c.github.io/encrypted-media/#dom-mediakeysession-update
// and the Clear Key "License Format" section (base64url without padding, kty "oct").

/** A session after generateRequest for the given key numbers and its message event. */
async function requested(numbers) {
  var session = await newSession();
  var message = waitForEvent(session, "message");
  await session.generateRequest("keyids", keyIdsInitData.apply(null, numbers.map(keyId)));
  await message;
  return session;
}

function jwkBytes(object) {
  return utf8(JSON.stringify(object));
}

/** A valid one-key licence for key 1 padded with spaces to exactly `size` bytes. */
function paddedLicence(size) {
  var json = JSON.stringify(jwkSet(keyPairs(1)));
  return utf8(json.slice(0, -1) + " ".repeat(size - utf8(json).length) + "}");
}

test("update() before generateRequest rejects InvalidStateError", async function () {
  var session = await newSession();
  await assertRejects("InvalidStateError", function () { return session.update(licence(keyPairs(1))); });
});

test("update() with an empty or non-BufferSource response rejects TypeError", async function () {
  var session = await requested([1]);
  var cases = [
    ["empty Uint8Array", new Uint8Array(0)],
    ["empty ArrayBuffer", new ArrayBuffer(0)],
    ["empty string", ""],
    ["null", null],
    ["undefined", undefined],
    ["number 1", 1],
    ["JSON text as a string", JSON.stringify(jwkSet(keyPairs(1)))],
  ];
  for (var c of cases) {
    await assertRejects(TypeError, function () { return session.update(c[1]); }, c[0]);
  }
  await assertRejects(TypeError, function () { return session.update(); }, "no argument");
  assertEquals(session.keyStatuses.size, 0, "failed updates add no keys");
});

test("update() with a response larger than 65536 bytes rejects TypeError; 65536 is accepted", async function () {
  var session = await requested([1]);
  var big = paddedLicence(65537);
  assertEquals(big.length, 65537, "test data size");
  await assertRejects(TypeError, function () { return session.update(big); }, "65537 bytes");
  assertEquals(session.keyStatuses.size, 0, "nothing added by the oversized licence");
  var limit = paddedLicence(65536);
  assertEquals(limit.length, 65536, "test data size");
  await session.update(limit);
  assertEquals(session.keyStatuses.get(keyId(1)), "usable", "65536-byte licence accepted");
});

test("update() with a non-ASCII byte rejects TypeError", async function () {
  var session = await requested([1]);
  var withAccent = jwkSet(keyPairs(1));
  withAccent.note = "caf\u00e9";
  await assertRejects(TypeError, function () { return session.update(jwkBytes(withAccent)); }, "é in an extra member");
  var valid = licence(keyPairs(1));
  var withByte = concatBytes(valid.subarray(0, valid.length - 1), utf8(",\"x\":\""), [0xc3, 0xa9], utf8("\"}"));
  await assertRejects(TypeError, function () { return session.update(withByte); }, "raw UTF-8 bytes C3 A9");
  await assertRejects(TypeError, function () { return session.update(new Uint8Array([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77])); }, "binary garbage");
  assertEquals(session.keyStatuses.size, 0, "no keys added");
});

test("update() with an invalid JWK Set rejects TypeError", async function () {
  var session = await requested([1]);
  var kid = b64urlEncode(keyId(1));
  var k = b64urlEncode(contentKey(1));
  var plusSlashKey = new Uint8Array([0xfb, 0xff, 0xbf, 0xfb, 0xef, 0xfe, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  var plusSlashKid = new Uint8Array([0xff, 0xef, 0xfb, 0xbf, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  assert(/[+\/]/.test(b64Encode(plusSlashKey)) && /[+\/]/.test(b64Encode(plusSlashKid)), "test data uses '+' or '/'");
  assert(/=$/.test(b64Encode(contentKey(1))), "16-byte values need padding in base64");

  function one(key) { return { keys: [key] }; }
  var cases = [
    ["invalid JSON", utf8("{\"keys\":[")],
    ["not an object", jwkBytes([{ kty: "oct", kid: kid, k: k }])],
    ["keys is empty", jwkBytes({ keys: [] })],
    ["keys missing", jwkBytes({ type: "temporary" })],
    ["keys is not an array", jwkBytes({ keys: { kty: "oct", kid: kid, k: k } })],
    ["kty missing", jwkBytes(one({ kid: kid, k: k }))],
    ["kty \"OCT\"", jwkBytes(one({ kty: "OCT", kid: kid, k: k }))],
    ["kty \"RSA\"", jwkBytes(one({ kty: "RSA", kid: kid, k: k }))],
    ["k missing", jwkBytes(one({ kty: "oct", kid: kid }))],
    ["kid missing", jwkBytes(one({ kty: "oct", k: k }))],
    ["empty k", jwkBytes(one({ kty: "oct", kid: kid, k: "" }))],
    ["empty kid", jwkBytes(one({ kty: "oct", kid: "", k: k }))],
    ["k not a string", jwkBytes(one({ kty: "oct", kid: kid, k: 5 }))],
    ["padded k", jwkBytes(one({ kty: "oct", kid: kid, k: b64Encode(contentKey(1)) }))],
    ["padded kid", jwkBytes(one({ kty: "oct", kid: b64urlEncode(keyId(1)) + "==", k: k }))],
    ["k in the +/ alphabet", jwkBytes(one({ kty: "oct", kid: kid, k: b64Encode(plusSlashKey).replace(/=+$/, "") }))],
    ["kid in the +/ alphabet", jwkBytes(one({ kty: "oct", kid: b64Encode(plusSlashKid).replace(/=+$/, ""), k: k }))],
    ["15-byte key", jwkBytes(one({ kty: "oct", kid: kid, k: b64urlEncode(patternBytes(15, 1)) }))],
    ["17-byte key", jwkBytes(one({ kty: "oct", kid: kid, k: b64urlEncode(patternBytes(17, 1)) }))],
    ["32-byte key", jwkBytes(one({ kty: "oct", kid: kid, k: b64urlEncode(patternBytes(32, 1)) }))],
    ["type persistent-license on a temporary session", licence(keyPairs(1), "persistent-license")],
    ["unknown type", licence(keyPairs(1), "foo")],
    ["type with different case", licence(keyPairs(1), "Temporary")],
    ["second key invalid", jwkBytes({ keys: [{ kty: "oct", kid: kid, k: k }, { kty: "oct", kid: b64urlEncode(keyId(2)), k: b64urlEncode(patternBytes(15, 2)) }] })],
  ];
  for (var c of cases) {
    await assertRejects(TypeError, function () { return session.update(c[1]); }, c[0]);
  }
  assertEquals(session.keyStatuses.size, 0, "no rejected licence added keys");
  await session.update(licence(keyPairs(1)));
  assertEquals(session.keyStatuses.get(keyId(1)), "usable", "the session still accepts a valid licence");
});

test("a valid licence resolves with undefined", async function () {
  var session = await requested([1]);
  var p = session.update(licence(keyPairs(1)));
  assert(p instanceof Promise, "update returns a Promise");
  assertEquals(await p, undefined, "resolution value");
  var session2 = await requested([2]);
  assertEquals(await session2.update(licence(keyPairs(2), "temporary")), undefined, "licence with type temporary");
});

test("after a valid update every key in the licence is \"usable\"", async function () {
  var session = await requested([1, 2, 3]);
  await session.update(licence(keyPairs(1, 2, 3)));
  assertEquals(session.keyStatuses.size, 3, "size");
  [1, 2, 3].forEach(function (n) {
    assertEquals(session.keyStatuses.get(keyId(n)), "usable", "key " + n);
  });
  assertEquals(session.expiration, NaN, "Clear Key expiration stays NaN");
});

test("keys that were not requested are still listed", async function () {
  var session = await requested([1]);
  await session.update(licence(keyPairs(1, 4)));
  assertEquals(session.keyStatuses.size, 2, "size");
  assertEquals(session.keyStatuses.get(keyId(1)), "usable", "requested key");
  assertEquals(session.keyStatuses.get(keyId(4)), "usable", "key that was not requested");
});

test("a second licence adds its keys to the session", async function () {
  var session = await requested([1, 2]);
  await session.update(licence(keyPairs(1)));
  await session.update(licence(keyPairs(2)));
  assertEquals(session.keyStatuses.size, 2, "size after two licences");
  assertEquals(session.keyStatuses.get(keyId(1)), "usable", "key from the first licence");
  assertEquals(session.keyStatuses.get(keyId(2)), "usable", "key from the second licence");
});

test("unknown members in the JWK Set and its keys are ignored", async function () {
  var session = await requested([1]);
  var set = jwkSet(keyPairs(1));
  set.extra = { nested: [1, 2, 3] };
  set.keys[0].alg = "A128KW";
  set.keys[0].use = "enc";
  await session.update(jwkBytes(set));
  assertEquals(session.keyStatuses.get(keyId(1)), "usable", "key installed");
});

test("update() after close() rejects InvalidStateError", async function () {
  var session = await requested([1]);
  await session.close();
  await assertRejects("InvalidStateError", function () { return session.update(licence(keyPairs(1))); });
  var session2 = await requested([2]);
  await session2.update(licence(keyPairs(2)));
  await session2.close();
  await assertRejects("InvalidStateError", function () { return session2.update(licence(keyPairs(2))); }, "session that had keys");
});
