// MediaKeySystemAccess.createMediaKeys() and the MediaKeys methods createSession(),
// setServerCertificate() and getStatusForPolicy().
//
// Spec: createSession() throws synchronously — TypeError for a value outside
// MediaKeySessionType, NotSupportedError for a session type the key system does not support
// (Clear Key here: only "temporary"). setServerCertificate(): Clear Key does not use server
// certificates, so a non-empty certificate resolves false; an empty one rejects TypeError.
// getStatusForPolicy(): a policy without any present member rejects TypeError; Clear Key
// resolves "usable". Every error of a promise-returning method is a rejected promise.

function runMediaKeysSyntaxTests(config) {
  // --- MediaKeySystemAccess ---------------------------------------------------------------

  promise_test(function () {
    return requestClearKeyAccess(config).then(function (access) {
      assert_equals(access.keySystem, config.keySystem, "keySystem");
      assert_equals(access.keySystem, access.keySystem, "stable");
      assert_equals(typeof access.getConfiguration, "function", "getConfiguration");
      assert_equals(typeof access.createMediaKeys, "function", "createMediaKeys");
    });
  }, "MediaKeySystemAccess: keySystem attribute and methods");

  promise_test(function () {
    return requestClearKeyAccess(config).then(function (access) {
      var p = access.createMediaKeys();
      assert_true(p instanceof Promise, "createMediaKeys returns a Promise");
      return p;
    }).then(function (mediaKeys) {
      assert_true(mediaKeys instanceof MediaKeys, "resolves with a MediaKeys");
      assert_equals(typeof mediaKeys.createSession, "function", "createSession");
      assert_equals(typeof mediaKeys.setServerCertificate, "function", "setServerCertificate");
      assert_equals(typeof mediaKeys.getStatusForPolicy, "function", "getStatusForPolicy");
    });
  }, "createMediaKeys() resolves with a MediaKeys");

  promise_test(function () {
    return requestClearKeyAccess(config).then(function (access) {
      return Promise.all([access.createMediaKeys(), access.createMediaKeys()]);
    }).then(function (both) {
      assert_not_equals(both[0], both[1], "two MediaKeys objects");
    });
  }, "createMediaKeys() resolves with a new MediaKeys on every call");

  // --- createSession ----------------------------------------------------------------------

  [
    ["no argument", function (mk) { return mk.createSession(); }],
    ["undefined (the default)", function (mk) { return mk.createSession(undefined); }],
    ["\"temporary\"", function (mk) { return mk.createSession("temporary"); }],
  ].forEach(function (entry) {
    promise_test(function () {
      return createMediaKeysFor(config).then(function (mediaKeys) {
        var session = entry[1](mediaKeys);
        assert_true(session instanceof MediaKeySession, "a MediaKeySession");
        var message = waitForEvent(session, "message");
        return session.generateRequest("keyids", keyIdsInitData([keyId(1)])).then(function () { return message; });
      }).then(function (event) {
        assert_equals(JSON.parse(utf8Decode(event.message)).type, "temporary", "the licence request names a temporary session");
      });
    }, "createSession() with " + entry[0] + " creates a temporary session");
  });

  promise_test(function () {
    return createMediaKeysFor(config).then(function (mediaKeys) {
      var a = mediaKeys.createSession();
      var b = mediaKeys.createSession();
      assert_not_equals(a, b, "two sessions");
    });
  }, "createSession() returns a new MediaKeySession on every call");

  promise_test(function () {
    return createMediaKeysFor(config).then(function (mediaKeys) {
      assert_throws_dom("NotSupportedError", function () { mediaKeys.createSession("persistent-license"); });
    });
  }, "createSession(\"persistent-license\") throws NotSupportedError synchronously");

  ["bogus", "", "Temporary", "TEMPORARY", "persistent-usage-record", "persistent-release-message", " temporary"].forEach(function (value) {
    promise_test(function () {
      return createMediaKeysFor(config).then(function (mediaKeys) {
        assert_throws_js(TypeError, function () { mediaKeys.createSession(value); });
      });
    }, "createSession(" + JSON.stringify(value) + ") throws TypeError synchronously");
  });

  [["null", null], ["1", 1], ["an object", {}]].forEach(function (entry) {
    promise_test(function () {
      return createMediaKeysFor(config).then(function (mediaKeys) {
        assert_throws_js(TypeError, function () { mediaKeys.createSession(entry[1]); });
      });
    }, "createSession(" + entry[0] + ") (not a MediaKeySessionType value after ToString) throws TypeError");
  });

  promise_test(function () {
    return createMediaKeysFor(config).then(function (mediaKeys) {
      var session = mediaKeys.createSession({ toString: function () { return "temporary"; } });
      assert_true(session instanceof MediaKeySession, "the value is converted with ToString");
    });
  }, "createSession() converts its argument with ToString before the enumeration check");

  // --- setServerCertificate ---------------------------------------------------------------

  [
    ["an empty Uint8Array", function () { return new Uint8Array(0); }],
    ["an empty ArrayBuffer", function () { return new ArrayBuffer(0); }],
    ["an empty DataView", function () { return new DataView(new ArrayBuffer(4), 2, 0); }],
  ].forEach(function (entry) {
    promise_test(function (t) {
      return createMediaKeysFor(config).then(function (mediaKeys) {
        return promise_rejects_js(t, TypeError, callReturningPromise(function () {
          return mediaKeys.setServerCertificate(entry[1]());
        }, "setServerCertificate"));
      });
    }, "setServerCertificate() with " + entry[0] + " rejects with TypeError");
  });

  [
    ["no argument", function (mk) { return mk.setServerCertificate(); }],
    ["undefined", function (mk) { return mk.setServerCertificate(undefined); }],
    ["null", function (mk) { return mk.setServerCertificate(null); }],
    ["a string", function (mk) { return mk.setServerCertificate("certificate"); }],
    ["a number", function (mk) { return mk.setServerCertificate(200); }],
    ["a plain object", function (mk) { return mk.setServerCertificate({}); }],
    ["an array of numbers", function (mk) { return mk.setServerCertificate([1, 2, 3]); }],
  ].forEach(function (entry) {
    promise_test(function (t) {
      return createMediaKeysFor(config).then(function (mediaKeys) {
        return promise_rejects_js(t, TypeError, callReturningPromise(function () { return entry[1](mediaKeys); }, "setServerCertificate"));
      });
    }, "setServerCertificate() with " + entry[0] + " (not a BufferSource) rejects with TypeError");
  });

  [
    ["a Uint8Array", function () { return patternBytes(200, 1); }],
    ["an ArrayBuffer", function () { return patternBytes(200, 2).buffer; }],
    ["a DataView", function () { return new DataView(patternBytes(210, 3).buffer, 5, 200); }],
  ].forEach(function (entry) {
    promise_test(function () {
      return createMediaKeysFor(config).then(function (mediaKeys) {
        var p = mediaKeys.setServerCertificate(entry[1]());
        assert_true(p instanceof Promise, "returns a Promise");
        return p;
      }).then(function (result) {
        assert_equals(result, false, "Clear Key does not use server certificates");
      });
    }, "setServerCertificate() with a 200-byte certificate in " + entry[0] + " resolves with false");
  });

  // --- getStatusForPolicy -----------------------------------------------------------------

  ["1.0", "1.4", "2.2", "2.3"].forEach(function (version) {
    promise_test(function () {
      return createMediaKeysFor(config).then(function (mediaKeys) {
        var p = mediaKeys.getStatusForPolicy({ minHdcpVersion: version });
        assert_true(p instanceof Promise, "returns a Promise");
        return p;
      }).then(function (status) {
        assert_equals(status, "usable", "status");
      });
    }, "getStatusForPolicy({minHdcpVersion: \"" + version + "\"}) resolves with \"usable\"");
  });

  [
    ["{}", function (mk) { return mk.getStatusForPolicy({}); }],
    ["no argument (default {})", function (mk) { return mk.getStatusForPolicy(); }],
    ["undefined", function (mk) { return mk.getStatusForPolicy(undefined); }],
    ["null (converted to an empty dictionary)", function (mk) { return mk.getStatusForPolicy(null); }],
    ["only an unknown member", function (mk) { return mk.getStatusForPolicy({ maxHdcpVersion: "1.0" }); }],
    ["minHdcpVersion undefined (not present)", function (mk) { return mk.getStatusForPolicy({ minHdcpVersion: undefined }); }],
  ].forEach(function (entry) {
    promise_test(function (t) {
      return createMediaKeysFor(config).then(function (mediaKeys) {
        return promise_rejects_js(t, TypeError, callReturningPromise(function () { return entry[1](mediaKeys); }, "getStatusForPolicy"));
      });
    }, "getStatusForPolicy() with " + entry[0] + " has no present policy member and rejects with TypeError");
  });

  [
    ["a string", "1.0"],
    ["a number", 1],
    ["true", true],
  ].forEach(function (entry) {
    promise_test(function (t) {
      return createMediaKeysFor(config).then(function (mediaKeys) {
        return promise_rejects_js(t, TypeError, callReturningPromise(function () {
          return mediaKeys.getStatusForPolicy(entry[1]);
        }, "getStatusForPolicy"));
      });
    }, "getStatusForPolicy() with " + entry[0] + " (not a dictionary) rejects with TypeError");
  });

  promise_test(function (t) {
    return createMediaKeysFor(config).then(function (mediaKeys) {
      return promise_rejects_js(t, TypeError, callReturningPromise(function () {
        return mediaKeys.getStatusForPolicy({ minHdcpVersion: Symbol("1.0") });
      }, "getStatusForPolicy"));
    });
  }, "getStatusForPolicy() whose minHdcpVersion cannot be converted to a string rejects with TypeError");
}
