//! The estimate form's lines (docs/PRODUCT.md, "Fees"): a fixed number of rows, each an item
//! of the City's fee schedule, programming or data work (Gov. Code §7922.575(b)), or another
//! direct cost of a copy. Empty rows are left out; what is sent is priced by the same rules
//! as the API's estimate, and each refusal is shown beside the row it is about.

use crate::app::fees::{MakeEstimate, RawEstimate};
use crate::domain::fees::{self, Cents, FeeSchedule, ItemKind, RawLine, DIRECT_COST, PROGRAMMING};
use crate::domain::FieldErrors;
use crate::web::pages::forms::{Choice, Field, FormData};

/// Rows shown when the form first opens.
pub const START_ROWS: usize = 5;

/// What a row is made of, as the form names each part.
const PARTS: [&str; 7] = [
    "item",
    "quantity",
    "description",
    "price",
    "form",
    "basis",
    "reason",
];

/// One line of the form: what it charges for and how many, then the parts only another
/// direct cost or programming work needs, each folded away until used.
pub struct LineRow {
    pub legend: String,
    pub main: Vec<Field>,
    pub direct: Vec<Field>,
    pub direct_open: bool,
    pub programming: Vec<Field>,
    pub programming_open: bool,
}

/// A form field's value: what was typed, else empty.
fn typed(data: Option<&FormData>, name: &str) -> String {
    data.map(|d| d.get(name)).unwrap_or_default()
}

/// `lines[3].item` → 3.
fn row_index(key: &str) -> Option<usize> {
    key.strip_prefix("lines[")?.split(']').next()?.parse().ok()
}

/// How many rows to show: as many as were sent (at least `asked`), one more when the staff
/// member asked for another, never more than an estimate may hold.
pub fn row_count(data: Option<&FormData>, asked: usize) -> usize {
    let counted = data
        .and_then(|d| d.get("line_rows").parse::<usize>().ok())
        .unwrap_or(asked);
    let highest = data
        .and_then(|d| d.0.keys().filter_map(|k| row_index(k)).max())
        .map_or(0, |i| i + 1);
    let more = data.is_some_and(|d| d.get("more") == "lines");
    (counted.max(highest).max(1) + usize::from(more)).min(fees::MAX_LINES)
}

/// The choices of a row's item: every schedule item with its price, programming work at its
/// hourly rate, another direct cost.
fn item_choices(schedule: &FeeSchedule) -> Vec<Choice> {
    let mut choices = vec![Choice::new("", "Choose what this line charges for")];
    for item in &schedule.items {
        let price = match item.kind {
            ItemKind::Page => format!("{}", item.price),
            ItemKind::Medium | ItemKind::Flat => format!("{} each", item.price),
        };
        choices.push(Choice::new(&item.key, &format!("{}: {price}", item.name)));
    }
    choices.push(Choice::new(
        PROGRAMMING,
        &format!(
            "Programming or data work (Gov. Code §7922.575(b)): {} per hour",
            schedule.programming_hourly
        ),
    ));
    choices.push(Choice::new(
        DIRECT_COST,
        "Other direct cost of a copy (give its price below)",
    ));
    choices
}

/// The rows of the form, as first shown (`data` None) or as sent.
pub fn rows(schedule: &FeeSchedule, data: Option<&FormData>, count: usize) -> Vec<LineRow> {
    let choices = item_choices(schedule);
    (0..count)
        .map(|i| {
            let name = |part: &str| format!("lines[{i}].{part}");
            let id = |part: &str| format!("lines-{i}-{part}");
            let value = |part: &str| typed(data, &name(part));
            let text = |part: &str, label: &str| {
                Field::text(&name(part), &id(part), &name(part), label).value(&value(part))
            };
            let item = value("item");
            let main = vec![
                Field::select(
                    &name("item"),
                    &id("item"),
                    &name("item"),
                    "What it charges for",
                    choices.clone(),
                )
                .value(&item),
                text("quantity", "How many")
                    .kind("number")
                    .hint("Pages or items; for programming or data work, minutes."),
                text("description", "Description (optional)").hint(
                    "What the requester reads; left blank, the item's name. Needed for another direct cost.",
                ),
            ];
            let direct = vec![
                Field::text(
                    &name("unit_cents"),
                    &id("price"),
                    &name("price"),
                    "Price of one, in dollars",
                )
                .hint("For example 12.50: what one copy costs the City.")
                .value(&value("price")),
                Field::radios(
                    &name("form"),
                    &id("form"),
                    &name("form"),
                    "The copy is",
                    vec![
                        Choice::new("paper", "Paper or another physical copy"),
                        Choice::new("electronic", "Electronic"),
                    ],
                )
                .value(&value("form")),
            ];
            let programming = vec![
                Field::radios(
                    &name("basis"),
                    &id("basis"),
                    &name("basis"),
                    "Why the law allows charging for this work",
                    vec![
                        Choice::new(
                            "compilation",
                            "The request needs data compiled or extracted, or a program written (§7922.575(b)(2))",
                        ),
                        Choice::new(
                            "outside_schedule",
                            "The record is otherwise produced only at regularly scheduled intervals (§7922.575(b)(1))",
                        ),
                    ],
                )
                .value(&value("basis")),
                Field::area(
                    &name("reason"),
                    &id("reason"),
                    &name("reason"),
                    "What the work is, and why the request needs it",
                )
                .hint("The requester reads it.")
                .value(&value("reason")),
            ];
            let used = |parts: &[&str]| parts.iter().any(|p| !value(p).trim().is_empty());
            LineRow {
                legend: format!("Line {}", i + 1),
                direct_open: item == DIRECT_COST || used(&["price", "form"]),
                programming_open: item == PROGRAMMING || used(&["basis", "reason"]),
                main,
                direct,
                programming,
            }
        })
        .collect()
}

/// A row whose every error is under `lines[i].…` opens the parts the errors are about.
pub fn open_for_errors(rows: &mut [LineRow], errors: &FieldErrors) {
    for (i, row) in rows.iter_mut().enumerate() {
        let has = |part: &str| errors.0.contains_key(&format!("lines[{i}].{part}"));
        row.direct_open |= has("unit_cents") || has("form");
        row.programming_open |= has("basis") || has("reason");
    }
}

/// The form's rows that have anything typed in them, in order.
fn filled(data: &FormData) -> Vec<usize> {
    let mut found: Vec<usize> = data
        .0
        .iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .filter_map(|(k, _)| {
            let i = row_index(k)?;
            let part = k.split("].").nth(1)?;
            PARTS.contains(&part).then_some(i)
        })
        .collect();
    found.sort_unstable();
    found.dedup();
    found
}

/// Errors about the `k`-th line sent (`lines[k].…`), named by the form's row it came from.
pub fn to_rows(errors: FieldErrors, rows: &[usize]) -> FieldErrors {
    let mut out = FieldErrors::default();
    for (key, messages) in errors.0 {
        let renamed = match key.strip_prefix("lines[").and_then(|r| r.split_once(']')) {
            Some((k, rest)) => match k.parse::<usize>().ok().and_then(|k| rows.get(k)) {
                Some(i) => format!("lines[{i}]{rest}"),
                None => key,
            },
            None => key,
        };
        for message in messages {
            out.add(renamed.clone(), message);
        }
    }
    out
}

/// The form as the API's estimate would carry it, with the rows each line came from. What the
/// form itself can tell is wrong (no item chosen, a price that is not dollars and cents, no
/// reason chosen for programming work) is said in its own words; the rest is priced as the
/// step will price it, so every row's errors show at once.
pub fn command(
    data: &FormData,
    schedule: &FeeSchedule,
) -> (Vec<usize>, Result<MakeEstimate, FieldErrors>) {
    let rows = filled(data);
    let mut errors = FieldErrors::default();
    let mut lines = Vec::with_capacity(rows.len());
    for &i in &rows {
        let get = |part: &str| data.opt(&format!("lines[{i}].{part}"));
        let key = |part: &str| format!("lines[{i}].{part}");
        let item = get("item").map(|s| s.trim().to_string());
        match item.as_deref() {
            None => errors.add(key("item"), "choose what this line charges for"),
            Some(PROGRAMMING) if get("basis").is_none() => errors.add(
                key("basis"),
                "choose one of the two reasons the law allows this charge",
            ),
            _ => {}
        }
        // A number field: anything but a whole number is out of range.
        let quantity = get("quantity").map(|q| q.trim().parse::<i64>().unwrap_or(0));
        let unit_cents = match (item.as_deref(), get("price")) {
            (Some(DIRECT_COST), None) => {
                errors.add(
                    key("unit_cents"),
                    "give the price of one copy in dollars and cents, like 12.50",
                );
                None
            }
            (_, Some(price)) => match Cents::parse_dollars(&price) {
                Ok(cents) if !cents.is_positive() => {
                    errors.add(key("unit_cents"), "give a price of more than $0.00");
                    None
                }
                Ok(cents) if cents > schedule.max => {
                    errors.add(
                        key("unit_cents"),
                        format!("give a price of no more than {}", schedule.max),
                    );
                    None
                }
                Ok(cents) => Some(cents.0),
                Err(message) => {
                    errors.add(key("unit_cents"), message);
                    None
                }
            },
            (_, None) => None,
        };
        lines.push(RawLine {
            item,
            quantity,
            unit_cents,
            description: get("description"),
            form: get("form"),
            basis: get("basis"),
            reason: get("reason"),
        });
    }
    // The step prices the lines again; here only to show every row's errors at once.
    if let Err(priced) = fees::price(schedule, &lines) {
        for (key, messages) in to_rows(priced, &rows).0 {
            if !errors.0.contains_key(&key) {
                for message in messages {
                    errors.add(key.clone(), message);
                }
            }
        }
    }
    let parsed = MakeEstimate::try_from(RawEstimate {
        lines,
        note: data.opt("note"),
        version: data.version(),
    });
    let result = match parsed {
        Ok(command) if errors.is_empty() => Ok(command),
        Ok(_) => Err(errors),
        Err(more) => {
            for (key, messages) in more.0 {
                if !errors.0.contains_key(&key) {
                    for message in messages {
                        errors.add(key.clone(), message);
                    }
                }
            }
            Err(errors)
        }
    };
    (rows, result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn form(fields: &[(&str, &str)]) -> FormData {
        FormData(
            fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect::<HashMap<_, _>>(),
        )
    }

    fn schedule() -> FeeSchedule {
        FeeSchedule {
            items: vec![fees::ScheduleItem {
                key: "letter_page".into(),
                name: "Paper copy, letter size, per page".into(),
                kind: ItemKind::Page,
                price: Cents(10),
            }],
            programming_hourly: Cents(9_000),
            max: Cents(1_000_000),
            waive_under: Cents(0),
            paper_waits_for_payment: true,
        }
    }

    #[test]
    fn empty_rows_are_left_out_and_errors_name_the_row_they_came_from() {
        let data = form(&[
            ("lines[0].item", "letter_page"),
            ("lines[0].quantity", "10"),
            ("lines[2].item", "letter_page"),
            ("lines[2].quantity", "0"),
            ("lines[3].item", "programming"),
            ("lines[3].quantity", "60"),
            ("lines[4].item", "direct_cost"),
            ("lines[4].quantity", "1"),
            ("lines[4].price", "twelve"),
        ]);
        let (rows, parsed) = command(&data, &schedule());
        assert_eq!(rows, [0, 2, 3, 4]);
        let errors = parsed.unwrap_err();
        for key in [
            "lines[2].quantity",
            "lines[3].basis",
            "lines[3].reason",
            "lines[4].unit_cents",
            "lines[4].form",
            "lines[4].description",
        ] {
            assert!(errors.0.contains_key(key), "{key}: {errors:?}");
        }
        assert!(!errors.0.keys().any(|k| k.starts_with("lines[0]")));
        assert!(!errors.0.keys().any(|k| k.starts_with("lines[1]")));
        // Said once, in the form's words: dollars, not cents.
        assert_eq!(errors.0["lines[4].unit_cents"].len(), 1);
        assert!(!errors.0["lines[4].unit_cents"][0].contains("in cents"));
    }

    #[test]
    fn a_good_form_is_an_estimate_of_its_filled_rows() {
        let data = form(&[
            ("lines[1].item", "direct_cost"),
            ("lines[1].quantity", "2"),
            ("lines[1].price", "$1,234.50"),
            ("lines[1].form", "paper"),
            ("lines[1].description", "Oversized map, printed by a vendor"),
            ("note", "Ready in a week."),
        ]);
        let (rows, parsed) = command(&data, &schedule());
        assert_eq!(rows, [1]);
        let estimate = parsed.unwrap();
        assert_eq!(estimate.lines.len(), 1);
        assert_eq!(estimate.lines[0].unit_cents, Some(123_450));
    }

    #[test]
    fn nothing_typed_asks_for_a_line() {
        let (_, parsed) = command(&form(&[("note", "")]), &schedule());
        assert!(parsed.unwrap_err().0.contains_key("lines"));
    }

    #[test]
    fn rows_grow_on_request_and_stop_at_the_most_an_estimate_holds() {
        assert_eq!(row_count(None, START_ROWS), 5);
        let more = form(&[("line_rows", "5"), ("more", "lines")]);
        assert_eq!(row_count(Some(&more), START_ROWS), 6);
        assert_eq!(row_count(None, 500), fees::MAX_LINES);
        let typed = form(&[("line_rows", "2"), ("lines[7].item", "x")]);
        assert_eq!(row_count(Some(&typed), START_ROWS), 8);
    }
}
