//! A request's letters as the pages show them (docs/PRODUCT.md, "Letters"): the list, one
//! letter on the office's letterhead to print, and the same letter as a PDF. Staff
//! (`staff/letters.rs`) and the requester (`public/letters.rs`) see the same pages; only where
//! "Back" goes differs. The words are the wording's, as on every page a requester sees.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;

use super::{render, Layout, PageError};
use crate::app::letters::{Letter, LetterEntry, Version};
use crate::domain::notices::NoticeKind;
use crate::notify::letter_pdf::PdfWords;
use crate::notify::render::long_date_in;
use crate::web::AppState;

/// One row of the list.
pub struct LetterRow {
    pub seq: i64,
    pub kind: &'static str,
    pub subject: String,
    pub date: String,
}

#[derive(Template)]
#[template(path = "pages/letters.html")]
struct LettersPage {
    layout: Layout,
    tracking_number: String,
    letters: Vec<LetterRow>,
    /// The request's page ("Back").
    back: String,
    /// The list's own address; each letter is under it.
    base: String,
}

#[derive(Template)]
#[template(path = "pages/decision_letter.html")]
struct LetterPage {
    layout: Layout,
    letter: Letter,
    kind: &'static str,
    date: String,
    /// The words around the letter's paragraphs, in the letter's language (the page's own
    /// words are in the page's).
    words: PdfWords,
    /// The letter's `lang`, where it differs from the page's.
    lang: Option<&'static str>,
    /// This is the English original of a letter sent in another language.
    original: bool,
    seal: bool,
    base: String,
}

/// `?original=en`: the English original of a letter sent in another language
/// (docs/PRODUCT.md, "Languages").
#[derive(Debug, serde::Deserialize)]
pub struct Which {
    original: Option<String>,
}

/// The version of a letter a page's query asks for; a query that names none we keep (or that
/// is not one query at all) names no page.
pub fn version(layout: &Layout, which: Option<web::Query<Which>>) -> Result<Version, PageError> {
    match which.as_ref().map(|w| w.original.as_deref()) {
        Some(None) => Ok(Version::AsSent),
        Some(Some("en")) => Ok(Version::EnglishOriginal),
        _ => Err(PageError::not_found(layout.clone())),
    }
}

/// The list of a request's letters.
pub fn list(
    layout: Layout,
    tracking_number: &str,
    entries: Vec<LetterEntry>,
    back: String,
    base: String,
) -> HttpResponse {
    let letters = entries
        .into_iter()
        .map(|e| LetterRow {
            seq: e.seq,
            kind: e.kind.as_str(),
            subject: e.subject,
            date: long_date_in(layout.t.0, e.date),
        })
        .collect();
    render(
        StatusCode::OK,
        &LettersPage {
            layout,
            tracking_number: tracking_number.to_string(),
            letters,
            back,
            base,
        },
    )
}

/// A letter to print.
pub fn page(state: &AppState, layout: Layout, letter: Letter, base: String) -> HttpResponse {
    let page = LetterPage {
        kind: letter.kind.as_str(),
        date: letter.long_date(),
        words: letter.words(),
        lang: (letter.language != layout.t.0).then(|| letter.language.code()),
        original: letter.original,
        layout,
        seal: state.app.ctx().letters.seal.is_some(),
        letter,
        base,
    };
    render(StatusCode::OK, &page)
}

/// A letter as a PDF, to download.
pub fn pdf(letter: &Letter, bytes: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", letter.file_name()),
        ))
        .body(bytes)
}

/// The letter a path names: the seq of its event and its kind; anything else names no page.
pub fn named(layout: &Layout, seq: &str, notice: &str) -> Result<(i64, NoticeKind), PageError> {
    let not_found = || PageError::not_found(layout.clone());
    Ok((
        seq.parse::<i64>()
            .ok()
            .filter(|s| *s > 0)
            .ok_or_else(not_found)?,
        NoticeKind::parse(notice).ok_or_else(not_found)?,
    ))
}

/// `GET /letters/seal.jpg`: the letterhead's seal, for the printable letters; 404 without one.
pub async fn seal(state: web::Data<AppState>) -> HttpResponse {
    match &state.app.ctx().letters.seal {
        Some(seal) => HttpResponse::Ok()
            .content_type("image/jpeg")
            .body(seal.bytes().to_vec()),
        None => HttpResponse::NotFound()
            .content_type("text/plain; charset=utf-8")
            .body("No seal is configured.\n"),
    }
}
