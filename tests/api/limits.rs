//! One client cannot flood the intake or guess staff passwords.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn an_address_filing_too_many_requests_at_once_gets_429_with_retry_after() {
    let app = spawn_app_with(|s| s.limits.submissions_per_minute = 3).await;
    for _ in 0..3 {
        app.submit_records_request().await;
    }
    let response = app
        .client
        .post(app.url("/api/v1/requests"))
        .json(&records_request())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = response
        .headers()
        .get("retry-after")
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "too_many_requests");
    assert_eq!(app.counts().requests, 3);
}

#[tokio::test]
async fn repeated_wrong_passwords_lock_the_account_even_against_the_right_one() {
    let app = spawn_app_with(|s| s.limits.login_failures_per_account = 3).await;
    app.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    app.add_staff("other@city.test", "Other Clerk", "clerk", None);
    let attempt = |email: &'static str, password: &'static str| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/login",
                None,
                &json!({ "email": email, "password": password }),
            )
            .await
        }
    };
    for _ in 0..3 {
        assert_eq!(
            attempt("clerk@city.test", "guess").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = attempt("clerk@city.test", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(locked.body["error"], "too_many_requests");
    assert_eq!(
        attempt("other@city.test", PASSWORD).await.status,
        StatusCode::OK,
        "other accounts still sign in"
    );
}

#[tokio::test]
async fn a_successful_sign_in_clears_earlier_failures() {
    let app = spawn_app_with(|s| s.limits.login_failures_per_account = 3).await;
    app.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    for _ in 0..2 {
        app.post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": "clerk@city.test", "password": "guess" }),
        )
        .await;
    }
    app.login("clerk@city.test").await;
    for _ in 0..2 {
        app.post(
            "/api/v1/auth/login",
            None,
            &json!({ "email": "clerk@city.test", "password": "guess" }),
        )
        .await;
    }
    app.login("clerk@city.test").await;
}
