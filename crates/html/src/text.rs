//! `CharacterData` (<https://dom.spec.whatwg.org/#interface-characterdata>) and `Text`
//! (<https://dom.spec.whatwg.org/#interface-text>). Only text nodes exist here (no comments or
//! processing instructions), so every `CharacterData` is a `Text`.

use boa_engine::{Context, JsArgs, JsResult, JsString, JsValue};
use eme_dom::interface::{self, InterfaceBuilder, illegal_invocation};

use crate::node::{self, Node, NodeHandle, NodeKind, this_node};

const CHARACTER_DATA: &str = "CharacterData";
const TEXT: &str = "Text";

/// A new `Text` node of `document` holding `data`
/// (<https://dom.spec.whatwg.org/#dom-document-createtextnode>).
pub(crate) fn create_text_node(
    document: &NodeHandle,
    data: JsString,
    ctx: &mut Context,
) -> JsResult<NodeHandle> {
    let node = Node::new(NodeKind::Text(data), Some(document.clone()));
    Ok(NodeHandle::create(
        node::prototype(ctx, TEXT)?,
        node.clone(),
        &node,
    ))
}

fn this_character_data(this: &JsValue, ctx: &Context) -> JsResult<NodeHandle> {
    this_node(this, ctx, CHARACTER_DATA)
        .ok()
        .filter(NodeHandle::is_text)
        .ok_or_else(|| illegal_invocation(CHARACTER_DATA))
}

fn data_of(node: &NodeHandle) -> JsString {
    match &node.state.borrow().kind {
        NodeKind::Text(data) => data.clone(),
        _ => JsString::default(),
    }
}

// https://dom.spec.whatwg.org/#dom-characterdata-data
fn get_data(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(data_of(&this_character_data(this, ctx)?).into())
}

// `[LegacyNullToEmptyString] attribute DOMString data`
fn set_data(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_character_data(this, ctx)?;
    let value = args.get_or_undefined(0);
    let value = if value.is_null() {
        JsString::default()
    } else {
        value.to_string(ctx)?
    };
    if let NodeKind::Text(data) = &mut node.state.borrow_mut().kind {
        *data = value;
    }
    Ok(JsValue::undefined())
}

// https://dom.spec.whatwg.org/#dom-characterdata-length: in UTF-16 code units.
fn get_length(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(data_of(&this_character_data(this, ctx)?).len().into())
}

// https://dom.spec.whatwg.org/#dom-childnode-remove
fn remove(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_character_data(this, ctx)?;
    node::remove(&node, ctx)?;
    Ok(JsValue::undefined())
}

// https://dom.spec.whatwg.org/#dom-text-text: a text node of the current global's document.
fn constructor(new_target: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    interface::require_new(new_target, TEXT)?;
    let data =
        eme_dom::webidl::optional_dom_string(args.get_or_undefined(0), JsString::default(), ctx)?;
    let document = crate::document::global_document(ctx)?;
    let prototype = interface::prototype_from_new_target(new_target, TEXT, ctx)?;
    let node = Node::new(NodeKind::Text(data), Some(document));
    Ok(NodeHandle::create(prototype, node.clone(), &node)
        .object
        .clone()
        .into())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    let node_interface = interface::interface(ctx, "Node")?;
    let character_data = InterfaceBuilder::new(ctx, CHARACTER_DATA)
        .inherits(node_interface)
        .attribute("data", get_data, Some(set_data))
        .attribute("length", get_length, None)
        .operation("remove", 0, remove)
        .build()?;
    InterfaceBuilder::new(ctx, TEXT)
        .constructor(constructor, 0)
        .inherits(character_data)
        .build()?;
    Ok(())
}
