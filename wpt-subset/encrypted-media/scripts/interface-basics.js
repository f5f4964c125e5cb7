// Basic shape of the EME interfaces as seen through real objects (the full IDL check is a
// separate idlharness page): inheritance, Symbol.toStringTag, non-constructible interfaces,
// and the DOMException names and legacy codes of the errors EME reports.

function runInterfaceBasicsTests(config) {
  function objects() {
    return requestClearKeyAccess(config).then(function (access) {
      return access.createMediaKeys().then(function (mediaKeys) {
        var session = mediaKeys.createSession();
        return { access: access, mediaKeys: mediaKeys, session: session, map: session.keyStatuses };
      });
    });
  }

  promise_test(function () {
    return objects().then(function (o) {
      assert_true(o.session instanceof EventTarget, "MediaKeySession is an EventTarget");
      assert_equals(Object.getPrototypeOf(MediaKeySession.prototype), EventTarget.prototype, "MediaKeySession.prototype inherits EventTarget.prototype");
      assert_equals(o.session.addEventListener, EventTarget.prototype.addEventListener, "addEventListener is inherited");
    });
  }, "MediaKeySession inherits from EventTarget");

  promise_test(function () {
    return objects().then(function (o) {
      assert_false(o.mediaKeys instanceof EventTarget, "MediaKeys");
      assert_false(o.access instanceof EventTarget, "MediaKeySystemAccess");
      assert_false(o.map instanceof EventTarget, "MediaKeyStatusMap");
    });
  }, "MediaKeys, MediaKeySystemAccess and MediaKeyStatusMap are not EventTargets");

  test(function () {
    assert_equals(Object.getPrototypeOf(MediaKeyMessageEvent.prototype), Event.prototype, "MediaKeyMessageEvent");
    assert_equals(Object.getPrototypeOf(MediaEncryptedEvent.prototype), Event.prototype, "MediaEncryptedEvent");
  }, "MediaKeyMessageEvent and MediaEncryptedEvent inherit from Event");

  [
    ["access", "MediaKeySystemAccess"],
    ["mediaKeys", "MediaKeys"],
    ["session", "MediaKeySession"],
    ["map", "MediaKeyStatusMap"],
  ].forEach(function (entry) {
    promise_test(function () {
      return objects().then(function (o) {
        var obj = o[entry[0]];
        assert_true(obj instanceof self[entry[1]], "instanceof " + entry[1]);
        assert_equals(Object.prototype.toString.call(obj), "[object " + entry[1] + "]", "instance");
        assert_equals(self[entry[1]].prototype[Symbol.toStringTag], entry[1], "prototype @@toStringTag");
        assert_equals(Object.prototype.toString.call(self[entry[1]].prototype), "[object " + entry[1] + "]", "prototype");
      });
    }, entry[1] + ": Symbol.toStringTag is \"" + entry[1] + "\"");
  });

  test(function () {
    var m = new MediaKeyMessageEvent("message", { messageType: "license-request", message: new ArrayBuffer(1) });
    var e = new MediaEncryptedEvent("encrypted");
    assert_equals(Object.prototype.toString.call(m), "[object MediaKeyMessageEvent]", "MediaKeyMessageEvent");
    assert_equals(Object.prototype.toString.call(e), "[object MediaEncryptedEvent]", "MediaEncryptedEvent");
  }, "Event interfaces: Symbol.toStringTag of instances");

  promise_test(function () {
    return objects().then(function (o) {
      assert_equals(Object.prototype.toString.call(o.map.entries()), "[object MediaKeyStatusMap Iterator]", "iterator");
    });
  }, "The MediaKeyStatusMap iterator's Symbol.toStringTag is \"MediaKeyStatusMap Iterator\"");

  test(function () {
    assert_equals(Object.prototype.toString.call(navigator), "[object Navigator]", "navigator");
    assert_equals(typeof Navigator.prototype.requestMediaKeySystemAccess, "function", "on Navigator.prototype");
    assert_false(Object.prototype.hasOwnProperty.call(navigator, "requestMediaKeySystemAccess"), "not an own property of navigator");
  }, "requestMediaKeySystemAccess lives on Navigator.prototype");

  ["MediaKeys", "MediaKeySession", "MediaKeySystemAccess", "MediaKeyStatusMap"].forEach(function (name) {
    test(function () {
      assert_equals(typeof self[name], "function", name + " is exposed");
      assert_throws_js(TypeError, function () { new self[name](); }, "new " + name + "()");
      assert_throws_js(TypeError, function () { self[name](); }, name + "() without new");
    }, name + " is not constructible: new " + name + "() throws TypeError");

    test(function () {
      var error = null;
      try { new self[name](); } catch (e) { error = e; }
      assert_true(error instanceof TypeError, "a TypeError");
      assert_regexp_match(String(error.message), /Illegal constructor/, "message");
    }, name + ": the constructor's TypeError says \"Illegal constructor\"");
  });

  // --- DOMException names and codes ---------------------------------------------------------

  function assertDOMException(e, name, code) {
    assert_true(e instanceof DOMException, "a DOMException");
    assert_true(e instanceof Error, "an Error");
    assert_equals(e.name, name, "name");
    assert_equals(e.code, code, "legacy code");
    assert_equals(Object.prototype.toString.call(e), "[object DOMException]", "brand");
    assert_equals(typeof e.message, "string", "message is a string");
  }

  promise_test(function () {
    return navigator.requestMediaKeySystemAccess("com.example.unknown", config.configurations).then(function () {
      assert_unreached("should reject");
    }, function (e) {
      assertDOMException(e, "NotSupportedError", 9);
      assert_equals(e.code, DOMException.NOT_SUPPORTED_ERR, "NOT_SUPPORTED_ERR");
    });
  }, "requestMediaKeySystemAccess() rejects with a DOMException named NotSupportedError, code 9");

  promise_test(function () {
    return createMediaKeysFor(config).then(function (mediaKeys) {
      var error = null;
      try { mediaKeys.createSession("persistent-license"); } catch (e) { error = e; }
      assertDOMException(error, "NotSupportedError", 9);
    });
  }, "createSession(\"persistent-license\") throws a DOMException named NotSupportedError, code 9");

  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      return session.update(jwkSet(keyPairs(1))).then(function () {
        assert_unreached("should reject");
      }, function (e) {
        assertDOMException(e, "InvalidStateError", 11);
        assert_equals(e.code, DOMException.INVALID_STATE_ERR, "INVALID_STATE_ERR");
      });
    });
  }, "update() on a new session rejects with a DOMException named InvalidStateError, code 11");

  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      return session.generateRequest("foo", keyIdsInitData([keyId(1)])).then(function () {
        assert_unreached("should reject");
      }, function (e) {
        assertDOMException(e, "NotSupportedError", 9);
      });
    });
  }, "generateRequest() with an unsupported initDataType rejects with a DOMException NotSupportedError, code 9");

  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      return session.generateRequest("", keyIdsInitData([keyId(1)])).then(function () {
        assert_unreached("should reject");
      }, function (e) {
        assert_equals(e.constructor, TypeError, "a TypeError");
        assert_false(e instanceof DOMException, "not a DOMException");
      });
    });
  }, "TypeError rejections are real TypeErrors, not DOMExceptions");

  test(function () {
    assert_equals(new DOMException("m", "NotSupportedError").code, 9, "NotSupportedError");
    assert_equals(new DOMException("m", "InvalidStateError").code, 11, "InvalidStateError");
    assert_equals(new DOMException("m", "QuotaExceededError").code, 22, "QuotaExceededError");
    assert_equals(new DOMException("m", "InvalidAccessError").code, 15, "InvalidAccessError");
    assert_equals(new DOMException("m", "SecurityError").code, 18, "SecurityError");
    assert_equals(new DOMException("m", "NotAllowedError").code, 0, "NotAllowedError (no legacy code)");
  }, "DOMException legacy codes of the error names EME uses");

  // --- wrong receivers ----------------------------------------------------------------------

  promise_test(function (t) {
    return createFreshSession(config).then(function (session) {
      return Promise.all([
        promise_rejects_js(t, TypeError, callReturningPromise(function () {
          return MediaKeys.prototype.setServerCertificate.call(session, patternBytes(200, 1));
        }, "setServerCertificate")),
        promise_rejects_js(t, TypeError, callReturningPromise(function () {
          return MediaKeys.prototype.getStatusForPolicy.call({}, { minHdcpVersion: "1.0" });
        }, "getStatusForPolicy")),
        promise_rejects_js(t, TypeError, callReturningPromise(function () {
          return MediaKeySystemAccess.prototype.createMediaKeys.call({});
        }, "createMediaKeys")),
        promise_rejects_js(t, TypeError, callReturningPromise(function () {
          return Navigator.prototype.requestMediaKeySystemAccess.call({}, config.keySystem, config.configurations);
        }, "requestMediaKeySystemAccess")),
      ]);
    });
  }, "Promise-returning methods called on the wrong object reject with TypeError");

  promise_test(function () {
    return objects().then(function (o) {
      assert_throws_js(TypeError, function () { MediaKeys.prototype.createSession.call(o.session); }, "createSession");
      assert_throws_js(TypeError, function () { MediaKeyStatusMap.prototype.has.call(o.session, keyId(1)); }, "has");
      assert_throws_js(TypeError, function () { MediaKeyStatusMap.prototype.get.call({}, keyId(1)); }, "get");
      assert_throws_js(TypeError, function () { Object.getOwnPropertyDescriptor(MediaKeyStatusMap.prototype, "size").get.call(o.mediaKeys); }, "size");
      assert_throws_js(TypeError, function () { Object.getOwnPropertyDescriptor(MediaKeySession.prototype, "sessionId").get.call(o.map); }, "sessionId");
      assert_throws_js(TypeError, function () { Object.getOwnPropertyDescriptor(MediaKeySystemAccess.prototype, "keySystem").get.call(o.session); }, "keySystem");
    });
  }, "Other members used on the wrong object throw TypeError");

  promise_test(function (t) {
    return objects().then(function (o) {
      var getter = Object.getOwnPropertyDescriptor(MediaKeySession.prototype, "closed").get;
      return promise_rejects_js(t, TypeError, callReturningPromise(function () { return getter.call(o.mediaKeys); }, "closed getter"));
    });
  }, "The closed getter (a Promise-typed attribute) on the wrong object returns a promise rejected with TypeError");
}
