// The members of MediaKeySystemConfiguration and the "Get Supported Configuration" algorithm:
// label, initDataTypes, distinctiveIdentifier, persistentState, sessionTypes, robustness,
// empty capability lists, and "the first supported configuration wins".
//
// Clear Key facts used (EME "Clear Key" section and the project's documented choices):
// supported initialization data types keyids/cenc/webm; distinctive identifiers never used
// (so "required" is unsupported); temporary sessions only (persistentState "required" and
// the persistent-license session type are refused); robustness only "".

function runRequestMediaKeySystemAccessConfigurationTests(config) {
  function withVideo(members) {
    return Object.assign({ videoCapabilities: [{ contentType: config.videoType }] }, members || {});
  }
  function chosen(configuration) {
    return navigator.requestMediaKeySystemAccess(config.keySystem, [configuration]).then(function (access) {
      return access.getConfiguration();
    });
  }
  function rejectsNotSupported(t, configurations) {
    return promise_rejects_dom(t, "NotSupportedError", navigator.requestMediaKeySystemAccess(config.keySystem, configurations));
  }

  // --- label ------------------------------------------------------------------------------

  [["a plain label", "my label"], ["a label with spaces and non-ASCII", " caf\u00e9 \u2603 "], ["an empty label", ""]].forEach(function (entry) {
    promise_test(function () {
      return chosen(withVideo({ label: entry[1] })).then(function (c) {
        assert_equals(c.label, entry[1], "label");
      });
    }, "label: " + entry[0] + " is returned unchanged");
  });

  promise_test(function () {
    return chosen(withVideo()).then(function (c) {
      assert_equals(c.label, "", "label");
    });
  }, "label: absent becomes the empty string");

  // --- initDataTypes ----------------------------------------------------------------------

  config.initDataTypes.forEach(function (type) {
    promise_test(function () {
      return chosen(withVideo({ initDataTypes: [type] })).then(function (c) {
        assert_array_equals(c.initDataTypes, [type], "initDataTypes");
      });
    }, "initDataTypes: [\"" + type + "\"] is supported and returned");
  });

  promise_test(function () {
    return chosen(withVideo({ initDataTypes: ["webm", "foo", "keyids", "", "CENC", "cenc"] })).then(function (c) {
      assert_array_equals(c.initDataTypes, ["webm", "keyids", "cenc"], "initDataTypes");
    });
  }, "initDataTypes: unsupported entries are dropped and the order of the others is kept");

  promise_test(function () {
    return chosen(withVideo({ initDataTypes: [] })).then(function (c) {
      assert_array_equals(c.initDataTypes, [], "initDataTypes");
    });
  }, "initDataTypes: an empty list is accepted and returned empty");

  promise_test(function () {
    return chosen(withVideo()).then(function (c) {
      assert_array_equals(c.initDataTypes, [], "initDataTypes");
    });
  }, "initDataTypes: absent is returned as an empty list");

  [[""], ["foo"], ["CENC"], ["KeyIds"], ["webm "], ["", "foo", "Cenc"]].forEach(function (list) {
    promise_test(function (t) {
      return rejectsNotSupported(t, [withVideo({ initDataTypes: list })]);
    }, "initDataTypes: " + JSON.stringify(list) + " (nothing supported) rejects with NotSupportedError");
  });

  // --- distinctiveIdentifier --------------------------------------------------------------

  promise_test(function (t) {
    return rejectsNotSupported(t, [withVideo({ distinctiveIdentifier: "required" })]);
  }, "distinctiveIdentifier: \"required\" rejects with NotSupportedError");

  [["not-allowed", "not-allowed"], ["optional", "not-allowed"]].forEach(function (entry) {
    promise_test(function () {
      return chosen(withVideo({ distinctiveIdentifier: entry[0] })).then(function (c) {
        assert_equals(c.distinctiveIdentifier, entry[1], "distinctiveIdentifier");
      });
    }, "distinctiveIdentifier: \"" + entry[0] + "\" is returned as \"" + entry[1] + "\"");
  });

  promise_test(function () {
    return chosen(withVideo()).then(function (c) {
      assert_equals(c.distinctiveIdentifier, "not-allowed", "distinctiveIdentifier");
    });
  }, "distinctiveIdentifier: absent (default \"optional\") is returned as \"not-allowed\", never \"optional\"");

  // --- persistentState ----------------------------------------------------------------------

  promise_test(function (t) {
    return rejectsNotSupported(t, [withVideo({ persistentState: "required" })]);
  }, "persistentState: \"required\" rejects with NotSupportedError");

  [["not-allowed", "not-allowed"], ["optional", "not-allowed"]].forEach(function (entry) {
    promise_test(function () {
      return chosen(withVideo({ persistentState: entry[0] })).then(function (c) {
        assert_equals(c.persistentState, entry[1], "persistentState");
      });
    }, "persistentState: \"" + entry[0] + "\" is returned as \"" + entry[1] + "\"");
  });

  promise_test(function () {
    return chosen(withVideo()).then(function (c) {
      assert_equals(c.persistentState, "not-allowed", "persistentState");
    });
  }, "persistentState: absent (default \"optional\") is returned as \"not-allowed\", never \"optional\"");

  // --- sessionTypes -----------------------------------------------------------------------

  promise_test(function () {
    return chosen(withVideo()).then(function (c) {
      assert_array_equals(c.sessionTypes, ["temporary"], "sessionTypes");
    });
  }, "sessionTypes: absent is returned as [\"temporary\"]");

  promise_test(function () {
    return chosen(withVideo({ sessionTypes: ["temporary"] })).then(function (c) {
      assert_array_equals(c.sessionTypes, ["temporary"], "sessionTypes");
    });
  }, "sessionTypes: [\"temporary\"] is returned");

  promise_test(function () {
    return chosen(withVideo({ sessionTypes: [] })).then(function (c) {
      assert_array_equals(c.sessionTypes, [], "sessionTypes");
    });
  }, "sessionTypes: an empty list is present, so it is returned empty");

  [
    [["persistent-license"], {}],
    [["temporary", "persistent-license"], {}],
    [["persistent-license"], { persistentState: "optional" }],
    [["persistent-license"], { persistentState: "not-allowed" }],
    [["bogus"], {}],
    [["Temporary"], {}],
    [["temporary", ""], {}],
  ].forEach(function (entry) {
    promise_test(function (t) {
      return rejectsNotSupported(t, [withVideo(Object.assign({ sessionTypes: entry[0] }, entry[1]))]);
    }, "sessionTypes: " + JSON.stringify(entry[0]) + (entry[1].persistentState ? " with persistentState \"" + entry[1].persistentState + "\"" : "") + " rejects with NotSupportedError");
  });

  // --- robustness ---------------------------------------------------------------------------

  promise_test(function () {
    return chosen({
      videoCapabilities: [{ contentType: config.videoType, robustness: "" }],
      audioCapabilities: [{ contentType: config.audioType, robustness: "" }],
    }).then(function (c) {
      assert_equals(c.videoCapabilities.length, 1, "video capability kept");
      assert_equals(c.videoCapabilities[0].robustness, "", "video robustness");
      assert_equals(c.audioCapabilities.length, 1, "audio capability kept");
      assert_equals(c.audioCapabilities[0].robustness, "", "audio robustness");
    });
  }, "robustness: the empty string is supported and returned");

  ["SW_SECURE_CRYPTO", "HW_SECURE_ALL", " ", "bogus"].forEach(function (r) {
    promise_test(function (t) {
      return rejectsNotSupported(t, [{ videoCapabilities: [{ contentType: config.videoType, robustness: r }] }]);
    }, "robustness: " + JSON.stringify(r) + " on the only video capability rejects with NotSupportedError");
  });

  promise_test(function () {
    return chosen({
      audioCapabilities: [
        { contentType: config.audioType, robustness: "SW_SECURE_CRYPTO" },
        { contentType: CK_AUDIO_WEBM_OPUS, robustness: "" },
      ],
    }).then(function (c) {
      assert_equals(c.audioCapabilities.length, 1, "number of audio capabilities");
      assert_equals(c.audioCapabilities[0].contentType, CK_AUDIO_WEBM_OPUS, "remaining capability");
    });
  }, "robustness: a capability with a non-empty robustness is skipped, the others are kept");

  // --- empty capabilities -------------------------------------------------------------------

  [
    ["[{}]", [{}]],
    ["[{label}] only", [{ label: "no capabilities" }]],
    ["both capability lists explicitly empty", [{ initDataTypes: ["cenc"], videoCapabilities: [], audioCapabilities: [] }]],
    ["[null] (an empty dictionary)", [null]],
    ["[undefined] (an empty dictionary)", [undefined]],
    ["[{}, {}]", [{}, {}]],
  ].forEach(function (entry) {
    promise_test(function (t) {
      return rejectsNotSupported(t, entry[1]);
    }, "A configuration without any capability: " + entry[0] + " rejects with NotSupportedError");
  });

  // --- first supported configuration wins ---------------------------------------------------

  promise_test(function () {
    return navigator.requestMediaKeySystemAccess(config.keySystem, [
      withVideo({ label: "first", initDataTypes: ["keyids"] }),
      withVideo({ label: "second", initDataTypes: ["cenc"] }),
    ]).then(function (access) {
      var c = access.getConfiguration();
      assert_equals(c.label, "first", "label");
      assert_array_equals(c.initDataTypes, ["keyids"], "initDataTypes");
    });
  }, "When several configurations are supported the first one is chosen");

  promise_test(function () {
    return navigator.requestMediaKeySystemAccess(config.keySystem, [
      withVideo({ label: "bad init data type", initDataTypes: ["foo"] }),
      { label: "bad codec", videoCapabilities: [{ contentType: 'video/mp4;codecs="bogus"' }] },
      withVideo({ label: "distinctive identifier required", distinctiveIdentifier: "required" }),
      { label: "empty" },
      { label: "good", audioCapabilities: [{ contentType: config.audioType }] },
      withVideo({ label: "also good" }),
    ]).then(function (access) {
      var c = access.getConfiguration();
      assert_equals(c.label, "good", "label");
      assert_equals(c.videoCapabilities.length, 0, "videoCapabilities of the chosen configuration");
      assert_equals(c.audioCapabilities.length, 1, "audioCapabilities of the chosen configuration");
    });
  }, "Unsupported configurations are skipped and the first supported one is chosen");

  promise_test(function (t) {
    return rejectsNotSupported(t, [
      withVideo({ initDataTypes: ["foo"] }),
      withVideo({ sessionTypes: ["persistent-license"] }),
      { videoCapabilities: [{ contentType: "" }] },
    ]);
  }, "When no configuration is supported the call rejects with NotSupportedError");

  promise_test(function () {
    return navigator.requestMediaKeySystemAccess(config.keySystem, [
      { label: "empty content type", videoCapabilities: [{ contentType: "" }, { contentType: config.videoType }] },
      withVideo({ label: "next" }),
    ]).then(function (access) {
      assert_equals(access.getConfiguration().label, "next", "label");
    });
  }, "A configuration rejected for an empty contentType does not stop the next configuration");
}
