// What a test page adds to the runtime's native `document` (an HTML document holding
// <html><head></head><body></body>, see crates/html). The runner evaluates this file to a
// function and calls it with a description of the page (its URL, title, timeout and external
// scripts); the function puts into the document's head what the page's markup declared and
// scripts can ask for — the <title>, <meta name="timeout"> and <script src> elements — defines
// `location` and the window relations testharness.js reads, and returns the page's parser
// hooks: `insertBody(i)` builds the body markup that precedes script i (or, for i equal to the
// number of scripts, what follows the last one) as the runner reaches it, and
// `fireLoadEvents` fires the page's load events after its last script.
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

  // The body's markup, replayed through the DOM as the parser would build it: the steps come
  // from the runner's reader (crates/wpt/src/markup.rs). Attributes are set before the element
  // is inserted, through setAttribute so element hooks (a media element's src) run.
  var body = page.body || [];
  var open = [document.body];
  function setAttributes(element, attributes) {
    attributes.forEach(function (attribute) {
      try {
        element.setAttribute(attribute[0], attribute[1]);
      } catch (e) {
        // An attribute name the DOM refuses (`"`, `<`…) is dropped, as a parser never makes it.
      }
    });
  }
  function insertBody(index) {
    (body[index] || []).forEach(function (step) {
      var parent = open[open.length - 1];
      switch (step.op) {
        case "open": {
          var element = null;
          if (parent) {
            try {
              element = document.createElement(step.name);
            } catch (e) {
              element = null; // a name the DOM refuses: the element and its content are skipped
            }
          }
          if (element) {
            setAttributes(element, step.attributes);
            parent.appendChild(element);
          }
          open.push(element);
          break;
        }
        case "close":
          if (open.length > 1) open.pop();
          break;
        case "text":
          if (parent) parent.appendChild(document.createTextNode(step.text));
          break;
        case "body":
          setAttributes(document.body, step.attributes);
          break;
      }
    });
  }

  // The end of parsing (https://html.spec.whatwg.org/multipage/parsing.html#the-end), run
  // after the last script: `setReadyState` is the runner's native "update the current
  // document readiness" (it fires readystatechange).
  function fireLoadEvents(setReadyState) {
    setReadyState("interactive");
    document.dispatchEvent(new Event("DOMContentLoaded", { bubbles: true }));
    setReadyState("complete");
    global.dispatchEvent(new Event("load"));
  }
  return { insertBody: insertBody, fireLoadEvents: fireLoadEvents };
})
