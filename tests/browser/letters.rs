//! Decision letters (docs/PRODUCT.md, "Letters"), walked in browsers that run no page
//! scripts: the requester opens "Your letters about this request" from their tracking page and
//! reads the partial denial as a letter to print; staff open the same letters from the case
//! page. Each page is checked with axe-core and at a phone's width.

use super::*;

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn the_requester_and_staff_open_a_decision_letter_to_print() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let token = app.login("clerk@city.test").await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &token, json!({ "to": "under_review" }))
        .await;
    app.must_transition(&tn, &token, crate::helpers::partial_grant())
        .await;

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let requester = driver.browser_without_javascript(&profile).await;
    requester
        .goto(&app.url(&format!("/requests/{tn}?token={}", filed.token)))
        .await
        .unwrap();
    follow(&requester, "Your letters about this request").await;
    assert_eq!(
        text_of(&requester, "h1").await,
        format!("Letters about request {tn}")
    );
    assert_accessible(&requester, "letters").await;
    fits_a_phone(&requester, "letters").await;
    screenshot_at(&requester, "letters", PHONE_WIDTH).await;
    follow(&requester, "Your request is granted in part").await;
    assert_eq!(
        text_of(&requester, "h1").await,
        "Your request is granted in part"
    );
    let letter = text_of(&requester, "article.letter").await;
    for needed in [
        "Office of the City Clerk, City of Concord",
        &format!("Tracking number: {tn}"),
        "Government Code section 7922.540",
        "Sincerely,",
        "Casey Clerk",
        "City clerk",
    ] {
        assert!(letter.contains(needed), "{needed:?} not in {letter}");
    }
    assert!(!letter.contains("rdr_"));
    assert_accessible(&requester, "letter").await;
    fits_a_phone(&requester, "letter").await;
    screenshot_at(&requester, "letter-print", DESKTOP.0).await;
    screenshot_at(&requester, "letter-print", PHONE_WIDTH).await;

    let staff_profile = tempfile::tempdir().unwrap();
    let clerk = driver.browser_without_javascript(&staff_profile).await;
    sign_in(&clerk, &app, "clerk@city.test").await;
    clerk
        .goto(&app.url(&format!("/staff/requests/{tn}")))
        .await
        .unwrap();
    follow(&clerk, "Letters to the requester").await;
    assert_accessible(&clerk, "staff letters").await;
    follow(&clerk, "We received your public records request").await;
    let acknowledgement = text_of(&clerk, "article.letter").await;
    assert!(
        acknowledgement.contains("Office of the City Clerk\nCity Clerk"),
        "{acknowledgement}"
    );
    assert_accessible(&clerk, "staff letter").await;
}
