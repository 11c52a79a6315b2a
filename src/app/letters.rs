//! Decision letters (docs/PRODUCT.md, "Letters"): every notice a request's steps sent to its
//! requester is also a letter on the office's letterhead, dated the day of its step, signed by
//! the staff member who took it (or by the office, for the steps the service took), read from
//! the audit log as `Notice::for_step` writes it for email. A letter is named by its event's
//! seq and its notice kind. Its private link is never shown: a letter on a page or in a PDF
//! says where the link is instead of carrying the token. Letters by post (`post.rs`) walk the
//! same list.

use chrono::{NaiveDate, NaiveDateTime};

use super::{AppError, Caller, Ctx};
use crate::audit;
use crate::config::{LetterSettings, SettingsError};
use crate::db::models::{AuditRow, RequestRow, RequesterRow};
use crate::db::{self, Conn};
use crate::domain::ids::{OutboxId, RequestId};
use crate::domain::notices::{Audience, NoticeKind};
use crate::domain::step::Step;
use crate::domain::Role;
use crate::notify::dispatcher::LetterAttacher;
use crate::notify::letter_pdf::{self, LetterPdf, Letterhead, PdfWords, Seal};
use crate::notify::mailer::Attachment;
use crate::notify::outbox::Claimed;
use crate::notify::render::{long_date_in, Rendered};
use crate::notify::{private_link, Notice};
use crate::wording::{say, word, Arg, Language};

/// How letters are signed and sent (config `[letters]`).
#[derive(Debug, Clone, Default)]
pub struct LetterStyle {
    /// The requester's email notice carries its letter as a PDF.
    pub attach_pdf: bool,
    /// The seal or logo on the letterhead.
    pub seal: Option<std::sync::Arc<Seal>>,
    /// Who signs the letters of the steps the service took itself.
    pub signer_name: String,
    pub signer_title: String,
}

impl LetterStyle {
    /// From config `[letters]`: a seal file that is missing or not a JPEG stops the start
    /// with the reason.
    pub fn from_settings(settings: &LetterSettings) -> Result<LetterStyle, SettingsError> {
        let seal = match &settings.seal_file {
            None => None,
            Some(path) => {
                let bytes = std::fs::read(path).map_err(|e| {
                    SettingsError::Invalid(format!(
                        "letters.seal_file {}: cannot read it: {e}",
                        path.display()
                    ))
                })?;
                let seal = Seal::from_jpeg(bytes).map_err(|e| {
                    SettingsError::Invalid(format!("letters.seal_file {}: {e}", path.display()))
                })?;
                Some(std::sync::Arc::new(seal))
            }
        };
        Ok(LetterStyle {
            attach_pdf: settings.attach_pdf,
            seal,
            signer_name: settings.signer_name.clone(),
            signer_title: settings.signer_title.clone(),
        })
    }
}

/// One of a request's letters, as a list shows it.
#[derive(Debug, Clone)]
pub struct LetterEntry {
    pub seq: i64,
    pub kind: NoticeKind,
    /// The notice's subject, without the tracking number in brackets.
    pub subject: String,
    /// When its step happened (UTC), and that day in the city.
    pub at: NaiveDateTime,
    pub date: NaiveDate,
    /// The language it was sent in: the request's.
    pub language: Language,
}

/// Who signed a letter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signer {
    pub name: String,
    pub title: String,
}

/// A letter whole.
#[derive(Debug, Clone)]
pub struct Letter {
    pub tracking_number: String,
    pub seq: i64,
    pub kind: NoticeKind,
    pub at: NaiveDateTime,
    pub date: NaiveDate,
    pub requester_name: Option<String>,
    pub subject: String,
    /// The letter's paragraphs (its email's text, less the email's signature), the private
    /// link withheld.
    pub paragraphs: Vec<String>,
    pub signer: Signer,
    /// The language it is written in: the request's, or English for the original of a
    /// Spanish letter (docs/PRODUCT.md, "Languages").
    pub language: Language,
    /// This is the English original of a letter sent in another language.
    pub original: bool,
}

impl Letter {
    /// "Monday, March 2, 2026", "lunes, 2 de marzo de 2026".
    pub fn long_date(&self) -> String {
        long_date_in(self.language, self.date)
    }

    /// The words a letter sets around its paragraphs, in its language.
    pub fn words(&self) -> PdfWords {
        let language = self.language;
        PdfWords {
            tracking_number: word(language, "page-letter-tracking-number"),
            to: word(language, "page-letter-to"),
            closing: word(language, "page-letter-closing"),
            page_of: say(
                language,
                "page-letter-page-of",
                &[
                    ("page", Arg::Text("{page}")),
                    ("pages", Arg::Text("{pages}")),
                ],
            ),
        }
    }

    /// `RR-2026-00042-granted.pdf`; a letter in another language than English says which:
    /// `RR-2026-00042-granted-es.pdf`.
    pub fn file_name(&self) -> String {
        let language = match self.language {
            Language::English => String::new(),
            other => format!("-{}", other.code()),
        };
        format!(
            "{}-{}{language}.pdf",
            self.tracking_number,
            self.kind.as_str().replace('_', "-")
        )
    }

    /// The letter as a PDF, on the office's letterhead.
    pub fn pdf(&self, ctx: &Ctx) -> Vec<u8> {
        let words = self.words();
        let date = self.long_date();
        letter_pdf::write(&LetterPdf {
            letterhead: Letterhead {
                name: &ctx.office.name,
                address: &ctx.office.address,
                email: &ctx.office.email,
                phone: &ctx.office.phone,
                seal: ctx.letters.seal.as_deref(),
            },
            date: &date,
            tracking_number: &self.tracking_number,
            requester_name: self.requester_name.as_deref(),
            subject: &self.subject,
            paragraphs: &self.paragraphs,
            signer_name: &self.signer.name,
            signer_title: &self.signer.title,
            words: &words,
        })
    }
}

/// Hands `each` every letter to the requester the request's steps call for, with its event.
/// Nothing is rendered here: a list needs only subjects, a page one letter.
pub fn each_letter(
    chain: &[(AuditRow, Result<Step, String>)],
    ctx: &Ctx,
    row: &RequestRow,
    requester_name: Option<&str>,
    mut each: impl FnMut(&AuditRow, &Notice<'_>) -> Result<(), AppError>,
) -> Result<(), AppError> {
    let about = super::notices::about(row, ctx, requester_name);
    for (event, step) in chain {
        for notice in Notice::for_step(step_of(step)?, &about) {
            if notice.audience() == Audience::Requester {
                each(event, &notice)?;
            }
        }
    }
    Ok(())
}

/// The subject without its "[RR-2026-00042] ".
fn plain_subject(subject: &str, tracking_number: &str) -> String {
    subject
        .strip_prefix(&format!("[{tracking_number}] "))
        .unwrap_or(subject)
        .to_string()
}

/// The request's letters, oldest first, for a caller who may see it (staff who may, or the
/// holder of its private link).
pub fn list(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
) -> Result<Vec<LetterEntry>, AppError> {
    let (row, _) = super::load_for(conn, caller, tracking_number)?;
    let requester = db::requests::requester(conn, row.requester_id)?;
    let chain = read_chain(conn, &row)?;
    let mut out = Vec::new();
    each_letter(
        &chain,
        ctx,
        &row,
        requester.name.as_deref(),
        |event, notice| {
            out.push(LetterEntry {
                seq: event.seq,
                kind: notice.kind(),
                subject: plain_subject(&notice.subject(), &row.tracking_number),
                at: event.at,
                date: ctx.clock.date_of(event.at),
                language: request_language(&row),
            });
            Ok(())
        },
    )?;
    Ok(out)
}

/// One letter of the request, for a caller who may see it; NotFound for a seq or kind that
/// names no letter to the requester.
pub fn one(
    conn: &mut Conn,
    ctx: &Ctx,
    caller: &Caller,
    tracking_number: &str,
    seq: i64,
    kind: NoticeKind,
    version: Version,
) -> Result<Letter, AppError> {
    let (row, _) = super::load_for(conn, caller, tracking_number)?;
    let requester = db::requests::requester(conn, row.requester_id)?;
    // A letter sent in English is its own original.
    let version = match request_language(&row) {
        Language::English => Version::AsSent,
        _ => version,
    };
    let chain = read_chain(conn, &row)?;
    letter_of(conn, ctx, &row, &requester, &chain, seq, kind, version)?.ok_or(AppError::NotFound)
}

/// Which text of a letter a reader asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// As it was sent, in the request's language.
    AsSent,
    /// Its English original, the legal text (docs/PRODUCT.md, "Languages"); for a letter
    /// sent in English, the letter as sent.
    EnglishOriginal,
}

/// The language the request's letters are sent in.
fn request_language(row: &RequestRow) -> Language {
    Language::from_code(&row.language).unwrap_or_default()
}

/// A request's chain read once for everything a letter needs: each event with its step, or
/// why the step could not be read. One letter (`letter_of`) fails only on a step it needs;
/// a list of letters (`each_letter`) needs every step.
pub(super) type Chain = Vec<(AuditRow, Result<Step, String>)>;

/// Reads `row`'s chain with its steps.
pub(super) fn read_chain(conn: &mut Conn, row: &RequestRow) -> Result<Chain, AppError> {
    Ok(audit::store::events_for(conn, row.id)?
        .into_iter()
        .map(|event| {
            let step = Step::from_stored(&event.action, &event.content)
                .map_err(|e| format!("{} event {}: {e}", row.tracking_number, event.seq));
            (event, step)
        })
        .collect())
}

/// The step of one event of a [`Chain`], or the error of reading it.
fn step_of(step: &Result<Step, String>) -> Result<&Step, AppError> {
    step.as_ref().map_err(|e| AppError::unreadable(e.clone()))
}

/// The letter `kind` of the event `seq` in the version asked for, if the request has one:
/// as it was emailed (and, for the English original, as it was kept beside it) when it was;
/// else, for a requester without email, as the step said it then (`rendered_then`), written
/// only then.
#[allow(clippy::too_many_arguments)]
fn letter_of(
    conn: &mut Conn,
    ctx: &Ctx,
    row: &RequestRow,
    requester: &RequesterRow,
    chain: &[(AuditRow, Result<Step, String>)],
    seq: i64,
    kind: NoticeKind,
    version: Version,
) -> Result<Option<Letter>, AppError> {
    let language = match version {
        Version::AsSent => request_language(row),
        Version::EnglishOriginal => Language::English,
    };
    // The copy kept when it was emailed, if any; an error reading it counts only once the
    // step is known to call for the letter (else the answer is that there is no such letter).
    let kept = queued_copy(chain, seq, kind).and_then(|queued| {
        // Never emailed: written from the step, about the request as it was.
        let Some(queued) = queued else {
            return Ok(None);
        };
        let words = queued.words().map_err(AppError::unreadable)?;
        Ok(match version {
            Version::AsSent => Some(Rendered {
                subject: queued.subject.clone(),
                text: words.text,
                html: words.html,
            }),
            // None when queued before originals were kept: written from the step too.
            Version::EnglishOriginal => words.original.map(|original| Rendered {
                subject: original.subject,
                text: original.text,
                html: String::new(),
            }),
        })
    });
    let write = !matches!(kept, Ok(Some(_)));
    let Some((event, written)) = rendered_then(
        ctx,
        row,
        requester.name.as_deref(),
        chain,
        seq,
        kind,
        language,
        write,
    )?
    else {
        return Ok(None);
    };
    let Some(rendered) = kept?.or(written) else {
        return Ok(None);
    };
    let signer = signer(conn, ctx, event)?;
    Ok(Some(Letter {
        tracking_number: row.tracking_number.clone(),
        seq,
        kind,
        at: event.at,
        date: ctx.clock.date_of(event.at),
        requester_name: requester.name.clone(),
        subject: plain_subject(&rendered.subject, &row.tracking_number),
        paragraphs: paragraphs(ctx, &row.tracking_number, &rendered, language),
        signer,
        language,
        original: version == Version::EnglishOriginal,
    }))
}

/// The event `seq` when its step calls for the letter `kind` to the requester, with the letter
/// written in `language` about the request as its chain stood right after that step
/// (replayed: its status, description and due dates then) if `write`; none when the step calls
/// for no such letter. What a letter said on its day, for one that was never emailed or kept.
#[allow(clippy::too_many_arguments)]
pub(super) fn rendered_then<'c>(
    ctx: &Ctx,
    row: &RequestRow,
    requester_name: Option<&str>,
    chain: &'c [(AuditRow, Result<Step, String>)],
    seq: i64,
    kind: NoticeKind,
    language: Language,
    write: bool,
) -> Result<Option<(&'c AuditRow, Option<Rendered>)>, AppError> {
    let upto = chain.partition_point(|(e, _)| e.seq <= seq);
    let steps = &chain[..upto];
    let Some((event, step)) = steps.last().filter(|(e, _)| e.seq == seq) else {
        return Ok(None);
    };
    let step = step_of(step)?;
    let mut changes = Vec::new();
    for (e, step) in steps {
        if audit::replay::changes_state(&e.action) {
            changes.push(audit::replay::Event {
                at: e.at,
                staff: audit::replay::staff_of(&e.actor),
                step: step_of(step)?,
            });
        }
    }
    let then = audit::replay::replay(changes).map_err(|e| {
        AppError::unreadable(format!("{} up to event {seq}: {e}", row.tracking_number))
    })?;
    let mut about = super::notices::about(row, ctx, requester_name);
    about.language = language;
    about.status = then.status;
    about.description = &then.description;
    about.determination_due = then.determination_due;
    // A chain too old to say (docs: `replay::Known`) leaves the due date as the row has it.
    about.due_on = then.due_on.unwrap_or(row.due_on);
    let Some(notice) = Notice::for_step(step, &about)
        .into_iter()
        .find(|n| n.kind() == kind && n.audience() == Audience::Requester)
    else {
        return Ok(None);
    };
    let rendered = if write {
        Some(
            crate::notify::render::render(&notice)
                .map_err(|e| AppError::Internal(format!("a letter did not render: {e}")))?,
        )
    } else {
        None
    };
    Ok(Some((event, rendered)))
}

/// The notice `kind` as the step `seq` queued it for email (its `notice_queued` event, among
/// those the step's transaction appended right after it), its private token withheld; none
/// for a requester who had no working email then.
fn queued_copy(
    chain: &[(AuditRow, Result<Step, String>)],
    seq: i64,
    kind: NoticeKind,
) -> Result<Option<&crate::domain::step::NoticeQueued>, AppError> {
    for (_, step) in chain.iter().filter(|(e, _)| e.seq > seq) {
        match step_of(step)? {
            Step::NoticeQueued(queued) if queued.notice == kind => return Ok(Some(queued)),
            Step::NoticeQueued(_) | Step::LinkIssued(_) => {}
            _ => return Ok(None),
        }
    }
    Ok(None)
}

/// The letter an outbox row sends to the requester: the letter of the step whose notice it
/// is (the last step before its `notice_queued` that calls for a notice of its kind).
pub fn for_outbox(
    conn: &mut Conn,
    ctx: &Ctx,
    request_id: RequestId,
    outbox_id: OutboxId,
    kind: NoticeKind,
) -> Result<Option<Letter>, AppError> {
    let row = db::requests::by_id(conn, request_id)?;
    let requester = db::requests::requester(conn, row.requester_id)?;
    let about = super::notices::about(&row, ctx, requester.name.as_deref());
    let chain = read_chain(conn, &row)?;
    let mut step_seq = None;
    for (event, step) in &chain {
        let step = step_of(step)?;
        if let Step::NoticeQueued(queued) = step {
            if queued.outbox_id == outbox_id {
                return match step_seq {
                    Some(seq) => letter_of(
                        conn,
                        ctx,
                        &row,
                        &requester,
                        &chain,
                        seq,
                        kind,
                        Version::AsSent,
                    ),
                    None => Ok(None),
                };
            }
            continue;
        }
        if Notice::for_step(step, &about)
            .iter()
            .any(|n| n.kind() == kind && n.audience() == Audience::Requester)
        {
            step_seq = Some(event.seq);
        }
    }
    Ok(None)
}

/// What the dispatcher attaches to a requester's email when config `[letters] attach_pdf` is
/// on: the letter of the notice as a PDF, its private link withheld. A letter that cannot be
/// made is logged and the email goes without it.
pub fn attacher(ctx: &Ctx) -> Option<LetterAttacher> {
    if !ctx.letters.attach_pdf {
        return None;
    }
    let ctx = ctx.clone();
    Some(std::sync::Arc::new(
        move |conn: &mut Conn, claimed: &Claimed| {
            if claimed.notice.audience() != Audience::Requester {
                return None;
            }
            let request_id = claimed.request_id?;
            match for_outbox(conn, &ctx, request_id, claimed.id, claimed.notice) {
                Ok(letter) => letter.map(|letter| Attachment {
                    file_name: letter.file_name(),
                    content_type: "application/pdf",
                    bytes: letter.pdf(&ctx),
                }),
                Err(e) => {
                    log::warn!("notice {}: its letter was not attached: {e}", claimed.id);
                    None
                }
            }
        },
    ))
}

/// The email's text as a letter's paragraphs: without the email's own signature (the letter
/// is signed below them), the private link withheld, saying so in the letter's language.
fn paragraphs(
    ctx: &Ctx,
    tracking_number: &str,
    rendered: &Rendered,
    language: Language,
) -> Vec<String> {
    let withheld = word(language, "letter-link-withheld");
    let text = rendered
        .text
        .rsplit_once("\n--\n")
        .map_or(rendered.text.as_str(), |(body, _)| body);
    let link = private_link::url(&ctx.public_url, tracking_number);
    let logged = link.replace(private_link::TOKEN_MARK, private_link::WITHHELD);
    let text = text
        .replace(&link, &withheld)
        .replace(&logged, &withheld)
        .replace(private_link::TOKEN_MARK, "[withheld]");
    text.split("\n\n")
        .map(str::trim_end)
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// Who signs the letter of a step: the staff member who took it, by name and title (their
/// role when they have no title); the office for steps the service or the requester took.
fn signer(conn: &mut Conn, ctx: &Ctx, event: &AuditRow) -> Result<Signer, AppError> {
    if let Some(email) = event.actor.strip_prefix("staff:") {
        if let Some(staff) = db::staff::by_email(conn, email)? {
            let title = staff
                .title
                .filter(|t| !t.trim().is_empty())
                .unwrap_or_else(|| role_title(staff.role).to_string());
            return Ok(Signer {
                name: staff.name,
                title,
            });
        }
    }
    Ok(Signer {
        name: ctx.letters.signer_name.clone(),
        title: ctx.letters.signer_title.clone(),
    })
}

/// A role as a letter's signature names it.
fn role_title(role: Role) -> &'static str {
    match role {
        Role::Clerk => "Records Clerk",
        Role::Steward => "Records Steward",
        Role::Reviewer => "Reviewer",
        Role::Admin => "Records Administrator",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_subject_loses_its_tracking_number_and_a_file_name_says_the_kind() {
        assert_eq!(
            plain_subject("[RR-2026-00042] Your request is granted", "RR-2026-00042"),
            "Your request is granted"
        );
        assert_eq!(plain_subject("Other", "RR-2026-00042"), "Other");
        assert_eq!(role_title(Role::Clerk), "Records Clerk");
    }
}
