//! Server-rendered pages (DESIGN.md §7): the requester's form and tracking page, the staff
//! queue and case page. They call the same workflow operations as the JSON API; forms carry a
//! CSRF token tied to the session; nothing needs JavaScript.

pub mod catalog;
pub mod forms;
pub mod public;
pub mod session;
pub mod staff;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse, ResponseError};
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

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/", web::get().to(public::home))
        .route("/static/site.css", web::get().to(stylesheet))
        .route("/datasets", web::get().to(catalog::list))
        .route("/datasets/{id:.*}", web::get().to(catalog::show))
        .route("/requests/new", web::get().to(public::new_request))
        .route("/requests/new", web::post().to(public::file_request))
        .route(
            "/requests/{tracking_number}/filed",
            web::get().to(public::filed),
        )
        .route(
            "/requests/{tracking_number}",
            web::get().to(public::tracking),
        )
        .route(
            "/requests/{tracking_number}/messages",
            web::post().to(public::message),
        )
        .route(
            "/requests/{tracking_number}/appeal",
            web::post().to(public::appeal),
        )
        .route(
            "/requests/{tracking_number}/withdraw",
            web::post().to(public::withdraw),
        )
        .route(
            "/requests/{tracking_number}/api-key",
            web::post().to(public::claim_key),
        )
        .route(
            "/staff/requests/{tracking_number}/api-key/revoke",
            web::post().to(staff::revoke_key),
        )
        .route(
            "/staff",
            web::get().to(|| async { see_other("/staff/queue") }),
        )
        .route("/staff/login", web::get().to(staff::login_page))
        .route("/staff/login", web::post().to(staff::login))
        .route("/staff/logout", web::post().to(staff::logout))
        .route("/staff/queue", web::get().to(staff::queue))
        .route(
            "/staff/requests/{tracking_number}",
            web::get().to(staff::case),
        )
        .route(
            "/staff/requests/{tracking_number}/export.json",
            web::get().to(staff::export),
        )
        .route(
            "/staff/requests/{tracking_number}/transition",
            web::post().to(staff::transition),
        )
        .route(
            "/staff/requests/{tracking_number}/messages",
            web::post().to(staff::message),
        )
        .route(
            "/staff/requests/{tracking_number}/assign",
            web::post().to(staff::assign),
        )
        .route(
            "/staff/requests/{tracking_number}/extend",
            web::post().to(staff::extend),
        )
        .route("/staff/notices", web::get().to(staff::notices))
        .route(
            "/staff/notices/{id}/retry",
            web::post().to(staff::retry_notice),
        );
}

pub type PageResult = Result<HttpResponse, PageError>;
