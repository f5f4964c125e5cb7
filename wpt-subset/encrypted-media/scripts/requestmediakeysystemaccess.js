// navigator.requestMediaKeySystemAccess(keySystem, supportedConfigurations): key system
// strings and the conversion/validation of its two arguments.
//
// Spec (EME, "requestMediaKeySystemAccess()"): an empty keySystem rejects with TypeError, an
// empty supportedConfigurations rejects with TypeError (both before any key system lookup);
// a key system the user agent does not support (compared case-sensitively) rejects with
// NotSupportedError; WebIDL conversion errors of the arguments become a rejected promise.

function runRequestMediaKeySystemAccessTests(config) {
  var rmksa = function (keySystem, configurations) {
    return navigator.requestMediaKeySystemAccess(keySystem, configurations);
  };

  // --- the key system string ------------------------------------------------------------

  promise_test(function (t) {
    return promise_rejects_js(t, TypeError, callReturningPromise(function () {
      return rmksa("", config.configurations);
    }, "requestMediaKeySystemAccess"));
  }, "Empty keySystem rejects with TypeError");

  promise_test(function (t) {
    return promise_rejects_js(t, TypeError, rmksa("", []));
  }, "Empty keySystem and empty configurations reject with TypeError");

  var unsupportedNames = [
    ["org.w3.clearkey.", "trailing dot"],
    ["org.w3.clearkey.foo", "child of org.w3.clearkey"],
    ["org.w3.clearkey.1", "numbered child of org.w3.clearkey"],
    ["webkit-org.w3.clearkey", "webkit- prefix"],
    ["ORG.W3.CLEARKEY", "upper case"],
    ["Org.W3.ClearKey", "mixed case"],
    ["org.w3.clearKey", "one upper-case letter"],
    [" org.w3.clearkey", "leading space"],
    ["org.w3.clearkey ", "trailing space"],
    ["org.w3 .clearkey", "space inside"],
    ["org.w3", "parent org.w3"],
    ["org.w3.", "parent with trailing dot"],
    ["org", "top-level label only"],
    ["org.w3.clear", "truncated name"],
    ["org.w3.clearkeyfoo", "name with a suffix"],
    ["org.w3.clearkey\u0000", "trailing NUL"],
    ["org.w3.cl\u00e9arkey", "non-ASCII letter"],
    ["org.w3.clearkey\u2603", "trailing non-ASCII character"],
    ["org.w3.clearkey\u200b", "trailing zero-width space"],
    ["com.example.unknown", "unknown key system"],
    ["clearkey", "bare clearkey"],
    ["*", "wildcard"],
  ];
  unsupportedNames.forEach(function (entry) {
    promise_test(function (t) {
      return promise_rejects_dom(t, "NotSupportedError", rmksa(entry[0], config.configurations));
    }, "Key system " + JSON.stringify(entry[0]) + " (" + entry[1] + ") rejects with NotSupportedError");
  });

  promise_test(function (t) {
    return promise_rejects_dom(t, "NotSupportedError", rmksa(null, config.configurations));
  }, "keySystem null is converted to the string \"null\" and rejects with NotSupportedError");

  promise_test(function (t) {
    return promise_rejects_js(t, TypeError, callReturningPromise(function () {
      return rmksa(Symbol("org.w3.clearkey"), config.configurations);
    }, "requestMediaKeySystemAccess(Symbol)"));
  }, "keySystem that cannot be converted to a string (a Symbol) rejects with TypeError");

  promise_test(function () {
    return rmksa(config.keySystem, config.configurations).then(function (access) {
      assert_true(access instanceof MediaKeySystemAccess, "result is a MediaKeySystemAccess");
      assert_equals(access.keySystem, config.keySystem, "keySystem attribute");
    });
  }, "The supported key system resolves with a MediaKeySystemAccess whose keySystem is the requested string");

  promise_test(function () {
    var ks = { toString: function () { return config.keySystem; } };
    return rmksa(ks, config.configurations).then(function (access) {
      assert_equals(access.keySystem, config.keySystem, "keySystem attribute");
    });
  }, "keySystem is converted with ToString (an object whose toString returns the key system)");

  promise_test(function () {
    return Promise.all([rmksa(config.keySystem, config.configurations), rmksa(config.keySystem, config.configurations)]).then(function (both) {
      assert_not_equals(both[0], both[1], "two calls give two MediaKeySystemAccess objects");
    });
  }, "Each successful call resolves with a new MediaKeySystemAccess object");

  // --- the configuration list -------------------------------------------------------------

  promise_test(function (t) {
    return promise_rejects_js(t, TypeError, callReturningPromise(function () {
      return rmksa(config.keySystem, []);
    }, "requestMediaKeySystemAccess"));
  }, "Empty supportedConfigurations rejects with TypeError");

  promise_test(function (t) {
    return promise_rejects_js(t, TypeError, rmksa("com.example.unknown", []));
  }, "Empty supportedConfigurations is checked before key system support (unknown key system, TypeError)");

  var notSequences = [
    ["missing argument", function () { return navigator.requestMediaKeySystemAccess(config.keySystem); }],
    ["no arguments at all", function () { return navigator.requestMediaKeySystemAccess(); }],
    ["undefined", function () { return rmksa(config.keySystem, undefined); }],
    ["null", function () { return rmksa(config.keySystem, null); }],
    ["a plain object", function () { return rmksa(config.keySystem, {}); }],
    ["a single configuration dictionary, not in a list", function () { return rmksa(config.keySystem, config.configurations[0]); }],
    ["an array-like object without @@iterator", function () { return rmksa(config.keySystem, { length: 1, 0: config.configurations[0] }); }],
    ["a string", function () { return rmksa(config.keySystem, "configurations"); }],
    ["a number", function () { return rmksa(config.keySystem, 1); }],
    ["true", function () { return rmksa(config.keySystem, true); }],
    ["a list holding a number", function () { return rmksa(config.keySystem, [1]); }],
    ["a list holding a string", function () { return rmksa(config.keySystem, ["config"]); }],
    ["a list holding a valid configuration and a number", function () { return rmksa(config.keySystem, [config.configurations[0], 7]); }],
  ];
  notSequences.forEach(function (entry) {
    promise_test(function (t) {
      return promise_rejects_js(t, TypeError, callReturningPromise(entry[1], "requestMediaKeySystemAccess"));
    }, "supportedConfigurations " + entry[0] + " rejects with TypeError (as a rejected promise)");
  });

  promise_test(function () {
    function* configurations() { yield config.configurations[0]; }
    return rmksa(config.keySystem, configurations()).then(function (access) {
      assert_true(access instanceof MediaKeySystemAccess, "a generator is an acceptable sequence");
    });
  }, "supportedConfigurations may be any iterable (a generator)");

  var badMembers = [
    ["initDataTypes is a string", { initDataTypes: "cenc" }],
    ["initDataTypes is a number", { initDataTypes: 5 }],
    ["videoCapabilities is a plain object", { videoCapabilities: { contentType: CK_VIDEO_MP4 } }],
    ["videoCapabilities holds a string", { videoCapabilities: [CK_VIDEO_MP4] }],
    ["audioCapabilities is a string", { audioCapabilities: CK_AUDIO_MP4 }],
    ["distinctiveIdentifier outside the enumeration", { distinctiveIdentifier: "bogus" }],
    ["distinctiveIdentifier with different case", { distinctiveIdentifier: "Optional" }],
    ["persistentState outside the enumeration", { persistentState: "sometimes" }],
    ["sessionTypes is a string", { sessionTypes: "temporary" }],
  ];
  badMembers.forEach(function (entry) {
    promise_test(function (t) {
      var c = Object.assign({ videoCapabilities: [{ contentType: CK_VIDEO_MP4 }] }, entry[1]);
      return promise_rejects_js(t, TypeError, callReturningPromise(function () {
        return rmksa(config.keySystem, [c]);
      }, "requestMediaKeySystemAccess"));
    }, "A configuration whose " + entry[0] + " fails WebIDL conversion: TypeError");
  });

  promise_test(function (t) {
    var c = { videoCapabilities: [{ contentType: CK_VIDEO_MP4, encryptionScheme: Symbol("cenc") }] };
    return promise_rejects_js(t, TypeError, callReturningPromise(function () {
      return rmksa(config.keySystem, [c]);
    }, "requestMediaKeySystemAccess"));
  }, "A capability whose encryptionScheme cannot be converted to a string: TypeError");

  promise_test(function (t) {
    var first = { label: "first", videoCapabilities: [{ contentType: CK_VIDEO_MP4 }] };
    return promise_rejects_js(t, TypeError, rmksa(config.keySystem, [first, { distinctiveIdentifier: "bogus" }]));
  }, "A conversion error in a later configuration rejects the whole call, even when an earlier one is supported");
}
