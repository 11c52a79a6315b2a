//! What each input field accepts, written as JSON Schema for the OpenAPI document, exactly as
//! the parsers in `domain/input.rs` read it. Text is trimmed (Unicode white space) before it
//! is measured, so the length is counted inside the pattern rather than with `maxLength`,
//! which would count the spaces around it too.

use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, SchemaType, Type};
use utoipa::openapi::{Object, RefOr, Schema};

use crate::app::submit::RawSubmission;
use crate::domain::input::limits;
use crate::domain::Status;

/// What `str::trim` removes: the Unicode White_Space property.
const SPACE: &str =
    r"\u0009-\u000d\u0020\u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
/// What single-line text refuses: `char::is_control` (C0, DEL and C1), the line separators,
/// and the invisible characters of `input::is_invisible`.
const CONTROL: &str =
    r"\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b\u2060\ufeff\u180e\u202a-\u202e\u2066-\u2069";
/// `char::is_control`: C0, DEL and C1 (what multi-line text refuses at either end).
const CONTROL_ONLY: &str = r"\u0000-\u001f\u007f-\u009f";
/// What multi-line text refuses: control characters other than tab, line feed and carriage
/// return (it keeps what people wrote exactly, invisible characters included).
const CONTROL_BUT_LINES: &str = r"\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f";

/// A regular expression (ECMA 262 and Python alike) for text that trims to 1..=`max`
/// characters without control characters; `blank_ok` also admits blank text (read as absent).
pub fn text_pattern(max: usize, multiline: bool, blank_ok: bool) -> String {
    assert!(max >= 2, "a text limit below 2 needs no middle part");
    let (inner, edge_refused) = if multiline {
        (CONTROL_BUT_LINES, CONTROL_ONLY)
    } else {
        (CONTROL, CONTROL)
    };
    let edge = format!("[^{edge_refused}{SPACE}]");
    let body = format!("{edge}(?:[^{inner}]{{0,{}}}{edge})?", max - 2);
    if blank_ok {
        format!("^[{SPACE}]*(?:{body}[{SPACE}]*)?$")
    } else {
        format!("^[{SPACE}]*{body}[{SPACE}]*$")
    }
}

fn string(nullable: bool) -> ObjectBuilder {
    let ty = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::new(Type::String)
    };
    ObjectBuilder::new().schema_type(ty)
}

fn text(max: usize, multiline: bool, required: bool, description: &str) -> Object {
    let lines = if multiline { "" } else { ", one line" };
    let blank = if required {
        ""
    } else {
        "; blank or null means absent"
    };
    string(!required)
        .pattern(Some(text_pattern(max, multiline, !required)))
        .description(Some(format!(
            "{description} (trimmed: 1 to {max} characters{lines}, no control characters{blank})"
        )))
        .build()
}

/// One function per text field, for `#[schema(schema_with = …)]`: `line` or `lines`
/// (multi-line), the limit, and whether blank is refused (`required`) or read as absent.
macro_rules! text_fields {
    ($($name:ident: $kind:ident($max:expr), $req:ident, $desc:literal;)*) => {
        $(pub fn $name() -> Object {
            text($max, text_fields!(@lines $kind), text_fields!(@required $req), $desc)
        })*
    };
    (@lines line) => { false };
    (@lines lines) => { true };
    (@required required) => { true };
    (@required optional) => { false };
}

text_fields! {
    name: line(limits::NAME), required, "A person's name";
    title: line(limits::NAME), required, "Their title";
    organization: line(limits::ORGANIZATION), optional, "Organization";
    name_optional: line(limits::NAME), optional, "The requester's name; a public records request may leave it out";
    description: lines(limits::DESCRIPTION), required, "What is wanted, in the requester's words";
    dataset_id: line(limits::DATASET_ID), optional, "The catalog identifier (access requests)";
    dataset_id_required: line(limits::DATASET_ID), required, "The catalog identifier";
    fields_needed: lines(limits::FIELD_TEXT), optional, "The fields or columns needed";
    intended_use: lines(limits::FIELD_TEXT), optional, "How the data will be used";
    intended_use_required: lines(limits::FIELD_TEXT), required, "How the data will be used";
    preferred_format: line(limits::FORMAT), optional, "Preferred format, e.g. CSV";
    decision: lines(limits::DECISION), optional, "The decision (grants; decisions on review); a complaint resolved: what was found and done; referred: what the complainant is told";
    reason: lines(limits::DECISION), optional, "Reasons for a denial, withdrawal or extension; why a complaint is dismissed";
    reroute_note: lines(limits::FIELD_TEXT), optional, "Why the complaint goes to that department (staff only)";
    referred_to: line(limits::AGENCY), optional, "A complaint referred: the agency that handles the matter";
    complaint_subject: line(limits::SUBJECT), required, "What the complaint is about, in a line";
    complaint_description: lines(limits::DESCRIPTION), required, "What happened, in the complainant's words";
    complaint_location: line(limits::LOCATION), optional, "Where it happened: an address, a place or a web page";
    complaint_department: line(limits::NAME), required, "The department the complaint is for, by its queue (GET /api/v1/departments)";
    withheld_item: line(crate::domain::exemptions::MAX_ITEM_CHARS), required, "The record or category of records withheld";
    withheld_reason: lines(limits::DECISION), required, "Why the exemption applies to it";
    justification: lines(limits::DECISION), optional, "Required for Gov. Code §7922.000: why, on the facts of this request, the public interest served by withholding clearly outweighs the public interest served by disclosure";
    other_citation: line(limits::CITATION), optional, "When the exemption is other: a California code, U.S.C. or C.F.R. section, e.g. Evid. Code §1040";
    responsible_name: line(limits::NAME), optional, "Their name (someone without a staff account)";
    responsible_title: line(limits::NAME), optional, "Their title or position";
    segregability: lines(limits::DECISION), optional, "A denial: why no reasonably segregable portion can be released (Gov. Code §7922.525)";
    search: lines(limits::DECISION), optional, "No records: how and where the search was made";
    on_behalf_note: lines(limits::DECISION), optional, "Staff withdrawing for the requester: how the requester asked";
    production_note: lines(limits::DECISION), required, "What was delivered or inspected, when, and to whom";
    reopen_reason: lines(limits::DECISION), required, "What was missing from the records produced";
    grounds: lines(limits::DECISION), optional, "Grounds for appeal (to appealed)";
    grounds_required: lines(limits::DECISION), required, "Why the denial should be reconsidered";
    message_body: lines(limits::MESSAGE), required, "The message";
    note_body: lines(limits::MESSAGE), required, "The note, for staff only";
    file_message: lines(limits::MESSAGE), optional, "A message to send with the file";
    postal_address: lines(limits::POSTAL_ADDRESS), optional, "The requester's postal address: without an email address, their letters are listed for staff to post";
    assist_records: lines(limits::FIELD_TEXT), required, "Records and information that may answer the request or its purpose";
    assist_location: lines(limits::FIELD_TEXT), optional, "How and where those records are kept: the system and the physical place";
    assist_suggestions: lines(limits::FIELD_TEXT), required, "How the requester could focus the request, or get past what stands in the way of answering it";
    assist_question: lines(limits::FIELD_TEXT), optional, "A question for the requester; the request then waits on their answer";
    revoke_reason: lines(limits::FIELD_TEXT), required, "Why the links are revoked (kept in the audit log; the requester is not shown it)";
    citation: line(limits::CITATION), required, "A legal citation, e.g. Gov. Code §7927.705";
    search_words: line(200), optional, "Words to look for in the catalog";
    queue_name: line(200), optional, "A queue name such as city_clerk";
    redaction_note: lines(crate::app::documents::NOTE_CHARS), optional, "What was redacted or withheld from the document";
    exemption: line(crate::app::documents::EXEMPTION_CHARS), optional, "The exemption the redaction rests on (required with a redaction note): a Government Code section such as 7923.600, or a California code, U.S.C. or C.F.R. citation such as Evid. Code §1040";
    link_title: line(limits::NAME), required, "What the linked records are";
    lost_key_reason: lines(limits::FIELD_TEXT), optional, "What happened to the lost key (staff see it)";
    discard_reason: line(limits::FIELD_TEXT), required, "Why the email is discarded (kept in the mail chain)";
    publication_summary: lines(limits::FIELD_TEXT), optional, "publish: what the public reads about the request; blank or null: its description. Refused when it holds the requester's email or phone, or any email-shaped or US-phone-shaped text";
    publication_reason: lines(limits::FIELD_TEXT), optional, "Required for keep_out and withdraw: why (kept in the audit log)";
    reading_room_words: line(crate::domain::search::MAX_QUERY_CHARS), optional, "Words to find in the summary, the description and the released documents' titles; quotes and operators are read as plain words";
    search_query: line(crate::domain::search::MAX_QUERY_CHARS), required, "A tracking number (RR-2026-00042), a requester's email, or words to find in the requester's name, the description and the messages; quotes and operators are read as plain words";
    bulk_note: lines(limits::MESSAGE), optional, "note: the internal note added to each request";
    staff_title: line(limits::NAME), optional, "Their title or position, printed beside their name when they are named responsible for a determination";
    department_choice: line(limits::NAME), optional, "A department of the directory, by name (case and punctuation ignored); blank or null: none";
    department_name: line(limits::NAME), required, "The department's name as residents know it; its queue is made from it (lower case, words joined by _) and cannot be changed";
    closure_name: line(limits::NAME), optional, "With closed: what requesters are told the offices are closed for, such as Winter closure";
    catalog_name: line(limits::NAME), required, "A publisher name as catalogs give it";
    link_token: line(200), required, "The token of the link in the invitation or reset email (after token=)";
    fee_description: line(limits::NAME), optional, "What the line is, as the requester reads it (required for direct_cost)";
    fee_reason: lines(limits::FIELD_TEXT), optional, "programming: what work the request needs and why (required for programming)";
    fee_note: lines(limits::FIELD_TEXT), optional, "What to tell the requester with the estimate";
    fee_reference: line(limits::NAME), optional, "The check number or the card payment's reference (required for a check or card payment)";
    fee_waiver_reason: lines(limits::FIELD_TEXT), required, "Why the fee is waived (the requester reads it)";
    fee_refund_reason: lines(limits::FIELD_TEXT), required, "Why the money is refunded (the requester reads it)";
}

/// A staff role.
pub fn role() -> Object {
    words(
        &["clerk", "steward", "reviewer", "admin"],
        "clerk, steward (decides access requests for their department's datasets), reviewer (decides appeals) or admin",
    )
}

/// What happens on a day of the calendar.
pub fn day_change() -> Object {
    words(
        &["closed", "open", "as_calculated"],
        "closed (needs name), open (a day the rules close is worked), or as_calculated (an earlier change taken back)",
    )
}

/// A calendar day, YYYY-MM-DD.
pub fn calendar_day() -> Object {
    string(false)
        .pattern(Some("^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
        .examples(["2026-12-28"])
        .description(Some(
            "A day of last year, this year or the next two, like 2026-12-28",
        ))
        .build()
}

/// An optional contact email (blank or null: none).
pub fn contact_email() -> RefOr<Schema> {
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(email())
        .item(string(false).pattern(Some(format!("^[{SPACE}]*$"))))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some("A contact email address; blank or null: none"))
        .into()
}

/// A host name as `directory::is_host_name` takes it: letters, digits and hyphens in labels
/// joined by dots, at least two labels.
pub fn host_name_pattern() -> String {
    format!("^[{SPACE}]*[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)+[{SPACE}]*$")
}

fn list_of(item: Object, description: &str) -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(item)
        .max_items(Some(100))
        .description(Some(description))
        .build()
}

/// Publisher names a department's datasets carry in catalogs.
pub fn publisher_names() -> utoipa::openapi::schema::Array {
    list_of(
        catalog_name(),
        "Publisher names its datasets carry in catalogs, each belonging to one department (case and spaces ignored); at most 100",
    )
}

/// Host names a department's datasets carry in catalogs.
pub fn host_names() -> utoipa::openapi::schema::Array {
    list_of(
        string(false)
            .pattern(Some(host_name_pattern()))
            .max_length(Some(253))
            .examples(["information.stpaul.gov"])
            .build(),
        "Host names of its datasets' addresses or of the portal that publishes them, each belonging to one department; at most 100",
    )
}

/// Staff emails.
pub fn staff_emails() -> utoipa::openapi::schema::Array {
    list_of(
        email(),
        "Who may sign its extensions, by staff email (active clerks, stewards and admins); empty: its clerks and the admins",
    )
}

/// A web address `domain::documents::parse_link` takes: a host without user information,
/// then anything without spaces or control characters.
pub fn link_url() -> Object {
    let text = "\\s\\x00-\\x1f\\x7f-\\x9f";
    string(false)
        .pattern(Some(format!(
            "^https?://[^/?#@{text}]+(?:[/?#][^{text}]*)?$"
        )))
        .max_length(Some(crate::domain::documents::MAX_LINK_CHARS))
        .description(Some(
            "An http or https address with a host and no user name or password, at most 2000 characters",
        ))
        .build()
}

/// An address `Email::parse` takes: at most 254 characters.
pub fn email() -> Object {
    string(false)
        .format(Some(utoipa::openapi::SchemaFormat::KnownFormat(
            utoipa::openapi::KnownFormat::Email,
        )))
        .max_length(Some(limits::EMAIL))
        .description(Some("An email address, like name@example.com"))
        .build()
}

/// An email address a public records request may leave out: blank or null means none, and
/// the private link is then the only way to follow the request.
pub fn email_optional() -> RefOr<Schema> {
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(email())
        .item(string(false).pattern(Some(format!("^[{SPACE}]*$"))))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some(
            "An email address, like name@example.com; a public records request may leave it out \
             (blank or null), and is then followed by its private link alone",
        ))
        .into()
}

/// `parse_phone`: digits and ` +-().xX`, at least 7 digits, at most 40 characters as sent.
/// Blank or null means no phone. Counting the length on what is sent spares the pattern
/// from counting two things at once.
pub fn phone() -> RefOr<Schema> {
    let digits = format!("^[{SPACE}]*(?:[ +\\-().xX]*[0-9]){{7}}[0-9 +\\-().xX]*[{SPACE}]*$");
    let blank = format!("^[{SPACE}]*$");
    let number = string(false)
        .pattern(Some(digits))
        .max_length(Some(limits::PHONE));
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(number)
        .item(string(false).pattern(Some(blank)))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some(
            "A telephone number, like (925) 671-3000: digits and + - ( ) . x, at least 7 digits, \
             at most 40 characters; blank or null means none",
        ))
        .into()
}

/// The state names, as `Status::parse` takes them.
pub fn status_names() -> Vec<&'static str> {
    Status::ALL.iter().map(|s| s.as_str()).collect()
}

/// A comma-separated list of states for the queue filter; blank means the open ones.
pub fn status_list() -> Object {
    let one = format!("[{SPACE}]*(?:{})[{SPACE}]*", status_names().join("|"));
    string(false)
        .pattern(Some(format!("^(?:[{SPACE}]*|{one}(?:,{one})*)$")))
        .description(Some(
            "Comma-separated states; blank: the open ones (submitted, under_review, appealed, \
             administrative_review; a complaint's received and investigating) and grants \
             awaiting production",
        ))
        .build()
}

/// A comma-separated list of states for search; blank means any.
pub fn status_filter() -> Object {
    let one = format!("[{SPACE}]*(?:{})[{SPACE}]*", status_names().join("|"));
    string(false)
        .pattern(Some(format!("^(?:[{SPACE}]*|{one}(?:,{one})*)$")))
        .description(Some("Comma-separated states; blank: any, open or closed"))
        .build()
}

/// A request's kind as a filter; blank means any.
pub fn kind_filter() -> Object {
    let kinds: Vec<&str> = crate::domain::RequestKind::ALL
        .iter()
        .map(|k| k.as_str())
        .collect();
    string(false)
        .pattern(Some(format!(
            "^[{SPACE}]*(?:(?:{})[{SPACE}]*)?$",
            kinds.join("|")
        )))
        .description(Some(
            "public_records, dataset_access, api_access or complaint; blank: any",
        ))
        .build()
}

/// A day of the city's calendar, as a filter; blank means none.
fn day_filter(description: &str) -> Object {
    string(false)
        .pattern(Some(format!(
            "^[{SPACE}]*(?:[0-9]{{4}}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[{SPACE}]*)?$"
        )))
        .description(Some(description))
        .build()
}

pub fn received_from() -> Object {
    day_filter("Received on or after this day (2026-03-20), the city's calendar; blank: any")
}

pub fn received_to() -> Object {
    day_filter(
        "Received on or before this day (2026-03-20), the city's calendar, not before received_from; blank: any",
    )
}

pub fn search_page() -> Object {
    query_number(crate::app::search::MAX_PAGES, "The page of results, from 1")
}

/// A tracking number, exactly.
pub fn tracking_number() -> Object {
    string(false)
        .pattern(Some(TRACKING_NUMBER))
        .examples(["RR-2026-00042"])
        .description(Some("A tracking number, like RR-2026-00042"))
        .build()
}

/// What a bulk action does.
pub fn bulk_action() -> Object {
    words(
        &["assign", "close_as_duplicate", "note"],
        "assign (needs assignee), close_as_duplicate (needs duplicate_of, one of the requests selected) or note (needs note)",
    )
}

pub fn bulk_outcome() -> Object {
    words(
        &["done", "refused", "original"],
        "done, refused (see error), or original: the request the others repeat, left as it was",
    )
}

/// A yes/no filter as a query string carries it; blank means no.
pub fn query_flag() -> Object {
    string(false)
        .pattern(Some(format!(
            "^[{SPACE}]*(?:(?:true|false|1|0)[{SPACE}]*)?$"
        )))
        .description(Some(
            "true or 1 for overdue requests only; false, 0 or blank: all",
        ))
        .build()
}

/// A positive whole number in a query string (`parse_count`); absent means the default.
fn query_number(max: i64, description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1))
        .maximum(Some(max))
        .description(Some(description))
        .build()
}

/// What staff do to a request's place in the reading room.
pub fn publication_action() -> Object {
    words(
        &["publish", "keep_out", "withdraw"],
        "publish (summary optional), keep_out (needs reason) or withdraw a published request (needs reason)",
    )
}

/// A published item's outcome, as a filter.
pub fn published_outcome() -> Object {
    string(false)
        .pattern(Some(format!(
            "^[{SPACE}]*(?:(?:granted|granted_in_part)[{SPACE}]*)?$"
        )))
        .description(Some("granted (in full) or granted_in_part; blank: either"))
        .build()
}

/// A year, or blank for any (the reading room page's "any year" choice sends it blank).
pub fn published_year() -> RefOr<Schema> {
    let year = ObjectBuilder::new()
        .schema_type(Type::Integer)
        .minimum(Some(1900))
        .maximum(Some(9999));
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(year)
        .item(string(false).pattern(Some(format!("^[{SPACE}]*$"))))
        .description(Some("The year an item was published; blank: any"))
        .into()
}

pub fn reading_room_page() -> Object {
    query_number(
        crate::app::reading_room::MAX_PAGE,
        "The page, from 1 (20 items a page)",
    )
}

pub fn page_number() -> Object {
    query_number(
        crate::catalog::view::MAX_PAGE,
        "The page, from 1 (20 datasets a page)",
    )
}

pub fn page_size() -> Object {
    query_number(
        crate::app::queue::MAX_PAGE,
        "Requests per page (default 50)",
    )
}

/// The catalog's access levels; blank means any.
pub fn access_level_filter() -> Object {
    string(false)
        .pattern(Some(format!(
            "^[{SPACE}]*(?:(?:public|restricted public|non-public)[{SPACE}]*)?$"
        )))
        .description(Some("public, restricted public or non-public; blank: any"))
        .build()
}

/// `me`, `none`, a staff member's email, or blank for anyone.
pub fn assignee_filter() -> RefOr<Schema> {
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(string(false).pattern(Some(format!("^[{SPACE}]*(?:(?:me|none)[{SPACE}]*)?$"))))
        .item(email())
        .description(Some(
            "me, none (unassigned), the email of a staff member, or blank for anyone",
        ))
        .into()
}

/// Opaque: only a `next_cursor` this service gave out is accepted.
pub fn cursor() -> Object {
    string(false)
        .description(Some("The next_cursor of the previous page"))
        .build()
}

/// The legal basis as a separate list: no longer read (each withheld item names its
/// exemption); only an empty list or null is taken.
pub fn citations() -> RefOr<Schema> {
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(citation())
        .max_items(Some(0))
        .description(Some(
            "No longer read: give each withheld item's exemption in withheld instead",
        ))
        .into()
}

/// An optional staff email (blank or null: none).
pub fn optional_email() -> RefOr<Schema> {
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(email())
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some("A staff account's email"))
        .into()
}

/// A catalogue section from the city's exemptions (`Ctx::exemptions`), or `other`.
pub fn exemption_choice() -> Object {
    string(false)
        .pattern(Some(format!(
            "^[{SPACE}]*(?:[0-9]+(?:\\.[0-9]+)?(?:\\([0-9A-Za-z]+\\))*|[Oo][Tt][Hh][Ee][Rr])[{SPACE}]*$"
        )))
        .description(Some(
            "The exemption: a section from the city's list (e.g. 7927.705), or other (then give the citation)",
        ))
        .build()
}

/// A local date and time, as `act::parse_local_datetime` reads it.
const LOCAL_DATETIME: &str =
    "[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[T ](?:[01][0-9]|2[0-3]):[0-5][0-9](?::[0-5][0-9])?";

fn local_datetime(required: bool, description: &str) -> Object {
    let pattern = if required {
        format!("^[{SPACE}]*{LOCAL_DATETIME}[{SPACE}]*$")
    } else {
        format!("^[{SPACE}]*(?:{LOCAL_DATETIME}[{SPACE}]*)?$")
    };
    string(!required)
        .pattern(Some(pattern))
        .description(Some(description))
        .build()
}

/// When a grant's records will be available, in the city's local time.
pub fn records_due_at() -> Object {
    local_datetime(
        false,
        "A grant: the estimated date and time the records will be available, in the city's local time (2026-03-20T16:00), not past and within a year",
    )
}

pub fn records_due_at_required() -> Object {
    local_datetime(
        true,
        "When the rest of the records will be available, in the city's local time (2026-03-20T16:00), not past and within a year",
    )
}

/// When the office received a request staff record.
pub fn received_at() -> Object {
    local_datetime(
        true,
        "When the office received the request, in the city's local time (2026-03-20T10:30): not in the future, and at most intake.max_days_back days ago (30 by default); the due date counts from this day",
    )
}

/// How a request staff record reached the office.
pub fn channel() -> Object {
    words(
        &["email", "mail", "phone", "fax", "in_person"],
        "How the request reached the office",
    )
}

/// How records reached the requester outside the service.
pub fn production_how() -> Object {
    words(
        &["paper", "inspection"],
        "paper (delivered on paper or other media) or inspection (inspected in person)",
    )
}

/// `POST /api/v1/requests`: a public records request, or an access request naming a dataset.
fn submission_variant(kinds: &[&str], access: bool) -> Object {
    let kind = ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(kinds.iter().copied()));
    let (dataset, intended): (Object, Object) = if access {
        (dataset_id_required(), intended_use_required())
    } else {
        (dataset_id(), intended_use())
    };
    let mut builder = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("kind", kind)
        .property("requester", requester(access))
        .property("description", description())
        .property("dataset_id", dataset)
        .property("fields_needed", fields_needed())
        .property("intended_use", intended)
        .property("preferred_format", preferred_format())
        .property("language", language())
        .required("kind")
        .required("description");
    if access {
        builder = builder
            .required("requester")
            .required("dataset_id")
            .required("intended_use");
    }
    builder.build()
}

/// Who is asking: access requests name someone; a public records request may be anonymous
/// (docs/PRODUCT.md, "Anonymous requests").
fn requester(access: bool) -> RefOr<Schema> {
    let builder = ObjectBuilder::new()
        .schema_type(Type::Object)
        .property("phone", phone())
        .property("organization", organization());
    if access {
        builder
            .property("name", name())
            .property("email", email())
            .required("name")
            .required("email")
            .description(Some("Who is asking; the email receives every notice"))
            .into()
    } else {
        let who = builder
            .property("name", name_optional())
            .property("email", email_optional())
            .description(Some(
                "Who is asking, all optional: without an email, notices are shown on the \
                 tracking page only",
            ));
        utoipa::openapi::schema::AnyOfBuilder::new()
            .item(who)
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .into()
    }
}

/// A complaint's day, `YYYY-MM-DD` as `complaints::occurred_on` reads it; blank or null: none.
pub fn occurred_on() -> Object {
    string(true)
        .pattern(Some(format!(
            "^[{SPACE}]*(?:[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}[{SPACE}]*)?$"
        )))
        .description(Some(
            "When it happened or was noticed, like 2026-03-04: not in the future, within the last 10 years; blank or null: not given",
        ))
        .build()
}

impl utoipa::PartialSchema for crate::app::complaints::RawComplaint {
    fn schema() -> RefOr<Schema> {
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .property("subject", complaint_subject())
            .property("description", complaint_description())
            .property("location", complaint_location())
            .property("occurred_on", occurred_on())
            .property("department", complaint_department())
            .property("complainant", requester(false))
            .property("language", language())
            .required("subject")
            .required("description")
            .required("department")
            .description(Some(
                "A records or compliance complaint to a department; who complains is optional: \
                 an anonymous complaint is followed by its private link",
            ))
            .into()
    }
}

impl utoipa::ToSchema for crate::app::complaints::RawComplaint {}

impl utoipa::PartialSchema for RawSubmission {
    fn schema() -> RefOr<Schema> {
        utoipa::openapi::schema::OneOfBuilder::new()
            .item(submission_variant(&["public_records"], false))
            .item(submission_variant(&["dataset_access", "api_access"], true))
            .description(Some(
                "A request: public_records, or dataset_access / api_access, which name a dataset \
                 of the catalog and say how the data will be used",
            ))
            .into()
    }
}

impl utoipa::ToSchema for RawSubmission {}

fn words(values: &[&'static str], description: &str) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .description(Some(description))
        .build()
}

/// The language of the letters to the requester.
pub fn language() -> Object {
    words_or_null(
        &["en", "es"],
        "The language of the letters to the requester: en (English) or es (Spanish); not given \
         or null: the call's Accept-Language, else English",
    )
}

/// A determination's stage, as stored.
pub fn stage() -> Object {
    words(
        &["initial", "review"],
        "initial, or review for an appeal's decision",
    )
}

/// One of the words, or null: null is listed with them, as JSON Schema's `enum` wants.
fn words_or_null(values: &[&'static str], description: &str) -> Object {
    let words = values.iter().map(|&w| serde_json::Value::from(w));
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(words.chain([serde_json::Value::Null])))
        .description(Some(description))
        .build()
}

/// The records a fee line's copy is of.
pub fn fee_form() -> Object {
    words_or_null(
        &["paper", "electronic"],
        "paper or electronic (required for direct_cost; programming is electronic only)",
    )
}

/// Why Gov. Code §7922.575(b) applies to a programming line.
pub fn fee_basis() -> Object {
    words_or_null(
        &["compilation", "outside_schedule"],
        "programming: compilation (the request needs data compiled or extracted, or a program written) or outside_schedule (the record is otherwise produced only at regular intervals); required for programming",
    )
}

/// The requester's answer to a fee estimate.
pub fn fee_answer() -> Object {
    words(&["accept", "decline"], "accept or decline")
}

/// How a payment was made.
pub fn fee_method() -> Object {
    words(&["cash", "check", "card"], "cash, check or card")
}

/// How a refund was made.
pub fn fee_method_optional() -> Object {
    words_or_null(&["cash", "check", "card"], "cash, check or card")
}

/// What a review decided about the determination appealed.
pub fn review_outcome() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(
            ["upheld", "overturned", "revised"]
                .map(serde_json::Value::from)
                .into_iter()
                .chain([serde_json::Value::Null]),
        ))
        .description(Some(
            "A review decision: upheld, overturned or revised; null otherwise",
        ))
        .build()
}

/// Who wrote a message.
pub fn message_author() -> Object {
    words(&["requester", "staff"], "Who wrote it")
}

/// The ids of documents to release: 1 to 1000 positive whole numbers.
pub fn document_ids() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(9_007_199_254_740_991i64)),
        )
        .min_items(Some(1))
        .max_items(Some(1000))
        .description(Some(
            "The ids of the documents to release (from the request's `documents`)",
        ))
        .build()
}

/// Those of a release's documents the public may see too: none, some or all of them.
pub fn public_document_ids() -> utoipa::openapi::schema::Array {
    ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(9_007_199_254_740_991i64)),
        )
        .max_items(Some(1000))
        .description(Some(
            "The ids of those of `documents` released to the public too (the reading room); \
             the others go to the requester only",
        ))
        .build()
}

/// What a response document is.
pub fn document_kind() -> Object {
    words(
        &["file", "link"],
        "file (downloaded from download_url) or link (records kept elsewhere)",
    )
}

/// Where an API key stands (`api_keys::status`).
pub fn key_state() -> Object {
    words(
        &["offered", "active", "revoked", "expired"],
        "offered (waiting to be claimed), active, revoked or expired",
    )
}

/// Where the replacement of a lost key stands; null when none is under way.
pub fn key_replacement() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some([
            serde_json::Value::from("asked"),
            serde_json::Value::from("ready"),
            serde_json::Value::Null,
        ]))
        .description(Some(
            "asked (the requester lost the key; staff have not yet given a new one), ready (a new key waits to be claimed; the lost one works until then), or null",
        ))
        .build()
}

/// `/healthz`: up, or up without its database.
pub fn health_status() -> Object {
    words(
        &["ok", "degraded"],
        "ok, or degraded when the database does not answer",
    )
}

pub fn database_health() -> Object {
    words(&["ok", "unreachable"], "Whether the database answers")
}

/// `fields` of a 422: each bad field with its messages.
pub fn field_errors() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Object)
        .additional_properties(Some(
            ArrayBuilder::new().items(ObjectBuilder::new().schema_type(Type::String)),
        ))
        .description(Some("For 422: each bad field with its messages"))
        .build()
}

/// A tracking number as `TrackingNumber::parse` takes it, e.g. RR-2026-00042.
pub const TRACKING_NUMBER: &str = "^RR-[0-9]{4}-[0-9]{5,12}$";

/// `duplicate_of` of a move: the tracking number of the request repeated, exactly as written
/// (blank or null is absent).
pub fn duplicate_of() -> Object {
    optional_tracking_number(
        "Closing as a duplicate: the tracking number of the request this one repeats",
    )
}

/// `follows` of an intake: the earlier request a clarification turned into this one.
pub fn follows() -> Object {
    optional_tracking_number(
        "A clarification made an earlier request, in substance, a new one: the earlier request's tracking number",
    )
}

/// The request an unmatched email is attached to.
pub fn mail_tracking_number() -> Object {
    string(false)
        .pattern(Some(TRACKING_NUMBER))
        .examples(["RR-2026-00042"])
        .description(Some(
            "The request the email belongs to: it becomes its requester's message there",
        ))
        .build()
}

fn optional_tracking_number(description: &str) -> Object {
    string(true)
        .pattern(Some(format!(
            "^(?:RR-[0-9]{{4}}-[0-9]{{5,12}}|[{SPACE}]*)$"
        )))
        .examples(["RR-2026-00042"])
        .description(Some(description))
        .build()
}

#[cfg(test)]
mod tests;
