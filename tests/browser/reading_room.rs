//! The reading room (docs/PRODUCT.md, "Reading room"), walked by a resident in a browser that
//! runs no page scripts: a request whose records were produced is published by the clerk on
//! the request's "Reading room" page (refused while the summary names the requester), and
//! anyone finds it by searching, opens it, and reads what was decided, never who asked. Each
//! page is checked with axe-core and at a phone's width.

use super::*;

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_resident_finds_a_published_request_in_the_reading_room_without_its_requester() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let token = app.login("clerk@city.test").await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &token, json!({ "to": "under_review" }))
        .await;
    app.must_transition(
        &tn,
        &token,
        crate::helpers::grant("The incident logs are released in full."),
    )
    .await;
    let produced = app
        .post(
            &format!("/api/v1/requests/{tn}/production"),
            Some(&token),
            &json!({ "how": "inspection", "note": "Inspected at the Clerk's counter." }),
        )
        .await;
    assert_eq!(produced.status.as_u16(), 200, "{:?}", produced.body);
    let driver = Driver::start().await;

    // The clerk publishes it from the request's "Reading room" page.
    let clerk_profile = tempfile::tempdir().unwrap();
    let clerk = driver.browser_without_javascript(&clerk_profile).await;
    sign_in(&clerk, &app, "clerk@city.test").await;
    clerk
        .goto(&app.url(&format!("/staff/requests/{tn}/publication")))
        .await
        .unwrap();
    assert_eq!(text_of(&clerk, "h1").await, format!("Reading room: {tn}"));
    // The summary is refused while it names the requester.
    choose(&clerk, "Publish").await;
    fill(&clerk, "#f-summary", "Logs Jane Q. Public asked for.").await;
    press(&clerk, "Save").await;
    let refused = page_text(&clerk).await;
    assert!(
        refused.contains("the requester's name (Jane Q. Public)"),
        "{refused}"
    );
    assert_accessible(&clerk, "publication page with an error").await;
    fits_a_phone(&clerk, "publication page with an error").await;
    screenshot_at(&clerk, "reading-room-publish-error", DESKTOP.0).await;
    screenshot_at(&clerk, "reading-room-publish-error", PHONE_WIDTH).await;
    choose(&clerk, "Publish").await;
    fill(
        &clerk,
        "#f-summary",
        "Police incident logs for Todos Santos Plaza, March 2026.",
    )
    .await;
    press(&clerk, "Save").await;
    let done = page_text(&clerk).await;
    assert!(done.contains("the reading room is updated"), "{done}");
    assert!(done.contains("Published in the reading room"), "{done}");

    let profile = tempfile::tempdir().unwrap();
    let resident = driver.browser_without_javascript(&profile).await;
    resident.goto(&app.url("/reading-room")).await.unwrap();
    assert_eq!(text_of(&resident, "h1").await, "Reading room");
    assert_accessible(&resident, "reading room").await;
    fits_a_phone(&resident, "reading room").await;

    // Quotes and operators are words like any other.
    fill(&resident, "#f-q", "\"todos santos\" plaza* (MARCH)").await;
    press(&resident, "Search").await;
    let found = page_text(&resident).await;
    assert!(found.contains(&tn), "{found}");
    assert!(found.contains("Todos Santos Plaza"), "{found}");
    screenshot_at(&resident, "reading-room", DESKTOP.0).await;
    screenshot_at(&resident, "reading-room", PHONE_WIDTH).await;

    follow(&resident, &tn).await;
    let item = page_text(&resident).await;
    assert!(
        item.contains("The incident logs are released in full."),
        "{item}"
    );
    for private in ["Jane Q. Public", "jane@example.com", "555-0100"] {
        assert!(!item.contains(private), "{private} is published: {item}");
    }
    assert_accessible(&resident, "reading room item").await;
    fits_a_phone(&resident, "reading room item").await;
    screenshot_at(&resident, "reading-room-item", DESKTOP.0).await;
    screenshot_at(&resident, "reading-room-item", PHONE_WIDTH).await;
}
