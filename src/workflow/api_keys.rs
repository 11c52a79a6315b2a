//! API keys: offered when an api_access request is granted, claimed once by the requester
//! (the key is shown then and never again, and stored only as a hash), checked by the city's
//! API gateway, revoked by staff.

use chrono::{Duration, NaiveDateTime};
use serde::Serialize;
use serde_json::json;
use utoipa::ToSchema;

use super::view::{case_view, CaseView};
use super::{facts, load_for, Caller, Ctx, WorkflowError};
use crate::audit::{self, chain::format_time};
use crate::db::models::{ApiKeyRow, RequestRow};
use crate::db::{self, api_keys, requests, Conn};
use crate::domain::transitions::may_manage;
use crate::domain::{Actor, RequestKind, Role};
use crate::notify::Notice;
use crate::secrets;

pub const API_KEY_PREFIX: &str = "rdk_";

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ClaimedKey {
    /// Shown once: keep it safe. The City stores only its hash.
    pub api_key: String,
    /// Dataset identifiers the key opens.
    pub scopes: Vec<String>,
    /// Requests per hour.
    pub rate_limit: i32,
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyCheck {
    pub valid: bool,
    pub scopes: Vec<String>,
    pub rate_limit: Option<i32>,
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
}

/// Where a request's key stands, for the case views.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeyStatus {
    #[schema(schema_with = crate::web::api::fields::key_state)]
    pub state: String,
    pub scopes: Vec<String>,
    pub rate_limit: i32,
    #[schema(format = DateTime)]
    pub expires_at: Option<String>,
}

fn scopes(row: &ApiKeyRow) -> Vec<String> {
    serde_json::from_str(&row.scopes).unwrap_or_default()
}

pub fn status(row: &ApiKeyRow, now: NaiveDateTime) -> KeyStatus {
    let state = if row.revoked_at.is_some() {
        "revoked"
    } else if row.expires_at.is_some_and(|at| at <= now) {
        "expired"
    } else if row.key_hash.is_some() {
        "active"
    } else {
        "offered"
    };
    KeyStatus {
        state: state.into(),
        scopes: scopes(row),
        rate_limit: row.rate_limit,
        expires_at: row.expires_at.map(format_time),
    }
}

/// On a grant of an api_access request: the key's terms, ready to be claimed. Answers whether
/// a key was offered.
pub fn offer_on_grant(
    conn: &mut Conn,
    ctx: &Ctx,
    row: &RequestRow,
    now: NaiveDateTime,
) -> diesel::QueryResult<bool> {
    if RequestKind::parse(&row.kind) != Some(RequestKind::ApiAccess)
        || api_keys::for_request(conn, row.id)?.is_some()
    {
        return Ok(false);
    }
    let scopes = json!(row.dataset_id.iter().collect::<Vec<_>>()).to_string();
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
) -> Result<ClaimedKey, WorkflowError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    if actor != Actor::Requester {
        return Err(WorkflowError::Forbidden(
            "only the requester claims the API key".into(),
        ));
    }
    let key = api_keys::for_request(conn, row.id)?.ok_or(WorkflowError::Conflict {
        code: "no_api_key",
        message: "no API key has been granted for this request".into(),
    })?;
    let now = db::now();
    let api_key = secrets::new_token(API_KEY_PREFIX);
    if key.expires_at.is_some_and(|at| at <= now)
        || !api_keys::claim(conn, key.id, &secrets::token_hash(&api_key), now)?
    {
        return Err(WorkflowError::Gone(
            "this API key was already claimed (it is shown only once), revoked or expired".into(),
        ));
    }
    let details = json!({ "key_id": key.id, "scopes": scopes(&key), "rate_limit": key.rate_limit });
    audit::append(
        conn,
        row.id,
        now,
        &audit::Actor::Requester,
        "api_key_claimed",
        &details,
    )?;
    Ok(ClaimedKey {
        api_key,
        scopes: scopes(&key),
        rate_limit: key.rate_limit,
        expires_at: key.expires_at.map(format_time),
    })
}

/// What the gateway learns of a key: valid only when claimed, not revoked and not expired.
pub fn verify(conn: &mut Conn, key: &str) -> Result<KeyCheck, WorkflowError> {
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
    if status(&row, db::now()).state != "active" {
        return Ok(invalid);
    }
    Ok(KeyCheck {
        valid: true,
        scopes: scopes(&row),
        rate_limit: Some(row.rate_limit),
        expires_at: row.expires_at.map(format_time),
    })
}

/// Staff revoke a request's key; the requester is told.
pub fn revoke(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
) -> Result<CaseView, WorkflowError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    let Actor::Staff(member) = &actor else {
        return Err(WorkflowError::Forbidden(
            "only staff revoke API keys".into(),
        ));
    };
    if !(may_manage(&facts(&row), &actor) || member.role == Role::Clerk) {
        return Err(WorkflowError::Forbidden(
            "only the assignee, the Clerk's office or an admin may revoke a key".into(),
        ));
    }
    let key = api_keys::for_request(conn, row.id)?.ok_or(WorkflowError::NotFound)?;
    let now = db::now();
    if !api_keys::revoke(conn, key.id, now)? {
        return Err(WorkflowError::Conflict {
            code: "already_revoked",
            message: "this API key is already revoked".into(),
        });
    }
    let details = json!({ "key_id": key.id, "scopes": scopes(&key) });
    let mut chain = audit::OpenChain::open(conn, row.id)?;
    chain.append(
        conn,
        now,
        &caller.audit_actor(),
        "api_key_revoked",
        &details,
    )?;
    let updated = requests::by_id(conn, row.id)?;
    super::notices::queue(
        conn,
        ctx,
        &mut chain,
        &updated,
        &[Notice::ApiKeyRevoked],
        Some(("api_key", &details)),
        now,
    )?;
    chain.close(conn)?;
    case_view(conn, ctx, caller, &actor, &updated)
}
