// The session state flags of the spec: "uninitialized" (true until generateRequest() or load()
// is called — set to false before the arguments are validated, so a failing call still uses
// the session up), "callable" (true only once generateRequest() has succeeded, i.e. from the
// task that resolves its promise) and "closing or closed".
//
// update()/close()/remove() need a callable session, otherwise InvalidStateError; a second
// generateRequest()/load() rejects InvalidStateError; after closing every method but close()
// rejects InvalidStateError, and close() resolves.

function runNotCallableAfterCreateSessionTests(config) {
  var validInitData = function () { return keyIdsInitData([keyId(1)]); };
  var validLicence = function () { return jwkSet(keyPairs(1)); };

  function withFreshSession(fn) {
    return function (t) {
      return createFreshSession(config).then(function (session) { return fn(t, session); });
    };
  }

  // --- before generateRequest -------------------------------------------------------------

  [
    ["update", function (s) { return s.update(validLicence()); }],
    ["close", function (s) { return s.close(); }],
    ["remove", function (s) { return s.remove(); }],
  ].forEach(function (entry) {
    promise_test(withFreshSession(function (t, session) {
      return promise_rejects_dom(t, "InvalidStateError", callReturningPromise(function () { return entry[1](session); }, entry[0]));
    }), entry[0] + "() before generateRequest() rejects with InvalidStateError");
  });

  promise_test(withFreshSession(function (t, session) {
    return promise_rejects_dom(t, "InvalidStateError", session.update(validLicence())).then(function () {
      return promise_rejects_dom(t, "InvalidStateError", session.close());
    }).then(function () {
      return session.generateRequest("keyids", validInitData());
    }).then(function () {
      assert_not_equals(session.sessionId, "", "generateRequest still works after the rejected calls");
    });
  }), "Rejected update()/close() on a new session do not use it up: generateRequest() still succeeds");

  // --- while generateRequest is pending -----------------------------------------------------

  [
    ["update", function (s) { return s.update(validLicence()); }],
    ["close", function (s) { return s.close(); }],
    ["remove", function (s) { return s.remove(); }],
  ].forEach(function (entry) {
    promise_test(withFreshSession(function (t, session) {
      var pending = session.generateRequest("keyids", validInitData());
      var early = entry[1](session);
      return promise_rejects_dom(t, "InvalidStateError", early).then(function () {
        return pending;
      }).then(function () {
        assert_not_equals(session.sessionId, "", "generateRequest still resolves");
      });
    }), entry[0] + "() called before generateRequest() has resolved rejects with InvalidStateError");
  });

  // --- generateRequest twice ----------------------------------------------------------------

  promise_test(withFreshSession(function (t, session) {
    return session.generateRequest("keyids", validInitData()).then(function () {
      return promise_rejects_dom(t, "InvalidStateError", session.generateRequest("keyids", keyIdsInitData([keyId(2)])));
    });
  }), "generateRequest() after a successful generateRequest() rejects with InvalidStateError");

  promise_test(withFreshSession(function (t, session) {
    var first = session.generateRequest("keyids", validInitData());
    var second = session.generateRequest("cenc", cencInitData([keyId(2)]));
    return promise_rejects_dom(t, "InvalidStateError", second).then(function () { return first; });
  }), "A second generateRequest() while the first is pending rejects with InvalidStateError");

  promise_test(withFreshSession(function (t, session) {
    var firstId;
    return session.generateRequest("keyids", validInitData()).then(function () {
      firstId = session.sessionId;
      return promise_rejects_dom(t, "InvalidStateError", session.generateRequest("keyids", keyIdsInitData([keyId(2)])));
    }).then(function () {
      assert_equals(session.sessionId, firstId, "sessionId unchanged by the rejected call");
      return session.update(validLicence());
    }).then(function () {
      assert_equals(session.keyStatuses.size, 1, "the session still works");
    });
  }), "A rejected second generateRequest() leaves the session working");

  // --- a failed generateRequest uses up the session ---------------------------------------

  var failures = [
    ["an empty initDataType", TypeError, "", validInitData],
    ["empty initData", TypeError, "keyids", function () { return new Uint8Array(0); }],
    ["an unsupported initDataType", "NotSupportedError", "foo", validInitData],
    ["malformed keyids init data", TypeError, "keyids", function () { return utf8Encode("{\"kids\":["); }],
    ["malformed cenc init data", TypeError, "cenc", function () { return new Uint8Array([0, 0, 0, 4]); }],
    ["cenc init data without a Common SystemID box", "NotSupportedError", "cenc", function () { return psshBox(1, OTHER_SYSTEM_ID, [keyId(1)]); }],
  ];
  failures.forEach(function (f) {
    promise_test(withFreshSession(function (t, session) {
      var rejected = typeof f[1] === "string"
        ? promise_rejects_dom(t, f[1], session.generateRequest(f[2], f[3]()))
        : promise_rejects_js(t, f[1], session.generateRequest(f[2], f[3]()));
      return rejected.then(function () {
        return promise_rejects_dom(t, "InvalidStateError", session.generateRequest("keyids", validInitData()), "valid generateRequest afterwards");
      }).then(function () {
        assert_equals(session.sessionId, "", "sessionId stays empty");
      });
    }), "generateRequest() that failed for " + f[0] + " still uses up the session (next generateRequest: InvalidStateError)");
  });

  promise_test(withFreshSession(function (t, session) {
    return promise_rejects_js(t, TypeError, session.generateRequest("keyids", utf8Encode("not json"))).then(function () {
      return promise_rejects_dom(t, "InvalidStateError", session.update(validLicence()), "update");
    }).then(function () {
      return promise_rejects_dom(t, "InvalidStateError", session.close(), "close");
    }).then(function () {
      return promise_rejects_dom(t, "InvalidStateError", session.remove(), "remove");
    });
  }), "After a failed generateRequest() the session never becomes callable: update/close/remove reject InvalidStateError");

  promise_test(withFreshSession(function (t, session) {
    return promise_rejects_js(t, TypeError, session.generateRequest("keyids", "not a BufferSource")).then(function () {
      return session.generateRequest("keyids", validInitData());
    }).then(function () {
      assert_not_equals(session.sessionId, "", "sessionId set by the second call");
    });
  }), "A generateRequest() rejected by WebIDL argument conversion runs no algorithm step: the session is still usable");

  // --- load ---------------------------------------------------------------------------------

  promise_test(withFreshSession(function (t, session) {
    return promise_rejects_js(t, TypeError, session.load("1234"));
  }), "load() on a temporary session rejects with TypeError");

  promise_test(withFreshSession(function (t, session) {
    return promise_rejects_js(t, TypeError, session.load("1234")).then(function () {
      return promise_rejects_dom(t, "InvalidStateError", session.generateRequest("keyids", validInitData()));
    });
  }), "A failed load() uses up the session: a later generateRequest() rejects with InvalidStateError");

  promise_test(withFreshSession(function (t, session) {
    return promise_rejects_js(t, TypeError, session.load("")).then(function () {
      return promise_rejects_dom(t, "InvalidStateError", session.load("1234"));
    });
  }), "load() after a failed load() rejects with InvalidStateError");

  promise_test(withFreshSession(function (t, session) {
    return session.generateRequest("keyids", validInitData()).then(function () {
      return promise_rejects_dom(t, "InvalidStateError", session.load(session.sessionId));
    });
  }), "load() after generateRequest() rejects with InvalidStateError");

  promise_test(withFreshSession(function (t, session) {
    var pending = session.generateRequest("keyids", validInitData());
    return promise_rejects_dom(t, "InvalidStateError", session.load("1")).then(function () { return pending; });
  }), "load() while generateRequest() is pending rejects with InvalidStateError");

  // --- after close ----------------------------------------------------------------------------

  function closedSession() {
    return createSessionWithKeys(config, [1]).then(function (r) {
      return r.session.close().then(function () { return r.session; });
    });
  }
  [
    ["generateRequest", function (s) { return s.generateRequest("keyids", validInitData()); }],
    ["update", function (s) { return s.update(validLicence()); }],
    ["remove", function (s) { return s.remove(); }],
    ["load", function (s) { return s.load("1234"); }],
    ["load(\"\") (closed is checked first)", function (s) { return s.load(""); }],
  ].forEach(function (entry) {
    promise_test(function (t) {
      return closedSession().then(function (session) {
        return promise_rejects_dom(t, "InvalidStateError", callReturningPromise(function () { return entry[1](session); }, entry[0]));
      });
    }, entry[0] + " after close() rejects with InvalidStateError");
  });

  promise_test(function () {
    return closedSession().then(function (session) {
      var p = session.close();
      assert_true(p instanceof Promise, "close returns a Promise");
      return p;
    }).then(function (value) {
      assert_equals(value, undefined, "resolution value");
    });
  }, "close() on a closed session resolves with undefined");

  promise_test(function (t) {
    return createRequestedSession(config, "keyids", [keyId(1)]).then(function (r) {
      var session = r.session;
      var closing = session.close();
      return promise_rejects_dom(t, "InvalidStateError", session.update(validLicence()), "update while closing").then(function () {
        return closing;
      });
    });
  }, "update() while close() is pending rejects with InvalidStateError");

  promise_test(function () {
    return createRequestedSession(config, "keyids", [keyId(1)]).then(function (r) {
      var session = r.session;
      var first = session.close();
      var second = session.close();
      assert_true(second instanceof Promise, "second close returns a Promise");
      return Promise.all([first, second]);
    }).then(function (values) {
      assert_array_equals(values, [undefined, undefined], "both resolve with undefined");
    });
  }, "close() while close() is pending resolves");
}
