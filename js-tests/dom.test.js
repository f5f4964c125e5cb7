// The document as a script run by `eme run` sees it: the native DOM core (crates/html).
// Spec: https://dom.spec.whatwg.org/ (Node, Element, Text, Document, the mutation algorithms)
// and HTML's Document partial interface (head, body, title, readyState).

test("document is an HTML document with html, head and body", function () {
  assert(document instanceof Document, "document instanceof Document");
  assert(window.document === document, "window.document");
  assertEquals(Object.prototype.toString.call(document), "[object Document]");
  assertEquals(document.documentElement.localName, "html");
  assertEquals(document.head.parentNode, document.documentElement);
  assertEquals(document.body.previousSibling, document.head);
  assertEquals(document.readyState, "complete");
  assertEquals(document.contentType, "text/html");
  assertEquals(document.URL, location.href, "the URL is the first script's");
  assertEquals(document.location, location);
});

test("prototype chains follow the IDL", function () {
  var text = document.createTextNode("x");
  var div = document.createElement("div");
  assertArrayEquals(
    [Text, CharacterData, Node, EventTarget].map(function (I) { return text instanceof I; }),
    [true, true, true, true]);
  assertArrayEquals(
    [HTMLDivElement, HTMLElement, Element, Node, EventTarget].map(function (I) { return div instanceof I; }),
    [true, true, true, true, true]);
  assertThrows(TypeError, function () { new Node(); });
  assertThrows(TypeError, function () { new Element(); });
  assertThrows(TypeError, function () { Node.prototype.appendChild.call({}, div); }, "brand check");
  assert(Object.getOwnPropertyDescriptor(Node.prototype, "appendChild").enumerable, "operations are enumerable");
});

test("building a tree and reading it back", function () {
  var list = document.createElement("ul");
  ["one", "two", "three"].forEach(function (label, i) {
    var item = document.createElement("LI");
    item.id = "item" + i;
    item.className = i % 2 ? "odd" : "even";
    item.textContent = label;
    list.appendChild(item);
  });
  document.body.appendChild(list);
  assertEquals(list.childNodes.length, 3);
  assertEquals(list.textContent, "onetwothree");
  assertEquals(document.getElementById("item1").textContent, "two");
  assertEquals(document.querySelectorAll("li.even").length, 2);
  assertEquals(list.children[2].id, "item2");
  assertEquals(list.innerHTML,
    '<li id="item0" class="even">one</li><li id="item1" class="odd">two</li><li id="item2" class="even">three</li>');
  assertThrows("SyntaxError", function () { document.querySelector("ul > li"); }, "combinators are not supported");
  document.body.removeChild(list);
  assertEquals(document.getElementById("item1"), null);
});

test("the DOM's mutation exceptions", function () {
  var div = document.createElement("div");
  var child = div.appendChild(document.createElement("span"));
  assertThrows("HierarchyRequestError", function () { child.appendChild(div); }, "a cycle");
  assertThrows("HierarchyRequestError", function () { document.appendChild(document.createElement("p")); },
    "a second document element");
  assertThrows("HierarchyRequestError", function () { document.createTextNode("t").appendChild(div); });
  assertThrows("NotFoundError", function () { div.removeChild(document.body); });
  assertThrows("NotFoundError", function () { div.insertBefore(document.createElement("b"), document.body); });
  assertThrows(TypeError, function () { div.appendChild("not a node"); });
  assertThrows("InvalidCharacterError", function () { document.createElement("no spaces"); });
  assertEquals(div.replaceChild(document.createTextNode("new"), child), child);
  assertEquals(div.textContent, "new");
});

test("attributes, and childNodes staying live", function () {
  var video = document.createElement("video-like");
  video.setAttribute("SRC", "clip.mp4");
  assertEquals(video.getAttribute("src"), "clip.mp4", "names are lower-cased in HTML documents");
  assertArrayEquals(video.getAttributeNames(), ["src"]);
  assert(video.toggleAttribute("muted"), "toggled on");
  assertEquals(video.getAttribute("muted"), "");
  video.removeAttribute("src");
  assertEquals(video.hasAttribute("src"), false);
  var nodes = video.childNodes;
  video.appendChild(new Text("a"));
  assertEquals(nodes.length, 1);
  assert(nodes === video.childNodes && nodes[0] === video.firstChild, "the same, live NodeList");
});

test("document.title and text content", function () {
  assertEquals(document.title, "");
  document.title = "  My   page ";
  assertEquals(document.title, "My page");
  assertEquals(document.querySelector("title").textContent, "  My   page ");
  document.head.removeChild(document.querySelector("title"));
});

test("events dispatch at nodes (target only)", function () {
  var p = document.createElement("p");
  document.body.appendChild(p);
  var seen = [];
  p.addEventListener("ping", function (e) { seen.push("p:" + (e.target === p)); });
  document.body.addEventListener("ping", function () { seen.push("body"); });
  p.dispatchEvent(new Event("ping", { bubbles: true }));
  assertArrayEquals(seen, ["p:true"], "no bubbling to the parent");
  p.remove();
  assertEquals(p.parentNode, null);
});
