//! Brand checks that accept subclasses.
//!
//! Boa downcasts native data to exactly one Rust type, but WebIDL's brand check for an
//! inherited member (`EventTarget.prototype.addEventListener` called on a `MediaKeySession`)
//! must accept every interface that inherits. Each subclass embeds its parent's data (a cheap
//! `Gc` handle) and registers here how to find it.

use boa_engine::{Context, JsObject, NativeObject};

/// How to find the `B` data embedded in other native types. Context data, outside the GC
/// heap: the accessors capture only function pointers, never JS values.
struct BaseDataAccessors<B: 'static>(Vec<Box<BaseDataAccessor<B>>>);

/// Finds the `B` data embedded in an object's native data, if its type embeds one.
type BaseDataAccessor<B> = dyn Fn(&JsObject) -> Option<B>;

/// Declares that objects whose native data embeds a `B` can be found by `accessor`.
/// `InterfaceBuilder::inherits_embedded` calls this; interfaces need not call it themselves.
pub fn register_subclass<B: 'static>(
    ctx: &mut Context,
    accessor: impl Fn(&JsObject) -> Option<B> + 'static,
) {
    let mut accessors = ctx
        .remove_data::<BaseDataAccessors<B>>()
        .map_or_else(|| BaseDataAccessors(Vec::new()), |a| *a);
    accessors.0.push(Box::new(accessor));
    ctx.insert_data(accessors);
}

/// The `B` data of `object`: its own native data if it is a `B`, else the one embedded by a
/// registered subclass. The returned value is a clone, so no borrow of `object` outlives the call.
pub fn base_data<B: NativeObject + Clone>(object: &JsObject, ctx: &Context) -> Option<B> {
    if let Some(data) = object.downcast_ref::<B>() {
        return Some(data.clone());
    }
    ctx.get_data::<BaseDataAccessors<B>>()?
        .0
        .iter()
        .find_map(|accessor| accessor(object))
}
