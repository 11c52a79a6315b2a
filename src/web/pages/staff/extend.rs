//! `POST /staff/requests/{tracking_number}/extend`: the one extension of the deadline.

use actix_session::Session;
use actix_web::web;

use super::staff_step;
use crate::app::manage::{Extension, RawExtension};
use crate::web::pages::forms::FormData;
use crate::web::pages::PageResult;
use crate::web::AppState;

pub async fn send(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    data: FormData,
) -> PageResult {
    // A number field: blank is no number; anything but digits is out of range.
    let days = data
        .opt("days")
        .map(|days| days.trim().parse::<i64>().unwrap_or(0));
    let parsed = Extension::try_from(RawExtension {
        days,
        circumstance: Some(data.get("circumstance")),
        reason: data.opt("reason"),
        version: data.version(),
    });
    staff_step(
        state,
        session,
        &path,
        &data,
        parsed,
        "extend",
        "The deadline is extended and the requester is told why.",
        |state, caller, tn, extension| async move { state.app.extend(caller, tn, extension).await },
    )
    .await
}
