// MediaKeyStatusMap: size, has(), get(), and the pair iterator of <BufferSource key ID,
// MediaKeyStatus>, for one and several keys; remove() and close().
//
// Spec: the map is a read-only view of the session's key statuses; has()/get() take any
// BufferSource and compare key ID bytes; get() of an unknown key ID returns undefined;
// iteration yields [ArrayBuffer keyId, status] pairs sorted by key ID (bytes compared as
// unsigned values, a shorter prefix first); @@iterator is entries. After a licence, Clear
// Key keys are "usable"; remove() on a temporary session marks every key "released"; after
// close() the map is empty.

function runKeyStatusesTests(config) {
  // A session whose licence holds the given raw key IDs.
  function sessionWithKeyIds(kids) {
    return createRequestedSession(config, "keyids", kids).then(function (r) {
      var changed = waitForEvent(r.session, "keystatuseschange");
      return r.session.update(jwkSet(kids.map(function (kid, i) { return { kid: kid, key: contentKey(i) }; }))).then(function () {
        return changed;
      }).then(function () { return r.session; });
    });
  }
  function sessionWithKeys(numbers) {
    return createSessionWithKeys(config, numbers).then(function (r) { return r.session; });
  }

  // Given out of order; sorted they are 01 02 < 01 02 03 < 80 < aa 01.
  var K_PREFIX = new Uint8Array([0x01, 0x02]);
  var K_LONGER = new Uint8Array([0x01, 0x02, 0x03]);
  var K_HIGH = new Uint8Array([0x80]);
  var K_LAST = new Uint8Array([0xaa, 0x01]);
  var SORTED_HEX = [K_PREFIX, K_LONGER, K_HIGH, K_LAST].map(hexOf);

  // --- one key ------------------------------------------------------------------------------

  promise_test(function () {
    return sessionWithKeys([1]).then(function (session) {
      var map = session.keyStatuses;
      assert_equals(map.size, 1, "size");
      assert_true(map.has(keyId(1)), "has");
      assert_equals(map.get(keyId(1)), "usable", "get");
    });
  }, "One key: size 1, has() true, get() \"usable\"");

  promise_test(function () {
    return sessionWithKeys([1]).then(function (session) {
      var map = session.keyStatuses;
      assert_false(map.has(keyId(2)), "has of another key ID");
      assert_equals(map.get(keyId(2)), undefined, "get of another key ID");
      assert_false(map.has(keyId(1).subarray(0, 15)), "a 15-byte prefix is a different key ID");
      assert_equals(map.get(concatBytes(keyId(1), [0])), undefined, "a longer key ID is a different key ID");
      assert_false(map.has(new Uint8Array(0)), "the empty key ID");
    });
  }, "get() of an unknown key ID returns undefined and has() returns false");

  var framed = concatBytes([0xee, 0xee, 0xee], keyId(1), [0xee]);
  [
    ["an ArrayBuffer", function () { return keyId(1).buffer; }],
    ["a Uint8Array", function () { return keyId(1); }],
    ["a DataView", function () { return new DataView(keyId(1).buffer); }],
    ["an Int8Array", function () { return new Int8Array(keyId(1).buffer); }],
    ["a Uint8Array view with an offset", function () { return framed.subarray(3, 19); }],
    ["a DataView with an offset", function () { return new DataView(framed.buffer, 3, 16); }],
    ["a Uint16Array over the same bytes", function () { return new Uint16Array(keyId(1).buffer); }],
  ].forEach(function (entry) {
    promise_test(function () {
      return sessionWithKeys([1]).then(function (session) {
        assert_true(session.keyStatuses.has(entry[1]()), "has");
        assert_equals(session.keyStatuses.get(entry[1]()), "usable", "get");
      });
    }, "has() and get() accept the key ID as " + entry[0]);
  });

  [
    ["a string", function () { return base64urlEncode(keyId(1)); }],
    ["a number", function () { return 1; }],
    ["a plain object", function () { return {}; }],
    ["an array of numbers", function () { return Array.from(keyId(1)); }],
    ["null", function () { return null; }],
    ["undefined", function () { return undefined; }],
  ].forEach(function (entry) {
    promise_test(function () {
      return sessionWithKeys([1]).then(function (session) {
        var map = session.keyStatuses;
        assert_throws_js(TypeError, function () { map.has(entry[1]()); }, "has");
        assert_throws_js(TypeError, function () { map.get(entry[1]()); }, "get");
      });
    }, "has() and get() with " + entry[0] + " (not a BufferSource) throw TypeError");
  });

  // --- several keys and iteration -------------------------------------------------------------

  promise_test(function () {
    return sessionWithKeys([1, 2, 3]).then(function (session) {
      var map = session.keyStatuses;
      assert_equals(map.size, 3, "size");
      [1, 2, 3].forEach(function (n) {
        assert_true(map.has(keyId(n)), "has key " + n);
        assert_equals(map.get(keyId(n)), "usable", "get key " + n);
      });
      assert_true(Number.isNaN(session.expiration), "Clear Key expiration stays NaN after a licence");
    });
  }, "Three keys: every key is listed as \"usable\"");

  promise_test(function () {
    return sessionWithKeyIds([K_HIGH, K_LAST, K_LONGER, K_PREFIX]).then(function (session) {
      var keys = Array.from(session.keyStatuses.keys()).map(hexOf);
      assert_array_equals(keys, SORTED_HEX, "keys() order");
    });
  }, "Iteration is sorted by key ID bytes, unsigned, shorter prefix first");

  promise_test(function () {
    return sessionWithKeyIds([K_LONGER, K_PREFIX, K_LAST, K_HIGH]).then(function (session) {
      var entries = Array.from(session.keyStatuses.entries());
      assert_equals(entries.length, 4, "length");
      entries.forEach(function (e, i) {
        assert_true(Array.isArray(e), "entry " + i + " is an array");
        assert_equals(e.length, 2, "entry " + i + " length");
        assert_true(e[0] instanceof ArrayBuffer, "entry " + i + " key is an ArrayBuffer");
        assert_equals(hexOf(e[0]), SORTED_HEX[i], "entry " + i + " key");
        assert_equals(e[1], "usable", "entry " + i + " value");
      });
    });
  }, "entries() yields [ArrayBuffer keyId, status] pairs in key ID order");

  promise_test(function () {
    return sessionWithKeyIds([K_LAST, K_PREFIX]).then(function (session) {
      var keys = Array.from(session.keyStatuses.keys());
      keys.forEach(function (k, i) { assert_true(k instanceof ArrayBuffer, "key " + i + " is an ArrayBuffer"); });
      assert_array_equals(keys.map(hexOf), [hexOf(K_PREFIX), hexOf(K_LAST)], "keys");
      assert_array_equals(Array.from(session.keyStatuses.values()), ["usable", "usable"], "values");
    });
  }, "keys() yields ArrayBuffers and values() yields the statuses, in the same order");

  promise_test(function () {
    return sessionWithKeyIds([K_LAST, K_LONGER, K_HIGH, K_PREFIX]).then(function (session) {
      var map = session.keyStatuses;
      var calls = [];
      var thisArg = { marker: true };
      var result = map.forEach(function (value, key, m) {
        calls.push({ self: this, value: value, key: key, map: m, count: arguments.length });
      }, thisArg);
      assert_equals(result, undefined, "forEach returns undefined");
      assert_equals(calls.length, 4, "number of calls");
      calls.forEach(function (c, i) {
        assert_equals(c.self, thisArg, "thisArg in call " + i);
        assert_equals(c.value, "usable", "value in call " + i);
        assert_true(c.key instanceof ArrayBuffer, "key in call " + i + " is an ArrayBuffer");
        assert_equals(hexOf(c.key), SORTED_HEX[i], "key in call " + i);
        assert_equals(c.map, map, "map in call " + i);
        assert_equals(c.count, 3, "argument count in call " + i);
      });
    });
  }, "forEach() calls back with (status, keyId, map) in key ID order and honours thisArg");

  promise_test(function () {
    return sessionWithKeys([1]).then(function (session) {
      var map = session.keyStatuses;
      assert_throws_js(TypeError, function () { map.forEach(); }, "no callback");
      assert_throws_js(TypeError, function () { map.forEach({}); }, "non-callable");
      assert_throws_js(TypeError, function () { map.forEach("function"); }, "a string");
    });
  }, "forEach() without a callable throws TypeError");

  promise_test(function () {
    return sessionWithKeys([1, 2]).then(function (session) {
      var map = session.keyStatuses;
      assert_equals(MediaKeyStatusMap.prototype[Symbol.iterator], MediaKeyStatusMap.prototype.entries, "@@iterator is entries");
      var viaSpread = [].concat.apply([], Array.from(map).map(function (e) { return [hexOf(e[0]), e[1]]; }));
      var viaEntries = [].concat.apply([], Array.from(map.entries()).map(function (e) { return [hexOf(e[0]), e[1]]; }));
      assert_array_equals(viaSpread, viaEntries, "for-of iteration equals entries()");
      var seen = 0;
      for (var pair of map) { seen++; assert_equals(pair[1], "usable", "status in for-of"); }
      assert_equals(seen, 2, "for-of iterations");
    });
  }, "@@iterator is the same function as entries(), so for-of yields the entries");

  promise_test(function () {
    return sessionWithKeys([1]).then(function (session) {
      var map = session.keyStatuses;
      var a = Array.from(map.keys())[0];
      var b = Array.from(map.keys())[0];
      var c = Array.from(map.entries())[0][0];
      assert_not_equals(a, b, "each keys() iteration returns a new ArrayBuffer");
      assert_not_equals(a, c, "keys() and entries() do not share ArrayBuffers");
      new Uint8Array(a).fill(0);
      assert_equals(map.get(keyId(1)), "usable", "changing a returned key ID does not change the map");
      assert_equals(hexOf(Array.from(map.keys())[0]), hexOf(keyId(1)), "the map still holds the original key ID");
    });
  }, "Key IDs given out by the iterators are fresh ArrayBuffers");

  promise_test(function () {
    return sessionWithKeys([1, 2]).then(function (session) {
      var map = session.keyStatuses;
      var it = map.keys();
      assert_equals(typeof it.next, "function", "iterator has next()");
      var first = it.next();
      assert_false(first.done, "first not done");
      var second = it.next();
      assert_false(second.done, "second not done");
      var third = it.next();
      assert_true(third.done, "done after two keys");
      assert_equals(third.value, undefined, "value when done");
    });
  }, "The key iterator yields each key once and then reports done");

  promise_test(function () {
    return createRequestedSession(config, "keyids", [keyId(1), keyId(2)]).then(function (r) {
      var session = r.session;
      var map = session.keyStatuses;
      return session.update(jwkSet(keyPairs(1, 2))).then(function () {
        assert_equals(session.keyStatuses, map, "keyStatuses is the same object after update");
        assert_equals(map.size, 2, "the earlier reference shows the new contents");
      });
    });
  }, "keyStatuses is the same MediaKeyStatusMap object before and after update()");

  // --- several sessions -------------------------------------------------------------------------

  promise_test(function () {
    return createMediaKeysFor(config).then(function (mediaKeys) {
      return createSessionWithKeys(config, [1, 2], mediaKeys).then(function (a) {
        return createSessionWithKeys(config, [3], mediaKeys).then(function (b) { return [a.session, b.session]; });
      });
    }).then(function (sessions) {
      var a = sessions[0].keyStatuses;
      var b = sessions[1].keyStatuses;
      assert_not_equals(a, b, "distinct maps");
      assert_equals(a.size, 2, "first session size");
      assert_equals(b.size, 1, "second session size");
      assert_true(a.has(keyId(1)) && a.has(keyId(2)), "first session has its keys");
      assert_false(a.has(keyId(3)), "first session does not list the other session's key");
      assert_true(b.has(keyId(3)), "second session has its key");
      assert_false(b.has(keyId(1)), "second session does not list the other session's key");
    });
  }, "Two sessions of one MediaKeys have independent key status maps");

  promise_test(function () {
    var a, b;
    return createMediaKeysFor(config).then(function (mediaKeys) {
      return createSessionWithKeys(config, [5], mediaKeys).then(function (ra) {
        a = ra.session;
        return createSessionWithKeys(config, [5], mediaKeys);
      });
    }).then(function (rb) {
      b = rb.session;
      assert_equals(a.keyStatuses.get(keyId(5)), "usable", "first session");
      assert_equals(b.keyStatuses.get(keyId(5)), "usable", "second session");
      return a.close();
    }).then(function () {
      assert_equals(a.keyStatuses.size, 0, "closed session");
      assert_equals(b.keyStatuses.get(keyId(5)), "usable", "the same key ID in the other session is kept");
    });
  }, "The same key ID in two sessions is tracked per session");

  promise_test(function () {
    return Promise.all([sessionWithKeys([1]), sessionWithKeys([1, 2])]).then(function (sessions) {
      assert_equals(sessions[0].keyStatuses.size, 1, "session on the first MediaKeys");
      assert_equals(sessions[1].keyStatuses.size, 2, "session on the second MediaKeys");
    });
  }, "Sessions of different MediaKeys have independent key status maps");

  // --- remove() and close() -------------------------------------------------------------------

  promise_test(function () {
    return sessionWithKeys([1, 2]).then(function (session) {
      var changed = waitForEvent(session, "keystatuseschange");
      var p = session.remove();
      assert_true(p instanceof Promise, "remove returns a Promise");
      return p.then(function (value) {
        assert_equals(value, undefined, "resolution value");
        assert_equals(session.keyStatuses.size, 2, "both keys still listed");
        assert_equals(session.keyStatuses.get(keyId(1)), "released", "key 1");
        assert_equals(session.keyStatuses.get(keyId(2)), "released", "key 2");
        assert_true(Number.isNaN(session.expiration), "expiration");
        return changed;
      }).then(function (e) {
        assert_equals(e.type, "keystatuseschange", "event after remove");
      });
    });
  }, "remove() on a temporary session resolves with every key \"released\", then keystatuseschange");

  promise_test(function () {
    return sessionWithKeys([1]).then(function (session) {
      var messages = 0;
      session.addEventListener("message", function () { messages++; });
      return session.remove().then(function () { return nextTask(30); }).then(function () {
        assert_equals(messages, 0, "no license-release message for a temporary session");
        return promiseState(session.closed);
      }).then(function (state) {
        assert_equals(state, "pending", "remove() does not close the session");
        return session.close();
      }).then(function () {
        return session.closed;
      }).then(function (reason) {
        assert_equals(reason, "closed-by-application", "the session can still be closed");
        assert_equals(session.keyStatuses.size, 0, "empty after close");
      });
    });
  }, "remove() on a temporary session sends no message and leaves the session open");

  promise_test(function () {
    return createRequestedSession(config, "keyids", [keyId(1)]).then(function (r) {
      return r.session.remove().then(function (value) {
        assert_equals(value, undefined, "resolution value");
        assert_equals(r.session.keyStatuses.size, 0, "no keys");
      });
    });
  }, "remove() on a callable session without keys resolves");

  promise_test(function () {
    return sessionWithKeys([1, 2, 3]).then(function (session) {
      var map = session.keyStatuses;
      return session.close().then(function () {
        assert_equals(map.size, 0, "size");
        assert_equals(Array.from(map.entries()).length, 0, "entries");
        var calls = 0;
        map.forEach(function () { calls++; });
        assert_equals(calls, 0, "forEach calls");
        assert_equals(map.get(keyId(1)), undefined, "get");
      });
    });
  }, "After close() the map is empty");

  promise_test(function () {
    return createFreshSession(config).then(function (session) {
      var map = session.keyStatuses;
      assert_equals(map.size, 0, "size");
      assert_false(map.has(keyId(1)), "has");
      assert_equals(map.get(keyId(1)), undefined, "get");
      assert_equals(Array.from(map.keys()).length, 0, "keys");
      assert_equals(Array.from(map.values()).length, 0, "values");
    });
  }, "The map of a new session is empty and iterates nothing");
}
