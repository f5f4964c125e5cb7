// What a test page adds to the runtime's native `document` (an HTML document holding
// <html><head></head><body></body>, see crates/html). The runner evaluates this file to a
// function and calls it with a description of the page (its URL, title, timeout and external
// scripts); the function puts into the document's head what the page's markup declared and
// scripts can ask for — the <title>, <meta name="timeout"> and <script src> elements — defines
// `location` and the window relations testharness.js reads, and returns the hook that fires
// the page's load events after its last script.
(function (page) {
  "use strict";
  var global = globalThis;

  function readOnly(object, name, value) {
    Object.defineProperty(object, name, { value: value, enumerable: true, configurable: true, writable: false });
  }

  var location = new URL(page.url);
  var head = document.head;
  if (page.title !== null) {
    var title = document.createElement("title");
    title.textContent = page.title;
    head.appendChild(title);
  }
  if (page.longTimeout) {
    var meta = document.createElement("meta");
    meta.setAttribute("name", "timeout");
    meta.setAttribute("content", "long");
    head.appendChild(meta);
  }
  page.scripts.forEach(function (src) {
    var script = document.createElement("script");
    script.setAttribute("src", src);
    head.appendChild(script);
  });

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

  // The end of parsing (https://html.spec.whatwg.org/multipage/parsing.html#the-end), run
  // after the last script: `setReadyState` is the runner's native "update the current
  // document readiness" (it fires readystatechange).
  return function fireLoadEvents(setReadyState) {
    setReadyState("interactive");
    document.dispatchEvent(new Event("DOMContentLoaded", { bubbles: true }));
    setReadyState("complete");
    global.dispatchEvent(new Event("load"));
  };
})
