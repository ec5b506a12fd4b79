//! `hopfield serve`: the interactive explorer, one page and a JSON API.
//!
//! The server is stateless: the page keeps the stored patterns and the current state and
//! sends them with every request; the Rust engine does every computation (recall with
//! per-step energy and overlaps, generators, noise, the weight image). The page's files are
//! embedded in the binary ([`assets`]), so the explorer works offline.
//!
//! Requests run on a small current-thread tokio runtime; each computation runs on a
//! blocking thread, at most [`CONCURRENT_JOBS`] at once, and is bounded in work and memory
//! by the limits of [`api`] (documented in docs/api.md).

pub mod api;
pub mod assets;
mod http;

use std::io::Write;
use std::net::{SocketAddr, ToSocketAddrs};

use anyhow::{Context, Result};

use crate::cli::ServeArgs;

/// How many computations may run at once; later requests wait for a slot.
pub const CONCURRENT_JOBS: usize = 2;

/// Serves the explorer until interrupted.
///
/// Prints `serving the explorer on http://ADDR/` on stdout (and flushes it) once the socket
/// is bound, so that a caller that passed `--port 0` can read the port.
pub fn run(args: &ServeArgs) -> Result<()> {
    let addr = resolve(&args.host, args.port)?;
    let listener = std::net::TcpListener::bind(addr)
        .with_context(|| format!("cannot listen on {addr} (is the port in use?)"))?;
    listener.set_nonblocking(true)?;
    let local = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
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
        axum::serve(listener, http::router())
            .await
            .context("the server stopped")
    })
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
