//! `/requests/new`: the request form, checked by the same parser as the API.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{layout, requester_case};
use crate::app::submit::{FileRequest, RawRequester, RawSubmission, Submission};
use crate::catalog::view::CatalogQuery;
use crate::domain::input::TrackingNumber;
use crate::domain::FieldErrors;
use crate::web::pages::forms::{summary, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::Problem;
use crate::web::pages::{local_time, render, see_other, session, Layout, PageError, PageResult};
use crate::web::AppState;
use crate::wording::Words;

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
    kind_words: String,
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
    /// A request this browser sent in the last day with the same description: its tracking
    /// number and when it was received.
    same_as: Option<(String, String)>,
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

/// One text input of the request form; its words are messages of the wording.
struct TextInput {
    name: &'static str,
    /// The question, without "(optional)".
    label: &'static str,
    /// A message, or "" for none.
    hint: &'static str,
    optional: bool,
    multiline: bool,
    input_type: &'static str,
    autocomplete: &'static str,
}

impl TextInput {
    /// The question as the form asks it: the optional ones say so, and so do those this
    /// kind of request may leave out.
    fn question(&self, t: Words, optional_here: bool) -> String {
        let label = t.w(self.label);
        if self.optional || optional_here {
            t.say("page-form-optional").with("label", label).to_string()
        } else {
            label
        }
    }
}

const TEXT_FIELDS: &[TextInput] = &[
    TextInput {
        name: "description",
        label: "page-form-description",
        hint: "page-form-description-hint",
        optional: false,
        multiline: true,
        input_type: "",
        autocomplete: "",
    },
    TextInput {
        name: "fields_needed",
        label: "page-form-fields",
        hint: "page-form-fields-hint",
        optional: true,
        multiline: true,
        input_type: "",
        autocomplete: "",
    },
    TextInput {
        name: "intended_use",
        label: "page-form-use",
        hint: "page-form-use-hint",
        optional: false,
        multiline: true,
        input_type: "",
        autocomplete: "",
    },
    TextInput {
        name: "preferred_format",
        label: "page-form-format",
        hint: "page-form-format-hint",
        optional: true,
        multiline: false,
        input_type: "text",
        autocomplete: "",
    },
    TextInput {
        name: "name",
        label: "page-form-name",
        hint: "",
        optional: false,
        multiline: false,
        input_type: "text",
        autocomplete: "name",
    },
    TextInput {
        name: "email",
        label: "page-form-email",
        hint: "page-form-email-hint",
        optional: false,
        multiline: false,
        input_type: "email",
        autocomplete: "email",
    },
    TextInput {
        name: "phone",
        label: "page-form-phone",
        hint: "page-form-phone-hint",
        optional: true,
        multiline: false,
        input_type: "tel",
        autocomplete: "tel",
    },
    TextInput {
        name: "organization",
        label: "page-form-organization",
        hint: "page-form-organization-hint",
        optional: true,
        multiline: false,
        input_type: "text",
        autocomplete: "organization",
    },
];

/// The inputs of one page (the dataset has its own chooser).
fn fields_of(t: Words, step: Step, form: &RequestForm) -> Vec<Field> {
    let names = step.names(form.kind());
    TEXT_FIELDS
        .iter()
        .filter(|input| names.contains(&input.name))
        .map(|input| {
            let key = key_of(input.name);
            let id = format!("f-{}", input.name);
            // A public records request may be anonymous: its name and email are optional.
            let anonymous_allowed =
                form.kind() == "public_records" && (input.name == "name" || input.name == "email");
            let question = input.question(t, anonymous_allowed);
            let mut field = if input.multiline {
                Field::area(&key, &id, input.name, &question)
            } else {
                Field::text(&key, &id, input.name, &question).kind(input.input_type)
            };
            // The questions that must be answered say nothing; the others say "(optional)".
            let hint = match input.name {
                "name" if anonymous_allowed => "page-form-name-hint-records",
                "email" if anonymous_allowed => "page-form-email-hint-records",
                _ => input.hint,
            };
            if !hint.is_empty() {
                field = field.hint(&t.w(hint));
            }
            field = field.autocomplete(input.autocomplete);
            field.value(form.get(input.name))
        })
        .collect()
}

/// A parser's message in the words of a GOV.UK error message: what to do, not what is wrong.
fn plain_error(t: Words, key: &str, message: &str) -> String {
    let empty = message.contains("must not be empty")
        || message.contains("must name the dataset")
        || message.contains("say how the data will be used");
    let id = match key {
        "kind" => "page-form-error-kind",
        "description" if empty => "page-form-error-description",
        "intended_use" if empty => "page-form-error-use",
        "dataset_id" if empty => "page-form-error-dataset",
        "dataset_id" => "page-form-error-dataset-unknown",
        "requester.name" if empty => "page-form-error-name",
        "requester.email" if empty => "page-form-error-email",
        "requester.email" => "page-form-error-email-format",
        "requester.phone" => "page-form-error-phone",
        _ => {
            // A rule without its own wording (a length limit, say): the parser's message
            // after the question it is about.
            let label = TEXT_FIELDS
                .iter()
                .find(|input| key_of(input.name) == key)
                .map(|input| t.w(input.label))
                .unwrap_or_else(|| t.w("page-form-this-answer"));
            return format!("{label} {message}");
        }
    };
    t.w(id)
}

fn plain_errors(t: Words, errors: &FieldErrors) -> FieldErrors {
    let mut plain = FieldErrors::default();
    for (key, messages) in errors.0.iter() {
        if let Some(first) = messages.first() {
            plain.add(key, plain_error(t, key, first));
        }
    }
    plain
}

fn kind_words(t: Words, kind: &str) -> String {
    match kind {
        "public_records" => t.w("kind-public-records"),
        "dataset_access" => t.w("kind-dataset-access"),
        "api_access" => t.w("kind-api-access"),
        _ => String::new(),
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
    let layout = layout(state, session);
    let t = layout.t;
    let errors = plain_errors(t, &errors);
    let on_this_page = step.names(form.kind());
    let fields = fields_of(t, step, &form);
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
    let heading = t.w(match step {
        Step::Kind => "page-form-heading-kind",
        Step::Details => match form.kind() {
            "public_records" => "page-form-heading-records",
            "api_access" => "page-form-heading-api",
            _ => "page-form-heading-dataset",
        },
        Step::About => "page-form-heading-about",
        Step::Check => "page-form-heading-check",
    });
    let answers = if step == Step::Check {
        check_answers(t, &form, dataset.as_ref())
    } else {
        vec![]
    };
    let same_as = if step == Step::Check {
        sent_already(state, session, form.get("description")).await
    } else {
        None
    };
    let page = RequestFormPage {
        layout,
        // "Check your answers" sends.
        step: if step == Step::Check {
            "send"
        } else {
            step.as_str()
        },
        heading,
        kind: form.kind().to_string(),
        kind_words: kind_words(t, form.kind()),
        fields,
        hidden,
        errors: Errors(errors),
        summary,
        dataset,
        dataset_search: dataset_search.unwrap_or_default(),
        dataset_results: results,
        answers,
        same_as,
    };
    render(status, &page)
}

/// A request this browser already sent in the last day with the same description, as people
/// send a form twice when they are unsure the first went. Only the browser's own requests
/// (those it holds links for) are looked at, so the warning tells nobody about anyone else's.
async fn sent_already(
    state: &AppState,
    session: &Session,
    description: &str,
) -> Option<(String, String)> {
    let wanted: Vec<&str> = description.split_whitespace().collect();
    if wanted.is_empty() {
        return None;
    }
    let day_ago = state.app.ctx().clock.now() - chrono::Duration::days(1);
    for (tn, token) in session::held_requests(session).into_iter().rev() {
        let Some(tn) = TrackingNumber::parse(&tn) else {
            continue;
        };
        let Ok(case) = requester_case(state, &tn, token).await else {
            continue;
        };
        let same = case
            .description
            .split_whitespace()
            .eq(wanted.iter().copied());
        if same && case.received_at >= day_ago {
            return Some((tn.to_string(), local_time(state, case.received_at)));
        }
    }
    None
}

/// The rows of "Check your answers": question, answer, the page that changes it.
fn check_answers(
    t: Words,
    form: &RequestForm,
    dataset: Option<&(String, String)>,
) -> Vec<(String, String, &'static str)> {
    let mut rows = vec![(
        t.w("page-form-answer-kind"),
        kind_words(t, form.kind()),
        "kind",
    )];
    if let Some((_, title)) = dataset {
        rows.push((t.w("page-form-dataset"), title.clone(), "details"));
    }
    for input in TEXT_FIELDS {
        let step = Step::of_key(&key_of(input.name));
        if !step.names(form.kind()).contains(&input.name) {
            continue;
        }
        let value = form.get(input.name);
        let shown = if value.is_empty() {
            t.w("page-form-not-given")
        } else {
            value.to_string()
        };
        rows.push((t.w(input.label), shown, step.as_str()));
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
    if let Err(wait) = state
        .throttle
        .submission(state.throttle.address(&req))
        .await
    {
        let minutes = wait.as_secs().div_ceil(60).max(1);
        let layout = layout(&state, &session);
        let message = layout
            .t
            .say("page-form-too-many")
            .count("minutes", minutes)
            .to_string();
        return Err(PageError::TooMany(Box::new(layout), message, wait));
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
        // Letters in the language the form was filled in (the switch on every page).
        language: Some(crate::web::language::current().code().to_string()),
    }
}
