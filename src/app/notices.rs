//! Who each notice goes to, and queueing the notices a step causes in the step's transaction.

use chrono::NaiveDateTime;

use super::Ctx;
use crate::audit::OpenChain;
use crate::db::models::{RequestRow, RequesterRow, StaffRow};
use crate::db::{requests, staff as staff_db, Conn};
use crate::domain::access::{queue_name, StaffMember};
use crate::domain::notices::{Addressee, NoticeKind};
use crate::domain::step::Step;
use crate::domain::{Role, StaffId, Status};
use crate::notify::notice::{About, Reminder};
use crate::notify::{Notice, Outgoing};

/// What every notice about the request says of it, as its row now stands.
pub fn about<'a>(row: &'a RequestRow, ctx: &'a Ctx, requester_name: Option<&'a str>) -> About<'a> {
    About {
        tracking_number: &row.tracking_number,
        kind: row.kind,
        status: row.status,
        description: &row.description,
        dataset_id: row.dataset_id.as_deref(),
        received_on: ctx.clock.date_of(row.received_at),
        determination_due: row.determination_due,
        due_on: row.due_on,
        staff_url: format!("{}/staff/requests/{}", ctx.public_url, row.tracking_number),
        office: &ctx.office,
        requester_name,
        private_url: crate::notify::private_link::url(&ctx.public_url, &row.tracking_number),
        tz: ctx.clock.tz,
        // The requester's letters in the language the request was filed in.
        language: crate::wording::Language::from_code(&row.language).unwrap_or_default(),
    }
}

fn member(row: &StaffRow) -> StaffMember {
    StaffMember {
        id: row.id,
        role: row.role,
        queue: row.department.as_deref().map(queue_name),
    }
}

/// The clerks or stewards who work a queue; admins only when nobody else does.
pub fn staff_serving_queue(conn: &mut Conn, queue: &str) -> diesel::QueryResult<Vec<String>> {
    let active = staff_db::active(conn)?;
    let serving = |admins: bool| -> Vec<String> {
        active
            .iter()
            .filter(|s| {
                let m = member(s);
                (m.role == Role::Admin) == admins && m.serves_queue(queue)
            })
            .map(|s| s.email.clone())
            .collect()
    };
    let workers = serving(false);
    Ok(if workers.is_empty() {
        serving(true)
    } else {
        workers
    })
}

/// Who hears of a new request: its assignee, or whoever works its queue.
pub fn new_request_recipients(
    conn: &mut Conn,
    queue: &str,
    assignee: Option<StaffId>,
) -> diesel::QueryResult<Vec<String>> {
    match assignee {
        Some(id) => Ok(staff_db::by_id(conn, id)?
            .map(|s| s.email)
            .into_iter()
            .collect()),
        None => staff_serving_queue(conn, queue),
    }
}

/// Reviewers who may take up an appeal (neither the person who made the determination nor
/// anyone named responsible for it); admins failing that.
pub fn appeal_reviewers(conn: &mut Conn, row: &RequestRow) -> diesel::QueryResult<Vec<String>> {
    let active = staff_db::active(conn)?;
    let answers_for =
        |id: StaffId| row.determined_by == Some(id) || row.responsible_ids.0.contains(&id);
    let with_role = |role: Role| -> Vec<String> {
        active
            .iter()
            .filter(|s| s.role == role && !answers_for(s.id))
            .map(|s| s.email.clone())
            .collect()
    };
    let reviewers = with_role(Role::Reviewer);
    Ok(if reviewers.is_empty() {
        with_role(Role::Admin)
    } else {
        reviewers
    })
}

/// The staff who should hear of a requester's message or a deadline: the reviewers while an
/// appeal waits for one, the reviewer during the review, else the assignee, else whoever
/// works the queue. `working` is the state the work was in (before a withdrawal, the state
/// it withdrew from).
pub fn case_staff(
    conn: &mut Conn,
    row: &RequestRow,
    working: Status,
) -> diesel::QueryResult<Vec<String>> {
    let responsible = match working {
        // An appeal waiting for a reviewer is the reviewers' business, not the denier's.
        Status::Appealed => return appeal_reviewers(conn, row),
        Status::AdministrativeReview => row.reviewer_id.or(row.assignee_id),
        Status::Submitted
        | Status::UnderReview
        | Status::Granted
        | Status::Denied
        | Status::NoRecords
        | Status::Withdrawn
        | Status::Duplicate
        | Status::Received
        | Status::Investigating
        | Status::Resolved
        | Status::Referred
        | Status::Dismissed => row.assignee_id,
    };
    if let Some(id) = responsible {
        if let Some(staff) = staff_db::by_id(conn, id)?.filter(|s| s.active != 0) {
            return Ok(vec![staff.email]);
        }
    }
    staff_serving_queue(conn, &row.queue)
}

/// Who receives a notice of this kind about the request.
fn recipients(
    conn: &mut Conn,
    row: &RequestRow,
    working: Status,
    kind: NoticeKind,
    requester_email: Option<&str>,
) -> diesel::QueryResult<Vec<String>> {
    match kind.addressee() {
        // A requester who gave no email follows the request on its page alone: nothing is
        // queued for them (docs/PRODUCT.md, "Anonymous requests").
        Addressee::Requester => Ok(requester_email.map(str::to_string).into_iter().collect()),
        Addressee::Reviewers => appeal_reviewers(conn, row),
        Addressee::Assignee => match row.assignee_id {
            Some(id) => Ok(staff_db::by_id(conn, id)?
                .map(|s| s.email)
                .into_iter()
                .collect()),
            None => Ok(vec![]),
        },
        Addressee::NewWork => new_request_recipients(conn, &row.queue, row.assignee_id),
        Addressee::CaseStaff => case_staff(conn, row, working),
        Addressee::Account => Ok(Vec::new()),
    }
}

/// Queues the notices `step` causes, each to the people its kind is for, recording each in
/// `chain`. `row` is the request as the step left it.
pub fn queue(
    conn: &mut Conn,
    ctx: &Ctx,
    chain: &mut OpenChain,
    row: &RequestRow,
    step: &Step,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let requester = requests::requester(conn, row.requester_id)?;
    queue_to(conn, ctx, chain, row, &requester, step, now)
}

/// [`queue`] with the request's requester already read.
pub fn queue_to(
    conn: &mut Conn,
    ctx: &Ctx,
    chain: &mut OpenChain,
    row: &RequestRow,
    requester: &RequesterRow,
    step: &Step,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let about = about(row, ctx, requester.name.as_deref());
    let staff_about = about.in_english();
    let notices = Notice::for_step_to_each(step, &about, &staff_about);
    // Staff told of a move are those who had the work before it.
    let working = match step {
        Step::Transition(moved) => moved.from,
        _ => row.status,
    };
    send(
        conn,
        ctx,
        chain,
        row,
        working,
        notices,
        requester.working_email(),
        now,
    )
}

/// Queues a deadline reminder to the staff the request is with.
pub fn remind(
    conn: &mut Conn,
    ctx: &Ctx,
    chain: &mut OpenChain,
    row: &RequestRow,
    which: Reminder,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let requester = requests::requester(conn, row.requester_id)?;
    // Reminders go to staff, who read English.
    let about = about(row, ctx, requester.name.as_deref()).in_english();
    let notices = vec![Notice::reminder(which, &about)];
    send(
        conn,
        ctx,
        chain,
        row,
        row.status,
        notices,
        requester.working_email(),
        now,
    )
}

#[allow(clippy::too_many_arguments)]
fn send(
    conn: &mut Conn,
    ctx: &Ctx,
    chain: &mut OpenChain,
    row: &RequestRow,
    working: Status,
    notices: Vec<Notice<'_>>,
    requester_email: Option<&str>,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let mut outgoing = Vec::new();
    for notice in notices {
        let kind = notice.kind();
        for recipient in recipients(conn, row, working, kind, requester_email)? {
            // A requester's messages reach staff as a digest: the first waits a while, and
            // those written while it waits add no email of their own.
            let send_after = if kind == NoticeKind::RequesterMessage {
                if crate::db::requests::notice_waiting(conn, row.id, kind, &recipient)? {
                    continue;
                }
                Some(now + ctx.staff_digest)
            } else {
                None
            };
            outgoing.push(Outgoing {
                notice,
                recipient,
                send_after,
            });
        }
    }
    crate::notify::enqueue(conn, chain, &outgoing, now, &ctx.addressing())
}
