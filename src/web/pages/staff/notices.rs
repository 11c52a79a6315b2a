//! `/staff/notices`: notices that could not be delivered, and sending one again.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::{csrf_check, signed_in};
use crate::app::failed_notices::{self, FailedNotices};
use crate::domain::ids::OutboxId;
use crate::web::pages::forms::FormData;
use crate::web::pages::problem::page_error;
use crate::web::pages::{render, see_other, session, Layout, PageError, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/notices.html")]
struct NoticesPage {
    layout: Layout,
    list: FailedNotices,
    may_resend: bool,
    flash: String,
    problem: String,
}

pub async fn page(state: web::Data<AppState>, session: Session) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let may_resend = failed_notices::may_resend(&account);
    let list = state
        .app
        .failed_notices(account)
        .await
        .map_err(|e| page_error(&layout, e))?;
    let flash = session::take_flash(&session);
    Ok(render(
        StatusCode::OK,
        &NoticesPage {
            layout,
            list,
            may_resend,
            flash,
            problem: String::new(),
        },
    ))
}

pub async fn retry(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    csrf_check(&session, &data, &layout)?;
    let id = path
        .parse()
        .map(OutboxId)
        .map_err(|_| PageError::not_found(layout.clone()))?;
    match state.app.retry_notice(account, id).await {
        Ok(notice) => {
            session::set_flash(
                &session,
                &format!(
                    "The {} notice to {} is queued again.",
                    notice.notice.as_str().replace('_', " "),
                    notice.recipient
                ),
            );
            Ok(see_other("/staff/notices"))
        }
        Err(e) => Err(page_error(&layout, e)),
    }
}
