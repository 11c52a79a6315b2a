//! Server-rendered pages (DESIGN.md §7): the requester's form and tracking page, the staff
//! queue and case page. They call the same workflow operations as the JSON API; forms carry a
//! CSRF token tied to the session; nothing needs JavaScript.

pub mod catalog;
pub mod charts;
pub mod documents;
pub mod forms;
pub mod public;
pub mod reports;
pub mod session;
pub mod staff;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse, ResponseError, Route};
use askama::Template;
use chrono::{DateTime, Utc};

use super::AppState;
use crate::domain::{FieldErrors, RequestKind, Status};
use crate::workflow::WorkflowError;

/// What the shared layout shows: who is signed in, the form token, how to reach the Clerk.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub staff: Option<String>,
    pub csrf: String,
    pub office_name: String,
    pub office_email: String,
    pub office_phone: String,
    pub office_address: String,
}

impl Layout {
    pub fn new(state: &AppState, csrf: String, staff: Option<String>) -> Layout {
        let office = &state.ctx.office;
        Layout {
            staff,
            csrf,
            office_name: office.name.clone(),
            office_email: office.email.clone(),
            office_phone: office.phone.clone(),
            office_address: office.address.clone(),
        }
    }
}

/// Renders a page with a status; a template that fails to render is a 500.
pub fn render(status: StatusCode, page: &impl Template) -> HttpResponse {
    match page.render() {
        Ok(body) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(body),
        Err(e) => {
            log::error!(
                "[{}] page failed to render: {e}",
                crate::web::request_id::current()
            );
            HttpResponse::InternalServerError()
                .content_type("text/plain")
                .body("Something went wrong on our side.")
        }
    }
}

pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}

#[derive(Template)]
#[template(path = "pages/error.html")]
struct ErrorPage<'a> {
    layout: &'a Layout,
    heading: &'a str,
    message: &'a str,
}

/// A page-level failure, shown as a page (never as JSON).
#[derive(Debug)]
pub enum PageError {
    NotFound(Box<Layout>),
    Forbidden(Box<Layout>, String),
    /// Too many at once: wait and try again.
    TooMany(Box<Layout>, String),
    /// Not signed in: off to the sign-in page.
    SignIn,
    Internal(Box<Layout>),
}

impl PageError {
    pub fn not_found(layout: Layout) -> PageError {
        PageError::NotFound(Box::new(layout))
    }

    pub fn forbidden(layout: Layout, message: String) -> PageError {
        PageError::Forbidden(Box::new(layout), message)
    }

    pub fn internal(layout: Layout) -> PageError {
        PageError::Internal(Box::new(layout))
    }
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl ResponseError for PageError {
    fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound(_) => StatusCode::NOT_FOUND,
            PageError::Forbidden(..) => StatusCode::FORBIDDEN,
            PageError::TooMany(..) => StatusCode::TOO_MANY_REQUESTS,
            PageError::SignIn => StatusCode::SEE_OTHER,
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let (layout, heading, message) = match self {
            PageError::SignIn => return see_other("/staff/login"),
            PageError::NotFound(layout) => (
                layout,
                "Page not found",
                "There is no such page, or the link is not valid. If you followed the private link from one of our emails, check that you used all of it.",
            ),
            PageError::Forbidden(layout, message) => (layout, "Not allowed", message.as_str()),
            PageError::TooMany(layout, message) => (layout, "Please wait", message.as_str()),
            PageError::Internal(layout) => {
                (layout, "Something went wrong", "Something went wrong on our side. It has been logged; please try again.")
            }
        };
        render(
            self.status_code(),
            &ErrorPage {
                layout,
                heading,
                message,
            },
        )
    }
}

/// Workflow failures that are not the user's input become page errors.
pub fn page_error(layout: &Layout, error: WorkflowError) -> PageError {
    match error {
        WorkflowError::NotFound => PageError::not_found(layout.clone()),
        WorkflowError::Forbidden(m) => PageError::forbidden(layout.clone(), m),
        WorkflowError::Transition(crate::domain::TransitionError::Forbidden(m)) => {
            PageError::forbidden(layout.clone(), m)
        }
        other => {
            log::error!(
                "[{}] page failed: {other}",
                crate::web::request_id::current()
            );
            PageError::internal(layout.clone())
        }
    }
}

/// What a failed step says at the top of the page it re-renders: field errors go beside their
/// fields; a refused or stale step is explained in words.
pub fn explain(error: &WorkflowError) -> (FieldErrors, String) {
    use crate::domain::TransitionError as T;
    match error {
        WorkflowError::Invalid(fields) | WorkflowError::Transition(T::Missing(fields)) => {
            (fields.clone(), String::new())
        }
        WorkflowError::Stale { .. } => (
            FieldErrors::default(),
            "Someone else changed this request while you had it open. Here it is as it stands now; please check and try again.".into(),
        ),
        other => (FieldErrors::default(), other.to_string()),
    }
}

pub fn status_words(status: Status) -> &'static str {
    match status {
        Status::Submitted => "Received, waiting for review",
        Status::UnderReview => "Under review",
        Status::Granted => "Granted",
        Status::Denied => "Denied",
        Status::Appealed => "Appealed, waiting for a reviewer",
        Status::AdministrativeReview => "Appeal under review",
        Status::Withdrawn => "Withdrawn",
    }
}

pub fn kind_words(kind: RequestKind) -> &'static str {
    match kind {
        RequestKind::PublicRecords => "Public records",
        RequestKind::DatasetAccess => "Access to a dataset",
        RequestKind::ApiAccess => "API access",
    }
}

/// "Nov 26, 2026, 9:16 AM" in the city's time zone.
pub fn local_time(state: &AppState, rfc3339: &str) -> String {
    DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| {
            t.with_timezone(&Utc)
                .with_timezone(&state.ctx.clock.tz)
                .format("%b %-d, %Y, %-I:%M %p")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_string())
}

/// The stylesheet, compiled in.
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../static/site.css"))
}

pub type PageResult = Result<HttpResponse, PageError>;

/// Every page address, as (method, path), in the order they are matched. `routes` registers
/// exactly these, so this list is the one place a page is added; the authorization matrix
/// (tests/api/authz.rs) fails for a page it has no row for.
pub const ROUTES: &[(&str, &str)] = &[
    ("GET", "/"),
    ("GET", "/static/site.css"),
    ("GET", "/datasets"),
    ("GET", "/datasets/{id:.*}"),
    ("GET", "/requests/new"),
    ("POST", "/requests/new"),
    ("GET", "/requests/{tracking_number}/filed"),
    ("GET", "/requests/{tracking_number}"),
    ("GET", "/requests/{tracking_number}/documents/{id}"),
    ("POST", "/requests/{tracking_number}/messages"),
    ("POST", "/requests/{tracking_number}/appeal"),
    ("POST", "/requests/{tracking_number}/withdraw"),
    ("POST", "/requests/{tracking_number}/api-key"),
    ("POST", "/staff/requests/{tracking_number}/api-key/revoke"),
    ("GET", "/staff"),
    ("GET", "/staff/login"),
    ("POST", "/staff/login"),
    ("POST", "/staff/logout"),
    ("GET", "/staff/queue"),
    ("GET", "/staff/requests/{tracking_number}"),
    ("GET", "/staff/requests/{tracking_number}/export.json"),
    ("POST", "/staff/requests/{tracking_number}/transition"),
    ("POST", "/staff/requests/{tracking_number}/messages"),
    ("POST", "/staff/requests/{tracking_number}/assign"),
    ("POST", "/staff/requests/{tracking_number}/extend"),
    ("POST", "/staff/requests/{tracking_number}/documents"),
    ("POST", "/staff/requests/{tracking_number}/links"),
    ("POST", "/staff/requests/{tracking_number}/release"),
    ("GET", "/staff/requests/{tracking_number}/documents/{id}"),
    ("GET", "/staff/notices"),
    ("POST", "/staff/notices/{id}/retry"),
    ("GET", "/staff/reports"),
    ("GET", "/staff/reports.csv"),
    ("GET", "/reports"),
    ("GET", "/reports.csv"),
];

/// The handler of one entry of [`ROUTES`].
fn route(method: &str, path: &str) -> Route {
    let route = match method {
        "GET" => web::get(),
        "POST" => web::post(),
        other => unreachable!("page routes are GET or POST, not {other}"),
    };
    match (method, path) {
        ("GET", "/") => route.to(public::home),
        ("GET", "/static/site.css") => route.to(stylesheet),
        ("GET", "/datasets") => route.to(catalog::list),
        ("GET", "/datasets/{id:.*}") => route.to(catalog::show),
        ("GET", "/requests/new") => route.to(public::new_request),
        ("POST", "/requests/new") => route.to(public::file_request),
        ("GET", "/requests/{tracking_number}/filed") => route.to(public::filed),
        ("GET", "/requests/{tracking_number}") => route.to(public::tracking),
        ("GET", "/requests/{tracking_number}/documents/{id}") => {
            route.to(documents::requester_download)
        }
        ("POST", "/requests/{tracking_number}/messages") => route.to(public::message),
        ("POST", "/requests/{tracking_number}/appeal") => route.to(public::appeal),
        ("POST", "/requests/{tracking_number}/withdraw") => route.to(public::withdraw),
        ("POST", "/requests/{tracking_number}/api-key") => route.to(public::claim_key),
        ("POST", "/staff/requests/{tracking_number}/api-key/revoke") => route.to(staff::revoke_key),
        ("GET", "/staff") => route.to(|| async { see_other("/staff/queue") }),
        ("GET", "/staff/login") => route.to(staff::login_page),
        ("POST", "/staff/login") => route.to(staff::login),
        ("POST", "/staff/logout") => route.to(staff::logout),
        ("GET", "/staff/queue") => route.to(staff::queue),
        ("GET", "/staff/requests/{tracking_number}") => route.to(staff::case),
        ("GET", "/staff/requests/{tracking_number}/export.json") => route.to(staff::export),
        ("POST", "/staff/requests/{tracking_number}/transition") => route.to(staff::transition),
        ("POST", "/staff/requests/{tracking_number}/messages") => route.to(staff::message),
        ("POST", "/staff/requests/{tracking_number}/assign") => route.to(staff::assign),
        ("POST", "/staff/requests/{tracking_number}/extend") => route.to(staff::extend),
        ("POST", "/staff/requests/{tracking_number}/documents") => route.to(documents::attach),
        ("POST", "/staff/requests/{tracking_number}/links") => route.to(documents::attach_link),
        ("POST", "/staff/requests/{tracking_number}/release") => route.to(documents::release),
        ("GET", "/staff/requests/{tracking_number}/documents/{id}") => {
            route.to(documents::staff_download)
        }
        ("GET", "/staff/notices") => route.to(staff::notices),
        ("POST", "/staff/notices/{id}/retry") => route.to(staff::retry_notice),
        ("GET", "/staff/reports") => route.to(reports::staff_page),
        ("GET", "/staff/reports.csv") => route.to(reports::staff_csv),
        ("GET", "/reports") => route.to(reports::public_page),
        ("GET", "/reports.csv") => route.to(reports::public_csv),
        _ => unreachable!("the page route {method} {path} has no handler"),
    }
}

pub fn routes(cfg: &mut web::ServiceConfig) {
    for &(method, path) in ROUTES {
        cfg.route(path, route(method, path));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_page_route_has_a_handler_and_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for &(method, path) in ROUTES {
            assert!(
                seen.insert((method, path)),
                "{method} {path} is listed twice"
            );
            // Panics for an entry without a handler.
            let _ = route(method, path);
        }
    }
}
