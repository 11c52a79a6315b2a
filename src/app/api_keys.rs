//! API keys: offered when an api_access request is granted, claimed once by the requester
//! (the key is shown then and never again, and stored only as a hash), checked by the city's
//! API gateway, revoked by staff. A lost key is replaced: the requester asks, staff give a new
//! one, and claiming it turns the old one off (docs/PRODUCT.md, "API keys").

use chrono::{Duration, NaiveDateTime};

use super::view::Case;
use super::{facts, load_for, AppError, Caller, Conflict, Ctx};
use crate::audit;
use crate::db::models::{ApiKeyRow, RequestRow};
use crate::db::{self, api_keys, requests, Conn};
use crate::domain::input::{limits, Text};
use crate::domain::step::{
    KeyClaimed, KeyReplacementAsked, KeyReplacementOffered, KeyRevoked, Step,
};
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

/// Where the replacement of a lost key stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replacement {
    /// The requester said the key is lost, at this time; staff have not yet given a new one.
    Asked(NaiveDateTime),
    /// A new key waits to be claimed; the lost one works until then.
    Ready,
}

/// A request's key, for the case views.
#[derive(Debug, Clone)]
pub struct KeyStanding {
    pub state: KeyState,
    pub scopes: Vec<String>,
    pub rate_limit: i32,
    pub expires_at: Option<NaiveDateTime>,
    pub replacement: Option<Replacement>,
}

impl KeyStanding {
    /// The requester may say the key is lost: it was collected, works, and no new one is asked
    /// for or waiting.
    pub fn replaceable(&self) -> bool {
        self.state == KeyState::Active && self.replacement.is_none()
    }
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

/// The standing of the request's current key (its newest, `row`). A replacement waiting to be
/// claimed stands for the lost key it replaces: that is the one that works.
pub fn standing(
    conn: &mut Conn,
    row: &ApiKeyRow,
    now: NaiveDateTime,
) -> Result<KeyStanding, AppError> {
    let waiting = state(row, now) == KeyState::Offered;
    if let (true, Some(lost_id)) = (waiting, row.replaces) {
        let lost = api_keys::by_id(conn, lost_id)?;
        return Ok(KeyStanding {
            replacement: Some(Replacement::Ready),
            ..standing_of(&lost, now)?
        });
    }
    standing_of(row, now)
}

fn standing_of(row: &ApiKeyRow, now: NaiveDateTime) -> Result<KeyStanding, AppError> {
    let state = state(row, now);
    Ok(KeyStanding {
        state,
        scopes: scopes(row)?,
        rate_limit: row.rate_limit,
        expires_at: row.expires_at,
        replacement: row
            .replacement_asked_at
            .filter(|_| state == KeyState::Active)
            .map(Replacement::Asked),
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
        None,
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
    // Claiming a replacement turns the lost key off, in the same transaction.
    let replaced = match key.replaces {
        Some(lost) => api_keys::revoke(conn, lost, now)?.then_some(lost),
        None => None,
    };
    let scopes = scopes(&key)?;
    let step = Step::ApiKeyClaimed(KeyClaimed {
        key_id: key.id,
        scopes: scopes.clone(),
        rate_limit: key.rate_limit,
        replaced,
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
    may_act_on_keys(&row, &actor, "revoke a key")?;
    let key = api_keys::for_request(conn, row.id)?.ok_or(AppError::NotFound)?;
    let now = db::now();
    // The working key and a replacement waiting to be claimed go together.
    if api_keys::revoke_all(conn, row.id, now)? == 0 {
        return Err(Conflict::AlreadyRevoked.into());
    }
    let step = Step::ApiKeyRevoked(KeyRevoked {
        key_id: key.id,
        scopes: scopes(&key)?,
    });
    super::manage::record(conn, ctx, caller, &actor, &row, None, &step)
}

/// The requester says their key is lost and asks for a new one; the staff on the request are
/// told. The lost key keeps working until its replacement is claimed.
pub fn ask_replacement(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    reason: Option<&str>,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    if actor != Actor::Requester {
        return Err(AppError::Forbidden(
            "only the requester asks for a new API key".into(),
        ));
    }
    // Optional; checked once the caller may ask, so a refusal for who they are comes first.
    let reason = match reason.map(str::trim).filter(|r| !r.is_empty()) {
        Some(raw) => Some(
            Text::multiline(raw, limits::FIELD_TEXT)
                .map_err(|message| AppError::field("reason", message))?
                .as_str()
                .to_string(),
        ),
        None => None,
    };
    let key = api_keys::for_request(conn, row.id)?.ok_or(Conflict::NoApiKey)?;
    let now = db::now();
    if !standing(conn, &key, now)?.replaceable() || !api_keys::ask_replacement(conn, key.id, now)? {
        return Err(Conflict::KeyNotReplaceable.into());
    }
    let step = Step::ApiKeyReplacementAsked(KeyReplacementAsked {
        key_id: key.id,
        reason,
    });
    super::manage::record(conn, ctx, caller, &actor, &row, None, &step)
}

/// Staff give a new key in place of a lost one: the same datasets, rate and end date. The
/// requester is emailed; the key is made when they claim it.
pub fn replace(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    may_act_on_keys(&row, &actor, "give a new key")?;
    // Two staff giving a new key at once take turns on the request's row, so the second sees
    // the first's offer and is refused (409), not stopped by the one-offer index (500).
    requests::lock(conn, row.id)?;
    let lost = api_keys::for_request(conn, row.id)?.ok_or(AppError::NotFound)?;
    let now = db::now();
    let asked = matches!(
        standing(conn, &lost, now)?.replacement,
        Some(Replacement::Asked(_))
    );
    if !asked {
        return Err(Conflict::NoKeyReplacementAsked.into());
    }
    let key_id = api_keys::offer(
        conn,
        row.id,
        &lost.scopes,
        lost.rate_limit,
        lost.expires_at,
        Some(lost.id),
        now,
    )?;
    let step = Step::ApiKeyReplacementOffered(KeyReplacementOffered {
        key_id,
        replaces: lost.id,
    });
    super::manage::record(conn, ctx, caller, &actor, &row, None, &step)
}

/// Who may act on a request's key: its assignee or anyone who may manage it, the Clerk's office,
/// an admin.
fn may_act_on_keys(row: &RequestRow, actor: &Actor, what: &str) -> Result<(), AppError> {
    let Actor::Staff(member) = actor else {
        return Err(AppError::Forbidden(format!("only staff {what}")));
    };
    if may_manage(&facts(row), actor) || member.role == Role::Clerk {
        Ok(())
    } else {
        Err(AppError::Forbidden(format!(
            "only the assignee, the Clerk's office or an admin may {what}"
        )))
    }
}
