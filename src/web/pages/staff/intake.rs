//! `GET`/`POST /staff/intake`: staff record a request that reached the office by email, mail,
//! phone, fax or in person (docs/PRODUCT.md, "Requests taken by staff"); the answer shows
//! the private link once, to give the requester.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::web;
use askama::Template;

use super::{csrf_check, signed_in};
use crate::app::intake::RawIntake;
use crate::app::submit::{RawRequester, RawSubmission};
use crate::app::{local_time as city_time, AppError};
use crate::domain::intake::Channel;
use crate::domain::FieldErrors;
use crate::notify::render::long_date;
use crate::web::pages::forms::{summary, Choice, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::page_error;
use crate::web::pages::{render, Layout, PageResult};
use crate::web::AppState;

#[derive(Template)]
#[template(path = "pages/intake.html")]
struct IntakePage {
    layout: Layout,
    how: Vec<Field>,
    request: Vec<Field>,
    requester: Vec<Field>,
    errors: Errors,
    summary: Vec<SummaryItem>,
}

#[derive(Template)]
#[template(path = "pages/intake_done.html")]
struct RecordedPage {
    layout: Layout,
    tracking_number: String,
    due: String,
    private_url: String,
    emailed: bool,
    /// No email, but a postal address: the letters go by post.
    by_post: bool,
}

fn channel_choices() -> Vec<Choice> {
    Channel::STAFF
        .iter()
        .map(|c| {
            let (label, hint) = match c {
                Channel::Email => ("Email", "To an office address, not through this website"),
                Channel::Mail => ("Mail", "A letter"),
                Channel::Phone => ("Phone", ""),
                Channel::Fax => ("Fax", ""),
                Channel::InPerson => ("In person", "At the counter"),
                Channel::Web => ("Website", ""),
            };
            Choice::new(c.as_str(), label).hint(hint)
        })
        .collect()
}

/// The form's fields with what was typed; `start` fills a blank form.
fn fields(data: &FormData) -> (Vec<Field>, Vec<Field>, Vec<Field>) {
    let how = vec![
        Field::radios(
            "channel",
            "f-channel",
            "channel",
            "How did the request reach the office?",
            channel_choices(),
        )
        .required()
        .value(&data.get("channel")),
        Field::text("received_at", "f-received_date", "received_date", "Date received")
            .kind("date")
            .required()
            .hint("The day the office received it, not today's date if it came earlier: the due date counts from it.")
            .value(&data.get("received_date")),
        Field::text("received_time", "f-received_time", "received_time", "Time received")
            .kind("time")
            .required()
            .hint("In the City's local time, for example 9:30 AM.")
            .value(&data.get("received_time")),
        Field::text(
            "follows",
            "f-follows",
            "follows",
            "Clarifies an earlier request (optional)",
        )
        .hint("When a requester's answer made their earlier request, in substance, a new one: that request's tracking number. Record the day the answer arrived; the earlier request keeps its own due date.")
        .value(&data.get("follows")),
    ];
    let kinds = vec![
        Choice::new("public_records", "Public records"),
        Choice::new("dataset_access", "Access to a dataset"),
        Choice::new("api_access", "API access"),
    ];
    let request = vec![
        Field::radios(
            "request.kind",
            "f-kind",
            "kind",
            "What is asked for?",
            kinds,
        )
        .required()
        .value(&data.get("kind")),
        Field::area(
            "request.description",
            "f-description",
            "description",
            "What the requester asked for",
        )
        .required()
        .hint("In their words, as near as you can: subject, dates, places, people.")
        .value(&data.get("description")),
        Field::text(
            "request.dataset_id",
            "f-dataset_id",
            "dataset_id",
            "Dataset identifier (access requests only)",
        )
        .hint("As the data catalog lists it.")
        .value(&data.get("dataset_id")),
        Field::area(
            "request.intended_use",
            "f-intended_use",
            "intended_use",
            "How they will use the data (access requests only)",
        )
        .value(&data.get("intended_use")),
        Field::text(
            "request.preferred_format",
            "f-preferred_format",
            "preferred_format",
            "How they would like the records (optional)",
        )
        .value(&data.get("preferred_format")),
    ];
    let requester = vec![
        Field::text("request.requester.name", "f-name", "name", "Name (optional for public records)")
            .value(&data.get("name")),
        Field::text(
            "request.requester.email",
            "f-email",
            "email",
            "Email address (optional for public records)",
        )
        .kind("email")
        .hint("Notices go here. Without one, they go by post to the address below, or the requester follows the request by its private link only.")
        .value(&data.get("email")),
        Field::area(
            "postal_address",
            "f-postal_address",
            "postal_address",
            "Postal address (optional)",
        )
        .hint("For a requester without email: every letter about the request is listed for you to print and post.")
        .value(&data.get("postal_address")),
        Field::text("request.requester.phone", "f-phone", "phone", "Phone (optional)")
            .kind("tel")
            .value(&data.get("phone")),
        Field::text(
            "request.requester.organization",
            "f-organization",
            "organization",
            "Organization (optional)",
        )
        .value(&data.get("organization")),
        Field::radios(
            "request.language",
            "f-language",
            "language",
            "Which language should letters to the requester be in?",
            vec![
                Choice::new("en", "English"),
                Choice::new("es", "Spanish (Español)")
                    .hint("Letters are written in Spanish and say that the English original is the legally binding text."),
            ],
        )
        .required()
        .value(&data.get("language")),
    ];
    (how, request, requester)
}

fn form_page(
    layout: Layout,
    status: StatusCode,
    data: &FormData,
    errors: FieldErrors,
) -> PageResult {
    let (how, request, requester) = fields(data);
    let all: Vec<Field> = how
        .iter()
        .chain(&request)
        .chain(&requester)
        .cloned()
        .collect();
    let summary = summary(&errors, &all, &[("request", "f-kind", "")]);
    Ok(render(
        status,
        &IntakePage {
            layout,
            how,
            request,
            requester,
            errors: Errors(errors),
            summary,
        },
    ))
}

/// `?follows=RR-…`: the form started from an earlier request's case page.
#[derive(Debug, serde::Deserialize)]
pub struct Start {
    follows: Option<String>,
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    query: web::Query<Start>,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    // A blank form starts at now, in the City's time: most requests are recorded as they come.
    let now = city_time(state.app.ctx(), state.app.ctx().clock.now());
    let mut start = FormData(std::collections::HashMap::new());
    start
        .0
        .insert("received_date".into(), now.format("%Y-%m-%d").to_string());
    start
        .0
        .insert("received_time".into(), now.format("%H:%M").to_string());
    start.0.insert("language".into(), "en".into());
    // From an earlier request: its number, and its requester as they gave themselves.
    let earlier = query
        .follows
        .as_deref()
        .and_then(crate::domain::input::TrackingNumber::parse);
    if let Some(tn) = earlier {
        let case = state
            .app
            .case(crate::app::Caller::Staff(account), tn.clone())
            .await
            .map_err(|e| page_error(&layout, e))?;
        let r = case.requester;
        for (field, value) in [
            ("follows", Some(tn.to_string())),
            ("name", r.name),
            ("email", r.email),
            ("phone", r.phone),
            ("organization", r.organization),
            ("postal_address", r.postal_address),
        ] {
            if let Some(value) = value {
                start.0.insert(field.into(), value);
            }
        }
    }
    form_page(layout, StatusCode::OK, &start, FieldErrors::default())
}

pub async fn send(state: web::Data<AppState>, session: Session, data: FormData) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    csrf_check(&session, &data, &layout)?;
    let received_at = match (data.opt("received_date"), data.opt("received_time")) {
        (Some(date), Some(time)) => Some(format!("{}T{}", date.trim(), time.trim())),
        (Some(_), None) => {
            let mut errors = FieldErrors::default();
            errors.add(
                "received_time",
                "give the time it was received, like 9:30 AM",
            );
            return form_page(layout, StatusCode::UNPROCESSABLE_ENTITY, &data, errors);
        }
        (None, _) => None,
    };
    let raw = RawIntake {
        channel: data.opt("channel"),
        received_at,
        postal_address: data.opt("postal_address"),
        // As a person types it: spaces around it, in lower case.
        follows: data.opt("follows").map(|tn| tn.trim().to_ascii_uppercase()),
        request: Some(RawSubmission {
            kind: data.opt("kind"),
            requester: Some(RawRequester {
                name: data.opt("name"),
                email: data.opt("email"),
                phone: data.opt("phone"),
                organization: data.opt("organization"),
            }),
            description: data.opt("description"),
            dataset_id: data.opt("dataset_id"),
            fields_needed: None,
            intended_use: data.opt("intended_use"),
            preferred_format: data.opt("preferred_format"),
            language: data.opt("language"),
        }),
    };
    let emailed = data.opt("email").is_some();
    let by_post = !emailed && data.opt("postal_address").is_some();
    match state.app.record_intake(raw, account).await {
        Ok(filed) => Ok(render(
            StatusCode::OK,
            &RecordedPage {
                layout,
                tracking_number: filed.tracking_number.clone(),
                due: long_date(filed.determination_due),
                private_url: filed.private_url.unwrap_or_default(),
                emailed,
                by_post,
            },
        )),
        Err(AppError::Invalid(errors)) => {
            form_page(layout, StatusCode::UNPROCESSABLE_ENTITY, &data, errors)
        }
        Err(e) => Err(page_error(&layout, e)),
    }
}
