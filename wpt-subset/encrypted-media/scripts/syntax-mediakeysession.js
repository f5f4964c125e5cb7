// MediaKeySession attributes of a new session and the reporting of argument errors.
//
// Spec: a new session has sessionId "", expiration NaN, an empty keyStatuses map and a
// pending closed promise (the same object on every read); onmessage/onkeystatuseschange are
// null. generateRequest(), load(), update(), close() and remove() return promises, so every
// error — WebIDL argument conversion errors included — is reported as a rejected promise and
// never thrown synchronously.

function runMediaKeySessionSyntaxTests(config) {
  function withFreshSession(fn) {
    return function (t) {
      return createFreshSession(config).then(function (session) { return fn(t, session); });
    };
  }

  // --- attributes -------------------------------------------------------------------------

  promise_test(withFreshSession(function (t, session) {
    assert_equals(session.sessionId, "", "sessionId");
    assert_equals(typeof session.sessionId, "string", "sessionId type");
  }), "A new session has sessionId \"\"");

  promise_test(withFreshSession(function (t, session) {
    assert_equals(typeof session.expiration, "number", "expiration type");
    assert_true(Number.isNaN(session.expiration), "expiration is NaN");
  }), "A new session has expiration NaN");

  promise_test(withFreshSession(function (t, session) {
    assert_true(session.keyStatuses instanceof MediaKeyStatusMap, "keyStatuses is a MediaKeyStatusMap");
    assert_equals(session.keyStatuses.size, 0, "size");
  }), "A new session has an empty keyStatuses map");

  promise_test(withFreshSession(function (t, session) {
    var closed = session.closed;
    assert_true(closed instanceof Promise, "closed is a Promise");
    assert_equals(session.closed, closed, "same object on every read");
    return promiseState(closed).then(function (state) {
      assert_equals(state, "pending", "closed is pending");
    });
  }), "A new session's closed attribute is a pending Promise, the same object on every read");

  promise_test(withFreshSession(function (t, session) {
    assert_equals(session.onmessage, null, "onmessage");
    assert_equals(session.onkeystatuseschange, null, "onkeystatuseschange");
  }), "A new session's event handler attributes are null");

  promise_test(withFreshSession(function (t, session) {
    assert_true(session instanceof EventTarget, "a MediaKeySession is an EventTarget");
    ["generateRequest", "load", "update", "close", "remove"].forEach(function (name) {
      assert_equals(typeof session[name], "function", name);
    });
  }), "A session has the MediaKeySession methods and is an EventTarget");

  promise_test(withFreshSession(function (t, session) {
    session.sessionId = "123";
    session.expiration = 5;
    assert_equals(session.sessionId, "", "sessionId is read-only");
    assert_true(Number.isNaN(session.expiration), "expiration is read-only");
  }), "sessionId and expiration are read-only (assignments are ignored in sloppy mode)");

  promise_test(withFreshSession(function (t, session) {
    assert_throws_js(TypeError, function () {
      "use strict";
      session.sessionId = "123";
    }, "strict-mode assignment to a getter-only accessor");
  }), "Assigning sessionId in strict mode throws TypeError");

  // --- generateRequest argument conversion ------------------------------------------------

  var badInitData = [
    ["a string", "{\"kids\":[\"AAECAwQFBgcICQoLDA0ODw\"]}"],
    ["a number", 123],
    ["a plain object", {}],
    ["an array of numbers", [1, 2, 3]],
    ["null", null],
    ["undefined", undefined],
  ];
  badInitData.forEach(function (entry) {
    promise_test(withFreshSession(function (t, session) {
      return promise_rejects_js(t, TypeError, callReturningPromise(function () {
        return session.generateRequest("keyids", entry[1]);
      }, "generateRequest"));
    }), "generateRequest(\"keyids\", " + entry[0] + ") rejects with TypeError");
  });

  promise_test(withFreshSession(function (t, session) {
    return promise_rejects_js(t, TypeError, callReturningPromise(function () { return session.generateRequest(); }, "generateRequest()"));
  }), "generateRequest() without arguments rejects with TypeError");

  promise_test(withFreshSession(function (t, session) {
    return promise_rejects_js(t, TypeError, callReturningPromise(function () { return session.generateRequest("keyids"); }, "generateRequest(type)"));
  }), "generateRequest(initDataType) without initData rejects with TypeError");

  promise_test(withFreshSession(function (t, session) {
    return promise_rejects_js(t, TypeError, callReturningPromise(function () {
      return session.generateRequest(Symbol("keyids"), keyIdsInitData([keyId(1)]));
    }, "generateRequest(Symbol)"));
  }), "generateRequest() with an initDataType that cannot be converted to a string rejects with TypeError");

  promise_test(withFreshSession(function (t, session) {
    return promise_rejects_js(t, TypeError, callReturningPromise(function () {
      return session.generateRequest("", keyIdsInitData([keyId(1)]));
    }, "generateRequest(\"\")"));
  }), "generateRequest(\"\", initData) rejects with TypeError");

  promise_test(withFreshSession(function (t, session) {
    return promise_rejects_js(t, TypeError, callReturningPromise(function () {
      return session.generateRequest("keyids", new Uint8Array(0));
    }, "generateRequest(empty)"));
  }), "generateRequest() with empty initData rejects with TypeError");

  // --- load ---------------------------------------------------------------------------------

  [
    ["no argument", function (s) { return s.load(); }],
    ["\"\"", function (s) { return s.load(""); }],
    ["\"1234\" on a temporary session", function (s) { return s.load("1234"); }],
    ["a number on a temporary session", function (s) { return s.load(1); }],
    ["\"!@#$%^&*()\" on a temporary session", function (s) { return s.load("!@#$%^&*()"); }],
    ["undefined", function (s) { return s.load(undefined); }],
    ["a Symbol (conversion error)", function (s) { return s.load(Symbol("1")); }],
  ].forEach(function (entry) {
    promise_test(withFreshSession(function (t, session) {
      return promise_rejects_js(t, TypeError, callReturningPromise(function () { return entry[1](session); }, "load"));
    }), "load() with " + entry[0] + " rejects with TypeError");
  });

  // --- update -------------------------------------------------------------------------------

  function requestedSession() {
    return createRequestedSession(config, "keyids", [keyId(1)]).then(function (r) { return r.session; });
  }
  [
    ["no argument", function (s) { return s.update(); }],
    ["undefined", function (s) { return s.update(undefined); }],
    ["null", function (s) { return s.update(null); }],
    ["\"\"", function (s) { return s.update(""); }],
    ["a number", function (s) { return s.update(1); }],
    ["a JSON string (not a BufferSource)", function (s) { return s.update(JSON.stringify(jwkSetObject(keyPairs(1)))); }],
    ["a plain object", function (s) { return s.update(jwkSetObject(keyPairs(1))); }],
    ["an array of numbers", function (s) { return s.update(Array.from(jwkSet(keyPairs(1)))); }],
    ["an empty Uint8Array", function (s) { return s.update(new Uint8Array(0)); }],
    ["an empty ArrayBuffer", function (s) { return s.update(new ArrayBuffer(0)); }],
  ].forEach(function (entry) {
    promise_test(function (t) {
      return requestedSession().then(function (session) {
        return promise_rejects_js(t, TypeError, callReturningPromise(function () { return entry[1](session); }, "update"));
      });
    }, "update() with " + entry[0] + " on a callable session rejects with TypeError");
  });

  // --- close / remove on a new session ----------------------------------------------------

  ["close", "remove"].forEach(function (name) {
    promise_test(withFreshSession(function (t, session) {
      return promise_rejects_dom(t, "InvalidStateError", callReturningPromise(function () { return session[name](); }, name));
    }), name + "() on a new session rejects with InvalidStateError (as a promise)");
  });

  // --- brand checks -------------------------------------------------------------------------

  [
    ["generateRequest", function (o) { return MediaKeySession.prototype.generateRequest.call(o, "keyids", keyIdsInitData([keyId(1)])); }],
    ["load", function (o) { return MediaKeySession.prototype.load.call(o, "1"); }],
    ["update", function (o) { return MediaKeySession.prototype.update.call(o, jwkSet(keyPairs(1))); }],
    ["close", function (o) { return MediaKeySession.prototype.close.call(o); }],
    ["remove", function (o) { return MediaKeySession.prototype.remove.call(o); }],
  ].forEach(function (entry) {
    promise_test(function (t) {
      return createMediaKeysFor(config).then(function (mediaKeys) {
        return promise_rejects_js(t, TypeError, callReturningPromise(function () { return entry[1](mediaKeys); }, entry[0]));
      });
    }, "MediaKeySession.prototype." + entry[0] + " called on a MediaKeys rejects with TypeError");
  });
}
