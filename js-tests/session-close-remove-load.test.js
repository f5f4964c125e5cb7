// MediaKeySession.close(), the closed attribute, remove() and load() on temporary sessions.
// Spec: https://w3c.github.io/encrypted-media/#dom-mediakeysession-close
//       https://w3c.github.io/encrypted-media/#dom-mediakeysession-remove
//       https://w3c.github.io/encrypted-media/#dom-mediakeysession-load

/** A session after generateRequest (callable) and its message event; no keys yet. */
async function callableSession() {
  var session = await newSession();
  var message = waitForEvent(session, "message");
  await session.generateRequest("keyids", keyIdsInitData(keyId(1), keyId(2)));
  await message;
  return session;
}

test("close() before generateRequest rejects InvalidStateError and closed stays pending", async function () {
  var session = await newSession();
  await assertRejects("InvalidStateError", function () { return session.close(); });
  assertEquals(await promiseState(session.closed), "pending", "closed after a rejected close()");
  // The session is still usable afterwards.
  await session.generateRequest("keyids", keyIdsInitData(keyId(1)));
  assert(session.sessionId !== "", "generateRequest works after the rejected close()");
});

test("close() resolves with undefined and closed resolves with \"closed-by-application\"", async function () {
  var session = await callableSession();
  var closed = session.closed;
  var p = session.close();
  assert(p instanceof Promise, "close returns a Promise");
  assertEquals(await p, undefined, "close() resolution value");
  assertEquals(await closed, "closed-by-application", "closed reason");
  assert(session.closed === closed, "closed is still the same promise");
});

test("close() on a session with keys resolves; keys are gone and expiration is NaN", async function () {
  var session = await sessionWithKeys([1, 2]);
  await session.close();
  assertEquals(await session.closed, "closed-by-application", "closed reason");
  assertEquals(session.keyStatuses.size, 0, "keyStatuses is empty after close");
  assertEquals(session.expiration, NaN, "expiration");
});

test("close() twice: the second call resolves too", async function () {
  var session = await callableSession();
  var first = session.close();
  var second = session.close();
  assert(second instanceof Promise, "second close returns a Promise");
  assertEquals(await second, undefined, "second close (while closing)");
  assertEquals(await first, undefined, "first close");
  assertEquals(await session.close(), undefined, "third close (after closed)");
  assertEquals(await session.closed, "closed-by-application", "closed reason");
});

test("every method after close() rejects InvalidStateError", async function () {
  var session = await sessionWithKeys([1]);
  await session.close();
  await assertRejects("InvalidStateError", function () {
    return session.generateRequest("keyids", keyIdsInitData(keyId(3)));
  }, "generateRequest");
  await assertRejects("InvalidStateError", function () { return session.update(licence(keyPairs(1))); }, "update");
  await assertRejects("InvalidStateError", function () { return session.remove(); }, "remove");
  await assertRejects("InvalidStateError", function () { return session.load("1234"); }, "load");
  await assertRejects("InvalidStateError", function () { return session.load(""); }, "load with an empty id (closed is checked first)");
});

test("remove() before generateRequest rejects InvalidStateError", async function () {
  var session = await newSession();
  await assertRejects("InvalidStateError", function () { return session.remove(); });
});

test("remove() on a temporary session with keys marks every key \"released\"", async function () {
  var session = await sessionWithKeys([1, 2]);
  var changed = waitForEvent(session, "keystatuseschange");
  var messages = 0;
  session.addEventListener("message", function () { messages++; });
  var p = session.remove();
  assert(p instanceof Promise, "remove returns a Promise");
  assertEquals(await p, undefined, "remove() resolution value");
  assertEquals(session.keyStatuses.size, 2, "both keys still listed");
  assertEquals(session.keyStatuses.get(keyId(1)), "released", "key 1");
  assertEquals(session.keyStatuses.get(keyId(2)), "released", "key 2");
  assertEquals(session.expiration, NaN, "expiration");
  await changed;
  await sleep(20);
  assertEquals(messages, 0, "no license-release message for a temporary session");
  assertEquals(await promiseState(session.closed), "pending", "remove() does not close the session");
  assertEquals(await session.close(), undefined, "the session can still be closed");
});

test("remove() on a callable session without keys resolves", async function () {
  var session = await callableSession();
  assertEquals(await session.remove(), undefined, "remove() resolution value");
  assertEquals(session.keyStatuses.size, 0, "no keys");
});

test("load() on a temporary session rejects TypeError (as a rejected promise)", async function () {
  var values = [["empty string", ""], ["\"1234\"", "1234"], ["number 1", 1], ["undefined", undefined], ["no argument"]];
  for (var v of values) {
    var session = await newSession();
    await assertRejects(TypeError, function () {
      return v.length === 1 ? session.load() : session.load(v[1]);
    }, v[0]);
  }
});

test("load() after generateRequest rejects InvalidStateError", async function () {
  var session = await callableSession();
  await assertRejects("InvalidStateError", function () { return session.load("1234"); });
  await assertRejects("InvalidStateError", function () { return session.load(session.sessionId); }, "its own session id");
});

test("closed never rejects", async function () {
  var mediaKeys = await newMediaKeys();
  var session = mediaKeys.createSession();
  var outcome = "pending";
  session.closed.then(function (reason) { outcome = "resolved:" + reason; }, function (e) { outcome = "rejected:" + describeError(e); });
  // A series of failing calls must not settle closed.
  await assertRejects("InvalidStateError", function () { return session.update(licence(keyPairs(1))); });
  await assertRejects("InvalidStateError", function () { return session.close(); });
  await assertRejects("InvalidStateError", function () { return session.remove(); });
  await assertRejects(TypeError, function () { return session.generateRequest("keyids", utf8("{")); });
  await assertRejects("InvalidStateError", function () { return session.generateRequest("keyids", keyIdsInitData(keyId(1))); });
  await sleep(20);
  assertEquals(outcome, "pending", "closed after failing calls on an unusable session");

  var ok = mediaKeys.createSession();
  var okOutcome = "pending";
  ok.closed.then(function (reason) { okOutcome = "resolved:" + reason; }, function (e) { okOutcome = "rejected:" + describeError(e); });
  await ok.generateRequest("keyids", keyIdsInitData(keyId(1)));
  await assertRejects(TypeError, function () { return ok.update(utf8("{")); });
  await sleep(20);
  assertEquals(okOutcome, "pending", "closed after a failed update");
  await ok.close();
  await sleep(0);
  assertEquals(okOutcome, "resolved:closed-by-application", "closed after close()");
});
