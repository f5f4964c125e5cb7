//! `MediaKeyStatusMap`: <https://w3c.github.io/encrypted-media/#mediakeystatusmap-interface>
//!
//! A read-only pair iterable `<BufferSource, MediaKeyStatus>`; the session replaces its
//! contents in "Update Key Statuses". Entries are kept sorted by key ID bytes, the order the
//! spec requires for iteration.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use boa_engine::{
    Context, JsArgs, JsData, JsObject, JsResult, JsString, JsSymbol, JsValue,
    builtins::iterable::create_iter_result_object,
    js_string,
    object::{ObjectInitializer, builtins::JsArray},
    property::{Attribute, PropertyDescriptor},
};
use boa_gc::{Finalize, Trace};
use eme_cdm::{KeyId, KeyStatus};
use eme_dom::{
    interface::{self, InterfaceBuilder, illegal_invocation},
    webidl,
};

use crate::{idl_string, require_arguments};

const INTERFACE: &str = "MediaKeyStatusMap";
const ITERATOR_TAG: &str = "MediaKeyStatusMap Iterator";

/// The map's entries, shared between the map object and its session.
#[derive(Debug, Clone, Default, Trace, Finalize)]
// SAFETY (of the empty trace): key IDs and eme_cdm statuses only; neither can hold a JS value.
#[boa_gc(unsafe_empty_trace)]
pub(crate) struct StatusEntries(Rc<RefCell<Vec<(KeyId, KeyStatus)>>>);

impl StatusEntries {
    /// Replaces every entry ("Update Key Statuses" steps 2–3), sorted by key ID bytes.
    pub(crate) fn replace(&self, statuses: &[(KeyId, KeyStatus)]) {
        let mut entries = statuses.to_vec();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        *self.0.borrow_mut() = entries;
    }

    fn len(&self) -> usize {
        self.0.borrow().len()
    }

    fn get(&self, index: usize) -> Option<(KeyId, KeyStatus)> {
        self.0.borrow().get(index).cloned()
    }

    fn status_of(&self, key_id: &[u8]) -> Option<KeyStatus> {
        self.0
            .borrow()
            .iter()
            .find(|(id, _)| id == key_id)
            .map(|(_, s)| *s)
    }
}

/// Native data of a `MediaKeyStatusMap`: a view of its session's entries.
#[derive(Debug, Trace, Finalize, JsData)]
pub struct MediaKeyStatusMap {
    entries: StatusEntries,
}

#[derive(Debug, Clone, Copy)]
enum IterationKind {
    Keys,
    Values,
    Entries,
}

/// Native data of WebIDL's default iterator object: it reads the map's entries at each `next()`.
#[derive(Debug, Trace, Finalize, JsData)]
pub struct MediaKeyStatusMapIterator {
    entries: StatusEntries,
    #[unsafe_ignore_trace] // a field-less enum
    kind: IterationKind,
    index: Cell<usize>,
}

/// `%MediaKeyStatusMapIteratorPrototype%` of this realm.
struct IteratorPrototype(JsObject);

/// A new, empty map and the handle its session updates it through.
pub(crate) fn create(ctx: &mut Context) -> JsResult<(JsObject, StatusEntries)> {
    let entries = StatusEntries::default();
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    let map = JsObject::from_proto_and_data(
        prototype,
        MediaKeyStatusMap {
            entries: entries.clone(),
        },
    );
    Ok((map, entries))
}

fn this_entries(this: &JsValue) -> JsResult<StatusEntries> {
    this.as_object()
        .and_then(|o| {
            o.downcast_ref::<MediaKeyStatusMap>()
                .map(|m| m.entries.clone())
        })
        .ok_or_else(|| illegal_invocation(INTERFACE))
}

fn get_size(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(this_entries(this)?.len().into())
}

// https://w3c.github.io/encrypted-media/#dom-mediakeystatusmap-has
fn has(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let entries = this_entries(this)?;
    require_arguments(args, 1, "has", INTERFACE)?;
    let key_id = webidl::buffer_source(&args[0], "keyId", ctx)?;
    Ok(entries.status_of(&key_id).is_some().into())
}

// https://w3c.github.io/encrypted-media/#dom-mediakeystatusmap-get
fn get(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let entries = this_entries(this)?;
    require_arguments(args, 1, "get", INTERFACE)?;
    let key_id = webidl::buffer_source(&args[0], "keyId", ctx)?;
    Ok(entries
        .status_of(&key_id)
        .map_or(JsValue::undefined(), idl_string))
}

// https://webidl.spec.whatwg.org/#es-forEach
fn for_each(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let entries = this_entries(this)?;
    let callback = webidl::callback_function(args.get_or_undefined(0), "The forEach callback")?;
    let this_arg = args.get_or_undefined(1);
    let mut index = 0;
    while let Some((key_id, status)) = entries.get(index) {
        let key = webidl::array_buffer(&key_id, ctx)?;
        callback.call(
            this_arg,
            &[idl_string(status), key.into(), this.clone()],
            ctx,
        )?;
        index += 1;
    }
    Ok(JsValue::undefined())
}

fn iterator(this: &JsValue, kind: IterationKind, ctx: &mut Context) -> JsResult<JsValue> {
    let entries = this_entries(this)?;
    let prototype = ctx
        .get_data::<IteratorPrototype>()
        .map(|p| p.0.clone())
        .ok_or_else(|| illegal_invocation(INTERFACE))?;
    let iterator = MediaKeyStatusMapIterator {
        entries,
        kind,
        index: Cell::new(0),
    };
    Ok(JsObject::from_proto_and_data(prototype, iterator).into())
}

fn entries(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    iterator(this, IterationKind::Entries, ctx)
}

fn keys(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    iterator(this, IterationKind::Keys, ctx)
}

fn values(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    iterator(this, IterationKind::Values, ctx)
}

// https://webidl.spec.whatwg.org/#es-iterator-prototype-object
fn next(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let (entries, kind, index) = this
        .as_object()
        .and_then(|o| {
            o.downcast_ref::<MediaKeyStatusMapIterator>()
                .map(|i| (i.entries.clone(), i.kind, i.index.get()))
        })
        .ok_or_else(|| illegal_invocation(ITERATOR_TAG))?;
    let Some((key_id, status)) = entries.get(index) else {
        return Ok(create_iter_result_object(JsValue::undefined(), true, ctx));
    };
    if let Some(object) = this.as_object()
        && let Some(iterator) = object.downcast_ref::<MediaKeyStatusMapIterator>()
    {
        iterator.index.set(index + 1);
    }
    let value: JsValue = match kind {
        IterationKind::Keys => webidl::array_buffer(&key_id, ctx)?.into(),
        IterationKind::Values => idl_string(status),
        IterationKind::Entries => {
            let key = webidl::array_buffer(&key_id, ctx)?;
            JsArray::from_iter([key.into(), idl_string(status)], ctx).into()
        }
    };
    Ok(create_iter_result_object(value, false, ctx))
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    let iterator_prototype = ctx.intrinsics().constructors().iterator().prototype();
    let next_function = InterfaceBuilder::function(ctx, js_string!("next"), 0, next);
    let prototype = ObjectInitializer::new(ctx)
        .property(js_string!("next"), next_function, Attribute::all())
        .property(
            JsSymbol::to_string_tag(),
            JsString::from(ITERATOR_TAG),
            Attribute::CONFIGURABLE,
        )
        .build();
    prototype.set_prototype(Some(iterator_prototype));
    ctx.insert_data(IteratorPrototype(prototype));

    // WebIDL pair iterators: @@iterator is the same function object as `entries`.
    let entries_function = InterfaceBuilder::function(ctx, js_string!("entries"), 0, entries);
    let method = |f: &boa_engine::object::builtins::JsFunction| {
        PropertyDescriptor::builder()
            .value(f.clone())
            .writable(true)
            .enumerable(true)
            .configurable(true)
            .build()
    };
    let iterator_desc = PropertyDescriptor::builder()
        .value(entries_function.clone())
        .writable(true)
        .enumerable(false)
        .configurable(true)
        .build();
    InterfaceBuilder::new(ctx, INTERFACE)
        .attribute("size", get_size, None)
        .operation("has", 1, has)
        .operation("get", 1, get)
        .define(js_string!("entries"), method(&entries_function))
        .operation("keys", 0, keys)
        .operation("values", 0, values)
        .operation("forEach", 1, for_each)
        .define(JsSymbol::iterator(), iterator_desc)
        .build()?;
    Ok(())
}
