//! The DOM core (`eme_html`) as scripts see it: interface shapes, tree mutations and their
//! exceptions, attributes, selectors, text, the element-factory hooks a media element uses,
//! the document's readiness, and GC safety of the tree.

mod common;

use boa_engine::{
    Context, JsData, JsObject, JsResult, JsString, JsValue, NativeFunction, js_string,
};
use boa_gc::{Finalize, Trace};
use common::{json, runtime};
use eme_dom::interface::{self, InterfaceBuilder};
use eme_html::{AttributeChange, ElementSteps, Node};

/// Evaluates `expr` and returns `JSON.stringify` of it, in a fresh runtime after `setup`.
fn eval_json(setup: &str, expr: &str) -> String {
    let mut rt = runtime();
    rt.eval_script(setup, "setup.js").expect("setup runs");
    assert!(
        rt.report().problems.is_empty(),
        "{:?}",
        rt.report().problems
    );
    json(&mut rt, expr)
}

fn check(expr: &str) {
    assert_eq!(eval_json("", expr), "true", "{expr}");
}

/// The name of the exception `code` throws, or "none".
fn thrown(code: &str) -> String {
    eval_json(
        &format!("var result; try {{ {code}; result = 'none'; }} catch (e) {{ result = e.name; }}"),
        "result",
    )
}

#[test]
fn prototype_chains_and_tags() {
    check("Object.getPrototypeOf(Text.prototype) === CharacterData.prototype");
    check("Object.getPrototypeOf(CharacterData.prototype) === Node.prototype");
    check("Object.getPrototypeOf(Node.prototype) === EventTarget.prototype");
    check("Object.getPrototypeOf(HTMLElement.prototype) === Element.prototype");
    check("Object.getPrototypeOf(Element.prototype) === Node.prototype");
    check("Object.getPrototypeOf(Document.prototype) === Node.prototype");
    check("Object.getPrototypeOf(HTMLDivElement) === HTMLElement");
    check("document instanceof Document && window.document === document");
    check("Object.prototype.toString.call(document) === '[object Document]'");
    check("Object.prototype.toString.call(document.body) === '[object HTMLBodyElement]'");
    check("Object.prototype.toString.call(new Text('x')) === '[object Text]'");
    check(
        "Object.prototype.toString.call(document.createElement('video-x')) === '[object HTMLElement]'",
    );
    check("Object.prototype.toString.call(document.body.childNodes) === '[object NodeList]'");
    check("Object.prototype.toString.call(document.body.children) === '[object HTMLCollection]'");
}

#[test]
fn webidl_shapes() {
    // Operations enumerable, accessors named, constants on both objects.
    check("Object.getOwnPropertyDescriptor(Node.prototype, 'appendChild').enumerable");
    check("Node.prototype.appendChild.length === 1 && Node.prototype.insertBefore.length === 2");
    check(
        "Object.getOwnPropertyDescriptor(Node.prototype, 'parentNode').get.name === 'get parentNode'",
    );
    check(
        "Object.getOwnPropertyDescriptor(Node.prototype, 'textContent').set.name === 'set textContent'",
    );
    check("Node.ELEMENT_NODE === 1 && Node.prototype.TEXT_NODE === 3 && Node.DOCUMENT_NODE === 9");
    check("!Object.getOwnPropertyDescriptor(Node, 'ELEMENT_NODE').writable");
    check("Object.getOwnPropertyDescriptor(window, 'Node').enumerable === false");
    check("Object.getOwnPropertyDescriptor(window, 'document').configurable === false");
    check("Object.getOwnPropertyDescriptor(document, 'location').configurable === false");
    check("NodeList.prototype[Symbol.iterator] === Array.prototype.values");
    check("NodeList.prototype.forEach === Array.prototype.forEach");
    check("HTMLCollection.prototype[Symbol.iterator] === Array.prototype.values");
    // Illegal constructors where the IDL has none; Text and Document have one.
    for name in [
        "Node",
        "Element",
        "HTMLElement",
        "CharacterData",
        "NodeList",
        "HTMLCollection",
    ] {
        assert_eq!(thrown(&format!("new {name}()")), r#""TypeError""#, "{name}");
    }
    check(
        "new Text('a').data === 'a' && new Text().data === '' && new Text().ownerDocument === document",
    );
    check(
        "new Document().contentType === 'application/xml' && new Document().childNodes.length === 0",
    );
    // Brand checks.
    for code in [
        "Node.prototype.appendChild.call({}, document.body)",
        "Object.getOwnPropertyDescriptor(Node.prototype, 'nodeType').get.call(new EventTarget())",
        "Element.prototype.getAttribute.call(new Text('x'), 'id')",
        "Object.getOwnPropertyDescriptor(CharacterData.prototype, 'data').get.call(document.body)",
        "Document.prototype.createElement.call(document.body, 'p')",
        "Object.getOwnPropertyDescriptor(HTMLMetaElement.prototype, 'content').get.call(document.body)",
        "Element.prototype.querySelector.call(document, 'p')",
    ] {
        assert_eq!(thrown(code), r#""TypeError""#, "{code}");
    }
    // EventTarget members accept nodes.
    check(
        "(() => { let seen = 0; const p = document.createElement('p'); \
         p.addEventListener('x', () => seen++); p.dispatchEvent(new Event('x')); return seen === 1; })()",
    );
}

#[test]
fn the_initial_document() {
    assert_eq!(
        eval_json(
            "",
            "[document.documentElement.outerHTML === undefined, document.documentElement.innerHTML, \
             document.head.tagName, document.body.nodeName, document.childNodes.length, \
             document.readyState, document.URL, document.title, document.nodeName, \
             document.ownerDocument, document.body.ownerDocument === document, \
             document.defaultView === window, document.characterSet, document.compatMode]"
        ),
        r##"[true,"<head></head><body></body>","HEAD","BODY",1,"complete","about:blank","","#document",null,true,true,"UTF-8","CSS1Compat"]"##
    );
}

#[test]
fn tree_operations() {
    let setup = r#"
        var a = document.createElement("div"), b = document.createElement("span"),
            c = document.createElement("p"), t = document.createTextNode("text");
        document.body.appendChild(a);
        a.appendChild(b); a.appendChild(t); a.insertBefore(c, t);
        var order = () => Array.from(a.childNodes, n => n.nodeName).join();
        var log = [order()];
        a.insertBefore(t, b); log.push(order());
        a.insertBefore(b, b); log.push(order());
        a.replaceChild(b, c); log.push(order());
        log.push(a.removeChild(t) === t, t.parentNode, order());
        a.appendChild(b); log.push(order());
        log.push(b.parentElement === a, a.parentNode === document.body, document.documentElement.parentElement);
        log.push(a.firstChild === b, a.lastChild === b, b.previousSibling, b.nextSibling);
        log.push(document.contains(b), a.contains(a), b.contains(a), a.contains(null));
        c.appendChild(t); a.appendChild(c);
        log.push(a.hasChildNodes(), t.hasChildNodes(), a.textContent, a.childNodes.length, a.childNodes.item(1) === c);
        log.push(b.isConnected, document.createElement("x").isConnected);
    "#;
    assert_eq!(
        eval_json(setup, "log"),
        r##"["SPAN,P,#text","#text,SPAN,P","#text,SPAN,P","#text,SPAN",true,null,"SPAN","SPAN",true,true,null,true,true,null,null,true,true,false,false,true,false,"text",2,true,true,false]"##
    );
}

#[test]
fn mutation_exceptions() {
    let cases = [
        // HierarchyRequestError: cycles, children of text, documents as children, two roots,
        // text in a document.
        (
            "document.body.appendChild(document.documentElement)",
            "HierarchyRequestError",
        ),
        (
            "var d = document.createElement('div'); d.appendChild(d)",
            "HierarchyRequestError",
        ),
        (
            "new Text('a').appendChild(document.createElement('p'))",
            "HierarchyRequestError",
        ),
        (
            "document.body.appendChild(new Document())",
            "HierarchyRequestError",
        ),
        (
            "document.appendChild(document.createElement('p'))",
            "HierarchyRequestError",
        ),
        (
            "document.appendChild(new Text('x'))",
            "HierarchyRequestError",
        ),
        // NotFoundError: the reference / removed / replaced child is not a child.
        (
            "document.body.insertBefore(document.createElement('p'), document.head)",
            "NotFoundError",
        ),
        ("document.body.removeChild(document.head)", "NotFoundError"),
        (
            "document.body.replaceChild(document.createElement('p'), document.head)",
            "NotFoundError",
        ),
        // Step order: the ancestor check (2) comes before the reference child check (3).
        (
            "document.body.insertBefore(document.documentElement, document.head)",
            "HierarchyRequestError",
        ),
        // TypeErrors of the WebIDL conversions.
        ("document.body.appendChild({})", "TypeError"),
        ("document.body.appendChild()", "TypeError"),
        (
            "document.body.insertBefore(document.createElement('p'))",
            "TypeError",
        ),
        ("document.createElement('1a')", "InvalidCharacterError"),
        ("document.createElement('')", "InvalidCharacterError"),
        (
            "document.body.setAttribute('a b', '')",
            "InvalidCharacterError",
        ),
        ("document.createElementNS(null, 'x:y')", "NamespaceError"),
    ];
    for (code, name) in cases {
        assert_eq!(thrown(code), format!("\"{name}\""), "{code}");
    }
    // Replacing the document element with another element is allowed (step 6 excepts it).
    check(
        "(() => { const d = new Document(); const a = d.createElement('a'); d.appendChild(a); \
         const b = d.createElement('b'); d.replaceChild(b, a); return d.documentElement === b; })()",
    );
    // A failed insertion leaves the tree unchanged; exceptions are DOMExceptions with codes.
    check(
        "(() => { try { document.appendChild(document.createElement('p')); } catch (e) { \
         return e instanceof DOMException && e.code === 3 && document.childNodes.length === 1; } })()",
    );
}

#[test]
fn attributes_and_reflection() {
    let setup = r#"
        var e = document.createElement("DIV");
        e.setAttribute("ID", "one"); e.setAttribute("data-x", 5); e.className = "a  b";
        var log = [e.localName, e.tagName, e.id, e.getAttribute("id"), e.getAttribute("Data-X"),
                   e.getAttributeNames(), e.hasAttribute("class"), e.getAttribute("nope"), e.hasAttributes()];
        e.removeAttribute("data-x"); e.removeAttribute("absent");
        log.push(e.getAttributeNames(), e.toggleAttribute("hidden"), e.hidden, e.toggleAttribute("hidden", true));
        e.hidden = false; e.title = "t";
        log.push(e.hasAttribute("hidden"), e.getAttribute("title"), e.attributes.length, e.attributes[0].name);
        var x = new Document().createElement("Mixed");
        x.setAttribute("Attr", "v");
        log.push(x.tagName, x.namespaceURI, x.getAttribute("attr"), x.getAttribute("Attr"), e.namespaceURI);
        var script = document.createElement("script"); script.src = "a/b.js";
        var meta = document.createElement("meta"); meta.name = "timeout"; meta.content = "long";
        log.push(script.src, script.getAttribute("src"), meta.getAttribute("name"), meta.content);
    "#;
    assert_eq!(
        eval_json(setup, "log"),
        r#"["div","DIV","one","one","5",["id","data-x","class"],true,null,true,["id","class"],true,true,true,false,"t",3,"id","Mixed",null,null,"v","http://www.w3.org/1999/xhtml","a/b.js","a/b.js","timeout","long"]"#
    );
}

#[test]
fn selectors_and_lookups() {
    let setup = r##"
        document.body.innerHTML = "";
        function el(tag, id, cls, parent) {
            const e = document.createElement(tag);
            if (id) e.id = id;
            if (cls) e.className = cls;
            (parent || document.body).appendChild(e);
            return e;
        }
        var a = el("div", "a", "x y"), b = el("span", "b", "y", a), c = el("div", null, "x", b), d = el("p", "d");
        var ids = list => Array.from(list, e => e.id || e.localName);
        var log = [
            ids(document.querySelectorAll("div")), ids(document.querySelectorAll("#b")),
            ids(document.querySelectorAll(".y")), ids(document.querySelectorAll("div.x")),
            ids(document.querySelectorAll("div#a.x.y")), ids(document.querySelectorAll("p, span")),
            ids(document.querySelectorAll("DIV")), ids(a.querySelectorAll("*")),
            ids(a.querySelectorAll("div")), document.querySelector(".nope"), document.querySelector("#d") === d,
            ids(document.getElementsByTagName("div")), document.getElementsByTagName("*").length,
            document.getElementById("b") === b, document.getElementById("zz"), c.matches(".x"), c.matches("span"),
            ids(a.children), a.childElementCount, a.firstElementChild === b, document.body.lastElementChild === d,
            document.body.children.namedItem("d") === d, document.body.children.item(5),
        ];
        var errors = ["div p", "a > b", "[id]", "a:hover", "", "#", "a,"].map(s => {
            try { document.querySelectorAll(s); return "none"; } catch (e) { return e.name; }
        });
    "##;
    assert_eq!(
        eval_json(setup, "log"),
        r#"[["a","div"],["b"],["a","b"],["a","div"],["a"],["b","d"],["a","div"],["b","div"],["div"],null,true,["a","div"],7,true,null,true,false,["b"],1,true,true,true,null]"#
    );
    assert_eq!(
        eval_json(setup, "errors"),
        r#"["SyntaxError","SyntaxError","SyntaxError","SyntaxError","SyntaxError","SyntaxError","SyntaxError"]"#
    );
}

#[test]
fn text_content_and_markup() {
    let setup = r#"
        var p = document.createElement("p");
        p.textContent = "a<b>&\u00a0";
        var log = [p.childNodes.length, p.firstChild.data, p.firstChild.length, p.innerHTML];
        var s = document.createElement("span"); s.setAttribute("title", 'q"&'); s.appendChild(new Text("x"));
        p.appendChild(s); p.appendChild(document.createElement("br"));
        log.push(p.textContent, p.innerHTML, p.firstChild.nodeValue, p.nodeValue);
        p.textContent = ""; log.push(p.childNodes.length, p.firstChild);
        p.textContent = null; p.innerHTML = "plain"; log.push(p.textContent, p.childNodes.length);
        try { p.innerHTML = "<b>x</b>"; } catch (e) { log.push(e.name); }
        var t = new Text("abc"); t.textContent = "de"; t.data = null; log.push(t.data, document.textContent);
        document.title = " A \n title  "; log.push(document.title, document.head.firstChild.text);
    "#;
    assert_eq!(
        eval_json(setup, "log"),
        concat!(
            r#"[1,"a<b>&"#,
            "\u{a0}",
            r#"",6,"a&lt;b&gt;&amp;&nbsp;","a<b>&"#,
            "\u{a0}",
            r#"x","a&lt;b&gt;&amp;&nbsp;<span title=\"q&quot;&amp;\">x</span><br>","a<b>&"#,
            "\u{a0}",
            r#"",null,0,null,"plain",1,"NotSupportedError","",null,"A title"," A \n title  "]"#
        )
    );
}

#[test]
fn child_nodes_is_live_and_the_same_object() {
    let setup = r#"
        var d = document.createElement("div");
        var list = d.childNodes;
        var log = [list === d.childNodes, list.length, list[0]];
        var a = d.appendChild(document.createElement("a")), b = d.appendChild(new Text("b"));
        log.push(list.length, list[0] === a, list[1] === b, Object.keys(list).join());
        d.removeChild(a);
        log.push(list.length, list[0] === b, list[1], Object.keys(list).join(), [...list].length);
        var entries = []; list.forEach((n, i) => entries.push(i + ":" + n.nodeName)); log.push(entries);
        var snapshot = document.querySelectorAll("head, body");
        document.documentElement.removeChild(document.head);
        log.push(snapshot.length, snapshot[0].localName);
    "#;
    assert_eq!(
        eval_json(setup, "log"),
        r##"[true,0,null,2,true,true,"0,1",1,true,null,"0",1,["0:#text"],2,"head"]"##
    );
}

/// The native data of `<test-widget>`: an embedded node and a counter of its own.
#[derive(Trace, Finalize, JsData)]
struct TestWidget {
    node: Node,
    made: u32,
}

/// Appends `entry` to the global array `hookLog`.
fn log_entry(entry: String, ctx: &mut Context) -> JsResult<()> {
    let log = ctx.global_object().get(js_string!("hookLog"), ctx)?;
    if let Some(log) = log.as_object() {
        let push = log.get(js_string!("push"), ctx)?;
        if let Some(push) = push.as_callable() {
            push.call(
                &log.clone().into(),
                &[JsString::from(entry.as_str()).into()],
                ctx,
            )?;
        }
    }
    Ok(())
}

fn widget_attribute_changed(
    element: &JsObject,
    change: &AttributeChange<'_>,
    ctx: &mut Context,
) -> JsResult<()> {
    let show = |v: Option<&JsString>| v.map_or("null".to_owned(), JsString::to_std_string_escaped);
    let made = element.downcast_ref::<TestWidget>().map_or(0, |w| w.made);
    log_entry(
        format!(
            "attr {}: {} -> {} (widget {made})",
            change.local_name,
            show(change.old_value),
            show(change.value)
        ),
        ctx,
    )
}

fn widget_inserted(element: &JsObject, ctx: &mut Context) -> JsResult<()> {
    let connected = eme_html::is_connected(element, ctx);
    log_entry(format!("inserted, connected {connected}"), ctx)
}

fn widget_removed(element: &JsObject, ctx: &mut Context) -> JsResult<()> {
    let connected = eme_html::is_connected(element, ctx);
    log_entry(format!("removed, connected {connected}"), ctx)
}

fn create_widget(
    document: &JsObject,
    local_name: &JsString,
    ctx: &mut Context,
) -> JsResult<JsObject> {
    let steps = ElementSteps {
        attribute_changed: Some(widget_attribute_changed),
        inserted: Some(widget_inserted),
        removed: Some(widget_removed),
    };
    let node = eme_html::create_html_element_data(document, local_name, steps, ctx)?;
    let prototype = interface::prototype_of(ctx, "TestWidgetElement")?;
    Ok(JsObject::from_proto_and_data(
        prototype,
        TestWidget { node, made: 7 },
    ))
}

fn widget_made(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    interface::with_this::<TestWidget, _>(this, "TestWidgetElement", |w| w.made.into())
}

fn install_widget(ctx: &mut Context) {
    eme_html::embed_node::<TestWidget>(ctx, |w| w.node.clone());
    let html_element = interface::interface(ctx, "HTMLElement").expect("HTMLElement");
    InterfaceBuilder::new(ctx, "TestWidgetElement")
        .inherits(html_element)
        .attribute("made", widget_made, None)
        .build()
        .expect("interface builds");
    eme_html::register_element_factory(ctx, "test-widget", create_widget);
}

#[test]
fn element_factories_and_hooks() {
    let mut rt = runtime();
    install_widget(rt.context());
    rt.eval_script(
        r#"
        var hookLog = [];
        var w = document.createElement("TEST-WIDGET");
        var shape = [w instanceof TestWidgetElement, w instanceof HTMLElement, w.made, w.localName, w.tagName,
                     Object.prototype.toString.call(w), w.nodeType, w.ownerDocument === document];
        w.setAttribute("SRC", "a.mp4");
        w.setAttribute("src", "a.mp4");
        w.id = "w";
        w.toggleAttribute("muted");
        w.removeAttribute("src");
        w.removeAttribute("src");
        var holder = document.createElement("div");
        holder.appendChild(w);
        document.body.appendChild(holder);
        document.body.removeChild(holder);
        // Inherited members pass their brand checks on the factory's objects.
        var inherited = [document.getElementById("w"), w.matches("test-widget#w"), w.parentNode === holder,
                         typeof w.addEventListener, w.hidden];
        var viaNS = document.createElementNS("http://www.w3.org/1999/xhtml", "test-widget").made;
        var plainInXml = new Document().createElement("test-widget") instanceof TestWidgetElement;
        "#,
        "factory.js",
    )
    .expect("script runs");
    assert!(
        rt.report().problems.is_empty(),
        "{:?}",
        rt.report().problems
    );
    assert_eq!(
        json(&mut rt, "shape"),
        r#"[true,true,7,"test-widget","TEST-WIDGET","[object TestWidgetElement]",1,true]"#
    );
    assert_eq!(
        json(&mut rt, "hookLog"),
        r#"["attr src: null -> a.mp4 (widget 7)","attr src: a.mp4 -> a.mp4 (widget 7)","attr id: null -> w (widget 7)","attr muted: null ->  (widget 7)","attr src: a.mp4 -> null (widget 7)","inserted, connected false","inserted, connected true","removed, connected false"]"#
    );
    assert_eq!(
        json(&mut rt, "inherited"),
        r#"[null,true,true,"function",false]"#
    );
    assert_eq!(json(&mut rt, "viaNS"), "7");
    assert_eq!(json(&mut rt, "plainInXml"), "false");
}

#[test]
fn a_factory_returning_something_else_is_a_type_error() {
    fn bad_factory(_: &JsObject, _: &JsString, ctx: &mut Context) -> JsResult<JsObject> {
        Ok(JsObject::with_object_proto(ctx.intrinsics()))
    }
    let mut rt = runtime();
    eme_html::register_element_factory(rt.context(), "bad-one", bad_factory);
    rt.eval_script(
        "var result; try { document.createElement('bad-one'); } catch (e) { result = e.name; }",
        "bad.js",
    )
    .expect("script runs");
    assert_eq!(json(&mut rt, "result"), r#""TypeError""#);
}

#[test]
fn ready_state_changes_fire_readystatechange() {
    let mut rt = runtime();
    rt.eval_script(
        r#"
        var states = [document.readyState];
        document.onreadystatechange = e => states.push("handler:" + document.readyState + ":" + e.bubbles);
        document.addEventListener("readystatechange", () => states.push("listener"));
        "#,
        "ready.js",
    )
    .expect("script runs");
    let ctx = rt.context();
    eme_html::set_url(ctx, "https://example.test/dir/page.html").expect("url");
    eme_html::set_ready_state(ctx, eme_html::ReadyState::Loading).expect("loading");
    eme_html::set_ready_state(ctx, eme_html::ReadyState::Loading).expect("again, no event");
    eme_html::set_ready_state(ctx, eme_html::ReadyState::Complete).expect("complete");
    assert_eq!(
        json(&mut rt, "states"),
        r#"["complete","handler:loading:false","listener","handler:complete:false","listener"]"#
    );
    assert_eq!(
        json(&mut rt, "[document.URL, document.documentURI]"),
        r#"["https://example.test/dir/page.html","https://example.test/dir/page.html"]"#
    );
    rt.eval_script(
        "var s = document.createElement('script'); s.src = '../x.js';",
        "s.js",
    )
    .expect("runs");
    assert_eq!(json(&mut rt, "s.src"), r#""https://example.test/x.js""#);
}

#[test]
fn location_follows_the_global() {
    let url = url::Url::parse("file:///tmp/page.js").expect("url");
    let mut rt = eme_host::RuntimeBuilder::new()
        .quiet(true)
        .print_problems(false)
        .location(url)
        .build();
    assert_eq!(
        json(
            &mut rt,
            "[document.location === location, document.URL, new Document().location]"
        ),
        r#"[true,"file:///tmp/page.js",null]"#
    );
    // Without a global location, document.location is null.
    let mut rt = runtime();
    assert_eq!(json(&mut rt, "document.location"), "null");
}

/// Defines `gc()`, a forced full collection, for the script.
fn define_gc(ctx: &mut Context) {
    let gc = NativeFunction::from_fn_ptr(|_, _, _| {
        boa_gc::force_collect();
        Ok(JsValue::undefined())
    });
    ctx.register_global_callable(js_string!("gc"), 0, gc)
        .expect("define gc");
}

#[test]
fn a_detached_subtree_survives_collection() {
    let mut rt = runtime();
    define_gc(rt.context());
    rt.eval_script(
        r#"
        var root = (function () {
            const r = document.createElement("div");
            for (let i = 0; i < 50; i++) {
                const child = r.appendChild(document.createElement("span"));
                child.id = "c" + i;
                child.appendChild(document.createTextNode("t" + i));
                child.addEventListener("ping", e => { e.target.pinged = true; });
            }
            r.childNodes; // create the live list, kept only by the node
            return r;
        })();
        // Only the deepest node of another subtree is kept: its ancestors live through it.
        var leaf = (function () {
            let at = document.createElement("div");
            const top = at;
            top.id = "top";
            for (let i = 0; i < 20; i++) at = at.appendChild(document.createElement("div"));
            return at;
        })();
        gc(); gc();
        "#,
        "gc.js",
    )
    .expect("script runs");
    boa_gc::force_collect();
    assert_eq!(
        json(
            &mut rt,
            r##"(() => {
                const last = root.childNodes[49];
                last.dispatchEvent(new Event("ping"));
                let top = leaf; while (top.parentNode) top = top.parentNode;
                return [root.childNodes.length, root.textContent.length, last.id, last.pinged,
                        root.querySelector("#c10").firstChild.data, top.id, leaf.ownerDocument === document];
            })()"##
        ),
        r#"[50,140,"c49",true,"t10","top",true]"#
    );
}
