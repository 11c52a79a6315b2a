//! Fee estimates and the payments, waivers and refunds on them (docs/PRODUCT.md, "Fees").

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{fee_entries, fee_estimates};
use super::Conn;
use crate::domain::access::StaffId;
use crate::domain::fees::{Account, Cents, EntryKind, EstimateStatus, Line, Method};
use crate::domain::ids::RequestId;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = fee_estimates)]
struct EstimateRow {
    id: i64,
    request_id: RequestId,
    number: i32,
    status: String,
    lines: String,
    total_cents: i64,
    note: Option<String>,
    issued_by: StaffId,
    issued_at: NaiveDateTime,
    answered_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = fee_entries)]
struct EntryRow {
    id: i64,
    request_id: RequestId,
    estimate_id: i64,
    kind: String,
    amount_cents: i64,
    method: Option<String>,
    reference: Option<String>,
    reason: Option<String>,
    recorded_by: Option<StaffId>,
    recorded_at: NaiveDateTime,
}

/// An estimate as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    pub id: i64,
    pub request_id: RequestId,
    pub number: i32,
    pub status: EstimateStatus,
    pub lines: Vec<Line>,
    pub total: Cents,
    pub note: Option<String>,
    pub issued_by: StaffId,
    pub issued_at: NaiveDateTime,
    pub answered_at: Option<NaiveDateTime>,
}

/// A payment, waiver or refund as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: i64,
    pub estimate_id: i64,
    pub kind: EntryKind,
    pub amount: Cents,
    pub method: Option<Method>,
    pub reference: Option<String>,
    pub reason: Option<String>,
    pub recorded_by: Option<StaffId>,
    pub recorded_at: NaiveDateTime,
}

fn corrupt(what: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(
        format!("a stored fee {what} is not one this service writes").into(),
    )
}

impl TryFrom<EstimateRow> for Estimate {
    type Error = diesel::result::Error;

    fn try_from(row: EstimateRow) -> QueryResult<Estimate> {
        Ok(Estimate {
            id: row.id,
            request_id: row.request_id,
            number: row.number,
            status: EstimateStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
            lines: serde_json::from_str(&row.lines).map_err(|_| corrupt("line"))?,
            total: Cents(row.total_cents),
            note: row.note,
            issued_by: row.issued_by,
            issued_at: row.issued_at,
            answered_at: row.answered_at,
        })
    }
}

impl TryFrom<EntryRow> for Entry {
    type Error = diesel::result::Error;

    fn try_from(row: EntryRow) -> QueryResult<Entry> {
        let _ = row.request_id;
        Ok(Entry {
            id: row.id,
            estimate_id: row.estimate_id,
            kind: EntryKind::parse(&row.kind).ok_or_else(|| corrupt("entry"))?,
            amount: Cents(row.amount_cents),
            method: match row.method {
                Some(m) => Some(Method::parse(&m).ok_or_else(|| corrupt("payment method"))?),
                None => None,
            },
            reference: row.reference,
            reason: row.reason,
            recorded_by: row.recorded_by,
            recorded_at: row.recorded_at,
        })
    }
}

/// A request's fees: its estimates, newest last, and every entry on them in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fees {
    pub estimates: Vec<Estimate>,
    pub entries: Vec<Entry>,
}

impl Fees {
    /// The estimate in force: the newest, unless it was replaced (it never is while newest).
    pub fn current(&self) -> Option<&Estimate> {
        self.estimates
            .last()
            .filter(|e| e.status != EstimateStatus::Replaced)
    }

    /// The current estimate's money.
    pub fn account(&self) -> Option<Account> {
        let estimate = self.current()?;
        let mut account = Account::new(estimate.total);
        for entry in self.entries.iter().filter(|e| e.estimate_id == estimate.id) {
            match entry.kind {
                EntryKind::Payment => account.paid = Cents(account.paid.0 + entry.amount.0),
                EntryKind::Waiver => account.waived = Cents(account.waived.0 + entry.amount.0),
                EntryKind::Refund => account.refunded = Cents(account.refunded.0 + entry.amount.0),
            }
        }
        Some(account)
    }

    /// Money paid and not refunded on any of the request's estimates.
    pub fn net_paid_all(&self) -> Cents {
        Cents(
            self.entries
                .iter()
                .map(|e| match e.kind {
                    EntryKind::Payment => e.amount.0,
                    EntryKind::Refund => -e.amount.0,
                    EntryKind::Waiver => 0,
                })
                .sum(),
        )
    }
}

pub fn for_request(conn: &mut Conn, request_id: RequestId) -> QueryResult<Fees> {
    let estimates = fee_estimates::table
        .filter(fee_estimates::request_id.eq(request_id))
        .order(fee_estimates::number)
        .select(EstimateRow::as_select())
        .load(conn)?
        .into_iter()
        .map(Estimate::try_from)
        .collect::<QueryResult<Vec<_>>>()?;
    let entries = if estimates.is_empty() {
        Vec::new()
    } else {
        fee_entries::table
            .filter(fee_entries::request_id.eq(request_id))
            .order(fee_entries::id)
            .select(EntryRow::as_select())
            .load(conn)?
            .into_iter()
            .map(Entry::try_from)
            .collect::<QueryResult<Vec<_>>>()?
    };
    Ok(Fees { estimates, entries })
}

/// A new estimate, numbered after the request's last.
#[derive(Debug)]
pub struct NewEstimate<'a> {
    pub request_id: RequestId,
    pub number: i32,
    pub status: EstimateStatus,
    pub lines: &'a [Line],
    pub total: Cents,
    pub note: Option<&'a str>,
    pub issued_by: StaffId,
    pub issued_at: NaiveDateTime,
}

pub fn insert_estimate(conn: &mut Conn, new: &NewEstimate<'_>) -> QueryResult<i64> {
    let lines = serde_json::to_string(new.lines)
        .map_err(|e| diesel::result::Error::SerializationError(Box::new(e)))?;
    diesel::insert_into(fee_estimates::table)
        .values((
            fee_estimates::request_id.eq(new.request_id),
            fee_estimates::number.eq(new.number),
            fee_estimates::status.eq(new.status.as_str()),
            fee_estimates::lines.eq(lines),
            fee_estimates::total_cents.eq(new.total.0),
            fee_estimates::note.eq(new.note),
            fee_estimates::issued_by.eq(new.issued_by),
            fee_estimates::issued_at.eq(new.issued_at),
        ))
        .returning(fee_estimates::id)
        .get_result(conn)
}

/// An estimate's new standing: answered, or replaced by a newer one.
pub fn set_status(
    conn: &mut Conn,
    estimate_id: i64,
    status: EstimateStatus,
    answered_at: Option<NaiveDateTime>,
) -> QueryResult<()> {
    diesel::update(fee_estimates::table.filter(fee_estimates::id.eq(estimate_id)))
        .set((
            fee_estimates::status.eq(status.as_str()),
            fee_estimates::answered_at.eq(answered_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// A payment, waiver or refund to record.
#[derive(Debug)]
pub struct NewEntry<'a> {
    pub request_id: RequestId,
    pub estimate_id: i64,
    pub kind: EntryKind,
    pub amount: Cents,
    pub method: Option<Method>,
    pub reference: Option<&'a str>,
    pub reason: Option<&'a str>,
    pub recorded_by: Option<StaffId>,
    pub recorded_at: NaiveDateTime,
}

pub fn insert_entry(conn: &mut Conn, new: &NewEntry<'_>) -> QueryResult<i64> {
    diesel::insert_into(fee_entries::table)
        .values((
            fee_entries::request_id.eq(new.request_id),
            fee_entries::estimate_id.eq(new.estimate_id),
            fee_entries::kind.eq(new.kind.as_str()),
            fee_entries::amount_cents.eq(new.amount.0),
            fee_entries::method.eq(new.method.map(Method::as_str)),
            fee_entries::reference.eq(new.reference),
            fee_entries::reason.eq(new.reason),
            fee_entries::recorded_by.eq(new.recorded_by),
            fee_entries::recorded_at.eq(new.recorded_at),
        ))
        .returning(fee_entries::id)
        .get_result(conn)
}
