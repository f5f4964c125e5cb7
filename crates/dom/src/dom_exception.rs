//! `DOMException`: <https://webidl.spec.whatwg.org/#idl-DOMException>

use boa_engine::{
    Context, JsArgs, JsData, JsError, JsObject, JsResult, JsString, JsValue, js_string,
};
use boa_gc::{Finalize, Trace};

use crate::interface::{self, InterfaceBuilder, illegal_invocation};
use crate::webidl;

/// Declares WebIDL's error names table, one row per name: the Rust variant, the `name` string,
/// the legacy `code` (0 for names introduced after the codes were frozen) and, for names that
/// have one, the legacy constant exposed on `DOMException`. Everything about a name is derived
/// from its row.
macro_rules! error_names {
    ( $( $variant:ident = $name:literal, $code:literal $(, $constant:ident)? ; )+ ) => {
        /// The error names of WebIDL's table: <https://webidl.spec.whatwg.org/#idl-DOMException-error-names>
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum ExceptionName {
            $( #[doc = concat!("`", $name, "`")] $variant, )+
        }

        impl ExceptionName {
            const ALL: &'static [ExceptionName] = &[$(ExceptionName::$variant),+];

            /// The `name` string, e.g. `"InvalidStateError"`.
            pub fn as_str(self) -> &'static str {
                match self { $(ExceptionName::$variant => $name,)+ }
            }

            /// The legacy `code`: 0 for names introduced after the numeric codes were frozen.
            pub fn legacy_code(self) -> u16 {
                match self { $(ExceptionName::$variant => $code,)+ }
            }
        }

        /// The legacy constants of the names in the table, with their codes.
        const NAME_CONSTANTS: &[(&str, u16)] = &[ $( $( (stringify!($constant), $code), )? )+ ];
    };
}

error_names! {
    IndexSizeError = "IndexSizeError", 1, INDEX_SIZE_ERR;
    HierarchyRequestError = "HierarchyRequestError", 3, HIERARCHY_REQUEST_ERR;
    WrongDocumentError = "WrongDocumentError", 4, WRONG_DOCUMENT_ERR;
    InvalidCharacterError = "InvalidCharacterError", 5, INVALID_CHARACTER_ERR;
    NoModificationAllowedError = "NoModificationAllowedError", 7, NO_MODIFICATION_ALLOWED_ERR;
    NotFoundError = "NotFoundError", 8, NOT_FOUND_ERR;
    NotSupportedError = "NotSupportedError", 9, NOT_SUPPORTED_ERR;
    InUseAttributeError = "InUseAttributeError", 10, INUSE_ATTRIBUTE_ERR;
    InvalidStateError = "InvalidStateError", 11, INVALID_STATE_ERR;
    SyntaxError = "SyntaxError", 12, SYNTAX_ERR;
    InvalidModificationError = "InvalidModificationError", 13, INVALID_MODIFICATION_ERR;
    NamespaceError = "NamespaceError", 14, NAMESPACE_ERR;
    InvalidAccessError = "InvalidAccessError", 15, INVALID_ACCESS_ERR;
    TypeMismatchError = "TypeMismatchError", 17, TYPE_MISMATCH_ERR;
    SecurityError = "SecurityError", 18, SECURITY_ERR;
    NetworkError = "NetworkError", 19, NETWORK_ERR;
    AbortError = "AbortError", 20, ABORT_ERR;
    UrlMismatchError = "URLMismatchError", 21, URL_MISMATCH_ERR;
    QuotaExceededError = "QuotaExceededError", 22, QUOTA_EXCEEDED_ERR;
    TimeoutError = "TimeoutError", 23, TIMEOUT_ERR;
    InvalidNodeTypeError = "InvalidNodeTypeError", 24, INVALID_NODE_TYPE_ERR;
    DataCloneError = "DataCloneError", 25, DATA_CLONE_ERR;
    EncodingError = "EncodingError", 0;
    NotReadableError = "NotReadableError", 0;
    UnknownError = "UnknownError", 0;
    ConstraintError = "ConstraintError", 0;
    DataError = "DataError", 0;
    TransactionInactiveError = "TransactionInactiveError", 0;
    ReadOnlyError = "ReadOnlyError", 0;
    VersionError = "VersionError", 0;
    OperationError = "OperationError", 0;
    NotAllowedError = "NotAllowedError", 0;
}

/// Legacy constants whose names left the table; `DOMException` still exposes them.
const RETIRED_CONSTANTS: [(&str, u16); 3] = [
    ("DOMSTRING_SIZE_ERR", 2),
    ("NO_DATA_ALLOWED_ERR", 6),
    ("VALIDATION_ERR", 16),
];

impl ExceptionName {
    /// The name's legacy code, 0 for any name not in the table.
    pub fn code_for(name: &str) -> u16 {
        Self::ALL
            .iter()
            .find(|n| n.as_str() == name)
            .map_or(0, |n| n.legacy_code())
    }
}

/// Every legacy constant in code order, the order WebIDL defines them in.
fn legacy_constants() -> Vec<(&'static str, u16)> {
    let mut constants: Vec<_> = NAME_CONSTANTS
        .iter()
        .chain(&RETIRED_CONSTANTS)
        .copied()
        .collect();
    constants.sort_by_key(|&(_, code)| code);
    constants
}

/// The platform object's state: WebIDL's `name` and `message`.
#[derive(Debug, Trace, Finalize, JsData)]
pub struct DomException {
    name: JsString,
    message: JsString,
}

const INTERFACE: &str = "DOMException";

/// Creates a `DOMException` object with `name` and `message`.
pub fn create(ctx: &mut Context, name: ExceptionName, message: &str) -> JsResult<JsObject> {
    let prototype = interface::prototype_of(ctx, INTERFACE)?;
    Ok(JsObject::from_proto_and_data(
        prototype,
        DomException {
            name: js_string!(name.as_str()),
            message: JsString::from(message),
        },
    ))
}

/// A `DOMException` ready to be thrown or used as a rejection reason.
pub fn error(ctx: &mut Context, name: ExceptionName, message: &str) -> JsError {
    match create(ctx, name, message) {
        Ok(object) => JsError::from_opaque(object.into()),
        Err(e) => e,
    }
}

fn this_exception(this: &JsValue) -> JsResult<(JsString, JsString)> {
    this.as_object()
        .and_then(|o| {
            o.downcast_ref::<DomException>()
                .map(|e| (e.name.clone(), e.message.clone()))
        })
        .ok_or_else(|| illegal_invocation(INTERFACE))
}

// https://webidl.spec.whatwg.org/#dom-domexception-domexception
fn constructor(new_target: &JsValue, args: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    interface::require_new(new_target, INTERFACE)?;
    let message = webidl::optional_dom_string(args.get_or_undefined(0), js_string!(), ctx)?;
    let name = webidl::optional_dom_string(args.get_or_undefined(1), js_string!("Error"), ctx)?;
    let prototype = interface::prototype_from_new_target(new_target, INTERFACE, ctx)?;
    Ok(JsObject::from_proto_and_data(prototype, DomException { name, message }).into())
}

fn get_name(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(this_exception(this)?.0.into())
}

fn get_message(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    Ok(this_exception(this)?.1.into())
}

fn get_code(this: &JsValue, _: &[JsValue], _: &mut Context) -> JsResult<JsValue> {
    let (name, _) = this_exception(this)?;
    Ok(ExceptionName::code_for(&name.to_std_string_escaped()).into())
}

pub(crate) fn register(ctx: &mut Context) -> JsResult<()> {
    let error_prototype = ctx.intrinsics().constructors().error().prototype();
    let mut builder = InterfaceBuilder::new(ctx, INTERFACE)
        .constructor(constructor, 0)
        .attribute("name", get_name, None)
        .attribute("message", get_message, None)
        .attribute("code", get_code, None);
    for (constant, code) in legacy_constants() {
        builder = builder.constant(constant, code);
    }
    // WebIDL: DOMException's prototype inherits from %Error.prototype%.
    builder.prototype().set_prototype(Some(error_prototype));
    builder.build()?;
    Ok(())
}
