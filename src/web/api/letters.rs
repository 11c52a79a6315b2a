//! A request's letters to its requester (docs/PRODUCT.md, "Letters"): the list, and each as
//! a PDF, for the requester (bearer access token) and the staff who may see the request.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::requests::tracking_number;
use crate::app::letters::{LetterEntry, Version};
use crate::domain::notices::NoticeKind;
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;
use crate::wording::Language;

/// One letter to the requester: a notice they were sent, as a letter on letterhead.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LetterView {
    /// The audit event of the step the letter tells of.
    pub seq: i64,
    /// The notice kind, e.g. `acknowledgement`, `extended`, `granted`.
    pub kind: String,
    pub subject: String,
    /// The day of the step, in the city.
    #[schema(value_type = String, format = Date)]
    pub date: chrono::NaiveDate,
    /// The language it was sent in (`en` or `es`): the request's.
    pub language: String,
    /// The letter as a PDF (this API).
    pub pdf: String,
    /// For a letter sent in another language than English: its English original, the
    /// legally binding text, as a PDF (this API).
    pub english_original_pdf: Option<String>,
}

/// `?original=en`: the English original of a letter sent in another language.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WhichLetter {
    /// `en`: the letter's English original (for a letter sent in English, the letter as
    /// sent). Without it, the letter as sent.
    #[param(pattern = "^en$")]
    pub original: Option<String>,
}

/// A request's letters to its requester, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LettersView {
    pub letters: Vec<LetterView>,
}

impl LetterView {
    fn of(tracking_number: &str, entry: LetterEntry) -> LetterView {
        let pdf = format!(
            "/api/v1/requests/{tracking_number}/letters/{}/{}",
            entry.seq,
            entry.kind.as_str()
        );
        LetterView {
            english_original_pdf: (entry.language != Language::English)
                .then(|| format!("{pdf}?original=en")),
            pdf,
            language: entry.language.code().into(),
            seq: entry.seq,
            kind: entry.kind.as_str().into(),
            subject: entry.subject,
            date: entry.date,
        }
    }
}

/// The request's letters to its requester: each notice they were sent, as a letter.
#[utoipa::path(
    get, path = "/api/v1/requests/{tracking_number}/letters", tag = "requests",
    operation_id = "list_letters",
    params(("tracking_number" = String, Path)),
    security(("staff" = []), ("requester" = [])),
    responses(
        (status = 200, description = "The letters, oldest first", body = LettersView),
        (status = 404, description = "No such request, or not yours", body = ErrorBody),
    )
)]
pub async fn list(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let caller = auth::caller(&state, &req).await?;
    let entries = state.app.letters(caller, tn.clone()).await?;
    Ok(HttpResponse::Ok().json(LettersView {
        letters: entries
            .into_iter()
            .map(|e| LetterView::of(tn.as_str(), e))
            .collect(),
    }))
}

/// One letter as a PDF on the office's letterhead, its private link withheld.
#[utoipa::path(
    get, path = "/api/v1/requests/{tracking_number}/letters/{seq}/{notice}", tag = "requests",
    operation_id = "get_letter_pdf",
    params(
        ("tracking_number" = String, Path),
        ("seq" = i64, Path, minimum = 1),
        ("notice" = String, Path, description = "The notice kind, as the list names it"),
        WhichLetter,
    ),
    security(("staff" = []), ("requester" = [])),
    responses(
        (status = 200, description = "The letter as a PDF", content_type = "application/pdf", body = Vec<u8>),
        (status = 404, description = "No such letter, or not yours", body = ErrorBody),
        (status = 422, description = "`original` is not `en`", body = ErrorBody),
    )
)]
pub async fn pdf(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<(String, String, String)>,
    which: web::Query<WhichLetter>,
) -> Result<HttpResponse, ApiError> {
    let version = match which.original.as_deref() {
        None => Version::AsSent,
        Some("en") => Version::EnglishOriginal,
        Some(_) => {
            return Err(ApiError::field(
                "original",
                "the only original is English: en",
            ))
        }
    };
    let (tn, seq, notice) = path.into_inner();
    let tn = tracking_number(web::Path::from(tn))?;
    let no_letter = || ApiError::not_found("no letter of this request has that number and kind");
    let seq = seq
        .parse::<i64>()
        .ok()
        .filter(|s| *s > 0)
        .ok_or_else(no_letter)?;
    let kind = NoticeKind::parse(&notice).ok_or_else(no_letter)?;
    let caller = auth::caller(&state, &req).await?;
    let (letter, bytes) = state.app.letter_pdf(caller, tn, seq, kind, version).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}\"", letter.file_name()),
        ))
        .body(bytes))
}
