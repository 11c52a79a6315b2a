//! `POST /staff/requests/{tracking_number}/assign`: hand the request to a colleague.

use super::staff_step;
use crate::app::manage::{Assignment, RawAssignment};
use crate::web::pages::forms::Posted;
use crate::web::pages::PageResult;

pub async fn send(posted: Posted) -> PageResult {
    let parsed = Assignment::try_from(RawAssignment {
        assignee: Some(posted.data.get("assignee")),
        version: posted.data.version(),
    });
    let done = "The request is reassigned.";
    staff_step(
        posted,
        parsed,
        "assign",
        done,
        |app, caller, tn, assignment| async move { app.assign(caller, tn, assignment).await },
    )
    .await
}
