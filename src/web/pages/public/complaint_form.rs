//! `/complaints/new`: the complaint form, one page of questions and then "Check your answers",
//! checked by the same parser as `POST /api/v1/complaints` (`RawComplaint::parse`).

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use askama::Template;
use chrono::NaiveDate;

use super::layout;
use crate::app::complaints::{RawComplaint, OCCURRED_WITHIN_YEARS};
use crate::app::submit::RawRequester;
use crate::domain::FieldErrors;
use crate::notify::render::long_date_in;
use crate::web::pages::forms::{summary, Choice, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::Problem;
use crate::web::pages::{render, see_other, session, Layout, PageError, PageResult};
use crate::web::AppState;
use crate::wording::Words;

/// Every answer of the form, by its name in the form, in the order the page asks them.
const NAMES: [&str; 10] = [
    "department",
    "subject",
    "description",
    "location",
    "month",
    "day",
    "year",
    "name",
    "email",
    "phone",
];

/// The three boxes of the date, in the order a US reader writes a date.
const DATE_PARTS: [&str; 3] = ["month", "day", "year"];

/// One text question: its form name, the parser's key, its label and hint, its name on "Check
/// your answers" and in an error message; the words are messages of the wording.
struct Question {
    name: &'static str,
    key: &'static str,
    label: &'static str,
    hint: &'static str,
    answer: &'static str,
    noun: &'static str,
    /// Its label says "(optional)"; the contact details say it once, for all three.
    optional: bool,
    multiline: bool,
    input_type: &'static str,
    autocomplete: &'static str,
}

const ABOUT: [Question; 3] = [
    Question {
        name: "subject",
        key: "subject",
        label: "page-complaint-subject",
        hint: "page-complaint-subject-hint",
        answer: "page-complaint-answer-subject",
        noun: "page-complaint-noun-subject",
        optional: false,
        multiline: false,
        input_type: "text",
        autocomplete: "",
    },
    Question {
        name: "description",
        key: "description",
        label: "page-complaint-description",
        hint: "page-complaint-description-hint",
        answer: "page-complaint-answer-description",
        noun: "page-complaint-noun-description",
        optional: false,
        multiline: true,
        input_type: "",
        autocomplete: "",
    },
    Question {
        name: "location",
        key: "location",
        label: "page-complaint-location",
        hint: "page-complaint-location-hint",
        answer: "page-complaint-answer-location",
        noun: "page-complaint-noun-location",
        optional: true,
        multiline: false,
        input_type: "text",
        autocomplete: "",
    },
];

const CONTACT: [Question; 3] = [
    Question {
        name: "name",
        key: "complainant.name",
        label: "page-form-name",
        hint: "",
        answer: "page-complaint-answer-name",
        noun: "page-complaint-noun-name",
        optional: false,
        multiline: false,
        input_type: "text",
        autocomplete: "name",
    },
    Question {
        name: "email",
        key: "complainant.email",
        label: "page-form-email",
        hint: "page-complaint-email-hint",
        answer: "page-complaint-answer-email",
        noun: "page-complaint-noun-email",
        optional: false,
        multiline: false,
        input_type: "email",
        autocomplete: "email",
    },
    Question {
        name: "phone",
        key: "complainant.phone",
        label: "page-form-phone",
        hint: "page-complaint-phone-hint",
        answer: "page-complaint-answer-phone",
        noun: "page-complaint-noun-phone",
        optional: false,
        multiline: false,
        input_type: "tel",
        autocomplete: "tel",
    },
];

/// What the form holds, as typed.
struct ComplaintForm {
    values: HashMap<&'static str, String>,
}

impl ComplaintForm {
    fn from_data(data: &FormData) -> ComplaintForm {
        ComplaintForm {
            values: NAMES.iter().map(|&n| (n, data.get(n))).collect(),
        }
    }

    fn get(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    fn blank(&self, name: &str) -> bool {
        self.get(name).trim().is_empty()
    }

    /// The date's boxes as the parser's `YYYY-MM-DD`: none when all are empty; otherwise why
    /// they make no date.
    fn day(&self) -> Result<Option<String>, DateFault> {
        let missing: Vec<&'static str> = DATE_PARTS.into_iter().filter(|p| self.blank(p)).collect();
        if missing.len() == DATE_PARTS.len() {
            return Ok(None);
        }
        if !missing.is_empty() {
            return Err(DateFault::Missing(missing));
        }
        let number = |p: &str| self.get(p).trim().parse::<u32>().ok();
        let year = self.get("year").trim();
        match (number("month"), number("day"), number("year")) {
            (Some(_), Some(_), Some(_)) if year.len() != 4 => Err(DateFault::Year),
            (Some(month), Some(day), Some(year)) => {
                Ok(Some(format!("{year:04}-{month:02}-{day:02}")))
            }
            _ => Err(DateFault::NotReal),
        }
    }

    /// The answers as the API's complaint, so both are checked by one parser.
    fn raw(&self, day: Option<String>) -> RawComplaint {
        let opt = |n: &str| Some(self.get(n).to_string()).filter(|v| !v.trim().is_empty());
        RawComplaint {
            subject: opt("subject"),
            description: opt("description"),
            location: opt("location"),
            occurred_on: day,
            department: opt("department"),
            complainant: Some(RawRequester {
                name: opt("name"),
                email: opt("email"),
                phone: opt("phone"),
                organization: None,
            }),
            // Letters in the language the form was filled in (the switch on every page).
            language: Some(crate::web::language::current().code().to_string()),
        }
    }
}

/// Why the date's boxes make no date.
enum DateFault {
    /// Some boxes are empty: these.
    Missing(Vec<&'static str>),
    /// The year is not four digits.
    Year,
    NotReal,
}

/// The date's error in words: boxes that make no date, or the parser's refusal of the day.
fn date_error(t: Words, form: &ComplaintForm, message: &str) -> String {
    match form.day() {
        Err(DateFault::Missing(parts)) => t
            .say("page-complaint-error-date-missing")
            .with("missing", parts.join("-"))
            .to_string(),
        Err(DateFault::Year) => t.w("page-complaint-error-date-year"),
        Err(DateFault::NotReal) => t.w("page-complaint-error-date-real"),
        Ok(_) if message.contains("future") => t.w("page-complaint-error-date-future"),
        Ok(_) if message.contains("years") => t
            .say("page-complaint-error-date-old")
            .count("years", OCCURRED_WITHIN_YEARS)
            .to_string(),
        Ok(_) => t.w("page-complaint-error-date-real"),
    }
}

/// A parser's message in the words of a GOV.UK error message: what to do, not what is wrong.
fn plain_error(t: Words, form: &ComplaintForm, key: &str, message: &str) -> String {
    let question = ABOUT.iter().chain(CONTACT.iter()).find(|q| q.key == key);
    let blank = form.blank(question.map_or(key, |q| q.name));
    let id = match key {
        "department" if blank => "page-complaint-error-department",
        "department" => "page-complaint-error-department-unknown",
        "subject" if blank => "page-complaint-error-subject",
        "description" if blank => "page-complaint-error-description",
        "complainant.email" => "page-form-error-email-format",
        "complainant.phone" => "page-form-error-phone",
        "occurred_on" => return date_error(t, form, message),
        _ => {
            let what = question.map_or_else(|| t.w("page-form-this-answer"), |q| t.w(q.noun));
            // "must be at most 200 characters (it has 250)": the limit, in the question's words.
            let limit = message
                .strip_prefix("must be at most ")
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse::<u32>().ok());
            return match limit {
                Some(max) => t
                    .say("page-complaint-error-too-long")
                    .with("what", what)
                    .count("max", max)
                    .to_string(),
                None => format!("{what} {message}"),
            };
        }
    };
    t.w(id)
}

#[derive(Template)]
#[template(path = "pages/complaint_form.html")]
struct ComplaintFormPage {
    layout: Layout,
    /// "Check your answers", or the questions.
    check: bool,
    heading: String,
    target_days: u32,
    /// The department, what it is about, what happened, where.
    questions: Vec<Field>,
    /// The date's boxes: form name, label, value, and whether the box is at fault.
    date: Vec<(&'static str, String, String, bool)>,
    contact: Vec<Field>,
    /// The answers, carried on the check page.
    hidden: Vec<(&'static str, String)>,
    errors: Errors,
    summary: Vec<SummaryItem>,
    /// Check your answers: each question, the answer, the form name it is asked as.
    answers: Vec<(String, String, &'static str)>,
    email: String,
}

fn text_field(t: Words, q: &Question, form: &ComplaintForm) -> Field {
    let id = format!("f-{}", q.name);
    let label = match q.optional {
        true => t
            .say("page-form-optional")
            .with("label", t.w(q.label))
            .to_string(),
        false => t.w(q.label),
    };
    let mut field = match q.multiline {
        true => Field::area(q.key, &id, q.name, &label),
        false => Field::text(q.key, &id, q.name, &label).kind(q.input_type),
    };
    if !q.hint.is_empty() {
        field = field.hint(&t.w(q.hint));
    }
    field.autocomplete(q.autocomplete).value(form.get(q.name))
}

/// The form's page, with what was typed and what is wrong; `check` for "Check your answers".
async fn form_page(
    state: &AppState,
    session: &Session,
    status: StatusCode,
    check: bool,
    form: &ComplaintForm,
    errors: FieldErrors,
) -> HttpResponse {
    let layout = layout(state, session);
    let t = layout.t;
    let departments = state.app.departments_public().await.unwrap_or_default();
    let choices = departments
        .iter()
        .map(|d| Choice::new(&d.queue, &d.name))
        .collect();
    let department = Field::radios(
        "department",
        "f-department",
        "department",
        &t.w("page-complaint-department"),
        choices,
    )
    .hint(&t.w("page-complaint-department-hint"))
    .value(form.get("department"));
    let mut questions = vec![department];
    questions.extend(ABOUT.iter().map(|q| text_field(t, q, form)));
    let contact: Vec<Field> = CONTACT.iter().map(|q| text_field(t, q, form)).collect();
    // The boxes at fault: the missing ones, the year, or all three.
    let faulty: Vec<&str> = match form.day() {
        Err(DateFault::Missing(parts)) => parts,
        Err(DateFault::Year) => vec!["year"],
        _ if errors.0.contains_key("occurred_on") => DATE_PARTS.to_vec(),
        _ => vec![],
    };
    let date = DATE_PARTS
        .into_iter()
        .map(|part| {
            let label = t.w(match part {
                "month" => "page-complaint-month",
                "day" => "page-complaint-day",
                _ => "page-complaint-year",
            });
            (
                part,
                label,
                form.get(part).to_string(),
                faulty.contains(&part),
            )
        })
        .collect();
    let mut plain = FieldErrors::default();
    for (key, messages) in &errors.0 {
        if let Some(first) = messages.first() {
            plain.add(key.clone(), plain_error(t, form, key, first));
        }
    }
    // The summary in the page's order, each line linking to its question (the date to its
    // first box at fault) and saying only what to do.
    let first_box = format!("f-{}", faulty.first().copied().unwrap_or("month"));
    let mut in_order = questions.clone();
    in_order.push(Field::text("occurred_on", &first_box, "", ""));
    in_order.extend(contact.iter().cloned());
    let mut summary = summary(&plain, &in_order, &[]);
    for item in &mut summary {
        item.label.clear();
    }
    let answers = match check {
        true => check_answers(t, form, &departments),
        false => vec![],
    };
    let hidden = match check {
        true => NAMES
            .iter()
            .map(|&n| (n, form.get(n).to_string()))
            .filter(|(_, v)| !v.is_empty())
            .collect(),
        false => vec![],
    };
    let page = ComplaintFormPage {
        heading: t.w(match check {
            true => "page-complaint-heading-check",
            false => "page-complaint-heading",
        }),
        target_days: state.app.ctx().policy().complaint_days,
        check,
        questions,
        date,
        contact,
        hidden,
        errors: Errors(plain),
        summary,
        answers,
        email: form.get("email").trim().to_string(),
        layout,
    };
    render(status, &page)
}

/// The rows of "Check your answers": question, answer, the form name that changes it.
fn check_answers(
    t: Words,
    form: &ComplaintForm,
    departments: &[crate::domain::directory::Department],
) -> Vec<(String, String, &'static str)> {
    let given = |value: String| match value.trim().is_empty() {
        true => t.w("page-form-not-given"),
        false => value,
    };
    let department = departments
        .iter()
        .find(|d| d.queue == form.get("department"))
        .map(|d| d.name.clone())
        .unwrap_or_default();
    let when = form
        .day()
        .ok()
        .flatten()
        .and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok())
        .map(|day| long_date_in(crate::web::language::current(), day))
        .unwrap_or_default();
    let mut rows = vec![(
        t.w("page-complaint-answer-department"),
        department,
        "department",
    )];
    let row = |q: &Question| (t.w(q.answer), given(form.get(q.name).to_string()), q.name);
    rows.extend(ABOUT.iter().map(row));
    rows.push((t.w("page-complaint-answer-when"), given(when), "month"));
    rows.extend(CONTACT.iter().map(row));
    rows
}

pub async fn page(state: web::Data<AppState>, session: Session) -> HttpResponse {
    let form = ComplaintForm::from_data(&FormData(HashMap::new()));
    let errors = FieldErrors::default();
    form_page(&state, &session, StatusCode::OK, false, &form, errors).await
}

/// Everything the page can check before filing: the parser's rules, the date's boxes, and that
/// the department is one of the directory's.
async fn checked(state: &AppState, form: &ComplaintForm) -> Result<RawComplaint, FieldErrors> {
    let mut errors = FieldErrors::default();
    let day = form.day().unwrap_or_else(|_| {
        // Which boxes are at fault, and what to say, is read from the form again.
        errors.add("occurred_on", "the boxes make no date");
        None
    });
    let raw = form.raw(day);
    let ctx = state.app.ctx();
    let today = ctx.clock.date_of(ctx.clock.now());
    if let Err(parsed) = raw.parse(today) {
        for (key, messages) in parsed.0 {
            for m in messages {
                errors.add(key.clone(), m);
            }
        }
    }
    if !form.blank("department") && !errors.0.contains_key("department") {
        let departments = state.app.departments_public().await.unwrap_or_default();
        if !departments
            .iter()
            .any(|d| d.queue == form.get("department"))
        {
            errors.add("department", "there is no department with this name");
        }
    }
    match errors.is_empty() {
        true => Ok(raw),
        false => Err(errors),
    }
}

/// The questions post here with `step=complaint` (checked: the questions again with their
/// errors, or "Check your answers"); a Change button posts `change`; "Send complaint" posts
/// `step=send`, which files. A post without a step files at once, as the API does.
pub async fn file(
    state: web::Data<AppState>,
    req: HttpRequest,
    session: Session,
    data: FormData,
) -> PageResult {
    if !session::csrf_ok(&session, &data.get("csrf")) {
        return Err(PageError::stale_form(layout(&state, &session)));
    }
    let form = ComplaintForm::from_data(&data);
    let none = FieldErrors::default;
    if !data.get("change").is_empty() {
        return Ok(form_page(&state, &session, StatusCode::OK, false, &form, none()).await);
    }
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    let raw = match checked(&state, &form).await {
        Ok(raw) => raw,
        Err(errors) => {
            return Ok(form_page(&state, &session, unprocessable, false, &form, errors).await)
        }
    };
    if data.get("step") == "complaint" {
        return Ok(form_page(&state, &session, StatusCode::OK, true, &form, none()).await);
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
    match state.app.file_complaint(raw).await {
        Ok(filed) => {
            let token = filed.access_token.clone().unwrap_or_default();
            session::remember_request(&session, &filed.tracking_number, &token);
            Ok(see_other(&format!(
                "/requests/{}/filed",
                filed.tracking_number
            )))
        }
        Err(e) => match Problem::of(&layout(&state, &session), e) {
            Problem::OnForm(shown) if !shown.fields.is_empty() => {
                Ok(form_page(&state, &session, unprocessable, false, &form, shown.fields).await)
            }
            Problem::OnForm(shown) => {
                log::error!(
                    "[{}] filing a complaint from the form failed: {}",
                    crate::web::request_id::current(),
                    shown.message
                );
                Err(PageError::internal(layout(&state, &session)))
            }
            Problem::Page(page) => Err(page),
        },
    }
}
