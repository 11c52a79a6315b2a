//! The fee steps on a grant (docs/PRODUCT.md, "Fees"): estimating the fee for its copies, and
//! recording a payment, a waiver or a refund. Each is a step page like those of `steps.rs`,
//! at `/staff/requests/{tracking_number}/steps/{step}` and linked from the case page's task
//! list: GET shows the form; POST reads it into the same commands as the JSON API and goes
//! back to the case, or shows the form again with what went wrong beside each field (an
//! estimate's beside its line). Also the printable invoice and receipt.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use askama::Template;

use super::fee_estimate::{self, LineRow, START_ROWS};
use super::{csrf_check, signed_in, signed_in_on, tracking};
use crate::app::fees::{RawEntry, RecordEntry};
use crate::app::view::Case;
use crate::app::{AppError, Caller, StaffAccount};
use crate::domain::fees::{Account, Cents, EntryKind, EstimateStatus};
use crate::domain::Status;
use crate::web::pages::fees::{self as fee_view, FeeView, Printed};
use crate::web::pages::forms::{summary, Choice, Errors, Field, FormData, SummaryItem};
use crate::web::pages::problem::{page_error, Problem, Shown};
use crate::web::pages::{render, see_other, session, status_words, Layout, PageError, PageResult};
use crate::web::AppState;

/// The fee steps, each a page of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FeeStep {
    Estimate,
    Payment,
    Waiver,
    Refund,
}

/// The estimate in force's standing and money, if there is one.
fn standing(case: &Case) -> (Option<EstimateStatus>, Account) {
    let fees = case.fees.as_ref();
    (
        fees.and_then(|f| f.current()).map(|e| e.status),
        fees.and_then(|f| f.account).unwrap_or_default(),
    )
}

impl FeeStep {
    const ALL: [FeeStep; 4] = [
        FeeStep::Estimate,
        FeeStep::Payment,
        FeeStep::Waiver,
        FeeStep::Refund,
    ];

    pub fn slug(self) -> &'static str {
        match self {
            FeeStep::Estimate => "fee-estimate",
            FeeStep::Payment => "fee-payment",
            FeeStep::Waiver => "fee-waiver",
            FeeStep::Refund => "fee-refund",
        }
    }

    pub fn parse(slug: &str) -> Option<FeeStep> {
        FeeStep::ALL.into_iter().find(|s| s.slug() == slug)
    }

    fn kind(self) -> Option<EntryKind> {
        match self {
            FeeStep::Estimate => None,
            FeeStep::Payment => Some(EntryKind::Payment),
            FeeStep::Waiver => Some(EntryKind::Waiver),
            FeeStep::Refund => Some(EntryKind::Refund),
        }
    }

    /// Whether this staff member may take the step on the request now, as the rules of
    /// `app::fees` would let it through.
    fn open_to(self, case: &Case) -> bool {
        let (status, account) = standing(case);
        let manages = case.may_manage && case.status == Status::Granted;
        match self {
            // A new estimate replaces the one in force, unless money was paid on it.
            FeeStep::Estimate => case.may_estimate_fees && !account.net_paid().is_positive(),
            FeeStep::Payment => {
                manages
                    && status == Some(EstimateStatus::Accepted)
                    && account.balance().is_positive()
            }
            FeeStep::Waiver => {
                manages
                    && status.is_some_and(|s| s != EstimateStatus::Declined)
                    && account.total > account.waived
            }
            FeeStep::Refund => manages && status.is_some() && account.net_paid().is_positive(),
        }
    }

    /// The fee steps this staff member may take now, in the order the task list shows them.
    pub fn available(case: &Case) -> Vec<FeeStep> {
        FeeStep::ALL
            .into_iter()
            .filter(|s| s.open_to(case))
            .collect()
    }

    /// What the task list and the page call the step.
    pub fn title(self, case: &Case) -> &'static str {
        match self {
            FeeStep::Estimate if case.fees.is_some() => "Make a new fee estimate",
            FeeStep::Estimate => "Estimate the fee for copies",
            FeeStep::Payment => "Record a payment",
            FeeStep::Waiver => "Waive all or part of the fee",
            FeeStep::Refund => "Record a refund",
        }
    }

    /// One line under the task list's link.
    pub fn hint(self, case: &Case) -> String {
        let (status, account) = standing(case);
        let number = case
            .fees
            .as_ref()
            .and_then(|f| f.current())
            .map_or(0, |e| e.number);
        match (self, status) {
            (FeeStep::Estimate, Some(status)) => format!(
                "Replaces estimate {number} ({}, {}); the requester is sent the new one to accept or decline.",
                account.total,
                fee_view::status_words(status).to_lowercase()
            ),
            (FeeStep::Estimate, None) => "Only the direct cost of copies, or a fee set by law (Gov. Code §7922.530(a), §7922.575). The requester is sent it to accept or decline.".into(),
            (FeeStep::Payment, _) => format!(
                "{} is still owed. The requester is sent a receipt.",
                account.balance()
            ),
            (FeeStep::Waiver, _) => format!(
                "Up to {} not yet waived, with the reason the requester reads.",
                Cents(account.total.0 - account.waived.0)
            ),
            (FeeStep::Refund, _) => format!(
                "{} was paid and not refunded{}.",
                account.net_paid(),
                match account.balance().0 {
                    b if b < 0 => format!("; the City owes {} back", Cents(-b)),
                    _ => String::new(),
                }
            ),
        }
    }

    fn button(self) -> &'static str {
        match self {
            FeeStep::Estimate => "Send the estimate",
            FeeStep::Payment => "Record the payment",
            FeeStep::Waiver => "Waive it",
            FeeStep::Refund => "Record the refund",
        }
    }
}

#[derive(Template)]
#[template(path = "pages/fee_step.html")]
struct FeeStepForm {
    layout: Layout,
    case: Case,
    slug: &'static str,
    title: &'static str,
    button: &'static str,
    status_words: String,
    intro: Vec<String>,
    /// The fees as they stand, for the money steps.
    fee: Option<FeeView>,
    lines: Vec<LineRow>,
    fields: Vec<Field>,
    errors: Errors,
    summary: Vec<SummaryItem>,
    problem: String,
}

/// A form field's value: what was typed, else empty.
fn typed(data: Option<&FormData>, name: &str) -> String {
    data.map(|d| d.get(name)).unwrap_or_default()
}

fn methods() -> Vec<Choice> {
    vec![
        Choice::new("cash", "Cash"),
        Choice::new("check", "Check"),
        Choice::new("card", "Card"),
    ]
}

/// The form of `step`, as first shown (`data` None) or as sent; `asked` rows of lines.
fn form(
    state: &AppState,
    layout: Layout,
    case: Case,
    step: FeeStep,
    data: Option<&FormData>,
    asked: usize,
    shown: Shown,
) -> HttpResponse {
    let schedule = &state.app.ctx().fees;
    let (status, account) = standing(&case);
    let value = |name: &str| typed(data, name);
    let mut intro = Vec::new();
    let mut fields = Vec::new();
    let mut lines = Vec::new();
    let amount = |label: &str, hint: String| {
        Field::text("amount", "amount", "amount", label)
            .required()
            .hint(&hint)
            .value(&value("amount"))
    };
    match step {
        FeeStep::Estimate => {
            intro.push("Charge only the direct cost of duplicating the records, or a fee set by law (Gov. Code §7922.530(a)). An electronic copy costs the direct cost of producing it (§7922.575(a)); programming or data work is charged only when the request needs it to produce the copy (§7922.575(b)). Never charge for searching for, reviewing or redacting records, or for inspecting them.".into());
            intro.push("The requester is sent the estimate to accept or decline. If they decline, nothing is charged and the records that need no payment are still released. A fee never extends the deadline for the determination.".into());
            if let Some(status) = status {
                intro.push(format!(
                    "This replaces the estimate in force ({}, {}).",
                    account.total,
                    fee_view::status_words(status).to_lowercase()
                ));
            }
            if schedule.paper_waits_for_payment {
                intro.push("Paper copies are handed over once their fee is paid; inspection and electronic records never wait.".into());
            }
            if schedule.waive_under.is_positive() {
                intro.push(format!(
                    "An estimate under {} is waived whole: the requester has nothing to pay.",
                    schedule.waive_under
                ));
            }
            let count = fee_estimate::row_count(data, asked);
            lines = fee_estimate::rows(schedule, data, count);
            fee_estimate::open_for_errors(&mut lines, &shown.fields);
            fields.push(
                Field::area("note", "note", "note", "A note to the requester (optional)")
                    .hint("Sent with the estimate, as written: for example, when the copies will be ready.")
                    .value(&value("note")),
            );
        }
        FeeStep::Payment => {
            fields.push(amount(
                "Amount paid, in dollars",
                format!(
                    "For example 12.50: no more than the {} still owed.",
                    account.balance()
                ),
            ));
            fields.push(
                Field::radios("method", "method", "method", "How it was paid", methods())
                    .required()
                    .value(&value("method")),
            );
            fields.push(
                Field::text(
                    "reference",
                    "reference",
                    "reference",
                    "Check number or card payment reference",
                )
                .hint("Needed for a check or a card payment; printed on the receipt.")
                .value(&value("reference")),
            );
        }
        FeeStep::Waiver => {
            intro.push("If part of the fee was already paid, waiving more than is still owed leaves money the City owes back: record its refund afterwards.".into());
            fields.push(amount(
                "Amount to waive, in dollars",
                format!(
                    "For example 12.50: up to the {} not yet waived.",
                    Cents(account.total.0 - account.waived.0)
                ),
            ));
            fields.push(
                Field::area("reason", "reason", "reason", "Why the fee is waived")
                    .required()
                    .hint("The requester reads it.")
                    .value(&value("reason")),
            );
        }
        FeeStep::Refund => {
            fields.push(amount(
                "Amount refunded, in dollars",
                format!(
                    "For example 12.50: up to the {} paid and not yet refunded.",
                    account.net_paid()
                ),
            ));
            fields.push(
                Field::area("reason", "reason", "reason", "Why the money is refunded")
                    .required()
                    .hint("The requester reads it.")
                    .value(&value("reason")),
            );
            fields.push(
                Field::radios(
                    "method",
                    "method",
                    "method",
                    "How it was refunded (optional)",
                    methods(),
                )
                .value(&value("method")),
            );
            fields.push(
                Field::text(
                    "reference",
                    "reference",
                    "reference",
                    "Check number or card refund reference (optional)",
                )
                .value(&value("reference")),
            );
        }
    }
    // The summary names each line's field with its line.
    let mut every: Vec<Field> = Vec::new();
    for row in &lines {
        for field in row.main.iter().chain(&row.direct).chain(&row.programming) {
            let mut named = field.clone();
            named.label = format!("{}, {}", row.legend, field.label.to_lowercase());
            every.push(named);
        }
    }
    every.extend(fields.iter().cloned());
    let summary = summary(
        &shown.fields,
        &every,
        &[("lines", "lines-0-item", "What is charged")],
    );
    let page = FeeStepForm {
        slug: step.slug(),
        title: step.title(&case),
        button: step.button(),
        status_words: status_words(case.status),
        intro,
        fee: match step {
            FeeStep::Estimate => None,
            _ => FeeView::of_case(state, &case),
        },
        lines,
        fields,
        errors: Errors(shown.fields.clone()),
        summary,
        problem: shown.message.clone(),
        layout,
        case,
    };
    render(shown.status(), &page)
}

/// The step named in the address, if this staff member may take it on the request now.
async fn open(
    state: &AppState,
    layout: &Layout,
    account: &StaffAccount,
    tn: &crate::domain::input::TrackingNumber,
    step: FeeStep,
) -> Result<Case, PageError> {
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
    Ok(case)
}

/// GET: the step's form; an estimate offers `lines` rows when the address asks for them.
pub async fn page(
    state: web::Data<AppState>,
    session: Session,
    raw_tn: &str,
    step: FeeStep,
    lines: Option<usize>,
) -> PageResult {
    let (account, layout, tn) = signed_in_on(&state, &session, raw_tn).await?;
    let case = open(&state, &layout, &account, &tn, step).await?;
    let shown = Shown {
        status: StatusCode::OK.as_u16(),
        ..Shown::default()
    };
    let asked = lines.unwrap_or(START_ROWS);
    Ok(form(&state, layout, case, step, None, asked, shown))
}

/// The payment, waiver or refund as the API's body would carry it, in dollars.
fn entry(kind: EntryKind, data: &FormData) -> Result<RecordEntry, AppError> {
    RecordEntry::parse(
        kind,
        RawEntry {
            amount_cents: None,
            amount: Some(data.get("amount")),
            method: data.opt("method"),
            reference: data.opt("reference"),
            reason: data.opt("reason"),
            version: data.version(),
        },
    )
    .map_err(AppError::Invalid)
}

/// What the flash line says once the step is taken.
fn done(step: FeeStep, case: &Case) -> String {
    let fees = case.fees.as_ref();
    let current = fees.and_then(|f| f.current());
    let last = fees.and_then(|f| f.entries.last());
    match (step, current, last) {
        (FeeStep::Estimate, Some(e), _) if e.status == EstimateStatus::Waived => format!(
            "Estimate {} came to {}, under the amount the City charges: it is waived, and the requester has been told.",
            e.number, e.total
        ),
        (FeeStep::Estimate, Some(e), _) => format!(
            "Estimate {} for {} was sent to the requester to accept or decline.",
            e.number, e.total
        ),
        (FeeStep::Payment, _, Some(p)) => format!(
            "Payment of {} recorded: receipt number {}. The requester has been sent a receipt.",
            p.amount, p.id
        ),
        (FeeStep::Waiver, _, Some(w)) => format!(
            "{} of the fee is waived. The requester has been told.",
            w.amount
        ),
        (FeeStep::Refund, _, Some(r)) => format!(
            "Refund of {} recorded: receipt number {}. The requester has been told.",
            r.amount, r.id
        ),
        _ => "Done.".into(),
    }
}

/// POST: takes the step, or shows its form again with what went wrong.
pub async fn send(
    state: web::Data<AppState>,
    session: Session,
    raw_tn: &str,
    step: FeeStep,
    data: FormData,
) -> PageResult {
    let (account, layout) = signed_in(&state, &session).await?;
    let tn = tracking(raw_tn, &layout)?;
    csrf_check(&session, &data, &layout)?;
    let case = open(&state, &layout, &account, &tn, step).await?;
    let ok = || Shown {
        status: StatusCode::OK.as_u16(),
        ..Shown::default()
    };
    // "Add another line": the same form, one row longer, nothing sent.
    if step == FeeStep::Estimate && data.get("more") == "lines" {
        return Ok(form(
            &state,
            layout,
            case,
            step,
            Some(&data),
            START_ROWS,
            ok(),
        ));
    }
    let caller = Caller::Staff(account.clone());
    let app = &state.app;
    let outcome = match step.kind() {
        None => {
            let (rows, parsed) = fee_estimate::command(&data, &app.ctx().fees);
            match parsed {
                Ok(command) => app
                    .estimate_fees(caller, tn.clone(), command)
                    .await
                    .map_err(|e| match e {
                        AppError::Invalid(fields) => {
                            AppError::Invalid(fee_estimate::to_rows(fields, &rows))
                        }
                        other => other,
                    }),
                Err(fields) => Err(AppError::Invalid(fields)),
            }
        }
        Some(kind) => match entry(kind, &data) {
            Ok(command) => app.record_fee(caller, tn.clone(), command).await,
            Err(e) => Err(e),
        }
        // The API's field is in cents; the form's, in dollars.
        .map_err(|e| e.renamed_field("amount_cents", "amount")),
    };
    match outcome {
        Ok(case) => {
            session::set_flash(&session, &done(step, &case));
            Ok(see_other(&format!("/staff/requests/{tn}")))
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
                    Some(&data),
                    START_ROWS,
                    shown,
                ))
            }
        },
    }
}

/// `GET /staff/requests/{tracking_number}/fees/invoice`: the invoice to print.
pub async fn invoice(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    print(state, session, path, Printed::Invoice).await
}

/// `GET /staff/requests/{tracking_number}/fees/receipt`: the receipt to print.
pub async fn receipt(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
) -> PageResult {
    print(state, session, path, Printed::Receipt).await
}

async fn print(
    state: web::Data<AppState>,
    session: Session,
    path: web::Path<String>,
    printed: Printed,
) -> PageResult {
    let (account, layout, tn) = signed_in_on(&state, &session, &path).await?;
    let case = super::case::load(&state, &account, &tn)
        .await
        .map_err(|e| page_error(&layout, e))?;
    Ok(fee_view::document(
        &state,
        layout,
        &case,
        printed,
        format!("/staff/requests/{tn}"),
    ))
}
