//! `Node`: <https://dom.spec.whatwg.org/#interface-node>, and the tree it makes — the native data
//! every node object carries, and DOM's mutation algorithms (pre-insert, insert, remove,
//! replace, replace all) that `appendChild` and its siblings, `textContent` and the document's
//! set-up share.
//!
//! The tree lives in the GC heap: each node's state is a `Gc<GcRefCell<NodeState>>` holding
//! [`NodeHandle`]s (object and state) of its parent, its children and its node document. Every
//! link is traced, so a detached subtree lives exactly as long as something reaches it, and
//! the parent ↔ child cycles are the collector's to break.

use boa_engine::{
    Context, JsArgs, JsData, JsNativeError, JsObject, JsResult, JsString, JsValue, NativeObject,
    js_string,
};
use boa_gc::{Finalize, Gc, GcRefCell, Trace};
use eme_dom::{
    ExceptionName, dom_exception,
    event_target::EventTarget,
    inheritance,
    interface::{self, InterfaceBuilder, illegal_invocation},
};

use crate::collection;
use crate::document::DocumentState;
use crate::element::ElementState;

const INTERFACE: &str = "Node";

/// `Node.ELEMENT_NODE`.
pub const ELEMENT_NODE: u16 = 1;
/// `Node.TEXT_NODE`.
pub const TEXT_NODE: u16 = 3;
/// `Node.DOCUMENT_NODE`.
pub const DOCUMENT_NODE: u16 = 9;

/// The `nodeType` constants, all of them exposed on `Node` and `Node.prototype`.
const NODE_TYPE_CONSTANTS: [(&str, u16); 12] = [
    ("ELEMENT_NODE", ELEMENT_NODE),
    ("ATTRIBUTE_NODE", 2),
    ("TEXT_NODE", TEXT_NODE),
    ("CDATA_SECTION_NODE", 4),
    ("ENTITY_REFERENCE_NODE", 5),
    ("ENTITY_NODE", 6),
    ("PROCESSING_INSTRUCTION_NODE", 7),
    ("COMMENT_NODE", 8),
    ("DOCUMENT_NODE", DOCUMENT_NODE),
    ("DOCUMENT_TYPE_NODE", 10),
    ("DOCUMENT_FRAGMENT_NODE", 11),
    ("NOTATION_NODE", 12),
];

/// The `compareDocumentPosition` bits (the constants exist even though the operation is not
/// provided, as scripts test for them).
const DOCUMENT_POSITION_CONSTANTS: [(&str, u16); 6] = [
    ("DOCUMENT_POSITION_DISCONNECTED", 0x01),
    ("DOCUMENT_POSITION_PRECEDING", 0x02),
    ("DOCUMENT_POSITION_FOLLOWING", 0x04),
    ("DOCUMENT_POSITION_CONTAINS", 0x08),
    ("DOCUMENT_POSITION_CONTAINED_BY", 0x10),
    ("DOCUMENT_POSITION_IMPLEMENTATION_SPECIFIC", 0x20),
];

/// What kind of node this is, with the kind's own state.
#[derive(Trace, Finalize)]
pub(crate) enum NodeKind {
    Document(DocumentState),
    Element(ElementState),
    /// A `Text` node and its data.
    Text(JsString),
}

/// The state of one node: its place in the tree and its kind's state.
#[derive(Trace, Finalize)]
pub(crate) struct NodeState {
    pub(crate) kind: NodeKind,
    pub(crate) parent: Option<NodeHandle>,
    pub(crate) children: Vec<NodeHandle>,
    /// The node document; `None` for a document, which is its own.
    pub(crate) node_document: Option<NodeHandle>,
    /// The `childNodes` list, once a script asked for it: the same object every time, its
    /// indexed properties kept in step with `children` (see [`collection`]).
    pub(crate) child_nodes: Option<JsObject>,
}

/// Shared, mutable node state.
pub(crate) type NodeRef = Gc<GcRefCell<NodeState>>;

/// Native data of a `Node` — and the embedded base of every interface inheriting from it.
///
/// An element interface with its own native data (a media element) embeds the `Node` it got
/// from [`crate::element::create_html_element_data`] and registers it with
/// [`crate::element::embed_node`], so that `Node`, `Element`, `HTMLElement` and `EventTarget`
/// members accept its objects.
#[derive(Clone, Trace, Finalize, JsData)]
pub struct Node {
    event_target: EventTarget,
    state: NodeRef,
}

impl Node {
    pub(crate) fn new(kind: NodeKind, node_document: Option<NodeHandle>) -> Self {
        Self {
            event_target: EventTarget::new(),
            state: Gc::new(GcRefCell::new(NodeState {
                kind,
                parent: None,
                children: Vec::new(),
                node_document,
                child_nodes: None,
            })),
        }
    }

    /// The node data of `object` if it is a `Node` or an object of an inheriting interface.
    pub fn of(object: &JsObject, ctx: &Context) -> Option<Self> {
        inheritance::base_data::<Node>(object, ctx)
    }

    /// The embedded `EventTarget` (what a subclass registers for `EventTarget`'s members).
    pub fn event_target(&self) -> EventTarget {
        self.event_target.clone()
    }

    pub(crate) fn state(&self) -> &NodeRef {
        &self.state
    }
}

/// A node as the tree holds it: its object (what scripts see) and its state.
#[derive(Clone, Trace, Finalize)]
pub(crate) struct NodeHandle {
    pub(crate) object: JsObject,
    pub(crate) state: NodeRef,
}

impl NodeHandle {
    /// The handle of `object` if it is a node.
    pub(crate) fn of(object: &JsObject, ctx: &Context) -> Option<Self> {
        Node::of(object, ctx).map(|node| Self {
            object: object.clone(),
            state: node.state.clone(),
        })
    }

    /// Wraps `data` (a [`Node`] or a type embedding one) in an object with `prototype`.
    pub(crate) fn create<T: NativeObject>(prototype: JsObject, data: T, node: &Node) -> Self {
        Self {
            object: JsObject::from_proto_and_data(prototype, data),
            state: node.state.clone(),
        }
    }

    pub(crate) fn is(&self, other: &NodeHandle) -> bool {
        Gc::ptr_eq(&self.state, &other.state)
    }

    pub(crate) fn node_type(&self) -> u16 {
        match self.state.borrow().kind {
            NodeKind::Document(_) => DOCUMENT_NODE,
            NodeKind::Element(_) => ELEMENT_NODE,
            NodeKind::Text(_) => TEXT_NODE,
        }
    }

    pub(crate) fn is_element(&self) -> bool {
        self.node_type() == ELEMENT_NODE
    }

    pub(crate) fn is_document(&self) -> bool {
        self.node_type() == DOCUMENT_NODE
    }

    pub(crate) fn is_text(&self) -> bool {
        self.node_type() == TEXT_NODE
    }

    pub(crate) fn parent(&self) -> Option<NodeHandle> {
        self.state.borrow().parent.clone()
    }

    pub(crate) fn children(&self) -> Vec<NodeHandle> {
        self.state.borrow().children.clone()
    }

    /// The node document: the document itself for a document.
    pub(crate) fn node_document(&self) -> NodeHandle {
        self.state
            .borrow()
            .node_document
            .clone()
            .unwrap_or_else(|| self.clone())
    }

    /// The root: the furthest inclusive ancestor.
    pub(crate) fn root(&self) -> NodeHandle {
        let mut root = self.clone();
        while let Some(parent) = root.parent() {
            root = parent;
        }
        root
    }

    /// <https://dom.spec.whatwg.org/#connected>: the root is a document.
    pub(crate) fn is_connected(&self) -> bool {
        self.root().is_document()
    }

    /// Whether `self` is an inclusive ancestor of `other`.
    pub(crate) fn is_inclusive_ancestor_of(&self, other: &NodeHandle) -> bool {
        let mut at = Some(other.clone());
        while let Some(node) = at {
            if node.is(self) {
                return true;
            }
            at = node.parent();
        }
        false
    }

    fn sibling(&self, offset: isize) -> Option<NodeHandle> {
        let parent = self.parent()?;
        let siblings = parent.state.borrow();
        let index = siblings.children.iter().position(|c| c.is(self))?;
        let wanted = index.checked_add_signed(offset)?;
        siblings.children.get(wanted).cloned()
    }

    pub(crate) fn previous_sibling(&self) -> Option<NodeHandle> {
        self.sibling(-1)
    }

    pub(crate) fn next_sibling(&self) -> Option<NodeHandle> {
        self.sibling(1)
    }

    /// The descendants in tree order, `self` excluded (iterative, so a deep tree cannot
    /// exhaust the native stack).
    pub(crate) fn descendants(&self) -> Vec<NodeHandle> {
        let mut found = Vec::new();
        let mut stack: Vec<NodeHandle> = self.children().into_iter().rev().collect();
        while let Some(node) = stack.pop() {
            stack.extend(node.children().into_iter().rev());
            found.push(node);
        }
        found
    }

    /// The inclusive descendants in tree order.
    pub(crate) fn inclusive_descendants(&self) -> Vec<NodeHandle> {
        let mut found = vec![self.clone()];
        found.extend(self.descendants());
        found
    }

    /// <https://dom.spec.whatwg.org/#concept-descendant-text-content>
    pub(crate) fn descendant_text_content(&self) -> JsString {
        let mut units: Vec<u16> = Vec::new();
        for node in self.descendants() {
            if let NodeKind::Text(data) = &node.state.borrow().kind {
                units.extend(data.iter());
            }
        }
        JsString::from(units.as_slice())
    }
}

// ---------------------------------------------------------------------------------------------
// Mutation algorithms: https://dom.spec.whatwg.org/#mutation-algorithms

fn hierarchy_error(ctx: &mut Context, message: &str) -> boa_engine::JsError {
    dom_exception::error(ctx, ExceptionName::HierarchyRequestError, message)
}

fn not_found_error(ctx: &mut Context, message: &str) -> boa_engine::JsError {
    dom_exception::error(ctx, ExceptionName::NotFoundError, message)
}

/// Steps 1 and 2 of ensure pre-insertion validity (and of replace): `parent` can have
/// children, and `node` is not an inclusive ancestor of it.
fn ensure_parent_accepts(
    node: &NodeHandle,
    parent: &NodeHandle,
    ctx: &mut Context,
) -> JsResult<()> {
    // 1. Only documents, document fragments and elements have children.
    if parent.is_text() {
        return Err(hierarchy_error(
            ctx,
            "This node type does not support children.",
        ));
    }
    // 2. A node cannot become its own descendant.
    if node.is_inclusive_ancestor_of(parent) {
        return Err(hierarchy_error(
            ctx,
            "The new child element contains the parent.",
        ));
    }
    Ok(())
}

/// Step 3: the reference child (the replaced child) must be a child of `parent`.
fn ensure_child_of(
    child: &NodeHandle,
    parent: &NodeHandle,
    what: &str,
    ctx: &mut Context,
) -> JsResult<()> {
    if child.parent().is_some_and(|p| p.is(parent)) {
        return Ok(());
    }
    Err(not_found_error(
        ctx,
        &format!("The node {what} is not a child of this node."),
    ))
}

/// Steps 4–6, which differ between pre-insert and replace only in step 6's "an element child
/// that is not `replaced`".
fn ensure_node_fits(
    node: &NodeHandle,
    parent: &NodeHandle,
    replaced: Option<&NodeHandle>,
    ctx: &mut Context,
) -> JsResult<()> {
    // 4. A document is never a child.
    if node.is_document() {
        return Err(hierarchy_error(
            ctx,
            "Nodes of type '#document' may not be inserted inside nodes of any type.",
        ));
    }
    if parent.is_document() {
        // 5. A document holds no text.
        if node.is_text() {
            return Err(hierarchy_error(
                ctx,
                "Nodes of type '#text' may not be inserted inside nodes of type '#document'.",
            ));
        }
        // 6. … and at most one element (there are no doctypes here to be out of order).
        let has_other_element = parent
            .children()
            .iter()
            .any(|c| c.is_element() && replaced.is_none_or(|r| !c.is(r)));
        if node.is_element() && has_other_element {
            return Err(hierarchy_error(
                ctx,
                "Only one element on document allowed.",
            ));
        }
    }
    Ok(())
}

/// <https://dom.spec.whatwg.org/#concept-node-pre-insert>
pub(crate) fn pre_insert(
    node: &NodeHandle,
    parent: &NodeHandle,
    child: Option<&NodeHandle>,
    ctx: &mut Context,
) -> JsResult<()> {
    // 1. Ensure pre-insertion validity.
    ensure_parent_accepts(node, parent, ctx)?;
    if let Some(child) = child {
        ensure_child_of(
            child,
            parent,
            "before which the new node is to be inserted",
            ctx,
        )?;
    }
    ensure_node_fits(node, parent, None, ctx)?;
    // 2–3. Inserting a node before itself means before its next sibling.
    let reference = match child {
        Some(child) if child.is(node) => node.next_sibling(),
        other => other.cloned(),
    };
    insert(node, parent, reference.as_ref(), ctx)
}

/// <https://dom.spec.whatwg.org/#concept-node-insert> for a node that is not a fragment:
/// adopt it into `parent`'s node document (removing it from its old parent), place it before
/// `child`, then run the insertion steps of each inclusive descendant.
pub(crate) fn insert(
    node: &NodeHandle,
    parent: &NodeHandle,
    child: Option<&NodeHandle>,
    ctx: &mut Context,
) -> JsResult<()> {
    adopt(node, &parent.node_document(), ctx)?;
    {
        let mut parent_state = parent.state.borrow_mut();
        let index = child
            .and_then(|c| parent_state.children.iter().position(|n| n.is(c)))
            .unwrap_or(parent_state.children.len());
        parent_state.children.insert(index, node.clone());
    }
    node.state.borrow_mut().parent = Some(parent.clone());
    collection::children_changed(parent, ctx);
    crate::element::run_insertion_steps(node, ctx)
}

/// <https://dom.spec.whatwg.org/#concept-node-adopt>: removes `node` from its parent, then
/// makes `document` the node document of its inclusive descendants.
fn adopt(node: &NodeHandle, document: &NodeHandle, ctx: &mut Context) -> JsResult<()> {
    if node.parent().is_some() {
        remove(node, ctx)?;
    }
    if !node.node_document().is(document) {
        for descendant in node.inclusive_descendants() {
            descendant.state.borrow_mut().node_document = Some(document.clone());
        }
    }
    Ok(())
}

/// <https://dom.spec.whatwg.org/#concept-node-remove>: detaches `node`, then runs the removing
/// steps of each inclusive descendant.
pub(crate) fn remove(node: &NodeHandle, ctx: &mut Context) -> JsResult<()> {
    let Some(parent) = node.parent() else {
        return Ok(());
    };
    parent
        .state
        .borrow_mut()
        .children
        .retain(|child| !child.is(node));
    node.state.borrow_mut().parent = None;
    collection::children_changed(&parent, ctx);
    crate::element::run_removing_steps(node, ctx)
}

/// <https://dom.spec.whatwg.org/#concept-node-pre-remove>
pub(crate) fn pre_remove(
    child: &NodeHandle,
    parent: &NodeHandle,
    ctx: &mut Context,
) -> JsResult<()> {
    ensure_child_of(child, parent, "to be removed", ctx)?;
    remove(child, ctx)
}

/// <https://dom.spec.whatwg.org/#concept-node-replace>
pub(crate) fn replace(
    child: &NodeHandle,
    node: &NodeHandle,
    parent: &NodeHandle,
    ctx: &mut Context,
) -> JsResult<()> {
    // 1–6. The same checks as ensure pre-insertion validity, `child` excepted in step 6.
    ensure_parent_accepts(node, parent, ctx)?;
    ensure_child_of(child, parent, "to be replaced", ctx)?;
    ensure_node_fits(node, parent, Some(child), ctx)?;
    // 7–8. The reference child is child's next sibling, skipping node itself.
    let mut reference = child.next_sibling();
    if reference.as_ref().is_some_and(|r| r.is(node)) {
        reference = node.next_sibling();
    }
    // 11–12. Remove child (unless it is node), then insert node.
    if !child.is(node) {
        remove(child, ctx)?;
    }
    insert(node, parent, reference.as_ref(), ctx)
}

/// <https://dom.spec.whatwg.org/#concept-node-replace-all>
pub(crate) fn replace_all(
    node: Option<&NodeHandle>,
    parent: &NodeHandle,
    ctx: &mut Context,
) -> JsResult<()> {
    for child in parent.children() {
        remove(&child, ctx)?;
    }
    if let Some(node) = node {
        insert(node, parent, None, ctx)?;
    }
    Ok(())
}

/// <https://dom.spec.whatwg.org/#string-replace-all>: the children become one `Text` node
/// holding `text`, or none when it is empty.
pub(crate) fn string_replace_all(
    text: JsString,
    parent: &NodeHandle,
    ctx: &mut Context,
) -> JsResult<()> {
    let node = if text.is_empty() {
        None
    } else {
        Some(crate::text::create_text_node(
            &parent.node_document(),
            text,
            ctx,
        )?)
    };
    replace_all(node.as_ref(), parent, ctx)
}

// ---------------------------------------------------------------------------------------------
// The Node interface

/// The node `this` refers to, or "Illegal invocation".
pub(crate) fn this_node(this: &JsValue, ctx: &Context, interface: &str) -> JsResult<NodeHandle> {
    this.as_object()
        .and_then(|object| NodeHandle::of(&object, ctx))
        .ok_or_else(|| illegal_invocation(interface))
}

/// A required `Node` argument.
pub(crate) fn node_argument(
    args: &[JsValue],
    index: usize,
    method: &str,
    interface: &str,
    ctx: &Context,
) -> JsResult<NodeHandle> {
    args.get_or_undefined(index)
        .as_object()
        .and_then(|object| NodeHandle::of(&object, ctx))
        .ok_or_else(|| {
            JsNativeError::typ()
                .with_message(format!(
                    "Failed to execute '{method}' on '{interface}': parameter {} is not of type 'Node'.",
                    index + 1
                ))
                .into()
        })
}

/// A `Node?` argument: `null` and `undefined` are `None`.
fn nullable_node_argument(
    args: &[JsValue],
    index: usize,
    method: &str,
    ctx: &Context,
) -> JsResult<Option<NodeHandle>> {
    if args.get_or_undefined(index).is_null_or_undefined() {
        return Ok(None);
    }
    node_argument(args, index, method, INTERFACE, ctx).map(Some)
}

/// WebIDL's "not enough arguments" TypeError.
pub(crate) fn require_arguments(
    args: &[JsValue],
    count: usize,
    method: &str,
    interface: &str,
) -> JsResult<()> {
    if args.len() < count {
        return Err(JsNativeError::typ()
            .with_message(format!(
                "Failed to execute '{method}' on '{interface}': {count} argument{} required, but only {} present.",
                if count == 1 { "" } else { "s" },
                args.len()
            ))
            .into());
    }
    Ok(())
}

fn object_or_null(node: Option<NodeHandle>) -> JsValue {
    node.map_or(JsValue::null(), |n| n.object.clone().into())
}

// https://dom.spec.whatwg.org/#dom-node-nodetype
fn get_node_type(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(this_node(this, ctx, INTERFACE)?.node_type().into())
}

// https://dom.spec.whatwg.org/#dom-node-nodename
fn get_node_name(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_node(this, ctx, INTERFACE)?;
    let name = match node.node_type() {
        DOCUMENT_NODE => js_string!("#document"),
        TEXT_NODE => js_string!("#text"),
        _ => crate::element::html_uppercased_qualified_name(&node),
    };
    Ok(name.into())
}

// https://dom.spec.whatwg.org/#dom-node-isconnected
fn get_is_connected(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(this_node(this, ctx, INTERFACE)?.is_connected().into())
}

// https://dom.spec.whatwg.org/#dom-node-ownerdocument
fn get_owner_document(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_node(this, ctx, INTERFACE)?;
    if node.is_document() {
        return Ok(JsValue::null());
    }
    Ok(node.node_document().object.clone().into())
}

// https://dom.spec.whatwg.org/#dom-node-getrootnode (no shadow trees: `composed` changes nothing)
fn get_root_node(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(this_node(this, ctx, INTERFACE)?
        .root()
        .object
        .clone()
        .into())
}

// https://dom.spec.whatwg.org/#dom-node-parentnode
fn get_parent_node(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(object_or_null(this_node(this, ctx, INTERFACE)?.parent()))
}

// https://dom.spec.whatwg.org/#dom-node-parentelement
fn get_parent_element(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let parent = this_node(this, ctx, INTERFACE)?.parent();
    Ok(object_or_null(parent.filter(NodeHandle::is_element)))
}

// https://dom.spec.whatwg.org/#dom-node-haschildnodes
fn has_child_nodes(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_node(this, ctx, INTERFACE)?;
    let has = !node.state.borrow().children.is_empty();
    Ok(has.into())
}

// https://dom.spec.whatwg.org/#dom-node-childnodes
fn get_child_nodes(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_node(this, ctx, INTERFACE)?;
    Ok(collection::child_nodes(&node, ctx)?.into())
}

// https://dom.spec.whatwg.org/#dom-node-firstchild
fn get_first_child(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_node(this, ctx, INTERFACE)?;
    let first = node.state.borrow().children.first().cloned();
    Ok(object_or_null(first))
}

// https://dom.spec.whatwg.org/#dom-node-lastchild
fn get_last_child(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_node(this, ctx, INTERFACE)?;
    let last = node.state.borrow().children.last().cloned();
    Ok(object_or_null(last))
}

// https://dom.spec.whatwg.org/#dom-node-previoussibling
fn get_previous_sibling(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(object_or_null(
        this_node(this, ctx, INTERFACE)?.previous_sibling(),
    ))
}

// https://dom.spec.whatwg.org/#dom-node-nextsibling
fn get_next_sibling(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    Ok(object_or_null(
        this_node(this, ctx, INTERFACE)?.next_sibling(),
    ))
}

// https://dom.spec.whatwg.org/#dom-node-nodevalue: a text node's data, else null.
fn get_node_value(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_node(this, ctx, INTERFACE)?;
    Ok(match &node.state.borrow().kind {
        NodeKind::Text(data) => data.clone().into(),
        _ => JsValue::null(),
    })
}

// Setting nodeValue replaces a text node's data (null is the empty string) and does nothing
// for other nodes.
fn set_node_value(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_node(this, ctx, INTERFACE)?;
    let value = nullable_string(args.get_or_undefined(0), ctx)?;
    if let NodeKind::Text(data) = &mut node.state.borrow_mut().kind {
        *data = value;
    }
    Ok(JsValue::undefined())
}

/// `DOMString?` where null is the empty string (`nodeValue`, `textContent`).
fn nullable_string(value: &JsValue, ctx: &mut Context) -> JsResult<JsString> {
    if value.is_null() {
        Ok(JsString::default())
    } else {
        value.to_string(ctx)
    }
}

// https://dom.spec.whatwg.org/#dom-node-textcontent
fn get_text_content(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_node(this, ctx, INTERFACE)?;
    let kind_text = match &node.state.borrow().kind {
        NodeKind::Document(_) => return Ok(JsValue::null()),
        NodeKind::Text(data) => Some(data.clone()),
        NodeKind::Element(_) => None,
    };
    Ok(kind_text
        .unwrap_or_else(|| node.descendant_text_content())
        .into())
}

// https://dom.spec.whatwg.org/#set-text-content
fn set_text_content(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_node(this, ctx, INTERFACE)?;
    let value = nullable_string(args.get_or_undefined(0), ctx)?;
    if node.is_element() {
        string_replace_all(value, &node, ctx)?;
    } else if let NodeKind::Text(data) = &mut node.state.borrow_mut().kind {
        *data = value;
    }
    Ok(JsValue::undefined())
}

// https://dom.spec.whatwg.org/#dom-node-contains
fn contains(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_node(this, ctx, INTERFACE)?;
    require_arguments(args, 1, "contains", INTERFACE)?;
    let other = nullable_node_argument(args, 0, "contains", ctx)?;
    Ok(other
        .is_some_and(|other| node.is_inclusive_ancestor_of(&other))
        .into())
}

// https://dom.spec.whatwg.org/#dom-node-issamenode
fn is_same_node(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let node = this_node(this, ctx, INTERFACE)?;
    require_arguments(args, 1, "isSameNode", INTERFACE)?;
    let other = nullable_node_argument(args, 0, "isSameNode", ctx)?;
    Ok(other.is_some_and(|other| other.is(&node)).into())
}

// https://dom.spec.whatwg.org/#dom-node-insertbefore
fn insert_before(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let parent = this_node(this, ctx, INTERFACE)?;
    require_arguments(args, 2, "insertBefore", INTERFACE)?;
    let node = node_argument(args, 0, "insertBefore", INTERFACE, ctx)?;
    let child = nullable_node_argument(args, 1, "insertBefore", ctx)?;
    pre_insert(&node, &parent, child.as_ref(), ctx)?;
    Ok(node.object.clone().into())
}

// https://dom.spec.whatwg.org/#dom-node-appendchild
fn append_child(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let parent = this_node(this, ctx, INTERFACE)?;
    require_arguments(args, 1, "appendChild", INTERFACE)?;
    let node = node_argument(args, 0, "appendChild", INTERFACE, ctx)?;
    pre_insert(&node, &parent, None, ctx)?;
    Ok(node.object.clone().into())
}

// https://dom.spec.whatwg.org/#dom-node-replacechild
fn replace_child(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let parent = this_node(this, ctx, INTERFACE)?;
    require_arguments(args, 2, "replaceChild", INTERFACE)?;
    let node = node_argument(args, 0, "replaceChild", INTERFACE, ctx)?;
    let child = node_argument(args, 1, "replaceChild", INTERFACE, ctx)?;
    replace(&child, &node, &parent, ctx)?;
    Ok(child.object.clone().into())
}

// https://dom.spec.whatwg.org/#dom-node-removechild
fn remove_child(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let parent = this_node(this, ctx, INTERFACE)?;
    require_arguments(args, 1, "removeChild", INTERFACE)?;
    let child = node_argument(args, 0, "removeChild", INTERFACE, ctx)?;
    pre_remove(&child, &parent, ctx)?;
    Ok(child.object.clone().into())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    let mut builder = InterfaceBuilder::new(ctx, INTERFACE)
        .inherits_embedded("EventTarget", |node: &Node| node.event_target.clone())?;
    for (name, value) in NODE_TYPE_CONSTANTS
        .iter()
        .chain(DOCUMENT_POSITION_CONSTANTS.iter())
    {
        builder = builder.constant(name, *value);
    }
    builder
        .attribute("nodeType", get_node_type, None)
        .attribute("nodeName", get_node_name, None)
        .attribute("isConnected", get_is_connected, None)
        .attribute("ownerDocument", get_owner_document, None)
        .operation("getRootNode", 0, get_root_node)
        .attribute("parentNode", get_parent_node, None)
        .attribute("parentElement", get_parent_element, None)
        .operation("hasChildNodes", 0, has_child_nodes)
        .attribute("childNodes", get_child_nodes, None)
        .attribute("firstChild", get_first_child, None)
        .attribute("lastChild", get_last_child, None)
        .attribute("previousSibling", get_previous_sibling, None)
        .attribute("nextSibling", get_next_sibling, None)
        .attribute("nodeValue", get_node_value, Some(set_node_value))
        .attribute("textContent", get_text_content, Some(set_text_content))
        .operation("isSameNode", 1, is_same_node)
        .operation("contains", 1, contains)
        .operation("insertBefore", 2, insert_before)
        .operation("appendChild", 1, append_child)
        .operation("replaceChild", 2, replace_child)
        .operation("removeChild", 1, remove_child)
        .build()?;
    Ok(())
}

/// Registers how to find the [`Node`] (and through it the `EventTarget`) embedded in native
/// data of type `T`, so that inherited members' brand checks accept `T`'s objects.
pub(crate) fn register_embedding<T: NativeObject>(ctx: &mut Context, embedded: fn(&T) -> Node) {
    inheritance::register_subclass::<Node>(ctx, move |object| {
        object.downcast_ref::<T>().map(|data| embedded(&data))
    });
    inheritance::register_subclass::<EventTarget>(ctx, move |object| {
        object
            .downcast_ref::<T>()
            .map(|data| embedded(&data).event_target.clone())
    });
}

/// Whether `object` is a node in a document (<https://dom.spec.whatwg.org/#connected>).
pub fn is_connected(object: &JsObject, ctx: &Context) -> bool {
    NodeHandle::of(object, ctx).is_some_and(|node| node.is_connected())
}

/// The interface prototype named `name`, for node creation.
pub(crate) fn prototype(ctx: &Context, name: &str) -> JsResult<JsObject> {
    interface::prototype_of(ctx, name)
}
