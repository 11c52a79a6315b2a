//! Staff sign-in and who may call the staff endpoints.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn staff_sign_in_and_use_their_token() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    let reply = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": "Clerk@City.test", "password": PASSWORD }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["staff"]["role"], "clerk");
    assert_eq!(reply.body["staff"]["name"], "City Clerk");
    let token = reply.body["token"].as_str().unwrap();
    assert_eq!(
        app.get("/api/v1/queue", Some(token)).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_get_the_same_answer() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    let wrong = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": "clerk@city.test", "password": "nope" }),
        )
        .await;
    let unknown = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": "who@city.test", "password": "nope" }),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.body, unknown.body);
    assert_eq!(wrong.body["error"], "invalid_credentials");
}

#[tokio::test]
async fn the_queue_is_for_staff_only() {
    let app = spawn_app().await;
    let filed = app.submit_records_request().await;
    assert_eq!(
        app.get("/api/v1/queue", None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.get("/api/v1/queue", Some(&filed.token)).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/api/v1/queue", Some("rds_forged")).await.status,
        StatusCode::UNAUTHORIZED
    );
    let basic = app
        .client
        .get(app.url("/api/v1/queue"))
        .basic_auth("clerk", Some("pw"))
        .send()
        .await
        .unwrap();
    assert_eq!(basic.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn health_and_the_openapi_document_are_public() {
    let app = spawn_app().await;
    let health = app.get("/healthz", None).await;
    assert_eq!(health.status, StatusCode::OK);
    assert_eq!(health.body["database"], "ok");
    let spec = app.get("/openapi.json", None).await;
    assert_eq!(spec.status, StatusCode::OK);
    let paths = spec.body["paths"].as_object().unwrap();
    for path in [
        "/api/v1/requests",
        "/api/v1/requests/{tracking_number}",
        "/api/v1/requests/{tracking_number}/transitions",
        "/api/v1/requests/{tracking_number}/appeal",
        "/api/v1/requests/{tracking_number}/withdraw",
        "/api/v1/requests/{tracking_number}/messages",
        "/api/v1/requests/{tracking_number}/extension",
        "/api/v1/requests/{tracking_number}/assign",
        "/api/v1/requests/{tracking_number}/audit",
        "/api/v1/queue",
        "/api/v1/auth/login",
        "/api/v1/datasets/{id}",
        "/healthz",
    ] {
        assert!(
            paths.contains_key(path),
            "{path} missing from the OpenAPI document"
        );
    }
}

#[tokio::test]
async fn a_dataset_can_be_read_by_anyone() {
    let app = spawn_app().await;
    app.add_dataset(
        "building-permits",
        "Building Permits",
        None,
        Some("Community Development"),
    );
    let reply = app.get("/api/v1/datasets/building-permits", None).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["title"], "Building Permits");
    assert_eq!(
        app.get("/api/v1/datasets/nope", None).await.status,
        StatusCode::NOT_FOUND
    );
}
