//! Builds the running application; `serve` and the integration tests use the same code.

use std::net::TcpListener;

use actix_session::config::CookieContentSecurity;
use actix_session::storage::CookieSessionStore;
use actix_session::SessionMiddleware;
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::Logger;
use actix_web::{web, HttpServer};

use crate::app::{App, Ctx};
use crate::blobs::BlobStore;
use crate::config::{FileBackend, Settings, SettingsError};
use crate::db::{Db, DbError};
use crate::jobs::Jobs;
use crate::notify::mailer::MailError;
use crate::notify::{DispatchSettings, Dispatcher, Mailer};
use crate::web::{configure, AppState};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Settings(#[from] SettingsError),
    #[error(transparent)]
    Db(#[from] DbError),
    #[error("cannot listen on {0}: {1}")]
    Bind(String, std::io::Error),
    #[error(transparent)]
    Mail(#[from] MailError),
    #[error("cannot open the file store at {0}: {1}")]
    Files(String, std::io::Error),
    #[error("filling the reading room's index: {0}")]
    ReadingRoomIndex(String),
}

pub struct Application {
    address: std::net::SocketAddr,
    server: Server,
    jobs: Jobs,
    anchor: crate::audit::AnchorWriter,
}

/// Opens the database named in the settings and brings its schema up to date.
pub fn open_database(settings: &Settings) -> Result<Db, StartupError> {
    let db = Db::connect(&settings.database_url()?, settings.database.pool_size)?
        .with_group_commit(settings.database.group_commit);
    db.migrate()?;
    let filled = db.read(|conn| crate::db::search::fill_missing(conn).map_err(DbError::from))?;
    if let Some(count) = filled {
        log::info!("search index filled with {count} requests stored before it");
    }
    let filled = db
        .write(crate::app::reading_room::fill_index)
        .map_err(|e| StartupError::ReadingRoomIndex(e.to_string()))?;
    if let Some(count) = filled {
        log::info!("reading room index filled with {count} items published before it");
    }
    let seeded = db
        .write(|conn| crate::app::departments::seed(conn, &settings.departments))
        .map_err(|e| StartupError::Settings(SettingsError::Invalid(format!("departments: {e}"))))?;
    if let Some(count) = seeded {
        log::info!(
            "department directory started with the {count} departments of the configuration"
        );
    }
    Ok(db)
}

/// Opens the content-addressed file store: under the data folder, or in the configured
/// S3-compatible bucket (uploads still stream through the data folder's `files/tmp`).
pub fn open_files(settings: &Settings) -> Result<BlobStore, StartupError> {
    let files_dir = settings.data_dir.join("files");
    let limit = settings.files.max_upload_bytes();
    match settings.files.backend {
        FileBackend::Local => BlobStore::open(&files_dir, limit)
            .map_err(|e| StartupError::Files(files_dir.display().to_string(), e)),
        FileBackend::S3 => {
            BlobStore::open_bucket(&files_dir, limit, &settings.files.s3).map_err(|e| {
                let s3 = &settings.files.s3;
                StartupError::Files(
                    format!("the S3 bucket {:?} at {:?}", s3.bucket, s3.endpoint),
                    e,
                )
            })
        }
    }
}

/// The configured cookie key, or a fresh one (sessions then end at restart).
fn session_key(settings: &Settings) -> Result<Key, StartupError> {
    let configured = settings.server.session_key.expose();
    if configured.is_empty() {
        return Ok(Key::generate());
    }
    match hex::decode(configured) {
        Ok(bytes) if bytes.len() >= 64 => Ok(Key::from(&bytes)),
        _ => Err(StartupError::Settings(SettingsError::Invalid(
            "server.session_key must be at least 128 hex digits".into(),
        ))),
    }
}

impl Application {
    pub fn build(settings: &Settings) -> Result<Application, StartupError> {
        let db = open_database(settings)?;
        let ctx = Ctx::from_settings(settings)?;
        let bind = settings.server.bind.clone();
        let listener = TcpListener::bind(&bind).map_err(|e| StartupError::Bind(bind.clone(), e))?;
        let address = listener
            .local_addr()
            .map_err(|e| StartupError::Bind(bind.clone(), e))?;
        let dispatcher = match settings.mail.dispatcher {
            true => Some(
                Dispatcher::new(
                    db.clone(),
                    Mailer::from_settings(settings)?,
                    settings.mail.from.clone(),
                    DispatchSettings::from_settings(settings),
                )
                .with_return_paths(ctx.replies.clone())
                .with_letters(crate::app::letters::attacher(&ctx)),
            ),
            false => None,
        };
        let db_for_anchor = db.clone();
        let db_for_limits = db.clone();
        let app = App::new(db, ctx, open_files(settings)?, dispatcher);
        let reminder_every =
            std::time::Duration::from_secs(settings.deadlines.reminder_interval_seconds.max(1));
        let jobs = Jobs::start(app.clone(), reminder_every);
        // Anchors the chains' heads outside the database, off every request's path.
        let anchor = crate::audit::AnchorWriter::start(
            db_for_anchor,
            settings.database_url()?,
            settings.anchor_path(),
            std::time::Duration::from_millis(settings.audit.anchor_interval_milliseconds),
        );
        let throttle = crate::web::throttle::Throttle::new(&settings.limits)
            .map_err(|e| StartupError::Settings(SettingsError::Invalid(e)))?
            .kept_in(
                crate::app::limits::SharedLimits::on(&db_for_limits),
                &settings.limits,
            );
        let throttle = std::sync::Arc::new(throttle);
        let state = web::Data::new(AppState { app, throttle });
        let body_limit = settings.server.body_limit_bytes;
        let session_key = session_key(settings)?;
        let secure_cookies = settings.server.public_url.starts_with("https://");
        let body_timeout =
            std::time::Duration::from_secs(settings.server.body_read_timeout_seconds.max(1));
        let server = HttpServer::new(move || {
            actix_web::App::new()
                // A body that stops arriving: 408, connection closed.
                .wrap(actix_web::middleware::from_fn(move |req, next| {
                    crate::web::body_timeout::middleware(body_timeout, req, next)
                }))
                .wrap(
                    SessionMiddleware::builder(CookieSessionStore::default(), session_key.clone())
                        .cookie_name(crate::web::harden::SESSION_COOKIE.into())
                        .cookie_content_security(CookieContentSecurity::Private)
                        .cookie_http_only(true)
                        .cookie_same_site(SameSite::Lax)
                        .cookie_secure(secure_cookies)
                        .build(),
                )
                // The reader's language, for the public pages.
                .wrap(actix_web::middleware::from_fn(
                    crate::web::language::middleware,
                ))
                // Headers on every answer, errors below turned into logged answers.
                .wrap(actix_web::middleware::from_fn(
                    crate::web::harden::middleware,
                ))
                .wrap(actix_web::middleware::from_fn(
                    crate::web::request_id::middleware,
                ))
                // The path only (%U), never the query string, which may carry a private token.
                .wrap(
                    Logger::new(r#"[%{x-request-id}o] %a "%{method}xi %U" %s %b %Dms"#)
                        .custom_request_replace("method", |req| req.method().to_string()),
                )
                .configure(configure(state.clone(), body_limit))
        })
        .listen(listener)
        .map_err(|e| StartupError::Bind(bind, e))?
        .run();
        Ok(Application {
            address,
            server,
            jobs,
            anchor,
        })
    }

    pub fn port(&self) -> u16 {
        self.address.port()
    }

    /// The address the server listens on.
    pub fn address(&self) -> std::net::SocketAddr {
        self.address
    }

    /// Serves until the server stops (Ctrl-C), then stops the background jobs and writes the
    /// last audit anchor.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let result = self.server.await;
        self.jobs.stop().await;
        self.anchor.stop();
        result
    }
}
