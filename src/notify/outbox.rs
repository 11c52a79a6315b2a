//! The outbox: notices are rendered and queued inside the transaction of the change that causes
//! them (with an audit event holding the message), then claimed, sent and settled by the
//! dispatcher. A claim is a lease: a crashed sender's notices go out again after it expires,
//! with the same Message-ID. A request's letter is kept once, in its `notice_queued` event: its
//! row says only to whom it goes and which event holds it ([`Addressed`]), and the dispatcher
//! reads it from there when it claims the row (docs/PRODUCT.md, "Notices").

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};

use super::notice::Notice;
use super::private_link;
use super::render::{render, render_text, Rendered};
use crate::audit;
use crate::db::models::{AuditEvent, NewOutboxRow, OutboxRow};
use crate::db::schema::{outbox, requests};
use crate::db::{per_backend, Conn};
use crate::domain::ids::{OutboxId, RequestId};
use crate::domain::notices::{Audience, NoticeKind, OutboxStatus};
use crate::domain::step::{
    EnglishOriginal, LetterWords, LinkIssued, NoticeDeadLettered, NoticeDelivered, NoticeFailed,
    NoticeQueued, NoticeRetried, Step,
};
use crate::secrets::random_hex;

/// One notice to one recipient.
pub struct Outgoing<'a> {
    pub notice: Notice<'a>,
    pub recipient: String,
    /// Not sent before this (a digest waits for the rest of a burst); None: at once.
    pub send_after: Option<NaiveDateTime>,
}

/// What the row of a request's letter carries: to whom it goes, where replies go, and the
/// event of the request's chain that holds the letter (its `notice_queued`, the message as
/// sent with the private token withheld). Nothing of the letter is written twice.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Addressed {
    pub to_name: Option<String>,
    /// A requester's letter: its request's own reply address (`reply_address`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    /// The sequence number of the letter's `notice_queued` event in its request's chain.
    pub queued: i64,
}

/// An outbox row's payload, in each of its forms.
#[derive(Debug, Clone)]
pub enum Payload {
    /// A request's letter: where it is kept.
    InChain(Addressed),
    /// A request's letter once sent ([`KEPT_IN_CHAIN`]): nothing, its event keeps it.
    Sent,
    /// The message itself: a staff account's mail (in no request's chain), a request's letter
    /// queued before letters were kept in the chain only, and one in which someone typed what
    /// the chain's copy says in the token's place (`compose`).
    Whole(Envelope),
}

/// Reads an outbox row's payload; one in none of its forms is an error, never sent or kept
/// as it is.
pub fn payload(text: &str) -> QueryResult<Payload> {
    if text == KEPT_IN_CHAIN {
        return Ok(Payload::Sent);
    }
    match serde_json::from_str::<Addressed>(text) {
        Ok(addressed) => Ok(Payload::InChain(addressed)),
        // A row that names an event but is not read as such says why, not what a whole
        // message would lack.
        Err(e) if text.contains("\"queued\":") => {
            Err(diesel::result::Error::DeserializationError(Box::new(e)))
        }
        Err(_) => envelope(text).map(Payload::Whole),
    }
}

/// What an outbox row carries in full: the rendered message and who it is for (the rows of
/// [`Payload::Whole`]). A requester's letter holds its private link's mark, filled only when it
/// is sent (`private_link`); `secret` is read from rows queued before links were minted at
/// sending, which held the token until delivered.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Envelope {
    pub to_name: Option<String>,
    /// A requester's letter: its request's own reply address (`reply_address`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply_to: Option<String>,
    #[serde(flatten)]
    pub message: Rendered,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

fn render_error(e: askama::Error) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("rendering a notice: {e}").into())
}

/// Renders and queues each notice with its own Message-ID, fixed now so a resend can never be
/// mistaken for a new message, and records the message in the request's chain.
pub fn enqueue(
    conn: &mut Conn,
    chain: &mut audit::OpenChain,
    items: &[Outgoing<'_>],
    now: NaiveDateTime,
    addressing: &Addressing<'_>,
) -> QueryResult<()> {
    let request_id = Some(chain.request_id());
    for item in items {
        let composed = compose(item, chain, addressing)?;
        let row = composed.as_new(request_id, now);
        let outbox_id: OutboxId = per_backend!(conn, |c| diesel::insert_into(outbox::table)
            .values(&row)
            .returning(outbox::id)
            .get_result(c))?;
        let step = composed.queued(outbox_id);
        chain.append(now, &audit::Actor::System, &step);
    }
    Ok(())
}

/// `enqueue` without writing: each notice is composed, given one of `ids` (taken beforehand)
/// and recorded by a `notice_queued` event linked onto `chain` and pushed to `events`, for a
/// caller that writes every row in one statement (`Composed::as_new` under its id).
pub fn link(
    chain: &mut audit::OpenChain,
    items: &[Outgoing<'_>],
    ids: &[OutboxId],
    now: NaiveDateTime,
    addressing: &Addressing<'_>,
    events: &mut Vec<AuditEvent>,
) -> QueryResult<Vec<(OutboxId, Composed)>> {
    if ids.len() != items.len() {
        return Err(diesel::result::Error::QueryBuilderError(
            format!("{} notices but {} outbox ids", items.len(), ids.len()).into(),
        ));
    }
    let mut composed = Vec::with_capacity(items.len());
    for (item, &id) in items.iter().zip(ids) {
        let notice = compose(item, chain, addressing)?;
        let step = notice.queued(id);
        events.push(chain.link(now, &audit::Actor::System, &step));
        composed.push((id, notice));
    }
    Ok(composed)
}

/// A notice rendered for one recipient, with its Message-ID, before it has a row.
#[derive(Debug, Clone)]
pub struct Composed {
    notice: NoticeKind,
    recipient: String,
    payload: String,
    message_id: String,
    send_after: Option<NaiveDateTime>,
    /// What the audit event keeps: the message, its private link's token withheld.
    audit_copy: Rendered,
    /// A requester's letter in another language than English: the same letter in English,
    /// withheld alike, kept beside it as the legally binding text.
    english_original: Option<Rendered>,
}

/// Where the service's mail is from and where replies go: the domain of its Message-IDs, and
/// the reply addresses of requesters' letters.
#[derive(Debug, Clone, Copy)]
pub struct Addressing<'a> {
    pub mail_domain: &'a str,
    pub replies: &'a crate::notify::ReplyAddresses,
}

/// Renders one notice and fixes its Message-ID: the part of queueing that needs no database.
/// Its `notice_queued` event must be the next appended to `chain`: the row names that event,
/// where the letter is kept (the dispatcher checks the event records this notice).
pub fn compose(
    item: &Outgoing<'_>,
    chain: &audit::OpenChain,
    addressing: &Addressing<'_>,
) -> QueryResult<Composed> {
    let tracking_number = chain.tracking_number();
    let queued = chain.next_seq();
    let mail_domain = addressing.mail_domain;
    let kind = item.notice.kind();
    let message_id = format!(
        "<{}.{}.{}@{}>",
        tracking_number,
        kind.as_str(),
        random_hex(8),
        mail_domain
    );
    let rendered = render(&item.notice).map_err(render_error)?;
    let about = item.notice.about();
    let to_name = match kind.audience() {
        Audience::Requester => about.requester_name.map(str::to_string),
        Audience::Staff => None,
    };
    // A requester's reply goes to their request's own address; staff reply to the office.
    let reply_to = match (
        kind.audience(),
        crate::domain::input::TrackingNumber::parse(tracking_number),
    ) {
        (Audience::Requester, Some(tn)) => Some(addressing.replies.address(&tn)),
        _ => None,
    };
    let audit_copy = private_link::withheld(&rendered);
    let english_original = match kind.audience() {
        Audience::Requester if about.language != crate::wording::Language::English => {
            let english = about.in_english();
            // Only its subject and text are kept (`EnglishOriginal`): no HTML is written.
            let (subject, text) =
                render_text(&item.notice.about_as(&english)).map_err(render_error)?;
            let original = Rendered {
                subject,
                text,
                html: String::new(),
            };
            Some(private_link::withheld(&original))
        }
        _ => None,
    };
    // The letter is sent from its event when the event's copy, its link's place marked again,
    // is this very letter. One in which someone typed what the copy says in the token's place
    // (`?token=` and the withheld words) keeps its own copy in its row instead, so a token can
    // go only where the service put its link.
    let payload = if private_link::marked(&audit_copy) == rendered {
        serde_json::to_string(&Addressed {
            to_name,
            reply_to,
            queued,
        })
    } else {
        serde_json::to_string(&Envelope {
            to_name,
            reply_to,
            message: rendered,
            secret: None,
        })
    };
    Ok(Composed {
        notice: kind,
        recipient: item.recipient.clone(),
        payload: payload.expect("an outbox payload always serialises"),
        message_id,
        send_after: item.send_after,
        audit_copy,
        english_original,
    })
}

impl Composed {
    /// The queued row, its id left to the database.
    pub fn as_new(&self, request_id: Option<RequestId>, now: NaiveDateTime) -> NewOutboxRow<'_> {
        NewOutboxRow {
            request_id,
            notice: self.notice,
            recipient: &self.recipient,
            audience: self.notice.audience(),
            payload: &self.payload,
            message_id: &self.message_id,
            status: OutboxStatus::Queued,
            attempts: 0,
            next_attempt_at: self.send_after.unwrap_or(now).max(now),
            created_at: now,
        }
    }

    /// The `notice_queued` event: the message as sent, less its private token.
    pub fn queued(&self, outbox_id: OutboxId) -> Step {
        Step::NoticeQueued(NoticeQueued::new(
            outbox_id,
            self.notice,
            self.recipient.clone(),
            self.message_id.clone(),
            self.audit_copy.subject.clone(),
            LetterWords {
                text: self.audit_copy.text.clone(),
                html: self.audit_copy.html.clone(),
                original: self.english_original.as_ref().map(|o| EnglishOriginal {
                    subject: o.subject.clone(),
                    text: o.text.clone(),
                }),
            },
        ))
    }
}

/// A notice claimed for sending.
#[derive(Debug, Clone, QueryableByName)]
pub struct Claimed {
    #[diesel(sql_type = BigInt)]
    pub id: OutboxId,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub request_id: Option<RequestId>,
    #[diesel(sql_type = Text)]
    pub notice: NoticeKind,
    #[diesel(sql_type = Text)]
    pub recipient: String,
    #[diesel(sql_type = Text)]
    pub payload: String,
    #[diesel(sql_type = Text)]
    pub message_id: String,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
}

/// A claimed notice with its message read once, the private link's token filled in when it
/// carries one; a row whose message cannot be read goes on as the error, to be settled.
#[derive(Debug, Clone)]
pub struct ToSend {
    pub claimed: Claimed,
    pub message: Result<Ready, String>,
}

/// A claimed letter ready to build as an email: to whom, where replies go, what it says.
#[derive(Debug, Clone)]
pub struct Ready {
    pub to_name: Option<String>,
    pub reply_to: Option<String>,
    pub message: Rendered,
    /// The letter as a PDF, for a requester's notice when config attaches it.
    pub attachment: Option<super::mailer::Attachment>,
}

/// Mints a private link for each claimed requester letter that carries one, in the claim's
/// transaction: its hash stored and logged in the request's chain, the token kept only in
/// memory until the letter is sent. A letter sent again (a lease ran out) gets a new link; the
/// one it may already have carried stays good.
pub fn mint_links(
    conn: &mut Conn,
    claimed: Vec<Claimed>,
    now: NaiveDateTime,
) -> QueryResult<Vec<ToSend>> {
    let payloads: Vec<QueryResult<Payload>> = claimed.iter().map(|c| payload(&c.payload)).collect();
    let wanted: Vec<(RequestId, i64)> = claimed
        .iter()
        .zip(&payloads)
        .filter_map(|(c, p)| match (c.request_id, p) {
            (Some(request_id), Ok(Payload::InChain(a))) => Some((request_id, a.queued)),
            _ => None,
        })
        .collect();
    let letters = queued_letters(conn, &wanted)?;
    let mut out = Vec::with_capacity(claimed.len());
    // Every link's row, then every LinkIssued event, each written once for the whole batch.
    let mut links: Vec<(RequestId, String, OutboxId)> = Vec::new();
    for (claimed, payload) in claimed.into_iter().zip(payloads) {
        let sent = match payload
            .map_err(|e| format!("unreadable outbox row: {e}"))
            .and_then(|p| to_be_sent(&claimed, p, &letters))
        {
            Ok(sent) => sent,
            Err(e) => {
                out.push(ToSend {
                    message: Err(e),
                    claimed,
                });
                continue;
            }
        };
        let link_token = match claimed.request_id {
            Some(request_id) if private_link::carries_link(&sent.message) => {
                let token = crate::secrets::new_token(crate::secrets::REQUESTER_TOKEN_PREFIX);
                let token_hash = crate::secrets::token_hash(&token);
                links.push((request_id, token_hash, claimed.id));
                Some(token)
            }
            _ => None,
        };
        let message = match &link_token {
            Some(token) => private_link::filled(&sent.message, token),
            None => sent.message,
        };
        out.push(ToSend {
            message: Ok(Ready {
                to_name: sent.to_name,
                reply_to: sent.reply_to,
                message,
                attachment: None,
            }),
            claimed,
        });
    }
    if links.is_empty() {
        return Ok(out);
    }
    let rows: Vec<crate::db::links::NewLink<'_>> = links
        .iter()
        .map(
            |(request_id, token_hash, outbox_id)| crate::db::links::NewLink {
                request_id: *request_id,
                token_hash,
                outbox_id: Some(*outbox_id),
                created_at: now,
            },
        )
        .collect();
    crate::db::links::insert_all(conn, &rows)?;
    let ids: Vec<RequestId> = links.iter().map(|(request_id, ..)| *request_id).collect();
    let mut chains = audit::OpenChains::open(conn, &ids)?;
    for (request_id, token_hash, outbox_id) in links {
        let step = Step::LinkIssued(LinkIssued {
            letter: None,
            token_hash,
            outbox_id: Some(outbox_id),
        });
        chains.append(request_id, now, &audit::Actor::System, &step)?;
    }
    chains.close(conn)?;
    Ok(out)
}

/// The contents of the `notice_queued` events named by claimed rows ([`Addressed::queued`]),
/// by request and sequence number; each is read by its key (`audit_events`' unique request
/// and sequence number) and nothing else is. On SQLite one prepared lookup each, in the
/// process; on PostgreSQL one statement over the keys given as arrays, each looked up in a
/// LATERAL subquery whose LIMIT keeps the planner from making it a join: as a join, a table
/// without statistics yet was read whole into a hash for every claim (25 ms for 500 letters
/// among 35,000 events, against 1.6 ms looked up one by one).
fn queued_letters(
    conn: &mut Conn,
    wanted: &[(RequestId, i64)],
) -> QueryResult<HashMap<(RequestId, i64), String>> {
    use crate::db::schema::audit_events;
    #[derive(QueryableByName)]
    struct Kept {
        #[diesel(sql_type = BigInt)]
        request_id: RequestId,
        #[diesel(sql_type = BigInt)]
        seq: i64,
        #[diesel(sql_type = Text)]
        content: String,
    }
    if wanted.is_empty() {
        return Ok(HashMap::new());
    }
    match conn {
        Conn::Sqlite(c) => {
            let mut letters = HashMap::with_capacity(wanted.len());
            for &(request_id, seq) in wanted {
                let content: Option<String> = audit_events::table
                    .filter(audit_events::request_id.eq(request_id))
                    .filter(audit_events::seq.eq(seq))
                    .filter(audit_events::action.eq(NOTICE_QUEUED))
                    .select(audit_events::content)
                    .first(c)
                    .optional()?;
                letters.extend(content.map(|content| ((request_id, seq), content)));
            }
            Ok(letters)
        }
        Conn::Postgres(c) => {
            use diesel::sql_types::Array;
            let (request_ids, seqs): (Vec<i64>, Vec<i64>) =
                wanted.iter().map(|(r, seq)| (r.0, *seq)).unzip();
            let kept: Vec<Kept> = diesel::sql_query(
                "SELECT w.request_id, w.seq, e.content \
                 FROM UNNEST($1::bigint[], $2::bigint[]) AS w (request_id, seq) \
                 CROSS JOIN LATERAL (SELECT content FROM audit_events \
                    WHERE request_id = w.request_id AND seq = w.seq AND action = $3 \
                    LIMIT 1) AS e",
            )
            .bind::<Array<BigInt>, _>(request_ids)
            .bind::<Array<BigInt>, _>(seqs)
            .bind::<Text, _>(NOTICE_QUEUED)
            .load(c)?;
            Ok(kept
                .into_iter()
                .map(|k| ((k.request_id, k.seq), k.content))
                .collect())
        }
    }
}

/// A claimed row's letter as it is to be sent, its private link's mark where the token goes:
/// the row's own message, or the one its request's chain keeps for it, marked again. A letter
/// that cannot be found, or whose event records another notice, is an error to settle.
fn to_be_sent(
    claimed: &Claimed,
    payload: Payload,
    letters: &HashMap<(RequestId, i64), String>,
) -> Result<Envelope, String> {
    let addressed = match payload {
        Payload::Whole(envelope) => return Ok(envelope),
        Payload::InChain(addressed) => addressed,
        Payload::Sent => return Err("already sent: its row keeps nothing to send".into()),
    };
    let request_id = claimed
        .request_id
        .ok_or("a letter kept in a request's chain, but the row has no request")?;
    let content = letters
        .get(&(request_id, addressed.queued))
        .ok_or_else(|| {
            format!(
                "its request's chain has no notice queued at event {}",
                addressed.queued
            )
        })?;
    let step = Step::from_stored(NOTICE_QUEUED, content)
        .map_err(|e| format!("event {} is unreadable: {e}", addressed.queued))?;
    let queued = match step {
        Step::NoticeQueued(queued) if queued.outbox_id == claimed.id => queued,
        _ => {
            return Err(format!(
                "event {} records another notice than this one",
                addressed.queued
            ))
        }
    };
    let kept = kept_letter(queued)
        .map_err(|e| format!("event {} is unreadable: {e}", addressed.queued))?;
    // Only a requester's letter carries the requester's link: a staff letter that quotes
    // what a requester typed is never filled.
    let message = match claimed.notice.audience() {
        Audience::Requester => private_link::marked(&kept),
        Audience::Staff => kept,
    };
    Ok(Envelope {
        to_name: addressed.to_name,
        reply_to: addressed.reply_to,
        message,
        secret: None,
    })
}

/// The message an outbox row carries in full ([`Payload::Whole`]); a row that does not hold
/// one is an error, never sent or kept as it is.
pub fn envelope(payload: &str) -> QueryResult<Envelope> {
    serde_json::from_str(payload)
        .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))
}

/// Due notices, oldest first, but never one whose recipient still waits for an earlier notice
/// of the same request: each person gets a request's notices in order.
const ELIGIBLE: &str = "o.status IN ('queued', 'sending') AND o.next_attempt_at <= {now}
    AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.request_id = o.request_id
        AND p.recipient = o.recipient AND p.id < o.id AND p.status IN ('queued', 'sending'))";
/// `ELIGIBLE` as PostgreSQL is given it: the earlier notice looked for by `status NOT IN
/// ('sent', 'dead')`, the same rows (a notice is queued, sending, sent or dead: the table's
/// CHECK), which `outbox_pending` cannot serve, so the planner looks each one up by its request
/// (`outbox_request`). With `IN ('queued', 'sending')`, statistics taken while the outbox was
/// empty had it walk the whole of `outbox_pending` for every notice claimed: a claim of 500
/// over 10,000 waiting took 1.9 s instead of 23 ms, and the dispatcher fell behind under load
/// (docs/PERFORMANCE.md, "Notices on PostgreSQL").
const ELIGIBLE_PG: &str = "o.status IN ('queued', 'sending') AND o.next_attempt_at <= {now}
    AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.request_id = o.request_id
        AND p.recipient = o.recipient AND p.id < o.id AND p.status NOT IN ('sent', 'dead'))";
const RETURNING: &str =
    "RETURNING id, request_id, notice, recipient, payload, message_id, attempts";

/// Claims up to `limit` due notices until `lease_until`. PostgreSQL skips rows another
/// instance is claiming; SQLite has one writer at a time. Both walk `outbox_pending` (only
/// the notices still waiting, in id order) and stop at `limit`; SQLite is told to, since
/// without statistics it would read every waiting notice through `outbox_due` and sort them.
pub fn claim(
    conn: &mut Conn,
    now: NaiveDateTime,
    lease_until: NaiveDateTime,
    limit: i64,
) -> QueryResult<Vec<Claimed>> {
    match conn {
        Conn::Sqlite(c) => {
            let sql = format!(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = ? \
                 WHERE id IN (SELECT o.id FROM outbox o INDEXED BY outbox_pending WHERE {} ORDER BY o.id LIMIT ?) {RETURNING}",
                ELIGIBLE.replace("{now}", "?")
            );
            diesel::sql_query(sql)
                .bind::<Timestamp, _>(lease_until)
                .bind::<Timestamp, _>(now)
                .bind::<BigInt, _>(limit)
                .load(c)
        }
        Conn::Postgres(c) => {
            let sql = format!(
                "UPDATE outbox SET status = 'sending', attempts = attempts + 1, next_attempt_at = $1 \
                 WHERE id IN (SELECT o.id FROM outbox o WHERE {} ORDER BY o.id LIMIT $3 FOR UPDATE SKIP LOCKED) {RETURNING}",
                ELIGIBLE_PG.replace("{now}", "$2")
            );
            diesel::sql_query(sql)
                .bind::<Timestamp, _>(lease_until)
                .bind::<Timestamp, _>(now)
                .bind::<BigInt, _>(limit)
                .load(c)
        }
    }
}

/// Applies `change` if the claim still holds: nobody settled or re-claimed the notice since.
fn settle(conn: &mut Conn, claimed: &Claimed, change: &OutboxChange) -> QueryResult<bool> {
    let target = outbox::table
        .filter(outbox::id.eq(claimed.id))
        .filter(outbox::status.eq(OutboxStatus::Sending))
        .filter(outbox::attempts.eq(claimed.attempts));
    Ok(diesel::update(target).set(change).execute(conn)? == 1)
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = outbox)]
pub struct OutboxChange {
    pub status: OutboxStatus,
    pub payload: Option<String>,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub sent_at: Option<NaiveDateTime>,
}

/// Puts a claimed notice back in the queue unsent, its attempt not counted: the dispatcher
/// could not start it while its lease had time enough left (`Dispatcher::run_once`). A link
/// minted for it was never sent, so nobody holds it. False when the claim was lost meanwhile.
pub fn release(conn: &mut Conn, claimed: &Claimed, now: NaiveDateTime) -> QueryResult<bool> {
    let target = outbox::table
        .filter(outbox::id.eq(claimed.id))
        .filter(outbox::status.eq(OutboxStatus::Sending))
        .filter(outbox::attempts.eq(claimed.attempts));
    let released = diesel::update(target)
        .set((
            outbox::status.eq(OutboxStatus::Queued),
            outbox::attempts.eq(outbox::attempts - 1),
            outbox::next_attempt_at.eq(now),
        ))
        .execute(conn)?;
    Ok(released == 1)
}

/// Records a delivery: the chain gets the reply; the row keeps nothing of a request's letter
/// ([`KEPT_IN_CHAIN`]), and a staff account's message without its secret.
pub fn delivered(
    conn: &mut Conn,
    claimed: &Claimed,
    now: NaiveDateTime,
    reply: &str,
) -> QueryResult<bool> {
    let step = delivery(conn, claimed, now, reply)?;
    settle_event(conn, claimed, now, step)
}

/// [`delivered`] without its event: the step for the request's chain, or None when the claim
/// was lost and nothing was written (a caller that writes many chains at once).
pub fn delivery(
    conn: &mut Conn,
    claimed: &Claimed,
    now: NaiveDateTime,
    reply: &str,
) -> QueryResult<Option<Step>> {
    let change = OutboxChange {
        status: OutboxStatus::Sent,
        payload: kept_payload(claimed)?,
        next_attempt_at: None,
        last_error: None,
        sent_at: Some(now),
    };
    let settled = settle(conn, claimed, &change)?;
    Ok(settled.then(|| delivered_step(claimed, reply)))
}

/// What a delivered request's notice keeps in its outbox row in place of what it held while it
/// waited ([`Addressed`], or the whole message of a row queued before that, or of a letter that
/// keeps its own copy: see `compose`): nothing. The message is in the request's chain, in the
/// notice's `notice_queued` event (the same letter, its private token withheld), and is kept
/// there only (docs/PRODUCT.md, "Notices"). Of a whole message, PostgreSQL reuses the space once
/// the old row version is vacuumed; SQLite reuses the freed bytes of a page only for rows that
/// belong on that page, and never merges pages when rows shrink, so its file keeps that room
/// until it is vacuumed (docs/PERFORMANCE.md, "Storage per request").
pub const KEPT_IN_CHAIN: &str = "";

/// What a delivered notice's row keeps in place of its payload, if anything: a request's
/// notice, nothing ([`KEPT_IN_CHAIN`]); a notice of no request (a staff account's mail, in no
/// request's chain) its message, the token taken out of rows queued before links were minted at
/// sending, which held one; every other such row already is what it should keep, and is not
/// written again.
fn kept_payload(claimed: &Claimed) -> QueryResult<Option<String>> {
    if claimed.request_id.is_some() {
        return Ok(Some(KEPT_IN_CHAIN.to_string()));
    }
    let sent = envelope(&claimed.payload)?;
    Ok(match sent.secret.as_deref().filter(|s| !s.is_empty()) {
        Some(secret) => {
            let scrubbed = Envelope {
                message: sent.message.redacted(Some(secret)),
                to_name: sent.to_name,
                reply_to: sent.reply_to,
                secret: None,
            };
            Some(serde_json::to_string(&scrubbed).expect("an envelope always serialises"))
        }
        None => None,
    })
}

fn delivered_step(claimed: &Claimed, reply: &str) -> Step {
    Step::NoticeDelivered(NoticeDelivered {
        outbox_id: claimed.id,
        message_id: claimed.message_id.clone(),
        attempt: claimed.attempts,
        reply: reply.to_string(),
    })
}

/// [`delivery`] for many notices in one statement (the same text whatever their number):
/// answers the step of each whose claim still held, in the order given. The dispatcher
/// records a round this way (`Dispatcher::record`).
/// - PostgreSQL: an UPDATE over arrays.
/// - SQLite, which has no arrays: an UPDATE over the rows of one JSON array, `[id, attempts,
///   payload]` each.
pub fn deliveries(
    conn: &mut Conn,
    sent: &[(&Claimed, &str)],
    now: NaiveDateTime,
) -> QueryResult<Vec<(OutboxId, Step)>> {
    #[derive(QueryableByName)]
    struct Settled {
        #[diesel(sql_type = BigInt)]
        id: OutboxId,
    }
    if sent.is_empty() {
        return Ok(Vec::new());
    }
    let mut ids = Vec::with_capacity(sent.len());
    let mut attempts = Vec::with_capacity(sent.len());
    let mut payloads = Vec::with_capacity(sent.len());
    for (claimed, _) in sent {
        ids.push(claimed.id.0);
        attempts.push(claimed.attempts);
        payloads.push(kept_payload(claimed)?);
    }
    let settled: Vec<Settled> = match conn {
        Conn::Postgres(pg) => {
            use diesel::sql_types::Array;
            diesel::sql_query(
                "UPDATE outbox AS o SET status = 'sent', payload = COALESCE(d.payload, o.payload), \
                 sent_at = $1 \
                 FROM UNNEST($2::bigint[], $3::integer[], $4::text[]) AS d (id, attempts, payload) \
                 WHERE o.id = d.id AND o.status = 'sending' AND o.attempts = d.attempts \
                 RETURNING o.id",
            )
            .bind::<Timestamp, _>(now)
            .bind::<Array<BigInt>, _>(ids)
            .bind::<Array<Integer>, _>(attempts)
            .bind::<Array<Nullable<Text>>, _>(payloads)
            .load(pg)?
        }
        Conn::Sqlite(lite) => {
            let rows: Vec<serde_json::Value> = ids
                .into_iter()
                .zip(attempts)
                .zip(payloads)
                .map(|((id, attempts), payload)| serde_json::json!([id, attempts, payload]))
                .collect();
            let rows = serde_json::Value::Array(rows).to_string();
            // Each row of the array finds its notice by id. The `+` keeps SQLite from
            // walking every notice being sent by `outbox_due` instead, reading the whole
            // array again for each (rounds 2.2–2.7 times slower in `benches/notices.rs`).
            // RETURNING names the updated table's columns unqualified.
            diesel::sql_query(
                "UPDATE outbox AS o SET status = 'sent', payload = COALESCE(d.payload, o.payload), \
                 sent_at = ? \
                 FROM (SELECT value ->> 0 AS id, value ->> 1 AS attempts, value ->> 2 AS payload \
                       FROM json_each(?)) AS d \
                 WHERE o.id = d.id AND +o.status = 'sending' AND o.attempts = d.attempts \
                 RETURNING id",
            )
            .bind::<Timestamp, _>(now)
            .bind::<Text, _>(rows)
            .load(lite)?
        }
    };
    let settled: std::collections::HashSet<OutboxId> = settled.into_iter().map(|s| s.id).collect();
    Ok(sent
        .iter()
        .filter(|(claimed, _)| settled.contains(&claimed.id))
        .map(|(claimed, reply)| (claimed.id, delivered_step(claimed, reply)))
        .collect())
}

/// Records a failed attempt: back to the queue until `retry_at`, or dead-lettered when `None`.
pub fn failed(
    conn: &mut Conn,
    claimed: &Claimed,
    now: NaiveDateTime,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> QueryResult<bool> {
    let step = failure(conn, claimed, error, retry_at)?;
    settle_event(conn, claimed, now, step)
}

/// [`failed`] without its event (see [`delivery`]).
pub fn failure(
    conn: &mut Conn,
    claimed: &Claimed,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> QueryResult<Option<Step>> {
    let change = OutboxChange {
        status: match retry_at {
            Some(_) => OutboxStatus::Queued,
            None => OutboxStatus::Dead,
        },
        payload: None,
        next_attempt_at: retry_at,
        last_error: Some(error.chars().take(2000).collect()),
        sent_at: None,
    };
    if !settle(conn, claimed, &change)? {
        return Ok(None);
    }
    let (outbox_id, message_id, attempt, error) = (
        claimed.id,
        claimed.message_id.clone(),
        claimed.attempts,
        error.to_string(),
    );
    let step = match retry_at {
        Some(next_attempt_at) => Step::NoticeFailed(NoticeFailed {
            outbox_id,
            message_id,
            attempt,
            error,
            next_attempt_at,
        }),
        None => Step::NoticeDeadLettered(NoticeDeadLettered {
            outbox_id,
            message_id,
            attempt,
            error,
        }),
    };
    Ok(Some(step))
}

/// Records what became of a notice in its request's chain, if the claim still held; answers
/// whether it did.
fn settle_event(
    conn: &mut Conn,
    claimed: &Claimed,
    now: NaiveDateTime,
    step: Option<Step>,
) -> QueryResult<bool> {
    let Some(step) = step else {
        return Ok(false);
    };
    if let Some(request_id) = claimed.request_id {
        audit::append(conn, request_id, now, &audit::Actor::System, &step)?;
    }
    Ok(true)
}

/// A notice a delivery status notification names (docs/PRODUCT.md, "Bounces").
pub fn by_id(conn: &mut Conn, id: OutboxId) -> QueryResult<Option<OutboxRow>> {
    outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)
        .optional()
}

/// Marks a notice bounced, `hard` or `soft`; a notice once hard stays hard.
pub fn mark_bounced(conn: &mut Conn, id: OutboxId, hard: bool) -> QueryResult<()> {
    let target = outbox::table.filter(outbox::id.eq(id));
    if hard {
        diesel::update(target)
            .set(outbox::bounce.eq(Some("hard")))
            .execute(conn)?;
    } else {
        diesel::update(target.filter(outbox::bounce.is_null()))
            .set(outbox::bounce.eq(Some("soft")))
            .execute(conn)?;
    }
    Ok(())
}

/// The notices to this address, queued since `since`, that bounced for now (soft): how
/// many, and when the first of them was queued.
pub fn soft_bounces(
    conn: &mut Conn,
    recipient: &str,
    since: NaiveDateTime,
) -> QueryResult<(i64, Option<NaiveDateTime>)> {
    let queued: Vec<NaiveDateTime> = outbox::table
        .filter(outbox::recipient.eq(recipient))
        .filter(outbox::created_at.ge(since))
        .filter(outbox::bounce.eq("soft"))
        .order(outbox::created_at)
        .select(outbox::created_at)
        .load(conn)?;
    Ok((queued.len() as i64, queued.first().copied()))
}

/// Dead-lettered notices, newest first, with their request's tracking number.
pub fn dead(conn: &mut Conn, limit: i64) -> QueryResult<Vec<(OutboxRow, Option<String>)>> {
    outbox::table
        .left_join(requests::table.on(outbox::request_id.eq(requests::id.nullable())))
        .filter(outbox::status.eq(OutboxStatus::Dead))
        .order(outbox::id.desc())
        .limit(limit)
        .select((OutboxRow::as_select(), requests::tracking_number.nullable()))
        .load(conn)
}

/// Puts a dead-lettered notice back in the queue for a fresh round of attempts.
/// Where a notice stands, or None when there is no such notice.
pub fn status_of(conn: &mut Conn, id: OutboxId) -> QueryResult<Option<OutboxStatus>> {
    outbox::table
        .find(id)
        .select(outbox::status)
        .first(conn)
        .optional()
}

pub fn requeue(
    conn: &mut Conn,
    id: OutboxId,
    now: NaiveDateTime,
    by: &audit::Actor,
) -> QueryResult<Option<OutboxRow>> {
    let updated = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq(OutboxStatus::Dead)),
    )
    .set((
        outbox::status.eq(OutboxStatus::Queued),
        outbox::attempts.eq(0),
        outbox::next_attempt_at.eq(now),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Ok(None);
    }
    let row: OutboxRow = outbox::table
        .find(id)
        .select(OutboxRow::as_select())
        .first(conn)?;
    if let Some(request_id) = row.request_id {
        let step = Step::NoticeRetried(NoticeRetried {
            outbox_id: row.id,
            message_id: row.message_id.clone(),
            notice: row.notice,
        });
        audit::append(conn, request_id, now, by, &step)?;
    }
    Ok(Some(row))
}

/// A notice as a request's case file keeps it: what was sent, to whom, and how it went.
#[derive(Debug, Clone)]
pub struct NoticeRecord {
    pub id: OutboxId,
    pub notice: NoticeKind,
    pub to: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub message_id: String,
    pub last_error: Option<String>,
    pub queued_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// The message, its private token withheld even while it waits to go.
    pub message: Rendered,
}

/// A request's notices, oldest first. A message kept in the request's chain only (a row that
/// names its event, [`Addressed`], and every delivered one, [`KEPT_IN_CHAIN`]) is taken from
/// its `notice_queued` event among `chain`, the request's events as the caller read them.
pub fn for_request(
    conn: &mut Conn,
    request_id: RequestId,
    chain: &[crate::db::models::AuditRow],
) -> QueryResult<Vec<NoticeRecord>> {
    let rows: Vec<OutboxRow> = outbox::table
        .filter(outbox::request_id.eq(request_id))
        .order(outbox::id)
        .select(OutboxRow::as_select())
        .load(conn)?;
    // The row's own message, or None where the chain keeps it.
    let own: Vec<Option<Envelope>> = rows
        .iter()
        .map(|row| match payload(&row.payload)? {
            Payload::InChain(_) | Payload::Sent => Ok(None),
            Payload::Whole(envelope) => Ok(Some(envelope)),
        })
        .collect::<QueryResult<_>>()?;
    let mut in_chain = if own.iter().any(Option::is_none) {
        messages_in(
            request_id,
            chain.iter().filter(|e| e.action == NOTICE_QUEUED),
        )?
    } else {
        HashMap::new()
    };
    rows.into_iter()
        .zip(own)
        .map(|(row, own)| {
            let message = match own {
                None => in_chain.remove(&row.id).ok_or_else(|| {
                    diesel::result::Error::DeserializationError(
                        format!(
                            "notice {} is kept in its request's chain, but the chain has no message of it",
                            row.id.0
                        )
                        .into(),
                    )
                })?,
                Some(sent) => {
                    private_link::withheld(&sent.message.redacted(sent.secret.as_deref()))
                }
            };
            Ok(NoticeRecord {
                id: row.id,
                notice: row.notice,
                to: row.recipient,
                status: row.status,
                attempts: row.attempts,
                message_id: row.message_id,
                last_error: row.last_error,
                queued_at: row.created_at,
                sent_at: row.sent_at,
                message,
            })
        })
        .collect()
}

/// The messages of a request's notices as its `notice_queued` events keep them (their private
/// tokens withheld), by outbox row.
pub fn queued_messages(
    conn: &mut Conn,
    request_id: RequestId,
) -> QueryResult<HashMap<OutboxId, Rendered>> {
    messages_in(
        request_id,
        &audit::store::events_of(conn, request_id, NOTICE_QUEUED)?,
    )
}

/// The messages that the `notice_queued` events among `events` keep, by outbox row.
fn messages_in<'a>(
    request_id: RequestId,
    events: impl IntoIterator<Item = &'a crate::db::models::AuditRow>,
) -> QueryResult<HashMap<OutboxId, Rendered>> {
    let mut messages = HashMap::new();
    for event in events {
        let step = Step::from_stored(&event.action, &event.content).map_err(|e| {
            diesel::result::Error::DeserializationError(
                format!("event {} of request {}: {e}", event.seq, request_id.0).into(),
            )
        })?;
        if let Step::NoticeQueued(queued) = step {
            let outbox_id = queued.outbox_id;
            let letter = kept_letter(queued).map_err(|e| {
                diesel::result::Error::DeserializationError(
                    format!("event {} of request {}: {e}", event.seq, request_id.0).into(),
                )
            })?;
            messages.insert(outbox_id, letter);
        }
    }
    Ok(messages)
}

/// The letter a `notice_queued` event keeps, its private token withheld; an error says why a
/// packed letter cannot be unpacked.
fn kept_letter(queued: NoticeQueued) -> Result<Rendered, String> {
    let words = queued.words()?;
    Ok(Rendered {
        subject: queued.subject,
        text: words.text,
        html: words.html,
    })
}

/// The action of the event that records a notice queued, with its message.
const NOTICE_QUEUED: &str = NoticeQueued::ACTION;

#[cfg(test)]
mod tests {
    use super::*;

    /// The events a sent letter is read back from are found by their action's name.
    #[test]
    fn a_queued_notices_event_is_found_by_the_name_its_step_is_stored_under() {
        let words = LetterWords {
            text: String::new(),
            html: String::new(),
            original: None,
        };
        let step = Step::NoticeQueued(NoticeQueued::new(
            OutboxId(1),
            NoticeKind::Acknowledgement,
            "jane@example.com".into(),
            "<a@b>".into(),
            String::new(),
            words,
        ));
        assert_eq!(step.action(), NOTICE_QUEUED);
    }

    /// A row is read in the form it was written in; one that names an event but cannot be
    /// read as such says what is wrong with it, not what a whole message would lack.
    #[test]
    fn a_payload_is_read_in_its_own_form() {
        let named = r#"{"to_name":"Jane","reply_to":"r@x","queued":3}"#;
        assert!(matches!(payload(named), Ok(Payload::InChain(a)) if a.queued == 3));
        let whole = r#"{"to_name":null,"subject":"s","text":"t","html":"h"}"#;
        assert!(matches!(payload(whole), Ok(Payload::Whole(e)) if e.message.text == "t"));
        let broken = payload(r#"{"to_name":"Jane","queued":"three"}"#).unwrap_err();
        assert!(broken.to_string().contains("invalid type"), "{broken}");
        assert!(!broken.to_string().contains("subject"), "{broken}");
        assert!(matches!(payload(KEPT_IN_CHAIN), Ok(Payload::Sent)));
        assert!(payload("not a payload").is_err());
    }

    /// `ELIGIBLE_PG` names the notices still waiting by the states they are not in. A state
    /// added to the outbox must be placed here (the match stops compiling until it is), and in
    /// both texts of the claim.
    #[test]
    fn the_claims_two_ways_of_naming_a_waiting_notice_agree() {
        for status in OutboxStatus::ALL {
            let waiting = match status {
                OutboxStatus::Queued | OutboxStatus::Sending => true,
                OutboxStatus::Sent | OutboxStatus::Dead => false,
            };
            let named = format!("'{}'", status.as_str());
            let (within, beyond) = ELIGIBLE_PG
                .split_once("NOT EXISTS")
                .expect("the claim's NOT EXISTS");
            assert_eq!(ELIGIBLE.contains(&named), waiting, "{named}");
            assert_eq!(within.contains(&named), waiting, "{named}");
            assert_eq!(beyond.contains(&named), !waiting, "{named}");
        }
    }
}
