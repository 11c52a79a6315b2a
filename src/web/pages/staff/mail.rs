//! `/staff/mail`: email that reached no request (docs/PRODUCT.md, "Replies by email"). The
//! City Clerk's staff read each one, download the whole email, and attach it to a request
//! (it becomes the requester's message there) or discard it, saying why.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::{csrf_check, signed_in};
use crate::app::mail::ReceivedMail;
use crate::app::AppError;
use crate::web::pages::forms::{Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::page_error;
use crate::web::pages::{local_time, render, see_other, session, Layout, PageError, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/mail.html")]
struct MailListPage {
    layout: Layout,
    mail: Vec<(ReceivedMail, String)>,
    total: i64,
    flash: String,
}

#[derive(Template)]
#[template(path = "pages/mail_one.html")]
struct MailPage {
    layout: Layout,
    mail: ReceivedMail,
    received: String,
    paragraphs: Vec<String>,
    attach: Field,
    discard: Field,
    errors: Errors,
    summary: Vec<SummaryItem>,
}

pub async fn list(state: web::Data<AppState>, session: Session) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let (mail, total) = state
        .app
        .unmatched_mail(account)
        .await
        .map_err(|e| page_error(&layout, e))?;
    let mail = mail
        .into_iter()
        .map(|m| {
            let when = local_time(&state, m.received_at);
            (m, when)
        })
        .collect();
    Ok(render(
        StatusCode::OK,
        &MailListPage {
            layout,
            mail,
            total,
            flash: session::take_flash(&session),
        },
    ))
}

fn mail_id(layout: &Layout, raw: &str) -> Result<i64, PageError> {
    raw.parse()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| PageError::not_found(layout.clone()))
}

fn fields(tracking_number: &str, reason: &str) -> (Field, Field) {
    (
        Field::text(
            "tracking_number",
            "f-tracking-number",
            "tracking_number",
            "Tracking number of the request it belongs to",
        )
        .hint("For example, RR-2026-00042. It becomes a message from that request's requester.")
        .value(tracking_number),
        Field::text("reason", "f-reason", "reason", "Why discard it")
            .hint(
                "For example: advertising, or a question answered by phone. Kept in the audit log.",
            )
            .value(reason),
    )
}

async fn show(
    state: &AppState,
    layout: Layout,
    mail: ReceivedMail,
    status: StatusCode,
    values: (&str, &str),
    errors: crate::domain::FieldErrors,
) -> PageResult {
    let (attach, discard) = fields(values.0, values.1);
    let summary =
        crate::web::pages::forms::summary(&errors, &[attach.clone(), discard.clone()], &[]);
    let paragraphs = mail
        .body
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect();
    Ok(render(
        status,
        &MailPage {
            received: local_time(state, mail.received_at),
            layout,
            mail,
            paragraphs,
            attach,
            discard,
            errors: Errors(errors),
            summary,
        },
    ))
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let id = mail_id(&layout, &path)?;
    let mail = state
        .app
        .received_mail(account, id)
        .await
        .map_err(|e| page_error(&layout, e))?;
    show(
        &state,
        layout,
        mail,
        StatusCode::OK,
        ("", ""),
        Default::default(),
    )
    .await
}

/// `GET /staff/mail/{id}/raw`: the whole email as it came.
pub async fn raw(
    state: web::Data<AppState>,
    session: Session,
    req: actix_web::HttpRequest,
    path: web::Path<String>,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let id = mail_id(&layout, &path)?;
    let mail = state
        .app
        .received_mail(account, id)
        .await
        .map_err(|e| page_error(&layout, e))?;
    crate::web::api::documents::serve_stored(
        &state,
        &req,
        &mail.sha256,
        &format!("email-{id}.eml"),
        "message/rfc822",
    )
    .await
    .map_err(|_| {
        page_error(
            &layout,
            AppError::Internal(format!("email {id} could not be served")),
        )
    })
}

/// The email again, with what was refused beside its field.
async fn refused(
    state: &AppState,
    layout: Layout,
    account: crate::app::StaffAccount,
    id: i64,
    values: (&str, &str),
    errors: crate::domain::FieldErrors,
) -> PageResult {
    let mail = state
        .app
        .received_mail(account, id)
        .await
        .map_err(|e| page_error(&layout, e))?;
    show(
        state,
        layout,
        mail,
        StatusCode::UNPROCESSABLE_ENTITY,
        values,
        errors,
    )
    .await
}

/// `POST /staff/mail/{id}/attach`
pub async fn attach(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    csrf_check(&session, &data, &layout)?;
    let id = mail_id(&layout, &path)?;
    let typed = data.get("tracking_number");
    match state
        .app
        .attach_mail(account.clone(), id, typed.clone())
        .await
    {
        Ok(tn) => {
            session::set_flash(
                &session,
                &format!("The email is attached to {tn} as a message from its requester."),
            );
            Ok(see_other(&format!("/staff/requests/{tn}")))
        }
        Err(AppError::Invalid(errors)) => {
            refused(&state, layout, account, id, (&typed, ""), errors).await
        }
        Err(e) => Err(page_error(&layout, e)),
    }
}

/// `POST /staff/mail/{id}/discard`
pub async fn discard(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    csrf_check(&session, &data, &layout)?;
    let id = mail_id(&layout, &path)?;
    let reason = data.get("reason");
    match state
        .app
        .discard_mail(account.clone(), id, Some(reason.clone()))
        .await
    {
        Ok(()) => {
            session::set_flash(
                &session,
                "The email is discarded. It stays in the audit log.",
            );
            Ok(see_other("/staff/mail"))
        }
        Err(AppError::Invalid(mut errors)) => {
            // "must not be empty" says nothing here: say what to do.
            if let Some(messages) = errors.0.get_mut("reason") {
                *messages = vec!["Say why you are discarding the email".to_string()];
            }
            refused(&state, layout, account, id, ("", &reason), errors).await
        }
        Err(e) => Err(page_error(&layout, e)),
    }
}
