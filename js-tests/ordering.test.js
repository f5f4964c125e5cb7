// The observable order of promise reactions and events that the spec prescribes.
// generateRequest: the queued task resolves the promise, then queues the message event.
// update: the queued task replaces keyStatuses (queuing keystatuseschange), then resolves.
// close: the queued task resolves close(), then runs Session Closed (empty keyStatuses,
//        queued keystatuseschange, closed resolved with "closed-by-application").
// Also: the onmessage / onkeystatuseschange event handler attributes.

test("(a) generateRequest's reactions run before the message event", async function () {
  var session = await newSession();
  var log = [];
  session.addEventListener("message", function () { log.push("message"); });
  var message = waitForEvent(session, "message");
  var p = session.generateRequest("keyids", keyIdsInitData(keyId(1)));
  log.push("called");
  p.then(function () {
    log.push("resolved sessionId=" + (session.sessionId !== ""));
    queueMicrotask(function () { log.push("microtask from reaction"); });
    Promise.resolve().then(function () { log.push("chained reaction"); });
  });
  await message;
  assertArrayEquals(log, [
    "called",
    "resolved sessionId=true",
    "microtask from reaction",
    "chained reaction",
    "message",
  ], "order");
});

test("(a) the message event is not dispatched synchronously or before resolution, even with await", async function () {
  var session = await newSession();
  var seen = 0;
  session.addEventListener("message", function () { seen++; });
  var p = session.generateRequest("keyids", keyIdsInitData(keyId(2)));
  assertEquals(seen, 0, "no event during the call");
  await p;
  assertEquals(seen, 0, "no event when the await continues");
  await Promise.resolve();
  assertEquals(seen, 0, "no event after further microtasks");
  await sleep(20);
  assertEquals(seen, 1, "exactly one message event, in a later task");
});

test("(b) when update() resolves keyStatuses is already replaced; keystatuseschange comes after the reactions", async function () {
  var session = await newSession();
  var message = waitForEvent(session, "message");
  await session.generateRequest("keyids", keyIdsInitData(keyId(1), keyId(2)));
  await message;

  var log = [];
  session.addEventListener("keystatuseschange", function () {
    log.push("keystatuseschange size=" + session.keyStatuses.size);
  });
  var changed = waitForEvent(session, "keystatuseschange");
  var p = session.update(licence(keyPairs(1, 2)));
  assertEquals(session.keyStatuses.size, 0, "keyStatuses is not changed synchronously by the call");
  p.then(function () {
    log.push("update resolved size=" + session.keyStatuses.size + " status=" + session.keyStatuses.get(keyId(1)));
    queueMicrotask(function () { log.push("microtask from reaction"); });
  });
  await changed;
  assertArrayEquals(log, [
    "update resolved size=2 status=usable",
    "microtask from reaction",
    "keystatuseschange size=2",
  ], "order");
});

test("(b) after `await update()` the map is current and the event has not fired yet", async function () {
  var session = await newSession();
  var message = waitForEvent(session, "message");
  await session.generateRequest("keyids", keyIdsInitData(keyId(3)));
  await message;
  var events = 0;
  session.onkeystatuseschange = function () { events++; };
  await session.update(licence(keyPairs(3)));
  assertEquals(session.keyStatuses.size, 1, "size right after await");
  assertEquals(session.keyStatuses.get(keyId(3)), "usable", "status right after await");
  assertEquals(events, 0, "keystatuseschange has not fired yet");
  await sleep(20);
  assertEquals(events, 1, "exactly one keystatuseschange");
});

test("(c) close(): close() reaction, then closed reaction, then one empty keystatuseschange", async function () {
  var session = await sessionWithKeys([1, 2]);
  var log = [];
  var events = 0;
  session.addEventListener("keystatuseschange", function () {
    events++;
    log.push("keystatuseschange size=" + session.keyStatuses.size);
  });
  var changed = waitForEvent(session, "keystatuseschange");
  session.closed.then(function (reason) {
    log.push("closed " + reason + " size=" + session.keyStatuses.size);
  });
  var p = session.close();
  assertEquals(session.keyStatuses.size, 2, "keys are still listed synchronously after the call");
  p.then(function (value) { log.push("close resolved " + value); });
  await changed;
  assertArrayEquals(log, [
    "close resolved undefined",
    "closed closed-by-application size=0",
    "keystatuseschange size=0",
  ], "order");
  await sleep(30);
  assertEquals(events, 1, "exactly one keystatuseschange after close");
});

test("onmessage and onkeystatuseschange are null by default", async function () {
  var session = await newSession();
  assertEquals(session.onmessage, null, "onmessage");
  assertEquals(session.onkeystatuseschange, null, "onkeystatuseschange");
});

test("onmessage and onkeystatuseschange handlers fire with the session as this", async function () {
  var session = await newSession();
  var messageCalls = [];
  var statusCalls = [];
  function onMessage(event) { messageCalls.push([this, event]); }
  function onStatus(event) { statusCalls.push([this, event]); }
  session.onmessage = onMessage;
  session.onkeystatuseschange = onStatus;
  assertEquals(session.onmessage, onMessage, "onmessage reads back");
  assertEquals(session.onkeystatuseschange, onStatus, "onkeystatuseschange reads back");

  await session.generateRequest("keyids", keyIdsInitData(keyId(1)));
  await sleep(20);
  assertEquals(messageCalls.length, 1, "onmessage called once");
  assertEquals(messageCalls[0][0], session, "onmessage this");
  assert(messageCalls[0][1] instanceof MediaKeyMessageEvent, "onmessage gets the MediaKeyMessageEvent");
  assertEquals(messageCalls[0][1].messageType, "license-request", "messageType");

  await session.update(licence(keyPairs(1)));
  await sleep(20);
  assertEquals(statusCalls.length, 1, "onkeystatuseschange called once");
  assertEquals(statusCalls[0][0], session, "onkeystatuseschange this");
  assertEquals(statusCalls[0][1].type, "keystatuseschange", "event type");
  assert(statusCalls[0][1] instanceof Event, "handler gets an Event");

  // Clearing a handler stops it.
  session.onkeystatuseschange = null;
  assertEquals(session.onkeystatuseschange, null, "cleared");
  await session.close();
  await sleep(20);
  assertEquals(statusCalls.length, 1, "cleared handler not called by close()'s keystatuseschange");
});

// WebIDL [LegacyTreatNonObjectAsNull] (the EventHandler type): a non-object value sets the
// handler to null; an object is stored even if it is not callable, and "invoke a callback
// function" returns without calling it (no TypeError is reported). If `eme run` prints an
// uncaught "not a function" error after this test, that is the bug this test found.
test("handler attributes: non-object values become null; a non-callable object is kept and never invoked (no error reported)", async function () {
  var session = await newSession();
  var values = [42, "function () {}", true, undefined, Symbol("s")];
  values.forEach(function (v) {
    session.onmessage = function () {};
    session.onmessage = v;
    assertEquals(session.onmessage, null, "onmessage = " + formatValue(v));
    session.onkeystatuseschange = function () {};
    session.onkeystatuseschange = v;
    assertEquals(session.onkeystatuseschange, null, "onkeystatuseschange = " + formatValue(v));
  });
  var notCallable = { handleEvent: function () { throw new Error("handleEvent must not be used for on* handlers"); } };
  session.onmessage = notCallable;
  assertEquals(session.onmessage, notCallable, "a non-callable object reads back as itself");
  var listenerCalls = 0;
  session.addEventListener("message", function () { listenerCalls++; });
  await session.generateRequest("keyids", keyIdsInitData(keyId(1)));
  await sleep(20);
  assertEquals(listenerCalls, 1, "other listeners still run");
});

test("an on* handler and addEventListener listeners run in registration order", async function () {
  var session = await newSession();
  var log = [];
  session.addEventListener("message", function () { log.push("listener 1"); });
  session.onmessage = function () { log.push("handler"); };
  session.addEventListener("message", function () { log.push("listener 2"); });
  session.onmessage = function () { log.push("replaced handler"); }; // keeps the handler's position
  var message = waitForEvent(session, "message");
  await session.generateRequest("keyids", keyIdsInitData(keyId(1)));
  await message;
  assertArrayEquals(log, ["listener 1", "replaced handler", "listener 2"], "order");
});
