//! Routes, where requests come from, body reading and JSON responses.
//!
//! Every answer of the API is JSON: `{"error": "..."}` with 400 for bad input, 403 for a
//! request from another site, 404 for an unknown route, 405 for a wrong method, 408 for a
//! body that does not arrive in time, 413 for a body over the limit, 415 for a body that is
//! not declared JSON, 503 when the server's byte budgets are full, and 500 should a
//! computation fail unexpectedly (it does not: the library returns errors, never panics on
//! user data, but a panic would be caught here and reported, not crash the server).
//!
//! Only requests for this server's own address are served (`Host` is the bound address or
//! `localhost`), so that a page of another site cannot reach it through a name of its own
//! (DNS rebinding), and a POST from a page of another origin is refused.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hopfield::{Cancel, EXCERPT_CHARS, excerpt};
use http_body_util::BodyExt;
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::Semaphore;

use super::api::{self, ApiError, ApiResult, Planned};
use super::{
    BODY_TIMEOUT, CONCURRENT_JOBS, CONCURRENT_QUICK_JOBS, MAX_BUFFERED_BYTES, MAX_UNSENT_BYTES,
    UNSHARED_BODY_BYTES, assets,
};

/// The longest error message sent, in characters (each echoed item is cut far shorter).
const MAX_MESSAGE_CHARS: usize = 1000;

/// A count of bytes held, with a cap.
#[derive(Debug)]
pub struct Budget {
    used: AtomicUsize,
    cap: usize,
}

impl Budget {
    fn new(cap: usize) -> Arc<Budget> {
        Arc::new(Budget {
            used: AtomicUsize::new(0),
            cap,
        })
    }

    /// Bytes held now.
    pub fn used(&self) -> usize {
        self.used.load(Ordering::Relaxed)
    }
}

/// Bytes held against a [`Budget`], given back when dropped.
#[derive(Debug)]
pub struct Hold {
    budget: Arc<Budget>,
    bytes: usize,
}

impl Hold {
    fn new(budget: &Arc<Budget>) -> Hold {
        Hold {
            budget: budget.clone(),
            bytes: 0,
        }
    }

    /// Holds `total` bytes in all; false, holding what it held, when the budget has no room.
    fn grow_to(&mut self, total: usize) -> bool {
        if total <= self.bytes {
            return true;
        }
        let more = total - self.bytes;
        let b = &self.budget;
        let got = b
            .used
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |used| {
                used.checked_add(more).filter(|&u| u <= b.cap)
            })
            .is_ok();
        if got {
            self.bytes = total;
        }
        got
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        self.budget.used.fetch_sub(self.bytes, Ordering::AcqRel);
    }
}

/// The two kinds of slots: heavy computations never hold up quick ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lane {
    Quick,
    Heavy,
}

/// What the server is doing, for `GET /api/status`.
#[derive(Debug, Default)]
pub struct Stats {
    /// Open connections.
    pub connections: AtomicUsize,
    running: [AtomicUsize; 2],
    most_running: [AtomicUsize; 2],
    waiting: AtomicUsize,
}

/// Counts a computation as running while it lives.
struct Running<'a>(&'a Stats, usize);

impl<'a> Running<'a> {
    fn new(stats: &'a Stats, lane: Lane) -> Self {
        let k = lane as usize;
        let now = stats.running[k].fetch_add(1, Ordering::AcqRel) + 1;
        stats.most_running[k].fetch_max(now, Ordering::AcqRel);
        Running(stats, k)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running[self.1].fetch_sub(1, Ordering::AcqRel);
    }
}

/// Counts a request as waiting for a slot while it lives.
struct Waiting<'a>(&'a Stats);

impl<'a> Waiting<'a> {
    fn new(stats: &'a Stats) -> Self {
        stats.waiting.fetch_add(1, Ordering::AcqRel);
        Waiting(stats)
    }
}

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Raises a computation's flag when dropped: the handler's future is dropped when its
/// client goes away, and the computation then stops at its next step.
struct CancelOnDrop(Cancel);

impl Drop for CancelOnDrop {
    fn drop(&mut self) {
        self.0.cancel();
    }
}

/// The server's shared state.
#[derive(Debug)]
pub struct App {
    /// The address the server listens on.
    local: SocketAddr,
    heavy: Arc<Semaphore>,
    quick: Arc<Semaphore>,
    buffered: Arc<Budget>,
    unsent: Arc<Budget>,
    /// What the server is doing.
    pub stats: Stats,
}

impl App {
    /// The state of a server listening on `local`.
    pub fn new(local: SocketAddr) -> Arc<App> {
        Arc::new(App {
            local,
            heavy: Arc::new(Semaphore::new(CONCURRENT_JOBS)),
            quick: Arc::new(Semaphore::new(CONCURRENT_QUICK_JOBS)),
            buffered: Budget::new(MAX_BUFFERED_BYTES),
            unsent: Budget::new(MAX_UNSENT_BYTES),
            stats: Stats::default(),
        })
    }

    fn slots(&self, lane: Lane) -> &Arc<Semaphore> {
        match lane {
            Lane::Quick => &self.quick,
            Lane::Heavy => &self.heavy,
        }
    }

    /// Whether a `Host` header names this server: `localhost`, or the address it listens
    /// on (any address when it listens on all of them). The port is not compared, so that
    /// a forwarded port works.
    fn is_own_host(&self, host: &str) -> bool {
        let name = match host.strip_prefix('[') {
            Some(rest) => match rest.split_once(']') {
                Some((name, "")) => name,
                Some((name, port)) if port.strip_prefix(':').is_some_and(is_port) => name,
                _ => return false,
            },
            None => match host.rsplit_once(':') {
                Some((name, port)) if is_port(port) => name,
                Some(_) => return false,
                None => host,
            },
        };
        if name.eq_ignore_ascii_case("localhost") || name.eq_ignore_ascii_case("localhost.") {
            return true;
        }
        match name.parse::<IpAddr>() {
            Ok(ip) => self.local.ip().is_unspecified() || ip == self.local.ip(),
            Err(_) => false,
        }
    }
}

/// `8000`, the port of a host.
fn is_port(s: &str) -> bool {
    !s.is_empty() && s.len() <= 5 && s.bytes().all(|b| b.is_ascii_digit())
}

/// The explorer's routes.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(|| async { asset("index.html") }))
        .route("/index.html", get(|| async { asset("index.html") }))
        .route("/app.js", get(|| async { asset("app.js") }))
        .route("/style.css", get(|| async { asset("style.css") }))
        .route("/favicon.svg", get(|| async { asset("favicon.svg") }))
        .route("/favicon.ico", get(|| async { asset("favicon.svg") }))
        .route(
            "/tour",
            get(|| async {
                let mut r = StatusCode::PERMANENT_REDIRECT.into_response();
                r.headers_mut()
                    .insert(header::LOCATION, HeaderValue::from_static("/tour/"));
                r
            }),
        )
        .route("/tour/", get(|| tour_file(String::new())))
        .route(
            "/tour/{*path}",
            get(|axum::extract::Path(path): axum::extract::Path<String>| tour_file(path)),
        )
        .route(
            "/api/limits",
            get(|| async { json(StatusCode::OK, &api::limits()) }),
        )
        .route("/api/status", get(status))
        .route(
            "/api/recall",
            post(|s: State<Arc<App>>, r: Request| call(s, r, api::recall)),
        )
        .route(
            "/api/generate",
            post(|s: State<Arc<App>>, r: Request| call(s, r, api::generate)),
        )
        .route(
            "/api/corrupt",
            post(|s: State<Arc<App>>, r: Request| call(s, r, api::corrupt)),
        )
        .route(
            "/api/simulate",
            post(|s: State<Arc<App>>, r: Request| call(s, r, api::simulate)),
        )
        .route(
            "/api/crosstalk",
            post(|s: State<Arc<App>>, r: Request| call(s, r, api::crosstalk)),
        )
        .route(
            "/api/weights",
            post(|s: State<Arc<App>>, r: Request| call(s, r, api::weights)),
        )
        .fallback(|| async { error(StatusCode::NOT_FOUND, "no such route") })
        .method_not_allowed_fallback(|| async {
            error(
                StatusCode::METHOD_NOT_ALLOWED,
                "method not allowed: the API's GET routes are /api/limits, /api/status and the \
                 page; the others take POST with a JSON body",
            )
        })
        .layer(middleware::from_fn_with_state(app.clone(), own_origin))
        .with_state(app)
}

/// Refuses requests for another host name (DNS rebinding) and POSTs from pages of other
/// origins, before anything else is done with them.
async fn own_origin(State(app): State<Arc<App>>, req: Request, next: Next) -> Response {
    let headers = req.headers();
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
        .or_else(|| req.uri().authority().map(|a| a.to_string()));
    let Some(host) = host else {
        return error(StatusCode::FORBIDDEN, "the request has no Host header");
    };
    let own = format!(
        "http://{}/ or http://localhost:{}/",
        app.local,
        app.local.port()
    );
    if !app.is_own_host(&host) {
        return error(
            StatusCode::FORBIDDEN,
            &format!(
                "Host {} is not this server: the explorer answers only at {own}",
                excerpt(&host)
            ),
        );
    }
    if req.method() != Method::GET
        && req.method() != Method::HEAD
        && let Some(origin) = headers.get(header::ORIGIN)
    {
        let same = origin
            .to_str()
            .is_ok_and(|o| o.eq_ignore_ascii_case(&format!("http://{host}")));
        if !same {
            let origin = String::from_utf8_lossy(origin.as_bytes()).into_owned();
            return error(
                StatusCode::FORBIDDEN,
                &format!(
                    "a request from the page {} is refused: the API serves only the \
                     explorer's own page",
                    excerpt(&origin)
                ),
            );
        }
    }
    next.run(req).await
}

/// `GET /api/status`: what the server is doing now.
async fn status(State(app): State<Arc<App>>) -> Response {
    #[derive(Serialize)]
    struct Lanes {
        heavy: usize,
        quick: usize,
    }
    #[derive(Serialize)]
    struct Status {
        running: Lanes,
        most_running: Lanes,
        waiting: usize,
        connections: usize,
        buffered_bytes: usize,
        unsent_bytes: usize,
    }
    let s = &app.stats;
    let lanes = |a: &[AtomicUsize; 2]| Lanes {
        heavy: a[Lane::Heavy as usize].load(Ordering::Acquire),
        quick: a[Lane::Quick as usize].load(Ordering::Acquire),
    };
    json(
        StatusCode::OK,
        &Status {
            running: lanes(&s.running),
            most_running: lanes(&s.most_running),
            waiting: s.waiting.load(Ordering::Acquire),
            connections: s.connections.load(Ordering::Acquire),
            buffered_bytes: app.buffered.used(),
            unsent_bytes: app.unsent.used(),
        },
    )
}

/// Reads the body as `Req`, plans it, waits for a slot of its lane and runs the plan on a
/// blocking thread, stopping it if the client goes away; answers with its result.
async fn call<Req, Resp>(
    State(app): State<Arc<App>>,
    req: Request,
    plan: fn(Req) -> ApiResult<Planned<Resp>>,
) -> Response
where
    Req: DeserializeOwned + Send + 'static,
    Resp: Serialize + Send + 'static,
{
    let (body, held) = match read_body(&app, req).await {
        Ok(read) => read,
        Err(response) => return response,
    };
    // Parsing and planning take at most a few tens of milliseconds (the body is at most
    // 8 MiB): off the runtime's thread, but in no slot.
    let planned = tokio::task::spawn_blocking(move || -> ApiResult<Planned<Resp>> {
        let req: Req = serde_json::from_slice(&body)
            .map_err(|e| ApiError::bad(format!("invalid request: {e}")))?;
        drop(body);
        plan(req)
    })
    .await;
    let planned = match planned {
        Ok(Ok(p)) => p,
        Ok(Err(e)) => return api_error(e),
        Err(_) => return internal_error(),
    };
    let lane = if planned.work <= api::QUICK_WORK {
        Lane::Quick
    } else {
        Lane::Heavy
    };
    let waiting = Waiting::new(&app.stats);
    let Ok(slot) = app.slots(lane).clone().acquire_owned().await else {
        return error(
            StatusCode::SERVICE_UNAVAILABLE,
            "the server is shutting down",
        );
    };
    drop(waiting);
    let cancel = Cancel::new();
    let _stop = CancelOnDrop(cancel.clone());
    let worker = app.clone();
    // The slot, the count of running work and the body's bytes are given back when the
    // computation ends, not when its client goes: a stopped computation holds its slot
    // until it has stopped.
    let job = tokio::task::spawn_blocking(move || -> ApiResult<Vec<u8>> {
        let _slot = slot;
        let _held = held;
        let _running = Running::new(&worker.stats, lane);
        let resp = planned.run(&cancel)?;
        serde_json::to_vec(&resp).map_err(|e| ApiError {
            status: 500,
            message: format!("cannot encode the response: {e}"),
        })
    });
    match job.await {
        Ok(Ok(body)) => answer(&app, body),
        Ok(Err(e)) => api_error(e),
        Err(_) => internal_error(),
    }
}

/// The request body, held against the budget of buffered bytes, read within
/// [`BODY_TIMEOUT`]; or the error response (413, 415, 408, 503, 400).
async fn read_body(app: &App, req: Request) -> Result<(Vec<u8>, Hold), Response> {
    let declared = match req.headers().get(header::CONTENT_LENGTH) {
        Some(v) => match v.to_str().ok().and_then(|v| v.trim().parse::<u64>().ok()) {
            Some(len) => Some(len),
            None => {
                return Err(error(
                    StatusCode::BAD_REQUEST,
                    "Content-Length is not a number",
                ));
            }
        },
        None => None,
    };
    if declared.is_some_and(|len| len > api::MAX_BODY_BYTES as u64) {
        return Err(too_large());
    }
    if let Some(refusal) = not_json(req.headers()) {
        return Err(refusal);
    }
    let mut held = Hold::new(&app.buffered);
    let declared = declared.unwrap_or(0) as usize;
    if !held.grow_to(declared.saturating_sub(UNSHARED_BODY_BYTES)) {
        return Err(busy());
    }
    let deadline = tokio::time::Instant::now() + BODY_TIMEOUT;
    let mut body = req.into_body();
    let mut buf = Vec::with_capacity(declared);
    loop {
        let frame = match tokio::time::timeout_at(deadline, body.frame()).await {
            Err(_) => {
                return Err(closing(error(
                    StatusCode::REQUEST_TIMEOUT,
                    &format!(
                        "the request body did not arrive within {} s",
                        BODY_TIMEOUT.as_secs()
                    ),
                )));
            }
            Ok(None) => break,
            Ok(Some(Err(e))) => {
                return Err(closing(error(
                    StatusCode::BAD_REQUEST,
                    &format!("cannot read the request body: {e}"),
                )));
            }
            Ok(Some(Ok(frame))) => frame,
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        let total = buf.len() + data.len();
        if total > api::MAX_BODY_BYTES {
            return Err(too_large());
        }
        if !held.grow_to(total.saturating_sub(UNSHARED_BODY_BYTES)) {
            return Err(busy());
        }
        buf.extend_from_slice(&data);
    }
    Ok((buf, held))
}

/// A 415 unless the request declares a JSON body.
fn not_json(headers: &HeaderMap) -> Option<Response> {
    let value = headers
        .get(header::CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let json = value.as_deref().is_some_and(|v| {
        v.split(';')
            .next()
            .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
    });
    if json {
        return None;
    }
    let got = match value {
        Some(v) => format!("Content-Type {}", excerpt(&v)),
        None => "no Content-Type".into(),
    };
    Some(closing(error(
        StatusCode::UNSUPPORTED_MEDIA_TYPE,
        &format!("the API takes a JSON body with Content-Type application/json; got {got}"),
    )))
}

fn too_large() -> Response {
    closing(error(
        StatusCode::PAYLOAD_TOO_LARGE,
        &format!(
            "request body is larger than the limit of {} bytes (8 MiB)",
            api::MAX_BODY_BYTES
        ),
    ))
}

fn busy() -> Response {
    let mut r = closing(error(
        StatusCode::SERVICE_UNAVAILABLE,
        &format!(
            "the server is receiving too many large requests at once ({} MiB held): try again",
            MAX_BUFFERED_BYTES >> 20
        ),
    ));
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

/// The response, with the connection closed after it (its body may not have been read).
fn closing(mut r: Response) -> Response {
    r.headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    r
}

/// A computation's JSON answer, held against the budget of unsent bytes until its client
/// has read it.
fn answer(app: &App, body: Vec<u8>) -> Response {
    let mut held = Hold::new(&app.unsent);
    if !held.grow_to(body.len()) {
        let mut r = error(
            StatusCode::SERVICE_UNAVAILABLE,
            &format!(
                "the server holds too many answers not yet read by their clients ({} MiB): \
                 try again",
                MAX_UNSENT_BYTES >> 20
            ),
        );
        r.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        return r;
    }
    /// The answer's bytes and their place in the budget, given back once the last copy
    /// (the one the connection writes from) is gone.
    struct Owned {
        body: Vec<u8>,
        _held: Hold,
    }
    impl AsRef<[u8]> for Owned {
        fn as_ref(&self) -> &[u8] {
            &self.body
        }
    }
    json_bytes(
        StatusCode::OK,
        Bytes::from_owner(Owned { body, _held: held }),
    )
}

fn api_error(e: ApiError) -> Response {
    error(
        StatusCode::from_u16(e.status).unwrap_or(StatusCode::BAD_REQUEST),
        &e.message,
    )
}

fn internal_error() -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal error: the computation failed",
    )
}

/// A JSON response.
fn json<T: Serialize>(status: StatusCode, value: &T) -> Response {
    match serde_json::to_vec(value) {
        Ok(body) => json_bytes(status, Bytes::from(body)),
        Err(_) => (
            StatusCode::INTERNAL_SERVER_ERROR,
            "cannot encode the response",
        )
            .into_response(),
    }
}

fn json_bytes(status: StatusCode, body: Bytes) -> Response {
    let mut r = (status, Body::from(body)).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `{"error": message}` with this status, the message made safe ([`safe_message`]).
fn error(status: StatusCode, message: &str) -> Response {
    #[derive(Serialize)]
    struct Error {
        error: String,
    }
    json(
        status,
        &Error {
            error: safe_message(message),
        },
    )
}

/// A message made safe to send back: every long quoted part (the request's own words, which
/// serde's messages quote with `` ` `` or `"`) cut by [`excerpt`], control characters
/// escaped, one line of at most [`MAX_MESSAGE_CHARS`] characters.
fn safe_message(message: &str) -> String {
    let mut cut = String::with_capacity(message.len().min(4 * MAX_MESSAGE_CHARS));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        let quote = rest.as_bytes()[open];
        cut.push_str(&rest[..=open]);
        let inside = &rest[open + 1..];
        // The closing quote; inside double quotes a backslash escapes the next character.
        let mut end = None;
        let mut escaped = false;
        for (i, b) in inside.bytes().enumerate() {
            match b {
                b'\\' if quote == b'"' && !escaped => escaped = true,
                b if b == quote && !escaped => {
                    end = Some(i);
                    break;
                }
                _ => escaped = false,
            }
        }
        // What is already short (an excerpt included) stays as it is.
        let short = |text: &str| {
            if text.chars().count() > 2 * EXCERPT_CHARS {
                excerpt(text)
            } else {
                text.to_string()
            }
        };
        match end {
            Some(end) => {
                cut.push_str(&short(&inside[..end]));
                cut.push(quote as char);
                rest = &inside[end + 1..];
            }
            None => {
                cut.push_str(&short(inside));
                rest = "";
            }
        }
    }
    cut.push_str(rest);
    let mut out = String::new();
    for (k, c) in cut.chars().enumerate() {
        if k == MAX_MESSAGE_CHARS {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// The seed of the tour report served at `/tour/`.
const TOUR_SEED: u64 = 1;

/// The files of the tour report by path, or why it could not be made.
type TourFiles = Result<Vec<(String, Vec<u8>)>, String>;

/// The tour report, made on the first request for it.
static TOUR: tokio::sync::OnceCell<TourFiles> = tokio::sync::OnceCell::const_new();

/// A file of the tour report (`index.html` for the folder itself).
async fn tour_file(path: String) -> Response {
    let files = TOUR
        .get_or_init(|| async {
            tokio::task::spawn_blocking(|| {
                crate::tour::in_memory(TOUR_SEED).map_err(|e| format!("{e:#}"))
            })
            .await
            .unwrap_or_else(|_| Err("the tour failed unexpectedly".into()))
        })
        .await;
    let files = match files {
        Ok(files) => files,
        Err(e) => {
            return error(
                StatusCode::INTERNAL_SERVER_ERROR,
                &format!("the tour report could not be made: {e}"),
            );
        }
    };
    let name = if path.is_empty() { "index.html" } else { &path };
    let Some((_, body)) = files.iter().find(|(n, _)| n == name) else {
        return error(
            StatusCode::NOT_FOUND,
            &format!("no such file in the tour report: {}", excerpt(name)),
        );
    };
    let mime = match name.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        _ => "application/octet-stream",
    };
    let mut r = (StatusCode::OK, body.clone()).into_response();
    let h = r.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(mime));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The report has its style inline and no script at all.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(
            "default-src 'self'; img-src 'self'; style-src 'self' 'unsafe-inline'; \
             script-src 'none'; frame-ancestors 'none'",
        ),
    );
    r
}

/// An embedded file of the page.
fn asset(name: &str) -> Response {
    let Some((body, mime)) = assets::get(name) else {
        return error(StatusCode::NOT_FOUND, &format!("no such file: {name}"));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_echo_little_of_the_request() {
        let long = "x".repeat(7_000_000);
        let m = safe_message(&format!(
            "invalid type: string \"{long}\", expected a sequence"
        ));
        assert!(m.chars().count() < 300, "{} characters", m.chars().count());
        assert!(m.starts_with("invalid type: string \"xxx"), "{m}");
        assert!(
            m.ends_with("… (7000000 characters)\", expected a sequence"),
            "{m}"
        );
        let m = safe_message(&format!("unknown field `{long}`, expected one of `cue`"));
        assert!(m.ends_with("characters)`, expected one of `cue`"), "{m}");
        // Control characters are escaped, quoted or not; escaped quotes do not end a quote.
        let m = safe_message("tie = \u{1b}[31mred is invalid: \"a\\\"\u{7}b\" `\n`");
        assert_eq!(m, "tie = \\u{1b}[31mred is invalid: \"a\\\"\\u{7}b\" `\\n`");
        // A quote left open, and a message long in itself.
        assert!(safe_message(&format!("\"{long}")).len() < 300);
        let m = safe_message(&"word ".repeat(1000));
        assert_eq!(m.chars().count(), MAX_MESSAGE_CHARS + 1);
        // Ordinary messages pass unchanged.
        let ok = "kind = \"zebra\" is invalid: expected one of: random, x";
        assert_eq!(safe_message(ok), ok);
    }

    #[test]
    fn only_this_server_is_its_host() {
        let app = App::new("127.0.0.1:8000".parse().unwrap());
        for host in [
            "127.0.0.1:8000",
            "127.0.0.1",
            "localhost:8000",
            "LOCALHOST",
            "localhost.:9",
        ] {
            assert!(app.is_own_host(host), "{host}");
        }
        for host in [
            "evil.example",
            "evil.example:8000",
            "127.0.0.2:8000",
            "localhost.evil.example",
            "[::1]:8000",
            "127.0.0.1:80x",
            "",
        ] {
            assert!(!app.is_own_host(host), "{host}");
        }
        let v6 = App::new("[::1]:8000".parse().unwrap());
        assert!(v6.is_own_host("[::1]:8000") && v6.is_own_host("[::1]"));
        assert!(!v6.is_own_host("127.0.0.1:8000"));
        // Listening on every address: any address, never a name but localhost.
        let all = App::new("0.0.0.0:8000".parse().unwrap());
        assert!(all.is_own_host("192.168.1.20:8000") && all.is_own_host("localhost"));
        assert!(!all.is_own_host("evil.example:8000"));
    }

    #[test]
    fn budgets_refuse_what_does_not_fit_and_give_back() {
        let b = Budget::new(100);
        let mut a = Hold::new(&b);
        assert!(a.grow_to(60) && a.grow_to(40));
        let mut c = Hold::new(&b);
        assert!(!c.grow_to(41), "60 + 41 > 100");
        assert!(c.grow_to(40));
        assert_eq!(b.used(), 100);
        drop(a);
        assert_eq!(b.used(), 40);
        drop(c);
        assert_eq!(b.used(), 0);
    }
}
