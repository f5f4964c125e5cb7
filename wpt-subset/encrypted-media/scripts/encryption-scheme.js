// MediaKeySystemMediaCapability.encryptionScheme negotiation.
//
// Spec: a null (or absent) encryptionScheme places no requirement and is returned as null; a
// non-null scheme the implementation does not support skips the capability (note that "" is
// not null, and no key system supports it). Clear Key MUST support "cenc"; this
// implementation also supports "cbcs" and "cbcs-1-9". Scheme names compare case-sensitively.

function runEncryptionSchemeTests(config) {
  function videoWith(scheme) {
    var cap = { contentType: config.videoType };
    if (scheme !== undefined) cap.encryptionScheme = scheme;
    return cap;
  }
  function audioWith(scheme) {
    var cap = { contentType: config.audioType };
    if (scheme !== undefined) cap.encryptionScheme = scheme;
    return cap;
  }

  ["cenc", "cbcs", "cbcs-1-9"].forEach(function (scheme) {
    promise_test(function () {
      return navigator.requestMediaKeySystemAccess(config.keySystem, [{ videoCapabilities: [videoWith(scheme)] }]).then(function (a) {
        assert_equals(a.getConfiguration().videoCapabilities[0].encryptionScheme, scheme, "encryptionScheme");
      });
    }, "Video encryptionScheme \"" + scheme + "\" is supported and returned");

    promise_test(function () {
      return navigator.requestMediaKeySystemAccess(config.keySystem, [{ audioCapabilities: [audioWith(scheme)] }]).then(function (a) {
        assert_equals(a.getConfiguration().audioCapabilities[0].encryptionScheme, scheme, "encryptionScheme");
      });
    }, "Audio encryptionScheme \"" + scheme + "\" is supported and returned");
  });

  promise_test(function () {
    return navigator.requestMediaKeySystemAccess(config.keySystem, [{ videoCapabilities: [{ contentType: CK_VIDEO_WEBM_VP8, encryptionScheme: "cenc" }] }]).then(function (a) {
      assert_equals(a.getConfiguration().videoCapabilities[0].encryptionScheme, "cenc", "encryptionScheme");
    });
  }, "encryptionScheme \"cenc\" with a webm content type is supported and returned");

  [["", "the empty string"], ["cens", "cens"], ["cbc1", "cbc1"], ["CENC", "upper-case CENC"], ["cbcs-1-10", "an unknown pattern"], ["foo", "an unknown name"], ["cenc ", "trailing space"]].forEach(function (entry) {
    promise_test(function (t) {
      return promise_rejects_dom(t, "NotSupportedError",
        navigator.requestMediaKeySystemAccess(config.keySystem, [{ videoCapabilities: [videoWith(entry[0])] }]));
    }, "Video encryptionScheme " + JSON.stringify(entry[0]) + " (" + entry[1] + ") on the only capability rejects with NotSupportedError");
  });

  [["", "the empty string"], ["cens", "cens"], ["bogus", "an unknown name"]].forEach(function (entry) {
    promise_test(function (t) {
      return promise_rejects_dom(t, "NotSupportedError",
        navigator.requestMediaKeySystemAccess(config.keySystem, [{ audioCapabilities: [audioWith(entry[0])] }]));
    }, "Audio encryptionScheme " + JSON.stringify(entry[0]) + " (" + entry[1] + ") on the only capability rejects with NotSupportedError");
  });

  promise_test(function () {
    return navigator.requestMediaKeySystemAccess(config.keySystem, [{ videoCapabilities: [videoWith(null)] }]).then(function (a) {
      var cap = a.getConfiguration().videoCapabilities[0];
      assert_true("encryptionScheme" in cap, "encryptionScheme member present");
      assert_equals(cap.encryptionScheme, null, "encryptionScheme");
    });
  }, "An explicit null encryptionScheme is supported and returned as null");

  promise_test(function () {
    return navigator.requestMediaKeySystemAccess(config.keySystem, [{ videoCapabilities: [videoWith(undefined)] }]).then(function (a) {
      var cap = a.getConfiguration().videoCapabilities[0];
      assert_true("encryptionScheme" in cap, "encryptionScheme member present");
      assert_equals(cap.encryptionScheme, null, "encryptionScheme");
    });
  }, "An absent encryptionScheme is returned as null");

  promise_test(function () {
    return navigator.requestMediaKeySystemAccess(config.keySystem, [{
      videoCapabilities: [videoWith("cens"), videoWith("cenc"), videoWith(""), videoWith("cbcs"), videoWith(), videoWith("foo"), videoWith("cbcs-1-9"), videoWith(null)],
    }]).then(function (a) {
      var schemes = a.getConfiguration().videoCapabilities.map(function (c) { return c.encryptionScheme; });
      assert_array_equals(schemes, ["cenc", "cbcs", null, "cbcs-1-9", null], "kept schemes, in order");
    });
  }, "Capabilities with unsupported schemes are skipped; the others keep their scheme and order");

  promise_test(function () {
    return navigator.requestMediaKeySystemAccess(config.keySystem, [{
      videoCapabilities: [videoWith("cbcs")],
      audioCapabilities: [audioWith("cenc")],
    }]).then(function (a) {
      var c = a.getConfiguration();
      assert_equals(c.videoCapabilities[0].encryptionScheme, "cbcs", "video");
      assert_equals(c.audioCapabilities[0].encryptionScheme, "cenc", "audio");
    });
  }, "Audio and video capabilities may request different schemes");

  promise_test(function () {
    return navigator.requestMediaKeySystemAccess(config.keySystem, [
      { label: "unsupported scheme", videoCapabilities: [videoWith("cens")] },
      { label: "supported scheme", videoCapabilities: [videoWith("cbcs")] },
    ]).then(function (a) {
      var c = a.getConfiguration();
      assert_equals(c.label, "supported scheme", "label");
      assert_equals(c.videoCapabilities[0].encryptionScheme, "cbcs", "scheme");
    });
  }, "A configuration whose only scheme is unsupported is skipped for the next one");
}
