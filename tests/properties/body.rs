//! The parsers behind `POST /api/v1/requests` and the request form: any bytes, any JSON, and
//! submissions whose every field is right or wrong in a known way.
//!
//! The API's `web::Json<RawSubmission>` extractor is `serde_json::from_slice` (its errors go
//! through `body_error`), then `RawSubmission::parse`; the form's `web::Form` is
//! `FormData::parse`, then `submission_from_form` and the same `parse`.

use std::collections::BTreeSet;

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use recordsdesk::app::submit::{ObjectOnly, RawRequester, RawSubmission, Submission};
use recordsdesk::domain::input::limits;
use recordsdesk::domain::{FieldErrors, RequestKind};
use recordsdesk::web::error::body_error;
use recordsdesk::web::pages::forms::FormData;
use recordsdesk::web::pages::public::submission_from_form;
use serde_json::Value;

use crate::cases;
use crate::text::{blank, good_text, padding, too_long, with_control};

const FIELD_KEYS: &[&str] = &[
    "kind",
    "requester.name",
    "requester.email",
    "requester.phone",
    "requester.organization",
    "description",
    "dataset_id",
    "fields_needed",
    "intended_use",
    "preferred_format",
];

/// What the API makes of a body: a filing or field errors (422), or a refused body's status.
fn through_api(bytes: &[u8]) -> Result<Result<Submission, FieldErrors>, u16> {
    // As `web::api::requests::submit` reads it: an object only.
    match serde_json::from_slice::<ObjectOnly<RawSubmission>>(bytes) {
        Ok(ObjectOnly(raw)) => Ok(raw.parse()),
        Err(e) => Err(body_error(&e).status.as_u16()),
    }
}

/// `None` where the form body itself is refused (400: not UTF-8).
fn through_form(bytes: &[u8]) -> Option<Result<Submission, FieldErrors>> {
    let form = FormData::parse(bytes).ok()?;
    Some(submission_from_form(&form).parse())
}

/// Field errors name only fields of the submission, each with at least one message.
fn well_formed(errors: &FieldErrors) -> Result<(), TestCaseError> {
    prop_assert!(!errors.is_empty(), "a refusal says why");
    for (key, messages) in &errors.0 {
        prop_assert!(FIELD_KEYS.contains(&key.as_str()), "unknown key {key:?}");
        prop_assert!(!messages.is_empty() && messages.iter().all(|m| !m.is_empty()));
    }
    Ok(())
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        good_text(30, true).prop_map(Value::String),
    ]
}

/// Object keys: the submission's own field names more often than not.
fn json_key() -> impl Strategy<Value = String> {
    const NAMES: &[&str] = &[
        "kind",
        "requester",
        "name",
        "email",
        "phone",
        "organization",
        "description",
        "dataset_id",
        "fields_needed",
        "intended_use",
        "preferred_format",
    ];
    prop_oneof![3 => select(NAMES).prop_map(str::to_string), 1 => any::<String>()]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            btree_map(json_key(), inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// One field's raw value, and whether the parser must take it.
#[derive(Debug, Clone)]
struct Typed {
    raw: Option<String>,
    ok: bool,
}

fn good(raw: Option<String>) -> Typed {
    Typed { raw, ok: true }
}

fn bad(raw: Option<String>) -> Typed {
    Typed { raw, ok: false }
}

fn required_text(max: usize, multiline: bool) -> BoxedStrategy<Typed> {
    prop_oneof![
        6 => good_text(max, multiline).prop_map(|s| good(Some(s))),
        1 => Just(bad(None)),
        1 => blank().prop_map(|s| bad(Some(s))),
        1 => too_long(max).prop_map(|s| bad(Some(s))),
        1 => with_control(multiline).prop_map(|s| bad(Some(s))),
    ]
    .boxed()
}

fn optional_text(max: usize, multiline: bool) -> BoxedStrategy<Typed> {
    prop_oneof![
        2 => Just(good(None)),
        1 => blank().prop_map(|s| good(Some(s))),
        4 => good_text(max, multiline).prop_map(|s| good(Some(s))),
        1 => too_long(max).prop_map(|s| bad(Some(s))),
        1 => with_control(multiline).prop_map(|s| bad(Some(s))),
    ]
    .boxed()
}

const KINDS: [&str; 3] = ["public_records", "dataset_access", "api_access"];

/// A kind is one of three exact words: the API's document lists them as an enum, and the
/// form's select sends them as they are, so padding is refused.
fn good_kind() -> impl Strategy<Value = Typed> {
    select(&KINDS[..]).prop_map(|k| good(Some(k.to_string())))
}

fn kind() -> BoxedStrategy<Typed> {
    prop_oneof![
        4 => good_kind(),
        1 => Just(bad(None)),
        1 => blank().prop_map(|s| bad(Some(s))),
        1 => select(&["everything", "PUBLIC_RECORDS", "public records", "api", "public_records\0"][..])
            .prop_map(|s| bad(Some(s.to_string()))),
        1 => (padding(), select(&KINDS[..]), padding())
            .prop_filter("padded", |(a, _, b)| !a.is_empty() || !b.is_empty())
            .prop_map(|(a, k, b)| bad(Some(format!("{a}{k}{b}")))),
    ]
    .boxed()
}

fn good_email() -> impl Strategy<Value = Typed> {
    (
        padding(),
        // Dots only between other characters: a mail server refuses `.jane@`, `jane.@`, `a..b@`.
        "[a-z0-9_%+-]{1,10}(\\.[a-z0-9_%+-]{1,9})?@[a-zA-Z0-9]{1,10}\\.[a-zA-Z]{2,6}",
        padding(),
    )
        .prop_map(|(a, e, b)| good(Some(format!("{a}{e}{b}"))))
}

fn email() -> BoxedStrategy<Typed> {
    prop_oneof![
        4 => good_email(),
        1 => Just(bad(None)),
        1 => blank().prop_map(|s| bad(Some(s))),
        1 => "[a-z]{1,10}|[a-z]{1,5} [a-z]{1,5}@example\\.com|@example\\.com|[a-z]{1,5}@"
            .prop_map(|s| bad(Some(s))),
        1 => "[a-z]{1,5}[\\x00\\r\\n\\t][a-z]{1,5}@example\\.com".prop_map(|s| bad(Some(s))),
        // Addresses no mail server delivers to.
        1 => "\\.[a-z]{1,5}@example\\.com|[a-z]{1,5}\\.@example\\.com|[a-z]{1,3}\\.\\.[a-z]{1,3}@example\\.com|[a-z]{1,5}@\\[127\\.0\\.0\\.1\\]|[a-z]{1,5}@example"
            .prop_map(|s| bad(Some(s))),
    ]
    .boxed()
}

/// 7 to 13 digits with the punctuation people put between them: at most 40 characters.
fn good_phone() -> impl Strategy<Value = String> {
    (
        select(&["", "+"][..]),
        vec(
            ("[0-9]", select(&["", "", " ", "-", ".", ") ", " ("][..])),
            6..12,
        ),
        "[0-9]",
    )
        .prop_map(|(plus, pairs, last)| {
            let mut phone = plus.to_string();
            for (digit, sep) in pairs {
                phone.push_str(&digit);
                phone.push_str(sep);
            }
            phone.push_str(&last);
            phone
        })
}

fn phone() -> BoxedStrategy<Typed> {
    prop_oneof![
        2 => Just(good(None)),
        1 => blank().prop_map(|s| good(Some(s))),
        4 => good_phone().prop_map(|s| good(Some(s))),
        1 => "[a-wyz ]{0,5}[a-wyz][a-wyz ]{0,5}[0-9]{7}|[0-9]{1,6}|[0-9]{41,45}".prop_map(|s| bad(Some(s))),
        1 => "[0-9]{4}[\\x00\\n\\x7f][0-9]{4}".prop_map(|s| bad(Some(s))),
    ]
    .boxed()
}

#[derive(Debug, Clone)]
struct Case {
    kind: Typed,
    name: Typed,
    email: Typed,
    phone: Typed,
    organization: Typed,
    description: Typed,
    dataset_id: Typed,
    fields_needed: Typed,
    intended_use: Typed,
    preferred_format: Typed,
}

impl Case {
    fn fields(&self) -> [(&'static str, &Typed); 10] {
        [
            ("kind", &self.kind),
            ("requester.name", &self.name),
            ("requester.email", &self.email),
            ("requester.phone", &self.phone),
            ("requester.organization", &self.organization),
            ("description", &self.description),
            ("dataset_id", &self.dataset_id),
            ("fields_needed", &self.fields_needed),
            ("intended_use", &self.intended_use),
            ("preferred_format", &self.preferred_format),
        ]
    }

    fn raw(&self) -> RawSubmission {
        RawSubmission {
            kind: self.kind.raw.clone(),
            requester: Some(RawRequester {
                name: self.name.raw.clone(),
                email: self.email.raw.clone(),
                phone: self.phone.raw.clone(),
                organization: self.organization.raw.clone(),
            }),
            description: self.description.raw.clone(),
            dataset_id: self.dataset_id.raw.clone(),
            fields_needed: self.fields_needed.raw.clone(),
            intended_use: self.intended_use.raw.clone(),
            preferred_format: self.preferred_format.raw.clone(),
            // As the form files it: in its page's language, English without a choice.
            language: Some("en".into()),
        }
    }

    /// The same values as the request form sends them.
    fn form_body(&self) -> String {
        let names = [
            "kind",
            "name",
            "email",
            "phone",
            "organization",
            "description",
            "dataset_id",
            "fields_needed",
            "intended_use",
            "preferred_format",
        ];
        let pairs: Vec<(&str, &str)> = names
            .iter()
            .zip(self.fields())
            .filter_map(|(name, (_, typed))| typed.raw.as_deref().map(|v| (*name, v)))
            .chain([("csrf", "token")])
            .collect();
        serde_urlencoded::to_string(pairs).expect("pairs of strings encode")
    }

    fn access_kind(&self) -> bool {
        self.kind.ok
            && self
                .kind
                .raw
                .as_deref()
                .is_some_and(|k| k.trim() != "public_records")
    }

    /// The fields the parser must refuse, worked out from how each value was made.
    fn expected_errors(&self) -> BTreeSet<&'static str> {
        let mut keys: BTreeSet<&'static str> = self
            .fields()
            .into_iter()
            .filter(|(_, typed)| !typed.ok)
            .map(|(key, _)| key)
            .collect();
        let absent = |t: &Typed| t.raw.as_deref().is_none_or(|v| v.trim().is_empty());
        // A public records request may be anonymous: no name or email is then no error; nor
        // for a request of no known kind, where whether they are needed waits for the kind.
        if !self.access_kind() {
            if absent(&self.name) {
                keys.remove("requester.name");
            }
            if absent(&self.email) {
                keys.remove("requester.email");
            }
        }
        if self.access_kind() {
            if absent(&self.dataset_id) {
                keys.insert("dataset_id");
            }
            if absent(&self.intended_use) {
                keys.insert("intended_use");
            }
        }
        keys
    }
}

fn case_with(
    kind: BoxedStrategy<Typed>,
    text: fn(usize, bool) -> BoxedStrategy<Typed>,
    optional: fn(usize, bool) -> BoxedStrategy<Typed>,
    email: BoxedStrategy<Typed>,
    phone: BoxedStrategy<Typed>,
) -> impl Strategy<Value = Case> {
    (
        kind,
        text(limits::NAME, false),
        email,
        phone,
        optional(limits::ORGANIZATION, false),
        text(limits::DESCRIPTION, true),
        optional(limits::DATASET_ID, false),
        optional(limits::FIELD_TEXT, true),
        optional(limits::FIELD_TEXT, true),
        optional(limits::FORMAT, false),
    )
        .prop_map(
            |(kind, name, email, phone, organization, description, d, f, u, p)| Case {
                kind,
                name,
                email,
                phone,
                organization,
                description,
                dataset_id: d,
                fields_needed: f,
                intended_use: u,
                preferred_format: p,
            },
        )
}

/// Every field right or wrong at random.
fn any_case() -> impl Strategy<Value = Case> {
    case_with(kind(), required_text, optional_text, email(), phone())
}

fn good_required(max: usize, multiline: bool) -> BoxedStrategy<Typed> {
    good_text(max, multiline)
        .prop_map(|s| good(Some(s)))
        .boxed()
}

fn good_optional(max: usize, multiline: bool) -> BoxedStrategy<Typed> {
    prop_oneof![
        1 => Just(good(None)),
        1 => blank().prop_map(|s| good(Some(s))),
        3 => good_text(max, multiline).prop_map(|s| good(Some(s))),
    ]
    .boxed()
}

/// Every field right; access requests always name a dataset and a use.
fn valid_case() -> impl Strategy<Value = Case> {
    let phone = prop_oneof![Just(good(None)), good_phone().prop_map(|s| good(Some(s)))].boxed();
    (
        case_with(
            good_kind().boxed(),
            good_required,
            good_optional,
            good_email().boxed(),
            phone,
        ),
        good_text(limits::DATASET_ID, false),
        good_text(limits::FIELD_TEXT, true),
    )
        .prop_map(|(mut case, dataset, use_)| {
            if case.access_kind() {
                case.dataset_id = good(Some(dataset));
                case.intended_use = good(Some(use_));
            }
            case
        })
}

fn trimmed(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A parsed submission holds exactly the trimmed values it was given.
fn holds_its_values(case: &Case, parsed: &Submission) -> Result<(), TestCaseError> {
    let kind = case.kind.raw.as_deref().map(str::trim);
    prop_assert_eq!(Some(parsed.kind), kind.and_then(RequestKind::parse));
    prop_assert_eq!(
        parsed.name.as_ref().map(|n| n.as_str()),
        trimmed(&case.name.raw)
    );
    let email = trimmed(&case.email.raw).map(|email| {
        let (local, domain) = email.rsplit_once('@').unwrap_or_default();
        format!("{local}@{}", domain.to_ascii_lowercase())
    });
    prop_assert_eq!(parsed.email.as_ref().map(|e| e.as_str().to_string()), email);
    prop_assert_eq!(
        parsed.description.as_str(),
        trimmed(&case.description.raw).unwrap()
    );
    let optional = [
        (&parsed.phone, &case.phone),
        (&parsed.organization, &case.organization),
        (&parsed.dataset_id, &case.dataset_id),
        (&parsed.fields_needed, &case.fields_needed),
        (&parsed.intended_use, &case.intended_use),
        (&parsed.preferred_format, &case.preferred_format),
    ];
    for (value, typed) in optional {
        prop_assert_eq!(value.as_ref().map(|t| t.as_str()), trimmed(&typed.raw));
    }
    Ok(())
}

/// The parsed values, typed in again, parse to themselves.
fn reparsed(parsed: &Submission) -> RawSubmission {
    let text = |t: &Option<recordsdesk::domain::input::Text>| t.as_ref().map(|t| t.as_str().into());
    RawSubmission {
        kind: Some(parsed.kind.as_str().into()),
        requester: Some(RawRequester {
            name: text(&parsed.name),
            email: parsed.email.as_ref().map(|e| e.as_str().into()),
            phone: text(&parsed.phone),
            organization: text(&parsed.organization),
        }),
        description: Some(parsed.description.as_str().into()),
        dataset_id: text(&parsed.dataset_id),
        fields_needed: text(&parsed.fields_needed),
        intended_use: text(&parsed.intended_use),
        preferred_format: text(&parsed.preferred_format),
        language: parsed.language.map(|l| l.code().into()),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    #[test]
    fn any_bytes_are_a_submission_field_errors_or_a_400_or_422(bytes in vec(any::<u8>(), 0..600)) {
        match through_api(&bytes) {
            Err(status) => prop_assert!(status == 400 || status == 422),
            Ok(Ok(_)) => {}
            Ok(Err(errors)) => well_formed(&errors)?,
        }
        if let Some(Err(errors)) = through_form(&bytes) {
            well_formed(&errors)?;
        }
    }

    #[test]
    fn any_json_is_never_called_malformed_and_parses_or_names_its_bad_fields(value in json_value()) {
        let bytes = serde_json::to_vec(&value).unwrap();
        match through_api(&bytes) {
            Err(status) => prop_assert_eq!(status, 422, "valid JSON of the wrong shape is 422"),
            Ok(Ok(_)) => {}
            Ok(Err(errors)) => well_formed(&errors)?,
        }
    }

    #[test]
    fn a_submission_is_refused_exactly_for_its_bad_fields_by_the_api_and_the_form_alike(case in any_case()) {
        let bytes = serde_json::to_vec(&case.raw()).unwrap();
        let Ok(api) = through_api(&bytes) else {
            return Err(TestCaseError::fail("a RawSubmission serialised is always readable"));
        };
        let expected = case.expected_errors();
        match &api {
            Ok(parsed) => {
                prop_assert!(expected.is_empty(), "taken although {:?} are bad", expected);
                holds_its_values(&case, parsed)?;
            }
            Err(errors) => {
                well_formed(errors)?;
                let keys: BTreeSet<&str> = errors.0.keys().map(String::as_str).collect();
                prop_assert_eq!(keys, expected);
            }
        }
        let form = through_form(case.form_body().as_bytes());
        prop_assert_eq!(format!("{form:?}"), format!("{:?}", Some(api)), "the form and the API disagree");
    }

    #[test]
    fn a_valid_submission_keeps_its_values_and_parses_again_to_itself(case in valid_case()) {
        let parsed = case.raw().parse();
        prop_assert!(parsed.is_ok(), "refused: {:?}", parsed.err());
        let parsed = parsed.unwrap();
        holds_its_values(&case, &parsed)?;
        let again = reparsed(&parsed).parse();
        prop_assert_eq!(format!("{again:?}"), format!("{:?}", Ok::<_, FieldErrors>(parsed)));
    }
}
