//! The document and its elements as native Boa objects: a DOM core — `Node`, `Element`,
//! `HTMLElement` (and a few specific HTML element interfaces), `CharacterData`, `Text`,
//! `Document`, `NodeList`, `HTMLCollection` — and the realm's `document`
//! (`<html><head></head><body></body></html>`, also `window.document`).
//!
//! Every interface is built with `eme_dom::interface::InterfaceBuilder`, so shapes are WebIDL's:
//! operations enumerable on the prototype, named accessors, `Symbol.toStringTag`, "Illegal
//! constructor" where the IDL has no constructor (`Node`, `Element`, `HTMLElement`,
//! `CharacterData`; `Text` and `Document` have one), "Illegal invocation" brand checks.
//!
//! # The node model
//!
//! Each node object's native data is a [`Node`]: its embedded `EventTarget` and a
//! `Gc<GcRefCell<…>>` state holding its kind (document, element with its attributes and
//! [`ElementSteps`], or text with its data), its parent, its children and its node document.
//! All links are traced `Gc`/`JsObject` fields: a detached subtree lives as long as a script
//! reaches any node of it, and the tree's parent ↔ child cycles are the collector's to break.
//! The mutation algorithms (`node.rs`) follow DOM's: pre-insert with its validity checks
//! (`HierarchyRequestError`, `NotFoundError`), adopt, insert, remove, replace, replace all.
//!
//! # Writing an element interface on top (the media element)
//!
//! An element with its own interface and native state is made by an *element factory*:
//!
//! 1. **Native data embeds the element's `Node`.**
//!    ```ignore
//!    #[derive(Trace, Finalize, JsData)]
//!    pub struct HtmlMediaElement { node: eme_html::Node, media: Gc<GcRefCell<MediaState>> }
//!    ```
//! 2. **Register the embedding and the interface** (after [`register`] ran, so `HTMLElement`
//!    exists): `eme_html::embed_node::<HtmlMediaElement>(ctx, |d| d.node.clone())` makes the
//!    brand checks of `Node`, `Element`, `HTMLElement` and `EventTarget` members (and
//!    `Node::of`) accept these objects; `InterfaceBuilder::new(ctx, "HTMLMediaElement")
//!    .inherits(interface(ctx, "HTMLElement")?)` links the prototype chain. The element's own
//!    members brand-check with `object.downcast_ref::<HtmlMediaElement>()`.
//! 3. **Register a factory per tag**: `eme_html::register_element_factory(ctx, "video",
//!    create_video)`. `document.createElement("video")` (and `createElementNS` with the HTML
//!    namespace) then calls `create_video(document, local_name, ctx)`, which builds the node
//!    data with [`create_html_element_data`]`(document, local_name, steps, ctx)` and returns
//!    `JsObject::from_proto_and_data(prototype, HtmlMediaElement { node, … })`. The result
//!    must be an HTML element of that document with that local name, else `createElement`
//!    throws a `TypeError`.
//! 4. **Hooks ([`ElementSteps`])**, given to `create_html_element_data`, are plain `fn`s
//!    called with the element's object after the change is made (no borrow of the tree is held;
//!    they may run script, and an error they return propagates out of the DOM call that caused
//!    it):
//!    - `attribute_changed(element, &AttributeChange { local_name, old_value, value }, ctx)`
//!      — DOM's attribute change steps, for every `setAttribute` (even to the same value),
//!      `removeAttribute`, `toggleAttribute` and reflected-attribute setter: "when the `src`
//!      attribute is set" (`value: Some`) and "removed" (`value: None`), `autoplay`, `muted`…
//!    - `inserted(element, ctx)` / `removed(element, ctx)` — DOM's insertion and removing
//!      steps, run for every inclusive descendant of the inserted / removed node
//!      ("When a media element is removed from a Document…"; [`is_connected`] tells whether it
//!      is still in one).
//!
//!    Reflected IDL attributes (`src`, `autoplay`…) read and write the content attribute
//!    through [`get_attribute`] / [`set_attribute`] / [`remove_attribute`], which run the same
//!    hooks as the DOM methods.
//!
//! # Deviations
//!
//! - **Collections**: a `NodeList`/`HTMLCollection` is an ordinary object whose indexed
//!   properties Rust writes (Boa 0.22 offers no exotic objects to native code). `childNodes`
//!   is live (one object per node, rewritten after each change of the children);
//!   `querySelectorAll` is static as specified; `children` and `getElementsByTagName` return a
//!   static snapshot where the spec's `HTMLCollection` is live.
//! - **Events** dispatch to the target only (eme_dom's dispatch): no capture or bubble along
//!   the parents, so a listener on `document` does not see an element's event.
//! - **Selectors**: type, `*`, `#id`, `.class`, compounds of them and comma lists; anything
//!   else throws a `SyntaxError` `DOMException` saying it is unsupported.
//! - **`innerHTML`**: the getter serializes; the setter accepts only text without `<` or `&`
//!   (there is no HTML parser) and throws `NotSupportedError` otherwise.
//! - **`attributes`** is a frozen array of frozen `{name, value}` objects (no `Attr`).
//! - Not provided: comments, doctypes, document fragments, `cloneNode`, namespaced attribute
//!   methods, `HTMLUnknownElement` and the HTML element interfaces beyond those in
//!   `element.rs` (other tags are plain `HTMLElement`s), shadow trees, mutation observers.

#![forbid(unsafe_code)]

mod collection;
pub mod document;
pub mod element;
pub mod node;
mod selector;
mod serialize;
mod text;

// The media elements (HTMLMediaElement, HTMLVideoElement, HTMLAudioElement, TimeRanges,
// MediaError) on top of the DOM core.
mod audio_element;
pub mod media_element;
mod media_error;
pub mod media_loader;
pub mod media_report;
pub mod media_source;
mod source_buffer;
mod time_ranges;
mod video_element;

use boa_engine::{Context, JsResult};

pub use document::{ReadyState, document, set_ready_state, set_url};
pub use element::{
    AttributeChange, AttributeChangedSteps, ElementFactory, ElementSteps, HTML_NAMESPACE,
    TreeSteps, create_html_element_data, embed_node, get_attribute, register_element_factory,
    remove_attribute, set_attribute,
};
pub use node::{Node, is_connected};

pub use media_element::{HTMLMediaElement, can_play};
pub use media_loader::{MediaResourceLoader, install_media_loader};
pub use media_report::{MediaElementReport, format_media_reports, media_reports};

/// Registers the DOM core interfaces and defines `document` (needs eme_dom's `EventTarget`,
/// `Event` and `DOMException`).
pub fn register(ctx: &mut Context) -> JsResult<()> {
    node::register(ctx)?;
    text::register(ctx)?;
    element::register(ctx)?;
    collection::register(ctx)?;
    document::register(ctx)?;
    time_ranges::register(ctx)?;
    media_error::register(ctx)?;
    media_element::register(ctx)?;
    video_element::register(ctx)?;
    audio_element::register(ctx)?;
    media_source::register(ctx)?;
    Ok(())
}
