// MediaKeyStatusMap: size, has, get, and the pair iterator (entries/keys/values/forEach).
// Spec: https://w3c.github.io/encrypted-media/#mediakeystatusmap-interface
// Iteration is over the key IDs sorted by their bytes (a shorter prefix sorts first).

/** A session holding keys with the given raw key IDs (each paired with a 16-byte key). */
async function sessionWithKeyIds(kids, mediaKeys) {
  var keys = mediaKeys || (await newMediaKeys());
  var session = keys.createSession();
  var message = waitForEvent(session, "message");
  await session.generateRequest("keyids", keyIdsInitData.apply(null, kids));
  await message;
  var changed = waitForEvent(session, "keystatuseschange");
  await session.update(licence(kids.map(function (kid, i) { return { kid: kid, key: contentKey(i + 1) }; })));
  await changed;
  return session;
}

// Given out of order; sorted they are 01 02 < 01 02 03 < 80 < aa 01 (unsigned bytes, prefix first).
var K_PREFIX = new Uint8Array([0x01, 0x02]);
var K_LONGER = new Uint8Array([0x01, 0x02, 0x03]);
var K_HIGH = new Uint8Array([0x80]);
var K_LAST = new Uint8Array([0xaa, 0x01]);
var SORTED = [K_PREFIX, K_LONGER, K_HIGH, K_LAST];

test("an empty map: size 0, get undefined, has false, nothing to iterate", async function () {
  var session = await newSession();
  var map = session.keyStatuses;
  assertEquals(map.size, 0, "size");
  assertEquals(map.get(keyId(1)), undefined, "get");
  assertEquals(map.has(keyId(1)), false, "has");
  assertEquals(Array.from(map.entries()).length, 0, "entries");
  var calls = 0;
  map.forEach(function () { calls++; });
  assertEquals(calls, 0, "forEach calls");
});

test("size, has and get; get returns undefined for an unknown key ID", async function () {
  var session = await sessionWithKeys([1, 2]);
  var map = session.keyStatuses;
  assertEquals(map.size, 2, "size");
  assertEquals(map.has(keyId(1)), true, "has key 1");
  assertEquals(map.has(keyId(2)), true, "has key 2");
  assertEquals(map.get(keyId(1)), "usable", "get key 1");
  assertEquals(map.has(keyId(3)), false, "has unknown key");
  assertEquals(map.get(keyId(3)), undefined, "get unknown key");
  assertEquals(map.has(keyId(1).subarray(0, 15)), false, "a prefix of a key ID is a different key ID");
  assertEquals(map.get(concatBytes(keyId(1), [0])), undefined, "a longer key ID is a different key ID");
});

test("has and get accept ArrayBuffer, Uint8Array and DataView views of the key ID", async function () {
  var session = await sessionWithKeys([1]);
  var map = session.keyStatuses;
  var id = keyId(1);
  var framed = concatBytes([0xee, 0xee, 0xee], id, [0xee]);
  var forms = [
    ["ArrayBuffer", id.slice().buffer],
    ["Uint8Array", id.slice()],
    ["DataView", new DataView(id.slice().buffer)],
    ["Uint8Array with offset", framed.subarray(3, 19)],
    ["DataView with offset", new DataView(framed.buffer, 3, 16)],
    ["Int8Array", new Int8Array(id.slice().buffer)],
  ];
  forms.forEach(function (f) {
    assertEquals(map.has(f[1]), true, "has(" + f[0] + ")");
    assertEquals(map.get(f[1]), "usable", "get(" + f[0] + ")");
  });
});

test("has and get with a non-BufferSource throw TypeError", async function () {
  var session = await sessionWithKeys([1]);
  var map = session.keyStatuses;
  var values = [["string", b64urlEncode(keyId(1))], ["number", 1], ["plain object", {}], ["array of numbers", Array.from(keyId(1))], ["null", null], ["undefined", undefined]];
  values.forEach(function (v) {
    assertThrows(TypeError, function () { map.has(v[1]); }, "has(" + v[0] + ")");
    assertThrows(TypeError, function () { map.get(v[1]); }, "get(" + v[0] + ")");
  });
  assertThrows(TypeError, function () { map.has(); }, "has()");
  assertThrows(TypeError, function () { map.get(); }, "get()");
});

test("forEach calls back with (value, key, map) in key ID order and honours thisArg", async function () {
  var session = await sessionWithKeyIds([K_LAST, K_LONGER, K_HIGH, K_PREFIX]);
  var map = session.keyStatuses;
  var calls = [];
  var thisArg = { marker: true };
  var result = map.forEach(function (value, key, m) {
    calls.push({ self: this, value: value, key: key, map: m, args: arguments.length });
  }, thisArg);
  assertEquals(result, undefined, "forEach returns undefined");
  assertEquals(calls.length, 4, "number of calls");
  calls.forEach(function (c, i) {
    assertEquals(c.self, thisArg, "this in call " + i);
    assertEquals(c.value, "usable", "value in call " + i);
    assert(c.key instanceof ArrayBuffer, "key in call " + i + " is an ArrayBuffer");
    assertArrayEquals(new Uint8Array(c.key), SORTED[i], "key in call " + i);
    assertEquals(c.map, map, "map in call " + i);
    assertEquals(c.args, 3, "argument count in call " + i);
  });
  assertThrows(TypeError, function () { map.forEach(); }, "forEach without a callback");
  assertThrows(TypeError, function () { map.forEach({}); }, "forEach with a non-callable");
});

test("iteration is sorted by key ID bytes (prefix first, bytes unsigned)", async function () {
  var session = await sessionWithKeyIds([K_HIGH, K_LAST, K_LONGER, K_PREFIX]);
  var keys = Array.from(session.keyStatuses.keys()).map(function (k) { return hexOf(k); });
  assertArrayEquals(keys, SORTED.map(hexOf), "keys() order");
});

test("entries, keys and values iterators", async function () {
  var session = await sessionWithKeyIds([K_LONGER, K_PREFIX, K_LAST, K_HIGH]);
  var map = session.keyStatuses;
  var entries = Array.from(map.entries());
  assertEquals(entries.length, 4, "entries length");
  entries.forEach(function (e, i) {
    assert(Array.isArray(e) && e.length === 2, "entry " + i + " is a [key, value] array");
    assert(e[0] instanceof ArrayBuffer, "entry " + i + " key is an ArrayBuffer");
    assertArrayEquals(new Uint8Array(e[0]), SORTED[i], "entry " + i + " key");
    assertEquals(e[1], "usable", "entry " + i + " value");
  });
  var keys = Array.from(map.keys());
  assertEquals(keys.length, 4, "keys length");
  keys.forEach(function (k, i) {
    assert(k instanceof ArrayBuffer, "key " + i + " is an ArrayBuffer");
    assertArrayEquals(new Uint8Array(k), SORTED[i], "key " + i);
  });
  assertArrayEquals(Array.from(map.values()), ["usable", "usable", "usable", "usable"], "values");

  var it = map.entries();
  assertEquals(typeof it.next, "function", "iterator has next()");
  assertEquals(it[Symbol.iterator](), it, "iterator is iterable and returns itself");
  var first = it.next();
  assertEquals(first.done, false, "first step not done");
  for (var n = 1; n < 4; n++) it.next();
  var end = it.next();
  assertEquals(end.done, true, "done after four entries");
  assertEquals(end.value, undefined, "value when done");
  assertEquals(Object.prototype.toString.call(it), "[object MediaKeyStatusMap Iterator]", "iterator toStringTag");
});

test("map[Symbol.iterator] is map.entries and for-of yields [key, value]", async function () {
  var session = await sessionWithKeyIds([K_LAST, K_PREFIX]);
  var map = session.keyStatuses;
  assertEquals(map[Symbol.iterator], map.entries, "@@iterator === entries");
  var seen = [];
  for (var pair of map) seen.push(hexOf(pair[0]) + "=" + pair[1]);
  assertArrayEquals(seen, [hexOf(K_PREFIX) + "=usable", hexOf(K_LAST) + "=usable"], "for-of");
  var spread = [...map];
  assertEquals(spread.length, 2, "spread");
});

test("keys are fresh ArrayBuffers each time; changing one does not change the map", async function () {
  var session = await sessionWithKeys([1]);
  var map = session.keyStatuses;
  var a = map.keys().next().value;
  var b = map.keys().next().value;
  var c = Array.from(map.entries())[0][0];
  var d;
  map.forEach(function (value, key) { d = key; });
  assert(a !== b && a !== c && b !== c && a !== d && c !== d, "each iteration gives a new ArrayBuffer");
  assertArrayEquals(new Uint8Array(a), keyId(1), "key bytes");
  new Uint8Array(a).fill(0);
  assertEquals(map.has(keyId(1)), true, "map unchanged after writing into a returned key");
  assertArrayEquals(new Uint8Array(map.keys().next().value), keyId(1), "a later key still has the original bytes");
});

test("has/get compare the bytes of the argument at call time", async function () {
  var session = await sessionWithKeys([1]);
  var id = keyId(1).slice();
  assertEquals(session.keyStatuses.get(id), "usable", "before");
  id[0] ^= 0xff;
  assertEquals(session.keyStatuses.get(id), undefined, "a changed id no longer matches");
  assertEquals(session.keyStatuses.get(keyId(1)), "usable", "original id still matches");
});

test("keyStatuses is one object per session, updated in place", async function () {
  var session = await newSession();
  var before = session.keyStatuses;
  assert(session.keyStatuses === before, "same object on every read");
  var message = waitForEvent(session, "message");
  await session.generateRequest("keyids", keyIdsInitData(keyId(1)));
  await message;
  await session.update(licence(keyPairs(1)));
  assert(session.keyStatuses === before, "same object after update");
  assertEquals(before.size, 1, "the old reference sees the new contents");
});

test("several sessions each have their own map", async function () {
  var mediaKeys = await newMediaKeys();
  var a = await sessionWithKeys([1], mediaKeys);
  var b = await sessionWithKeys([2, 3], mediaKeys);
  var untouched = mediaKeys.createSession();
  assert(a.keyStatuses !== b.keyStatuses, "different map objects");
  assertEquals(a.keyStatuses.size, 1, "a size");
  assertEquals(b.keyStatuses.size, 2, "b size");
  assertEquals(untouched.keyStatuses.size, 0, "new session size");
  assertEquals(a.keyStatuses.has(keyId(2)), false, "a does not see b's key");
  assertEquals(b.keyStatuses.has(keyId(1)), false, "b does not see a's key");
  await a.close();
  assertEquals(a.keyStatuses.size, 0, "a is empty after close");
  assertEquals(b.keyStatuses.size, 2, "b is unchanged by a's close");
  assertEquals(b.keyStatuses.get(keyId(3)), "usable", "b key 3");
});
