// The WebIDL shape of the EME interfaces: interface objects, prototypes, member kinds,
// descriptors, lengths, names, brand checks.

var INTERFACES = {
  MediaKeySystemAccess: { constructible: false, attributes: ["keySystem"], operations: { getConfiguration: 0, createMediaKeys: 0 } },
  MediaKeys: { constructible: false, attributes: [], operations: { createSession: 0, getStatusForPolicy: 0, setServerCertificate: 1 } },
  MediaKeySession: {
    constructible: false,
    parent: "EventTarget",
    attributes: ["sessionId", "expiration", "closed", "keyStatuses", "onkeystatuseschange", "onmessage"],
    writable: ["onkeystatuseschange", "onmessage"],
    operations: { generateRequest: 2, load: 1, update: 1, close: 0, remove: 0 },
  },
  MediaKeyStatusMap: { constructible: false, attributes: ["size"], operations: { has: 1, get: 1, forEach: 1, entries: 0, keys: 0, values: 0 } },
  MediaKeyMessageEvent: { constructible: true, length: 2, parent: "Event", attributes: ["messageType", "message"], operations: {} },
  MediaEncryptedEvent: { constructible: true, length: 1, parent: "Event", attributes: ["initDataType", "initData"], operations: {} },
  Navigator: { constructible: false, attributes: [], operations: { requestMediaKeySystemAccess: 2 } },
  EventTarget: { constructible: true, length: 0, attributes: [], operations: { addEventListener: 2, removeEventListener: 2, dispatchEvent: 1 } },
  Event: { constructible: true, length: 1, attributes: ["type", "target", "currentTarget", "eventPhase", "bubbles", "cancelable", "defaultPrevented", "composed", "isTrusted", "timeStamp"], unforgeable: ["isTrusted"], operations: { composedPath: 0, stopPropagation: 0, stopImmediatePropagation: 0, preventDefault: 0 } },
  DOMException: { constructible: true, length: 0, attributes: ["name", "message", "code"], operations: {} },
};

Object.keys(INTERFACES).forEach(function (name) {
  var spec = INTERFACES[name];

  test(name + ": global binding and interface object", function () {
    var desc = Object.getOwnPropertyDescriptor(globalThis, name);
    assert(desc, name + " is a global");
    assertEquals(typeof desc.value, "function", "interface object is a function");
    assertEquals(desc.writable, true, "writable");
    assertEquals(desc.enumerable, false, "not enumerable");
    assertEquals(desc.configurable, true, "configurable");
    assertEquals(desc.value.name, name, "name");
    // A non-constructible interface object has length 0 (it has no constructor operation).
    assertEquals(desc.value.length, spec.length === undefined ? 0 : spec.length, "length");
    var proto = Object.getOwnPropertyDescriptor(desc.value, "prototype");
    assertEquals(proto.writable || proto.enumerable || proto.configurable, false, "prototype is read-only");
    assert(desc.value.prototype.constructor === desc.value, "prototype.constructor");
    assertEquals(Object.prototype.toString.call(desc.value.prototype), "[object " + name + "]", "@@toStringTag");
    if (spec.parent) {
      assert(Object.getPrototypeOf(desc.value) === globalThis[spec.parent], "interface object inherits " + spec.parent);
      assert(Object.getPrototypeOf(desc.value.prototype) === globalThis[spec.parent].prototype, "prototype inherits " + spec.parent + ".prototype");
    }
  });

  test(name + ": constructor behaviour", function () {
    var I = globalThis[name];
    assertThrows(TypeError, function () { I(); }, "calling without new");
    if (!spec.constructible) {
      var e = assertThrows(TypeError, function () { new I(); }, "new " + name + "()");
      assert(/Illegal constructor/.test(e.message), "message says Illegal constructor: " + e.message);
    }
  });

  test(name + ": attributes are enumerable, configurable accessors named 'get x'", function () {
    var proto = globalThis[name].prototype;
    spec.attributes.forEach(function (attr) {
      var unforgeable = (spec.unforgeable || []).indexOf(attr) >= 0;
      var desc = Object.getOwnPropertyDescriptor(proto, attr);
      if (unforgeable) {
        assertEquals(desc, undefined, attr + " is [LegacyUnforgeable]: not on the prototype");
        var own = Object.getOwnPropertyDescriptor(new globalThis[name]("x"), attr);
        assert(own && typeof own.get === "function" && own.enumerable && !own.configurable,
          attr + " is [LegacyUnforgeable]: an enumerable, non-configurable own accessor of instances");
        return;
      }
      assert(desc, attr + " on the prototype");
      assertEquals(typeof desc.get, "function", attr + " is an accessor");
      assertEquals(desc.get.name, "get " + attr, attr + " getter name");
      assertEquals(desc.get.length, 0, attr + " getter length");
      assertEquals(desc.enumerable, true, attr + " enumerable");
      assertEquals(desc.configurable, true, attr + " configurable");
      var writable = (spec.writable || []).indexOf(attr) >= 0;
      assertEquals(typeof desc.set, writable ? "function" : "undefined", attr + " setter");
      if (writable) assertEquals(desc.set.name, "set " + attr, attr + " setter name");
      if (name === "MediaKeySession" && attr === "closed") {
        var rejected = desc.get.call({});
        rejected.catch(function () {});
        assert(rejected instanceof Promise, "a promise-typed getter returns a (rejected) promise");
      } else {
        assertThrows(TypeError, function () { desc.get.call({}); }, attr + " getter on a plain object");
      }
    });
  });

  test(name + ": operations are enumerable, writable, configurable with the IDL length", function () {
    var proto = globalThis[name].prototype;
    Object.keys(spec.operations).forEach(function (op) {
      var desc = Object.getOwnPropertyDescriptor(proto, op);
      assert(desc, op + " on the prototype");
      assertEquals(typeof desc.value, "function", op + " is a method");
      assertEquals(desc.value.name, op, op + " name");
      assertEquals(desc.value.length, spec.operations[op], op + " length");
      assertEquals(desc.writable && desc.enumerable && desc.configurable, true, op + " descriptor");
    });
  });
});

test("MediaKeySession inherits addEventListener/removeEventListener/dispatchEvent from EventTarget", async function () {
  var session = await newSession();
  ["addEventListener", "removeEventListener", "dispatchEvent"].forEach(function (m) {
    assert(!Object.prototype.hasOwnProperty.call(MediaKeySession.prototype, m), m + " not redefined");
    assert(session[m] === EventTarget.prototype[m], m + " inherited");
  });
  assert(session instanceof EventTarget, "instanceof EventTarget");
  var got = null;
  session.addEventListener("custom", function (e) { got = e; });
  var ev = new Event("custom");
  assertEquals(session.dispatchEvent(ev), true);
  assert(got === ev && !ev.isTrusted, "script-dispatched events reach session listeners, untrusted");
});

test("promise-returning methods called on the wrong object reject with TypeError (never throw)", async function () {
  var calls = [
    function () { return MediaKeySession.prototype.generateRequest.call({}, "keyids", new Uint8Array(1)); },
    function () { return MediaKeySession.prototype.load.call({}, "1"); },
    function () { return MediaKeySession.prototype.update.call({}, new Uint8Array(1)); },
    function () { return MediaKeySession.prototype.close.call({}); },
    function () { return MediaKeySession.prototype.remove.call({}); },
    function () { return MediaKeys.prototype.setServerCertificate.call({}, new Uint8Array(1)); },
    function () { return MediaKeys.prototype.getStatusForPolicy.call({}, { minHdcpVersion: "1.0" }); },
    function () { return MediaKeySystemAccess.prototype.createMediaKeys.call({}); },
    function () { return Navigator.prototype.requestMediaKeySystemAccess.call({}, CLEARKEY, clearKeyConfigs()); },
  ];
  for (var i = 0; i < calls.length; i++) await assertRejects(TypeError, calls[i], "call " + i);
});

test("non-promise methods called on the wrong object throw TypeError", async function () {
  var mediaKeys = await newMediaKeys();
  assertThrows(TypeError, function () { MediaKeys.prototype.createSession.call({}); });
  assertThrows(TypeError, function () { MediaKeySystemAccess.prototype.getConfiguration.call(mediaKeys); });
  assertThrows(TypeError, function () { MediaKeyStatusMap.prototype.has.call({}, new Uint8Array(1)); });
  assertThrows(TypeError, function () { MediaKeyStatusMap.prototype.forEach.call(mediaKeys, function () {}); });
});

test("window, self and globalThis are one object; error names are not globals", function () {
  assert(window === self && self === globalThis, "window === self === globalThis");
  assert(window.TypeError === TypeError, "window.TypeError");
  assertEquals(typeof window.InvalidStateError, "undefined", "no InvalidStateError global");
  assertEquals(typeof navigator.requestMediaKeySystemAccess, "function");
  assert(navigator instanceof Navigator, "navigator is a Navigator");
  assertEquals(Object.prototype.toString.call(navigator), "[object Navigator]");
});

test("MediaKeyStatusMap: @@iterator is the same function object as entries", async function () {
  var session = await sessionWithKeys([1]);
  assert(MediaKeyStatusMap.prototype[Symbol.iterator] === MediaKeyStatusMap.prototype.entries, "@@iterator === entries");
  var desc = Object.getOwnPropertyDescriptor(MediaKeyStatusMap.prototype, Symbol.iterator);
  assertEquals(desc.enumerable, false, "@@iterator not enumerable");
  var it = session.keyStatuses.entries();
  assertEquals(Object.prototype.toString.call(it), "[object MediaKeyStatusMap Iterator]");
  assert(Object.getPrototypeOf(Object.getPrototypeOf(it)) === Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]())), "iterator prototype chain reaches %IteratorPrototype%");
});
