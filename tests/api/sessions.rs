//! Staff sessions end: at sign-out, when unused for `auth.staff_idle_minutes`, when all of a
//! staff member's sessions are revoked, and when the account is deactivated.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use recordsdesk::db::schema::{staff, staff_tokens};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

async fn queue_status(app: &TestApp, authorization: &str) -> StatusCode {
    app.client
        .get(app.url("/api/v1/queue"))
        .header("authorization", authorization)
        .send()
        .await
        .unwrap()
        .status()
}

/// The staff page of the queue, or a redirect to sign in.
async fn queue_page(app: &TestApp, client: &reqwest::Client) -> (StatusCode, String) {
    let response = client.get(app.url("/staff/queue")).send().await.unwrap();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_string())
        .unwrap_or_default();
    (response.status(), location)
}

/// Sets when every token of this staff member was last used.
fn last_used(app: &TestApp, email: &str, at: NaiveDateTime) {
    let email = email.to_string();
    app.with_conn(move |conn| {
        let id: i64 = staff::table
            .filter(staff::email.eq(&email))
            .select(staff::id)
            .first(conn)?;
        diesel::update(staff_tokens::table.filter(staff_tokens::staff_id.eq(id)))
            .set(staff_tokens::last_used_at.eq(at))
            .execute(conn)
    });
}

fn tokens_of(app: &TestApp, email: &str) -> Vec<NaiveDateTime> {
    let email = email.to_string();
    app.with_conn(move |conn| {
        staff_tokens::table
            .inner_join(staff::table)
            .filter(staff::email.eq(&email))
            .select(staff_tokens::last_used_at)
            .load(conn)
    })
}

#[tokio::test]
async fn logout_ends_the_token_presented_and_only_it() {
    let app = spawn_app().await;
    let token = app.staff("clerk@city.test", "clerk", None).await;
    let other = app.login("clerk@city.test").await;
    let out = app
        .post("/api/v1/auth/logout", Some(&token), &json!({}))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    assert_eq!(out.body, serde_json::Value::Null);
    assert_eq!(
        queue_status(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        queue_status(&app, &format!("Bearer {other}")).await,
        StatusCode::OK
    );
    let again = app
        .post("/api/v1/auth/logout", Some(&token), &json!({}))
        .await;
    assert_eq!(again.status, StatusCode::UNAUTHORIZED);
    let anonymous = app.post("/api/v1/auth/logout", None, &json!({})).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_bearer_scheme_is_case_insensitive_for_staff_and_the_gateway() {
    let app =
        spawn_app_with(|s| s.catalog.gateway_token = "gateway-secret".to_string().into()).await;
    let token = app.staff("clerk@city.test", "clerk", None).await;
    for scheme in ["Bearer", "bearer", "BEARER"] {
        assert_eq!(
            queue_status(&app, &format!("{scheme} {token}")).await,
            StatusCode::OK
        );
        let verified = app
            .client
            .post(app.url("/api/v1/keys/verify"))
            .header("authorization", format!("{scheme} gateway-secret"))
            .json(&json!({ "key": "rdk_not_a_key" }))
            .send()
            .await
            .unwrap();
        assert_eq!(verified.status(), StatusCode::OK, "gateway with {scheme:?}");
    }
    let wrong = app
        .client
        .post(app.url("/api/v1/keys/verify"))
        .header("authorization", "bearer not-the-secret")
        .json(&json!({ "key": "rdk_not_a_key" }))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_staff_token_unused_for_the_idle_time_ends_and_use_keeps_it_alive() {
    let app = spawn_app_with(|s| s.auth.staff_idle_minutes = 60).await;
    let token = app.staff("clerk@city.test", "clerk", None).await;
    let bearer = format!("Bearer {token}");
    let now = recordsdesk::db::now();

    // Used 50 minutes ago: still good, and this use restarts the idle time.
    last_used(&app, "clerk@city.test", now - Duration::minutes(50));
    assert_eq!(queue_status(&app, &bearer).await, StatusCode::OK);
    let used = tokens_of(&app, "clerk@city.test");
    assert!(
        used.iter().all(|t| *t >= now - Duration::minutes(1)),
        "{used:?}"
    );
    assert_eq!(queue_status(&app, &bearer).await, StatusCode::OK);

    // Unused for 61 minutes: ended, though its 12 hours are not up.
    last_used(&app, "clerk@city.test", now - Duration::minutes(61));
    assert_eq!(queue_status(&app, &bearer).await, StatusCode::UNAUTHORIZED);
    // The next sign-in clears away the dead token.
    app.login("clerk@city.test").await;
    assert_eq!(tokens_of(&app, "clerk@city.test").len(), 1);
}

#[tokio::test]
async fn an_idle_staff_page_session_is_sent_to_sign_in() {
    let app = spawn_app_with(|s| s.auth.staff_idle_minutes = 60).await;
    app.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    let pages = app.signed_in_pages("clerk@city.test").await;
    assert_eq!(queue_page(&app, &pages).await.0, StatusCode::OK);
    last_used(
        &app,
        "clerk@city.test",
        recordsdesk::db::now() - Duration::minutes(61),
    );
    assert_eq!(
        queue_page(&app, &pages).await,
        (StatusCode::SEE_OTHER, "/staff/login".to_string())
    );
}

#[tokio::test]
async fn revoke_sessions_ends_every_session_of_one_staff_member() {
    let app = spawn_app().await;
    let token = app.staff("clerk@city.test", "clerk", None).await;
    let pages = app.signed_in_pages("clerk@city.test").await;
    let other = app.staff("other@city.test", "clerk", None).await;

    let revoked = app
        .cli(
            &["staff", "revoke-sessions", "--email", "Clerk@City.test"],
            None,
        )
        .await;
    assert!(
        revoked.status.success(),
        "{}",
        String::from_utf8_lossy(&revoked.stderr)
    );
    assert!(
        String::from_utf8_lossy(&revoked.stdout).contains("ended 2 sessions"),
        "{}",
        String::from_utf8_lossy(&revoked.stdout)
    );
    assert_eq!(
        queue_status(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(queue_page(&app, &pages).await.1, "/staff/login");
    assert_eq!(
        queue_status(&app, &format!("Bearer {other}")).await,
        StatusCode::OK
    );
    // They sign in again with their password.
    app.login("clerk@city.test").await;

    let unknown = app
        .cli(
            &["staff", "revoke-sessions", "--email", "nobody@city.test"],
            None,
        )
        .await;
    assert_eq!(unknown.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("no staff account"));
}

#[tokio::test]
async fn deactivating_a_staff_member_ends_their_sessions_for_good() {
    let app = spawn_app().await;
    let token = app.staff("clerk@city.test", "clerk", None).await;
    let pages = app.signed_in_pages("clerk@city.test").await;
    let other = app.staff("other@city.test", "clerk", None).await;
    // However it is done: here as someone with direct database access would.
    app.sql("UPDATE staff SET active = 0 WHERE email = 'clerk@city.test'")
        .unwrap();
    assert_eq!(
        queue_status(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED
    );
    assert!(tokens_of(&app, "clerk@city.test").is_empty());
    // Turned back on, the account signs in afresh; the old sessions stay ended.
    app.sql("UPDATE staff SET active = 1 WHERE email = 'clerk@city.test'")
        .unwrap();
    assert_eq!(
        queue_status(&app, &format!("Bearer {token}")).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(queue_page(&app, &pages).await.1, "/staff/login");
    assert_eq!(
        queue_status(&app, &format!("Bearer {other}")).await,
        StatusCode::OK
    );
    app.login("clerk@city.test").await;
}

#[tokio::test]
async fn a_sign_out_the_server_could_not_record_is_told_not_hidden() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Clerk", "clerk", None);
    let client = app.signed_in_pages("clerk@city.test").await;
    let queue = page_text(&client, app.url("/staff/queue")).await;
    let csrf = csrf_in(&queue);
    // Someone with the database makes deleting sign-ins fail.
    let refuse = match backend() {
        Backend::Sqlite => "CREATE TRIGGER keep_tokens BEFORE DELETE ON staff_tokens \
             BEGIN SELECT RAISE(ABORT, 'kept'); END;"
            .to_string(),
        Backend::Postgres => "CREATE FUNCTION keep_tokens() RETURNS trigger AS $$ \
             BEGIN RAISE EXCEPTION 'kept'; END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER keep_tokens BEFORE DELETE ON staff_tokens \
             FOR EACH ROW EXECUTE FUNCTION keep_tokens();"
            .to_string(),
    };
    app.sql(&refuse).unwrap();
    let out = client
        .post(app.url("/staff/logout"))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), reqwest::StatusCode::INTERNAL_SERVER_ERROR);
    let text = out.text().await.unwrap();
    assert!(
        text.contains("could not be ended on the server"),
        "the person is told: {text}"
    );
    // This browser is signed out all the same.
    let after = client.get(app.url("/staff/queue")).send().await.unwrap();
    assert_eq!(after.status(), reqwest::StatusCode::SEE_OTHER);
}
