//! `/requests/new`: the request form, checked by the same parser as the API.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::layout;
use crate::app::submit::{FileRequest, RawRequester, RawSubmission, Submission};
use crate::catalog::view::CatalogQuery;
use crate::domain::FieldErrors;
use crate::web::pages::forms::{summary, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::Problem;
use crate::web::pages::{render, see_other, session, Layout, PageError, PageResult};
use crate::web::AppState;

/// The form's pages, in order: each asks only its own questions, and carries the answers of
/// the others in hidden fields, so the journey needs no JavaScript and no draft on the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// What are you asking for? Three choices.
    Kind,
    /// The request itself: for a records request its description and format; for data, the
    /// dataset (chosen by title from a search), the fields and the intended use.
    Details,
    /// Who you are: name, email, phone, organization.
    About,
    /// Check your answers, then send.
    Check,
}

impl Step {
    fn parse(raw: &str) -> Option<Step> {
        match raw {
            "kind" => Some(Step::Kind),
            "details" => Some(Step::Details),
            "about" => Some(Step::About),
            "check" => Some(Step::Check),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Step::Kind => "kind",
            Step::Details => "details",
            Step::About => "about",
            Step::Check => "check",
        }
    }

    /// The answers this page asks for, by form name.
    fn names(self, kind: &str) -> &'static [&'static str] {
        let data = kind != "public_records";
        match self {
            Step::Kind => &["kind"],
            Step::Details if data => {
                &["dataset_id", "description", "fields_needed", "intended_use"]
            }
            Step::Details => &["description", "preferred_format"],
            Step::About => &["name", "email", "phone", "organization"],
            Step::Check => &[],
        }
    }

    /// The page a parser's field key is asked on.
    fn of_key(key: &str) -> Step {
        match key {
            "kind" => Step::Kind,
            k if k.starts_with("requester") => Step::About,
            _ => Step::Details,
        }
    }
}

/// Every answer of the form, by its name in the form.
const NAMES: [&str; 10] = [
    "kind",
    "dataset_id",
    "description",
    "fields_needed",
    "intended_use",
    "preferred_format",
    "name",
    "email",
    "phone",
    "organization",
];

/// The parser's key for a form name (`email` is `requester.email`).
fn key_of(name: &str) -> String {
    match name {
        "name" | "email" | "phone" | "organization" => format!("requester.{name}"),
        other => other.to_string(),
    }
}

/// What the request form holds, as typed.
#[derive(Debug, Clone, Default)]
struct RequestForm {
    values: HashMap<&'static str, String>,
}

impl RequestForm {
    /// The answers as posted, untouched: the API's parser trims and checks them, so the form
    /// and the API refuse exactly the same things (tests/properties/body.rs).
    fn from_data(data: &FormData) -> RequestForm {
        RequestForm {
            values: NAMES.iter().map(|&n| (n, data.get(n))).collect(),
        }
    }

    /// Forgets the answers to another kind's questions, when the kind is chosen again.
    fn keep_only_this_kinds_answers(&mut self) {
        let dropped: &[&'static str] = match self.kind() {
            "public_records" => &["dataset_id", "fields_needed", "intended_use"],
            "dataset_access" | "api_access" => &["preferred_format"],
            _ => &[],
        };
        for &name in dropped {
            self.values.insert(name, String::new());
        }
    }

    fn get(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    fn kind(&self) -> &str {
        self.get("kind")
    }
}

#[derive(Template)]
#[template(path = "pages/request_form.html")]
struct RequestFormPage {
    layout: Layout,
    step: &'static str,
    heading: String,
    kind: String,
    kind_words: &'static str,
    fields: Vec<Field>,
    /// The answers asked on other pages, carried along.
    hidden: Vec<(&'static str, String)>,
    errors: Errors,
    summary: Vec<SummaryItem>,
    /// Details of a data request: the dataset chosen, by title, or the search to choose it.
    dataset: Option<(String, String)>,
    dataset_search: String,
    dataset_results: Vec<(String, String)>,
    /// Check your answers: each question, the answer, the page that changes it.
    answers: Vec<(String, String, &'static str)>,
}

impl RequestFormPage {
    /// The email address the request will be filed with, as typed.
    fn hidden_email(&self) -> &str {
        self.hidden
            .iter()
            .find(|(name, _)| *name == "email")
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

/// One text input of the request form.
struct TextInput {
    name: &'static str,
    label: &'static str,
    hint: &'static str,
    multiline: bool,
    input_type: &'static str,
    autocomplete: &'static str,
}

const TEXT_FIELDS: &[TextInput] = &[
    TextInput {
        name: "description",
        label: "Describe the records or data you want",
        hint: "Be as specific as you can: subject, dates, places, people, departments.",
        multiline: true,
        input_type: "",
        autocomplete: "",
    },
    TextInput {
        name: "fields_needed",
        label: "Fields or columns you need (optional)",
        hint: "Leave it empty if you need them all.",
        multiline: true,
        input_type: "",
        autocomplete: "",
    },
    TextInput {
        name: "intended_use",
        label: "How you will use the data",
        hint:
            "For example: a public map, research, an app. It helps the steward set the right terms.",
        multiline: true,
        input_type: "",
        autocomplete: "",
    },
    TextInput {
        name: "preferred_format",
        label: "How you would like the records (optional)",
        hint: "For example PDF, spreadsheet, paper copies.",
        multiline: false,
        input_type: "text",
        autocomplete: "",
    },
    TextInput {
        name: "name",
        label: "Your name",
        hint: "",
        multiline: false,
        input_type: "text",
        autocomplete: "name",
    },
    TextInput {
        name: "email",
        label: "Your email address",
        hint: "We send every notice about your request here, each with a private link to it.",
        multiline: false,
        input_type: "email",
        autocomplete: "email",
    },
    TextInput {
        name: "phone",
        label: "Phone number (optional)",
        hint: "Only if you would like us to be able to call you about this request.",
        multiline: false,
        input_type: "tel",
        autocomplete: "tel",
    },
    TextInput {
        name: "organization",
        label: "Organization (optional)",
        hint: "If you are asking for an organization, such as a newspaper or a company.",
        multiline: false,
        input_type: "text",
        autocomplete: "organization",
    },
];

/// The inputs of one page (the dataset has its own chooser).
fn fields_of(step: Step, form: &RequestForm) -> Vec<Field> {
    let names = step.names(form.kind());
    TEXT_FIELDS
        .iter()
        .filter(|input| names.contains(&input.name))
        .map(|input| {
            let key = key_of(input.name);
            let id = format!("f-{}", input.name);
            let mut field = if input.multiline {
                Field::area(&key, &id, input.name, input.label)
            } else {
                Field::text(&key, &id, input.name, input.label).kind(input.input_type)
            };
            // The questions that must be answered say nothing; the others say "(optional)".
            field = field.hint(input.hint).autocomplete(input.autocomplete);
            field.value(form.get(input.name))
        })
        .collect()
}

/// A parser's message in the words of a GOV.UK error message: what to do, not what is wrong.
fn plain_error(key: &str, message: &str) -> String {
    let empty = message.contains("must not be empty")
        || message.contains("must name the dataset")
        || message.contains("say how the data will be used");
    match key {
        "kind" => "Select what you are asking for".into(),
        "description" if empty => "Describe the records or data you want".into(),
        "intended_use" if empty => "Say how you will use the data".into(),
        "dataset_id" if empty => "Choose the dataset you want".into(),
        "dataset_id" => "Choose a dataset from the City's catalog".into(),
        "requester.name" if empty => "Enter your name".into(),
        "requester.email" if empty => "Enter your email address".into(),
        "requester.email" => {
            "Enter an email address in the correct format, like name@example.com".into()
        }
        "requester.phone" => "Enter a telephone number, like (925) 671-3000".into(),
        _ => {
            let label = TEXT_FIELDS
                .iter()
                .find(|input| key_of(input.name) == key)
                .map(|input| input.label.trim_end_matches(" (optional)"))
                .unwrap_or("This answer");
            format!("{label} {message}")
        }
    }
}

fn plain_errors(errors: &FieldErrors) -> FieldErrors {
    let mut plain = FieldErrors::default();
    for (key, messages) in errors.0.iter() {
        if let Some(first) = messages.first() {
            plain.add(key, plain_error(key, first));
        }
    }
    plain
}

fn kind_words(kind: &str) -> &'static str {
    match kind {
        "public_records" => "Public records",
        "dataset_access" => "Access to a dataset",
        "api_access" => "API access",
        _ => "",
    }
}

/// One page of the form, with what was typed and what is wrong.
async fn form_page(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    step: Step,
    form: RequestForm,
    errors: FieldErrors,
    dataset_search: Option<String>,
) -> HttpResponse {
    let errors = plain_errors(&errors);
    let on_this_page = step.names(form.kind());
    let fields = fields_of(step, &form);
    let hidden = NAMES
        .iter()
        .filter(|n| !on_this_page.contains(n) || step == Step::Check)
        .map(|&n| (n, form.get(n).to_string()))
        .filter(|(_, v)| !v.is_empty())
        .collect();
    let summary = summary(
        &errors,
        &fields,
        &[
            ("kind", "kind-public_records", ""),
            ("dataset_id", "f-dataset-search", ""),
        ],
    );
    // The dataset: the one chosen, by title; otherwise a search and its results to choose from.
    let chosen = form.get("dataset_id").to_string();
    let mut dataset = None;
    let mut results = Vec::new();
    if step == Step::Details && form.kind() != "public_records" || step == Step::Check {
        if !chosen.is_empty() && dataset_search.is_none() {
            if let Ok(found) = state.app.dataset(chosen.clone()).await {
                dataset = Some((found.id, found.title));
            }
        }
        if dataset.is_none() && step == Step::Details {
            let query = CatalogQuery {
                q: dataset_search.clone().filter(|q| !q.trim().is_empty()),
                access_level: None,
                page: None,
            };
            if let Ok(page) = state.app.datasets(query).await {
                results = page.items.into_iter().map(|d| (d.id, d.title)).collect();
            }
        }
    }
    let heading = match step {
        Step::Kind => "What are you asking for?".to_string(),
        Step::Details => match form.kind() {
            "public_records" => "Which records do you want?".to_string(),
            "api_access" => "Which data do you want API access to?".to_string(),
            _ => "Which dataset do you want?".to_string(),
        },
        Step::About => "How can we reach you?".to_string(),
        Step::Check => "Check your answers before sending your request".to_string(),
    };
    let answers = if step == Step::Check {
        check_answers(&form, dataset.as_ref())
    } else {
        vec![]
    };
    let page = RequestFormPage {
        layout: layout(state, session),
        // "Check your answers" sends.
        step: if step == Step::Check {
            "send"
        } else {
            step.as_str()
        },
        heading,
        kind: form.kind().to_string(),
        kind_words: kind_words(form.kind()),
        fields,
        hidden,
        errors: Errors(errors),
        summary,
        dataset,
        dataset_search: dataset_search.unwrap_or_default(),
        dataset_results: results,
        answers,
    };
    render(status, &page)
}

/// The rows of "Check your answers": question, answer, the page that changes it.
fn check_answers(
    form: &RequestForm,
    dataset: Option<&(String, String)>,
) -> Vec<(String, String, &'static str)> {
    let mut rows = vec![(
        "What you are asking for".to_string(),
        kind_words(form.kind()).to_string(),
        "kind",
    )];
    if let Some((_, title)) = dataset {
        rows.push(("Dataset".into(), title.clone(), "details"));
    }
    for input in TEXT_FIELDS {
        let step = Step::of_key(&key_of(input.name));
        if !step.names(form.kind()).contains(&input.name) {
            continue;
        }
        let value = form.get(input.name);
        let shown = if value.is_empty() {
            "Not given".to_string()
        } else {
            value.to_string()
        };
        let label = input.label.trim_end_matches(" (optional)").to_string();
        rows.push((label, shown, step.as_str()));
    }
    rows
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
    let step = match query.into_inner().dataset.filter(|d| !d.trim().is_empty()) {
        // From a dataset's page: the kind and the dataset are known.
        Some(dataset) => {
            form.values.insert("kind", "dataset_access".into());
            form.values.insert("dataset_id", dataset);
            Step::Details
        }
        None => Step::Kind,
    };
    form_page(
        &state,
        &session,
        StatusCode::OK,
        step,
        form,
        FieldErrors::default(),
        None,
    )
    .await
}

/// The request form as the API's submission, so both are checked by one parser.
pub fn submission_from_form(data: &FormData) -> RawSubmission {
    submission_of(&RequestForm::from_data(data))
}

/// Each page posts here with its `step`: its answers are checked by the API's own parser (only
/// the errors of its questions are shown), and the next page follows; "Check your answers"
/// posts `step=send`, which files. A post without a step files at once, as the API does.
pub async fn file(
    state: web::Data<AppState>,
    req: actix_web::HttpRequest,
    session: Session,
    data: FormData,
) -> PageResult {
    if !session::csrf_ok(&session, &data.get("csrf")) {
        return Err(PageError::stale_form(layout(&state, &session)));
    }
    let mut form = RequestForm::from_data(&data);
    // "Change" on the check page, and "Search" in the dataset chooser: the page again.
    if let Some(step) = Step::parse(&data.get("change")) {
        let page = form_page(
            &state,
            &session,
            StatusCode::OK,
            step,
            form,
            FieldErrors::default(),
            None,
        );
        return Ok(page.await);
    }
    if !data.get("search").is_empty() {
        form.values.insert("dataset_id", String::new());
        let search = Some(data.get("dataset_q"));
        let page = form_page(
            &state,
            &session,
            StatusCode::OK,
            Step::Details,
            form,
            FieldErrors::default(),
            search,
        );
        return Ok(page.await);
    }
    let step = data.get("step");
    if let Some(step) = Step::parse(&step).filter(|s| *s != Step::Check) {
        return Ok(next_page(&state, &session, step, form).await);
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
    let refused = |errors: FieldErrors, form: RequestForm| async {
        // Back to the first page with something wrong on it.
        let step = [Step::Kind, Step::Details, Step::About]
            .into_iter()
            .find(|s| errors.0.iter().any(|(k, _)| Step::of_key(k) == *s))
            .unwrap_or(Step::Details);
        Ok(form_page(
            &state,
            &session,
            StatusCode::UNPROCESSABLE_ENTITY,
            step,
            form,
            errors,
            None,
        )
        .await)
    };
    let submission = match Submission::try_from(&submission_of(&form)) {
        Ok(submission) => submission,
        Err(errors) => return refused(errors, form).await,
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
            Problem::OnForm(shown) if !shown.fields.is_empty() => refused(shown.fields, form).await,
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

/// A page's answers checked: the page again with its errors, or the next page.
async fn next_page(
    state: &AppState,
    session: &Session,
    step: Step,
    mut form: RequestForm,
) -> HttpResponse {
    let mut errors = FieldErrors::default();
    let parsed = Submission::try_from(&submission_of(&form));
    let asked: Vec<String> = step.names(form.kind()).iter().map(|n| key_of(n)).collect();
    if let Err(all) = parsed {
        for (key, messages) in all.0.iter() {
            if asked.iter().any(|k| k == key) {
                for m in messages {
                    errors.add(key, m);
                }
            }
        }
    }
    // A dataset must be one the catalog holds (the parser sees only its form).
    if step == Step::Details
        && form.kind() != "public_records"
        && !errors.0.iter().any(|(k, _)| k == "dataset_id")
    {
        let id = form.get("dataset_id").to_string();
        if id.is_empty() {
            errors.add("dataset_id", "must not be empty");
        } else if state.app.dataset(id).await.is_err() {
            errors.add(
                "dataset_id",
                "there is no dataset with this identifier in the catalog",
            );
        }
    }
    if !errors.is_empty() {
        return form_page(
            state,
            session,
            StatusCode::UNPROCESSABLE_ENTITY,
            step,
            form,
            errors,
            None,
        )
        .await;
    }
    if step == Step::Kind {
        form.keep_only_this_kinds_answers();
    }
    let next = match step {
        Step::Kind => Step::Details,
        Step::Details => Step::About,
        Step::About | Step::Check => Step::Check,
    };
    form_page(
        state,
        session,
        StatusCode::OK,
        next,
        form,
        FieldErrors::default(),
        None,
    )
    .await
}

fn submission_of(form: &RequestForm) -> RawSubmission {
    let opt = |n: &str| Some(form.get(n).to_string()).filter(|v| !v.is_empty());
    RawSubmission {
        kind: opt("kind"),
        requester: Some(RawRequester {
            name: Some(form.get("name").to_string()),
            email: Some(form.get("email").to_string()),
            phone: opt("phone"),
            organization: opt("organization"),
        }),
        description: Some(form.get("description").to_string()),
        dataset_id: opt("dataset_id"),
        fields_needed: opt("fields_needed"),
        intended_use: opt("intended_use"),
        preferred_format: opt("preferred_format"),
    }
}
