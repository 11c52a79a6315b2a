//! The administration pages (docs/PRODUCT.md, "Administration"), for admins: staff accounts,
//! the department directory, the holidays and what the catalog lacks, each a page of its own
//! reached from `/staff/admin`.

pub mod accounts;
pub mod catalog;
pub mod departments;
pub mod holidays;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::signed_in;
use crate::app::StaffAccount;
use crate::domain::Role;
use crate::web::pages::{render, Layout, PageError, PageResult};
use crate::web::AppState;

/// The signed-in admin; anyone else is told the pages are for admins (403).
pub(super) async fn admin_signed_in(
    state: &web::Data<AppState>,
    session: &Session,
) -> Result<(StaffAccount, Layout), PageError> {
    let (account, layout) = signed_in(state, session).await?;
    if account.role != Role::Admin {
        return Err(crate::web::pages::problem::page_error(
            &layout,
            crate::app::AppError::Forbidden(
                "Only administrators manage staff accounts, departments, holidays and the catalog."
                    .into(),
            ),
        ));
    }
    Ok((account, layout))
}

#[derive(Template)]
#[template(path = "pages/admin/index.html")]
struct IndexPage {
    layout: Layout,
    accounts: usize,
    invited: usize,
    disabled: usize,
    departments: usize,
    log: Vec<crate::app::AdminLogEntry>,
}

impl IndexPage {
    fn when(&self, at: &chrono::NaiveDateTime) -> String {
        at.format("%b %-d, %Y, %-I:%M %p").to_string()
    }
}

pub async fn index(state: web::Data<AppState>, session: Session) -> PageResult {
    let (account, layout) = admin_signed_in(&state, &session).await?;
    let accounts = state
        .app
        .accounts(account.clone())
        .await
        .map_err(|e| crate::web::pages::problem::page_error(&layout, e))?;
    let log = state
        .app
        .admin_log(account, 20)
        .await
        .map_err(|e| crate::web::pages::problem::page_error(&layout, e))?;
    Ok(render(
        StatusCode::OK,
        &IndexPage {
            accounts: accounts.len(),
            invited: accounts.iter().filter(|a| a.active && a.invited).count(),
            disabled: accounts.iter().filter(|a| !a.active).count(),
            departments: state
                .app
                .directory()
                .await
                .map(|d| d.departments().len())
                .unwrap_or_default(),
            log,
            layout,
        },
    ))
}
