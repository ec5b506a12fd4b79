//! Connections: the accept loop, with a cap on open connections, and HTTP/1.1 on each with
//! timeouts for clients that send or read too slowly.
//!
//! - At most [`MAX_CONNECTIONS`] are open; further ones wait in the listening socket's queue
//!   until one closes.
//! - A request's headers must arrive within [`HEADER_TIMEOUT`] of the connection's start or
//!   of the previous answer; the same timeout closes idle keep-alive connections.
//! - An answer the client leaves unread for [`SEND_TIMEOUT`] ends the connection.
//! - Request bodies are read by [`super::http`], with their own timeout and byte budget.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};
use std::time::Duration;

use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Semaphore;
use tokio::time::Sleep;

use super::http::App;
use super::{HEADER_TIMEOUT, MAX_CONNECTIONS, SEND_TIMEOUT};

/// Bytes of a connection's read buffer at most (headers included).
const READ_BUFFER_BYTES: usize = 64 * 1024;

/// Accepts and serves connections until the process ends.
pub async fn serve(listener: TcpListener, app: Arc<App>) {
    let open = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(HEADER_TIMEOUT)
        .keep_alive(true)
        .max_buf_size(READ_BUFFER_BYTES);
    let router = super::http::router(app.clone());
    loop {
        // Never closed: the semaphore lives as long as this loop.
        let Ok(slot) = open.clone().acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of file descriptors or a connection reset before it was accepted: wait a
            // little rather than spin, and go on.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let _ = stream.set_nodelay(true);
        let connection = builder.serve_connection(
            TokioIo::new(SendTimeout::new(stream, SEND_TIMEOUT)),
            TowerToHyperService::new(router.clone()),
        );
        let stats = app.clone();
        stats.stats.connections.fetch_add(1, Ordering::Relaxed);
        tokio::spawn(async move {
            // A client that goes away or breaks the protocol ends its connection: nothing
            // to report.
            let _ = connection.await;
            stats.stats.connections.fetch_sub(1, Ordering::Relaxed);
            drop(slot);
        });
    }
}

/// A TCP stream whose writes fail once they have been blocked for `limit`: a client that
/// stops reading its answer is disconnected.
struct SendTimeout {
    inner: TcpStream,
    limit: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl SendTimeout {
    fn new(inner: TcpStream, limit: Duration) -> Self {
        SendTimeout {
            inner,
            limit,
            stalled: None,
        }
    }

    /// The outcome of a write: progress clears the clock, a blocked write starts it (or
    /// fails once it has run out).
    fn watch<T>(&mut self, cx: &mut Context<'_>, poll: Poll<io::Result<T>>) -> Poll<io::Result<T>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let limit = self.limit;
        let clock = self
            .stalled
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match clock.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading its answer",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncRead for SendTimeout {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for SendTimeout {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.watch(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.watch(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.watch(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}
