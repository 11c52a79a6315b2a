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

/// A sign-in try from `from` (an address the trusted proxy at 127.0.0.1 forwards for, or
/// none: the test's own address): its status and Retry-After.
async fn try_sign_in(
    app: &TestApp,
    from: Option<&str>,
    email: &str,
    password: &str,
) -> (StatusCode, Option<u64>) {
    let mut request = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": password }));
    if let Some(from) = from {
        request = request.header("x-forwarded-for", from);
    }
    let response = request.send().await.unwrap();
    let wait = response
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().parse().unwrap());
    let status = response.status();
    if status == StatusCode::TOO_MANY_REQUESTS {
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(body["error"], "too_many_requests");
        assert!(wait.is_some(), "429 without Retry-After");
    }
    (status, wait)
}

fn behind_proxy(s: &mut recordsdesk::config::Settings) {
    s.limits.trusted_proxies = vec!["127.0.0.1".into()];
}

#[tokio::test]
async fn wrong_passwords_from_one_address_wait_longer_each_time_up_to_a_cap_even_the_right_one() {
    let app = spawn_app_with(|s| {
        s.limits.login_free_tries = 3;
        s.limits.login_delay_initial_milliseconds = 1000;
        s.limits.login_delay_max_milliseconds = 2000;
    })
    .await;
    app.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    app.add_staff("other@city.test", "Other Clerk", "clerk", None);
    let clerk = "clerk@city.test";
    for _ in 0..3 {
        assert_eq!(
            try_sign_in(&app, None, clerk, "guess").await.0,
            StatusCode::UNAUTHORIZED
        );
    }
    // Too early: refused unchecked, the right password too.
    assert_eq!(
        try_sign_in(&app, None, clerk, "guess").await,
        (StatusCode::TOO_MANY_REQUESTS, Some(1))
    );
    assert_eq!(
        try_sign_in(&app, None, clerk, PASSWORD).await,
        (StatusCode::TOO_MANY_REQUESTS, Some(1))
    );
    assert_eq!(
        try_sign_in(&app, None, "other@city.test", PASSWORD).await.0,
        StatusCode::OK,
        "other accounts are not held up"
    );
    // The wait doubles, and stops at the cap (2 s).
    for expected in [2, 2] {
        let (_, wait) = try_sign_in(&app, None, clerk, "guess").await;
        tokio::time::sleep(std::time::Duration::from_secs(wait.unwrap())).await;
        assert_eq!(
            try_sign_in(&app, None, clerk, "guess").await.0,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            try_sign_in(&app, None, clerk, "guess").await,
            (StatusCode::TOO_MANY_REQUESTS, Some(expected))
        );
    }
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    app.login(clerk).await;
}

#[tokio::test]
async fn a_successful_sign_in_clears_earlier_failures() {
    let app = spawn_app_with(|s| s.limits.login_free_tries = 3).await;
    app.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    for _ in 0..2 {
        let (status, _) = try_sign_in(&app, None, "clerk@city.test", "guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    app.login("clerk@city.test").await;
    for _ in 0..2 {
        let (status, _) = try_sign_in(&app, None, "clerk@city.test", "guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    app.login("clerk@city.test").await;
}

#[tokio::test]
async fn attackers_elsewhere_cannot_keep_a_clerk_out_and_still_guess_slowly() {
    let app = spawn_app_with(|s| {
        behind_proxy(s);
        s.limits.login_free_tries = 3;
        s.limits.login_account_free_tries = 5;
        s.limits.login_delay_initial_milliseconds = 1000;
        s.limits.login_delay_max_milliseconds = 2000;
        s.limits.login_account_delay_max_milliseconds = 2000;
    })
    .await;
    app.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    let clerk = "clerk@city.test";
    let office = Some("198.51.100.7");
    assert_eq!(
        try_sign_in(&app, office, clerk, PASSWORD).await.0,
        StatusCode::OK
    );

    // Twenty addresses, three wrong passwords each, as fast as they can.
    let mut checked = 0;
    for i in 1..=20 {
        let from = format!("203.0.113.{i}");
        for _ in 0..3 {
            match try_sign_in(&app, Some(&from), clerk, "guess").await {
                (StatusCode::UNAUTHORIZED, _) => checked += 1,
                (StatusCode::TOO_MANY_REQUESTS, Some(wait)) => assert!(wait <= 2, "{wait}"),
                other => panic!("{other:?}"),
            }
        }
    }
    // The account's five free tries, then one a second or slower: not sixty guesses.
    assert!(checked <= 7, "{checked} passwords checked");

    // The clerk's own address is not held up by any of it (the old per-account lockout
    // answered 429 here for 15 minutes).
    assert_eq!(
        try_sign_in(&app, office, clerk, PASSWORD).await.0,
        StatusCode::OK
    );
    // A new address of theirs waits at most the account's cap.
    let laptop = Some("198.51.100.8");
    match try_sign_in(&app, laptop, clerk, PASSWORD).await {
        (StatusCode::OK, _) => {}
        (StatusCode::TOO_MANY_REQUESTS, Some(wait)) => {
            assert!(wait <= 2, "{wait}");
            tokio::time::sleep(std::time::Duration::from_secs(wait)).await;
            assert_eq!(
                try_sign_in(&app, laptop, clerk, PASSWORD).await.0,
                StatusCode::OK
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn failures_from_one_address_on_other_accounts_do_not_hold_up_everyone_behind_it() {
    let app = spawn_app_with(behind_proxy).await;
    app.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    let nat = Some("192.0.2.44");
    // The old limit locked the whole address after 20 failures.
    for i in 0..25 {
        let (status, _) = try_sign_in(&app, nat, &format!("user{i}@city.test"), "guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        try_sign_in(&app, nat, "clerk@city.test", PASSWORD).await.0,
        StatusCode::OK
    );
}

/// Files a request through the proxy with this X-Forwarded-For; the status.
async fn file_via(app: &TestApp, forwarded_for: &str) -> StatusCode {
    app.client
        .post(app.url("/api/v1/requests"))
        .header("x-forwarded-for", forwarded_for)
        .json(&records_request())
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn spoofed_forwarded_for_entries_change_no_limit() {
    let app = spawn_app_with(|s| {
        behind_proxy(s);
        s.limits.submissions_per_minute = 3;
        s.limits.login_free_tries = 3;
        s.limits.login_delay_initial_milliseconds = 5000;
    })
    .await;
    app.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    // The client writes whatever it likes on the left; the proxy appends the real address.
    for i in 0..3 {
        assert_ne!(
            file_via(&app, &format!("10.{i}.0.1, 203.0.113.9")).await,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    assert_eq!(
        file_via(&app, "10.9.9.9, 203.0.113.9").await,
        StatusCode::TOO_MANY_REQUESTS,
        "a new left entry is not a new client"
    );
    assert_ne!(
        file_via(&app, "203.0.113.10").await,
        StatusCode::TOO_MANY_REQUESTS,
        "another client behind the proxy is"
    );
    for i in 0..3 {
        let from = format!("172.16.{i}.1, 203.0.113.9");
        let (status, _) = try_sign_in(&app, Some(&from), "clerk@city.test", "guess").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    let (status, _) = try_sign_in(
        &app,
        Some("172.16.99.1, 203.0.113.9"),
        "clerk@city.test",
        "guess",
    )
    .await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn forwarded_for_is_ignored_from_a_peer_that_is_no_trusted_proxy() {
    let app = spawn_app_with(|s| {
        s.limits.submissions_per_minute = 3;
        s.limits.trusted_proxies = vec!["192.0.2.1".into()];
    })
    .await;
    for i in 0..3 {
        assert_ne!(
            file_via(&app, &format!("203.0.113.{i}")).await,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    assert_eq!(
        file_via(&app, "203.0.113.99").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn the_legacy_trust_forwarded_for_believes_only_the_rightmost_entry() {
    let app = spawn_app_with(|s| {
        s.limits.submissions_per_minute = 2;
        s.limits.trust_forwarded_for = true;
    })
    .await;
    for left in ["1.1.1.1", "2.2.2.2"] {
        assert_ne!(
            file_via(&app, &format!("{left}, 203.0.113.5")).await,
            StatusCode::TOO_MANY_REQUESTS
        );
    }
    assert_eq!(
        file_via(&app, "3.3.3.3, 203.0.113.5").await,
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_ne!(
        file_via(&app, "203.0.113.6").await,
        StatusCode::TOO_MANY_REQUESTS
    );
}

#[tokio::test]
async fn a_body_that_stops_arriving_is_answered_408_and_the_connection_closed() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn_app_with(|s| s.server.body_read_timeout_seconds = 1).await;
    for (path, content_type) in [
        ("/api/v1/requests", "application/json"),
        ("/staff/login", "application/x-www-form-urlencoded"),
    ] {
        let address = app.address.trim_start_matches("http://");
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let head = format!(
            "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: {content_type}\r\n\
             Content-Length: 100\r\n\r\n{{"
        );
        stream.write_all(head.as_bytes()).await.unwrap();
        let started = std::time::Instant::now();
        let mut answer = Vec::new();
        let read = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            stream.read_to_end(&mut answer),
        )
        .await;
        let took = started.elapsed();
        assert!(read.is_ok(), "{path}: still open after 10 s");
        assert!(
            took < std::time::Duration::from_secs(4),
            "{path}: closed after {took:?}"
        );
        let answer = String::from_utf8_lossy(&answer);
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "{path}: {answer}"
        );
    }
}
