// close() and the closed attribute.
//
// Spec: close() on a callable session sets "closing or closed", and its queued task resolves
// the close() promise, then runs "Session Closed" with reason "closed-by-application": Update
// Key Statuses with an empty list (so a keystatuseschange follows, showing an empty map),
// expiration NaN, and the closed promise resolved with the reason. closed is never rejected.

function runSessionClosedTests(config) {
  promise_test(function () {
    return createSessionWithKeys(config, [1, 2]).then(function (r) {
      var session = r.session;
      var log = [];
      session.addEventListener("keystatuseschange", function () { log.push("keystatuseschange size=" + session.keyStatuses.size); });
      var changed = waitForEvent(session, "keystatuseschange");
      session.closed.then(function (reason) { log.push("closed " + reason + " size=" + session.keyStatuses.size); });
      var p = session.close();
      assert_equals(session.keyStatuses.size, 2, "keys still listed right after the call");
      p.then(function (value) { log.push("close resolved " + value); });
      return changed.then(function () {
        assert_array_equals(log, ["close resolved undefined", "closed closed-by-application size=0", "keystatuseschange size=0"], "order");
      });
    });
  }, "close(): the close() promise resolves, then closed resolves \"closed-by-application\", then an empty keystatuseschange");

  promise_test(function () {
    return createSessionWithKeys(config, [1]).then(function (r) {
      var session = r.session;
      var p = session.close();
      assert_true(p instanceof Promise, "close returns a Promise");
      return p.then(function (value) {
        assert_equals(value, undefined, "close() resolution value");
        return session.closed;
      }).then(function (reason) {
        assert_equals(reason, "closed-by-application", "closed reason");
      });
    });
  }, "close() resolves with undefined and closed with \"closed-by-application\"");

  promise_test(function () {
    return createSessionWithKeys(config, [1, 2]).then(function (r) {
      var session = r.session;
      var id = session.sessionId;
      return session.close().then(function () { return session.closed; }).then(function () {
        assert_equals(session.keyStatuses.size, 0, "keyStatuses is empty");
        assert_equals(session.keyStatuses.get(keyId(1)), undefined, "get of a former key");
        assert_false(session.keyStatuses.has(keyId(2)), "has of a former key");
        assert_true(Number.isNaN(session.expiration), "expiration");
        assert_equals(session.sessionId, id, "sessionId is kept");
      });
    });
  }, "After close() the key statuses are empty, expiration is NaN and sessionId is kept");

  promise_test(function () {
    return createSessionWithKeys(config, [1]).then(function (r) {
      var session = r.session;
      var events = 0;
      session.addEventListener("keystatuseschange", function () { events++; });
      return session.close().then(function () { return nextTask(30); }).then(function () {
        assert_equals(events, 1, "one keystatuseschange");
      });
    });
  }, "close() on a session with keys fires exactly one keystatuseschange");

  promise_test(function () {
    return createRequestedSession(config, "keyids", [keyId(1)]).then(function (r) {
      var session = r.session;
      var changed = waitForEvent(session, "keystatuseschange");
      return session.close().then(function () { return changed; }).then(function () {
        assert_equals(session.keyStatuses.size, 0, "still empty");
      });
    });
  }, "close() on a callable session without keys still fires a keystatuseschange (Update Key Statuses with an empty list)");

  promise_test(function () {
    return createRequestedSession(config, "keyids", [keyId(1)]).then(function (r) {
      var session = r.session;
      var closed = session.closed;
      return promiseState(closed).then(function (state) {
        assert_equals(state, "pending", "pending while the session is open");
        return session.close();
      }).then(function () {
        assert_equals(session.closed, closed, "still the same promise object");
        return closed;
      }).then(function (reason) {
        assert_equals(reason, "closed-by-application", "reason");
      });
    });
  }, "closed is the same promise before and after close()");

  promise_test(function () {
    return createRequestedSession(config, "keyids", [keyId(1)]).then(function (r) {
      var session = r.session;
      var first = session.close();
      var second = session.close();
      return Promise.all([first, second]).then(function (values) {
        assert_array_equals(values, [undefined, undefined], "both resolve");
        return session.close();
      }).then(function (third) {
        assert_equals(third, undefined, "close() after closed resolves");
        return session.closed;
      }).then(function (reason) {
        assert_equals(reason, "closed-by-application", "reason");
      });
    });
  }, "close() called again while closing or after closed resolves; closed resolves once");

  promise_test(function (t) {
    return createFreshSession(config).then(function (session) {
      var outcome = "pending";
      session.closed.then(function (v) { outcome = "resolved " + v; }, function (e) { outcome = "rejected " + e; });
      return promise_rejects_dom(t, "InvalidStateError", session.close()).then(function () {
        return promise_rejects_dom(t, "InvalidStateError", session.update(jwkSet(keyPairs(1))));
      }).then(function () {
        return promise_rejects_js(t, TypeError, session.generateRequest("keyids", utf8Encode("{")));
      }).then(function () {
        return promise_rejects_dom(t, "InvalidStateError", session.remove());
      }).then(function () {
        return nextTask(20);
      }).then(function () {
        assert_equals(outcome, "pending", "closed neither resolved nor rejected");
      });
    });
  }, "closed is not settled (in particular never rejected) by failing calls on an unusable session");

  promise_test(function (t) {
    return createRequestedSession(config, "keyids", [keyId(1)]).then(function (r) {
      var session = r.session;
      var outcome = "pending";
      session.closed.then(function (v) { outcome = "resolved " + v; }, function (e) { outcome = "rejected " + e; });
      return promise_rejects_js(t, TypeError, session.update(utf8Encode("{"))).then(function () {
        return nextTask(20);
      }).then(function () {
        assert_equals(outcome, "pending", "after a failed update");
        return session.close();
      }).then(function () {
        return nextTask(0);
      }).then(function () {
        assert_equals(outcome, "resolved closed-by-application", "after close()");
      });
    });
  }, "closed stays pending after a failed update() and resolves (not rejects) on close()");

  promise_test(function () {
    var a, b;
    return createMediaKeysFor(config).then(function (mediaKeys) {
      return createSessionWithKeys(config, [1], mediaKeys).then(function (ra) {
        a = ra.session;
        return createSessionWithKeys(config, [2], mediaKeys);
      });
    }).then(function (rb) {
      b = rb.session;
      return a.close();
    }).then(function () {
      assert_equals(a.keyStatuses.size, 0, "closed session's map is empty");
      assert_equals(b.keyStatuses.size, 1, "other session's map keeps its key");
      assert_equals(b.keyStatuses.get(keyId(2)), "usable", "other session's key status");
      return promiseState(b.closed);
    }).then(function (state) {
      assert_equals(state, "pending", "other session is not closed");
      return b.update(jwkSet(keyPairs(2)));
    }).then(function () {
      assert_equals(b.keyStatuses.get(keyId(2)), "usable", "the other session still accepts licences");
    });
  }, "Closing one session does not affect another session of the same MediaKeys");
}
