//! The pages over plain HTTP: what a browser is sent, and forms refused without their token.
//! (The whole walk in a real browser is tests/browser.rs.)

use reqwest::StatusCode;

use crate::helpers::*;

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/requests/new",
        "/staff/login",
        "/api/v1/queue",
        "/no-such-page",
    ] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let headers = response.headers();
        let csp = headers
            .get("content-security-policy")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        assert!(
            csp.contains("frame-ancestors 'none'") && !csp.contains("script-src"),
            "{path}: {csp}"
        );
        assert_eq!(
            headers.get("x-content-type-options").unwrap(),
            "nosniff",
            "{path}"
        );
        assert_eq!(
            headers.get("referrer-policy").unwrap(),
            "no-referrer",
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_form_without_its_csrf_token_is_refused_and_files_nothing() {
    let app = spawn_app().await;
    let before = app.counts();
    let response = app
        .client
        .post(app.url("/requests/new"))
        .form(&[
            ("kind", "public_records"),
            ("name", "Jane"),
            ("email", "jane@example.com"),
            ("description", "Logs"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(response
        .text()
        .await
        .unwrap()
        .contains("This form has expired"));
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn staff_pages_send_you_to_sign_in() {
    let app = spawn_app().await;
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    for path in [
        "/staff/queue",
        "/staff/notices",
        "/staff/requests/RR-2026-00001",
    ] {
        let response = client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(
            response.headers().get("location").unwrap(),
            "/staff/login",
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_private_link_with_the_wrong_token_shows_nothing() {
    let app = spawn_app().await;
    let mine = app.submit_records_request().await;
    let theirs = app.submit_records_request().await;
    let response = app
        .client
        .get(app.url(&format!(
            "/requests/{}?token={}",
            mine.tracking_number, theirs.token
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let page = response.text().await.unwrap();
    assert!(page.contains("Page not found"));
    assert!(
        !page.contains("Todos Santos"),
        "nothing of the request is shown"
    );
}

#[tokio::test]
async fn the_stylesheet_is_served_from_the_site_itself() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(app.url("/static/site.css"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response
        .headers()
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("text/css"));
    let home = app
        .client
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        !home.contains("http://") && !home.contains("https://"),
        "nothing is loaded from another site"
    );
}

#[tokio::test]
async fn every_answer_carries_a_request_id_and_keeps_a_plain_one_from_the_caller() {
    let app = spawn_app().await;
    let mut seen = std::collections::HashSet::new();
    for path in ["/", "/api/v1/queue", "/healthz", "/no-such-page"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        let id = response.headers()["x-request-id"]
            .to_str()
            .unwrap()
            .to_string();
        assert_eq!(id.len(), 16, "{path}: {id}");
        assert!(seen.insert(id), "{path}: a fresh ID for each request");
    }
    let kept = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "gateway-7f3a")
        .send()
        .await
        .unwrap();
    assert_eq!(kept.headers()["x-request-id"], "gateway-7f3a");
    let replaced = app
        .client
        .get(app.url("/healthz"))
        .header("x-request-id", "has spaces; and=more")
        .send()
        .await
        .unwrap();
    assert_ne!(replaced.headers()["x-request-id"], "has spaces; and=more");
}

#[tokio::test]
async fn only_those_who_may_resend_a_failed_notice_are_offered_the_button() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Clerk", "clerk", None);
    app.add_staff("reviewer@city.test", "Reviewer", "reviewer", None);
    app.submit_records_request().await;
    app.sql("UPDATE outbox SET status = 'dead', last_error = 'mailbox unavailable'")
        .unwrap();
    for (email, offered) in [("clerk@city.test", true), ("reviewer@city.test", false)] {
        let client = app.signed_in_pages(email).await;
        let page = client
            .get(app.url("/staff/notices"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            page.contains("mailbox unavailable"),
            "{email} sees the list"
        );
        assert_eq!(page.contains("Send again"), offered, "{email}");
    }
}
