//! The JSON API, one file per resource.

pub mod datasets;
pub mod documents;
pub mod fields;
pub mod keys;
pub mod meta;
pub mod notices;
pub mod requests;
pub mod staff;
pub mod whole;

use actix_web::http::header::{HeaderValue, ALLOW};
use actix_web::{web, HttpResponse, Resource, ResponseError, Route};

use super::error::ApiError;

/// A known address asked with a method it does not take: 405, naming the one it does take.
fn method_not_allowed(allow: &'static str) -> HttpResponse {
    let mut response = ApiError::new(
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!("this address takes {allow} only; see /openapi.json"),
    )
    .error_response();
    response
        .headers_mut()
        .insert(ALLOW, HeaderValue::from_static(allow));
    response
}

/// One address, one method, and 405 for every other method.
fn endpoint(path: &str, method: &'static str, route: Route) -> Resource {
    web::resource(path)
        .route(route)
        .default_service(web::to(move || async move { method_not_allowed(method) }))
}

fn get(path: &str, route: Route) -> Resource {
    endpoint(path, "GET", route)
}

/// `/healthz` and `/openapi.json`, outside `/api/v1`.
pub fn meta_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(get("/healthz", web::get().to(meta::healthz)))
        .service(get("/openapi.json", web::get().to(meta::openapi_json)));
}

/// Every API address under `/api/v1`, as (method, path). `routes` registers exactly these;
/// the authorization matrix (tests/api/authz.rs) checks the OpenAPI document lists each one
/// and that it has a row for each.
pub const ROUTES: &[(&str, &str)] = &[
    ("POST", "/requests"),
    ("GET", "/requests/{tracking_number}"),
    ("POST", "/requests/{tracking_number}/transitions"),
    ("POST", "/requests/{tracking_number}/appeal"),
    ("POST", "/requests/{tracking_number}/withdraw"),
    ("POST", "/requests/{tracking_number}/messages"),
    ("POST", "/requests/{tracking_number}/extension"),
    ("POST", "/requests/{tracking_number}/assign"),
    ("GET", "/requests/{tracking_number}/audit"),
    ("POST", "/requests/{tracking_number}/documents"),
    ("GET", "/requests/{tracking_number}/documents/{id}"),
    ("POST", "/requests/{tracking_number}/links"),
    ("POST", "/requests/{tracking_number}/release"),
    ("POST", "/requests/{tracking_number}/api-key"),
    ("POST", "/requests/{tracking_number}/api-key/revoke"),
    ("GET", "/queue"),
    ("GET", "/notices/failed"),
    ("POST", "/notices/{id}/retry"),
    ("POST", "/auth/login"),
    ("POST", "/keys/verify"),
    ("GET", "/datasets"),
    ("GET", "/datasets/{id:.*}"),
];

/// The handler of one entry of [`ROUTES`].
fn route(method: &str, path: &str) -> Route {
    let route = match method {
        "GET" => web::get(),
        "POST" => web::post(),
        other => unreachable!("API routes are GET or POST, not {other}"),
    };
    match (method, path) {
        ("POST", "/requests") => route.to(requests::submit),
        ("GET", "/requests/{tracking_number}") => route.to(requests::get),
        ("POST", "/requests/{tracking_number}/transitions") => route.to(requests::transition),
        ("POST", "/requests/{tracking_number}/appeal") => route.to(requests::appeal),
        ("POST", "/requests/{tracking_number}/withdraw") => route.to(requests::withdraw),
        ("POST", "/requests/{tracking_number}/messages") => route.to(requests::message),
        ("POST", "/requests/{tracking_number}/extension") => route.to(requests::extend),
        ("POST", "/requests/{tracking_number}/assign") => route.to(requests::assign),
        ("GET", "/requests/{tracking_number}/audit") => route.to(requests::audit),
        ("POST", "/requests/{tracking_number}/documents") => route.to(documents::attach),
        ("GET", "/requests/{tracking_number}/documents/{id}") => route.to(documents::download),
        ("POST", "/requests/{tracking_number}/links") => route.to(documents::attach_link),
        ("POST", "/requests/{tracking_number}/release") => route.to(documents::release),
        ("POST", "/requests/{tracking_number}/api-key") => route.to(keys::claim),
        ("POST", "/requests/{tracking_number}/api-key/revoke") => route.to(keys::revoke),
        ("GET", "/queue") => route.to(staff::queue),
        ("GET", "/notices/failed") => route.to(notices::failed),
        ("POST", "/notices/{id}/retry") => route.to(notices::retry),
        ("POST", "/auth/login") => route.to(staff::login),
        ("POST", "/keys/verify") => route.to(keys::verify),
        ("GET", "/datasets") => route.to(datasets::search),
        ("GET", "/datasets/{id:.*}") => route.to(datasets::get),
        _ => unreachable!("the API route {method} {path} has no handler"),
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    for &(method, path) in ROUTES {
        cfg.service(endpoint(path, method, route(method, path)));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_api_route_has_a_handler_and_one_method() {
        let mut paths = std::collections::HashSet::new();
        for &(method, path) in ROUTES {
            // `endpoint` answers 405 for every other method, so a path takes one method.
            assert!(paths.insert(path), "{path} is listed twice");
            // Panics for an entry without a handler.
            let _ = route(method, path);
        }
    }
}
