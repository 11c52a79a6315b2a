//! `POST /staff/requests/{tracking_number}/assign`: hand the request to a colleague.

use actix_session::Session;
use actix_web::web;

use super::staff_step;
use crate::app::manage::{Assignment, RawAssignment};
use crate::web::pages::forms::FormData;
use crate::web::pages::PageResult;
use crate::web::AppState;

pub async fn send(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    let parsed = Assignment::try_from(RawAssignment {
        assignee: Some(data.get("assignee")),
        version: data.version(),
    });
    staff_step(
        state,
        session,
        &path,
        &data,
        parsed,
        "assign",
        "The request is reassigned.",
        |state, caller, tn, assignment| async move {
            state.app.assign(caller, tn, assignment).await
        },
    )
    .await
}
