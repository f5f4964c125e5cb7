// The licence request: the "message" event that follows a successful generateRequest().
//
// Spec: the message is a MediaKeyMessageEvent (trusted, not bubbling, not cancelable) with
// messageType "license-request" and an ArrayBuffer message. Clear Key's licence request
// format is the UTF-8 JSON {"kids":[<base64url key IDs>],"type":<session type>}, base64url
// without padding. generateRequest()'s promise is resolved first, then the message event is
// queued, so the promise reactions run before the event.

function runLicenseRequestMessageTests(config) {
  function firstMessage(initDataType, kids) {
    return createFreshSession(config).then(function (session) {
      var message = waitForEvent(session, "message");
      return session.generateRequest(initDataType, config.initData(initDataType, kids)).then(function () {
        return message;
      }).then(function (event) { return { session: session, event: event }; });
    });
  }

  config.initDataTypes.forEach(function (type) {
    promise_test(function () {
      return firstMessage(type, [keyId(1)]).then(function (r) {
        var e = r.event;
        assert_true(e instanceof MediaKeyMessageEvent, "a MediaKeyMessageEvent");
        assert_true(e instanceof Event, "an Event");
        assert_equals(e.type, "message", "type");
        assert_equals(e.messageType, "license-request", "messageType");
        assert_equals(e.target, r.session, "target");
        assert_equals(e.currentTarget, null, "currentTarget after dispatch");
        assert_true(e.isTrusted, "isTrusted");
        assert_false(e.bubbles, "bubbles");
        assert_false(e.cancelable, "cancelable");
      });
    }, type + ": the message event is a trusted MediaKeyMessageEvent with messageType \"license-request\"");

    promise_test(function () {
      return firstMessage(type, [keyId(1)]).then(function (r) {
        assert_true(r.event.message instanceof ArrayBuffer, "message is an ArrayBuffer");
        assert_equals(utf8Decode(r.event.message), expectedLicenceRequest([keyId(1)]), "licence request text");
        assert_bytes_equal(r.event.message, utf8Encode(expectedLicenceRequest([keyId(1)])), "licence request bytes");
      });
    }, type + ": the message is exactly {\"kids\":[\"<key id>\"],\"type\":\"temporary\"} in UTF-8");

    promise_test(function () {
      return createFreshSession(config).then(function (session) {
        var log = [];
        session.addEventListener("message", function () { log.push("message"); });
        var message = waitForEvent(session, "message");
        var p = session.generateRequest(type, config.initData(type, [keyId(2)]));
        log.push("called");
        p.then(function () {
          log.push("resolved");
          Promise.resolve().then(function () { log.push("chained reaction"); });
        });
        return message.then(function () {
          assert_array_equals(log, ["called", "resolved", "chained reaction", "message"], "order");
        });
      });
    }, type + ": generateRequest()'s promise resolves (and its reactions run) before the message event");
  });

  promise_test(function () {
    var kid = new Uint8Array([0xfb, 0xff, 0xbf, 0xfb, 0xef, 0xfe, 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09]);
    return firstMessage("keyids", [kid]).then(function (r) {
      assert_equals(utf8Decode(r.event.message), "{\"kids\":[\"-_-_--_-AAECAwQFBgcICQ\"],\"type\":\"temporary\"}", "text");
    });
  }, "Key IDs in the request are base64url ('-' and '_') without '=' padding");

  promise_test(function () {
    var kids = [keyId(3), keyId(1), keyId(2)];
    return firstMessage("keyids", kids).then(function (r) {
      assert_equals(utf8Decode(r.event.message), expectedLicenceRequest(kids), "text");
    });
  }, "keyids: the request lists the key IDs in the init data's order");

  promise_test(function () {
    var kids = [keyId(6), keyId(5)];
    return firstMessage("cenc", kids).then(function (r) {
      assert_equals(utf8Decode(r.event.message), expectedLicenceRequest(kids), "text");
    });
  }, "cenc: the request lists the box's KIDs in order");

  promise_test(function () {
    return firstMessage("webm", [patternBytes(20, 1)]).then(function (r) {
      assert_equals(utf8Decode(r.event.message), expectedLicenceRequest([patternBytes(20, 1)]), "text");
    });
  }, "webm: the whole init data is the single key ID of the request (20 bytes)");

  promise_test(function () {
    var text = "{\"extra\":true, \"kids\" : [\"" + base64urlEncode(keyId(4)) + "\"]  }";
    return createFreshSession(config).then(function (session) {
      var message = waitForEvent(session, "message");
      return session.generateRequest("keyids", keyIdsText(text)).then(function () { return message; });
    }).then(function (event) {
      assert_equals(utf8Decode(event.message), expectedLicenceRequest([keyId(4)]), "text");
    });
  }, "keyids: extra members and whitespace of the init data do not reach the request");

  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      var count = 0;
      session.addEventListener("message", function () { count++; });
      return session.generateRequest("keyids", keyIdsInitData([keyId(1), keyId(2)])).then(function () {
        return nextTask(30);
      }).then(function () {
        assert_equals(count, 1, "number of message events");
      });
    });
  }, "generateRequest() fires exactly one message event");

  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      var idAtEvent = null;
      var message = new Promise(function (resolve) {
        session.onmessage = function (e) { idAtEvent = session.sessionId; resolve(e); };
      });
      return session.generateRequest("keyids", keyIdsInitData([keyId(1)])).then(function () {
        var idAtResolve = session.sessionId;
        return message.then(function () {
          assert_not_equals(idAtResolve, "", "sessionId at resolution");
          assert_equals(idAtEvent, idAtResolve, "sessionId already set when the message event fires");
        });
      });
    });
  }, "sessionId is set before both the promise reactions and the message event");

  promise_test(function () {
    return firstMessage("keyids", [keyId(1)]).then(function (r) {
      var first = r.event.message;
      var second = r.event.message;
      assert_equals(first, second, "message returns the same ArrayBuffer on each read");
      assert_equals(first.byteLength, utf8Encode(expectedLicenceRequest([keyId(1)])).length, "byteLength");
    });
  }, "The message attribute returns the same ArrayBuffer on each read");

  promise_test(function () {
    return createMediaKeysFor(config).then(function (mediaKeys) {
      var a = mediaKeys.createSession();
      var b = mediaKeys.createSession();
      var ma = waitForEvent(a, "message");
      var mb = waitForEvent(b, "message");
      return Promise.all([
        a.generateRequest("keyids", keyIdsInitData([keyId(1)])),
        b.generateRequest("cenc", cencInitData([keyId(2)])),
      ]).then(function () { return Promise.all([ma, mb]); });
    }).then(function (events) {
      assert_equals(utf8Decode(events[0].message), expectedLicenceRequest([keyId(1)]), "first session");
      assert_equals(utf8Decode(events[1].message), expectedLicenceRequest([keyId(2)]), "second session");
    });
  }, "Each session sends the request for its own init data");
}
