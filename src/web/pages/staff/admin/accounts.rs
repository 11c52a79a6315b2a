//! `/staff/admin/staff`: the staff accounts; `/staff/admin/staff/new` invites one;
//! `/staff/admin/staff/{id}` changes one, disables or enables it, or sends it a link to choose
//! a new password.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::admin_signed_in;
use crate::app::accounts::{AccountListing, RawAccount};
use crate::app::{AppError, StaffAccount};
use crate::domain::directory::Directory;
use crate::domain::{FieldErrors, Role, StaffId};
use crate::web::pages::forms::{summary, Choice, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::page_error;
use crate::web::pages::staff::csrf_check;
use crate::web::pages::{render, see_other, session, Layout, PageError, PageResult};
use crate::web::AppState;

/// A role as the pages name it.
pub fn role_words(role: Role) -> &'static str {
    match role {
        Role::Clerk => "Clerk",
        Role::Steward => "Dataset steward",
        Role::Reviewer => "Reviewer of appeals",
        Role::Admin => "Administrator",
    }
}

/// What an account's state is called on the pages.
pub fn state_words(a: &AccountListing) -> &'static str {
    match (a.active, a.invited) {
        (false, _) => "Disabled",
        (true, true) => "Invited: no password chosen yet",
        (true, false) => "Active",
    }
}

#[derive(Template)]
#[template(path = "pages/admin/accounts.html")]
struct AccountsPage {
    layout: Layout,
    flash: String,
    rows: Vec<AccountListing>,
}

impl AccountsPage {
    fn role(&self, role: &Role) -> &'static str {
        role_words(*role)
    }

    fn state(&self, a: &AccountListing) -> &'static str {
        state_words(a)
    }
}

pub async fn list(state: web::Data<AppState>, session: Session) -> PageResult {
    let (account, layout) = admin_signed_in(&state, &session).await?;
    let rows = state
        .app
        .accounts(account)
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(render(
        StatusCode::OK,
        &AccountsPage {
            layout,
            flash: session::take_flash(&session),
            rows,
        },
    ))
}

fn role_choices() -> Vec<Choice> {
    Role::ALL
        .iter()
        .map(|r| {
            let hint = match r {
                Role::Clerk => "Works the City Clerk's queue (and their department's, if they have one): decides requests, writes to requesters.",
                Role::Steward => "Decides access requests for their department's datasets.",
                Role::Reviewer => "Decides appeals of denials; takes no other requests.",
                Role::Admin => "Everything a clerk does in every queue, and this Administration.",
            };
            Choice::new(r.as_str(), role_words(*r)).hint(hint)
        })
        .collect()
}

fn department_choices(directory: &Directory) -> Vec<Choice> {
    std::iter::once(Choice::new("", "None"))
        .chain(
            directory
                .departments()
                .iter()
                .map(|d| Choice::new(&d.name, &d.name)),
        )
        .collect()
}

/// The account form's fields; `with_email` for an invitation.
fn fields(directory: &Directory, data: &FormData, with_email: bool) -> Vec<Field> {
    let mut fields = Vec::new();
    if with_email {
        fields.push(
            Field::text("email", "f-email", "email", "Email address")
                .kind("email")
                .required()
                .autocomplete("off")
                .hint("Their work address. The invitation goes there, and it is how they sign in.")
                .value(&data.get("email")),
        );
    }
    fields.push(
        Field::text("name", "f-name", "name", "Full name")
            .required()
            .autocomplete("off")
            .value(&data.get("name")),
    );
    fields.push(
        Field::text("title", "f-title", "title", "Title or position (optional)")
            .hint("Printed beside their name when they are named responsible for withholding records, for example Deputy City Clerk.")
            .value(&data.get("title")),
    );
    fields.push(
        Field::radios("role", "f-role", "role", "Role", role_choices())
            .required()
            .value(&data.get("role")),
    );
    fields.push(
        Field::select(
            "department",
            "f-department",
            "department",
            "Department",
            department_choices(directory),
        )
        .hint("The queue they work besides the City Clerk's. Stewards need one. A missing department is added under Departments.")
        .value(&data.get("department")),
    );
    fields
}

fn raw(data: &FormData) -> RawAccount {
    RawAccount {
        email: data.opt("email"),
        name: data.opt("name"),
        role: data.opt("role"),
        department: data.opt("department"),
        title: data.opt("title"),
    }
}

#[derive(Template)]
#[template(path = "pages/admin/invite.html")]
struct InvitePage {
    layout: Layout,
    fields: Vec<Field>,
    errors: Errors,
    summary: Vec<SummaryItem>,
}

async fn invite_page(
    state: &AppState,
    layout: Layout,
    status: StatusCode,
    data: &FormData,
    errors: FieldErrors,
) -> PageResult {
    let directory = state
        .app
        .directory()
        .await
        .map_err(|e| page_error(&layout, e))?;
    let fields = fields(&directory, data, true);
    let summary = summary(&errors, &fields, &[]);
    Ok(render(
        status,
        &InvitePage {
            layout,
            fields,
            errors: Errors(errors),
            summary,
        },
    ))
}

pub async fn invite_form(state: web::Data<AppState>, session: Session) -> PageResult {
    let (_, layout) = admin_signed_in(&state, &session).await?;
    let mut start = FormData(Default::default());
    start.0.insert("role".into(), "clerk".into());
    invite_page(
        &state,
        layout,
        StatusCode::OK,
        &start,
        FieldErrors::default(),
    )
    .await
}

pub async fn invite(state: web::Data<AppState>, session: Session, data: FormData) -> PageResult {
    let (account, layout) = admin_signed_in(&state, &session).await?;
    csrf_check(&session, &data, &layout)?;
    match state.app.invite(account, raw(&data)).await {
        Ok(invited) => {
            session::set_flash(
                &session,
                &format!(
                    "Invitation sent to {}. The link in it works once, for {} hours; until they use it the account cannot sign in.",
                    invited.account.email,
                    state.app.ctx().invitation_ttl.num_hours()
                ),
            );
            Ok(see_other("/staff/admin/staff"))
        }
        Err(AppError::Invalid(errors)) => {
            invite_page(
                &state,
                layout,
                StatusCode::UNPROCESSABLE_ENTITY,
                &data,
                errors,
            )
            .await
        }
        Err(AppError::Conflict(conflict)) => {
            let mut errors = FieldErrors::default();
            errors.add("email", conflict.to_string());
            invite_page(&state, layout, StatusCode::CONFLICT, &data, errors).await
        }
        Err(e) => Err(page_error(&layout, e)),
    }
}

#[derive(Template)]
#[template(path = "pages/admin/account.html")]
struct AccountPage {
    layout: Layout,
    flash: String,
    problem: String,
    a: AccountListing,
    state_words: &'static str,
    is_self: bool,
    fields: Vec<Field>,
    errors: Errors,
    summary: Vec<SummaryItem>,
}

fn account_id(raw: &str, layout: &Layout) -> Result<StaffId, PageError> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .map(StaffId)
        .ok_or_else(|| PageError::not_found(layout.clone()))
}

fn as_form(a: &AccountListing) -> FormData {
    let mut data = FormData(Default::default());
    let account = &a.account;
    data.0.insert("name".into(), account.name.clone());
    data.0.insert("role".into(), account.role.as_str().into());
    data.0.insert(
        "department".into(),
        account.department.clone().unwrap_or_default(),
    );
    data.0
        .insert("title".into(), account.title.clone().unwrap_or_default());
    data
}

#[allow(clippy::too_many_arguments)]
async fn account_page(
    state: &AppState,
    layout: Layout,
    me: &StaffAccount,
    status: StatusCode,
    a: AccountListing,
    data: &FormData,
    errors: FieldErrors,
    flash: String,
    problem: String,
) -> PageResult {
    let directory = state
        .app
        .directory()
        .await
        .map_err(|e| page_error(&layout, e))?;
    let fields = fields(&directory, data, false);
    let summary = summary(&errors, &fields, &[]);
    Ok(render(
        status,
        &AccountPage {
            layout,
            flash,
            problem,
            state_words: state_words(&a),
            is_self: a.account.id == me.id,
            a,
            fields,
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
    let (me, layout) = admin_signed_in(&state, &session).await?;
    let id = account_id(&path, &layout)?;
    let a = state
        .app
        .account(me.clone(), id)
        .await
        .map_err(|e| page_error(&layout, e))?;
    let data = as_form(&a);
    let flash = session::take_flash(&session);
    account_page(
        &state,
        layout,
        &me,
        StatusCode::OK,
        a,
        &data,
        FieldErrors::default(),
        flash,
        String::new(),
    )
    .await
}

pub async fn change(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let (me, layout) = admin_signed_in(&state, &session).await?;
    let id = account_id(&path, &layout)?;
    csrf_check(&session, &data, &layout)?;
    match state.app.change_account(me.clone(), id, raw(&data)).await {
        Ok(_) => {
            session::set_flash(&session, "The account is changed.");
            Ok(see_other(&format!("/staff/admin/staff/{}", id.0)))
        }
        Err(e @ (AppError::Invalid(_) | AppError::Conflict(_))) => {
            let a = state
                .app
                .account(me.clone(), id)
                .await
                .map_err(|e| page_error(&layout, e))?;
            let (status, errors, problem) = match e {
                AppError::Invalid(errors) => {
                    (StatusCode::UNPROCESSABLE_ENTITY, errors, String::new())
                }
                other => (
                    StatusCode::CONFLICT,
                    FieldErrors::default(),
                    other.to_string(),
                ),
            };
            account_page(
                &state,
                layout,
                &me,
                status,
                a,
                &data,
                errors,
                String::new(),
                problem,
            )
            .await
        }
        Err(e) => Err(page_error(&layout, e)),
    }
}

/// Disable, enable or send a reset link: back to the account with what happened.
pub async fn act(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(String, String)>,
    data: FormData,
) -> PageResult {
    let (me, layout) = admin_signed_in(&state, &session).await?;
    let (raw_id, action) = path.into_inner();
    let id = account_id(&raw_id, &layout)?;
    csrf_check(&session, &data, &layout)?;
    let app = &state.app;
    let done = match action.as_str() {
        "disable" => app.disable_account(me.clone(), id).await.map(|a| {
            format!(
                "{}'s account is disabled, and every sign-in of it has ended.",
                a.account.name
            )
        }),
        "enable" => app
            .enable_account(me.clone(), id)
            .await
            .map(|a| format!("{}'s account is enabled again.", a.account.name)),
        "password-reset" => app.send_password_reset(me.clone(), id).await.map(|a| {
            format!(
                "A link to choose a password is on its way to {}. Earlier links no longer work.",
                a.account.email
            )
        }),
        _ => return Err(PageError::not_found(layout)),
    };
    match done {
        Ok(message) => {
            session::set_flash(&session, &message);
            Ok(see_other(&format!("/staff/admin/staff/{}", id.0)))
        }
        Err(e @ AppError::Conflict(_)) => {
            let a = app
                .account(me.clone(), id)
                .await
                .map_err(|e| page_error(&layout, e))?;
            let data = as_form(&a);
            account_page(
                &state,
                layout,
                &me,
                StatusCode::CONFLICT,
                a,
                &data,
                FieldErrors::default(),
                String::new(),
                e.to_string(),
            )
            .await
        }
        Err(e) => Err(page_error(&layout, e)),
    }
}
