//! Queueing notices in the outbox, inside the caller's transaction.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::notice::Notice;
use crate::db::models::NewOutboxRow;
use crate::db::schema::outbox;
use crate::db::Conn;
use crate::secrets::random_hex;

/// One notice to one recipient, with what its template will need.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub notice: Notice,
    pub recipient: String,
    pub payload: serde_json::Value,
}

/// Queues each notice with its own Message-ID, fixed now so a resend can never be mistaken
/// for a new message.
pub fn enqueue(
    conn: &mut Conn,
    request_id: Option<i64>,
    tracking_number: &str,
    items: &[Outgoing],
    now: NaiveDateTime,
    mail_domain: &str,
) -> QueryResult<()> {
    for item in items {
        let message_id = format!(
            "<{}.{}.{}@{}>",
            tracking_number,
            item.notice.as_str(),
            random_hex(8),
            mail_domain
        );
        let payload = item.payload.to_string();
        diesel::insert_into(outbox::table)
            .values(NewOutboxRow {
                request_id,
                notice: item.notice.as_str(),
                recipient: &item.recipient,
                audience: item.notice.audience().as_str(),
                payload: &payload,
                message_id: &message_id,
                status: "queued",
                attempts: 0,
                next_attempt_at: now,
                created_at: now,
            })
            .execute(conn)?;
    }
    Ok(())
}
