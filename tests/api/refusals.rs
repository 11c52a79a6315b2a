//! Bad input gets a clear 4xx and changes nothing.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_submission_with_bad_fields_is_refused_field_by_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let before = app.counts();
    let reply = app
        .post(
            "/api/v1/requests",
            None,
            &json!({
                "kind": "everything",
                "requester": { "name": "\u{7}", "email": "not-an-email", "phone": "call me" },
                "description": "x".repeat(10_001)
            }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.body["error"], "validation_failed");
    assert_eq!(
        reply.field_errors(),
        [
            "description",
            "kind",
            "requester.email",
            "requester.name",
            "requester.phone"
        ]
    );
    assert!(reply.body["fields"]["description"][0]
        .as_str()
        .unwrap()
        .contains("10000"));
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_missing_body_field_is_named() {
    let app = spawn_app().await;
    let reply = app.post("/api/v1/requests", None, &json!({})).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    // No name or email is asked for until the kind says whether the request may be anonymous.
    assert_eq!(reply.field_errors(), ["description", "kind"]);
    let reply = app
        .post(
            "/api/v1/requests",
            None,
            &json!({ "kind": "dataset_access" }),
        )
        .await;
    assert_eq!(
        reply.field_errors(),
        [
            "dataset_id",
            "description",
            "intended_use",
            "requester.email",
            "requester.name"
        ]
    );
}

#[tokio::test]
async fn a_name_with_a_line_break_is_refused() {
    let app = spawn_app().await;
    let mut body = records_request();
    body["requester"]["name"] = json!("Jane\r\nBcc: everyone@example.com");
    let reply = app.post("/api/v1/requests", None, &body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.field_errors(), ["requester.name"]);
}

#[tokio::test]
async fn an_access_request_must_name_a_known_dataset_and_its_use() {
    let app = spawn_app().await;
    let before = app.counts();
    let mut body = access_request("x");
    body.as_object_mut().unwrap().remove("dataset_id");
    body.as_object_mut().unwrap().remove("intended_use");
    let reply = app.post("/api/v1/requests", None, &body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.field_errors(), ["dataset_id", "intended_use"]);

    let unknown = app
        .post("/api/v1/requests", None, &access_request("no-such-dataset"))
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.field_errors(), ["dataset_id"]);
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn malformed_json_is_400_a_wrong_shape_is_422_and_too_large_is_413() {
    let app = spawn_app().await;
    let before = app.counts();
    let malformed = app
        .post_raw("/api/v1/requests", "application/json", "{\"kind\": ")
        .await;
    assert_eq!(malformed.status, StatusCode::BAD_REQUEST);
    assert_eq!(malformed.body["error"], "malformed_json");

    let wrong_shape = app
        .post_raw("/api/v1/requests", "application/json", r#"{"kind": 7}"#)
        .await;
    assert_eq!(wrong_shape.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_shape.body["error"], "invalid_body");

    let mut huge = records_request();
    huge["description"] = json!("x".repeat(app.settings.server.body_limit_bytes + 1));
    let too_large = app.post("/api/v1/requests", None, &huge).await;
    assert_eq!(too_large.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(too_large.body["error"], "payload_too_large");

    let not_json = app
        .post_raw("/api/v1/requests", "text/plain", "kind=public_records")
        .await;
    assert_eq!(not_json.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_transition_the_table_does_not_allow_is_409_with_what_is_allowed() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let before = app.counts();
    let reply = app
        .transition(
            &filed.tracking_number,
            &clerk,
            json!({ "to": "granted", "decision": "ok", "version": 1 }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.body["error"], "transition_not_allowed");
    assert_eq!(
        reply.body["allowed"],
        json!(["under_review", "withdrawn", "duplicate"])
    );
    assert_eq!(app.counts(), before);
    assert_eq!(
        app.case(&filed.tracking_number, &clerk).await["status"],
        "submitted"
    );
}

#[tokio::test]
async fn an_unknown_target_state_or_missing_version_is_422() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let reply = app
        .transition(&filed.tracking_number, &clerk, json!({ "to": "closed" }))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.field_errors(), ["to", "version"]);
}

#[tokio::test]
async fn a_stale_version_is_409_and_changes_nothing() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    app.must_transition(
        &filed.tracking_number,
        &clerk,
        json!({ "to": "under_review" }),
    )
    .await;
    let before = app.counts();
    let reply = app
        .transition(
            &filed.tracking_number,
            &clerk,
            json!({ "to": "granted", "decision": "ok", "version": 1 }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.body["error"], "stale_version");
    assert_eq!(reply.body["current_version"], 2);
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_denial_without_withheld_items_or_responsible_person_is_422_and_changes_nothing() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    app.must_transition(
        &filed.tracking_number,
        &clerk,
        json!({ "to": "under_review" }),
    )
    .await;
    let before = app.counts();
    let reply = app
        .transition(
            &filed.tracking_number,
            &clerk,
            json!({ "to": "denied", "reason": "Exempt.", "version": 2 }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reply.field_errors(),
        ["responsible", "segregability", "withheld"]
    );

    let mut half = denial();
    half["responsible"] = json!([{ "name": "Pat" }]);
    half["version"] = json!(2);
    let half = app.transition(&filed.tracking_number, &clerk, half).await;
    assert_eq!(half.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(half.field_errors(), ["responsible[0]"]);
    assert!(half.body["fields"]["responsible[0]"][0]
        .as_str()
        .unwrap()
        .contains("title"));
    assert_eq!(app.counts(), before);
    assert_eq!(
        app.case(&filed.tracking_number, &clerk).await["status"],
        "under_review"
    );
}

#[tokio::test]
async fn the_wrong_role_is_403_and_changes_nothing() {
    let app = spawn_app().await;
    let reviewer = app.staff("reviewer@city.test", "reviewer", None).await;
    let filed = app.submit_records_request().await;
    let before = app.counts();

    let by_reviewer = app
        .transition(
            &filed.tracking_number,
            &reviewer,
            json!({ "to": "under_review", "version": 1 }),
        )
        .await;
    assert_eq!(by_reviewer.status, StatusCode::FORBIDDEN);
    assert_eq!(by_reviewer.body["error"], "forbidden");

    let by_requester = app
        .transition(
            &filed.tracking_number,
            &filed.token,
            json!({ "to": "under_review", "version": 1 }),
        )
        .await;
    assert_eq!(by_requester.status, StatusCode::FORBIDDEN);

    let extension_by_requester = app
        .post(
            &format!("/api/v1/requests/{}/extension", filed.tracking_number),
            Some(&filed.token),
            &json!({ "days": 3, "circumstance": "consultation" }),
        )
        .await;
    assert_eq!(extension_by_requester.status, StatusCode::FORBIDDEN);
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn no_token_is_401_and_someone_elses_token_is_404() {
    let app = spawn_app().await;
    let mine = app.submit_records_request().await;
    let theirs = app.submit_records_request().await;
    let path = format!("/api/v1/requests/{}", mine.tracking_number);

    let anonymous = app.get(&path, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.body["error"], "unauthorized");

    let other = app.get(&path, Some(&theirs.token)).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(other.body.get("description").is_none());

    let forged = app
        .get(
            &path,
            Some("rdr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"),
        )
        .await;
    assert_eq!(forged.status, StatusCode::NOT_FOUND);

    let bad_staff = app.get(&path, Some("rds_not-a-real-token")).await;
    assert_eq!(bad_staff.status, StatusCode::UNAUTHORIZED);

    let before = app.counts();
    let appeal = app
        .post(&format!("{path}/withdraw"), Some(&theirs.token), &json!({}))
        .await;
    assert_eq!(appeal.status, StatusCode::NOT_FOUND);
    assert_eq!(app.counts(), before);

    let nonsense = app
        .get("/api/v1/requests/not-a-tracking-number", Some(&mine.token))
        .await;
    assert_eq!(nonsense.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn bad_extension_and_assignment_input_is_422() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = &filed.tracking_number;
    let before = app.counts();
    let too_long = app
        .post(
            &format!("/api/v1/requests/{tn}/extension"),
            Some(&clerk),
            &json!({ "days": 15, "circumstance": "weather" }),
        )
        .await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(too_long.field_errors(), ["circumstance", "days"]);

    let nobody = app
        .post(
            &format!("/api/v1/requests/{tn}/assign"),
            Some(&clerk),
            &json!({ "assignee": "ghost@city.test" }),
        )
        .await;
    assert_eq!(nobody.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(nobody.field_errors(), ["assignee"]);

    let empty_message = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&filed.token),
            &json!({ "body": "  " }),
        )
        .await;
    assert_eq!(empty_message.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn unknown_endpoints_answer_json_404() {
    let app = spawn_app().await;
    let reply = app.get("/api/v1/nothing-here", None).await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body["error"], "not_found");
}

#[tokio::test]
async fn a_withdrawal_with_a_malformed_body_is_refused_not_taken() {
    let app = spawn_app().await;
    let filed = app.submit_records_request().await;
    let response = app
        .client
        .post(app.url(&format!(
            "/api/v1/requests/{}/withdraw",
            filed.tracking_number
        )))
        .bearer_auth(&filed.token)
        .header("content-type", "application/json")
        .body("{\"reason\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        app.case(&filed.tracking_number, &filed.token).await["status"],
        "submitted"
    );

    // No body at all is a plain withdrawal.
    let bare = app
        .client
        .post(app.url(&format!(
            "/api/v1/requests/{}/withdraw",
            filed.tracking_number
        )))
        .bearer_auth(&filed.token)
        .send()
        .await
        .unwrap();
    assert_eq!(bare.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_known_address_with_the_wrong_method_is_405_naming_the_one_it_takes() {
    let app = spawn_app().await;
    let reply = app.get("/api/v1/requests", None).await;
    assert_eq!(reply.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(reply.body["error"], "method_not_allowed");
    let delete = app
        .client
        .delete(app.url("/api/v1/queue"))
        .send()
        .await
        .unwrap();
    assert_eq!(delete.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        delete.headers()["allow"],
        "GET, HEAD",
        "405 names the methods taken"
    );

    // Outside /api/v1 too, and for methods nobody uses.
    let trace = app
        .client
        .request(reqwest::Method::TRACE, app.url("/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(trace.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(trace.headers()["allow"], "GET, HEAD");
    let body: serde_json::Value = trace.json().await.expect("the JSON error shape");
    assert_eq!(body["error"], "method_not_allowed");
    let put = app
        .client
        .put(app.url("/api/v1/requests/RR-2026-00001/transitions"))
        .send()
        .await
        .unwrap();
    assert_eq!(put.headers()["allow"], "POST");
}
