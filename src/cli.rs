//! The command line: `serve`, `migrate`, `staff add|list|disable|enable|reset|revoke-sessions`,
//! `audit verify`, `catalog import`, `backup`, `mail ingest`.

use std::io::BufRead;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::app::admin;
use crate::app::staff::RawStaffAccount;
use crate::app::AppError;
use crate::config::Settings;
use crate::startup::{open_database, open_files, Application};

#[derive(Debug, Parser)]
#[command(
    name = "recordsdesk",
    version,
    about = "Public records and open-data access requests for a city"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database if needed, then serve the API.
    Serve {
        /// Address to listen on (default from config: 127.0.0.1:8080).
        #[arg(long)]
        bind: Option<String>,
    },
    /// Bring the database schema up to date.
    Migrate,
    /// Staff accounts.
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// The audit log.
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
    /// The dataset catalog.
    Catalog {
        #[command(subcommand)]
        command: CatalogCommand,
    },
    /// Mail received at the reply and return-path addresses.
    Mail {
        #[command(subcommand)]
        command: MailCommand,
    },
    /// Copy a running SQLite install into the new folder DIR, laid out as a data folder (the
    /// database, consistently, and every stored file it names), owner-only, and
    /// check the copy as `audit verify` does. (PostgreSQL installs use pg_dump; see the README.)
    Backup {
        /// The folder to write; it must not exist yet.
        path: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum MailCommand {
    /// Read one raw email (RFC 5322) from standard input, keep it, and file it to its request
    /// or leave it for staff, as a mail server's pipe delivery hands it over. Exit 0 when it
    /// was kept (filed, left for staff, a bounce, or a repeat kept before), 65 when it cannot
    /// be read as an email or is too large, 75 when it could not be kept now (the mail
    /// server tries again later).
    Ingest {
        /// An address the mail server delivered it to (Postfix: `${original_recipient}`);
        /// may be given more than once. Without it, the message's own headers tell.
        #[arg(long = "recipient")]
        recipients: Vec<String>,
    },
}

#[derive(Debug, Subcommand)]
pub enum CatalogCommand {
    /// Import a portal's DCAT-US data.json (ArcGIS Hub, Socrata, CKAN); safe to run again.
    Import {
        /// The data.json file.
        path: std::path::PathBuf,
    },
}

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Create a staff account; the password is read from standard input.
    Add {
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// clerk, steward, reviewer or admin.
        #[arg(long)]
        role: String,
        /// The department whose queue they work (stewards).
        #[arg(long)]
        department: Option<String>,
        /// Their title or position, printed beside their name when they are named responsible
        /// for withholding records (e.g. "Deputy City Clerk").
        #[arg(long)]
        title: Option<String>,
        /// Read the password from the first line of standard input (never from the command
        /// line). Without it, a strong password is made and printed once, to hand over.
        #[arg(long)]
        password_stdin: bool,
    },
    /// End every sign-in of a staff member (API tokens and page sessions), e.g. after a lost
    /// laptop; they sign in again with their password.
    RevokeSessions {
        #[arg(long)]
        email: String,
    },
    /// List every staff account: email, name, role, department, and whether it is active.
    List,
    /// Disable an account (someone who left): every sign-in ends at once. The last active
    /// admin cannot be disabled.
    Disable {
        #[arg(long)]
        email: String,
    },
    /// Enable a disabled account again.
    Enable {
        #[arg(long)]
        email: String,
    },
    /// Email a link to choose a new password (an invited account gets its invitation again).
    Reset {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute every request's hash chain; exit 1 and name the first broken event if any.
    Verify,
}

fn fail(message: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}

pub fn run(cli: Cli, mut settings: Settings) -> ExitCode {
    match cli.command {
        Command::Serve { bind } => {
            if let Some(bind) = bind {
                settings.server.bind = bind;
            }
            serve(&settings)
        }
        Command::Migrate => match open_database(&settings) {
            Ok(_) => {
                println!("database is up to date");
                ExitCode::SUCCESS
            }
            Err(e) => fail(e),
        },
        Command::Staff {
            command:
                StaffCommand::Add {
                    email,
                    name,
                    role,
                    department,
                    title,
                    password_stdin,
                },
        } => {
            let password = if password_stdin {
                let mut line = String::new();
                if let Err(e) = std::io::stdin().lock().read_line(&mut line) {
                    return fail(format!("cannot read the password from standard input: {e}"));
                }
                line.trim_end_matches(['\r', '\n']).to_string()
            } else {
                crate::secrets::new_password()
            };
            let made = (!password_stdin).then(|| password.clone());
            let db = match open_database(&settings) {
                Ok(db) => db,
                Err(e) => return fail(e),
            };
            let raw = RawStaffAccount {
                email,
                name,
                role,
                department,
                title,
                password,
            };
            let added = admin::add_staff(&db, raw);
            match added {
                Ok(account) => {
                    println!(
                        "added {} ({}) as {}",
                        account.name,
                        account.email,
                        account.role.as_str()
                    );
                    if let Some(made) = made {
                        println!("password (shown this once; give it to them privately): {made}");
                    }
                    ExitCode::SUCCESS
                }
                Err(AppError::Invalid(fields)) => {
                    for (field, messages) in fields.0 {
                        eprintln!("{field}: {}", messages.join("; "));
                    }
                    ExitCode::from(2)
                }
                Err(e) => fail(e),
            }
        }
        Command::Staff {
            command: StaffCommand::RevokeSessions { email },
        } => {
            let db = match open_database(&settings) {
                Ok(db) => db,
                Err(e) => return fail(e),
            };
            match admin::revoke_sessions(&db, &email) {
                Ok(ended) => {
                    println!("ended {ended} sessions of {email}");
                    ExitCode::SUCCESS
                }
                Err(AppError::NotFound) => fail(format!("no staff account {email:?}")),
                Err(e) => fail(e),
            }
        }
        Command::Staff {
            command: StaffCommand::List,
        } => {
            let db = match open_database(&settings) {
                Ok(db) => db,
                Err(e) => return fail(e),
            };
            match admin::list_staff(&db) {
                Ok(accounts) => {
                    for a in accounts {
                        let state = match (a.active, a.invited) {
                            (false, _) => "disabled",
                            (true, true) => "invited",
                            (true, false) => "active",
                        };
                        println!(
                            "{}\t{}\t{}\t{}\t{state}",
                            a.account.email,
                            a.account.name,
                            a.account.role.as_str(),
                            a.account.department.as_deref().unwrap_or("-"),
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => fail(e),
            }
        }
        Command::Staff {
            command:
                command @ (StaffCommand::Disable { .. }
                | StaffCommand::Enable { .. }
                | StaffCommand::Reset { .. }),
        } => {
            let db = match open_database(&settings) {
                Ok(db) => db,
                Err(e) => return fail(e),
            };
            let (done, email) = match &command {
                StaffCommand::Disable { email } => (admin::disable_staff(&db, email), email),
                StaffCommand::Enable { email } => (admin::enable_staff(&db, email), email),
                StaffCommand::Reset { email } => {
                    let ctx = match crate::app::Ctx::from_settings(&settings) {
                        Ok(ctx) => ctx,
                        Err(e) => return fail(e),
                    };
                    (admin::reset_staff(&db, &ctx, email), email)
                }
                _ => unreachable!("matched above"),
            };
            match (done, &command) {
                (Ok(a), StaffCommand::Disable { .. }) => {
                    println!("disabled {}; every sign-in ended", a.account.email);
                    ExitCode::SUCCESS
                }
                (Ok(a), StaffCommand::Enable { .. }) => {
                    println!("enabled {}", a.account.email);
                    ExitCode::SUCCESS
                }
                (Ok(a), _) => {
                    println!(
                        "a link to choose a password is on its way to {} (`serve` sends it)",
                        a.account.email
                    );
                    ExitCode::SUCCESS
                }
                (Err(AppError::NotFound), _) => fail(format!("no staff account {email:?}")),
                (Err(e), _) => fail(e),
            }
        }
        Command::Catalog {
            command: CatalogCommand::Import { path },
        } => import_catalog(&settings, &path),
        Command::Backup { path } => backup(&settings, &path),
        Command::Mail {
            command: MailCommand::Ingest { recipients },
        } => ingest_mail(&settings, &recipients),
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let db = match open_database(&settings) {
                Ok(db) => db,
                Err(e) => return fail(e),
            };
            let files = match open_files(&settings) {
                Ok(files) => files,
                Err(e) => return fail(e),
            };
            let anchor_path = settings.anchor_path();
            let verified = match admin::verify(&db, &files, &anchor_path) {
                Ok(verified) => verified,
                Err(e) => return fail(e),
            };
            for problem in &verified.documents {
                println!("DOCUMENT {problem}");
            }
            for problem in &verified.mail {
                println!("MAIL {problem}");
            }
            for problem in &verified.admin {
                println!("ADMIN {problem}");
            }
            for problem in &verified.files {
                println!("FILE {problem}");
            }
            // Files no document names (an upload whose database write then failed) are
            // reported, not a failure.
            if verified.unnamed_files > 0 {
                println!(
                    "note: {} stored files are named by no document",
                    verified.unnamed_files
                );
            }
            let report = &verified.chains;
            print_anchor(&anchor_path, report.anchor.as_ref());
            let files = format!("{} stored files", verified.named_files);
            if verified.holds() {
                println!(
                    "audit: {} chains, {} events: every chain holds; {files}: each matches its hash",
                    report.chains, report.events
                );
                return ExitCode::SUCCESS;
            }
            println!(
                "audit: {} chains, {} events: {} broken; {files}: {} documents or files differ",
                report.chains,
                report.events,
                report.breaks.len(),
                verified.documents.len()
                    + verified.mail.len()
                    + verified.admin.len()
                    + verified.files.len()
            );
            for found in &report.breaks {
                println!("BROKEN {found}");
            }
            ExitCode::from(1)
        }
    }
}

/// What the anchor covers, and what is newer than it (not yet protected against removal).
fn print_anchor(path: &std::path::Path, anchor: Option<&crate::audit::AnchorCoverage>) {
    let Some(a) = anchor else {
        println!(
            "anchor: none at {}: events removed together with their request's head are not detected",
            path.display()
        );
        return;
    };
    for problem in &a.problems {
        println!("ANCHOR {problem}");
    }
    println!(
        "anchor: {} lines, latest {}: {} chains anchored; {} events in {} chains newer than the anchor (not yet protected)",
        a.lines,
        a.latest_at.as_deref().unwrap_or("never"),
        a.anchored_chains,
        a.unanchored_events,
        a.unanchored_chains
    );
}

fn serve(settings: &Settings) -> ExitCode {
    let runtime = match actix_web::rt::System::new().block_on(async {
        let app = Application::build(settings)?;
        log::info!(
            "recordsdesk listening on http://{}",
            settings
                .server
                .bind
                .replace(":0", &format!(":{}", app.port()))
        );
        if let Some(mismatch) =
            crate::config::public_url_mismatch(&settings.server.public_url, app.address())
        {
            log::warn!("{mismatch}");
        }
        app.run_until_stopped()
            .await
            .map_err(|e| crate::startup::StartupError::Bind(settings.server.bind.clone(), e))
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    };
    runtime
}

/// sysexits(3)' codes, which mail servers read: bad input is not retried, a failure of ours is.
const EX_DATAERR: u8 = 65;
const EX_TEMPFAIL: u8 = 75;

fn ingest_mail(settings: &Settings, recipients: &[String]) -> ExitCode {
    use std::io::Read;
    let tempfail = |e: &dyn std::fmt::Display| {
        eprintln!("error: the email was not kept: {e}");
        ExitCode::from(EX_TEMPFAIL)
    };
    // One byte past the limit is enough to know it is too large.
    let limit = settings.files.max_upload_bytes();
    let mut raw = Vec::new();
    if let Err(e) = std::io::stdin().take(limit + 1).read_to_end(&mut raw) {
        return tempfail(&format!("reading standard input: {e}"));
    }
    let (db, files, ctx) = match open_database(settings).and_then(|db| {
        let files = open_files(settings)?;
        let ctx = crate::app::Ctx::from_settings(settings)?;
        Ok((db, files, ctx))
    }) {
        Ok(opened) => opened,
        Err(e) => return tempfail(&e),
    };
    match crate::app::mail::ingest(&db, &ctx, &files, &raw, recipients) {
        Ok(ingested) => {
            let repeat = if ingested.repeat {
                " (a repeat, kept once)"
            } else {
                ""
            };
            match &ingested.outcome {
                crate::app::mail::Outcome::Filed { tracking_number } if !ingested.repeat => {
                    println!("mail {}: filed to {tracking_number}", ingested.mail_id)
                }
                crate::app::mail::Outcome::Unmatched { reason } => println!(
                    "mail {}: left for staff{repeat}: {reason}",
                    ingested.mail_id
                ),
                other => println!("mail {}: {}{repeat}", ingested.mail_id, other.as_str()),
            }
            ExitCode::SUCCESS
        }
        Err(AppError::Invalid(errors)) => {
            let said: Vec<String> = errors.0.values().flatten().cloned().collect();
            log::warn!("refused an email: {}", said.join("; "));
            eprintln!("error: the email was refused: {}", said.join("; "));
            ExitCode::from(EX_DATAERR)
        }
        Err(e) => tempfail(&e),
    }
}

fn backup(settings: &Settings, path: &std::path::Path) -> ExitCode {
    let started = std::time::Instant::now();
    let db = match open_database(settings) {
        Ok(db) => db,
        Err(e) => return fail(e),
    };
    let files = match open_files(settings) {
        Ok(files) => files,
        Err(e) => return fail(e),
    };
    match admin::backup(&db, &files, path) {
        Ok(done) if done.check.holds() => {
            println!(
                "backup: {} ({} bytes, {} requests; {} files, {} bytes) in {:.2} s; audit: {} chains, {} events: every chain holds; every file holds its bytes",
                path.display(),
                done.copy.bytes,
                done.copy.requests,
                done.copy.files,
                done.copy.file_bytes,
                started.elapsed().as_secs_f64(),
                done.check.chains.chains,
                done.check.chains.events
            );
            ExitCode::SUCCESS
        }
        Ok(done) => {
            println!(
                "backup: {} written, but its check found {} broken chains, {} documents and {} files that differ",
                path.display(),
                done.check.chains.breaks.len(),
                done.check.documents.len(),
                done.check.files.len()
            );
            for found in &done.check.chains.breaks {
                println!("BROKEN {found}");
            }
            for found in done
                .check
                .documents
                .iter()
                .chain(&done.check.mail)
                .chain(&done.check.files)
            {
                println!("BROKEN {found}");
            }
            ExitCode::from(1)
        }
        Err(e) => fail(e),
    }
}

fn import_catalog(settings: &Settings, path: &std::path::Path) -> ExitCode {
    let limit = settings.catalog.max_file_megabytes * 1024 * 1024;
    let size = match std::fs::metadata(path) {
        Ok(meta) => meta.len(),
        Err(e) => return fail(format!("cannot read {}: {e}", path.display())),
    };
    if size > limit {
        return fail(format!(
            "{} is {} MB, more than the {} MB limit (catalog.max_file_megabytes); nothing was imported",
            path.display(),
            size / (1024 * 1024),
            settings.catalog.max_file_megabytes
        ));
    }
    let bytes = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) => return fail(format!("cannot read {}: {e}", path.display())),
    };
    let started = std::time::Instant::now();
    let db = match open_database(settings) {
        Ok(db) => db,
        Err(e) => return fail(e),
    };
    let bar = indicatif::ProgressBar::hidden();
    let imported = admin::import_catalog(&db, &bytes, &mut |done, total| {
        // A progress bar only for catalogs large enough to wait on.
        if bar.length().is_none() {
            bar.set_length(total as u64);
            if total >= 500 {
                bar.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            }
        }
        bar.set_position(done as u64)
    });
    bar.finish_and_clear();
    let (summary, entries) = match imported {
        Ok(imported) => imported,
        Err(e) => return fail(format!("{}: {e}", path.display())),
    };
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "catalog: {} added, {} updated, {} unchanged, {} withdrawn, {} skipped ({} entries in {:.2} s)",
        summary.added,
        summary.updated,
        summary.unchanged,
        summary.withdrawn,
        summary.skipped.len(),
        entries,
        seconds
    );
    for skipped in &summary.skipped {
        let id = skipped.identifier.as_deref().unwrap_or("(no identifier)");
        println!(
            "skipped entry {} ({id}): {}",
            skipped.index + 1,
            skipped.reason
        );
    }
    for warning in &summary.warnings {
        println!("note: {}: {}", warning.identifier, warning.message);
    }
    if !summary.unplaced.is_empty() {
        println!(
            "{} datasets could not be placed: no staff account has their contact email and no department lists their publisher or host names, so access requests for them go to the City Clerk (add the names to a department under Administration, then import again):",
            summary.unplaced.len()
        );
        for u in &summary.unplaced {
            println!(
                "unplaced {} ({}): publisher {}, hosts {}",
                u.id,
                u.title,
                u.publisher.as_deref().unwrap_or("none"),
                if u.hosts.is_empty() {
                    "none".to_string()
                } else {
                    u.hosts.join(", ")
                }
            );
        }
    }
    if !summary.incomplete.is_empty() {
        println!(
            "{} datasets lack fields DCAT-US 1.1 requires: /data.json publishes them without those fields, nothing filled in (add them in the portal, then import again; Administration, Catalog lists them too):",
            summary.incomplete.len()
        );
        for d in &summary.incomplete {
            let missing: Vec<String> = d.missing.iter().map(|m| m.said()).collect();
            println!("incomplete {} ({}): {}", d.id, d.title, missing.join(", "));
        }
    }
    ExitCode::SUCCESS
}
