// navigator.requestMediaKeySystemAccess() and MediaKeySystemAccess.getConfiguration().
// Spec: https://w3c.github.io/encrypted-media/#navigator-extension-requestmediakeysystemaccess
// and "Get Supported Configuration" / "Get Supported Capabilities for Audio/Video Type".

var MP4_VIDEO = 'video/mp4;codecs="avc1.42E01E"';
var MP4_AUDIO = 'audio/mp4;codecs="mp4a.40.2"';

function rmksa(keySystem, configs) {
  return navigator.requestMediaKeySystemAccess(keySystem, configs);
}

/** The configuration the user agent chose for a single requested configuration. */
async function chosen(config) {
  var access = await rmksa(CLEARKEY, [config]);
  return access.getConfiguration();
}

function videoOnly(contentType, extra) {
  var cap = Object.assign({ contentType: contentType }, extra || {});
  return { videoCapabilities: [cap] };
}

function audioOnly(contentType, extra) {
  var cap = Object.assign({ contentType: contentType }, extra || {});
  return { audioCapabilities: [cap] };
}

test("empty keySystem rejects with TypeError", async function () {
  await assertRejects(TypeError, function () { return rmksa("", clearKeyConfigs()); });
  await assertRejects(TypeError, function () { return rmksa("", []); }, "empty key system and empty configurations");
});

test("empty supportedConfigurations rejects with TypeError", async function () {
  await assertRejects(TypeError, function () { return rmksa(CLEARKEY, []); });
});

test("unknown key systems and near-misses of org.w3.clearkey reject with NotSupportedError", async function () {
  var names = [
    "com.example.unknown",
    "ORG.W3.CLEARKEY",
    "Org.W3.ClearKey",
    "org.w3.clearKey",
    "org.w3.clearkey.",
    "org.w3.clearkey.foo",
    "org.w3.",
    "org.w3",
    "org.w3.clear",
    "webkit-org.w3.clearkey",
    " org.w3.clearkey",
    "org.w3.clearkey ",
    "org.w3 .clearkey",
    "org.w3.clearkey\u0000",
    "org.w3.cl\u00e9arkey",
  ];
  for (var name of names) {
    await assertRejects("NotSupportedError", function () { return rmksa(name, clearKeyConfigs()); }, JSON.stringify(name));
  }
});

test("org.w3.clearkey resolves a MediaKeySystemAccess with keySystem set", async function () {
  var access = await rmksa(CLEARKEY, clearKeyConfigs());
  assert(access instanceof MediaKeySystemAccess, "result is a MediaKeySystemAccess");
  assertEquals(access.keySystem, "org.w3.clearkey", "keySystem");
  assertEquals(typeof access.getConfiguration, "function", "getConfiguration is a method");
});

test("label is echoed; absent label becomes the empty string", async function () {
  var c = await chosen(Object.assign({ label: "my label \u2603 " }, videoOnly(MP4_VIDEO)));
  assertEquals(c.label, "my label \u2603 ", "label");
  c = await chosen(videoOnly(MP4_VIDEO));
  assertEquals(c.label, "", "default label");
});

test("initDataTypes keeps only supported types, in the requested order", async function () {
  var c = await chosen(Object.assign({ initDataTypes: ["webm", "foo", "keyids", "", "CENC", "cenc", "Keyids"] }, videoOnly(MP4_VIDEO)));
  assertArrayEquals(c.initDataTypes, ["webm", "keyids", "cenc"], "initDataTypes");
  c = await chosen(Object.assign({ initDataTypes: ["cenc"] }, videoOnly(MP4_VIDEO)));
  assertArrayEquals(c.initDataTypes, ["cenc"], "single type");
  c = await chosen(videoOnly(MP4_VIDEO));
  assertArrayEquals(c.initDataTypes, [], "absent initDataTypes");
});

test("initDataTypes with no supported type rejects with NotSupportedError", async function () {
  await assertRejects("NotSupportedError", function () {
    return rmksa(CLEARKEY, [Object.assign({ initDataTypes: ["foo", "CENC", "", "keyIds"] }, videoOnly(MP4_VIDEO))]);
  });
});

test("accepted capabilities are echoed verbatim (exact contentType string, robustness, null encryptionScheme)", async function () {
  var videoTypes = [
    'video/mp4;  codecs="avc1.42E01E"',
    'VIDEO/MP4;CODECS="avc1.42E01E"',
    'Video/WebM; Codecs="vp8"',
    'video/webm;codecs="vp9"',
  ];
  var audioTypes = ['audio/mp4; codecs="mp4a.40.2"', 'AUDIO/WEBM;codecs="opus"'];
  var c = await chosen({
    videoCapabilities: videoTypes.map(function (t) { return { contentType: t }; }),
    audioCapabilities: audioTypes.map(function (t) { return { contentType: t, robustness: "" }; }),
  });
  assertEquals(c.videoCapabilities.length, videoTypes.length, "videoCapabilities length");
  videoTypes.forEach(function (t, i) {
    var cap = c.videoCapabilities[i];
    assertEquals(cap.contentType, t, "videoCapabilities[" + i + "].contentType");
    assertEquals(cap.robustness, "", "videoCapabilities[" + i + "].robustness");
    assert("encryptionScheme" in cap, "videoCapabilities[" + i + "] has an encryptionScheme member");
    assertEquals(cap.encryptionScheme, null, "videoCapabilities[" + i + "].encryptionScheme");
  });
  assertEquals(c.audioCapabilities.length, audioTypes.length, "audioCapabilities length");
  audioTypes.forEach(function (t, i) {
    assertEquals(c.audioCapabilities[i].contentType, t, "audioCapabilities[" + i + "].contentType");
    assertEquals(c.audioCapabilities[i].robustness, "", "audioCapabilities[" + i + "].robustness");
    assertEquals(c.audioCapabilities[i].encryptionScheme, null, "audioCapabilities[" + i + "].encryptionScheme");
  });
});

test("only video requested: audioCapabilities is an empty list (and vice versa)", async function () {
  var c = await chosen(videoOnly(MP4_VIDEO));
  assertArrayEquals(c.audioCapabilities, [], "audioCapabilities");
  c = await chosen(audioOnly(MP4_AUDIO));
  assertArrayEquals(c.videoCapabilities, [], "videoCapabilities");
  assertEquals(c.audioCapabilities[0].contentType, MP4_AUDIO, "audio contentType");
});

test("encryptionScheme cenc, cbcs and cbcs-1-9 are echoed; absent scheme is null", async function () {
  var c = await chosen({
    videoCapabilities: [
      { contentType: MP4_VIDEO, encryptionScheme: "cenc" },
      { contentType: MP4_VIDEO, encryptionScheme: "cbcs" },
      { contentType: MP4_VIDEO, encryptionScheme: "cbcs-1-9" },
      { contentType: MP4_VIDEO },
      { contentType: MP4_VIDEO, encryptionScheme: null },
    ],
    audioCapabilities: [{ contentType: MP4_AUDIO, encryptionScheme: "cbcs" }],
  });
  var schemes = c.videoCapabilities.map(function (cap) { return cap.encryptionScheme; });
  assertArrayEquals(schemes, ["cenc", "cbcs", "cbcs-1-9", null, null], "video encryptionSchemes");
  assertEquals(c.audioCapabilities[0].encryptionScheme, "cbcs", "audio encryptionScheme");
});

test("an unsupported or empty encryptionScheme skips the entry", async function () {
  var c = await chosen({
    videoCapabilities: [
      { contentType: MP4_VIDEO, encryptionScheme: "cens" },
      { contentType: MP4_VIDEO, encryptionScheme: "foo" },
      { contentType: MP4_VIDEO, encryptionScheme: "" },
      { contentType: 'video/webm;codecs="vp8"', encryptionScheme: "cenc" },
    ],
  });
  assertEquals(c.videoCapabilities.length, 1, "only the supported entry remains");
  assertEquals(c.videoCapabilities[0].contentType, 'video/webm;codecs="vp8"', "remaining entry");
  assertEquals(c.videoCapabilities[0].encryptionScheme, "cenc", "remaining scheme");

  for (var scheme of ["", "cens", "cbc1", "foo"]) {
    await assertRejects("NotSupportedError", function () {
      return rmksa(CLEARKEY, [videoOnly(MP4_VIDEO, { encryptionScheme: scheme })]);
    }, "only entry has encryptionScheme " + JSON.stringify(scheme));
  }
});

test("robustness: only the empty string is supported", async function () {
  var c = await chosen({
    videoCapabilities: [
      { contentType: MP4_VIDEO, robustness: "SW_SECURE_CRYPTO" },
      { contentType: 'video/webm;codecs="vp9"', robustness: "" },
    ],
  });
  assertEquals(c.videoCapabilities.length, 1, "entry with a robustness is skipped");
  assertEquals(c.videoCapabilities[0].contentType, 'video/webm;codecs="vp9"', "remaining entry");
  for (var r of ["SW_SECURE_CRYPTO", "HW_SECURE_ALL", " ", "bogus"]) {
    await assertRejects("NotSupportedError", function () {
      return rmksa(CLEARKEY, [audioOnly(MP4_AUDIO, { robustness: r })]);
    }, "robustness " + JSON.stringify(r));
  }
});

test("distinctiveIdentifier: required is unsupported, optional and not-allowed become not-allowed", async function () {
  await assertRejects("NotSupportedError", function () {
    return rmksa(CLEARKEY, [Object.assign({ distinctiveIdentifier: "required" }, videoOnly(MP4_VIDEO))]);
  });
  var c = await chosen(Object.assign({ distinctiveIdentifier: "optional" }, videoOnly(MP4_VIDEO)));
  assertEquals(c.distinctiveIdentifier, "not-allowed", "optional");
  c = await chosen(Object.assign({ distinctiveIdentifier: "not-allowed" }, videoOnly(MP4_VIDEO)));
  assertEquals(c.distinctiveIdentifier, "not-allowed", "not-allowed");
  c = await chosen(videoOnly(MP4_VIDEO));
  assertEquals(c.distinctiveIdentifier, "not-allowed", "default (optional)");
});

test("persistentState: required is unsupported, optional and not-allowed become not-allowed", async function () {
  await assertRejects("NotSupportedError", function () {
    return rmksa(CLEARKEY, [Object.assign({ persistentState: "required" }, videoOnly(MP4_VIDEO))]);
  });
  var c = await chosen(Object.assign({ persistentState: "optional" }, videoOnly(MP4_VIDEO)));
  assertEquals(c.persistentState, "not-allowed", "optional");
  c = await chosen(Object.assign({ persistentState: "not-allowed" }, videoOnly(MP4_VIDEO)));
  assertEquals(c.persistentState, "not-allowed", "not-allowed");
  c = await chosen(videoOnly(MP4_VIDEO));
  assertEquals(c.persistentState, "not-allowed", "default (optional)");
});

test("sessionTypes defaults to [\"temporary\"]; temporary is echoed", async function () {
  var c = await chosen(videoOnly(MP4_VIDEO));
  assertArrayEquals(c.sessionTypes, ["temporary"], "default sessionTypes");
  c = await chosen(Object.assign({ sessionTypes: ["temporary"] }, videoOnly(MP4_VIDEO)));
  assertArrayEquals(c.sessionTypes, ["temporary"], "explicit sessionTypes");
  c = await chosen(Object.assign({ sessionTypes: [] }, videoOnly(MP4_VIDEO)));
  assertArrayEquals(c.sessionTypes, [], "an empty sessionTypes list is kept as given");
});

test("sessionTypes with persistent-license or an unknown type rejects with NotSupportedError", async function () {
  var lists = [["persistent-license"], ["temporary", "persistent-license"], ["bogus"]];
  for (var list of lists) {
    await assertRejects("NotSupportedError", function () {
      return rmksa(CLEARKEY, [Object.assign({ sessionTypes: list }, videoOnly(MP4_VIDEO))]);
    }, "sessionTypes " + JSON.stringify(list));
  }
  await assertRejects("NotSupportedError", function () {
    return rmksa(CLEARKEY, [Object.assign({ sessionTypes: ["persistent-license"], persistentState: "optional" }, videoOnly(MP4_VIDEO))]);
  }, "persistent-license with persistentState optional");
});

test("the first supported configuration wins", async function () {
  var access = await rmksa(CLEARKEY, [
    Object.assign({ label: "bad init data type", initDataTypes: ["foo"] }, videoOnly(MP4_VIDEO)),
    Object.assign({ label: "bad codec" }, videoOnly('video/mp4;codecs="bogus"')),
    Object.assign({ label: "good one", initDataTypes: ["keyids"] }, videoOnly(MP4_VIDEO)),
    Object.assign({ label: "good two", initDataTypes: ["cenc"] }, audioOnly(MP4_AUDIO)),
  ]);
  var c = access.getConfiguration();
  assertEquals(c.label, "good one", "label of the chosen configuration");
  assertArrayEquals(c.initDataTypes, ["keyids"], "initDataTypes of the chosen configuration");
});

test("a configuration with no capabilities ([{}]) rejects with NotSupportedError", async function () {
  await assertRejects("NotSupportedError", function () { return rmksa(CLEARKEY, [{}]); }, "[{}]");
  await assertRejects("NotSupportedError", function () {
    return rmksa(CLEARKEY, [{ initDataTypes: ["cenc"], videoCapabilities: [], audioCapabilities: [] }]);
  }, "both lists empty");
  await assertRejects("NotSupportedError", function () { return rmksa(CLEARKEY, [null]); }, "[null] is an empty dictionary");
  await assertRejects("NotSupportedError", function () { return rmksa(CLEARKEY, [undefined]); }, "[undefined] is an empty dictionary");
});

test("an empty contentType rejects the whole configuration with NotSupportedError", async function () {
  var lists = [
    [{ contentType: "" }],
    [{}],
    [{ contentType: "" }, { contentType: MP4_VIDEO }],
    [{ contentType: MP4_VIDEO }, { contentType: "" }],
  ];
  for (var list of lists) {
    await assertRejects("NotSupportedError", function () {
      return rmksa(CLEARKEY, [{ videoCapabilities: list }]);
    }, "videoCapabilities " + JSON.stringify(list));
  }
  await assertRejects("NotSupportedError", function () {
    return rmksa(CLEARKEY, [{ videoCapabilities: [{ contentType: MP4_VIDEO }], audioCapabilities: [{ contentType: "" }] }]);
  }, "empty audio contentType");
});

test("supported container/codec pairs: mp4 avc1/mp4a, webm vp8/vp9/opus/vorbis", async function () {
  var video = [MP4_VIDEO, 'video/webm;codecs="vp8"', 'video/webm;codecs="vp9"'];
  var audio = [MP4_AUDIO, 'audio/webm;codecs="opus"', 'audio/webm;codecs="vorbis"'];
  for (var v of video) {
    var c = await chosen(videoOnly(v));
    assertEquals(c.videoCapabilities[0].contentType, v, "video " + v);
  }
  for (var a of audio) {
    var c2 = await chosen(audioOnly(a));
    assertEquals(c2.audioCapabilities[0].contentType, a, "audio " + a);
  }
});

test("MIME type, subtype and parameter names are case-insensitive", async function () {
  var video = ['VIDEO/MP4;CODECS="avc1.42E01E"', 'Video/Mp4;Codecs="avc1.42E01E"', 'video/WEBM;codecs="vp8"'];
  for (var v of video) {
    var c = await chosen(videoOnly(v));
    assertEquals(c.videoCapabilities[0].contentType, v, v);
  }
  var audio = ['AUDIO/MP4;CODECS="mp4a.40.2"', 'Audio/WebM;Codecs="opus"'];
  for (var a of audio) {
    var c2 = await chosen(audioOnly(a));
    assertEquals(c2.audioCapabilities[0].contentType, a, a);
  }
});

test("unsupported video capabilities are skipped (codec case, unknown parameter, audio codec, audio type)", async function () {
  var unsupported = [
    'video/mp4;codecs="AVC1.42E01E"',
    'video/mp4;codecs="avc1.42E01E";foo="bar"',
    'video/mp4;codecs="mp4a.40.2"',
    'video/webm;codecs="opus"',
    'video/webm;codecs="vorbis"',
    MP4_AUDIO,
    'audio/webm;codecs="opus"',
    'video/mp4;codecs="bogus"',
    'video/foo;codecs="avc1.42E01E"',
    'text/plain',
    'video',
    'not a mime type',
  ];
  for (var t of unsupported) {
    await assertRejects("NotSupportedError", function () { return rmksa(CLEARKEY, [videoOnly(t)]); }, "video " + JSON.stringify(t));
  }
  // Mixed with a supported entry: only the supported one is kept.
  var c = await chosen({ videoCapabilities: unsupported.concat([MP4_VIDEO]).map(function (x) { return { contentType: x }; }) });
  assertEquals(c.videoCapabilities.length, 1, "only the supported entry is kept");
  assertEquals(c.videoCapabilities[0].contentType, MP4_VIDEO, "kept entry");
});

test("unsupported audio capabilities are skipped (video types, video codecs, unknown parameter)", async function () {
  var unsupported = [
    MP4_VIDEO,
    'video/mp4;codecs="mp4a.40.2"',
    'video/webm;codecs="opus"',
    'video/webm;codecs="vorbis"',
    'audio/mp4;codecs="avc1.42E01E"',
    'audio/webm;codecs="vp8"',
    'audio/mp4;codecs="MP4A.40.2"',
    'audio/mp4;codecs="mp4a.40.2";foo=bar',
    'audio/webm;codecs="OPUS"',
  ];
  for (var t of unsupported) {
    await assertRejects("NotSupportedError", function () { return rmksa(CLEARKEY, [audioOnly(t)]); }, "audio " + JSON.stringify(t));
  }
  var c = await chosen({ audioCapabilities: unsupported.concat(['audio/webm;codecs="vorbis"']).map(function (x) { return { contentType: x }; }) });
  assertEquals(c.audioCapabilities.length, 1, "only the supported entry is kept");
  assertEquals(c.audioCapabilities[0].contentType, 'audio/webm;codecs="vorbis"', "kept entry");
});

test("getConfiguration() returns a fresh object each call", async function () {
  var access = await rmksa(CLEARKEY, [{
    label: "fresh",
    initDataTypes: ["cenc"],
    videoCapabilities: [{ contentType: MP4_VIDEO }],
  }]);
  var a = access.getConfiguration();
  var b = access.getConfiguration();
  assert(a !== b, "two calls return different objects");
  assert(a.videoCapabilities !== b.videoCapabilities, "capability lists are not shared");
  assert(a.videoCapabilities[0] !== b.videoCapabilities[0], "capability dictionaries are not shared");
  assert(a.initDataTypes !== b.initDataTypes, "initDataTypes lists are not shared");
  a.label = "changed";
  a.initDataTypes.push("webm");
  a.videoCapabilities[0].contentType = "changed";
  var c = access.getConfiguration();
  assertEquals(c.label, "fresh", "label unaffected by mutation");
  assertArrayEquals(c.initDataTypes, ["cenc"], "initDataTypes unaffected by mutation");
  assertEquals(c.videoCapabilities[0].contentType, MP4_VIDEO, "contentType unaffected by mutation");
});

test("getConfiguration() does not echo the caller's objects", async function () {
  var cap = { contentType: MP4_VIDEO };
  var config = { initDataTypes: ["cenc"], videoCapabilities: [cap] };
  var access = await rmksa(CLEARKEY, [config]);
  var c = access.getConfiguration();
  assert(c !== config, "configuration is a new object");
  assert(c.videoCapabilities[0] !== cap, "capability is a new object");
  cap.contentType = 'video/webm;codecs="vp8"';
  assertEquals(access.getConfiguration().videoCapabilities[0].contentType, MP4_VIDEO, "later mutation of the request has no effect");
});

test("non-dictionary and missing arguments reject with TypeError", async function () {
  var cases = [
    ["no arguments", function () { return navigator.requestMediaKeySystemAccess(); }],
    ["no configurations", function () { return navigator.requestMediaKeySystemAccess(CLEARKEY); }],
    ["configurations is a string", function () { return rmksa(CLEARKEY, "configs"); }],
    ["configurations is a non-iterable object", function () { return rmksa(CLEARKEY, {}); }],
    ["configurations is a number", function () { return rmksa(CLEARKEY, 1); }],
    ["configurations is null", function () { return rmksa(CLEARKEY, null); }],
    ["configuration is a number", function () { return rmksa(CLEARKEY, [1]); }],
    ["configuration is a string", function () { return rmksa(CLEARKEY, ["config"]); }],
    ["videoCapabilities is a number", function () { return rmksa(CLEARKEY, [{ videoCapabilities: 5 }]); }],
    ["capability is a number", function () { return rmksa(CLEARKEY, [{ videoCapabilities: [5] }]); }],
    ["initDataTypes is a string", function () { return rmksa(CLEARKEY, [{ initDataTypes: "cenc", videoCapabilities: [{ contentType: MP4_VIDEO }] }]); }],
    ["sessionTypes is a string", function () { return rmksa(CLEARKEY, [{ sessionTypes: "temporary", videoCapabilities: [{ contentType: MP4_VIDEO }] }]); }],
    ["distinctiveIdentifier not an enum value", function () { return rmksa(CLEARKEY, [{ distinctiveIdentifier: "bogus", videoCapabilities: [{ contentType: MP4_VIDEO }] }]); }],
    ["persistentState not an enum value", function () { return rmksa(CLEARKEY, [{ persistentState: "Required", videoCapabilities: [{ contentType: MP4_VIDEO }] }]); }],
  ];
  for (var c of cases) {
    await assertRejects(TypeError, c[1], c[0]);
  }
});
