//! Steps that change a request without changing its state: messages, extensions, assignment.

use serde::Deserialize;

use super::act::multiline;
use super::view::{case_view, Case};
use super::{check_version, facts, load_for, AppError, Caller, Conflict, Ctx, StaffAccount};
use crate::audit;
use crate::db::models::{NewMessage, NewRequesterFile, RequestChanges, RequestRow};
use crate::db::{self, requests, staff as staff_db, Conn};
use crate::domain::access::queue_name;
use crate::domain::deadlines::MAX_EXTENSION_DAYS;
use crate::domain::input::{limits, Email, Responsible, Text};
use crate::domain::messages::{self, MessageRefusal};
use crate::domain::step::{Assigned, Assistance, Author, Extended, Message, Note, SentFile, Step};
use crate::domain::transitions::may_manage;
use crate::domain::{Actor, Circumstance, FieldErrors, Role};

/// Writes the step's change with the version check (unless it changes nothing about the
/// case), then its audit event and the notices it causes.
#[allow(clippy::too_many_arguments)]
pub(super) fn record(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    actor: &Actor,
    row: &RequestRow,
    changes: Option<&RequestChanges>,
    step: &Step,
) -> Result<Case, AppError> {
    record_all(
        conn,
        ctx,
        caller,
        actor,
        row,
        changes,
        std::slice::from_ref(step),
    )
}

/// [`record`] for a change that is several steps at once (documents released that produce
/// a grant's records), each its own event with its own notices.
#[allow(clippy::too_many_arguments)]
pub(super) fn record_all(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    actor: &Actor,
    row: &RequestRow,
    changes: Option<&RequestChanges>,
    steps: &[Step],
) -> Result<Case, AppError> {
    let updated = record_as(conn, ctx, &caller.audit_actor(), row, changes, steps)?;
    case_view(conn, ctx, caller, actor, &updated)
}

/// [`record_all`] by an actor with no view to answer (mail received, a bounce); answers the
/// request's row as the steps left it.
pub(super) fn record_as(
    conn: &mut Conn,
    ctx: &Ctx,
    by: &audit::Actor,
    row: &RequestRow,
    changes: Option<&RequestChanges>,
    steps: &[Step],
) -> Result<RequestRow, AppError> {
    let now = db::now();
    // A message or a document being prepared changes nothing about the case itself, so it
    // leaves the version alone (staff acting on the version they saw are not refused because
    // the requester wrote or a colleague attached a file).
    let (mut chain, updated) = match changes {
        Some(changes) => {
            let updated = super::update_or_stale(conn, row, changes, now)?;
            (audit::OpenChain::of_updated(&updated), updated)
        }
        None => {
            let chain = audit::OpenChain::open(conn, row.id)?;
            // Without an update, the row as it stands under the chain's lock.
            (chain, requests::by_id(conn, row.id)?)
        }
    };
    for step in steps {
        chain.append(now, by, step);
        super::notices::queue(conn, ctx, &mut chain, &updated, step, now)?;
    }
    chain.close(conn)?;
    Ok(updated)
}

/// A message as either face reads it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawMessage {
    pub body: Option<String>,
}

/// A message to post on a request.
#[derive(Debug, Clone)]
pub struct PostMessage {
    pub body: Text,
}

impl TryFrom<RawMessage> for PostMessage {
    type Error = FieldErrors;

    fn try_from(raw: RawMessage) -> Result<PostMessage, FieldErrors> {
        let mut errors = FieldErrors::default();
        let body = errors.check(
            "body",
            Text::multiline(raw.body.as_deref().unwrap_or(""), limits::MESSAGE),
        );
        match body {
            Some(body) => Ok(PostMessage { body }),
            None => Err(errors),
        }
    }
}

/// A message between the requester and staff, kept on the request and in its chain.
pub fn post_message(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    message: &PostMessage,
) -> Result<Case, AppError> {
    write_message(
        conn,
        ctx,
        caller,
        tracking_number,
        message.body.as_str(),
        &[],
    )
}

/// A file the requester sends, already in the file store.
#[derive(Debug, Clone)]
pub struct StoredFile {
    /// The display name (made safe by `domain::documents::display_name`).
    pub title: String,
    pub kind: crate::domain::documents::FileKind,
    pub blob: crate::blobs::Blob,
}

/// Writes a message, with the files the requester sent with it (staff send none here: they
/// attach documents), its event naming each file by hash, and the notices it causes.
pub(super) fn write_message(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    body: &str,
    files: &[StoredFile],
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    let now = db::now();
    let (author, author_name, staff_id) = match caller {
        Caller::Requester { .. } => {
            // Counted on the locked row: a burst at once cannot all slip under the limit.
            let row = requests::lock(conn, row.id)?;
            check_requester_may_write(conn, ctx, &row, now)?;
            (Author::Requester, requester_answered(conn, &row)?, None)
        }
        Caller::Staff(staff) => (Author::Staff, staff.name.clone(), Some(staff.id)),
    };
    let written = Written {
        author,
        author_name,
        staff_id,
        body,
        files,
        email: None,
    };
    let step = insert_message(conn, &row, written, now)?;
    record(conn, ctx, caller, &actor, &row, None, &step)
}

/// The requester wrote: the request no longer waits on them. Answers their name as their
/// messages carry it.
pub(super) fn requester_answered(conn: &mut Conn, row: &RequestRow) -> Result<String, AppError> {
    if row.awaiting_requester_since.is_some() {
        requests::set_awaiting_requester(conn, row.id, None)?;
    }
    Ok(requests::requester(conn, row.requester_id)?
        .name
        .unwrap_or_else(|| crate::app::ANONYMOUS.to_string()))
}

/// A message about to be kept.
pub(super) struct Written<'a> {
    pub author: Author,
    pub author_name: String,
    pub staff_id: Option<crate::domain::ids::StaffId>,
    pub body: &'a str,
    pub files: &'a [StoredFile],
    pub email: Option<crate::domain::step::ByEmail>,
}

/// Keeps a message and the files sent with it; answers the step that records it.
pub(super) fn insert_message(
    conn: &mut Conn,
    row: &RequestRow,
    written: Written<'_>,
    now: chrono::NaiveDateTime,
) -> Result<Step, AppError> {
    let message_id = requests::insert_message(
        conn,
        &NewMessage {
            request_id: row.id,
            author: written.author,
            staff_id: written.staff_id,
            body: written.body,
            created_at: now,
        },
    )?;
    // The message's words are found by search from its own transaction on.
    crate::db::search::reindex(conn, &[row.id])?;
    let mut sent = Vec::with_capacity(written.files.len());
    for file in written.files {
        let new = NewRequesterFile {
            request_id: row.id,
            message_id,
            title: &file.title,
            sha256: &file.blob.sha256,
            size_bytes: file.blob.size as i64,
            content_type: file.kind.content_type(),
            added_at: now,
        };
        let file_id = crate::db::requester_files::insert(conn, &new)?;
        sent.push(SentFile {
            file_id,
            title: new.title.to_string(),
            sha256: new.sha256.to_string(),
            size_bytes: new.size_bytes,
            content_type: new.content_type.to_string(),
        });
    }
    Ok(Step::Message(Message {
        message_id,
        author: written.author,
        author_name: written.author_name,
        body: written.body.to_string(),
        files: sent,
        email: written.email,
    }))
}

/// Staff keep an internal note on a request they can see: in its audit chain, shown to staff,
/// never to the requester (docs/PRODUCT.md, "Internal notes"). No one is emailed.
pub fn add_note(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    note: &PostMessage,
    version: Option<i32>,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    // A note taken on a request as shown (a bulk action's) is refused once it has changed.
    check_version(&row, version)?;
    let Caller::Staff(staff) = caller else {
        return Err(AppError::Forbidden(
            "only staff write internal notes".into(),
        ));
    };
    let step = Step::Note(Note {
        author_name: staff.name.clone(),
        body: note.body.as_str().to_string(),
    });
    record(conn, ctx, caller, &actor, &row, None, &step)
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawAssistance {
    pub records: Option<String>,
    pub location: Option<String>,
    pub suggestions: Option<String>,
    pub question: Option<String>,
}

/// Help to identify records, checked (docs/PRODUCT.md, "Duty to assist").
#[derive(Debug, Clone)]
pub struct Assist {
    pub records: Text,
    pub location: Option<Text>,
    pub suggestions: Text,
    pub question: Option<Text>,
}

impl TryFrom<RawAssistance> for Assist {
    type Error = FieldErrors;

    fn try_from(raw: RawAssistance) -> Result<Assist, FieldErrors> {
        let mut errors = FieldErrors::default();
        let required = |errors: &mut FieldErrors, name: &str, value: &Option<String>| {
            errors.check(
                name,
                Text::multiline(value.as_deref().unwrap_or(""), limits::FIELD_TEXT),
            )
        };
        let optional = |errors: &mut FieldErrors, name: &str, value: &Option<String>| match value
            .as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            Some(v) => errors.check(name, Text::multiline(v, limits::FIELD_TEXT)),
            None => None,
        };
        let records = required(&mut errors, "records", &raw.records);
        let location = optional(&mut errors, "location", &raw.location);
        let suggestions = required(&mut errors, "suggestions", &raw.suggestions);
        let question = optional(&mut errors, "question", &raw.question);
        match (records, suggestions) {
            (Some(records), Some(suggestions)) if errors.is_empty() => Ok(Assist {
                records,
                location,
                suggestions,
                question,
            }),
            _ => Err(errors),
        }
    }
}

/// Staff help the requester identify records (Gov. Code §7922.600), and may ask them to
/// clarify: the requester is emailed, and with a question the request waits on their answer.
/// The clock keeps running (docs/PRODUCT.md, "Duty to assist").
pub fn assist(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    help: &Assist,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    let Caller::Staff(staff) = caller else {
        return Err(AppError::Forbidden("only staff offer assistance".into()));
    };
    if !may_manage(&facts(&row), &actor) {
        return Err(AppError::Forbidden(
            "only the assignee, or staff of the request's queue, offer assistance on it".into(),
        ));
    }
    if !row.status.awaits_determination() {
        return Err(Conflict::NotAssistable(row.status).into());
    }
    let text = |t: &Option<Text>| t.as_ref().map(|t| t.as_str().to_string());
    let step = Step::Assisted(Assistance {
        records: help.records.as_str().to_string(),
        location: text(&help.location),
        suggestions: help.suggestions.as_str().to_string(),
        question: text(&help.question),
        author_name: staff.name.clone(),
    });
    if help.question.is_some() {
        requests::set_awaiting_requester(conn, row.id, Some(db::now()))?;
    }
    record(conn, ctx, caller, &actor, &row, None, &step)
}

/// A requester writes only on a request that is neither withdrawn nor closed, and within the
/// limits (docs/PRODUCT.md, "Messages").
pub(super) fn check_requester_may_write(
    conn: &mut Conn,
    ctx: &Ctx,
    row: &RequestRow,
    now: chrono::NaiveDateTime,
) -> Result<(), AppError> {
    let refusal = match messages::refusal_for_state(&facts(row)) {
        Some(refusal) => refusal,
        None => {
            let (recent, total) =
                requests::requester_messages(conn, row.id, now - chrono::Duration::hours(1))?;
            match messages::check_rate(ctx.message_limits, &recent, total, now) {
                Ok(()) => return Ok(()),
                Err(refusal) => refusal,
            }
        }
    };
    Err(match refusal {
        MessageRefusal::Withdrawn => Conflict::WithdrawnNoMessages.into(),
        MessageRefusal::Closed if row.kind.is_complaint() => Conflict::ComplaintClosed.into(),
        MessageRefusal::Closed => Conflict::ClosedToMessages.into(),
        MessageRefusal::Full { limit } => Conflict::MessagesFull(limit).into(),
        MessageRefusal::TooFast { wait } => AppError::TooMany {
            message: "you have sent many messages on this request in the last hour; please wait before sending another".into(),
            wait: wait.to_std().unwrap_or_default(),
        },
    })
}

/// An extension as either face reads it.
#[derive(Debug, Clone, Default)]
pub struct RawExtension {
    pub days: Option<i64>,
    pub circumstance: Option<String>,
    pub reason: Option<String>,
    pub version: Option<i32>,
}

/// What an extension notice says: by how many days, under which circumstance, and why.
#[derive(Debug, Clone)]
pub struct Extension {
    pub days: u32,
    pub circumstance: Circumstance,
    pub reason: Option<Text>,
    pub version: Option<i32>,
}

impl TryFrom<RawExtension> for Extension {
    type Error = FieldErrors;

    fn try_from(raw: RawExtension) -> Result<Extension, FieldErrors> {
        let mut errors = FieldErrors::default();
        let days = match raw.days {
            Some(d) if (1..=i64::from(MAX_EXTENSION_DAYS)).contains(&d) => Some(d as u32),
            Some(_) => {
                errors.add(
                    "days",
                    format!("an extension must be between 1 and {MAX_EXTENSION_DAYS} days"),
                );
                None
            }
            None => {
                errors.add("days", "say by how many days (1–14)");
                None
            }
        };
        let circumstance = match raw.circumstance.as_deref().map(str::trim) {
            Some(name) => errors.check(
                "circumstance",
                Circumstance::parse(name).ok_or_else(|| {
                    let names: Vec<&str> = Circumstance::ALL.iter().map(|c| c.as_str()).collect();
                    format!("must be one of {}", names.join(", "))
                }),
            ),
            None => {
                errors.add("circumstance", "name the statutory circumstance");
                None
            }
        };
        let reason = multiline(&mut errors, "reason", &raw.reason, limits::DECISION);
        match (days, circumstance) {
            (Some(days), Some(circumstance)) if errors.is_empty() => Ok(Extension {
                days,
                circumstance,
                reason,
                version: raw.version,
            }),
            _ => Err(errors),
        }
    }
}

/// Who may sign an extension notice as the head of the agency's designee (Gov. Code
/// §7922.535(b)): the signers the directory names for the request's department, or when it
/// names none, the clerks who serve its queue and the admins.
pub fn signs_extensions(
    conn: &mut Conn,
    queue: &str,
    staff: &StaffAccount,
) -> Result<bool, AppError> {
    let signers = crate::db::directory::signers_of(conn, queue)?;
    Ok(if signers.is_empty() {
        matches!(staff.role, Role::Clerk | Role::Admin) && staff.member().serves_queue(queue)
    } else {
        signers.contains(&staff.id)
    })
}

/// One extension of 1–14 days for a statutory circumstance, by written notice signed by a
/// designee, that moves the due date.
pub fn extend(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    extension: &Extension,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, extension.version)?;
    let signer =
        match caller.staff() {
            Some(staff) if signs_extensions(conn, &row.queue, staff)? => staff,
            _ => return Err(AppError::Forbidden(
                "only a designee of the head of the agency for this queue may sign an extension"
                    .into(),
            )),
        };
    let received_on = ctx.clock.date_of(row.received_at);
    let today = ctx.clock.today();
    // Too late is said first: no number of days would help then.
    if row.status.awaits_determination() && row.extension_days.is_none() {
        ctx.policy().extension_in_time(received_on, today)?;
    }
    let reckoning = ctx.policy().extension(
        received_on,
        row.determination_due,
        extension.days,
        extension.circumstance,
        row.extension_days.is_some(),
        row.status.awaits_determination(),
    )?;
    ctx.policy().extension_in_time(received_on, today)?;
    let new_due = reckoning.due;
    let reason = extension.reason.as_ref().map(|r| r.as_str().to_string());
    let changes = RequestChanges {
        determination_due: Some(new_due),
        due_on: Some(new_due),
        extension_days: Some(extension.days as i32),
        extension_circumstance: Some(extension.circumstance),
        extension_reason: reason.clone(),
        due_reckoning: Some(row.due_reckoning.with(reckoning.clone())),
        ..Default::default()
    };
    let title = signer
        .title
        .clone()
        .unwrap_or_else(|| "Designee of the head of the agency".into());
    let step = Step::Extended(Extended {
        days: extension.days,
        circumstance: extension.circumstance,
        circumstance_text: extension.circumstance.description().into(),
        reason,
        previous_due: row.determination_due,
        determination_due: new_due,
        signed_by: Some(Responsible {
            name: signer.name.clone(),
            title,
            staff_id: Some(signer.id),
        }),
        reckoning: Some(reckoning),
    });
    record(conn, ctx, caller, &actor, &row, Some(&changes), &step)
}

/// An assignment as either face reads it.
#[derive(Debug, Clone, Default)]
pub struct RawAssignment {
    pub assignee: Option<String>,
    pub version: Option<i32>,
}

/// Who to hand the request to.
#[derive(Debug, Clone)]
pub struct Assignment {
    pub assignee: Email,
    pub version: Option<i32>,
}

impl TryFrom<RawAssignment> for Assignment {
    type Error = FieldErrors;

    fn try_from(raw: RawAssignment) -> Result<Assignment, FieldErrors> {
        let mut errors = FieldErrors::default();
        let assignee = errors.check(
            "assignee",
            Email::parse(raw.assignee.as_deref().unwrap_or("")),
        );
        match assignee {
            Some(assignee) => Ok(Assignment {
                assignee,
                version: raw.version,
            }),
            None => Err(errors),
        }
    }
}

/// Hands the request to another staff member, who is told.
pub fn assign(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    assignment: &Assignment,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, assignment.version)?;
    let Actor::Staff(member) = &actor else {
        return Err(AppError::Forbidden("only staff assign requests".into()));
    };
    if !member.can_assign(row.assignee_id) {
        return Err(AppError::Forbidden(
            "only the Clerk's office, an admin or the current assignee may reassign a request"
                .into(),
        ));
    }
    let no_such = || {
        AppError::field(
            "assignee",
            "no active clerk, steward or admin has this email",
        )
    };
    let target = staff_db::by_email(conn, &assignment.assignee.as_str().to_lowercase())?
        .filter(|s| s.active != 0)
        .filter(|s| s.role.takes_assignments())
        .ok_or_else(no_such)?;
    if row.assignee_id == Some(target.id) {
        return case_view(conn, ctx, caller, &actor, &row);
    }
    let previous = match row.assignee_id {
        Some(id) => staff_db::by_id(conn, id)?.map(|s| s.email),
        None => None,
    };
    let changes = RequestChanges {
        assignee_id: Some(target.id),
        ..Default::default()
    };
    let step = Step::Assigned(Assigned {
        from: previous,
        to: target.email,
        to_queue: target.department.as_deref().map(queue_name),
    });
    record(conn, ctx, caller, &actor, &row, Some(&changes), &step)
}
