//! What the OpenAPI document (`api::ApiDoc`, from the route table) says beyond the handlers'
//! annotations: the three token schemes, and the answers every operation of a kind can give
//! (a body that is not JSON, a missing token, an unknown address), which come from shared
//! extractors and so are added here, once, for each operation with a body, a token or a
//! path parameter.

use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::response::ResponseBuilder;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, ObjectBuilder, Ref, RefOr, Type};
use utoipa::Modify;

use super::api;

/// The three kinds of bearer token: a requester's private access token, a staff token from
/// `POST /api/v1/auth/login`, and the API gateway's token.
pub struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        let bearer = |format: &str, description: &str| {
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format(format)
                    .description(Some(description))
                    .build(),
            )
        };
        components.add_security_scheme(
            "requester",
            bearer(
                "rdr_…",
                "A private link's token, from the answer to POST /api/v1/requests or the link \
                 in any email to the requester; it opens that one request until staff revoke it",
            ),
        );
        components.add_security_scheme(
            "staff",
            bearer("rds_…", "A staff token from POST /api/v1/auth/login"),
        );
        components.add_security_scheme(
            "mail_server",
            bearer(
                "opaque",
                "The city mail server's token (RECORDSDESK_MAIL_INGEST_TOKEN)",
            ),
        );
        components.add_security_scheme(
            "gateway",
            bearer(
                "opaque",
                "The city API gateway's token (RECORDSDESK_GATEWAY_TOKEN)",
            ),
        );
    }
}

/// Query parameters an operation cannot do without, though read as optional (so that who
/// calls is checked before what they sent): utoipa leaves `required` unset for a parameter
/// whose schema is given by `schema_with`.
pub struct RequiredQuery;

const REQUIRED_QUERY: &[(&str, &str)] = &[("/api/v1/search", "q")];

impl Modify for RequiredQuery {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, name) in REQUIRED_QUERY {
            let Some(item) = openapi.paths.paths.get_mut(*path) else {
                continue;
            };
            let parameters = item.get.iter_mut().flat_map(|op| op.parameters.iter_mut());
            for parameter in parameters.flatten() {
                if let RefOr::T(p) = parameter {
                    if p.name == *name && p.parameter_in == ParameterIn::Query {
                        p.required = utoipa::openapi::Required::True;
                    }
                }
            }
        }
    }
}

/// Error answers that follow from an operation's shape rather than from its handler.
pub struct SharedAnswers;

fn error_answer(description: &str) -> RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .into()
}

fn add_answer(operation: &mut Operation, status: &str, description: &str) {
    operation
        .responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| error_answer(description));
}

impl Modify for SharedAnswers {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let operations = [
                item.get.as_mut(),
                item.post.as_mut(),
                item.put.as_mut(),
                item.patch.as_mut(),
                item.delete.as_mut(),
            ];
            for operation in operations.into_iter().flatten() {
                if !path.starts_with("/api/") {
                    continue;
                }
                if operation.request_body.is_some() {
                    add_answer(operation, "400", "The body is not valid JSON");
                    add_answer(operation, "413", "The body is too large");
                    add_answer(
                        operation,
                        "415",
                        "The body is not sent as Content-Type: application/json",
                    );
                    add_answer(
                        operation,
                        "422",
                        "The body does not fit, or fields are missing or invalid (see `fields`)",
                    );
                }
                if operation.security.as_ref().is_some_and(|s| !s.is_empty()) {
                    add_answer(operation, "401", "No token, or one that is not valid");
                }
                let has_path_parameter = operation
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| matches!(p, RefOr::T(p) if p.parameter_in == ParameterIn::Path));
                if has_path_parameter {
                    add_answer(
                        operation,
                        "404",
                        "Nothing at this address is visible to you",
                    );
                }
                for parameter in operation.parameters.iter_mut().flatten() {
                    let RefOr::T(parameter) = parameter else {
                        continue;
                    };
                    if parameter.name == "tracking_number" {
                        parameter.schema = Some(tracking_number().into());
                    }
                }
            }
        }
    }
}

fn tracking_number() -> utoipa::openapi::Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(api::fields::TRACKING_NUMBER))
        .examples(["RR-2026-00042"])
        .description(Some("A tracking number, e.g. RR-2026-00042"))
        .build()
}
