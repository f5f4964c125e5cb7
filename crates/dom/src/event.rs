//! `Event`: <https://dom.spec.whatwg.org/#interface-event>

use boa_engine::{
    Context, JsArgs, JsData, JsNativeError, JsObject, JsResult, JsString, JsValue, js_string,
    object::builtins::JsFunction, property::PropertyDescriptor,
};
use boa_gc::{Finalize, Gc, GcRefCell, Trace};

use crate::interface::{self, InterfaceBuilder, illegal_invocation};
use crate::{inheritance, webidl};

const INTERFACE: &str = "Event";

/// `eventPhase` when the event is not being dispatched.
pub const NONE: u16 = 0;
/// `eventPhase` while capture listeners of the target's ancestors run.
pub const CAPTURING_PHASE: u16 = 1;
/// `eventPhase` while the target's own listeners run (the only phase here: targets have no parent).
pub const AT_TARGET: u16 = 2;
/// `eventPhase` while bubbling listeners of the target's ancestors run.
pub const BUBBLING_PHASE: u16 = 3;

/// The DOM's event state; shared (`Gc`) so that the native data of an `Event` subclass can
/// embed it and dispatch can update it without holding an object borrow across JS calls.
#[derive(Debug, Trace, Finalize)]
pub struct EventState {
    /// `type`.
    pub event_type: JsString,
    /// `bubbles`.
    pub bubbles: bool,
    /// `cancelable`.
    pub cancelable: bool,
    /// `composed`.
    pub composed: bool,
    /// `target`: set by dispatch, kept afterwards.
    pub target: Option<JsObject>,
    /// `currentTarget`: the target during dispatch, `None` otherwise.
    pub current_target: Option<JsObject>,
    /// `eventPhase`: one of [`NONE`], [`CAPTURING_PHASE`], [`AT_TARGET`], [`BUBBLING_PHASE`].
    pub event_phase: u16,
    /// The DOM's "stop propagation flag" (`cancelBubble`).
    pub stop_propagation: bool,
    /// The DOM's "stop immediate propagation flag".
    pub stop_immediate_propagation: bool,
    /// The DOM's "canceled flag" (`defaultPrevented`).
    pub canceled: bool,
    /// The DOM's "in passive listener flag": `preventDefault()` is ignored while set.
    pub in_passive_listener: bool,
    /// The DOM's "dispatch flag": dispatching it again throws InvalidStateError.
    pub dispatching: bool,
    /// The DOM's "initialized flag".
    pub initialized: bool,
    /// `isTrusted`: true only for events the user agent fires.
    pub is_trusted: bool,
    /// `timeStamp`: milliseconds since the context's time origin.
    pub time_stamp: f64,
}

/// Native data of an `Event` object (and the embedded base of every subclass).
#[derive(Debug, Clone, Trace, Finalize, JsData)]
pub struct Event {
    /// The event's state, shared with every subclass object that embeds this `Event`.
    pub state: Gc<GcRefCell<EventState>>,
}

/// `EventInit`'s members.
#[derive(Debug, Clone, Copy, Default)]
pub struct EventInit {
    /// `bubbles` (default false).
    pub bubbles: bool,
    /// `cancelable` (default false).
    pub cancelable: bool,
    /// `composed` (default false).
    pub composed: bool,
}

impl EventInit {
    /// Reads `bubbles`, `cancelable`, `composed` (WebIDL reads members in lexicographic order;
    /// a subclass reads its own members after these, as inherited members come first).
    pub fn from_dictionary(dict: &Option<JsObject>, ctx: &mut Context) -> JsResult<Self> {
        Ok(Self {
            bubbles: webidl::member(dict, "bubbles", ctx)?.to_boolean(),
            cancelable: webidl::member(dict, "cancelable", ctx)?.to_boolean(),
            composed: webidl::member(dict, "composed", ctx)?.to_boolean(),
        })
    }
}

/// The realm's `isTrusted` getter: `[LegacyUnforgeable]` puts it on every instance, and all
/// instances share one function object.
struct IsTrustedGetter(JsFunction);

/// Milliseconds since the context was set up, for `timeStamp`.
struct TimeOrigin(std::time::Instant);

impl Event {
    /// A new, initialized event (what "create an event" produces before dispatch).
    pub fn new(event_type: JsString, init: EventInit, ctx: &Context) -> Self {
        let time_stamp = ctx
            .get_data::<TimeOrigin>()
            .map_or(0.0, |origin| origin.0.elapsed().as_secs_f64() * 1000.0);
        Self {
            state: Gc::new(GcRefCell::new(EventState {
                event_type,
                bubbles: init.bubbles,
                cancelable: init.cancelable,
                composed: init.composed,
                target: None,
                current_target: None,
                event_phase: NONE,
                stop_propagation: false,
                stop_immediate_propagation: false,
                canceled: false,
                in_passive_listener: false,
                dispatching: false,
                initialized: true,
                is_trusted: false,
                time_stamp,
            })),
        }
    }

    /// The event state of `object` if it is an `Event` or an instance of a subclass.
    pub fn of(object: &JsObject, ctx: &Context) -> Option<Self> {
        inheritance::base_data::<Event>(object, ctx)
    }

    fn cancel(&self) {
        let mut state = self.state.borrow_mut();
        if state.cancelable && !state.in_passive_listener {
            state.canceled = true;
        }
    }
}

/// Wraps native `data` (an `Event` or a subclass embedding one) in an object with
/// `prototype`, adding the unforgeable `isTrusted` own property.
pub fn create_event_object<T: boa_engine::NativeObject>(
    prototype: JsObject,
    data: T,
    ctx: &mut Context,
) -> JsResult<JsObject> {
    let object = JsObject::from_proto_and_data(prototype, data);
    let getter = ctx
        .get_data::<IsTrustedGetter>()
        .map(|g| g.0.clone())
        .ok_or_else(|| JsNativeError::typ().with_message("Event is not registered"))?;
    object.define_property_or_throw(
        js_string!("isTrusted"),
        PropertyDescriptor::builder()
            .get(getter)
            .set(JsValue::undefined())
            .enumerable(true)
            .configurable(false),
        ctx,
    )?;
    Ok(object)
}

/// Creates a plain `Event` object (the DOM's "create an event" with the `Event` interface).
pub fn create(event_type: &str, init: EventInit, ctx: &mut Context) -> JsResult<JsObject> {
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    let event = Event::new(JsString::from(event_type), init, ctx);
    create_event_object(prototype, event, ctx)
}

fn this_event(this: &JsValue, ctx: &Context) -> JsResult<Event> {
    this.as_object()
        .and_then(|o| Event::of(&o, ctx))
        .ok_or_else(|| illegal_invocation(INTERFACE))
}

// https://dom.spec.whatwg.org/#dom-event-event
fn constructor(new_target: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    interface::require_new(new_target, INTERFACE)?;
    let event_type = required_type_argument(args, INTERFACE, ctx)?;
    let dict = webidl::dictionary(args.get_or_undefined(1), "EventInit")?;
    let init = EventInit::from_dictionary(&dict, ctx)?;
    let prototype = interface::prototype_from_new_target(new_target, INTERFACE, ctx)?;
    let event = Event::new(event_type, init, ctx);
    Ok(create_event_object(prototype, event, ctx)?.into())
}

/// The mandatory `type` argument of every event constructor.
pub fn required_type_argument(
    args: &[JsValue],
    interface: &str,
    ctx: &mut Context,
) -> JsResult<JsString> {
    let Some(value) = args.first() else {
        return Err(JsNativeError::typ()
            .with_message(format!(
                "Failed to construct '{interface}': 1 argument required, but only 0 present"
            ))
            .into());
    };
    webidl::dom_string(value, ctx)
}

fn read<T>(this: &JsValue, ctx: &Context, f: impl FnOnce(&EventState) -> T) -> JsResult<T> {
    let event = this_event(this, ctx)?;
    let state = event.state.borrow();
    Ok(f(&state))
}

fn get_type(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    read(this, ctx, |s| s.event_type.clone().into())
}

fn get_target(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    read(this, ctx, |s| {
        s.target.clone().map_or(JsValue::null(), JsValue::from)
    })
}

fn get_current_target(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    read(this, ctx, |s| {
        s.current_target
            .clone()
            .map_or(JsValue::null(), JsValue::from)
    })
}

fn get_event_phase(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    read(this, ctx, |s| s.event_phase.into())
}

// https://dom.spec.whatwg.org/#dom-event-composedpath — a lone target has a path of itself.
fn composed_path(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let current = read(this, ctx, |s| s.current_target.clone())?;
    let items: Vec<JsValue> = current.into_iter().map(JsValue::from).collect();
    Ok(boa_engine::object::builtins::JsArray::from_iter(items, ctx).into())
}

fn stop_propagation(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    this_event(this, ctx)?.state.borrow_mut().stop_propagation = true;
    Ok(JsValue::undefined())
}

fn stop_immediate_propagation(
    this: &JsValue,
    _: &[JsValue],
    ctx: &mut Context,
) -> JsResult<JsValue> {
    let event = this_event(this, ctx)?;
    let mut state = event.state.borrow_mut();
    state.stop_propagation = true;
    state.stop_immediate_propagation = true;
    Ok(JsValue::undefined())
}

fn get_cancel_bubble(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    read(this, ctx, |s| s.stop_propagation.into())
}

fn set_cancel_bubble(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let event = this_event(this, ctx)?;
    if args.get_or_undefined(0).to_boolean() {
        event.state.borrow_mut().stop_propagation = true;
    }
    Ok(JsValue::undefined())
}

fn get_bubbles(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    read(this, ctx, |s| s.bubbles.into())
}

fn get_cancelable(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    read(this, ctx, |s| s.cancelable.into())
}

fn get_return_value(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    read(this, ctx, |s| (!s.canceled).into())
}

fn set_return_value(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let event = this_event(this, ctx)?;
    if !args.get_or_undefined(0).to_boolean() {
        event.cancel();
    }
    Ok(JsValue::undefined())
}

fn prevent_default(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    this_event(this, ctx)?.cancel();
    Ok(JsValue::undefined())
}

fn get_default_prevented(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    read(this, ctx, |s| s.canceled.into())
}

fn get_composed(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    read(this, ctx, |s| s.composed.into())
}

fn get_is_trusted(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    read(this, ctx, |s| s.is_trusted.into())
}

fn get_time_stamp(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    read(this, ctx, |s| s.time_stamp.into())
}

// https://dom.spec.whatwg.org/#dom-event-initevent
fn init_event(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let event = this_event(this, ctx)?;
    let event_type = required_type_argument(args, INTERFACE, ctx)?;
    let bubbles = args.get_or_undefined(1).to_boolean();
    let cancelable = args.get_or_undefined(2).to_boolean();
    let mut state = event.state.borrow_mut();
    if state.dispatching {
        return Ok(JsValue::undefined());
    }
    state.initialized = true;
    state.stop_propagation = false;
    state.stop_immediate_propagation = false;
    state.canceled = false;
    state.is_trusted = false;
    state.target = None;
    state.event_type = event_type;
    state.bubbles = bubbles;
    state.cancelable = cancelable;
    Ok(JsValue::undefined())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    ctx.insert_data(TimeOrigin(std::time::Instant::now()));
    let getter = InterfaceBuilder::function(ctx, js_string!("get isTrusted"), 0, get_is_trusted);
    ctx.insert_data(IsTrustedGetter(getter));
    InterfaceBuilder::new(ctx, INTERFACE)
        .constructor(constructor, 1)
        .attribute("type", get_type, None)
        .attribute("target", get_target, None)
        .attribute("srcElement", get_target, None)
        .attribute("currentTarget", get_current_target, None)
        .operation("composedPath", 0, composed_path)
        .constant("NONE", NONE)
        .constant("CAPTURING_PHASE", CAPTURING_PHASE)
        .constant("AT_TARGET", AT_TARGET)
        .constant("BUBBLING_PHASE", BUBBLING_PHASE)
        .attribute("eventPhase", get_event_phase, None)
        .operation("stopPropagation", 0, stop_propagation)
        .attribute("cancelBubble", get_cancel_bubble, Some(set_cancel_bubble))
        .operation("stopImmediatePropagation", 0, stop_immediate_propagation)
        .attribute("bubbles", get_bubbles, None)
        .attribute("cancelable", get_cancelable, None)
        .attribute("returnValue", get_return_value, Some(set_return_value))
        .operation("preventDefault", 0, prevent_default)
        .attribute("defaultPrevented", get_default_prevented, None)
        .attribute("composed", get_composed, None)
        .attribute("timeStamp", get_time_stamp, None)
        .operation("initEvent", 1, init_event)
        .build()?;
    Ok(())
}
