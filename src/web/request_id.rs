//! A request ID on every answer (`X-Request-Id`) and in every log line written while the
//! request is handled, so one failing request can be followed through the log. A caller's
//! own ID (a gateway's) is kept when it is a short plain token; anything else is replaced.

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::Next;

pub const HEADER: &str = "x-request-id";

tokio::task_local! {
    static CURRENT: String;
}

/// The ID of the request being handled on this task, or "-" outside one.
pub fn current() -> String {
    CURRENT
        .try_with(|id| id.clone())
        .unwrap_or_else(|_| "-".into())
}

fn acceptable(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.')
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let id = req
        .headers()
        .get(HEADER)
        .and_then(|v| v.to_str().ok())
        .filter(|id| acceptable(id))
        .map(str::to_owned)
        .unwrap_or_else(|| crate::secrets::random_hex(8));
    let mut response = CURRENT.scope(id.clone(), next.call(req)).await?;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response
            .headers_mut()
            .insert(HeaderName::from_static(HEADER), value);
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_short_plain_ids_are_taken_from_the_caller() {
        assert!(acceptable("3f9a-01_b.c"));
        assert!(!acceptable(""));
        assert!(!acceptable(&"a".repeat(65)));
        for bad in ["a b", "a\r\nSet-Cookie: x", "ünï", "a;b"] {
            assert!(!acceptable(bad), "{bad:?}");
        }
    }
}
