//! `Document` (<https://dom.spec.whatwg.org/#interface-document>, with HTML's partial
//! interface: <https://html.spec.whatwg.org/multipage/dom.html#the-document-object>) and the
//! realm's document, the `document` global.

use boa_engine::{
    Context, JsArgs, JsNativeError, JsObject, JsResult, JsString, JsValue, NativeFunction,
    js_string,
    object::{FunctionObjectBuilder, builtins::JsFunction},
    property::PropertyDescriptor,
};
use boa_gc::{Finalize, Trace};
use eme_dom::{
    ExceptionName, dom_exception,
    event::{self, EventInit},
    event_target,
    interface::{self, InterfaceBuilder, illegal_invocation},
};

use crate::element::{self, HTML_NAMESPACE, parent_node_members};
use crate::node::{self, Node, NodeHandle, NodeKind, require_arguments, this_node};
use crate::text;

const INTERFACE: &str = "Document";
const XML_NAMESPACE: &str = "http://www.w3.org/XML/1998/namespace";
const XMLNS_NAMESPACE: &str = "http://www.w3.org/2000/xmlns/";

/// A document's current readiness:
/// <https://html.spec.whatwg.org/multipage/dom.html#current-document-readiness>.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadyState {
    /// `"loading"`: the parser is still running (a page's scripts are being run).
    Loading,
    /// `"interactive"`: parsing finished; `DOMContentLoaded` is next.
    Interactive,
    /// `"complete"`: loaded. Every document starts here unless a loader says otherwise.
    Complete,
}

impl ReadyState {
    /// The IDL string (`document.readyState`).
    pub fn as_str(self) -> &'static str {
        match self {
            ReadyState::Loading => "loading",
            ReadyState::Interactive => "interactive",
            ReadyState::Complete => "complete",
        }
    }
}

/// What a document is beyond being a node.
#[derive(Trace, Finalize)]
pub(crate) struct DocumentState {
    /// An HTML document (names lower-cased, `tagName` upper-cased) rather than an XML one.
    is_html: bool,
    url: JsString,
    // Untraced: a plain enum.
    #[unsafe_ignore_trace]
    ready_state: ReadyState,
}

/// The realm's document (what `document` returns). Context data: a root for as long as the
/// context lives, which is the document's lifetime anyway.
struct GlobalDocument(NodeHandle);

/// The accessors of `document.location` (`[LegacyUnforgeable]`, so an own property of every
/// document, one function object for all of them).
struct LocationAccessors(JsFunction, JsFunction);

/// The realm's document.
pub(crate) fn global_document(ctx: &Context) -> JsResult<NodeHandle> {
    ctx.get_data::<GlobalDocument>()
        .map(|d| d.0.clone())
        .ok_or_else(|| JsNativeError::typ().with_message("no document").into())
}

/// The realm's `document` object.
pub fn document(ctx: &Context) -> JsResult<JsObject> {
    global_document(ctx).map(|d| d.object.clone())
}

fn read_document<R>(node: &NodeHandle, f: impl FnOnce(&DocumentState) -> R) -> Option<R> {
    match &node.state.borrow().kind {
        NodeKind::Document(document) => Some(f(document)),
        _ => None,
    }
}

fn write_document<R>(node: &NodeHandle, f: impl FnOnce(&mut DocumentState) -> R) -> Option<R> {
    match &mut node.state.borrow_mut().kind {
        NodeKind::Document(document) => Some(f(document)),
        _ => None,
    }
}

pub(crate) fn is_html_document(node: &NodeHandle) -> bool {
    read_document(node, |d| d.is_html).unwrap_or(false)
}

/// The document's URL (`about:blank` until a host sets one).
pub(crate) fn url_of(node: &NodeHandle) -> JsString {
    read_document(node, |d| d.url.clone()).unwrap_or_default()
}

/// Sets the URL of the realm's document (`document.URL`, the base of reflected URLs).
pub fn set_url(ctx: &Context, url: &str) -> JsResult<()> {
    let document = global_document(ctx)?;
    write_document(&document, |d| d.url = JsString::from(url));
    Ok(())
}

/// The realm's document's readiness.
pub fn ready_state(ctx: &Context) -> JsResult<ReadyState> {
    let document = global_document(ctx)?;
    Ok(read_document(&document, |d| d.ready_state).unwrap_or(ReadyState::Complete))
}

/// <https://html.spec.whatwg.org/multipage/dom.html#update-the-current-document-readiness>
/// of the realm's document: sets it and, if it changed, fires `readystatechange` at the
/// document (listeners run before this returns). A page loader calls this.
pub fn set_ready_state(ctx: &mut Context, state: ReadyState) -> JsResult<()> {
    let document = global_document(ctx)?;
    let changed = write_document(&document, |d| {
        std::mem::replace(&mut d.ready_state, state) != state
    })
    .unwrap_or(false);
    if changed {
        let event = event::create("readystatechange", EventInit::default(), ctx)?;
        event_target::fire_event(&document.object, &event, ctx)?;
    }
    Ok(())
}

/// A new, empty document with the `Document` prototype (or `prototype`).
fn create_document(is_html: bool, prototype: JsObject, ctx: &mut Context) -> JsResult<NodeHandle> {
    let node = Node::new(
        NodeKind::Document(DocumentState {
            is_html,
            url: js_string!("about:blank"),
            ready_state: ReadyState::Complete,
        }),
        None,
    );
    let document = NodeHandle::create(prototype, node.clone(), &node);
    define_location(&document.object, ctx)?;
    Ok(document)
}

fn define_location(document: &JsObject, ctx: &mut Context) -> JsResult<()> {
    let (get, set) = ctx
        .get_data::<LocationAccessors>()
        .map(|a| (a.0.clone(), a.1.clone()))
        .ok_or_else(|| JsNativeError::typ().with_message("Document is not registered"))?;
    document.define_property_or_throw(
        js_string!("location"),
        PropertyDescriptor::builder()
            .get(get)
            .set(set)
            .enumerable(true)
            .configurable(false),
        ctx,
    )?;
    Ok(())
}

fn this_document(this: &JsValue, ctx: &Context) -> JsResult<NodeHandle> {
    this_node(this, ctx, INTERFACE)
        .ok()
        .filter(NodeHandle::is_document)
        .ok_or_else(|| illegal_invocation(INTERFACE))
}

fn is_global_document(node: &NodeHandle, ctx: &Context) -> bool {
    global_document(ctx).is_ok_and(|global| global.is(node))
}

// https://dom.spec.whatwg.org/#dom-document-document: an XML document.
fn constructor(new_target: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    interface::require_new(new_target, INTERFACE)?;
    let prototype = interface::prototype_from_new_target(new_target, INTERFACE, ctx)?;
    Ok(create_document(false, prototype, ctx)?
        .object
        .clone()
        .into())
}

// https://dom.spec.whatwg.org/#dom-document-url (and documentURI)
fn get_url(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(url_of(&this_document(this, ctx)?).into())
}

// https://dom.spec.whatwg.org/#dom-document-characterset (and charset, inputEncoding)
fn get_character_set(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    this_document(this, ctx)?;
    Ok(js_string!("UTF-8").into())
}

// https://dom.spec.whatwg.org/#dom-document-contenttype
fn get_content_type(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let document = this_document(this, ctx)?;
    Ok(if is_html_document(&document) {
        js_string!("text/html")
    } else {
        js_string!("application/xml")
    }
    .into())
}

// https://dom.spec.whatwg.org/#dom-document-compatmode: never quirks mode here.
fn get_compat_mode(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    this_document(this, ctx)?;
    Ok(js_string!("CSS1Compat").into())
}

/// <https://dom.spec.whatwg.org/#document-element>
fn document_element(document: &NodeHandle) -> Option<NodeHandle> {
    element::element_children(document).into_iter().next()
}

fn is_html_element_named(node: &NodeHandle, names: &[&str]) -> bool {
    element::is_html(node) && names.contains(&element::local_name(node).as_str())
}

/// The `html` document element's first child that is one of `names`.
fn child_of_html_element(document: &NodeHandle, names: &[&str]) -> Option<NodeHandle> {
    let root = document_element(document).filter(|r| is_html_element_named(r, &["html"]))?;
    element::element_children(&root)
        .into_iter()
        .find(|child| is_html_element_named(child, names))
}

fn or_null(node: Option<NodeHandle>) -> JsValue {
    node.map_or(JsValue::null(), |n| n.object.clone().into())
}

fn get_document_element(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(or_null(document_element(&this_document(this, ctx)?)))
}

// https://html.spec.whatwg.org/multipage/dom.html#dom-document-head
fn get_head(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(or_null(child_of_html_element(
        &this_document(this, ctx)?,
        &["head"],
    )))
}

// https://html.spec.whatwg.org/multipage/dom.html#dom-document-body
fn get_body(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(or_null(child_of_html_element(
        &this_document(this, ctx)?,
        &["body", "frameset"],
    )))
}

// https://html.spec.whatwg.org/multipage/dom.html#dom-document-body (setter)
fn set_body(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let document = this_document(this, ctx)?;
    let value = args.get_or_undefined(0);
    let new_body = if value.is_null() {
        None
    } else {
        let node = value
            .as_object()
            .and_then(|o| NodeHandle::of(&o, ctx))
            .filter(element::is_html)
            .ok_or_else(|| {
                JsNativeError::typ().with_message(
                    "Failed to set the 'body' property on 'Document': The provided value is not of type 'HTMLElement'.",
                )
            })?;
        Some(node)
    };
    // 1. Only a body or frameset element can be the body.
    let Some(new_body) = new_body.filter(|n| is_html_element_named(n, &["body", "frameset"]))
    else {
        return Err(dom_exception::error(
            ctx,
            ExceptionName::HierarchyRequestError,
            "The new body element must be a 'body' or 'frameset' element.",
        ));
    };
    let old_body = child_of_html_element(&document, &["body", "frameset"]);
    match old_body {
        // 2. Nothing to do.
        Some(old) if old.is(&new_body) => {}
        // 3. Replace the body within its parent.
        Some(old) => {
            if let Some(parent) = old.parent() {
                node::replace(&old, &new_body, &parent, ctx)?;
            }
        }
        None => match document_element(&document) {
            // 4. No document element to hold it.
            None => {
                return Err(dom_exception::error(
                    ctx,
                    ExceptionName::HierarchyRequestError,
                    "The document has no document element to hold a body.",
                ));
            }
            // 5. Append it to the document element.
            Some(root) => node::pre_insert(&new_body, &root, None, ctx)?,
        },
    }
    Ok(JsValue::undefined())
}

/// <https://dom.spec.whatwg.org/#concept-child-text-content>
pub(crate) fn child_text_content(node: &NodeHandle) -> JsString {
    let mut units: Vec<u16> = Vec::new();
    for child in node.children() {
        if let NodeKind::Text(data) = &child.state.borrow().kind {
            units.extend(data.iter());
        }
    }
    JsString::from(units.as_slice())
}

/// <https://html.spec.whatwg.org/multipage/dom.html#the-title-element-2>: the first `title`
/// element in tree order.
fn title_element(document: &NodeHandle) -> Option<NodeHandle> {
    document
        .descendants()
        .into_iter()
        .find(|n| n.is_element() && is_html_element_named(n, &["title"]))
}

/// Strip and collapse ASCII whitespace (<https://infra.spec.whatwg.org/#strip-and-collapse-ascii-whitespace>).
fn strip_and_collapse(text: &JsString) -> JsString {
    let is_space = |u: u16| matches!(u, 0x09 | 0x0A | 0x0C | 0x0D | 0x20);
    let mut out: Vec<u16> = Vec::new();
    let mut pending_space = false;
    for unit in text.iter() {
        if is_space(unit) {
            pending_space = !out.is_empty();
        } else {
            if pending_space {
                out.push(0x20);
                pending_space = false;
            }
            out.push(unit);
        }
    }
    JsString::from(out.as_slice())
}

// https://html.spec.whatwg.org/multipage/dom.html#document.title
fn get_title(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let document = this_document(this, ctx)?;
    let text = title_element(&document)
        .map(|title| child_text_content(&title))
        .unwrap_or_default();
    Ok(strip_and_collapse(&text).into())
}

fn set_title(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let document = this_document(this, ctx)?;
    let value = args.get_or_undefined(0).to_string(ctx)?;
    // The HTML-document case: a missing title element is created in the head, if there is one.
    let title = match title_element(&document) {
        Some(title) => title,
        None => {
            let Some(head) = child_of_html_element(&document, &["head"]) else {
                return Ok(JsValue::undefined());
            };
            let title = element::create_element(
                &document,
                "title".to_owned(),
                Some(HTML_NAMESPACE.to_owned()),
                None,
                ctx,
            )?;
            node::pre_insert(&title, &head, None, ctx)?;
            title
        }
    };
    node::string_replace_all(value, &title, ctx)?;
    Ok(JsValue::undefined())
}

// https://html.spec.whatwg.org/multipage/dom.html#dom-document-readystate
fn get_ready_state(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let document = this_document(this, ctx)?;
    let state = read_document(&document, |d| d.ready_state).unwrap_or(ReadyState::Complete);
    Ok(JsString::from(state.as_str()).into())
}

// https://html.spec.whatwg.org/multipage/nav-history-apis.html#dom-document-defaultview
fn get_default_view(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let document = this_document(this, ctx)?;
    Ok(if is_global_document(&document, ctx) {
        ctx.global_object().into()
    } else {
        JsValue::null()
    })
}

// https://html.spec.whatwg.org/multipage/nav-history-apis.html#dom-document-location: the
// global's `location` for the realm's document, null for documents without a browsing context.
fn get_location(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let document = this_document(this, ctx)?;
    if !is_global_document(&document, ctx) {
        return Ok(JsValue::null());
    }
    let global = ctx.global_object();
    if !global.has_property(js_string!("location"), ctx)? {
        return Ok(JsValue::null());
    }
    global.get(js_string!("location"), ctx)
}

// `[PutForwards=href]`: assigning to document.location assigns to its href.
fn set_location(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let location = get_location(this, &[], ctx)?;
    if let Some(location) = location.as_object() {
        location.set(
            js_string!("href"),
            args.get_or_undefined(0).clone(),
            true,
            ctx,
        )?;
    }
    Ok(JsValue::undefined())
}

// https://dom.spec.whatwg.org/#dom-nonelementparentnode-getelementbyid
fn get_element_by_id(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let document = this_document(this, ctx)?;
    require_arguments(args, 1, "getElementById", INTERFACE)?;
    let id = args[0].to_string(ctx)?;
    let found = document
        .descendants()
        .into_iter()
        .find(|n| element::attribute(n, "id").is_some_and(|v| v == id));
    Ok(or_null(found))
}

fn invalid_character(ctx: &mut Context, message: &str) -> boa_engine::JsError {
    dom_exception::error(ctx, ExceptionName::InvalidCharacterError, message)
}

// https://dom.spec.whatwg.org/#dom-document-createelement (the options argument is ignored:
// there are no custom elements)
fn create_element(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let document = this_document(this, ctx)?;
    require_arguments(args, 1, "createElement", INTERFACE)?;
    let mut local_name = args[0].to_string(ctx)?.to_std_string_escaped();
    // 1. The name must be a valid element local name.
    if !element::is_valid_element_local_name(&local_name) {
        return Err(invalid_character(
            ctx,
            &format!("The tag name provided ('{local_name}') is not a valid name."),
        ));
    }
    // 2. HTML documents lower-case it.
    let is_html = is_html_document(&document);
    if is_html {
        local_name = local_name.to_ascii_lowercase();
    }
    // 5. HTML documents create HTML elements; XML documents elements in no namespace.
    let namespace = is_html.then(|| HTML_NAMESPACE.to_owned());
    let element = element::create_element(&document, local_name, namespace, None, ctx)?;
    Ok(element.object.clone().into())
}

/// <https://dom.spec.whatwg.org/#validate-and-extract>: (namespace, prefix, local name).
fn validate_and_extract(
    namespace: Option<String>,
    qualified_name: &str,
    ctx: &mut Context,
) -> JsResult<(Option<String>, Option<String>, String)> {
    let namespace = namespace.filter(|n| !n.is_empty());
    let (prefix, local_name) = match qualified_name.split_once(':') {
        Some((prefix, local)) => (Some(prefix.to_owned()), local.to_owned()),
        None => (None, qualified_name.to_owned()),
    };
    let prefix_valid = prefix.as_deref().is_none_or(|p| {
        !p.is_empty()
            && !p
                .chars()
                .any(|c| matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ' | '\0' | '/' | '>'))
    });
    if !prefix_valid || !element::is_valid_element_local_name(&local_name) {
        return Err(invalid_character(
            ctx,
            &format!("'{qualified_name}' is not a valid qualified name."),
        ));
    }
    let namespace_error = |ctx: &mut Context| {
        dom_exception::error(
            ctx,
            ExceptionName::NamespaceError,
            &format!("The namespace is not valid for the qualified name '{qualified_name}'."),
        )
    };
    let ns = namespace.as_deref();
    let is_xmlns = qualified_name == "xmlns" || prefix.as_deref() == Some("xmlns");
    if (prefix.is_some() && ns.is_none())
        || (prefix.as_deref() == Some("xml") && ns != Some(XML_NAMESPACE))
        || (is_xmlns && ns != Some(XMLNS_NAMESPACE))
        || (ns == Some(XMLNS_NAMESPACE) && !is_xmlns)
    {
        return Err(namespace_error(ctx));
    }
    Ok((namespace, prefix, local_name))
}

// https://dom.spec.whatwg.org/#dom-document-createelementns
fn create_element_ns(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let document = this_document(this, ctx)?;
    require_arguments(args, 2, "createElementNS", INTERFACE)?;
    let namespace = if args[0].is_null() {
        None
    } else {
        Some(args[0].to_string(ctx)?.to_std_string_escaped())
    };
    let qualified_name = args[1].to_string(ctx)?.to_std_string_escaped();
    let (namespace, prefix, local_name) = validate_and_extract(namespace, &qualified_name, ctx)?;
    let element = element::create_element(&document, local_name, namespace, prefix, ctx)?;
    Ok(element.object.clone().into())
}

// https://dom.spec.whatwg.org/#dom-document-createtextnode
fn create_text_node(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let document = this_document(this, ctx)?;
    require_arguments(args, 1, "createTextNode", INTERFACE)?;
    let data = args[0].to_string(ctx)?;
    Ok(text::create_text_node(&document, data, ctx)?
        .object
        .clone()
        .into())
}

parent_node_members!(INTERFACE, this_document;
    document_get_children => |node, _, _, ctx| element::children_collection(node, ctx),
    document_first_element_child => |node, _, _, _| Ok(element::first_element_child(node)),
    document_last_element_child => |node, _, _, _| Ok(element::last_element_child(node)),
    document_child_element_count => |node, _, _, _| Ok(element::child_element_count(node)),
    document_query_selector => element::query_selector,
    document_query_selector_all => element::query_selector_all,
    document_get_elements_by_tag_name => element::get_elements_by_tag_name,
);

fn is_document_object(object: &JsObject) -> bool {
    object
        .downcast_ref::<Node>()
        .is_some_and(|node| matches!(node.state().borrow().kind, NodeKind::Document(_)))
}

/// Registers `Document` and creates the realm's document: an HTML document holding
/// `<html><head></head><body></body></html>`, readiness "complete".
pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    let location_get =
        FunctionObjectBuilder::new(ctx.realm(), NativeFunction::from_fn_ptr(get_location))
            .name(js_string!("get location"))
            .length(0)
            .build();
    let location_set =
        FunctionObjectBuilder::new(ctx.realm(), NativeFunction::from_fn_ptr(set_location))
            .name(js_string!("set location"))
            .length(1)
            .build();
    ctx.insert_data(LocationAccessors(location_get, location_set));

    let node_interface = interface::interface(ctx, "Node")?;
    let document_interface = InterfaceBuilder::new(ctx, INTERFACE)
        .constructor(constructor, 0)
        .inherits(node_interface)
        .attribute("URL", get_url, None)
        .attribute("documentURI", get_url, None)
        .attribute("compatMode", get_compat_mode, None)
        .attribute("characterSet", get_character_set, None)
        .attribute("charset", get_character_set, None)
        .attribute("inputEncoding", get_character_set, None)
        .attribute("contentType", get_content_type, None)
        .attribute("documentElement", get_document_element, None)
        .operation("getElementsByTagName", 1, document_get_elements_by_tag_name)
        .operation("createElement", 1, create_element)
        .operation("createElementNS", 2, create_element_ns)
        .operation("createTextNode", 1, create_text_node)
        .operation("getElementById", 1, get_element_by_id)
        .attribute("children", document_get_children, None)
        .attribute("firstElementChild", document_first_element_child, None)
        .attribute("lastElementChild", document_last_element_child, None)
        .attribute("childElementCount", document_child_element_count, None)
        .operation("querySelector", 1, document_query_selector)
        .operation("querySelectorAll", 1, document_query_selector_all)
        .attribute("title", get_title, Some(set_title))
        .attribute("body", get_body, Some(set_body))
        .attribute("head", get_head, None)
        .attribute("readyState", get_ready_state, None)
        .attribute("defaultView", get_default_view, None)
        .event_handler("readystatechange", is_document_object)
        .build()?;

    let document = create_document(true, document_interface.prototype, ctx)?;
    ctx.insert_data(GlobalDocument(document.clone()));
    let html_element = |name: &str, ctx: &mut Context| {
        element::create_element(
            &document,
            name.to_owned(),
            Some(HTML_NAMESPACE.to_owned()),
            None,
            ctx,
        )
    };
    let html = html_element("html", ctx)?;
    let head = html_element("head", ctx)?;
    let body = html_element("body", ctx)?;
    node::insert(&html, &document, None, ctx)?;
    node::insert(&head, &html, None, ctx)?;
    node::insert(&body, &html, None, ctx)?;
    define_document_global(&document.object, ctx)
}

/// `window.document`: `[LegacyUnforgeable] readonly attribute Document document`, an
/// enumerable, non-configurable accessor on the global object.
fn define_document_global(document: &JsObject, ctx: &mut Context) -> JsResult<()> {
    let getter = FunctionObjectBuilder::new(
        ctx.realm(),
        NativeFunction::from_copy_closure_with_captures(
            |_, _, document, _| Ok(document.clone().into()),
            document.clone(),
        ),
    )
    .name(js_string!("get document"))
    .length(0)
    .build();
    ctx.global_object().define_property_or_throw(
        js_string!("document"),
        PropertyDescriptor::builder()
            .get(getter)
            .enumerable(true)
            .configurable(false),
        ctx,
    )?;
    Ok(())
}
