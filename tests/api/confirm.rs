//! Steps that cannot be undone ask first (docs/PRODUCT.md, "Staff pages"): the form shows back
//! what was typed and what will happen, and nothing changes until it is confirmed.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

fn denial_form(csrf: &str) -> Vec<(&'static str, String)> {
    vec![
        ("csrf", csrf.to_string()),
        ("version", "2".into()),
        (
            "reason",
            "The records are investigative files of an ongoing case.".into(),
        ),
        ("withheld[0].item", "Investigation file 2026-114".into()),
        ("withheld[0].exemption", "7923.600".into()),
        ("withheld[0].reason", "The investigation is open.".into()),
        ("responsible[0].name", "Pat Records".into()),
        ("responsible[0].title", "Deputy City Clerk".into()),
        (
            "segregability",
            "Every page describes the investigation.".into(),
        ),
    ]
}

/// A request under review, an admin signed in on the pages, and the deny page's address and
/// form token.
async fn deny_page() -> (TestApp, String, String, reqwest::Client, String, String) {
    let app = spawn_app().await;
    let admin = app.staff("admin@city.test", "admin", None).await;
    let tn = app.submit_records_request().await.tracking_number;
    app.must_transition(&tn, &admin, json!({ "to": "under_review" }))
        .await;
    let pages = app.signed_in_pages("admin@city.test").await;
    let url = app.url(&format!("/staff/requests/{tn}/steps/deny"));
    let csrf = csrf_in(&page_text(&pages, url.clone()).await);
    (app, admin, tn, pages, url, csrf)
}

#[tokio::test]
async fn a_denial_is_shown_back_and_sent_only_when_confirmed() {
    let (app, admin, tn, pages, url, csrf) = deny_page().await;
    let tn = tn.as_str();
    let before = app.counts();

    let asked = pages
        .post(&url)
        .form(&denial_form(&csrf))
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), StatusCode::OK);
    let page = asked.text().await.unwrap();
    assert!(
        page.contains("Check the denial before you send it"),
        "{page}"
    );
    assert!(page.contains("Withheld item 1"), "{page}");
    assert!(page.contains("Gov. Code §7923.600"), "{page}");
    assert!(page.contains("Pat Records, Deputy City Clerk"), "{page}");
    assert!(page.contains("Investigation file 2026-114"), "{page}");
    assert!(
        page.contains("emailed this decision as soon as you send it"),
        "{page}"
    );
    assert!(page.contains("Send the decision"), "{page}");
    assert!(page.contains("name=\"confirmed\" value=\"yes\""), "{page}");
    assert_eq!(
        app.counts(),
        before,
        "nothing is taken, logged or queued before confirming"
    );
    assert_eq!(app.case(tn, &admin).await["status"], "under_review");

    // "Go back and change it": the form again, with what was typed.
    let mut back = denial_form(&csrf);
    back.push(("confirmed", "yes".into()));
    back.push(("more", "change".into()));
    let form = pages.post(&url).form(&back).send().await.unwrap();
    assert_eq!(form.status(), StatusCode::OK);
    let form = form.text().await.unwrap();
    assert!(form.contains("Investigation file 2026-114") && !form.contains("before you send it"));
    assert_eq!(app.counts(), before);

    let mut confirmed = denial_form(&csrf);
    confirmed.push(("confirmed", "yes".into()));
    let sent = pages.post(&url).form(&confirmed).send().await.unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.case(tn, &admin).await["status"], "denied");
    assert_eq!(
        app.notices(tn)
            .iter()
            .filter(|(kind, ..)| kind == "denied")
            .count(),
        1
    );
}

#[tokio::test]
async fn a_denial_the_rules_refuse_goes_back_to_its_form_not_to_the_confirmation() {
    let (app, _, _, pages, url, csrf) = deny_page().await;
    let before = app.counts();
    // No reasons: the domain's rule, met before any confirmation.
    let form: Vec<_> = denial_form(&csrf)
        .into_iter()
        .filter(|(name, _)| *name != "reason")
        .collect();
    let refused = pages.post(&url).form(&form).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("a denial must give its reasons in writing"),
        "{page}"
    );
    assert!(!page.contains("before you send it"), "{page}");
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_requester_confirms_before_their_request_is_withdrawn() {
    let app = spawn_app().await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let client = requester_browser(&app, &filed).await;
    let csrf = csrf_in(&page_text(&client, app.url(&format!("/requests/{tn}"))).await);
    let before = app.counts();
    let url = app.url(&format!("/requests/{tn}/withdraw"));
    let form = [
        ("csrf", csrf.as_str()),
        ("version", "1"),
        ("reason", "I found the logs elsewhere."),
    ];

    let asked = client.post(&url).form(&form).send().await.unwrap();
    assert_eq!(asked.status(), StatusCode::OK);
    let page = asked.text().await.unwrap();
    assert!(
        page.contains("Are you sure you want to withdraw your request?"),
        "{page}"
    );
    assert!(page.contains("I found the logs elsewhere."), "{page}");
    assert!(page.contains("It cannot be reopened"), "{page}");
    assert!(page.contains("No, go back to my request"), "{page}");
    assert_eq!(app.counts(), before);
    assert_eq!(app.case(tn, &filed.token).await["status"], "submitted");

    let mut confirmed = form.to_vec();
    confirmed.push(("confirmed", "yes"));
    let done = client.post(&url).form(&confirmed).send().await.unwrap();
    assert_eq!(done.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.case(tn, &filed.token).await["status"], "withdrawn");
}

#[tokio::test]
async fn no_one_without_the_link_is_asked_to_confirm_a_withdrawal() {
    let app = spawn_app().await;
    let filed = app.submit_records_request().await;
    let client = page_client();
    let csrf = csrf_in(&page_text(&client, app.url("/requests/new")).await);
    let asked = client
        .post(app.url(&format!("/requests/{}/withdraw", filed.tracking_number)))
        .form(&[("csrf", csrf.as_str()), ("version", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(asked.status(), StatusCode::NOT_FOUND);
    assert!(!asked.text().await.unwrap().contains("Todos Santos"));
}
