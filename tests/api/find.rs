//! "Find your request" (docs/PRODUCT.md, "Private links"): a requester who lost their link
//! gets a new one by email; the page says the same whatever was typed, and a tracking page
//! this browser cannot open shows the way back, never the request.

use reqwest::StatusCode;

use crate::helpers::*;

/// Posts the find form from a browser that has just loaded it.
async fn ask(
    app: &TestApp,
    client: &reqwest::Client,
    tn: &str,
    email: &str,
) -> (StatusCode, String) {
    let form = page_text(client, app.url("/requests/find")).await;
    let response = client
        .post(app.url("/requests/find"))
        .form(&[
            ("csrf", csrf_in(&form).as_str()),
            ("tracking_number", tn),
            ("email", email),
        ])
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

fn resent(app: &TestApp, tn: &str) -> Vec<String> {
    app.notices(tn)
        .into_iter()
        .filter(|(kind, ..)| kind == "link_resent")
        .map(|(_, to, _)| to)
        .collect()
}

#[tokio::test]
async fn the_right_tracking_number_and_email_get_a_new_link_and_any_other_gets_the_same_answer() {
    let app = spawn_app().await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let client = page_client();

    // Capitals and spaces as people type them.
    let (status, page) = ask(
        &app,
        &client,
        &format!(" {} ", tn.to_lowercase()),
        "Jane@Example.com",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Check your email"), "{page}");
    assert_eq!(resent(&app, tn), ["jane@example.com"]);
    let letter = app.notices(tn).pop().unwrap().2;
    let text = letter["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("/requests/{tn}?token=[private token withheld]")),
        "the letter carries a link of its own: {text}"
    );
    assert!(!text.contains(&filed.token), "{text}");

    // Someone else's email, or a request that does not exist: the same page, nothing sent.
    let before = app.counts();
    for (number, email) in [
        (tn, "someone@example.org"),
        ("RR-2026-99999", "jane@example.com"),
    ] {
        let (status, other) = ask(&app, &client, number, email).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(
            other.replace(char::is_whitespace, ""),
            page.replace(char::is_whitespace, ""),
            "the answer does not tell whether they matched"
        );
    }
    assert_eq!(app.counts().outbox, before.outbox);
    assert_eq!(resent(&app, tn).len(), 1);

    // The step is in the request's audit chain.
    let audit = app
        .get(
            &format!("/api/v1/requests/{tn}/audit"),
            Some(&app.staff("admin@city.test", "admin", None).await),
        )
        .await;
    let actions: Vec<&str> = audit.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(actions.contains(&"link_requested"), "{actions:?}");
}

#[tokio::test]
async fn a_request_gets_at_most_three_new_links_an_hour_and_the_fourth_ask_is_answered_the_same() {
    let app = spawn_app().await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let client = page_client();
    for _ in 0..4 {
        let (status, page) = ask(&app, &client, tn, "jane@example.com").await;
        assert_eq!(status, StatusCode::OK);
        assert!(page.contains("Check your email"));
    }
    assert_eq!(resent(&app, tn).len(), 3);
}

#[tokio::test]
async fn the_form_says_what_is_missing_in_plain_words_and_sends_nothing() {
    let app = spawn_app().await;
    let filed = app.submit_records_request().await;
    let before = app.counts();
    let client = page_client();
    let (status, page) = ask(&app, &client, "", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("There is a problem"), "{page}");
    assert!(page.contains("Enter your tracking number"), "{page}");
    assert!(
        page.contains("Enter the email address you gave with your request"),
        "{page}"
    );
    let (status, page) = ask(&app, &client, "42", "jane").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("like RR-2026-00042"), "{page}");
    assert!(
        page.contains("in the correct format, like name@example.com"),
        "{page}"
    );
    assert_eq!(app.counts(), before);
    assert!(resent(&app, &filed.tracking_number).is_empty());
}

#[tokio::test]
async fn a_bookmark_in_a_browser_without_the_link_shows_the_way_back_and_nothing_of_the_request() {
    let app = spawn_app().await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    for path in [
        format!("/requests/{tn}"),
        format!("/requests/{tn}?token=rdr_not-the-token"),
        "/requests/RR-2026-99999".to_string(),
    ] {
        let response = page_client().get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let page = response.text().await.unwrap();
        assert!(page.contains("Open your request"), "{path}: {page}");
        assert!(
            page.contains("use the link in any email we sent you"),
            "{path}"
        );
        assert!(page.contains("Email me a new link"), "{path}");
        assert!(
            !page.contains("Todos Santos"),
            "{path}: nothing of the request is shown"
        );
    }
    // The form comes with the tracking number filled in.
    let page = page_text(&page_client(), app.url(&format!("/requests/{tn}"))).await;
    assert!(page.contains(&format!("value=\"{tn}\"")), "{page}");
}
