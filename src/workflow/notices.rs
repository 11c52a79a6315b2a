//! Who each notice goes to and what it carries, for the workflow steps that queue them.

use serde_json::{json, Value};

use super::Ctx;
use crate::db::models::RequestRow;
use crate::db::{requests, staff as staff_db, Conn};
use crate::domain::access::{queue_name, StaffMember};
use crate::domain::{Role, StaffId};
use crate::notify::{Audience, Notice, Outgoing};

/// What every notice about a request can say.
pub fn request_summary(row: &RequestRow, ctx: &Ctx) -> Value {
    json!({
        "tracking_number": row.tracking_number,
        "kind": row.kind,
        "status": row.status,
        "description": row.description,
        "dataset_id": row.dataset_id,
        "received_on": ctx.clock.date_of(row.received_at).to_string(),
        "determination_due": row.determination_due.to_string(),
        "due_on": row.due_on.to_string(),
        "staff_url": format!("{}/staff/requests/{}", ctx.public_url, row.tracking_number),
        "office": {
            "name": ctx.office.name,
            "email": ctx.office.email,
            "phone": ctx.office.phone,
            "address": ctx.office.address,
        },
    })
}

fn member(row: &crate::db::models::StaffRow) -> Option<StaffMember> {
    Some(StaffMember {
        id: StaffId(row.id),
        role: Role::parse(&row.role)?,
        queue: row.department.as_deref().map(queue_name),
    })
}

/// The clerks or stewards who work a queue; admins only when nobody else does.
pub fn staff_serving_queue(conn: &mut Conn, queue: &str) -> diesel::QueryResult<Vec<String>> {
    let active = staff_db::active(conn)?;
    let serving = |admins: bool| -> Vec<String> {
        active
            .iter()
            .filter(|s| {
                member(s)
                    .is_some_and(|m| (m.role == Role::Admin) == admins && m.serves_queue(queue))
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

/// Reviewers who may take up an appeal (not the person who denied it); admins failing that.
pub fn appeal_reviewers(
    conn: &mut Conn,
    denied_by: Option<i64>,
) -> diesel::QueryResult<Vec<String>> {
    let active = staff_db::active(conn)?;
    let with_role = |role: Role| -> Vec<String> {
        active
            .iter()
            .filter(|s| s.role == role.as_str() && Some(s.id) != denied_by)
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

/// The staff who should hear of a requester's message: the reviewer during an appeal, else
/// the assignee, else whoever works the queue.
pub fn case_staff(conn: &mut Conn, row: &RequestRow) -> diesel::QueryResult<Vec<String>> {
    // An appeal waiting for a reviewer is the reviewers' business, not the denier's.
    if row.status == "appealed" {
        return appeal_reviewers(conn, row.denied_by);
    }
    let responsible = row
        .reviewer_id
        .filter(|_| row.status == "administrative_review")
        .or(row.assignee_id);
    if let Some(id) = responsible {
        if let Some(staff) = staff_db::by_id(conn, id)?.filter(|s| s.active != 0) {
            return Ok(vec![staff.email]);
        }
    }
    staff_serving_queue(conn, &row.queue)
}

/// Queues `notices` about the request, each to the recipients its audience calls for, with
/// what the request is and the details of the `step` that caused them (under its key),
/// recording each in `chain`.
pub fn queue(
    conn: &mut Conn,
    ctx: &Ctx,
    chain: &mut crate::audit::OpenChain,
    row: &RequestRow,
    notices: &[Notice],
    step: Option<(&str, &Value)>,
    now: chrono::NaiveDateTime,
) -> diesel::QueryResult<()> {
    let mut payload = json!({ "request": request_summary(row, ctx) });
    if let Some((key, details)) = step.filter(|(_, details)| !details.is_null()) {
        payload[key] = details.clone();
    }
    let mut outgoing = Vec::new();
    for &notice in notices {
        outgoing.extend(address(conn, row, notice, payload.clone())?);
    }
    crate::notify::enqueue(conn, chain, &outgoing, now, &ctx.mail_domain)
}

/// One notice to each recipient its audience calls for.
pub fn address(
    conn: &mut Conn,
    row: &RequestRow,
    notice: Notice,
    payload: Value,
) -> diesel::QueryResult<Vec<Outgoing>> {
    let mut payload = payload;
    let recipients = match (notice.audience(), notice) {
        (Audience::Requester, _) => {
            let requester = requests::requester(conn, row.requester_id)?;
            payload["requester_name"] = Value::String(requester.name);
            vec![requester.email]
        }
        (Audience::Staff, Notice::AppealFiled) => appeal_reviewers(conn, row.denied_by)?,
        (Audience::Staff, Notice::Assigned) => match row.assignee_id {
            Some(id) => staff_db::by_id(conn, id)?
                .map(|s| s.email)
                .into_iter()
                .collect(),
            None => vec![],
        },
        (Audience::Staff, _) => case_staff(conn, row)?,
    };
    Ok(recipients
        .into_iter()
        .map(|recipient| Outgoing {
            notice,
            recipient,
            payload: payload.clone(),
        })
        .collect())
}
