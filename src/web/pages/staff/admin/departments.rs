//! `/staff/admin/departments`: the department directory; `/staff/admin/departments/new` adds
//! one; `/staff/admin/departments/{queue}` changes one's contact, catalog names and signers.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::admin_signed_in;
use crate::app::departments::DepartmentChange;
use crate::app::AppError;
use crate::domain::directory::{Department, RawDepartment};
use crate::domain::FieldErrors;
use crate::web::pages::forms::{summary, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::page_error;
use crate::web::pages::staff::csrf_check;
use crate::web::pages::{render, see_other, session, Layout, PageError, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/admin/departments.html")]
struct DepartmentsPage {
    layout: Layout,
    flash: String,
    rows: Vec<Department>,
}

pub async fn list(state: web::Data<AppState>, session: Session) -> PageResult {
    let (_, layout) = admin_signed_in(&state, &session).await?;
    let directory = state
        .app
        .directory()
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(render(
        StatusCode::OK,
        &DepartmentsPage {
            layout,
            flash: session::take_flash(&session),
            rows: directory.departments().to_vec(),
        },
    ))
}

/// The form's fields; `new` asks for the name (which is fixed once made).
fn fields(data: &FormData, new: bool) -> Vec<Field> {
    let mut fields = Vec::new();
    if new {
        fields.push(
            Field::text("name", "f-name", "name", "Name")
                .required()
                .hint("As residents know it, for example Public Works. It names the department's queue and cannot be changed later.")
                .value(&data.get("name")),
        );
    }
    fields.push(
        Field::text("email", "f-email", "email", "Contact email (optional)")
            .kind("email")
            .value(&data.get("email")),
    );
    fields.push(
        Field::text("phone", "f-phone", "phone", "Contact phone (optional)")
            .kind("tel")
            .value(&data.get("phone")),
    );
    fields.push(
        Field::area("publishers", "f-publishers", "publishers", "Publisher names in catalogs (optional)")
            .hint("One per line, as the open-data portal names the publisher of this department's datasets, for example City of Concord Police Department. The department's own name always counts.")
            .value(&data.get("publishers")),
    );
    fields.push(
        Field::area("hosts", "f-hosts", "hosts", "Host names in catalogs (optional)")
            .hint("One per line: the web host of this department's datasets or of the portal that publishes them, for example information.stpaul.gov.")
            .value(&data.get("hosts")),
    );
    if !new {
        fields.push(
            Field::area("signers", "f-signers", "signers", "Who may sign extensions (optional)")
                .hint("The email addresses of the staff who may sign an extension notice for this department's requests as the head of the agency's designee (Gov. Code §7922.535(b)), one per line. None: the clerks who work its queue and the administrators.")
                .value(&data.get("signers")),
        );
    }
    fields
}

fn raw(data: &FormData) -> RawDepartment {
    RawDepartment {
        name: data.get("name"),
        email: data.opt("email"),
        phone: data.opt("phone"),
        publishers: data.lines("publishers"),
        hosts: data.lines("hosts"),
    }
}

#[derive(Template)]
#[template(path = "pages/admin/department.html")]
struct DepartmentPage {
    layout: Layout,
    flash: String,
    problem: String,
    /// None: a new department.
    department: Option<Department>,
    fields: Vec<Field>,
    errors: Errors,
    summary: Vec<SummaryItem>,
    version: i32,
}

#[allow(clippy::too_many_arguments)]
fn department_page(
    layout: Layout,
    status: StatusCode,
    department: Option<Department>,
    data: &FormData,
    errors: FieldErrors,
    flash: String,
    problem: String,
) -> PageResult {
    let fields = fields(data, department.is_none());
    let summary = summary(&errors, &fields, &[]);
    Ok(render(
        status,
        &DepartmentPage {
            layout,
            flash,
            problem,
            version: department.as_ref().map_or(0, |d| d.version),
            department,
            fields,
            errors: Errors(errors),
            summary,
        },
    ))
}

pub async fn new_form(state: web::Data<AppState>, session: Session) -> PageResult {
    let (_, layout) = admin_signed_in(&state, &session).await?;
    let blank = FormData(Default::default());
    department_page(
        layout,
        StatusCode::OK,
        None,
        &blank,
        FieldErrors::default(),
        String::new(),
        String::new(),
    )
}

pub async fn add(state: web::Data<AppState>, session: Session, data: FormData) -> PageResult {
    let (account, layout) = admin_signed_in(&state, &session).await?;
    csrf_check(&session, &data, &layout)?;
    match state.app.add_department(account, raw(&data)).await {
        Ok(added) => {
            session::set_flash(
                &session,
                &format!(
                    "{} is added. Its requests are filed under the queue {}.",
                    added.name, added.queue
                ),
            );
            Ok(see_other("/staff/admin/departments"))
        }
        Err(AppError::Invalid(errors)) => department_page(
            layout,
            StatusCode::UNPROCESSABLE_ENTITY,
            None,
            &data,
            errors,
            String::new(),
            String::new(),
        ),
        Err(e) => Err(page_error(&layout, e)),
    }
}

fn as_form(d: &Department, signers: &[String]) -> FormData {
    let mut data = FormData(Default::default());
    data.0
        .insert("email".into(), d.email.clone().unwrap_or_default());
    data.0
        .insert("phone".into(), d.phone.clone().unwrap_or_default());
    data.0.insert("publishers".into(), d.publishers.join("\n"));
    data.0.insert("hosts".into(), d.hosts.join("\n"));
    data.0.insert("signers".into(), signers.join("\n"));
    data
}

fn queue_of(raw: &str, layout: &Layout) -> Result<String, PageError> {
    if raw.is_empty()
        || raw.len() > 200
        || !raw.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    {
        return Err(PageError::not_found(layout.clone()));
    }
    Ok(raw.to_string())
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    let (account, layout) = admin_signed_in(&state, &session).await?;
    let queue = queue_of(&path, &layout)?;
    let (department, signers) = state
        .app
        .department(account, queue)
        .await
        .map_err(|e| page_error(&layout, e))?;
    let data = as_form(&department, &signers);
    department_page(
        layout,
        StatusCode::OK,
        Some(department),
        &data,
        FieldErrors::default(),
        session::take_flash(&session),
        String::new(),
    )
}

pub async fn change(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let (account, layout) = admin_signed_in(&state, &session).await?;
    let queue = queue_of(&path, &layout)?;
    csrf_check(&session, &data, &layout)?;
    let change = DepartmentChange {
        details: raw(&data),
        signers: data.lines("signers"),
        version: data.version(),
    };
    match state
        .app
        .change_department(account.clone(), queue.clone(), change)
        .await
    {
        Ok(changed) => {
            session::set_flash(&session, &format!("{} is changed.", changed.name));
            Ok(see_other(&format!("/staff/admin/departments/{queue}")))
        }
        Err(e @ (AppError::Invalid(_) | AppError::Stale { .. })) => {
            let (department, _) = state
                .app
                .department(account, queue)
                .await
                .map_err(|e| page_error(&layout, e))?;
            let (status, errors, problem) = match e {
                AppError::Invalid(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors, String::new()),
                _ => (
                    StatusCode::CONFLICT,
                    FieldErrors::default(),
                    "Someone changed this department while you were editing it. Your changes are below: check them against the department as it is now, then save again.".to_string(),
                ),
            };
            department_page(
                layout,
                status,
                Some(department),
                &data,
                errors,
                String::new(),
                problem,
            )
        }
        Err(e) => Err(page_error(&layout, e)),
    }
}
