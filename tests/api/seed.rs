//! The load harness's seeded history (`recordsdesk::seed`): cloned requests must be as good
//! as filed ones — their chains verify, their tokens work, the queue pages through them, and
//! the service carries on numbering and moving requests after them.

use std::collections::{BTreeMap, HashSet};

use diesel::prelude::*;
use recordsdesk::db::schema::requests;
use recordsdesk::domain::Status;
use recordsdesk::seed::{self, Plan, Report, SeedError};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

const CLONES: u64 = 300;

/// Seeds on a thread of its own: the seeder drives the notice dispatcher on its own runtime.
async fn seeded(app: &TestApp) -> Result<Report, SeedError> {
    let settings = app.settings.clone();
    tokio::task::spawn_blocking(move || {
        std::thread::spawn(move || {
            let plan = Plan {
                sample: 40,
                ..Plan::new(CLONES)
            };
            seed::seed(&settings, &plan, &mut |_, _| {})
        })
        .join()
        .expect("the seeder does not panic")
    })
    .await
    .unwrap()
}

fn statuses(app: &TestApp) -> BTreeMap<String, i64> {
    app.with_conn(|conn| {
        requests::table
            .group_by(requests::status)
            .select((requests::status, diesel::dsl::count_star()))
            .load::<(String, i64)>(conn)
    })
    .into_iter()
    .collect()
}

#[tokio::test]
async fn a_seeded_history_verifies_and_reads_like_requests_filed_through_the_api() {
    let app = spawn_app().await;
    let report = seeded(&app).await.expect("seeding an empty database");
    assert_eq!(report.models, 40, "4 sources × 10 end states");
    assert_eq!(report.requests, 40 + CLONES);
    assert_eq!(app.counts().requests, report.requests as i64);
    assert_eq!(app.counts().audit_events, report.events as i64);
    assert_eq!(app.counts().outbox, report.notices as i64);
    let by_status = statuses(&app);
    // The seed writes requests; complaints are filed and walked in tests/api/complaints.rs.
    for status in Status::ALL.into_iter().filter(|s| !s.is_complaint_state()) {
        assert!(
            by_status.get(status.as_str()).is_some_and(|n| *n > 0),
            "{by_status:?}"
        );
    }

    let verify = app.cli(&["audit", "verify"], None).await;
    let stdout = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{stdout}");
    assert!(
        stdout.contains(&format!(
            "{} chains, {} events: every chain holds",
            report.requests, report.events
        )),
        "{stdout}"
    );

    // Each sampled request opens with its own token, as its requester sees it, and not with
    // another's.
    assert_eq!(report.sample.len(), 40);
    for (n, sampled) in report.sample.iter().enumerate() {
        let path = format!("/api/v1/requests/{}", sampled.tracking_number);
        let own = app.get(&path, Some(&sampled.token)).await;
        assert_eq!(own.status, StatusCode::OK, "{:?}", own.body);
        assert_eq!(own.body["status"], sampled.status.as_str());
        assert_eq!(own.body["queue"], sampled.queue.as_str());
        let other = &report.sample[(n + 1) % report.sample.len()];
        let theirs = app.get(&path, Some(&other.token)).await;
        assert_eq!(theirs.status, StatusCode::NOT_FOUND);
    }
}

/// Follows the queue's cursors to the end, 7 a page: (due date, tracking number, status) of
/// every item, after checking they come in due-date order and each once.
async fn walk(app: &TestApp, clerk: &str, filter: &str) -> Vec<(String, String, String)> {
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/api/v1/queue?limit=7&{filter}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = app.get(&path, Some(clerk)).await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        for item in page.body["items"].as_array().unwrap() {
            let text = |key: &str| item[key].as_str().unwrap().to_string();
            seen.push((text("due_on"), text("tracking_number"), text("status")));
        }
        match page.body["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0), "{seen:?}");
    let distinct: HashSet<&String> = seen.iter().map(|(_, tn, _)| tn).collect();
    assert_eq!(distinct.len(), seen.len(), "no request twice");
    seen
}

#[tokio::test]
async fn the_queue_pages_through_a_seeded_history_and_work_carries_on_after_it() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let report = seeded(&app).await.expect("seeding an empty database");

    // Every submitted request of the Clerk's queue, page by page, in due-date order.
    let count = |queue: Option<&str>, statuses: &[&str]| -> i64 {
        let statuses: Vec<String> = statuses.iter().map(|s| s.to_string()).collect();
        let queue = queue.map(str::to_string);
        app.with_conn(move |conn| {
            let mut query = requests::table
                .filter(requests::status.eq_any(statuses))
                .into_boxed();
            if let Some(queue) = queue {
                query = query.filter(requests::queue.eq(queue));
            }
            query.count().get_result(conn)
        })
    };
    let seen = walk(&app, &clerk, "queue=city_clerk&status=submitted").await;
    assert_eq!(seen.len() as i64, count(Some("city_clerk"), &["submitted"]));
    assert!(seen.iter().all(|(_, _, status)| status == "submitted"));

    // The default view: every open request, of every queue and open status, merged in order.
    let open = [
        "submitted",
        "under_review",
        "appealed",
        "administrative_review",
    ];
    let everything_open = walk(&app, &clerk, "").await;
    assert_eq!(everything_open.len() as i64, count(None, &open));
    for status in open {
        assert!(
            everything_open.iter().any(|(_, _, s)| s == status),
            "{status}"
        );
    }

    // A clerk takes the first one up; the chain it extends still holds.
    let first = &seen[0].1;
    let taken = app
        .must_transition(first, &clerk, json!({ "to": "under_review" }))
        .await;
    assert_eq!(taken["status"], "under_review");

    // A new request is numbered after the seeded ones of its year.
    let filed = app.submit_records_request().await;
    let taken_numbers: HashSet<String> = app
        .with_conn(|conn| {
            requests::table
                .filter(requests::tracking_number.ne(&filed.tracking_number))
                .select(requests::tracking_number)
                .load::<String>(conn)
        })
        .into_iter()
        .collect();
    assert!(!taken_numbers.contains(&filed.tracking_number));
    let year = &filed.tracking_number[3..7];
    let number = |tn: &str| tn[8..].parse::<u64>().unwrap();
    let highest_seeded = taken_numbers
        .iter()
        .filter(|tn| &tn[3..7] == year)
        .map(|tn| number(tn))
        .max()
        .unwrap();
    assert_eq!(number(&filed.tracking_number), highest_seeded + 1);

    let verify = app.cli(&["audit", "verify"], None).await;
    assert!(
        verify.status.success(),
        "{}",
        String::from_utf8_lossy(&verify.stdout)
    );
    assert_eq!(app.counts().requests, report.requests as i64 + 1);
}

#[tokio::test]
async fn seeding_refuses_a_database_that_already_has_requests() {
    let app = spawn_app().await;
    app.submit_records_request().await;
    let before = app.counts();
    match seeded(&app).await {
        Err(SeedError::NotEmpty(1)) => {}
        other => panic!("expected a refusal, got {other:?}"),
    }
    assert_eq!(app.counts(), before);
}
