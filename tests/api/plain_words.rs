//! What a requester reads is in their words: no state names, queue names, field names or log
//! phrases of the engine on their tracking page or in their emails (docs/PRODUCT.md, "Plain
//! words"). Walks a request through each outcome and reads every page and letter on the way.

use serde_json::json;

use crate::helpers::*;

/// The engine's own names, which a requester must never be shown.
const INTERNAL: &[&str] = &[
    "submitted",
    "under_review",
    "no_records",
    "administrative_review",
    "public_records",
    "api_access",
    "dataset_access",
    "city_clerk",
    "Status changed",
    "determination due",
    "link_issued",
    "notice_queued",
    "Version ",
    "sha256",
    "T00:",
    "Z)",
];

/// The text a person sees on a page: tags, attribute values and the style sheet left out.
pub(crate) fn visible(html: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                out.push(' ');
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

pub(crate) fn check(what: &str, text: &str) {
    for word in INTERNAL {
        assert!(!text.contains(word), "{what} shows {word:?}:\n{text}");
    }
}

async fn check_page(app: &TestApp, client: &reqwest::Client, tn: &str, step: &str) {
    let page = page_text(client, app.url(&format!("/requests/{tn}"))).await;
    assert!(page.contains(&format!("Request {tn}")), "{step}: {page}");
    check(&format!("the tracking page after {step}"), &visible(&page));
}

fn check_letters(app: &TestApp, tn: &str) {
    for (kind, to, letter) in app.notices(tn) {
        if to != "jane@example.com" {
            continue;
        }
        check(
            &format!("the {kind} letter"),
            letter["text"].as_str().unwrap(),
        );
        check(
            &format!("the {kind} subject"),
            letter["subject"].as_str().unwrap_or(""),
        );
    }
}

#[tokio::test]
async fn a_requester_reads_no_internal_code_through_a_denial_an_appeal_and_a_grant() {
    let app = spawn_app().await;
    let admin = app.staff("admin@city.test", "admin", None).await;
    let reviewer = app.staff("reviewer@city.test", "reviewer", None).await;

    // Denied, appealed, reviewed, granted in part on review, with a document released.
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let client = requester_browser(&app, &filed).await;
    check_page(&app, &client, tn, "filing").await;

    app.must_transition(tn, &admin, json!({ "to": "under_review" }))
        .await;
    check_page(&app, &client, tn, "review").await;
    app.must_transition(tn, &admin, denial()).await;
    check_page(&app, &client, tn, "the denial").await;
    let appeal = app
        .post(
            &format!("/api/v1/requests/{tn}/appeal"),
            Some(&filed.token),
            &json!({ "grounds": "The case closed in 2025." }),
        )
        .await;
    assert_eq!(appeal.status, reqwest::StatusCode::OK, "{:?}", appeal.body);
    check_page(&app, &client, tn, "the appeal").await;
    app.must_transition(tn, &reviewer, json!({ "to": "administrative_review" }))
        .await;
    check_page(&app, &client, tn, "the review's start").await;
    app.must_transition(tn, &reviewer, partial_grant()).await;
    let page = page_text(&client, app.url(&format!("/requests/{tn}"))).await;
    assert!(
        visible(&page).contains("The reviewer decided on your appeal: part of the records"),
        "{page}"
    );
    assert!(
        visible(&page).contains("We started reviewing your request."),
        "{page}"
    );
    check_page(&app, &client, tn, "the review's decision").await;

    // Filed and found to have no records; another withdrawn by its requester.
    let second = app.submit_records_request().await;
    app.must_transition(
        &second.tracking_number,
        &admin,
        json!({ "to": "under_review" }),
    )
    .await;
    app.must_transition(&second.tracking_number, &admin, no_records())
        .await;
    let third = app.submit_records_request().await;
    let withdrawn = app
        .post(
            &format!("/api/v1/requests/{}/withdraw", third.tracking_number),
            Some(&third.token),
            &json!({}),
        )
        .await;
    assert_eq!(
        withdrawn.status,
        reqwest::StatusCode::OK,
        "{:?}",
        withdrawn.body
    );
    for filed in [&second, &third] {
        let client = requester_browser(&app, filed).await;
        check_page(&app, &client, &filed.tracking_number, "the outcome").await;
    }

    for tn in [tn, &second.tracking_number, &third.tracking_number] {
        check_letters(&app, tn);
    }
}
