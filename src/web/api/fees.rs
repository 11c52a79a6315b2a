//! Fees on a granted request (docs/PRODUCT.md, "Fees"): the schedule, an estimate, the
//! requester's answer, and payments, waivers and refunds. Money is whole US cents.

use actix_web::{web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::fields;
use super::requests::tracking_number;
use super::wire::{CaseView, FeeItemView, FeeScheduleView};
use crate::app::fees::{
    AnswerEstimate, MakeEstimate, RawAnswer, RawEntry, RawEstimate, RecordEntry,
};
use crate::app::Caller;
use crate::domain::fees::{EntryKind, RawLine};
use crate::web::auth;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::AppState;

/// The City's fee schedule: what a copy costs, and the rate of programming work.
#[utoipa::path(
    get, path = "/api/v1/fee-schedule", tag = "fees", operation_id = "fee_schedule",
    responses((status = 200, description = "The schedule", body = FeeScheduleView))
)]
pub async fn schedule(state: web::Data<AppState>) -> HttpResponse {
    let fees = &state.app.ctx().fees;
    HttpResponse::Ok().json(FeeScheduleView {
        items: fees
            .items
            .iter()
            .map(|i| FeeItemView {
                key: i.key.clone(),
                name: i.name.clone(),
                kind: match i.kind {
                    crate::domain::fees::ItemKind::Page => "page",
                    crate::domain::fees::ItemKind::Medium => "medium",
                    crate::domain::fees::ItemKind::Flat => "flat",
                }
                .into(),
                price_cents: i.price.0,
                form: i.form().as_str().into(),
                rule: i.rule().as_str().into(),
                citation: i.rule().citation().into(),
            })
            .collect(),
        programming_hourly_cents: fees.programming_hourly.0,
        max_cents: fees.max.0,
        waive_under_cents: fees.waive_under.0,
        paper_waits_for_payment: fees.paper_waits_for_payment,
    })
}

/// One line of an estimate.
#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct FeeLineBody {
    /// A fee schedule item's key (GET /api/v1/fee-schedule), `programming` (Gov. Code
    /// §7922.575(b) work, counted in minutes at the hourly rate; electronic records only, with
    /// its basis and reason) or `direct_cost` (another direct cost of a copy, with its
    /// unit_cents, form and description). Search, review, redaction and inspection are never
    /// charged.
    #[schema(value_type = String, pattern = "^[a-z0-9_]{1,60}$", required = true)]
    pub item: Option<String>,
    /// Pages or items; minutes of programming.
    #[schema(value_type = i64, minimum = 1, maximum = 100000, required = true)]
    #[serde(default, deserialize_with = "super::whole::i64_opt")]
    pub quantity: Option<i64>,
    /// direct_cost only: the price of one, in cents.
    #[schema(value_type = Option<i64>, minimum = 1)]
    #[serde(default, deserialize_with = "super::whole::i64_opt")]
    pub unit_cents: Option<i64>,
    /// What the line is, as the requester reads it (direct_cost: required).
    #[schema(schema_with = fields::fee_description)]
    pub description: Option<String>,
    /// paper or electronic: the records the copy is of.
    #[schema(schema_with = fields::fee_form)]
    #[serde(default, deserialize_with = "super::words::exact_opt")]
    pub form: Option<String>,
    /// programming only: compilation or outside_schedule.
    #[schema(schema_with = fields::fee_basis)]
    #[serde(default, deserialize_with = "super::words::exact_opt")]
    pub basis: Option<String>,
    /// programming only: what work the request needs and why.
    #[schema(schema_with = fields::fee_reason)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct EstimateBody {
    #[schema(value_type = Vec<FeeLineBody>, min_items = 1, max_items = 50, required = true)]
    pub lines: Option<Vec<FeeLineBody>>,
    /// What to tell the requester with it.
    #[schema(schema_with = fields::fee_note)]
    pub note: Option<String>,
    /// The version of the request the caller saw; without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

fn case(case: crate::app::view::Case) -> HttpResponse {
    HttpResponse::Ok().json(CaseView::from(case))
}

/// Estimate the fee for a grant's copies; the requester is sent it to accept or decline. A
/// new estimate replaces the one in force, unless money was paid on it.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/fees/estimate", tag = "fees", operation_id = "estimate_fees",
    params(("tracking_number" = String, Path)), request_body = EstimateBody, security(("staff" = [])),
    responses((status = 200, description = "Estimate sent (or waived whole, under the schedule's threshold)", body = CaseView),
              (status = 403, description = "Not staff, or not theirs to manage", body = ErrorBody),
              (status = 409, description = "Not a grant awaiting production; money paid on the estimate in force; or a stale version", body = ErrorBody),
              (status = 422, description = "A line the schedule or the law does not allow, or a total over the maximum", body = ErrorBody))
)]
pub async fn estimate(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<EstimateBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let body = body.into_inner();
    let raw = RawEstimate {
        lines: body
            .lines
            .unwrap_or_default()
            .into_iter()
            .map(|l| RawLine {
                item: l.item,
                quantity: l.quantity,
                unit_cents: l.unit_cents,
                description: l.description,
                form: l.form,
                basis: l.basis,
                reason: l.reason,
            })
            .collect(),
        note: body.note,
        version: body.version,
    };
    let command = MakeEstimate::try_from(raw).map_err(ApiError::invalid)?;
    Ok(case(
        state
            .app
            .estimate_fees(Caller::Staff(staff), tn, command)
            .await?,
    ))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct AnswerBody {
    /// accept or decline.
    #[schema(schema_with = fields::fee_answer, required = true)]
    #[serde(default, deserialize_with = "super::words::exact_opt")]
    pub answer: Option<String>,
    /// The version of the request the caller saw; without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

/// The requester accepts or declines the fee estimate. Declined, nothing is charged: the
/// records that need no payment are still released, and inspection is free.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/fees/answer", tag = "fees", operation_id = "answer_fees",
    params(("tracking_number" = String, Path)), request_body = AnswerBody, security(("requester" = [])),
    responses((status = 200, description = "Answered", body = CaseView),
              (status = 403, description = "Not the requester", body = ErrorBody),
              (status = 409, description = "No estimate awaits an answer, or a stale version", body = ErrorBody),
              (status = 422, description = "Neither accept nor decline", body = ErrorBody))
)]
pub async fn answer(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<AnswerBody>,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let body = body.into_inner();
    let command = AnswerEstimate::try_from(RawAnswer {
        answer: body.answer,
        version: body.version,
    })
    .map_err(ApiError::invalid)?;
    let caller = auth::caller(&state, &req).await?;
    Ok(case(state.app.answer_fees(caller, tn, command).await?))
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct PaymentBody {
    /// The amount paid, in cents: no more than is owed.
    #[schema(value_type = i64, minimum = 1, required = true)]
    #[serde(default, deserialize_with = "super::whole::i64_opt")]
    pub amount_cents: Option<i64>,
    /// cash, check or card.
    #[schema(schema_with = fields::fee_method, required = true)]
    #[serde(default, deserialize_with = "super::words::exact_opt")]
    pub method: Option<String>,
    /// The check number or the card payment's reference (required for check and card).
    #[schema(schema_with = fields::fee_reference)]
    pub reference: Option<String>,
    /// The version of the request the caller saw; without it, the latest.
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct WaiverBody {
    /// The amount waived, in cents: no more than is not yet waived.
    #[schema(value_type = i64, minimum = 1, required = true)]
    #[serde(default, deserialize_with = "super::whole::i64_opt")]
    pub amount_cents: Option<i64>,
    /// Why (the requester reads it).
    #[schema(schema_with = fields::fee_waiver_reason, required = true)]
    pub reason: Option<String>,
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RefundBody {
    /// The amount refunded, in cents: no more than was paid and not yet refunded.
    #[schema(value_type = i64, minimum = 1, required = true)]
    #[serde(default, deserialize_with = "super::whole::i64_opt")]
    pub amount_cents: Option<i64>,
    /// Why (the requester reads it).
    #[schema(schema_with = fields::fee_refund_reason, required = true)]
    pub reason: Option<String>,
    /// cash, check or card: how it was refunded.
    #[schema(schema_with = fields::fee_method_optional)]
    #[serde(default, deserialize_with = "super::words::exact_opt")]
    pub method: Option<String>,
    #[schema(schema_with = fields::fee_reference)]
    pub reference: Option<String>,
    #[schema(minimum = 1, maximum = 2147483647)]
    #[serde(default, deserialize_with = "super::whole::i32_opt")]
    pub version: Option<i32>,
}

async fn record(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    kind: EntryKind,
    raw: RawEntry,
) -> Result<HttpResponse, ApiError> {
    let tn = tracking_number(path)?;
    let staff = auth::staff_only(&state, &req).await?;
    let command = RecordEntry::parse(kind, raw).map_err(ApiError::invalid)?;
    Ok(case(
        state
            .app
            .record_fee(Caller::Staff(staff), tn, command)
            .await?,
    ))
}

/// Record a payment on the accepted estimate; the requester is sent a receipt.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/fees/payments", tag = "fees", operation_id = "record_payment",
    params(("tracking_number" = String, Path)), request_body = PaymentBody, security(("staff" = [])),
    responses((status = 200, description = "Recorded; a receipt sent", body = CaseView),
              (status = 403, description = "Not staff, or not theirs to manage", body = ErrorBody),
              (status = 409, description = "No accepted estimate on a grant, or a stale version (two payments on one version: one is taken)", body = ErrorBody),
              (status = 422, description = "An amount of zero or less, over the maximum or over what is owed; a method or reference missing", body = ErrorBody))
)]
pub async fn payment(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<PaymentBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let raw = RawEntry {
        amount_cents: b.amount_cents,
        amount: None,
        method: b.method,
        reference: b.reference,
        reason: None,
        version: b.version,
    };
    record(state, req, path, EntryKind::Payment, raw).await
}

/// Waive all or part of the fee, with the reason; the requester is told.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/fees/waivers", tag = "fees", operation_id = "waive_fee",
    params(("tracking_number" = String, Path)), request_body = WaiverBody, security(("staff" = [])),
    responses((status = 200, description = "Waived", body = CaseView),
              (status = 403, description = "Not staff, or not theirs to manage", body = ErrorBody),
              (status = 409, description = "No estimate on a grant, a declined one, or a stale version", body = ErrorBody),
              (status = 422, description = "An amount of zero or less, over the maximum or over what is not yet waived; no reason", body = ErrorBody))
)]
pub async fn waiver(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<WaiverBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let raw = RawEntry {
        amount_cents: b.amount_cents,
        amount: None,
        method: None,
        reference: None,
        reason: b.reason,
        version: b.version,
    };
    record(state, req, path, EntryKind::Waiver, raw).await
}

/// Record a refund of money paid; the requester is told.
#[utoipa::path(
    post, path = "/api/v1/requests/{tracking_number}/fees/refunds", tag = "fees", operation_id = "refund_fee",
    params(("tracking_number" = String, Path)), request_body = RefundBody, security(("staff" = [])),
    responses((status = 200, description = "Refunded", body = CaseView),
              (status = 403, description = "Not staff, or not theirs to manage", body = ErrorBody),
              (status = 409, description = "No estimate on a grant, or a stale version", body = ErrorBody),
              (status = 422, description = "An amount of zero or less, over the maximum or over what was paid and not refunded; no reason", body = ErrorBody))
)]
pub async fn refund(
    state: web::Data<AppState>,
    req: HttpRequest,
    path: web::Path<String>,
    body: web::Json<RefundBody>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let raw = RawEntry {
        amount_cents: b.amount_cents,
        amount: None,
        method: b.method,
        reference: b.reference,
        reason: b.reason,
        version: b.version,
    };
    record(state, req, path, EntryKind::Refund, raw).await
}
