// "Get Supported Capabilities for Audio/Video Type": parsing of MediaKeySystemMediaCapability
// contentType strings.
//
// Spec: an empty contentType makes the whole configuration unsupported; a content type that is
// not a valid MIME type, a container or codec the implementation does not support, an
// unrecognised parameter, or a codec of the wrong kind (audio codec in a video capability and
// vice versa) skips that capability. MIME type/subtype and parameter names are
// case-insensitive (MIME Sniffing); codec strings (RFC 6381) are compared case-sensitively.
// (Content types without a codecs parameter are not tested: whether mp4/webm "normatively
// imply" a codec set is left open by the spec.)

function runRequestMediaKeySystemAccessCapabilitiesTests(config) {
  function video(contentType) { return [{ videoCapabilities: [{ contentType: contentType }] }]; }
  function audio(contentType) { return [{ audioCapabilities: [{ contentType: contentType }] }]; }
  function accepts(configurations, kind, contentType) {
    return navigator.requestMediaKeySystemAccess(config.keySystem, configurations).then(function (access) {
      var caps = access.getConfiguration()[kind];
      assert_equals(caps.length, 1, kind + " length");
      assert_equals(caps[0].contentType, contentType, kind + "[0].contentType");
    });
  }

  var supportedVideo = [
    CK_VIDEO_MP4,
    'video/mp4;codecs="avc1.4d401e"',
    'video/mp4;codecs="avc1.64001F"',
    'video/mp4; codecs="avc1.42E01E"',
    "video/mp4;codecs=avc1.42E01E",
    CK_VIDEO_WEBM_VP8,
    CK_VIDEO_WEBM_VP9,
    'video/webm;codecs="vp09.00.10.08"',
    'VIDEO/MP4;CODECS="avc1.42E01E"',
    'Video/Mp4;Codecs="avc1.42E01E"',
    'video/WEBM;codecs="vp8"',
  ];
  supportedVideo.forEach(function (type) {
    promise_test(function () {
      return accepts(video(type), "videoCapabilities", type);
    }, "Video capability " + JSON.stringify(type) + " is supported");
  });

  var supportedAudio = [
    CK_AUDIO_MP4,
    'audio/mp4;codecs="mp4a.40.5"',
    CK_AUDIO_WEBM_OPUS,
    CK_AUDIO_WEBM_VORBIS,
    'AUDIO/MP4;CODECS="mp4a.40.2"',
    'Audio/WebM;Codecs="opus"',
  ];
  supportedAudio.forEach(function (type) {
    promise_test(function () {
      return accepts(audio(type), "audioCapabilities", type);
    }, "Audio capability " + JSON.stringify(type) + " is supported");
  });

  var unsupportedVideo = [
    ['video/mp4;codecs="AVC1.42E01E"', "codec name in upper case"],
    ['video/webm;codecs="VP8"', "webm codec name in upper case"],
    ['video/mp4;codecs="avc1.42E01E";foo="bar"', "unknown parameter"],
    ['video/webm;codecs="vp8";bogus=1', "unknown parameter on webm"],
    ['video/mp4;codecs="mp4a.40.2"', "audio codec in a video type"],
    ['video/webm;codecs="opus"', "opus in a video type"],
    ['video/webm;codecs="vorbis"', "vorbis in a video type"],
    ['video/mp4;codecs="avc1.42E01E,mp4a.40.2"', "video and audio codecs in a video capability"],
    [CK_AUDIO_MP4, "an audio MIME type in videoCapabilities"],
    [CK_AUDIO_WEBM_OPUS, "an audio webm MIME type in videoCapabilities"],
    ['video/webm;codecs="avc1.42E01E"', "avc1 in a webm container"],
    ['video/mp4;codecs="bogus"', "unknown codec"],
    ['video/foo;codecs="avc1.42E01E"', "unknown subtype"],
    ["text/plain", "not a media type"],
    ["video", "no subtype"],
    ["not a mime type", "not a MIME type"],
  ];
  unsupportedVideo.forEach(function (entry) {
    promise_test(function (t) {
      return promise_rejects_dom(t, "NotSupportedError", navigator.requestMediaKeySystemAccess(config.keySystem, video(entry[0])));
    }, "Video capability " + JSON.stringify(entry[0]) + " (" + entry[1] + ") is not supported");
  });

  var unsupportedAudio = [
    ['audio/mp4;codecs="MP4A.40.2"', "codec name in upper case"],
    ['audio/mp4;codecs="mp4a.40.2";foo="bar"', "unknown parameter"],
    ['audio/mp4;codecs="avc1.42E01E"', "video codec in an audio type"],
    ['audio/webm;codecs="vp8"', "vp8 in an audio type"],
    ['audio/webm;codecs="vorbis,vp8"', "audio and video codecs in an audio capability"],
    [CK_VIDEO_MP4, "a video MIME type in audioCapabilities"],
    [CK_VIDEO_WEBM_VP9, "a video webm MIME type in audioCapabilities"],
    ['audio/mp4;codecs="bogus"', "unknown codec"],
  ];
  unsupportedAudio.forEach(function (entry) {
    promise_test(function (t) {
      return promise_rejects_dom(t, "NotSupportedError", navigator.requestMediaKeySystemAccess(config.keySystem, audio(entry[0])));
    }, "Audio capability " + JSON.stringify(entry[0]) + " (" + entry[1] + ") is not supported");
  });

  promise_test(function (t) {
    return promise_rejects_dom(t, "NotSupportedError", navigator.requestMediaKeySystemAccess(config.keySystem, video("")));
  }, "An empty video contentType rejects with NotSupportedError");

  promise_test(function (t) {
    return promise_rejects_dom(t, "NotSupportedError", navigator.requestMediaKeySystemAccess(config.keySystem, [{ videoCapabilities: [{}] }]));
  }, "A video capability without contentType (default \"\") rejects with NotSupportedError");

  promise_test(function (t) {
    return promise_rejects_dom(t, "NotSupportedError", navigator.requestMediaKeySystemAccess(config.keySystem, [{
      videoCapabilities: [{ contentType: config.videoType }, { contentType: "" }],
    }]));
  }, "An empty contentType after a supported one still rejects the whole configuration");

  promise_test(function (t) {
    return promise_rejects_dom(t, "NotSupportedError", navigator.requestMediaKeySystemAccess(config.keySystem, [{
      videoCapabilities: [{ contentType: config.videoType }],
      audioCapabilities: [{ contentType: "" }],
    }]));
  }, "An empty audio contentType rejects the configuration even with a supported video capability");

  promise_test(function () {
    var requested = unsupportedVideo.map(function (e) { return { contentType: e[0] }; });
    requested.splice(3, 0, { contentType: CK_VIDEO_WEBM_VP8 });
    requested.push({ contentType: config.videoType });
    return navigator.requestMediaKeySystemAccess(config.keySystem, [{ videoCapabilities: requested }]).then(function (access) {
      var caps = access.getConfiguration().videoCapabilities;
      assert_array_equals(caps.map(function (c) { return c.contentType; }), [CK_VIDEO_WEBM_VP8, config.videoType], "kept capabilities, in order");
    });
  }, "Unsupported video capabilities are skipped and the supported ones kept in order");

  promise_test(function () {
    return navigator.requestMediaKeySystemAccess(config.keySystem, [{
      videoCapabilities: [{ contentType: 'video/mp4;codecs="bogus"' }, { contentType: config.videoType }],
      audioCapabilities: [{ contentType: CK_AUDIO_WEBM_VORBIS }, { contentType: 'audio/mp4;codecs="avc1.42E01E"' }],
    }]).then(function (access) {
      var c = access.getConfiguration();
      assert_array_equals(c.videoCapabilities.map(function (x) { return x.contentType; }), [config.videoType], "video");
      assert_array_equals(c.audioCapabilities.map(function (x) { return x.contentType; }), [CK_AUDIO_WEBM_VORBIS], "audio");
    });
  }, "Audio and video capability lists are filtered independently");

  promise_test(function (t) {
    return promise_rejects_dom(t, "NotSupportedError", navigator.requestMediaKeySystemAccess(config.keySystem, [{
      videoCapabilities: [{ contentType: config.videoType }],
      audioCapabilities: [{ contentType: 'audio/mp4;codecs="bogus"' }],
    }]));
  }, "A non-empty audio list with no supported entry rejects even when video is supported");
}
