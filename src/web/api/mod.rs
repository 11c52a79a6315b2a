//! The JSON API, one file per resource.

pub mod datasets;
pub mod keys;
pub mod meta;
pub mod notices;
pub mod requests;
pub mod staff;

use actix_web::web;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/requests", web::post().to(requests::submit))
        .route("/requests/{tracking_number}", web::get().to(requests::get))
        .route(
            "/requests/{tracking_number}/transitions",
            web::post().to(requests::transition),
        )
        .route(
            "/requests/{tracking_number}/appeal",
            web::post().to(requests::appeal),
        )
        .route(
            "/requests/{tracking_number}/withdraw",
            web::post().to(requests::withdraw),
        )
        .route(
            "/requests/{tracking_number}/messages",
            web::post().to(requests::message),
        )
        .route(
            "/requests/{tracking_number}/extension",
            web::post().to(requests::extend),
        )
        .route(
            "/requests/{tracking_number}/assign",
            web::post().to(requests::assign),
        )
        .route(
            "/requests/{tracking_number}/audit",
            web::get().to(requests::audit),
        )
        .route("/queue", web::get().to(staff::queue))
        .route("/notices/failed", web::get().to(notices::failed))
        .route("/notices/{id}/retry", web::post().to(notices::retry))
        .route("/auth/login", web::post().to(staff::login))
        .route(
            "/requests/{tracking_number}/api-key",
            web::post().to(keys::claim),
        )
        .route(
            "/requests/{tracking_number}/api-key/revoke",
            web::post().to(keys::revoke),
        )
        .route("/keys/verify", web::post().to(keys::verify))
        .route("/datasets", web::get().to(datasets::search))
        .route("/datasets/{id:.*}", web::get().to(datasets::get));
}
