//! Server-rendered pages (docs/PRODUCT.md): the requester's form and tracking page, the staff
//! queue and case page, the catalog and the reports. They call the same `App` operations as
//! the JSON API, reading their forms into the same raw commands; forms carry a CSRF token tied
//! to the session; nothing needs JavaScript. One file per page under `public/` and `staff/`.

pub mod catalog;
pub mod charts;
pub mod confirm;
pub mod fees;
pub mod forms;
pub mod letters;
pub mod plain;
pub mod problem;
pub mod public;
pub mod reports;
pub mod session;
pub mod staff;
pub mod timeline;

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use chrono::NaiveDateTime;

pub use problem::{PageError, Problem};

use super::AppState;
use crate::domain::{RequestKind, Status};

/// What the shared layout shows: who is signed in, the form token, how to reach the Clerk.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    pub staff: Option<String>,
    /// The signed-in staff member is an admin: the navigation offers Administration.
    pub admin: bool,
    pub csrf: String,
    pub office_name: String,
    pub office_email: String,
    pub office_phone: String,
    pub office_address: String,
    /// The wording of the page's fixed text, in the reader's language.
    pub t: crate::wording::Words,
    /// The language switch of a public page: each language, with the address that chooses it
    /// and comes back here.
    pub languages: Vec<LanguageLink>,
}

/// One language in the switch: its own name's message, its code, and whether it is the page's.
#[derive(Debug, Clone)]
pub struct LanguageLink {
    pub name_id: &'static str,
    pub code: &'static str,
    pub href: String,
    pub current: bool,
}

/// None on a staff page, which is in English.
fn language_links(page: crate::wording::Language) -> Vec<LanguageLink> {
    use crate::wording::Language;
    let here = crate::web::language::here();
    let path = here.split('?').next().unwrap_or_default();
    if crate::web::language::is_staff_page(path) {
        return Vec::new();
    }
    let back: String = url::form_urlencoded::byte_serialize(here.as_bytes()).collect();
    Language::ALL
        .into_iter()
        .map(|language| LanguageLink {
            name_id: match language {
                Language::English => "page-language-english",
                Language::Spanish => "page-language-spanish",
            },
            code: language.code(),
            href: format!("/language/{}?back={back}", language.code()),
            current: language == page,
        })
        .collect()
}

impl Layout {
    pub fn new(state: &AppState, csrf: String, staff: Option<String>) -> Layout {
        let office = &state.app.ctx().office;
        // Staff pages are in English (the language middleware says so for `/staff…`).
        let language = crate::web::language::current();
        Layout {
            staff,
            admin: false,
            csrf,
            office_name: office.name.clone(),
            office_email: office.email.clone(),
            office_phone: office.phone.clone(),
            office_address: office.address.clone(),
            t: crate::wording::Words(language),
            languages: language_links(language),
        }
    }

    /// The office's address as a link's target.
    pub fn mailto(&self) -> String {
        format!("mailto:{}", self.office_email)
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

/// Where a request stands, in words; staff pages are in English (`plain::status_words`).
pub fn status_words(status: Status) -> String {
    plain::status_words(crate::wording::Language::English, status)
}

/// What kind of request it is, in words (`plain::kind_words`).
pub fn kind_words(kind: RequestKind) -> String {
    plain::kind_words(crate::wording::Language::English, kind)
}

/// "Nov 26, 2026, 9:16 AM PST" in the city's time zone, named, as the page's reader writes it
/// ("26 nov 2026, 9:16 a. m. PST" on a Spanish page; staff pages are English).
pub fn local_time(state: &AppState, at: NaiveDateTime) -> String {
    let local = at.and_utc().with_timezone(&state.app.ctx().clock.tz);
    crate::notify::render::short_time_in(
        crate::web::language::current(),
        local.naive_local(),
        &local.format("%Z").to_string(),
    )
}

/// A time as the API writes it (`2027-12-03T08:08:21.434568Z`).
pub fn instant(at: NaiveDateTime) -> String {
    crate::audit::chain::format_time(at)
}

/// The stylesheet, compiled in.
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../static/site.css"))
}

pub type PageResult = Result<HttpResponse, PageError>;

/// Runs a step's command as `caller`, or refuses the fields that did not parse.
pub async fn attempt<T, F, Fut>(
    app: &crate::app::App,
    caller: crate::app::Caller,
    tn: &crate::domain::input::TrackingNumber,
    parsed: Result<T, crate::domain::FieldErrors>,
    step: F,
) -> Result<crate::app::view::Case, crate::app::AppError>
where
    F: FnOnce(crate::app::App, crate::app::Caller, crate::domain::input::TrackingNumber, T) -> Fut,
    Fut: std::future::Future<Output = Result<crate::app::view::Case, crate::app::AppError>>,
{
    match parsed {
        Ok(command) => step(app.clone(), caller, tn.clone(), command).await,
        Err(fields) => Err(crate::app::AppError::Invalid(fields)),
    }
}

/// The methods a page address takes, as an Allow header says them (GET brings HEAD).
fn allowed_methods(path: &str) -> String {
    let mut methods: Vec<&str> = ROUTES
        .iter()
        .filter(|(_, p)| *p == path)
        .map(|(method, _)| *method)
        .collect();
    if methods.contains(&"GET") {
        methods.push("HEAD");
    }
    methods.join(", ")
}

/// A page asked with a method it does not take.
fn method_not_allowed(allow: &str) -> actix_web::HttpResponse {
    let mut response = actix_web::HttpResponse::MethodNotAllowed();
    if let Ok(value) = actix_web::http::header::HeaderValue::from_str(allow) {
        response.insert_header((actix_web::http::header::ALLOW, value));
    }
    response
        .content_type("text/plain; charset=utf-8")
        .body(format!("This address takes {allow} only.\n"))
}

/// The pages' one route table, in the order addresses are matched: each line registers the
/// address and names it for the authorization matrix (tests/api/authz.rs), which fails for a
/// page it has no row for.
macro_rules! routes {
    ($($method:ident $path:literal => $handler:expr;)*) => {
        /// Every page address, as (method, path).
        pub const ROUTES: &[(&str, &str)] = &[$((stringify!($method), $path)),*];

        /// Registers every address of [`ROUTES`], then, for each address, 405 with Allow for
        /// the methods it does not take (a route's method guard lets those fall through).
        pub fn routes(cfg: &mut web::ServiceConfig) {
            $(cfg.route($path, method!($method).to($handler));)*
            let mut paths: Vec<&'static str> = ROUTES.iter().map(|(_, path)| *path).collect();
            paths.dedup();
            let mut seen = std::collections::HashSet::new();
            for path in paths.into_iter().filter(|p| seen.insert(*p)) {
                let allow = allowed_methods(path);
                cfg.service(web::resource(path).default_service(web::to(move || {
                    let allow = allow.clone();
                    async move { method_not_allowed(&allow) }
                })));
            }
        }
    };
}

routes! {
    GET "/" => public::home::page;
    GET "/static/site.css" => stylesheet;
    GET "/datasets" => catalog::list;
    GET "/datasets/{id:.*}" => catalog::show;
    GET "/data.json" => catalog::data_json;
    GET "/requests/new" => public::request_form::page;
    POST "/requests/new" => public::request_form::file;
    GET "/complaints/new" => public::complaint_form::page;
    POST "/complaints/new" => public::complaint_form::file;
    GET "/requests/find" => public::find::page;
    POST "/requests/find" => public::find::send;
    GET "/requests/{tracking_number}/filed" => public::filed::page;
    GET "/requests/{tracking_number}" => public::tracking::page;
    GET "/requests/{tracking_number}/documents/{id}" => public::download::file;
    POST "/requests/{tracking_number}/messages" => public::message::send;
    POST "/requests/{tracking_number}/files" => public::files::send;
    GET "/requests/{tracking_number}/files/{id}" => public::files::download;
    POST "/requests/{tracking_number}/appeal" => public::appeal::send;
    POST "/requests/{tracking_number}/withdraw" => public::withdraw::send;
    POST "/requests/{tracking_number}/fees/answer" => public::fees::answer;
    GET "/requests/{tracking_number}/fees/invoice" => public::fees::invoice;
    GET "/requests/{tracking_number}/fees/receipt" => public::fees::receipt;
    GET "/requests/{tracking_number}/letters" => public::letters::list;
    GET "/requests/{tracking_number}/letters/{seq}/{notice}.pdf" => public::letters::pdf;
    GET "/requests/{tracking_number}/letters/{seq}/{notice}" => public::letters::page;
    GET "/letters/seal.jpg" => letters::seal;
    GET "/language/{code}" => crate::web::language::switch;
    POST "/requests/{tracking_number}/api-key" => public::api_key::claim;
    POST "/requests/{tracking_number}/api-key/lost" => public::api_key::lost;
    POST "/staff/requests/{tracking_number}/api-key/revoke" => staff::revoke_key::send;
    POST "/staff/requests/{tracking_number}/api-key/replace" => staff::replace_key::send;
    POST "/staff/requests/{tracking_number}/private-links/revoke" => staff::revoke_links::send;
    GET "/staff" => || async { see_other("/staff/queue") };
    GET "/staff/login" => staff::login::page;
    POST "/staff/login" => staff::login::sign_in;
    POST "/staff/logout" => staff::login::sign_out;
    GET "/staff/queue" => staff::queue::page;
    GET "/staff/search" => staff::search::page;
    POST "/staff/search/bulk" => staff::search::bulk;
    GET "/staff/intake" => staff::intake::page;
    POST "/staff/intake" => staff::intake::send;
    GET "/staff/requests/{tracking_number}" => staff::case::page;
    GET "/staff/requests/{tracking_number}/export.json" => staff::export::file;
    GET "/staff/requests/{tracking_number}/steps/{step}" => staff::steps::page;
    POST "/staff/requests/{tracking_number}/steps/{step}" => staff::steps::send;
    GET "/staff/requests/{tracking_number}/fees/invoice" => staff::fees::invoice;
    GET "/staff/requests/{tracking_number}/fees/receipt" => staff::fees::receipt;
    GET "/staff/requests/{tracking_number}/letters" => staff::letters::list;
    GET "/staff/requests/{tracking_number}/letters/{seq}/{notice}.pdf" => staff::letters::pdf;
    GET "/staff/requests/{tracking_number}/letters/{seq}/{notice}" => staff::letters::page;
    POST "/staff/requests/{tracking_number}/messages" => staff::message::send;
    POST "/staff/requests/{tracking_number}/notes" => staff::note::send;
    POST "/staff/requests/{tracking_number}/assign" => staff::assign::send;
    POST "/staff/requests/{tracking_number}/documents" => staff::documents::attach;
    POST "/staff/requests/{tracking_number}/links" => staff::documents::attach_link;
    POST "/staff/requests/{tracking_number}/release" => staff::documents::release;
    GET "/staff/requests/{tracking_number}/documents/{id}" => staff::documents::download;
    GET "/staff/requests/{tracking_number}/files/{id}" => staff::documents::sent_file;
    GET "/staff/password" => staff::password::page;
    POST "/staff/password" => staff::password::send;
    GET "/staff/admin" => staff::admin::index;
    GET "/staff/admin/staff" => staff::admin::accounts::list;
    GET "/staff/admin/staff/new" => staff::admin::accounts::invite_form;
    POST "/staff/admin/staff/new" => staff::admin::accounts::invite;
    GET "/staff/admin/staff/{id}" => staff::admin::accounts::page;
    POST "/staff/admin/staff/{id}" => staff::admin::accounts::change;
    POST "/staff/admin/staff/{id}/{action}" => staff::admin::accounts::act;
    GET "/staff/admin/departments" => staff::admin::departments::list;
    GET "/staff/admin/departments/new" => staff::admin::departments::new_form;
    POST "/staff/admin/departments/new" => staff::admin::departments::add;
    GET "/staff/admin/departments/{queue}" => staff::admin::departments::page;
    POST "/staff/admin/departments/{queue}" => staff::admin::departments::change;
    GET "/staff/admin/holidays" => staff::admin::holidays::page;
    POST "/staff/admin/holidays" => staff::admin::holidays::change;
    GET "/staff/admin/catalog" => staff::admin::catalog::page;
    GET "/staff/post" => staff::post::page;
    POST "/staff/post/{tracking_number}/{seq}/{notice}" => staff::post::print;
    POST "/staff/post/{tracking_number}/{seq}/{notice}/posted" => staff::post::posted;
    GET "/staff/mail" => staff::mail::list;
    GET "/staff/mail/{id}" => staff::mail::page;
    GET "/staff/mail/{id}/raw" => staff::mail::raw;
    POST "/staff/mail/{id}/attach" => staff::mail::attach;
    POST "/staff/mail/{id}/discard" => staff::mail::discard;
    GET "/staff/notices" => staff::notices::page;
    POST "/staff/notices/{id}/retry" => staff::notices::retry;
    GET "/staff/reports" => reports::staff_page;
    GET "/staff/reports.csv" => reports::staff_csv;
    GET "/reading-room" => public::reading_room::list;
    GET "/reading-room/feed.atom" => public::reading_room::feed;
    GET "/reading-room/export.json" => public::reading_room_export::json;
    GET "/reading-room/export.csv" => public::reading_room_export::items_csv;
    GET "/reading-room/export-documents.csv" => public::reading_room_export::documents_csv;
    GET "/reading-room/{tracking_number}" => public::reading_room::item;
    GET "/reading-room/{tracking_number}/documents/{id}" => public::reading_room::file;
    GET "/staff/reading-room" => staff::publication::ready;
    GET "/staff/requests/{tracking_number}/publication" => staff::publication::page;
    POST "/staff/requests/{tracking_number}/publication" => staff::publication::send;
    GET "/reports" => reports::public_page;
    GET "/reports.csv" => reports::public_csv;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_page_route_is_listed_once() {
        let mut seen = std::collections::HashSet::new();
        for &(method, path) in ROUTES {
            assert!(
                seen.insert((method, path)),
                "{method} {path} is listed twice"
            );
        }
    }
}
