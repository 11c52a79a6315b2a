//! Turning a notice into an email: its subject, its letter as plain text signed by the office
//! (`templates/notices/notice.txt`), and an HTML alternative laid out from the same text.

use askama::Template;
use chrono::NaiveDate;

use super::notice::{About, Notice};
use crate::domain::notices::Audience;

/// "512 bytes", "14.2 KB", "3.0 MB": sizes as people read them.
pub fn size_in_words(bytes: u64) -> String {
    const KB: f64 = 1000.0;
    match bytes {
        0..=999 => format!("{bytes} bytes"),
        1000..=999_999 => format!("{:.1} KB", bytes as f64 / KB),
        1_000_000..=999_999_999 => format!("{:.1} MB", bytes as f64 / (KB * KB)),
        _ => format!("{:.1} GB", bytes as f64 / (KB * KB * KB)),
    }
}

/// "Monday, December 7, 2026": dates as people read them.
pub fn long_date(day: NaiveDate) -> String {
    day.format("%A, %B %-d, %Y").to_string()
}

/// A letter signed: the office's address for the requester, the case's address for staff.
#[derive(Template)]
#[template(path = "notices/notice.txt")]
struct TextBody<'a> {
    n: &'a About<'a>,
    body: &'a str,
    for_staff: bool,
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
fn tidy(text: &str) -> String {
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

fn paragraphs(text: &str) -> Vec<Vec<Line>> {
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| {
            p.lines()
                .map(|line| Line {
                    is_link: (line.starts_with("https://") || line.starts_with("http://"))
                        && !line.contains(' '),
                    text: line.to_string(),
                })
                .collect()
        })
        .collect()
}

/// A notice as an email: its subject, its letter signed as plain text, and an HTML
/// alternative laid out from the same text.
pub fn render(notice: &Notice<'_>) -> Result<Rendered, askama::Error> {
    let subject = notice.subject();
    let body = notice.body()?;
    let n = notice.about();
    let signed = TextBody {
        n,
        body: &body,
        for_staff: notice.audience() == Audience::Staff,
    };
    let text = tidy(&signed.render()?);
    let html = HtmlBody {
        n,
        subject: &subject,
        paragraphs: paragraphs(&text),
    }
    .render()?;
    Ok(Rendered {
        subject,
        text,
        html,
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
    use crate::domain::ids::{ApiKeyId, DocumentId, MessageId};
    use crate::domain::input::Responsible;
    use crate::domain::step::{
        Author, Extended, KeyRevoked, Message, Moved, Released, ReleasedDocument, Step,
    };
    use crate::domain::{Circumstance, RequestKind, Status};
    use crate::notify::notice::fixtures::{about, office};
    use crate::notify::notice::Reminder;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap()
    }

    fn moved(to: Status) -> Moved {
        Moved::bare(Status::UnderReview, to)
    }

    fn denial() -> Step {
        Step::Transition(Moved {
            reason: Some("The records are part of an open investigation.".into()),
            legal_basis: vec!["Gov. Code §7923.600".into()],
            responsible: vec![Responsible {
                name: "Pat Records".into(),
                title: "Deputy City Clerk".into(),
            }],
            appeal_deadline: Some(day("2026-04-13")),
            ..moved(Status::Denied)
        })
    }

    fn message(author: Author, name: &str, body: &str) -> Step {
        Step::Message(Message {
            message_id: MessageId(1),
            author,
            author_name: name.into(),
            body: body.into(),
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
        let review = |to, decision: &str, legal_basis: Vec<String>| {
            Step::Transition(Moved {
                from: Status::AdministrativeReview,
                decision: Some(decision.into()),
                legal_basis,
                is_final: to == Status::Denied,
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
                    determination_due: day("2026-03-12"),
                }),
                0,
            ),
            (
                Step::Transition(Moved {
                    decision: Some("The logs are attached.".into()),
                    ..moved(Status::Granted)
                }),
                0,
            ),
            (
                Step::Transition(Moved {
                    decision: Some("Logs released, redacted.".into()),
                    partial: true,
                    withheld: Some("Victims' names.".into()),
                    legal_basis: vec!["Gov. Code §7923.615".into()],
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
                review(Status::Granted, "The exemption no longer applies.", vec![]),
                0,
            ),
            (
                review(
                    Status::Denied,
                    "Upheld.",
                    vec!["Gov. Code §7923.600".into()],
                ),
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
            kind: RequestKind::PublicRecords,
            requester: crate::domain::step::RequesterDetails {
                name: "Jane Q. Public".into(),
                email: "jane@example.com".into(),
                phone: None,
                organization: None,
            },
            description: "Police logs".into(),
            dataset_id: None,
            fields_needed: None,
            intended_use: None,
            preferred_format: None,
            queue: "city_clerk".into(),
            assignee: None,
            determination_due: day("2026-03-12"),
        })
    }

    const PRIVATE_URL: &str = "http://127.0.0.1:8080/requests/RR-2026-00042?token=rdr_SECRET";

    fn snapshot(i: usize, notice: &Notice<'_>) {
        let rendered = render(notice).unwrap();
        let shown = format!("Subject: {}\n\n{}", rendered.subject, rendered.text);
        insta::assert_snapshot!(format!("{i:02}_{}", notice.kind()), shown);
    }

    #[test]
    fn every_notice_renders_as_snapshotted() {
        let office = office();
        let n = about(&office, Some(PRIVATE_URL));
        let steps = every_step();
        let mut i = 0;
        for (step, nth) in &steps {
            let notices = Notice::for_step(step, &n);
            snapshot(i, &notices[*nth]);
            i += 1;
        }
        for which in [Reminder::DueSoon, Reminder::Overdue] {
            snapshot(i, &Notice::reminder(which, &n));
            i += 1;
        }
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
                },
                ReleasedDocument {
                    document_id: DocumentId(2),
                    title: "Traffic counts export".into(),
                    sha256: None,
                    size_bytes: None,
                    url: Some("https://data.example.gov/counts.csv".into()),
                },
            ],
        });
        for step in [revoked, with_key, released] {
            snapshot(i, &Notice::for_step(&step, &n)[0]);
            i += 1;
        }
        assert_eq!(i, 21);
    }

    #[test]
    fn the_denial_notice_says_why_who_and_how_to_appeal() {
        let office = office();
        let n = about(&office, None);
        let step = denial();
        let rendered = render(&Notice::for_step(&step, &n)[0]).unwrap();
        for needed in [
            "The records are part of an open investigation.",
            "Gov. Code §7923.600",
            "Pat Records, Deputy City Clerk",
            "Monday, April 13, 2026",
            "Appeal this denial",
        ] {
            assert!(rendered.text.contains(needed), "missing {needed:?}");
            assert!(
                rendered.html.contains(&needed.replace('\'', "&#x27;"))
                    || rendered.html.contains(needed),
                "html missing {needed:?}"
            );
        }
    }

    #[test]
    fn the_html_part_escapes_what_people_typed_and_links_urls() {
        let office = office();
        let url = "http://127.0.0.1:8080/requests/RR-2026-00042?token=rdr_x";
        let n = about(&office, Some(url));
        let step = filed();
        let rendered = render(&Notice::for_step(&step, &n)[0]).unwrap();
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
        let n = about(&office, Some(PRIVATE_URL));
        let step = filed();
        let rendered = render(&Notice::for_step(&step, &n)[0]).unwrap();
        let redacted = rendered.redacted(Some("rdr_SECRET"));
        assert!(rendered.text.contains("rdr_SECRET"));
        assert!(!redacted.text.contains("rdr_SECRET") && !redacted.html.contains("rdr_SECRET"));
        assert!(redacted.text.contains("[private token withheld]"));
    }

    #[test]
    fn dates_read_as_words() {
        assert_eq!(long_date(day("2026-12-07")), "Monday, December 7, 2026");
    }
}
