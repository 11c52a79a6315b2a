//! The JSON API, one file per resource, and its one route table.

pub mod admin;
pub mod bucket_download;
pub mod complaints;
pub mod datasets;
pub mod documents;
pub mod fees;
pub mod fields;
pub mod files;
pub mod intake;
pub mod keys;
pub mod letters;
pub mod mail;
pub mod meta;
pub mod notices;
pub mod reading_room;
pub mod requests;
pub mod schemas;
pub mod search;
pub mod staff;
pub mod whole;
pub mod wire;
pub mod words;

use actix_web::http::header::{HeaderValue, ALLOW};
use actix_web::{web, HttpResponse, Resource, ResponseError, Route};
use utoipa::OpenApi;

use super::error::ApiError;

use super::openapi::{RequiredQuery, SecuritySchemes, SharedAnswers};

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
    // HEAD is answered wherever GET is (`harden`).
    let allow = if method == "GET" { "GET, HEAD" } else { method };
    web::resource(path)
        .route(route)
        .default_service(web::to(move || async move { method_not_allowed(allow) }))
}

/// The API's one route table: each line registers the address with actix, lists its handler
/// in the OpenAPI document (`#[utoipa::path]` on the handler says the rest), and names it for
/// the authorization matrix (tests/api/authz.rs), which fails for a route without a row.
macro_rules! routes {
    ($($method:ident $path:literal => $($handler:ident)::+;)*) => {
        /// Every address the API serves, as (method, path).
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        /// Registers every address of [`ROUTES`].
        pub fn routes(cfg: &mut web::ServiceConfig) {
            $(cfg.service(endpoint($path, stringify!($method), method!($method).to($($handler)::+)));)*
        }

        /// The OpenAPI document, assembled from the handlers' annotations.
        #[derive(OpenApi)]
        #[openapi(
            info(
                title = "recordsdesk",
                description = "Public records and open-data access requests: file, track, decide, appeal. \
                               Every error answers `{\"error\": code, \"message\": text}` (ErrorBody)."
            ),
            paths($($($handler)::+),*),
            components(schemas(super::error::ErrorBody)),
            modifiers(&SecuritySchemes, &SharedAnswers, &RequiredQuery),
            tags(
                (name = "requests", description = "Filing and working requests"),
                (name = "complaints", description = "Records and compliance complaints to a department, and the departments"),
                (name = "fees", description = "Fees for a granted request's copies: the schedule, estimates, the requester's answer, payments, waivers and refunds (whole US cents)"),
                (name = "documents", description = "Records released to the requester: files and links"),
                (name = "staff", description = "Sign-in and queues"),
                (name = "catalog", description = "Datasets"),
                (name = "keys", description = "API keys granted through api_access requests"),
                (name = "mail", description = "Email received for requests: from the mail server, and unmatched mail for staff"),
                (name = "admin", description = "Staff accounts, the department directory and holidays (admins)"),
                (name = "reading_room", description = "The public reading room of released records: staff publish, keep out or withdraw a request; anyone searches what is published"),
                (name = "meta", description = "Health and this document"),
            )
        )]
        pub struct ApiDoc;
    };
}

routes! {
    POST "/api/v1/requests" => requests::submit;
    POST "/api/v1/complaints" => complaints::file;
    GET "/api/v1/departments" => complaints::departments;
    POST "/api/v1/intake" => intake::record;
    GET "/api/v1/requests/{tracking_number}" => requests::get;
    POST "/api/v1/requests/{tracking_number}/transitions" => requests::transition;
    POST "/api/v1/requests/{tracking_number}/appeal" => requests::appeal;
    POST "/api/v1/requests/{tracking_number}/withdraw" => requests::withdraw;
    POST "/api/v1/requests/{tracking_number}/messages" => requests::message;
    POST "/api/v1/requests/{tracking_number}/files" => files::send;
    GET "/api/v1/requests/{tracking_number}/files/{id}" => files::download;
    POST "/api/v1/requests/{tracking_number}/notes" => requests::note;
    POST "/api/v1/requests/{tracking_number}/assistance" => requests::assist;
    POST "/api/v1/requests/{tracking_number}/extension" => requests::extend;
    POST "/api/v1/requests/{tracking_number}/assign" => requests::assign;
    POST "/api/v1/requests/{tracking_number}/department" => complaints::reroute;
    POST "/api/v1/requests/{tracking_number}/production" => requests::production;
    POST "/api/v1/requests/{tracking_number}/reopen" => requests::reopen;
    POST "/api/v1/requests/{tracking_number}/fees/estimate" => fees::estimate;
    POST "/api/v1/requests/{tracking_number}/fees/answer" => fees::answer;
    POST "/api/v1/requests/{tracking_number}/fees/payments" => fees::payment;
    POST "/api/v1/requests/{tracking_number}/fees/waivers" => fees::waiver;
    POST "/api/v1/requests/{tracking_number}/fees/refunds" => fees::refund;
    GET "/api/v1/fee-schedule" => fees::schedule;
    GET "/api/v1/requests/{tracking_number}/audit" => requests::audit;
    GET "/api/v1/requests/{tracking_number}/letters" => letters::list;
    GET "/api/v1/requests/{tracking_number}/letters/{seq}/{notice}" => letters::pdf;
    POST "/api/v1/requests/{tracking_number}/documents" => documents::attach;
    GET "/api/v1/requests/{tracking_number}/documents/{id}" => documents::download;
    POST "/api/v1/requests/{tracking_number}/links" => documents::attach_link;
    POST "/api/v1/requests/{tracking_number}/release" => documents::release;
    POST "/api/v1/requests/{tracking_number}/api-key" => keys::claim;
    POST "/api/v1/requests/{tracking_number}/api-key/revoke" => keys::revoke;
    POST "/api/v1/requests/{tracking_number}/api-key/replacement" => keys::ask_replacement;
    POST "/api/v1/requests/{tracking_number}/api-key/replacement/approve" => keys::approve_replacement;
    POST "/api/v1/requests/{tracking_number}/private-links/revoke" => requests::revoke_links;
    POST "/api/v1/requests/{tracking_number}/publication" => reading_room::decide;
    GET "/api/v1/reading-room" => reading_room::search;
    GET "/api/v1/queue" => staff::queue;
    GET "/api/v1/search" => search::search;
    POST "/api/v1/bulk-actions" => search::bulk;
    GET "/api/v1/notices/failed" => notices::failed;
    POST "/api/v1/notices/{id}/retry" => notices::retry;
    POST "/api/v1/auth/login" => staff::login;
    POST "/api/v1/auth/logout" => staff::logout;
    POST "/api/v1/auth/password" => admin::set_password;
    GET "/api/v1/admin/staff" => admin::list_staff;
    POST "/api/v1/admin/staff/new" => admin::invite;
    GET "/api/v1/admin/staff/{id}" => admin::get_staff;
    POST "/api/v1/admin/staff/{id}/details" => admin::change_staff;
    POST "/api/v1/admin/staff/{id}/disable" => admin::disable_staff;
    POST "/api/v1/admin/staff/{id}/enable" => admin::enable_staff;
    POST "/api/v1/admin/staff/{id}/password-reset" => admin::reset_password;
    GET "/api/v1/admin/departments" => admin::departments;
    POST "/api/v1/admin/departments/new" => admin::add_department;
    GET "/api/v1/admin/departments/{queue}" => admin::get_department;
    POST "/api/v1/admin/departments/{queue}/details" => admin::change_department;
    GET "/api/v1/admin/holidays" => admin::holidays;
    POST "/api/v1/admin/holidays/changes" => admin::change_holiday;
    POST "/api/v1/keys/verify" => keys::verify;
    POST "/api/v1/mail/inbound" => mail::inbound;
    GET "/api/v1/mail/unmatched" => mail::unmatched;
    GET "/api/v1/mail/{id}/raw" => mail::raw;
    POST "/api/v1/mail/{id}/attach" => mail::attach;
    POST "/api/v1/mail/{id}/discard" => mail::discard;
    GET "/api/v1/datasets" => datasets::search;
    GET "/api/v1/datasets/{id:.*}" => datasets::get;
    GET "/healthz" => meta::healthz;
    GET "/openapi.json" => meta::openapi_json;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_api_path_takes_one_method_and_is_in_the_document() {
        let mut paths = std::collections::HashSet::new();
        let document = ApiDoc::openapi();
        for &(method, path) in ROUTES {
            // `endpoint` answers 405 for every other method, so a path takes one method.
            assert!(paths.insert(path), "{path} is listed twice");
            let documented = path.replace("{id:.*}", "{id}");
            let item = document
                .paths
                .paths
                .get(&documented)
                .unwrap_or_else(|| panic!("{method} {path} is not in the OpenAPI document"));
            let operation = match method {
                "GET" => item.get.as_ref(),
                "POST" => item.post.as_ref(),
                other => panic!("{other} is not a method the API takes"),
            };
            assert!(
                operation.is_some(),
                "{method} {path} is documented with another method"
            );
        }
        assert_eq!(document.paths.paths.len(), ROUTES.len());
    }
}
