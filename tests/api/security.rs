//! Issue 16's defects that are not about sign-in or the audit log: private links, requesters'
//! messages, links in pages and emails, addresses and text that are not what they claim, and
//! what every answer carries. Each test failed on the code before the fix.

use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::smtp::SmtpSink;
use recordsdesk::db::schema::{audit_events, link_tokens, outbox};
use recordsdesk::domain::step::Step;

async fn app_sending_to(sink: &SmtpSink) -> TestApp {
    let url = sink.url();
    spawn_app_with(move |s| {
        s.mail.dispatcher = true;
        s.mail.transport = "smtp".into();
        s.mail.smtp_url = url.into();
        s.mail.poll_milliseconds = 50;
    })
    .await
}

/// The token of the private link in an email's text.
fn link_token(message: &Value, tn: &str) -> String {
    let text = message["text"].as_str().unwrap();
    let marker = format!("/requests/{tn}?token=");
    let at = text
        .find(&marker)
        .unwrap_or_else(|| panic!("no link in {text}"))
        + marker.len();
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .collect()
}

/// Whether `secret` is stored in clear in any outbox row, audit event or link row, a packed
/// letter's words included.
fn stored_anywhere(app: &TestApp, secret: &str) -> bool {
    let secret = secret.to_string();
    app.with_conn(move |conn| {
        let payloads: Vec<String> = outbox::table.select(outbox::payload).load(conn)?;
        let events: Vec<(String, String)> = audit_events::table
            .select((audit_events::action, audit_events::content))
            .load(conn)?;
        let mut contents = Vec::with_capacity(events.len());
        for (action, content) in events {
            if let Ok(Step::NoticeQueued(queued)) = Step::from_stored(&action, &content) {
                let words = queued.words().expect("every letter unpacks");
                contents.push(serde_json::to_string(&words).unwrap());
            }
            contents.push(content);
        }
        let hashes: Vec<String> = link_tokens::table
            .select(link_tokens::token_hash)
            .load(conn)?;
        Ok(payloads
            .iter()
            .chain(&contents)
            .chain(&hashes)
            .any(|text| text.contains(&secret)))
    })
}

#[tokio::test]
async fn each_email_carries_its_own_link_no_token_is_stored_and_staff_revoke_them_all() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let requester_mail = |all: &[Value]| -> Vec<Value> {
        all.iter()
            .filter(|m| m["rcpt_tos"][0] == "jane@example.com")
            .cloned()
            .collect()
    };

    let ack = requester_mail(&sink.wait_for(2).await)[0].clone();
    let emailed = link_token(&ack, tn);
    assert!(emailed.starts_with("rdr_"), "{emailed}");
    assert_ne!(emailed, filed.token, "the email carries a link of its own");
    assert!(ack["html"]
        .as_str()
        .unwrap()
        .contains(&format!("?token={emailed}\">")));
    for token in [&filed.token, &emailed] {
        let reply = app
            .get(&format!("/api/v1/requests/{tn}"), Some(token))
            .await;
        assert_eq!(reply.status, StatusCode::OK, "{token} opens the request");
        assert!(!stored_anywhere(&app, token), "{token} is stored in clear");
    }

    // Every later letter carries a link too, not only the first.
    let version = app.case(tn, &clerk).await["version"].clone();
    let accepted = app
        .transition(
            tn,
            &clerk,
            json!({"to": "under_review", "version": version}),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::OK);
    let later = requester_mail(&sink.wait_for(3).await);
    let third = link_token(later.last().unwrap(), tn);
    assert!(![filed.token.as_str(), emailed.as_str()].contains(&third.as_str()));
    let open_links: i64 = app.with_conn(|conn| {
        link_tokens::table
            .filter(link_tokens::revoked_at.is_null())
            .count()
            .get_result(conn)
    });
    assert_eq!(open_links, 3, "the filing's link and one per email");

    // Staff turn them all off; the requester's address gets a new one.
    let refused = app
        .post(
            &format!("/api/v1/requests/{tn}/private-links/revoke"),
            Some(&clerk),
            &json!({}),
        )
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed"
    );
    let revoked = app
        .post(
            &format!("/api/v1/requests/{tn}/private-links/revoke"),
            Some(&clerk),
            &json!({"reason": "The requester says the email was forwarded."}),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{:?}", revoked.body);
    for old in [&filed.token, &emailed, &third] {
        let reply = app.get(&format!("/api/v1/requests/{tn}"), Some(old)).await;
        assert_eq!(
            reply.status,
            StatusCode::NOT_FOUND,
            "a revoked link opens nothing"
        );
    }
    let all = sink.wait_for(4).await;
    let new_link = all
        .iter()
        .find(|m| {
            m["subject"]
                .as_str()
                .unwrap()
                .contains("A new private link")
        })
        .expect("the new link is emailed");
    assert_eq!(new_link["rcpt_tos"][0], "jane@example.com");
    let fresh = link_token(new_link, tn);
    let reply = app
        .get(&format!("/api/v1/requests/{tn}"), Some(&fresh))
        .await;
    assert_eq!(reply.status, StatusCode::OK);
    let audit = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let actions: Vec<&str> = audit.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions.iter().filter(|a| **a == "link_issued").count(),
        4,
        "{actions:?}"
    );
    assert!(actions.contains(&"links_revoked"));
    // Nothing left to revoke but the new link: revoking again turns that one off too.
    let again = app
        .post(
            &format!("/api/v1/requests/{tn}/private-links/revoke"),
            Some(&clerk),
            &json!({"reason": "Again."}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
}

async fn post_message(app: &TestApp, tn: &str, token: &str, body: &str) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/requests/{tn}/messages")))
        .bearer_auth(token)
        .json(&json!({ "body": body }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_burst_of_requester_messages_is_limited_and_reaches_staff_as_one_email() {
    let app = spawn_app_with(|s| s.messages.requester_per_hour = 3).await;
    let _clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    for n in 0..3 {
        let sent = post_message(&app, tn, &filed.token, &format!("Any news? ({n})")).await;
        assert_eq!(sent.status(), StatusCode::OK);
    }
    let before = app.counts();
    let fourth = post_message(&app, tn, &filed.token, "Any news now?").await;
    assert_eq!(fourth.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = fourth.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=3600).contains(&wait), "{wait}");
    assert_eq!(app.counts(), before, "a refused message changes nothing");

    // Three messages, one email to the clerk, sent a while after the first.
    let to_staff: Vec<_> = app
        .notices(tn)
        .into_iter()
        .filter(|(kind, _, _)| kind == "requester_message")
        .collect();
    assert_eq!(to_staff.len(), 1, "{to_staff:?}");
    let text = to_staff[0].2["text"].as_str().unwrap();
    assert!(text.contains("Any news? (0)"), "{text}");
    assert!(text.contains("not emailed to you separately"), "{text}");
    let waits: i64 = app.with_conn(|conn| {
        outbox::table
            .filter(outbox::notice.eq("requester_message"))
            .filter(outbox::next_attempt_at.gt(outbox::created_at))
            .count()
            .get_result(conn)
    });
    assert_eq!(waits, 1, "the digest waits for the rest of the burst");
}

#[tokio::test]
async fn a_withdrawn_or_closed_request_takes_no_more_messages() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;

    let withdrawn = app.submit_records_request().await;
    let tn = withdrawn.tracking_number.as_str();
    let reply = app
        .post(
            &format!("/api/v1/requests/{tn}/withdraw"),
            Some(&withdrawn.token),
            &json!({}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    let before = app.counts();
    let refused = post_message(&app, tn, &withdrawn.token, "Actually, one more thing").await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"],
        "request_withdrawn"
    );
    assert_eq!(app.counts(), before);

    // A grant in full whose records were produced: closed.
    let closed = app.submit_records_request().await;
    let tn = closed.tracking_number.as_str();
    app.must_transition(tn, &clerk, json!({"to": "under_review"}))
        .await;
    app.must_transition(tn, &clerk, grant("The logs are released."))
        .await;
    // Not yet produced: the requester may still ask when.
    let asked = post_message(&app, tn, &closed.token, "When will they be ready?").await;
    assert_eq!(asked.status(), StatusCode::OK);
    let version = app.case(tn, &clerk).await["version"].clone();
    let produced = app
        .post(
            &format!("/api/v1/requests/{tn}/production"),
            Some(&clerk),
            &json!({"how": "paper", "note": "Handed over at the counter.", "version": version}),
        )
        .await;
    assert_eq!(produced.status, StatusCode::OK, "{:?}", produced.body);
    let refused = post_message(&app, tn, &closed.token, "Thanks!").await;
    assert_eq!(refused.status(), StatusCode::CONFLICT);
    assert_eq!(
        refused.json::<Value>().await.unwrap()["error"],
        "request_closed"
    );
    // Staff may still write to the requester.
    let staff_note = post_message(&app, tn, &clerk, "You are welcome.").await;
    assert_eq!(staff_note.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_url_a_requester_typed_is_never_a_link_in_staffs_email() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Clerk", "clerk", None);
    let mut body = records_request();
    body["description"] =
        json!("Police logs, please. Details:\nhttps://evil.example/login\nThanks.");
    let filed = app.submit(&body).await;
    let notices = app.notices(&filed.tracking_number);
    let (_, _, to_staff) = notices
        .iter()
        .find(|(kind, _, _)| kind == "new_request")
        .expect("staff are told");
    let html = to_staff["html"].as_str().unwrap();
    assert!(html.contains("https://evil.example/login"), "{html}");
    assert!(!html.contains("href=\"https://evil.example"), "{html}");
    assert!(
        html.contains(&format!(
            "<a href=\"http://127.0.0.1:8080/staff/requests/{}\">",
            filed.tracking_number
        )),
        "the case page is a link: {html}"
    );
}

#[tokio::test]
async fn a_catalog_link_that_is_not_http_is_never_clickable() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("data.json");
    let catalog = json!({
        "dataset": [{
            "identifier": "trees",
            "title": "Street trees",
            "description": "Every street tree.",
            "accessLevel": "public",
            "landingPage": "javascript:alert(document.cookie)",
            "describedBy": " JavaScript:alert(1)",
            "distribution": [
                {"downloadURL": "data:text/html,<script>alert(1)</script>", "title": "Bad"},
                {"downloadURL": "https://data.example.gov/trees.csv", "title": "Good"}
            ]
        }]
    });
    std::fs::write(&path, catalog.to_string()).unwrap();
    let output = app
        .cli(&["catalog", "import", path.to_str().unwrap()], None)
        .await;
    assert!(output.status.success(), "{output:?}");
    let page = page_text(&page_client(), app.url("/datasets/trees")).await;
    assert!(page.contains("Street trees"), "{page}");
    let lower = page.to_lowercase();
    assert!(!lower.contains("javascript:"), "{page}");
    assert!(!lower.contains("data:text"), "{page}");
    assert!(
        page.contains("href=\"https://data.example.gov/trees.csv\""),
        "{page}"
    );
}

#[tokio::test]
async fn addresses_a_mailer_cannot_send_to_are_refused_at_filing_in_the_api_and_the_form() {
    let app = spawn_app().await;
    for bad in [
        ".jane@example.com",
        "jane.@example.com",
        "jane..doe@example.com",
        "jane@[127.0.0.1]",
        "jane@example",
        "jane@exa\u{200B}mple.com",
        "jane@-example.com",
    ] {
        let mut body = records_request();
        body["requester"]["email"] = json!(bad);
        let reply = app.post("/api/v1/requests", None, &body).await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad:?}");
        assert_eq!(reply.field_errors(), ["requester.email"], "{bad:?}");
    }
    // The form says so beside the field, and files nothing.
    let client = page_client();
    let form = page_text(&client, app.url("/requests/new")).await;
    let sent = client
        .post(app.url("/requests/new"))
        .form(&[
            ("csrf", csrf_in(&form).as_str()),
            ("kind", "public_records"),
            ("name", "Jane Q. Public"),
            ("email", "jane..doe@example.com"),
            ("description", "Police logs"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.counts().requests, 0);
}

#[tokio::test]
async fn invisible_characters_are_refused_in_names_and_one_line_fields() {
    let app = spawn_app().await;
    for (field, value) in [
        ("name", "Jane\u{200B}Doe"),
        ("name", "\u{202E}eoD enaJ"),
        ("name", "Jane\u{2066}Doe\u{2069}"),
        ("organization", "Acme\u{2028}Corp"),
        ("organization", "\u{FEFF}Acme"),
    ] {
        let mut body = records_request();
        body["requester"][field] = json!(value);
        let reply = app.post("/api/v1/requests", None, &body).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field} {value:?}"
        );
        assert_eq!(reply.field_errors(), [format!("requester.{field}")]);
    }
    // A Persian name keeps its joiner.
    let mut body = records_request();
    body["requester"]["name"] = json!("می\u{200C}خواهم");
    app.submit(&body).await;
}

/// The Cache-Control of an answer.
fn cache_control(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("cache-control")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default()
}

#[tokio::test]
async fn private_answers_are_never_cached_and_https_sites_ask_for_https() {
    let app = spawn_app_with(|s| s.server.public_url = "https://records.example.gov".into()).await;
    app.add_staff("clerk@city.test", "Clerk", "clerk", None);
    let filed = app
        .client
        .post(app.url("/api/v1/requests"))
        .json(&records_request())
        .send()
        .await
        .unwrap();
    assert_eq!(
        cache_control(&filed),
        "no-store",
        "the filing answer carries a token"
    );
    assert!(filed.headers()["strict-transport-security"]
        .to_str()
        .unwrap()
        .contains("max-age="));
    let body: Value = filed.json().await.unwrap();
    let (tn, token) = (
        body["tracking_number"].as_str().unwrap(),
        body["access_token"].as_str().unwrap(),
    );
    let got = app
        .client
        .get(app.url(&format!("/api/v1/requests/{tn}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert_eq!(cache_control(&got), "no-store");
    let login = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"email": "clerk@city.test", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(cache_control(&login), "no-store");
    let browser = page_client();
    let opened = browser
        .get(app.url(&format!("/requests/{tn}?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(cache_control(&opened), "no-store");
    let tracking = browser
        .get(app.url(&format!("/requests/{tn}")))
        .send()
        .await
        .unwrap();
    assert_eq!(tracking.status(), StatusCode::OK);
    assert_eq!(cache_control(&tracking), "no-store");
}

#[tokio::test]
async fn an_oversized_session_cookie_gets_a_fresh_session_not_an_error() {
    let app = spawn_app().await;
    let huge = format!("recordsdesk={}", "A".repeat(3900));
    let page = app
        .client
        .get(app.url("/staff/login"))
        .header("cookie", &huge)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(cache_control(&page), "no-store");
    assert!(page.headers().contains_key("x-request-id"));
    assert!(page.headers().contains_key("content-security-policy"));
    let text = page.text().await.unwrap();
    assert!(
        text.contains("name=\"csrf\""),
        "a working sign-in form: {text}"
    );
}

#[tokio::test]
async fn private_links_opened_one_after_another_keep_the_session_cookie_small() {
    let app = spawn_app().await;
    let browser = page_client();
    let mut largest = 0;
    for _ in 0..45 {
        let filed = app.submit_records_request().await;
        let opened = browser
            .get(app.url(&format!(
                "/requests/{}?token={}",
                filed.tracking_number, filed.token
            )))
            .send()
            .await
            .unwrap();
        for cookie in opened.headers().get_all("set-cookie") {
            largest = largest.max(cookie.len());
        }
    }
    assert!(largest < 3072, "the session cookie grew to {largest} bytes");
    // The browser can still sign in: its session is intact.
    let form = browser.get(app.url("/staff/login")).send().await.unwrap();
    assert_eq!(form.status(), StatusCode::OK);
}

#[tokio::test]
async fn head_works_wherever_get_does_and_pages_name_the_methods_they_take() {
    let app = spawn_app().await;
    for path in ["/healthz", "/", "/datasets", "/api/v1/datasets"] {
        let head = app.client.head(app.url(path)).send().await.unwrap();
        assert_eq!(head.status(), StatusCode::OK, "HEAD {path}");
        assert!(
            head.bytes().await.unwrap().is_empty(),
            "HEAD {path} has no body"
        );
    }
    let wrong = app
        .client
        .delete(app.url("/requests/new"))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong.headers()["allow"], "GET, POST, HEAD");
    let wrong = app.client.post(app.url("/")).send().await.unwrap();
    assert_eq!(wrong.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(wrong.headers()["allow"], "GET, HEAD");
    let unknown = app
        .client
        .get(app.url("/no/such/page"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_version_below_one_is_invalid_not_stale() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    for version in [0, -1] {
        let before = app.counts();
        let reply = app
            .transition(
                &filed.tracking_number,
                &clerk,
                json!({"to": "under_review", "version": version}),
            )
            .await;
        assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{version}");
        assert_eq!(reply.field_errors(), ["version"]);
        assert_eq!(app.counts(), before);
    }
}

#[tokio::test]
async fn retrying_a_notice_that_is_not_dead_says_so() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let queued: i64 = app.with_conn(|conn| outbox::table.select(outbox::id).first(conn));
    let reply = app
        .post(
            &format!("/api/v1/notices/{queued}/retry"),
            Some(&clerk),
            &json!({}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::CONFLICT, "{:?}", reply.body);
    assert_eq!(reply.body["error"], "notice_not_dead");
    assert!(reply.body["message"].as_str().unwrap().contains("queued"));
    let missing = app
        .post("/api/v1/notices/999999/retry", Some(&clerk), &json!({}))
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.body["message"], "there is no notice with this id");
    drop(filed);
}

#[tokio::test]
async fn the_request_forms_429_says_when_to_come_back() {
    let app = spawn_app_with(|s| s.limits.submissions_per_minute = 1).await;
    let client = page_client();
    let mut last = None;
    for _ in 0..2 {
        let form = page_text(&client, app.url("/requests/new")).await;
        let sent = client
            .post(app.url("/requests/new"))
            .form(&[
                ("csrf", csrf_in(&form).as_str()),
                ("kind", "public_records"),
                ("name", "Jane Q. Public"),
                ("email", "jane@example.com"),
                ("description", "Police logs"),
            ])
            .send()
            .await
            .unwrap();
        last = Some(sent);
    }
    let refused = last.unwrap();
    assert_eq!(refused.status(), StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = refused.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
}

#[tokio::test]
async fn a_private_link_added_or_turned_back_on_behind_the_services_back_is_named_by_verify() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let added = app.submit_records_request().await;
    let unrevoked = app.submit_records_request().await;
    let untouched = app.submit_records_request().await;
    let (code, stdout) = crate::audit::verify(&app).await;
    assert_eq!(code, Some(0), "{stdout}");

    // Someone with the database gives themselves a link to a request…
    let request_id = |tn: &str| {
        let tn = tn.to_string();
        app.with_conn(move |conn| {
            recordsdesk::db::schema::requests::table
                .filter(recordsdesk::db::schema::requests::tracking_number.eq(tn))
                .select(recordsdesk::db::schema::requests::id)
                .first::<i64>(conn)
        })
    };
    let hash = recordsdesk::secrets::token_hash("rdr_made_up_by_someone_with_the_database");
    app.sql(&format!(
        "INSERT INTO link_tokens (request_id, token_hash, created_at) VALUES ({}, '{hash}', '2026-12-01 10:00:00')",
        request_id(&added.tracking_number)
    ))
    .unwrap();
    // …and turns a revoked one back on for another.
    let revoked = app
        .post(
            &format!(
                "/api/v1/requests/{}/private-links/revoke",
                unrevoked.tracking_number
            ),
            Some(&clerk),
            &json!({"reason": "Forwarded by mistake."}),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    app.sql(&format!(
        "UPDATE link_tokens SET revoked_at = NULL WHERE request_id = {}",
        request_id(&unrevoked.tracking_number)
    ))
    .unwrap();

    let found = crate::audit::verify(&app).await;
    crate::audit::assert_broken(&found, &added.tracking_number, "never gave");
    crate::audit::assert_broken(&found, &unrevoked.tracking_number, "turned back on");
    assert!(
        !found
            .1
            .contains(&format!("BROKEN {} ", untouched.tracking_number)),
        "{}",
        found.1
    );
}

/// Letters are sent from the audit log's copy, the link's place found again where the log
/// says `?token=[private token withheld]`. Staff who type those very words into a letter get
/// no token there: only the service's own link carries one. Failed on the first version of
/// letters kept in the chain only, which filled every such place.
#[tokio::test]
async fn words_typed_where_the_log_withholds_a_token_never_receive_one() {
    let sink = SmtpSink::start();
    let app = app_sending_to(&sink).await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    sink.wait_for(2).await;
    let typed = "https://elsewhere.example/x?token=[private token withheld]";
    let said = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&clerk),
            &json!({ "body": format!("Please see {typed} for the index.") }),
        )
        .await;
    assert_eq!(said.status, StatusCode::OK, "{:?}", said.body);
    let all = sink.wait_for(3).await;
    let letter = all
        .iter()
        .rfind(|m| m["rcpt_tos"][0] == "jane@example.com")
        .expect("the staff message's letter");
    let text = letter["text"].as_str().unwrap();
    assert!(text.contains("for the index"), "{text}");
    assert!(text.contains(typed), "the typed words go as typed: {text}");
    let token = link_token(letter, tn);
    assert!(token.starts_with("rdr_"), "{token}");
    for part in [text, letter["html"].as_str().unwrap()] {
        assert!(
            !part.contains(&format!("elsewhere.example/x?token={token}")),
            "{part}"
        );
        assert!(!part.contains("elsewhere.example/x?token=rdr_"), "{part}");
    }
}
