//! Staff accounts: creating them, signing in, and recognising their tokens.

use chrono::NaiveDateTime;
use serde::Deserialize;

use super::{AppError, Conflict, Ctx, StaffAccount};
use crate::audit::admin_chain::{self, AdminEvent};
use crate::db::models::{NewStaff, StaffRow};
use crate::db::{self, staff as staff_db, Conn, Db};
use crate::domain::input::{limits, Email, Text};
use crate::domain::{FieldErrors, Role};
use crate::secrets;

pub const MIN_PASSWORD_CHARS: usize = 12;

pub(crate) fn account(row: StaffRow) -> StaffAccount {
    StaffAccount {
        id: row.id,
        role: row.role,
        email: row.email,
        name: row.name,
        department: row.department,
        title: row.title,
    }
}

/// The active staff accounts by name: who may be named responsible for a determination.
pub fn directory(conn: &mut Conn) -> Result<Vec<StaffAccount>, AppError> {
    let mut accounts: Vec<StaffAccount> =
        staff_db::active(conn)?.into_iter().map(account).collect();
    accounts.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(accounts)
}

/// Staff emails are compared without regard to case.
fn staff_email(raw: &str) -> Result<String, String> {
    Email::parse(raw).map(|e| e.as_str().to_lowercase())
}

/// A staff account as the command line reads it.
#[derive(Debug, Clone, Default)]
pub struct RawStaffAccount {
    pub email: String,
    pub name: String,
    pub role: String,
    pub department: Option<String>,
    /// The title or position letters print beside the name (Gov. Code §7922.540(b)).
    pub title: Option<String>,
    pub password: String,
}

/// A staff account to create: every field checked.
pub struct NewAccount {
    pub email: String,
    pub name: Text,
    pub role: Role,
    pub department: Option<Text>,
    pub title: Option<Text>,
    password: String,
}

impl TryFrom<RawStaffAccount> for NewAccount {
    type Error = FieldErrors;

    fn try_from(raw: RawStaffAccount) -> Result<NewAccount, FieldErrors> {
        let mut errors = FieldErrors::default();
        let email = errors.check("email", staff_email(&raw.email));
        let name = errors.check("name", Text::line(&raw.name, limits::NAME));
        let role = errors.check(
            "role",
            Role::parse(&raw.role)
                .ok_or_else(|| "must be one of clerk, steward, reviewer, admin".to_string()),
        );
        let department = raw
            .department
            .as_deref()
            .filter(|d| !d.trim().is_empty())
            .and_then(|d| errors.check("department", Text::line(d, limits::NAME)));
        let title = raw
            .title
            .as_deref()
            .filter(|t| !t.trim().is_empty())
            .and_then(|t| errors.check("title", Text::line(t, limits::NAME)));
        if raw.password.chars().count() < MIN_PASSWORD_CHARS {
            errors.add(
                "password",
                format!("must be at least {MIN_PASSWORD_CHARS} characters"),
            );
        }
        match (email, name, role) {
            (Some(email), Some(name), Some(role)) if errors.is_empty() => Ok(NewAccount {
                email,
                name,
                role,
                department,
                title,
                password: raw.password,
            }),
            _ => Err(errors),
        }
    }
}

/// Creates an account with an argon2id password hash (`recordsdesk staff add`); its
/// department must be one the directory has.
pub fn add(conn: &mut Conn, mut new: NewAccount) -> Result<StaffAccount, AppError> {
    if staff_db::by_email(conn, &new.email)?.is_some() {
        return Err(Conflict::StaffExists(new.email).into());
    }
    if let Some(department) = &new.department {
        let directory = crate::db::directory::load(conn)?;
        let found = directory.by_name(department.as_str()).ok_or_else(|| {
            AppError::field(
                "department",
                format!(
                    "{:?} is not a department in the directory; the directory has: {}",
                    department.as_str(),
                    directory
                        .departments()
                        .iter()
                        .map(|d| d.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
        })?;
        new.department = Some(
            Text::line(&found.name, limits::NAME).map_err(|e| AppError::field("department", e))?,
        );
    }
    let password_hash =
        secrets::hash_password(&new.password).map_err(|e| AppError::Internal(e.to_string()))?;
    let id = staff_db::insert(
        conn,
        &NewStaff {
            email: &new.email,
            name: new.name.as_str(),
            role: new.role,
            department: new.department.as_ref().map(Text::as_str),
            password_hash: &password_hash,
            active: 1,
            created_at: db::now(),
            title: new.title.as_ref().map(Text::as_str),
        },
    )?;
    let account = StaffAccount {
        id,
        email: new.email,
        name: new.name.into_string(),
        role: new.role,
        department: new.department.map(Text::into_string),
        title: new.title.map(Text::into_string),
    };
    admin_chain::append(
        conn,
        db::now(),
        &crate::audit::Actor::System,
        &AdminEvent::StaffAdded {
            staff_id: id.0,
            account: serde_json::json!({
                "email": account.email,
                "name": account.name,
                "role": account.role.as_str(),
                "department": account.department,
                "title": account.title,
            }),
        },
    )?;
    Ok(account)
}

/// A sign-in as either face reads it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawLogin {
    pub email: Option<String>,
    pub password: Option<String>,
}

/// Credentials to check. The email is not checked for shape: a bad one is simply not an
/// account, and the answer is the same as for a wrong password.
#[derive(Clone)]
pub struct Login {
    pub email: String,
    pub password: String,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Login")
            .field("email", &self.email)
            .finish_non_exhaustive()
    }
}

impl TryFrom<RawLogin> for Login {
    type Error = FieldErrors;

    fn try_from(raw: RawLogin) -> Result<Login, FieldErrors> {
        match (raw.email, raw.password) {
            (Some(email), Some(password)) => Ok(Login { email, password }),
            _ => {
                let mut errors = FieldErrors::default();
                errors.add("credentials", "send email and password");
                Err(errors)
            }
        }
    }
}

/// A staff member signed in, and the token that says so.
#[derive(Debug, Clone)]
pub struct SignedIn {
    /// Sent as `Authorization: Bearer <token>`, or kept in the staff session.
    pub token: String,
    pub expires_at: NaiveDateTime,
    pub staff: StaffAccount,
}

/// Checks the password and issues a bearer token. Unknown emails and wrong passwords get the
/// same answer in about the same time.
pub fn login(db: &Db, ctx: &Ctx, login: &Login) -> Result<SignedIn, AppError> {
    let (email, password) = (login.email.as_str(), login.password.as_str());
    // The password check (tens of milliseconds of argon2) holds no connection and no
    // transaction: a stream of sign-in attempts must not hold up anyone's writes.
    let found = match staff_email(email) {
        Ok(email) => db.read(|conn| Ok::<_, AppError>(staff_db::by_email(conn, &email)?))?,
        Err(_) => None,
    };
    // An invited account has no password until its link is used.
    let Some(row) = found.filter(|s| s.active != 0 && !s.password_hash.is_empty()) else {
        secrets::verify_nobody(password);
        return Err(AppError::BadCredentials);
    };
    if !secrets::verify_password(password, &row.password_hash) {
        return Err(AppError::BadCredentials);
    }
    let account = account(row);
    let token = secrets::new_token(secrets::STAFF_TOKEN_PREFIX);
    let now = db::now();
    let expires_at: NaiveDateTime = now + ctx.staff_token_ttl;
    db.write(|conn| {
        staff_db::delete_dead_tokens(conn, now, now - ctx.staff_idle)?;
        staff_db::insert_token(
            conn,
            &secrets::token_hash(&token),
            account.id,
            now,
            expires_at,
        )
        .map_err(AppError::from)
    })?;
    log::info!("staff {} signed in", account.email);
    Ok(SignedIn {
        token,
        expires_at,
        staff: account,
    })
}

/// A live sign-in: whose it is, and whether its last use should be noted (at most once a
/// minute, so reading a token seldom writes).
pub struct LiveToken {
    pub staff: StaffAccount,
    pub touch: bool,
}

/// The active staff member a live bearer token belongs to: not expired, used within
/// `staff_idle`, the account active.
pub fn by_token(conn: &mut Conn, ctx: &Ctx, token: &str) -> Result<Option<LiveToken>, AppError> {
    let now = db::now();
    let found = staff_db::by_token(conn, &secrets::token_hash(token), now, now - ctx.staff_idle)?;
    let touch_every = (ctx.staff_idle / 4).min(chrono::Duration::minutes(1));
    Ok(found.map(|(row, last_used)| LiveToken {
        staff: account(row),
        touch: last_used <= now - touch_every,
    }))
}

/// Notes a use of a token: its idle time starts again.
pub fn touch(conn: &mut Conn, token: &str) -> Result<(), AppError> {
    Ok(staff_db::touch_token(
        conn,
        &secrets::token_hash(token),
        db::now(),
    )?)
}

/// Ends a sign-in.
pub fn sign_out(conn: &mut Conn, token: &str) -> Result<(), AppError> {
    Ok(staff_db::delete_token(conn, &secrets::token_hash(token))?)
}

/// Ends every sign-in (API tokens and page sessions) of the staff member with this email;
/// how many there were.
pub fn revoke_sessions(conn: &mut Conn, email: &str) -> Result<usize, AppError> {
    let email = staff_email(email).map_err(|_| AppError::NotFound)?;
    let row = staff_db::by_email(conn, &email)?.ok_or(AppError::NotFound)?;
    let ended = staff_db::delete_tokens_of(conn, row.id)?;
    admin_chain::append(
        conn,
        db::now(),
        &crate::audit::Actor::System,
        &AdminEvent::SessionsRevoked {
            staff_id: row.id.0,
            email: email.clone(),
            sessions_ended: ended,
        },
    )?;
    log::info!("ended {ended} sessions of staff {email}");
    Ok(ended)
}
