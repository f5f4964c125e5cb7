// The events of a licence exchange and their order, and the event handler attributes.
//
// Spec: generateRequest() resolves, then the message event is queued. update(): the queued
// task runs "Update Key Statuses" (the map is replaced at once, keystatuseschange is queued as
// a further task) and resolves the promise — so after `await update()` keyStatuses is current
// and keystatuseschange fires after the promise reactions. Both events are trusted, do not
// bubble and are not cancelable; keystatuseschange is a plain Event.

function runEventsTests(config) {
  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      var log = [];
      var done = new Promise(function (resolve) {
        session.addEventListener("message", function (e) {
          log.push("message " + e.messageType);
          session.update(jwkSet(keyPairs(1))).then(function () { log.push("update resolved"); });
        });
        session.addEventListener("keystatuseschange", function () {
          log.push("keystatuseschange");
          resolve();
        });
      });
      session.generateRequest("keyids", keyIdsInitData([keyId(1)])).then(function () { log.push("generateRequest resolved"); });
      return done.then(function () {
        assert_array_equals(log, ["generateRequest resolved", "message license-request", "update resolved", "keystatuseschange"], "order");
      });
    });
  }, "A licence exchange: generateRequest resolves, message, update resolves, keystatuseschange");

  promise_test(function () {
    return createRequestedSession(config, "keyids", [keyId(1), keyId(2)]).then(function (r) {
      var session = r.session;
      var log = [];
      session.addEventListener("keystatuseschange", function () { log.push("keystatuseschange size=" + session.keyStatuses.size); });
      var changed = waitForEvent(session, "keystatuseschange");
      var p = session.update(jwkSet(keyPairs(1, 2)));
      assert_equals(session.keyStatuses.size, 0, "the map does not change synchronously");
      p.then(function () {
        log.push("resolved size=" + session.keyStatuses.size + " status=" + session.keyStatuses.get(keyId(1)));
        queueMicrotask(function () { log.push("microtask"); });
      });
      return changed.then(function () {
        assert_array_equals(log, ["resolved size=2 status=usable", "microtask", "keystatuseschange size=2"], "order");
      });
    });
  }, "update() resolves with keyStatuses already updated; keystatuseschange fires after the promise reactions");

  promise_test(function () {
    return createRequestedSession(config, "keyids", [keyId(3)]).then(function (r) {
      var session = r.session;
      var events = 0;
      session.addEventListener("keystatuseschange", function () { events++; });
      return session.update(jwkSet(keyPairs(3))).then(function () {
        assert_equals(session.keyStatuses.get(keyId(3)), "usable", "status right after the await");
        assert_equals(events, 0, "keystatuseschange has not fired yet");
        return nextTask(30);
      }).then(function () {
        assert_equals(events, 1, "exactly one keystatuseschange for one update");
      });
    });
  }, "After `await update()` the event has not fired yet; exactly one keystatuseschange follows");

  promise_test(function () {
    return createRequestedSession(config, "keyids", [keyId(1)]).then(function (r) {
      var session = r.session;
      var changed = waitForEvent(session, "keystatuseschange");
      return session.update(jwkSet(keyPairs(1))).then(function () { return changed; }).then(function (e) {
        assert_equals(e.constructor, Event, "a plain Event");
        assert_false(e instanceof MediaKeyMessageEvent, "not a MediaKeyMessageEvent");
        assert_equals(e.type, "keystatuseschange", "type");
        assert_equals(e.target, session, "target");
        assert_true(e.isTrusted, "isTrusted");
        assert_false(e.bubbles, "bubbles");
        assert_false(e.cancelable, "cancelable");
        assert_false(e.defaultPrevented, "defaultPrevented");
      });
    });
  }, "keystatuseschange is a trusted, non-bubbling, non-cancelable Event targeted at the session");

  promise_test(function () {
    return createRequestedSession(config, "keyids", [keyId(1)]).then(function (r) {
      var session = r.session;
      var seen = null;
      var changed = new Promise(function (resolve) {
        session.addEventListener("keystatuseschange", function () {
          seen = Array.from(session.keyStatuses.values());
          resolve();
        });
      });
      return session.update(jwkSet(keyPairs(1))).then(function () { return changed; }).then(function () {
        assert_array_equals(seen, ["usable"], "statuses seen by the listener");
      });
    });
  }, "A keystatuseschange listener sees the new statuses");

  promise_test(function () {
    return createRequestedSession(config, "keyids", [keyId(1), keyId(2)]).then(function (r) {
      var session = r.session;
      var events = 0;
      session.addEventListener("keystatuseschange", function () { events++; });
      return session.update(jwkSet(keyPairs(1))).then(function () {
        return session.update(jwkSet(keyPairs(2)));
      }).then(function () {
        assert_equals(session.keyStatuses.size, 2, "both licences' keys are listed");
        return nextTask(30);
      }).then(function () {
        assert_equals(events, 2, "one keystatuseschange per update");
      });
    });
  }, "Two updates add their keys and fire one keystatuseschange each");

  // --- event handler attributes -----------------------------------------------------------

  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      var calls = [];
      function handler(e) { calls.push({ self: this, event: e }); }
      session.onmessage = handler;
      assert_equals(session.onmessage, handler, "onmessage reads back the handler");
      return session.generateRequest("keyids", keyIdsInitData([keyId(1)])).then(function () { return nextTask(20); }).then(function () {
        assert_equals(calls.length, 1, "handler called once");
        assert_equals(calls[0].self, session, "this is the session");
        assert_true(calls[0].event instanceof MediaKeyMessageEvent, "gets the MediaKeyMessageEvent");
        assert_equals(calls[0].event.messageType, "license-request", "messageType");
      });
    });
  }, "onmessage is called for the message event with the session as this");

  promise_test(function () {
    return createRequestedSession(config, "keyids", [keyId(1)]).then(function (r) {
      var session = r.session;
      var calls = [];
      function handler(e) { calls.push({ self: this, event: e }); }
      session.onkeystatuseschange = handler;
      assert_equals(session.onkeystatuseschange, handler, "onkeystatuseschange reads back the handler");
      return session.update(jwkSet(keyPairs(1))).then(function () { return nextTask(20); }).then(function () {
        assert_equals(calls.length, 1, "handler called once");
        assert_equals(calls[0].self, session, "this is the session");
        assert_equals(calls[0].event.type, "keystatuseschange", "event type");
      });
    });
  }, "onkeystatuseschange is called for the keystatuseschange event with the session as this");

  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      var calls = 0;
      session.onmessage = function () { calls++; };
      session.onmessage = null;
      assert_equals(session.onmessage, null, "cleared");
      var message = waitForEvent(session, "message");
      return session.generateRequest("keyids", keyIdsInitData([keyId(1)])).then(function () { return message; }).then(function () {
        assert_equals(calls, 0, "a cleared handler is not called");
      });
    });
  }, "Setting onmessage to null removes the handler");

  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      [42, "function () {}", true].forEach(function (v) {
        session.onmessage = function () {};
        session.onmessage = v;
        assert_equals(session.onmessage, null, "onmessage = " + String(v));
        session.onkeystatuseschange = function () {};
        session.onkeystatuseschange = v;
        assert_equals(session.onkeystatuseschange, null, "onkeystatuseschange = " + String(v));
      });
    });
  }, "Assigning a non-object to an event handler attribute sets it to null");

  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      var log = [];
      session.addEventListener("message", function () { log.push("listener 1"); });
      session.onmessage = function () { log.push("handler"); };
      session.addEventListener("message", function () { log.push("listener 2"); });
      var message = waitForEvent(session, "message");
      return session.generateRequest("keyids", keyIdsInitData([keyId(1)])).then(function () { return message; }).then(function () {
        assert_array_equals(log, ["listener 1", "handler", "listener 2"], "order");
      });
    });
  }, "An event handler runs in the order it was first set, among addEventListener listeners");

  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      var message = new Promise(function (resolve) {
        session.onmessage = function (e) {
          session.update(jwkSet(keyPairs(4))).then(resolve);
        };
      });
      return session.generateRequest("keyids", keyIdsInitData([keyId(4)])).then(function () { return message; }).then(function () {
        assert_equals(session.keyStatuses.get(keyId(4)), "usable", "status");
      });
    });
  }, "update() called from the message handler succeeds");

  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      var got = null;
      session.addEventListener("message", function (e) { got = e; });
      var ev = new MediaKeyMessageEvent("message", { messageType: "license-renewal", message: new ArrayBuffer(2) });
      assert_true(session.dispatchEvent(ev), "dispatchEvent returns true");
      assert_equals(got, ev, "listener got the event");
      assert_false(got.isTrusted, "a script-dispatched event is not trusted");
    });
  }, "A script-dispatched MediaKeyMessageEvent reaches session listeners and is not trusted");
}
