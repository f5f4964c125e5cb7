//! `Element` (<https://dom.spec.whatwg.org/#interface-element>), `HTMLElement`
//! (<https://html.spec.whatwg.org/multipage/dom.html#htmlelement>) and the few specific HTML
//! element interfaces a page's markup needs (`HTMLHtmlElement`, `HTMLHeadElement`,
//! `HTMLBodyElement`, `HTMLTitleElement`, `HTMLMetaElement`, `HTMLScriptElement`,
//! `HTMLDivElement`, `HTMLSpanElement`, `HTMLParagraphElement`); every other HTML tag gives a
//! plain `HTMLElement`, unless an element factory is registered for it
//! ([`register_element_factory`]).
//!
//! Also the `ParentNode` mixin members shared with `Document` (`children`, `querySelector` …),
//! and the hooks an element interface with its own behaviour (the media element) plugs in:
//! [`ElementSteps`].

use std::collections::HashMap;

use boa_engine::{
    Context, JsArgs, JsNativeError, JsObject, JsResult, JsString, JsValue, NativeObject, js_string,
    object::builtins::JsArray,
};
use boa_gc::{Finalize, Trace};
use eme_dom::{
    ExceptionName, dom_exception,
    interface::{self, InterfaceBuilder, NativeFn},
};

use crate::collection;
use crate::node::{self, Node, NodeHandle, NodeKind, require_arguments, this_node};
use crate::selector;

/// The HTML namespace.
pub const HTML_NAMESPACE: &str = "http://www.w3.org/1999/xhtml";

const ELEMENT: &str = "Element";
const HTML_ELEMENT: &str = "HTMLElement";

/// An attribute change, as DOM's attribute change steps receive it
/// (<https://dom.spec.whatwg.org/#concept-element-attributes-change-ext>). Attributes set
/// through this host's API have no namespace.
#[derive(Debug, Clone, Copy)]
pub struct AttributeChange<'a> {
    /// The attribute's local name (lower-cased for HTML elements in HTML documents).
    pub local_name: &'a str,
    /// The value before the change; `None` when the attribute was just added.
    pub old_value: Option<&'a JsString>,
    /// The value after the change; `None` when the attribute was removed.
    pub value: Option<&'a JsString>,
}

/// The attribute change steps of an element: called with the element's object after the
/// attribute list changed — for every set (even to the same value) and every removal.
pub type AttributeChangedSteps = fn(&JsObject, &AttributeChange<'_>, &mut Context) -> JsResult<()>;

/// The insertion or removing steps of an element: called with the element's object after it
/// (or an ancestor) was inserted into / removed from a parent.
pub type TreeSteps = fn(&JsObject, &mut Context) -> JsResult<()>;

/// What an element interface adds to DOM's algorithms for its elements: DOM's "attribute
/// change steps", "insertion steps" and "removing steps" extension points. Plain functions, so
/// they hold no JS value outside the GC heap; each finds its own state through the element
/// object it is given.
#[derive(Debug, Clone, Copy, Default)]
pub struct ElementSteps {
    /// Runs after an attribute of the element was set, changed or removed.
    pub attribute_changed: Option<AttributeChangedSteps>,
    /// Runs after the element, or an ancestor of it, was inserted into a parent.
    pub inserted: Option<TreeSteps>,
    /// Runs after the element, or an ancestor of it, was removed from its parent.
    pub removed: Option<TreeSteps>,
}

/// What an element is beyond being a node.
#[derive(Trace, Finalize)]
pub(crate) struct ElementState {
    pub(crate) namespace: Option<String>,
    pub(crate) prefix: Option<String>,
    pub(crate) local_name: String,
    /// Name and value, in the order they were added.
    pub(crate) attributes: Vec<(String, JsString)>,
    // Untraced: plain function pointers, which capture nothing.
    #[unsafe_ignore_trace]
    pub(crate) steps: ElementSteps,
}

/// Creates an element of `document` for the tag `local_name` (an element factory's result).
/// `document` is the document given to the factory; `local_name` as given, already lower-cased.
pub type ElementFactory =
    fn(document: &JsObject, local_name: &JsString, ctx: &mut Context) -> JsResult<JsObject>;

/// The element factories of this context, by local name.
#[derive(Default)]
struct ElementFactories(HashMap<String, ElementFactory>);

/// Makes `createElement(local_name)` (and `createElementNS` with the HTML namespace) call
/// `factory` instead of creating a plain `HTMLElement`. The factory must return an object whose
/// native data embeds the [`Node`] made by [`create_html_element_data`] for the same document
/// and local name (and whose type was registered with [`embed_node`]); anything else makes
/// `createElement` throw a `TypeError`.
pub fn register_element_factory(ctx: &mut Context, local_name: &str, factory: ElementFactory) {
    let mut factories = ctx
        .remove_data::<ElementFactories>()
        .map(|f| *f)
        .unwrap_or_default();
    factories.0.insert(local_name.to_ascii_lowercase(), factory);
    ctx.insert_data(factories);
}

/// The native node data for an HTML element `local_name` of `document`, for an element factory
/// to embed in its own data. `steps` are the element's hooks.
pub fn create_html_element_data(
    document: &JsObject,
    local_name: &JsString,
    steps: ElementSteps,
    ctx: &Context,
) -> JsResult<Node> {
    let document = NodeHandle::of(document, ctx)
        .filter(NodeHandle::is_document)
        .ok_or_else(|| JsNativeError::typ().with_message("not a Document"))?;
    Ok(element_data(
        &document,
        local_name.to_std_string_escaped(),
        Some(HTML_NAMESPACE.to_owned()),
        None,
        steps,
    ))
}

/// Registers native data type `T`, which embeds a [`Node`], as a node type: the brand checks
/// of `Node`, `Element`, `HTMLElement` and `EventTarget` members then accept objects with `T`
/// data. Call it once per context, before creating such objects; pair it with
/// `InterfaceBuilder::inherits(interface(ctx, "HTMLElement")?)` for the prototype chain.
pub fn embed_node<T: NativeObject>(ctx: &mut Context, embedded: fn(&T) -> Node) {
    node::register_embedding(ctx, embedded);
}

/// The value of attribute `name` of the element `object` (`None` when absent or not an element).
pub fn get_attribute(object: &JsObject, name: &str, ctx: &Context) -> Option<JsString> {
    NodeHandle::of(object, ctx).and_then(|node| attribute(&node, name))
}

/// Sets attribute `name` (a valid, lower-case name) of the element `object` to `value`, as
/// `setAttribute` does (attribute change steps included): how a reflecting IDL attribute's
/// setter writes. Throws a TypeError if `object` is not an element.
pub fn set_attribute(
    object: &JsObject,
    name: &str,
    value: JsString,
    ctx: &mut Context,
) -> JsResult<()> {
    let node = element_of(object, ctx)?;
    set_attribute_value(&node, name, value, ctx)
}

/// Removes attribute `name` of the element `object`, as `removeAttribute` does.
pub fn remove_attribute(object: &JsObject, name: &str, ctx: &mut Context) -> JsResult<()> {
    let node = element_of(object, ctx)?;
    remove_attribute_by_name(&node, name, ctx)
}

fn element_of(object: &JsObject, ctx: &Context) -> JsResult<NodeHandle> {
    NodeHandle::of(object, ctx)
        .filter(NodeHandle::is_element)
        .ok_or_else(|| JsNativeError::typ().with_message("not an Element").into())
}

fn element_data(
    document: &NodeHandle,
    local_name: String,
    namespace: Option<String>,
    prefix: Option<String>,
    steps: ElementSteps,
) -> Node {
    Node::new(
        NodeKind::Element(ElementState {
            namespace,
            prefix,
            local_name,
            attributes: Vec::new(),
            steps,
        }),
        Some(document.clone()),
    )
}

/// The interface of an HTML element without a factory
/// (<https://html.spec.whatwg.org/multipage/dom.html#element-interface>, for the tags this
/// host knows; every other tag gets `HTMLElement` rather than its own interface or
/// `HTMLUnknownElement`).
fn html_interface_for(local_name: &str) -> &'static str {
    SPECIFIC_ELEMENTS
        .iter()
        .find(|(tag, _)| *tag == local_name)
        .map_or(HTML_ELEMENT, |(_, interface)| interface)
}

const SPECIFIC_ELEMENTS: [(&str, &str); 9] = [
    ("html", "HTMLHtmlElement"),
    ("head", "HTMLHeadElement"),
    ("body", "HTMLBodyElement"),
    ("title", "HTMLTitleElement"),
    ("meta", "HTMLMetaElement"),
    ("script", "HTMLScriptElement"),
    ("div", "HTMLDivElement"),
    ("span", "HTMLSpanElement"),
    ("p", "HTMLParagraphElement"),
];

/// <https://dom.spec.whatwg.org/#concept-create-element> (synchronous custom elements flag
/// unset, no custom elements): a factory's element for registered HTML tags, else an element
/// of the interface its namespace and local name give.
pub(crate) fn create_element(
    document: &NodeHandle,
    local_name: String,
    namespace: Option<String>,
    prefix: Option<String>,
    ctx: &mut Context,
) -> JsResult<NodeHandle> {
    let in_html_namespace = namespace.as_deref() == Some(HTML_NAMESPACE);
    if in_html_namespace && prefix.is_none() {
        let factory = ctx
            .get_data::<ElementFactories>()
            .and_then(|f| f.0.get(&local_name).copied());
        if let Some(factory) = factory {
            let object = factory(&document.object, &JsString::from(local_name.as_str()), ctx)?;
            let made = NodeHandle::of(&object, ctx).filter(|node| {
                node.is_element()
                    && local_name_of(node) == local_name
                    && is_html(node)
                    && node.node_document().is(document)
            });
            return made.ok_or_else(|| {
                JsNativeError::typ()
                    .with_message(format!(
                        "the element factory for <{local_name}> did not return an element of this document"
                    ))
                    .into()
            });
        }
    }
    let interface = if in_html_namespace {
        html_interface_for(&local_name)
    } else {
        ELEMENT
    };
    let data = element_data(
        document,
        local_name,
        namespace,
        prefix,
        ElementSteps::default(),
    );
    Ok(NodeHandle::create(
        node::prototype(ctx, interface)?,
        data.clone(),
        &data,
    ))
}

/// <https://dom.spec.whatwg.org/#valid-element-local-name>
pub(crate) fn is_valid_element_local_name(name: &str) -> bool {
    let mut chars = name.chars();
    match chars.next() {
        Some(c) if c.is_ascii_alphabetic() => {
            chars.all(|c| !matches!(c, '\t' | '\n' | '\x0c' | '\r' | ' ' | '\0' | '/' | '>'))
        }
        Some(c) if c == ':' || c == '_' || !c.is_ascii() => chars.all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | ':' | '_') || !c.is_ascii()
        }),
        _ => false,
    }
}

/// <https://dom.spec.whatwg.org/#valid-attribute-local-name>
fn is_valid_attribute_local_name(name: &str) -> bool {
    !name.is_empty()
        && !name.chars().any(|c| {
            matches!(
                c,
                '\t' | '\n' | '\x0c' | '\r' | ' ' | '\0' | '/' | '>' | '='
            )
        })
}

fn with_element<R>(node: &NodeHandle, f: impl FnOnce(&ElementState) -> R) -> Option<R> {
    match &node.state.borrow().kind {
        NodeKind::Element(element) => Some(f(element)),
        _ => None,
    }
}

/// Whether `node` is an element in the HTML namespace.
pub(crate) fn is_html(node: &NodeHandle) -> bool {
    with_element(node, |e| e.namespace.as_deref() == Some(HTML_NAMESPACE)).unwrap_or(false)
}

/// An HTML element whose node document is an HTML document: names are lower-cased on the way
/// in and `tagName` is upper-cased.
pub(crate) fn is_html_in_html_document(node: &NodeHandle) -> bool {
    is_html(node) && crate::document::is_html_document(&node.node_document())
}

pub(crate) fn local_name(node: &NodeHandle) -> String {
    local_name_of(node)
}

fn local_name_of(node: &NodeHandle) -> String {
    with_element(node, |e| e.local_name.clone()).unwrap_or_default()
}

fn qualified_name(node: &NodeHandle) -> String {
    with_element(node, |e| match &e.prefix {
        Some(prefix) => format!("{prefix}:{}", e.local_name),
        None => e.local_name.clone(),
    })
    .unwrap_or_default()
}

/// <https://dom.spec.whatwg.org/#element-html-uppercased-qualified-name>
pub(crate) fn html_uppercased_qualified_name(node: &NodeHandle) -> JsString {
    let name = qualified_name(node);
    if is_html_in_html_document(node) {
        JsString::from(name.to_ascii_uppercase().as_str())
    } else {
        JsString::from(name.as_str())
    }
}

/// The value of the attribute named `name` (already in the element's case).
pub(crate) fn attribute(node: &NodeHandle, name: &str) -> Option<JsString> {
    with_element(node, |e| {
        e.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
    })
    .flatten()
}

/// The name argument of the by-name attribute methods: lower-cased for an HTML element in an
/// HTML document (<https://dom.spec.whatwg.org/#concept-element-attributes-get-by-name>).
fn attribute_name(node: &NodeHandle, value: &JsValue, ctx: &mut Context) -> JsResult<String> {
    let name = value.to_string(ctx)?.to_std_string_escaped();
    Ok(if is_html_in_html_document(node) {
        name.to_ascii_lowercase()
    } else {
        name
    })
}

fn run_attribute_change_steps(
    node: &NodeHandle,
    name: &str,
    old_value: Option<&JsString>,
    value: Option<&JsString>,
    ctx: &mut Context,
) -> JsResult<()> {
    let Some(Some(steps)) = with_element(node, |e| e.steps.attribute_changed) else {
        return Ok(());
    };
    steps(
        &node.object,
        &AttributeChange {
            local_name: name,
            old_value,
            value,
        },
        ctx,
    )
}

/// Sets (appends or changes) an attribute, then runs the attribute change steps
/// (<https://dom.spec.whatwg.org/#concept-element-attributes-set-value>).
pub(crate) fn set_attribute_value(
    node: &NodeHandle,
    name: &str,
    value: JsString,
    ctx: &mut Context,
) -> JsResult<()> {
    let old_value = {
        let mut state = node.state.borrow_mut();
        let NodeKind::Element(element) = &mut state.kind else {
            return Ok(());
        };
        match element.attributes.iter_mut().find(|(n, _)| n == name) {
            Some((_, existing)) => Some(std::mem::replace(existing, value.clone())),
            None => {
                element.attributes.push((name.to_owned(), value.clone()));
                None
            }
        }
    };
    run_attribute_change_steps(node, name, old_value.as_ref(), Some(&value), ctx)
}

/// Removes an attribute if present, then runs the attribute change steps
/// (<https://dom.spec.whatwg.org/#concept-element-attributes-remove-by-name>).
fn remove_attribute_by_name(node: &NodeHandle, name: &str, ctx: &mut Context) -> JsResult<()> {
    let old_value = {
        let mut state = node.state.borrow_mut();
        let NodeKind::Element(element) = &mut state.kind else {
            return Ok(());
        };
        let index = element.attributes.iter().position(|(n, _)| n == name);
        index.map(|i| element.attributes.remove(i).1)
    };
    match old_value {
        Some(old_value) => run_attribute_change_steps(node, name, Some(&old_value), None, ctx),
        None => Ok(()),
    }
}

/// Runs the insertion steps of `node`'s inclusive descendants that have them.
pub(crate) fn run_insertion_steps(node: &NodeHandle, ctx: &mut Context) -> JsResult<()> {
    run_tree_steps(node, |steps| steps.inserted, ctx)
}

/// Runs the removing steps of `node`'s inclusive descendants that have them.
pub(crate) fn run_removing_steps(node: &NodeHandle, ctx: &mut Context) -> JsResult<()> {
    run_tree_steps(node, |steps| steps.removed, ctx)
}

fn run_tree_steps(
    node: &NodeHandle,
    which: fn(&ElementSteps) -> Option<TreeSteps>,
    ctx: &mut Context,
) -> JsResult<()> {
    // Collect first: the steps run script-visible code only after the tree walk is done.
    let pending: Vec<(JsObject, TreeSteps)> = node
        .inclusive_descendants()
        .into_iter()
        .filter_map(|n| {
            let steps = with_element(&n, |e| which(&e.steps)).flatten()?;
            Some((n.object.clone(), steps))
        })
        .collect();
    for (object, steps) in pending {
        steps(&object, ctx)?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// ParentNode (https://dom.spec.whatwg.org/#interface-parentnode) and the tree queries shared by
// Element and Document.

pub(crate) fn element_children(node: &NodeHandle) -> Vec<NodeHandle> {
    node.children()
        .into_iter()
        .filter(NodeHandle::is_element)
        .collect()
}

pub(crate) fn children_collection(node: &NodeHandle, ctx: &mut Context) -> JsResult<JsValue> {
    Ok(collection::html_collection(element_children(node), ctx)?.into())
}

pub(crate) fn first_element_child(node: &NodeHandle) -> JsValue {
    element_children(node)
        .into_iter()
        .next()
        .map_or(JsValue::null(), |n| n.object.clone().into())
}

pub(crate) fn last_element_child(node: &NodeHandle) -> JsValue {
    element_children(node)
        .pop()
        .map_or(JsValue::null(), |n| n.object.clone().into())
}

pub(crate) fn child_element_count(node: &NodeHandle) -> JsValue {
    element_children(node).len().into()
}

fn parse_selectors(
    args: &[JsValue],
    method: &str,
    interface: &str,
    ctx: &mut Context,
) -> JsResult<selector::SelectorList> {
    require_arguments(args, 1, method, interface)?;
    let text = args[0].to_string(ctx)?.to_std_string_escaped();
    selector::parse(&text).map_err(|unsupported| {
        dom_exception::error(ctx, ExceptionName::SyntaxError, &unsupported.0)
    })
}

/// <https://dom.spec.whatwg.org/#dom-parentnode-queryselectorall>: the matching descendants.
fn matching_descendants(
    node: &NodeHandle,
    args: &[JsValue],
    method: &str,
    interface: &str,
    ctx: &mut Context,
) -> JsResult<Vec<NodeHandle>> {
    let selectors = parse_selectors(args, method, interface, ctx)?;
    Ok(node
        .descendants()
        .into_iter()
        .filter(|n| selectors.matches(n))
        .collect())
}

pub(crate) fn query_selector(
    node: &NodeHandle,
    args: &[JsValue],
    interface: &str,
    ctx: &mut Context,
) -> JsResult<JsValue> {
    let found = matching_descendants(node, args, "querySelector", interface, ctx)?;
    Ok(found
        .into_iter()
        .next()
        .map_or(JsValue::null(), |n| n.object.clone().into()))
}

pub(crate) fn query_selector_all(
    node: &NodeHandle,
    args: &[JsValue],
    interface: &str,
    ctx: &mut Context,
) -> JsResult<JsValue> {
    let found = matching_descendants(node, args, "querySelectorAll", interface, ctx)?;
    Ok(collection::static_node_list(found, ctx)?.into())
}

/// <https://dom.spec.whatwg.org/#concept-getelementsbyqualifiedname>: `*` is every
/// descendant element; HTML elements of an HTML document match the lower-cased name, others
/// the name as given.
pub(crate) fn get_elements_by_tag_name(
    node: &NodeHandle,
    args: &[JsValue],
    interface: &str,
    ctx: &mut Context,
) -> JsResult<JsValue> {
    require_arguments(args, 1, "getElementsByTagName", interface)?;
    let name = args[0].to_string(ctx)?.to_std_string_escaped();
    let lower = name.to_ascii_lowercase();
    let found = node
        .descendants()
        .into_iter()
        .filter(|n| {
            n.is_element()
                && (name == "*" || {
                    let qualified = qualified_name(n);
                    if is_html_in_html_document(n) {
                        qualified == lower
                    } else {
                        qualified == name
                    }
                })
        })
        .collect();
    Ok(collection::html_collection(found, ctx)?.into())
}

// ---------------------------------------------------------------------------------------------
// The Element interface

fn this_element(this: &JsValue, ctx: &Context) -> JsResult<NodeHandle> {
    this_node(this, ctx, ELEMENT)
        .ok()
        .filter(NodeHandle::is_element)
        .ok_or_else(|| interface::illegal_invocation(ELEMENT))
}

fn string_or_null(value: Option<String>) -> JsValue {
    value.map_or(JsValue::null(), |v| JsString::from(v.as_str()).into())
}

// https://dom.spec.whatwg.org/#dom-element-namespaceuri
fn get_namespace_uri(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    Ok(string_or_null(
        with_element(&node, |e| e.namespace.clone()).flatten(),
    ))
}

// https://dom.spec.whatwg.org/#dom-element-prefix
fn get_prefix(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    Ok(string_or_null(
        with_element(&node, |e| e.prefix.clone()).flatten(),
    ))
}

// https://dom.spec.whatwg.org/#dom-element-localname
fn get_local_name(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    Ok(JsString::from(local_name_of(&node).as_str()).into())
}

// https://dom.spec.whatwg.org/#dom-element-tagname
fn get_tag_name(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    Ok(html_uppercased_qualified_name(&node).into())
}

/// A reflected DOMString attribute's getter: the value, or "" when absent
/// (<https://html.spec.whatwg.org/multipage/common-dom-interfaces.html#reflecting-content-attributes-in-idl-attributes>).
pub(crate) fn reflect_get(node: &NodeHandle, name: &str) -> JsValue {
    attribute(node, name).unwrap_or_default().into()
}

pub(crate) fn reflect_set(
    node: &NodeHandle,
    name: &str,
    value: &JsValue,
    ctx: &mut Context,
) -> JsResult<JsValue> {
    let value = value.to_string(ctx)?;
    set_attribute_value(node, name, value, ctx)?;
    Ok(JsValue::undefined())
}

// https://dom.spec.whatwg.org/#dom-element-id
fn get_id(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(reflect_get(&this_element(this, ctx)?, "id"))
}

fn set_id(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    reflect_set(&node, "id", args.get_or_undefined(0), ctx)
}

// https://dom.spec.whatwg.org/#dom-element-classname
fn get_class_name(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(reflect_get(&this_element(this, ctx)?, "class"))
}

fn set_class_name(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    reflect_set(&node, "class", args.get_or_undefined(0), ctx)
}

// https://dom.spec.whatwg.org/#dom-element-hasattributes
fn has_attributes(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    Ok(with_element(&node, |e| !e.attributes.is_empty())
        .unwrap_or(false)
        .into())
}

// https://dom.spec.whatwg.org/#dom-element-attributes — a deviation: a frozen array of frozen
// `{name, value}` objects (no `NamedNodeMap` / `Attr`), enough for `attributes.length`,
// `attributes[i].name` and `.value` (testharness.js's format_value reads exactly those).
fn get_attributes(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    let attributes = with_element(&node, |e| e.attributes.clone()).unwrap_or_default();
    let mut entries = Vec::with_capacity(attributes.len());
    for (name, value) in attributes {
        let entry = boa_engine::object::ObjectInitializer::new(ctx)
            .property(
                js_string!("name"),
                JsString::from(name.as_str()),
                boa_engine::property::Attribute::ENUMERABLE,
            )
            .property(
                js_string!("value"),
                value,
                boa_engine::property::Attribute::ENUMERABLE,
            )
            .build();
        entry.set_integrity_level(boa_engine::object::IntegrityLevel::Frozen, ctx)?;
        entries.push(JsValue::from(entry));
    }
    let array = JsArray::from_iter(entries, ctx);
    array.set_integrity_level(boa_engine::object::IntegrityLevel::Frozen, ctx)?;
    Ok(array.into())
}

// https://dom.spec.whatwg.org/#dom-element-getattributenames
fn get_attribute_names(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    let names: Vec<JsValue> = with_element(&node, |e| {
        e.attributes
            .iter()
            .map(|(name, _)| JsString::from(name.as_str()).into())
            .collect()
    })
    .unwrap_or_default();
    Ok(JsArray::from_iter(names, ctx).into())
}

// https://dom.spec.whatwg.org/#dom-element-getattribute
fn get_attribute_method(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    require_arguments(args, 1, "getAttribute", ELEMENT)?;
    let name = attribute_name(&node, &args[0], ctx)?;
    Ok(attribute(&node, &name).map_or(JsValue::null(), JsValue::from))
}

// https://dom.spec.whatwg.org/#dom-element-hasattribute
fn has_attribute(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    require_arguments(args, 1, "hasAttribute", ELEMENT)?;
    let name = attribute_name(&node, &args[0], ctx)?;
    Ok(attribute(&node, &name).is_some().into())
}

fn invalid_attribute_name(name: &str, ctx: &mut Context) -> boa_engine::JsError {
    dom_exception::error(
        ctx,
        ExceptionName::InvalidCharacterError,
        &format!("'{name}' is not a valid attribute name."),
    )
}

// https://dom.spec.whatwg.org/#dom-element-setattribute
fn set_attribute_method(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    require_arguments(args, 2, "setAttribute", ELEMENT)?;
    // Both arguments are converted before the name is checked, as WebIDL converts arguments
    // before the operation's steps run.
    let name = attribute_name(&node, &args[0], ctx)?;
    let value = args[1].to_string(ctx)?;
    if !is_valid_attribute_local_name(&name) {
        return Err(invalid_attribute_name(&name, ctx));
    }
    set_attribute_value(&node, &name, value, ctx)?;
    Ok(JsValue::undefined())
}

// https://dom.spec.whatwg.org/#dom-element-removeattribute
fn remove_attribute_method(
    this: &JsValue,
    args: &[JsValue],
    ctx: &mut Context,
) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    require_arguments(args, 1, "removeAttribute", ELEMENT)?;
    let name = attribute_name(&node, &args[0], ctx)?;
    remove_attribute_by_name(&node, &name, ctx)?;
    Ok(JsValue::undefined())
}

// https://dom.spec.whatwg.org/#dom-element-toggleattribute
fn toggle_attribute(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    require_arguments(args, 1, "toggleAttribute", ELEMENT)?;
    let name = attribute_name(&node, &args[0], ctx)?;
    let force = args
        .get(1)
        .filter(|v| !v.is_undefined())
        .map(JsValue::to_boolean);
    if !is_valid_attribute_local_name(&name) {
        return Err(invalid_attribute_name(&name, ctx));
    }
    let present = attribute(&node, &name).is_some();
    match (present, force) {
        (false, None | Some(true)) => {
            set_attribute_value(&node, &name, JsString::default(), ctx)?;
            Ok(true.into())
        }
        (true, None | Some(false)) => {
            remove_attribute_by_name(&node, &name, ctx)?;
            Ok(false.into())
        }
        (present, _) => Ok(present.into()),
    }
}

// https://dom.spec.whatwg.org/#dom-element-matches
fn matches(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    let selectors = parse_selectors(args, "matches", ELEMENT, ctx)?;
    Ok(selectors.matches(&node).into())
}

// https://dom.spec.whatwg.org/#dom-childnode-remove
fn remove(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    node::remove(&node, ctx)?;
    Ok(JsValue::undefined())
}

// https://html.spec.whatwg.org/multipage/dynamic-markup-insertion.html#dom-element-innerhtml
fn get_inner_html(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    Ok(crate::serialize::serialize_children(&node).into())
}

// Setting innerHTML needs the HTML fragment parser, which this host does not have: a string
// with no markup (no `<`, no `&`) parses to itself as one text node, so that case is done
// exactly; anything else throws NotSupportedError rather than guessing.
fn set_inner_html(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_element(this, ctx)?;
    let value = args.get_or_undefined(0);
    let markup = if value.is_null() {
        JsString::default()
    } else {
        value.to_string(ctx)?
    };
    if markup
        .iter()
        .any(|unit| unit == u16::from(b'<') || unit == u16::from(b'&'))
    {
        return Err(dom_exception::error(
            ctx,
            ExceptionName::NotSupportedError,
            "This host has no HTML parser: innerHTML can only be set to text without '<' or '&'.",
        ));
    }
    node::string_replace_all(markup, &node, ctx)?;
    Ok(JsValue::undefined())
}

/// Defines one ParentNode / element-query wrapper per interface, so each keeps its own brand
/// check: `$name(this, args, ctx)` checks `this` with `$this` and calls `$body`.
macro_rules! parent_node_members {
    ($interface:expr, $this:path; $( $name:ident => $body:expr ),+ $(,)?) => {
        $(
            fn $name(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
                let node = $this(this, ctx)?;
                let body: fn(&NodeHandle, &[JsValue], &str, &mut Context) -> JsResult<JsValue> = $body;
                body(&node, args, $interface, ctx)
            }
        )+
    };
}
pub(crate) use parent_node_members;

parent_node_members!(ELEMENT, this_element;
    element_get_children => |node, _, _, ctx| children_collection(node, ctx),
    element_first_element_child => |node, _, _, _| Ok(first_element_child(node)),
    element_last_element_child => |node, _, _, _| Ok(last_element_child(node)),
    element_child_element_count => |node, _, _, _| Ok(child_element_count(node)),
    element_query_selector => query_selector,
    element_query_selector_all => query_selector_all,
    element_get_elements_by_tag_name => get_elements_by_tag_name,
);

// ---------------------------------------------------------------------------------------------
// HTMLElement and the specific element interfaces

fn this_html_element(this: &JsValue, ctx: &Context) -> JsResult<NodeHandle> {
    this_node(this, ctx, HTML_ELEMENT)
        .ok()
        .filter(is_html)
        .ok_or_else(|| interface::illegal_invocation(HTML_ELEMENT))
}

// https://html.spec.whatwg.org/multipage/dom.html#dom-title
fn get_title(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(reflect_get(&this_html_element(this, ctx)?, "title"))
}

fn set_title(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_html_element(this, ctx)?;
    reflect_set(&node, "title", args.get_or_undefined(0), ctx)
}

// https://html.spec.whatwg.org/multipage/interaction.html#dom-hidden, as the boolean it was
// before `hidden=until-found` (reading "until-found" gives true, not the string).
fn get_hidden(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(attribute(&this_html_element(this, ctx)?, "hidden")
        .is_some()
        .into())
}

fn set_hidden(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_html_element(this, ctx)?;
    reflect_boolean_set(&node, "hidden", args.get_or_undefined(0), ctx)
}

/// A reflected boolean attribute's setter: present (empty) when true, removed when false.
pub(crate) fn reflect_boolean_set(
    node: &NodeHandle,
    name: &str,
    value: &JsValue,
    ctx: &mut Context,
) -> JsResult<JsValue> {
    if value.to_boolean() {
        set_attribute_value(node, name, JsString::default(), ctx)?;
    } else {
        remove_attribute_by_name(node, name, ctx)?;
    }
    Ok(JsValue::undefined())
}

/// The element `this` if it is an HTML element with local name `tag` (the brand check of a
/// specific element interface whose objects carry plain node data).
fn this_tag(this: &JsValue, ctx: &Context, tag: &str, interface: &str) -> JsResult<NodeHandle> {
    this_node(this, ctx, interface)
        .ok()
        .filter(|node| is_html(node) && local_name_of(node) == tag)
        .ok_or_else(|| interface::illegal_invocation(interface))
}

// https://html.spec.whatwg.org/multipage/semantics.html#dom-title-text
fn title_text(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_tag(this, ctx, "title", "HTMLTitleElement")?;
    Ok(crate::document::child_text_content(&node).into())
}

fn set_title_text(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_tag(this, ctx, "title", "HTMLTitleElement")?;
    let text = args.get_or_undefined(0).to_string(ctx)?;
    node::string_replace_all(text, &node, ctx)?;
    Ok(JsValue::undefined())
}

fn meta_name(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(reflect_get(
        &this_tag(this, ctx, "meta", "HTMLMetaElement")?,
        "name",
    ))
}

fn set_meta_name(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_tag(this, ctx, "meta", "HTMLMetaElement")?;
    reflect_set(&node, "name", args.get_or_undefined(0), ctx)
}

fn meta_content(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(reflect_get(
        &this_tag(this, ctx, "meta", "HTMLMetaElement")?,
        "content",
    ))
}

fn set_meta_content(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_tag(this, ctx, "meta", "HTMLMetaElement")?;
    reflect_set(&node, "content", args.get_or_undefined(0), ctx)
}

/// A reflected URL attribute's getter (`[ReflectURL]`): the attribute parsed against the
/// document's URL, the raw value if that fails, "" when absent.
pub(crate) fn reflect_url_get(node: &NodeHandle, name: &str) -> JsValue {
    let Some(value) = attribute(node, name) else {
        return js_string!().into();
    };
    let base = crate::document::url_of(&node.node_document());
    let parsed = url::Url::parse(&base.to_std_string_escaped())
        .ok()
        .and_then(|base| base.join(&value.to_std_string_escaped()).ok());
    parsed.map_or(value.into(), |url| JsString::from(url.as_str()).into())
}

// https://html.spec.whatwg.org/multipage/scripting.html#dom-script-src
fn script_src(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(reflect_url_get(
        &this_tag(this, ctx, "script", "HTMLScriptElement")?,
        "src",
    ))
}

fn set_script_src(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_tag(this, ctx, "script", "HTMLScriptElement")?;
    reflect_set(&node, "src", args.get_or_undefined(0), ctx)
}

fn script_type(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(reflect_get(
        &this_tag(this, ctx, "script", "HTMLScriptElement")?,
        "type",
    ))
}

fn set_script_type(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_tag(this, ctx, "script", "HTMLScriptElement")?;
    reflect_set(&node, "type", args.get_or_undefined(0), ctx)
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    let node_interface = interface::interface(ctx, "Node")?;
    let element = InterfaceBuilder::new(ctx, ELEMENT)
        .inherits(node_interface)
        .attribute("namespaceURI", get_namespace_uri, None)
        .attribute("prefix", get_prefix, None)
        .attribute("localName", get_local_name, None)
        .attribute("tagName", get_tag_name, None)
        .attribute("id", get_id, Some(set_id))
        .attribute("className", get_class_name, Some(set_class_name))
        .operation("hasAttributes", 0, has_attributes)
        .attribute("attributes", get_attributes, None)
        .operation("getAttributeNames", 0, get_attribute_names)
        .operation("getAttribute", 1, get_attribute_method)
        .operation("setAttribute", 2, set_attribute_method)
        .operation("removeAttribute", 1, remove_attribute_method)
        .operation("toggleAttribute", 1, toggle_attribute)
        .operation("hasAttribute", 1, has_attribute)
        .operation("matches", 1, matches)
        .operation("getElementsByTagName", 1, element_get_elements_by_tag_name)
        .attribute("innerHTML", get_inner_html, Some(set_inner_html))
        // ParentNode
        .attribute("children", element_get_children, None)
        .attribute("firstElementChild", element_first_element_child, None)
        .attribute("lastElementChild", element_last_element_child, None)
        .attribute("childElementCount", element_child_element_count, None)
        .operation("querySelector", 1, element_query_selector)
        .operation("querySelectorAll", 1, element_query_selector_all)
        // ChildNode
        .operation("remove", 0, remove)
        .build()?;
    let html_element = InterfaceBuilder::new(ctx, HTML_ELEMENT)
        .inherits(element)
        .attribute("title", get_title, Some(set_title))
        .attribute("hidden", get_hidden, Some(set_hidden))
        .build()?;
    type Members = &'static [(&'static str, (NativeFn, NativeFn))];
    let specific: [(&str, Members); 9] = [
        ("HTMLHtmlElement", &[]),
        ("HTMLHeadElement", &[]),
        ("HTMLBodyElement", &[]),
        (
            "HTMLTitleElement",
            &[("text", (title_text, set_title_text))],
        ),
        (
            "HTMLMetaElement",
            &[
                ("name", (meta_name, set_meta_name)),
                ("content", (meta_content, set_meta_content)),
            ],
        ),
        (
            "HTMLScriptElement",
            &[
                ("src", (script_src, set_script_src)),
                ("type", (script_type, set_script_type)),
            ],
        ),
        ("HTMLDivElement", &[]),
        ("HTMLSpanElement", &[]),
        ("HTMLParagraphElement", &[]),
    ];
    for (name, members) in specific {
        let mut builder = InterfaceBuilder::new(ctx, name).inherits(html_element.clone());
        for (member, (get, set)) in members {
            builder = builder.attribute(member, *get, Some(*set));
        }
        builder.build()?;
    }
    Ok(())
}

/// The tag name the serializer writes: the local name for HTML elements, else the qualified name.
pub(crate) fn tag_name_for_serialization(node: &NodeHandle) -> String {
    if is_html(node) {
        local_name_of(node)
    } else {
        qualified_name(node)
    }
}

/// The element's attributes, in order.
pub(crate) fn attribute_list(node: &NodeHandle) -> Vec<(String, JsString)> {
    with_element(node, |e| e.attributes.clone()).unwrap_or_default()
}
