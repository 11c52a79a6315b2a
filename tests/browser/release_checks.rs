//! Release checks in a browser that runs no page scripts (docs/PRODUCT.md, "Release checks"):
//! the clerk chooses a workbook with a hidden sheet and a PDF with text under a black box, one
//! of them public; the check page shows what was found beside each, refuses without the
//! confirmation, and releases with it. Each page is checked with axe-core and at a phone's
//! width.

use super::steps::open_case;
use super::*;
use crate::release_files::{pdf, xlsx_with_hidden_sheet};

async fn attach(app: &TestApp, tn: &str, token: &str, name: &str, bytes: Vec<u8>) -> i64 {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/requests/{tn}/documents")))
        .bearer_auth(token)
        .multipart(crate::helpers::form(name, bytes, &[]))
        .send()
        .await
        .expect("upload");
    assert!(response.status().is_success(), "{name}");
    let body: Value = response.json().await.unwrap();
    body["documents"].as_array().unwrap().last().unwrap()["id"]
        .as_i64()
        .unwrap()
}

async fn tick(client: &Client, css: &str) {
    client
        .find(Locator::Css(css))
        .await
        .expect(css)
        .click()
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_clerk_sees_what_the_release_checks_found_and_confirms_before_releasing() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let token = app.login("clerk@city.test").await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &token, json!({ "to": "under_review" }))
        .await;
    let sheet = attach(
        &app,
        &tn,
        &token,
        "overtime-2025.xlsx",
        xlsx_with_hidden_sheet(),
    )
    .await;
    let report = attach(
        &app,
        &tn,
        &token,
        "incident-report.pdf",
        pdf("SSN 123-45-6789 of the officer", true),
    )
    .await;
    app.must_transition(
        &tn,
        &token,
        crate::helpers::grant("The overtime records are released."),
    )
    .await;

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let clerk = driver.browser_without_javascript(&profile).await;
    sign_in(&clerk, &app, "clerk@city.test").await;
    open_case(&clerk, &app, &tn).await;
    tick(&clerk, &format!("#release_{sheet}")).await;
    tick(&clerk, &format!("#public_{sheet}")).await;
    tick(&clerk, &format!("#release_{report}")).await;
    press(&clerk, "Release the chosen documents").await;

    let text = page_text(&clerk).await;
    assert!(
        text.contains("Check the documents before you release them"),
        "{text}"
    );
    assert!(text.contains("Sheet \"Salaries\" is hidden"), "{text}");
    assert!(
        text.contains("Text under a black box on page 1: ‘SSN 123-45-6789 of the…’"),
        "{text}"
    );
    assert_accessible(&clerk, "the release check").await;
    fits_a_phone(&clerk, "the release check").await;
    screenshot_at(&clerk, "release-check", 1280).await;
    screenshot_at(&clerk, "release-check", 390).await;

    // Without the confirmation: refused, said at the top and beside the box.
    press(&clerk, "Release the documents").await;
    let summary = text_of(&clerk, "#error-summary").await;
    assert!(
        summary.contains("Confirm that you have checked what was found"),
        "{summary}"
    );
    assert!(text_of(&clerk, "#confirm_findings-error")
        .await
        .contains("Confirm that you have checked"));
    assert_accessible(&clerk, "the release check with its error").await;
    screenshot_at(&clerk, "release-check-error", 390).await;
    assert_eq!(
        app.case(&tn, &filed.token).await["documents"],
        json!([]),
        "nothing released"
    );

    // The choice made on the case page is kept; confirmed, both are released.
    tick(&clerk, "#confirm_findings").await;
    press(&clerk, "Release the documents").await;
    let text = page_text(&clerk).await;
    assert!(
        text.contains("Released. The requester has been emailed"),
        "{text}"
    );
    assert!(text.contains("Released, public"), "{text}");
    assert!(text.contains("Released to the requester only"), "{text}");
}
