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
