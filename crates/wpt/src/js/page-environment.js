// The document a test page sees. The runner evaluates this file to a function and calls it
// with a description of the page (its URL, title, timeout and external scripts); the
// function installs `document`, `location` and the window relations testharness.js reads,
// and returns the hook that fires the page's load events after its last script.
//
// The document holds only what the page's markup declared that scripts can ask for:
// its <title>, its <meta name="timeout"> and its <script src> elements. There is no element
// tree: getElementById and the selectors find nothing.
(function (page) {
  "use strict";
  var global = globalThis;

  function readOnly(object, name, value) {
    Object.defineProperty(object, name, { value: value, enumerable: true, configurable: true, writable: false });
  }

  function element(tagName, properties) {
    var node = { tagName: tagName.toUpperCase(), localName: tagName, nodeType: 1 };
    Object.keys(properties).forEach(function (key) {
      node[key] = properties[key];
    });
    return node;
  }

  var location = new URL(page.url);
  var byTagName = {
    title: page.title === null ? [] : [element("title", {
      textContent: page.title,
      firstChild: { nodeType: 3, data: page.title, textContent: page.title }
    })],
    meta: page.longTimeout ? [element("meta", { name: "timeout", content: "long" })] : [],
    script: page.scripts.map(function (src) {
      return element("script", { src: src });
    })
  };

  var document = new EventTarget();
  var readyState = "loading";
  Object.defineProperties(document, {
    URL: { value: location.href, enumerable: true },
    documentURI: { value: location.href, enumerable: true },
    title: { value: page.title === null ? "" : page.title, enumerable: true },
    readyState: { get: function () { return readyState; }, enumerable: true },
    defaultView: { value: global, enumerable: true },
    documentElement: { value: null, enumerable: true },
    head: { value: null, enumerable: true },
    body: { value: null, enumerable: true },
    location: { get: function () { return location; }, enumerable: true },
    getElementsByTagName: {
      value: function getElementsByTagName(name) {
        return (byTagName[String(name).toLowerCase()] || []).slice();
      },
      enumerable: true
    },
    getElementById: { value: function getElementById() { return null; }, enumerable: true },
    querySelector: { value: function querySelector() { return null; }, enumerable: true },
    querySelectorAll: { value: function querySelectorAll() { return []; }, enumerable: true }
  });
  Object.defineProperty(document, Symbol.toStringTag, { value: "Document" });

  readOnly(global, "document", document);
  Object.defineProperty(global, "location", {
    get: function () { return location; },
    enumerable: true,
    configurable: true
  });
  // A top-level browsing context: its own parent and top, no opener, no frame element.
  readOnly(global, "parent", global);
  readOnly(global, "top", global);
  readOnly(global, "frames", global);
  readOnly(global, "opener", null);
  readOnly(global, "frameElement", null);
  readOnly(global, "isSecureContext", location.protocol === "https:");
  readOnly(global, "origin", location.origin);

  return function fireLoadEvents() {
    readyState = "interactive";
    document.dispatchEvent(new Event("DOMContentLoaded", { bubbles: true }));
    readyState = "complete";
    global.dispatchEvent(new Event("load"));
  };
})
