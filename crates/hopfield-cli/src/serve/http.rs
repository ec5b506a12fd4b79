//! Routes, body parsing and JSON responses.
//!
//! Every answer of the API is JSON: `{"error": "..."}` with 400 for bad input, 404 for an
//! unknown route, 405 for a wrong method, 413 for a body over the limit and 500 should a
//! computation fail unexpectedly (it does not: the library returns errors, never panics
//! on user data, but a panic would be caught here and reported, not crash the server).

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use super::api::{self, ApiError, ApiResult};
use super::assets;

/// The shared state: slots for concurrent computations.
#[derive(Debug, Clone)]
struct Jobs(Arc<Semaphore>);

/// The explorer's routes.
pub fn router() -> Router {
    Router::new()
        .route("/", get(|| async { asset("index.html") }))
        .route("/index.html", get(|| async { asset("index.html") }))
        .route("/app.js", get(|| async { asset("app.js") }))
        .route("/style.css", get(|| async { asset("style.css") }))
        .route("/favicon.svg", get(|| async { asset("favicon.svg") }))
        .route("/favicon.ico", get(|| async { asset("favicon.svg") }))
        .route(
            "/api/limits",
            get(|| async { json(StatusCode::OK, &api::limits()) }),
        )
        .route(
            "/api/recall",
            post(|s: State<Jobs>, b: Result<Bytes, BytesRejection>| run(s, b, api::recall)),
        )
        .route(
            "/api/generate",
            post(|s: State<Jobs>, b: Result<Bytes, BytesRejection>| run(s, b, api::generate)),
        )
        .route(
            "/api/corrupt",
            post(|s: State<Jobs>, b: Result<Bytes, BytesRejection>| run(s, b, api::corrupt)),
        )
        .route(
            "/api/weights",
            post(|s: State<Jobs>, b: Result<Bytes, BytesRejection>| run(s, b, api::weights)),
        )
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such route".into()) })
        .method_not_allowed_fallback(|| async {
            error(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed: the API's GET routes are /api/limits and the page; \
                 the others take POST with a JSON body"
                    .into(),
            )
        })
        .layer(DefaultBodyLimit::max(api::MAX_BODY_BYTES))
        .with_state(Jobs(Arc::new(Semaphore::new(super::CONCURRENT_JOBS))))
}

/// Parses the body as `Req`, runs `f` on a blocking thread and answers with its result.
async fn run<Req, Resp>(
    State(jobs): State<Jobs>,
    body: Result<Bytes, BytesRejection>,
    f: fn(Req) -> ApiResult<Resp>,
) -> Response
where
    Req: DeserializeOwned + Send + 'static,
    Resp: Serialize + Send + 'static,
{
    let bytes = match body {
        Ok(b) => b,
        Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return error(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!(
                    "request body is larger than the limit of {} bytes (8 MiB)",
                    api::MAX_BODY_BYTES
                ),
            );
        }
        Err(e) => return error(e.status(), format!("cannot read the request body: {e}")),
    };
    let Ok(_slot) = jobs.0.acquire_owned().await else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down".into(),
        );
    };
    let job = tokio::task::spawn_blocking(move || -> ApiResult<Vec<u8>> {
        let req: Req = serde_json::from_slice(&bytes)
            .map_err(|e| ApiError::bad(format!("invalid request: {e}")))?;
        let resp = f(req)?;
        serde_json::to_vec(&resp).map_err(|e| ApiError {
            status: 500,
            message: format!("cannot encode the response: {e}"),
        })
    });
    match job.await {
        Ok(Ok(body)) => json_bytes(StatusCode::OK, body),
        Ok(Err(e)) => error(
            StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST),
            e.message,
        ),
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal error: the computation failed".into(),
        ),
    }
}

/// A JSON response.
fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => json_bytes(status, body),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot encode the response",
        )
            .into_response(),
    }
}

fn json_bytes(status: StatusCode, body: Vec<u8>) -> Response {
    let mut r = (status, Body::from(body)).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `{"error": message}` with this status.
fn error(status: StatusCode, message: String) -> Response {
    #[derive(Serialize)]
    struct Error {
        error: String,
    }
    // One line: the messages of serde and the library are, but be sure.
    let error = message.replace(['\n', '\r'], " ");
    json(status, &Error { error })
}

/// An embedded file of the page.
fn asset(name: &str) -> Response {
    let Some((body, mime)) = assets::get(name) else {
        return error(StatusCode::NOT_FOUND, format!("no such file: {name}"));
    };
    let mut r = (StatusCode::OK, body).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Everything the page uses comes from this server: no CDN, no inline script.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
             connect-src 'self'; frame-ancestors 'none'",
        ),
    );
    r
}
