//! Private links (docs/PRODUCT.md, "Private links"): staff revoke every link a request has
//! given, and a new one goes to the requester's email, the one place a link is trusted to.

use super::view::{case_view, Case};
use super::{facts, load_for, AppError, Caller, Conflict, Ctx};
use crate::audit;
use crate::db::{self, links, requests, Conn};
use crate::domain::input::{limits, Text};
use crate::domain::step::{LinkIssued, LinkRequested, LinksRevoked, Step};
use crate::domain::transitions::may_manage;
use crate::domain::{Actor, Role};

/// Links revoked, and the new one when nobody can be sent it.
#[derive(Debug, Clone)]
pub struct Revoked {
    pub case: Case,
    /// A requester who gave neither an email nor a postal address has no letter to carry a
    /// new link: it is minted now and shown once to the staff member, to give them in person.
    pub private_url: Option<String>,
}

/// Revokes the request's open private links and sends the requester a new one: by email, in
/// a letter to post, or, when they gave neither address, to the staff member to hand over.
pub fn revoke_all(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    reason: Option<&str>,
) -> Result<Revoked, AppError> {
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
    chain.append(now, &caller.audit_actor(), &step);
    let updated = requests::by_id(conn, row.id)?;
    super::notices::queue(conn, ctx, &mut chain, &updated, &step, now)?;
    let requester = requests::requester(conn, row.requester_id)?;
    let unreachable = requester.email.is_none() && requester.postal_address.is_none();
    let private_url = if unreachable {
        let token = crate::secrets::new_token(crate::secrets::REQUESTER_TOKEN_PREFIX);
        let token_hash = crate::secrets::token_hash(&token);
        links::insert(
            conn,
            &links::NewLink {
                request_id: row.id,
                token_hash: &token_hash,
                outbox_id: None,
                created_at: now,
            },
        )?;
        let issued = Step::LinkIssued(LinkIssued {
            token_hash,
            outbox_id: None,
            letter: None,
        });
        chain.append(now, &caller.audit_actor(), &issued);
        Some(format!(
            "{}/requests/{}?token={token}",
            ctx.public_url, row.tracking_number
        ))
    } else {
        None
    };
    chain.close(conn)?;
    Ok(Revoked {
        case: case_view(conn, ctx, caller, &actor, &updated)?,
        private_url,
    })
}

/// How many new links "Find your request" sends for one request in an hour; asks past it are
/// answered the same and send nothing, so the form cannot flood a requester's inbox.
pub const RESENDS_PER_HOUR: i64 = 3;

/// What "Find your request" did. The visitor is told the same whichever it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resend {
    /// The tracking number and email matched: a new link is on its way.
    Sent,
    /// No request has this tracking number and requester email.
    NoMatch,
    /// The request already had its new links for this hour.
    Limited,
}

/// Sends the requester a new private link when `email` is the email the request was filed
/// with (compared without regard to capitals); otherwise does nothing. The step is in the
/// request's audit chain, and its notice goes out like any other.
pub fn resend(
    conn: &mut Conn,
    ctx: &Ctx,
    tracking_number: &str,
    email: &str,
) -> Result<Resend, AppError> {
    let Some(row) = requests::by_tracking_number(conn, tracking_number)? else {
        return Ok(Resend::NoMatch);
    };
    let requester = requests::requester(conn, row.requester_id)?;
    let given = email.trim();
    // A request filed without an email address never matches: its private link is the only
    // way back, as the requester was told when filing.
    let matches = requester
        .email
        .as_deref()
        .is_some_and(|known| known.eq_ignore_ascii_case(given));
    if given.is_empty() || !matches {
        return Ok(Resend::NoMatch);
    }
    let now = db::now();
    // Counted with the chain open (its head locked), so two asks at once count each other.
    let mut chain = audit::OpenChain::open(conn, row.id)?;
    let asked = audit::store::count_since(
        conn,
        row.id,
        "link_requested",
        now - chrono::Duration::hours(1),
    )?;
    if asked >= RESENDS_PER_HOUR {
        return Ok(Resend::Limited);
    }
    let step = Step::LinkRequested(LinkRequested {});
    chain.append(now, &audit::Actor::System, &step);
    super::notices::queue(conn, ctx, &mut chain, &row, &step, now)?;
    chain.close(conn)?;
    Ok(Resend::Sent)
}
