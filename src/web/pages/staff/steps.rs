//! `/staff/requests/{tracking_number}/steps/{step}`: each decision and each step after it has
//! a page of its own (docs/PRODUCT.md, "Staff pages"), linked from the case page's task list.
//! GET shows the form; POST runs the step through the same parsers as the JSON API and goes
//! back to the case, or shows the form again with what went wrong beside each field.

use crate::app::manage::{Assist, RawAssistance};
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::fees::FeeStep;
use super::{csrf_check, signed_in, signed_in_on, tracking};
use crate::app::act::{RawResponsible, RawTransition, RawWithdrawal, Transition};
use crate::app::complaints::{RawReroute, Reroute};
use crate::app::manage::{Extension, RawExtension};
use crate::app::production::{RawProduction, RawReopening, RecordProduction, Reopening};
use crate::app::view::{Case, Determination};
use crate::app::{AppError, Caller, StaffAccount};
use crate::domain::deadlines::{Circumstance, MAX_EXTENSION_DAYS};
use crate::domain::directory::Department;
use crate::domain::exemptions::{ExemptionCatalogue, RawWithheld, OTHER};
use crate::domain::{FieldErrors, RequestKind, Status};
use crate::web::pages::confirm;
use crate::web::pages::forms::{summary, Choice, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::{page_error, Problem, Shown};
use crate::web::pages::{
    local_time, render, see_other, session, status_words, Layout, PageError, PageResult,
};
use crate::web::AppState;

/// The steps with a page of their own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepPage {
    Accept,
    Grant,
    Deny,
    NoRecords,
    TakeUp,
    Withdraw,
    Extend,
    Production,
    Reopen,
    Assist,
    Duplicate,
    /// A complaint's steps (docs/PRODUCT.md, "Complaints").
    Investigate,
    Resolve,
    Refer,
    Dismiss,
    Reroute,
}

impl StepPage {
    const ALL: [StepPage; 16] = [
        StepPage::Accept,
        StepPage::Investigate,
        StepPage::Resolve,
        StepPage::Refer,
        StepPage::Dismiss,
        StepPage::Reroute,
        StepPage::Assist,
        StepPage::TakeUp,
        StepPage::Grant,
        StepPage::Deny,
        StepPage::NoRecords,
        StepPage::Extend,
        StepPage::Production,
        StepPage::Reopen,
        StepPage::Duplicate,
        StepPage::Withdraw,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            StepPage::Accept => "accept",
            StepPage::Grant => "grant",
            StepPage::Deny => "deny",
            StepPage::NoRecords => "no-records",
            StepPage::TakeUp => "take-up",
            StepPage::Withdraw => "withdraw",
            StepPage::Extend => "extend",
            StepPage::Production => "production",
            StepPage::Reopen => "reopen",
            StepPage::Assist => "assist",
            StepPage::Duplicate => "duplicate",
            StepPage::Investigate => "investigate",
            StepPage::Resolve => "resolve",
            StepPage::Refer => "refer",
            StepPage::Dismiss => "dismiss",
            StepPage::Reroute => "department",
        }
    }

    fn parse(slug: &str) -> Option<StepPage> {
        StepPage::ALL.into_iter().find(|s| s.slug() == slug)
    }

    /// The state the step moves the request to, for the steps that are transitions.
    fn target(self) -> Option<Status> {
        match self {
            StepPage::Accept => Some(Status::UnderReview),
            StepPage::Grant => Some(Status::Granted),
            StepPage::Deny => Some(Status::Denied),
            StepPage::NoRecords => Some(Status::NoRecords),
            StepPage::TakeUp => Some(Status::AdministrativeReview),
            StepPage::Withdraw => Some(Status::Withdrawn),
            StepPage::Duplicate => Some(Status::Duplicate),
            StepPage::Investigate => Some(Status::Investigating),
            StepPage::Resolve => Some(Status::Resolved),
            StepPage::Refer => Some(Status::Referred),
            StepPage::Dismiss => Some(Status::Dismissed),
            StepPage::Extend
            | StepPage::Production
            | StepPage::Reopen
            | StepPage::Assist
            | StepPage::Reroute => None,
        }
    }

    /// Whether this staff member may take the step on the request now.
    fn open_to(self, case: &Case) -> bool {
        match self.target() {
            Some(to) => case.allows(to),
            None => match self {
                StepPage::Extend => {
                    case.status.awaits_determination()
                        && case.extension.is_none()
                        && case.signs_extensions
                }
                StepPage::Production => case.may_manage && case.in_production(),
                StepPage::Assist => case.may_manage && case.status.awaits_determination(),
                StepPage::Reopen => {
                    case.may_manage && case.status == Status::Granted && case.produced_at.is_some()
                }
                // Whoever may work an open complaint may send it to another department.
                StepPage::Reroute => {
                    case.kind == RequestKind::Complaint
                        && case.status.is_open()
                        && (case.may_manage || !case.allowed_transitions.is_empty())
                }
                _ => false,
            },
        }
    }

    /// The steps this staff member may take now, in the order the task list shows them.
    pub fn available(case: &Case) -> Vec<StepPage> {
        StepPage::ALL
            .into_iter()
            .filter(|s| s.open_to(case))
            .collect()
    }

    /// What the task list and the page call the step.
    pub fn title(self, case: &Case) -> &'static str {
        let on_review = case.status == Status::AdministrativeReview;
        match self {
            StepPage::Accept => "Accept the request for review",
            StepPage::Grant if on_review => "Decide the appeal: grant",
            StepPage::Grant => "Grant the request",
            StepPage::Deny if on_review => "Decide the appeal: deny",
            StepPage::Deny => "Deny the request",
            StepPage::NoRecords if on_review => "Decide the appeal: no records",
            StepPage::NoRecords => "Answer that the City holds no records",
            StepPage::TakeUp => "Take up the appeal",
            StepPage::Withdraw if case.kind == RequestKind::Complaint => {
                "Withdraw the complaint for the complainant"
            }
            StepPage::Withdraw => "Withdraw the request for the requester",
            StepPage::Extend => "Extend the deadline",
            StepPage::Production => "Record that the records were delivered or inspected",
            StepPage::Reopen => "Reopen production: the records were incomplete",
            StepPage::Assist => "Help the requester find records, or ask them to clarify",
            StepPage::Duplicate => "Close as a duplicate of another request",
            StepPage::Investigate => "Start looking into the complaint",
            StepPage::Resolve => "Close the complaint as resolved",
            StepPage::Refer => "Refer the complaint to another agency",
            StepPage::Dismiss => "Dismiss the complaint",
            StepPage::Reroute => "Send the complaint to another department",
        }
    }

    /// One line under the task list's link.
    pub fn hint(self) -> &'static str {
        match self {
            StepPage::Accept => "Starts your work on it; the requester is told.",
            StepPage::Grant => "In full, or in part with each withheld item and who is responsible.",
            StepPage::Deny => "Each withheld item, its exemption, who is responsible, and why no part can be released.",
            StepPage::NoRecords => "Say how and where you searched; the requester is offered help.",
            StepPage::TakeUp => "You become the reviewer; you must not have made or be named in the decision.",
            StepPage::Withdraw => "When the requester asked you by phone, email or in person.",
            StepPage::Extend => "Once, up to 14 days, for one of the five statutory circumstances.",
            StepPage::Production => "On paper or by inspection. Releasing documents here records it by itself.",
            StepPage::Reopen => "Back to production with a new date for the rest.",
            StepPage::Assist => "Suggest records, say where they are kept and how to focus the request (Gov. Code §7922.600). The clock keeps running.",
            StepPage::Duplicate => "When the same requester asked for the same records in an earlier request: they are answered there.",
            StepPage::Investigate => "Takes it on; the complainant is told the department is looking into it.",
            StepPage::Resolve => "Say what you found and what was done; the complainant is sent it.",
            StepPage::Refer => "When another agency (the county, the state, a utility) handles the matter: name it.",
            StepPage::Dismiss => "When there is nothing the City can act on; the complainant is sent your reason.",
            StepPage::Reroute => "When it belongs to another department: it waits there for whoever takes it, and their staff are told.",
        }
    }

    fn button(self) -> &'static str {
        match self {
            StepPage::Accept => "Accept for review",
            // The steps that cannot be undone continue to a page that shows them back.
            StepPage::Grant
            | StepPage::Deny
            | StepPage::NoRecords
            | StepPage::Withdraw
            | StepPage::Duplicate
            | StepPage::Extend => "Continue",
            StepPage::TakeUp => "Take up the appeal",
            StepPage::Production => "Record production",
            StepPage::Reopen => "Reopen production",
            StepPage::Assist => "Send to the requester",
            StepPage::Investigate => "Start looking into it",
            StepPage::Resolve | StepPage::Refer | StepPage::Dismiss => "Continue",
            StepPage::Reroute => "Send to the department",
        }
    }

    /// What happens on confirming a step that cannot be undone; `None` for the others.
    fn cannot_be_undone(self, case: &Case) -> Option<String> {
        let on_review = case.status == Status::AdministrativeReview;
        let decision = if on_review {
            "This review decision is final: the requester cannot appeal it again, and it cannot be changed once sent."
        } else {
            "A decision cannot be changed once it is sent; the requester may ask for it to be reviewed."
        };
        match self {
            StepPage::Grant | StepPage::Deny | StepPage::NoRecords => Some(format!(
                "The requester is emailed this decision as soon as you send it. {decision}"
            )),
            StepPage::Withdraw => Some(
                "The request is closed for good and the requester is emailed. It cannot be reopened."
                    .into(),
            ),
            StepPage::Duplicate => Some(
                "The request is closed for good and the requester is emailed where to follow the earlier request. It cannot be reopened."
                    .into(),
            ),
            StepPage::Resolve | StepPage::Refer | StepPage::Dismiss => Some(
                "The complaint is closed for good and the complainant is emailed what you wrote. It cannot be reopened; they may file a new complaint."
                    .into(),
            ),
            StepPage::Extend => Some(
                "A request can be extended only once. The requester is emailed the new date and the reason as soon as you send it."
                    .into(),
            ),
            StepPage::Accept
            | StepPage::TakeUp
            | StepPage::Production
            | StepPage::Reopen
            | StepPage::Assist
            | StepPage::Investigate
            | StepPage::Reroute => None,
        }
    }

    /// The step's name in "Check … before you send it".
    fn what(self, case: &Case) -> &'static str {
        let on_review = case.status == Status::AdministrativeReview;
        match self {
            StepPage::Grant if on_review => "the review decision to release the records",
            StepPage::Deny if on_review => "the review decision to uphold the denial",
            StepPage::NoRecords if on_review => "the review decision that there are no records",
            StepPage::Grant => "the decision to release the records",
            StepPage::Deny => "the denial",
            StepPage::NoRecords => "the no-records answer",
            StepPage::Withdraw => "the withdrawal",
            StepPage::Duplicate => "closing it as a duplicate",
            StepPage::Extend => "the extension",
            StepPage::Resolve => "how the complaint was resolved",
            StepPage::Refer => "the referral",
            StepPage::Dismiss => "the dismissal",
            _ => "this step",
        }
    }

    fn confirm_label(self) -> &'static str {
        match self {
            StepPage::Grant | StepPage::Deny | StepPage::NoRecords => "Send the decision",
            StepPage::Withdraw => "Withdraw the request",
            StepPage::Duplicate => "Close as a duplicate",
            StepPage::Extend => "Extend the deadline",
            StepPage::Resolve => "Close as resolved",
            StepPage::Refer => "Refer the complaint",
            StepPage::Dismiss => "Dismiss the complaint",
            _ => "Confirm",
        }
    }

    fn done(self) -> &'static str {
        match self {
            StepPage::Accept => "The request is accepted for review. The requester has been told.",
            StepPage::Grant => "The request is granted. The requester has been sent the decision.",
            StepPage::Deny => {
                "The request is denied. The requester has been sent the decision and their options."
            }
            StepPage::NoRecords => "The no-records answer has been sent to the requester.",
            StepPage::TakeUp => "You have taken up the appeal. The requester has been told.",
            StepPage::Withdraw => "The request is withdrawn. The requester has been told.",
            StepPage::Extend => "The deadline is extended. The requester has been told why.",
            StepPage::Production => "Production is recorded and the requester has been told.",
            StepPage::Reopen => {
                "Production is reopened and the requester has been told the new date."
            }
            StepPage::Assist => "Your help was sent to the requester.",
            StepPage::Duplicate => {
                "The request is closed as a duplicate. The requester has been told where to follow the earlier request."
            }
            StepPage::Investigate => {
                "You are looking into the complaint. The complainant has been told."
            }
            StepPage::Resolve => "The complaint is resolved. The complainant has been told.",
            StepPage::Refer => "The complaint is referred. The complainant has been told where.",
            StepPage::Dismiss => {
                "The complaint is dismissed. The complainant has been sent your reason."
            }
            StepPage::Reroute => {
                "The complaint was sent to the other department. Their staff have been told."
            }
        }
    }
}

/// A repeated group of fields (one withheld item, one person responsible).
pub struct Row {
    pub legend: String,
    pub fields: Vec<Field>,
}

#[derive(Template)]
#[template(path = "pages/step.html")]
struct StepForm {
    layout: Layout,
    case: Case,
    slug: &'static str,
    title: &'static str,
    button: &'static str,
    danger: bool,
    status_words: String,
    /// What the step does, in a sentence or two.
    intro: Vec<String>,
    fields: Vec<Field>,
    /// A grant in part or a denial: the items withheld, and the persons responsible.
    withholding: bool,
    withheld_rows: Vec<Row>,
    people_rows: Vec<Row>,
    after: Vec<Field>,
    errors: Errors,
    summary: Vec<SummaryItem>,
    problem: String,
}

/// A form field's value: what was typed, else what the page starts with.
struct Draft<'a> {
    typed: Option<&'a FormData>,
    start: std::collections::HashMap<String, String>,
}

impl Draft<'_> {
    fn get(&self, name: &str) -> String {
        match self.typed {
            Some(data) => data.get(name),
            None => self.start.get(name).cloned().unwrap_or_default(),
        }
    }

    /// How many rows a repeated group shows: as many as were sent (or started with), at
    /// least one, one more when the staff member asked for another.
    fn rows(&self, group: &str, prefix: &str) -> usize {
        let counted: usize = self.get(&format!("{group}_rows")).parse().unwrap_or(1);
        let highest = match self.typed {
            Some(data) => data.0.keys().filter_map(|k| row_index(k, prefix)).max(),
            None => self.start.keys().filter_map(|k| row_index(k, prefix)).max(),
        };
        let shown = counted.max(highest.map_or(1, |i| i + 1)).clamp(1, MAX_ROWS);
        let more = self.typed.is_some_and(|data| data.get("more") == group);
        (shown + usize::from(more)).min(MAX_ROWS)
    }
}

/// More rows than anyone needs on one determination; the list can be split into categories.
const MAX_ROWS: usize = 40;

/// `withheld[3].item` → 3 for the prefix `withheld`.
fn row_index(key: &str, prefix: &str) -> Option<usize> {
    let rest = key.strip_prefix(prefix)?.strip_prefix('[')?;
    rest.split(']').next()?.parse().ok()
}

fn exemption_choices(exemptions: &ExemptionCatalogue) -> Vec<Choice> {
    let mut choices = vec![Choice::new("", "Choose an exemption")];
    for entry in exemptions.entries() {
        choices.push(Choice::new(
            &entry.section,
            &format!("{}: {}", entry.citation(), entry.title),
        ));
    }
    choices.push(Choice::new(OTHER, "Other (type the code section below)"));
    choices
}

fn staff_choices(directory: &[StaffAccount]) -> Vec<Choice> {
    let mut choices = vec![Choice::new(
        "",
        "Someone without a staff account (type below)",
    )];
    for s in directory {
        let label = match &s.title {
            Some(title) => format!("{}, {}", s.name, title),
            None => format!("{} (no title on file: type it below)", s.name),
        };
        choices.push(Choice::new(&s.email, &label));
    }
    choices
}

fn withheld_rows(draft: &Draft, exemptions: &ExemptionCatalogue) -> Vec<Row> {
    let choices = exemption_choices(exemptions);
    (0..draft.rows("withheld", "withheld"))
        .map(|i| {
            let name = |part: &str| format!("withheld[{i}].{part}");
            let id = |part: &str| format!("withheld-{i}-{part}");
            Row {
                legend: format!("Withheld item {}", i + 1),
                fields: vec![
                    Field::text(&name("item"), &id("item"), &name("item"), "The record or category withheld")
                        .hint("For example: Investigation file 2026-114, or: Officers' home addresses.")
                        .value(&draft.get(&name("item"))),
                    Field::select(&name("exemption"), &id("exemption"), &name("exemption"), "Exemption", choices.clone())
                        .value(&draft.get(&name("exemption"))),
                    Field::text(&name("citation"), &id("citation"), &name("citation"), "If other: the code section")
                        .hint("A California code, U.S.C. or C.F.R. section, like Evid. Code §1040 or 5 U.S.C. §552(b)(6).")
                        .value(&draft.get(&name("citation"))),
                    Field::area(&name("reason"), &id("reason"), &name("reason"), "Why the exemption applies")
                        .value(&draft.get(&name("reason"))),
                    Field::area(&name("justification"), &id("justification"), &name("justification"), "If Gov. Code §7922.000: why withholding clearly outweighs disclosure")
                        .hint("Required for §7922.000: on the facts of this request, why the public interest served by withholding clearly outweighs the public interest served by disclosure.")
                        .value(&draft.get(&name("justification"))),
                ],
            }
        })
        .collect()
}

fn people_rows(draft: &Draft, directory: &[StaffAccount]) -> Vec<Row> {
    let choices = staff_choices(directory);
    (0..draft.rows("responsible", "responsible"))
        .map(|i| {
            let name = |part: &str| format!("responsible[{i}].{part}");
            let id = |part: &str| format!("responsible-{i}-{part}");
            Row {
                legend: format!("Person responsible {}", i + 1),
                fields: vec![
                    Field::select(
                        &name("staff"),
                        &id("staff"),
                        &name("staff"),
                        "Staff member",
                        choices.clone(),
                    )
                    .value(&draft.get(&name("staff"))),
                    // Errors about the typed name and title come back keyed by the row.
                    Field::text(
                        &format!("responsible[{i}]"),
                        &id("name"),
                        &name("name"),
                        "Or their name",
                    )
                    .hint("Only for someone without a staff account, such as outside counsel.")
                    .value(&draft.get(&name("name"))),
                    Field::text(
                        &name("title"),
                        &id("title"),
                        &name("title"),
                        "Title or position",
                    )
                    .hint("Leave blank to use the title on a staff member's account.")
                    .value(&draft.get(&name("title"))),
                ],
            }
        })
        .collect()
}

fn date_time_fields(draft: &Draft, label: &str) -> Vec<Field> {
    vec![
        Field::text(
            "records_due_at",
            "records_due_date",
            "records_due_date",
            label,
        )
        .kind("date")
        .hint("The date, in the City's local time; not in the past, and within a year.")
        .value(&draft.get("records_due_date")),
        Field::text(
            "records_due_time",
            "records_due_time",
            "records_due_time",
            "Time",
        )
        .kind("time")
        .hint("For example 4:00 PM.")
        .value(&draft.get("records_due_time")),
    ]
}

/// What a review page starts with: the decision appealed, which an upheld decision repeats.
fn appealed(case: &Case) -> Option<&Determination> {
    case.determinations.iter().rev().find(|d| !d.on_review())
}

fn start_values(
    step: StepPage,
    case: &Case,
    account: &StaffAccount,
    directory: &[StaffAccount],
) -> std::collections::HashMap<String, String> {
    let mut start = std::collections::HashMap::new();
    let mut set = |k: String, v: String| {
        start.insert(k, v);
    };
    if matches!(step, StepPage::Grant | StepPage::Deny) {
        set("responsible[0].staff".into(), account.email.clone());
    }
    if step == StepPage::Grant {
        set("partial".into(), "no".into());
        set("records_due_time".into(), "16:00".into());
    }
    if case.status != Status::AdministrativeReview {
        return start;
    }
    let Some(d) = appealed(case) else {
        return start;
    };
    if d.partial {
        set("partial".into(), "yes".into());
    }
    if let Some(reason) = &d.reason {
        set("reason".into(), reason.clone());
    }
    if let Some(text) = &d.segregability {
        set("segregability".into(), text.clone());
    }
    if let Some(text) = &d.search {
        set("search".into(), text.clone());
    }
    for (i, w) in d.withheld_items.iter().enumerate() {
        set(format!("withheld[{i}].item"), w.item.clone());
        set(
            format!("withheld[{i}].exemption"),
            w.ground.key().to_string(),
        );
        if w.ground.section.is_none() {
            set(format!("withheld[{i}].citation"), w.ground.citation.clone());
        }
        set(format!("withheld[{i}].reason"), w.reason.clone());
        if let Some(j) = &w.justification {
            set(format!("withheld[{i}].justification"), j.clone());
        }
    }
    for (i, r) in d.responsible.iter().enumerate() {
        let on_file = r
            .staff_id
            .and_then(|id| directory.iter().find(|s| s.id == id));
        match on_file {
            Some(s) => set(format!("responsible[{i}].staff"), s.email.clone()),
            None => {
                set(format!("responsible[{i}].staff"), String::new());
                set(format!("responsible[{i}].name"), r.name.clone());
            }
        }
        set(format!("responsible[{i}].title"), r.title.clone());
    }
    start
}

/// Who is at the page, and the staff they may name responsible.
struct Viewer<'a> {
    account: &'a StaffAccount,
    directory: &'a [StaffAccount],
    /// The department directory, for sending a complaint elsewhere.
    departments: &'a [Department],
}

/// The form of `step`, as first shown (`typed` None) or as sent.
fn form(
    state: &AppState,
    layout: Layout,
    case: Case,
    step: StepPage,
    viewer: &Viewer,
    typed: Option<&FormData>,
    shown: Shown,
) -> HttpResponse {
    let Viewer {
        account,
        directory,
        departments,
    } = *viewer;
    let draft = Draft {
        typed,
        start: start_values(step, &case, account, directory),
    };
    let on_review = case.status == Status::AdministrativeReview;
    let mut intro = Vec::new();
    let mut fields = Vec::new();
    let mut after = Vec::new();
    let mut withholding = false;
    let decision = |label: &str, hint: &str| {
        Field::area("decision", "decision", "decision", label)
            .required()
            .hint(hint)
            .value(&draft.get("decision"))
    };
    match step {
        StepPage::Accept => intro.push(format!(
            "The determination is due {}. Accepting starts your work on the request{}.",
            case.due_on,
            if case.assignee.is_none() { " and assigns it to you" } else { "" }
        )),
        StepPage::TakeUp => intro.push(
            "You become the reviewer. A reviewer may not have made the decision appealed or be named responsible for it. The requester is told the review has started.".into(),
        ),
        StepPage::Grant => {
            if on_review {
                intro.push("This decision is final. Grant in full to overturn the decision appealed; grant in part to uphold a grant in part, listing again what stays withheld.".into());
                if appealed(&case).is_some_and(|d| d.partial) {
                    intro.push("Upholding the grant in part, leave the date empty to keep the one the requester was given (and the production already recorded).".into());
                }
                fields.push(decision("Your review decision", "Sent to the requester as written."));
            } else {
                fields.push(decision("The determination", "What is released and how the requester will get it. Sent to the requester as written."));
            }
            if case.kind == RequestKind::ApiAccess {
                intro.push("The requester is offered their API key as soon as you grant.".into());
            } else {
                fields.extend(date_time_fields(&draft, "When the records will be available"));
            }
            fields.push(
                Field::radios("partial", "partial", "partial", "Is anything withheld?", vec![
                    Choice::new("no", "No: granted in full"),
                    Choice::new("yes", "Yes: granted in part").hint("List each item withheld below, with its exemption, and each person responsible."),
                ])
                .value(&draft.get("partial")),
            );
            withholding = true;
        }
        StepPage::Deny => {
            if on_review {
                intro.push("This decision is final. To uphold the denial, check what it said below (it is filled in from the decision appealed).".into());
                fields.push(decision("Your review decision", "Sent to the requester as written."));
            }
            fields.push(
                Field::area("reason", "reason", "reason", "Reasons for the denial")
                    .required()
                    .value(&draft.get("reason")),
            );
            withholding = true;
            after.push(
                Field::area("segregability", "segregability", "segregability", "Why no part can be released")
                    .required()
                    .hint("The law requires releasing any reasonably segregable part of a record (Gov. Code §7922.525). Say why nothing can be separated and released.")
                    .value(&draft.get("segregability")),
            );
        }
        StepPage::NoRecords => {
            intro.push("This is a determination: it answers the request within the deadline. The requester is offered help to find what they are after (Gov. Code §7922.600).".into());
            if on_review {
                fields.push(decision("Your review decision", "Sent to the requester as written. This decision is final."));
            }
            fields.push(
                Field::area("search", "search", "search", "How and where you searched")
                    .required()
                    .hint("Which offices, files, systems and date ranges were searched, for what terms, and by whom.")
                    .value(&draft.get("search")),
            );
        }
        StepPage::Withdraw => {
            intro.push("Only when the requester asked for it. They are sent a notice saying so.".into());
            fields.push(
                Field::area("note", "note", "note", "How the requester asked")
                    .required()
                    .hint("For example: By phone on 3 December, to Pat at the front counter.")
                    .value(&draft.get("note")),
            );
            fields.push(
                Field::area("reason", "reason", "reason", "Their reason, if they gave one")
                    .value(&draft.get("reason")),
            );
        }
        StepPage::Duplicate => {
            intro.push("Only when this request asks for the same records as an earlier one from the same requester. They are answered once, on the earlier request, and told so; this one closes with nothing more to decide.".into());
            fields.push(
                Field::text("duplicate_of", "duplicate_of", "duplicate_of", "Tracking number of the earlier request")
                    .required()
                    .hint("For example RR-2026-00042. Both requests will show the link between them.")
                    .value(&draft.get("duplicate_of")),
            );
        }
        StepPage::Extend => {
            intro.push(format!(
                "The determination is now due {}. An extension is allowed once, by up to {MAX_EXTENSION_DAYS} days from the original ten, for one of these circumstances only (Gov. Code §7922.535(c)).",
                case.determination_due
            ));
            intro.push(format!(
                "The notice is signed by you ({}{}) as the designee of the head of the agency.",
                account.name,
                account.title.as_ref().map(|t| format!(", {t}")).unwrap_or_default()
            ));
            fields.push(
                Field::text("days", "days", "days", "By how many days")
                    .kind("number")
                    .required()
                    .hint("1 to 14, counted from the original ten days. A due date that falls on a weekend or holiday moves to the next business day.")
                    .value(&draft.get("days")),
            );
            fields.push(
                Field::radios(
                    "circumstance",
                    "circumstance",
                    "circumstance",
                    "The unusual circumstance",
                    Circumstance::ALL
                        .iter()
                        .map(|c| Choice::new(c.as_str(), c.description()))
                        .collect(),
                )
                .required()
                .value(&draft.get("circumstance")),
            );
            fields.push(
                Field::area("reason", "reason", "reason", "Explanation for the requester")
                    .value(&draft.get("reason")),
            );
        }
        StepPage::Production => {
            if let Some(due) = case.records_due_at {
                intro.push(format!("The records were to be available by {}.", local_time(state, due)));
            }
            intro.push("Records released through this service are recorded when you release them; use this page for records delivered another way.".into());
            fields.push(
                Field::radios("how", "how", "how", "How the requester got the records", vec![
                    Choice::new("paper", "Delivered on paper or other media"),
                    Choice::new("inspection", "Inspected in person"),
                ])
                .required()
                .value(&draft.get("how")),
            );
            fields.push(
                Field::area("note", "note", "note", "What was delivered or inspected, when, and to whom")
                    .required()
                    .value(&draft.get("note")),
            );
        }
        StepPage::Assist => {
            intro.push(format!(
                "The law asks the City to help a requester make a focused request that describes identifiable records (Gov. Code §7922.600): suggest what may answer it, say where and how those records are kept, and how to get past what stands in the way. This does not stop the clock: the decision is still due {}.",
                crate::notify::render::long_date(case.due_on)
            ));
            intro.push("If the answer makes it in substance a different request, file that as a new request received on the day it arrived; this one keeps its due date and gets its own decision, unless the requester asks in writing to withdraw it.".into());
            fields.push(
                Field::area("records", "records", "records", "Records that may answer the request")
                    .required()
                    .hint("For example: \"Police incident logs are kept by month; the March 2026 log for Todos Santos Plaza is one document.\"")
                    .value(&draft.get("records")),
            );
            fields.push(
                Field::area("location", "location", "location", "How and where they are kept")
                    .hint("The system or the physical place, for example: \"In the Records Management System; paper copies before 2015 at the City Yard archive.\"")
                    .value(&draft.get("location")),
            );
            fields.push(
                Field::area("suggestions", "suggestions", "suggestions", "How the requester could focus the request")
                    .required()
                    .hint("For example: name a date range, a street or a department; ask for a summary report instead of every record.")
                    .value(&draft.get("suggestions")),
            );
            fields.push(
                Field::area("question", "question", "question", "A question for the requester")
                    .hint("Optional. With a question, the request shows as waiting on the requester until they write back.")
                    .value(&draft.get("question")),
            );
        }
        StepPage::Investigate => intro.push(format!(
            "The City aims to close it by {}. Starting your work on it{} tells the complainant the department is looking into it.",
            crate::notify::render::long_date(case.due_on),
            if case.assignee.is_none() { " assigns it to you and" } else { "" }
        )),
        StepPage::Resolve => {
            intro.push("Close the complaint with what the department found and what it did. The complainant is sent what you write here, as written.".into());
            fields.push(decision(
                "What you found and what was done",
                "For example: the contractor moved the fence on 12 March and was cited under Municipal Code 12.20.",
            ));
        }
        StepPage::Refer => {
            intro.push("When the matter is for another agency to handle. The complaint closes here; the complainant is told who handles it.".into());
            fields.push(
                Field::text("referred_to", "referred_to", "referred_to", "The agency that handles it")
                    .required()
                    .hint("For example: Contra Costa County Environmental Health.")
                    .value(&draft.get("referred_to")),
            );
            fields.push(
                Field::area("decision", "decision", "decision", "What to tell the complainant")
                    .hint("Optional: why it is theirs, how to reach them, whether you sent it on.")
                    .value(&draft.get("decision")),
            );
        }
        StepPage::Dismiss => {
            intro.push("When there is nothing the City can act on. The complainant is sent your reason, as written.".into());
            fields.push(
                Field::area("reason", "reason", "reason", "Why the complaint is dismissed")
                    .required()
                    .value(&draft.get("reason")),
            );
        }
        StepPage::Reroute => {
            intro.push(format!(
                "It is now with {}. It leaves its assignee and waits in the other department's queue; their staff are emailed. The complainant sees which department has it.",
                case.complaint.as_ref().map_or(case.queue.as_str(), |c| c.department.as_str())
            ));
            let mut choices = vec![Choice::new("", "Choose a department")];
            choices.extend(
                departments
                    .iter()
                    .filter(|d| d.queue != case.queue)
                    .map(|d| Choice::new(&d.queue, &d.name)),
            );
            fields.push(
                Field::select("department", "department", "department", "Department", choices)
                    .required()
                    .value(&draft.get("department")),
            );
            fields.push(
                Field::area("note", "note", "note", "Why it goes there")
                    .hint("Optional. For the staff only: the complainant is not shown it.")
                    .value(&draft.get("note")),
            );
        }
        StepPage::Reopen => {
            intro.push("The request goes back into the queue until the rest of the records are produced. The requester is told why and when.".into());
            fields.push(
                Field::area("reason", "reason", "reason", "What was missing")
                    .required()
                    .value(&draft.get("reason")),
            );
            fields.extend(date_time_fields(&draft, "When the rest will be available"));
        }
    }
    let withheld_rows = if withholding {
        withheld_rows(&draft, state.app.exemptions())
    } else {
        vec![]
    };
    let people_rows = if withholding {
        people_rows(&draft, directory)
    } else {
        vec![]
    };
    let every: Vec<Field> = fields
        .iter()
        .chain(withheld_rows.iter().flat_map(|r| r.fields.iter()))
        .chain(people_rows.iter().flat_map(|r| r.fields.iter()))
        .chain(after.iter())
        .cloned()
        .collect();
    // A message about a whole group leads to its first field.
    let groups = [
        ("withheld", "withheld-0-item", "What is withheld"),
        ("responsible", "responsible-0-staff", "Who is responsible"),
        ("legal_basis", "withheld-0-exemption", "Exemptions"),
    ];
    let summary = summary(&shown.fields, &every, &groups);
    let page = StepForm {
        slug: step.slug(),
        title: step.title(&case),
        button: step.button(),
        danger: matches!(
            step,
            StepPage::Deny | StepPage::Withdraw | StepPage::Duplicate | StepPage::Dismiss
        ),
        status_words: status_words(case.status),
        intro,
        fields,
        withholding,
        withheld_rows,
        people_rows,
        after,
        errors: Errors(shown.fields.clone()),
        summary,
        problem: shown.message.clone(),
        layout,
        case,
    };
    render(shown.status(), &page)
}

/// The form as the API's body would carry it. Blank rows of a group are not there.
fn command(step: StepPage, data: &FormData, state: &AppState) -> Result<Command, FieldErrors> {
    let version = data.version();
    let transition = |raw: RawTransition| raw.check(state.app.exemptions()).map(Command::Move);
    match step {
        StepPage::Accept | StepPage::TakeUp | StepPage::Investigate => transition(RawTransition {
            to: step.target().map(|s| s.as_str().to_string()),
            version,
            ..Default::default()
        }),
        StepPage::Resolve | StepPage::Refer | StepPage::Dismiss => transition(RawTransition {
            to: step.target().map(|s| s.as_str().to_string()),
            version,
            decision: data.opt("decision"),
            reason: data.opt("reason"),
            referred_to: data.opt("referred_to"),
            ..Default::default()
        }),
        StepPage::Reroute => Reroute::try_from(RawReroute {
            department: data.opt("department"),
            note: data.opt("note"),
            version,
        })
        .map(Command::Reroute),
        StepPage::Grant | StepPage::Deny | StepPage::NoRecords => {
            let mut errors = FieldErrors::default();
            let records_due_at = records_due(data, &mut errors);
            let withheld = rows(
                data,
                "withheld",
                &["item", "exemption", "citation", "reason", "justification"],
            )
            .into_iter()
            .map(|i| {
                let get = |p: &str| data.opt(&format!("withheld[{i}].{p}"));
                RawWithheld {
                    item: get("item"),
                    exemption: get("exemption"),
                    citation: get("citation"),
                    reason: get("reason"),
                    justification: get("justification"),
                }
            })
            .collect();
            let responsible = rows(data, "responsible", &["staff", "name", "title"])
                .into_iter()
                .map(|i| {
                    let get = |p: &str| data.opt(&format!("responsible[{i}].{p}"));
                    RawResponsible {
                        staff: get("staff"),
                        name: get("name"),
                        title: get("title"),
                    }
                })
                .collect();
            let raw = RawTransition {
                to: step.target().map(|s| s.as_str().to_string()),
                version,
                decision: data.opt("decision"),
                reason: data.opt("reason"),
                partial: Some(step == StepPage::Grant && data.get("partial") == "yes"),
                withheld: Some(withheld),
                legal_basis: None,
                responsible: Some(responsible),
                segregability: data.opt("segregability"),
                search: data.opt("search"),
                records_due_at,
                grounds: None,
                note: None,
                duplicate_of: None,
                referred_to: None,
            };
            // A full grant sends no withheld items or people, whatever the hidden rows hold.
            let raw = if step == StepPage::Grant && raw.partial != Some(true) {
                RawTransition {
                    withheld: None,
                    responsible: None,
                    ..raw
                }
            } else {
                raw
            };
            let checked = raw.check(state.app.exemptions());
            match checked {
                Ok(t) if errors.is_empty() => Ok(Command::Move(t)),
                Ok(_) => Err(errors),
                Err(more) => {
                    for (k, v) in more.0 {
                        for m in v {
                            errors.add(k.clone(), m);
                        }
                    }
                    Err(errors)
                }
            }
        }
        StepPage::Withdraw => Transition::try_from(RawWithdrawal {
            reason: data.opt("reason"),
            note: data.opt("note"),
            version,
        })
        .map(Command::Move),
        StepPage::Duplicate => transition(RawTransition {
            to: step.target().map(|s| s.as_str().to_string()),
            version,
            // As a person types it: spaces around it, in lower case.
            duplicate_of: data
                .opt("duplicate_of")
                .map(|tn| tn.trim().to_ascii_uppercase()),
            ..Default::default()
        }),
        StepPage::Extend => {
            // A number field: blank is no number; anything but digits is out of range.
            let days = data
                .opt("days")
                .map(|days| days.trim().parse::<i64>().unwrap_or(0));
            Extension::try_from(RawExtension {
                days,
                circumstance: data.opt("circumstance"),
                reason: data.opt("reason"),
                version,
            })
            .map(Command::Extend)
        }
        StepPage::Assist => Assist::try_from(RawAssistance {
            records: data.opt("records"),
            location: data.opt("location"),
            suggestions: data.opt("suggestions"),
            question: data.opt("question"),
        })
        .map(Command::Assist),
        StepPage::Production => RecordProduction::try_from(RawProduction {
            how: data.opt("how"),
            note: data.opt("note"),
            version,
        })
        .map(Command::Produce),
        StepPage::Reopen => {
            let mut errors = FieldErrors::default();
            let records_due_at = records_due(data, &mut errors);
            let parsed = Reopening::try_from(RawReopening {
                reason: data.opt("reason"),
                records_due_at,
                version,
            });
            match parsed {
                Ok(r) if errors.is_empty() => Ok(Command::Reopen(r)),
                Ok(_) => Err(errors),
                Err(mut more) => {
                    if errors.0.contains_key("records_due_at") {
                        more.0.remove("records_due_at");
                    }
                    for (k, v) in errors.0 {
                        for m in v {
                            more.add(k.clone(), m);
                        }
                    }
                    Err(more)
                }
            }
        }
    }
}

/// The indexes of a group's rows that have anything typed in them.
fn rows(data: &FormData, group: &str, parts: &[&str]) -> Vec<usize> {
    let mut found: Vec<usize> = data
        .0
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .filter_map(|(k, _)| {
            let i = row_index(k, group)?;
            let part = k.split("].").nth(1)?;
            parts.contains(&part).then_some(i)
        })
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// The date and time fields as one local date and time (`2026-03-20T16:00`).
fn records_due(data: &FormData, errors: &mut FieldErrors) -> Option<String> {
    match (data.opt("records_due_date"), data.opt("records_due_time")) {
        (None, None) => None,
        (Some(date), Some(time)) => Some(format!("{}T{}", date.trim(), time.trim())),
        (Some(_), None) => {
            errors.add("records_due_time", "give the time, like 4:00 PM");
            None
        }
        (None, Some(_)) => {
            errors.add("records_due_at", "give the date as well as the time");
            None
        }
    }
}

/// What a step page runs.
enum Command {
    Move(Transition),
    Extend(Extension),
    Produce(RecordProduction),
    Reopen(Reopening),
    Assist(Assist),
    Reroute(Reroute),
}

async fn run(
    state: &AppState,
    caller: Caller,
    tn: crate::domain::input::TrackingNumber,
    command: Command,
) -> Result<Case, AppError> {
    let app = &state.app;
    match command {
        Command::Move(t) => app.transition(caller, tn, t).await,
        Command::Extend(e) => app.extend(caller, tn, e).await,
        Command::Produce(p) => app.record_production(caller, tn, p).await,
        Command::Reopen(r) => app.reopen(caller, tn, r).await,
        Command::Assist(a) => app.assist(caller, tn, a).await,
        Command::Reroute(r) => app.reroute(caller, tn, r).await,
    }
}

/// Whether `command` would go through now, without taking it (`App::check_step`).
async fn check(
    state: &AppState,
    caller: Caller,
    tn: crate::domain::input::TrackingNumber,
    command: Command,
) -> Result<(), AppError> {
    let app = &state.app;
    match command {
        Command::Move(t) => app.check_step(caller, tn, t).await,
        Command::Extend(e) => app.check_extension(caller, tn, e).await,
        Command::Produce(_) | Command::Reopen(_) | Command::Assist(_) | Command::Reroute(_) => {
            Ok(())
        }
    }
}

/// The step named in the address, if this staff member may take it on the request now.
async fn open(
    state: &web::Data<AppState>,
    layout: &Layout,
    account: &StaffAccount,
    tn: &crate::domain::input::TrackingNumber,
    slug: &str,
) -> Result<(Case, StepPage), PageError> {
    let step = StepPage::parse(slug).ok_or_else(|| PageError::not_found(layout.clone()))?;
    let case = state
        .app
        .case(Caller::Staff(account.clone()), tn.clone())
        .await
        .map_err(|e| page_error(layout, e))?;
    if !step.open_to(&case) {
        return Err(PageError::forbidden(
            layout.clone(),
            format!(
                "You cannot {} on {} now: it is {}. Go back to the request to see what you can do.",
                step.title(&case).to_lowercase(),
                case.tracking_number,
                status_words(case.status).to_lowercase()
            ),
        ));
    }
    Ok((case, step))
}

/// The directory's departments, for the one page that chooses among them.
async fn departments_for(
    state: &AppState,
    step: StepPage,
    layout: &Layout,
) -> Result<Vec<Department>, PageError> {
    match step {
        StepPage::Reroute => state
            .app
            .departments_public()
            .await
            .map_err(|e| page_error(layout, e)),
        _ => Ok(Vec::new()),
    }
}

/// What a step page's address may ask: an estimate's number of lines.
#[derive(Debug, serde::Deserialize)]
pub struct StepQuery {
    lines: Option<String>,
}

pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(String, String)>,
    query: web::Query<StepQuery>,
) -> PageResult {
    let (raw_tn, slug) = path.into_inner();
    // The fee steps have forms of their own (staff/fees.rs), at the same addresses.
    if let Some(fee_step) = FeeStep::parse(&slug) {
        let lines = query.lines.as_deref().and_then(|n| n.trim().parse().ok());
        return super::fees::page(state, session, &raw_tn, fee_step, lines).await;
    }
    let (account, layout, tn) = signed_in_on(&state, &session, &raw_tn).await?;
    let (case, step) = open(&state, &layout, &account, &tn, &slug).await?;
    let directory = state
        .app
        .staff_directory()
        .await
        .map_err(|e| page_error(&layout, e))?;
    let shown = Shown {
        status: StatusCode::OK.as_u16(),
        ..Shown::default()
    };
    let departments = departments_for(&state, step, &layout).await?;
    let viewer = Viewer {
        account: &account,
        directory: &directory,
        departments: &departments,
    };
    Ok(form(&state, layout, case, step, &viewer, None, shown))
}

pub async fn send(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<(String, String)>,
    data: FormData,
) -> PageResult {
    let (raw_tn, slug) = path.into_inner();
    if let Some(fee_step) = FeeStep::parse(&slug) {
        return super::fees::send(state, session, &raw_tn, fee_step, data).await;
    }
    let (account, layout) = signed_in(&state, &session).await?;
    let tn = tracking(&raw_tn, &layout)?;
    csrf_check(&session, &data, &layout)?;
    let (case, step) = open(&state, &layout, &account, &tn, &slug).await?;
    let directory = state
        .app
        .staff_directory()
        .await
        .map_err(|e| page_error(&layout, e))?;
    let departments = departments_for(&state, step, &layout).await?;
    let viewer = Viewer {
        account: &account,
        directory: &directory,
        departments: &departments,
    };
    // "Add another": the same form, one row longer, nothing sent.
    if !data.get("more").is_empty() {
        let shown = Shown {
            status: StatusCode::OK.as_u16(),
            ..Shown::default()
        };
        return Ok(form(
            &state,
            layout,
            case,
            step,
            &viewer,
            Some(&data),
            shown,
        ));
    }
    // A step that cannot be undone is checked and shown back first (web/pages/confirm.rs);
    // one the rules refuse goes back to its form with what is wrong, as when it is sent.
    let caller = Caller::Staff(account.clone());
    let outcome = match command(step, &data, &state) {
        Ok(command) => match step.cannot_be_undone(&case) {
            Some(warning) if !confirm::confirmed(&data) => {
                match check(&state, caller, tn.clone(), command).await {
                    Ok(()) => {
                        return Ok(confirm::page(
                            layout,
                            &confirm::Confirm {
                                heading: format!("Check {} before you send it", step.what(&case)),
                                answers: answers(&data, state.app.exemptions(), &directory),
                                warning,
                                action: format!("/staff/requests/{tn}/steps/{}", step.slug()),
                                hidden: confirm::fields_of(&data),
                                confirm_label: step.confirm_label().into(),
                                confirm_class: match step {
                                    StepPage::Deny
                                    | StepPage::Withdraw
                                    | StepPage::Duplicate
                                    | StepPage::Dismiss => "danger",
                                    _ => "",
                                },
                                change_in_form: true,
                                back_href: format!("/staff/requests/{tn}"),
                                back_label: "Cancel and return to the request".into(),
                            },
                        ))
                    }
                    Err(e) => Err(e),
                }
            }
            _ => run(&state, caller, tn.clone(), command).await,
        },
        Err(fields) => Err(AppError::Invalid(fields)),
    };
    match outcome {
        Ok(case) => {
            let done = match step {
                StepPage::Extend => format!(
                    "The deadline is extended to {}. The requester has been told why.",
                    crate::notify::render::long_date(case.determination_due)
                ),
                _ => step.done().to_string(),
            };
            session::set_flash(&session, &done);
            // A steward who sent a complaint to another department no longer sees it.
            match step {
                StepPage::Reroute => Ok(see_other("/staff/queue")),
                _ => Ok(see_other(&format!("/staff/requests/{tn}"))),
            }
        }
        Err(e) => match Problem::exact(&layout, e) {
            Problem::Page(page) => Err(page),
            Problem::OnForm(shown) => {
                // Shown as the request now stands, with what was typed.
                let case = state
                    .app
                    .case(Caller::Staff(account.clone()), tn.clone())
                    .await
                    .map_err(|e| page_error(&layout, e))?;
                Ok(form(
                    &state,
                    layout,
                    case,
                    step,
                    &viewer,
                    Some(&data),
                    shown,
                ))
            }
        },
    }
}

/// What was typed into a step form, as a clerk reads it back on the confirmation page: the
/// fields in the form's order under their labels, each withheld item and each person
/// responsible on one line, exemptions by citation and staff by name.
fn answers(
    data: &FormData,
    exemptions: &ExemptionCatalogue,
    directory: &[StaffAccount],
) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut put = |label: &str, value: String| {
        if !value.trim().is_empty() {
            out.push((label.to_string(), value.trim().to_string()));
        }
    };
    put("Decision", data.get("decision"));
    match data.get("partial").as_str() {
        "yes" => put("Granted", "In part: some records are withheld".into()),
        "no" => put("Granted", "In full".into()),
        _ => {}
    }
    let date = data.get("records_due_date");
    let date = chrono::NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
        .map(crate::notify::render::long_date)
        .unwrap_or(date);
    put(
        "Records available",
        format!("{date}, {}", data.get("records_due_time"))
            .trim_matches([',', ' '])
            .to_string(),
    );
    put("Days", data.get("days"));
    if let Some(c) = Circumstance::parse(&data.get("circumstance")) {
        put("Unusual circumstance", c.description().to_string());
    }
    put("Agency it is referred to", data.get("referred_to"));
    put("Reasons", data.get("reason"));
    for i in rows(
        data,
        "withheld",
        &["item", "exemption", "citation", "reason", "justification"],
    ) {
        let get = |p: &str| data.get(&format!("withheld[{i}].{p}"));
        let code = get("exemption");
        let ground = match exemptions.find(&code) {
            Some(entry) => format!("{}: {}", entry.citation(), entry.title),
            None => get("citation"),
        };
        let line = [get("item"), ground, get("reason"), get("justification")]
            .into_iter()
            .filter(|part| !part.trim().is_empty())
            .collect::<Vec<_>>()
            .join(". ");
        put(&format!("Withheld item {}", i + 1), line);
    }
    for i in rows(data, "responsible", &["staff", "name", "title"]) {
        let get = |p: &str| data.get(&format!("responsible[{i}].{p}"));
        let who = match directory
            .iter()
            .find(|s| s.email.eq_ignore_ascii_case(&get("staff")))
        {
            Some(s) => match &s.title {
                Some(title) => format!("{}, {title}", s.name),
                None => s.name.clone(),
            },
            None => format!("{}, {}", get("name"), get("title")),
        };
        put(
            &format!("Person responsible {}", i + 1),
            who.trim_matches([',', ' ']).to_string(),
        );
    }
    put("Why no part can be released", data.get("segregability"));
    put("How and where we searched", data.get("search"));
    put("How the requester asked", data.get("note"));
    put(
        "Duplicate of",
        data.get("duplicate_of").trim().to_ascii_uppercase(),
    );
    out
}
