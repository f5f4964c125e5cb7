// The document a test page sees. The runner evaluates this file to a function and calls it
// with a description of the page (its URL, title, timeout and external scripts); the
// function installs `document`, `location` and the window relations testharness.js reads,
// and returns the hook that fires the page's load events after its last script.
//
// The document is a small element tree: <html> with a <head> holding the page's <title>,
// <meta name="timeout"> and <script src> elements (what the markup declared that scripts can
// ask for), and an empty <body>. Scripts may create elements and text nodes, append, remove
// and find them by id or tag name; elements have attributes and events but no rendering and
// no element-specific behaviour (a <video> is a plain element: there are no media elements).
(function (page) {
  "use strict";
  var global = globalThis;
  var ELEMENT_NODE = 1;
  var TEXT_NODE = 3;
  var DOCUMENT_NODE = 9;

  function readOnly(object, name, value) {
    Object.defineProperty(object, name, { value: value, enumerable: true, configurable: true, writable: false });
  }

  function accessor(object, name, get, set) {
    Object.defineProperty(object, name, { get: get, set: set, enumerable: true, configurable: true });
  }

  function notFound() {
    return new DOMException("The node to be removed is not a child of this node.", "NotFoundError");
  }

  function textOf(node) {
    if (node.nodeType === TEXT_NODE) {
      return node.data;
    }
    return node.childNodes.map(textOf).join("");
  }

  // What elements and the document share: a parent of child nodes.
  function makeParent(node, ownerDocument) {
    var childNodes = [];
    readOnly(node, "childNodes", childNodes);
    readOnly(node, "ownerDocument", ownerDocument);
    accessor(node, "firstChild", function () { return childNodes[0] || null; });
    accessor(node, "lastChild", function () { return childNodes[childNodes.length - 1] || null; });
    accessor(node, "children", function () {
      return childNodes.filter(function (child) { return child.nodeType === ELEMENT_NODE; });
    });
    readOnly(node, "hasChildNodes", function hasChildNodes() { return childNodes.length > 0; });
    readOnly(node, "insertBefore", function insertBefore(child, reference) {
      if (!child || typeof child.nodeType !== "number" || child.nodeType === DOCUMENT_NODE) {
        throw new TypeError("Failed to execute 'insertBefore': parameter 1 is not of type 'Node'.");
      }
      if (child === node || (child.contains && child.contains(node))) {
        throw new DOMException("The new child element contains the parent.", "HierarchyRequestError");
      }
      var at = reference === null || reference === undefined ? childNodes.length : childNodes.indexOf(reference);
      if (at < 0) {
        throw new DOMException("The node before which the new node is to be inserted is not a child of this node.", "NotFoundError");
      }
      if (child.parentNode) {
        child.parentNode.removeChild(child);
        at = reference === null || reference === undefined ? childNodes.length : childNodes.indexOf(reference);
      }
      childNodes.splice(at, 0, child);
      child._setParent(node);
      return child;
    });
    readOnly(node, "appendChild", function appendChild(child) {
      return node.insertBefore(child, null);
    });
    readOnly(node, "removeChild", function removeChild(child) {
      var at = childNodes.indexOf(child);
      if (at < 0) {
        throw notFound();
      }
      childNodes.splice(at, 1);
      child._setParent(null);
      return child;
    });
    readOnly(node, "contains", function contains(other) {
      for (var at = other; at; at = at.parentNode) {
        if (at === node) {
          return true;
        }
      }
      return false;
    });
    readOnly(node, "getElementsByTagName", function getElementsByTagName(name) {
      var wanted = String(name).toLowerCase();
      var found = [];
      (function walk(parent) {
        parent.childNodes.forEach(function (child) {
          if (child.nodeType === ELEMENT_NODE) {
            if (wanted === "*" || child.localName === wanted) {
              found.push(child);
            }
            walk(child);
          }
        });
      })(node);
      return found;
    });
    readOnly(node, "querySelectorAll", function querySelectorAll(selector) {
      var text = String(selector).trim();
      if (/^#[\w-]+$/.test(text)) {
        var byId = (ownerDocument || node).getElementById(text.slice(1));
        return byId && node.contains(byId) && byId !== node ? [byId] : [];
      }
      if (/^[a-zA-Z][\w-]*$/.test(text) || text === "*") {
        return node.getElementsByTagName(text);
      }
      throw new DOMException("This page environment supports only #id and tag-name selectors, not '" + text + "'.", "SyntaxError");
    });
    readOnly(node, "querySelector", function querySelector(selector) {
      return node.querySelectorAll(selector)[0] || null;
    });
  }

  function makeChild(node) {
    var parent = null;
    Object.defineProperty(node, "_setParent", { value: function (newParent) { parent = newParent; } });
    accessor(node, "parentNode", function () { return parent; });
    accessor(node, "parentElement", function () { return parent && parent.nodeType === ELEMENT_NODE ? parent : null; });
    accessor(node, "nextSibling", function () {
      return parent ? parent.childNodes[parent.childNodes.indexOf(node) + 1] || null : null;
    });
    accessor(node, "previousSibling", function () {
      return parent ? parent.childNodes[parent.childNodes.indexOf(node) - 1] || null : null;
    });
    readOnly(node, "remove", function remove() {
      if (parent) {
        parent.removeChild(node);
      }
    });
  }

  function createTextNode(ownerDocument, data) {
    var node = new EventTarget();
    var text = String(data);
    readOnly(node, "nodeType", TEXT_NODE);
    readOnly(node, "nodeName", "#text");
    readOnly(node, "ownerDocument", ownerDocument);
    accessor(node, "data", function () { return text; }, function (value) { text = String(value); });
    accessor(node, "textContent", function () { return text; }, function (value) { text = String(value); });
    accessor(node, "nodeValue", function () { return text; }, function (value) { text = String(value); });
    makeChild(node);
    return node;
  }

  function createElement(ownerDocument, name) {
    var localName = String(name).toLowerCase();
    if (!/^[a-z][^\s\/>]*$/.test(localName)) {
      throw new DOMException("The tag name provided ('" + name + "') is not a valid name.", "InvalidCharacterError");
    }
    var element = new EventTarget();
    var attributes = new Map();
    readOnly(element, "nodeType", ELEMENT_NODE);
    readOnly(element, "localName", localName);
    readOnly(element, "tagName", localName.toUpperCase());
    readOnly(element, "nodeName", localName.toUpperCase());
    readOnly(element, "style", {});
    readOnly(element, "setAttribute", function setAttribute(key, value) { attributes.set(String(key).toLowerCase(), String(value)); });
    readOnly(element, "getAttribute", function getAttribute(key) {
      var value = attributes.get(String(key).toLowerCase());
      return value === undefined ? null : value;
    });
    readOnly(element, "hasAttribute", function hasAttribute(key) { return attributes.has(String(key).toLowerCase()); });
    readOnly(element, "removeAttribute", function removeAttribute(key) { attributes.delete(String(key).toLowerCase()); });
    ["id", "className", "name", "content", "src", "title"].forEach(function (property) {
      var attribute = property === "className" ? "class" : property;
      accessor(element, property,
        function () { var value = element.getAttribute(attribute); return value === null ? "" : value; },
        function (value) { element.setAttribute(attribute, value); });
    });
    makeParent(element, ownerDocument);
    makeChild(element);
    accessor(element, "textContent", function () { return textOf(element); }, function (value) {
      element.childNodes.slice().forEach(function (child) { element.removeChild(child); });
      if (value !== null && value !== undefined && String(value) !== "") {
        element.appendChild(createTextNode(ownerDocument, value));
      }
    });
    Object.defineProperty(element, Symbol.toStringTag, { value: "HTMLElement" });
    return element;
  }

  var location = new URL(page.url);
  var document = new EventTarget();
  var readyState = "loading";
  readOnly(document, "nodeType", DOCUMENT_NODE);
  readOnly(document, "nodeName", "#document");
  makeParent(document, null);
  readOnly(document, "createElement", function (name) { return createElement(document, name); });
  readOnly(document, "createElementNS", function (namespace, name) {
    return createElement(document, String(name).replace(/^.*:/, ""));
  });
  readOnly(document, "createTextNode", function (data) { return createTextNode(document, data); });
  readOnly(document, "getElementById", function getElementById(id) {
    var wanted = String(id);
    return document.getElementsByTagName("*").filter(function (element) {
      return element.getAttribute("id") === wanted;
    })[0] || null;
  });

  var html = createElement(document, "html");
  var head = createElement(document, "head");
  var body = createElement(document, "body");
  document.appendChild(html);
  html.appendChild(head);
  html.appendChild(body);
  if (page.title !== null) {
    var title = createElement(document, "title");
    title.textContent = page.title;
    head.appendChild(title);
  }
  if (page.longTimeout) {
    var meta = createElement(document, "meta");
    meta.setAttribute("name", "timeout");
    meta.setAttribute("content", "long");
    head.appendChild(meta);
  }
  page.scripts.forEach(function (src) {
    var script = createElement(document, "script");
    script.setAttribute("src", src);
    head.appendChild(script);
  });

  Object.defineProperties(document, {
    URL: { value: location.href, enumerable: true },
    documentURI: { value: location.href, enumerable: true },
    readyState: { get: function () { return readyState; }, enumerable: true },
    defaultView: { value: global, enumerable: true },
    documentElement: { value: html, enumerable: true },
    head: { value: head, enumerable: true },
    body: { value: body, enumerable: true },
    location: { get: function () { return location; }, enumerable: true },
    title: {
      get: function () {
        var element = document.getElementsByTagName("title")[0];
        return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
      },
      enumerable: true
    }
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
