//! The duty to assist (issue 18, Gov. Code §7922.600): staff suggest records, say where they are
//! kept and how to focus the request, and may ask a question; the requester is emailed, the
//! request shows as waiting on them until they write back, and the clock never stops.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

fn help(question: Option<&str>) -> Value {
    json!({
        "records": "Police incident logs are kept by month; March 2026 is one log.",
        "location": "The Records Management System at the Police Department.",
        "suggestions": "Name the days and the block, and we can search the log for them.",
        "question": question,
    })
}

#[tokio::test]
async fn help_reaches_the_requester_and_the_request_waits_on_their_answer() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let due_before = app.case(tn, &filed.token).await["due_on"].clone();

    let offered = app
        .post(
            &format!("/api/v1/requests/{tn}/assistance"),
            Some(&clerk),
            &help(Some("Which days in March do you need?")),
        )
        .await;
    assert_eq!(offered.status, StatusCode::OK, "{:?}", offered.body);
    assert!(offered.body["awaiting_requester_since"].is_string());
    assert_eq!(
        offered.body["due_on"], due_before,
        "the clock keeps running"
    );
    let letter = app
        .notices(tn)
        .into_iter()
        .find(|(kind, ..)| kind == "assistance")
        .expect("the requester is emailed");
    assert_eq!(letter.1, "jane@example.com");
    let text = letter.2["text"].as_str().unwrap();
    for said in [
        "March 2026 is one log",
        "Records Management System",
        "Name the days and the block",
        "Which days in March do you need?",
        "Government Code section 7922.600",
        "This does not stop the clock",
    ] {
        assert!(text.contains(said), "{said:?} missing:\n{text}");
    }
    let queue = app.get("/api/v1/queue", Some(&clerk)).await;
    let item = queue.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["tracking_number"] == tn)
        .unwrap()
        .clone();
    assert_eq!(item["awaiting_requester"], true);

    // The requester sees the question on their page, and answers with a message.
    let client = requester_browser(&app, &filed).await;
    let page = page_text(&client, app.url(&format!("/requests/{tn}"))).await;
    assert!(page.contains("We asked you a question on"), "{page}");
    assert!(
        page.contains(
            "We suggested records that may answer your request, and asked you a question"
        ),
        "{page}"
    );
    let answered = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&filed.token),
            &json!({ "body": "March 3 to 5, the 1900 block of Salvio Street." }),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK);
    let case = app.case(tn, &filed.token).await;
    assert!(
        case["awaiting_requester_since"].is_null(),
        "their answer ends the wait"
    );
    let page = page_text(&client, app.url(&format!("/requests/{tn}"))).await;
    assert!(!page.contains("We asked you a question on"), "{page}");

    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let event = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "assisted")
        .expect("in the audit log");
    assert_eq!(
        event["content"]["question"],
        "Which days in March do you need?"
    );
}

#[tokio::test]
async fn a_decision_ends_the_wait_and_help_without_a_question_sets_none() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let path = format!("/api/v1/requests/{tn}/assistance");

    let plain = app.post(&path, Some(&clerk), &help(None)).await;
    assert_eq!(plain.status, StatusCode::OK, "{:?}", plain.body);
    assert!(plain.body["awaiting_requester_since"].is_null());
    let asked = app
        .post(&path, Some(&clerk), &help(Some("Which block?")))
        .await;
    assert!(asked.body["awaiting_requester_since"].is_string());

    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let decided = app.must_transition(tn, &clerk, no_records()).await;
    assert!(decided["awaiting_requester_since"].is_null(), "{decided}");
    let late = app.post(&path, Some(&clerk), &help(None)).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.body["error"], "not_assistable");
}

#[tokio::test]
async fn audit_verify_replays_the_wait_and_names_a_marker_changed_behind_its_back() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let answered = app.submit_records_request().await;
    let waiting = app.submit_records_request().await;
    for filed in [&answered, &waiting] {
        let asked = app
            .post(
                &format!("/api/v1/requests/{}/assistance", filed.tracking_number),
                Some(&clerk),
                &help(Some("Which block?")),
            )
            .await;
        assert_eq!(asked.status, StatusCode::OK, "{:?}", asked.body);
    }
    let reply = app
        .post(
            &format!("/api/v1/requests/{}/messages", answered.tracking_number),
            Some(&answered.token),
            &json!({ "body": "The 1900 block." }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let clean = app.cli(&["audit", "verify"], None).await;
    assert!(
        clean.status.success(),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );

    // The marker cleared without the requester answering: the log says they were asked.
    app.sql(&format!(
        "UPDATE requests SET awaiting_requester_since = NULL WHERE tracking_number = '{}';",
        waiting.tracking_number
    ))
    .expect("clear the marker");
    let broken = app.cli(&["audit", "verify"], None).await;
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("awaiting_requester_since"), "{stdout}");
    assert!(stdout.contains(&waiting.tracking_number), "{stdout}");
}

#[tokio::test]
async fn help_missing_its_parts_or_from_the_wrong_caller_changes_nothing() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let path = format!("/api/v1/requests/{tn}/assistance");
    let before = app.counts();

    let empty = app
        .post(
            &path,
            Some(&clerk),
            &json!({ "records": " ", "question": "Which?" }),
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.field_errors(), ["records", "suggestions"]);
    let by_requester = app.post(&path, Some(&filed.token), &help(None)).await;
    assert_eq!(by_requester.status, StatusCode::FORBIDDEN);
    assert_eq!(app.counts(), before);
    assert!(app.case(tn, &filed.token).await["awaiting_requester_since"].is_null());
}
