//! Staff accounts: creating them, signing in, and recognising their tokens.

use chrono::NaiveDateTime;
use serde::Serialize;
use utoipa::ToSchema;

use super::{Ctx, StaffAccount, WorkflowError};
use crate::db::models::{NewStaff, StaffRow};
use crate::db::{self, staff as staff_db, Conn, Db};
use crate::domain::input::{limits, Email, Text};
use crate::domain::{FieldErrors, Role};
use crate::secrets;

pub const MIN_PASSWORD_CHARS: usize = 12;

fn account(row: StaffRow) -> Option<StaffAccount> {
    Some(StaffAccount {
        id: row.id,
        role: Role::parse(&row.role)?,
        email: row.email,
        name: row.name,
        department: row.department,
    })
}

/// Staff emails are compared without regard to case.
fn staff_email(raw: &str) -> Result<String, String> {
    Email::parse(raw).map(|e| e.as_str().to_lowercase())
}

/// Creates an account with an argon2id password hash.
pub fn add(
    conn: &mut Conn,
    email: &str,
    name: &str,
    role: &str,
    department: Option<&str>,
    password: &str,
) -> Result<StaffAccount, WorkflowError> {
    let mut errors = FieldErrors::default();
    let email = errors.check("email", staff_email(email));
    let name = errors.check("name", Text::line(name, limits::NAME));
    let role = errors.check(
        "role",
        Role::parse(role)
            .ok_or_else(|| "must be one of clerk, steward, reviewer, admin".to_string()),
    );
    let department = department
        .filter(|d| !d.trim().is_empty())
        .and_then(|d| errors.check("department", Text::line(d, limits::NAME)));
    if password.chars().count() < MIN_PASSWORD_CHARS {
        errors.add(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        );
    }
    let (Some(email), Some(name), Some(role)) = (email, name, role) else {
        return Err(WorkflowError::Invalid(errors));
    };
    errors.into_result()?;
    if staff_db::by_email(conn, &email)?.is_some() {
        return Err(WorkflowError::Conflict {
            code: "staff_exists",
            message: format!("a staff account for {email} already exists"),
        });
    }
    let password_hash =
        secrets::hash_password(password).map_err(|e| WorkflowError::Internal(e.to_string()))?;
    let id = staff_db::insert(
        conn,
        &NewStaff {
            email: &email,
            name: name.as_str(),
            role: role.as_str(),
            department: department.as_ref().map(Text::as_str),
            password_hash: &password_hash,
            active: 1,
            created_at: db::now(),
        },
    )?;
    Ok(StaffAccount {
        id,
        email,
        name: name.into_string(),
        role,
        department: department.map(Text::into_string),
    })
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LoginView {
    /// Send as `Authorization: Bearer <token>`.
    pub token: String,
    #[schema(format = DateTime)]
    pub expires_at: String,
    pub staff: StaffView,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct StaffView {
    pub email: String,
    pub name: String,
    pub role: Role,
    pub department: Option<String>,
}

/// Checks the password and issues a bearer token. Unknown emails and wrong passwords get the
/// same answer in about the same time.
pub fn login(db: &Db, ctx: &Ctx, email: &str, password: &str) -> Result<LoginView, WorkflowError> {
    // The password check (tens of milliseconds of argon2) holds no connection and no
    // transaction: a stream of sign-in attempts must not hold up anyone's writes.
    let found = match staff_email(email) {
        Ok(email) => db.read(|conn| Ok::<_, WorkflowError>(staff_db::by_email(conn, &email)?))?,
        Err(_) => None,
    };
    let Some(row) = found.filter(|s| s.active != 0) else {
        secrets::verify_nobody(password);
        return Err(WorkflowError::BadCredentials);
    };
    if !secrets::verify_password(password, &row.password_hash) {
        return Err(WorkflowError::BadCredentials);
    }
    let account = account(row).ok_or(WorkflowError::BadCredentials)?;
    let token = secrets::new_token(secrets::STAFF_TOKEN_PREFIX);
    let now = db::now();
    let expires_at: NaiveDateTime = now + ctx.staff_token_ttl;
    db.write(|conn| {
        staff_db::insert_token(
            conn,
            &secrets::token_hash(&token),
            account.id,
            now,
            expires_at,
        )
        .map_err(WorkflowError::from)
    })?;
    log::info!("staff {} signed in", account.email);
    Ok(LoginView {
        token,
        expires_at: crate::audit::chain::format_time(expires_at),
        staff: StaffView {
            email: account.email,
            name: account.name,
            role: account.role,
            department: account.department,
        },
    })
}

/// The active staff member a live bearer token belongs to.
pub fn by_token(conn: &mut Conn, token: &str) -> Result<Option<StaffAccount>, WorkflowError> {
    Ok(staff_db::by_token(conn, &secrets::token_hash(token), db::now())?.and_then(account))
}
