//! `POST /staff/requests/{tracking_number}/extend`: the one extension of the deadline.

use super::staff_step;
use crate::app::manage::{Extension, RawExtension};
use crate::web::pages::forms::Posted;
use crate::web::pages::PageResult;

pub async fn send(posted: Posted) -> PageResult {
    let data = &posted.data;
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
    let done = "The deadline is extended and the requester is told why.";
    staff_step(
        posted,
        parsed,
        "extend",
        done,
        |app, caller, tn, extension| async move { app.extend(caller, tn, extension).await },
    )
    .await
}
