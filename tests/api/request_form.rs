//! The request form's question pages over HTTP (the walk in a browser is tests/browser.rs):
//! each page checks only its own questions, carries the others, and nothing is filed before
//! "Send request" on the check page.

use reqwest::StatusCode;

use crate::helpers::*;

async fn post(
    app: &TestApp,
    client: &reqwest::Client,
    form: &[(&str, &str)],
) -> (StatusCode, String) {
    let csrf = csrf_in(&page_text(client, app.url("/requests/new")).await);
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(form);
    let response = client
        .post(app.url("/requests/new"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn each_page_asks_its_own_questions_and_the_check_page_shows_the_email_before_filing() {
    let app = spawn_app().await;
    let client = page_client();
    let before = app.counts();

    let (status, page) = post(&app, &client, &[("step", "kind")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Select what you are asking for"), "{page}");

    let (status, page) = post(
        &app,
        &client,
        &[("step", "kind"), ("kind", "public_records")],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Which records do you want?"), "{page}");
    assert!(
        !page.contains("intended_use") && !page.contains("dataset_q"),
        "{page}"
    );

    // The records page does not ask for a name yet, so it does not complain of one.
    let (status, page) = post(
        &app,
        &client,
        &[("step", "details"), ("kind", "public_records")],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Describe the records or data you want"),
        "{page}"
    );
    assert!(!page.contains("Enter your name"), "{page}");

    let answers = [
        ("kind", "public_records"),
        ("description", "Council minutes, 2025"),
        ("name", "Jane Q. Public"),
        ("email", "jane@example"),
    ];
    let mut about = vec![("step", "about")];
    about.extend_from_slice(&answers);
    let (status, page) = post(&app, &client, &about).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Enter an email address in the correct format, like name@example.com"),
        "{page}"
    );
    // What the other pages asked is carried along.
    assert!(page.contains("value=\"Council minutes, 2025\""), "{page}");

    let mut good = about.clone();
    good.retain(|(k, _)| *k != "email");
    good.push(("email", "jane@example.com"));
    let (status, page) = post(&app, &client, &good).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Check your answers before sending your request"),
        "{page}"
    );
    assert!(page.contains("<strong>jane@example.com</strong>"), "{page}");
    assert_eq!(app.counts(), before, "nothing is filed before Send request");

    let mut send = good.clone();
    send.retain(|(k, _)| *k != "step");
    send.push(("step", "send"));
    let csrf = csrf_in(&page);
    let mut fields = vec![("csrf", csrf.as_str())];
    fields.extend_from_slice(&send);
    let filed = client
        .post(app.url("/requests/new"))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(filed.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.counts().requests, before.requests + 1);
}

#[tokio::test]
async fn a_data_request_chooses_its_dataset_by_title_and_an_unknown_one_is_refused_in_words() {
    let app = spawn_app().await;
    let imported = app
        .cli(
            &[
                "catalog",
                "import",
                concat!(
                    env!("CARGO_MANIFEST_DIR"),
                    "/tests/fixtures/catalog-restricted.json"
                ),
            ],
            None,
        )
        .await;
    assert!(imported.status.success());
    let client = page_client();
    let (status, page) = post(
        &app,
        &client,
        &[
            ("kind", "dataset_access"),
            ("search", "search"),
            ("dataset_q", "code enforcement"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("Code Enforcement Cases"), "{page}");
    let (status, page) = post(
        &app,
        &client,
        &[
            ("step", "details"),
            ("kind", "dataset_access"),
            ("dataset_id", "https://example.org/not-in-the-catalog"),
            ("description", "The cases."),
            ("intended_use", "A map."),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Choose a dataset from the City"), "{page}");
    assert!(page.contains("catalog"), "{page}");
}

#[tokio::test]
async fn sending_the_same_description_again_within_a_day_is_warned_in_that_browser_only() {
    let app = spawn_app().await;
    let client = page_client();
    let answers = [
        ("kind", "public_records"),
        ("description", "Council minutes,   2025"),
        ("name", "Jane Q. Public"),
        ("email", "jane@example.com"),
    ];
    let mut send = vec![("step", "send")];
    send.extend_from_slice(&answers);
    let (status, _) = post(&app, &client, &send).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let tn = app.with_conn(|conn| {
        use diesel::prelude::*;
        use recordsdesk::db::schema::requests;
        requests::table
            .select(requests::tracking_number)
            .first::<String>(conn)
    });

    // The same words again (spacing aside), in the same browser: warned before sending.
    let mut check = vec![("step", "about")];
    check.extend_from_slice(&[
        ("kind", "public_records"),
        ("description", "Council minutes, 2025"),
        ("name", "Jane Q. Public"),
        ("email", "jane@example.com"),
    ]);
    let (status, page) = post(&app, &client, &check).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("You already sent a request with this description"),
        "{page}"
    );
    assert!(page.contains(&format!("href=\"/requests/{tn}\"")), "{page}");

    // Another description, or another browser: no warning.
    let mut other = check.clone();
    other.retain(|(k, _)| *k != "description");
    other.push(("description", "Council minutes, 2024"));
    let (_, page) = post(&app, &client, &other).await;
    assert!(!page.contains("You already sent"), "{page}");
    let (_, page) = post(&app, &page_client(), &check).await;
    assert!(!page.contains("You already sent"), "{page}");
}
