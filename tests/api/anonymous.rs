//! Anonymous public records requests (issue 18; docs/PRODUCT.md, "Anonymous requests"): a
//! records request needs no name or email; it is followed by its private link, its letters are
//! on its tracking page and never queued for email. Access to data still needs both.

use diesel::prelude::*;
use recordsdesk::db::schema::{outbox, requests};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

const QUESTION: &str = "Do you mean the north or the south side of the plaza?";

fn anonymous_request() -> serde_json::Value {
    json!({
        "kind": "public_records",
        "description": "Complaints about noise at Todos Santos Plaza, 2026."
    })
}

/// The letters queued for the requester of `tn`: an anonymous request has none, ever.
fn to_requester(app: &TestApp, tn: &str) -> Vec<String> {
    let tn = tn.to_string();
    app.with_conn(move |conn| {
        outbox::table
            .inner_join(requests::table.on(requests::id.nullable().eq(outbox::request_id)))
            .filter(requests::tracking_number.eq(&tn))
            .filter(outbox::audience.eq("requester"))
            .select(outbox::notice)
            .load(conn)
    })
}

#[tokio::test]
async fn an_anonymous_records_request_is_followed_by_its_link_and_nothing_is_emailed() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit(&anonymous_request()).await;
    let tn = filed.tracking_number.as_str();

    let case = app.case(tn, &filed.token).await;
    assert_eq!(case["requester"]["name"], serde_json::Value::Null);
    assert_eq!(case["requester"]["email"], serde_json::Value::Null);
    assert!(
        app.notices(tn)
            .iter()
            .any(|(kind, ..)| kind == "new_request"),
        "staff still hear of the new request"
    );
    assert_eq!(to_requester(&app, tn), Vec::<String>::new());

    // Staff write and decide; the requester reads it all on the tracking page, by the link.
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let asked = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&clerk),
            &json!({ "body": QUESTION }),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{:?}", asked.body);
    let answered = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&filed.token),
            &json!({ "body": "The south side, please." }),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{:?}", answered.body);
    app.must_transition(tn, &clerk, denial()).await;
    assert_eq!(
        to_requester(&app, tn),
        Vec::<String>::new(),
        "no letter is queued for a requester without an email address"
    );

    let client = requester_browser(&app, &filed).await;
    let page = page_text(&client, app.url(&format!("/requests/{tn}"))).await;
    assert!(page.contains(QUESTION), "{page}");
    assert!(page.contains("The south side, please."), "{page}");
    assert!(
        page.contains("The records are investigative files of an ongoing case."),
        "the decision's reasons are on the page: {page}"
    );
    assert!(page.contains("Investigation file 2026-114"), "{page}");

    // Staff see plainly that the requester can only be reached on the page.
    let queue = app.get("/api/v1/queue?status=denied", Some(&clerk)).await;
    let item = queue.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["tracking_number"] == tn)
        .expect("the request is in the queue")
        .clone();
    assert_eq!(item["requester_name"], serde_json::Value::Null);
    let staff = app.signed_in_pages("clerk@city.test").await;
    let case_page = page_text(&staff, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(case_page.contains("an anonymous request"), "{case_page}");
    let messages = app
        .get(&format!("/api/v1/requests/{tn}"), Some(&clerk))
        .await;
    assert!(
        messages.body.to_string().contains("Anonymous requester"),
        "the requester's message is signed as anonymous: {}",
        messages.body
    );
}

#[tokio::test]
async fn find_your_request_never_matches_an_anonymous_request() {
    let app = spawn_app().await;
    let filed = app.submit(&anonymous_request()).await;
    let tn = filed.tracking_number.as_str();
    let client = page_client();
    let form = page_text(&client, app.url("/requests/find")).await;
    let response = client
        .post(app.url("/requests/find"))
        .form(&[
            ("csrf", csrf_in(&form).as_str()),
            ("tracking_number", tn),
            ("email", ""),
        ])
        .send()
        .await
        .unwrap();
    // An empty address is an error on the form, and nothing is sent anywhere.
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(to_requester(&app, tn), Vec::<String>::new());
}

#[tokio::test]
async fn a_name_or_an_email_alone_is_kept_and_an_email_alone_gets_the_letters() {
    let app = spawn_app().await;
    let mut body = anonymous_request();
    body["requester"] = json!({ "email": "quiet@example.com" });
    let filed = app.submit(&body).await;
    let tn = filed.tracking_number.as_str();
    let case = app.case(tn, &filed.token).await;
    assert_eq!(case["requester"]["name"], serde_json::Value::Null);
    assert_eq!(case["requester"]["email"], "quiet@example.com");
    let ack = app
        .notices(tn)
        .into_iter()
        .find(|(kind, ..)| kind == "acknowledgement")
        .expect("the acknowledgement goes to the address given");
    assert_eq!(ack.1, "quiet@example.com");
    let text = ack.2["text"].as_str().unwrap();
    assert!(text.starts_with("Hello,"), "no name, no \"Dear\": {text}");

    let mut bad = anonymous_request();
    bad["requester"] = json!({ "email": "quiet@example" });
    let refused = app.post("/api/v1/requests", None, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field_errors(), ["requester.email"]);
}

#[tokio::test]
async fn an_access_request_needs_a_name_and_an_email_and_changes_nothing_without_them() {
    let app = spawn_app().await;
    app.add_dataset("permits", "Building permits", None, None);
    let before = app.counts();
    for requester in [json!(null), json!({}), json!({ "name": "  ", "email": "" })] {
        let mut body = access_request("permits");
        body["requester"] = requester.clone();
        if requester.is_null() {
            body.as_object_mut().unwrap().remove("requester");
        }
        let refused = app.post("/api/v1/requests", None, &body).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{requester}: {:?}",
            refused.body
        );
        let mut fields = refused.field_errors();
        fields.sort();
        assert_eq!(fields, ["requester.email", "requester.name"], "{requester}");
        assert!(
            refused.body.to_string().contains("an access request needs"),
            "{:?}",
            refused.body
        );
    }
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn the_form_files_an_anonymous_request_and_its_confirmation_says_the_link_is_the_only_way() {
    let app = spawn_app().await;
    let client = page_client();
    let csrf = csrf_in(&page_text(&client, app.url("/requests/new")).await);
    let about = client
        .post(app.url("/requests/new"))
        .form(&[
            ("csrf", csrf.as_str()),
            ("step", "details"),
            ("kind", "public_records"),
            ("description", "Noise complaints, 2026"),
        ])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(about.contains("Your name (optional)"), "{about}");
    assert!(about.contains("Your email address (optional)"), "{about}");
    assert!(about.contains("stay anonymous"), "{about}");

    let fields = [
        ("kind", "public_records"),
        ("description", "Noise complaints, 2026"),
        ("name", ""),
        ("email", ""),
    ];
    let mut form = vec![("csrf", csrf.as_str()), ("step", "about")];
    form.extend_from_slice(&fields);
    let check = client
        .post(app.url("/requests/new"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(check.status(), StatusCode::OK);
    let check = check.text().await.unwrap();
    assert!(check.contains("You gave no email address"), "{check}");
    assert!(check.contains("Not given"), "{check}");

    let mut send = vec![("csrf", csrf.as_str()), ("step", "send")];
    send.extend_from_slice(&fields);
    let sent = client
        .post(app.url("/requests/new"))
        .form(&send)
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let location = sent.headers()["location"].to_str().unwrap().to_string();
    let confirmation = page_text(&client, app.url(&location)).await;
    assert!(
        confirmation.contains("The private link below is the only way to follow your request"),
        "{confirmation}"
    );
    assert!(
        !confirmation.contains("We have emailed you"),
        "{confirmation}"
    );
    let tn = location.split('/').nth(2).unwrap();
    assert_eq!(to_requester(&app, tn), Vec::<String>::new());
}

#[tokio::test]
async fn revoking_an_anonymous_requests_links_hands_the_new_one_to_staff_once() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit(&anonymous_request()).await;
    let tn = filed.tracking_number.as_str();
    let revoke = format!("/api/v1/requests/{tn}/private-links/revoke");

    let revoked = app
        .post(
            &revoke,
            Some(&clerk),
            &json!({ "reason": "The link was posted online." }),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{:?}", revoked.body);
    assert_eq!(
        revoked.body["tracking_number"], tn,
        "the request, as always"
    );
    let url = revoked.body["new_private_url"]
        .as_str()
        .expect("a new link")
        .to_string();
    let token = url.split("?token=").nth(1).unwrap().to_string();
    assert_eq!(
        app.get(&format!("/api/v1/requests/{tn}"), Some(&filed.token))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.case(tn, &token).await["tracking_number"],
        tn,
        "the new link opens it"
    );
    assert_eq!(to_requester(&app, tn), Vec::<String>::new());

    // A requester with email gets theirs by email; staff are not shown it.
    let emailed = app.submit_records_request().await;
    let revoked = app
        .post(
            &format!(
                "/api/v1/requests/{}/private-links/revoke",
                emailed.tracking_number
            ),
            Some(&clerk),
            &json!({ "reason": "Forwarded by mistake." }),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK);
    assert!(revoked.body["new_private_url"].is_null());

    // On the case page, the message says it once.
    let staff = app.signed_in_pages("clerk@city.test").await;
    let case_url = app.url(&format!("/staff/requests/{tn}"));
    let case = page_text(&staff, case_url.clone()).await;
    let sent = staff
        .post(app.url(&format!("/staff/requests/{tn}/private-links/revoke")))
        .form(&[
            ("csrf", csrf_in(&case).as_str()),
            ("reason", "Leaked again."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let shown = page_text(&staff, case_url.clone()).await;
    assert!(shown.contains("It is not shown again: http"), "{shown}");
    assert!(!page_text(&staff, case_url)
        .await
        .contains("It is not shown again"));
    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}
