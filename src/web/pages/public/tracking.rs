//! `GET /requests/{tracking_number}`: the private tracking page. The private link's token is
//! checked, kept in the session, and taken out of the address (so it does not linger in
//! history or travel on in a Referer).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{held_token, layout, requester_case, valid_tracking_number, Drafts};
use crate::app::api_keys::Replacement;
use crate::app::view::{Case, Determination, Document};
use crate::app::AppError;
use crate::domain::routing::CLERK_QUEUE;
use crate::domain::Status;
use crate::notify::render::long_date_in;
use crate::web::pages::fees::FeeView;
use crate::web::pages::forms::{summary, Errors, SummaryItem};
use crate::web::pages::plain;
use crate::web::pages::problem::{page_error, Shown};
use crate::web::pages::timeline::{requester_timeline, TimelineItem};
use crate::web::pages::{local_time, render, see_other, session, Layout, PageResult};
use crate::web::AppState;
use crate::wording::{say, Arg};

#[derive(Template)]
#[template(path = "pages/tracking.html")]
struct Tracking {
    layout: Layout,
    case: Case,
    status_words: String,
    kind_words: String,
    received: String,
    due: String,
    open: bool,
    appeal_stage: bool,
    appeal_deadline: Option<String>,
    records_due: String,
    produced: String,
    key_expires: Option<String>,
    key_words: String,
    /// A new key waits, in place of a lost one.
    key_ready: bool,
    /// The requester may say their key is lost.
    key_replaceable: bool,
    /// When they said so, while no new key is ready yet.
    key_asked_on: Option<String>,
    lost_reason_draft: String,
    /// What the key opens: the datasets by title where known.
    key_datasets: String,
    office: String,
    timeline: Vec<TimelineItem>,
    can_appeal: bool,
    can_withdraw: bool,
    errors: Errors,
    summary: Vec<SummaryItem>,
    flash: String,
    message_draft: String,
    file_message_draft: String,
    /// The kinds of file a requester may send, and how large, in words.
    file_types: String,
    file_limit: String,
    grounds_draft: String,
    /// Where the request stands: each stage's name and whether it is done, current or to come.
    stages: Vec<(String, &'static str)>,
    next: String,
    /// The question staff are waiting on the requester to answer, in a sentence.
    awaiting: Option<String>,
    /// An access request's dataset, by title.
    dataset: Option<(String, String)>,
    /// A complaint: its own facts, and its pages' words in place of a request's.
    complaint: bool,
    /// When a complaint's matter happened or was noticed, in words.
    occurred: Option<String>,
    /// A closed complaint: the heading of what the complainant was told, or "".
    closing: &'static str,
    /// A grant's fee for copies: the estimate, its money, and the form to answer it.
    fee: Option<FeeView>,
    /// How to pay, as the City's configuration says it.
    how_to_pay: String,
}

impl Tracking {
    /// The request's message, or the complaint's in its place.
    fn pick<'a>(&self, request: &'a str, complaint: &'a str) -> &'a str {
        match self.complaint {
            true => complaint,
            false => request,
        }
    }

    /// "granted in part", as the decision's heading says it.
    fn outcome_of(&self, d: &Determination) -> String {
        self.layout.t.w(match (d.outcome, d.partial) {
            (Status::Granted, false) => "page-tracking-outcome-granted",
            (Status::Granted, true) => "page-tracking-outcome-granted-in-part",
            (Status::Denied, _) => "page-tracking-outcome-denied",
            (Status::NoRecords, _) => "page-tracking-outcome-no-records",
            _ => "page-tracking-outcome-decided",
        })
    }

    /// What kind of file, in a word: its extension ("PDF", "CSV"), or "File".
    fn file_type(&self, d: &Document) -> String {
        match d.title.rsplit_once('.') {
            Some((_, ext)) => ext.to_ascii_uppercase(),
            None => self.layout.t.w("page-tracking-file"),
        }
    }
}

/// The tracking page, with what a refused step typed and what went wrong.
pub(super) async fn render_page(
    state: &AppState,
    session: &Session,
    case: Case,
    shown: Shown,
    drafts: Drafts,
) -> HttpResponse {
    let layout = layout(state, session);
    let t = layout.t;
    let language = t.0;
    let message_label = t.w("page-tracking-your-message");
    let grounds_label = t.w("page-tracking-grounds");
    let file_label = t.w("page-tracking-file-label");
    let file_message_label = t.w("page-tracking-file-message");
    let answer_label = t.w("page-fee-answer");
    let mut summary = summary(
        &shown.fields,
        &[],
        &[
            ("body", "f-body", &message_label),
            ("file", "f-file", &file_label),
            ("file_message", "f-file-message", &file_message_label),
            ("grounds", "f-grounds", &grounds_label),
            ("answer", "f-answer", &answer_label),
        ],
    );
    if !shown.message.is_empty() {
        summary.push(SummaryItem {
            id: "main".into(),
            label: t.w("page-tracking-not-taken"),
            message: shown.message.clone(),
        });
    }
    let office_name = &state.app.ctx().office.name;
    let office = match (&case.complaint, &case.assignee, case.queue.as_str()) {
        // A complaint is with the department it was filed to, or sent on to.
        (Some(facts), _, _) => facts.department.clone(),
        (None, _, CLERK_QUEUE) | (None, None, _) => office_name.clone(),
        (None, Some(_), queue) => t
            .say("page-tracking-office-department")
            .with(
                "department",
                crate::web::pages::staff::queue::department_words(queue).to_lowercase(),
            )
            .with("office", office_name)
            .to_string(),
    };
    let complaint = case.kind.is_complaint();
    let can_appeal = case.allows(Status::Appealed) && !complaint;
    let appealed = case.appeal_grounds.is_some()
        || matches!(case.status, Status::Appealed | Status::AdministrativeReview);
    let produced = case.produced_at.is_some();
    let (names, at) = plain::stages(language, case.status, produced, appealed);
    let stages = names
        .into_iter()
        .enumerate()
        .map(|(i, name)| {
            let standing = match at {
                Some(at) if i < at => "done",
                Some(at) if i == at => "current",
                _ => "todo",
            };
            (name, standing)
        })
        .collect();
    let records_by = case
        .records_due_at
        .filter(|_| !produced)
        .map(|at| local_time(state, at));
    let next = plain::next_for_requester(
        language,
        case.kind,
        case.status,
        &long_date_in(language, case.due_on),
        case.appeal_deadline
            .filter(|_| can_appeal)
            .map(|day| long_date_in(language, day))
            .as_deref(),
        records_by.as_deref(),
        produced,
        case.decision_final,
        case.duplicate_of.as_deref(),
    );
    let dataset = match &case.dataset_id {
        Some(id) => Some(match state.app.dataset(id.clone()).await {
            Ok(found) => (id.clone(), found.title),
            Err(_) => (id.clone(), id.clone()),
        }),
        None => None,
    };
    let key_datasets = case
        .api_key
        .as_ref()
        .map(|key| {
            key.scopes
                .iter()
                .map(|scope| match &dataset {
                    Some((id, title)) if id == scope => title.clone(),
                    _ => scope.clone(),
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let awaiting = case.awaiting_requester_since.map(|at| {
        say(
            language,
            "next-awaiting-answer",
            &[("on", Arg::Text(&local_time(state, at)))],
        )
    });
    let closing = match case.status {
        Status::Resolved => "page-complaint-tracking-resolved",
        Status::Referred => "page-complaint-tracking-referred",
        Status::Dismissed => "page-complaint-tracking-dismissed",
        _ => "",
    };
    let page = Tracking {
        fee: FeeView::of_case(state, &case),
        how_to_pay: state.app.ctx().how_to_pay.trim().to_string(),
        complaint,
        occurred: case
            .complaint
            .as_ref()
            .and_then(|c| c.occurred_on)
            .map(|day| long_date_in(language, day)),
        closing,
        awaiting,
        stages,
        next,
        dataset,
        layout,
        status_words: plain::status_words(language, case.status),
        kind_words: plain::kind_words(language, case.kind),
        received: local_time(state, case.received_at),
        due: long_date_in(language, case.due_on),
        open: case.status.is_open(),
        appeal_stage: case.status.is_appeal_stage(),
        appeal_deadline: case
            .appeal_deadline
            .filter(|_| can_appeal)
            .map(|day| long_date_in(language, day)),
        records_due: case
            .records_due_at
            .filter(|_| case.produced_at.is_none())
            .map(|at| local_time(state, at))
            .unwrap_or_default(),
        produced: case
            .produced_at
            .map(|at| local_time(state, at))
            .unwrap_or_default(),
        key_expires: case
            .api_key
            .as_ref()
            .and_then(|key| key.expires_at)
            .map(|at| local_time(state, at)),
        key_words: case
            .api_key
            .as_ref()
            .map(|key| plain::key_for_requester(language, key.state))
            .unwrap_or_default(),
        key_ready: case
            .api_key
            .as_ref()
            .is_some_and(|key| key.replacement == Some(Replacement::Ready)),
        key_replaceable: case.api_key.as_ref().is_some_and(|key| key.replaceable()),
        key_asked_on: case.api_key.as_ref().and_then(|key| match key.replacement {
            Some(Replacement::Asked(at)) => Some(local_time(state, at)),
            _ => None,
        }),
        lost_reason_draft: drafts.lost_reason,
        key_datasets,
        office,
        timeline: requester_timeline(state, language, &case),
        can_appeal,
        can_withdraw: case.allows(Status::Withdrawn),
        errors: Errors(shown.fields.clone()),
        summary,
        flash: session::take_flash(session),
        message_draft: drafts.message,
        file_message_draft: drafts.file_message,
        file_types: crate::domain::documents::allowed_list(),
        file_limit: crate::notify::render::size_in_words(state.app.files().max_bytes()),
        grounds_draft: drafts.grounds,
        case,
    };
    render(shown.status(), &page)
}

#[derive(Debug, Deserialize)]
pub struct TokenQuery {
    token: Option<String>,
}

pub async fn page(
    req: actix_web::HttpRequest,
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    query: web::Query<TokenQuery>,
) -> PageResult {
    let tn = valid_tracking_number(&state, &session, &path)?;
    // A link this browser cannot use (none held, mistyped, or turned off by staff): the way
    // back, never a word about whether the request exists.
    let way_back = || {
        super::find::form(
            &state,
            &session,
            StatusCode::NOT_FOUND,
            true,
            tn.as_str().to_string(),
        )
    };
    if let Some(token) = query.into_inner().token {
        return match requester_case(&state, &tn, token.clone()).await {
            Ok(case) => {
                session::remember_request(&session, tn.as_str(), &token);
                let mut onward = see_other(&format!("/requests/{tn}"));
                // A browser that never chose reads the request's pages in the language it
                // was filed in (the switch still changes it).
                if req.cookie(crate::web::language::COOKIE).is_none() {
                    let cookie = crate::web::language::cookie(case.language, &state);
                    let _ = onward.add_cookie(&cookie);
                }
                Ok(onward)
            }
            Err(AppError::NotFound) => Ok(way_back()),
            Err(e) => Err(page_error(&layout(&state, &session), e)),
        };
    }
    let Ok(token) = held_token(&state, &session, &tn) else {
        return Ok(way_back());
    };
    let case = match requester_case(&state, &tn, token).await {
        Ok(case) => case,
        Err(AppError::NotFound) => return Ok(way_back()),
        Err(e) => return Err(page_error(&layout(&state, &session), e)),
    };
    let shown = Shown {
        status: StatusCode::OK.as_u16(),
        ..Shown::default()
    };
    Ok(render_page(&state, &session, case, shown, Drafts::default()).await)
}
