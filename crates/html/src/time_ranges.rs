//! `TimeRanges`: <https://html.spec.whatwg.org/multipage/media.html#time-ranges>
//!
//! A static, normalized snapshot: `buffered`, `played` and `seekable` return a new object
//! each time they are read, holding the ranges as they were then.

use boa_engine::{Context, JsArgs, JsData, JsNativeError, JsObject, JsResult, JsValue};
use boa_gc::{Finalize, Trace};
use eme_dom::{
    ExceptionName, dom_exception,
    interface::{self, InterfaceBuilder},
};

const INTERFACE: &str = "TimeRanges";

/// Native data of a `TimeRanges` object: `(start, end)` in seconds, normalized (sorted,
/// disjoint, non-empty ranges).
#[derive(Debug, Clone, Trace, Finalize, JsData)]
pub struct TimeRanges {
    // Untraced: numbers only.
    #[unsafe_ignore_trace]
    ranges: Vec<(f64, f64)>,
}

/// Creates a `TimeRanges` object holding `ranges` (already normalized by the media crate).
pub(crate) fn create(ranges: &eme_media::TimeRanges, ctx: &mut Context) -> JsResult<JsObject> {
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    let ranges = ranges
        .ranges()
        .iter()
        .map(|range| (range.start.as_secs_f64(), range.end.as_secs_f64()))
        .collect();
    Ok(JsObject::from_proto_and_data(
        prototype,
        TimeRanges { ranges },
    ))
}

/// WebIDL `unsigned long` (ConvertToInt, not enforced, not clamped): ToNumber, NaN and the
/// infinities are 0, truncate, modulo 2^32.
pub(crate) fn unsigned_long(value: &JsValue, ctx: &mut Context) -> JsResult<u32> {
    let number = value.to_number(ctx)?;
    if !number.is_finite() {
        return Ok(0);
    }
    let modulo = number.trunc().rem_euclid(4_294_967_296.0);
    // In [0, 2^32): the cast is exact.
    Ok(modulo as u32)
}

fn ranges_of(this: &JsValue) -> JsResult<Vec<(f64, f64)>> {
    interface::with_this::<TimeRanges, _>(this, INTERFACE, |t| t.ranges.clone())
}

// https://html.spec.whatwg.org/multipage/media.html#dom-timeranges-length
fn get_length(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(JsValue::from(ranges_of(this)?.len() as u32))
}

/// `start(index)` and `end(index)`: "If the index is greater than or equal to the number of
/// ranges in the object, then throw an IndexSizeError DOMException."
fn boundary(
    this: &JsValue,
    args: &[JsValue],
    ctx: &mut Context,
    operation: &str,
    pick: fn(&(f64, f64)) -> f64,
) -> JsResult<JsValue> {
    let ranges = ranges_of(this)?;
    if args.is_empty() {
        return Err(JsNativeError::typ()
            .with_message(format!(
                "Failed to execute '{operation}' on '{INTERFACE}': 1 argument required, but only 0 present"
            ))
            .into());
    }
    let index = unsigned_long(args.get_or_undefined(0), ctx)?;
    match ranges.get(index as usize) {
        Some(range) => Ok(JsValue::from(pick(range))),
        None => Err(dom_exception::error(
            ctx,
            ExceptionName::IndexSizeError,
            &format!(
                "Failed to execute '{operation}' on '{INTERFACE}': the index ({index}) is not less than the number of ranges ({})",
                ranges.len()
            ),
        )),
    }
}

// https://html.spec.whatwg.org/multipage/media.html#dom-timeranges-start
fn start(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    boundary(this, args, ctx, "start", |range| range.0)
}

// https://html.spec.whatwg.org/multipage/media.html#dom-timeranges-end
fn end(this: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    boundary(this, args, ctx, "end", |range| range.1)
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    InterfaceBuilder::new(ctx, INTERFACE)
        .attribute("length", get_length, None)
        .operation("start", 1, start)
        .operation("end", 1, end)
        .build()?;
    Ok(())
}
