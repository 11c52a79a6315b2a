//! API keys: offered when an api_access request is granted, claimed once by the requester
//! (the key is shown then and never again, and stored only as a hash), checked by the city's
//! API gateway, revoked by staff.

use chrono::{Duration, NaiveDateTime};

use super::view::{case_view, Case};
use super::{facts, load_for, AppError, Caller, Conflict, Ctx};
use crate::audit;
use crate::db::models::{ApiKeyRow, RequestRow};
use crate::db::{self, api_keys, requests, Conn};
use crate::domain::step::{KeyClaimed, KeyRevoked, Step};
use crate::domain::transitions::may_manage;
use crate::domain::{Actor, RequestKind, Role};
use crate::secrets;

pub const API_KEY_PREFIX: &str = "rdk_";

/// The key as the requester gets it, this once.
#[derive(Debug, Clone)]
pub struct ClaimedKey {
    /// Shown once: the City stores only its hash.
    pub api_key: String,
    /// Dataset identifiers the key opens.
    pub scopes: Vec<String>,
    /// Requests per hour.
    pub rate_limit: i32,
    pub expires_at: Option<NaiveDateTime>,
}

/// What the gateway learns of a key.
#[derive(Debug, Clone)]
pub struct KeyCheck {
    pub valid: bool,
    pub scopes: Vec<String>,
    pub rate_limit: Option<i32>,
    pub expires_at: Option<NaiveDateTime>,
}

/// Where a request's key stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyState {
    /// Granted, not yet claimed.
    Offered,
    Active,
    Revoked,
    Expired,
}

impl KeyState {
    pub fn as_str(self) -> &'static str {
        match self {
            KeyState::Offered => "offered",
            KeyState::Active => "active",
            KeyState::Revoked => "revoked",
            KeyState::Expired => "expired",
        }
    }

    /// The key opens something, or will once claimed: staff may revoke it.
    pub fn revocable(self) -> bool {
        match self {
            KeyState::Offered | KeyState::Active => true,
            KeyState::Revoked | KeyState::Expired => false,
        }
    }
}

/// A request's key, for the case views.
#[derive(Debug, Clone)]
pub struct KeyStanding {
    pub state: KeyState,
    pub scopes: Vec<String>,
    pub rate_limit: i32,
    pub expires_at: Option<NaiveDateTime>,
}

fn scopes(row: &ApiKeyRow) -> Result<Vec<String>, AppError> {
    serde_json::from_str(&row.scopes)
        .map_err(|e| AppError::unreadable(format!("API key {} scopes: {e}", row.id)))
}

fn state(row: &ApiKeyRow, now: NaiveDateTime) -> KeyState {
    if row.revoked_at.is_some() {
        KeyState::Revoked
    } else if row.expires_at.is_some_and(|at| at <= now) {
        KeyState::Expired
    } else if row.key_hash.is_some() {
        KeyState::Active
    } else {
        KeyState::Offered
    }
}

pub fn standing(row: &ApiKeyRow, now: NaiveDateTime) -> Result<KeyStanding, AppError> {
    Ok(KeyStanding {
        state: state(row, now),
        scopes: scopes(row)?,
        rate_limit: row.rate_limit,
        expires_at: row.expires_at,
    })
}

/// On a grant of an api_access request: the key's terms, ready to be claimed. Answers whether
/// a key was offered.
pub fn offer_on_grant(
    conn: &mut Conn,
    ctx: &Ctx,
    row: &RequestRow,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    if row.kind != RequestKind::ApiAccess || api_keys::for_request(conn, row.id)?.is_some() {
        return Ok(false);
    }
    let scopes = serde_json::to_string(&row.dataset_id.iter().collect::<Vec<_>>())
        .expect("strings serialise");
    let expires_at =
        (ctx.api_key_days > 0).then(|| now + Duration::days(i64::from(ctx.api_key_days)));
    api_keys::offer(
        conn,
        row.id,
        &scopes,
        ctx.api_key_rate_limit,
        expires_at,
        now,
    )?;
    Ok(true)
}

/// The requester claims the key: the first time it is made and shown; after that, 410.
pub fn claim(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
) -> Result<ClaimedKey, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    if actor != Actor::Requester {
        return Err(AppError::Forbidden(
            "only the requester claims the API key".into(),
        ));
    }
    let key = api_keys::for_request(conn, row.id)?.ok_or(Conflict::NoApiKey)?;
    let now = db::now();
    let api_key = secrets::new_token(API_KEY_PREFIX);
    if key.expires_at.is_some_and(|at| at <= now)
        || !api_keys::claim(conn, key.id, &secrets::token_hash(&api_key), now)?
    {
        return Err(AppError::Gone(
            "this API key was already claimed (it is shown only once), revoked or expired".into(),
        ));
    }
    let scopes = scopes(&key)?;
    let step = Step::ApiKeyClaimed(KeyClaimed {
        key_id: key.id,
        scopes: scopes.clone(),
        rate_limit: key.rate_limit,
    });
    audit::append(conn, row.id, now, &audit::Actor::Requester, &step)?;
    Ok(ClaimedKey {
        api_key,
        scopes,
        rate_limit: key.rate_limit,
        expires_at: key.expires_at,
    })
}

/// What the gateway learns of a key: valid only when claimed, not revoked and not expired.
pub fn verify(conn: &mut Conn, key: &str) -> Result<KeyCheck, AppError> {
    let invalid = KeyCheck {
        valid: false,
        scopes: vec![],
        rate_limit: None,
        expires_at: None,
    };
    if !key.starts_with(API_KEY_PREFIX) || key.len() > 100 {
        return Ok(invalid);
    }
    let Some(row) = api_keys::by_hash(conn, &secrets::token_hash(key))? else {
        return Ok(invalid);
    };
    if state(&row, db::now()) != KeyState::Active {
        return Ok(invalid);
    }
    Ok(KeyCheck {
        valid: true,
        scopes: scopes(&row)?,
        rate_limit: Some(row.rate_limit),
        expires_at: row.expires_at,
    })
}

/// Staff revoke a request's key; the requester is told.
pub fn revoke(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    let Actor::Staff(member) = &actor else {
        return Err(AppError::Forbidden("only staff revoke API keys".into()));
    };
    if !(may_manage(&facts(&row), &actor) || member.role == Role::Clerk) {
        return Err(AppError::Forbidden(
            "only the assignee, the Clerk's office or an admin may revoke a key".into(),
        ));
    }
    let key = api_keys::for_request(conn, row.id)?.ok_or(AppError::NotFound)?;
    let now = db::now();
    if !api_keys::revoke(conn, key.id, now)? {
        return Err(Conflict::AlreadyRevoked.into());
    }
    let step = Step::ApiKeyRevoked(KeyRevoked {
        key_id: key.id,
        scopes: scopes(&key)?,
    });
    let mut chain = audit::OpenChain::open(conn, row.id)?;
    chain.append(conn, now, &caller.audit_actor(), &step)?;
    let updated = requests::by_id(conn, row.id)?;
    super::notices::queue(conn, ctx, &mut chain, &updated, &step, now)?;
    chain.close(conn)?;
    case_view(conn, ctx, caller, &actor, &updated)
}
