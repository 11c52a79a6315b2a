//! `POST /staff/requests/{tracking_number}/transition`: a step of the state machine, read
//! with the same parser as the JSON API.

use super::staff_step;
use crate::app::act::{RawResponsible, RawTransition, Transition};
use crate::domain::Status;
use crate::web::pages::forms::{FormData, Posted};
use crate::web::pages::PageResult;

/// The form as the API's body: citations one per line, people as "Name, Title" lines.
fn raw_transition(data: &FormData) -> RawTransition {
    RawTransition {
        to: data.opt("to"),
        version: data.version(),
        decision: data.opt("decision"),
        reason: data.opt("reason"),
        partial: Some(data.get("partial") == "true"),
        withheld: data.opt("withheld"),
        legal_basis: Some(data.lines("legal_basis")),
        responsible: Some(
            data.lines("responsible")
                .into_iter()
                .map(|line| match line.split_once(',') {
                    Some((name, title)) => RawResponsible {
                        name: Some(name.to_string()),
                        title: Some(title.to_string()),
                    },
                    None => RawResponsible {
                        name: Some(line),
                        title: None,
                    },
                })
                .collect(),
        ),
        grounds: None,
    }
}

pub async fn send(posted: Posted) -> PageResult {
    let to = Status::parse(&posted.data.get("to"));
    let key = to.map(|s| s.as_str()).unwrap_or("transition");
    let done = match to {
        Some(to) => format!("The request is now {}.", to.as_str().replace('_', " ")),
        None => String::new(),
    };
    let parsed = Transition::try_from(raw_transition(&posted.data));
    staff_step(
        posted,
        parsed,
        key,
        &done,
        |app, caller, tn, transition| async move { app.transition(caller, tn, transition).await },
    )
    .await
}
