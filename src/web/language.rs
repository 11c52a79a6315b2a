//! The language of the public pages (docs/PRODUCT.md, "Languages"): the one the reader chose
//! with the switch on every public page (a cookie), else the first of ours their browser's
//! `Accept-Language` prefers, else English. Staff pages (`/staff…`) are always in English.
//! The choice is made once per request, here, and read by the pages through [`current`].

use actix_web::body::MessageBody;
use actix_web::cookie::{time::Duration as CookieAge, Cookie, SameSite};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header;
use actix_web::middleware::Next;
use actix_web::{web, HttpResponse};
use serde::Deserialize;

use crate::web::AppState;
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

/// Staff pages are in English and offer no switch.
pub fn is_staff_page(path: &str) -> bool {
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
    let here = back_to(req.method(), &path, req.query_string());
    PAGE.scope(Page { language, here }, next.call(req)).await
}

/// Where the switch on this page comes back to: the page itself, less a private link's token;
/// for a page shown in answer to a form (a refusal, "Are you sure?"), the request's tracking
/// page, or the form's own page, which answer GET.
fn back_to(method: &actix_web::http::Method, path: &str, query: &str) -> String {
    if method != actix_web::http::Method::GET && method != actix_web::http::Method::HEAD {
        let parts: Vec<&str> = path.split('/').collect();
        return match parts.as_slice() {
            ["", "requests", tn, _, ..] if *tn != "new" && *tn != "find" => {
                format!("/requests/{tn}")
            }
            _ => path.to_string(),
        };
    }
    let kept: Vec<&str> = query
        .split('&')
        .filter(|pair| !pair.is_empty() && pair.split('=').next() != Some("token"))
        .collect();
    match kept.is_empty() {
        true => path.to_string(),
        false => format!("{path}?{}", kept.join("&")),
    }
}

#[derive(Debug, Deserialize)]
pub struct Back {
    back: Option<String>,
}

/// `GET /language/{code}?back=/page`: remembers the reader's choice for a year and takes them
/// back to the page they were on (only an address of this site; anything else goes home).
pub async fn switch(
    state: web::Data<AppState>,
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
    let cookie = cookie(language, &state);
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, back))
        .cookie(cookie)
        .finish()
}

/// The reader's choice, for a year; Secure when the site is served over https (as the
/// session cookie), whatever a proxy in front says.
pub fn cookie(language: Language, state: &AppState) -> Cookie<'static> {
    Cookie::build(COOKIE, language.code())
        .path("/")
        .max_age(CookieAge::days(365))
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(state.app.ctx().public_url.starts_with("https://"))
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
    fn the_switch_comes_back_to_a_page_that_answers_get_without_a_token() {
        use actix_web::http::Method;
        assert_eq!(
            back_to(&Method::GET, "/requests/new", "step=about"),
            "/requests/new?step=about"
        );
        assert_eq!(
            back_to(&Method::GET, "/requests/RR-2026-00001", "token=abc"),
            "/requests/RR-2026-00001"
        );
        assert_eq!(
            back_to(&Method::GET, "/reading-room", "q=tokens&page=2"),
            "/reading-room?q=tokens&page=2"
        );
        assert_eq!(
            back_to(&Method::POST, "/requests/RR-2026-00001/withdraw", ""),
            "/requests/RR-2026-00001"
        );
        assert_eq!(
            back_to(&Method::POST, "/requests/RR-2026-00001/fees/answer", ""),
            "/requests/RR-2026-00001"
        );
        assert_eq!(back_to(&Method::POST, "/requests/new", ""), "/requests/new");
        assert_eq!(
            back_to(&Method::POST, "/requests/find", ""),
            "/requests/find"
        );
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
