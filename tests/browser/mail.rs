//! Email for no request, as a clerk works it (issue 19; docs/PRODUCT.md, "Replies by email"):
//! the list, one email, a mistake in the tracking number, attaching it, and discarding
//! another. The browser runs no page scripts; each page is checked with axe-core and at a
//! phone's width.

use super::*;

const TOKEN: &str = "mail-server-token-for-the-browser";

async fn hand_over(app: &TestApp, raw: String) -> Value {
    reqwest::Client::new()
        .post(app.url("/api/v1/mail/inbound"))
        .bearer_auth(TOKEN)
        .body(raw)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_clerk_attaches_one_email_to_its_request_and_discards_another() {
    let app = helpers::spawn_app_with(|s| s.mail.ingest_token = TOKEN.to_string().into()).await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    // The requester wrote from their work address, to the office's general one.
    let from_work = hand_over(
        &app,
        "From: Jane Public <jane.public@work.example>\r\n\
         To: cityclerk@cityofconcord.org\r\n\
         Subject: About my request for the police logs\r\n\
         Message-ID: <work-1@work.example>\r\n\r\n\
         I filed a request for the Todos Santos Plaza logs. Only March 14 and 15, please.\r\n\r\n\
         Jane\r\n"
            .into(),
    )
    .await;
    assert_eq!(from_work["outcome"], "unmatched");
    let advert = hand_over(
        &app,
        "From: offers@example.biz\r\nTo: cityclerk@cityofconcord.org\r\n\
         Subject: Save on printer ink\r\nMessage-ID: <ad-1@example.biz>\r\n\r\nBuy now.\r\n"
            .into(),
    )
    .await;
    assert_eq!(advert["outcome"], "unmatched");

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let clerk = driver.browser_without_javascript(&profile).await;
    sign_in(&clerk, &app, "clerk@city.test").await;
    follow(&clerk, "Email for no request").await;
    assert_eq!(text_of(&clerk, "h1").await, "Email for no request");
    let list = page_text(&clerk).await;
    assert!(list.contains("2 emails are waiting"), "{list}");
    assert!(
        list.contains("not sent to a request's reply address"),
        "{list}"
    );
    assert_accessible(&clerk, "email for no request").await;
    fits_a_phone(&clerk, "email for no request").await;
    screenshot_at(&clerk, "mail-list", DESKTOP.0).await;
    screenshot_at(&clerk, "mail-list", PHONE_WIDTH).await;

    follow(&clerk, "About my request for the police logs").await;
    let email = page_text(&clerk).await;
    assert!(email.contains("Only March 14 and 15, please."), "{email}");
    assert!(email.contains("jane.public@work.example"), "{email}");
    assert_accessible(&clerk, "one email").await;
    fits_a_phone(&clerk, "one email").await;
    screenshot_at(&clerk, "mail-one", DESKTOP.0).await;
    screenshot_at(&clerk, "mail-one", PHONE_WIDTH).await;

    // A number that is no request is refused beside the field.
    fill(&clerk, "#f-tracking-number", "RR-2026-99999").await;
    press(&clerk, "Attach the email").await;
    assert!(
        text_of(&clerk, ".error-summary")
            .await
            .contains("no request you can see has the number RR-2026-99999"),
        "{}",
        page_text(&clerk).await
    );
    assert_accessible(&clerk, "one email with an error").await;
    screenshot_at(&clerk, "mail-one-error", PHONE_WIDTH).await;

    // Typed as a person types it.
    fill(
        &clerk,
        "#f-tracking-number",
        &format!(" {} ", tn.to_lowercase()),
    )
    .await;
    press(&clerk, "Attach the email").await;
    assert!(text_of(&clerk, "h1").await.starts_with(&tn));
    assert!(text_of(&clerk, ".success")
        .await
        .contains(&format!("attached to {tn} as a message from its requester")));
    let case = page_text(&clerk).await;
    assert!(case.contains("Only March 14 and 15, please."), "{case}");
    screenshot_at(&clerk, "case-with-email", PHONE_WIDTH).await;
    follow(&clerk, "Read the email it came in").await;
    screenshot_at(&clerk, "mail-attached", DESKTOP.0).await;
    assert!(page_text(&clerk)
        .await
        .contains(&format!("This email was attached to {tn}")));

    // The advert is discarded, with a reason; without one it is asked for.
    follow(&clerk, "‹ Back to email for no request").await;
    follow(&clerk, "Save on printer ink").await;
    press(&clerk, "Discard the email").await;
    assert!(text_of(&clerk, ".error-summary")
        .await
        .contains("Say why you are discarding the email"));
    fill(&clerk, "#f-reason", "Advertising").await;
    press(&clerk, "Discard the email").await;
    assert!(text_of(&clerk, ".success")
        .await
        .contains("The email is discarded"));
    assert!(page_text(&clerk)
        .await
        .contains("There is no email waiting."));
}
