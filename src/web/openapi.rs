//! The OpenAPI document, assembled from the handlers' annotations.

use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use super::api;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "recordsdesk",
        description = "Public records and open-data access requests: file, track, decide, appeal."
    ),
    paths(
        api::requests::submit,
        api::requests::get,
        api::requests::transition,
        api::requests::appeal,
        api::requests::withdraw,
        api::requests::message,
        api::requests::extend,
        api::requests::assign,
        api::requests::audit,
        api::staff::login,
        api::staff::queue,
        api::notices::failed,
        api::notices::retry,
        api::keys::claim,
        api::keys::revoke,
        api::keys::verify,
        api::datasets::search,
        api::datasets::get,
        api::meta::healthz,
        api::meta::openapi_json,
    ),
    modifiers(&BearerAuth),
    tags(
        (name = "requests", description = "Filing and working requests"),
        (name = "staff", description = "Sign-in and queues"),
        (name = "catalog", description = "Datasets"),
        (name = "keys", description = "API keys granted through api_access requests"),
        (name = "meta", description = "Health and this document"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}
