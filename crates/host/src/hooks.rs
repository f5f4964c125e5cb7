//! The host hooks the engine calls back into: HTML's promise rejection tracking.
//!
//! <https://html.spec.whatwg.org/multipage/webappapis.html#the-hostpromiserejectiontracker-implementation>

use std::cell::RefCell;
use std::rc::Rc;

use boa_engine::builtins::promise::{OperationType, Promise};
use boa_engine::context::HostHooks;
use boa_engine::context::intrinsics::Intrinsics;
use boa_engine::{Context, JsObject};
use eme_dom::event_target::EventTarget;

/// HTML's "about-to-be-notified rejected promises list": promises rejected without a handler,
/// minus those that got one since. The event loop reports what is left after each microtask
/// checkpoint, so a rejection handled later in the same checkpoint is never reported.
///
/// The handles live outside the GC heap, so they keep their promises alive until the next
/// checkpoint empties the list.
#[derive(Debug, Default)]
pub(crate) struct RejectedPromises {
    about_to_be_notified: RefCell<Vec<JsObject<Promise>>>,
    /// Taken from the list at a checkpoint, waiting for the task that fires
    /// `unhandledrejection`; a handler attached meanwhile takes a promise out again.
    notifying: RefCell<Vec<JsObject<Promise>>>,
}

impl RejectedPromises {
    pub(crate) fn take(&self) -> Vec<JsObject<Promise>> {
        std::mem::take(&mut *self.about_to_be_notified.borrow_mut())
    }

    pub(crate) fn start_notifying(&self, promises: Vec<JsObject<Promise>>) {
        self.notifying.borrow_mut().extend(promises);
    }

    /// Whether `promise` is still unhandled since [`start_notifying`](Self::start_notifying);
    /// forgets it either way.
    pub(crate) fn finish_notifying(&self, promise: &JsObject<Promise>) -> bool {
        let mut notifying = self.notifying.borrow_mut();
        let before = notifying.len();
        notifying.retain(|listed| listed != promise);
        notifying.len() != before
    }

    pub(crate) fn clear(&self) {
        self.about_to_be_notified.borrow_mut().clear();
        self.notifying.borrow_mut().clear();
    }
}

/// The runtime's [`HostHooks`]; everything not overridden keeps Boa's default.
#[derive(Debug)]
pub(crate) struct Hooks {
    pub(crate) rejected: Rc<RejectedPromises>,
}

impl HostHooks for Hooks {
    /// The global object carries `EventTarget` data: in HTML it is a `Window`, an EventTarget
    /// ("report an exception" fires `error` at it). Its prototype becomes `Window.prototype`
    /// once the interfaces exist.
    fn create_global_object(&self, intrinsics: &Intrinsics) -> JsObject {
        JsObject::from_proto_and_data(
            intrinsics.constructors().object().prototype(),
            EventTarget::new(),
        )
    }

    fn promise_rejection_tracker(
        &self,
        promise: &JsObject<Promise>,
        operation: OperationType,
        _context: &mut Context,
    ) {
        let mut list = self.rejected.about_to_be_notified.borrow_mut();
        match operation {
            // 1. If operation is "reject", append promise to the list.
            OperationType::Reject => list.push(promise.clone()),
            // 2. If operation is "handle": if the list contains promise, remove it.
            //    (A promise already reported would fire `rejectionhandled`; there is no such
            //    event here, so it is simply not reported twice.)
            OperationType::Handle => {
                list.retain(|listed| listed != promise);
                self.rejected.finish_notifying(promise);
            }
        }
    }
}
