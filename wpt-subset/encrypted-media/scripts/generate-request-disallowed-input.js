// generateRequest() with initialization data that must be refused, for each Clear Key
// initialization data type (format registry: "keyids", "cenc", "webm").
//
// Spec: empty initDataType or initData → TypeError; an initDataType the key system does not
// support (case-sensitive) → NotSupportedError; init data that is invalid for its type or
// cannot be sanitized (including unreasonable sizes: more than 64 KiB, key IDs of 0 or more
// than 512 bytes) → TypeError; valid data the CDM cannot use (cenc without a usable version 1
// 'pssh' box carrying the Common SystemID) → NotSupportedError.

function runGenerateRequestDisallowedInputTests(config) {
  function rejectsOnFreshSession(expected, initDataType, makeInitData) {
    return function (t) {
      return createFreshSession(config).then(function (session) {
        var p = callReturningPromise(function () { return session.generateRequest(initDataType, makeInitData()); }, "generateRequest");
        return typeof expected === "string" ? promise_rejects_dom(t, expected, p) : promise_rejects_js(t, expected, p);
      });
    };
  }

  // --- empty arguments ----------------------------------------------------------------------

  config.initDataTypes.forEach(function (type) {
    promise_test(rejectsOnFreshSession(TypeError, "", function () { return config.initData(type, [keyId(1)]); }),
      "initDataType \"\" with valid " + type + " init data rejects with TypeError");

    [
      ["an empty Uint8Array", function () { return new Uint8Array(0); }],
      ["an empty ArrayBuffer", function () { return new ArrayBuffer(0); }],
      ["an empty DataView over a non-empty buffer", function () { return new DataView(new ArrayBuffer(8), 4, 0); }],
    ].forEach(function (entry) {
      promise_test(rejectsOnFreshSession(TypeError, type, entry[1]), type + ": " + entry[0] + " rejects with TypeError");
    });
  });

  // --- unsupported types --------------------------------------------------------------------

  ["foo", "CENC", "Cenc", "KeyIds", "KEYIDS", "keyids ", " webm", "webM", "WEBM", "sinf", "mp4", "key-ids"].forEach(function (type) {
    promise_test(rejectsOnFreshSession("NotSupportedError", type, function () { return keyIdsInitData([keyId(1)]); }),
      "initDataType " + JSON.stringify(type) + " rejects with NotSupportedError");
  });

  // --- more than 64 KiB -----------------------------------------------------------------------

  promise_test(rejectsOnFreshSession(TypeError, "keyids", function () {
    var data = padJsonTo(keyIdsInitData([keyId(1)]), 65537);
    assert_equals(data.length, 65537, "test data size");
    return data;
  }), "keyids: 65537 bytes of otherwise valid init data reject with TypeError");

  promise_test(rejectsOnFreshSession(TypeError, "cenc", function () {
    var box = psshBox(1, COMMON_SYSTEM_ID, [keyId(1)], new Uint8Array(65537 - 52));
    assert_equals(box.length, 65537, "test data size");
    return box;
  }), "cenc: a 65537-byte Common SystemID box rejects with TypeError");

  promise_test(rejectsOnFreshSession(TypeError, "cenc", function () {
    var other = psshBox(1, OTHER_SYSTEM_ID, [keyId(2)], new Uint8Array(65537 - 52 - 52));
    var data = concatBytes(other, cencInitData([keyId(1)]));
    assert_equals(data.length, 65537, "test data size");
    return data;
  }), "cenc: 65537 bytes of boxes (a large foreign box plus a Common box) reject with TypeError");

  promise_test(rejectsOnFreshSession(TypeError, "webm", function () { return patternBytes(65537, 4); }),
    "webm: a 65537-byte key ID rejects with TypeError");

  // --- key ID length --------------------------------------------------------------------------

  promise_test(rejectsOnFreshSession(TypeError, "webm", function () { return patternBytes(513, 9); }),
    "webm: a 513-byte key ID rejects with TypeError");

  promise_test(rejectsOnFreshSession(TypeError, "keyids", function () { return keyIdsText("{\"kids\":[\"\"]}"); }),
    "keyids: an empty key ID rejects with TypeError");

  promise_test(rejectsOnFreshSession(TypeError, "keyids", function () { return keyIdsInitData([patternBytes(513, 1)]); }),
    "keyids: a 513-byte key ID rejects with TypeError");

  promise_test(rejectsOnFreshSession(TypeError, "keyids", function () { return keyIdsInitData([keyId(1), patternBytes(513, 2)]); }),
    "keyids: a 513-byte key ID after a valid one rejects with TypeError");

  promise_test(rejectsOnFreshSession(TypeError, "keyids", function () {
    return keyIdsText("{\"kids\":[\"" + base64urlEncode(keyId(1)) + "\",\"\"]}");
  }), "keyids: an empty key ID after a valid one rejects with TypeError");

  // --- malformed keyids -----------------------------------------------------------------------

  var kid = base64urlEncode(keyId(1));
  var plusSlash = base64Encode(new Uint8Array([0xfb, 0xff, 0xbf, 0xfb, 0xef, 0xfe, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10])).replace(/=+$/, "");
  var badKeyIds = [
    ["not JSON", "not json"],
    ["truncated JSON", "{\"kids\":["],
    ["an unterminated string", "{\"kids\":[\"" + kid + "]}"],
    ["a JSON array, not an object", "[\"" + kid + "\"]"],
    ["a JSON string", "\"" + kid + "\""],
    ["a JSON number", "42"],
    ["JSON null", "null"],
    ["an object without kids", "{}"],
    ["an object with the member misspelt", "{\"kid\":[\"" + kid + "\"]}"],
    ["kids as a string", "{\"kids\":\"" + kid + "\"}"],
    ["kids as an object", "{\"kids\":{\"0\":\"" + kid + "\"}}"],
    ["kids as null", "{\"kids\":null}"],
    ["a number in kids", "{\"kids\":[1]}"],
    ["null in kids", "{\"kids\":[null]}"],
    ["a nested array in kids", "{\"kids\":[[\"" + kid + "\"]]}"],
    ["a padded key ID", "{\"kids\":[\"" + kid + "==\"]}"],
    ["a key ID in the standard base64 alphabet", "{\"kids\":[\"" + plusSlash + "\"]}"],
    ["a key ID with a character outside base64url", "{\"kids\":[\"" + kid.slice(0, -1) + "!\"]}"],
    ["a key ID whose length is 1 mod 4", "{\"kids\":[\"AAAAA\"]}"],
    ["a key ID with a space inside", "{\"kids\":[\"" + kid.slice(0, 8) + " " + kid.slice(8) + "\"]}"],
    ["text after the JSON object", "{\"kids\":[\"" + kid + "\"]} trailing"],
    ["a second JSON object", "{\"kids\":[\"" + kid + "\"]}{}"],
  ];
  badKeyIds.forEach(function (entry) {
    promise_test(rejectsOnFreshSession(TypeError, "keyids", function () { return keyIdsText(entry[1]); }),
      "keyids: " + entry[0] + " rejects with TypeError");
  });

  promise_test(rejectsOnFreshSession(TypeError, "keyids", function () {
    return concatBytes(utf8Encode("{\"kids\":[\"" + kid.slice(0, -1)), [0xff], utf8Encode("\"]}"));
  }), "keyids: an invalid UTF-8 byte inside a key ID rejects with TypeError");

  promise_test(rejectsOnFreshSession(TypeError, "keyids", function () {
    return utf8Encode("{\"kids\":[\"" + kid.slice(0, -1) + "\u00e9\"]}");
  }), "keyids: a non-ASCII character inside a key ID rejects with TypeError");

  promise_test(rejectsOnFreshSession(TypeError, "keyids", function () { return keyIdsInitData([keyId(1)]).subarray(1); }),
    "keyids: the JSON with its first byte cut off rejects with TypeError");

  // --- malformed cenc ---------------------------------------------------------------------------

  var good = function () { return cencInitData([keyId(1)]); }; // 52 bytes
  var badCenc = [
    ["a box truncated by one byte", function () { var g = good(); return g.subarray(0, g.length - 1); }],
    ["a box truncated inside its header", function () { return good().subarray(0, 6); }],
    ["a box truncated inside the SystemID", function () { return good().subarray(0, 20); }],
    ["a valid box followed by 3 stray bytes", function () { return concatBytes(good(), [0, 0, 0]); }],
    ["a box size larger than the data", function () { var g = good(); g.set(uint32BE(0xffff), 0); return g; }],
    ["a box size one byte larger than the data", function () { var g = good(); g.set(uint32BE(53), 0); return g; }],
    ["a box size smaller than the box header", function () { return new Uint8Array([0, 0, 0, 4]); }],
    ["a box size smaller than a pssh box needs", function () { var g = good(); g.set(uint32BE(12), 0); return g; }],
    ["a box whose type is not pssh", function () { var g = good(); g.set(utf8Encode("moov"), 4); return g; }],
    ["a valid pssh followed by a non-pssh box", function () { var n = good(); n.set(utf8Encode("free"), 4); return concatBytes(good(), n); }],
    ["a non-pssh box followed by a valid pssh", function () { var n = good(); n.set(utf8Encode("free"), 4); return concatBytes(n, good()); }],
    ["KID_count 0xFFFFFFFF", function () { var g = good(); g.set(uint32BE(0xffffffff), 28); return g; }],
    ["KID_count larger than the box holds", function () { var g = good(); g.set(uint32BE(2), 28); return g; }],
    ["KID_count 0x10000001 (overflows 32-bit KID_count * 16)", function () { var g = good(); g.set(uint32BE(0x10000001), 28); return g; }],
    ["DataSize larger than the box holds", function () { var g = good(); g.set(uint32BE(100), 48); return g; }],
    ["DataSize 0xFFFFFFFF", function () { var g = good(); g.set(uint32BE(0xffffffff), 48); return g; }],
    ["a box without its DataSize field", function () { var g = good().slice(0, 48); g.set(uint32BE(48), 0); return g; }],
    ["random bytes", function () { return patternBytes(64, 5); }],
    ["keyids JSON given as cenc", function () { return keyIdsInitData([keyId(1)]); }],
  ];
  badCenc.forEach(function (entry) {
    promise_test(rejectsOnFreshSession(TypeError, "cenc", entry[1]), "cenc: " + entry[0] + " rejects with TypeError");
  });

  // --- cenc the Clear Key CDM cannot use --------------------------------------------------

  var unusableCenc = [
    ["only another system's version 1 box", function () { return psshBox(1, OTHER_SYSTEM_ID, [keyId(1)]); }],
    ["only another system's version 0 box", function () { return psshBox(0, OTHER_SYSTEM_ID, [], [1, 2, 3, 4]); }],
    ["only a version 0 Common SystemID box", function () { return psshBox(0, COMMON_SYSTEM_ID, []); }],
    ["a version 0 Common box and another system's version 1 box", function () {
      return concatBytes(psshBox(0, COMMON_SYSTEM_ID, []), psshBox(1, OTHER_SYSTEM_ID, [keyId(2)]));
    }],
    ["a box with the pre-2015 Clear Key SystemID 58147ec8-0423-4659-92e6-f52c5ce8c3cc", function () {
      return psshBox(1, new Uint8Array([0x58, 0x14, 0x7e, 0xc8, 0x04, 0x23, 0x46, 0x59, 0x92, 0xe6, 0xf5, 0x2c, 0x5c, 0xe8, 0xc3, 0xcc]), [keyId(1)]);
    }],
  ];
  unusableCenc.forEach(function (entry) {
    promise_test(rejectsOnFreshSession("NotSupportedError", "cenc", entry[1]), "cenc: " + entry[0] + " rejects with NotSupportedError");
  });

  // --- the data is copied and validated per type --------------------------------------------

  promise_test(rejectsOnFreshSession(TypeError, "keyids", function () { return cencInitData([keyId(1)]); }),
    "keyids: a cenc pssh box given as keyids rejects with TypeError");

  promise_test(function (t) {
    return createFreshSession(config).then(function (session) {
      return promise_rejects_js(t, TypeError, session.generateRequest("keyids", utf8Encode("{"))).then(function () {
        assert_equals(session.sessionId, "", "sessionId stays empty after a rejection");
        assert_equals(session.keyStatuses.size, 0, "no key statuses");
      });
    });
  }, "A rejected generateRequest() leaves sessionId empty");

  promise_test(function (t) {
    return createFreshSession(config).then(function (session) {
      var messages = 0;
      session.addEventListener("message", function () { messages++; });
      return promise_rejects_js(t, TypeError, session.generateRequest("cenc", new Uint8Array([1, 2, 3]))).then(function () {
        return nextTask(20);
      }).then(function () {
        assert_equals(messages, 0, "no message event");
      });
    });
  }, "A rejected generateRequest() fires no message event");
}
