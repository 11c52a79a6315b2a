//! Letters about a staff member's own account (docs/PRODUCT.md, "Staff accounts"): the
//! invitation and the password reset, each carrying a one-time link. They go through the
//! outbox like every notice, for no request; the link's token is the envelope's secret, so
//! the row keeps it only until the letter is delivered.

use askama::Template;
use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::outbox::Envelope;
use super::render::{long_time, paragraphs, tidy, Line, Rendered};
use crate::config::OfficeSettings;
use crate::db::models::NewOutboxRow;
use crate::db::schema::outbox;
use crate::db::{per_backend, Conn};
use crate::domain::notices::{Audience, NoticeKind, OutboxStatus};
use crate::domain::Role;
use crate::secrets::random_hex;
use crate::wording::Language;

/// Which letter, and what it is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountLetter {
    Invitation,
    Reset,
}

impl AccountLetter {
    pub fn kind(self) -> NoticeKind {
        match self {
            AccountLetter::Invitation => NoticeKind::StaffInvitation,
            AccountLetter::Reset => NoticeKind::PasswordReset,
        }
    }

    /// What `staff_links.purpose` says.
    pub fn purpose(self) -> &'static str {
        match self {
            AccountLetter::Invitation => "invitation",
            AccountLetter::Reset => "reset",
        }
    }
}

/// One letter to one staff member.
pub struct AccountMail<'a> {
    pub letter: AccountLetter,
    pub to: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub department: Option<&'a str>,
    /// The page that sets the password, its token in it.
    pub link: &'a str,
    /// When the link stops working, in the city's time.
    pub expires_local: NaiveDateTime,
    pub office: &'a OfficeSettings,
}

#[derive(Template)]
#[template(path = "notices/staff_invitation.txt")]
struct InvitationText<'a> {
    name: &'a str,
    office: &'a str,
    role: &'a str,
    department: Option<&'a str>,
    link: &'a str,
    expires: String,
}

#[derive(Template)]
#[template(path = "notices/password_reset.txt")]
struct ResetText<'a> {
    name: &'a str,
    office: &'a str,
    link: &'a str,
    expires: String,
}

#[derive(Template)]
#[template(path = "notices/account.html")]
struct AccountHtml<'a> {
    subject: &'a str,
    office: &'a str,
    paragraphs: Vec<Vec<Line>>,
}

/// A role as the letter names it.
fn role_words(role: Role) -> &'static str {
    match role {
        Role::Clerk => "a clerk",
        Role::Steward => "a dataset steward",
        Role::Reviewer => "a reviewer of appeals",
        Role::Admin => "an administrator",
    }
}

pub fn render(mail: &AccountMail<'_>) -> Result<Rendered, askama::Error> {
    let expires = long_time(Language::English, mail.expires_local);
    let office = mail.office.name.as_str();
    let (subject, body) = match mail.letter {
        AccountLetter::Invitation => (
            format!("Your staff account at {office}"),
            InvitationText {
                name: mail.name,
                office,
                role: role_words(mail.role),
                department: mail.department,
                link: mail.link,
                expires,
            }
            .render()?,
        ),
        AccountLetter::Reset => (
            format!("Choose a new password for {office}"),
            ResetText {
                name: mail.name,
                office,
                link: mail.link,
                expires,
            }
            .render()?,
        ),
    };
    let text = tidy(&body);
    let html = AccountHtml {
        subject: &subject,
        office,
        paragraphs: paragraphs(&text, &[mail.link]),
    }
    .render()?;
    Ok(Rendered {
        subject,
        text,
        html,
    })
}

/// Queues the letter, its link's token held as the envelope's secret until delivery.
pub fn enqueue(
    conn: &mut Conn,
    mail: &AccountMail<'_>,
    token: &str,
    mail_domain: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    let rendered = render(mail).map_err(|e| {
        diesel::result::Error::QueryBuilderError(format!("rendering an account letter: {e}").into())
    })?;
    let kind = mail.letter.kind();
    let message_id = format!(
        "<staff.{}.{}@{}>",
        kind.as_str(),
        random_hex(8),
        mail_domain
    );
    let envelope = Envelope {
        to_name: Some(mail.name.to_string()),
        reply_to: None,
        message: rendered,
        secret: Some(token.to_string()),
    };
    let payload = serde_json::to_string(&envelope).expect("an envelope always serialises");
    let row = NewOutboxRow {
        request_id: None,
        notice: kind,
        recipient: mail.to,
        audience: Audience::Staff,
        payload: &payload,
        message_id: &message_id,
        status: OutboxStatus::Queued,
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
    };
    per_backend!(conn, |c| diesel::insert_into(outbox::table)
        .values(&row)
        .execute(c))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn office() -> OfficeSettings {
        crate::config::Settings::defaults().office
    }

    #[test]
    fn an_invitation_says_who_invites_as_what_and_until_when_the_link_works() {
        let office = office();
        let link = "http://127.0.0.1:8080/staff/password?token=rds_abc";
        let mail = AccountMail {
            letter: AccountLetter::Invitation,
            to: "pat@cityofconcord.org",
            name: "Pat Records",
            role: Role::Clerk,
            department: Some("City Clerk"),
            link,
            expires_local: chrono::NaiveDate::from_ymd_opt(2026, 12, 9)
                .unwrap()
                .and_hms_opt(16, 0, 0)
                .unwrap(),
            office: &office,
        };
        let rendered = render(&mail).unwrap();
        assert_eq!(
            rendered.subject,
            "Your staff account at Office of the City Clerk, City of Concord"
        );
        for needed in [
            "Hello Pat Records,",
            "as a clerk in City Clerk",
            "until 4:00 PM on Wednesday, December 9, 2026",
            link,
        ] {
            assert!(
                rendered.text.contains(needed),
                "{needed}: {}",
                rendered.text
            );
        }
        assert!(
            rendered.html.contains(&format!("<a href=\"{link}\">")),
            "{}",
            rendered.html
        );
        let kept = rendered.redacted(Some("rds_abc"));
        assert!(!kept.text.contains("rds_abc") && !kept.html.contains("rds_abc"));
    }
}
