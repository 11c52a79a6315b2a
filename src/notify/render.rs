//! Turning a queued notice into an email: subject, plain-text body (askama templates under
//! `templates/notices/`) and an HTML alternative laid out from the same text.

use askama::Template;
use chrono::NaiveDate;
use serde_json::Value;

use super::notice::{Audience, Notice};

/// What the templates read: every value already a display string.
#[derive(Debug, Clone, Default)]
pub struct NoticeView {
    pub notice: String,
    pub for_staff: bool,
    pub tracking_number: String,
    pub kind_label: String,
    pub status_label: String,
    pub description: String,
    pub dataset_id: String,
    pub received: String,
    pub determination_due: String,
    pub due_on: String,
    pub requester_name: String,
    pub private_url: String,
    pub staff_url: String,
    pub office_name: String,
    pub office_email: String,
    pub office_phone: String,
    pub office_address: String,
    pub outcome: String,
    pub decision: String,
    pub reason: String,
    pub partial: bool,
    pub withheld: String,
    pub legal_basis: Vec<String>,
    pub responsible: Vec<Person>,
    pub appeal_deadline: String,
    pub grounds: String,
    pub extension_days: String,
    pub circumstance_text: String,
    pub extension_reason: String,
    pub previous_due: String,
    pub message_from: String,
    pub message_body: String,
    pub api_key_offered: bool,
    /// Documents released by this step: what each is called and its size in words.
    pub released: Vec<Released>,
}

#[derive(Debug, Clone, Default)]
pub struct Released {
    pub title: String,
    /// "1.2 MB", or the address of a link.
    pub detail: String,
}

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

#[derive(Debug, Clone, Default)]
pub struct Person {
    pub name: String,
    pub title: String,
}

/// "Monday, December 7, 2026": dates as people read them.
pub fn long_date(iso: &str) -> String {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d")
        .map(|d| d.format("%A, %B %-d, %Y").to_string())
        .unwrap_or_else(|_| iso.to_string())
}

fn kind_label(kind: &str) -> &'static str {
    match kind {
        "dataset_access" => "dataset access request",
        "api_access" => "API access request",
        _ => "public records request",
    }
}

fn status_label(status: &str) -> String {
    status.replace('_', " ")
}

impl NoticeView {
    /// Reads the payload a workflow step queued (see `workflow::notices`).
    pub fn from_payload(notice: Notice, payload: &Value) -> NoticeView {
        let s = |v: &Value, key: &str| v.get(key).and_then(Value::as_str).unwrap_or("").to_string();
        let request = &payload["request"];
        let office = &request["office"];
        let transition = &payload["transition"];
        let extended = &payload["extended"];
        let message = &payload["message"];
        let strings = |v: &Value| -> Vec<String> {
            v.as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default()
        };
        NoticeView {
            notice: notice.as_str().to_string(),
            for_staff: notice.audience() == Audience::Staff,
            tracking_number: s(request, "tracking_number"),
            kind_label: kind_label(&s(request, "kind")).to_string(),
            status_label: status_label(&s(request, "status")),
            description: s(request, "description"),
            dataset_id: s(request, "dataset_id"),
            received: long_date(s(request, "received_on").as_str()),
            determination_due: long_date(&s(request, "determination_due")),
            due_on: long_date(&s(request, "due_on")),
            requester_name: s(payload, "requester_name"),
            private_url: s(payload, "private_url"),
            staff_url: s(request, "staff_url"),
            office_name: s(office, "name"),
            office_email: s(office, "email"),
            office_phone: s(office, "phone"),
            office_address: s(office, "address"),
            outcome: s(transition, "to"),
            decision: s(transition, "decision"),
            reason: s(transition, "reason"),
            partial: transition["partial"].as_bool().unwrap_or(false),
            withheld: s(transition, "withheld"),
            legal_basis: strings(&transition["legal_basis"]),
            responsible: transition["responsible"]
                .as_array()
                .map(|people| {
                    people
                        .iter()
                        .map(|p| Person {
                            name: s(p, "name"),
                            title: s(p, "title"),
                        })
                        .collect()
                })
                .unwrap_or_default(),
            appeal_deadline: long_date(&s(transition, "appeal_deadline")),
            grounds: s(transition, "grounds"),
            extension_days: extended["days"]
                .as_i64()
                .map(|d| d.to_string())
                .unwrap_or_default(),
            circumstance_text: s(extended, "circumstance_text"),
            extension_reason: s(extended, "reason"),
            previous_due: long_date(&s(extended, "previous_due")),
            message_from: s(message, "author_name"),
            message_body: s(message, "body"),
            api_key_offered: transition["api_key_offered"].as_bool().unwrap_or(false),
            released: payload["documents_released"]["documents"]
                .as_array()
                .map(|documents| {
                    documents
                        .iter()
                        .map(|d| Released {
                            title: s(d, "title"),
                            detail: match d["size_bytes"].as_u64() {
                                Some(size) => size_in_words(size),
                                None => s(d, "url"),
                            },
                        })
                        .collect()
                })
                .unwrap_or_default(),
        }
    }

    pub fn subject(&self) -> String {
        let tn = &self.tracking_number;
        let what = match self.notice.as_str() {
            "acknowledgement" => format!("We received your {}", self.kind_label),
            "accepted" => "Your request is under review".into(),
            "extended" => format!(
                "We need more time: determination by {}",
                self.determination_due
            ),
            "granted" if self.partial => "Your request is granted in part".into(),
            "granted" => "Your request is granted".into(),
            "denied" => "Your request is denied: how to appeal".into(),
            "appeal_received" => "We received your appeal".into(),
            "review_started" => "Your appeal is under review".into(),
            "review_decision" if self.outcome == "granted" => {
                "Appeal decided: your request is granted".into()
            }
            "review_decision" => "Appeal decided: the denial is upheld".into(),
            "withdrawn" => "Your request is withdrawn".into(),
            "staff_message" => "A message about your request".into(),
            "new_request" => format!("New {} in your queue", self.kind_label),
            "assigned" => "Assigned to you".into(),
            "appeal_filed" => "Appeal filed".into(),
            "requester_message" => "The requester wrote".into(),
            "due_soon" => format!("Due {}", self.due_on),
            "overdue" => "Overdue".into(),
            "api_key_revoked" => "Your API key is revoked".into(),
            "records_released" if self.released.len() == 1 => {
                "Records released to you: 1 document".into()
            }
            "records_released" => {
                format!("Records released to you: {} documents", self.released.len())
            }
            other => other.replace('_', " "),
        };
        format!("[{tn}] {what}")
    }
}

#[derive(Template)]
#[template(path = "notices/notice.txt")]
struct TextBody<'a> {
    n: &'a NoticeView,
}

/// One line of the HTML body: text, or a link written out in full.
pub struct Line {
    pub text: String,
    pub is_link: bool,
}

#[derive(Template)]
#[template(path = "notices/notice.html")]
struct HtmlBody<'a> {
    n: &'a NoticeView,
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

pub fn render(view: &NoticeView) -> Result<Rendered, askama::Error> {
    let subject = view.subject();
    let text = tidy(&TextBody { n: view }.render()?);
    let html = HtmlBody {
        n: view,
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
    use serde_json::json;

    fn payload(extra: Value) -> Value {
        let mut base = json!({
            "request": {
                "tracking_number": "RR-2026-00042",
                "kind": "public_records",
                "status": "under_review",
                "description": "Police logs for <Todos Santos> Plaza & surroundings, March 2026.",
                "dataset_id": null,
                "received_on": "2026-03-02",
                "determination_due": "2026-03-12",
                "due_on": "2026-03-12",
                "staff_url": "http://127.0.0.1:8080/staff/requests/RR-2026-00042",
                "office": {
                    "name": "Office of the City Clerk, City of Concord",
                    "email": "cityclerk@cityofconcord.org",
                    "phone": "(925) 671-3000",
                    "address": "1950 Parkside Drive, Concord, CA 94519"
                }
            },
            "requester_name": "Jane Q. Public"
        });
        for (k, v) in extra.as_object().unwrap() {
            base[k] = v.clone();
        }
        base
    }

    fn denial() -> Value {
        json!({ "transition": {
            "from": "under_review", "to": "denied",
            "reason": "The records are part of an open investigation.",
            "legal_basis": ["Gov. Code §7923.600"],
            "responsible": [{ "name": "Pat Records", "title": "Deputy City Clerk" }],
            "appeal_deadline": "2026-04-13", "partial": false, "final": false
        }})
    }

    fn every_notice() -> Vec<(Notice, Value)> {
        vec![
            (
                Notice::Acknowledgement,
                json!({ "private_url": "http://127.0.0.1:8080/requests/RR-2026-00042?token=rdr_SECRET" }),
            ),
            (Notice::Accepted, json!({})),
            (
                Notice::Extended,
                json!({ "extended": { "days": 14, "circumstance_text": "A voluminous amount of separate and distinct records must be searched for, collected and examined.", "reason": "Three years of logs.", "previous_due": "2026-03-12" } }),
            ),
            (
                Notice::Granted,
                json!({ "transition": { "to": "granted", "decision": "The logs are attached.", "partial": false } }),
            ),
            (
                Notice::Granted,
                json!({ "transition": { "to": "granted", "decision": "Logs released, redacted.", "partial": true, "withheld": "Victims' names.", "legal_basis": ["Gov. Code §7923.615"] } }),
            ),
            (Notice::Denied, denial()),
            (
                Notice::AppealReceived,
                json!({ "transition": { "to": "appealed", "grounds": "The case closed in 2025." } }),
            ),
            (
                Notice::ReviewStarted,
                json!({ "transition": { "to": "administrative_review" } }),
            ),
            (
                Notice::ReviewDecision,
                json!({ "transition": { "to": "granted", "decision": "The exemption no longer applies." } }),
            ),
            (
                Notice::ReviewDecision,
                json!({ "transition": { "to": "denied", "decision": "Upheld.", "legal_basis": ["Gov. Code §7923.600"], "final": true } }),
            ),
            (
                Notice::Withdrawn,
                json!({ "transition": { "to": "withdrawn", "reason": "Found it online." } }),
            ),
            (
                Notice::StaffMessage,
                json!({ "message": { "author_name": "Pat Records", "body": "Which months exactly?" } }),
            ),
            (Notice::NewRequest, json!({})),
            (Notice::Assigned, json!({})),
            (
                Notice::AppealFiled,
                json!({ "transition": { "to": "appealed", "grounds": "The case closed in 2025." } }),
            ),
            (
                Notice::RequesterMessage,
                json!({ "message": { "author_name": "Jane Q. Public", "body": "March only." } }),
            ),
            (Notice::DueSoon, json!({})),
            (Notice::Overdue, json!({})),
            (Notice::ApiKeyRevoked, json!({ "api_key": { "key_id": 1 } })),
            (
                Notice::Granted,
                json!({ "transition": { "to": "granted", "decision": "API access granted.", "api_key_offered": true } }),
            ),
            (
                Notice::RecordsReleased,
                json!({ "documents_released": { "partial": true, "documents": [
                    { "document_id": 1, "title": "incident-log-2025.pdf", "size_bytes": 1_234_567, "sha256": "ab" },
                    { "document_id": 2, "title": "Traffic counts export", "url": "https://data.example.gov/counts.csv" }
                ] } }),
            ),
        ]
    }

    #[test]
    fn every_notice_renders_as_snapshotted() {
        for (i, (notice, extra)) in every_notice().into_iter().enumerate() {
            let rendered = render(&NoticeView::from_payload(notice, &payload(extra))).unwrap();
            let shown = format!("Subject: {}\n\n{}", rendered.subject, rendered.text);
            insta::assert_snapshot!(format!("{i:02}_{}", notice.as_str()), shown);
        }
    }

    #[test]
    fn the_denial_notice_says_why_who_and_how_to_appeal() {
        let rendered = render(&NoticeView::from_payload(
            Notice::Denied,
            &payload(denial()),
        ))
        .unwrap();
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
        let extra =
            json!({ "private_url": "http://127.0.0.1:8080/requests/RR-2026-00042?token=rdr_x" });
        let rendered = render(&NoticeView::from_payload(
            Notice::Acknowledgement,
            &payload(extra),
        ))
        .unwrap();
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
        let extra = json!({ "private_url": "http://127.0.0.1:8080/requests/RR-2026-00042?token=rdr_SECRET" });
        let rendered = render(&NoticeView::from_payload(
            Notice::Acknowledgement,
            &payload(extra),
        ))
        .unwrap();
        let redacted = rendered.redacted(Some("rdr_SECRET"));
        assert!(rendered.text.contains("rdr_SECRET"));
        assert!(!redacted.text.contains("rdr_SECRET") && !redacted.html.contains("rdr_SECRET"));
        assert!(redacted.text.contains("[private token withheld]"));
    }

    #[test]
    fn dates_read_as_words() {
        assert_eq!(long_date("2026-12-07"), "Monday, December 7, 2026");
        assert_eq!(long_date(""), "");
    }
}
