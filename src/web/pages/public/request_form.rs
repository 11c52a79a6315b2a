//! `/requests/new`: the request form, checked by the same parser as the API.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::layout;
use crate::app::submit::{FileRequest, RawRequester, RawSubmission, Submission};
use crate::domain::FieldErrors;
use crate::web::pages::forms::{summary, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::Problem;
use crate::web::pages::{render, see_other, session, Layout, PageError, PageResult};
use crate::web::AppState;

/// What the request form holds, as typed.
#[derive(Debug, Clone, Default)]
struct RequestForm {
    kind: String,
    values: HashMap<&'static str, String>,
}

#[derive(Template)]
#[template(path = "pages/request_form.html")]
struct RequestFormPage {
    layout: Layout,
    form: RequestForm,
    fields: Vec<Field>,
    errors: Errors,
    summary: Vec<SummaryItem>,
}

/// One text input of the request form.
struct TextInput {
    key: &'static str,
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    multiline: bool,
    input_type: &'static str,
    autocomplete: &'static str,
    required: bool,
}

const TEXT_FIELDS: &[TextInput] = &[
    TextInput {
        key: "dataset_id",
        name: "dataset_id",
        label: "Dataset",
        hint: "For access requests: the dataset's identifier in the City's data catalog.",
        multiline: false,
        input_type: "text",
        autocomplete: "",
        required: false,
    },
    TextInput {
        key: "description",
        name: "description",
        label: "Describe the records or data you want",
        hint: "Be as specific as you can: subject, dates, places, people, departments.",
        multiline: true,
        input_type: "",
        autocomplete: "",
        required: true,
    },
    TextInput {
        key: "fields_needed",
        name: "fields_needed",
        label: "Fields or columns you need",
        hint: "For data requests: which fields, if not all.",
        multiline: true,
        input_type: "",
        autocomplete: "",
        required: false,
    },
    TextInput {
        key: "intended_use",
        name: "intended_use",
        label: "How you will use the data",
        hint: "Required for dataset and API access requests.",
        multiline: true,
        input_type: "",
        autocomplete: "",
        required: false,
    },
    TextInput {
        key: "preferred_format",
        name: "preferred_format",
        label: "Preferred format",
        hint: "For example PDF, CSV, paper copies.",
        multiline: false,
        input_type: "text",
        autocomplete: "",
        required: false,
    },
    TextInput {
        key: "requester.name",
        name: "name",
        label: "Your name",
        hint: "",
        multiline: false,
        input_type: "text",
        autocomplete: "name",
        required: true,
    },
    TextInput {
        key: "requester.email",
        name: "email",
        label: "Your email address",
        hint: "We send notices about your request here.",
        multiline: false,
        input_type: "email",
        autocomplete: "email",
        required: true,
    },
    TextInput {
        key: "requester.phone",
        name: "phone",
        label: "Phone (optional)",
        hint: "",
        multiline: false,
        input_type: "tel",
        autocomplete: "tel",
        required: false,
    },
    TextInput {
        key: "requester.organization",
        name: "organization",
        label: "Organization (optional)",
        hint: "",
        multiline: false,
        input_type: "text",
        autocomplete: "organization",
        required: false,
    },
];

fn form_fields(form: &RequestForm) -> Vec<Field> {
    TEXT_FIELDS
        .iter()
        .map(
            |&TextInput {
                 key,
                 name,
                 label,
                 hint,
                 multiline,
                 input_type,
                 autocomplete,
                 required,
             }| {
                let mut field = if multiline {
                    Field::area(key, &format!("f-{name}"), name, label)
                } else {
                    Field::text(key, &format!("f-{name}"), name, label).kind(input_type)
                };
                if required {
                    field = field.required();
                }
                field
                    .hint(hint)
                    .autocomplete(autocomplete)
                    .value(form.values.get(name).map(String::as_str).unwrap_or(""))
            },
        )
        .collect()
}

fn form_page(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    form: RequestForm,
    errors: FieldErrors,
) -> HttpResponse {
    let fields = form_fields(&form);
    let summary = summary(
        &errors,
        &fields,
        &[("kind", "f-kind", "What are you asking for")],
    );
    let page = RequestFormPage {
        layout: layout(state, session),
        form,
        fields,
        errors: Errors(errors),
        summary,
    };
    render(status, &page)
}

#[derive(Debug, Deserialize)]
pub struct NewRequestQuery {
    dataset: Option<String>,
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    query: web::Query<NewRequestQuery>,
) -> HttpResponse {
    let mut form = RequestForm::default();
    if let Some(dataset) = query.into_inner().dataset.filter(|d| !d.trim().is_empty()) {
        form.kind = "dataset_access".into();
        form.values.insert("dataset_id", dataset);
    }
    form_page(
        &state,
        &session,
        StatusCode::OK,
        form,
        FieldErrors::default(),
    )
}

/// The request form as the API's submission, so both are checked by one parser.
pub fn submission_from_form(data: &FormData) -> RawSubmission {
    RawSubmission {
        kind: data.opt("kind"),
        requester: Some(RawRequester {
            name: Some(data.get("name")),
            email: Some(data.get("email")),
            phone: data.opt("phone"),
            organization: data.opt("organization"),
        }),
        description: Some(data.get("description")),
        dataset_id: data.opt("dataset_id"),
        fields_needed: data.opt("fields_needed"),
        intended_use: data.opt("intended_use"),
        preferred_format: data.opt("preferred_format"),
    }
}

pub async fn file(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    session: Session,
    data: FormData,
) -> PageResult {
    if !session::csrf_ok(&session, &data.get("csrf")) {
        return Err(PageError::stale_form(layout(&state, &session)));
    }
    if let Err(wait) = state.throttle.submission(state.throttle.address(&req)) {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        let message = format!("Many requests were just filed from your network. Please try again in {minutes} minute(s).");
        return Err(PageError::TooMany(
            Box::new(layout(&state, &session)),
            message,
            wait,
        ));
    }
    let typed = RequestForm {
        kind: data.get("kind"),
        values: TEXT_FIELDS
            .iter()
            .map(|input| (input.name, data.get(input.name)))
            .collect(),
    };
    let refused = |errors| {
        Ok(form_page(
            &state,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            typed.clone(),
            errors,
        ))
    };
    let submission = match Submission::try_from(&submission_from_form(&data)) {
        Ok(submission) => submission,
        Err(errors) => return refused(errors),
    };
    let request = FileRequest {
        submission,
        idempotency: None,
    };
    match state.app.file(request).await {
        Ok(filed) => {
            let token = filed.access_token.clone().unwrap_or_default();
            session::remember_request(&session, &filed.tracking_number, &token);
            Ok(see_other(&format!(
                "/requests/{}/filed",
                filed.tracking_number
            )))
        }
        Err(e) => match Problem::of(&layout(&state, &session), e) {
            Problem::OnForm(shown) if !shown.fields.is_empty() => refused(shown.fields),
            Problem::OnForm(shown) => {
                log::error!(
                    "[{}] filing from the form failed: {}",
                    crate::web::request_id::current(),
                    shown.message
                );
                Err(PageError::internal(layout(&state, &session)))
            }
            Problem::Page(page) => Err(page),
        },
    }
}
