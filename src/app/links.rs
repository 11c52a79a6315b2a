//! Private links (docs/PRODUCT.md, "Private links"): staff revoke every link a request has
//! given, and a new one goes to the requester's email, the one place a link is trusted to.

use super::view::{case_view, Case};
use super::{facts, load_for, AppError, Caller, Conflict, Ctx};
use crate::audit;
use crate::db::{self, links, requests, Conn};
use crate::domain::input::{limits, Text};
use crate::domain::step::{LinksRevoked, Step};
use crate::domain::transitions::may_manage;
use crate::domain::{Actor, Role};

/// Revokes the request's open private links and sends the requester a new one.
pub fn revoke_all(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    reason: Option<&str>,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    let Actor::Staff(member) = &actor else {
        return Err(AppError::Forbidden(
            "only staff revoke private links".into(),
        ));
    };
    if !(may_manage(&facts(&row), &actor) || member.role == Role::Clerk) {
        return Err(AppError::Forbidden(
            "only the assignee, the Clerk's office or an admin may revoke private links".into(),
        ));
    }
    // Checked once the caller may revoke: a refusal for who they are comes first.
    let reason = Text::multiline(reason.unwrap_or(""), limits::FIELD_TEXT)
        .map_err(|message| AppError::field("reason", message))?;
    let now = db::now();
    let token_hashes = links::revoke_all(conn, row.id, now)?;
    if token_hashes.is_empty() {
        return Err(Conflict::NoOpenLinks.into());
    }
    let step = Step::LinksRevoked(LinksRevoked {
        token_hashes,
        reason: reason.as_str().to_string(),
    });
    let mut chain = audit::OpenChain::open(conn, row.id)?;
    chain.append(conn, now, &caller.audit_actor(), &step)?;
    let updated = requests::by_id(conn, row.id)?;
    super::notices::queue(conn, ctx, &mut chain, &updated, &step, now)?;
    chain.close(conn)?;
    case_view(conn, ctx, caller, &actor, &updated)
}
