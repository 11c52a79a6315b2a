//! Staff accounts as admins keep them (docs/PRODUCT.md, "Staff accounts"): invite by email,
//! change name, role, department and title, disable and enable, send a password reset; and
//! the one-time link that sets a password. Each change is an event of the administration
//! chain, in the change's transaction. The last active admin is never disabled or demoted.

use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use super::{AppError, Conflict, Ctx, StaffAccount};
use crate::audit::admin_chain::{self, AdminEvent};
use crate::audit::Actor;
use crate::db::models::{NewStaff, StaffRow};
use crate::db::{self, admin as admin_db, staff as staff_db, Conn};
use crate::domain::directory::Directory;
use crate::domain::input::{limits, Email, Text};
use crate::domain::{FieldErrors, Role, StaffId};
use crate::notify::account_mail::{self, AccountLetter, AccountMail};
use crate::secrets;

/// What one-time links' tokens start with.
pub const LINK_TOKEN_PREFIX: &str = "rdp_";

/// An account as the administration pages list it.
#[derive(Debug, Clone)]
pub struct AccountListing {
    pub account: StaffAccount,
    pub active: bool,
    /// Invited and no password chosen yet.
    pub invited: bool,
    pub created_at: NaiveDateTime,
}

pub(crate) fn listing(row: StaffRow) -> AccountListing {
    AccountListing {
        active: row.active != 0,
        invited: row.password_hash.is_empty(),
        created_at: row.created_at,
        account: super::staff::account(row),
    }
}

/// Every account, by name.
pub fn list(conn: &mut Conn) -> Result<Vec<AccountListing>, AppError> {
    Ok(staff_db::all(conn)?.into_iter().map(listing).collect())
}

pub fn get(conn: &mut Conn, id: StaffId) -> Result<AccountListing, AppError> {
    staff_db::by_id(conn, id)?
        .map(listing)
        .ok_or(AppError::Missing("there is no staff account with this id"))
}

/// An account's details as a form or a JSON body carries them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct RawAccount {
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: Option<String>,
    pub department: Option<String>,
    pub title: Option<String>,
}

/// Name, role, department and title, checked; the department one the directory has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountDetails {
    pub name: String,
    pub role: Role,
    /// The department's name as the directory spells it.
    pub department: Option<String>,
    pub title: Option<String>,
}

/// An invitation: the details and the address it goes to.
#[derive(Debug, Clone)]
pub struct Invitation {
    pub email: String,
    pub details: AccountDetails,
}

fn details(
    raw: &RawAccount,
    directory: &Directory,
    errors: &mut FieldErrors,
) -> Option<AccountDetails> {
    let name = errors.check(
        "name",
        Text::line(raw.name.as_deref().unwrap_or(""), limits::NAME),
    );
    let role = errors.check(
        "role",
        Role::parse(raw.role.as_deref().unwrap_or(""))
            .ok_or_else(|| "must be one of clerk, steward, reviewer, admin".to_string()),
    );
    let department = raw
        .department
        .as_deref()
        .filter(|d| !d.trim().is_empty())
        // Checked as the line the API documents before it is looked up, which ignores
        // punctuation, so that what the lookup would overlook is refused as well.
        .and_then(|d| errors.check("department", Text::line(d, limits::NAME)))
        .and_then(|d| match directory.by_name(d.as_str()) {
            Some(found) => Some(found.name.clone()),
            None => {
                errors.add(
                    "department",
                    "is not a department in the directory (an admin adds departments under Administration)",
                );
                None
            }
        });
    let title = raw
        .title
        .as_deref()
        .filter(|t| !t.trim().is_empty())
        .and_then(|t| errors.check("title", Text::line(t, limits::NAME)))
        .map(Text::into_string);
    Some(AccountDetails {
        name: name?.into_string(),
        role: role?,
        department,
        title,
    })
}

/// Staff emails are compared without regard to case.
pub fn staff_email(raw: &str) -> Result<String, String> {
    Email::parse(raw).map(|e| e.as_str().to_lowercase())
}

impl Invitation {
    pub fn check(raw: &RawAccount, directory: &Directory) -> Result<Invitation, FieldErrors> {
        let mut errors = FieldErrors::default();
        let email = errors.check("email", staff_email(raw.email.as_deref().unwrap_or("")));
        let details = details(raw, directory, &mut errors);
        match (email, details) {
            (Some(email), Some(details)) if errors.is_empty() => Ok(Invitation { email, details }),
            _ => Err(errors),
        }
    }
}

impl AccountDetails {
    pub fn check(raw: &RawAccount, directory: &Directory) -> Result<AccountDetails, FieldErrors> {
        let mut errors = FieldErrors::default();
        match details(raw, directory, &mut errors) {
            Some(details) if errors.is_empty() => Ok(details),
            _ => Err(errors),
        }
    }
}

fn account_json(email: &str, details: &AccountDetails) -> serde_json::Value {
    json!({
        "email": email,
        "name": details.name,
        "role": details.role.as_str(),
        "department": details.department,
        "title": details.title,
    })
}

/// Creates the account (no password: it cannot sign in yet) and emails its link.
pub fn invite(
    conn: &mut Conn,
    ctx: &Ctx,
    by: &Actor,
    invitation: &Invitation,
) -> Result<AccountListing, AppError> {
    if staff_db::by_email(conn, &invitation.email)?.is_some() {
        return Err(Conflict::StaffExists(invitation.email.clone()).into());
    }
    let now = db::now();
    let d = &invitation.details;
    let id = staff_db::insert(
        conn,
        &NewStaff {
            email: &invitation.email,
            name: &d.name,
            role: d.role,
            department: d.department.as_deref(),
            password_hash: "",
            active: 1,
            created_at: now,
            title: d.title.as_deref(),
        },
    )?;
    let row = staff_db::by_id(conn, id)?.ok_or(AppError::NotFound)?;
    let (link_hash, expires_at) = send_link(conn, ctx, &row, AccountLetter::Invitation, now)?;
    admin_chain::append(
        conn,
        now,
        by,
        &AdminEvent::StaffInvited {
            staff_id: id.0,
            account: account_json(&invitation.email, d),
            link_hash,
            expires_at: crate::audit::chain::format_time(expires_at),
        },
    )?;
    log::info!("staff {} invited", invitation.email);
    Ok(listing(row))
}

/// Makes a one-time link for the account, ends its earlier ones and queues the letter.
fn send_link(
    conn: &mut Conn,
    ctx: &Ctx,
    row: &StaffRow,
    letter: AccountLetter,
    now: NaiveDateTime,
) -> Result<(String, NaiveDateTime), AppError> {
    let lasts = match letter {
        AccountLetter::Invitation => ctx.invitation_ttl,
        AccountLetter::Reset => ctx.reset_ttl,
    };
    let expires_at = now + lasts;
    admin_db::end_links_of(conn, row.id, now)?;
    let token = secrets::new_token(LINK_TOKEN_PREFIX);
    let token_hash = secrets::token_hash(&token);
    admin_db::insert_link(conn, &token_hash, row.id, letter.purpose(), now, expires_at)?;
    let link = format!("{}/staff/password?token={token}", ctx.public_url);
    let expires_local = ctx.clock.local(expires_at);
    account_mail::enqueue(
        conn,
        &AccountMail {
            letter,
            to: &row.email,
            name: &row.name,
            role: row.role,
            department: row.department.as_deref(),
            link: &link,
            expires_local,
            office: &ctx.office,
        },
        &token,
        &ctx.mail_domain,
        now,
    )?;
    Ok((token_hash, expires_at))
}

/// Whether changing `row` away from an active admin would leave no active admin.
fn leaves_no_admin(conn: &mut Conn, row: &StaffRow) -> Result<bool, AppError> {
    Ok(row.role == Role::Admin
        && row.active != 0
        && staff_db::other_active_admins(conn, row.id)? == 0)
}

fn load(conn: &mut Conn, id: StaffId) -> Result<StaffRow, AppError> {
    staff_db::by_id(conn, id)?.ok_or(AppError::Missing("there is no staff account with this id"))
}

/// Changes name, role, department and title; the last active admin keeps the admin role.
pub fn change(
    conn: &mut Conn,
    by: &Actor,
    id: StaffId,
    new: &AccountDetails,
) -> Result<AccountListing, AppError> {
    let row = load(conn, id)?;
    if new.role != Role::Admin && leaves_no_admin(conn, &row)? {
        return Err(Conflict::LastAdmin.into());
    }
    let before = AccountDetails {
        name: row.name.clone(),
        role: row.role,
        department: row.department.clone(),
        title: row.title.clone(),
    };
    if &before == new {
        return Ok(listing(row));
    }
    staff_db::update_details(
        conn,
        id,
        &new.name,
        new.role,
        new.department.as_deref(),
        new.title.as_deref(),
    )?;
    let mut changes = serde_json::Map::new();
    let mut differs = |field: &str, was: serde_json::Value, is: serde_json::Value| {
        if was != is {
            changes.insert(field.into(), json!({ "from": was, "to": is }));
        }
    };
    differs("name", json!(before.name), json!(new.name));
    differs(
        "role",
        json!(before.role.as_str()),
        json!(new.role.as_str()),
    );
    differs(
        "department",
        json!(before.department),
        json!(new.department),
    );
    differs("title", json!(before.title), json!(new.title));
    admin_chain::append(
        conn,
        db::now(),
        by,
        &AdminEvent::StaffChanged {
            staff_id: id.0,
            email: row.email.clone(),
            changes: changes.into(),
        },
    )?;
    get(conn, id)
}

/// Disables an account and ends every sign-in of it at once; the last active admin stays.
pub fn disable(conn: &mut Conn, by: &Actor, id: StaffId) -> Result<AccountListing, AppError> {
    let row = load(conn, id)?;
    if row.active == 0 {
        return Ok(listing(row));
    }
    if leaves_no_admin(conn, &row)? {
        return Err(Conflict::LastAdmin.into());
    }
    let now = db::now();
    staff_db::set_active(conn, id, false)?;
    let ended = staff_db::delete_tokens_of(conn, id)?;
    admin_db::end_links_of(conn, id, now)?;
    admin_chain::append(
        conn,
        now,
        by,
        &AdminEvent::StaffDisabled {
            staff_id: id.0,
            email: row.email.clone(),
            sessions_ended: ended,
        },
    )?;
    log::info!("staff {} disabled; {ended} sessions ended", row.email);
    get(conn, id)
}

pub fn enable(conn: &mut Conn, by: &Actor, id: StaffId) -> Result<AccountListing, AppError> {
    let row = load(conn, id)?;
    if row.active != 0 {
        return Ok(listing(row));
    }
    staff_db::set_active(conn, id, true)?;
    admin_chain::append(
        conn,
        db::now(),
        by,
        &AdminEvent::StaffEnabled {
            staff_id: id.0,
            email: row.email.clone(),
        },
    )?;
    get(conn, id)
}

/// Emails a link to choose a new password (an invited account gets its invitation again).
pub fn send_reset(
    conn: &mut Conn,
    ctx: &Ctx,
    by: &Actor,
    id: StaffId,
) -> Result<AccountListing, AppError> {
    let row = load(conn, id)?;
    if row.active == 0 {
        return Err(Conflict::AccountDisabled.into());
    }
    let now = db::now();
    let letter = if row.password_hash.is_empty() {
        AccountLetter::Invitation
    } else {
        AccountLetter::Reset
    };
    let (link_hash, expires_at) = send_link(conn, ctx, &row, letter, now)?;
    admin_chain::append(
        conn,
        now,
        by,
        &AdminEvent::ResetSent {
            staff_id: id.0,
            email: row.email.clone(),
            link_hash,
            expires_at: crate::audit::chain::format_time(expires_at),
        },
    )?;
    Ok(listing(row))
}

/// Who a live one-time link is for, and what it is for.
#[derive(Debug, Clone)]
pub struct LinkHolder {
    pub account: StaffAccount,
    pub invitation: bool,
}

/// The account a link sets the password of; 410 when it was used, ended or ran out.
pub fn link_holder(conn: &mut Conn, token: &str) -> Result<LinkHolder, AppError> {
    let gone = || {
        AppError::Gone(
            "this link has been used, has run out or was replaced by a newer one; ask an administrator for a new one".into(),
        )
    };
    if !token.starts_with(LINK_TOKEN_PREFIX) || token.len() > 200 {
        return Err(gone());
    }
    let link = admin_db::link(conn, &secrets::token_hash(token))?.ok_or_else(gone)?;
    if link.used_at.is_some() || link.expires_at <= db::now() {
        return Err(gone());
    }
    let row = load(conn, link.staff_id)?;
    if row.active == 0 {
        return Err(gone());
    }
    Ok(LinkHolder {
        invitation: link.purpose == AccountLetter::Invitation.purpose(),
        account: super::staff::account(row),
    })
}

/// A new password, checked.
pub struct NewPassword(String);

impl NewPassword {
    pub fn check(password: Option<&str>, again: Option<&str>) -> Result<NewPassword, FieldErrors> {
        let mut errors = FieldErrors::default();
        let password = password.unwrap_or("");
        if password.chars().count() < super::staff::MIN_PASSWORD_CHARS {
            errors.add(
                "password",
                format!(
                    "must be at least {} characters",
                    super::staff::MIN_PASSWORD_CHARS
                ),
            );
        } else if password.chars().count() > 1000 {
            errors.add("password", "must be at most 1,000 characters");
        } else if again.is_some_and(|a| a != password) {
            errors.add("password_again", "must be the same password as above");
        }
        errors.into_result()?;
        Ok(NewPassword(password.to_string()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Sets the password with a one-time link and spends it; every earlier sign-in ends. The hash
/// is computed before the transaction (`password_hash`).
pub fn set_password(
    conn: &mut Conn,
    token: &str,
    password_hash: &str,
) -> Result<StaffAccount, AppError> {
    let holder = link_holder(conn, token)?;
    let now = db::now();
    let token_hash = secrets::token_hash(token);
    if !admin_db::spend_link(conn, &token_hash, now)? {
        return Err(AppError::Gone("this link has just been used".into()));
    }
    let id = holder.account.id;
    staff_db::set_password_hash(conn, id, password_hash)?;
    let ended = staff_db::delete_tokens_of(conn, id)?;
    admin_chain::append(
        conn,
        now,
        &holder.account.audit_actor(),
        &AdminEvent::PasswordSet {
            staff_id: id.0,
            email: holder.account.email.clone(),
            link_hash: token_hash,
            sessions_ended: ended,
        },
    )?;
    Ok(holder.account)
}

/// How long links last, from the settings.
pub fn link_lifetimes(settings: &crate::config::Settings) -> (Duration, Duration) {
    (
        Duration::hours(settings.auth.invitation_hours.clamp(1, 24 * 30)),
        Duration::minutes(settings.auth.reset_minutes.clamp(5, 24 * 60)),
    )
}
