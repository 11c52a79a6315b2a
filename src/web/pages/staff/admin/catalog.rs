//! `/staff/admin/catalog`: the datasets that lack fields DCAT-US 1.1 requires, and which, as
//! `/data.json` publishes them (docs/PRODUCT.md, "The catalog as data.json"). The import's
//! report lists the same; the fields are added in the portal, then the catalog imported again.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::admin_signed_in;
use crate::catalog::completeness::Incomplete;
use crate::web::pages::problem::page_error;
use crate::web::pages::{render, Layout, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/admin/catalog.html")]
struct CatalogPage {
    layout: Layout,
    /// Current datasets in all.
    total: usize,
    incomplete: Vec<Incomplete>,
}

pub async fn page(state: web::Data<AppState>, session: Session) -> PageResult {
    let (account, layout) = admin_signed_in(&state, &session).await?;
    let (incomplete, total) = state
        .app
        .catalog_completeness(account)
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(render(
        StatusCode::OK,
        &CatalogPage {
            layout,
            total,
            incomplete,
        },
    ))
}
