//! `EventTarget` and event dispatch: <https://dom.spec.whatwg.org/#interface-eventtarget>,
//! and HTML's event handler attributes (`onmessage` …):
//! <https://html.spec.whatwg.org/multipage/webappapis.html#event-handler-attributes>

use std::cell::Cell;

use boa_engine::{
    Context, JsArgs, JsData, JsNativeError, JsObject, JsResult, JsString, JsValue, js_string,
};
use boa_gc::{Finalize, Gc, GcRefCell, Trace};

use crate::dom_exception::{self, ExceptionName};
use crate::event::{self, Event};
use crate::interface::{self, InterfaceBuilder, illegal_invocation};
use crate::{inheritance, report, webidl};

const INTERFACE: &str = "EventTarget";

/// What a listener calls: a JS callback object, or the event handler stored under an
/// `on<type>` attribute (looked up at call time, as HTML's event handler processing does).
#[derive(Debug, Trace, Finalize)]
enum Callback {
    Object(JsObject),
    Handler,
}

/// An event listener entry. `removed` is shared with in-flight dispatches (which iterate a
/// clone of the list) so a listener removed mid-dispatch is skipped.
#[derive(Debug, Trace, Finalize)]
struct Listener {
    event_type: JsString,
    callback: Callback,
    capture: bool,
    once: bool,
    passive: bool,
    removed: Cell<bool>,
}

#[derive(Debug, Default, Trace, Finalize)]
struct EventTargetState {
    listeners: Vec<Gc<Listener>>,
    /// Event handler values by event type (`"message"` for `onmessage`); `null` is absent.
    handlers: Vec<(JsString, JsObject)>,
}

/// Native data of an `EventTarget` (and the embedded base of every inheriting interface).
#[derive(Debug, Clone, Default, Trace, Finalize, JsData)]
pub struct EventTarget {
    state: Gc<GcRefCell<EventTargetState>>,
}

impl EventTarget {
    /// A target with no listeners and no event handlers.
    pub fn new() -> Self {
        Self::default()
    }

    /// The event-target state of `object` if it is an `EventTarget` or inherits from it.
    pub fn of(object: &JsObject, ctx: &Context) -> Option<Self> {
        inheritance::base_data::<EventTarget>(object, ctx)
    }

    fn add_listener(&self, listener: Listener) {
        let mut state = self.state.borrow_mut();
        let duplicate = state.listeners.iter().any(|l| {
            l.event_type == listener.event_type
                && l.capture == listener.capture
                && same_callback(&l.callback, &listener.callback)
        });
        if !duplicate {
            state.listeners.push(Gc::new(listener));
        }
    }

    fn remove_listener(&self, event_type: &JsString, callback: &Callback, capture: bool) {
        let mut state = self.state.borrow_mut();
        state.listeners.retain(|l| {
            let matches = l.event_type == *event_type
                && l.capture == capture
                && same_callback(&l.callback, callback);
            if matches {
                l.removed.set(true);
            }
            !matches
        });
    }

    fn remove_exact(&self, listener: &Gc<Listener>) {
        listener.removed.set(true);
        self.state
            .borrow_mut()
            .listeners
            .retain(|l| !Gc::ptr_eq(l, listener));
    }
}

fn same_callback(a: &Callback, b: &Callback) -> bool {
    match (a, b) {
        (Callback::Object(a), Callback::Object(b)) => JsObject::equals(a, b),
        (Callback::Handler, Callback::Handler) => true,
        _ => false,
    }
}

impl EventTarget {
    /// The value of the event handler attribute for `event_type` (`null` when unset).
    pub fn event_handler(&self, event_type: &str) -> JsValue {
        self.state
            .borrow()
            .handlers
            .iter()
            .find(|(t, _)| *t == event_type)
            .map_or(JsValue::null(), |(_, h)| h.clone().into())
    }

    /// Sets the event handler attribute for `event_type`. `[LegacyTreatNonObjectAsNull]`: any
    /// object is kept (calling a non-callable one does nothing at dispatch), anything else
    /// clears it. The handler's listener is added when it first becomes non-null and removed
    /// when it is cleared, so its place among `addEventListener` listeners is the spec's.
    pub fn set_event_handler(&self, event_type: &str, value: &JsValue) {
        let event_type = JsString::from(event_type);
        let was_set;
        {
            let mut state = self.state.borrow_mut();
            was_set = state.handlers.iter().any(|(t, _)| *t == event_type);
            state.handlers.retain(|(t, _)| *t != event_type);
            if let Some(object) = value.as_object() {
                state.handlers.push((event_type.clone(), object));
            }
        }
        match (was_set, value.is_object()) {
            (false, true) => self.add_listener(Listener {
                event_type,
                callback: Callback::Handler,
                capture: false,
                once: false,
                passive: false,
                removed: Cell::new(false),
            }),
            (true, false) => self.remove_listener(&event_type, &Callback::Handler, false),
            _ => {}
        }
    }
}

fn this_target(this: &JsValue, ctx: &Context) -> JsResult<EventTarget> {
    this_or_global(this, ctx)
        .and_then(|o| EventTarget::of(&o, ctx))
        .ok_or_else(|| illegal_invocation(INTERFACE))
}

/// WebIDL's "this value" step for operations and attributes: `undefined` or `null` stands for
/// the realm's global object, so a bare `addEventListener(…)` in a script targets the window.
fn this_or_global(this: &JsValue, ctx: &Context) -> Option<JsObject> {
    if this.is_null_or_undefined() {
        Some(ctx.global_object())
    } else {
        this.as_object()
    }
}

/// Fires a trusted event (one the user agent dispatches): sets `isTrusted` and dispatches.
/// Returns false if a listener canceled it.
pub fn fire_event(target: &JsObject, event: &JsObject, ctx: &mut Context) -> JsResult<bool> {
    let state = Event::of(event, ctx).ok_or_else(|| illegal_invocation("Event"))?;
    state.state.borrow_mut().is_trusted = true;
    dispatch(target, event, &state, ctx)
}

// https://dom.spec.whatwg.org/#concept-event-dispatch, for a target with no parent: the
// event path is the target alone, so only the at-target capture and bubble passes remain.
fn dispatch(
    target: &JsObject,
    event_object: &JsObject,
    event: &Event,
    ctx: &mut Context,
) -> JsResult<bool> {
    let target_state = EventTarget::of(target, ctx).ok_or_else(|| illegal_invocation(INTERFACE))?;
    {
        let mut state = event.state.borrow_mut();
        state.dispatching = true;
        state.target = Some(target.clone());
        state.current_target = Some(target.clone());
        state.event_phase = event::AT_TARGET;
    }
    let result = invoke(&target_state, target, event_object, event, true, ctx)
        .and_then(|()| invoke(&target_state, target, event_object, event, false, ctx));
    let mut state = event.state.borrow_mut();
    state.event_phase = event::NONE;
    state.current_target = None;
    state.dispatching = false;
    state.stop_propagation = false;
    state.stop_immediate_propagation = false;
    result.map(|()| !state.canceled)
}

// https://dom.spec.whatwg.org/#concept-event-listener-inner-invoke
fn invoke(
    target_state: &EventTarget,
    target: &JsObject,
    event_object: &JsObject,
    event: &Event,
    capture_pass: bool,
    ctx: &mut Context,
) -> JsResult<()> {
    if event.state.borrow().stop_propagation {
        return Ok(());
    }
    let event_type = event.state.borrow().event_type.clone();
    let listeners: Vec<Gc<Listener>> = target_state.state.borrow().listeners.clone();
    for listener in listeners {
        if listener.removed.get()
            || listener.event_type != event_type
            || listener.capture != capture_pass
        {
            continue;
        }
        if listener.once {
            target_state.remove_exact(&listener);
        }
        event.state.borrow_mut().in_passive_listener = listener.passive;
        let outcome = call_listener(&listener, target_state, target, event_object, event, ctx);
        event.state.borrow_mut().in_passive_listener = false;
        if let Err(error) = outcome {
            // Engine errors (runtime limits) end the run; script errors are only reported.
            if error.as_engine().is_some() {
                return Err(error);
            }
            report::report_exception(&error, ctx);
        }
        if event.state.borrow().stop_immediate_propagation {
            break;
        }
    }
    Ok(())
}

fn call_listener(
    listener: &Listener,
    target_state: &EventTarget,
    target: &JsObject,
    event_object: &JsObject,
    event: &Event,
    ctx: &mut Context,
) -> JsResult<()> {
    let this: JsValue = target.clone().into();
    let args = [JsValue::from(event_object.clone())];
    match &listener.callback {
        Callback::Object(callback) => {
            if callback.is_callable() {
                callback.call(&this, &args, ctx)?;
            } else {
                let handle_event = callback.get(js_string!("handleEvent"), ctx)?;
                let handle_event =
                    webidl::callback_function(&handle_event, "The listener's handleEvent")?;
                handle_event.call(&callback.clone().into(), &args, ctx)?;
            }
        }
        Callback::Handler => {
            let handler = {
                let state = target_state.state.borrow();
                state
                    .handlers
                    .iter()
                    .find(|(t, _)| *t == listener.event_type)
                    .map(|(_, h)| h.clone())
            };
            // WebIDL "invoke a callback function": a non-callable value kept by
            // [LegacyTreatNonObjectAsNull] is not called, and that is not an error.
            let Some(handler) = handler.filter(JsObject::is_callable) else {
                return Ok(());
            };
            let returned = handler.call(&this, &args, ctx)?;
            // HTML: a handler returning false cancels the event.
            if returned == JsValue::from(false) {
                let mut state = event.state.borrow_mut();
                if state.cancelable && !state.in_passive_listener {
                    state.canceled = true;
                }
            }
        }
    }
    Ok(())
}

/// `capture` (and for addEventListener `once` / `passive`) from the options argument: a
/// dictionary, or a boolean standing for `capture`.
fn flatten_options(options: &JsValue, ctx: &mut Context) -> JsResult<(bool, bool, bool)> {
    if !options.is_object() {
        return Ok((options.to_boolean(), false, false));
    }
    let dict = webidl::dictionary(options, "AddEventListenerOptions")?;
    let capture = webidl::member(&dict, "capture", ctx)?.to_boolean();
    let once = webidl::member(&dict, "once", ctx)?.to_boolean();
    let passive = webidl::member(&dict, "passive", ctx)?.to_boolean();
    Ok((capture, once, passive))
}

/// What `addEventListener` and `removeEventListener` read from their arguments, in order: the
/// target (brand check), `type` (both arguments are required), `callback` (`EventListener?`:
/// null/undefined → None, objects kept, else TypeError) and the flattened options.
struct ListenerArguments {
    target: EventTarget,
    event_type: JsString,
    callback: Option<JsObject>,
    capture: bool,
    once: bool,
    passive: bool,
}

fn listener_arguments(
    this: &JsValue,
    args: &[JsValue],
    method: &str,
    ctx: &mut Context,
) -> JsResult<ListenerArguments> {
    let target = this_target(this, ctx)?;
    if args.len() < 2 {
        return Err(JsNativeError::typ()
            .with_message(format!(
                "Failed to execute '{method}' on 'EventTarget': 2 arguments required, but only {} present.",
                args.len()
            ))
            .into());
    }
    let event_type = webidl::dom_string(&args[0], ctx)?;
    let callback = if args[1].is_null_or_undefined() {
        None
    } else {
        Some(args[1].as_object().ok_or_else(|| {
            JsNativeError::typ()
                .with_message("The callback provided as parameter 2 is not an object.")
        })?)
    };
    let (capture, once, passive) = flatten_options(args.get_or_undefined(2), ctx)?;
    Ok(ListenerArguments {
        target,
        event_type,
        callback,
        capture,
        once,
        passive,
    })
}

// https://dom.spec.whatwg.org/#dom-eventtarget-eventtarget
fn constructor(new_target: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    interface::require_new(new_target, INTERFACE)?;
    let prototype = interface::prototype_from_new_target(new_target, INTERFACE, ctx)?;
    Ok(JsObject::from_proto_and_data(prototype, EventTarget::new()).into())
}

// https://dom.spec.whatwg.org/#dom-eventtarget-addeventlistener
fn add_event_listener(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let ListenerArguments {
        target,
        event_type,
        callback,
        capture,
        once,
        passive,
    } = listener_arguments(this, args, "addEventListener", ctx)?;
    if let Some(callback) = callback {
        target.add_listener(Listener {
            event_type,
            callback: Callback::Object(callback),
            capture,
            once,
            passive,
            removed: Cell::new(false),
        });
    }
    Ok(JsValue::undefined())
}

// https://dom.spec.whatwg.org/#dom-eventtarget-removeeventlistener
fn remove_event_listener(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let ListenerArguments {
        target,
        event_type,
        callback,
        capture,
        ..
    } = listener_arguments(this, args, "removeEventListener", ctx)?;
    if let Some(callback) = callback {
        target.remove_listener(&event_type, &Callback::Object(callback), capture);
    }
    Ok(JsValue::undefined())
}

// https://dom.spec.whatwg.org/#dom-eventtarget-dispatchevent
fn dispatch_event(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    let target = this_or_global(this, ctx)
        .filter(|o| EventTarget::of(o, ctx).is_some())
        .ok_or_else(|| illegal_invocation(INTERFACE))?;
    let event_object = args
        .first()
        .and_then(JsValue::as_object)
        .filter(|o| Event::of(o, ctx).is_some())
        .ok_or_else(|| {
            JsNativeError::typ()
                .with_message("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.")
        })?;
    let event = Event::of(&event_object, ctx).ok_or_else(|| illegal_invocation("Event"))?;
    {
        let state = event.state.borrow();
        if state.dispatching || !state.initialized {
            drop(state);
            return Err(dom_exception::error(
                ctx,
                ExceptionName::InvalidStateError,
                "The event is already being dispatched or was not initialized.",
            ));
        }
    }
    event.state.borrow_mut().is_trusted = false;
    Ok(dispatch(&target, &event_object, &event, ctx)?.into())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    InterfaceBuilder::new(ctx, INTERFACE)
        .constructor(constructor, 0)
        .operation("addEventListener", 2, add_event_listener)
        .operation("removeEventListener", 2, remove_event_listener)
        .operation("dispatchEvent", 1, dispatch_event)
        .build()?;
    Ok(())
}
