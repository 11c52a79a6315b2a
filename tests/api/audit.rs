//! The hash-chained audit log: readable by staff, append-only, and `audit verify` catches edits.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

async fn request_with_history(app: &TestApp) -> (Filed, String) {
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let body = json!({ "body": "Working on it." });
    app.post(
        &format!("/api/v1/requests/{tn}/messages"),
        Some(&clerk),
        &body,
    )
    .await;
    app.must_transition(&tn, &clerk, grant("Attached.")).await;
    (filed, clerk)
}

async fn audit_log(app: &TestApp, tn: &str, token: &str) -> Vec<Value> {
    let reply = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(token))
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["events"].as_array().unwrap().clone()
}

#[tokio::test]
async fn staff_read_a_requests_chain_in_order_with_linked_hashes() {
    let app = spawn_app().await;
    let (filed, clerk) = request_with_history(&app).await;
    let events = audit_log(&app, &filed.tracking_number, &clerk).await;

    assert_eq!(events[0]["prev_hash"], "0".repeat(64));
    for pair in events.windows(2) {
        assert_eq!(pair[1]["prev_hash"], pair[0]["hash"]);
        assert_eq!(
            pair[1]["seq"].as_i64().unwrap(),
            pair[0]["seq"].as_i64().unwrap() + 1
        );
    }

    let (steps, emails): (Vec<&Value>, Vec<&Value>) =
        events.iter().partition(|e| e["action"] != "notice_queued");
    let actions: Vec<&str> = steps
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["submitted", "transition", "message", "transition"]
    );
    assert_eq!(steps[0]["actor"], "requester");
    assert_eq!(steps[1]["actor"], "staff:clerk@city.test");
    assert_eq!(steps[1]["content"]["to"], "under_review");
    assert_eq!(steps[2]["content"]["body"], "Working on it.");

    // Every email is in the chain too, with its full text, but never the private token.
    let notices: Vec<&str> = emails
        .iter()
        .map(|e| e["content"]["notice"].as_str().unwrap())
        .collect();
    assert_eq!(
        notices,
        [
            "acknowledgement",
            "new_request",
            "accepted",
            "staff_message",
            "granted"
        ]
    );
    let ack = &emails[0]["content"];
    assert!(ack["text"]
        .as_str()
        .unwrap()
        .contains("[private token withheld]"));
    assert!(!ack.to_string().contains(&filed.token));
    assert!(emails[3]["content"]["text"]
        .as_str()
        .unwrap()
        .contains("Working on it."));

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
    let before = app.counts().audit_events;
    assert!(
        app.sql("UPDATE audit_events SET action = 'x'").is_err(),
        "UPDATE must be refused"
    );
    assert!(
        app.sql("DELETE FROM audit_events").is_err(),
        "DELETE must be refused"
    );
    assert_eq!(app.counts().audit_events, before);
}

#[tokio::test]
async fn audit_verify_passes_then_names_the_event_edited_behind_its_back() {
    let app = spawn_app().await;
    let (filed, clerk) = request_with_history(&app).await;
    app.submit_records_request().await;

    let clean = app.cli(&["audit", "verify"], None).await;
    let stdout = String::from_utf8_lossy(&clean.stdout);
    assert!(
        clean.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&clean.stderr)
    );
    let total = app.counts().audit_events;
    assert!(
        stdout.contains(&format!("2 chains, {total} events")),
        "{stdout}"
    );

    // Rewrite the clerk's message as if it had said something else.
    let events = audit_log(&app, &filed.tracking_number, &clerk).await;
    let seq = events.iter().find(|e| e["action"] == "message").unwrap()["seq"]
        .as_i64()
        .unwrap();
    let disable = match backend() {
        Backend::Sqlite => "DROP TRIGGER audit_events_no_update;",
        Backend::Postgres => "ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only;",
    };
    let tamper = format!(
        "{disable} UPDATE audit_events SET content = '{{\"body\":\"We will never send it.\"}}' \
         WHERE seq = {seq} AND request_id = (SELECT id FROM requests WHERE tracking_number = '{}');",
        filed.tracking_number
    );
    app.sql(&tamper).expect("tamper with the log");

    let broken = app.cli(&["audit", "verify"], None).await;
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains(&format!("BROKEN {} event seq {seq}", filed.tracking_number)),
        "{stdout}"
    );
    assert!(stdout.contains("1 broken"), "{stdout}");
}

#[tokio::test]
async fn messages_and_determinations_cannot_be_rewritten_either() {
    let app = spawn_app().await;
    request_with_history(&app).await;
    assert!(app
        .sql("UPDATE messages SET body = 'something else'")
        .is_err());
    assert!(app.sql("DELETE FROM messages").is_err());
    assert!(app
        .sql("UPDATE determinations SET decision = 'denied after all'")
        .is_err());
    assert!(app.sql("DELETE FROM determinations").is_err());
}

#[tokio::test]
async fn audit_verify_notices_a_request_removed_behind_its_back() {
    let app = spawn_app().await;
    let (filed, _) = request_with_history(&app).await;
    let remove = match backend() {
        Backend::Sqlite => "PRAGMA foreign_keys = OFF;",
        Backend::Postgres => "SET session_replication_role = replica;",
    };
    let tn = &filed.tracking_number;
    app.sql(&format!(
        "{remove} DELETE FROM requests WHERE tracking_number = '{tn}';"
    ))
    .expect("remove the request");
    let broken = app.cli(&["audit", "verify"], None).await;
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("deleted request"), "{stdout}");
}

#[tokio::test]
async fn a_chain_held_open_for_several_events_holds_and_one_left_unclosed_is_refused() {
    use diesel::Connection;
    use recordsdesk::audit::{self, Actor, OpenChain};
    use recordsdesk::domain::ids::OutboxId;
    use recordsdesk::domain::notices::NoticeKind;
    use recordsdesk::domain::step::{NoticeRetried, Step};

    // Steps of their own, told apart by the message ids they name.
    let step = |message_id: &str| {
        Step::NoticeRetried(NoticeRetried {
            outbox_id: OutboxId(999_999),
            message_id: message_id.into(),
            notice: NoticeKind::Accepted,
        })
    };

    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let tn = app.submit_records_request().await.tracking_number;
    let id = app
        .with_conn(|c| recordsdesk::db::requests::by_tracking_number(c, &tn))
        .expect("the filed request")
        .id;
    let now = recordsdesk::db::now();

    // Two events through one open chain, then closed: the log links them and verify agrees.
    app.with_conn(|c| {
        c.transaction(|c| {
            let mut chain = OpenChain::open(c, id)?;
            chain.append(c, now, &Actor::System, &step("<test-first>"))?;
            chain.append(c, now, &Actor::System, &step("<test-second>"))?;
            chain.close(c)
        })
    });
    let events = audit_log(&app, &tn, &clerk).await;
    let named: Vec<&str> = events
        .iter()
        .map(|e| e["content"]["message_id"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(&named[named.len() - 2..], ["<test-first>", "<test-second>"]);
    let report = app.with_conn(audit::verify_all);
    assert!(report.holds(), "{:?}", report.breaks);

    // A chain that appended but was not closed leaves the head behind its events: the next
    // append in that transaction takes a seq that is already there and is refused, and the
    // transaction leaves nothing behind.
    let unclosed = app.with_conn(|c| {
        Ok(c.transaction(|c| {
            let mut chain = OpenChain::open(c, id)?;
            chain.append(c, now, &Actor::System, &step("<test-unclosed>"))?;
            audit::append(c, id, now, &Actor::System, &step("<test-after>")).map(drop)
        }))
    });
    assert!(
        unclosed.is_err(),
        "an append behind an unclosed chain must fail"
    );
    assert_eq!(audit_log(&app, &tn, &clerk).await.len(), events.len());
    assert!(app.with_conn(audit::verify_all).holds());
}
