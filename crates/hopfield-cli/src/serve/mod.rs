//! `hopfield serve`: the interactive explorer, one page and a JSON API.
//!
//! The server is stateless: the page keeps the stored patterns and the current state and
//! sends them with every request; the Rust engine does every computation (recall with
//! per-step energy and overlaps, generators, noise, the weight image). The page's files are
//! embedded in the binary ([`assets`]), so the explorer works offline.
//!
//! Connections are served by [`net`] on a small current-thread tokio runtime, with
//! timeouts for slow clients and caps on connections and buffered bytes; [`http`] checks
//! where a request comes from and reads its body; every computation is planned first
//! ([`api`], priced by [`cost`]) and then runs on a blocking thread, at most
//! [`CONCURRENT_JOBS`] heavy and [`CONCURRENT_QUICK_JOBS`] quick ones at once, stopped when
//! its client goes away. The limits are documented in docs/api.md.

pub mod api;
pub mod assets;
pub mod cost;
mod http;
pub mod limits;
pub mod model;
mod net;

use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};
use std::time::Duration;

use anyhow::{Context, Result};
use serde::Serialize;

use crate::cli::ServeArgs;

/// How many heavy computations (estimated over [`api::QUICK_WORK`]) may run at once; later
/// ones wait for a slot.
pub const CONCURRENT_JOBS: usize = 2;
/// How many quick computations may run at once, besides the heavy ones.
pub const CONCURRENT_QUICK_JOBS: usize = 2;
/// The most connections open at once; further ones wait to be accepted.
pub const MAX_CONNECTIONS: usize = 1024;
/// The time a client has to send a request's headers, from the connection's start or the
/// end of the previous answer (so also how long an idle connection is kept).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// The time a client has to send a request's body, from the end of its headers.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a client may leave an answer unread before it is disconnected.
pub const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// The bytes of each request body that do not count against [`MAX_BUFFERED_BYTES`], so
/// that small requests are always read.
pub const UNSHARED_BODY_BYTES: usize = 64 * 1024;
/// The most bytes of request bodies held at once (beyond [`UNSHARED_BODY_BYTES`] of each),
/// from the first byte read to the end of the request's computation; a body that would
/// exceed it is refused with 503.
pub const MAX_BUFFERED_BYTES: usize = 32 * 1024 * 1024;
/// The most bytes of answers held at once until their clients have read them; an answer
/// that would exceed it is replaced by a 503.
pub const MAX_UNSENT_BYTES: usize = 64 * 1024 * 1024;

/// The limits on connections and on the server as a whole, as `GET /api/limits` gives them.
#[derive(Debug, Clone, Serialize)]
pub struct ServerLimits {
    /// [`CONCURRENT_JOBS`].
    pub concurrent_jobs: usize,
    /// [`CONCURRENT_QUICK_JOBS`].
    pub concurrent_quick_jobs: usize,
    /// [`MAX_CONNECTIONS`].
    pub max_connections: usize,
    /// [`HEADER_TIMEOUT`] in milliseconds.
    pub header_timeout_ms: u64,
    /// [`BODY_TIMEOUT`] in milliseconds.
    pub body_timeout_ms: u64,
    /// [`SEND_TIMEOUT`] in milliseconds.
    pub send_timeout_ms: u64,
    /// [`UNSHARED_BODY_BYTES`].
    pub unshared_body_bytes: usize,
    /// [`MAX_BUFFERED_BYTES`].
    pub max_buffered_bytes: usize,
    /// [`MAX_UNSENT_BYTES`].
    pub max_unsent_bytes: usize,
}

impl ServerLimits {
    /// The server's limits.
    pub fn new() -> ServerLimits {
        ServerLimits {
            concurrent_jobs: CONCURRENT_JOBS,
            concurrent_quick_jobs: CONCURRENT_QUICK_JOBS,
            max_connections: MAX_CONNECTIONS,
            header_timeout_ms: HEADER_TIMEOUT.as_millis() as u64,
            body_timeout_ms: BODY_TIMEOUT.as_millis() as u64,
            send_timeout_ms: SEND_TIMEOUT.as_millis() as u64,
            unshared_body_bytes: UNSHARED_BODY_BYTES,
            max_buffered_bytes: MAX_BUFFERED_BYTES,
            max_unsent_bytes: MAX_UNSENT_BYTES,
        }
    }
}

impl Default for ServerLimits {
    fn default() -> Self {
        ServerLimits::new()
    }
}

/// Serves the explorer until interrupted.
///
/// Prints `serving the explorer on http://ADDR/` on stdout (and flushes it) once the socket
/// is bound, so that a caller that passed `--port 0` can read the port.
pub fn run(args: &ServeArgs) -> Result<()> {
    let addr = resolve(&args.host, args.port)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = listen(addr)
            .with_context(|| format!("cannot listen on {addr} (is the port in use?)"))?;
        let local = listener.local_addr()?;
        let mut out = std::io::stdout().lock();
        writeln!(out, "serving the explorer on http://{local}/")?;
        out.flush()?;
        drop(out);
        if !local.ip().is_loopback() {
            eprintln!(
                "warning: {} is reachable from other machines; the default --host 127.0.0.1 \
                 serves this machine only",
                local.ip()
            );
        }
        eprintln!("press Ctrl-C to stop");
        let app = http::App::new(local);
        net::serve(listener, app).await;
        Ok(())
    })
}

/// Connections a burst may leave waiting to be accepted.
const BACKLOG: u32 = 1024;

/// A listening socket on `addr` with room for a burst of connections.
fn listen(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    let socket = if addr.is_ipv4() {
        tokio::net::TcpSocket::new_v4()?
    } else {
        tokio::net::TcpSocket::new_v6()?
    };
    socket.set_reuseaddr(true)?;
    socket.bind(addr)?;
    socket.listen(BACKLOG)
}

/// The first address `host:port` resolves to.
fn resolve(host: &str, port: u16) -> Result<SocketAddr> {
    let host = host.trim_start_matches('[').trim_end_matches(']');
    (host, port)
        .to_socket_addrs()
        .with_context(|| format!("--host {host}: not an address or a known host name"))?
        .next()
        .with_context(|| format!("--host {host}: resolves to no address"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_resolve() {
        assert_eq!(
            resolve("127.0.0.1", 8000).unwrap(),
            "127.0.0.1:8000".parse().unwrap()
        );
        assert_eq!(resolve("[::1]", 0).unwrap(), "[::1]:0".parse().unwrap());
        assert!(resolve("not a host name", 1).is_err());
    }
}
