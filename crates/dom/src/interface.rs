//! Builders for WebIDL interface objects with exactly the property attributes WebIDL
//! prescribes (Boa's `ClassBuilder` makes methods non-enumerable, names getters `""`, binds
//! globals enumerably and cannot express inheritance — see docs/ARCHITECTURE.md, "Boa 0.22 facts").
//!
//! <https://webidl.spec.whatwg.org/#es-interfaces>

use std::collections::HashMap;

use boa_engine::{
    Context, JsArgs, JsNativeError, JsObject, JsResult, JsString, JsSymbol, JsValue,
    NativeFunction, NativeObject, js_string,
    object::{FunctionObjectBuilder, JsObject as Obj, builtins::JsFunction},
    property::{Attribute, PropertyDescriptor, PropertyKey},
};

use crate::event_target::EventTarget;
use crate::inheritance;

/// A native operation or accessor body: `(this, args, ctx)`.
pub type NativeFn = fn(&JsValue, &[JsValue], &mut Context) -> JsResult<JsValue>;

/// The two objects that make up a registered interface.
#[derive(Debug, Clone)]
pub struct Interface {
    /// The interface object (the global constructor, e.g. `MediaKeySession`).
    pub constructor: JsObject,
    /// The interface prototype object (`MediaKeySession.prototype`).
    pub prototype: JsObject,
}

/// Every interface registered in this context, by name.
///
/// Interface objects live as long as the realm, so keeping them here (a GC root) changes nothing
/// about their lifetime; it only lets Rust code find a prototype to create instances with.
#[derive(Default)]
struct InterfaceRegistry(HashMap<&'static str, Interface>);

/// The registered interface called `name`.
pub fn interface(ctx: &Context, name: &str) -> JsResult<Interface> {
    ctx.get_data::<InterfaceRegistry>()
        .and_then(|registry| registry.0.get(name).cloned())
        .ok_or_else(|| {
            JsNativeError::typ()
                .with_message(format!("interface {name} is not registered"))
                .into()
        })
}

/// The `prototype` of the registered interface called `name`.
pub fn prototype_of(ctx: &Context, name: &str) -> JsResult<JsObject> {
    interface(ctx, name).map(|i| i.prototype)
}

/// `TypeError: Illegal constructor`, what `new` on a non-constructible interface throws.
pub fn illegal_constructor(_: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Err(JsNativeError::typ()
        .with_message("Illegal constructor")
        .into())
}

/// `TypeError: Illegal invocation`, the WebIDL brand-check failure.
pub fn illegal_invocation(interface: &str) -> boa_engine::JsError {
    JsNativeError::typ()
        .with_message(format!(
            "Illegal invocation: 'this' is not a {interface} object"
        ))
        .into()
}

/// Builds one interface: interface object, prototype, members, global binding.
pub struct InterfaceBuilder<'ctx> {
    ctx: &'ctx mut Context,
    name: &'static str,
    constructor: NativeFn,
    length: usize,
    parent: Option<Interface>,
    prototype: JsObject,
    statics: Vec<(PropertyKey, PropertyDescriptor)>,
}

impl<'ctx> InterfaceBuilder<'ctx> {
    /// A non-constructible interface: `new X()` and `X()` throw "Illegal constructor".
    pub fn new(ctx: &'ctx mut Context, name: &'static str) -> Self {
        let prototype = JsObject::with_object_proto(ctx.intrinsics());
        Self {
            ctx,
            name,
            constructor: illegal_constructor,
            length: 0,
            parent: None,
            prototype,
            statics: Vec::new(),
        }
    }

    /// A constructible interface. `steps` receives the NewTarget as `this` when called with
    /// `new`, and `undefined` when called as a function (which it must reject).
    pub fn constructor(mut self, steps: NativeFn, length: usize) -> Self {
        self.constructor = steps;
        self.length = length;
        self
    }

    /// `interface Name : Parent` — links both the prototype and the interface object.
    pub fn inherits(mut self, parent: Interface) -> Self {
        self.prototype.set_prototype(Some(parent.prototype.clone()));
        self.parent = Some(parent);
        self
    }

    /// `interface Name : Parent` for an interface whose native data `T` embeds the parent's
    /// native data `B` (an `Event`, an `EventTarget`): links the interface objects as
    /// [`inherits`](Self::inherits) does, and registers `embedded` so that the parent's members
    /// (their brand checks go through `inheritance::base_data`) accept this interface's objects.
    pub fn inherits_embedded<T: NativeObject, B: 'static>(
        self,
        parent: &str,
        embedded: fn(&T) -> B,
    ) -> JsResult<Self> {
        inheritance::register_subclass::<B>(self.ctx, move |object| {
            object.downcast_ref::<T>().map(|data| embedded(&data))
        });
        let parent = interface(self.ctx, parent)?;
        Ok(self.inherits(parent))
    }

    /// Creates a function object with WebIDL's `name` and `length`.
    pub fn function(
        ctx: &Context,
        name: impl Into<JsString>,
        length: usize,
        f: NativeFn,
    ) -> JsFunction {
        FunctionObjectBuilder::new(ctx.realm(), NativeFunction::from_fn_ptr(f))
            .name(name)
            .length(length)
            .build()
    }

    /// A regular operation on the prototype: {writable, enumerable, configurable}.
    pub fn operation(self, name: &str, length: usize, f: NativeFn) -> Self {
        let function = Self::function(self.ctx, JsString::from(name), length, f);
        self.define(
            JsString::from(name),
            PropertyDescriptor::builder()
                .value(function)
                .writable(true)
                .enumerable(true)
                .configurable(true)
                .build(),
        )
    }

    /// Defines `key` on the prototype with `desc` as is (for aliases such as @@iterator).
    pub fn define(self, key: impl Into<PropertyKey>, desc: PropertyDescriptor) -> Self {
        // A fresh ordinary object cannot refuse a definition, so the result is always true.
        let _ = self.prototype.insert_property(key, desc);
        self
    }

    /// A regular attribute: accessor {enumerable, configurable}; `setter: None` = readonly.
    pub fn attribute(self, name: &str, getter: NativeFn, setter: Option<NativeFn>) -> Self {
        self.accessor(
            name,
            NativeFunction::from_fn_ptr(getter),
            setter.map(NativeFunction::from_fn_ptr),
        )
    }

    /// An event handler IDL attribute, `attribute EventHandler on<event_type>`
    /// (<https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-idl-attributes>).
    /// `is_instance` is the interface's brand check: both accessors throw "Illegal invocation"
    /// for any other `this`, including an `EventTarget` of another interface.
    pub fn event_handler(
        self,
        event_type: &'static str,
        is_instance: fn(&JsObject) -> bool,
    ) -> Self {
        let interface = self.name;
        let target = move |this: &JsValue, ctx: &Context| {
            this.as_object()
                .filter(is_instance)
                .and_then(|object| EventTarget::of(&object, ctx))
                .ok_or_else(|| illegal_invocation(interface))
        };
        let get = NativeFunction::from_copy_closure(move |this, _, ctx| {
            Ok(target(this, ctx)?.event_handler(event_type))
        });
        let set = NativeFunction::from_copy_closure(move |this, args, ctx| {
            target(this, ctx)?.set_event_handler(event_type, args.get_or_undefined(0));
            Ok(JsValue::undefined())
        });
        self.accessor(&format!("on{event_type}"), get, Some(set))
    }

    fn accessor(self, name: &str, getter: NativeFunction, setter: Option<NativeFunction>) -> Self {
        let build = |prefix: &str, length: usize, body: NativeFunction| {
            FunctionObjectBuilder::new(self.ctx.realm(), body)
                .name(JsString::from(format!("{prefix} {name}")))
                .length(length)
                .build()
        };
        let get = build("get", 0, getter);
        let set = setter.map_or(JsValue::undefined(), |setter| {
            build("set", 1, setter).into()
        });
        let desc = PropertyDescriptor::builder()
            .get(get)
            .set(set)
            .enumerable(true)
            .configurable(true)
            .build();
        self.define(JsString::from(name), desc)
    }

    /// A constant on both the interface object and the prototype: {enumerable} only.
    pub fn constant(mut self, name: &str, value: impl Into<JsValue>) -> Self {
        let desc = PropertyDescriptor::builder()
            .value(value)
            .writable(false)
            .enumerable(true)
            .configurable(false)
            .build();
        self.statics
            .push((JsString::from(name).into(), desc.clone()));
        self.define(JsString::from(name), desc)
    }

    /// The prototype under construction, for members that need it (iterators, aliases).
    pub fn prototype(&self) -> &JsObject {
        &self.prototype
    }

    /// Finishes the interface: `@@toStringTag`, `constructor`, the global binding
    /// {writable, !enumerable, configurable}, and the registry entry.
    pub fn build(self) -> JsResult<Interface> {
        let Self {
            ctx,
            name,
            constructor,
            length,
            parent,
            prototype,
            statics,
        } = self;
        let interface_object: Obj =
            FunctionObjectBuilder::new(ctx.realm(), NativeFunction::from_fn_ptr(constructor))
                .name(JsString::from(name))
                .length(length)
                .constructor(true)
                .build()
                .into();
        if let Some(parent) = &parent {
            interface_object.set_prototype(Some(parent.constructor.clone()));
        }
        interface_object.define_property_or_throw(
            js_string!("prototype"),
            PropertyDescriptor::builder()
                .value(prototype.clone())
                .writable(false)
                .enumerable(false)
                .configurable(false),
            ctx,
        )?;
        for (key, desc) in statics {
            interface_object.define_property_or_throw(key, desc, ctx)?;
        }
        prototype.define_property_or_throw(
            js_string!("constructor"),
            PropertyDescriptor::builder()
                .value(interface_object.clone())
                .writable(true)
                .enumerable(false)
                .configurable(true),
            ctx,
        )?;
        prototype.define_property_or_throw(
            JsSymbol::to_string_tag(),
            PropertyDescriptor::builder()
                .value(JsString::from(name))
                .writable(false)
                .enumerable(false)
                .configurable(true),
            ctx,
        )?;
        ctx.register_global_property(
            JsString::from(name),
            interface_object.clone(),
            Attribute::WRITABLE | Attribute::CONFIGURABLE,
        )?;
        let interface = Interface {
            constructor: interface_object,
            prototype,
        };
        let mut registry = ctx
            .remove_data::<InterfaceRegistry>()
            .map(|r| *r)
            .unwrap_or_default();
        registry.0.insert(name, interface.clone());
        ctx.insert_data(registry);
        Ok(interface)
    }
}

/// The prototype for an object created by a constructor called with `new_target`
/// (WebIDL "internally create a new object implementing the interface"): the NewTarget's
/// `prototype` when it is an object, so JS subclasses work; else the interface's own.
pub fn prototype_from_new_target(
    new_target: &JsValue,
    interface: &str,
    ctx: &mut Context,
) -> JsResult<JsObject> {
    if let Some(target) = new_target.as_object()
        && let Some(proto) = target.get(js_string!("prototype"), ctx)?.as_object()
    {
        return Ok(proto);
    }
    prototype_of(ctx, interface)
}

/// Rejects a constructor called without `new`.
pub fn require_new(new_target: &JsValue, interface: &str) -> JsResult<()> {
    if new_target.is_undefined() {
        return Err(JsNativeError::typ()
            .with_message(format!(
                "Failed to construct '{interface}': Please use the 'new' operator"
            ))
            .into());
    }
    Ok(())
}

/// WebIDL's brand check for a member of `interface`: `this` must be an object whose native
/// data is a `T`; `f` reads it (the borrow ends before this returns, so `f` must not call JS).
pub fn with_this<T: boa_engine::NativeObject, R>(
    this: &JsValue,
    interface: &str,
    f: impl FnOnce(&T) -> R,
) -> JsResult<R> {
    let object = this
        .as_object()
        .ok_or_else(|| illegal_invocation(interface))?;
    let data = object
        .downcast_ref::<T>()
        .ok_or_else(|| illegal_invocation(interface))?;
    Ok(f(&data))
}
