//! What every answer carries, whatever made it, and what no request may bring in. Wrapped
//! around the session middleware, so every answer below it, errors included, goes out logged
//! and with its headers:
//! - no framing, no sniffing, no referrer (private links carry tokens), a policy that allows
//!   only this site's own styles and no scripts;
//! - `Cache-Control: no-store` unless a handler chose otherwise (only the stylesheet does):
//!   pages and answers are private or carry tokens, and a shared computer's cache must not
//!   keep them;
//! - `Strict-Transport-Security` when the service is public over https;
//! - HEAD answered as GET is, without the body;
//! - a session cookie larger than a browser keeps is dropped before the session reads it, so
//!   the request starts a fresh session instead of failing.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::web;

use super::AppState;

/// The name of the pages' session cookie.
pub const SESSION_COOKIE: &str = "recordsdesk";
/// Browsers keep cookies up to 4096 bytes; a session cookie this large did not come from a
/// session this service keeps bounded.
pub const MAX_SESSION_COOKIE: usize = 3072;

const FIXED: [(&str, &str); 4] = [
    (
        "content-security-policy",
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("x-frame-options", "DENY"),
];

/// One year, the usual for a site that is https only.
const HSTS: &str = "max-age=31536000";

/// Drops an oversized session cookie from the request's Cookie header, keeping the others.
fn drop_oversized_session(req: &mut ServiceRequest) {
    let Some(cookies) = req
        .headers()
        .get(header::COOKIE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
    else {
        return;
    };
    let prefix = format!("{SESSION_COOKIE}=");
    let oversized = cookies
        .split(';')
        .map(str::trim)
        .any(|c| c.starts_with(&prefix) && c.len() - prefix.len() > MAX_SESSION_COOKIE);
    if !oversized {
        return;
    }
    let kept: Vec<&str> = cookies
        .split(';')
        .map(str::trim)
        .filter(|c| !c.starts_with(&prefix))
        .collect();
    log::warn!(
        "[{}] an oversized session cookie was dropped; the request starts a fresh session",
        super::request_id::current()
    );
    let headers = req.headers_mut();
    headers.remove(header::COOKIE);
    if !kept.is_empty() {
        if let Ok(value) = HeaderValue::from_str(&kept.join("; ")) {
            headers.insert(header::COOKIE, value);
        }
    }
}

pub async fn middleware(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    drop_oversized_session(&mut req);
    // HEAD is GET without the body, wherever GET is answered.
    let head = req.method() == actix_web::http::Method::HEAD;
    if head {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    let https = req
        .app_data::<web::Data<AppState>>()
        .is_some_and(|state| state.app.ctx().public_url.starts_with("https://"));
    let (method, path) = (req.method().clone(), req.path().to_string());
    // Handlers' errors arrive here as responses. Only a middleware below can answer an Err
    // (the session store, which cannot fail now that a session is bounded); it is logged, but
    // no request is left to build a response with headers on (holding a clone of it would
    // stop the router from matching the path).
    let mut response = match next.call(req).await {
        Ok(response) => {
            if response.status() == StatusCode::INTERNAL_SERVER_ERROR {
                log::error!(
                    "[{}] {method} {path} answered 500",
                    super::request_id::current()
                );
            }
            response.map_into_boxed_body()
        }
        Err(e) => {
            log::error!(
                "[{}] {method} {path} failed below the handlers: {e}",
                super::request_id::current()
            );
            return Err(e);
        }
    };
    if head {
        response = response.map_body(|_, _| BoxBody::new(()));
    }
    let headers = response.headers_mut();
    for (name, value) in FIXED {
        headers.insert(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        );
    }
    if !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if https {
        headers.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    Ok(response)
}
