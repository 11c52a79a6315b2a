//! The load harness (issue 7). One run, on one fresh database:
//!
//! 1. optionally seeds N requests of history (`--seed N`, see `recordsdesk::seed`);
//! 2. measures the storage ceiling: the rows of a submission inserted straight with diesel,
//!    one transaction per row-set, at the same concurrency and database settings;
//! 3. starts the release server (`recordsdesk serve`) as its own process and measures the
//!    HTTP ceiling (`GET /healthz`), then submissions (every answer must be 201), reads every
//!    acknowledged request back with its token, transitions (a clerk takes each one up), and
//!    reads: the queue API and page with cursor paging, a request's API read and its page;
//! 4. times `recordsdesk audit verify` over every chain;
//! 5. prints one table: throughput, p50, p99, and each figure over its ceilings.
//!
//! ```text
//! cargo bench --bench load -- [--backend sqlite|postgres] [--concurrency 64] [--seconds 10]
//!                              [--seed N] [--mail off|file] [--markdown] [--keep]
//! ```
//! Cargo builds the server binary with the bench profile (optimised) before running this.
//! It exits 1 when any answer was wrong, so a run is also a correctness check under load.

mod drive;
mod outbox;
mod phases;
mod report;
mod server;
mod storage;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use recordsdesk::config::Settings;

use drive::Stats;
use phases::{Filed, Findable, Sought, View};
use report::{megabytes, Kind, Row, Table};
use server::{Config, Database, MemoryWatch, Server};

#[derive(Debug, Parser)]
#[command(about = "recordsdesk load harness: throughput and latency against same-run ceilings")]
struct Args {
    /// sqlite (a file in --dir) or postgres (a new database on --pg-url's server).
    #[arg(long, default_value = "sqlite", value_parser = ["sqlite", "postgres"])]
    backend: String,
    /// Clients at once, for every phase and for the storage ceiling.
    #[arg(long, default_value_t = 64)]
    concurrency: usize,
    /// Length of each timed phase.
    #[arg(long, default_value_t = 10.0)]
    seconds: f64,
    /// Requests of history to seed before the server starts.
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The server's database pool size (default: the server's own default).
    #[arg(long)]
    pool_size: Option<u32>,
    /// `off`: notices stay queued; `file`: the dispatcher writes them as .eml files while
    /// serving (and competes for the database, as it does in production).
    #[arg(long, default_value = "off", value_parser = ["off", "file"])]
    mail: String,
    /// How many pages deep each queue reader follows the cursor before starting again.
    #[arg(long, default_value_t = 20)]
    queue_depth: usize,
    /// The server's RUST_LOG (its default is info: one access-log line per call).
    #[arg(long, default_value = "info")]
    server_log: String,
    #[arg(
        long,
        env = "RECORDSDESK_LOAD_PG_URL",
        default_value = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"
    )]
    pg_url: String,
    /// Where the SQLite files and the server's log go (default: a temporary folder).
    #[arg(long)]
    dir: Option<PathBuf>,
    /// Keep the database and the folder afterwards.
    #[arg(long)]
    keep: bool,
    /// Also print the table as markdown (for docs/PERFORMANCE.md).
    #[arg(long)]
    markdown: bool,
    /// Stop after the write phases (submissions, read-back, transitions): for working on
    /// the write path. Such a run is not a full result.
    #[arg(long)]
    writes_only: bool,
    /// Another build of the server to run (a build before a change); the seeder, ceilings
    /// and clients stay this harness's own.
    #[arg(long)]
    server_binary: Option<String>,
    /// How many `serve` processes share the database (PostgreSQL only; issue 26). Filings go
    /// to each in turn; the other phases use the first.
    #[arg(long, default_value_t = 1)]
    instances: usize,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

const CLERK: &str = "load.clerk@cityofconcord.org";
const PASSWORD: &str = "load harness clerk password";

fn note(text: &str) {
    eprintln!("[{:>7.1}s] {text}", started().elapsed().as_secs_f64());
}

fn started() -> &'static Instant {
    static START: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();
    START.get_or_init(Instant::now)
}

fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|l| l.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_default()
}

fn commit() -> String {
    std::process::Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn database(args: &Args, dir: &std::path::Path, name: &str, run: &str) -> Database {
    let mut db = match args.backend.as_str() {
        "postgres" => Database::postgres(&args.pg_url, &format!("rd_load_{run}_{name}"))
            .unwrap_or_else(|e| fail(&e)),
        _ => Database::sqlite(dir, &format!("{name}.db")),
    };
    db.keep = args.keep;
    db
}

fn fail(message: &str) -> ! {
    eprintln!("load harness: {message}");
    std::process::exit(2)
}

/// `recordsdesk audit verify`, timed; answers events per second.
fn audit_verify(config: &Config) -> Stats {
    let began = Instant::now();
    let out = config.cli(&["audit", "verify"], "");
    let seconds = began.elapsed().as_secs_f64();
    let mut stats = match &out {
        Ok(text) => {
            // "audit: 12 chains, 345 events: every chain holds"
            let events = text
                .split(" chains, ")
                .nth(1)
                .and_then(|rest| rest.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            Stats::once(
                "recordsdesk audit verify (all chains)",
                "events",
                events,
                seconds,
            )
        }
        Err(_) => Stats::once(
            "recordsdesk audit verify (all chains)",
            "events",
            0,
            seconds,
        ),
    };
    if let Err(e) = out {
        stats.ok = 0;
        stats.errors = 1;
        stats.error_samples.push(e);
    }
    stats
}

fn main() {
    let args = Args::parse();
    started();
    if let Some(path) = &args.server_binary {
        server::use_binary(path);
    }
    if args.instances == 0 || (args.instances > 1 && args.backend != "postgres") {
        fail("--instances: 1, or more on PostgreSQL (a SQLite database belongs to one process)");
    }
    let run = recordsdesk::secrets::random_hex(4);
    let pool_size = args
        .pool_size
        .unwrap_or(Settings::defaults().database.pool_size);
    let temp = tempfile::Builder::new()
        .prefix("recordsdesk-load-")
        .tempdir_in(args.dir.clone().unwrap_or_else(std::env::temp_dir))
        .unwrap_or_else(|e| fail(&format!("a folder for the run: {e}")));
    let dir = temp.path().to_path_buf();
    let load_before = load_average();
    println!(
        "recordsdesk load run {run}: commit {}, backend {}, {} clients, {} s per phase, seed {}, \
         server pool {pool_size}, mail dispatcher {}, server log {:?}, {} cores, load average {load_before}, \
         {} instance(s)",
        commit(),
        args.backend,
        args.concurrency,
        args.seconds,
        args.seed,
        if args.mail == "file" { "on (file transport)" } else { "off (notices stay queued)" },
        args.server_log,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        args.instances,
    );

    if let Some(path) = &args.server_binary {
        println!("server binary: {path} (not this commit's)");
    }
    let db = database(&args, &dir, "service", &run);
    let config = Config {
        database_url: db.url.clone(),
        data_dir: dir.clone(),
        dispatcher: args.mail == "file",
        pool_size: args.pool_size,
        log: args.server_log.clone(),
    };
    config.cli(&["migrate"], "").unwrap_or_else(|e| fail(&e));
    config
        .cli(
            &[
                "staff",
                "add",
                "--email",
                CLERK,
                "--name",
                "Load Clerk",
                "--role",
                "clerk",
                "--password-stdin",
            ],
            &format!("{PASSWORD}\n"),
        )
        .unwrap_or_else(|e| fail(&e));

    let mut seeded: Vec<Filed> = Vec::new();
    let mut findable: Vec<Findable> = Vec::new();
    let mut seed_line = String::new();
    if args.seed > 0 {
        note(&format!("seeding {} requests", args.seed));
        let mut settings = Settings::defaults();
        settings.database.url = db.url.clone().into();
        settings.data_dir = dir.clone();
        let mut shown = 0;
        let report = recordsdesk::seed::seed(
            &settings,
            &recordsdesk::seed::Plan::new(args.seed),
            &mut |done, of| {
                if done * 10 / of.max(1) > shown {
                    shown = done * 10 / of.max(1);
                    note(&format!("seeded {done} of {of}"));
                }
            },
        )
        .unwrap_or_else(|e| fail(&format!("seeding: {e}")));
        seed_line = format!(
            "seeded {} requests ({} audit events, {} notices, {} determinations) in {:.1} s = {:.0} requests/s \
             ({:.1} s of it writing); database {}",
            report.requests,
            report.events,
            report.notices,
            report.determinations,
            report.seconds,
            report.requests as f64 / report.seconds,
            report.write_seconds,
            megabytes(db.size()),
        );
        note(&seed_line);
        findable = report
            .sample
            .iter()
            .map(|s| Findable {
                tracking_number: s.tracking_number.clone(),
                email: s.email.clone(),
            })
            .collect();
        seeded = report
            .sample
            .into_iter()
            .map(|s| Filed {
                tracking_number: s.tracking_number,
                token: s.token,
            })
            .collect();
    }

    note("storage ceiling");
    let storage = {
        // Scratch rows: never kept.
        let mut scratch = database(&args, &dir, "ceiling", &run);
        scratch.keep = false;
        storage::ceiling(&scratch.url, pool_size, args.concurrency, args.seconds)
            .unwrap_or_else(|e| fail(&format!("storage ceiling: {e}")))
    };

    note("starting the server");
    let server = Server::start(&config).unwrap_or_else(|e| fail(&e));
    let settled = server.settle();
    note(&format!(
        "the server is idle {:.1} s after it started listening",
        settled.as_secs_f64()
    ));
    let (idle_rss, _) = server.memory().unwrap_or_default();
    // Further instances on the same database, each with a data folder of its own (its
    // anchor file and mail), as on separate machines.
    let others: Vec<Server> = (1..args.instances)
        .map(|i| {
            let folder = dir.join(format!("instance-{}", i + 1));
            std::fs::create_dir_all(&folder).unwrap_or_else(|e| fail(&e.to_string()));
            let other = Config {
                data_dir: folder,
                ..config.clone()
            };
            let started = Server::start(&other).unwrap_or_else(|e| fail(&e));
            started.settle();
            started
        })
        .collect();
    let addresses: Vec<String> = std::iter::once(server.address.clone())
        .chain(others.iter().map(|s| s.address.clone()))
        .collect();
    if addresses.len() > 1 {
        note(&format!(
            "{} instances: {}",
            addresses.len(),
            addresses.join(", ")
        ));
    }

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let c = args.concurrency;
    let seconds = args.seconds;
    let address = server.address.clone();
    let findable = Arc::new(findable);
    let dispatcher = config.dispatcher;
    let (rows, peak_rss, readable, backlog) = runtime.block_on(async {
        let client = reqwest::Client::builder()
            .pool_max_idle_per_host(c)
            .timeout(Duration::from_secs(60))
            .build()
            .expect("an HTTP client");
        let clerk = phases::login(&client, &address, CLERK, PASSWORD)
            .await
            .unwrap_or_else(|e| fail(&e));
        let pages = phases::page_client(&address, CLERK, PASSWORD)
            .await
            .unwrap_or_else(|e| fail(&e));
        let mut rows = Vec::new();

        note("HTTP ceiling");
        rows.push(Row {
            stats: phases::healthz(&client, &address, c, seconds).await,
            kind: Kind::Baseline,
        });

        note("submissions");
        let watch = MemoryWatch::start(server.pid());
        // With the dispatcher on, whether it keeps up: the outbox watched through the phase
        // and until it is empty again, before the next phase starts.
        let notices = match dispatcher {
            true => Some(outbox::OutboxWatch::start(&db.url).unwrap_or_else(|e| fail(&e))),
            false => None,
        };
        let (submitted, filed) = phases::submissions(&client, &addresses, c, seconds, &run).await;
        let peak_rss = watch.finish();
        let backlog = match notices {
            Some(watch) => {
                note("waiting for the outbox to empty");
                let patience = Duration::from_secs_f64(seconds.max(60.0) * 2.0);
                Some(
                    tokio::task::spawn_blocking(move || watch.finish(patience))
                        .await
                        .unwrap_or_else(|e| fail(&e.to_string())),
                )
            }
            None => None,
        };
        rows.push(Row {
            stats: submitted,
            kind: Kind::Write,
        });
        let filed = Arc::new(filed);

        note(&format!(
            "reading back {} acknowledged requests",
            filed.len()
        ));
        let back = phases::read_back(&client, &address, c, filed.clone()).await;
        let readable = back.ok == filed.len() as u64 && back.errors == 0;
        rows.push(Row {
            stats: back,
            kind: Kind::Read,
        });

        note("transitions");
        let moved = phases::transitions(&client, &address, c, seconds, &clerk, filed.clone()).await;
        rows.push(Row {
            stats: moved,
            kind: Kind::Write,
        });

        let mut pool: Vec<Filed> = seeded;
        pool.extend(filed.iter().cloned());
        let pool = Arc::new(pool);
        let filtered = View {
            queue: Some("city_clerk"),
            status: Some("under_review"),
        };
        let default = View {
            queue: None,
            status: None,
        };
        let depth = args.queue_depth;
        // Throughput at full concurrency, then the service time of one client alone (with
        // its own HTTP ceiling): at 64 clients on 2 cores every latency includes queueing.
        let mut read_clients = vec![c];
        if c != 1 {
            read_clients.push(1);
        }
        if args.writes_only {
            read_clients.clear();
        }
        if !findable.is_empty() && !read_clients.is_empty() {
            note(&phases::search_sizes(&client, &address, &clerk).await);
        }
        for n in read_clients {
            note(&format!("reads, {n} clients"));
            if n != c {
                let stats = phases::healthz(&client, &address, n, seconds).await;
                rows.push(Row {
                    stats,
                    kind: Kind::Baseline,
                });
            }
            for view in [filtered, default] {
                let stats =
                    phases::queue_api(&client, &address, n, seconds, &clerk, view, depth).await;
                rows.push(Row {
                    stats,
                    kind: Kind::Read,
                });
                let stats = phases::queue_page(&pages, &address, n, seconds, view, depth).await;
                rows.push(Row {
                    stats,
                    kind: Kind::Read,
                });
            }
            let staff = Some(clerk.as_str());
            let stats =
                phases::request_api(&client, &address, n, seconds, pool.clone(), staff).await;
            rows.push(Row {
                stats,
                kind: Kind::Read,
            });
            let stats =
                phases::request_api(&client, &address, n, seconds, pool.clone(), None).await;
            rows.push(Row {
                stats,
                kind: Kind::Read,
            });
            let stats = phases::case_page(&pages, &address, n, seconds, pool.clone()).await;
            rows.push(Row {
                stats,
                kind: Kind::Read,
            });
            if !findable.is_empty() {
                for sought in [
                    Sought::TwoWords,
                    Sought::OneWord,
                    Sought::TrackingNumber,
                    Sought::Email,
                ] {
                    let stats = phases::search(
                        &client,
                        &address,
                        n,
                        seconds,
                        &clerk,
                        sought,
                        findable.clone(),
                    )
                    .await;
                    rows.push(Row {
                        stats,
                        kind: Kind::Read,
                    });
                }
            }
        }
        (rows, peak_rss, readable, backlog)
    });
    let (_, high_water) = server.memory().unwrap_or_default();
    server.stop();
    for other in others {
        other.stop();
    }

    let mut rows = rows;
    if !args.writes_only {
        note("audit verify");
        rows.push(Row {
            stats: audit_verify(&config),
            kind: Kind::Command,
        });
    }
    let database_size = db.size();
    rows.insert(
        1,
        Row {
            stats: storage,
            kind: Kind::Baseline,
        },
    );

    let storage_rate = rows[1].stats.rate();
    let table = Table {
        rows,
        storage: storage_rate,
    };
    println!();
    println!("{}", table.text());
    if args.markdown {
        println!();
        println!("{}", table.markdown());
    }
    println!();
    if !seed_line.is_empty() {
        println!("{seed_line}");
    }
    println!(
        "memory (server RSS): idle {}, peak during submissions {}, high-water mark {}",
        megabytes(idle_rss),
        megabytes(peak_rss),
        megabytes(high_water)
    );
    println!(
        "start-up: idle {:.1} s after listening (the first round of deadline reminders)",
        settled.as_secs_f64()
    );
    println!("database at the end: {}", megabytes(database_size));
    if let Some(backlog) = &backlog {
        println!("{}", backlog.summary());
        println!("{}", backlog.series());
    }
    println!(
        "load average: {load_before} before, {} after",
        load_average()
    );
    let failed: Vec<&Row> = table.rows.iter().filter(|r| r.stats.errors > 0).collect();
    println!(
        "every 201 readable afterwards: {}",
        if readable { "yes" } else { "NO" }
    );
    for row in &failed {
        println!(
            "ERRORS in {}: {} (first ones below)",
            row.stats.name, row.stats.errors
        );
        for e in &row.stats.error_samples {
            println!("  {e}");
        }
    }
    if args.keep {
        let kept = temp.keep();
        println!("kept {}", kept.display());
    }
    drop(db);
    if !failed.is_empty() || !readable {
        std::process::exit(1);
    }
}
