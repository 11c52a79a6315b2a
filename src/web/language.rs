//! The language of the public pages (docs/PRODUCT.md, "Languages"): the one the reader chose
//! with the switch on every public page (a cookie), else the first of ours their browser's
//! `Accept-Language` prefers, else English. Staff pages (`/staff…`) are always in English.
//! The choice is made once per request, here, and read by the pages through [`current`].

use actix_web::body::MessageBody;
use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;

use crate::wording::Language;

/// The cookie the switch sets: `en` or `es`.
pub const COOKIE: &str = "rd_lang";

/// The page being answered: its language, and its own address (for the switch to come back to).
#[derive(Debug, Clone)]
struct Page {
    language: Language,
    here: String,
}

tokio::task_local! {
    static PAGE: Page;
}

/// The language of the page being answered; English outside a request (notices, the CLI).
pub fn current() -> Language {
    PAGE.try_with(|p| p.language).unwrap_or_default()
}

/// The address of the page being answered, path and query, to come back to after a switch.
pub fn here() -> String {
    PAGE.try_with(|p| p.here.clone())
        .unwrap_or_else(|_| "/".into())
}

fn is_staff_page(path: &str) -> bool {
    path == "/staff" || path.starts_with("/staff/")
}

/// The reader's language: chosen with the switch, else their browser's, else English.
pub fn of_request(cookie: Option<&str>, accept_language: Option<&str>) -> Language {
    cookie
        .and_then(Language::from_code)
        .or_else(|| accept_language.map(Language::from_accept_language))
        .unwrap_or_default()
}

pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let path = req.path().to_string();
    let language = if is_staff_page(&path) {
        Language::English
    } else {
        let cookie = req.cookie(COOKIE);
        let accept = req
            .headers()
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok());
        of_request(cookie.as_ref().map(|c| c.value()), accept)
    };
    // A private link's token never goes into the switch's address.
    let here = match req.query_string() {
        "" => path,
        query if query.contains("token") => path,
        query => format!("{path}?{query}"),
    };
    PAGE.scope(Page { language, here }, next.call(req)).await
}

#[derive(Debug, Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// `GET /language/{code}?back=/page`: remembers the reader's choice for a year and takes them
/// back to the page they were on (only an address of this site; anything else goes home).
pub async fn switch(
    req: HttpRequest,
    code: web::Path<String>,
    query: web::Query<Back>,
) -> HttpResponse {
    let back = query
        .back
        .as_deref()
        .filter(|b| is_own_page(b))
        .unwrap_or("/")
        .to_string();
    let Some(language) = Language::from_code(&code) else {
        return HttpResponse::SeeOther()
            .insert_header((header::LOCATION, back))
            .finish();
    };
    let secure = req.connection_info().scheme() == "https";
    let cookie = Cookie::build(COOKIE, language.code())
        .path("/")
        .max_age(CookieAge::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(secure)
        .finish();
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back))
        .cookie(cookie)
        .finish()
}

/// A path on this site: starts with one `/`, no scheme or host, no backslash, no control
/// characters (so `//evil.example` and `/\evil.example` never leave it).
fn is_own_page(back: &str) -> bool {
    back.starts_with('/')
        && !back.starts_with("//")
        && !back.contains('\\')
        && !back.chars().any(char::is_control)
        && back.len() <= 2048
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_switch_wins_then_the_browser_then_english() {
        use Language::*;
        assert_eq!(of_request(Some("es"), Some("en")), Spanish);
        assert_eq!(of_request(Some("en"), Some("es")), English);
        assert_eq!(of_request(Some("xx"), Some("es-MX")), Spanish);
        assert_eq!(of_request(None, Some("es-MX,en;q=0.5")), Spanish);
        assert_eq!(of_request(None, None), English);
    }

    #[test]
    fn the_switch_only_goes_back_to_a_page_of_this_site() {
        assert!(is_own_page("/requests/new?step=contact"));
        assert!(is_own_page("/"));
        for elsewhere in [
            "//evil.example/",
            "/\\evil.example",
            "https://evil.example",
            "evil",
            "",
            "/a\r\nSet-Cookie: x=1",
        ] {
            assert!(!is_own_page(elsewhere), "{elsewhere:?}");
        }
        assert!(is_staff_page("/staff/queue") && is_staff_page("/staff"));
        assert!(!is_staff_page("/staffing") && !is_staff_page("/requests/new"));
    }
}
