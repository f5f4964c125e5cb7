//! `NodeList` (<https://dom.spec.whatwg.org/#interface-nodelist>) and `HTMLCollection`
//! (<https://dom.spec.whatwg.org/#interface-htmlcollection>).
//!
//! WebIDL makes both *legacy platform objects*, whose indexed properties are computed on each
//! access. Boa 0.22 offers no such exotic object to native code, so a list is an ordinary
//! object whose indexed properties are real data properties {enumerable, configurable,
//! read-only}, written by Rust:
//! - `childNodes` is live as the spec says: one `NodeList` per node, the same object on every
//!   read, whose `length` reads the tree and whose indexed properties are rewritten after every
//!   change to that node's children (the mutation algorithms call [`children_changed`]);
//! - `querySelectorAll` returns a static `NodeList`, as the spec says;
//! - `children` and `getElementsByTagName` return a static `HTMLCollection` — a deviation: the
//!   spec's collections are live (a fresh snapshot is returned by every call instead).
//!
//! Because the indexed properties are ordinary, a script can delete or redefine them (a
//! legacy platform object refuses), and `Object.getOwnPropertyNames` lists them as it should.

use std::cell::Cell;

use boa_engine::{
    Context, JsData, JsObject, JsResult, JsString, JsSymbol, JsValue, js_string,
    property::PropertyDescriptor,
};
use boa_gc::{Finalize, Trace};
use eme_dom::interface::{InterfaceBuilder, illegal_invocation, prototype_of};

use crate::element;
use crate::node::{NodeHandle, require_arguments};

const NODE_LIST: &str = "NodeList";
const HTML_COLLECTION: &str = "HTMLCollection";

/// Where a `NodeList`'s nodes come from.
#[derive(Trace, Finalize)]
enum NodeListSource {
    /// `childNodes`: the node's children, live.
    ChildrenOf(NodeHandle),
    /// A static list (`querySelectorAll`).
    Static(Vec<NodeHandle>),
}

/// Native data of a `NodeList`.
#[derive(Trace, Finalize, JsData)]
pub struct NodeList {
    source: NodeListSource,
    /// How many indexed properties the object holds now, so a shrinking list deletes the rest.
    indexed: Cell<usize>,
}

impl NodeList {
    fn items(&self) -> Vec<NodeHandle> {
        match &self.source {
            NodeListSource::ChildrenOf(node) => node.children(),
            NodeListSource::Static(items) => items.clone(),
        }
    }
}

/// Native data of an `HTMLCollection` (a snapshot, see the module documentation).
#[derive(Trace, Finalize, JsData)]
pub struct HtmlCollection {
    items: Vec<NodeHandle>,
}

/// Writes the indexed properties `0..items.len()` of `list` and deletes those past the end.
fn write_indexed_properties(
    list: &JsObject,
    items: &[NodeHandle],
    previous: usize,
    ctx: &mut Context,
) {
    for (index, item) in items.iter().enumerate() {
        list.insert_property(
            index,
            PropertyDescriptor::builder()
                .value(item.object.clone())
                .writable(false)
                .enumerable(true)
                .configurable(true),
        );
    }
    for index in items.len()..previous {
        // An ordinary object's [[Delete]] runs no script; a script that made the property
        // non-configurable keeps it, which is its own doing.
        let _ = list.delete_property_or_throw(index, ctx);
    }
}

/// The node's `childNodes` list, created on first use.
pub(crate) fn child_nodes(node: &NodeHandle, ctx: &mut Context) -> JsResult<JsObject> {
    if let Some(list) = node.state.borrow().child_nodes.clone() {
        return Ok(list);
    }
    let list = JsObject::from_proto_and_data(
        prototype_of(ctx, NODE_LIST)?,
        NodeList {
            source: NodeListSource::ChildrenOf(node.clone()),
            indexed: Cell::new(0),
        },
    );
    node.state.borrow_mut().child_nodes = Some(list.clone());
    children_changed(node, ctx);
    Ok(list)
}

/// Brings the indexed properties of `parent`'s `childNodes` list (if it has one) up to date.
pub(crate) fn children_changed(parent: &NodeHandle, ctx: &mut Context) {
    let Some(list) = parent.state.borrow().child_nodes.clone() else {
        return;
    };
    let items = parent.children();
    let previous = list
        .downcast_ref::<NodeList>()
        .map_or(0, |data| data.indexed.replace(items.len()));
    write_indexed_properties(&list, &items, previous, ctx);
}

/// A static `NodeList` of `items`.
pub(crate) fn static_node_list(items: Vec<NodeHandle>, ctx: &mut Context) -> JsResult<JsObject> {
    let count = items.len();
    let list = JsObject::from_proto_and_data(
        prototype_of(ctx, NODE_LIST)?,
        NodeList {
            source: NodeListSource::Static(items.clone()),
            indexed: Cell::new(count),
        },
    );
    write_indexed_properties(&list, &items, 0, ctx);
    Ok(list)
}

/// An `HTMLCollection` holding `items` (elements).
pub(crate) fn html_collection(items: Vec<NodeHandle>, ctx: &mut Context) -> JsResult<JsObject> {
    let list = JsObject::from_proto_and_data(
        prototype_of(ctx, HTML_COLLECTION)?,
        HtmlCollection {
            items: items.clone(),
        },
    );
    write_indexed_properties(&list, &items, 0, ctx);
    Ok(list)
}

fn node_list_items(this: &JsValue) -> JsResult<Vec<NodeHandle>> {
    this.as_object()
        .and_then(|o| o.downcast_ref::<NodeList>().map(|list| list.items()))
        .ok_or_else(|| illegal_invocation(NODE_LIST))
}

fn collection_items(this: &JsValue) -> JsResult<Vec<NodeHandle>> {
    this.as_object()
        .and_then(|o| o.downcast_ref::<HtmlCollection>().map(|c| c.items.clone()))
        .ok_or_else(|| illegal_invocation(HTML_COLLECTION))
}

/// `item(unsigned long index)`: WebIDL's ToUint32-style conversion, then the item or null.
fn item_at(items: &[NodeHandle], index: &JsValue, ctx: &mut Context) -> JsResult<JsValue> {
    let index = index.to_u32(ctx)?;
    Ok(usize::try_from(index)
        .ok()
        .and_then(|i| items.get(i))
        .map_or(JsValue::null(), |item| item.object.clone().into()))
}

// https://dom.spec.whatwg.org/#dom-nodelist-length
fn node_list_length(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(node_list_items(this)?.len().into())
}

// https://dom.spec.whatwg.org/#dom-nodelist-item
fn node_list_item(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let items = node_list_items(this)?;
    require_arguments(args, 1, "item", NODE_LIST)?;
    item_at(&items, &args[0], ctx)
}

// https://dom.spec.whatwg.org/#dom-htmlcollection-length
fn collection_length(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(collection_items(this)?.len().into())
}

// https://dom.spec.whatwg.org/#dom-htmlcollection-item
fn collection_item(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let items = collection_items(this)?;
    require_arguments(args, 1, "item", HTML_COLLECTION)?;
    item_at(&items, &args[0], ctx)
}

// https://dom.spec.whatwg.org/#dom-htmlcollection-nameditem: the first element whose id is
// `key`, or an HTML element whose name attribute is.
fn collection_named_item(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let items = collection_items(this)?;
    require_arguments(args, 1, "namedItem", HTML_COLLECTION)?;
    let key = args[0].to_string(ctx)?;
    if key.is_empty() {
        return Ok(JsValue::null());
    }
    let found = items.into_iter().find(|item| {
        element::attribute(item, "id").is_some_and(|id| id == key)
            || (element::is_html(item)
                && element::attribute(item, "name").is_some_and(|name| name == key))
    });
    Ok(found.map_or(JsValue::null(), |item| item.object.clone().into()))
}

/// A data property for a member copied from `Array.prototype` (WebIDL's iterable and
/// indexed-getter members are `%Array.prototype.values%` and its siblings).
fn array_method(
    ctx: &mut Context,
    name: JsString,
    enumerable: bool,
) -> JsResult<PropertyDescriptor> {
    let array_prototype = ctx.intrinsics().constructors().array().prototype();
    let function = array_prototype.get(name, ctx)?;
    Ok(PropertyDescriptor::builder()
        .value(function)
        .writable(true)
        .enumerable(enumerable)
        .configurable(true)
        .build())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    // `iterable<Node>` on an interface with an indexed getter: forEach, entries, keys and
    // values are Array.prototype's (https://webidl.spec.whatwg.org/#es-iterable).
    let entries = array_method(ctx, js_string!("entries"), true)?;
    let keys = array_method(ctx, js_string!("keys"), true)?;
    let values = array_method(ctx, js_string!("values"), true)?;
    let for_each = array_method(ctx, js_string!("forEach"), true)?;
    let iterator = array_method(ctx, js_string!("values"), false)?;
    InterfaceBuilder::new(ctx, NODE_LIST)
        .operation("item", 1, node_list_item)
        .attribute("length", node_list_length, None)
        .define(js_string!("entries"), entries)
        .define(js_string!("keys"), keys)
        .define(js_string!("values"), values)
        .define(js_string!("forEach"), for_each)
        .define(JsSymbol::iterator(), iterator.clone())
        .build()?;
    InterfaceBuilder::new(ctx, HTML_COLLECTION)
        .attribute("length", collection_length, None)
        .operation("item", 1, collection_item)
        .operation("namedItem", 1, collection_named_item)
        .define(JsSymbol::iterator(), iterator)
        .build()?;
    Ok(())
}
