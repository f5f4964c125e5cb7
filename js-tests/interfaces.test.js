// The WebIDL shape of the EME interfaces and the globals a WPT-style page expects.
// Spec: https://webidl.spec.whatwg.org/#es-interfaces (interface objects, prototypes,
// operations, attributes, iterable declarations) and the EME IDL.

var ALL_INTERFACES = [
  "Event", "EventTarget", "DOMException",
  "Navigator", "MediaKeySystemAccess", "MediaKeys", "MediaKeySession", "MediaKeyStatusMap",
  "MediaKeyMessageEvent", "MediaEncryptedEvent",
];
var NOT_CONSTRUCTIBLE = ["Navigator", "MediaKeySystemAccess", "MediaKeys", "MediaKeySession", "MediaKeyStatusMap"];
var CONSTRUCTOR_LENGTH = {
  Event: 1, EventTarget: 0, DOMException: 0, MediaKeyMessageEvent: 2, MediaEncryptedEvent: 1,
  Navigator: 0, MediaKeySystemAccess: 0, MediaKeys: 0, MediaKeySession: 0, MediaKeyStatusMap: 0,
};

function ownDesc(object, name) {
  var desc = Object.getOwnPropertyDescriptor(object, name);
  assert(desc !== undefined, String(name) + " is an own property");
  return desc;
}

/** A regular attribute: accessor, enumerable, configurable, getter named "get X" (and setter). */
function checkAttribute(proto, iface, name, writable) {
  var where = iface + ".prototype." + name;
  var desc = ownDesc(proto, name);
  assert(!("value" in desc), where + " is an accessor property");
  assertEquals(typeof desc.get, "function", where + " getter");
  assertEquals(desc.enumerable, true, where + " enumerable");
  assertEquals(desc.configurable, true, where + " configurable");
  assertEquals(desc.get.name, "get " + name, where + " getter name");
  assertEquals(desc.get.length, 0, where + " getter length");
  if (writable) {
    assertEquals(typeof desc.set, "function", where + " setter");
    assertEquals(desc.set.name, "set " + name, where + " setter name");
    assertEquals(desc.set.length, 1, where + " setter length");
  } else {
    assertEquals(desc.set, undefined, where + " has no setter (readonly)");
  }
}

/** A regular operation: data property, writable, enumerable, configurable, with name and length. */
function checkOperation(proto, iface, name, length) {
  var where = iface + ".prototype." + name;
  var desc = ownDesc(proto, name);
  assertEquals(typeof desc.value, "function", where + " is a method");
  assertEquals(desc.writable, true, where + " writable");
  assertEquals(desc.enumerable, true, where + " enumerable");
  assertEquals(desc.configurable, true, where + " configurable");
  assertEquals(desc.value.name, name, where + " name");
  assertEquals(desc.value.length, length, where + " length");
  assertThrows(TypeError, function () { new desc.value(); }, where + " is not a constructor");
}

function checkToStringTag(iface) {
  var desc = ownDesc(globalThis[iface].prototype, Symbol.toStringTag);
  assertEquals(desc.value, iface, iface + ".prototype[Symbol.toStringTag]");
  assertEquals(desc.writable, false, iface + " toStringTag writable");
  assertEquals(desc.enumerable, false, iface + " toStringTag enumerable");
  assertEquals(desc.configurable, true, iface + " toStringTag configurable");
}

test("window, self and globalThis are the same object; WPT-relevant globals", function () {
  assert(window === self, "window === self");
  assert(self === globalThis, "self === globalThis");
  assert(window === globalThis, "window === globalThis");
  assertEquals(window.TypeError, TypeError, "window.TypeError");
  assertEquals(window.Promise, Promise, "window.Promise");
  assert(!("InvalidStateError" in window), "no InvalidStateError global");
  assert(!("NotSupportedError" in window), "no NotSupportedError global");
  assert(!("QuotaExceededError" in window) || typeof window.QuotaExceededError === "function",
    "QuotaExceededError, if present, is an interface, not a DOMException name constant");
  assert(navigator instanceof Navigator, "navigator is a Navigator");
  assertEquals(Object.prototype.toString.call(navigator), "[object Navigator]", "navigator brand");
});

test("each interface is a global property {writable, non-enumerable, configurable}", function () {
  ALL_INTERFACES.forEach(function (name) {
    var desc = ownDesc(globalThis, name);
    assertEquals(typeof desc.value, "function", name + " is a function");
    assertEquals(desc.writable, true, name + " writable");
    assertEquals(desc.enumerable, false, name + " enumerable");
    assertEquals(desc.configurable, true, name + " configurable");
    assertEquals(desc.value.name, name, name + ".name");
    assertEquals(desc.value.length, CONSTRUCTOR_LENGTH[name], name + ".length");
  });
});

test("interface objects and prototypes: prototype / constructor properties", function () {
  ALL_INTERFACES.forEach(function (name) {
    var iface = globalThis[name];
    var p = ownDesc(iface, "prototype");
    assertEquals(p.writable, false, name + ".prototype writable");
    assertEquals(p.enumerable, false, name + ".prototype enumerable");
    assertEquals(p.configurable, false, name + ".prototype configurable");
    var c = ownDesc(iface.prototype, "constructor");
    assertEquals(c.value, iface, name + ".prototype.constructor");
    assertEquals(c.writable, true, name + ".prototype.constructor writable");
    assertEquals(c.enumerable, false, name + ".prototype.constructor enumerable");
    assertEquals(c.configurable, true, name + ".prototype.constructor configurable");
  });
});

test("non-constructible interfaces throw TypeError on new and on call", function () {
  NOT_CONSTRUCTIBLE.forEach(function (name) {
    var iface = globalThis[name];
    assertThrows(TypeError, function () { new iface(); }, "new " + name + "()");
    assertThrows(TypeError, function () { iface(); }, name + "()");
  });
});

test("constructible interfaces throw TypeError when called without new", function () {
  assertThrows(TypeError, function () { Event("x"); }, "Event()");
  assertThrows(TypeError, function () { EventTarget(); }, "EventTarget()");
  assertThrows(TypeError, function () { DOMException(); }, "DOMException()");
  assertThrows(TypeError, function () { MediaEncryptedEvent("encrypted"); }, "MediaEncryptedEvent()");
  assertThrows(TypeError, function () {
    MediaKeyMessageEvent("message", { messageType: "license-request", message: new ArrayBuffer(1) });
  }, "MediaKeyMessageEvent()");
});

test("inheritance: prototypes and interface objects", function () {
  var chains = [
    ["MediaKeySession", EventTarget],
    ["MediaKeyMessageEvent", Event],
    ["MediaEncryptedEvent", Event],
  ];
  chains.forEach(function (c) {
    var iface = globalThis[c[0]];
    assertEquals(Object.getPrototypeOf(iface.prototype), c[1].prototype, c[0] + ".prototype's prototype");
    assertEquals(Object.getPrototypeOf(iface), c[1], c[0] + "'s prototype is its parent interface");
  });
  ["Navigator", "MediaKeySystemAccess", "MediaKeys", "MediaKeyStatusMap", "Event", "EventTarget"].forEach(function (name) {
    assertEquals(Object.getPrototypeOf(globalThis[name].prototype), Object.prototype, name + ".prototype's prototype");
    assertEquals(Object.getPrototypeOf(globalThis[name]), Function.prototype, name + "'s prototype");
  });
  assertEquals(Object.getPrototypeOf(DOMException.prototype), Error.prototype, "DOMException.prototype's prototype");
});

test("MediaKeySession.prototype members", function () {
  var proto = MediaKeySession.prototype;
  checkAttribute(proto, "MediaKeySession", "sessionId", false);
  checkAttribute(proto, "MediaKeySession", "expiration", false);
  checkAttribute(proto, "MediaKeySession", "closed", false);
  checkAttribute(proto, "MediaKeySession", "keyStatuses", false);
  checkAttribute(proto, "MediaKeySession", "onkeystatuseschange", true);
  checkAttribute(proto, "MediaKeySession", "onmessage", true);
  checkOperation(proto, "MediaKeySession", "generateRequest", 2);
  checkOperation(proto, "MediaKeySession", "load", 1);
  checkOperation(proto, "MediaKeySession", "update", 1);
  checkOperation(proto, "MediaKeySession", "close", 0);
  checkOperation(proto, "MediaKeySession", "remove", 0);
  ["addEventListener", "removeEventListener", "dispatchEvent"].forEach(function (m) {
    assert(!Object.prototype.hasOwnProperty.call(proto, m), m + " is not an own member of MediaKeySession.prototype");
    assertEquals(proto[m], EventTarget.prototype[m], m + " is inherited from EventTarget.prototype");
  });
  checkOperation(EventTarget.prototype, "EventTarget", "addEventListener", 2);
  checkOperation(EventTarget.prototype, "EventTarget", "removeEventListener", 2);
  checkOperation(EventTarget.prototype, "EventTarget", "dispatchEvent", 1);
});

test("a session instance has no own properties for its members", async function () {
  var session = await newSession();
  ["sessionId", "expiration", "closed", "keyStatuses", "onmessage", "onkeystatuseschange", "update"].forEach(function (m) {
    assert(!Object.prototype.hasOwnProperty.call(session, m), m + " is not an own property of the instance");
  });
  assertEquals(Object.getPrototypeOf(session), MediaKeySession.prototype, "instance prototype");
});

test("MediaKeys, MediaKeySystemAccess, MediaKeyStatusMap and Navigator members", function () {
  checkOperation(MediaKeys.prototype, "MediaKeys", "createSession", 0);
  checkOperation(MediaKeys.prototype, "MediaKeys", "setServerCertificate", 1);
  checkOperation(MediaKeys.prototype, "MediaKeys", "getStatusForPolicy", 0);

  checkAttribute(MediaKeySystemAccess.prototype, "MediaKeySystemAccess", "keySystem", false);
  checkOperation(MediaKeySystemAccess.prototype, "MediaKeySystemAccess", "getConfiguration", 0);
  checkOperation(MediaKeySystemAccess.prototype, "MediaKeySystemAccess", "createMediaKeys", 0);

  var map = MediaKeyStatusMap.prototype;
  checkAttribute(map, "MediaKeyStatusMap", "size", false);
  checkOperation(map, "MediaKeyStatusMap", "has", 1);
  checkOperation(map, "MediaKeyStatusMap", "get", 1);
  checkOperation(map, "MediaKeyStatusMap", "forEach", 1);
  checkOperation(map, "MediaKeyStatusMap", "entries", 0);
  checkOperation(map, "MediaKeyStatusMap", "keys", 0);
  checkOperation(map, "MediaKeyStatusMap", "values", 0);
  var iter = ownDesc(map, Symbol.iterator);
  assertEquals(iter.value, map.entries, "MediaKeyStatusMap.prototype[Symbol.iterator] === entries");
  assertEquals(iter.writable, true, "@@iterator writable");
  assertEquals(iter.enumerable, false, "@@iterator enumerable");
  assertEquals(iter.configurable, true, "@@iterator configurable");

  checkOperation(Navigator.prototype, "Navigator", "requestMediaKeySystemAccess", 2);
  assertEquals(navigator.requestMediaKeySystemAccess.length, 2, "navigator.requestMediaKeySystemAccess.length");
  assert(!Object.prototype.hasOwnProperty.call(navigator, "requestMediaKeySystemAccess"), "requestMediaKeySystemAccess lives on Navigator.prototype");
});

test("event interface members", function () {
  checkAttribute(MediaKeyMessageEvent.prototype, "MediaKeyMessageEvent", "messageType", false);
  checkAttribute(MediaKeyMessageEvent.prototype, "MediaKeyMessageEvent", "message", false);
  checkAttribute(MediaEncryptedEvent.prototype, "MediaEncryptedEvent", "initDataType", false);
  checkAttribute(MediaEncryptedEvent.prototype, "MediaEncryptedEvent", "initData", false);
  checkAttribute(Event.prototype, "Event", "type", false);
  checkAttribute(Event.prototype, "Event", "defaultPrevented", false);
  checkOperation(Event.prototype, "Event", "preventDefault", 0);
  checkAttribute(DOMException.prototype, "DOMException", "name", false);
  checkAttribute(DOMException.prototype, "DOMException", "message", false);
  checkAttribute(DOMException.prototype, "DOMException", "code", false);
});

test("Symbol.toStringTag of every interface prototype", async function () {
  ALL_INTERFACES.forEach(checkToStringTag);
  var access = await navigator.requestMediaKeySystemAccess(CLEARKEY, clearKeyConfigs());
  var mediaKeys = await access.createMediaKeys();
  var session = mediaKeys.createSession();
  var instances = [
    [access, "MediaKeySystemAccess"],
    [mediaKeys, "MediaKeys"],
    [session, "MediaKeySession"],
    [session.keyStatuses, "MediaKeyStatusMap"],
    [new MediaKeyMessageEvent("message", { messageType: "license-request", message: new ArrayBuffer(1) }), "MediaKeyMessageEvent"],
    [new MediaEncryptedEvent("encrypted"), "MediaEncryptedEvent"],
    [new Event("x"), "Event"],
    [new EventTarget(), "EventTarget"],
    [navigator, "Navigator"],
  ];
  instances.forEach(function (i) {
    assertEquals(Object.prototype.toString.call(i[0]), "[object " + i[1] + "]", i[1] + " instance");
  });
});

test("MediaKeySession members on the wrong object: promises reject, the rest throw TypeError", async function () {
  var proto = MediaKeySession.prototype;
  var mediaKeys = await newMediaKeys();
  // An EventTarget of another interface passes EventTarget's brand check but not MediaKeySession's.
  var wrongObjects = [["plain object", {}], ["MediaKeys", mediaKeys], ["the prototype", proto], ["an EventTarget", new EventTarget()]];
  for (var w of wrongObjects) {
    var obj = w[1];
    var label = " on " + w[0];
    await assertRejects(TypeError, function () { return proto.generateRequest.call(obj, "keyids", keyIdsInitData(keyId(1))); }, "generateRequest" + label);
    await assertRejects(TypeError, function () { return proto.load.call(obj, "1"); }, "load" + label);
    await assertRejects(TypeError, function () { return proto.update.call(obj, licence(keyPairs(1))); }, "update" + label);
    await assertRejects(TypeError, function () { return proto.close.call(obj); }, "close" + label);
    await assertRejects(TypeError, function () { return proto.remove.call(obj); }, "remove" + label);
    ["sessionId", "expiration", "keyStatuses", "onmessage", "onkeystatuseschange"].forEach(function (name) {
      var getter = Object.getOwnPropertyDescriptor(proto, name).get;
      assertThrows(TypeError, function () { getter.call(obj); }, "get " + name + label);
    });
    ["onmessage", "onkeystatuseschange"].forEach(function (name) {
      var setter = Object.getOwnPropertyDescriptor(proto, name).set;
      assertThrows(TypeError, function () { setter.call(obj, null); }, "set " + name + label);
    });
    // `closed` has a promise type, so WebIDL turns its brand-check failure into a rejection.
    var closedGetter = Object.getOwnPropertyDescriptor(proto, "closed").get;
    await assertRejects(TypeError, function () { return closedGetter.call(obj); }, "get closed" + label);
  }
  assertThrows(TypeError, function () { return MediaKeySession.prototype.sessionId; }, "reading sessionId on the prototype");
  await assertRejects(TypeError, function () { return proto.update.call(undefined, licence(keyPairs(1))); }, "update with this = undefined");
});

test("other interfaces' members on the wrong object", async function () {
  var session = await newSession();
  var plain = {};
  assertThrows(TypeError, function () { MediaKeys.prototype.createSession.call(plain); }, "createSession");
  assertThrows(TypeError, function () { MediaKeys.prototype.createSession.call(session); }, "createSession on a session");
  await assertRejects(TypeError, function () { return MediaKeys.prototype.setServerCertificate.call(plain, patternBytes(200, 1)); }, "setServerCertificate");
  await assertRejects(TypeError, function () { return MediaKeys.prototype.getStatusForPolicy.call(plain, { minHdcpVersion: "1.0" }); }, "getStatusForPolicy");

  var keySystemGetter = Object.getOwnPropertyDescriptor(MediaKeySystemAccess.prototype, "keySystem").get;
  assertThrows(TypeError, function () { keySystemGetter.call(plain); }, "get keySystem");
  assertThrows(TypeError, function () { MediaKeySystemAccess.prototype.getConfiguration.call(plain); }, "getConfiguration");
  await assertRejects(TypeError, function () { return MediaKeySystemAccess.prototype.createMediaKeys.call(plain); }, "createMediaKeys");

  var map = MediaKeyStatusMap.prototype;
  var sizeGetter = Object.getOwnPropertyDescriptor(map, "size").get;
  assertThrows(TypeError, function () { sizeGetter.call(plain); }, "get size");
  assertThrows(TypeError, function () { map.has.call(plain, keyId(1)); }, "has");
  assertThrows(TypeError, function () { map.get.call(plain, keyId(1)); }, "get");
  assertThrows(TypeError, function () { map.forEach.call(plain, function () {}); }, "forEach");
  assertThrows(TypeError, function () { map.entries.call(plain); }, "entries");
  assertThrows(TypeError, function () { map.keys.call(plain); }, "keys");
  assertThrows(TypeError, function () { map.values.call(plain); }, "values");
  assertThrows(TypeError, function () { map.has.call(session, keyId(1)); }, "has on a session");

  await assertRejects(TypeError, function () {
    return Navigator.prototype.requestMediaKeySystemAccess.call(plain, CLEARKEY, clearKeyConfigs());
  }, "requestMediaKeySystemAccess on a plain object");

  var messageTypeGetter = Object.getOwnPropertyDescriptor(MediaKeyMessageEvent.prototype, "messageType").get;
  assertThrows(TypeError, function () { messageTypeGetter.call(new Event("message")); }, "get messageType on a plain Event");
  var initDataGetter = Object.getOwnPropertyDescriptor(MediaEncryptedEvent.prototype, "initData").get;
  assertThrows(TypeError, function () { initDataGetter.call(plain); }, "get initData");
  var addEventListener = EventTarget.prototype.addEventListener;
  assertThrows(TypeError, function () { addEventListener.call(plain, "x", function () {}); }, "addEventListener on a plain object");
});
