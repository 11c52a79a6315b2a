//! The department directory as admins keep it (docs/PRODUCT.md, "Departments"): seeded from
//! the configuration once, when the database is new; then added to and changed on the
//! administration pages, each change checked against the rest of the directory in its
//! transaction and recorded in the administration chain.

use serde_json::json;

use super::{AppError, Ctx};
use crate::audit::admin_chain::{self, AdminEvent};
use crate::audit::Actor;
use crate::db::{self, admin as admin_db, directory as directory_db, staff as staff_db, Conn};
use crate::domain::directory::{check_department, Department, DepartmentDetails, RawDepartment};
use crate::domain::{FieldErrors, StaffId};

fn details_json(d: &DepartmentDetails, signers: &[String]) -> serde_json::Value {
    json!({
        "name": d.name,
        "queue": d.queue,
        "email": d.email,
        "phone": d.phone,
        "publishers": d.publishers,
        "hosts": d.hosts,
        "signers": signers,
    })
}

fn as_details(d: &Department) -> DepartmentDetails {
    DepartmentDetails {
        name: d.name.clone(),
        queue: d.queue.clone(),
        email: d.email.clone(),
        phone: d.phone.clone(),
        publishers: d.publishers.clone(),
        hosts: d.hosts.clone(),
    }
}

/// The signers' emails, for the chain: ids say nothing to a reader of the log.
fn emails_of(conn: &mut Conn, ids: &[StaffId]) -> Result<Vec<String>, AppError> {
    let mut emails: Vec<String> = staff_db::by_ids(conn, ids)?
        .into_iter()
        .map(|s| s.email)
        .collect();
    emails.sort();
    Ok(emails)
}

/// Seeds the directory from the configuration the first time a database is opened (when the
/// administration chain is still empty); how many departments it made.
pub fn seed(conn: &mut Conn, configured: &[RawDepartment]) -> Result<Option<usize>, AppError> {
    if admin_db::has_events(conn)? || configured.is_empty() {
        return Ok(None);
    }
    let mut directory = directory_db::load(conn)?;
    if !directory.departments().is_empty() {
        return Ok(None);
    }
    let now = db::now();
    let mut made = Vec::new();
    for raw in configured {
        let details = check_department(raw, &directory, None).map_err(AppError::Invalid)?;
        directory_db::insert(conn, &details, now)?;
        made.push(details_json(&details, &[]));
        directory = directory_db::load(conn)?;
    }
    admin_chain::append(
        conn,
        now,
        &Actor::System,
        &AdminEvent::DirectorySeeded {
            departments: made.clone().into(),
        },
    )?;
    Ok(Some(made.len()))
}

/// Adds a department.
pub fn add(conn: &mut Conn, by: &Actor, raw: &RawDepartment) -> Result<Department, AppError> {
    let directory = directory_db::load(conn)?;
    let details = check_department(raw, &directory, None)?;
    let id = directory_db::insert(conn, &details, db::now())?;
    admin_chain::append(
        conn,
        db::now(),
        by,
        &AdminEvent::DepartmentAdded {
            department_id: id,
            department: details_json(&details, &[]),
        },
    )?;
    get(conn, &details.queue)
}

pub fn get(conn: &mut Conn, queue: &str) -> Result<Department, AppError> {
    directory_db::load(conn)?
        .by_queue(queue)
        .cloned()
        .ok_or(AppError::Missing("there is no department with this queue"))
}

/// A department's changes as a form or JSON body carries them: its details, its signers'
/// emails, and the version they were made on.
#[derive(Debug, Clone, Default)]
pub struct DepartmentChange {
    pub details: RawDepartment,
    pub signers: Vec<String>,
    pub version: Option<i32>,
}

/// Changes a department's contact, catalog names and signers (its name and queue stay).
pub fn change(
    conn: &mut Conn,
    by: &Actor,
    queue: &str,
    change: &DepartmentChange,
) -> Result<Department, AppError> {
    let directory = directory_db::load(conn)?;
    let existing = directory
        .by_queue(queue)
        .cloned()
        .ok_or(AppError::Missing("there is no department with this queue"))?;
    let mut errors = FieldErrors::default();
    let details = match check_department(&change.details, &directory, Some(&existing)) {
        Ok(details) => Some(details),
        Err(e) => {
            errors = e;
            None
        }
    };
    let mut signers = Vec::new();
    let mut unknown: Vec<String> = Vec::new();
    if change.signers.len() > crate::domain::directory::MAX_NAMES {
        errors.add("signers", "at most 100 signers");
    }
    for email in change
        .signers
        .iter()
        .take(crate::domain::directory::MAX_NAMES)
    {
        let found = super::accounts::staff_email(email)
            .ok()
            .map(|e| staff_db::by_email(conn, &e))
            .transpose()?
            .flatten()
            .filter(|s| s.active != 0 && s.role.takes_assignments());
        match found {
            Some(s) if !signers.contains(&s.id) => signers.push(s.id),
            Some(_) => {}
            None => unknown.push(format!("{email} is not an active clerk, steward or admin")),
        }
    }
    if !unknown.is_empty() {
        unknown.dedup();
        errors.add("signers", unknown.join("; "));
    }
    let details = match details {
        Some(details) if errors.is_empty() => details,
        _ => return Err(errors.into()),
    };
    let version = change.version.unwrap_or(existing.version);
    if version != existing.version {
        return Err(AppError::Stale {
            given: version,
            current: existing.version,
        });
    }
    signers.sort_by_key(|s| s.0);
    let before = details_json(&as_details(&existing), &emails_of(conn, &existing.signers)?);
    let after = details_json(&details, &emails_of(conn, &signers)?);
    if before == after {
        return Ok(existing);
    }
    if !directory_db::update(conn, existing.id, version, &details, &signers, db::now())? {
        return Err(AppError::Stale {
            given: version,
            current: version + 1,
        });
    }
    admin_chain::append(
        conn,
        db::now(),
        by,
        &AdminEvent::DepartmentChanged {
            department_id: existing.id,
            before,
            after,
        },
    )?;
    get(conn, queue)
}

/// The names of the staff who sign for a department, for the pages.
pub fn signer_emails(conn: &mut Conn, department: &Department) -> Result<Vec<String>, AppError> {
    emails_of(conn, &department.signers)
}

/// After a change this process committed: read the directory and calendar again.
pub fn reload(conn: &mut Conn, ctx: &Ctx) -> Result<(), AppError> {
    Ok(ctx.live.reload(conn)?)
}
