//! Complaints (docs/PRODUCT.md, "Complaints"): what a complainant types, checked into the one
//! `Submission` every filing is, for the department they chose; and staff sending a complaint
//! to another department.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::submit::{RawRequester, Submission};
use super::view::Case;
use super::{check_version, facts, load_for, AppError, Caller, Conflict, Ctx};
use crate::db::models::RequestChanges;
use crate::db::Conn;
use crate::domain::directory::Department;
use crate::domain::input::{limits, parse_phone, Email, Text};
use crate::domain::step::{Rerouted, Step};
use crate::domain::transitions::serves_queue_of;
use crate::domain::{Actor, FieldErrors, RequestKind, Role};

/// How far back a complaint's day may be: older matters are still welcome, but a date further
/// back is most likely a typing mistake.
pub const OCCURRED_WITHIN_YEARS: i32 = 10;

/// A complaint as typed into its form or posted to `POST /api/v1/complaints`, before any
/// checking. Its OpenAPI schema is in `web/api/fields.rs`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct RawComplaint {
    /// What it is about, in a line.
    pub subject: Option<String>,
    /// What happened, in the complainant's words.
    pub description: Option<String>,
    /// Where: an address, a place, a web page.
    pub location: Option<String>,
    /// When it happened or was noticed, `YYYY-MM-DD`.
    pub occurred_on: Option<String>,
    /// The department's queue, from the directory (`GET /api/v1/departments`).
    pub department: Option<String>,
    /// Who complains; all of it optional: a complaint may be anonymous.
    #[serde(default, deserialize_with = "super::submit::requester_object")]
    pub complainant: Option<RawRequester>,
    /// `en` or `es`: the language of the letters to the complainant. Not given: the call's
    /// `Accept-Language`, else English.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// What only a complaint's filing carries, checked.
#[derive(Debug, Clone)]
pub struct ComplaintFiling {
    pub subject: Text,
    pub location: Option<Text>,
    pub occurred_on: Option<NaiveDate>,
    /// The queue of the department chosen; the filing checks it is in the directory.
    pub department: String,
}

fn optional(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().filter(|s| !s.trim().is_empty())
}

impl RawComplaint {
    /// Checks everything that needs no database; `today` is the city's day.
    pub fn parse(&self, today: NaiveDate) -> Result<Submission, FieldErrors> {
        let mut errors = FieldErrors::default();
        let subject = match optional(&self.subject) {
            None => {
                errors.add("subject", "say what the complaint is about");
                None
            }
            Some(s) => errors.check("subject", Text::line(s, limits::SUBJECT)),
        };
        let description = match optional(&self.description) {
            None => {
                errors.add("description", "describe what happened");
                None
            }
            Some(d) => errors.check("description", Text::multiline(d, limits::DESCRIPTION)),
        };
        let location = optional(&self.location)
            .and_then(|l| errors.check("location", Text::line(l, limits::LOCATION)));
        let occurred_on = optional(&self.occurred_on)
            .and_then(|d| errors.check("occurred_on", occurred_on(d, today)));
        let department = match optional(&self.department) {
            None => {
                errors.add("department", "choose the department the complaint is for");
                None
            }
            // Whether the directory has it is the filing's check.
            Some(d) => errors
                .check("department", Text::line(d, limits::NAME))
                .map(|d| d.as_str().to_string()),
        };
        let who = self.complainant.clone().unwrap_or_default();
        let name = optional(&who.name)
            .and_then(|n| errors.check("complainant.name", Text::line(n, limits::NAME)));
        let email =
            optional(&who.email).and_then(|e| errors.check("complainant.email", Email::parse(e)));
        let phone =
            optional(&who.phone).and_then(|p| errors.check("complainant.phone", parse_phone(p)));
        let organization = optional(&who.organization).and_then(|o| {
            errors.check(
                "complainant.organization",
                Text::line(o, limits::ORGANIZATION),
            )
        });
        let language = super::submit::language_named(&mut errors, &self.language);
        match (subject, description, department) {
            (Some(subject), Some(description), Some(department)) if errors.is_empty() => {
                Ok(Submission {
                    kind: RequestKind::Complaint,
                    name,
                    email,
                    phone,
                    organization,
                    description,
                    dataset_id: None,
                    fields_needed: None,
                    intended_use: None,
                    preferred_format: None,
                    intake: None,
                    complaint: Some(ComplaintFiling {
                        subject,
                        location,
                        occurred_on,
                        department,
                    }),
                    language,
                })
            }
            _ => Err(errors),
        }
    }
}

/// A day as `YYYY-MM-DD`, not after today, not more than ten years back.
pub(crate) fn occurred_on(raw: &str, today: NaiveDate) -> Result<NaiveDate, String> {
    let raw = raw.trim();
    let shaped = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| {
            matches!(i, 4 | 7) == (b == b'-') && (matches!(i, 4 | 7) || b.is_ascii_digit())
        });
    let day = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|_| shaped)
        .ok_or_else(|| "give the date as YYYY-MM-DD, like 2026-03-04".to_string())?;
    if day > today {
        return Err("the date cannot be in the future".into());
    }
    let earliest = today
        .with_year(today.year() - OCCURRED_WITHIN_YEARS)
        .unwrap_or(NaiveDate::MIN);
    if day < earliest {
        return Err(format!(
            "give a date within the last {OCCURRED_WITHIN_YEARS} years"
        ));
    }
    Ok(day)
}

/// A complaint sent to another department, as either face reads it.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RawReroute {
    /// The department's queue.
    pub department: Option<String>,
    /// Why, for the staff.
    pub note: Option<String>,
    pub version: Option<i32>,
}

/// A checked [`RawReroute`].
#[derive(Debug, Clone)]
pub struct Reroute {
    pub department: String,
    pub note: Option<Text>,
    pub version: Option<i32>,
}

impl TryFrom<RawReroute> for Reroute {
    type Error = FieldErrors;

    fn try_from(raw: RawReroute) -> Result<Reroute, FieldErrors> {
        let mut errors = FieldErrors::default();
        let department = match optional(&raw.department) {
            None => {
                errors.add(
                    "department",
                    "choose the department to send the complaint to",
                );
                None
            }
            Some(d) => errors.check("department", Text::line(d, limits::NAME)),
        };
        let note = optional(&raw.note)
            .and_then(|n| errors.check("note", Text::multiline(n, limits::FIELD_TEXT)));
        match department {
            Some(department) if errors.is_empty() => Ok(Reroute {
                department: department.as_str().to_string(),
                note,
                version: raw.version,
            }),
            _ => Err(errors),
        }
    }
}

/// Sends an open complaint to another department of the directory: it leaves its assignee
/// and waits in that department's queue, whose staff are told. The Clerk's office, staff of
/// its present queue and admins may.
pub fn reroute(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    command: &Reroute,
) -> Result<Case, AppError> {
    let (row, actor) = load_for(conn, caller, tracking_number)?;
    check_version(&row, command.version)?;
    // The Clerk's office triages every queue, as it assigns across them.
    let clerk = matches!(&actor, Actor::Staff(s) if s.role == Role::Clerk);
    if !clerk && !serves_queue_of(&facts(&row), &actor) {
        return Err(AppError::Forbidden(
            "only the Clerk's office, staff of the complaint's department or an admin send it \
             elsewhere"
                .into(),
        ));
    }
    if !row.kind.is_complaint() || !row.status.is_open() {
        let what = match row.kind.is_complaint() {
            true => "closed complaint".to_string(),
            false => "request".to_string(),
        };
        return Err(Conflict::NotReroutable(what).into());
    }
    let directory = crate::db::directory::load(conn)?;
    let department = directory.by_queue(&command.department).ok_or_else(|| {
        AppError::field(
            "department",
            "there is no department with this name in the directory",
        )
    })?;
    if department.queue == row.queue {
        return Err(AppError::field(
            "department",
            "the complaint is already with this department",
        ));
    }
    let unassigned = match row.assignee_id {
        Some(id) => crate::db::staff::by_id(conn, id)?.map(|s| s.email),
        None => None,
    };
    let changes = RequestChanges {
        queue: Some(department.queue.clone()),
        unassign: true,
        ..Default::default()
    };
    let step = Step::Rerouted(Rerouted {
        from_queue: row.queue.clone(),
        to_queue: department.queue.clone(),
        department: department.name.clone(),
        from_department: directory.by_queue(&row.queue).map(|d| d.name.clone()),
        unassigned,
        note: command.note.as_ref().map(|n| n.as_str().to_string()),
    });
    super::manage::record(conn, ctx, caller, &actor, &row, Some(&changes), &step)
}

/// The public list of departments a complaint may go to.
pub fn departments(conn: &mut Conn) -> Result<Vec<Department>, AppError> {
    Ok(crate::db::directory::load(conn)?.departments().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn raw() -> RawComplaint {
        RawComplaint {
            subject: Some("Blocked sidewalk".into()),
            description: Some("A fence blocks the sidewalk on Galindo Street.".into()),
            location: Some("1800 Galindo Street".into()),
            occurred_on: Some("2026-11-30".into()),
            department: Some("code-enforcement".into()),
            complainant: None,
            language: None,
        }
    }

    #[test]
    fn an_anonymous_complaint_parses_as_a_complaint() {
        let parsed = raw().parse(day("2026-12-03")).unwrap();
        assert_eq!(parsed.kind, RequestKind::Complaint);
        assert!(parsed.name.is_none() && parsed.email.is_none());
        let complaint = parsed.complaint.unwrap();
        assert_eq!(complaint.subject.as_str(), "Blocked sidewalk");
        assert_eq!(complaint.occurred_on, Some(day("2026-11-30")));
        assert_eq!(complaint.department, "code-enforcement");
    }

    #[test]
    fn a_complaint_needs_a_subject_a_description_and_a_department() {
        let errors = RawComplaint::default()
            .parse(day("2026-12-03"))
            .unwrap_err();
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["department", "description", "subject"]);
    }

    #[test]
    fn sending_on_needs_a_department_and_a_note_of_good_text() {
        let raw = |department: Option<&str>, note: Option<&str>| RawReroute {
            department: department.map(Into::into),
            note: note.map(Into::into),
            version: Some(3),
        };
        let sent = Reroute::try_from(raw(Some(" code_enforcement "), Some("Fences"))).unwrap();
        assert_eq!(sent.department, "code_enforcement");
        assert_eq!(sent.note.unwrap().as_str(), "Fences");
        assert_eq!(sent.version, Some(3));
        let fields = |r: RawReroute| -> Vec<String> {
            Reroute::try_from(r).unwrap_err().0.into_keys().collect()
        };
        assert_eq!(fields(raw(None, None)), ["department"]);
        assert_eq!(
            fields(raw(Some("code_enforcement"), Some("bad\u{0}note"))),
            ["note"]
        );
        assert!(Reroute::try_from(raw(Some("parks"), Some("  ")))
            .unwrap()
            .note
            .is_none());
    }

    #[test]
    fn its_day_is_a_real_day_not_in_the_future_nor_long_ago() {
        let today = day("2026-12-03");
        assert!(occurred_on("2026-12-03", today).is_ok());
        assert!(occurred_on("2026-12-04", today)
            .unwrap_err()
            .contains("future"));
        assert!(occurred_on("2016-12-03", today).is_ok());
        assert!(occurred_on("2016-12-02", today)
            .unwrap_err()
            .contains("10 years"));
        assert!(occurred_on("03/12/2026", today)
            .unwrap_err()
            .contains("YYYY-MM-DD"));
        // Ten characters a lenient date reader takes, but not the shape the schema states.
        assert!(occurred_on("02026-3-04", today).is_err());
        assert!(occurred_on("2026-03- 4", today).is_err());
        assert!(occurred_on("2026- 3-04", today).is_err());
        assert!(occurred_on("2026-3-4", today).is_err());
        let mut bad = raw();
        bad.complainant = Some(RawRequester {
            email: Some("not an address".into()),
            ..Default::default()
        });
        bad.occurred_on = Some("2027-01-01".into());
        let errors = bad.parse(today).unwrap_err();
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(fields, ["complainant.email", "occurred_on"]);
    }
}
