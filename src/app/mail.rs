//! Mail in (docs/PRODUCT.md, "Replies by email" and "Bounces"): a message the mail server
//! hands over is kept whole, once per Message-ID, and then either filed to its request as the
//! requester's message (a valid reply address, from the requester's own address, on a
//! request that takes messages), read as a bounce of one of our notices (a delivery status
//! notification to a notice's signed return path), or left for staff as unmatched mail. Never
//! bounced back: only what cannot be read at all is refused. Every outcome, and staff's
//! decision on unmatched mail, is an event in the mail chain.

use sha2::{Digest, Sha256};

use super::manage::{insert_message, record_as, requester_answered, StoredFile, Written};
use super::{AppError, Caller, Ctx, StaffAccount};
use crate::audit::mail_chain::{self, MailEvent};
use crate::audit::Actor;
use crate::blobs::{Blob, BlobStore};
use crate::db::mail::{self as stored, MailRow, MailState, NewMail};
use crate::db::{self, requests, Conn, Db};
use crate::domain::access::Role;
use crate::domain::documents::{display_name, FileKind};
use crate::domain::ids::{MessageId, OutboxId, RequestId};
use crate::domain::input::{limits, Text, TrackingNumber};
use crate::domain::notices::Audience;
use crate::domain::step::{Author, ByEmail, NoticeBounced, Step};
use crate::notify::inbound::{self, Received};
use crate::notify::outbox;

/// A received email, as staff see it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub id: i64,
    pub received_at: chrono::NaiveDateTime,
    pub from_address: String,
    /// The address it came to.
    pub recipient: String,
    pub subject: String,
    /// What the sender wrote, quoted text trimmed.
    pub body: String,
    /// `filed`, `unmatched`, `attached`, `discarded` or `bounce`.
    pub state: String,
    /// Why it reached no request, or why staff discarded it.
    pub reason: Option<String>,
    pub sha256: String,
    pub size_bytes: i64,
    /// The request it was filed or attached to.
    pub tracking_number: Option<String>,
}

impl From<MailRow> for ReceivedMail {
    fn from(row: MailRow) -> ReceivedMail {
        ReceivedMail {
            id: row.id,
            received_at: row.received_at,
            from_address: row.from_address,
            recipient: row.recipient,
            subject: row.subject,
            body: row.body,
            state: row.state,
            reason: row.reason,
            sha256: row.sha256,
            size_bytes: row.size_bytes,
            tracking_number: None,
        }
    }
}

/// What became of a message handed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingested {
    pub mail_id: i64,
    pub outcome: Outcome,
    /// The same message (by Message-ID) was handed over before; nothing new was kept.
    pub repeat: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Filed to this request as the requester's message.
    Filed { tracking_number: String },
    /// Left for staff, and why.
    Unmatched { reason: String },
    /// Read as a delivery report of one of our notices.
    Bounce { flagged: bool },
    /// Attached to a request by staff (a repeat of a message they already placed).
    Attached,
    /// Discarded by staff (a repeat of a message they already discarded).
    Discarded,
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Filed { .. } => "filed",
            Outcome::Unmatched { .. } => "unmatched",
            Outcome::Bounce { .. } => "bounce",
            Outcome::Attached => "attached",
            Outcome::Discarded => "discarded",
        }
    }

    fn of_row(row: &MailRow, tracking_number: Option<String>) -> Outcome {
        match row.state() {
            MailState::Filed => Outcome::Filed {
                tracking_number: tracking_number.unwrap_or_default(),
            },
            MailState::Unmatched => Outcome::Unmatched {
                reason: row.reason.clone().unwrap_or_default(),
            },
            MailState::Bounce => Outcome::Bounce { flagged: false },
            MailState::Attached => Outcome::Attached,
            MailState::Discarded => Outcome::Discarded,
        }
    }
}

/// Keeps and places one raw message. `envelope_recipients` are the addresses the mail server
/// delivered it to (Postfix's `${original_recipient}`), when it says; the message's own
/// Delivered-To, To and Cc headers are read after them.
pub fn ingest(
    db: &Db,
    ctx: &Ctx,
    files: &BlobStore,
    raw: &[u8],
    envelope_recipients: &[String],
) -> Result<Ingested, AppError> {
    let limit = usize::try_from(files.max_bytes()).unwrap_or(usize::MAX);
    let received =
        inbound::read(raw, limit).map_err(|e| AppError::field("message", e.to_string()))?;
    let sha256 = hex::encode(Sha256::digest(raw));
    let message_key = match &received.message_id {
        Some(id) => id.clone(),
        None => format!("sha256:{sha256}"),
    };
    let kept = db.read(|conn| match stored::by_key(conn, &message_key)? {
        Some(kept) => repeat(conn, kept).map(Some),
        None => Ok::<_, AppError>(None),
    })?;
    if let Some(kept) = kept {
        return Ok(kept);
    }
    let mut recipients: Vec<String> = envelope_recipients
        .iter()
        .map(|r| r.trim().to_ascii_lowercase())
        .filter(|r| !r.is_empty())
        .collect();
    recipients.extend(received.recipients.iter().cloned());
    let route = route(ctx, &recipients);
    let raw_blob = keep(files, raw)?;
    // Attachments are kept before the transaction only for what may be filed at once.
    let prepared = match &route {
        Route::Reply { .. } => Some(prepare_files(files, &received)?),
        _ => None,
    };
    let mail = Arriving {
        received: &received,
        message_key: &message_key,
        blob: &raw_blob,
    };
    let outcome = db.write(|conn| {
        // Handed over twice at once: the second waits on the mail chain's lock, then finds
        // the first here.
        stored::lock_head(conn)?;
        if let Some(kept) = stored::by_key(conn, &message_key)? {
            return repeat(conn, kept);
        }
        match route {
            Route::Reply {
                tracking_number,
                recipient,
            } => file_reply(
                conn,
                ctx,
                &mail,
                &tracking_number,
                &recipient,
                prepared.as_ref().expect("prepared for a reply"),
            ),
            Route::Bounce { notice, recipient } => {
                take_bounce(conn, ctx, &mail, notice, &recipient)
            }
            Route::Nowhere { recipient } => unmatched(
                conn,
                &mail,
                &recipient,
                None,
                "It was not sent to a request's reply address",
            ),
        }
    })?;
    match &outcome.outcome {
        Outcome::Filed { tracking_number } => log::info!(
            "mail {} from {} filed to {tracking_number}",
            outcome.mail_id,
            crate::domain::input::mask_email(&received.from)
        ),
        other => log::info!("mail {} kept: {}", outcome.mail_id, other.as_str()),
    }
    Ok(outcome)
}

fn repeat(conn: &mut Conn, kept: MailRow) -> Result<Ingested, AppError> {
    log::info!("mail {} handed over again: kept once", kept.id);
    let tracking_number = match kept.request_id {
        Some(request_id) => Some(requests::by_id(conn, request_id)?.tracking_number),
        None => None,
    };
    Ok(Ingested {
        mail_id: kept.id,
        outcome: Outcome::of_row(&kept, tracking_number),
        repeat: true,
    })
}

/// Where the recipients say a message goes.
enum Route {
    Reply {
        tracking_number: TrackingNumber,
        recipient: String,
    },
    Bounce {
        notice: OutboxId,
        recipient: String,
    },
    Nowhere {
        recipient: String,
    },
}

fn route(ctx: &Ctx, recipients: &[String]) -> Route {
    for recipient in recipients {
        if let Some(notice) = ctx.replies.notice_of(recipient) {
            return Route::Bounce {
                notice: OutboxId(notice),
                recipient: recipient.clone(),
            };
        }
        if let Some(tracking_number) = ctx.replies.request_of(recipient) {
            return Route::Reply {
                tracking_number,
                recipient: recipient.clone(),
            };
        }
    }
    Route::Nowhere {
        recipient: recipients.first().cloned().unwrap_or_default(),
    }
}

/// A message on its way in: read, and kept in the file store.
struct Arriving<'a> {
    received: &'a Received,
    message_key: &'a str,
    blob: &'a Blob,
}

impl Arriving<'_> {
    fn row<'a>(
        &'a self,
        recipient: &'a str,
        body: &'a str,
        state: MailState,
        reason: Option<&'a str>,
        request_id: Option<RequestId>,
        message_id: Option<MessageId>,
    ) -> NewMail<'a> {
        NewMail {
            message_key: self.message_key,
            sha256: &self.blob.sha256,
            size_bytes: self.blob.size as i64,
            received_at: db::now(),
            from_address: &self.received.from,
            recipient,
            subject: &self.received.subject,
            body,
            state: state.as_str(),
            reason,
            request_id,
            message_id,
        }
    }

    fn event(
        &self,
        mail_id: i64,
        recipient: &str,
        outcome: &str,
        tracking_number: Option<&str>,
        reason: Option<&str>,
    ) -> MailEvent {
        MailEvent::Received {
            mail_id,
            sha256: self.blob.sha256.clone(),
            size_bytes: self.blob.size as i64,
            from: self.received.from.clone(),
            recipient: recipient.to_string(),
            outcome: outcome.to_string(),
            tracking_number: tracking_number.map(str::to_string),
            reason: reason.map(str::to_string),
        }
    }
}

/// The reply's words as a message holds them: quotes trimmed, control characters out, and
/// no longer than a message may be (the whole text is then a file of the message).
fn reply_body(received: &Received) -> String {
    let text: String = received
        .reply()
        .chars()
        .filter(|c| !c.is_control() || *c == '\n' || *c == '\t')
        .collect();
    match text.char_indices().nth(limits::MESSAGE - 100) {
        Some((cut, _)) => format!(
            "{}\n\n[The rest of this email is in whole-email.txt.]",
            &text[..cut]
        ),
        None => text,
    }
}

/// Keeps bytes in the file store.
fn keep(files: &BlobStore, bytes: &[u8]) -> Result<Blob, AppError> {
    let store_failed =
        |e: crate::blobs::BlobError| AppError::Internal(format!("keeping received mail: {e}"));
    let mut writer = files.begin().map_err(store_failed)?;
    writer.write(bytes).map_err(store_failed)?;
    files.commit(writer).map_err(store_failed)
}

/// The files a reply brings: each attachment of an allowed kind (told by its bytes, as any
/// file a requester sends), and, when quotes were trimmed, the whole text as a file. What is
/// not kept is named in the message, so staff know to look in the whole email.
struct Prepared {
    files: Vec<StoredFile>,
    left_out: Vec<String>,
}

fn prepare_files(files: &BlobStore, received: &Received) -> Result<Prepared, AppError> {
    let mut prepared = Prepared {
        files: Vec::new(),
        left_out: Vec::new(),
    };
    for attachment in &received.attachments {
        let title = display_name(&attachment.name);
        match FileKind::of(&title, &attachment.bytes) {
            Ok(kind) if !attachment.bytes.is_empty() => prepared.files.push(StoredFile {
                title,
                kind,
                blob: keep(files, &attachment.bytes)?,
            }),
            _ => prepared.left_out.push(title),
        }
    }
    let reply = received.reply();
    let trimmed = reply.trim() != received.text.trim();
    let cut = reply.chars().count() > limits::MESSAGE - 100;
    if (trimmed || cut) && !received.text.trim().is_empty() {
        prepared.files.push(StoredFile {
            title: "whole-email.txt".into(),
            kind: FileKind::Text,
            blob: keep(files, received.text.as_bytes())?,
        });
    }
    Ok(prepared)
}

fn with_left_out(body: String, left_out: &[String]) -> String {
    if left_out.is_empty() {
        return body;
    }
    let names = left_out.join(", ");
    format!(
        "{body}\n\n[Not kept as files, being of a kind the City does not accept: {names}. The City keeps the whole email as it came.]"
    )
}

fn file_reply(
    conn: &mut Conn,
    ctx: &Ctx,
    mail: &Arriving<'_>,
    tracking_number: &TrackingNumber,
    recipient: &str,
    prepared: &Prepared,
) -> Result<Ingested, AppError> {
    let Some(row) = requests::by_tracking_number(conn, tracking_number.as_str())? else {
        return unmatched(conn, mail, recipient, None, "Its request no longer exists");
    };
    let row = requests::lock(conn, row.id)?;
    let requester = requests::requester(conn, row.requester_id)?;
    let from_requester = requester
        .email
        .as_deref()
        .is_some_and(|e| e.trim().eq_ignore_ascii_case(&mail.received.from));
    if !from_requester {
        return unmatched(
            conn,
            mail,
            recipient,
            Some(tracking_number.as_str()),
            "It came from an address that is not the requester's",
        );
    }
    if mail.received.automatic {
        return unmatched(
            conn,
            mail,
            recipient,
            Some(tracking_number.as_str()),
            "It is an automatic reply (an out-of-office message or the like)",
        );
    }
    if let Err(refusal) = super::manage::check_requester_may_write(conn, ctx, &row, db::now()) {
        let reason = format!("The request takes no message now: {refusal}");
        return unmatched(
            conn,
            mail,
            recipient,
            Some(tracking_number.as_str()),
            &reason,
        );
    }
    let body = with_left_out(reply_body(mail.received), &prepared.left_out);
    if body.trim().is_empty() && prepared.files.is_empty() {
        return unmatched(
            conn,
            mail,
            recipient,
            Some(tracking_number.as_str()),
            "It has no words or files of its own",
        );
    }
    let now = db::now();
    let email = ByEmail {
        sha256: mail.blob.sha256.clone(),
        subject: mail.received.subject.clone(),
    };
    let (step, message_id) = requesters_email(conn, &row, &body, &prepared.files, email, now)?;
    let mail_id = stored::insert(
        conn,
        &mail.row(
            recipient,
            &body,
            MailState::Filed,
            None,
            Some(row.id),
            Some(message_id),
        ),
    )?;
    mail_chain::append(
        conn,
        now,
        &Actor::System,
        &mail.event(
            mail_id,
            recipient,
            "filed",
            Some(tracking_number.as_str()),
            None,
        ),
    )?;
    record_as(conn, ctx, &Actor::Requester, &row, None, &[step])?;
    Ok(Ingested {
        mail_id,
        outcome: Outcome::Filed {
            tracking_number: tracking_number.to_string(),
        },
        repeat: false,
    })
}

/// Keeps an email's words and files as the requester's message on `row` (locked); answers
/// its step and id.
fn requesters_email(
    conn: &mut Conn,
    row: &crate::db::models::RequestRow,
    body: &str,
    files: &[StoredFile],
    email: ByEmail,
    now: chrono::NaiveDateTime,
) -> Result<(Step, MessageId), AppError> {
    let author_name = requester_answered(conn, row)?;
    let written = Written {
        author: Author::Requester,
        author_name,
        staff_id: None,
        body,
        files,
        email: Some(email),
    };
    let step = insert_message(conn, row, written, now)?;
    let message_id = match &step {
        Step::Message(message) => message.message_id,
        _ => unreachable!("insert_message answers a message"),
    };
    Ok((step, message_id))
}

fn unmatched(
    conn: &mut Conn,
    mail: &Arriving<'_>,
    recipient: &str,
    tracking_number: Option<&str>,
    reason: &str,
) -> Result<Ingested, AppError> {
    let body = reply_body(mail.received);
    let mail_id = stored::insert(
        conn,
        &mail.row(
            recipient,
            &body,
            MailState::Unmatched,
            Some(reason),
            None,
            None,
        ),
    )?;
    mail_chain::append(
        conn,
        db::now(),
        &Actor::System,
        &mail.event(
            mail_id,
            recipient,
            "unmatched",
            tracking_number,
            Some(reason),
        ),
    )?;
    Ok(Ingested {
        mail_id,
        outcome: Outcome::Unmatched {
            reason: reason.to_string(),
        },
        repeat: false,
    })
}

/// A report to a notice's return path: the notice is marked bounced and the step logged on
/// its request; a requester's address that failed for good (or for now, too often) is
/// flagged, and staff are told.
fn take_bounce(
    conn: &mut Conn,
    ctx: &Ctx,
    mail: &Arriving<'_>,
    notice: OutboxId,
    recipient: &str,
) -> Result<Ingested, AppError> {
    let Some(delivery) = mail.received.delivery.clone().filter(|d| d.failed()) else {
        // An auto-reply or a delay warning to a return path is no bounce.
        return unmatched(
            conn,
            mail,
            recipient,
            None,
            "It came to a notice's return address but reports no failed delivery",
        );
    };
    let Some(sent) = outbox::by_id(conn, notice)? else {
        return unmatched(
            conn,
            mail,
            recipient,
            None,
            "It reports on no notice we sent",
        );
    };
    let permanent = delivery.is_permanent();
    outbox::mark_bounced(conn, sent.id, permanent)?;
    let body = format!(
        "Delivery of notice {} failed: {}{}",
        sent.id,
        delivery.status,
        delivery
            .diagnostic
            .as_deref()
            .map(|d| format!(" ({d})"))
            .unwrap_or_default()
    );
    let mail_id = stored::insert(
        conn,
        &mail.row(
            recipient,
            &body,
            MailState::Bounce,
            None,
            sent.request_id,
            None,
        ),
    )?;
    let now = db::now();
    let mut flagged = false;
    let mut tracking_number = None;
    if let Some(request_id) = sent.request_id {
        let row = requests::by_id(conn, request_id)?;
        tracking_number = Some(row.tracking_number.clone());
        let requester = requests::requester(conn, row.requester_id)?;
        let theirs = sent.audience == Audience::Requester
            && requester
                .working_email()
                .is_some_and(|e| e.eq_ignore_ascii_case(&sent.recipient));
        if theirs {
            let (soft, first) =
                outbox::soft_bounces(conn, &sent.recipient, now - chrono::Duration::days(30))?;
            flagged = permanent || soft >= i64::from(ctx.soft_bounce_limit);
            if flagged {
                // Letters from the first that failed on go by post.
                let since = match (permanent, first) {
                    (false, Some(first)) => first.min(sent.created_at),
                    _ => sent.created_at,
                };
                requests::flag_email_bounced(conn, requester.id, since)?;
            }
        }
        let step = Step::NoticeBounced(NoticeBounced {
            outbox_id: sent.id,
            notice: sent.notice,
            status: delivery.status.clone(),
            permanent,
            diagnostic: delivery.diagnostic.clone(),
            mail_id,
            sha256: mail.blob.sha256.clone(),
            address_flagged: flagged,
        });
        record_as(conn, ctx, &Actor::System, &row, None, &[step])?;
    }
    mail_chain::append(
        conn,
        now,
        &Actor::System,
        &mail.event(
            mail_id,
            recipient,
            "bounce",
            tracking_number.as_deref(),
            None,
        ),
    )?;
    Ok(Ingested {
        mail_id,
        outcome: Outcome::Bounce { flagged },
        repeat: false,
    })
}

// Staff and unmatched mail.

/// Only the City Clerk's staff and admins see mail no request claimed: it may be about
/// anything, and anyone's.
fn may_handle(staff: &StaffAccount) -> Result<(), AppError> {
    match staff.role {
        Role::Clerk | Role::Admin => Ok(()),
        Role::Steward | Role::Reviewer => Err(AppError::Forbidden(
            "unmatched mail is handled by the City Clerk's staff".into(),
        )),
    }
}

/// The mail waiting for staff, oldest first, and how many wait in all.
pub fn unmatched_list(
    conn: &mut Conn,
    staff: &StaffAccount,
    limit: i64,
) -> Result<(Vec<ReceivedMail>, i64), AppError> {
    may_handle(staff)?;
    let waiting = stored::in_state(conn, MailState::Unmatched, limit)?;
    Ok((
        waiting.into_iter().map(ReceivedMail::from).collect(),
        stored::count_in_state(conn, MailState::Unmatched)?,
    ))
}

/// One received message, for staff: unmatched or bounce mail to the Clerk's staff, mail filed
/// to a request to staff who can see that request.
pub fn one(conn: &mut Conn, staff: &StaffAccount, id: i64) -> Result<MailRow, AppError> {
    visible(conn, staff, id).map(|(row, _)| row)
}

/// [`one`], with the tracking number of the request it went to.
pub fn shown(conn: &mut Conn, staff: &StaffAccount, id: i64) -> Result<ReceivedMail, AppError> {
    let (row, tracking_number) = visible(conn, staff, id)?;
    Ok(ReceivedMail {
        tracking_number,
        ..ReceivedMail::from(row)
    })
}

/// The email and the tracking number of its request, read once for the check and the page.
fn visible(
    conn: &mut Conn,
    staff: &StaffAccount,
    id: i64,
) -> Result<(MailRow, Option<String>), AppError> {
    let row = stored::by_id(conn, id)?.ok_or(AppError::Missing("no such email"))?;
    let tracking_number = match row.request_id {
        Some(request_id) => {
            let request = requests::by_id(conn, request_id)?;
            super::actor_for(conn, &Caller::Staff(staff.clone()), &request)
                .map_err(|_| AppError::Missing("no such email"))?;
            Some(request.tracking_number)
        }
        None => {
            may_handle(staff).map_err(|_| AppError::Missing("no such email"))?;
            None
        }
    };
    Ok((row, tracking_number))
}

/// Staff attach an unmatched message to a request they can see: it becomes the requester's
/// message there, with its files, as if it had come to the request's own address.
pub fn attach(
    db: &Db,
    ctx: &Ctx,
    files: &BlobStore,
    staff: &StaffAccount,
    id: i64,
    tracking_number: &str,
) -> Result<String, AppError> {
    let caller = Caller::Staff(staff.clone());
    may_handle(staff)?;
    let (row, raw) = db.read(|conn| one(conn, staff, id)).and_then(|row| {
        let raw = files
            .local_file(&row.sha256)
            .and_then(|file| std::fs::read(file.path()))
            .map_err(|e| AppError::Internal(format!("reading email {id}: {e}")))?;
        Ok((row, raw))
    })?;
    if row.state() != MailState::Unmatched {
        return Err(super::Conflict::MailDecided.into());
    }
    // As a person types it: spaces around it, lower case.
    let number =
        TrackingNumber::parse(&tracking_number.trim().to_ascii_uppercase()).ok_or_else(|| {
            AppError::field(
                "tracking_number",
                "give a tracking number like RR-2026-00042",
            )
        })?;
    db.read(|conn| super::named_request(conn, &caller, "tracking_number", &number).map(drop))?;
    let limit = usize::try_from(files.max_bytes()).unwrap_or(usize::MAX);
    let received = inbound::read(&raw, limit)
        .map_err(|e| AppError::Internal(format!("email {id} no longer reads: {e}")))?;
    let prepared = prepare_files(files, &received)?;
    let blob = Blob {
        sha256: row.sha256.clone(),
        size: row.size_bytes as u64,
    };
    db.write(|conn| {
        let request = super::named_request(conn, &caller, "tracking_number", &number)?;
        let request = requests::lock(conn, request.id)?;
        let now = db::now();
        let body = with_left_out(row.body.clone(), &prepared.left_out);
        let email = ByEmail {
            sha256: blob.sha256.clone(),
            subject: row.subject.clone(),
        };
        let (step, message_id) =
            requesters_email(conn, &request, &body, &prepared.files, email, now)?;
        let filed_as = Some((request.id, message_id));
        if !stored::decide(conn, id, MailState::Attached, filed_as, None, staff.id, now)? {
            return Err(super::Conflict::MailDecided.into());
        }
        mail_chain::append(
            conn,
            now,
            &caller.audit_actor(),
            &MailEvent::Attached {
                mail_id: id,
                sha256: blob.sha256.clone(),
                tracking_number: request.tracking_number.clone(),
            },
        )?;
        record_as(conn, ctx, &caller.audit_actor(), &request, None, &[step])?;
        Ok(request.tracking_number)
    })
}

/// Staff discard an unmatched message, saying why; it stays kept, and in the mail chain.
pub fn discard(
    conn: &mut Conn,
    staff: &StaffAccount,
    id: i64,
    reason: Option<&str>,
) -> Result<(), AppError> {
    may_handle(staff)?;
    let reason = Text::line(reason.unwrap_or(""), limits::FIELD_TEXT)
        .map_err(|e| AppError::field("reason", e))?;
    let row = one(conn, staff, id)?;
    let now = db::now();
    if !stored::decide(
        conn,
        id,
        MailState::Discarded,
        None,
        Some(reason.as_str()),
        staff.id,
        now,
    )? {
        return Err(super::Conflict::MailDecided.into());
    }
    mail_chain::append(
        conn,
        now,
        &staff.audit_actor(),
        &MailEvent::Discarded {
            mail_id: id,
            sha256: row.sha256,
            reason: reason.as_str().to_string(),
        },
    )?;
    Ok(())
}
