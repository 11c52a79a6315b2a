//! The staff queue: due-date order, filters, paging, and who sees what.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

fn tracking_numbers(reply: &Reply) -> Vec<String> {
    // Owned strings, compared with the filed tracking numbers below.
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["tracking_number"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_queue_is_sorted_by_due_date_and_pages_by_cursor() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let mut filed = Vec::new();
    for _ in 0..5 {
        filed.push(app.submit_records_request().await.tracking_number);
    }
    // Extending the first pushes it to the end of the queue.
    app.post(
        &format!("/api/v1/requests/{}/extension", filed[0]),
        Some(&clerk),
        &json!({ "days": 7, "circumstance": "consultation" }),
    )
    .await;

    let first = app.get("/api/v1/queue?limit=2", Some(&clerk)).await;
    assert_eq!(
        tracking_numbers(&first),
        [filed[1].clone(), filed[2].clone()]
    );
    let cursor = first.body["next_cursor"].as_str().unwrap();
    let second = app
        .get(
            &format!("/api/v1/queue?limit=2&cursor={cursor}"),
            Some(&clerk),
        )
        .await;
    assert_eq!(
        tracking_numbers(&second),
        [filed[3].clone(), filed[4].clone()]
    );
    let cursor = second.body["next_cursor"].as_str().unwrap();
    let last = app
        .get(
            &format!("/api/v1/queue?limit=2&cursor={cursor}"),
            Some(&clerk),
        )
        .await;
    assert_eq!(tracking_numbers(&last), vec![filed[0].clone()]);
    assert!(last.body["next_cursor"].is_null());
}

#[tokio::test]
async fn the_queue_filters_by_status_assignee_and_overdue() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let a = app.submit_records_request().await.tracking_number;
    let b = app.submit_records_request().await.tracking_number;
    let c = app.submit_records_request().await.tracking_number;
    app.must_transition(&b, &clerk, json!({ "to": "under_review" }))
        .await;
    app.must_transition(&c, &clerk, json!({ "to": "under_review" }))
        .await;
    app.must_transition(&c, &clerk, denial()).await;

    // Open requests by default; a decided one only when asked for.
    assert_eq!(
        tracking_numbers(&app.get("/api/v1/queue", Some(&clerk)).await),
        vec![a.clone(), b.clone()]
    );
    assert_eq!(
        tracking_numbers(&app.get("/api/v1/queue?status=denied", Some(&clerk)).await),
        vec![c.clone()]
    );
    assert_eq!(
        tracking_numbers(&app.get("/api/v1/queue?assignee=me", Some(&clerk)).await),
        vec![b.clone()]
    );
    assert_eq!(
        tracking_numbers(&app.get("/api/v1/queue?assignee=none", Some(&clerk)).await),
        vec![a.clone()]
    );
    assert_eq!(
        tracking_numbers(&app.get("/api/v1/queue?queue=police", Some(&clerk)).await),
        Vec::<String>::new()
    );

    // Let the clock run out on `a`.
    app.sql(&format!(
        "UPDATE requests SET due_on = '2020-01-06' WHERE tracking_number = '{a}'"
    ))
    .unwrap();
    let overdue = app.get("/api/v1/queue?overdue=true", Some(&clerk)).await;
    assert_eq!(tracking_numbers(&overdue), vec![a.clone()]);
    assert_eq!(overdue.body["items"][0]["overdue"], true);
}

#[tokio::test]
async fn bad_queue_filters_are_422() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let reply = app
        .get(
            "/api/v1/queue?status=lost&limit=0&cursor=zzz&overdue=maybe&assignee=nobody",
            Some(&clerk),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.field_errors(),
        ["assignee", "cursor", "limit", "overdue", "status"]
    );
}

#[tokio::test]
async fn the_queue_page_speaks_in_words_and_its_counts_filter() {
    let app = spawn_app().await;
    let admin = app.staff("admin@city.test", "admin", None).await;
    app.add_staff("pat@city.test", "Pat Records", "clerk", None);
    let late = app.submit_records_request().await;
    let fresh = app.submit_records_request().await;
    app.must_transition(
        &fresh.tracking_number,
        &admin,
        json!({ "to": "under_review" }),
    )
    .await;
    let assigned = app
        .post(
            &format!("/api/v1/requests/{}/assign", fresh.tracking_number),
            Some(&admin),
            &json!({ "assignee": "pat@city.test" }),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);
    // Three days past its due date in the city.
    let today = chrono::Utc::now()
        .with_timezone(&chrono_tz::America::Los_Angeles)
        .date_naive();
    let due = today - chrono::Days::new(3);
    app.sql(&format!(
        "UPDATE requests SET determination_due = '{due}', due_on = '{due}' \
         WHERE tracking_number = '{}'",
        late.tracking_number
    ))
    .unwrap();

    let pages = app.signed_in_pages("admin@city.test").await;
    let page = page_text(&pages, app.url("/staff/queue")).await;
    for shown in [
        "Public records",
        "City clerk",
        "Overdue by 3 days",
        "Received, waiting for review",
        "Nobody yet",
        "Pat Records",
        "<option value=\"city_clerk\"",
        "href=\"/staff/queue?status=under_review\"",
    ] {
        assert!(page.contains(shown), "the queue lacks {shown:?}:\n{page}");
    }
    assert!(
        !page.contains(">under_review<") && !page.contains("pat@city.test"),
        "{page}"
    );

    // A count is a link that filters the list to its status.
    let filtered = page_text(&pages, app.url("/staff/queue?status=under_review")).await;
    assert!(filtered.contains(&fresh.tracking_number), "{filtered}");
    assert!(!filtered.contains(&late.tracking_number), "{filtered}");
    assert!(filtered.contains("Clear the filters"), "{filtered}");

    // Empty lists say why: nothing matches, or nothing is waiting at all.
    let none = page_text(&pages, app.url("/staff/queue?status=withdrawn")).await;
    assert!(none.contains("No requests match these filters"), "{none}");
    app.add_staff("steward@city.test", "Sam Steward", "steward", Some("parks"));
    let steward = app.signed_in_pages("steward@city.test").await;
    let empty = page_text(&steward, app.url("/staff/queue")).await;
    assert!(empty.contains("No requests are waiting for you"), "{empty}");
    assert!(!empty.contains("match these filters"), "{empty}");
}

/// A reviewer lands on the appeals waiting for a reviewer, and an empty landing says so plainly.
#[tokio::test]
async fn a_reviewer_lands_on_the_appeals_waiting_for_review() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    app.add_staff("rita@city.test", "Rita Reviewer", "reviewer", None);
    let reviewer = app.signed_in_pages("rita@city.test").await;

    let empty = page_text(&reviewer, app.url("/staff/queue")).await;
    assert!(
        empty.contains("No appeals are waiting for review."),
        "{empty}"
    );

    let open = app.submit_records_request().await;
    let denied = app.submit_records_request().await;
    let tn = denied.tracking_number.as_str();
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    app.must_transition(tn, &clerk, denial()).await;
    let appeal = app
        .post(
            &format!("/api/v1/requests/{tn}/appeal"),
            Some(&denied.token),
            &json!({ "grounds": "The exemption does not apply.", "version": app.case(tn, &denied.token).await["version"] }),
        )
        .await;
    assert_eq!(appeal.status, StatusCode::OK, "{:?}", appeal.body);

    let landing = page_text(&reviewer, app.url("/staff/queue")).await;
    assert!(
        landing.contains("Appeals waiting for a reviewer"),
        "{landing}"
    );
    assert!(landing.contains(tn), "{landing}");
    assert!(
        !landing.contains(&open.tracking_number),
        "only appeals on the landing: {landing}"
    );
    // "See every open request" shows the rest.
    let all = page_text(&reviewer, app.url("/staff/queue?status=")).await;
    assert!(
        all.contains(&open.tracking_number) && all.contains(tn),
        "{all}"
    );
    assert!(!all.contains("Appeals waiting for a reviewer"), "{all}");
}

/// The queue page, its counts and the reminders ask for the grants awaiting production with
/// `status = 'granted' AND produced_at IS NULL`. SQLite, which plans without statistics here,
/// answered that from `requests_status_due`, reading every grant ever made on each load of the
/// queue page. It must walk one of the partial indexes that hold only the grants still awaiting
/// production, whatever else the page filters by. The statements below have the shapes the
/// service sends. PostgreSQL plans by its statistics and is not asked here.
#[tokio::test]
async fn the_grants_awaiting_production_are_read_from_their_own_indexes_on_sqlite() {
    if !matches!(backend(), Backend::Sqlite) {
        return;
    }
    let app = spawn_app().await;
    app.submit_records_request().await;
    let awaiting = "status = 'granted' AND produced_at IS NULL";
    let page = |filters: &str| {
        format!(
            "SELECT requests.id FROM requests INNER JOIN requesters \
             ON requesters.id = requests.requester_id WHERE {awaiting}{filters} \
             ORDER BY requests.due_on, requests.id LIMIT 51"
        )
    };
    let cases = [
        page(""),
        page(" AND requests.queue = 'city_clerk'"),
        page(" AND requests.assignee_id = 1"),
        page(" AND requests.assignee_id IS NULL"),
        page(" AND requests.queue = 'city_clerk' AND requests.assignee_id = 1"),
        page(" AND due_on >= '2026-01-01' AND (due_on > '2026-01-01' OR requests.id > 9)"),
        page(" AND requests.due_on < '2026-12-07'"),
        page(" AND (requests.assignee_id = 1 OR requests.queue = 'city_clerk')"),
        format!("SELECT COUNT(*) FROM (SELECT 1 FROM requests WHERE {awaiting} LIMIT 1001)"),
        format!(
            "SELECT COUNT(*) FROM (SELECT 1 FROM requests WHERE {awaiting} \
             AND (assignee_id = 1 OR queue = 'city_clerk') LIMIT 1001)"
        ),
        format!(
            "SELECT id FROM requests WHERE {awaiting} AND due_on <= '2026-12-31' \
             AND NOT EXISTS (SELECT 1 FROM reminders WHERE reminders.request_id = \
             requests.id AND reminders.kind = 'k' AND reminders.due_on = requests.due_on) \
             ORDER BY due_on, id"
        ),
    ];
    for sql in cases {
        // requests_in_production, _due or _assignee: each holds only those grants. Every
        // read of `requests` is by one of them, none by another index or a scan.
        app.assert_sqlite_reads(&sql, "requests", " INDEX requests_in_production");
    }
}
