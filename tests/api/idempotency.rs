//! Retrying a submission with the same Idempotency-Key files one request.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

async fn submit_with_key(app: &TestApp, key: &str, body: &serde_json::Value) -> Reply {
    let response = app
        .client
        .post(app.url("/api/v1/requests"))
        .header("Idempotency-Key", key)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    Reply {
        status,
        body: response.json().await.unwrap(),
    }
}

#[tokio::test]
async fn a_retry_with_the_same_key_answers_the_same_request_without_filing_another() {
    let app = spawn_app().await;
    let first = submit_with_key(&app, "7f9c-retry-1", &records_request()).await;
    assert_eq!(first.status, StatusCode::CREATED);
    let second = submit_with_key(&app, "7f9c-retry-1", &records_request()).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(
        second.body["tracking_number"],
        first.body["tracking_number"]
    );
    assert_eq!(second.body["replayed"], true);
    assert!(
        second.body["access_token"].is_null(),
        "the token is shown once only"
    );
    assert_eq!(app.counts().requests, 1);
}

#[tokio::test]
async fn the_same_key_with_a_different_body_is_refused() {
    let app = spawn_app().await;
    submit_with_key(&app, "key-2", &records_request()).await;
    let mut other = records_request();
    other["description"] = json!("Something else entirely.");
    let reply = submit_with_key(&app, "key-2", &other).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.field_errors(), ["Idempotency-Key"]);
    assert_eq!(app.counts().requests, 1);
}

#[tokio::test]
async fn concurrent_retries_with_one_key_file_one_request() {
    let app = spawn_app().await;
    let body = records_request();
    let replies =
        futures::future::join_all((0..10).map(|_| submit_with_key(&app, "burst", &body))).await;
    let created = replies
        .iter()
        .filter(|r| r.status == StatusCode::CREATED)
        .count();
    let replayed = replies
        .iter()
        .filter(|r| r.status == StatusCode::OK)
        .count();
    assert_eq!(
        (created, replayed),
        (1, 9),
        "{:?}",
        replies.iter().map(|r| r.status).collect::<Vec<_>>()
    );
    let after_burst = app.counts();
    assert_eq!(after_burst.requests, 1);
    // The nine that lost left nothing behind: one more filing doubles every count.
    app.submit_records_request().await;
    let after_one_more = app.counts();
    assert_eq!(
        (
            after_one_more.requests,
            after_one_more.audit_events,
            after_one_more.outbox
        ),
        (
            2 * after_burst.requests,
            2 * after_burst.audit_events,
            2 * after_burst.outbox
        )
    );
}

#[tokio::test]
async fn without_a_key_each_submission_is_a_new_request() {
    let app = spawn_app().await;
    let a = app.submit_records_request().await;
    let b = app.submit_records_request().await;
    assert_ne!(a.tracking_number, b.tracking_number);
    assert_eq!(app.counts().requests, 2);
}
