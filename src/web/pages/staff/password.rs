//! `/staff/password?token=…`: a staff member chooses a password with the one-time link of an
//! invitation or a reset (docs/PRODUCT.md, "Staff accounts"), then signs in.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::csrf_check;
use crate::app::accounts::{LinkHolder, NewPassword};
use crate::app::staff::MIN_PASSWORD_CHARS;
use crate::app::AppError;
use crate::domain::FieldErrors;
use crate::web::pages::forms::{summary, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::page_error;
use crate::web::pages::{render, session, Layout, PageError, PageResult};
use crate::web::AppState;

#[derive(Debug, serde::Deserialize)]
pub struct Token {
    token: Option<String>,
}

#[derive(Template)]
#[template(path = "pages/password.html")]
struct PasswordPage {
    layout: Layout,
    holder: LinkHolder,
    token: String,
    fields: Vec<Field>,
    errors: Errors,
    summary: Vec<SummaryItem>,
}

#[derive(Template)]
#[template(path = "pages/password_done.html")]
struct DonePage {
    layout: Layout,
    email: String,
}

fn layout(state: &AppState, session: &Session) -> Layout {
    Layout::new(state, session::csrf(session), None)
}

fn fields() -> Vec<Field> {
    vec![
        Field::text("password", "f-password", "password", "New password")
            .kind("password")
            .required()
            .autocomplete("new-password")
            .hint(&format!("At least {MIN_PASSWORD_CHARS} characters. A few unrelated words make a strong one that is easy to remember.")),
        Field::text("password_again", "f-password_again", "password_again", "The same password again")
            .kind("password")
            .required()
            .autocomplete("new-password"),
    ]
}

async fn form(
    state: &AppState,
    layout: Layout,
    token: String,
    status: StatusCode,
    errors: FieldErrors,
) -> PageResult {
    let holder = state
        .app
        .link_holder(token.clone())
        .await
        .map_err(|e| refused(&layout, e))?;
    let fields = fields();
    let summary = summary(&errors, &fields, &[]);
    Ok(render(
        status,
        &PasswordPage {
            layout,
            holder,
            token,
            fields,
            errors: Errors(errors),
            summary,
        },
    ))
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    query: web::Query<Token>,
) -> PageResult {
    let layout = layout(&state, &session);
    let token = query.into_inner().token.unwrap_or_default();
    form(
        &state,
        layout,
        token,
        StatusCode::OK,
        FieldErrors::default(),
    )
    .await
}

pub async fn send(state: web::Data<AppState>, session: Session, data: FormData) -> PageResult {
    let layout = layout(&state, &session);
    csrf_check(&session, &data, &layout)?;
    let token = data.get("token");
    let password = match NewPassword::check(
        data.opt("password").as_deref(),
        Some(&data.get("password_again")),
    ) {
        Ok(password) => password,
        Err(errors) => {
            return form(
                &state,
                layout,
                token,
                StatusCode::UNPROCESSABLE_ENTITY,
                errors,
            )
            .await
        }
    };
    match state.app.set_password(token, password).await {
        Ok(account) => Ok(render(
            StatusCode::OK,
            &DonePage {
                layout,
                email: account.email,
            },
        )),
        Err(e) => Err(refused(&layout, e)),
    }
}

/// A link that no longer works is a page of its own (410), saying what to do.
fn refused(layout: &Layout, e: AppError) -> PageError {
    match e {
        AppError::Gone(message) => PageError::Gone(Box::new(layout.clone()), message),
        other => page_error(layout, other),
    }
}
