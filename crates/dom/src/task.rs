//! HTML's "queue a task": the closure runs as its own macrotask, after the current
//! microtask checkpoint, in FIFO order with other tasks.
//!
//! Who runs it: this crate only enqueues a Boa `GenericJob` on the context. The context's job
//! executor decides when it runs. In `eme run`, `eme wpt` and every `eme_host::Runtime` that is
//! the host's `EventLoop` (`crates/host/src/event_loop.rs`): `enqueue_job` appends the job to
//! its task queue, and each turn of `EventLoop::run` runs one task (the oldest task or due
//! timer) followed by a microtask checkpoint. An error the task returns is reported there (HTML
//! "report an exception"), not to the code that queued it. A bare `Context` with Boa's default
//! executor runs it from `Context::run_jobs` instead, without HTML's one-task-per-turn order.

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
