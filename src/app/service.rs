//! [`App`]: every operation the faces and the background jobs may run, as one async method
//! each. A method takes a typed command, runs its step on a blocking thread in one
//! transaction (on SQLite through the group-commit writer), and answers a read model.

use std::sync::Arc;

use super::act::{self, Transition};
use super::api_keys::{self, ClaimedKey, KeyCheck};
use super::bulk::{Bulk, BulkOutcome, BulkResult, BulkStep};
use super::complaints::{self, RawComplaint, Reroute};
use super::documents::{
    self as docs, CheckedUpload, Download, NewFile, NewLink, RawUpload, Release,
};
use super::failed_notices::{self, FailedNotice, FailedNotices};
use super::mail;
use super::manage::{self, Assignment, Extension, PostMessage, StoredFile};
use super::post::{self, LetterToPost, PrintedLetter};
use super::production::{self, RecordProduction, Reopening};
use super::queue::{self, QueueFilter, QueuePage, StatusCount};
use super::requester_files::{self, CheckedSentFile, RawSentFile, SentDownload};
use super::search::{self, Search, SearchResults};
use super::staff::{self, Login, SignedIn};
use super::submit::{self, FileRequest, Filed};
use super::view::{self, AuditLog, Case, CaseFile};
use super::{links, reminders, reports, AppError, Caller, Ctx, StaffAccount};
use crate::blobs::BlobStore;
use crate::catalog::view::{self as catalog, CatalogPage, CatalogQuery, Dataset};
use crate::db::{Conn, Db};
use crate::domain::ids::{DocumentId, OutboxId, RequesterFileId};
use crate::domain::input::TrackingNumber;
use crate::domain::notices::NoticeKind;
use crate::domain::reports::{Figures, Period};
use crate::notify::Dispatcher;
use crate::secrets;

/// The running service's operations, over its database, its settings and its file store.
/// Cheap to clone.
#[derive(Clone)]
pub struct App {
    db: Db,
    ctx: Arc<Ctx>,
    files: Arc<BlobStore>,
    dispatcher: Option<Dispatcher>,
    /// The background reading of released files' text.
    texts: Arc<super::file_texts::Reading>,
}

/// How many times a step whose caller named no version is decided again when another change
/// commits first.
const LATEST_ATTEMPTS: usize = 4;

impl App {
    pub fn new(db: Db, ctx: Ctx, files: BlobStore, dispatcher: Option<Dispatcher>) -> App {
        // The directory and the calendar as admins left them; the configured ones until read.
        if let Err(e) = db.read(|conn| ctx.live.reload(conn).map_err(crate::db::DbError::from)) {
            log::error!("the department directory and holidays could not be read: {e}");
        }
        App {
            db,
            ctx: Arc::new(ctx),
            files: Arc::new(files),
            dispatcher,
            texts: Arc::default(),
        }
    }

    /// The settings the operations follow (the office, the deadlines, the time zone).
    pub fn ctx(&self) -> &Ctx {
        &self.ctx
    }

    /// Where uploads stream to and downloads are read from.
    pub fn files(&self) -> &Arc<BlobStore> {
        &self.files
    }

    /// Runs `f` on a blocking thread.
    pub(super) async fn blocking<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&App) -> Result<T, AppError> + Send + 'static,
    {
        let app = self.clone();
        tokio::task::spawn_blocking(move || f(&app))
            .await
            .map_err(|e| AppError::Internal(format!("a blocking task failed: {e}")))?
    }

    /// Runs `f` with the database itself, for a read on several connections at once
    /// (`Db::read_parts`).
    pub(super) async fn read_db<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&Db, &Ctx) -> Result<T, AppError> + Send + 'static,
    {
        self.blocking(move |app| f(&app.db, &app.ctx)).await
    }

    /// Runs `f` in one write transaction.
    pub(super) async fn write<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn, &Ctx) -> Result<T, AppError> + Send + 'static,
    {
        self.blocking(move |app| {
            let ctx = app.ctx.clone();
            app.db.write_grouped(move |conn| f(conn, &ctx))
        })
        .await
    }

    /// `write` when the caller named the version they acted on; without one, a step refused
    /// as stale because another change committed first is decided again on the new state.
    async fn write_as_of<T, F>(&self, version: Option<i32>, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: Fn(&mut Conn, &Ctx) -> Result<T, AppError> + Send + Sync + 'static,
    {
        let f = Arc::new(f);
        let mut attempts = 1;
        loop {
            let step = f.clone();
            match self.write(move |conn, ctx| step(conn, ctx)).await {
                Err(AppError::Stale { .. }) if version.is_none() && attempts < LATEST_ATTEMPTS => {
                    attempts += 1
                }
                other => return other,
            }
        }
    }

    /// Runs `f` on a pooled connection, outside a transaction.
    pub(super) async fn read<T, F>(&self, f: F) -> Result<T, AppError>
    where
        T: Send + 'static,
        F: FnOnce(&mut Conn, &Ctx) -> Result<T, AppError> + Send + 'static,
    {
        self.blocking(move |app| app.db.read(|conn| f(conn, &app.ctx)))
            .await
    }

    // Requests.

    /// Files a request.
    /// Staff record a request that came by email, mail, phone, fax or in person.
    pub async fn record_intake(
        &self,
        raw: super::intake::RawIntake,
        staff: super::StaffAccount,
    ) -> Result<Filed, AppError> {
        self.blocking(move |app| super::intake::record(&app.db, &app.ctx, &raw, &staff))
            .await
    }

    pub async fn file(&self, request: FileRequest) -> Result<Filed, AppError> {
        self.blocking(move |app| submit::file(&app.db, &app.ctx, &request))
            .await
    }

    /// Files a complaint (docs/PRODUCT.md, "Complaints"): checked against the city's today,
    /// then filed as every request is.
    pub async fn file_complaint(&self, raw: RawComplaint) -> Result<Filed, AppError> {
        let today = self.ctx.clock.date_of(self.ctx.clock.now());
        let submission = raw.parse(today).map_err(AppError::Invalid)?;
        self.file(FileRequest {
            submission,
            idempotency: None,
        })
        .await
    }

    /// Staff send an open complaint to another department.
    pub async fn reroute(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        command: Reroute,
    ) -> Result<Case, AppError> {
        self.write_as_of(command.version, move |conn, ctx| {
            complaints::reroute(conn, ctx, &caller, tn.as_str(), &command)
        })
        .await
    }

    /// The departments of the directory, as residents choose among them.
    pub async fn departments_public(
        &self,
    ) -> Result<Vec<crate::domain::directory::Department>, AppError> {
        self.read(|conn, _| complaints::departments(conn)).await
    }

    /// The request as this caller may see it.
    pub async fn case(&self, caller: Caller, tn: TrackingNumber) -> Result<Case, AppError> {
        self.read(move |conn, ctx| view::get(conn, ctx, &caller, tn.as_str()))
            .await
    }

    pub async fn transition(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        command: Transition,
    ) -> Result<Case, AppError> {
        self.write_as_of(command.version, move |conn, ctx| {
            act::transition(conn, ctx, &caller, tn.as_str(), &command)
        })
        .await
    }

    /// Whether a staff step would go through as typed, now: it is taken in its own
    /// transaction (savepoint) and undone, so it is checked by exactly the rules that would
    /// take it, and nothing of it stays, no notice included. For "Check before you send it".
    pub async fn check_step(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        command: Transition,
    ) -> Result<(), AppError> {
        self.undone(move |conn, ctx| {
            act::transition(conn, ctx, &caller, tn.as_str(), &command).map(drop)
        })
        .await
    }

    /// `check_step` for the one extension.
    pub async fn check_extension(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        extension: Extension,
    ) -> Result<(), AppError> {
        self.undone(move |conn, ctx| {
            manage::extend(conn, ctx, &caller, tn.as_str(), &extension).map(drop)
        })
        .await
    }

    async fn undone<F>(&self, step: F) -> Result<(), AppError>
    where
        F: FnOnce(&mut Conn, &Ctx) -> Result<(), AppError> + Send + 'static,
    {
        let checked = self
            .write(move |conn, ctx| step(conn, ctx).and(Err::<(), _>(AppError::Undone)))
            .await;
        match checked {
            Ok(()) | Err(AppError::Undone) => Ok(()),
            Err(e) => Err(e),
        }
    }

    pub async fn post_message(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        message: PostMessage,
    ) -> Result<Case, AppError> {
        self.write_as_of(None, move |conn, ctx| {
            manage::post_message(conn, ctx, &caller, tn.as_str(), &message)
        })
        .await
    }

    /// Staff help the requester identify records, and may ask them to clarify.
    pub async fn assist(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        help: manage::Assist,
    ) -> Result<Case, AppError> {
        self.write_as_of(None, move |conn, ctx| {
            manage::assist(conn, ctx, &caller, tn.as_str(), &help)
        })
        .await
    }

    /// Staff keep an internal note on the request.
    pub async fn add_note(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        note: PostMessage,
        version: Option<i32>,
    ) -> Result<Case, AppError> {
        self.write_as_of(version, move |conn, ctx| {
            manage::add_note(conn, ctx, &caller, tn.as_str(), &note, version)
        })
        .await
    }

    pub async fn extend(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        extension: Extension,
    ) -> Result<Case, AppError> {
        self.write_as_of(extension.version, move |conn, ctx| {
            manage::extend(conn, ctx, &caller, tn.as_str(), &extension)
        })
        .await
    }

    /// Staff record that a grant's records were delivered on paper or inspected.
    pub async fn record_production(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        production: RecordProduction,
    ) -> Result<Case, AppError> {
        self.write_as_of(production.version, move |conn, ctx| {
            production::record_production(conn, ctx, &caller, tn.as_str(), &production)
        })
        .await
    }

    /// Staff estimate the fee for a grant's copies (docs/PRODUCT.md, "Fees").
    pub async fn estimate_fees(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        command: super::fees::MakeEstimate,
    ) -> Result<Case, AppError> {
        self.write_as_of(command.version, move |conn, ctx| {
            super::fees::estimate(conn, ctx, &caller, tn.as_str(), &command)
        })
        .await
    }

    /// The requester accepts or declines the fee estimate.
    pub async fn answer_fees(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        command: super::fees::AnswerEstimate,
    ) -> Result<Case, AppError> {
        self.write_as_of(command.version, move |conn, ctx| {
            super::fees::answer(conn, ctx, &caller, tn.as_str(), &command)
        })
        .await
    }

    /// Staff record a payment, waiver or refund.
    pub async fn record_fee(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        command: super::fees::RecordEntry,
    ) -> Result<Case, AppError> {
        self.write_as_of(command.version, move |conn, ctx| {
            super::fees::record_entry(conn, ctx, &caller, tn.as_str(), &command)
        })
        .await
    }

    /// A produced grant back to production: the records were incomplete.
    pub async fn reopen(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        reopening: Reopening,
    ) -> Result<Case, AppError> {
        self.write_as_of(reopening.version, move |conn, ctx| {
            production::reopen(conn, ctx, &caller, tn.as_str(), &reopening)
        })
        .await
    }

    /// The exemptions staff cite, to read a transition with ([`act::RawTransition::check`]).
    pub fn exemptions(&self) -> &crate::domain::exemptions::ExemptionCatalogue {
        &self.ctx.exemptions
    }

    /// The active staff accounts, for choosing the persons responsible.
    pub async fn staff_directory(&self) -> Result<Vec<StaffAccount>, AppError> {
        self.read(|conn, _| staff::directory(conn)).await
    }

    pub async fn assign(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        assignment: Assignment,
    ) -> Result<Case, AppError> {
        self.write_as_of(assignment.version, move |conn, ctx| {
            manage::assign(conn, ctx, &caller, tn.as_str(), &assignment)
        })
        .await
    }

    /// The request's audit chain (staff).
    pub async fn audit_log(
        &self,
        caller: Caller,
        tn: TrackingNumber,
    ) -> Result<AuditLog, AppError> {
        self.read(move |conn, _| view::audit_log(conn, &caller, tn.as_str()))
            .await
    }

    /// The request's whole file: the case, its chain, its notices (staff).
    pub async fn case_file(
        &self,
        caller: Caller,
        tn: TrackingNumber,
    ) -> Result<CaseFile, AppError> {
        self.read(move |conn, ctx| view::case_file(conn, ctx, &caller, tn.as_str()))
            .await
    }

    // Documents.

    /// Whether this caller may attach documents now: asked before an upload is read.
    pub async fn may_attach(&self, caller: Caller, tn: TrackingNumber) -> Result<(), AppError> {
        self.read(move |conn, _| docs::may_attach(conn, &caller, tn.as_str()))
            .await
    }

    /// Keeps an uploaded file under its hash and attaches it. A refused upload keeps nothing.
    pub async fn attach_upload(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        upload: RawUpload,
    ) -> Result<Case, AppError> {
        let checked = CheckedUpload::try_from(upload)?;
        let file = self
            .blocking(move |app| {
                let blob = app.files.commit(checked.file).map_err(|e| {
                    AppError::Internal(format!("the file store refused a file: {e}"))
                })?;
                Ok(NewFile {
                    title: checked.title,
                    kind: checked.kind,
                    blob,
                    redaction: checked.redaction,
                })
            })
            .await?;
        self.write(move |conn, ctx| docs::add_file(conn, ctx, &caller, tn.as_str(), &file))
            .await
    }

    /// Whether this caller may send a file on the request now: asked before the upload is read.
    pub async fn may_send_file(&self, caller: Caller, tn: TrackingNumber) -> Result<(), AppError> {
        self.read(move |conn, ctx| requester_files::may_send(conn, ctx, &caller, tn.as_str()))
            .await
    }

    /// Keeps the requester's file under its hash and writes it with their message. A refused
    /// upload keeps nothing in the database (the file store's sweep removes its bytes).
    pub async fn send_file(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        upload: RawSentFile,
    ) -> Result<Case, AppError> {
        let checked = CheckedSentFile::try_from(upload)?;
        let body = checked.body.clone();
        let file = self
            .blocking(move |app| {
                let blob = app.files.commit(checked.file).map_err(|e| {
                    AppError::Internal(format!("the file store refused a file: {e}"))
                })?;
                Ok(StoredFile {
                    title: checked.title,
                    kind: checked.kind,
                    blob,
                })
            })
            .await?;
        self.write_as_of(None, move |conn, ctx| {
            requester_files::send(conn, ctx, &caller, tn.as_str(), &file, body.as_ref())
        })
        .await
    }

    /// A requester's file, for its requester and the staff who can see the request.
    pub async fn find_sent_file(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        id: RequesterFileId,
    ) -> Result<SentDownload, AppError> {
        self.read(move |conn, _| requester_files::find_download(conn, &caller, tn.as_str(), id))
            .await
    }

    // Letters by post.

    /// The letters waiting to be posted that this staff member may see, oldest first.
    pub async fn letters_to_post(
        &self,
        staff: StaffAccount,
    ) -> Result<Vec<LetterToPost>, AppError> {
        self.read(move |conn, ctx| post::to_post(conn, ctx, &staff))
            .await
    }

    /// A letter to print, with a private link minted for it.
    pub async fn print_letter(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        seq: i64,
        kind: NoticeKind,
    ) -> Result<PrintedLetter, AppError> {
        self.write(move |conn, ctx| post::print(conn, ctx, &caller, tn.as_str(), seq, kind))
            .await
    }

    /// A request's letters to its requester, oldest first (docs/PRODUCT.md, "Letters").
    pub async fn letters(
        &self,
        caller: Caller,
        tn: TrackingNumber,
    ) -> Result<Vec<super::letters::LetterEntry>, AppError> {
        self.read(move |conn, ctx| super::letters::list(conn, ctx, &caller, tn.as_str()))
            .await
    }

    /// One of a request's letters to its requester, its private link withheld.
    pub async fn letter(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        seq: i64,
        kind: NoticeKind,
        version: super::letters::Version,
    ) -> Result<super::letters::Letter, AppError> {
        self.read(move |conn, ctx| {
            super::letters::one(conn, ctx, &caller, tn.as_str(), seq, kind, version)
        })
        .await
    }

    /// A letter and its PDF, made on a blocking thread (laying out a long letter is work).
    pub async fn letter_pdf(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        seq: i64,
        kind: NoticeKind,
        version: super::letters::Version,
    ) -> Result<(super::letters::Letter, Vec<u8>), AppError> {
        self.read(move |conn, ctx| {
            let letter = super::letters::one(conn, ctx, &caller, tn.as_str(), seq, kind, version)?;
            let bytes = letter.pdf(ctx);
            Ok((letter, bytes))
        })
        .await
    }

    /// Marks a letter posted.
    pub async fn mark_posted(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        seq: i64,
        kind: NoticeKind,
    ) -> Result<(), AppError> {
        self.write(move |conn, ctx| post::mark_posted(conn, &caller, ctx, tn.as_str(), seq, kind))
            .await
    }

    pub async fn attach_link(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        link: NewLink,
    ) -> Result<Case, AppError> {
        self.write(move |conn, ctx| docs::add_link(conn, ctx, &caller, tn.as_str(), &link))
            .await
    }

    /// Checks the chosen files (read outside the transaction: docs/PRODUCT.md, "Release
    /// checks"), then releases them unless something was found and not confirmed.
    pub async fn release(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        release: Release,
    ) -> Result<Case, AppError> {
        let (c, t, r) = (caller.clone(), tn.clone(), release.clone());
        let to_check = self
            .read(move |conn, _| super::release_checks::files_to_check(conn, &c, t.as_str(), &r))
            .await?;
        let found = self
            .blocking(move |app| Ok(super::release_checks::check_files(&app.files, &to_check)))
            .await?;
        let number = tn.clone();
        let case = self
            .write_as_of(None, move |conn, ctx| {
                docs::release(conn, ctx, &caller, tn.as_str(), &release, &found)
            })
            .await?;
        // A published item shows what is released after it was published, links included.
        if let Err(e) = self
            .write(move |conn, _| super::reading_room::index_by_number(conn, number.as_str()))
            .await
        {
            log::error!("the reading room's index was not written: {e}");
        }
        self.read_file_texts_soon();
        Ok(case)
    }

    /// Starts reading released files' text in the background (the reading room's search),
    /// unless a reading is under way: that one then goes round once more. Without a runtime
    /// (a command-line tool) the hourly sweep of `serve` reads them.
    pub fn read_file_texts_soon(&self) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            return;
        };
        if !self.texts.ask() {
            return;
        }
        let app = self.clone();
        runtime.spawn(async move {
            loop {
                app.texts.begin_round();
                if let Err(e) = app.read_file_texts().await {
                    log::error!("reading released files' text: {e}");
                }
                if !app.texts.again() {
                    break;
                }
            }
        });
    }

    /// Reads the text of released files not yet read; answers how many were read.
    pub async fn read_file_texts(&self) -> Result<usize, AppError> {
        self.blocking(|app| super::file_texts::read_unread(&app.db, &app.files))
            .await
    }

    /// The file this caller may download (nothing is recorded yet).
    pub async fn find_download(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        id: DocumentId,
    ) -> Result<Download, AppError> {
        self.read(move |conn, _| docs::find_download(conn, &caller, tn.as_str(), id))
            .await
    }

    /// Records that the file is being sent (and the range asked for, if any).
    pub async fn record_download(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        id: DocumentId,
        range: Option<String>,
    ) -> Result<Download, AppError> {
        self.write(move |conn, _| {
            docs::record_download(conn, &caller, tn.as_str(), id, range.as_deref())
        })
        .await
    }

    // API keys.

    pub async fn claim_key(
        &self,
        caller: Caller,
        tn: TrackingNumber,
    ) -> Result<ClaimedKey, AppError> {
        self.write(move |conn, _| api_keys::claim(conn, &caller, tn.as_str()))
            .await
    }

    /// Staff revoke the request's private links; the requester is sent a new one.
    pub async fn revoke_links(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        reason: Option<String>,
    ) -> Result<links::Revoked, AppError> {
        self.write(move |conn, ctx| {
            links::revoke_all(conn, ctx, &caller, tn.as_str(), reason.as_deref())
        })
        .await
    }

    /// "Find your request": a new private link to the requester's email when the tracking
    /// number and the email match (app/links.rs).
    pub async fn resend_link(
        &self,
        tn: TrackingNumber,
        email: String,
    ) -> Result<links::Resend, AppError> {
        self.write(move |conn, ctx| links::resend(conn, ctx, tn.as_str(), &email))
            .await
    }

    /// The requester says their key is lost and asks for a new one.
    pub async fn ask_key_replacement(
        &self,
        caller: Caller,
        tn: TrackingNumber,
        reason: Option<String>,
    ) -> Result<Case, AppError> {
        self.write(move |conn, ctx| {
            api_keys::ask_replacement(conn, ctx, &caller, tn.as_str(), reason.as_deref())
        })
        .await
    }

    /// Staff give a new key in place of a lost one.
    pub async fn replace_key(&self, caller: Caller, tn: TrackingNumber) -> Result<Case, AppError> {
        self.write(move |conn, ctx| api_keys::replace(conn, ctx, &caller, tn.as_str()))
            .await
    }

    pub async fn revoke_key(&self, caller: Caller, tn: TrackingNumber) -> Result<Case, AppError> {
        self.write(move |conn, ctx| api_keys::revoke(conn, ctx, &caller, tn.as_str()))
            .await
    }

    /// Whether `token` is the city API gateway's (none is configured: nobody's).
    pub fn is_gateway(&self, token: &str) -> bool {
        let expected = self.ctx.gateway_token.expose();
        !expected.is_empty() && secrets::constant_time_eq(token.as_bytes(), expected.as_bytes())
    }

    /// What the gateway learns of a key.
    pub async fn verify_key(&self, key: String) -> Result<KeyCheck, AppError> {
        self.read(move |conn, _| api_keys::verify(conn, &key)).await
    }

    // Staff.

    /// Checks the credentials and issues a token. The password check holds no connection.
    pub async fn sign_in(&self, login: Login) -> Result<SignedIn, AppError> {
        self.blocking(move |app| staff::login(&app.db, &app.ctx, &login))
            .await
    }

    /// The active staff member a live token belongs to; a use restarts the token's idle time.
    pub async fn staff_by_token(&self, token: String) -> Result<Option<StaffAccount>, AppError> {
        let key = token.clone();
        let Some(live) = self
            .read(move |conn, ctx| staff::by_token(conn, ctx, &key))
            .await?
        else {
            return Ok(None);
        };
        if live.touch {
            self.write(move |conn, _| staff::touch(conn, &token))
                .await?;
        }
        Ok(Some(live.staff))
    }

    pub async fn sign_out(&self, token: String) -> Result<(), AppError> {
        self.write(move |conn, _| staff::sign_out(conn, &token))
            .await
    }

    /// One page of the queue as this staff member may see it.
    pub async fn queue(
        &self,
        staff: StaffAccount,
        filter: QueueFilter,
    ) -> Result<QueuePage, AppError> {
        self.read(move |conn, ctx| queue::list(conn, ctx, &staff, &filter))
            .await
    }

    /// Staff search every request they may see (docs/PRODUCT.md, "Search").
    pub async fn search(
        &self,
        staff: StaffAccount,
        query: Search,
    ) -> Result<SearchResults, AppError> {
        self.read(move |conn, ctx| search::run(conn, ctx, &staff, &query))
            .await
    }

    /// One action on each selected request, each its own step in its own transaction with
    /// its own version check: one refused leaves the others done.
    pub async fn bulk(&self, staff: StaffAccount, bulk: Bulk) -> Vec<BulkOutcome> {
        let mut outcomes = Vec::with_capacity(bulk.selected.len());
        for (number, version) in &bulk.selected {
            if !bulk.changed().any(|(n, _)| n == number) {
                outcomes.push(BulkOutcome {
                    tracking_number: number.to_string(),
                    result: BulkResult::Original,
                });
                continue;
            }
            let caller = Caller::Staff(staff.clone());
            let result = match bulk.step_for(*version) {
                BulkStep::Assign(assignment) => {
                    self.assign(caller, number.clone(), assignment).await
                }
                BulkStep::Transition(raw) => match raw.check(&self.ctx.exemptions) {
                    Ok(command) => self.transition(caller, number.clone(), command).await,
                    Err(errors) => Err(AppError::Invalid(errors)),
                },
                BulkStep::Note { note, version } => {
                    self.add_note(caller, number.clone(), note, Some(version))
                        .await
                }
            };
            outcomes.push(BulkOutcome {
                tracking_number: number.to_string(),
                result: match result {
                    Ok(case) => BulkResult::Done {
                        status: case.status,
                        version: case.version,
                    },
                    Err(error) => BulkResult::Refused(error),
                },
            });
        }
        outcomes
    }

    /// A page of the queue and how many open requests of each status this staff member may
    /// see, on one connection (the queue page shows both).
    pub async fn queue_with_counts(
        &self,
        staff: StaffAccount,
        filter: QueueFilter,
    ) -> Result<(QueuePage, Vec<StatusCount>), AppError> {
        self.read(move |conn, ctx| {
            let page = queue::list(conn, ctx, &staff, &filter)?;
            Ok((page, queue::open_counts(conn, &staff)?))
        })
        .await
    }

    pub async fn failed_notices(&self, staff: StaffAccount) -> Result<FailedNotices, AppError> {
        self.read(move |conn, _| failed_notices::list(conn, &staff))
            .await
    }

    pub async fn retry_notice(
        &self,
        staff: StaffAccount,
        id: OutboxId,
    ) -> Result<FailedNotice, AppError> {
        self.write(move |conn, _| failed_notices::retry(conn, &staff, id))
            .await
    }

    // Mail in (docs/PRODUCT.md, "Replies by email").

    /// Whether `token` is the mail server's (none is configured: nobody's).
    pub fn is_mail_server(&self, token: &str) -> bool {
        let expected = self.ctx.ingest_token.expose();
        !expected.is_empty() && secrets::constant_time_eq(token.as_bytes(), expected.as_bytes())
    }

    /// The most a received email may be, in bytes.
    pub fn mail_limit(&self) -> u64 {
        self.files.max_bytes()
    }

    /// Keeps a raw email the mail server handed over, and files it or leaves it for staff.
    pub async fn ingest_mail(
        &self,
        raw: Vec<u8>,
        recipients: Vec<String>,
    ) -> Result<mail::Ingested, AppError> {
        self.blocking(move |app| mail::ingest(&app.db, &app.ctx, &app.files, &raw, &recipients))
            .await
    }

    /// The mail waiting for staff, and how many wait.
    pub async fn unmatched_mail(
        &self,
        staff: StaffAccount,
    ) -> Result<(Vec<mail::ReceivedMail>, i64), AppError> {
        self.read(move |conn, _| mail::unmatched_list(conn, &staff, 200))
            .await
    }

    pub async fn received_mail(
        &self,
        staff: StaffAccount,
        id: i64,
    ) -> Result<mail::ReceivedMail, AppError> {
        self.read(move |conn, _| mail::shown(conn, &staff, id))
            .await
    }

    /// Staff attach an unmatched email to a request; answers its tracking number.
    pub async fn attach_mail(
        &self,
        staff: StaffAccount,
        id: i64,
        tracking_number: String,
    ) -> Result<String, AppError> {
        self.blocking(move |app| {
            mail::attach(&app.db, &app.ctx, &app.files, &staff, id, &tracking_number)
        })
        .await
    }

    pub async fn discard_mail(
        &self,
        staff: StaffAccount,
        id: i64,
        reason: Option<String>,
    ) -> Result<(), AppError> {
        self.write(move |conn, _| mail::discard(conn, &staff, id, reason.as_deref()))
            .await
    }

    // The catalog and reports.

    pub async fn datasets(&self, query: CatalogQuery) -> Result<CatalogPage, AppError> {
        self.read(move |conn, _| catalog::search(conn, &query))
            .await
    }

    pub async fn dataset(&self, id: String) -> Result<Dataset, AppError> {
        self.read(move |conn, _| catalog::get(conn, &id)).await
    }

    /// A dataset and who an access request for it goes to (the dataset page).
    pub async fn dataset_with_handler(&self, id: String) -> Result<Dataset, AppError> {
        self.read(move |conn, _| {
            let directory = crate::db::directory::load(conn)?;
            catalog::get_with_handler(conn, &id, &directory)
        })
        .await
    }

    /// The current catalog as DCAT-US 1.1 `data.json` (docs/PRODUCT.md, "The catalog as
    /// data.json").
    pub async fn data_json(&self) -> Result<serde_json::Value, AppError> {
        self.read(|conn, ctx| catalog::data_json(conn, &ctx.public_url))
            .await
    }

    /// The report of the requests received in `period`, of one queue if given.
    pub async fn report(&self, period: Period, queue: Option<String>) -> Result<Figures, AppError> {
        self.read_db(move |db, ctx| reports::figures(db, ctx, period, queue))
            .await
    }

    // The service itself.

    /// Whether the database answers.
    pub async fn database_answers(&self) -> bool {
        use diesel::connection::SimpleConnection;
        self.read(|conn, _| conn.batch_execute("SELECT 1").map_err(AppError::from))
            .await
            .is_ok()
    }

    /// Removes stored files no document, requester's file or received message names, an hour after they
    /// were written (an upload whose database write failed); answers how many.
    pub async fn sweep_files(&self) -> Result<usize, AppError> {
        self.blocking(|app| {
            let named: std::collections::HashSet<String> = app
                .db
                .read(|conn| Ok::<_, crate::db::DbError>(crate::db::named_files(conn)?))?
                .into_iter()
                .collect();
            app.files
                .sweep_unnamed(&named, std::time::Duration::from_secs(60 * 60))
                .map_err(|e| AppError::Internal(format!("sweeping the file store: {e}")))
        })
        .await
    }

    /// Queues the deadline reminders due now; answers how many requests were reminded about.
    pub async fn send_reminders(&self) -> Result<usize, AppError> {
        self.blocking(|app| reminders::send_due(&app.db, &app.ctx))
            .await
    }

    /// Claims a batch of notices and starts sending it (`Dispatcher::start_round`): how many
    /// were claimed, and the round under way (none when the dispatcher is off or nothing was
    /// due).
    pub async fn start_delivery(
        &self,
    ) -> Result<(usize, Option<crate::notify::dispatcher::RoundUnderWay>), AppError> {
        match &self.dispatcher {
            Some(dispatcher) => Ok(dispatcher.start_round().await?),
            None => Ok((0, None)),
        }
    }

    /// How long the dispatcher waits when there is nothing to send.
    pub fn delivery_poll(&self) -> std::time::Duration {
        self.dispatcher
            .as_ref()
            .map(|d| d.settings().poll)
            .unwrap_or(std::time::Duration::from_secs(1))
    }
}
