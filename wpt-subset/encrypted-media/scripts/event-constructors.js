// The MediaKeyMessageEvent and MediaEncryptedEvent constructors.
//
// IDL (EME): MediaKeyMessageEvent(DOMString type, MediaKeyMessageEventInit eventInitDict) with
// required members messageType (MediaKeyMessageType) and message (ArrayBuffer);
// MediaEncryptedEvent(DOMString type, optional MediaEncryptedEventInit eventInitDict = {})
// with initDataType (default "") and initData (ArrayBuffer?, default null). Both inherit
// EventInit (bubbles, cancelable, composed). Script-created events are not trusted.

function runEventConstructorTests() {
  var buffer = new Uint8Array([1, 2, 3]).buffer;

  ["license-request", "license-renewal", "license-release", "individualization-request"].forEach(function (messageType) {
    test(function () {
      var e = new MediaKeyMessageEvent("message", { messageType: messageType, message: buffer });
      assert_true(e instanceof MediaKeyMessageEvent, "instanceof MediaKeyMessageEvent");
      assert_true(e instanceof Event, "instanceof Event");
      assert_equals(e.type, "message", "type");
      assert_equals(e.messageType, messageType, "messageType");
      assert_equals(e.message, buffer, "message is the given ArrayBuffer");
      assert_false(e.bubbles, "bubbles");
      assert_false(e.cancelable, "cancelable");
      assert_false(e.isTrusted, "isTrusted");
    }, "new MediaKeyMessageEvent(\"message\", {messageType: \"" + messageType + "\", message}) exposes its members");
  });

  test(function () {
    var e = new MediaKeyMessageEvent("custom", { messageType: "license-request", message: buffer, bubbles: true, cancelable: true });
    assert_equals(e.type, "custom", "type");
    assert_true(e.bubbles, "bubbles");
    assert_true(e.cancelable, "cancelable");
  }, "MediaKeyMessageEvent takes any type and the EventInit members");

  test(function () {
    var e = new MediaKeyMessageEvent(42, { messageType: "license-request", message: buffer });
    assert_equals(e.type, "42", "type");
  }, "MediaKeyMessageEvent converts its type with ToString");

  [
    ["no arguments", function () { return new MediaKeyMessageEvent(); }],
    ["no init dictionary", function () { return new MediaKeyMessageEvent("message"); }],
    ["an empty init dictionary", function () { return new MediaKeyMessageEvent("message", {}); }],
    ["messageType missing", function () { return new MediaKeyMessageEvent("message", { message: buffer }); }],
    ["message missing", function () { return new MediaKeyMessageEvent("message", { messageType: "license-request" }); }],
    ["a messageType outside the enumeration", function () { return new MediaKeyMessageEvent("message", { messageType: "bogus", message: buffer }); }],
    ["a messageType with different case", function () { return new MediaKeyMessageEvent("message", { messageType: "License-Request", message: buffer }); }],
    ["a Uint8Array message (not an ArrayBuffer)", function () { return new MediaKeyMessageEvent("message", { messageType: "license-request", message: new Uint8Array(4) }); }],
    ["a DataView message (not an ArrayBuffer)", function () { return new MediaKeyMessageEvent("message", { messageType: "license-request", message: new DataView(new ArrayBuffer(4)) }); }],
    ["a null message", function () { return new MediaKeyMessageEvent("message", { messageType: "license-request", message: null }); }],
    ["a string message", function () { return new MediaKeyMessageEvent("message", { messageType: "license-request", message: "abc" }); }],
    ["an init that is not a dictionary", function () { return new MediaKeyMessageEvent("message", 5); }],
    ["called without new", function () { return MediaKeyMessageEvent("message", { messageType: "license-request", message: buffer }); }],
  ].forEach(function (entry) {
    test(function () {
      assert_throws_js(TypeError, entry[1]);
    }, "MediaKeyMessageEvent with " + entry[0] + " throws TypeError");
  });

  test(function () {
    var data = new Uint8Array([0, 0, 0, 8]).buffer;
    var e = new MediaEncryptedEvent("encrypted", { initDataType: "cenc", initData: data });
    assert_true(e instanceof MediaEncryptedEvent, "instanceof MediaEncryptedEvent");
    assert_true(e instanceof Event, "instanceof Event");
    assert_equals(e.type, "encrypted", "type");
    assert_equals(e.initDataType, "cenc", "initDataType");
    assert_equals(e.initData, data, "initData is the given ArrayBuffer");
    assert_false(e.isTrusted, "isTrusted");
  }, "new MediaEncryptedEvent(\"encrypted\", {initDataType, initData}) exposes its members");

  [
    ["no init dictionary", function () { return new MediaEncryptedEvent("encrypted"); }],
    ["an empty init dictionary", function () { return new MediaEncryptedEvent("encrypted", {}); }],
    ["an undefined init dictionary", function () { return new MediaEncryptedEvent("encrypted", undefined); }],
    ["a null init dictionary", function () { return new MediaEncryptedEvent("encrypted", null); }],
  ].forEach(function (entry) {
    test(function () {
      var e = entry[1]();
      assert_equals(e.initDataType, "", "initDataType");
      assert_equals(e.initData, null, "initData");
      assert_false(e.bubbles, "bubbles");
      assert_false(e.cancelable, "cancelable");
    }, "MediaEncryptedEvent with " + entry[0] + " has initDataType \"\" and initData null");
  });

  test(function () {
    var e = new MediaEncryptedEvent("encrypted", { initDataType: "webm", initData: null });
    assert_equals(e.initData, null, "initData");
    assert_equals(e.initDataType, "webm", "initDataType");
  }, "MediaEncryptedEvent accepts an explicit null initData");

  test(function () {
    var e = new MediaEncryptedEvent("encrypted", { initDataType: "anything at all" });
    assert_equals(e.initDataType, "anything at all", "initDataType is not validated");
  }, "MediaEncryptedEvent does not validate initDataType");

  test(function () {
    var e = new MediaEncryptedEvent("encrypted", { bubbles: true, cancelable: true });
    assert_true(e.bubbles, "bubbles");
    assert_true(e.cancelable, "cancelable");
  }, "MediaEncryptedEvent takes the EventInit members");

  [
    ["no arguments", function () { return new MediaEncryptedEvent(); }],
    ["a Uint8Array initData (not an ArrayBuffer)", function () { return new MediaEncryptedEvent("encrypted", { initData: new Uint8Array(2) }); }],
    ["a string initData", function () { return new MediaEncryptedEvent("encrypted", { initData: "data" }); }],
    ["an init that is not a dictionary", function () { return new MediaEncryptedEvent("encrypted", "cenc"); }],
    ["called without new", function () { return MediaEncryptedEvent("encrypted"); }],
  ].forEach(function (entry) {
    test(function () {
      assert_throws_js(TypeError, entry[1]);
    }, "MediaEncryptedEvent with " + entry[0] + " throws TypeError");
  });

  test(function () {
    var target = new EventTarget();
    var got = null;
    target.addEventListener("encrypted", function (e) { got = e; });
    var e = new MediaEncryptedEvent("encrypted", { initDataType: "keyids", initData: new ArrayBuffer(1) });
    assert_true(target.dispatchEvent(e), "dispatchEvent");
    assert_equals(got, e, "listener got the event");
    assert_equals(got.target, target, "target");
  }, "A MediaEncryptedEvent can be dispatched at an EventTarget");
}
