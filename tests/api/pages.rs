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
    assert!(page.contains("Open your request"));
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
    let home = page_text(&app.client, app.url("/")).await;
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
        let page = page_text(&client, app.url("/staff/notices")).await;
        assert!(
            page.contains("mailbox unavailable"),
            "{email} sees the list"
        );
        assert_eq!(page.contains("Send again"), offered, "{email}");
    }
}

/// The `recordsdesk` cookie a response sets, if any.
fn session_cookie(response: &reqwest::Response) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| v.strip_prefix("recordsdesk="))
        .map(|v| v.split(';').next().unwrap().to_string())
}

#[tokio::test]
async fn signing_in_replaces_the_session_and_a_copy_of_it_is_dead_after_signing_out() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Clerk", "clerk", None);
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let get = |path: &str, cookie: &str| {
        client
            .get(app.url(path))
            .header("cookie", format!("recordsdesk={cookie}"))
            .send()
    };
    let form = client.get(app.url("/staff/login")).send().await.unwrap();
    let before = session_cookie(&form).expect("the sign-in form starts a session");
    let csrf = csrf_in(&form.text().await.unwrap());
    let signed_in = client
        .post(app.url("/staff/login"))
        .header("cookie", format!("recordsdesk={before}"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("email", "clerk@city.test"),
            ("password", PASSWORD),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(signed_in.status(), StatusCode::SEE_OTHER);
    let after = session_cookie(&signed_in).expect("a new session on sign-in");
    assert_ne!(after, before);
    // The session from before signing in does not carry the sign-in.
    let old = get("/staff/queue", &before).await.unwrap();
    assert_eq!(old.status(), StatusCode::SEE_OTHER);

    let queue = get("/staff/queue", &after).await.unwrap();
    assert_eq!(queue.status(), StatusCode::OK);
    let csrf = csrf_in(&queue.text().await.unwrap());
    let out = client
        .post(app.url("/staff/logout"))
        .header("cookie", format!("recordsdesk={after}"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    // Someone who copied the signed-in cookie is shown the sign-in page, not the queue.
    let replayed = get("/staff/queue", &after).await.unwrap();
    assert_eq!(replayed.status(), StatusCode::SEE_OTHER);
    assert_eq!(replayed.headers()["location"], "/staff/login");
}
