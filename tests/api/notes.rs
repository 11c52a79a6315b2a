//! Internal notes (issue 18): staff keep notes on a request for each other, in its audit log,
//! shown to staff who can see the request and never to the requester: not on the tracking
//! page, not in the API's answers to them, not in any email.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

const NOTE: &str = "Called Public Works: the logs are kept at the corporation yard.";

#[tokio::test]
async fn a_note_is_kept_for_staff_and_never_reaches_the_requester() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let notes = format!("/api/v1/requests/{tn}/notes");
    let before = app.counts();

    let noted = app
        .post(&notes, Some(&clerk), &json!({ "body": NOTE }))
        .await;
    assert_eq!(noted.status, StatusCode::OK, "{:?}", noted.body);
    let history = noted.body["history"].as_array().unwrap();
    assert!(
        history
            .iter()
            .any(|h| h["action"] == "note"
                && h["summary"].as_str().unwrap().contains("Internal note")),
        "{history:?}"
    );
    assert!(
        noted.body.to_string().contains(NOTE),
        "staff see the note's text"
    );
    let after = app.counts();
    assert_eq!(
        after.outbox, before.outbox,
        "no one is emailed about a note"
    );

    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let event = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "note")
        .expect("the note is in the audit log");
    assert_eq!(event["content"]["body"], NOTE);
    assert_eq!(event["content"]["author_name"], "Test clerk");

    // The requester: not through the API, not on the page, not in any letter.
    let theirs = app.case(tn, &filed.token).await;
    assert!(!theirs.to_string().contains(NOTE), "{theirs}");
    assert!(!theirs.to_string().contains("\"note\""), "{theirs}");
    let client = requester_browser(&app, &filed).await;
    let page = page_text(&client, app.url(&format!("/requests/{tn}"))).await;
    assert!(page.contains(&format!("Request {tn}")));
    assert!(
        !page.contains(NOTE) && !page.contains("Internal note"),
        "{page}"
    );
    for (kind, _, letter) in app.notices(tn) {
        assert!(!letter.to_string().contains(NOTE), "the {kind} letter");
    }
    let by_requester = app
        .post(&notes, Some(&filed.token), &json!({ "body": "Me too." }))
        .await;
    assert_eq!(by_requester.status, StatusCode::FORBIDDEN);

    // Staff who may see the request see it on the case page.
    let staff = app.signed_in_pages("clerk@city.test").await;
    let case = page_text(&staff, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(case.contains(NOTE), "{case}");
    assert!(case.contains("Internal note (staff only"), "{case}");
}

#[tokio::test]
async fn an_empty_note_or_one_on_a_request_out_of_sight_changes_nothing() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    app.add_dataset(
        "https://data.example.gov/datasets/permits",
        "Building permits",
        Some("permits@city.test"),
        Some("Community Development"),
    );
    app.staff(
        "permits@city.test",
        "steward",
        Some("Community Development"),
    )
    .await;
    let other_steward = app.staff("parks@city.test", "steward", Some("Parks")).await;
    let filed = app
        .submit(&access_request("https://data.example.gov/datasets/permits"))
        .await;
    let tn = filed.tracking_number.as_str();
    let notes = format!("/api/v1/requests/{tn}/notes");
    let before = app.counts();

    let empty = app
        .post(&notes, Some(&clerk), &json!({ "body": "   " }))
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.field_errors(), ["body"]);
    let unseen = app
        .post(&notes, Some(&other_steward), &json!({ "body": NOTE }))
        .await;
    assert_eq!(unseen.status, StatusCode::NOT_FOUND, "{:?}", unseen.body);
    let anonymous = app.post(&notes, None, &json!({ "body": NOTE })).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.counts(), before);

    let staff = app.signed_in_pages("clerk@city.test").await;
    let case_url = app.url(&format!("/staff/requests/{tn}"));
    let case = page_text(&staff, case_url.clone()).await;
    let refused = staff
        .post(app.url(&format!("/staff/requests/{tn}/notes")))
        .form(&[("csrf", csrf_in(&case).as_str()), ("note", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(
        refused.contains("f-note"),
        "the error leads to the note's field"
    );
    assert_eq!(app.counts(), before);
}
