//! "Check the documents before you release them" (docs/PRODUCT.md, "Release checks"): shown
//! when the release checks found something in the documents chosen on the case page. Each
//! document with what was found in it (GOV.UK warning text), who may see it, and the required
//! confirmation; its form posts the release again, confirmed.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

use crate::app::release_checks::DocumentFindings;
use crate::app::view::Case;
use crate::domain::ids::DocumentId;
use crate::web::pages::{render, Layout};

/// One document chosen for release, as the page shows it.
pub struct Checked {
    pub id: i64,
    pub title: String,
    /// What the checks found, in words; empty when nothing was.
    pub findings: Vec<String>,
    pub public: bool,
}

#[derive(Template)]
#[template(path = "pages/release_check.html")]
struct ReleaseCheckPage {
    layout: Layout,
    tracking_number: String,
    documents: Vec<Checked>,
    /// Sent without the confirmation from this page: said at the top and beside the box.
    unconfirmed: bool,
}

/// The page for these documents of the case, with what was found in each.
pub fn page(
    layout: Layout,
    case: &Case,
    chosen: &[DocumentId],
    public: &[DocumentId],
    found: &[DocumentFindings],
    unconfirmed: bool,
) -> HttpResponse {
    let documents = case
        .documents
        .iter()
        .filter(|d| chosen.contains(&d.id) && !d.released())
        .map(|d| Checked {
            id: d.id.0,
            title: d.title.clone(),
            findings: found
                .iter()
                .filter(|f| f.document_id == d.id)
                .flat_map(|f| f.findings.iter().map(|f| f.words.clone()))
                .collect(),
            public: public.contains(&d.id),
        })
        .collect();
    render(
        StatusCode::CONFLICT,
        &ReleaseCheckPage {
            layout,
            tracking_number: case.tracking_number.clone(),
            documents,
            unconfirmed,
        },
    )
}
