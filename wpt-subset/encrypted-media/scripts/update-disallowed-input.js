// update() with responses that a Clear Key session must refuse, and the licences it accepts.
//
// Spec: an empty response → TypeError; a response that cannot be sanitized (unreasonable
// size: more than 64 KiB) or whose format is invalid in any way → TypeError; a licence whose
// stated type does not match the session type (e.g. "persistent-license" for a temporary
// session) → TypeError. Clear Key licence format: a UTF-8 (ASCII) JSON Web Key Set
// {"keys":[{"kty":"oct","k":<base64url key>,"kid":<base64url key id>}], "type"?}; key and key
// ID values are base64url without padding; keys are 128-bit AES keys. A rejected update
// changes no key status.

function runUpdateDisallowedInputTests(config) {
  function requested(numbers) {
    return createRequestedSession(config, "keyids", numbers.map(keyId)).then(function (r) { return r.session; });
  }

  function rejectsTypeError(makeResponse, numbers) {
    return function (t) {
      return requested(numbers || [1]).then(function (session) {
        var statusEvents = 0;
        session.addEventListener("keystatuseschange", function () { statusEvents++; });
        return promise_rejects_js(t, TypeError, callReturningPromise(function () { return session.update(makeResponse()); }, "update")).then(function () {
          assert_equals(session.keyStatuses.size, 0, "no key was added");
          return nextTask(10);
        }).then(function () {
          assert_equals(statusEvents, 0, "no keystatuseschange event");
        });
      });
    };
  }

  var kid = base64urlEncode(keyId(1));
  var k = base64urlEncode(contentKey(1));
  function one(key) { return jsonBytes({ keys: [key] }); }

  // --- empty and oversized ----------------------------------------------------------------

  [
    ["an empty Uint8Array", function () { return new Uint8Array(0); }],
    ["an empty ArrayBuffer", function () { return new ArrayBuffer(0); }],
    ["an empty DataView over a non-empty buffer", function () { return new DataView(jwkSet(keyPairs(1)).buffer, 3, 0); }],
  ].forEach(function (entry) {
    promise_test(rejectsTypeError(entry[1]), "update() with " + entry[0] + " rejects with TypeError");
  });

  promise_test(rejectsTypeError(function () {
    var big = padJsonTo(jwkSet(keyPairs(1)), 65537);
    assert_equals(big.length, 65537, "test data size");
    return big;
  }), "update() with a valid licence padded to 65537 bytes rejects with TypeError");

  promise_test(rejectsTypeError(function () {
    var pairs = [];
    for (var i = 0; i < 1200; i++) pairs.push({ kid: keyId(1000 + i), key: contentKey(i) });
    var set = jwkSet(pairs);
    assert_greater_than(set.length, 65536, "test data size");
    return set;
  }), "update() with a JWK Set of 1200 keys (more than 64 KiB) rejects with TypeError");

  // --- not ASCII / not JSON ---------------------------------------------------------------

  promise_test(rejectsTypeError(function () {
    var set = jwkSetObject(keyPairs(1));
    set.note = "caf\u00e9";
    return jsonBytes(set);
  }), "update() with a non-ASCII character in an extra member rejects with TypeError");

  promise_test(rejectsTypeError(function () {
    var valid = jwkSet(keyPairs(1));
    return concatBytes(valid.subarray(0, valid.length - 1), utf8Encode(",\"x\":\""), [0xff], utf8Encode("\"}"));
  }), "update() with a 0xFF byte inside a string rejects with TypeError");

  promise_test(rejectsTypeError(function () {
    return concatBytes(jwkSet(keyPairs(1)), [0x80]);
  }), "update() with a byte >= 0x80 after the JSON rejects with TypeError");

  promise_test(rejectsTypeError(function () {
    return new Uint8Array([0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77]);
  }), "update() with binary garbage bytes rejects with TypeError");

  [
    ["text that is not JSON", "this is not a licence"],
    ["truncated JSON", "{\"keys\":["],
    ["JSON with a trailing comma", "{\"keys\":[{\"kty\":\"oct\",\"k\":\"" + k + "\",\"kid\":\"" + kid + "\"},]}"],
    ["JSON followed by other text", "{\"keys\":[{\"kty\":\"oct\",\"k\":\"" + k + "\",\"kid\":\"" + kid + "\"}]} x"],
    ["a JSON array of keys", "[{\"kty\":\"oct\",\"k\":\"" + k + "\",\"kid\":\"" + kid + "\"}]"],
    ["a JSON string", "\"" + k + "\""],
    ["JSON null", "null"],
    ["a JSON number", "16"],
  ].forEach(function (entry) {
    promise_test(rejectsTypeError(function () { return utf8Encode(entry[1]); }), "update() with " + entry[0] + " rejects with TypeError");
  });

  // --- keys member --------------------------------------------------------------------------

  [
    ["an empty object", {}],
    ["no keys member", { type: "temporary" }],
    ["an empty keys array", { keys: [] }],
    ["keys as an object", { keys: { kty: "oct", k: k, kid: kid } }],
    ["keys as a string", { keys: "oct" }],
    ["keys as null", { keys: null }],
    ["a key that is not an object", { keys: ["oct"] }],
    ["a key that is null", { keys: [null] }],
    ["a release message ({\"kids\":[...]}) on a temporary session", { kids: [kid] }],
  ].forEach(function (entry) {
    promise_test(rejectsTypeError(function () { return jsonBytes(entry[1]); }), "update() with " + entry[0] + " rejects with TypeError");
  });

  // --- kty ----------------------------------------------------------------------------------

  [
    ["kty missing", { k: k, kid: kid }],
    ["kty \"OCT\"", { kty: "OCT", k: k, kid: kid }],
    ["kty \"Oct\"", { kty: "Oct", k: k, kid: kid }],
    ["kty \"RSA\"", { kty: "RSA", k: k, kid: kid }],
    ["kty \"EC\"", { kty: "EC", k: k, kid: kid }],
    ["kty \"\"", { kty: "", k: k, kid: kid }],
    ["kty \"oct \"", { kty: "oct ", k: k, kid: kid }],
    ["kty as a number", { kty: 1, k: k, kid: kid }],
    ["kty as an array", { kty: ["oct"], k: k, kid: kid }],
  ].forEach(function (entry) {
    promise_test(rejectsTypeError(function () { return one(entry[1]); }), "update() with " + entry[0] + " rejects with TypeError");
  });

  // --- k / kid encoding ---------------------------------------------------------------------

  var plusSlashKey = new Uint8Array([0xfb, 0xff, 0xbf, 0xfb, 0xef, 0xfe, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  var plusSlashKid = new Uint8Array([0xff, 0xef, 0xfb, 0xbf, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  [
    ["k missing", function () { return { kty: "oct", kid: kid }; }],
    ["kid missing", function () { return { kty: "oct", k: k }; }],
    ["an empty k", function () { return { kty: "oct", k: "", kid: kid }; }],
    ["an empty kid", function () { return { kty: "oct", k: k, kid: "" }; }],
    ["k as a number", function () { return { kty: "oct", k: 5, kid: kid }; }],
    ["kid as an array", function () { return { kty: "oct", k: k, kid: [kid] }; }],
    ["a padded k (\"==\")", function () { return { kty: "oct", k: base64Encode(contentKey(1)), kid: kid }; }],
    ["a padded kid (\"==\")", function () { return { kty: "oct", k: k, kid: kid + "==" }; }],
    ["a k with a single \"=\"", function () { return { kty: "oct", k: k + "=", kid: kid }; }],
    ["a k in the standard base64 alphabet ('+' '/')", function () {
      var std = base64Encode(plusSlashKey).replace(/=+$/, "");
      assert_regexp_match(std, /[+\/]/, "test data uses + or /");
      return { kty: "oct", k: std, kid: kid };
    }],
    ["a kid in the standard base64 alphabet ('+' '/')", function () {
      var std = base64Encode(plusSlashKid).replace(/=+$/, "");
      assert_regexp_match(std, /[+\/]/, "test data uses + or /");
      return { kty: "oct", k: k, kid: std };
    }],
    ["a k with a character outside base64url", function () { return { kty: "oct", k: k.slice(0, -1) + "*", kid: kid }; }],
    ["a k containing a space", function () { return { kty: "oct", k: k.slice(0, 10) + " " + k.slice(10), kid: kid }; }],
    ["a k whose length is 1 mod 4", function () { return { kty: "oct", k: k + "A", kid: kid }; }],
  ].forEach(function (entry) {
    promise_test(rejectsTypeError(function () { return one(entry[1]()); }), "update() with " + entry[0] + " rejects with TypeError");
  });

  // --- key length ---------------------------------------------------------------------------

  [1, 8, 15, 17, 24, 32].forEach(function (n) {
    promise_test(rejectsTypeError(function () {
      return one({ kty: "oct", k: base64urlEncode(patternBytes(n, 1)), kid: kid });
    }), "update() with a " + n + "-byte key rejects with TypeError");
  });

  promise_test(rejectsTypeError(function () {
    return one({ kty: "oct", k: k, kid: base64urlEncode(patternBytes(513, 2)) });
  }), "update() with a 513-byte key ID rejects with TypeError");

  promise_test(rejectsTypeError(function () {
    return jsonBytes({ keys: [
      { kty: "oct", k: k, kid: kid },
      { kty: "oct", k: base64urlEncode(patternBytes(15, 2)), kid: base64urlEncode(keyId(2)) },
    ] });
  }, [1, 2]), "update() whose second key is invalid rejects with TypeError and adds neither key");

  // --- type ---------------------------------------------------------------------------------

  [
    ["\"persistent-license\"", "persistent-license"],
    ["an unknown type", "foo"],
    ["\"Temporary\" (case differs)", "Temporary"],
    ["\"\"", ""],
  ].forEach(function (entry) {
    promise_test(rejectsTypeError(function () { return jwkSet(keyPairs(1), entry[1]); }),
      "update() with type " + entry[0] + " on a temporary session rejects with TypeError");
  });

  promise_test(rejectsTypeError(function () {
    var set = jwkSetObject(keyPairs(1));
    set.type = 1;
    return jsonBytes(set);
  }), "update() with a non-string type rejects with TypeError");

  // --- what is accepted -----------------------------------------------------------------------

  promise_test(function (t) {
    return requested([1]).then(function (session) {
      var rejections = [utf8Encode("{"), one({ kty: "OCT", k: k, kid: kid }), jwkSet(keyPairs(1), "persistent-license")];
      var chain = Promise.resolve();
      rejections.forEach(function (bad) {
        chain = chain.then(function () { return promise_rejects_js(t, TypeError, session.update(bad)); });
      });
      return chain.then(function () {
        return session.update(jwkSet(keyPairs(1)));
      }).then(function () {
        assert_equals(session.keyStatuses.get(keyId(1)), "usable", "key usable");
      });
    });
  }, "After rejected updates the session still accepts a valid licence");

  [
    ["without a type", function () { return jwkSet(keyPairs(1)); }],
    ["with type \"temporary\"", function () { return jwkSet(keyPairs(1), "temporary"); }],
    ["with extra members in the set and in the key", function () {
      var set = jwkSetObject(keyPairs(1));
      set.extra = { nested: [1, 2, 3] };
      set.keys[0].alg = "A128KW";
      set.keys[0].use = "enc";
      return jsonBytes(set);
    }],
    ["padded with spaces to exactly 65536 bytes", function () {
      var b = padJsonTo(jwkSet(keyPairs(1)), 65536);
      assert_equals(b.length, 65536, "test data size");
      return b;
    }],
    ["given as an ArrayBuffer", function () { return jwkSet(keyPairs(1)).buffer; }],
    ["given as a DataView with an offset", function () {
      var l = jwkSet(keyPairs(1));
      var framed = concatBytes([0x5b, 0x5b], l, [0x5d]);
      return new DataView(framed.buffer, 2, l.length);
    }],
  ].forEach(function (entry) {
    promise_test(function () {
      return requested([1]).then(function (session) {
        return session.update(entry[1]()).then(function (value) {
          assert_equals(value, undefined, "resolution value");
          assert_equals(session.keyStatuses.size, 1, "size");
          assert_equals(session.keyStatuses.get(keyId(1)), "usable", "status");
        });
      });
    }, "update() with a valid licence " + entry[0] + " resolves and the key is usable");
  });
}
