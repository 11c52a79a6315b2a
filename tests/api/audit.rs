//! The hash-chained audit log: readable by staff, append-only, and `audit verify` catches edits.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

async fn request_with_history(app: &TestApp) -> (Filed, String) {
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    app.must_transition(
        &filed.tracking_number,
        &clerk,
        json!({ "to": "under_review" }),
    )
    .await;
    app.post(
        &format!("/api/v1/requests/{}/messages", filed.tracking_number),
        Some(&clerk),
        &json!({ "body": "Working on it." }),
    )
    .await;
    app.must_transition(
        &filed.tracking_number,
        &clerk,
        json!({ "to": "granted", "decision": "Attached." }),
    )
    .await;
    (filed, clerk)
}

#[tokio::test]
async fn staff_read_a_requests_chain_in_order_with_linked_hashes() {
    let app = spawn_app().await;
    let (filed, clerk) = request_with_history(&app).await;
    let reply = app
        .get(
            &format!("/api/v1/requests/{}/audit", filed.tracking_number),
            Some(&clerk),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let events = reply.body["events"].as_array().unwrap();
    let actions: Vec<&str> = events
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["submitted", "transition", "message", "transition"]
    );
    assert_eq!(events[0]["prev_hash"], "0".repeat(64));
    for pair in events.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
        assert_eq!(
            pair[1]["seq"].as_i64().unwrap(),
            pair[0]["seq"].as_i64().unwrap() + 1
        );
    }
    assert_eq!(events[0]["actor"], "requester");
    assert_eq!(events[1]["actor"], "staff:clerk@city.test");
    assert_eq!(events[1]["content"]["to"], "under_review");
    assert_eq!(events[2]["content"]["body"], "Working on it.");

    let by_requester = app
        .get(
            &format!("/api/v1/requests/{}/audit", filed.tracking_number),
            Some(&filed.token),
        )
        .await;
    assert_eq!(by_requester.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_audit_table_refuses_updates_and_deletes() {
    let app = spawn_app().await;
    request_with_history(&app).await;
    let update = app.sql("UPDATE audit_events SET action = 'x'");
    assert!(update.is_err(), "UPDATE must be refused");
    let delete = app.sql("DELETE FROM audit_events");
    assert!(delete.is_err(), "DELETE must be refused");
    assert_eq!(app.counts().audit_events, 4);
}

#[tokio::test]
async fn audit_verify_passes_then_names_the_event_edited_behind_its_back() {
    let app = spawn_app().await;
    let (filed, _) = request_with_history(&app).await;
    app.submit_records_request().await;

    let clean = app.cli(&["audit", "verify"], None).await;
    let stdout = String::from_utf8_lossy(&clean.stdout);
    assert!(
        clean.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&clean.stderr)
    );
    assert!(stdout.contains("2 chains, 5 events"), "{stdout}");

    let disable = match backend() {
        Backend::Sqlite => "DROP TRIGGER audit_events_no_update;",
        Backend::Postgres => "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;",
    };
    let tamper = format!(
        "{disable} UPDATE audit_events SET content = '{{\"body\":\"We will never send it.\"}}' \
         WHERE seq = 3 AND request_id = (SELECT id FROM requests WHERE tracking_number = '{}');",
        filed.tracking_number
    );
    app.sql(&tamper).expect("tamper with the log");

    let broken = app.cli(&["audit", "verify"], None).await;
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("BROKEN {} event seq 3", filed.tracking_number)),
        "{stdout}"
    );
    assert!(stdout.contains("1 broken"), "{stdout}");
}
