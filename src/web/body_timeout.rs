//! A request body must keep arriving. actix bounds how long the request head may take
//! (`client_request_timeout`) but not the body: a client that sends its headers and one byte of
//! a promised body would hold the connection, and the handler reading it, for ever. Here the
//! body is read through a timer: no byte for `server.body_read_timeout_seconds` — or, for a
//! JSON or form body, not all of it within that time — ends the read, and the answer is 408
//! with the connection closed. Uploads (multipart) only need to keep moving: a large file on a
//! slow line may take longer than the timeout as a whole.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::{header, ConnectionType, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{HttpMessage, ResponseError};
use futures::Stream;
use tokio::time::{sleep, Instant, Sleep};

use super::error::ApiError;

/// The body as the handler reads it, with its timers.
struct Timed {
    inner: actix_web::dev::Payload,
    idle: Duration,
    quiet: Pin<Box<Sleep>>,
    deadline: Option<Pin<Box<Sleep>>>,
    timed_out: Rc<Cell<bool>>,
}

impl Stream for Timed {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        match Pin::new(&mut this.inner).poll_next(cx) {
            Poll::Ready(Some(Ok(bytes))) => {
                let idle = this.idle;
                this.quiet.as_mut().reset(Instant::now() + idle);
                Poll::Ready(Some(Ok(bytes)))
            }
            Poll::Ready(other) => Poll::Ready(other),
            Poll::Pending => {
                let quiet = this.quiet.as_mut().poll(cx).is_ready();
                let late = this
                    .deadline
                    .as_mut()
                    .is_some_and(|d| d.as_mut().poll(cx).is_ready());
                if quiet || late {
                    this.timed_out.set(true);
                    let error = std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the request body stopped arriving",
                    );
                    Poll::Ready(Some(Err(PayloadError::Io(error))))
                } else {
                    Poll::Pending
                }
            }
        }
    }
}

fn is_upload(req: &ServiceRequest) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim_start()
                .to_ascii_lowercase()
                .starts_with("multipart/")
        })
}

/// Reads the body through the timers; a body that timed out is answered 408 and its
/// connection closed, whatever the handler made of the failed read.
pub async fn middleware(
    timeout: Duration,
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let timed_out = Rc::new(Cell::new(false));
    let deadline = (!is_upload(&req)).then(|| Box::pin(sleep(timeout)));
    let timed = Timed {
        inner: req.take_payload(),
        idle: timeout,
        quiet: Box::pin(sleep(timeout)),
        deadline,
        timed_out: timed_out.clone(),
    };
    req.set_payload(actix_web::dev::Payload::Stream {
        payload: Box::pin(timed),
    });
    let response = next.call(req).await;
    if !timed_out.get() {
        return response.map(ServiceResponse::map_into_boxed_body);
    }
    let request = match &response {
        Ok(res) => res.request().clone(),
        Err(_) => return response.map(ServiceResponse::map_into_boxed_body),
    };
    log::warn!(
        "[{}] a request body stopped arriving; answered 408",
        super::request_id::current()
    );
    let mut answer = ApiError::new(
        StatusCode::REQUEST_TIMEOUT,
        "request_timeout",
        "the request body did not arrive in time",
    )
    .error_response();
    answer.head_mut().set_connection_type(ConnectionType::Close);
    Ok(ServiceResponse::new(request, answer))
}
