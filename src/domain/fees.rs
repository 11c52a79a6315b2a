//! Fees (docs/PRODUCT.md, "Fees"): what the city may charge for a granted request's records,
//! priced from its fee schedule, and the account of what was estimated, paid, waived and
//! refunded. Money is whole cents (`Cents`, an `i64`) and every sum is checked: there is no
//! float anywhere, and an amount that would overflow is refused, never wrapped.
//!
//! The law these rules encode: a copy costs only the direct cost of duplication, or a
//! statutory fee (Gov. Code §7922.530(a)); inspecting costs nothing (§7922.530(b)); an
//! electronic copy costs the direct cost of producing it (§7922.575(a)), and the cost of
//! programming, compiling or extracting data, or of producing a record outside its regular
//! schedule, only when the request needs that work (§7922.575(b)). Time spent searching for,
//! reviewing or redacting records is never charged. A fee never stops the determination clock.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::input::{limits, FieldErrors, Text};

/// An amount of money in whole US cents.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Cents(pub i64);

impl Cents {
    pub const ZERO: Cents = Cents(0);

    pub fn checked_add(self, other: Cents) -> Option<Cents> {
        self.0.checked_add(other.0).map(Cents)
    }

    pub fn checked_sub(self, other: Cents) -> Option<Cents> {
        self.0.checked_sub(other.0).map(Cents)
    }

    pub fn is_positive(self) -> bool {
        self.0 > 0
    }

    /// Dollars and cents as a US reader writes them: `$1,234.05`, `-$3.50`.
    pub fn dollars(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = (abs / 100).to_string();
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        format!("{sign}${grouped}.{:02}", abs % 100)
    }

    /// Reads an amount as staff type it on a form: `12`, `12.5`, `$1,234.05`. Never through a
    /// float: the digits after the point are the cents.
    pub fn parse_dollars(raw: &str) -> Result<Cents, String> {
        const SHAPE: &str = "give an amount in dollars and cents, like 12.50";
        let s = raw.trim().trim_start_matches('$').replace(',', "");
        if s.is_empty() {
            return Err("give an amount in dollars and cents, like 12.50".into());
        }
        let (whole, fraction) = match s.split_once('.') {
            Some((w, f)) => (w, f),
            None => (s.as_str(), ""),
        };
        let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
        if whole.is_empty() && fraction.is_empty()
            || !digits(whole)
            || !digits(fraction)
            || fraction.len() > 2
            || whole.len() > 12
        {
            return Err(SHAPE.into());
        }
        let whole: i64 = if whole.is_empty() {
            0
        } else {
            whole.parse().map_err(|_| SHAPE.to_string())?
        };
        let cents: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().map_err(|_| SHAPE.to_string())? * 10,
            _ => fraction.parse().map_err(|_| SHAPE.to_string())?,
        };
        whole
            .checked_mul(100)
            .and_then(|w| w.checked_add(cents))
            .map(Cents)
            .ok_or_else(|| SHAPE.to_string())
    }
}

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.dollars())
    }
}

/// Whether a copy is on paper (or another physical copy of a paper record) or electronic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    Paper,
    Electronic,
}

impl Form {
    pub fn parse(raw: &str) -> Option<Form> {
        match raw {
            "paper" => Some(Form::Paper),
            "electronic" => Some(Form::Electronic),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Form::Paper => "paper",
            Form::Electronic => "electronic",
        }
    }
}

/// What a schedule item is: how it is counted and which rule it rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    /// A page of a paper copy, of one size.
    Page,
    /// The medium an electronic copy is delivered on (a USB drive, a disc).
    Medium,
    /// A flat fee for a named item that a statute or the city's fee schedule sets (a police
    /// report).
    Flat,
}

/// The rule a fee line rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// The direct cost of duplication (Gov. Code §7922.530(a)).
    Duplication,
    /// A statutory fee, or the city's fee schedule for a named item (§7922.530(a)).
    StatutoryFee,
    /// The direct cost of producing an electronic copy (§7922.575(a)).
    ElectronicCopy,
    /// Programming, compiling or extracting data, or producing a record outside its regular
    /// schedule (§7922.575(b)).
    Programming,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Duplication => "duplication",
            Rule::StatutoryFee => "statutory_fee",
            Rule::ElectronicCopy => "electronic_copy",
            Rule::Programming => "programming",
        }
    }

    /// The section the line rests on, as a letter cites it.
    pub fn citation(self) -> &'static str {
        match self {
            Rule::Duplication | Rule::StatutoryFee => "Gov. Code §7922.530(a)",
            Rule::ElectronicCopy => "Gov. Code §7922.575(a)",
            Rule::Programming => "Gov. Code §7922.575(b)",
        }
    }

    /// What the rule allows, in a resident's words.
    pub fn words(self) -> &'static str {
        match self {
            Rule::Duplication => "the direct cost of making the copy",
            Rule::StatutoryFee => "a fee set by law or by the City's fee schedule",
            Rule::ElectronicCopy => "the direct cost of producing the electronic copy",
            Rule::Programming => {
                "the cost of the programming or data work your request needs to produce the copy"
            }
        }
    }
}

/// Why §7922.575(b) applies to a request: the law allows the charge for these two reasons only.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProgrammingBasis {
    /// The request needs data compilation, extraction or programming (§7922.575(b)(2)).
    Compilation,
    /// The record is otherwise produced only at regularly scheduled intervals (§7922.575(b)(1)).
    OutsideSchedule,
}

impl ProgrammingBasis {
    pub fn parse(raw: &str) -> Option<ProgrammingBasis> {
        match raw {
            "compilation" => Some(ProgrammingBasis::Compilation),
            "outside_schedule" => Some(ProgrammingBasis::OutsideSchedule),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ProgrammingBasis::Compilation => "compilation",
            ProgrammingBasis::OutsideSchedule => "outside_schedule",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            ProgrammingBasis::Compilation => {
                "your request needs data to be compiled or extracted, or a program written"
            }
            ProgrammingBasis::OutsideSchedule => {
                "the record is otherwise produced only at regularly scheduled times"
            }
        }
    }
}

/// One priced item of the city's fee schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleItem {
    /// How the API and the forms name it (`letter_page`, `usb_drive`, `police_report`).
    pub key: String,
    /// What a resident reads (`Paper copy, letter size, per page`).
    pub name: String,
    pub kind: ItemKind,
    pub price: Cents,
}

impl ScheduleItem {
    pub fn form(&self) -> Form {
        match self.kind {
            ItemKind::Page | ItemKind::Flat => Form::Paper,
            ItemKind::Medium => Form::Electronic,
        }
    }

    pub fn rule(&self) -> Rule {
        match self.kind {
            ItemKind::Page => Rule::Duplication,
            ItemKind::Medium => Rule::ElectronicCopy,
            ItemKind::Flat => Rule::StatutoryFee,
        }
    }
}

/// The item key of a §7922.575(b) line, priced by the hour.
pub const PROGRAMMING: &str = "programming";
/// The item key of another direct cost of a copy that the schedule does not list (an outside
/// vendor's copy of an oversized map): its price is given, its rule follows its form.
pub const DIRECT_COST: &str = "direct_cost";

/// Items staff sometimes reach for that the law never lets the city charge.
const NEVER_CHARGED: &[&str] = &[
    "search",
    "searching",
    "review",
    "reviewing",
    "redaction",
    "redacting",
    "staff_time",
    "inspection",
];

/// The most lines one estimate holds, and the most of one item.
pub const MAX_LINES: usize = 50;
pub const MAX_QUANTITY: i64 = 100_000;

/// The city's fee schedule and the limits on what one estimate or one payment may be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeSchedule {
    pub items: Vec<ScheduleItem>,
    /// The hourly rate of §7922.575(b) work.
    pub programming_hourly: Cents,
    /// No estimate total, and no single payment, waiver or refund, may be more.
    pub max: Cents,
    /// An estimate whose total is under this is waived whole when it is made (zero: never).
    pub waive_under: Cents,
    /// Paper copies are handed over only once their fee is paid.
    pub paper_waits_for_payment: bool,
}

impl FeeSchedule {
    pub fn item(&self, key: &str) -> Option<&ScheduleItem> {
        self.items.iter().find(|i| i.key == key)
    }

    /// What is wrong with a schedule, for the config check at start.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let mut keys = std::collections::BTreeSet::new();
        for item in &self.items {
            if !keys.insert(item.key.as_str()) {
                problems.push(format!("fees.items: {} is listed twice", item.key));
            }
            if item.key.is_empty()
                || !item
                    .key
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            {
                problems.push(format!(
                    "fees.items: the key {:?} must be lower-case letters, digits and _",
                    item.key
                ));
            }
            if [PROGRAMMING, DIRECT_COST].contains(&item.key.as_str())
                || NEVER_CHARGED.contains(&item.key.as_str())
            {
                problems.push(format!(
                    "fees.items: {} cannot be a schedule item's key",
                    item.key
                ));
            }
            if item.name.trim().is_empty() {
                problems.push(format!("fees.items: {} has no name", item.key));
            }
            if !item.price.is_positive() || item.price > self.max {
                problems.push(format!(
                    "fees.items: {} costs {}: give more than zero and no more than fees.max_cents",
                    item.key, item.price
                ));
            }
        }
        if !self.programming_hourly.is_positive() || self.programming_hourly > self.max {
            problems.push(
                "fees.programming_hourly_cents: give more than zero and no more than fees.max_cents"
                    .into(),
            );
        }
        if !self.max.is_positive() || self.max.0 > 1_000_000_000 {
            problems.push("fees.max_cents: give from 1 to 1000000000 ($10,000,000)".into());
        }
        if self.waive_under.0 < 0 || self.waive_under > self.max {
            problems.push("fees.waive_under_cents: give 0 to fees.max_cents".into());
        }
        problems
    }
}

/// A fee line as a face reads it.
#[derive(Debug, Clone, Default)]
pub struct RawLine {
    pub item: Option<String>,
    pub quantity: Option<i64>,
    /// Only for a direct cost the schedule does not list.
    pub unit_cents: Option<i64>,
    pub description: Option<String>,
    /// `paper` or `electronic`: the records the line's copy is of.
    pub form: Option<String>,
    /// §7922.575(b): `compilation` or `outside_schedule`.
    pub basis: Option<String>,
    /// §7922.575(b): what the work is and why the request needs it.
    pub reason: Option<String>,
}

/// One priced line of an estimate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub item: String,
    /// What the line is, as the requester reads it.
    pub description: String,
    /// Pages, drives, items; minutes for §7922.575(b) work.
    pub quantity: i64,
    /// The price of one; per hour for §7922.575(b) work.
    pub unit: Cents,
    pub amount: Cents,
    pub rule: Rule,
    pub form: Form,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<ProgrammingBasis>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

impl Line {
    /// Whether the quantity counts minutes (priced by the hour).
    pub fn by_the_hour(&self) -> bool {
        self.rule == Rule::Programming
    }
}

/// An estimate's lines and their total.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Priced {
    pub lines: Vec<Line>,
    pub total: Cents,
}

/// Minutes of work at an hourly rate, rounded to the nearest cent (half up).
pub fn by_the_hour(hourly: Cents, minutes: i64) -> Option<Cents> {
    hourly
        .0
        .checked_mul(minutes)?
        .checked_add(30)
        .map(|c| Cents(c / 60))
}

/// Prices an estimate's lines from the schedule. Each line's errors are named
/// `lines[i].field`; the total's, `lines`.
pub fn price(schedule: &FeeSchedule, raw: &[RawLine]) -> Result<Priced, FieldErrors> {
    let mut errors = FieldErrors::default();
    if raw.is_empty() {
        errors.add("lines", "give at least one line: what is charged for");
        return Err(errors);
    }
    if raw.len() > MAX_LINES {
        errors.add(
            "lines",
            format!("an estimate has at most {MAX_LINES} lines"),
        );
        return Err(errors);
    }
    let mut lines = Vec::with_capacity(raw.len());
    for (i, raw) in raw.iter().enumerate() {
        if let Some(line) = price_line(schedule, raw, &format!("lines[{i}]"), &mut errors) {
            lines.push(line);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let total = lines
        .iter()
        .try_fold(Cents::ZERO, |sum, line| sum.checked_add(line.amount));
    match total {
        Some(total) if total <= schedule.max => Ok(Priced { lines, total }),
        _ => {
            errors.add(
                "lines",
                format!(
                    "the total is more than the most one estimate may be ({})",
                    schedule.max
                ),
            );
            Err(errors)
        }
    }
}

fn price_line(
    schedule: &FeeSchedule,
    raw: &RawLine,
    at: &str,
    errors: &mut FieldErrors,
) -> Option<Line> {
    let field = |name: &str| format!("{at}.{name}");
    // Names as the schedule writes them, exactly: the forms send the key of a choice.
    let item = raw.item.as_deref().unwrap_or("");
    if item.is_empty() {
        errors.add(field("item"), "say what the line charges for: an item of the fee schedule, programming or direct_cost");
        return None;
    }
    if NEVER_CHARGED.contains(&item) {
        errors.add(
            field("item"),
            "nothing may be charged for time spent searching for, reviewing or redacting records, or for inspecting them (Gov. Code §7922.530): charge only for copies",
        );
        return None;
    }
    let quantity = match raw.quantity {
        Some(q) if (1..=MAX_QUANTITY).contains(&q) => Some(q),
        Some(_) => {
            errors.add(
                field("quantity"),
                format!("give a whole number from 1 to {MAX_QUANTITY}"),
            );
            None
        }
        None => {
            errors.add(
                field("quantity"),
                "give how many: pages, items, or minutes of work",
            );
            None
        }
    };
    let form = match raw.form.as_deref() {
        Some(f) => match Form::parse(f) {
            Some(form) => Some(form),
            None => {
                errors.add(field("form"), "say paper or electronic");
                return None;
            }
        },
        None => None,
    };
    let description = match raw.description.as_deref().filter(|s| !s.trim().is_empty()) {
        Some(d) => errors
            .check(&field("description"), Text::line(d, limits::NAME))
            .map(Text::into_string),
        None => None,
    };
    let prefix = format!("{at}.");
    if errors.0.keys().any(|k| k.starts_with(&prefix)) {
        return None;
    }
    let quantity = quantity?;
    let given_price = raw.unit_cents;
    let unit_refused = |errors: &mut FieldErrors| {
        errors.add(
            field("unit_cents"),
            "the fee schedule sets this item's price: leave the price out",
        )
    };
    let (unit, rule, form, description, basis, reason) = match item {
        PROGRAMMING => {
            if given_price.is_some() {
                unit_refused(errors);
                return None;
            }
            if form == Some(Form::Paper) {
                errors.add(
                    field("form"),
                    "programming or data work may be charged only to produce electronic records (Gov. Code §7922.575(b)), never for paper records",
                );
                return None;
            }
            let basis = match raw
                .basis
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
            {
                Some(b) => match ProgrammingBasis::parse(b) {
                    Some(basis) => Some(basis),
                    None => {
                        errors.add(
                            field("basis"),
                            "say why §7922.575(b) applies: compilation (the request needs data compiled or extracted, or a program written) or outside_schedule (the record is otherwise produced only at regular intervals)",
                        );
                        None
                    }
                },
                None => {
                    errors.add(
                        field("basis"),
                        "say why §7922.575(b) applies: compilation or outside_schedule",
                    );
                    None
                }
            };
            let reason = match raw.reason.as_deref().filter(|s| !s.trim().is_empty()) {
                Some(r) => errors
                    .check(&field("reason"), Text::multiline(r, limits::FIELD_TEXT))
                    .map(Text::into_string),
                None => {
                    errors.add(
                        field("reason"),
                        "say what work the request needs and why: the requester reads it",
                    );
                    None
                }
            };
            (
                schedule.programming_hourly,
                Rule::Programming,
                Form::Electronic,
                description.unwrap_or_else(|| "Programming and data work".to_string()),
                Some(basis?),
                Some(reason?),
            )
        }
        DIRECT_COST => {
            let unit = match given_price {
                Some(p) if p > 0 && Cents(p) <= schedule.max => Some(Cents(p)),
                Some(_) => {
                    errors.add(
                        field("unit_cents"),
                        format!(
                            "give a price in cents from 1 to {} ({})",
                            schedule.max.0, schedule.max
                        ),
                    );
                    None
                }
                None => {
                    errors.add(field("unit_cents"), "give the direct cost of one, in cents");
                    None
                }
            };
            let form = form.or_else(|| {
                errors.add(field("form"), "say whether the copy is paper or electronic");
                None
            });
            let description = description.or_else(|| {
                errors.add(
                    field("description"),
                    "say what the cost is for: the requester reads it",
                );
                None
            });
            let form = form?;
            let rule = match form {
                Form::Paper => Rule::Duplication,
                Form::Electronic => Rule::ElectronicCopy,
            };
            (unit?, rule, form, description?, None, None)
        }
        key => {
            let Some(item) = schedule.item(key) else {
                errors.add(
                    field("item"),
                    format!("{key} is not in the fee schedule: choose one of its items, programming or direct_cost"),
                );
                return None;
            };
            if given_price.is_some() {
                unit_refused(errors);
                return None;
            }
            if form.is_some_and(|f| f != item.form()) {
                errors.add(
                    field("form"),
                    format!("{} is a {} copy", item.name, item.form().as_str()),
                );
                return None;
            }
            (
                item.price,
                item.rule(),
                item.form(),
                description.unwrap_or_else(|| item.name.clone()),
                None,
                None,
            )
        }
    };
    let amount = if rule == Rule::Programming {
        by_the_hour(unit, quantity)
    } else {
        unit.0.checked_mul(quantity).map(Cents)
    };
    match amount {
        Some(amount) if amount <= schedule.max => Some(Line {
            item: item.to_string(),
            description,
            quantity,
            unit,
            amount,
            rule,
            form,
            basis,
            reason,
        }),
        _ => {
            errors.add(
                field("quantity"),
                format!(
                    "this line comes to more than the most one estimate may be ({})",
                    schedule.max
                ),
            );
            None
        }
    }
}

/// Where an estimate stands with its requester.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EstimateStatus {
    /// Sent; the requester has not said whether they accept it.
    Awaiting,
    Accepted,
    /// Nothing is charged; the records that need no payment are still produced.
    Declined,
    /// Under the amount the city waives: nothing to pay, nothing to accept.
    Waived,
    /// A newer estimate took its place.
    Replaced,
}

impl EstimateStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            EstimateStatus::Awaiting => "awaiting",
            EstimateStatus::Accepted => "accepted",
            EstimateStatus::Declined => "declined",
            EstimateStatus::Waived => "waived",
            EstimateStatus::Replaced => "replaced",
        }
    }

    /// Where it stands, in words.
    pub fn words(self) -> &'static str {
        match self {
            EstimateStatus::Awaiting => "waiting for the requester's answer",
            EstimateStatus::Accepted => "accepted",
            EstimateStatus::Declined => "declined",
            EstimateStatus::Waived => "waived: there is nothing to pay",
            EstimateStatus::Replaced => "replaced by a newer estimate",
        }
    }

    pub fn parse(raw: &str) -> Option<EstimateStatus> {
        [
            EstimateStatus::Awaiting,
            EstimateStatus::Accepted,
            EstimateStatus::Declined,
            EstimateStatus::Waived,
            EstimateStatus::Replaced,
        ]
        .into_iter()
        .find(|s| s.as_str() == raw)
    }
}

/// How a payment was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Cash,
    Check,
    Card,
}

impl Method {
    pub fn parse(raw: &str) -> Option<Method> {
        match raw {
            "cash" => Some(Method::Cash),
            "check" => Some(Method::Check),
            "card" => Some(Method::Card),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Method::Cash => "cash",
            Method::Check => "check",
            Method::Card => "card",
        }
    }

    pub fn words(self) -> &'static str {
        match self {
            Method::Cash => "Cash",
            Method::Check => "Check",
            Method::Card => "Card",
        }
    }
}

/// One movement of money on an estimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    Payment,
    Waiver,
    Refund,
}

impl EntryKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EntryKind::Payment => "payment",
            EntryKind::Waiver => "waiver",
            EntryKind::Refund => "refund",
        }
    }

    pub fn parse(raw: &str) -> Option<EntryKind> {
        match raw {
            "payment" => Some(EntryKind::Payment),
            "waiver" => Some(EntryKind::Waiver),
            "refund" => Some(EntryKind::Refund),
            _ => None,
        }
    }
}

/// What an estimate's money stands at. `total = waived + (paid − refunded) + balance`, always:
/// a balance below zero is money the city owes back (a waiver after payment), and a refund
/// pays it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub total: Cents,
    pub waived: Cents,
    pub paid: Cents,
    pub refunded: Cents,
}

/// Why a payment, waiver or refund cannot be recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("give an amount of more than zero")]
    NotPositive,
    #[error("no one payment, waiver or refund may be more than {0}")]
    OverMax(Cents),
    #[error("the payment is more than the {0} still owed")]
    OverBalance(Cents),
    #[error("nothing is owed")]
    NothingOwed,
    #[error("only {0} of the fee is not yet waived")]
    OverWaivable(Cents),
    #[error("a refund may be no more than the {0} paid and not yet refunded")]
    OverPaid(Cents),
}

impl Account {
    pub fn new(total: Cents) -> Account {
        Account {
            total,
            ..Account::default()
        }
    }

    /// What was paid and not refunded.
    pub fn net_paid(&self) -> Cents {
        Cents(self.paid.0 - self.refunded.0)
    }

    /// What is still owed (below zero: owed back to the requester).
    pub fn balance(&self) -> Cents {
        Cents(self.total.0 - self.waived.0 - self.paid.0 + self.refunded.0)
    }

    /// The account after one more entry, or why the entry is refused. Every amount is at most
    /// `max`, and an account only ever holds amounts no larger than its total plus its
    /// payments, so the sums cannot overflow for any `max` the schedule allows.
    pub fn apply(&self, kind: EntryKind, amount: Cents, max: Cents) -> Result<Account, EntryError> {
        if !amount.is_positive() {
            return Err(EntryError::NotPositive);
        }
        if amount > max {
            return Err(EntryError::OverMax(max));
        }
        let mut next = *self;
        match kind {
            EntryKind::Payment => {
                let balance = self.balance();
                if !balance.is_positive() {
                    return Err(EntryError::NothingOwed);
                }
                if amount > balance {
                    return Err(EntryError::OverBalance(balance));
                }
                next.paid = Cents(self.paid.0 + amount.0);
            }
            EntryKind::Waiver => {
                let waivable = Cents(self.total.0 - self.waived.0);
                if amount > waivable {
                    return Err(EntryError::OverWaivable(waivable));
                }
                next.waived = Cents(self.waived.0 + amount.0);
            }
            EntryKind::Refund => {
                let net = self.net_paid();
                if amount > net {
                    return Err(EntryError::OverPaid(net));
                }
                next.refunded = Cents(self.refunded.0 + amount.0);
            }
        }
        Ok(next)
    }
}

/// Whether the requester has a fee to pay before paper copies are handed over.
pub fn paper_waits(schedule: &FeeSchedule, status: EstimateStatus, account: &Account) -> bool {
    schedule.paper_waits_for_payment
        && matches!(status, EstimateStatus::Awaiting | EstimateStatus::Accepted)
        && account.balance().is_positive()
}

/// Whether an estimate is waived whole the moment it is made.
pub fn waived_on_estimate(schedule: &FeeSchedule, total: Cents) -> bool {
    total < schedule.waive_under
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    pub(crate) fn schedule() -> FeeSchedule {
        FeeSchedule {
            items: vec![
                ScheduleItem {
                    key: "letter_page".into(),
                    name: "Paper copy, letter size, per page".into(),
                    kind: ItemKind::Page,
                    price: Cents(10),
                },
                ScheduleItem {
                    key: "usb_drive".into(),
                    name: "USB drive".into(),
                    kind: ItemKind::Medium,
                    price: Cents(500),
                },
                ScheduleItem {
                    key: "police_report".into(),
                    name: "Police report".into(),
                    kind: ItemKind::Flat,
                    price: Cents(400),
                },
            ],
            programming_hourly: Cents(9_000),
            max: Cents(1_000_000),
            waive_under: Cents(0),
            paper_waits_for_payment: true,
        }
    }

    fn line(item: &str, quantity: i64) -> RawLine {
        RawLine {
            item: Some(item.into()),
            quantity: Some(quantity),
            ..RawLine::default()
        }
    }

    #[test]
    fn a_page_costs_the_schedule_price_times_the_pages() {
        let priced = price(
            &schedule(),
            &[line("letter_page", 120), line("usb_drive", 1)],
        )
        .unwrap();
        assert_eq!(priced.lines[0].amount, Cents(1_200));
        assert_eq!(priced.lines[0].rule, Rule::Duplication);
        assert_eq!(priced.lines[0].form, Form::Paper);
        assert_eq!(priced.lines[1].rule, Rule::ElectronicCopy);
        assert_eq!(priced.total, Cents(1_700));
    }

    #[test]
    fn search_review_and_redaction_are_never_charged() {
        for item in ["search", "review", "redaction", "staff_time", "inspection"] {
            let errors = price(&schedule(), &[line(item, 1)]).unwrap_err();
            assert!(errors.0["lines[0].item"][0].contains("searching for, reviewing or redacting"));
        }
    }

    #[test]
    fn programming_needs_its_basis_and_reason_and_electronic_records() {
        let errors = price(&schedule(), &[line(PROGRAMMING, 90)]).unwrap_err();
        assert!(errors.0.contains_key("lines[0].basis"));
        assert!(errors.0.contains_key("lines[0].reason"));
        let paper = RawLine {
            form: Some("paper".into()),
            basis: Some("compilation".into()),
            reason: Some("A query joining two systems".into()),
            ..line(PROGRAMMING, 90)
        };
        let errors = price(&schedule(), &[paper]).unwrap_err();
        assert!(errors.0["lines[0].form"][0].contains("§7922.575(b)"));
        let good = RawLine {
            basis: Some("compilation".into()),
            reason: Some("A query joining two systems".into()),
            ..line(PROGRAMMING, 90)
        };
        let priced = price(&schedule(), &[good]).unwrap();
        // 90 minutes at $90.00 an hour.
        assert_eq!(priced.total, Cents(13_500));
        assert_eq!(priced.lines[0].rule.citation(), "Gov. Code §7922.575(b)");
    }

    #[test]
    fn minutes_are_priced_to_the_nearest_cent() {
        assert_eq!(by_the_hour(Cents(100), 1), Some(Cents(2))); // 1.67 → 2
        assert_eq!(by_the_hour(Cents(100), 2), Some(Cents(3))); // 3.33 → 3
        assert_eq!(by_the_hour(Cents(90), 1), Some(Cents(2))); // 1.5 → 2
        assert_eq!(by_the_hour(Cents(i64::MAX), 2), None);
    }

    #[test]
    fn bad_quantities_prices_and_items_are_refused_by_line() {
        let errors = price(
            &schedule(),
            &[
                line("letter_page", 0),
                line("letter_page", -3),
                line("nonesuch", 1),
                RawLine {
                    unit_cents: Some(5),
                    ..line("letter_page", 1)
                },
                RawLine {
                    unit_cents: Some(0),
                    form: Some("paper".into()),
                    description: Some("Map".into()),
                    ..line(DIRECT_COST, 1)
                },
                RawLine {
                    unit_cents: Some(-5),
                    form: Some("paper".into()),
                    description: Some("Map".into()),
                    ..line(DIRECT_COST, 1)
                },
                line(DIRECT_COST, 1),
            ],
        )
        .unwrap_err();
        for key in [
            "lines[0].quantity",
            "lines[1].quantity",
            "lines[2].item",
            "lines[3].unit_cents",
            "lines[4].unit_cents",
            "lines[5].unit_cents",
            "lines[6].unit_cents",
            "lines[6].form",
            "lines[6].description",
        ] {
            assert!(errors.0.contains_key(key), "{key}: {errors:?}");
        }
        assert!(price(&schedule(), &[]).unwrap_err().0.contains_key("lines"));
    }

    #[test]
    fn a_total_over_the_maximum_is_refused_and_so_is_overflow() {
        let errors = price(
            &schedule(),
            &[
                RawLine {
                    unit_cents: Some(900_000),
                    form: Some("paper".into()),
                    description: Some("Map".into()),
                    ..line(DIRECT_COST, 1)
                },
                line("usb_drive", 100_000),
            ],
        )
        .unwrap_err();
        assert!(errors.0.contains_key("lines[1].quantity"), "{errors:?}");
        let mut big = schedule();
        big.max = Cents(i64::MAX);
        big.items[0].price = Cents(i64::MAX / 2);
        let errors = price(&big, &[line("letter_page", 3)]).unwrap_err();
        assert!(errors.0.contains_key("lines[0].quantity"));
        let errors = price(
            &big,
            &[
                line("letter_page", 1),
                line("letter_page", 1),
                line("letter_page", 1),
            ],
        )
        .unwrap_err();
        assert!(errors.0.contains_key("lines"));
    }

    #[test]
    fn dollars_read_and_written_without_floats() {
        assert_eq!(Cents(123_405).dollars(), "$1,234.05");
        assert_eq!(Cents(-350).dollars(), "-$3.50");
        assert_eq!(Cents(5).dollars(), "$0.05");
        assert_eq!(Cents(100_000_000).dollars(), "$1,000,000.00");
        assert_eq!(Cents::parse_dollars("$1,234.05"), Ok(Cents(123_405)));
        assert_eq!(Cents::parse_dollars("12.5"), Ok(Cents(1_250)));
        assert_eq!(Cents::parse_dollars(".07"), Ok(Cents(7)));
        assert_eq!(Cents::parse_dollars("3"), Ok(Cents(300)));
        for bad in ["", "-3", "1.234", "abc", "1e3", ".", "9999999999999"] {
            assert!(Cents::parse_dollars(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_payment_over_the_balance_and_a_refund_over_what_was_paid_are_refused() {
        let max = Cents(1_000_000);
        let account = Account::new(Cents(1_000));
        assert_eq!(
            account.apply(EntryKind::Payment, Cents(1_001), max),
            Err(EntryError::OverBalance(Cents(1_000)))
        );
        assert_eq!(
            account.apply(EntryKind::Refund, Cents(1), max),
            Err(EntryError::OverPaid(Cents(0)))
        );
        assert_eq!(
            account.apply(EntryKind::Payment, Cents(0), max),
            Err(EntryError::NotPositive)
        );
        assert_eq!(
            account.apply(EntryKind::Payment, Cents(2_000_000), max),
            Err(EntryError::OverMax(max))
        );
        let paid = account
            .apply(EntryKind::Payment, Cents(1_000), max)
            .unwrap();
        assert_eq!(paid.balance(), Cents::ZERO);
        assert_eq!(
            paid.apply(EntryKind::Payment, Cents(1), max),
            Err(EntryError::NothingOwed)
        );
        // Waived after payment: the city owes it back, and a refund settles it.
        let waived = paid.apply(EntryKind::Waiver, Cents(400), max).unwrap();
        assert_eq!(waived.balance(), Cents(-400));
        assert_eq!(
            waived.apply(EntryKind::Waiver, Cents(601), max),
            Err(EntryError::OverWaivable(Cents(600)))
        );
        // Exactly what is left to waive, and exactly what was paid, are allowed.
        let all_waived = waived.apply(EntryKind::Waiver, Cents(600), max).unwrap();
        assert_eq!(all_waived.balance(), Cents(-1_000));
        let all_back = all_waived
            .apply(EntryKind::Refund, Cents(1_000), max)
            .unwrap();
        assert_eq!(
            (all_back.balance(), all_back.net_paid()),
            (Cents::ZERO, Cents::ZERO)
        );
        let refunded = waived.apply(EntryKind::Refund, Cents(400), max).unwrap();
        assert_eq!(refunded.balance(), Cents::ZERO);
        assert_eq!(refunded.net_paid(), Cents(600));
    }

    #[test]
    fn paper_waits_only_for_a_fee_still_owed() {
        let s = schedule();
        let owed = Account::new(Cents(500));
        assert!(paper_waits(&s, EstimateStatus::Accepted, &owed));
        assert!(paper_waits(&s, EstimateStatus::Awaiting, &owed));
        assert!(!paper_waits(&s, EstimateStatus::Declined, &owed));
        assert!(!paper_waits(&s, EstimateStatus::Waived, &owed));
        let paid = owed.apply(EntryKind::Payment, Cents(500), s.max).unwrap();
        assert!(!paper_waits(&s, EstimateStatus::Accepted, &paid));
        let relaxed = FeeSchedule {
            paper_waits_for_payment: false,
            ..s
        };
        assert!(!paper_waits(&relaxed, EstimateStatus::Accepted, &owed));
    }

    #[test]
    fn the_schedule_check_names_what_is_wrong() {
        let mut s = schedule();
        assert!(s.problems().is_empty());
        s.items.push(s.items[0].clone());
        s.items[1].price = Cents(0);
        s.items.push(ScheduleItem {
            key: "search".into(),
            ..s.items[2].clone()
        });
        let problems = s.problems().join("\n");
        assert!(problems.contains("letter_page is listed twice"));
        assert!(problems.contains("usb_drive costs $0.00"));
        assert!(problems.contains("search cannot be"));
    }

    fn entry() -> impl Strategy<Value = (EntryKind, i64)> {
        (
            prop_oneof![
                Just(EntryKind::Payment),
                Just(EntryKind::Waiver),
                Just(EntryKind::Refund)
            ],
            -100i64..2_000_000,
        )
    }

    proptest! {
        /// Whatever is tried in whatever order, what is accepted always balances: the total
        /// is what was waived, plus what was paid and kept, plus what is owed; nothing paid is
        /// ever more than was charged, and no refund more than was paid.
        #[test]
        fn an_account_always_balances(total in 1i64..1_000_000, entries in proptest::collection::vec(entry(), 0..40)) {
            let max = Cents(1_000_000);
            let mut account = Account::new(Cents(total));
            for (kind, amount) in entries {
                let before = account;
                match account.apply(kind, Cents(amount), max) {
                    Ok(next) => {
                        prop_assert!(amount > 0 && amount <= max.0);
                        account = next;
                    }
                    Err(_) => prop_assert_eq!(account, before),
                }
                prop_assert_eq!(
                    account.total.0,
                    account.waived.0 + account.net_paid().0 + account.balance().0
                );
                prop_assert!(account.waived <= account.total);
                prop_assert!(account.net_paid().0 >= 0);
                prop_assert!(account.paid.0 <= account.total.0 + account.refunded.0);
                prop_assert!(account.balance().0 >= -account.net_paid().0);
            }
        }

        /// An estimate's total is the sum of its lines, each its quantity times its price.
        #[test]
        fn a_total_is_the_sum_of_its_lines(quantities in proptest::collection::vec((0usize..3, 1i64..5_000), 1..20)) {
            let items = ["letter_page", "usb_drive", "police_report"];
            let raw: Vec<RawLine> = quantities.iter().map(|(i, q)| line(items[*i], *q)).collect();
            let s = schedule();
            match price(&s, &raw) {
                Ok(priced) => {
                    let sum: i64 = priced.lines.iter().map(|l| l.amount.0).sum();
                    prop_assert_eq!(priced.total.0, sum);
                    for l in &priced.lines {
                        prop_assert_eq!(l.amount.0, l.unit.0 * l.quantity);
                    }
                    prop_assert!(priced.total <= s.max);
                }
                Err(errors) => {
                    let sum: i64 = quantities.iter().map(|(i, q)| s.item(items[*i]).unwrap().price.0 * q).sum();
                    prop_assert!(sum > s.max.0, "{:?}", errors);
                }
            }
        }
    }
}
