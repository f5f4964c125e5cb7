//! `fetch()` of local files: [`LocalFileFetcher`] answers `file:` URLs (and paths relative to
//! a base URL, the first script's) from a set of allowed directories, and [`install_fetch`]
//! registers boa_runtime's `fetch`/`Request`/`Response`/`Headers` with any fetcher, adding the
//! `Response.prototype.arrayBuffer()` that boa_runtime 0.22 lacks.
//!
//! What a response looks like: `200` with the file's bytes, `Content-Type` by extension and
//! `Content-Length`; `404` for a missing file; a `TypeError` rejection (fetch's "network
//! error") for a URL that is not a local file, a file outside the allowed directories, or a
//! read that fails otherwise.

use std::cell::RefCell;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use boa_engine::object::builtins::JsPromise;
use boa_engine::property::PropertyDescriptor;
use boa_engine::{
    Context, Finalize, JsData, JsObject, JsResult, JsString, JsValue, NativeFunction, Trace,
    js_error, js_string,
};
use boa_runtime::extensions::FetchExtension;
use boa_runtime::fetch::Fetcher;
use boa_runtime::fetch::request::JsRequest;
use boa_runtime::fetch::response::JsResponse;
use url::Url;

/// Serves `fetch()` from local files under a few directories.
///
/// Holds only a URL and paths, nothing of the JS heap, hence the empty trace.
#[derive(Debug, Clone, Trace, Finalize, JsData)]
#[boa_gc(unsafe_empty_trace)]
pub struct LocalFileFetcher {
    /// What relative URLs resolve against.
    base: Url,
    /// The allowed directories, canonical (symbolic links resolved).
    roots: Vec<PathBuf>,
    /// Said after a refusal: how the user allows more.
    refusal_hint: String,
}

impl LocalFileFetcher {
    /// Files under `roots` (and nothing else) may be read; relative URLs resolve against
    /// `base`.
    ///
    /// # Errors
    /// A root that does not exist or cannot be resolved.
    pub fn new(base: Url, roots: impl IntoIterator<Item = PathBuf>) -> std::io::Result<Self> {
        let roots = roots
            .into_iter()
            .map(|root| {
                root.canonicalize().map_err(|error| {
                    std::io::Error::new(error.kind(), format!("{}: {error}", root.display()))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Self {
            base,
            roots,
            refusal_hint: String::new(),
        })
    }

    /// What `eme run` uses: relative URLs resolve against the first script's `file:` URL;
    /// the scripts' own directories and every `allow_read` directory may be read.
    ///
    /// # Errors
    /// No script, a script path that cannot be made absolute, or a directory that does not
    /// exist.
    pub fn for_scripts(
        scripts: &[impl AsRef<Path>],
        allow_read: &[impl AsRef<Path>],
    ) -> std::io::Result<Self> {
        let first = scripts.first().ok_or_else(|| {
            std::io::Error::new(std::io::ErrorKind::InvalidInput, "no script given")
        })?;
        let base = file_url(first.as_ref())?;
        let script_dirs = scripts.iter().map(|script| {
            let dir = script.as_ref().parent().unwrap_or(Path::new(""));
            if dir.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                dir.to_owned()
            }
        });
        let allowed = allow_read.iter().map(|dir| dir.as_ref().to_owned());
        Self::new(base, script_dirs.chain(allowed).collect::<Vec<_>>())
    }

    /// Appends `hint` to the message of a refused read (`eme run` names its `--allow-read`).
    #[must_use]
    pub fn with_refusal_hint(mut self, hint: impl Into<String>) -> Self {
        self.refusal_hint = hint.into();
        self
    }

    /// The URL relative URLs resolve against.
    pub fn base(&self) -> &Url {
        &self.base
    }

    /// The allowed directories, canonical.
    pub fn roots(&self) -> &[PathBuf] {
        &self.roots
    }

    /// `uri` as an absolute URL: parsed, or resolved against the base.
    fn absolute(&self, uri: &str) -> JsResult<Url> {
        Url::parse(uri).or_else(|_| self.base.join(uri)).map_err(
            |error| js_error!(TypeError: "fetch failed: {} is not a valid URL: {}", uri, error),
        )
    }

    /// The local file `uri` names, if this fetcher may read it: `(url, resolved path, path as
    /// named)`; a `TypeError` (fetch's network error) otherwise.
    fn locate(&self, uri: &str) -> JsResult<(Url, PathBuf, PathBuf)> {
        let url = self.absolute(uri)?;
        if url.scheme() != "file" {
            return Err(js_error!(
                TypeError: "fetch failed: {} is not a local file (only file: URLs and paths relative to {} can be fetched)",
                url, self.base
            ));
        }
        let path = url
            .to_file_path()
            .map_err(|()| js_error!(TypeError: "fetch failed: {} names no local file", url))?;
        let resolved = resolve_existing_prefix(&path);
        if !self.roots.iter().any(|root| resolved.starts_with(root)) {
            let roots = self
                .roots
                .iter()
                .map(|root| root.display().to_string())
                .collect::<Vec<_>>()
                .join(", ");
            let hint = if self.refusal_hint.is_empty() {
                String::new()
            } else {
                format!("; {}", self.refusal_hint)
            };
            return Err(js_error!(
                TypeError: "fetch refused: {} is outside the directories this run may read ({}){}",
                path.display(), roots, hint
            ));
        }
        Ok((url, resolved, path))
    }

    /// The bytes of the local file `uri` names (the media element's resource fetch), or why it
    /// cannot be read: the same URL resolution and directory checks as `fetch()`.
    pub(crate) fn read(&self, uri: &str) -> Result<Vec<u8>, String> {
        let (_, resolved, path) = self.locate(uri).map_err(|error| message_of(&error))?;
        std::fs::read(&resolved).map_err(|error| format!("{}: {error}", path.display()))
    }

    /// `uri` as an absolute URL string.
    pub(crate) fn resolve(&self, uri: &str) -> Result<String, String> {
        self.absolute(uri)
            .map(String::from)
            .map_err(|error| message_of(&error))
    }

    fn respond(&self, uri: &str, head_only: bool) -> JsResult<JsResponse> {
        let (url, resolved, path) = self.locate(uri)?;
        let (status, body) = match std::fs::read(&resolved) {
            Ok(bytes) => (200, bytes),
            Err(error)
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::NotFound | std::io::ErrorKind::IsADirectory
                ) || resolved.is_dir() =>
            {
                (404, format!("{}: {error}", path.display()).into_bytes())
            }
            Err(error) => {
                return Err(js_error!(TypeError: "fetch failed: {}: {}", path.display(), error));
            }
        };
        let content_type = if status == 200 {
            content_type(&resolved)
        } else {
            "text/plain; charset=utf-8"
        };
        let response = http::Response::builder()
            .status(status)
            .header(http::header::CONTENT_TYPE, content_type)
            .header(http::header::CONTENT_LENGTH, body.len())
            .body(if head_only { Vec::new() } else { body })
            .map_err(|error| js_error!(TypeError: "fetch failed: {}", error))?;
        Ok(JsResponse::basic(JsString::from(url.as_str()), response))
    }
}

impl Fetcher for LocalFileFetcher {
    /// The `http::Uri` inside boa_runtime's requests cannot hold `file:///path` (an empty
    /// authority), so local files travel as `file://localhost/path`, which means the same.
    fn resolve_uri(&self, uri: String, _context: &mut Context) -> JsResult<String> {
        let url = self.absolute(&uri)?;
        if url.scheme() == "file" && url.host().is_none() {
            Ok(format!("file://localhost{}", url.path()))
        } else {
            Ok(url.into())
        }
    }

    async fn fetch(
        self: Rc<Self>,
        request: JsRequest,
        _signal: Option<JsObject>,
        _context: &RefCell<&mut Context>,
    ) -> JsResult<JsResponse> {
        let method = request.inner().method().clone();
        if method != http::Method::GET && method != http::Method::HEAD {
            return Err(
                js_error!(TypeError: "fetch failed: local files answer GET and HEAD, not {}", method),
            );
        }
        // Read at once: local reads are short, and an async job that finishes on its first
        // poll keeps virtual time deterministic.
        self.respond(&request.uri().to_string(), method == http::Method::HEAD)
    }
}

/// The message of a `TypeError` this module made.
fn message_of(error: &boa_engine::JsError) -> String {
    error
        .as_native()
        .map_or_else(|| error.to_string(), |native| native.message().to_string())
}

/// The media element's resources come from the same files as `fetch()`, under the same
/// directory checks (`eme run --allow-read`).
impl eme_html::MediaResourceLoader for LocalFileFetcher {
    fn resolve(&self, url: &str) -> Result<String, String> {
        LocalFileFetcher::resolve(self, url)
    }

    fn load(&self, url: &str) -> Result<Vec<u8>, String> {
        self.read(url)
    }
}

/// Registers `fetch`, `Request`, `Response` and `Headers` answering through `fetcher`, and
/// `Response.prototype.arrayBuffer()` where boa_runtime lacks it.
///
/// # Errors
/// If registering the globals fails.
pub fn install_fetch<F: Fetcher + std::fmt::Debug>(ctx: &mut Context, fetcher: F) -> JsResult<()> {
    boa_runtime::register_extensions((FetchExtension(fetcher),), None, ctx)?;
    let response = ctx.global_object().get(js_string!("Response"), ctx)?;
    let Some(prototype) = response
        .as_object()
        .map(|response| response.get(js_string!("prototype"), ctx))
        .transpose()?
        .and_then(|prototype| prototype.as_object())
    else {
        return Ok(());
    };
    if prototype.has_own_property(js_string!("arrayBuffer"), ctx)? {
        return Ok(());
    }
    let array_buffer = boa_engine::object::FunctionObjectBuilder::new(
        ctx.realm(),
        NativeFunction::from_fn_ptr(response_array_buffer),
    )
    .name(js_string!("arrayBuffer"))
    .length(0)
    .build();
    prototype.define_property_or_throw(
        js_string!("arrayBuffer"),
        PropertyDescriptor::builder()
            .value(array_buffer)
            .writable(true)
            .enumerable(true)
            .configurable(true),
        ctx,
    )?;
    Ok(())
}

/// `Response.prototype.arrayBuffer()`: a promise of a new `ArrayBuffer` with the body's bytes.
/// (boa_runtime keeps no "body used" flag, so reading twice gives the bytes twice.)
fn response_array_buffer(this: &JsValue, _: &[JsValue], ctx: &mut Context) -> JsResult<JsValue> {
    // Copy the body handle out, so no borrow of the object is held while building the result.
    let body = this
        .as_object()
        .and_then(|object| object.downcast_ref::<JsResponse>().map(|r| r.body()));
    let result = match body {
        Some(body) => eme_dom::webidl::array_buffer(&body, ctx).map(JsValue::from),
        None => Err(js_error!(TypeError: "Illegal invocation: 'this' is not a Response object")),
    };
    let promise = match result {
        Ok(buffer) => JsPromise::resolve(buffer, ctx)?,
        Err(error) => JsPromise::reject(error, ctx)?,
    };
    Ok(promise.into())
}

/// The `file:` URL of `path` (made absolute against the working directory).
///
/// # Errors
/// A path that cannot be made absolute.
pub fn file_url(path: &Path) -> std::io::Result<Url> {
    // Canonical when it exists: `..` and symbolic links resolved, as the roots are.
    let absolute = path.canonicalize().or_else(|_| std::path::absolute(path))?;
    Url::from_file_path(&absolute).map_err(|()| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            format!("{} has no file: URL", absolute.display()),
        )
    })
}

/// `path` with its longest existing prefix canonicalized (symbolic links and `..` resolved), so
/// a missing file is judged by the directory it would be in.
fn resolve_existing_prefix(path: &Path) -> PathBuf {
    let mut missing = Vec::new();
    let mut prefix = path;
    loop {
        if let Ok(canonical) = prefix.canonicalize() {
            return missing
                .iter()
                .rev()
                .fold(canonical, |path: PathBuf, part| path.join(part));
        }
        match (prefix.parent(), prefix.file_name()) {
            (Some(parent), Some(name)) => {
                missing.push(name.to_owned());
                prefix = parent;
            }
            _ => return path.to_owned(),
        }
    }
}

/// The `Content-Type` of a file, by its extension.
fn content_type(path: &Path) -> &'static str {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("mp4" | "m4v") => "video/mp4",
        Some("m4a") => "audio/mp4",
        Some("m4s") => "video/iso.segment",
        Some("mpd") => "application/dash+xml",
        Some("webm") => "video/webm",
        Some("json") => "application/json",
        Some("js" | "mjs") => "text/javascript; charset=utf-8",
        Some("txt") => "text/plain; charset=utf-8",
        Some("html" | "htm") => "text/html; charset=utf-8",
        _ => "application/octet-stream",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_types_follow_the_extension() {
        assert_eq!(content_type(Path::new("a/b.MP4")), "video/mp4");
        assert_eq!(content_type(Path::new("seg-1.m4s")), "video/iso.segment");
        assert_eq!(content_type(Path::new("x.mpd")), "application/dash+xml");
        assert_eq!(content_type(Path::new("x")), "application/octet-stream");
    }

    #[test]
    fn a_missing_file_is_judged_by_its_existing_directory() {
        let dir = std::env::temp_dir().canonicalize().unwrap();
        let missing = dir.join("eme-no-such-dir").join("file.bin");
        assert_eq!(resolve_existing_prefix(&missing), missing);
    }
}
