//! The outbox: notices are rendered and queued inside the transaction of the change that causes
//! them (with an audit event holding the message), then claimed, sent and settled by the
//! dispatcher. A claim is a lease: a crashed sender's notices go out again after it expires,
//! with the same Message-ID.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text, Timestamp};
use serde_json::{json, Value};

use super::notice::{Audience, Notice};
use super::render::{render, NoticeView, Rendered};
use crate::audit;
use crate::db::models::{AuditEvent, NewOutboxRow, OutboxRow};
use crate::db::schema::{outbox, requests};
use crate::db::{per_backend, Conn};
use crate::secrets::random_hex;

/// One notice to one recipient, with what its template will need.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub notice: Notice,
    pub recipient: String,
    pub payload: Value,
}

/// What an outbox row carries: the rendered message, who it is for, and the secret (a private
/// token) it contains until it has been delivered.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Envelope {
    pub to_name: Option<String>,
    #[serde(flatten)]
    pub message: Rendered,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

fn render_error(e: askama::Error) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("rendering a notice: {e}").into())
}

/// The token in a private link, so the audit copy can leave it out.
fn secret_of(payload: &Value) -> Option<String> {
    let url = payload.get("private_url")?.as_str()?;
    url.split_once("token=")
        .map(|(_, token)| token.split('&').next().unwrap_or(token).to_string())
}

/// Renders and queues each notice with its own Message-ID, fixed now so a resend can never be
/// mistaken for a new message, and records the message in the request's chain.
pub fn enqueue(
    conn: &mut Conn,
    chain: &mut audit::OpenChain,
    items: &[Outgoing],
    now: NaiveDateTime,
    mail_domain: &str,
) -> QueryResult<()> {
    let request_id = Some(chain.request_id());
    for item in items {
        let composed = compose(item, chain.tracking_number(), mail_domain)?;
        let row = composed.as_new(request_id, now);
        let outbox_id: i64 = per_backend!(conn, |c| diesel::insert_into(outbox::table)
            .values(&row)
            .returning(outbox::id)
            .get_result(c))?;
        let content = composed.audit_content(outbox_id);
        chain.append(conn, now, &audit::Actor::System, "notice_queued", &content)?;
    }
    Ok(())
}

/// `enqueue` without writing: each notice is composed, given one of `ids` (taken beforehand)
/// and recorded by a `notice_queued` event linked onto `chain` and pushed to `events`, for a
/// caller that writes every row in one statement (`Composed::as_new` under its id).
pub fn link(
    chain: &mut audit::OpenChain,
    items: &[Outgoing],
    ids: &[i64],
    now: NaiveDateTime,
    mail_domain: &str,
    events: &mut Vec<AuditEvent>,
) -> QueryResult<Vec<(i64, Composed)>> {
    if ids.len() != items.len() {
        return Err(diesel::result::Error::QueryBuilderError(
            format!("{} notices but {} outbox ids", items.len(), ids.len()).into(),
        ));
    }
    let mut composed = Vec::with_capacity(items.len());
    for (item, &id) in items.iter().zip(ids) {
        let notice = compose(item, chain.tracking_number(), mail_domain)?;
        let content = notice.audit_content(id);
        events.push(chain.link(now, &audit::Actor::System, "notice_queued", &content));
        composed.push((id, notice));
    }
    Ok(composed)
}

/// A notice rendered for one recipient, with its Message-ID, before it has a row.
#[derive(Debug, Clone)]
pub struct Composed {
    notice: Notice,
    recipient: String,
    payload: String,
    message_id: String,
    /// What the audit event keeps: the message without the private token.
    audit_copy: Rendered,
}

/// Renders one notice and fixes its Message-ID: the part of queueing that needs no database.
pub fn compose(item: &Outgoing, tracking_number: &str, mail_domain: &str) -> QueryResult<Composed> {
    let message_id = format!(
        "<{}.{}.{}@{}>",
        tracking_number,
        item.notice.as_str(),
        random_hex(8),
        mail_domain
    );
    let rendered =
        render(&NoticeView::from_payload(item.notice, &item.payload)).map_err(render_error)?;
    let secret = secret_of(&item.payload);
    let to_name = match item.notice.audience() {
        Audience::Requester => item
            .payload
            .get("requester_name")
            .and_then(Value::as_str)
            .map(str::to_string),
        Audience::Staff => None,
    };
    let audit_copy = rendered.redacted(secret.as_deref());
    let envelope = Envelope {
        to_name,
        message: rendered,
        secret,
    };
    Ok(Composed {
        notice: item.notice,
        recipient: item.recipient.clone(),
        payload: serde_json::to_string(&envelope).expect("an envelope always serialises"),
        message_id,
        audit_copy,
    })
}

impl Composed {
    /// The queued row, its id left to the database.
    pub fn as_new(&self, request_id: Option<i64>, now: NaiveDateTime) -> NewOutboxRow<'_> {
        NewOutboxRow {
            request_id,
            notice: self.notice.as_str(),
            recipient: &self.recipient,
            audience: self.notice.audience().as_str(),
            payload: &self.payload,
            message_id: &self.message_id,
            status: "queued",
            attempts: 0,
            next_attempt_at: now,
            created_at: now,
        }
    }

    /// The `notice_queued` event's content: the message as sent, less its private token.
    pub fn audit_content(&self, outbox_id: i64) -> Value {
        json!({
            "outbox_id": outbox_id,
            "notice": self.notice.as_str(),
            "to": self.recipient,
            "message_id": self.message_id,
            "subject": self.audit_copy.subject,
            "text": self.audit_copy.text,
            "html": self.audit_copy.html,
        })
    }
}

/// A notice claimed for sending.
#[derive(Debug, Clone, QueryableByName)]
pub struct Claimed {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Nullable<BigInt>)]
    pub request_id: Option<i64>,
    #[diesel(sql_type = Text)]
    pub notice: String,
    #[diesel(sql_type = Text)]
    pub recipient: String,
    #[diesel(sql_type = Text)]
    pub payload: String,
    #[diesel(sql_type = Text)]
    pub message_id: String,
    #[diesel(sql_type = Integer)]
    pub attempts: i32,
}

/// Due notices, oldest first, but never one whose recipient still waits for an earlier notice
/// of the same request: each person gets a request's notices in order.
const ELIGIBLE: &str = "o.status IN ('queued', 'sending') AND o.next_attempt_at <= {now}
    AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.request_id = o.request_id
        AND p.recipient = o.recipient AND p.id < o.id AND p.status IN ('queued', 'sending'))";
const RETURNING: &str =
    "RETURNING id, request_id, notice, recipient, payload, message_id, attempts";

/// Claims up to `limit` due notices until `lease_until`. PostgreSQL skips rows another
/// instance is claiming; SQLite has one writer at a time.
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
                 WHERE id IN (SELECT o.id FROM outbox o WHERE {} ORDER BY o.id LIMIT ?) {RETURNING}",
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
                ELIGIBLE.replace("{now}", "$2")
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
        .filter(outbox::status.eq("sending"))
        .filter(outbox::attempts.eq(claimed.attempts));
    Ok(diesel::update(target).set(change).execute(conn)? == 1)
}

#[derive(Debug, AsChangeset)]
#[diesel(table_name = outbox)]
pub struct OutboxChange {
    pub status: String,
    pub payload: Option<String>,
    pub next_attempt_at: Option<NaiveDateTime>,
    pub last_error: Option<String>,
    pub sent_at: Option<NaiveDateTime>,
}

/// Records a delivery: the row keeps the message without its secret, the chain the reply.
pub fn delivered(
    conn: &mut Conn,
    claimed: &Claimed,
    now: NaiveDateTime,
    reply: &str,
) -> QueryResult<bool> {
    let scrubbed = serde_json::from_str::<Envelope>(&claimed.payload)
        .ok()
        .map(|envelope| {
            let message = envelope.message.redacted(envelope.secret.as_deref());
            serde_json::to_string(&Envelope {
                to_name: envelope.to_name,
                message,
                secret: None,
            })
            .unwrap_or_default()
        });
    let change = OutboxChange {
        status: "sent".into(),
        payload: scrubbed,
        next_attempt_at: None,
        last_error: None,
        sent_at: Some(now),
    };
    if !settle(conn, claimed, &change)? {
        return Ok(false);
    }
    settle_event(
        conn,
        claimed,
        now,
        "notice_delivered",
        json!({ "reply": reply }),
    )?;
    Ok(true)
}

/// Records a failed attempt: back to the queue until `retry_at`, or dead-lettered when `None`.
pub fn failed(
    conn: &mut Conn,
    claimed: &Claimed,
    now: NaiveDateTime,
    error: &str,
    retry_at: Option<NaiveDateTime>,
) -> QueryResult<bool> {
    let change = OutboxChange {
        status: if retry_at.is_some() { "queued" } else { "dead" }.into(),
        payload: None,
        next_attempt_at: retry_at,
        last_error: Some(error.chars().take(2000).collect()),
        sent_at: None,
    };
    if !settle(conn, claimed, &change)? {
        return Ok(false);
    }
    let (action, details) = match retry_at {
        Some(at) => (
            "notice_failed",
            json!({ "error": error, "next_attempt_at": audit::chain::format_time(at) }),
        ),
        None => ("notice_dead_lettered", json!({ "error": error })),
    };
    settle_event(conn, claimed, now, action, details)?;
    Ok(true)
}

fn settle_event(
    conn: &mut Conn,
    claimed: &Claimed,
    now: NaiveDateTime,
    action: &str,
    mut details: Value,
) -> QueryResult<()> {
    let Some(request_id) = claimed.request_id else {
        return Ok(());
    };
    details["outbox_id"] = json!(claimed.id);
    details["message_id"] = json!(claimed.message_id);
    details["attempt"] = json!(claimed.attempts);
    audit::append(
        conn,
        request_id,
        now,
        &audit::Actor::System,
        action,
        &details,
    )
    .map(drop)
}

/// Dead-lettered notices, newest first, with their request's tracking number.
pub fn dead(conn: &mut Conn, limit: i64) -> QueryResult<Vec<(OutboxRow, Option<String>)>> {
    outbox::table
        .left_join(requests::table.on(outbox::request_id.eq(requests::id.nullable())))
        .filter(outbox::status.eq("dead"))
        .order(outbox::id.desc())
        .limit(limit)
        .select((OutboxRow::as_select(), requests::tracking_number.nullable()))
        .load(conn)
}

/// Puts a dead-lettered notice back in the queue for a fresh round of attempts.
pub fn requeue(
    conn: &mut Conn,
    id: i64,
    now: NaiveDateTime,
    by: &audit::Actor,
) -> QueryResult<Option<OutboxRow>> {
    let updated = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::status.eq("dead")),
    )
    .set((
        outbox::status.eq("queued"),
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
        let details =
            json!({ "outbox_id": row.id, "message_id": row.message_id, "notice": row.notice });
        audit::append(conn, request_id, now, by, "notice_retried", &details)?;
    }
    Ok(Some(row))
}

/// A request's notices for its case file: what was sent, to whom, and how it went. Private
/// tokens are withheld even from notices still waiting to go.
pub fn for_request(conn: &mut Conn, tracking_number: &str) -> QueryResult<Vec<Value>> {
    let rows: Vec<OutboxRow> = outbox::table
        .inner_join(requests::table.on(outbox::request_id.eq(requests::id.nullable())))
        .filter(requests::tracking_number.eq(tracking_number))
        .order(outbox::id)
        .select(OutboxRow::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| {
            let message = serde_json::from_str::<Envelope>(&row.payload)
                .map(|e| e.message.redacted(e.secret.as_deref()))
                .ok();
            json!({
                "id": row.id,
                "notice": row.notice,
                "to": row.recipient,
                "status": row.status,
                "attempts": row.attempts,
                "message_id": row.message_id,
                "last_error": row.last_error,
                "queued_at": audit::chain::format_time(row.created_at),
                "sent_at": row.sent_at.map(audit::chain::format_time),
                "subject": message.as_ref().map(|m| m.subject.clone()),
                "text": message.map(|m| m.text),
            })
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_token_of_a_private_link_is_found_for_redaction() {
        let payload =
            json!({ "private_url": "http://x/requests/RR-2026-00001?token=rdr_abc&lang=en" });
        assert_eq!(secret_of(&payload).as_deref(), Some("rdr_abc"));
        assert_eq!(secret_of(&json!({})), None);
    }
}
