//! Search and one action on several results, as a clerk works them (issue 20; docs/PRODUCT.md,
//! "Search"): the box on the queue, accented and punctuated words, the filters, ticking
//! results, a mistake (no action chosen), then closing two repeats of a third. The browser
//! runs no page scripts; each page is checked with axe-core and at a phone's width.

use super::*;

async fn tick(client: &Client, tracking_number: &str) {
    client
        .find(Locator::Css(&format!("#select-{tracking_number}")))
        .await
        .unwrap_or_else(|_| panic!("no box for {tracking_number}"))
        .click()
        .await
        .unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_clerk_finds_repeats_by_words_and_closes_them_into_the_first() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let mut filed = Vec::new();
    for (name, email) in [
        ("Zoë O'Connor", "zoe@example.org"),
        ("Zoë O'Connor", "zoe.oconnor@work.example"),
        ("Andrés Peña", "andres@example.net"),
    ] {
        let reply = reqwest::Client::new()
            .post(app.url("/api/v1/requests"))
            .json(&json!({
                "kind": "public_records",
                "requester": { "name": name, "email": email },
                "description": "Sidewalk repair complaints on Willow Pass Road, 2025–2026.",
            }))
            .send()
            .await
            .unwrap()
            .json::<Value>()
            .await
            .unwrap();
        filed.push(reply["tracking_number"].as_str().unwrap().to_string());
    }
    let other = app.submit_records_request().await.tracking_number;

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let clerk = driver.browser_without_javascript(&profile).await;
    sign_in(&clerk, &app, "clerk@city.test").await;
    fill(&clerk, "#f-search", "\"willow páss\" sidewalk*").await;
    press(&clerk, "Search").await;
    assert_eq!(text_of(&clerk, "h1").await, "Search requests");
    assert_eq!(text_of(&clerk, "#results").await, "3 requests found.");
    let results = page_text(&clerk).await;
    assert!(!results.contains(&other), "{results}");
    assert!(results.contains("Requests with all of these words: willow pass sidewalk"));
    assert_accessible(&clerk, "search results").await;
    fits_a_phone(&clerk, "search results").await;
    screenshot_at(&clerk, "search-results", DESKTOP.0).await;
    screenshot_at(&clerk, "search-results", PHONE_WIDTH).await;

    // By name, as typed without the accent or the apostrophe.
    fill(&clerk, "#f-q", "zoe oconnor").await;
    press(&clerk, "Search").await;
    assert_eq!(text_of(&clerk, "#results").await, "2 requests found.");

    // Ticked, but no action chosen: the page again, with the error and the boxes still ticked.
    tick(&clerk, &filed[0]).await;
    tick(&clerk, &filed[1]).await;
    press(&clerk, "Apply to the selected requests").await;
    assert!(
        text_of(&clerk, ".error-summary")
            .await
            .contains("Choose what to do to the selected requests"),
        "{}",
        page_text(&clerk).await
    );
    assert_accessible(&clerk, "search results with an error").await;
    screenshot_at(&clerk, "search-error", PHONE_WIDTH).await;

    choose(&clerk, "Close them as repeats of one of them").await;
    // Chosen by value: the label's apostrophe would end fantoccini's XPath string.
    clerk
        .find(Locator::Css("#f-duplicate-of"))
        .await
        .unwrap()
        .select_by_value(&filed[0])
        .await
        .unwrap();
    press(&clerk, "Apply to the selected requests").await;
    assert_eq!(text_of(&clerk, "h1").await, "1 request changed");
    let done = page_text(&clerk).await;
    assert!(
        done.contains(&format!("Closed as a repeat of {}", filed[0])),
        "{done}"
    );
    assert!(done.contains("Left as it was: the others are closed as repeats of it"));
    assert_accessible(&clerk, "bulk action done").await;
    fits_a_phone(&clerk, "bulk action done").await;
    screenshot_at(&clerk, "search-done", PHONE_WIDTH).await;

    follow(&clerk, "Back to your search").await;
    fill(&clerk, "#f-q", "willow").await;
    press(&clerk, "Search").await;
    let closed = page_text(&clerk).await;
    assert!(
        closed.contains("Closed: repeats an earlier request"),
        "{closed}"
    );
}
