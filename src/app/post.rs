//! Letters by post (docs/PRODUCT.md, "Letters by post"): a requester staff recorded with a
//! postal address and no email gets every letter on paper; one whose email stopped working
//! (a bounce) gets those of the steps from then on. Which letters are due is read from
//! the audit log (each step's letters to the requester, as `Notice::for_step` writes them for
//! email), less those staff marked posted; nothing is queued for them, so both backends'
//! filing paths stay as they are. Printing a letter mints its own private link, as sending an
//! email does, and says so in the log.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::{letters, AppError, Caller, Ctx, StaffAccount};
use crate::audit;
use crate::db::models::{NewPostedLetter, RequestRow, RequesterRow};
use crate::db::schema::posted_letters;
use crate::db::{self, Conn};
use crate::domain::ids::RequesterId;
use crate::domain::notices::NoticeKind;
use crate::domain::step::{LetterPosted, LinkIssued, Step};
use crate::notify::render::Rendered;
use crate::notify::{private_link, Notice};

/// A letter waiting to be posted.
#[derive(Debug, Clone)]
pub struct LetterToPost {
    pub tracking_number: String,
    /// The audit event whose step the letter tells of.
    pub event_seq: i64,
    pub notice: NoticeKind,
    pub subject: String,
    /// When the step happened (UTC).
    pub at: NaiveDateTime,
    pub requester_name: Option<String>,
}

/// A letter as printed: the requester's name and address, the date of its step, the letter.
#[derive(Debug, Clone)]
pub struct PrintedLetter {
    pub tracking_number: String,
    pub requester_name: Option<String>,
    pub postal_address: String,
    pub at: NaiveDateTime,
    pub letter: Rendered,
    /// The language it is written in: the request's.
    pub language: crate::wording::Language,
}

/// The requests whose letters go by post, as this staff member may see them, in the order
/// they were filed: their requesters first, by `requesters_by_post` (migration 32), which holds
/// only those, then each one's requests by `requests_by_requester`. In two queries, not a
/// join: SQLite, without statistics, would join by walking every request and looking up its
/// requester, whatever the index.
fn postal_requests(
    conn: &mut Conn,
    staff: &StaffAccount,
) -> QueryResult<Vec<(RequestRow, RequesterRow)>> {
    let postal: Vec<RequesterRow> = db::requests::writing_by_post()
        .select(RequesterRow::as_select())
        .load(conn)?;
    let member = staff.member();
    let mut rows = Vec::new();
    // A bounded list of ids per query: SQLite binds each one.
    for some in postal.chunks(1000) {
        let by_id: HashMap<RequesterId, &RequesterRow> = some.iter().map(|r| (r.id, r)).collect();
        let theirs: Vec<RequestRow> =
            db::requests::of_requesters(some.iter().map(|r| r.id).collect())
                .select(RequestRow::as_select())
                .load(conn)?;
        for row in theirs {
            if !member.can_see(&row.queue, row.assignee_id) {
                continue;
            }
            if let Some(&requester) = by_id.get(&row.requester_id) {
                rows.push((row, requester.clone()));
            }
        }
    }
    rows.sort_unstable_by_key(|(row, _)| row.id);
    Ok(rows)
}

/// Hands `each` every letter to the requester the request's steps call for (`letters`), with
/// its event's seq and time, less those emailed while the address worked.
fn each_letter(
    chain: &letters::Chain,
    ctx: &Ctx,
    row: &RequestRow,
    requester: &RequesterRow,
    mut each: impl FnMut(i64, NaiveDateTime, &Notice<'_>) -> Result<(), AppError>,
) -> Result<(), AppError> {
    letters::each_letter(
        chain,
        ctx,
        row,
        requester.name.as_deref(),
        |event, notice| {
            // Emailed while the address worked.
            if requester.email.is_some() && requester.email_bounced_at.is_some_and(|t| event.at < t)
            {
                return Ok(());
            }
            each(event.seq, event.at, notice)
        },
    )
}

/// Which letters of a request were posted: (event seq, notice).
fn posted(conn: &mut Conn, row: &RequestRow) -> QueryResult<Vec<(i64, String)>> {
    posted_letters::table
        .filter(posted_letters::request_id.eq(row.id))
        .select((posted_letters::event_seq, posted_letters::notice))
        .load(conn)
}

/// The letters to post, oldest first.
pub fn to_post(
    conn: &mut Conn,
    ctx: &Ctx,
    staff: &StaffAccount,
) -> Result<Vec<LetterToPost>, AppError> {
    let mut out = Vec::new();
    for (row, requester) in postal_requests(conn, staff)? {
        let done = posted(conn, &row)?;
        let chain = letters::read_chain(conn, &row)?;
        each_letter(&chain, ctx, &row, &requester, |seq, at, notice| {
            let kind = notice.kind();
            if !done.iter().any(|(s, k)| *s == seq && k == kind.as_str()) {
                out.push(LetterToPost {
                    tracking_number: row.tracking_number.clone(),
                    event_seq: seq,
                    notice: kind,
                    subject: notice.subject(),
                    at,
                    requester_name: requester.name.clone(),
                });
            }
            Ok(())
        })?;
    }
    out.sort_by_key(|l| l.at);
    Ok(out)
}

/// The request and its postal requester, for a staff member who may see it.
fn postal_request(
    conn: &mut Conn,
    caller: &Caller,
    tracking_number: &str,
) -> Result<(RequestRow, RequesterRow), AppError> {
    let (row, _) = super::load_for(conn, caller, tracking_number)?;
    let requester = db::requests::requester(conn, row.requester_id)?;
    if !requester.gets_post() {
        return Err(AppError::NotFound);
    }
    Ok((row, requester))
}

/// The request's letter `kind` of the event `seq`: its time, and what `make` takes from it.
#[allow(clippy::too_many_arguments)]
fn find_letter<T>(
    chain: &letters::Chain,
    ctx: &Ctx,
    row: &RequestRow,
    requester: &RequesterRow,
    seq: i64,
    kind: NoticeKind,
    make: impl Fn(&Notice<'_>) -> Result<T, AppError>,
) -> Result<(NaiveDateTime, T), AppError> {
    let mut found = None;
    each_letter(chain, ctx, row, requester, |s, at, notice| {
        if found.is_none() && s == seq && notice.kind() == kind {
            found = Some((at, make(notice)?));
        }
        Ok(())
    })?;
    found.ok_or(AppError::NotFound)
}

/// Prints a letter: its private link minted now (its hash kept, a `link_issued` in the log),
/// as an email's is when it is sent.
pub fn print(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    seq: i64,
    kind: NoticeKind,
) -> Result<PrintedLetter, AppError> {
    let (row, requester) = postal_request(conn, caller, tracking_number)?;
    let chain = letters::read_chain(conn, &row)?;
    let (at, ()) = find_letter(&chain, ctx, &row, &requester, seq, kind, |_| Ok(()))?;
    // What the step said on its day (its due dates then), however late it is printed.
    let language = crate::wording::Language::from_code(&row.language).unwrap_or_default();
    let (_, rendered) = letters::rendered_then(
        ctx,
        &row,
        requester.name.as_deref(),
        &chain,
        seq,
        kind,
        language,
        true,
    )?
    .ok_or(AppError::NotFound)?;
    let rendered = rendered.ok_or(AppError::NotFound)?;
    let letter = if private_link::carries_link(&rendered) {
        let now = db::now();
        let token = crate::secrets::new_token(crate::secrets::REQUESTER_TOKEN_PREFIX);
        let token_hash = crate::secrets::token_hash(&token);
        db::links::insert(
            conn,
            &db::links::NewLink {
                request_id: row.id,
                token_hash: &token_hash,
                outbox_id: None,
                created_at: now,
            },
        )?;
        let step = Step::LinkIssued(LinkIssued {
            token_hash,
            outbox_id: None,
            letter: Some(seq),
        });
        audit::append(conn, row.id, now, &caller.audit_actor(), &step)?;
        private_link::filled(&rendered, &token)
    } else {
        rendered
    };
    Ok(PrintedLetter {
        tracking_number: row.tracking_number,
        requester_name: requester.name,
        postal_address: requester.postal_address.unwrap_or_default(),
        at,
        letter,
        language,
    })
}

/// Marks a letter posted, once: it leaves the list, and the log says so.
pub fn mark_posted(
    conn: &mut Conn,
    caller: &Caller,
    ctx: &Ctx,
    tracking_number: &str,
    seq: i64,
    kind: NoticeKind,
) -> Result<(), AppError> {
    let staff = caller
        .staff()
        .ok_or_else(|| AppError::Forbidden("only staff post letters".into()))?;
    let (row, requester) = postal_request(conn, caller, tracking_number)?;
    let chain = letters::read_chain(conn, &row)?;
    let (_, subject) = find_letter(&chain, ctx, &row, &requester, seq, kind, |notice| {
        Ok(notice.subject())
    })?;
    if posted(conn, &row)?
        .iter()
        .any(|(s, k)| *s == seq && k == kind.as_str())
    {
        return Ok(());
    }
    let now = db::now();
    diesel::insert_into(posted_letters::table)
        .values(&NewPostedLetter {
            request_id: row.id,
            event_seq: seq,
            notice: kind,
            posted_by: staff.id,
            posted_at: now,
        })
        .execute(conn)?;
    let step = Step::LetterPosted(LetterPosted {
        event_seq: seq,
        notice: kind,
        subject,
    });
    audit::append(conn, row.id, now, &caller.audit_actor(), &step)?;
    Ok(())
}
