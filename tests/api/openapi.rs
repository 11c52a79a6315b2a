//! The OpenAPI document describes what the service answers: every error in the one shape,
//! the fields the handlers require, the tokens each operation takes. `.ci/schemathesis.sh`
//! checks the running service against it at scale; these tests pin the document's shape and
//! the answers schemathesis found wrong.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

async fn document(app: &TestApp) -> Value {
    let reply = app.get("/openapi.json", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    reply.body
}

/// Every operation as (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut out = vec![];
    for (path, item) in doc["paths"].as_object().expect("paths") {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                out.push((method.to_string(), path.clone(), operation.clone()));
            }
        }
    }
    out
}

fn statuses(operation: &Value) -> Vec<String> {
    operation["responses"]
        .as_object()
        .expect("responses")
        .keys()
        .cloned()
        .collect()
}

fn schema<'a>(doc: &'a Value, name: &str) -> &'a Value {
    &doc["components"]["schemas"][name]
}

fn required(schema: &Value) -> Vec<&str> {
    schema["required"]
        .as_array()
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn every_error_the_document_lists_is_the_one_error_shape() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let error_body = json!("#/components/schemas/ErrorBody");
    let mut seen = 0;
    for (method, path, operation) in operations(&doc) {
        if !path.starts_with("/api/") {
            continue;
        }
        for (status, response) in operation["responses"].as_object().unwrap() {
            if status.starts_with('2') {
                continue;
            }
            seen += 1;
            assert_eq!(
                response["content"]["application/json"]["schema"]["$ref"], error_body,
                "{method} {path} {status}"
            );
        }
    }
    assert!(seen > 40, "only {seen} error answers documented");
    assert_eq!(
        required(schema(&doc, "ErrorBody")),
        ["error", "message"],
        "fields, allowed and current_version appear only when they apply"
    );
}

#[tokio::test]
async fn each_operation_lists_the_statuses_its_body_token_and_address_can_cause() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let mut ids = vec![];
    for (method, path, operation) in operations(&doc) {
        let listed = statuses(&operation);
        let has = |status: &str| listed.iter().any(|s| s == status);
        if operation.get("requestBody").is_some() {
            for status in ["400", "413", "415", "422"] {
                assert!(has(status), "{method} {path} lacks {status}");
            }
        }
        if operation["security"]
            .as_array()
            .is_some_and(|s| !s.is_empty())
        {
            assert!(has("401"), "{method} {path} lacks 401");
        }
        if path.contains('{') {
            assert!(has("404"), "{method} {path} lacks 404");
        }
        ids.push(operation["operationId"].as_str().unwrap().to_string());
    }
    let count = ids.len();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), count, "operation ids are unique");

    let op = |method: &str, path: &str| doc["paths"][path][method].clone();
    assert!(statuses(&op("post", "/api/v1/requests")).contains(&"429".to_string()));
    assert!(statuses(&op("post", "/api/v1/auth/login")).contains(&"429".to_string()));
    assert!(
        statuses(&op("post", "/api/v1/requests/{tracking_number}/api-key"))
            .contains(&"410".to_string())
    );
}

#[tokio::test]
async fn each_operation_names_the_tokens_it_takes() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let schemes = doc["components"]["securitySchemes"].as_object().unwrap();
    for name in ["requester", "staff", "gateway"] {
        assert_eq!(schemes[name]["scheme"], "bearer", "{name}");
    }
    let tokens = |method: &str, path: &str| -> Vec<String> {
        doc["paths"][path][method]["security"]
            .as_array()
            .map(|alternatives| {
                alternatives
                    .iter()
                    .flat_map(|a| a.as_object().unwrap().keys().cloned())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut both = tokens("get", "/api/v1/requests/{tracking_number}");
    both.sort();
    assert_eq!(both, ["requester", "staff"]);
    assert_eq!(tokens("get", "/api/v1/queue"), ["staff"]);
    assert_eq!(
        tokens("get", "/api/v1/requests/{tracking_number}/audit"),
        ["staff"]
    );
    assert_eq!(tokens("post", "/api/v1/keys/verify"), ["gateway"]);
    assert!(tokens("post", "/api/v1/requests").is_empty());
    assert!(tokens("get", "/api/v1/datasets").is_empty());
}

#[tokio::test]
async fn the_document_marks_required_the_fields_the_handlers_require() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    assert_eq!(required(schema(&doc, "TransitionBody")), ["to", "version"]);
    assert_eq!(required(schema(&doc, "MessageBody")), ["body"]);
    assert_eq!(required(schema(&doc, "AppealBody")), ["grounds"]);
    assert_eq!(
        required(schema(&doc, "ExtensionBody")),
        ["days", "circumstance"]
    );
    assert_eq!(required(schema(&doc, "AssignBody")), ["assignee"]);
    assert_eq!(required(schema(&doc, "LoginBody")), ["email", "password"]);

    let variants = schema(&doc, "RawSubmission")["oneOf"].as_array().unwrap();
    assert_eq!(variants.len(), 2);
    let records = &variants[0];
    assert_eq!(
        records["properties"]["kind"]["enum"],
        json!(["public_records"])
    );
    // A public records request may be anonymous: no requester, or one with nothing required.
    assert_eq!(required(records), ["kind", "description"]);
    let who = &records["properties"]["requester"]["anyOf"];
    assert_eq!(who[1]["type"], "null");
    assert!(required(&who[0]).is_empty(), "{who}");
    let access = &variants[1];
    assert_eq!(
        required(access),
        [
            "kind",
            "description",
            "requester",
            "dataset_id",
            "intended_use"
        ]
    );
    assert_eq!(
        required(&access["properties"]["requester"]),
        ["name", "email"]
    );
    // A value read as text carries the parser's rule, not just "a string".
    assert!(records["properties"]["description"]["pattern"]
        .as_str()
        .unwrap()
        .contains("{0,9998}"));
    let version = &schema(&doc, "TransitionBody")["properties"]["version"];
    assert_eq!(version["type"], "integer");
    assert_eq!(version["minimum"], 1);
}

#[tokio::test]
async fn the_answers_carry_formats_and_the_states_by_name() {
    let app = spawn_app().await;
    let doc = document(&app).await;
    let case = schema(&doc, "CaseView");
    assert_eq!(case["properties"]["received_at"]["format"], "date-time");
    assert_eq!(case["properties"]["due_on"]["format"], "date");
    assert_eq!(
        case["properties"]["status"]["$ref"],
        "#/components/schemas/Status"
    );
    let states = schema(&doc, "Status")["enum"].as_array().unwrap().len();
    assert_eq!(states, 9 + 5, "a request's nine, a complaint's five");
    let staff_ref = schema(&doc, "StaffRef");
    assert_eq!(
        staff_ref["properties"]["email"]["type"], "string",
        "absent for requesters, never null"
    );
    assert_eq!(
        schema(&doc, "DeterminationView")["properties"]["stage"]["enum"],
        json!(["initial", "review"])
    );

    // And what the service sends fits: a filed request as staff see it.
    let filed = app.submit_records_request().await;
    let clerk = app.staff("clerk@concordca.gov", "clerk", None).await;
    let seen = app
        .get(
            &format!("/api/v1/requests/{}", filed.tracking_number),
            Some(&clerk),
        )
        .await;
    let received = seen.body["received_at"].as_str().unwrap();
    assert!(
        chrono::DateTime::parse_from_rfc3339(received).is_ok(),
        "{received}"
    );
}

#[tokio::test]
async fn a_version_written_as_a_whole_number_with_a_point_is_taken() {
    let app = spawn_app().await;
    let filed = app.submit_records_request().await;
    let clerk = app.staff("clerk@concordca.gov", "clerk", None).await;
    let reply = app
        .transition(
            &filed.tracking_number,
            &clerk,
            json!({"to": "under_review", "version": 1.0}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    assert_eq!(reply.body["version"], 2);

    let fraction = app
        .transition(
            &filed.tracking_number,
            &clerk,
            json!({"to": "withdrawn", "version": 2.5}),
        )
        .await;
    assert_eq!(fraction.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        app.case(&filed.tracking_number, &filed.token).await["status"],
        "under_review"
    );
}

#[tokio::test]
async fn a_withdrawal_body_too_large_or_not_json_gets_the_error_shape() {
    let app = spawn_app().await;
    let filed = app.submit_records_request().await;
    let path = format!("/api/v1/requests/{}/withdraw", filed.tracking_number);
    let big = format!(
        "{{\"reason\": \"{}\"}}",
        "a".repeat(app.settings.server.body_limit_bytes)
    );
    let too_large = app
        .client
        .post(app.url(&path))
        .bearer_auth(&filed.token)
        .header("content-type", "application/json")
        .body(big)
        .send()
        .await
        .unwrap();
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let body: Value = too_large.json().await.expect("a JSON error");
    assert_eq!(body["error"], "payload_too_large");

    let as_text = app
        .client
        .post(app.url(&path))
        .bearer_auth(&filed.token)
        .header("content-type", "text/plain")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(as_text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(
        app.case(&filed.tracking_number, &filed.token).await["status"],
        "submitted"
    );

    // The body is optional, and the document says it may be null.
    let null = app.post(&path, Some(&filed.token), &Value::Null).await;
    assert_eq!(null.status, StatusCode::OK, "{}", null.body);
    assert_eq!(null.body["status"], "withdrawn");
}

#[tokio::test]
async fn counts_in_a_query_string_are_plain_digits() {
    let app = spawn_app().await;
    for page in ["%2B2", "%202", "", "0", "100001"] {
        let reply = app
            .get(&format!("/api/v1/datasets?page={page}"), None)
            .await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "page={page}"
        );
        assert_eq!(reply.field_errors(), ["page"]);
    }
    assert_eq!(
        app.get("/api/v1/datasets?page=2", None).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_kind_with_spaces_around_it_is_not_a_kind() {
    let app = spawn_app().await;
    let mut body = records_request();
    body["kind"] = json!(" public_records");
    let reply = app.post("/api/v1/requests", None, &body).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(reply.field_errors(), ["kind"]);
    assert_eq!(app.counts().requests, 0);
}

/// The document is the API's contract: it changes only on purpose, together with this copy
/// (`curl -s localhost:8080/openapi.json > tests/fixtures/openapi.json` after such a change).
#[tokio::test]
async fn the_document_served_is_the_committed_copy_byte_for_byte() {
    let app = spawn_app().await;
    let served = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let committed: &[u8] = include_bytes!("../fixtures/openapi.json");
    if served.as_ref() != committed {
        let at = served
            .iter()
            .zip(committed)
            .position(|(a, b)| a != b)
            .unwrap_or(served.len().min(committed.len()));
        let around = |bytes: &[u8]| {
            String::from_utf8_lossy(&bytes[at.saturating_sub(80)..(at + 80).min(bytes.len())])
                .into_owned()
        };
        panic!(
            "/openapi.json differs from tests/fixtures/openapi.json at byte {at}:\nserved:    {}\ncommitted: {}",
            around(&served),
            around(committed)
        );
    }
}
