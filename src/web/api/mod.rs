//! The JSON API, one file per resource.

pub mod datasets;
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

fn post(path: &str, route: Route) -> Resource {
    endpoint(path, "POST", route)
}

/// `/healthz` and `/openapi.json`, outside `/api/v1`.
pub fn meta_routes(cfg: &mut web::ServiceConfig) {
    cfg.service(get("/healthz", web::get().to(meta::healthz)))
        .service(get("/openapi.json", web::get().to(meta::openapi_json)));
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    let tn = |tail: &str| format!("/requests/{{tracking_number}}{tail}");
    cfg.service(post("/requests", web::post().to(requests::submit)))
        .service(get(&tn(""), web::get().to(requests::get)))
        .service(post(
            &tn("/transitions"),
            web::post().to(requests::transition),
        ))
        .service(post(&tn("/appeal"), web::post().to(requests::appeal)))
        .service(post(&tn("/withdraw"), web::post().to(requests::withdraw)))
        .service(post(&tn("/messages"), web::post().to(requests::message)))
        .service(post(&tn("/extension"), web::post().to(requests::extend)))
        .service(post(&tn("/assign"), web::post().to(requests::assign)))
        .service(get(&tn("/audit"), web::get().to(requests::audit)))
        .service(post(&tn("/api-key"), web::post().to(keys::claim)))
        .service(post(&tn("/api-key/revoke"), web::post().to(keys::revoke)))
        .service(get("/queue", web::get().to(staff::queue)))
        .service(get("/notices/failed", web::get().to(notices::failed)))
        .service(post("/notices/{id}/retry", web::post().to(notices::retry)))
        .service(post("/auth/login", web::post().to(staff::login)))
        .service(post("/keys/verify", web::post().to(keys::verify)))
        .service(get("/datasets", web::get().to(datasets::search)))
        .service(get("/datasets/{id:.*}", web::get().to(datasets::get)));
}
