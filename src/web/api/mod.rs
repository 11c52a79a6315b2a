//! The JSON API, one file per resource.

pub mod datasets;
pub mod keys;
pub mod meta;
pub mod notices;
pub mod requests;
pub mod staff;

use actix_web::{web, HttpResponse, Resource, Route};

use super::error::ApiError;

/// A known address asked with a method it does not take.
async fn method_not_allowed() -> Result<HttpResponse, ApiError> {
    Err(ApiError::new(
        actix_web::http::StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this address does not take that method; see /openapi.json",
    ))
}

/// One address, one method, and 405 for every other method.
fn endpoint(path: &str, route: Route) -> Resource {
    web::resource(path)
        .route(route)
        .default_service(web::to(method_not_allowed))
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    let tn = |tail: &str| format!("/requests/{{tracking_number}}{tail}");
    cfg.service(endpoint("/requests", web::post().to(requests::submit)))
        .service(endpoint(&tn(""), web::get().to(requests::get)))
        .service(endpoint(
            &tn("/transitions"),
            web::post().to(requests::transition),
        ))
        .service(endpoint(&tn("/appeal"), web::post().to(requests::appeal)))
        .service(endpoint(
            &tn("/withdraw"),
            web::post().to(requests::withdraw),
        ))
        .service(endpoint(
            &tn("/messages"),
            web::post().to(requests::message),
        ))
        .service(endpoint(
            &tn("/extension"),
            web::post().to(requests::extend),
        ))
        .service(endpoint(&tn("/assign"), web::post().to(requests::assign)))
        .service(endpoint(&tn("/audit"), web::get().to(requests::audit)))
        .service(endpoint(&tn("/api-key"), web::post().to(keys::claim)))
        .service(endpoint(
            &tn("/api-key/revoke"),
            web::post().to(keys::revoke),
        ))
        .service(endpoint("/queue", web::get().to(staff::queue)))
        .service(endpoint("/notices/failed", web::get().to(notices::failed)))
        .service(endpoint(
            "/notices/{id}/retry",
            web::post().to(notices::retry),
        ))
        .service(endpoint("/auth/login", web::post().to(staff::login)))
        .service(endpoint("/keys/verify", web::post().to(keys::verify)))
        .service(endpoint("/datasets", web::get().to(datasets::search)))
        .service(endpoint("/datasets/{id:.*}", web::get().to(datasets::get)));
}
