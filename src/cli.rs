//! The command line: `serve`, `migrate`, `staff add`, `audit verify`.

use std::io::BufRead;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::audit;
use crate::config::Settings;
use crate::startup::{open_database, Application};
use crate::workflow::{staff, WorkflowError};

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
        /// Read the password from the first line of standard input (never from the command line).
        #[arg(long, required = true)]
        password_stdin: bool,
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
                    password_stdin: _,
                },
        } => {
            let mut password = String::new();
            if let Err(e) = std::io::stdin().lock().read_line(&mut password) {
                return fail(format!("cannot read the password from standard input: {e}"));
            }
            let password = password.trim_end_matches(['\r', '\n']).to_string();
            let db = match open_database(&settings) {
                Ok(db) => db,
                Err(e) => return fail(e),
            };
            let added = db.write(|conn| {
                staff::add(conn, &email, &name, &role, department.as_deref(), &password)
            });
            match added {
                Ok(account) => {
                    println!(
                        "added {} ({}) as {}",
                        account.name,
                        account.email,
                        account.role.as_str()
                    );
                    ExitCode::SUCCESS
                }
                Err(WorkflowError::Invalid(fields)) => {
                    for (field, messages) in fields.0 {
                        eprintln!("{field}: {}", messages.join("; "));
                    }
                    ExitCode::from(2)
                }
                Err(e) => fail(e),
            }
        }
        Command::Audit {
            command: AuditCommand::Verify,
        } => {
            let db = match open_database(&settings) {
                Ok(db) => db,
                Err(e) => return fail(e),
            };
            match db.snapshot(|conn| audit::verify_all(conn).map_err(crate::db::DbError::from)) {
                Ok(report) if report.holds() => {
                    println!(
                        "audit: {} chains, {} events: every chain holds",
                        report.chains, report.events
                    );
                    ExitCode::SUCCESS
                }
                Ok(report) => {
                    println!(
                        "audit: {} chains, {} events: {} broken",
                        report.chains,
                        report.events,
                        report.breaks.len()
                    );
                    for found in &report.breaks {
                        println!("BROKEN {found}");
                    }
                    ExitCode::from(1)
                }
                Err(e) => fail(e),
            }
        }
    }
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
        app.run_until_stopped()
            .await
            .map_err(|e| crate::startup::StartupError::Bind(settings.server.bind.clone(), e))
    }) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(e),
    };
    runtime
}
