//! The service under load: a fresh database (SQLite file or PostgreSQL database), the real
//! `recordsdesk` binary run as its own process, its command line, and its memory.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};

/// The server binary cargo built next to this harness (bench profile, so optimised).
const BUILT: &str = env!("CARGO_BIN_EXE_recordsdesk");

static BINARY: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Runs another build of the server (`--server-binary`): a build before a change, measured
/// by the same harness in the same session.
pub fn use_binary(path: &str) {
    let _ = BINARY.set(path.to_string());
}

fn binary() -> &'static str {
    BINARY.get().map(String::as_str).unwrap_or(BUILT)
}

/// A database made for this run, removed with it unless kept.
pub struct Database {
    pub url: String,
    pg: Option<(String, String)>,
    pub keep: bool,
}

impl Database {
    pub fn sqlite(dir: &Path, name: &str) -> Database {
        Database {
            url: format!("sqlite://{}", dir.join(name).display()),
            pg: None,
            keep: false,
        }
    }

    /// A new database on the PostgreSQL server that `admin_url` reaches.
    pub fn postgres(admin_url: &str, name: &str) -> Result<Database, String> {
        let mut admin = PgConnection::establish(admin_url)
            .map_err(|e| format!("PostgreSQL at {admin_url}: {e}"))?;
        admin
            .batch_execute(&format!("CREATE DATABASE {name}"))
            .map_err(|e| format!("create database {name}: {e}"))?;
        let url = recordsdesk::db::postgres_url_for(admin_url, name)
            .ok_or("the PostgreSQL URL must name a database")?;
        Ok(Database {
            url,
            pg: Some((admin_url.to_string(), name.to_string())),
            keep: false,
        })
    }

    /// Bytes on disk: the SQLite file and its WAL, or PostgreSQL's database size.
    pub fn size(&self) -> u64 {
        match &self.pg {
            None => {
                let path = PathBuf::from(self.url.trim_start_matches("sqlite://"));
                let wal = PathBuf::from(format!("{}-wal", path.display()));
                [path, wal]
                    .iter()
                    .filter_map(|p| std::fs::metadata(p).ok())
                    .map(|m| m.len())
                    .sum()
            }
            Some(_) => {
                #[derive(diesel::QueryableByName)]
                struct Size {
                    #[diesel(sql_type = diesel::sql_types::BigInt)]
                    bytes: i64,
                }
                use diesel::RunQueryDsl;
                PgConnection::establish(&self.url)
                    .ok()
                    .and_then(|mut c| {
                        diesel::sql_query("SELECT pg_database_size(current_database()) AS bytes")
                            .get_result::<Size>(&mut c)
                            .ok()
                    })
                    .map(|s| s.bytes as u64)
                    .unwrap_or(0)
            }
        }
    }
}

impl Drop for Database {
    fn drop(&mut self) {
        if self.keep {
            eprintln!("kept the database: {}", self.url);
            return;
        }
        match &self.pg {
            Some((admin_url, name)) => {
                if let Ok(mut admin) = PgConnection::establish(admin_url) {
                    let _ = admin
                        .batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
                }
            }
            None => {
                let path = self.url.trim_start_matches("sqlite://");
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{path}{suffix}"));
                }
            }
        }
    }
}

/// How the server is configured for the run.
#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    pub data_dir: PathBuf,
    /// Send notices (file transport, into the data folder) while serving, or leave them queued.
    pub dispatcher: bool,
    pub pool_size: Option<u32>,
    pub log: String,
}

impl Config {
    fn apply(&self, command: &mut Command) {
        command
            .env("RECORDSDESK_DATABASE_URL", &self.database_url)
            .env("RECORDSDESK_DATA_DIR", &self.data_dir)
            .env("RECORDSDESK_MAIL_TRANSPORT", "file")
            .env(
                "RECORDSDESK__MAIL__DISPATCHER",
                if self.dispatcher { "true" } else { "false" },
            )
            // One address files everything here; the limit is tested in tests/api/limits.rs.
            .env("RECORDSDESK__LIMITS__SUBMISSIONS_PER_MINUTE", "1000000000")
            .env("RUST_LOG", &self.log);
        if let Some(size) = self.pool_size {
            command.env("RECORDSDESK__DATABASE__POOL_SIZE", size.to_string());
        }
    }

    /// Runs a `recordsdesk` command to the end; answers its standard output.
    pub fn cli(&self, args: &[&str], stdin: &str) -> Result<String, String> {
        let mut command = Command::new(binary());
        self.apply(&mut command);
        let mut child = command
            .env("RUST_LOG", "warn")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("run {}: {e}", binary()))?;
        child
            .stdin
            .take()
            .expect("stdin is piped")
            .write_all(stdin.as_bytes())
            .map_err(|e| e.to_string())?;
        let output = child.wait_with_output().map_err(|e| e.to_string())?;
        let stdout = String::from_utf8_lossy(&output.stdout).to_string();
        if !output.status.success() {
            return Err(format!(
                "recordsdesk {args:?} failed ({}): {stdout}{}",
                output.status,
                String::from_utf8_lossy(&output.stderr)
            ));
        }
        Ok(stdout)
    }
}

/// `recordsdesk serve` in its own process, its log in a file.
pub struct Server {
    child: Child,
    pub address: String,
    pub log: PathBuf,
}

impl Server {
    pub fn start(config: &Config) -> Result<Server, String> {
        let log = config.data_dir.join("serve.log");
        let file = std::fs::File::create(&log).map_err(|e| e.to_string())?;
        let mut command = Command::new(binary());
        config.apply(&mut command);
        let child = command
            .args(["serve", "--bind", "127.0.0.1:0"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(file)
            .spawn()
            .map_err(|e| format!("start {}: {e}", binary()))?;
        let mut server = Server {
            child,
            address: String::new(),
            log,
        };
        let waited = Instant::now();
        // A first start after seeding fills the search index first (about a minute per
        // million requests): it listens only then.
        while waited.elapsed() < Duration::from_secs(1800) {
            let text = std::fs::read_to_string(&server.log).unwrap_or_default();
            if let Some(line) = text.lines().find(|l| l.contains("listening on ")) {
                let address = line.split("listening on ").nth(1).unwrap_or("").trim();
                server.address = address.to_string();
                eprintln!(
                    "[load] the server listened {:.1} s after it was started",
                    waited.elapsed().as_secs_f64()
                );
                return Ok(server);
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                return Err(format!("the server exited ({status}):\n{text}"));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Err("the server did not say where it listens within half an hour".into())
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now, and its peak since start (kB → bytes), from /proc.
    pub fn memory(&self) -> Option<(u64, u64)> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        let field = |name: &str| {
            status
                .lines()
                .find(|l| l.starts_with(name))?
                .split_whitespace()
                .nth(1)?
                .parse::<u64>()
                .ok()
                .map(|kb| kb * 1024)
        };
        Some((field("VmRSS:")?, field("VmHWM:")?))
    }

    /// CPU time used so far, in clock ticks (utime + stime of /proc/PID/stat).
    fn cpu_ticks(&self) -> Option<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).ok()?;
        // Fields after the parenthesised command name; utime and stime are the 12th and 13th.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
    }

    /// Waits until the server is idle (under 2 ticks of CPU in half a second, twice running):
    /// its start-up work (the first round of deadline reminders) must not run into the
    /// measurements. Answers how long that took.
    pub fn settle(&self) -> Duration {
        let began = Instant::now();
        let mut quiet = 0;
        let mut last = self.cpu_ticks().unwrap_or(0);
        while quiet < 2 && began.elapsed() < Duration::from_secs(1800) {
            std::thread::sleep(Duration::from_millis(500));
            let now = self.cpu_ticks().unwrap_or(0);
            quiet = if now.saturating_sub(last) < 2 {
                quiet + 1
            } else {
                0
            };
            last = now;
        }
        began.elapsed()
    }

    /// SIGTERM, as an operator stops it; SIGKILL if it has not stopped in 30 s.
    pub fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid().to_string()])
            .status();
        let asked = Instant::now();
        while asked.elapsed() < Duration::from_secs(30) {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// Samples a process's resident memory until stopped; answers the largest value seen.
pub struct MemoryWatch {
    stop: std::sync::Arc<std::sync::atomic::AtomicBool>,
    thread: std::thread::JoinHandle<u64>,
}

impl MemoryWatch {
    pub fn start(pid: u32) -> MemoryWatch {
        use std::sync::atomic::{AtomicBool, Ordering};
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut peak = 0;
            while !flag.load(Ordering::Relaxed) {
                let status =
                    std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
                let rss = status
                    .lines()
                    .find(|l| l.starts_with("VmRSS:"))
                    .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
                    .unwrap_or(0);
                peak = peak.max(rss * 1024);
                std::thread::sleep(Duration::from_millis(20));
            }
            peak
        });
        MemoryWatch { stop, thread }
    }

    pub fn finish(self) -> u64 {
        self.stop.store(true, std::sync::atomic::Ordering::Relaxed);
        self.thread.join().unwrap_or(0)
    }
}
