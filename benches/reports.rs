//! How long the reports page takes with a large history (issue 8): seeds N requests
//! (`recordsdesk::seed`, default 100,000) into a SQLite file in a temporary folder, starts the
//! real server in this process, signs a clerk in through the sign-in form, and times
//! `GET /staff/reports` over the whole seeded history and over the default period (the last
//! twelve months), a few runs each, printing every run and the median; then prints the figures
//! the page showed (its CSV).
//!
//! `cargo bench --bench reports` or `cargo bench --bench reports -- 300000 9` (requests, runs).
//! `--postgres[=ADMIN_URL]` seeds a new PostgreSQL database on that server instead (dropped at
//! the end); `--db=URL` uses a database of its own, seeded only when it has no requests and
//! never removed, so one large seed serves several runs (before and after a change); `--keep`
//! keeps the temporary SQLite file or PostgreSQL database.

use std::time::{Duration, Instant};

use recordsdesk::app::admin;
use recordsdesk::app::staff::RawStaffAccount;
use recordsdesk::config::Settings;
use recordsdesk::startup::{open_database, Application};

#[path = "support/pg.rs"]
mod pg;
use pg::{flag, PgDatabase};

const PASSWORD: &str = "a long bench password";
fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[(runs.len() - 1) / 2]
}

fn csrf_in(page: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let at = page.find(marker).expect("a CSRF token") + marker.len();
    page[at..at + page[at..].find('"').unwrap()].to_string()
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let keep = flag("--keep").is_some();
    let requests: u64 = args.first().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let runs: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(7);

    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::defaults();
    settings.data_dir = dir.path().to_path_buf();
    settings.database.url = format!("sqlite://{}/reports.db", dir.path().display()).into();
    let mut _pg = None;
    if let Some(url) = flag("--db") {
        settings.database.url = url.into();
    } else if let Some(admin) = flag("--postgres") {
        let (pg, url) = PgDatabase::create(admin, "rd_reports", keep);
        settings.database.url = url.into();
        _pg = Some(pg);
    }
    let dir = if keep || flag("--db").is_some() {
        let files = dir.keep();
        eprintln!(
            "the database: {}, its files in {}",
            settings.database.url.expose(),
            files.display()
        );
        None
    } else {
        Some(dir)
    };
    settings.server.bind = "127.0.0.1:0".into();
    settings.mail.dispatcher = false;

    let started = Instant::now();
    match recordsdesk::seed::seed(
        &settings,
        &recordsdesk::seed::Plan::new(requests),
        &mut |_, _| {},
    ) {
        Ok(seeded) => eprintln!(
            "seeded {} requests ({} determinations) in {:.1} s",
            seeded.requests,
            seeded.determinations,
            started.elapsed().as_secs_f64()
        ),
        // `--db` with a seeded database: measured as it is.
        Err(recordsdesk::seed::SeedError::NotEmpty(n)) if flag("--db").is_some() => {
            eprintln!("the database has {n} requests already: not seeded")
        }
        Err(e) => panic!("seeding: {e}"),
    }
    let db = open_database(&settings).unwrap();
    let clerk = RawStaffAccount {
        email: "clerk@city.test".into(),
        name: "Clerk".into(),
        role: "clerk".into(),
        department: None,
        title: None,
        password: PASSWORD.into(),
    };
    // A reused database has its clerk from the first run.
    if let Err(e) = admin::add_staff(&db, clerk) {
        assert!(flag("--db").is_some(), "a clerk: {e}");
    }

    // Seeding runs its own runtime to make the model requests; the server gets another.
    tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(measure(settings, runs));
    drop(dir);
}

async fn measure(settings: Settings, runs: usize) {
    let app = Application::build(&settings).expect("the server starts");
    let base = format!("http://127.0.0.1:{}", app.port());
    tokio::spawn(app.run_until_stopped());
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let form = client
        .get(format!("{base}/staff/login"))
        .send()
        .await
        .unwrap();
    let csrf = csrf_in(&form.text().await.unwrap());
    let signed = client
        .post(format!("{base}/staff/login"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "clerk@city.test"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed.status(), 303, "signed in");

    let ctx = recordsdesk::app::Ctx::from_settings(&settings).unwrap();
    let today = ctx.clock.today();
    let all = format!("from={}&to={today}", today - chrono::Months::new(12 * 4));
    // The baseline, timed in the same runs: the staff queue page (its first 50 rows), a page
    // of the same server, session and database that reads by index. Each report is given as
    // a multiple of it, which holds better than milliseconds on a shared machine.
    let time = |path: String| {
        let client = client.clone();
        async move {
            let t = Instant::now();
            let reply = client.get(path).send().await.unwrap();
            assert_eq!(reply.status(), 200);
            let size = reply.bytes().await.unwrap().len();
            (t.elapsed(), size)
        }
    };
    for (name, query) in [
        ("whole history (4 years)", all.as_str()),
        ("default period (12 months)", ""),
    ] {
        let (mut times, mut baseline) = (Vec::new(), Vec::new());
        let mut size = 0;
        for _ in 0..runs {
            baseline.push(time(format!("{base}/staff/queue")).await.0);
            let (took, bytes) = time(format!("{base}/staff/reports?{query}")).await;
            times.push(took);
            size = bytes;
        }
        let shown: Vec<String> = times
            .iter()
            .map(|t| format!("{:.0}", t.as_secs_f64() * 1000.0))
            .collect();
        let (report, queue) = (median(times), median(baseline));
        println!(
            "GET /staff/reports, {name}: median {:.0} ms over {runs} runs ({} ms), page {} KB; \
             the queue page in the same runs {:.1} ms: {:.0}x",
            report.as_secs_f64() * 1000.0,
            shown.join(", "),
            size / 1024,
            queue.as_secs_f64() * 1000.0,
            report.as_secs_f64() / queue.as_secs_f64()
        );
    }
    let csv = client
        .get(format!("{base}/staff/reports.csv?{all}"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    println!("\nThe figures of the whole history (CSV):\n{csv}");
}
