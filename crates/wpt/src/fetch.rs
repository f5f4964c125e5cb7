//! `fetch()` for test pages: URLs of the page's server are answered from the same places as
//! its scripts (idlharness.js fetches `/interfaces/*.idl` this way); anything else is a
//! network error, since a test run has no network.

use std::cell::RefCell;
use std::rc::Rc;

use boa_engine::{
    Context, Finalize, JsData, JsError, JsObject, JsResult, JsString, Trace, js_error,
};
use boa_runtime::fetch::Fetcher;
use boa_runtime::fetch::request::JsRequest;
use boa_runtime::fetch::response::JsResponse;
use url::Url;

use crate::resources::{LoadError, Resources};

/// Serves a page's `fetch()` calls. Holds only paths and the page URL: nothing to trace.
#[derive(Debug, Trace, Finalize, JsData)]
#[boa_gc(unsafe_empty_trace)]
pub(crate) struct PageFetcher {
    resources: Resources,
    page_url: Url,
}

impl PageFetcher {
    pub(crate) fn new(resources: Resources, page_url: Url) -> Self {
        Self {
            resources,
            page_url,
        }
    }

    fn respond(&self, url: &str) -> JsResult<JsResponse> {
        let url = self
            .resources
            .resolve(&self.page_url, url)
            .map_err(|error| -> JsError { js_error!(TypeError: "fetch failed: {}", error) })?;
        let (status, body) = match self.resources.load(&url) {
            Ok(loaded) => (200, loaded.text.into_bytes()),
            Err(error @ LoadError::NotFound { .. }) => (404, error.to_string().into_bytes()),
            Err(error) => return Err(js_error!(TypeError: "fetch failed: {}", error)),
        };
        let response = http::Response::builder()
            .status(status)
            .body(body)
            .map_err(|error| -> JsError { js_error!(TypeError: "fetch failed: {}", error) })?;
        Ok(JsResponse::basic(JsString::from(url.as_str()), response))
    }
}

impl Fetcher for PageFetcher {
    fn resolve_uri(&self, uri: String, _context: &mut Context) -> JsResult<String> {
        Ok(self.page_url.join(&uri).map_or(uri, |url| url.to_string()))
    }

    async fn fetch(
        self: Rc<Self>,
        request: JsRequest,
        _signal: Option<JsObject>,
        _context: &RefCell<&mut Context>,
    ) -> JsResult<JsResponse> {
        let uri = request.uri().to_string();
        self.respond(&uri)
    }
}
