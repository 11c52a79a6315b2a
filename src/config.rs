//! Typed settings from layered sources: the defaults in `config/default.toml` (compiled in),
//! `config/local.toml`, a file named by `RECORDSDESK_CONFIG`, then environment variables.

use std::path::PathBuf;

use chrono::NaiveDate;
use chrono_tz::Tz;
use config::{Config, Environment, File, FileFormat};
use serde::Deserialize;

use crate::db::DatabaseUrl;
use crate::domain::exemptions::{ExemptionCatalogue, ExemptionEntry};
use crate::domain::{Calendar, DeadlinePolicy};

const DEFAULTS: &str = include_str!("../config/default.toml");

/// A value that must never reach a log.
#[derive(Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_empty() {
            "\"\""
        } else {
            "\"[redacted]\""
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct Settings {
    pub data_dir: PathBuf,
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub mail: MailSettings,
    pub office: OfficeSettings,
    pub deadlines: DeadlineSettings,
    pub auth: AuthSettings,
    pub catalog: CatalogSettings,
    pub limits: LimitSettings,
    pub files: FileSettings,
    /// The exemptions staff choose from when they withhold records.
    #[serde(default)]
    pub exemptions: Vec<ExemptionEntry>,
    /// The department directory's first entries, read once, when the database is new
    /// (docs/PRODUCT.md, "Departments"); after that admins keep it on the pages.
    #[serde(default)]
    pub departments: Vec<crate::domain::directory::RawDepartment>,
    #[serde(default)]
    pub messages: MessageSettings,
    #[serde(default)]
    pub intake: IntakeSettings,
    #[serde(default)]
    pub complaints: ComplaintSettings,
    #[serde(default)]
    pub fees: FeeSettings,
    #[serde(default)]
    pub audit: AuditSettings,
    #[serde(default)]
    pub reading_room: ReadingRoomSettings,
    #[serde(default)]
    pub letters: LetterSettings,
    /// Tests only: the city's clock reads this instant (UTC) when a request is filed, so a
    /// test can write its due date out as a literal. No configuration file or environment
    /// variable can set it.
    #[serde(skip)]
    pub fixed_clock: Option<chrono::NaiveDateTime>,
}

/// The audit anchor (docs/RELIABILITY.md, "The audit anchor").
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct AuditSettings {
    /// How soon after a commit its chain's head is anchored.
    pub anchor_interval_milliseconds: u64,
    /// The anchor file; empty: `<data_dir>/audit-anchor.jsonl`.
    pub anchor_path: String,
}

impl Default for AuditSettings {
    fn default() -> Self {
        AuditSettings {
            anchor_interval_milliseconds: 1000,
            anchor_path: String::new(),
        }
    }
}

/// Requesters' messages (docs/PRODUCT.md, "Messages").
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct MessageSettings {
    /// Messages a requester may send on one request in any hour; more wait (429).
    pub requester_per_hour: u32,
    /// Messages a requester may send on one request in all (409 after).
    pub requester_per_request: u32,
    /// Staff get one email for the requester's messages in this many minutes, not one each.
    pub staff_digest_minutes: u32,
}

impl Default for MessageSettings {
    fn default() -> Self {
        MessageSettings {
            requester_per_hour: 10,
            requester_per_request: 100,
            staff_digest_minutes: 10,
        }
    }
}

/// Complaints (docs/PRODUCT.md, "Complaints").
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ComplaintSettings {
    /// The calendar days the city gives itself to close a complaint: its service target, not
    /// a statute's; due soon and overdue are flagged against it as a request's due date is.
    pub target_days: u32,
}

impl Default for ComplaintSettings {
    fn default() -> Self {
        ComplaintSettings { target_days: 30 }
    }
}

/// The fee schedule and how fees are taken (docs/PRODUCT.md, "Fees"). Amounts are whole
/// cents.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct FeeSettings {
    pub items: Vec<FeeItemSettings>,
    /// The hourly rate of programming and data work (Gov. Code §7922.575(b)).
    pub programming_hourly_cents: i64,
    /// The most one estimate, payment, waiver or refund may be.
    pub max_cents: i64,
    /// An estimate under this total is waived whole when it is made (0: never).
    pub waive_under_cents: i64,
    /// Paper copies wait for their fee to be paid; inspection and electronic records never do.
    pub paper_waits_for_payment: bool,
    /// How to pay, as the invoice and the estimate's letter tell the requester.
    pub how_to_pay: String,
}

/// One item of the fee schedule.
#[derive(Debug, Clone, Deserialize)]
pub struct FeeItemSettings {
    pub key: String,
    pub name: String,
    /// `page` (a page of a paper copy), `medium` (what an electronic copy is delivered on) or
    /// `flat` (a named item with a fee set by law or the city's schedule).
    pub kind: crate::domain::fees::ItemKind,
    pub cents: i64,
}

impl Default for FeeSettings {
    fn default() -> Self {
        FeeSettings {
            items: Vec::new(),
            programming_hourly_cents: 9_000,
            max_cents: 1_000_000,
            waive_under_cents: 0,
            paper_waits_for_payment: true,
            how_to_pay: String::new(),
        }
    }
}

impl FeeSettings {
    pub fn schedule(&self) -> crate::domain::fees::FeeSchedule {
        use crate::domain::fees::{Cents, FeeSchedule, ScheduleItem};
        FeeSchedule {
            items: self
                .items
                .iter()
                .map(|i| ScheduleItem {
                    key: i.key.clone(),
                    name: i.name.clone(),
                    kind: i.kind,
                    price: Cents(i.cents),
                })
                .collect(),
            programming_hourly: Cents(self.programming_hourly_cents),
            max: Cents(self.max_cents),
            waive_under: Cents(self.waive_under_cents),
            paper_waits_for_payment: self.paper_waits_for_payment,
        }
    }
}

/// The public reading room (docs/PRODUCT.md, "Reading room").
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct ReadingRoomSettings {
    /// Requests whose records were released more than this many days ago, and not yet
    /// published or kept out, are listed for staff to review; 0: never suggested.
    pub publish_after_days: u32,
}

impl Default for ReadingRoomSettings {
    fn default() -> Self {
        ReadingRoomSettings {
            publish_after_days: 30,
        }
    }
}

/// Decision letters (docs/PRODUCT.md, "Letters").
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct LetterSettings {
    /// The requester's email notice carries its letter as a PDF attachment.
    pub attach_pdf: bool,
    /// A JPEG seal or logo for the letterhead; none when unset.
    pub seal_file: Option<PathBuf>,
    /// Who signs the letters of steps the service took itself (the acknowledgement, …).
    pub signer_name: String,
    pub signer_title: String,
}

impl Default for LetterSettings {
    fn default() -> Self {
        LetterSettings {
            attach_pdf: false,
            seal_file: None,
            signer_name: "Office of the City Clerk".into(),
            signer_title: "City Clerk".into(),
        }
    }
}

/// Requests staff record from email, mail, phone, fax or the counter.
#[derive(Debug, Clone, Deserialize)]
#[serde(default)]
pub struct IntakeSettings {
    /// How many days back a time of receipt may be (a letter opened late still counts from
    /// the day it arrived; further back is most likely a typing mistake).
    pub max_days_back: u32,
}

impl Default for IntakeSettings {
    fn default() -> Self {
        IntakeSettings { max_days_back: 30 }
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct FileSettings {
    /// The largest response document staff may upload, in MiB.
    pub max_upload_megabytes: u64,
    /// Where stored files are kept: `<data_dir>/files` or an S3-compatible bucket.
    #[serde(default)]
    pub backend: FileBackend,
    /// The bucket, when `backend` is `s3`.
    #[serde(default)]
    pub s3: S3Settings,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FileBackend {
    #[default]
    Local,
    S3,
}

/// An S3-compatible bucket (AWS S3, MinIO, Ceph, Garage...). Objects are kept at
/// `<prefix>/files/<first two hex digits>/<SHA-256>`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct S3Settings {
    pub bucket: String,
    /// Empty: AWS itself, in `region`. Otherwise the server's address, e.g.
    /// `https://minio.example.gov:9000` (path-style requests).
    pub endpoint: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: Secret,
    /// Whether an `http://` endpoint is allowed (a server on the same host or network).
    pub allow_http: bool,
    /// A folder inside the bucket, so several services can share it. Empty: the bucket's top.
    pub prefix: String,
}

impl FileSettings {
    pub fn max_upload_bytes(&self) -> u64 {
        self.max_upload_megabytes.saturating_mul(1024 * 1024)
    }
}

#[derive(Debug, Clone, Deserialize)]
pub struct LimitSettings {
    pub submissions_per_minute: u32,
    /// Sign-in tries per account and address before the slow-down starts.
    pub login_free_tries: u32,
    /// The first wait; each try after it doubles the wait, up to the cap.
    pub login_delay_initial_milliseconds: u64,
    pub login_delay_max_milliseconds: u64,
    /// The same per account from any address (addresses it signed in from are exempt).
    pub login_account_free_tries: u32,
    pub login_account_delay_max_milliseconds: u64,
    /// A streak of tries with none added for this long is forgotten.
    pub login_memory_seconds: u64,
    /// The most addresses (or accounts) each limit remembers.
    pub max_tracked: usize,
    /// Proxies (addresses or CIDR networks) whose X-Forwarded-For is believed.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// Legacy: with no `trusted_proxies`, the peer is taken for the one proxy in front.
    #[serde(default)]
    pub trust_forwarded_for: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct CatalogSettings {
    pub max_file_megabytes: u64,
    pub api_key_rate_limit: i32,
    pub api_key_days: u32,
    pub gateway_token: Secret,
}

#[derive(Debug, Clone, Deserialize)]
pub struct ServerSettings {
    pub bind: String,
    pub public_url: String,
    pub body_limit_bytes: usize,
    /// A request body that stops arriving for this long is answered 408 and its connection
    /// closed.
    pub body_read_timeout_seconds: u64,
    /// 128 hex digits signing and encrypting session cookies; empty: a new key each start.
    pub session_key: Secret,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DatabaseSettings {
    pub url: Secret,
    pub pool_size: u32,
    pub group_commit: bool,
}

#[derive(Debug, Clone, Deserialize)]
pub struct MailSettings {
    pub transport: String,
    pub smtp_url: Secret,
    pub from: String,
    pub dispatcher: bool,
    pub max_attempts: i32,
    pub retry_initial_milliseconds: u64,
    pub retry_max_milliseconds: u64,
    pub lease_seconds: u64,
    pub poll_milliseconds: u64,
    pub batch_size: i64,
    pub concurrency: usize,
    /// The mailbox requesters reply to, a `+RR-….TAG` added per request; empty: `from`'s.
    pub replies_to: String,
    /// The key reply tags are made with (hex); empty: `<data_dir>/reply.key`, made once.
    pub reply_key: Secret,
    /// The bearer token of `POST /api/v1/mail/inbound`; empty: the endpoint is off.
    pub ingest_token: Secret,
    /// Transient bounces after which a requester's address is flagged (one permanent does).
    pub soft_bounce_limit: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OfficeSettings {
    pub name: String,
    pub email: String,
    pub phone: String,
    pub address: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct DeadlineSettings {
    pub determination_days: u32,
    pub appeal_window_days: u32,
    pub review_days: u32,
    pub due_soon_business_days: u32,
    pub reminder_interval_seconds: u64,
    pub timezone: String,
    /// Days the office closes besides the holidays the calendar works out by rule.
    #[serde(default)]
    pub holidays_added: Vec<AddedHoliday>,
    /// Rule holidays (or added days) the office stays open on.
    #[serde(default)]
    pub holidays_removed: Vec<NaiveDate>,
    /// The explicit list that came before the rules, still read so an existing local.toml
    /// keeps working: each day is added as a "City holiday".
    #[serde(default)]
    pub holidays: Vec<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AddedHoliday {
    pub date: NaiveDate,
    /// Shown to requesters when a due date moves past it.
    pub name: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct AuthSettings {
    pub staff_token_hours: i64,
    /// A staff sign-in (API token or page session) unused for this long ends.
    pub staff_idle_minutes: i64,
    /// How long an invitation's link to set a password works.
    #[serde(default = "default_invitation_hours")]
    pub invitation_hours: i64,
    /// How long a password reset link works.
    #[serde(default = "default_reset_minutes")]
    pub reset_minutes: i64,
}

fn default_invitation_hours() -> i64 {
    72
}

fn default_reset_minutes() -> i64 {
    60
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("configuration: {0}")]
    Load(#[from] config::ConfigError),
    #[error("configuration: unknown time zone {0:?} in deadlines.timezone")]
    TimeZone(String),
    #[error("configuration: {0}")]
    Invalid(String),
    /// Everything found wrong at once, so one edit can fix them all.
    #[error("configuration: {} problems, nothing started:\n  - {}", .0.len(), .0.join("\n  - "))]
    Problems(Vec<String>),
}

/// The short environment variable names the README promises, and the keys they set.
const ENV_OVERRIDES: &[(&str, &str)] = &[
    ("RECORDSDESK_DATABASE_URL", "database.url"),
    ("RECORDSDESK_DATA_DIR", "data_dir"),
    ("RECORDSDESK_MAIL_TRANSPORT", "mail.transport"),
    ("RECORDSDESK_SMTP_URL", "mail.smtp_url"),
    ("RECORDSDESK_MAIL_FROM", "mail.from"),
    ("RECORDSDESK_BIND", "server.bind"),
    ("RECORDSDESK_PUBLIC_URL", "server.public_url"),
    ("RECORDSDESK_GATEWAY_TOKEN", "catalog.gateway_token"),
    ("RECORDSDESK_MAIL_INGEST_TOKEN", "mail.ingest_token"),
];

impl Settings {
    /// The compiled-in defaults alone, ignoring files and environment (tests start here).
    pub fn defaults() -> Settings {
        Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .build()
            .and_then(Config::try_deserialize)
            .expect("config/default.toml is valid")
    }

    pub fn load() -> Result<Settings, SettingsError> {
        let mut builder = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .add_source(File::with_name("config/local").required(false));
        if let Ok(path) = std::env::var("RECORDSDESK_CONFIG") {
            builder = builder.add_source(File::with_name(&path).required(true));
        }
        builder = builder.add_source(
            Environment::with_prefix("RECORDSDESK")
                .prefix_separator("__")
                .separator("__"),
        );
        for (var, key) in ENV_OVERRIDES {
            builder = builder.set_override_option(*key, std::env::var(var).ok())?;
        }
        Settings::checked(builder.build()?)
    }

    /// Reads layered settings, and names every key nobody reads and every problem at once.
    pub fn checked(config: Config) -> Result<Settings, SettingsError> {
        let mut unknown = Vec::new();
        let settings: Settings =
            serde_ignored::deserialize(config, |path| unknown.push(path.to_string()))?;
        let mut problems: Vec<String> = unknown
            .into_iter()
            .map(|key| {
                let variable = format!("RECORDSDESK__{}", key.replace('.', "__").to_uppercase());
                format!("{key}: there is no such setting (in a configuration file, or the environment variable {variable})")
            })
            .collect();
        problems.extend(settings.problems());
        match problems.len() {
            0 => Ok(settings),
            _ => Err(SettingsError::Problems(problems)),
        }
    }

    /// Everything wrong with these settings, one line each.
    pub fn problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        problems.extend(self.validate());
        problems.extend(self.address_problems());
        problems.extend(self.department_problems());
        problems.extend(self.fees.schedule().problems());
        if !(1..=365).contains(&self.complaints.target_days) {
            problems.push(format!(
                "complaints.target_days is {}: give 1 to 365 days",
                self.complaints.target_days
            ));
        }
        problems
    }

    fn address_problems(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let email = |value: &str| crate::domain::input::Email::parse(value).is_ok();
        if !email(&self.office.email) {
            problems.push(format!(
                "office.email {:?} is not an email address",
                self.office.email
            ));
        }
        let replies_to = self.mail.replies_to.trim();
        if !replies_to.is_empty() && replies_to.parse::<lettre::message::Mailbox>().is_err() {
            problems.push(format!(
                "mail.replies_to {:?} is not an email address",
                self.mail.replies_to
            ));
        }
        match url::Url::parse(&self.server.public_url) {
            Ok(u) if matches!(u.scheme(), "http" | "https") && u.host_str().is_some() => {}
            _ => problems.push(format!(
                "server.public_url {:?} is not an http(s) address such as https://records.example.gov",
                self.server.public_url
            )),
        }
        if self.server.bind.parse::<std::net::SocketAddr>().is_err()
            && !self.server.bind.contains(':')
        {
            problems.push(format!(
                "server.bind {:?} is not an address and port such as 127.0.0.1:8080",
                self.server.bind
            ));
        }
        if self.mail.transport == "smtp" {
            let url = self.mail.smtp_url.expose();
            if !(url.starts_with("smtp://") || url.starts_with("smtps://")) {
                problems.push(
                    "mail.smtp_url must be an smtp:// or smtps:// address when mail.transport is \"smtp\"".into(),
                );
            }
        }
        problems
    }

    /// The departments the directory starts with: each valid, no queue or catalog name twice,
    /// and the City Clerk's queue (where routing sends whatever nothing else places) among them.
    fn department_problems(&self) -> Vec<String> {
        use crate::domain::directory::{check_department, Department, Directory};
        let mut problems = Vec::new();
        let mut made: Vec<Department> = Vec::new();
        for (n, raw) in self.departments.iter().enumerate() {
            let directory = Directory::new(made.clone());
            match check_department(raw, &directory, None) {
                Ok(details) => made.push(Department {
                    id: n as i64 + 1,
                    name: details.name,
                    queue: details.queue,
                    email: details.email,
                    phone: details.phone,
                    publishers: details.publishers,
                    hosts: details.hosts,
                    signers: vec![],
                    version: 1,
                }),
                Err(errors) => {
                    for (field, messages) in errors.0 {
                        for message in messages {
                            problems.push(format!(
                                "departments[{n}] ({:?}).{field}: {message}",
                                raw.name
                            ));
                        }
                    }
                }
            }
        }
        let clerk = crate::domain::routing::CLERK_QUEUE;
        if !self.departments.is_empty() && !made.iter().any(|d| d.queue == clerk) {
            problems.push(format!(
                "departments: routing sends requests nothing else places to the queue {clerk:?}, but no department has it (add one named \"City Clerk\")"
            ));
        }
        problems
    }

    /// The checks of single settings, each problem on its own.
    fn validate(&self) -> Vec<String> {
        let mut problems = Vec::new();
        let said = |e: SettingsError| {
            e.to_string()
                .trim_start_matches("configuration: ")
                .to_string()
        };
        if let Err(e) = self.time_zone() {
            problems.push(said(e));
        }
        if let Err(e) = self.exemption_catalogue() {
            problems.push(said(e));
        }
        if let Err(e) = self.database_url() {
            problems.push(e.to_string());
        }
        if !matches!(self.mail.transport.as_str(), "file" | "smtp") {
            problems.push(format!(
                "mail.transport must be \"file\" or \"smtp\", not {:?}",
                self.mail.transport
            ));
        }
        if self.mail.from.parse::<lettre::message::Mailbox>().is_err() {
            problems.push(format!(
                "mail.from {:?} is not an email address",
                self.mail.from
            ));
        }
        if self.files.max_upload_megabytes == 0 {
            problems.push("files.max_upload_megabytes must be at least 1".into());
        }
        if self.files.backend == FileBackend::S3 {
            let s3 = &self.files.s3;
            if s3.bucket.trim().is_empty() {
                problems.push("files.s3.bucket must be set when files.backend is \"s3\"".into());
            }
            if !s3.endpoint.is_empty()
                && !matches!(url::Url::parse(&s3.endpoint), Ok(u) if matches!(u.scheme(), "http" | "https"))
            {
                problems.push(format!(
                    "files.s3.endpoint {:?} is not an http(s) address such as https://s3.example.gov",
                    s3.endpoint
                ));
            }
            if s3
                .endpoint
                .trim()
                .to_ascii_lowercase()
                .starts_with("http://")
                && !s3.allow_http
            {
                problems.push(
                    "files.s3.endpoint is http://: set files.s3.allow_http = true to allow it"
                        .into(),
                );
            }
        }
        if self.server.body_read_timeout_seconds == 0 {
            problems.push("server.body_read_timeout_seconds must be at least 1".into());
        }
        if self.limits.max_tracked < 1000 {
            problems.push("limits.max_tracked must be at least 1000".into());
        }
        if self.audit.anchor_interval_milliseconds == 0 {
            problems.push("audit.anchor_interval_milliseconds must be at least 1".into());
        }
        if self.server.body_limit_bytes < 1024 {
            problems.push("server.body_limit_bytes must be at least 1024".into());
        }
        problems
    }

    pub fn time_zone(&self) -> Result<Tz, SettingsError> {
        self.deadlines
            .timezone
            .parse::<Tz>()
            .map_err(|_| SettingsError::TimeZone(self.deadlines.timezone.clone()))
    }

    /// The audit anchor file: `[audit] anchor_path`, or in the data folder.
    pub fn anchor_path(&self) -> PathBuf {
        match self.audit.anchor_path.as_str() {
            "" => self.data_dir.join(crate::audit::anchor::FILE_NAME),
            path => PathBuf::from(path),
        }
    }

    /// The configured database, or SQLite under the data folder.
    pub fn database_url(&self) -> Result<DatabaseUrl, crate::db::DbError> {
        let url = self.database.url.expose();
        if url.is_empty() {
            Ok(DatabaseUrl::Sqlite(self.data_dir.join("recordsdesk.db")))
        } else {
            DatabaseUrl::parse(url)
        }
    }

    /// The configured exemptions; with none configured, the ones the statute's text was
    /// checked for (docs/PRODUCT.md, "Exemptions").
    pub fn exemption_catalogue(&self) -> Result<ExemptionCatalogue, SettingsError> {
        if self.exemptions.is_empty() {
            return Ok(ExemptionCatalogue::seeded());
        }
        ExemptionCatalogue::new(self.exemptions.clone())
            .map_err(|e| SettingsError::Invalid(format!("exemptions: {e}")))
    }

    pub fn deadline_policy(&self) -> DeadlinePolicy {
        use crate::domain::deadlines::LISTED_HOLIDAY_NAME;
        let deadlines = &self.deadlines;
        let added = deadlines
            .holidays_added
            .iter()
            .map(|holiday| (holiday.date, holiday.name.clone()))
            .chain(
                deadlines
                    .holidays
                    .iter()
                    .map(|&date| (date, LISTED_HOLIDAY_NAME.to_string())),
            );
        DeadlinePolicy {
            determination_days: deadlines.determination_days,
            appeal_window_days: deadlines.appeal_window_days,
            review_days: deadlines.review_days,
            due_soon_business_days: deadlines.due_soon_business_days,
            complaint_days: self.complaints.target_days,
            calendar: Calendar::by_rule(added, deadlines.holidays_removed.iter().copied()),
        }
    }

    /// The domain part of the From address, for Message-IDs.
    /// The reply addresses letters to requesters carry (docs/PRODUCT.md, "Replies by email"),
    /// with their key: configured, or kept in `<data_dir>/reply.key`, made on first use so
    /// that addresses already sent stay good across restarts.
    pub fn reply_addresses(&self) -> Result<crate::notify::ReplyAddresses, SettingsError> {
        let invalid = |m: String| SettingsError::Invalid(m);
        let key_hex = match self.mail.reply_key.expose().trim() {
            "" => {
                let path = self.data_dir.join("reply.key");
                match std::fs::read_to_string(&path) {
                    Ok(stored) => stored.trim().to_string(),
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                        let made =
                            crate::secrets::random_hex(crate::notify::reply_address::MIN_KEY_BYTES);
                        write_private(&path, &made).map_err(|e| {
                            invalid(format!(
                                "cannot keep the reply key in {}: {e}",
                                path.display()
                            ))
                        })?;
                        made
                    }
                    Err(e) => return Err(invalid(format!("cannot read {}: {e}", path.display()))),
                }
            }
            configured => configured.to_string(),
        };
        let key = hex::decode(&key_hex)
            .map_err(|_| invalid("mail.reply_key must be hexadecimal".into()))?;
        let mailbox = match self.mail.replies_to.trim() {
            "" => self.mail.from.as_str(),
            configured => configured,
        };
        crate::notify::ReplyAddresses::new(mailbox, key)
            .map_err(|m| invalid(format!("mail.replies_to / mail.reply_key: {m}")))
    }

    pub fn mail_domain(&self) -> String {
        let from = self.mail.from.trim_end_matches('>');
        from.rsplit_once('@')
            .map(|(_, d)| d.to_string())
            .unwrap_or_else(|| "localhost".into())
    }
}

/// Writes a new file only its owner may read, all at once (a crash leaves no half key).
fn write_private(path: &std::path::Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(folder) = path.parent() {
        std::fs::create_dir_all(folder)?;
    }
    let partial = path.with_extension("partial");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&partial)?;
    file.write_all(text.as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&partial, path)
}

/// Why the links in emails (built on `server.public_url`) would not reach a server bound to
/// `bound`, when that can be told from the two alone: `public_url` names this machine
/// (localhost or the bound address) on another port, or names only this machine while the
/// server listens for others. A public name behind a reverse proxy is never questioned.
pub fn public_url_mismatch(public_url: &str, bound: std::net::SocketAddr) -> Option<String> {
    let (scheme, rest) = public_url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) if !port.contains(']') => (host, port.parse::<u16>().ok()?),
        _ => (authority, if scheme == "https" { 443 } else { 80 }),
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let loopback = host.eq_ignore_ascii_case("localhost")
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback());
    let this_machine = loopback
        || host
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip == bound.ip());
    let fix = "set server.public_url (RECORDSDESK_PUBLIC_URL) to the address requesters open";
    if this_machine && port != bound.port() {
        return Some(format!(
            "links in emails point at {public_url}, but this server listens on port {}: {fix}",
            bound.port()
        ));
    }
    if loopback && !bound.ip().is_loopback() {
        return Some(format!(
            "links in emails point at {public_url}, which opens only on this machine, while the server listens on {bound} for others: {fix}"
        ));
    }
    None
}

/// The clock of the city: "today" is the date in its time zone.
#[derive(Debug, Clone, Copy)]
pub struct LocalCalendarClock {
    pub tz: Tz,
    /// Tests only (`Settings::fixed_clock`): the instant this clock always reads.
    pub fixed: Option<chrono::NaiveDateTime>,
}

impl LocalCalendarClock {
    /// The current instant in UTC, at the precision both backends keep.
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.fixed.unwrap_or_else(crate::db::now)
    }

    pub fn today(&self) -> NaiveDate {
        self.date_of(self.now())
    }

    pub fn date_of(&self, at_utc: chrono::NaiveDateTime) -> NaiveDate {
        self.local(at_utc).date()
    }

    /// An instant in UTC as the city's clocks read it.
    pub fn local(&self, at_utc: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
        at_utc.and_utc().with_timezone(&self.tz).naive_local()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_in_a_bucket_are_set_from_the_environment_and_the_secret_never_shows() {
        let vars: config::Map<String, String> = [
            ("RECORDSDESK__FILES__BACKEND", "s3"),
            ("RECORDSDESK__FILES__S3__BUCKET", "city-records"),
            ("RECORDSDESK__FILES__S3__ENDPOINT", "http://127.0.0.1:9000"),
            ("RECORDSDESK__FILES__S3__ACCESS_KEY_ID", "records"),
            (
                "RECORDSDESK__FILES__S3__SECRET_ACCESS_KEY",
                "wJalrXUtnFEMI-very-secret",
            ),
            ("RECORDSDESK__FILES__S3__ALLOW_HTTP", "true"),
            ("RECORDSDESK__FILES__S3__PREFIX", "recordsdesk"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let config = Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .add_source(
                Environment::with_prefix("RECORDSDESK")
                    .prefix_separator("__")
                    .separator("__")
                    .source(Some(vars)),
            )
            .build()
            .unwrap();
        let settings = Settings::checked(config).unwrap();
        assert_eq!(settings.files.backend, FileBackend::S3);
        let s3 = &settings.files.s3;
        assert_eq!(s3.bucket, "city-records");
        assert_eq!(s3.endpoint, "http://127.0.0.1:9000");
        assert_eq!(s3.secret_access_key.expose(), "wJalrXUtnFEMI-very-secret");
        assert!(s3.allow_http);
        assert_eq!(s3.prefix, "recordsdesk");
        let shown = format!("{settings:?}");
        assert!(!shown.contains("very-secret"), "{shown}");
        assert!(shown.contains("[redacted]"), "{shown}");

        // The defaults keep files in the data folder.
        assert_eq!(Settings::defaults().files.backend, FileBackend::Local);
        // A bucket with no name, or a plain http endpoint not allowed, is named at start.
        let mut wrong = settings.clone();
        wrong.files.s3.bucket.clear();
        wrong.files.s3.allow_http = false;
        let problems = wrong.problems();
        assert!(
            problems.iter().any(|p| p.contains("files.s3.bucket")),
            "{problems:?}"
        );
        assert!(
            problems.iter().any(|p| p.contains("files.s3.allow_http")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_public_url_that_cannot_reach_the_bound_address_is_named() {
        let at = |s: &str| s.parse::<std::net::SocketAddr>().unwrap();
        // The defaults agree.
        assert_eq!(
            public_url_mismatch("http://127.0.0.1:8080", at("127.0.0.1:8080")),
            None
        );
        assert_eq!(
            public_url_mismatch("http://localhost:8080/", at("127.0.0.1:8080")),
            None
        );
        // Another port on this machine.
        let said = public_url_mismatch("http://127.0.0.1:8080", at("127.0.0.1:3000")).unwrap();
        assert!(
            said.contains("port 3000") && said.contains("RECORDSDESK_PUBLIC_URL"),
            "{said}"
        );
        assert!(public_url_mismatch("http://localhost", at("127.0.0.1:8080")).is_some());
        assert!(public_url_mismatch("http://[::1]:9000", at("[::1]:8080")).is_some());
        assert!(public_url_mismatch("http://10.0.0.5:9000", at("10.0.0.5:8080")).is_some());
        // Only this machine, while others are listened for.
        let said = public_url_mismatch("http://localhost:8080", at("0.0.0.0:8080")).unwrap();
        assert!(said.contains("only on this machine"), "{said}");
        // A public name behind a proxy: not ours to question.
        assert_eq!(
            public_url_mismatch("https://records.cityofconcord.org", at("127.0.0.1:8080")),
            None
        );
        assert_eq!(
            public_url_mismatch("http://records.example:8443/x", at("0.0.0.0:8080")),
            None
        );
        assert_eq!(public_url_mismatch("not a url", at("127.0.0.1:8080")), None);
    }

    #[test]
    fn the_compiled_in_defaults_load_and_point_at_sqlite_under_var() {
        let settings = Settings::defaults();
        assert_eq!(settings.problems(), Vec::<String>::new());
        assert_eq!(
            settings.database_url().unwrap(),
            DatabaseUrl::Sqlite("./var/recordsdesk.db".into())
        );
        assert_eq!(settings.server.bind, "127.0.0.1:8080");
        assert_eq!(settings.mail_domain(), "cityofconcord.org");
        assert_eq!(settings.deadline_policy().determination_days, 10);
        assert!(format!("{:?}", Secret("hunter2".into())).contains("redacted"));
    }

    /// The defaults with `toml` layered over them, as config/local.toml would be.
    fn defaults_with(toml: &str) -> Settings {
        Config::builder()
            .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
            .add_source(File::from_str(toml, FileFormat::Toml))
            .build()
            .and_then(Config::try_deserialize)
            .unwrap()
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn checked(toml: &str) -> Result<Settings, SettingsError> {
        Settings::checked(
            Config::builder()
                .add_source(File::from_str(DEFAULTS, FileFormat::Toml))
                .add_source(File::from_str(toml, FileFormat::Toml))
                .build()
                .unwrap(),
        )
    }

    #[test]
    fn every_unknown_key_and_every_bad_value_is_named_at_once() {
        let wrong = checked(
            r#"
            [server]
            bnd = "127.0.0.1:9000"
            public_url = "records.example.gov"
            [office]
            email = "not an address"
            [extensions]
            designees = {}
            [[departments]]
            name = "Police"
            publishers = ["Concord PD"]
            [[departments]]
            name = "Fire"
            publishers = ["concord pd"]
            "#,
        )
        .unwrap_err();
        let said = wrong.to_string();
        for needed in [
            "server.bnd: there is no such setting",
            "RECORDSDESK__SERVER__BND",
            "extensions: there is no such setting",
            "server.public_url \"records.example.gov\" is not an http(s) address",
            "office.email \"not an address\" is not an email address",
            "\"concord pd\" already belongs to",
            "no department has it (add one named \"City Clerk\")",
        ] {
            assert!(said.contains(needed), "{needed} in:\n{said}");
        }
        assert!(checked("").is_ok(), "the defaults hold");
    }

    #[test]
    fn the_default_calendar_closes_on_the_city_holidays_of_years_not_listed() {
        let calendar = Settings::defaults().deadline_policy().calendar;
        // Thanksgiving 2030, and the day after.
        assert!(!calendar.is_business_day(day("2030-11-28")));
        assert!(!calendar.is_business_day(day("2030-11-29")));
        assert!(calendar.is_business_day(day("2030-11-27")));
    }

    #[test]
    fn the_reply_key_is_made_once_and_kept_and_a_configured_one_must_be_hex() {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = Settings::defaults();
        settings.data_dir = dir.path().join("data");
        let tn = crate::domain::input::TrackingNumber::parse("RR-2026-00001").unwrap();
        let first = settings.reply_addresses().unwrap().address(&tn);
        assert!(first.starts_with("cityclerk+RR-2026-00001."), "{first}");
        // A restart reads the same key: addresses already sent still name their request.
        let again = settings.reply_addresses().unwrap();
        assert_eq!(again.address(&tn), first);
        assert_eq!(again.request_of(&first), Some(tn.clone()));
        let kept = std::fs::read_to_string(dir.path().join("data/reply.key")).unwrap();
        assert_eq!(kept.trim().len(), 64);

        settings.mail.reply_key = "ab".repeat(32).into();
        settings.mail.replies_to = "Records <records@concord.example>".into();
        let configured = settings.reply_addresses().unwrap().address(&tn);
        assert!(
            configured.starts_with("records+RR-2026-00001."),
            "{configured}"
        );
        assert!(configured.ends_with("@concord.example"), "{configured}");
        assert_ne!(configured.split('@').next(), first.split('@').next());
        settings.mail.reply_key = "not hex".to_string().into();
        assert!(settings.reply_addresses().is_err());
        settings.mail.reply_key = "ab".repeat(8).into();
        assert!(settings.reply_addresses().is_err(), "too short");
    }

    #[test]
    fn a_local_file_adds_and_removes_closures() {
        let calendar = defaults_with(
            r#"
            [deadlines]
            holidays_removed = ["2030-11-29"]

            [[deadlines.holidays_added]]
            date = "2030-12-23"
            name = "Winter closure"
            "#,
        )
        .deadline_policy()
        .calendar;
        assert!(calendar.is_business_day(day("2030-11-29")));
        assert!(!calendar.is_business_day(day("2030-11-28")));
        assert_eq!(
            calendar.closure(day("2030-12-23")).map(|c| c.to_string()),
            Some("Winter closure".into())
        );
    }

    #[test]
    fn the_old_holidays_list_still_closes_the_office() {
        let calendar = defaults_with(
            r#"
            [deadlines]
            holidays = ["2030-12-23"]
            "#,
        )
        .deadline_policy()
        .calendar;
        assert_eq!(
            calendar.closure(day("2030-12-23")).map(|c| c.to_string()),
            Some(crate::domain::deadlines::LISTED_HOLIDAY_NAME.into())
        );
        assert!(!calendar.is_business_day(day("2030-11-28")));
    }
}
