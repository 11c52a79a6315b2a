//! A request's fees as the pages show them (docs/PRODUCT.md, "Fees"): the estimate in force
//! line by line with the rule each rests on, where it stands, its money, and the payments,
//! waivers and refunds with their receipt numbers. The staff case page, the requester's
//! tracking page and the printable invoice and receipt all read this one view; the requester's
//! words for it are message ids (the wording), the staff's are English.

use actix_web::http::StatusCode;
use actix_web::HttpResponse;
use askama::Template;

use super::{local_time, render, Layout};
use crate::app::view::{Case, CaseFees};
use crate::domain::fees::{
    Account, Cents, EntryKind, EstimateStatus, Form, Method, ProgrammingBasis, Rule,
};
use crate::web::AppState;

/// The fees of a request, ready for a page.
pub struct FeeView {
    /// The estimate in force: the newest, unless it was replaced.
    pub current: Option<EstimateView>,
    /// The estimates a newer one replaced, oldest first.
    pub earlier: Vec<EstimateView>,
    /// Every payment, waiver and refund, oldest first.
    pub entries: Vec<EntryView>,
    /// The money on the estimate in force.
    pub account: Account,
    /// The requester may accept or decline the estimate in force now.
    pub awaiting_answer: bool,
    /// Paper copies wait for the fee still owed.
    pub paper_waits: bool,
}

pub struct EstimateView {
    pub number: i32,
    pub status: EstimateStatus,
    pub lines: Vec<LineView>,
    pub total: Cents,
    pub note: Option<String>,
    /// When it was sent, in the City's time.
    pub issued: String,
    /// When the requester answered it.
    pub answered: Option<String>,
}

pub struct LineView {
    pub description: String,
    pub quantity: i64,
    pub unit: Cents,
    pub amount: Cents,
    pub rule: Rule,
    pub form: Form,
    pub basis: Option<ProgrammingBasis>,
    pub reason: Option<String>,
}

pub struct EntryView {
    /// The receipt number.
    pub receipt: i64,
    /// The estimate it is on, by number.
    pub estimate: i32,
    pub kind: EntryKind,
    pub amount: Cents,
    pub method: Option<Method>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    /// Waived by the schedule's threshold as the estimate was made, not by a person.
    pub automatic: bool,
    pub at: String,
}

impl FeeView {
    pub fn of(state: &AppState, fees: &CaseFees) -> FeeView {
        let mut estimates: Vec<(i64, EstimateView)> = fees
            .estimates
            .iter()
            .map(|e| {
                (
                    e.id,
                    EstimateView {
                        number: e.number,
                        status: e.status,
                        lines: e
                            .lines
                            .iter()
                            .map(|l| LineView {
                                description: l.description.clone(),
                                quantity: l.quantity,
                                unit: l.unit,
                                amount: l.amount,
                                rule: l.rule,
                                form: l.form,
                                basis: l.basis,
                                reason: l.reason.clone(),
                            })
                            .collect(),
                        total: e.total,
                        note: e.note.clone(),
                        issued: local_time(state, e.issued_at),
                        answered: e.answered_at.map(|at| local_time(state, at)),
                    },
                )
            })
            .collect();
        let number_of = |id: i64| {
            estimates
                .iter()
                .find(|(eid, _)| *eid == id)
                .map_or(0, |(_, e)| e.number)
        };
        let entries = fees
            .entries
            .iter()
            .map(|e| EntryView {
                receipt: e.id,
                estimate: number_of(e.estimate_id),
                kind: e.kind,
                amount: e.amount,
                method: e.method,
                reference: e.reference.clone(),
                reason: e.reason.clone(),
                automatic: e.recorded_by.is_none(),
                at: local_time(state, e.recorded_at),
            })
            .collect();
        let current = match estimates.last() {
            Some((_, e)) if e.status != EstimateStatus::Replaced => estimates.pop().map(|(_, e)| e),
            _ => None,
        };
        FeeView {
            current,
            earlier: estimates.into_iter().map(|(_, e)| e).collect(),
            entries,
            account: fees.account.unwrap_or_default(),
            awaiting_answer: fees.awaiting_answer,
            paper_waits: fees.paper_waits,
        }
    }

    /// The case's fees, if it has any.
    pub fn of_case(state: &AppState, case: &Case) -> Option<FeeView> {
        case.fees.as_ref().map(|fees| FeeView::of(state, fees))
    }

    pub fn balance(&self) -> Cents {
        self.account.balance()
    }

    /// Money the City owes back (a waiver after payment), if any.
    pub fn owed_back(&self) -> Option<Cents> {
        let balance = self.balance();
        (balance.0 < 0).then(|| Cents(-balance.0))
    }

    /// The requester has something to pay on the estimate in force.
    pub fn payable(&self) -> bool {
        self.balance().is_positive()
            && self.current.as_ref().is_some_and(|e| {
                matches!(
                    e.status,
                    EstimateStatus::Awaiting | EstimateStatus::Accepted
                )
            })
    }

    /// What the balance is called: before an answer it is owed only if accepted.
    pub fn balance_id(&self) -> &'static str {
        match self.status() {
            Some(EstimateStatus::Awaiting) => "page-fee-to-pay-if-accepted",
            _ => "page-fee-balance",
        }
    }

    /// Anything was waived, paid or refunded on the estimate in force.
    pub fn has_money(&self) -> bool {
        let a = &self.account;
        a.waived.is_positive() || a.paid.is_positive() || a.refunded.is_positive()
    }

    /// Whether the account is worth a list of its own: not while an estimate only waits for
    /// its answer, whose total the lines and the question already say.
    pub fn shows_account(&self) -> bool {
        self.has_money() || self.status() != Some(EstimateStatus::Awaiting)
    }

    /// The money the City owes back, or nothing.
    pub fn owed_back_amount(&self) -> Cents {
        self.owed_back().unwrap_or_default()
    }

    pub fn status(&self) -> Option<EstimateStatus> {
        self.current.as_ref().map(|e| e.status)
    }

    /// What the requester is told happens next, as a message id ("" with no estimate in force).
    pub fn next_id(&self) -> &'static str {
        if self.owed_back().is_some() {
            return "page-fee-next-owed-back";
        }
        match self.status() {
            Some(EstimateStatus::Awaiting) => "page-fee-next-awaiting",
            Some(EstimateStatus::Accepted) if self.payable() => "page-fee-next-accepted",
            Some(EstimateStatus::Accepted) => "page-fee-next-paid",
            Some(EstimateStatus::Declined) => "page-fee-next-declined",
            Some(EstimateStatus::Waived) => "page-fee-next-waived",
            Some(EstimateStatus::Replaced) | None => "",
        }
    }

    /// Only the entries on the estimate in force (a receipt's).
    pub fn current_entries(&self) -> Vec<&EntryView> {
        let number = self.current.as_ref().map_or(-1, |e| e.number);
        self.entries
            .iter()
            .filter(|e| e.estimate == number)
            .collect()
    }
}

/// Where an estimate stands, for the requester (a message id) and for staff (English).
pub fn status_id(status: EstimateStatus) -> &'static str {
    match status {
        EstimateStatus::Awaiting => "page-fee-status-awaiting",
        EstimateStatus::Accepted => "page-fee-status-accepted",
        EstimateStatus::Declined => "page-fee-status-declined",
        EstimateStatus::Waived => "page-fee-status-waived",
        EstimateStatus::Replaced => "page-fee-status-replaced",
    }
}

pub fn status_words(status: EstimateStatus) -> &'static str {
    match status {
        EstimateStatus::Awaiting => "Sent; waiting for the requester to accept or decline it",
        EstimateStatus::Accepted => "Accepted by the requester",
        EstimateStatus::Declined => {
            "Declined by the requester: nothing is charged, and records needing no payment are still released"
        }
        EstimateStatus::Waived => "Waived: nothing to pay",
        EstimateStatus::Replaced => "Replaced by a newer estimate",
    }
}

impl EstimateView {
    pub fn status_id(&self) -> &'static str {
        status_id(self.status)
    }

    pub fn status_words(&self) -> &'static str {
        status_words(self.status)
    }
}

impl LineView {
    /// Minutes of work priced by the hour (Gov. Code §7922.575(b)).
    pub fn hourly(&self) -> bool {
        self.rule == Rule::Programming
    }

    pub fn citation(&self) -> &'static str {
        self.rule.citation()
    }

    /// What the rule allows, for the requester.
    pub fn rule_id(&self) -> &'static str {
        match self.rule {
            Rule::Duplication => "page-fee-rule-duplication",
            Rule::StatutoryFee => "page-fee-rule-statutory-fee",
            Rule::ElectronicCopy => "page-fee-rule-electronic-copy",
            Rule::Programming => "page-fee-rule-programming",
        }
    }

    /// Why §7922.575(b) applies, for the requester; "" when it does not.
    pub fn basis_id(&self) -> &'static str {
        match self.basis {
            Some(ProgrammingBasis::Compilation) => "page-fee-basis-compilation",
            Some(ProgrammingBasis::OutsideSchedule) => "page-fee-basis-outside-schedule",
            None => "",
        }
    }

    /// The rule, as staff name it.
    pub fn rule_words(&self) -> &'static str {
        match self.rule {
            Rule::Duplication => "Direct cost of duplication",
            Rule::StatutoryFee => "Statutory or scheduled fee",
            Rule::ElectronicCopy => "Direct cost of an electronic copy",
            Rule::Programming => "Programming or data work",
        }
    }

    pub fn basis_words(&self) -> &'static str {
        match self.basis {
            Some(ProgrammingBasis::Compilation) => {
                "The request needs data compiled or extracted, or a program written (§7922.575(b)(2))"
            }
            Some(ProgrammingBasis::OutsideSchedule) => {
                "The record is otherwise produced only at regularly scheduled intervals (§7922.575(b)(1))"
            }
            None => "",
        }
    }

    pub fn form_words(&self) -> &'static str {
        match self.form {
            Form::Paper => "paper",
            Form::Electronic => "electronic",
        }
    }
}

impl EntryView {
    pub fn kind_id(&self) -> &'static str {
        match self.kind {
            EntryKind::Payment => "page-fee-kind-payment",
            EntryKind::Waiver => "page-fee-kind-waiver",
            EntryKind::Refund => "page-fee-kind-refund",
        }
    }

    /// How it was paid or refunded, for the requester; "" when not said.
    pub fn method_id(&self) -> &'static str {
        match self.method {
            Some(Method::Cash) => "page-fee-method-cash",
            Some(Method::Check) => "page-fee-method-check",
            Some(Method::Card) => "page-fee-method-card",
            None => "",
        }
    }

    pub fn kind_words(&self) -> &'static str {
        match self.kind {
            EntryKind::Payment => "Payment",
            EntryKind::Waiver => "Waiver",
            EntryKind::Refund => "Refund",
        }
    }

    pub fn method_words(&self) -> &'static str {
        self.method.map_or("", Method::words)
    }
}

/// Which printable page: the bill, or the record of money received and returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printed {
    Invoice,
    Receipt,
}

#[derive(Template)]
#[template(path = "pages/fee_document.html")]
struct FeeDocument {
    layout: Layout,
    receipt: bool,
    tracking_number: String,
    requester: Option<String>,
    date: String,
    fee: Option<FeeView>,
    how_to_pay: String,
    /// Where "Back to the request" goes: the staff case page, or the tracking page.
    back: String,
}

impl FeeDocument {
    fn document_id(&self) -> &'static str {
        if self.receipt {
            "page-fee-receipt"
        } else {
            "page-fee-invoice"
        }
    }
}

/// The printable invoice or receipt of a request's fees, with the office's letterhead; a
/// request without an estimate says so.
pub fn document(
    state: &AppState,
    layout: Layout,
    case: &Case,
    printed: Printed,
    back: String,
) -> HttpResponse {
    let ctx = state.app.ctx();
    let language = layout.t.0;
    let page = FeeDocument {
        layout,
        receipt: printed == Printed::Receipt,
        tracking_number: case.tracking_number.clone(),
        requester: case
            .requester
            .name
            .clone()
            .or_else(|| case.requester.organization.clone()),
        date: crate::notify::render::long_date_in(language, ctx.clock.today()),
        fee: FeeView::of_case(state, case),
        how_to_pay: ctx.how_to_pay.trim().to_string(),
        back,
    };
    render(StatusCode::OK, &page)
}
