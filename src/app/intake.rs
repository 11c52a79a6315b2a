//! Recording a request that reached the office by email, mail, phone, fax or at the counter
//! (docs/PRODUCT.md, "Requests taken by staff"): the request as the requester would have
//! typed it, how it arrived, and when. It is then filed like any other, its clock running from
//! the receipt.

use serde::Deserialize;

use super::act::parse_local_datetime;
use super::submit::{self, FileRequest, Filed, Intake, RawSubmission, Submission};
use super::{utc_time, AppError, Caller, Ctx, StaffAccount};
use crate::db::Db;
use crate::domain::intake::{check_receipt, Channel};
use crate::domain::FieldErrors;

/// What staff send: how the request came, when, and the request itself.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawIntake {
    pub channel: Option<String>,
    /// In the city's local time, like 2026-03-20T16:00.
    pub received_at: Option<String>,
    pub request: Option<RawSubmission>,
    /// The requester's postal address: without an email, their letters go by post.
    pub postal_address: Option<String>,
    /// The earlier request whose clarification made this one, in substance, a new request.
    pub follows: Option<String>,
}

impl RawIntake {
    /// The submission to file, with its intake; every field's error at once, the request's
    /// own under `request.`.
    pub fn parse(&self, ctx: &Ctx, staff: &StaffAccount) -> Result<Submission, FieldErrors> {
        let mut errors = FieldErrors::default();
        let channel = match self.channel.as_deref().map(str::trim) {
            None | Some("") => {
                errors.add("channel", "say how the request reached the office");
                None
            }
            Some(raw) => errors.check("channel", Channel::parse_staff(raw)),
        };
        let received = match self.received_at.as_deref().map(str::trim) {
            None | Some("") => {
                errors.add(
                    "received_at",
                    "give the date and time the office received it",
                );
                None
            }
            Some(raw) => errors
                .check("received_at", parse_local_datetime(raw))
                .and_then(|local| {
                    let now = super::local_time(ctx, ctx.clock.now());
                    errors.check(
                        "received_at",
                        check_receipt(local, now, ctx.intake_max_days_back)
                            .map(|()| local)
                            .map_err(|e| e.to_string()),
                    )
                }),
        };
        let postal_address = self
            .postal_address
            .as_deref()
            .filter(|a| !a.trim().is_empty())
            .and_then(|a| {
                errors.check(
                    "postal_address",
                    crate::domain::input::Text::multiline(
                        a,
                        crate::domain::input::limits::POSTAL_ADDRESS,
                    ),
                )
            });
        let follows = super::act::tracking_number(&mut errors, "follows", &self.follows);
        let submission = match &self.request {
            None => {
                errors.add("request", "the request is missing");
                None
            }
            Some(raw) => match raw.parse() {
                Ok(submission) => Some(submission),
                Err(theirs) => {
                    under_request(&mut errors, theirs);
                    None
                }
            },
        };
        match (channel, received, submission) {
            (Some(channel), Some(local), Some(mut submission)) if errors.is_empty() => {
                submission.intake = Some(Intake {
                    channel,
                    received_at: utc_time(ctx, local),
                    staff_email: staff.email.clone(),
                    postal_address,
                    follows,
                });
                Ok(submission)
            }
            _ => Err(errors),
        }
    }
}

/// Records and files the request. Every error of the request's own fields is named under
/// `request.`, those found in filing too (a dataset the catalog does not hold).
pub fn record(
    db: &Db,
    ctx: &Ctx,
    raw: &RawIntake,
    staff: &StaffAccount,
) -> Result<Filed, AppError> {
    let submission = raw.parse(ctx, staff).map_err(AppError::Invalid)?;
    // The earlier request must be one this staff member can see; any other is no request.
    if let Some(earlier) = submission.intake.as_ref().and_then(|i| i.follows.as_ref()) {
        let caller = Caller::Staff(staff.clone());
        db.read(|conn| super::named_request(conn, &caller, "follows", earlier).map(drop))?;
    }
    let request = FileRequest {
        submission,
        idempotency: None,
    };
    submit::file(db, ctx, &request).map_err(|e| match e {
        AppError::Invalid(theirs) => {
            let mut errors = FieldErrors::default();
            under_request(&mut errors, theirs);
            AppError::Invalid(errors)
        }
        e => e,
    })
}

fn under_request(errors: &mut FieldErrors, theirs: FieldErrors) {
    for (field, messages) in theirs.0 {
        for message in messages {
            errors.add(format!("request.{field}"), message);
        }
    }
}
