//! HTML's "queue a task": the closure runs as its own macrotask, after the current
//! microtask checkpoint, in FIFO order with other tasks.

use boa_engine::{Context, JsResult, JsValue, job::GenericJob};

/// Queues `steps` as a task on the context's job executor (a `GenericJob`).
pub fn queue_task(ctx: &mut Context, steps: impl FnOnce(&mut Context) -> JsResult<()> + 'static) {
    let realm = ctx.realm().clone();
    ctx.enqueue_job(
        GenericJob::new(
            move |ctx| {
                steps(ctx)?;
                Ok(JsValue::undefined())
            },
            realm,
        )
        .into(),
    );
}
