// The three orderings the spec makes observable, recorded as a log:
//   generateRequest() resolves before `message`;
//   update() resolves with keyStatuses already replaced, `keystatuseschange` after its reactions;
//   close() resolves, then `closed` with "closed-by-application", then an empty keystatuseschange.

test("generateRequest(): promise reactions (and their microtasks) run before the message event", async function () {
  var session = await newSession();
  var log = [];
  session.addEventListener("message", function () { log.push("message"); });
  var done = waitForEvent(session, "message");
  session.generateRequest("keyids", keyIdsInitData(keyId(1))).then(function () {
    log.push("resolved");
    queueMicrotask(function () { log.push("microtask"); });
    Promise.resolve().then(function () { log.push("then"); });
  });
  await done;
  assertArrayEquals(log, ["resolved", "microtask", "then", "message"]);
});

test("generateRequest(): sessionId is set when the promise resolves, not before", async function () {
  var session = await newSession();
  var p = session.generateRequest("keyids", keyIdsInitData(keyId(1)));
  assertEquals(session.sessionId, "", "sessionId right after the call");
  await p;
  assert(/^[0-9]+$/.test(session.sessionId), "decimal sessionId after resolution: " + session.sessionId);
});

test("update(): keyStatuses is replaced when the promise resolves; keystatuseschange fires after the reactions", async function () {
  var session = await newSession();
  var message = waitForEvent(session, "message");
  await session.generateRequest("keyids", keyIdsInitData(keyId(1), keyId(2)));
  await message;
  var log = [];
  session.addEventListener("keystatuseschange", function () { log.push("keystatuseschange:" + session.keyStatuses.size); });
  var changed = waitForEvent(session, "keystatuseschange");
  var p = session.update(licence(keyPairs(1, 2)));
  assertEquals(session.keyStatuses.size, 0, "map unchanged synchronously");
  await p.then(function (value) {
    log.push("resolved:" + session.keyStatuses.size + ":" + value);
    queueMicrotask(function () { log.push("microtask"); });
  });
  await changed;
  assertArrayEquals(log, ["resolved:2:undefined", "microtask", "keystatuseschange:2"]);
});

test("close(): close() resolves, then closed resolves 'closed-by-application', then one empty keystatuseschange", async function () {
  var session = await sessionWithKeys([1, 2]);
  assertEquals(session.keyStatuses.size, 2, "keys before close");
  var log = [];
  session.addEventListener("keystatuseschange", function () { log.push("keystatuseschange:" + session.keyStatuses.size); });
  session.closed.then(function (reason) { log.push("closed:" + reason); });
  await session.close().then(function (value) { log.push("close:" + value); });
  await sleep(10);
  assertArrayEquals(log, ["close:undefined", "closed:closed-by-application", "keystatuseschange:0"]);
  assertEquals(session.keyStatuses.size, 0, "keys after close");
  assert(Number.isNaN(session.expiration), "expiration NaN after close");
});

test("closed is the same promise on every read and never rejects", async function () {
  var session = await newSession();
  var closed = session.closed;
  assert(closed instanceof Promise, "closed is a Promise");
  assert(closed === session.closed, "same object on each read");
  assertEquals(await promiseState(closed), "pending", "pending while open");
  await session.generateRequest("keyids", keyIdsInitData(keyId(3)));
  await session.close();
  await session.close();
  assertEquals(await closed, "closed-by-application");
  assert(closed === session.closed, "still the same object after close");
});

test("a message listener's update() and the handler attribute see the same event", async function () {
  var session = await newSession();
  assertEquals(session.onmessage, null, "onmessage defaults to null");
  assertEquals(session.onkeystatuseschange, null, "onkeystatuseschange defaults to null");
  var seen = [];
  session.onmessage = function (event) {
    seen.push(event.type, event.messageType, event instanceof MediaKeyMessageEvent, event.isTrusted, this === session);
    session.update(licence(keyPairs(4)));
  };
  var changed = new Promise(function (resolve) { session.onkeystatuseschange = resolve; });
  await session.generateRequest("keyids", keyIdsInitData(keyId(4)));
  var event = await changed;
  assertArrayEquals(seen, ["message", "license-request", true, true, true]);
  assertEquals(event.type, "keystatuseschange");
  assert(event instanceof Event && !(event instanceof MediaKeyMessageEvent), "keystatuseschange is a plain Event");
  assertEquals(session.keyStatuses.get(keyId(4)), "usable");
});

test("event handler attributes: non-objects become null, objects are kept, removing stops delivery", async function () {
  var session = await newSession();
  var handler = {};
  session.onmessage = handler;
  assert(session.onmessage === handler, "an object (even non-callable) is kept");
  session.onmessage = "not a function";
  assertEquals(session.onmessage, null, "a string becomes null");
  var calls = 0;
  session.onmessage = function () { calls++; };
  session.onmessage = null;
  var message = waitForEvent(session, "message");
  await session.generateRequest("keyids", keyIdsInitData(keyId(5)));
  await message;
  assertEquals(calls, 0, "a cleared handler is not called");
});

test("remove(): keys become released, the promise resolves after the map is updated, then keystatuseschange", async function () {
  var session = await sessionWithKeys([6, 7]);
  var log = [];
  session.addEventListener("keystatuseschange", function () {
    log.push("keystatuseschange:" + Array.from(session.keyStatuses.values()).join("+"));
  });
  await session.remove().then(function (value) {
    log.push("resolved:" + value + ":" + Array.from(session.keyStatuses.values()).join("+"));
  });
  await sleep(10);
  assertArrayEquals(log, ["resolved:undefined:released+released", "keystatuseschange:released+released"]);
  assert(Number.isNaN(session.expiration), "expiration NaN");
  await session.close();
  assertEquals(await session.closed, "closed-by-application");
});
