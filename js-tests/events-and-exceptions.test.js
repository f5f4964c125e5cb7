// Event constructors (Event, MediaKeyMessageEvent, MediaEncryptedEvent), EventTarget dispatch
// and DOMException.
// Specs: https://dom.spec.whatwg.org/#interface-event, #interface-eventtarget,
//        https://webidl.spec.whatwg.org/#idl-DOMException,
//        https://w3c.github.io/encrypted-media/#mediakeymessageevent, #mediaencryptedevent

test("new MediaKeyMessageEvent(type, {messageType, message}) exposes its fields", function () {
  var buffer = new Uint8Array([1, 2, 3]).buffer;
  var types = ["license-request", "license-renewal", "license-release", "individualization-request"];
  types.forEach(function (messageType) {
    var event = new MediaKeyMessageEvent("message", { messageType: messageType, message: buffer });
    assert(event instanceof MediaKeyMessageEvent, "instance of MediaKeyMessageEvent");
    assert(event instanceof Event, "instance of Event");
    assertEquals(event.type, "message", "type");
    assertEquals(event.messageType, messageType, "messageType");
    assertEquals(event.message, buffer, "message is the given ArrayBuffer");
    assertEquals(event.bubbles, false, "bubbles");
    assertEquals(event.cancelable, false, "cancelable");
    assertEquals(event.isTrusted, false, "isTrusted for a script-created event");
  });
  var custom = new MediaKeyMessageEvent("custom", { messageType: "license-request", message: buffer, bubbles: true, cancelable: true });
  assertEquals(custom.type, "custom", "custom type");
  assertEquals(custom.bubbles, true, "bubbles from the init dictionary");
  assertEquals(custom.cancelable, true, "cancelable from the init dictionary");
});

test("MediaKeyMessageEvent requires messageType and an ArrayBuffer message", function () {
  var buffer = new ArrayBuffer(4);
  assertThrows(TypeError, function () { new MediaKeyMessageEvent("message", { messageType: "license-request" }); }, "missing message");
  assertThrows(TypeError, function () { new MediaKeyMessageEvent("message", { message: buffer }); }, "missing messageType");
  assertThrows(TypeError, function () { new MediaKeyMessageEvent("message", {}); }, "empty dictionary");
  assertThrows(TypeError, function () { new MediaKeyMessageEvent("message"); }, "no dictionary");
  assertThrows(TypeError, function () { new MediaKeyMessageEvent(); }, "no arguments");
  assertThrows(TypeError, function () { new MediaKeyMessageEvent("message", { messageType: "bogus", message: buffer }); }, "messageType outside the enum");
  assertThrows(TypeError, function () { new MediaKeyMessageEvent("message", { messageType: "license-request", message: new Uint8Array(4) }); }, "a Uint8Array is not an ArrayBuffer");
  assertThrows(TypeError, function () { new MediaKeyMessageEvent("message", { messageType: "license-request", message: null }); }, "null message");
  assertThrows(TypeError, function () { MediaKeyMessageEvent("message", { messageType: "license-request", message: buffer }); }, "called without new");
});

test("new MediaEncryptedEvent(type, {initDataType, initData}) and its defaults", function () {
  var data = new Uint8Array([0, 0, 0, 8]).buffer;
  var event = new MediaEncryptedEvent("encrypted", { initDataType: "cenc", initData: data });
  assert(event instanceof MediaEncryptedEvent, "instance of MediaEncryptedEvent");
  assert(event instanceof Event, "instance of Event");
  assertEquals(event.type, "encrypted", "type");
  assertEquals(event.initDataType, "cenc", "initDataType");
  assertEquals(event.initData, data, "initData is the given ArrayBuffer");
  var plain = new MediaEncryptedEvent("encrypted");
  assertEquals(plain.initDataType, "", "default initDataType");
  assertEquals(plain.initData, null, "default initData");
  assertEquals(plain.bubbles, false, "default bubbles");
  assertEquals(plain.cancelable, false, "default cancelable");
  var empty = new MediaEncryptedEvent("encrypted", {});
  assertEquals(empty.initDataType, "", "initDataType with {}");
  assertEquals(empty.initData, null, "initData with {}");
  var explicitNull = new MediaEncryptedEvent("encrypted", { initDataType: "webm", initData: null });
  assertEquals(explicitNull.initData, null, "explicit null initData");
  assertThrows(TypeError, function () { new MediaEncryptedEvent(); }, "no type");
  assertThrows(TypeError, function () { new MediaEncryptedEvent("encrypted", { initData: new Uint8Array(2) }); }, "a Uint8Array is not an ArrayBuffer");
});

test("Event basics: type, bubbles/cancelable defaults, preventDefault, defaultPrevented", function () {
  var e = new Event("ping");
  assertEquals(e.type, "ping", "type");
  assertEquals(e.bubbles, false, "bubbles default");
  assertEquals(e.cancelable, false, "cancelable default");
  assertEquals(e.defaultPrevented, false, "defaultPrevented initially");
  assertEquals(e.isTrusted, false, "isTrusted");
  assertEquals(e.target, null, "target before dispatch");
  e.preventDefault();
  assertEquals(e.defaultPrevented, false, "preventDefault on a non-cancelable event does nothing");

  var c = new Event("pong", { bubbles: true, cancelable: true });
  assertEquals(c.bubbles, true, "bubbles from init");
  assertEquals(c.cancelable, true, "cancelable from init");
  c.preventDefault();
  assertEquals(c.defaultPrevented, true, "preventDefault on a cancelable event");

  assertEquals(new Event(42).type, "42", "type is converted to a string");
  assertThrows(TypeError, function () { new Event(); }, "new Event() without a type");
  assertThrows(TypeError, function () { Event("x"); }, "Event called without new");
});

test("EventTarget is constructible and subclassable", function () {
  var t = new EventTarget();
  assert(t instanceof EventTarget, "new EventTarget()");
  class Emitter extends EventTarget {
    constructor() {
      super();
      this.count = 0;
    }
    ping() {
      this.dispatchEvent(new Event("ping"));
    }
  }
  var em = new Emitter();
  assert(em instanceof Emitter && em instanceof EventTarget, "subclass instance");
  assertEquals(Object.getPrototypeOf(em), Emitter.prototype, "prototype chain");
  em.addEventListener("ping", function () { this.count++; });
  em.ping();
  em.ping();
  assertEquals(em.count, 2, "listener on a subclass instance runs with this = the instance");
  assertThrows(TypeError, function () { EventTarget(); }, "EventTarget called without new");
});

test("listeners run in registration order; the same listener is added once", function () {
  var t = new EventTarget();
  var log = [];
  function a() { log.push("a"); }
  function b() { log.push("b"); }
  function c() { log.push("c"); }
  t.addEventListener("x", a);
  t.addEventListener("x", b);
  t.addEventListener("x", a); // duplicate: ignored
  t.addEventListener("x", c);
  t.addEventListener("y", a);
  t.dispatchEvent(new Event("x"));
  assertArrayEquals(log, ["a", "b", "c"], "order");
});

test("removeEventListener removes only the matching listener", function () {
  var t = new EventTarget();
  var log = [];
  function a() { log.push("a"); }
  function b() { log.push("b"); }
  t.addEventListener("x", a);
  t.addEventListener("x", b);
  t.removeEventListener("x", a);
  t.removeEventListener("y", b); // other type: no effect
  t.removeEventListener("x", function () {}); // unknown listener: no effect
  t.dispatchEvent(new Event("x"));
  assertArrayEquals(log, ["b"], "after removing a");
});

test("a listener removed during dispatch is not called", function () {
  var t = new EventTarget();
  var log = [];
  function second() { log.push("second"); }
  t.addEventListener("x", function () { log.push("first"); t.removeEventListener("x", second); });
  t.addEventListener("x", second);
  t.dispatchEvent(new Event("x"));
  assertArrayEquals(log, ["first"], "removed listener skipped");
});

test("once: the listener runs a single time", function () {
  var t = new EventTarget();
  var calls = 0;
  t.addEventListener("x", function () { calls++; }, { once: true });
  t.dispatchEvent(new Event("x"));
  t.dispatchEvent(new Event("x"));
  assertEquals(calls, 1, "calls");
});

test("handleEvent objects are called with this = the object", function () {
  var t = new EventTarget();
  var received = null;
  var listener = {
    handleEvent: function (event) { received = { self: this, event: event }; },
  };
  t.addEventListener("x", listener);
  var e = new Event("x");
  t.dispatchEvent(e);
  assert(received !== null, "handleEvent called");
  assertEquals(received.self, listener, "this");
  assertEquals(received.event, e, "event argument");
});

test("event target and currentTarget during and after dispatch", function () {
  var t = new EventTarget();
  var during = null;
  t.addEventListener("x", function (event) { during = { target: event.target, current: event.currentTarget, self: this }; });
  var e = new Event("x");
  t.dispatchEvent(e);
  assertEquals(during.target, t, "target during dispatch");
  assertEquals(during.current, t, "currentTarget during dispatch");
  assertEquals(during.self, t, "this in a function listener");
  assertEquals(e.target, t, "target after dispatch");
  assertEquals(e.currentTarget, null, "currentTarget after dispatch");
});

test("a throwing listener does not stop the next one, and the error is reported", function () {
  // HTML "report an exception" fires a cancelable `error` event at the global; cancelling it
  // keeps this deliberate error from being treated as uncaught by `eme run`.
  assert(typeof self.addEventListener === "function",
    "the global must be an EventTarget that receives `error` events for reported exceptions");
  var sentinel = new Error("deliberate listener error (expected by this test)");
  var reported = [];
  function onError(event) {
    if (event.error === sentinel) {
      reported.push(event);
      event.preventDefault();
    }
  }
  self.addEventListener("error", onError);
  try {
    var t = new EventTarget();
    var log = [];
    t.addEventListener("x", function () { log.push("first"); throw sentinel; });
    t.addEventListener("x", function () { log.push("second"); });
    var result = t.dispatchEvent(new Event("x"));
    assertArrayEquals(log, ["first", "second"], "both listeners ran");
    assertEquals(result, true, "dispatchEvent returned normally");
    assertEquals(reported.length, 1, "the exception was reported once at the global");
  } finally {
    self.removeEventListener("error", onError);
  }
});

test("dispatchEvent returns false only when a cancelable event was cancelled", function () {
  var t = new EventTarget();
  t.addEventListener("cancel-me", function (e) { e.preventDefault(); });
  assertEquals(t.dispatchEvent(new Event("cancel-me", { cancelable: true })), false, "cancelled");
  assertEquals(t.dispatchEvent(new Event("cancel-me")), true, "not cancelable");
  assertEquals(t.dispatchEvent(new Event("nobody-listens", { cancelable: true })), true, "no listeners");
  assertThrows(TypeError, function () { t.dispatchEvent({ type: "x" }); }, "dispatchEvent with a non-Event");
  assertThrows(TypeError, function () { t.dispatchEvent(); }, "dispatchEvent with no argument");
});

test("dispatching an event that is being dispatched throws InvalidStateError", function () {
  var t = new EventTarget();
  var inner = null;
  var e = new Event("x");
  t.addEventListener("x", function () {
    try { t.dispatchEvent(e); } catch (err) { inner = err; }
  });
  t.dispatchEvent(e);
  assert(inner !== null, "re-dispatch threw");
  checkError(inner, "InvalidStateError", "re-dispatch");
});

test("DOMException: constructor(message, name), name, message, legacy codes", function () {
  var e = new DOMException("not here", "NotSupportedError");
  assertEquals(e.name, "NotSupportedError", "name");
  assertEquals(e.message, "not here", "message");
  assertEquals(e.code, 9, "NotSupportedError code");
  assertEquals(new DOMException("m", "InvalidStateError").code, 11, "InvalidStateError code");
  assertEquals(new DOMException("m", "QuotaExceededError").code, 22, "QuotaExceededError code");
  assertEquals(new DOMException("m", "NotFoundError").code, 8, "NotFoundError code");
  assertEquals(new DOMException("m", "SomethingUnknownError").code, 0, "unknown name code");
  var unknown = new DOMException("m", "SomethingUnknownError");
  assertEquals(unknown.name, "SomethingUnknownError", "unknown name kept");
  var d = new DOMException();
  assertEquals(d.name, "Error", "default name");
  assertEquals(d.message, "", "default message");
  assertEquals(d.code, 0, "default code");
  assertEquals(new DOMException("only message").name, "Error", "name defaults to Error");
  assertThrows(TypeError, function () { DOMException("m", "InvalidStateError"); }, "called without new");
});

test("DOMException is an Error with the DOMException brand and legacy constants", function () {
  var e = new DOMException("m", "InvalidStateError");
  assert(e instanceof DOMException, "instanceof DOMException");
  assert(e instanceof Error, "instanceof Error");
  assertEquals(Object.getPrototypeOf(DOMException.prototype), Error.prototype, "DOMException.prototype inherits Error.prototype");
  assertEquals(Object.prototype.toString.call(e), "[object DOMException]", "toString brand");
  assertEquals(String(e), "InvalidStateError: m", "Error.prototype.toString output");
  assertEquals(DOMException.INVALID_STATE_ERR, 11, "DOMException.INVALID_STATE_ERR");
  assertEquals(DOMException.NOT_SUPPORTED_ERR, 9, "DOMException.NOT_SUPPORTED_ERR");
  assertEquals(DOMException.QUOTA_EXCEEDED_ERR, 22, "DOMException.QUOTA_EXCEEDED_ERR");
  assertEquals(DOMException.prototype.INVALID_STATE_ERR, 11, "constant on the prototype");
  assertEquals(e.INVALID_STATE_ERR, 11, "constant through an instance");
  var desc = Object.getOwnPropertyDescriptor(DOMException, "INVALID_STATE_ERR");
  assert(desc && !desc.writable && desc.enumerable && !desc.configurable, "constant is read-only, enumerable, non-configurable");
});

test("DOMExceptions thrown by EME carry name, message and code", async function () {
  var session = await newSession();
  var e = await assertRejects("InvalidStateError", function () { return session.update(licence(keyPairs(1))); });
  assertEquals(e.code, 11, "code");
  assert(e instanceof Error, "instanceof Error");
  assertEquals(Object.prototype.toString.call(e), "[object DOMException]", "brand");
  var mediaKeys = await newMediaKeys();
  var n = assertThrows("NotSupportedError", function () { mediaKeys.createSession("persistent-license"); });
  assertEquals(n.code, 9, "NotSupportedError code");
});
