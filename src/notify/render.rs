//! Turning a notice into an email: its subject, its letter as plain text signed by the office
//! (`templates/notices/notice.txt`), and an HTML alternative laid out from the same text.

use askama::Template;
use chrono::NaiveDate;

use super::notice::{About, Notice};
use crate::domain::notices::Audience;
use crate::wording::{say, Arg, Language, Words};

/// A size's unit and its amount as people read them: ("bytes", "512"), ("kb", "14.2"),
/// ("mb", "3.0"), ("gb", …).
fn size_parts(bytes: u64) -> (&'static str, String) {
    const KB: f64 = 1000.0;
    match bytes {
        0..=999 => ("bytes", bytes.to_string()),
        1000..=999_999 => ("kb", format!("{:.1}", bytes as f64 / KB)),
        1_000_000..=999_999_999 => ("mb", format!("{:.1}", bytes as f64 / (KB * KB))),
        _ => ("gb", format!("{:.1}", bytes as f64 / (KB * KB * KB))),
    }
}

/// "512 bytes", "14.2 KB", "3.0 MB": sizes as people read them, on the pages.
pub fn size_in_words(bytes: u64) -> String {
    let (unit, size) = size_parts(bytes);
    let unit = match unit {
        "kb" => "KB",
        "mb" => "MB",
        "gb" => "GB",
        _ => "bytes",
    };
    format!("{size} {unit}")
}

/// A size as a letter to the requester gives it, in their language.
pub fn size_in(language: Language, bytes: u64) -> String {
    let (unit, size) = size_parts(bytes);
    say(
        language,
        "letter-records-released-size",
        &[("unit", Arg::Text(unit)), ("size", Arg::Text(&size))],
    )
}

/// "Monday, December 7, 2026": dates as people read them (in English; staff read English).
pub fn long_date(day: NaiveDate) -> String {
    day.format("%A, %B %-d, %Y").to_string()
}

/// A date as a reader of `language` writes it: "Monday, December 7, 2026", "lunes, 7 de
/// diciembre de 2026".
pub fn long_date_in(language: Language, day: NaiveDate) -> String {
    use chrono::Datelike;
    match language {
        Language::English => long_date(day),
        Language::Spanish => {
            const DAYS: [&str; 7] = [
                "lunes",
                "martes",
                "miércoles",
                "jueves",
                "viernes",
                "sábado",
                "domingo",
            ];
            const MONTHS: [&str; 12] = [
                "enero",
                "febrero",
                "marzo",
                "abril",
                "mayo",
                "junio",
                "julio",
                "agosto",
                "septiembre",
                "octubre",
                "noviembre",
                "diciembre",
            ];
            format!(
                "{}, {} de {} de {}",
                DAYS[day.weekday().num_days_from_monday() as usize],
                day.day(),
                MONTHS[day.month0() as usize],
                day.year()
            )
        }
    }
}

/// A time of day as a reader of `language` writes it: "4:00 PM", "4:00 p. m.".
pub fn clock_time_in(language: Language, at: chrono::NaiveDateTime) -> String {
    match language {
        Language::English => at.format("%-I:%M %p").to_string(),
        Language::Spanish => {
            let half = if at.format("%p").to_string() == "AM" {
                "a. m."
            } else {
                "p. m."
            };
            format!("{} {half}", at.format("%-I:%M"))
        }
    }
}

/// A local time as a page's table or line gives it, short, with its zone's name: "Nov 26,
/// 2026, 9:16 AM PST", "26 nov 2026, 9:16 a. m. PST".
pub fn short_time_in(language: Language, at: chrono::NaiveDateTime, zone: &str) -> String {
    use chrono::Datelike;
    match language {
        Language::English => format!(
            "{}, {} {zone}",
            at.format("%b %-d, %Y"),
            clock_time_in(language, at)
        ),
        Language::Spanish => {
            const MONTHS: [&str; 12] = [
                "ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic",
            ];
            format!(
                "{} {} {}, {} {zone}",
                at.day(),
                MONTHS[at.month0() as usize],
                at.year(),
                clock_time_in(language, at)
            )
        }
    }
}

/// "4:00 PM on Friday, March 20, 2026": a local time as a letter gives it.
pub fn long_time(language: Language, at: chrono::NaiveDateTime) -> String {
    say(
        language,
        "letter-time-on-date",
        &[
            ("time", Arg::Text(&clock_time_in(language, at))),
            ("date", Arg::Text(&long_date_in(language, at.date()))),
            // Spanish says "a la 1:00" but "a las 4:00": the hour on the clock's face.
            (
                "hour",
                Arg::Number(i64::from(chrono::Timelike::hour12(&at).1)),
            ),
        ],
    )
}

/// A letter signed: the office's address for the requester, the case's address for staff.
#[derive(Template)]
#[template(path = "notices/notice.txt")]
struct TextBody<'a> {
    n: &'a About<'a>,
    /// The signature's wording: the requester's language, or English for staff.
    t: Words,
    body: &'a str,
    for_staff: bool,
    /// The requester's private link, unless the letter already gives it.
    link: Option<&'a str>,
}

/// One line of the HTML body: text, or a link written out in full.
pub struct Line {
    pub text: String,
    pub is_link: bool,
}

#[derive(Template)]
#[template(path = "notices/notice.html")]
struct HtmlBody<'a> {
    n: &'a About<'a>,
    t: Words,
    subject: &'a str,
    paragraphs: Vec<Vec<Line>>,
}

/// A notice ready to send.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Template output, tidied: no trailing spaces, never more than one blank line in a row.
pub(crate) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.trim().lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            if blank_run > 1 {
                continue;
            }
        } else {
            blank_run = 0;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}

/// The letter's paragraphs for HTML. Only the service's own links (the private link, the case
/// page) are made links: a URL a requester typed stays text, in staff's email above all.
pub(crate) fn paragraphs(text: &str, links: &[&str]) -> Vec<Vec<Line>> {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            p.lines()
                .map(|line| Line {
                    is_link: links.contains(&line),
                    text: line.to_string(),
                })
                .collect()
        })
        .collect()
}

/// A notice as an email: its subject, its letter signed as plain text, and an HTML
/// alternative laid out from the same text.
pub fn render(notice: &Notice<'_>) -> Result<Rendered, askama::Error> {
    let (subject, text) = render_text(notice)?;
    let n = notice.about();
    let for_staff = notice.audience() == Audience::Staff;
    let t = words_for(notice);
    let links: &[&str] = if for_staff {
        &[&n.staff_url]
    } else {
        &[&n.private_url]
    };
    let html = HtmlBody {
        n,
        t,
        subject: &subject,
        paragraphs: paragraphs(&text, links),
    }
    .render()?;
    Ok(Rendered {
        subject,
        text,
        html,
    })
}

/// A notice's subject and its letter signed as plain text: [`render`] without the HTML, for a
/// copy that keeps only those (a letter's English original).
pub fn render_text(notice: &Notice<'_>) -> Result<(String, String), askama::Error> {
    let subject = notice.subject();
    let body = notice.body()?;
    let n = notice.about();
    let for_staff = notice.audience() == Audience::Staff;
    let signed = TextBody {
        n,
        t: words_for(notice),
        body: &body,
        for_staff,
        link: (!for_staff && !body.contains(&n.private_url)).then_some(n.private_url.as_str()),
    };
    Ok((subject, tidy(&signed.render()?)))
}

/// The words a notice is written in: staff letters are in English, whatever the requester's
/// language.
fn words_for(notice: &Notice<'_>) -> Words {
    Words(if notice.audience() == Audience::Staff {
        Language::English
    } else {
        notice.about().language
    })
}

impl Rendered {
    /// The same message with a secret (a private token) replaced, for the audit log.
    pub fn redacted(&self, secret: Option<&str>) -> Rendered {
        match secret.filter(|s| !s.is_empty()) {
            None => self.clone(),
            Some(secret) => {
                let hide = |s: &str| s.replace(secret, "[private token withheld]");
                Rendered {
                    subject: hide(&self.subject),
                    text: hide(&self.text),
                    html: hide(&self.html),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::deadlines::{Calendar, DueBasis};
    use crate::domain::exemptions::{ExemptionCatalogue, Ground, Withheld};
    use crate::domain::ids::{ApiKeyId, DocumentId, MessageId};
    use crate::domain::input::Responsible;
    use crate::domain::step::{
        Assistance, Author, Extended, KeyReplacementAsked, KeyReplacementOffered, KeyRevoked,
        LinkRequested, LinksRevoked, Message, Moved, Produced, Production, Released,
        ReleasedDocument, Reopened, Step,
    };
    use crate::domain::transitions::ReviewOutcome;
    use crate::domain::{Circumstance, RequestKind, Status};
    use crate::notify::notice::fixtures::{about, office};
    use crate::notify::notice::Reminder;
    use crate::notify::private_link;
    use chrono::NaiveDateTime;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn moved(to: Status) -> Moved {
        Moved::bare(Status::UnderReview, to)
    }

    fn withheld(section: &str, item: &str, reason: &str) -> Withheld {
        let catalogue = ExemptionCatalogue::seeded();
        Withheld {
            item: item.into(),
            ground: Ground::from_entry(catalogue.find(section).expect("a seeded section")),
            reason: reason.into(),
            justification: None,
        }
    }

    fn pat() -> Responsible {
        Responsible {
            name: "Pat Records".into(),
            title: "Deputy City Clerk".into(),
            staff_id: None,
        }
    }

    fn denial() -> Step {
        let balancing = Withheld {
            justification: Some(
                "Releasing the tip line's callers would deter reports of crime; the logs \
                 themselves are released."
                    .into(),
            ),
            ..withheld(
                "7922.000",
                "Names of callers to the tip line",
                "Callers were promised confidentiality.",
            )
        };
        Step::Transition(Moved {
            reason: Some("The records are part of an open investigation.".into()),
            legal_basis: vec!["Gov. Code §7923.600 (former §6254(f))".into()],
            responsible: vec![pat()],
            withholdings: vec![
                withheld(
                    "7923.600",
                    "Investigation file 2026-114",
                    "The investigation is open; disclosure would endanger it.",
                ),
                balancing,
            ],
            segregability: Some(
                "Every page of the file describes the investigation; nothing can be separated."
                    .into(),
            ),
            appeal_deadline: Some(day("2026-04-13")),
            ..moved(Status::Denied)
        })
    }

    /// 4:00 PM Pacific on Friday, March 20, 2026.
    fn records_due() -> Option<NaiveDateTime> {
        day("2026-03-20").and_hms_opt(23, 0, 0)
    }

    fn message(author: Author, name: &str, body: &str) -> Step {
        Step::Message(Message {
            message_id: MessageId(1),
            author,
            author_name: name.into(),
            body: body.into(),
            files: vec![],
            email: None,
        })
    }

    /// One step for each snapshot, in the order the snapshots are numbered; with the notice
    /// of the step's that is snapshotted (a step may cause two).
    fn every_step() -> Vec<(Step, usize)> {
        let appeal = Step::Transition(Moved {
            from: Status::Denied,
            grounds: Some("The case closed in 2025.".into()),
            ..moved(Status::Appealed)
        });
        let review = |to, decision: &str, outcome: ReviewOutcome| {
            Step::Transition(Moved {
                from: Status::AdministrativeReview,
                decision: Some(decision.into()),
                is_final: true,
                review: Some(outcome),
                ..moved(to)
            })
        };
        vec![
            (filed(), 0),
            (
                Step::Transition(Moved {
                    from: Status::Submitted,
                    ..moved(Status::UnderReview)
                }),
                0,
            ),
            (
                Step::Extended(Extended {
                    days: 14,
                    circumstance: Circumstance::VoluminousRecords,
                    circumstance_text: Circumstance::VoluminousRecords.description().into(),
                    reason: Some("Three years of logs.".into()),
                    previous_due: day("2026-03-12"),
                    determination_due: day("2026-03-26"),
                    signed_by: Some(pat()),
                    reckoning: Some(Calendar::default().reckon(
                        DueBasis::Extension {
                            days: 14,
                            circumstance: Circumstance::VoluminousRecords,
                        },
                        day("2026-03-02"),
                        24,
                    )),
                }),
                0,
            ),
            (
                Step::Transition(Moved {
                    decision: Some("The logs are attached.".into()),
                    records_due_at: records_due(),
                    ..moved(Status::Granted)
                }),
                0,
            ),
            (
                Step::Transition(Moved {
                    decision: Some("Logs released, redacted.".into()),
                    partial: true,
                    withholdings: vec![withheld(
                        "7927.705",
                        "Victims' names and addresses",
                        "Protected by Penal Code §293 as incorporated by §7927.705.",
                    )],
                    responsible: vec![pat()],
                    records_due_at: records_due(),
                    appeal_deadline: Some(day("2026-04-13")),
                    ..moved(Status::Granted)
                }),
                0,
            ),
            (denial(), 0),
            (appeal.clone(), 0),
            (
                Step::Transition(Moved {
                    from: Status::Appealed,
                    ..moved(Status::AdministrativeReview)
                }),
                0,
            ),
            (
                Step::Transition(Moved {
                    records_due_at: records_due(),
                    ..match review(
                        Status::Granted,
                        "The exemption no longer applies.",
                        ReviewOutcome::Overturned,
                    ) {
                        Step::Transition(m) => m,
                        _ => unreachable!(),
                    }
                }),
                0,
            ),
            (
                match (
                    review(Status::Denied, "Upheld.", ReviewOutcome::Upheld),
                    denial(),
                ) {
                    (Step::Transition(r), Step::Transition(d)) => Step::Transition(Moved {
                        reason: d.reason,
                        withholdings: d.withholdings,
                        responsible: d.responsible,
                        segregability: d.segregability,
                        legal_basis: d.legal_basis,
                        ..r
                    }),
                    _ => unreachable!(),
                },
                0,
            ),
            (
                Step::Transition(Moved {
                    reason: Some("Found it online.".into()),
                    ..moved(Status::Withdrawn)
                }),
                0,
            ),
            (
                message(Author::Staff, "Pat Records", "Which months exactly?"),
                0,
            ),
            (filed(), 1),
            (
                Step::Assigned(crate::domain::step::Assigned {
                    from: None,
                    to: "pat@city.test".into(),
                    to_queue: None,
                }),
                0,
            ),
            (appeal, 1),
            (
                message(Author::Requester, "Jane Q. Public", "March only."),
                0,
            ),
        ]
    }

    fn filed() -> Step {
        Step::Submitted(crate::domain::step::Submitted {
            reckoning: Some(Calendar::default().reckon(DueBasis::Receipt, day("2026-03-02"), 10)),
            ..crate::domain::step::Submitted::example(
                "Jane Q. Public",
                "Police logs",
                day("2026-03-12"),
            )
        })
    }

    /// A notice as its snapshot shows it: the subject, then the signed plain text.
    fn shown(notice: &Notice<'_>) -> String {
        let rendered = private_link::filled(&render(notice).unwrap(), "rdr_SECRET");
        format!("Subject: {}\n\n{}", rendered.subject, rendered.text)
    }

    /// Snapshots a notice as `name`.
    fn snapshot(name: &str, notice: &Notice<'_>) {
        let shown = shown(notice);
        insta::assert_snapshot!(name, shown);
    }

    /// The same request, filed by a requester who reads Spanish (issue 27).
    fn in_spanish<'a>(n: &About<'a>) -> About<'a> {
        About {
            language: Language::Spanish,
            ..n.clone()
        }
    }

    /// Snapshots the `nth` notice of `step` in both languages: as `{number}_{kind}` for an
    /// English-speaking requester (`n`), and as `es_{number}_{kind}` for a Spanish-speaking
    /// one, the notices chosen as they are sent (`Notice::for_step_to_each`). A staff notice
    /// is English whatever the requester's language: it must be the English one, word for
    /// word, and has no Spanish snapshot.
    fn snapshot_in_each_language(number: &str, step: &Step, nth: usize, n: &About<'_>) {
        assert_eq!(n.language, Language::English);
        let english = Notice::for_step(step, n)[nth];
        snapshot(&format!("{number}_{}", english.kind()), &english);
        let spanish = in_spanish(n);
        let staff = spanish.in_english();
        let sent = Notice::for_step_to_each(step, &spanish, &staff)[nth];
        assert_eq!(sent.kind(), english.kind());
        // The text alone (a letter's English original) is the text of the whole letter, and
        // the letter the log keeps, its link's place marked again, is the letter as queued:
        // what the dispatcher sends (`outbox::to_be_sent`).
        for notice in [&english, &sent] {
            let whole = render(notice).unwrap();
            let kept = crate::notify::private_link::withheld(&whole);
            assert_eq!(crate::notify::private_link::marked(&kept), whole);
            assert_eq!(render_text(notice).unwrap(), (whole.subject, whole.text));
        }
        match sent.audience() {
            Audience::Requester => {
                assert_eq!(sent.about().language, Language::Spanish);
                assert_ne!(
                    render(&sent).unwrap().subject,
                    render(&english).unwrap().subject,
                    "the {} letter to a Spanish-speaking requester has an English subject",
                    sent.kind()
                );
                snapshot(&format!("es_{number}_{}", sent.kind()), &sent);
            }
            Audience::Staff => {
                assert_eq!(
                    shown(&sent),
                    shown(&english),
                    "staff read the {} notice of a Spanish request in English",
                    sent.kind()
                );
            }
        }
    }

    /// A staff reminder is snapshotted in English only: it is built from the request told in
    /// English (`About::in_english`), whatever the requester's language.
    fn snapshot_reminder(number: &str, which: Reminder, n: &About<'_>) {
        let english = Notice::reminder(which, n);
        assert_eq!(english.audience(), Audience::Staff);
        snapshot(&format!("{number}_{}", english.kind()), &english);
        let staff = in_spanish(n).in_english();
        let sent = Notice::reminder(which, &staff);
        assert_eq!(
            shown(&sent),
            shown(&english),
            "staff read the {} reminder of a Spanish request in English",
            sent.kind()
        );
    }

    /// The complaint its letters are about.
    fn complaint(office: &crate::config::OfficeSettings) -> About<'_> {
        About {
            kind: RequestKind::Complaint,
            status: Status::Received,
            description: "A construction fence has blocked the sidewalk for three weeks.",
            determination_due: day("2026-04-01"),
            due_on: day("2026-04-01"),
            ..about(office)
        }
    }

    /// One step for each complaint snapshot, in the order they are numbered, with the
    /// notice of the step's that is snapshotted.
    fn complaint_steps() -> Vec<(Step, usize)> {
        use crate::domain::step::{ComplaintDetails, Rerouted};
        let filed = Step::Submitted(crate::domain::step::Submitted {
            kind: RequestKind::Complaint,
            queue: "code_enforcement".into(),
            reckoning: Some(Calendar::default().reckon(
                DueBasis::ServiceTarget,
                day("2026-03-02"),
                30,
            )),
            complaint: Some(ComplaintDetails {
                subject: "Blocked sidewalk".into(),
                location: Some("1800 Galindo Street".into()),
                occurred_on: Some(day("2026-02-27")),
            }),
            ..crate::domain::step::Submitted::example(
                "Jane Q. Public",
                "A construction fence has blocked the sidewalk for three weeks.",
                day("2026-04-01"),
            )
        });
        let closing = |to, decision: Option<&str>, reason: Option<&str>, agency: Option<&str>| {
            Step::Transition(Moved {
                from: Status::Investigating,
                decision: decision.map(Into::into),
                reason: reason.map(Into::into),
                referred_to: agency.map(Into::into),
                ..moved(to)
            })
        };
        vec![
            (filed.clone(), 0),
            (filed, 1),
            (
                Step::Transition(Moved {
                    from: Status::Received,
                    ..moved(Status::Investigating)
                }),
                0,
            ),
            (
                closing(
                    Status::Resolved,
                    Some("The contractor moved the fence and was cited."),
                    None,
                    None,
                ),
                0,
            ),
            (
                closing(
                    Status::Referred,
                    Some("The sidewalk there belongs to the county."),
                    None,
                    Some("Contra Costa County Public Works"),
                ),
                0,
            ),
            (
                closing(
                    Status::Dismissed,
                    None,
                    Some("The fence stands on private land, with a permit."),
                    None,
                ),
                0,
            ),
            (
                Step::Rerouted(Rerouted {
                    from_queue: "city_clerk".into(),
                    to_queue: "code_enforcement".into(),
                    department: "Code Enforcement".into(),
                    from_department: Some("City Clerk".into()),
                    unassigned: None,
                    note: Some("Fences are theirs.".into()),
                }),
                0,
            ),
            (
                Step::Transition(Moved {
                    from: Status::Received,
                    reason: Some("The fence is gone.".into()),
                    ..moved(Status::Withdrawn)
                }),
                0,
            ),
            (
                message(Author::Staff, "Pat Inspector", "Which side of the street?"),
                0,
            ),
        ]
    }

    #[test]
    fn times_read_as_each_language_writes_them() {
        let at = |h, m| day("2026-03-20").and_hms_opt(h, m, 0).unwrap();
        assert_eq!(
            long_time(Language::English, at(16, 0)),
            "4:00 PM on Friday, March 20, 2026"
        );
        assert_eq!(
            long_time(Language::Spanish, at(16, 0)),
            "el viernes, 20 de marzo de 2026 a las 4:00 p. m."
        );
        // One o'clock is "la 1", morning or afternoon.
        assert_eq!(
            long_time(Language::Spanish, at(13, 30)),
            "el viernes, 20 de marzo de 2026 a la 1:30 p. m."
        );
        assert_eq!(
            long_time(Language::Spanish, at(1, 0)),
            "el viernes, 20 de marzo de 2026 a la 1:00 a. m."
        );
        assert_eq!(
            short_time_in(Language::Spanish, at(9, 16), "PDT"),
            "20 mar 2026, 9:16 a. m. PDT"
        );
        assert_eq!(
            short_time_in(Language::English, at(9, 16), "PDT"),
            "Mar 20, 2026, 9:16 AM PDT"
        );
    }

    /// A complaint's letters (docs/PRODUCT.md, "Complaints"), snapshotted as `c00_…`.
    #[test]
    fn every_complaint_notice_renders_as_snapshotted() {
        let office = office();
        let n = complaint(&office);
        for (i, (step, nth)) in complaint_steps().iter().enumerate() {
            snapshot_in_each_language(&format!("c{i:02}"), step, *nth, &n);
        }
    }

    /// One step for each fee snapshot, in the order they are numbered; each causes one notice.
    fn fee_steps() -> Vec<Step> {
        use crate::domain::fees::{Cents, EntryKind, Form, Line, Method, ProgrammingBasis, Rule};
        use crate::domain::step::{FeeAnswered, FeeEstimated, FeeRecorded};
        let lines = vec![
            Line {
                item: "letter_page".into(),
                description: "Paper copy, letter size (8½ × 11 in), per page".into(),
                quantity: 1_240,
                unit: Cents(10),
                amount: Cents(12_400),
                rule: Rule::Duplication,
                form: Form::Paper,
                basis: None,
                reason: None,
            },
            Line {
                item: "usb_drive".into(),
                description: "USB drive".into(),
                quantity: 1,
                unit: Cents(500),
                amount: Cents(500),
                rule: Rule::ElectronicCopy,
                form: Form::Electronic,
                basis: None,
                reason: None,
            },
            Line {
                item: "programming".into(),
                description: "Programming and data work".into(),
                quantity: 90,
                unit: Cents(9_000),
                amount: Cents(13_500),
                rule: Rule::Programming,
                form: Form::Electronic,
                basis: Some(ProgrammingBasis::Compilation),
                reason: Some("A query joining the permit and inspection systems.".into()),
            },
        ];
        let estimate = FeeEstimated {
            number: 1,
            lines: lines.clone(),
            total: Cents(26_400),
            note: Some("The programming line covers the export you asked for.".into()),
            waived: false,
            how_to_pay: Some("Pay at the City Clerk's counter by cash, check or card.".into()),
        };
        let recorded =
            |kind, amount, balance, method, reference: Option<&str>, reason: Option<&str>| {
                Step::FeeRecorded(FeeRecorded {
                    number: 1,
                    kind,
                    amount: Cents(amount),
                    method,
                    reference: reference.map(Into::into),
                    reason: reason.map(Into::into),
                    balance: Cents(balance),
                    entry: 7,
                })
            };
        vec![
            Step::FeeEstimated(estimate.clone()),
            Step::FeeEstimated(FeeEstimated {
                lines: lines[..1]
                    .iter()
                    .cloned()
                    .map(|l| Line {
                        quantity: 30,
                        amount: Cents(300),
                        ..l
                    })
                    .collect(),
                total: Cents(300),
                note: None,
                waived: true,
                how_to_pay: None,
                ..estimate.clone()
            }),
            Step::FeeAnswered(FeeAnswered {
                number: 1,
                accepted: true,
                total: Cents(26_400),
            }),
            Step::FeeAnswered(FeeAnswered {
                number: 1,
                accepted: false,
                total: Cents(26_400),
            }),
            recorded(
                EntryKind::Payment,
                20_000,
                6_400,
                Some(Method::Check),
                Some("No. 1042"),
                None,
            ),
            recorded(
                EntryKind::Waiver,
                6_400,
                0,
                None,
                None,
                Some("The export serves the public interest."),
            ),
            recorded(
                EntryKind::Waiver,
                5_000,
                -5_000,
                None,
                None,
                Some("Fewer pages than estimated."),
            ),
            recorded(
                EntryKind::Refund,
                5_000,
                0,
                Some(Method::Card),
                None,
                Some("Fewer pages than estimated."),
            ),
        ]
    }

    /// The letters of fees (docs/PRODUCT.md, "Fees"), snapshotted as `f00_…`.
    #[test]
    fn every_fee_notice_renders_as_snapshotted() {
        let office = office();
        let n = About {
            status: Status::Granted,
            ..about(&office)
        };
        for (i, step) in fee_steps().iter().enumerate() {
            snapshot_in_each_language(&format!("f{i:02}"), step, 0, &n);
        }
    }

    /// The steps snapshotted after the reminders, numbered from 18 on, with the notice of
    /// the step's that is snapshotted.
    fn later_steps() -> Vec<(Step, usize)> {
        let revoked = Step::ApiKeyRevoked(KeyRevoked {
            key_id: ApiKeyId(1),
            scopes: vec![],
        });
        let with_key = Step::Transition(Moved {
            decision: Some("API access granted.".into()),
            api_key_offered: true,
            ..moved(Status::Granted)
        });
        let released = Step::DocumentsReleased(Released {
            partial: true,
            documents: vec![
                ReleasedDocument {
                    document_id: DocumentId(1),
                    title: "incident-log-2025.pdf".into(),
                    sha256: Some("ab".into()),
                    size_bytes: Some(1_234_567),
                    url: None,
                    public: Some(false),
                },
                ReleasedDocument {
                    document_id: DocumentId(2),
                    title: "Traffic counts export".into(),
                    sha256: None,
                    size_bytes: None,
                    url: Some("https://data.example.gov/counts.csv".into()),
                    public: Some(true),
                },
            ],
            confirmed_findings: vec![],
        });
        // The outcomes and steps the determinations brought (issue 15).
        let no_records = Step::Transition(Moved {
            search: Some(
                "The Clerk's files, the Police records system and the city's email archive, \
                 March 2026, for \"Todos Santos\"."
                    .into(),
            ),
            appeal_deadline: Some(day("2026-04-13")),
            ..moved(Status::NoRecords)
        });
        let upheld_in_part = Step::Transition(Moved {
            from: Status::AdministrativeReview,
            decision: Some("The names stay withheld.".into()),
            is_final: true,
            review: Some(ReviewOutcome::Upheld),
            ..match &every_step()[4].0 {
                Step::Transition(m) => m.clone(),
                _ => unreachable!(),
            }
        });
        let revised = Step::Transition(Moved {
            from: Status::AdministrativeReview,
            decision: Some("On a second search, the City holds no such records.".into()),
            search: Some("The Police records system, all of 2026.".into()),
            is_final: true,
            review: Some(ReviewOutcome::Revised),
            ..moved(Status::NoRecords)
        });
        let for_requester = Step::Transition(Moved {
            on_behalf: Some("by phone on March 3, to Pat at the front counter".into()),
            ..moved(Status::Withdrawn)
        });
        let by_requester = Step::Transition(Moved {
            reason: Some("Found it online.".into()),
            ..moved(Status::Withdrawn)
        });
        let on_paper = Step::Produced(Produced {
            how: Production::Paper,
            note: Some("Forty pages collected at the counter on March 19.".into()),
            records_due_at: records_due().unwrap(),
            late: false,
        });
        let reopened = Step::Reopened(Reopened {
            reason: "The March 14 log was missing.".into(),
            records_due_at: day("2026-03-27").and_hms_opt(19, 30, 0).unwrap(),
            produced_at: day("2026-03-19").and_hms_opt(18, 0, 0).unwrap(),
            due_on: None,
        });
        let links_revoked = Step::LinksRevoked(LinksRevoked {
            token_hashes: vec!["ab".repeat(32)],
            reason: "The requester says their email was forwarded.".into(),
        });
        vec![
            (revoked, 0),
            (with_key, 0),
            (released, 0),
            (no_records, 0),
            (upheld_in_part, 0),
            (revised, 0),
            (for_requester, 0),
            (by_requester, 1),
            (on_paper, 0),
            (reopened, 0),
            (links_revoked, 0),
            (Step::LinkRequested(LinkRequested {}), 0),
            (
                Step::ApiKeyReplacementAsked(KeyReplacementAsked {
                    key_id: ApiKeyId(1),
                    reason: Some("I deleted it by mistake.".into()),
                }),
                0,
            ),
            (
                Step::ApiKeyReplacementOffered(KeyReplacementOffered {
                    key_id: ApiKeyId(2),
                    replaces: ApiKeyId(1),
                }),
                0,
            ),
            (
                Step::Assisted(Assistance {
                    records: "Police incident logs are kept by month; March 2026 is one log."
                        .into(),
                    location: Some(
                        "The Records Management System at the Police Department.".into(),
                    ),
                    suggestions:
                        "Name the dates and the block, and we can search the log for them.".into(),
                    question: Some("Which days in March do you need?".into()),
                    author_name: "Pat Records".into(),
                }),
                0,
            ),
            (
                Step::Transition(Moved {
                    duplicate_of: Some("RR-2026-00012".into()),
                    ..moved(Status::Duplicate)
                }),
                0,
            ),
            (
                Step::Message(Message {
                    message_id: MessageId(2),
                    author: Author::Requester,
                    author_name: "Jane Q. Public".into(),
                    body: String::new(),
                    files: vec![crate::domain::step::SentFile {
                        file_id: crate::domain::ids::RequesterFileId(1),
                        title: "site-plan.pdf".into(),
                        sha256: "ab".repeat(32),
                        size_bytes: 48_213,
                        content_type: "application/pdf".into(),
                    }],
                    email: None,
                }),
                0,
            ),
            (
                Step::NoticeBounced(crate::domain::step::NoticeBounced {
                    outbox_id: crate::domain::ids::OutboxId(7),
                    notice: crate::domain::notices::NoticeKind::Accepted,
                    status: "5.1.1".into(),
                    permanent: true,
                    diagnostic: Some(
                        "550 5.1.1 <jane@example.com>: Recipient address rejected".into(),
                    ),
                    mail_id: 3,
                    sha256: "cd".repeat(32),
                    address_flagged: true,
                }),
                0,
            ),
        ]
    }

    #[test]
    fn every_notice_renders_as_snapshotted() {
        let office = office();
        let n = about(&office);
        let mut i = 0;
        for (step, nth) in &every_step() {
            snapshot_in_each_language(&format!("{i:02}"), step, *nth, &n);
            i += 1;
        }
        for which in [Reminder::DueSoon, Reminder::Overdue] {
            snapshot_reminder(&format!("{i:02}"), which, &n);
            i += 1;
        }
        for (step, nth) in &later_steps() {
            snapshot_in_each_language(&format!("{i:02}"), step, *nth, &n);
            i += 1;
        }
        assert_eq!(i, 36);
    }

    #[test]
    fn the_denial_notice_says_why_who_and_how_to_appeal() {
        let office = office();
        let n = about(&office);
        let step = denial();
        let rendered = render(&Notice::for_step(&step, &n)[0]).unwrap();
        for needed in [
            "The records are part of an open investigation.",
            "Investigation file 2026-114",
            "Exemption: Gov. Code §7923.600 (former §6254(f))",
            "The investigation is open; disclosure would endanger it.",
            "clearly outweighs the public interest served by disclosing it",
            "Releasing the tip line's callers would deter reports of crime",
            "Pat Records, Deputy City Clerk",
            "Every page of the file describes the investigation",
            "Government Code section 7922.525",
            "Monday, April 13, 2026",
            "The review is optional",
            "Ask a court to order the records disclosed (Government Code section 7923.000",
        ] {
            assert!(rendered.text.contains(needed), "missing {needed:?}");
            assert!(
                rendered.html.contains(&needed.replace('\'', "&#x27;"))
                    || rendered.html.contains(&needed.replace('\'', "&#39;"))
                    || rendered.html.contains(needed),
                "html missing {needed:?}"
            );
        }
    }

    /// Each letter of an outcome, with what the statute (and the city's practice) requires
    /// it to say: docs/PRODUCT.md, "What each letter says".
    #[test]
    fn every_outcome_letter_says_what_the_statute_requires() {
        let office = office();
        let n = about(&office);
        let text = |step: &Step, nth: usize| render(&Notice::for_step(step, &n)[nth]).unwrap().text;
        let steps = every_step();
        let must = |text: &str, needed: &[&str]| {
            for needed in needed {
                assert!(text.contains(needed), "missing {needed:?} in:\n{text}");
            }
        };
        let must_not = |text: &str, absent: &[&str]| {
            for absent in absent {
                assert!(
                    !text.contains(absent),
                    "{absent:?} should not be in:\n{text}"
                );
            }
        };
        let options = [
            "The review is optional",
            "Government Code section 7923.000",
            "Monday, April 13, 2026",
        ];
        // A grant gives the date and time the records will be available (§7922.535(a)).
        let grant = text(&steps[3].0, 0);
        must(&grant, &["4:00 PM on Friday, March 20, 2026"]);
        must_not(&grant, &["withholding", "7923.000"]);
        // A grant in part: each item, its exemption and reason, who is responsible, options.
        let in_part = text(&steps[4].0, 0);
        must(
            &in_part,
            &[
                "granted in part",
                "4:00 PM on Friday, March 20, 2026",
                "Victims' names and addresses",
                "Exemption: Gov. Code §7927.705 (former §6254(k))",
                "Penal Code §293",
                "Pat Records, Deputy City Clerk",
                "section 7922.540",
            ],
        );
        must(&in_part, &options);
        // The extension: its circumstance, the new date, the designee who signs it.
        let extension = text(&steps[2].0, 0);
        must(
            &extension,
            &[
                "(c)(2)",
                "voluminous",
                "Pat Records, Deputy City Clerk, as designee of the head of the agency",
            ],
        );
        // No records: the search, help under §7922.600, options.
        let no_records = Step::Transition(Moved {
            search: Some("The Clerk's files for March 2026.".into()),
            appeal_deadline: Some(day("2026-04-13")),
            ..moved(Status::NoRecords)
        });
        let none = text(&no_records, 0);
        must(
            &none,
            &[
                "found no records",
                "The Clerk's files for March 2026.",
                "Government Code section 7922.600",
                "(925) 671-3000",
            ],
        );
        must(&none, &options);
        // A review decision is final and says so; upholding a denial repeats its content.
        let upheld = text(&steps[9].0, 0);
        must(
            &upheld,
            &[
                "upheld: your request is denied",
                "This decision is final",
                "Investigation file 2026-114",
                "Pat Records, Deputy City Clerk",
                "7922.525",
                "section 7923.000",
            ],
        );
        must_not(&upheld, &["The review is optional"]);
        // Overturned to a grant in full: when the records come, and no court line.
        let overturned = text(&steps[8].0, 0);
        must(
            &overturned,
            &[
                "overturned: your request is granted",
                "This decision is final",
                "4:00 PM on Friday, March 20, 2026",
            ],
        );
        must_not(&overturned, &["7923.000"]);
    }

    #[test]
    fn the_html_part_escapes_what_people_typed_and_links_urls() {
        let office = office();
        let n = about(&office);
        let step = filed();
        let rendered =
            private_link::filled(&render(&Notice::for_step(&step, &n)[0]).unwrap(), "rdr_x");
        assert!(rendered
            .html
            .contains("&#60;Todos Santos&#62; Plaza &#38; surroundings"));
        assert!(!rendered.html.contains("<Todos"));
        assert!(rendered
            .html
            .contains("<a href=\"http://127.0.0.1:8080/requests/RR-2026-00042?token=rdr_x\">"));
        assert!(
            rendered
                .text
                .contains("<Todos Santos> Plaza & surroundings"),
            "plain text stays plain"
        );
    }

    #[test]
    fn the_audit_copy_hides_the_private_token() {
        let office = office();
        let n = about(&office);
        let step = filed();
        let rendered = render(&Notice::for_step(&step, &n)[0]).unwrap();
        assert!(
            private_link::carries_link(&rendered),
            "rendered with the token's mark"
        );
        let redacted = private_link::withheld(&rendered);
        assert!(!redacted.text.contains('\u{1A}') && !redacted.html.contains('\u{1A}'));
        assert!(redacted.text.contains("?token=[private token withheld]"));
    }

    /// Every sentence of a letter to the requester is the wording's, in their language: the
    /// templates hold only values and layout. Staff letters, and the signature's staff part
    /// (`notice.txt`), stay English.
    #[test]
    fn the_requester_letters_hold_no_words_of_their_own() {
        use crate::domain::notices::NoticeKind;
        let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/notices");
        let letters = NoticeKind::ALL
            .into_iter()
            .filter(|kind| kind.audience() == Audience::Requester)
            .map(|kind| format!("{kind}.txt"));
        let parts = ["help.txt", "options.txt", "withholding.txt", "notice.html"];
        for name in letters.chain(parts.map(String::from)) {
            let template = std::fs::read_to_string(folder.join(&name)).unwrap();
            let words = crate::wording::tests::own_words(&template);
            assert!(
                words.is_empty(),
                "{name} says {words:?} in its own words, not the wording's"
            );
        }
    }

    #[test]
    fn dates_read_as_words() {
        assert_eq!(long_date(day("2026-12-07")), "Monday, December 7, 2026");
        assert_eq!(
            long_date_in(Language::Spanish, day("2026-12-07")),
            "lunes, 7 de diciembre de 2026"
        );
        assert_eq!(
            long_date_in(Language::Spanish, day("2027-03-21")),
            "domingo, 21 de marzo de 2027"
        );
        let at = day("2026-03-20").and_hms_opt(16, 0, 0).unwrap();
        assert_eq!(clock_time_in(Language::Spanish, at), "4:00 p. m.");
        assert_eq!(clock_time_in(Language::English, at), "4:00 PM");
    }
}
