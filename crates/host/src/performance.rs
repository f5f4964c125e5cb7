//! `performance` (High Resolution Time): `now()` and `timeOrigin`, read from the runtime's one
//! clock ([`crate::clock`]), so they move with `Date.now()` and the timers — in virtual time
//! too. boa_runtime 0.22 has no `performance`.
//!
//! <https://w3c.github.io/hr-time/#the-performance-interface>
//!
//! The values are not coarsened: a headless host runs no untrusted cross-origin content, and
//! tests want exact virtual times.

use boa_engine::object::{FunctionObjectBuilder, ObjectInitializer};
use boa_engine::property::Attribute;
use boa_engine::{
    Context, Finalize, JsData, JsObject, JsResult, JsValue, NativeFunction, Trace, js_string,
};
use eme_dom::event_target::EventTarget;
use eme_dom::interface::{InterfaceBuilder, with_this};

const INTERFACE: &str = "Performance";

/// Native data of the `performance` object.
#[derive(Debug, Trace, Finalize, JsData)]
struct Performance {
    event_target: EventTarget,
    /// `timeOrigin`: wall time of the time origin, ms since the Unix epoch.
    time_origin: f64,
}

/// Defines the `Performance` interface and the global `performance` attribute
/// (`[Replaceable] readonly attribute Performance performance`).
pub(crate) fn register(ctx: &mut Context, time_origin: f64) -> JsResult<()> {
    let interface = InterfaceBuilder::new(ctx, INTERFACE)
        .inherits_embedded("EventTarget", |data: &Performance| {
            data.event_target.clone()
        })?
        .operation("now", 0, now)
        .attribute("timeOrigin", get_time_origin, None)
        .operation("toJSON", 0, to_json)
        .build()?;
    let performance = JsObject::from_proto_and_data(
        interface.prototype,
        Performance {
            event_target: EventTarget::new(),
            time_origin,
        },
    );

    let getter = FunctionObjectBuilder::new(
        ctx.realm(),
        NativeFunction::from_copy_closure_with_captures(
            |_, _, performance, _| Ok(performance.clone().into()),
            performance,
        ),
    )
    .name(js_string!("get performance"))
    .length(0)
    .build();
    // [Replaceable]: assigning defines an own data property that shadows the accessor.
    crate::globals::define_replaceable(ctx, "performance", getter)?;
    Ok(())
}

/// `performance.now()`: milliseconds since the time origin, on the context's clock.
fn now(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    with_this::<Performance, _>(this, INTERFACE, |_| ())?;
    // The host's clock counts instants from the time origin.
    let nanos = ctx.clock().now().nanos_since_epoch();
    // A double is the IDL type; nanoseconds stay exact in its 53 bits for 104 days.
    Ok(JsValue::from(nanos as f64 / 1e6))
}

fn get_time_origin(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    with_this::<Performance, _>(this, INTERFACE, |p| JsValue::from(p.time_origin))
}

/// WebIDL's default `toJSON`: the attributes (here only `timeOrigin`).
fn to_json(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let time_origin = with_this::<Performance, _>(this, INTERFACE, |p| p.time_origin)?;
    Ok(ObjectInitializer::new(ctx)
        .property(js_string!("timeOrigin"), time_origin, Attribute::all())
        .build()
        .into())
}
