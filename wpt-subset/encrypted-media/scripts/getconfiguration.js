// MediaKeySystemAccess.getConfiguration(): returns the configuration chosen by "Get Supported
// Configuration" as a new dictionary on every call. Accepted capabilities are copied
// verbatim (contentType exactly as requested), encryptionScheme is present as null when the
// application did not give one, distinctiveIdentifier/persistentState are never "optional",
// sessionTypes defaults to ["temporary"].

function runGetConfigurationTests(config) {
  function access(configuration) {
    return navigator.requestMediaKeySystemAccess(config.keySystem, [configuration]);
  }

  var oddVideoTypes = [
    'video/mp4;  codecs="avc1.42E01E"',
    'VIDEO/MP4;CODECS="avc1.42E01E"',
    'Video/WebM; Codecs="vp8"',
    'video/webm ;codecs="vp9"',
    "video/mp4;codecs=avc1.42E01E",
  ];
  oddVideoTypes.forEach(function (type) {
    promise_test(function () {
      return access({ videoCapabilities: [{ contentType: type }] }).then(function (a) {
        assert_equals(a.getConfiguration().videoCapabilities[0].contentType, type, "contentType");
      });
    }, "getConfiguration() returns the video contentType " + JSON.stringify(type) + " verbatim");
  });

  var oddAudioTypes = ['audio/mp4; codecs="mp4a.40.2"', 'AUDIO/WEBM;codecs="opus"', 'audio/webm;   codecs="vorbis"'];
  oddAudioTypes.forEach(function (type) {
    promise_test(function () {
      return access({ audioCapabilities: [{ contentType: type }] }).then(function (a) {
        assert_equals(a.getConfiguration().audioCapabilities[0].contentType, type, "contentType");
      });
    }, "getConfiguration() returns the audio contentType " + JSON.stringify(type) + " verbatim");
  });

  promise_test(function () {
    return access({ videoCapabilities: [{ contentType: config.videoType }] }).then(function (a) {
      var c = a.getConfiguration();
      assert_equals(typeof c, "object", "a dictionary (object)");
      assert_equals(c.label, "", "label");
      assert_array_equals(c.initDataTypes, [], "initDataTypes");
      assert_equals(c.audioCapabilities.length, 0, "audioCapabilities");
      assert_equals(c.videoCapabilities.length, 1, "videoCapabilities");
      assert_equals(c.distinctiveIdentifier, "not-allowed", "distinctiveIdentifier");
      assert_equals(c.persistentState, "not-allowed", "persistentState");
      assert_array_equals(c.sessionTypes, ["temporary"], "sessionTypes");
    });
  }, "getConfiguration() of a minimal video-only request has every member with its resolved value");

  promise_test(function () {
    return access({ audioCapabilities: [{ contentType: config.audioType }] }).then(function (a) {
      var c = a.getConfiguration();
      assert_true(Array.isArray(c.videoCapabilities), "videoCapabilities is an array");
      assert_equals(c.videoCapabilities.length, 0, "videoCapabilities");
      assert_equals(c.audioCapabilities[0].contentType, config.audioType, "audio contentType");
    });
  }, "getConfiguration() of an audio-only request has an empty videoCapabilities list");

  promise_test(function () {
    return access({ videoCapabilities: [{ contentType: config.videoType }], audioCapabilities: [{ contentType: config.audioType }] }).then(function (a) {
      var c = a.getConfiguration();
      [c.videoCapabilities[0], c.audioCapabilities[0]].forEach(function (cap, i) {
        assert_true("encryptionScheme" in cap, "capability " + i + " has an encryptionScheme member");
        assert_equals(cap.encryptionScheme, null, "capability " + i + " encryptionScheme");
      });
    });
  }, "getConfiguration(): encryptionScheme is present and null when it was not requested");

  promise_test(function () {
    return access({ videoCapabilities: [{ contentType: config.videoType }] }).then(function (a) {
      var cap = a.getConfiguration().videoCapabilities[0];
      assert_true("robustness" in cap, "robustness member present");
      assert_equals(cap.robustness, "", "robustness");
    });
  }, "getConfiguration(): robustness is present as the empty string when it was not requested");

  promise_test(function () {
    return access({ videoCapabilities: [{ contentType: config.videoType }] }).then(function (a) {
      var first = a.getConfiguration();
      var second = a.getConfiguration();
      assert_not_equals(first, second, "two calls return two objects");
      assert_not_equals(first.videoCapabilities, second.videoCapabilities, "capability lists are distinct");
      assert_not_equals(first.videoCapabilities[0], second.videoCapabilities[0], "capability dictionaries are distinct");
      assert_not_equals(first.sessionTypes, second.sessionTypes, "sessionTypes lists are distinct");
    });
  }, "getConfiguration() returns a new object each call");

  promise_test(function () {
    return access({ label: "keep", initDataTypes: ["cenc"], videoCapabilities: [{ contentType: config.videoType }] }).then(function (a) {
      var first = a.getConfiguration();
      first.label = "changed";
      first.initDataTypes.push("webm");
      first.videoCapabilities[0].contentType = "changed";
      first.sessionTypes.length = 0;
      var second = a.getConfiguration();
      assert_equals(second.label, "keep", "label");
      assert_array_equals(second.initDataTypes, ["cenc"], "initDataTypes");
      assert_equals(second.videoCapabilities[0].contentType, config.videoType, "contentType");
      assert_array_equals(second.sessionTypes, ["temporary"], "sessionTypes");
    });
  }, "Changing a returned configuration does not change later results");

  promise_test(function () {
    var requested = { label: "original", initDataTypes: ["keyids"], videoCapabilities: [{ contentType: config.videoType }] };
    return access(requested).then(function (a) {
      requested.label = "mutated";
      requested.initDataTypes.push("cenc");
      requested.videoCapabilities[0].contentType = "video/bogus";
      var c = a.getConfiguration();
      assert_equals(c.label, "original", "label");
      assert_array_equals(c.initDataTypes, ["keyids"], "initDataTypes");
      assert_equals(c.videoCapabilities[0].contentType, config.videoType, "contentType");
    });
  }, "Changing the requested configuration afterwards does not change the result");

  [
    { distinctiveIdentifier: "optional", persistentState: "optional" },
    { distinctiveIdentifier: "not-allowed", persistentState: "optional" },
    { distinctiveIdentifier: "optional", persistentState: "not-allowed" },
  ].forEach(function (members) {
    promise_test(function () {
      return access(Object.assign({ videoCapabilities: [{ contentType: config.videoType }] }, members)).then(function (a) {
        var c = a.getConfiguration();
        assert_not_equals(c.distinctiveIdentifier, "optional", "distinctiveIdentifier");
        assert_not_equals(c.persistentState, "optional", "persistentState");
        assert_in_array(c.distinctiveIdentifier, ["required", "not-allowed"], "distinctiveIdentifier");
        assert_in_array(c.persistentState, ["required", "not-allowed"], "persistentState");
      });
    }, "getConfiguration() never returns \"optional\" (requested " + JSON.stringify(members) + ")");
  });

  promise_test(function () {
    return access({
      label: "all",
      initDataTypes: ["cenc", "keyids"],
      videoCapabilities: [{ contentType: CK_VIDEO_WEBM_VP9, robustness: "" }, { contentType: config.videoType, encryptionScheme: "cenc" }],
      audioCapabilities: [{ contentType: CK_AUDIO_WEBM_OPUS }],
      distinctiveIdentifier: "not-allowed",
      persistentState: "not-allowed",
      sessionTypes: ["temporary"],
    }).then(function (a) {
      var c = a.getConfiguration();
      assert_equals(c.label, "all", "label");
      assert_array_equals(c.initDataTypes, ["cenc", "keyids"], "initDataTypes");
      assert_array_equals(c.videoCapabilities.map(function (x) { return x.contentType; }), [CK_VIDEO_WEBM_VP9, config.videoType], "video types");
      assert_array_equals(c.videoCapabilities.map(function (x) { return x.encryptionScheme; }), [null, "cenc"], "video schemes");
      assert_array_equals(c.audioCapabilities.map(function (x) { return x.contentType; }), [CK_AUDIO_WEBM_OPUS], "audio types");
      assert_equals(c.distinctiveIdentifier, "not-allowed", "distinctiveIdentifier");
      assert_equals(c.persistentState, "not-allowed", "persistentState");
      assert_array_equals(c.sessionTypes, ["temporary"], "sessionTypes");
    });
  }, "getConfiguration() echoes a fully specified supported configuration");

  promise_test(function () {
    return access({ videoCapabilities: [{ contentType: config.videoType }] }).then(function (a) {
      assert_throws_js(TypeError, function () {
        MediaKeySystemAccess.prototype.getConfiguration.call({});
      }, "getConfiguration on a plain object");
    });
  }, "getConfiguration() called on an object that is not a MediaKeySystemAccess throws TypeError");
}
