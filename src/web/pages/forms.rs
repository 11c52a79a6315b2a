//! Form fields, their errors, and the error summary at the top of a page.

use std::collections::HashMap;

use actix_session::Session;
use actix_web::dev::Payload;
use actix_web::error::{ErrorBadRequest, UrlencodedError};
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures::future::LocalBoxFuture;

use crate::web::AppState;

use crate::domain::input::Text;
use crate::domain::FieldErrors;

/// A form's errors by field key, for the templates.
#[derive(Debug, Clone, Default)]
pub struct Errors(pub FieldErrors);

impl Errors {
    pub fn invalid(&self, key: &str) -> bool {
        self.0 .0.contains_key(key)
    }

    pub fn message(&self, key: &str) -> String {
        self.0 .0.get(key).map(|m| m.join(" ")).unwrap_or_default()
    }
}

/// One input: its error key, HTML id and name, label, hint and current value.
#[derive(Debug, Clone, Default)]
pub struct Field {
    pub key: String,
    pub id: String,
    pub name: String,
    pub label: String,
    pub hint: String,
    pub value: String,
    pub required: bool,
    pub multiline: bool,
    pub input_type: String,
    pub autocomplete: String,
    /// A select's or radio group's choices: (value, label, hint).
    pub options: Vec<Choice>,
}

/// One choice of a select or a radio group.
#[derive(Debug, Clone, Default)]
pub struct Choice {
    pub value: String,
    pub label: String,
    pub hint: String,
}

impl Choice {
    pub fn new(value: &str, label: &str) -> Choice {
        Choice {
            value: value.into(),
            label: label.into(),
            hint: String::new(),
        }
    }

    pub fn hint(mut self, hint: &str) -> Choice {
        self.hint = hint.into();
        self
    }
}

impl Field {
    pub fn text(key: &str, id: &str, name: &str, label: &str) -> Field {
        Field {
            key: key.into(),
            id: id.into(),
            name: name.into(),
            label: label.into(),
            input_type: "text".into(),
            ..Default::default()
        }
    }

    pub fn area(key: &str, id: &str, name: &str, label: &str) -> Field {
        Field {
            multiline: true,
            ..Field::text(key, id, name, label)
        }
    }

    /// A drop-down list.
    pub fn select(key: &str, id: &str, name: &str, label: &str, options: Vec<Choice>) -> Field {
        Field {
            options,
            ..Field::text(key, id, name, label).kind("select")
        }
    }

    /// Radio buttons, one choice of a few; the first button carries the field's id.
    pub fn radios(key: &str, id: &str, name: &str, label: &str, options: Vec<Choice>) -> Field {
        Field {
            options,
            ..Field::text(key, id, name, label).kind("radios")
        }
    }

    /// The id of a radio button: the first is the field's own, so links to it land there.
    pub fn option_id(&self, index: &usize) -> String {
        if *index == 0 {
            self.id.clone()
        } else {
            format!("{}-{index}", self.id)
        }
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn hint(mut self, hint: &str) -> Field {
        self.hint = hint.into();
        self
    }

    pub fn kind(mut self, input_type: &str) -> Field {
        self.input_type = input_type.into();
        self
    }

    pub fn autocomplete(mut self, value: &str) -> Field {
        self.autocomplete = value.into();
        self
    }

    pub fn value(mut self, value: &str) -> Field {
        self.value = value.into();
        self
    }

    /// The ids of the hint and the error message that describe the input.
    pub fn described_by(&self, invalid: bool) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.id));
        }
        if invalid {
            ids.push(format!("{}-error", self.id));
        }
        ids.join(" ")
    }
}

/// One line of the error summary: a link to the field, its label and the message.
#[derive(Debug, Clone)]
pub struct SummaryItem {
    pub id: String,
    pub label: String,
    pub message: String,
}

/// The summary of `errors`, in the order the fields appear; unknown keys link to the form.
pub fn summary(
    errors: &FieldErrors,
    fields: &[Field],
    extra: &[(&str, &str, &str)],
) -> Vec<SummaryItem> {
    let mut items = Vec::new();
    let mut done = std::collections::HashSet::new();
    let known: Vec<(String, String, String)> = extra
        .iter()
        .map(|(k, id, label)| (k.to_string(), id.to_string(), label.to_string()))
        .chain(
            fields
                .iter()
                .map(|f| (f.key.clone(), f.id.clone(), f.label.clone())),
        )
        .collect();
    for (key, id, label) in &known {
        if let Some(messages) = errors.0.get(key) {
            done.insert(key.clone());
            items.push(SummaryItem {
                id: id.clone(),
                label: label.clone(),
                message: messages.join(" "),
            });
        }
    }
    for (key, messages) in &errors.0 {
        if !done.contains(key) {
            items.push(SummaryItem {
                id: "main".into(),
                label: key.replace('_', " "),
                message: messages.join(" "),
            });
        }
    }
    items
}

/// Error keys from the API's parsers (`responsible[0]`) name the whole field on a form.
pub fn merge_indexed(errors: FieldErrors) -> FieldErrors {
    let mut merged = FieldErrors::default();
    for (key, messages) in errors.0 {
        let base = key.split('[').next().unwrap_or(&key).to_string();
        for message in messages {
            merged.add(base.clone(), message);
        }
    }
    merged
}

/// A submitted form, field by field; a missing field reads as empty.
pub struct FormData(pub HashMap<String, String>);

/// The form's bytes once percent-escapes are undone, which must be UTF-8.
fn percent_decoded(body: &[u8]) -> Vec<u8> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(body.len());
    let mut i = 0;
    while i < body.len() {
        let escaped = match body.get(i..i + 3) {
            Some([b'%', high, low]) => hex(*high).zip(hex(*low)).map(|(h, l)| h << 4 | l),
            _ => None,
        };
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(body[i]);
                i += 1;
            }
        }
    }
    out
}

impl FormData {
    /// Reads an `application/x-www-form-urlencoded` body. Text that is not UTF-8 is refused:
    /// read leniently, it would be stored with its bad bytes silently replaced.
    pub fn parse(body: &[u8]) -> Result<FormData, String> {
        if std::str::from_utf8(&percent_decoded(body)).is_err() {
            return Err("the form was not sent as UTF-8 text".into());
        }
        serde_urlencoded::from_bytes(body)
            .map(FormData)
            .map_err(|e| format!("the form could not be read: {e}"))
    }

    pub fn get(&self, name: &str) -> String {
        self.0.get(name).cloned().unwrap_or_default()
    }

    pub fn opt(&self, name: &str) -> Option<String> {
        self.0.get(name).filter(|v| !v.trim().is_empty()).cloned()
    }

    /// An optional multi-line text field: absent when blank, its message in `errors` when bad.
    pub fn text(&self, name: &str, max_chars: usize, errors: &mut FieldErrors) -> Option<Text> {
        self.opt(name)
            .and_then(|raw| errors.check(name, Text::multiline(&raw, max_chars)))
    }

    /// The version of the request the form was shown with.
    pub fn version(&self) -> Option<i32> {
        self.get("version").parse().ok()
    }

    /// A textarea with one entry per line.
    pub fn lines(&self, name: &str) -> Vec<String> {
        self.get(name)
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }
}

/// Form posts are read as bytes within the configured body limit (413 beyond it), must say
/// they are a form (415), and must be UTF-8 (400).
impl FromRequest for FormData {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<FormData, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let is_form = req
            .content_type()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded");
        let body = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            if !is_form {
                return Err(UrlencodedError::ContentType.into());
            }
            FormData::parse(&body.await?).map_err(ErrorBadRequest)
        })
    }
}

/// A form posted about one request, as every step page reads it: the service, the session,
/// the tracking number as the address has it (not yet checked) and the form's fields.
pub struct Posted {
    pub state: web::Data<AppState>,
    pub session: Session,
    pub tracking_number: String,
    pub data: FormData,
}

impl FromRequest for Posted {
    type Error = actix_web::Error;
    type Future = LocalBoxFuture<'static, Result<Posted, actix_web::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let state = web::Data::<AppState>::from_request(req, payload);
        let session = Session::from_request(req, payload);
        let tracking_number = req
            .match_info()
            .get("tracking_number")
            .unwrap_or("")
            .to_string();
        let data = FormData::from_request(req, payload);
        Box::pin(async move {
            Ok(Posted {
                state: state.await?,
                session: session.await?,
                tracking_number,
                data: data.await?,
            })
        })
    }
}
