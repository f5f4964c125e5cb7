// generateRequest() with valid initialization data for each Clear Key init data type, the
// sessionId it produces, and the BufferSource forms the init data may take.
//
// Spec: on success the queued task sets sessionId (Clear Key: a decimal number representable
// by a 32-bit integer; unique within the browsing context), makes the session callable and
// resolves the promise with undefined. The init data is copied when the method is called.

function runGenerateRequestValidInputTests(config) {
  function requestText(initDataType, initData) {
    return createFreshSession(config).then(function (session) {
      var message = waitForEvent(session, "message");
      return session.generateRequest(initDataType, initData).then(function () { return message; });
    }).then(function (event) { return utf8Decode(event.message); });
  }

  // --- each type resolves -----------------------------------------------------------------

  config.initDataTypes.forEach(function (type) {
    promise_test(function () {
      return createFreshSession(config).then(function (session) {
        var p = session.generateRequest(type, config.initData(type, [keyId(1)]));
        assert_true(p instanceof Promise, "returns a Promise");
        assert_equals(session.sessionId, "", "sessionId is still empty right after the call");
        return p.then(function (value) {
          assert_equals(value, undefined, "resolution value");
          assert_not_equals(session.sessionId, "", "sessionId is set when the promise resolves");
        });
      });
    }, type + ": valid init data resolves with undefined and sets sessionId");
  });

  // --- sessionId ------------------------------------------------------------------------------

  config.initDataTypes.forEach(function (type) {
    promise_test(function () {
      return createFreshSession(config).then(function (session) {
        return session.generateRequest(type, config.initData(type, [keyId(2)])).then(function () {
          var id = session.sessionId;
          assert_regexp_match(id, /^[0-9]+$/, "decimal digits only");
          assert_equals(String(Number(id)), id, "a canonical decimal number (no leading zeros)");
          assert_less_than_equal(Number(id), 4294967295, "representable by a 32-bit integer");
          assert_equals(session.sessionId, id, "stable on the next read");
        });
      });
    }, type + ": sessionId is a non-empty decimal string representable by a 32-bit integer");
  });

  promise_test(function () {
    var sessions = [];
    return createMediaKeysFor(config).then(function (mediaKeys) {
      var calls = [];
      for (var i = 0; i < 6; i++) {
        var s = mediaKeys.createSession();
        sessions.push(s);
        var type = config.initDataTypes[i % config.initDataTypes.length];
        calls.push(s.generateRequest(type, config.initData(type, [keyId(10 + i)])));
      }
      return Promise.all(calls);
    }).then(function () {
      return createFreshSession(config);
    }).then(function (other) {
      sessions.push(other);
      return other.generateRequest("keyids", keyIdsInitData([keyId(10)]));
    }).then(function () {
      var ids = sessions.map(function (s) { return s.sessionId; });
      assert_equals(new Set(ids).size, ids.length, "all sessionIds differ: " + ids.join(","));
    });
  }, "sessionIds are unique across sessions of one and of different MediaKeys");

  // --- accepted variants ----------------------------------------------------------------------

  var kid = base64urlEncode(keyId(4));
  var goodVariants = [
    ["keyids", "with whitespace and an extra member", function () {
      return keyIdsText("{ \"extra\": {\"a\": [1, 2]},\n  \"kids\" : [ \"" + kid + "\" ] }");
    }, [keyId(4)]],
    ["keyids", "with three key IDs", function () { return keyIdsInitData([keyId(3), keyId(1), keyId(2)]); }, [keyId(3), keyId(1), keyId(2)]],
    ["keyids", "with a 1-byte key ID", function () { return keyIdsInitData([[7]]); }, [[7]]],
    ["keyids", "with a 512-byte key ID", function () { return keyIdsInitData([patternBytes(512, 3)]); }, [patternBytes(512, 3)]],
    ["keyids", "of exactly 65536 bytes", function () {
      var d = padJsonTo(keyIdsInitData([keyId(5)]), 65536);
      assert_equals(d.length, 65536, "test data size");
      return d;
    }, [keyId(5)]],
    ["cenc", "with two KIDs", function () { return cencInitData([keyId(1), keyId(2)]); }, [keyId(1), keyId(2)]],
    ["cenc", "after other systems' boxes", function () {
      return concatBytes(psshBox(0, OTHER_SYSTEM_ID, [], [1, 2, 3, 4]), psshBox(1, OTHER_SYSTEM_ID, [keyId(9)]), cencInitData([keyId(5)]));
    }, [keyId(5)]],
    ["cenc", "before another system's box", function () {
      return concatBytes(cencInitData([keyId(6)]), psshBox(1, OTHER_SYSTEM_ID, [keyId(9)]));
    }, [keyId(6)]],
    ["cenc", "with non-zero DataSize (the Data is ignored)", function () {
      return psshBox(1, COMMON_SYSTEM_ID, [keyId(7)], [0xde, 0xad, 0xbe, 0xef]);
    }, [keyId(7)]],
    ["cenc", "the registry's example box (KIDs \"0123456789012345\", \"ABCDEFGHIJKLMNOP\")", function () {
      return cencInitData([utf8Encode("0123456789012345"), utf8Encode("ABCDEFGHIJKLMNOP")]);
    }, [utf8Encode("0123456789012345"), utf8Encode("ABCDEFGHIJKLMNOP")]],
    ["webm", "with a 1-byte key ID", function () { return new Uint8Array([0x42]); }, [[0x42]]],
    ["webm", "with a 512-byte key ID", function () { return patternBytes(512, 9); }, [patternBytes(512, 9)]],
  ];
  goodVariants.forEach(function (entry) {
    promise_test(function () {
      return requestText(entry[0], entry[2]()).then(function (text) {
        assert_equals(text, expectedLicenceRequest(entry[3]), "licence request");
      });
    }, entry[0] + ": init data " + entry[1] + " is accepted and its key IDs requested");
  });

  // --- BufferSource forms ---------------------------------------------------------------------

  var data = keyIdsInitData([keyId(8)]);
  var framed = new Uint8Array(data.length + 10);
  framed.fill(0x7b); // "{" bytes around the real data would break the JSON if they were read
  framed.set(data, 5);
  [
    ["a Uint8Array", function () { return data.slice(); }],
    ["an ArrayBuffer", function () { return data.slice().buffer; }],
    ["a DataView", function () { return new DataView(data.slice().buffer); }],
    ["an Int8Array", function () { return new Int8Array(data.slice().buffer); }],
    ["a Uint8Array view with an offset", function () { return framed.subarray(5, 5 + data.length); }],
    ["a DataView with an offset", function () { return new DataView(framed.buffer, 5, data.length); }],
  ].forEach(function (entry) {
    promise_test(function () {
      return requestText("keyids", entry[1]()).then(function (text) {
        assert_equals(text, expectedLicenceRequest([keyId(8)]), "licence request");
      });
    }, "keyids init data given as " + entry[0] + " is read exactly");
  });

  promise_test(function () {
    var bytes = keyIdsInitData([keyId(9)]);
    return createFreshSession(config).then(function (session) {
      var message = waitForEvent(session, "message");
      var p = session.generateRequest("keyids", bytes);
      bytes.fill(0x20); // overwrite with spaces right after the call
      return p.then(function () { return message; });
    }).then(function (event) {
      assert_equals(utf8Decode(event.message), expectedLicenceRequest([keyId(9)]), "request uses the bytes at call time");
    });
  }, "Init data is copied when generateRequest() is called");
}
