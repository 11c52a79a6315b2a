//! Bad bodies at scale: too large, the wrong type, nested without end, not UTF-8, carrying NUL
//! and control characters. Each gets a clear 4xx in the one JSON error shape (or, on a page,
//! a page) and stores nothing.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

/// The one error shape: a code, a message, and per-field messages for a 422.
pub fn assert_refused(reply: &Reply, status: StatusCode, code: &str) {
    assert_eq!(reply.status, status, "{:?}", reply.body);
    assert_eq!(reply.body["error"], code, "{:?}", reply.body);
    let message = reply.body["message"].as_str().unwrap_or("");
    assert!(!message.is_empty(), "a message says why: {:?}", reply.body);
}

/// A 422 naming exactly `fields`.
pub fn assert_fields(reply: &Reply, fields: &[&str]) {
    assert_refused(reply, StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(reply.field_errors(), fields, "{:?}", reply.body);
}

/// `body` padded with trailing whitespace (which JSON allows) to exactly `len` bytes.
fn padded_to(body: &Value, len: usize) -> Vec<u8> {
    let mut bytes = serde_json::to_vec(body).unwrap();
    assert!(
        bytes.len() <= len,
        "the body is already {} bytes",
        bytes.len()
    );
    bytes.resize(len, b' ');
    bytes
}

async fn post_json_bytes(app: &TestApp, path: &str, bytes: Vec<u8>) -> Reply {
    app.post_raw(path, "application/json", bytes).await
}

#[tokio::test]
async fn a_body_one_byte_over_the_limit_is_413_and_at_or_one_under_it_is_judged_on_its_content() {
    let app = spawn_app().await;
    let limit = app.settings.server.body_limit_bytes;
    let before = app.counts();

    let over = post_json_bytes(
        &app,
        "/api/v1/requests",
        padded_to(&records_request(), limit + 1),
    )
    .await;
    assert_refused(&over, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    assert_eq!(app.counts(), before);

    for len in [limit - 1, limit] {
        let taken =
            post_json_bytes(&app, "/api/v1/requests", padded_to(&records_request(), len)).await;
        assert_eq!(
            taken.status,
            StatusCode::CREATED,
            "{len} bytes: {:?}",
            taken.body
        );
    }

    let mut too_long = records_request();
    too_long["description"] = json!("d".repeat(10_001));
    let judged = post_json_bytes(&app, "/api/v1/requests", padded_to(&too_long, limit - 1)).await;
    assert_fields(&judged, &["description"]);
    assert_eq!(app.counts().requests, before.requests + 2);
}

#[tokio::test]
async fn a_message_or_transition_body_over_the_limit_is_413_and_changes_nothing() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = &filed.tracking_number;
    let limit = app.settings.server.body_limit_bytes;
    let before = app.counts();
    for (path, body) in [
        (
            format!("/api/v1/requests/{tn}/messages"),
            json!({ "body": "hello" }),
        ),
        (
            format!("/api/v1/requests/{tn}/transitions"),
            json!({ "to": "under_review", "version": 1 }),
        ),
        (
            format!("/api/v1/requests/{tn}/withdraw"),
            json!({ "version": 1 }),
        ),
    ] {
        let response = app
            .client
            .post(app.url(&path))
            .bearer_auth(if path.ends_with("withdraw") {
                &filed.token
            } else {
                &clerk
            })
            .header("content-type", "application/json")
            .body(padded_to(&body, limit + 1))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let text = response.text().await.unwrap_or_default();
        let reply = Reply {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::Null),
        };
        assert_refused(&reply, StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large");
    }
    assert_eq!(app.counts(), before);
    assert_eq!(app.case(tn, &filed.token).await["status"], "submitted");
}

#[tokio::test]
async fn a_body_that_is_not_json_by_its_content_type_is_415() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = &filed.tracking_number;
    let before = app.counts();
    let json = serde_json::to_string(&records_request()).unwrap();
    for content_type in [
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("multipart/form-data; boundary=x"),
        Some("application/xml"),
        Some("text/json-ish"),
        None,
    ] {
        for (path, token) in [
            ("/api/v1/requests".to_string(), None),
            (format!("/api/v1/requests/{tn}/messages"), Some(&clerk)),
            (format!("/api/v1/requests/{tn}/transitions"), Some(&clerk)),
            // Its body is optional, but one that is there must be JSON too.
            (
                format!("/api/v1/requests/{tn}/withdraw"),
                Some(&filed.token),
            ),
        ] {
            let mut request = app.client.post(app.url(&path)).body(json.clone());
            if let Some(content_type) = content_type {
                request = request.header("content-type", content_type);
            }
            if let Some(token) = token {
                request = request.bearer_auth(token);
            }
            let response = request.send().await.unwrap();
            let reply = Reply {
                status: response.status(),
                body: response.json().await.unwrap_or(Value::Null),
            };
            assert_refused(
                &reply,
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
            );
        }
    }
    assert_eq!(app.counts(), before);
    assert_eq!(app.case(tn, &filed.token).await["status"], "submitted");

    // A charset parameter on JSON is fine.
    let charset = app
        .post_raw("/api/v1/requests", "application/json; charset=utf-8", json)
        .await;
    assert_eq!(charset.status, StatusCode::CREATED, "{:?}", charset.body);
}

fn nested_arrays(depth: usize) -> String {
    format!("{}{}", "[".repeat(depth), "]".repeat(depth))
}

fn nested_objects(depth: usize) -> String {
    format!("{}1{}", r#"{"a":"#.repeat(depth), "}".repeat(depth))
}

/// Deeply nested JSON never exhausts the stack: where the endpoint wants text or an object
/// it is the wrong shape at its first bracket (422); cut off, it is malformed (400); in a
/// field the endpoint does not know, it is skipped without recursion and the rest is read.
async fn deep_json_is_refused_or_skipped(app: &TestApp, depth: usize) {
    let before = app.counts();
    let wrong_shape = [
        nested_arrays(depth),
        "[".repeat(depth),
        format!(r#"{{"requester": {{"name": {}}}}}"#, nested_objects(depth)),
        format!(r#"{{"kind": {}}}"#, nested_arrays(depth)),
    ];
    for body in wrong_shape {
        let reply = app
            .post_raw("/api/v1/requests", "application/json", body)
            .await;
        assert_refused(&reply, StatusCode::UNPROCESSABLE_ENTITY, "invalid_body");
    }
    let cut_off = [
        format!(r#"{{"extra": {}"#, "[".repeat(depth)),
        format!(r#"{{"extra": {}"#, r#"{"a":"#.repeat(depth)),
    ];
    for body in &cut_off {
        let reply = app
            .post_raw("/api/v1/requests", "application/json", body.clone())
            .await;
        assert_refused(&reply, StatusCode::BAD_REQUEST, "malformed_json");
    }
    assert_eq!(app.counts(), before);

    let mut skipped = serde_json::to_string(&records_request()).unwrap();
    skipped.pop();
    skipped.push_str(&format!(r#", "extra": {}}}"#, nested_arrays(depth)));
    let filed = app
        .post_raw("/api/v1/requests", "application/json", skipped)
        .await;
    assert_eq!(filed.status, StatusCode::CREATED, "{:?}", filed.body);
    let tn = filed.body["tracking_number"].as_str().unwrap();
    let token = filed.body["access_token"].as_str().unwrap();

    // The withdrawal reads its optional body itself; it must be as careful.
    let before = app.counts();
    let response = app
        .client
        .post(app.url(&format!("/api/v1/requests/{tn}/withdraw")))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(cut_off[1].clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.counts(), before);
    assert_eq!(app.get("/healthz", None).await.status, StatusCode::OK);
    assert_eq!(app.case(tn, token).await["status"], "submitted");
}

#[tokio::test]
async fn json_nested_ten_thousand_deep_within_the_body_limit_is_handled_without_recursion() {
    let app = spawn_app().await;
    deep_json_is_refused_or_skipped(&app, 10_000).await;
}

#[tokio::test]
async fn json_nested_a_hundred_thousand_deep_under_a_larger_limit_is_handled_not_a_crash() {
    let app = spawn_app_with(|s| s.server.body_limit_bytes = 4 * 1024 * 1024).await;
    deep_json_is_refused_or_skipped(&app, 100_000).await;
}

#[tokio::test]
async fn json_that_is_not_utf8_is_400_and_stores_nothing() {
    let app = spawn_app().await;
    let before = app.counts();
    let good = serde_json::to_vec(&records_request()).unwrap();
    let name_at = good.windows(4).position(|w| w == b"Jane").unwrap();
    for bad in [
        &b"\xff\xfe"[..], // not UTF-8 at all
        b"\xc0\xaf",      // an overlong encoding of '/'
        b"\xed\xa0\x80",  // a UTF-16 surrogate encoded as UTF-8
        b"\xe2\x82",      // a character cut short
        br"\ud800",       // a lone surrogate, escaped
    ] {
        let mut body = good.clone();
        body.splice(name_at..name_at + 1, bad.iter().copied());
        let reply = post_json_bytes(&app, "/api/v1/requests", body).await;
        assert_refused(&reply, StatusCode::BAD_REQUEST, "malformed_json");
    }
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn nul_bytes_and_control_characters_in_json_fields_are_422_by_field() {
    let app = spawn_app().await;
    let before = app.counts();
    let cases: [(&str, &str, Value); 7] = [
        ("requester.name", "/requester/name", json!("Jane\u{0}Doe")),
        ("requester.name", "/requester/name", json!("Jane\tDoe")),
        ("requester.name", "/requester/name", json!("Jane\u{85}Doe")),
        (
            "requester.email",
            "/requester/email",
            json!("jane\u{0}@example.com"),
        ),
        (
            "requester.organization",
            "/requester/organization",
            json!("ACME\u{7f}"),
        ),
        ("description", "/description", json!("Logs\u{0} please")),
        ("description", "/description", json!("Logs \u{1b}[31mred")),
    ];
    for (field, pointer, value) in cases {
        let mut body = records_request();
        body["requester"]["organization"] = json!("ACME");
        *body.pointer_mut(pointer).unwrap() = value;
        let reply = app.post("/api/v1/requests", None, &body).await;
        assert_fields(&reply, &[field]);
    }
    assert_eq!(app.counts(), before);

    // A NUL in a key is a key the body does not have.
    let keyed = app
        .post_raw(
            "/api/v1/requests",
            "application/json",
            r#"{"kind\u0000": "public_records"}"#,
        )
        .await;
    assert_refused(
        &keyed,
        StatusCode::UNPROCESSABLE_ENTITY,
        "validation_failed",
    );
    assert!(keyed.field_errors().contains(&"kind".to_string()));

    let filed = app.submit_records_request().await;
    let tn = &filed.tracking_number;
    let before = app.counts();
    let message = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&filed.token),
            &json!({ "body": "hi\u{0}" }),
        )
        .await;
    assert_fields(&message, &["body"]);
    let grounds = app
        .post(
            &format!("/api/v1/requests/{tn}/withdraw"),
            Some(&filed.token),
            &json!({ "reason": "\u{0}\u{0}x" }),
        )
        .await;
    assert_fields(&grounds, &["reason"]);
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn nul_bytes_in_addresses_queries_and_sign_in_are_4xx_not_5xx() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let not_found = app
        .get("/api/v1/requests/RR-2026-0000%00", Some(&filed.token))
        .await;
    assert_refused(&not_found, StatusCode::NOT_FOUND, "not_found");
    for query in ["q=%00", "q=a%00b", "access_level=public%00", "page=1%00"] {
        let reply = app.get(&format!("/api/v1/datasets?{query}"), None).await;
        assert_refused(
            &reply,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
    }
    for query in [
        "queue=%00",
        "assignee=%00",
        "status=%00",
        "cursor=%00",
        "limit=%00",
    ] {
        let reply = app
            .get(&format!("/api/v1/queue?{query}"), Some(&clerk))
            .await;
        assert_refused(
            &reply,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation_failed",
        );
    }
    let sign_in = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": "clerk@city.test\u{0}", "password": PASSWORD }),
        )
        .await;
    assert_refused(&sign_in, StatusCode::UNAUTHORIZED, "invalid_credentials");
    let pages = app
        .client
        .get(app.url("/datasets?q=%00"))
        .send()
        .await
        .unwrap();
    assert!(pages.status().is_client_error(), "{}", pages.status());
}

/// A browser's first visit to the request form: its cookie and the form's token.
pub async fn form_visit(app: &TestApp) -> (String, String) {
    let response = app
        .client
        .get(app.url("/requests/new"))
        .send()
        .await
        .unwrap();
    let cookie = cookies(&response);
    let page = response.text().await.unwrap();
    let (_, after) = page
        .split_once(r#"name="csrf" value=""#)
        .expect("a form token");
    let csrf = after.split('"').next().unwrap().to_string();
    (cookie, csrf)
}

/// The `name=value` pairs a response sets, as a Cookie header sends them back.
pub fn cookies(response: &reqwest::Response) -> String {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok()?.split(';').next().map(str::to_string))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Posts the request form as raw bytes with a valid session and token; a filed request
/// answers 303 (not followed).
pub async fn post_form(app: &TestApp, fields: &[u8]) -> (StatusCode, String) {
    let (cookie, csrf) = form_visit(app).await;
    let mut body = format!("csrf={csrf}&").into_bytes();
    body.extend_from_slice(fields);
    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let response = browser
        .post(app.url("/requests/new"))
        .header("cookie", cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_form_with_nul_or_control_characters_is_shown_again_with_the_errors_and_files_nothing() {
    let app = spawn_app().await;
    let before = app.counts();
    let (status, page) = post_form(
        &app,
        b"kind=public_records&name=Jane%00Doe&email=jane%40example.com&description=Logs%1B%5B31m",
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("single line without control characters"),
        "{page}"
    );
    assert!(
        page.contains("must not contain control characters"),
        "{page}"
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_form_body_that_is_not_utf8_is_refused_and_files_nothing() {
    let app = spawn_app().await;
    let before = app.counts();
    for name in [&b"Jane%FF%FEDoe"[..], b"Jane\xff\xfeDoe", b"Jane%C0%AF"] {
        let mut fields =
            b"kind=public_records&email=jane%40example.com&description=Logs&name=".to_vec();
        fields.extend_from_slice(name);
        let (status, page) = post_form(&app, &fields).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{page}");
        assert!(page.contains("not sent as UTF-8"), "{page}");
    }
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_form_body_over_the_limit_is_413_and_files_nothing() {
    let app = spawn_app().await;
    let before = app.counts();
    let limit = app.settings.server.body_limit_bytes;
    let mut fields =
        b"kind=public_records&name=Jane&email=jane%40example.com&description=".to_vec();
    fields.resize(limit + 1, b'x');
    let (status, _) = post_form(&app, &fields).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.counts(), before);
}
