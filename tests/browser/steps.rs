//! The staff step pages as a clerk and a reviewer use them: a denial with two withheld items
//! and a round of errors, a grant in part through production and reopening, and a review that
//! upholds a denial. The staff browsers here run no page scripts: every step is a plain form.
//! Each page is checked with axe-core and at a phone's width.

use super::*;

const INVESTIGATION: &str =
    "Gov. Code §7923.600 (former §6254(f)): Law enforcement investigation and security records";
const OTHER_LAW: &str =
    "Gov. Code §7927.705 (former §6254(k)): Records exempt under other state or federal law, including privileges";
const OTHER: &str = "Other (type the code section below)";

/// The case page's facts (the first list of facts), as text.
async fn facts(client: &Client) -> String {
    text_of(client, "dl.facts").await
}

pub(super) async fn open_case(client: &Client, app: &TestApp, tn: &str) {
    client
        .goto(&app.url(&format!("/staff/requests/{tn}")))
        .await
        .unwrap();
    assert!(text_of(client, "h1").await.starts_with(tn));
}

/// The task list's links, in order.
async fn tasks(client: &Client) -> Vec<String> {
    let mut titles = Vec::new();
    for link in client.find_all(Locator::Css("ul.tasks a")).await.unwrap() {
        titles.push(link.text().await.unwrap());
    }
    titles
}

/// Follows a task to its page and checks the page: its heading, axe-core, a phone's width.
pub(super) async fn open_step(client: &Client, title: &str) {
    follow(client, title).await;
    assert_eq!(text_of(client, "h1").await, title);
    assert_accessible(client, title).await;
    fits_a_phone(client, title).await;
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_clerk_denies_with_two_withheld_items_after_fixing_an_error() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let token = app.login("clerk@city.test").await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &token, json!({ "to": "under_review" }))
        .await;

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let clerk = driver.browser_without_javascript(&profile).await;
    sign_in(&clerk, &app, "clerk@city.test").await;
    open_case(&clerk, &app, &tn).await;
    assert_eq!(
        tasks(&clerk).await,
        [
            "Help the requester find records, or ask them to clarify",
            "Grant the request",
            "Deny the request",
            "Answer that the City holds no records",
            "Extend the deadline",
            "Close as a duplicate of another request",
            "Withdraw the request for the requester",
        ]
    );
    fits_a_phone(&clerk, "case page").await;

    // The pages not taken here still open, read well and fit a phone; Cancel goes back.
    for title in [
        "Answer that the City holds no records",
        "Extend the deadline",
        "Withdraw the request for the requester",
    ] {
        open_step(&clerk, title).await;
        follow(&clerk, "Cancel").await;
        assert!(text_of(&clerk, "h1").await.starts_with(&tn));
    }

    open_step(&clerk, "Deny the request").await;
    // The person responsible starts as the clerk, with the title on their account.
    assert_eq!(
        value_of(&clerk, "#responsible-0-staff").await,
        "clerk@city.test"
    );
    fill(
        &clerk,
        "#reason",
        "The file belongs to an open investigation, and one record names an informant.",
    )
    .await;
    fill(&clerk, "#withheld-0-item", "Investigation file 2026-114").await;
    select(&clerk, "#withheld-0-exemption", INVESTIGATION).await;
    fill(
        &clerk,
        "#withheld-0-reason",
        "The investigation is open; releasing the file would endanger it.",
    )
    .await;
    assert!(
        clerk.find(Locator::Css("#withheld-1-item")).await.is_err(),
        "one row to start with"
    );
    press(&clerk, "Add another withheld item").await;
    // The same page, one row longer, with what was typed and nothing sent.
    assert_eq!(text_of(&clerk, "h1").await, "Deny the request");
    assert!(clerk.find(Locator::Css("#error-summary")).await.is_err());
    assert_eq!(
        value_of(&clerk, "#withheld-0-item").await,
        "Investigation file 2026-114"
    );
    assert_eq!(value_of(&clerk, "#withheld-0-exemption").await, "7923.600");
    assert_eq!(value_of(&clerk, "#withheld-1-item").await, "");
    fill(&clerk, "#withheld-1-item", "The informant's name").await;
    select(&clerk, "#withheld-1-exemption", OTHER).await;
    fill(&clerk, "#withheld-1-citation", "Evid. Code §1040").await;
    fill(
        &clerk,
        "#withheld-1-reason",
        "Official information acquired in confidence; disclosure is against the public interest.",
    )
    .await;
    screenshot_at(&clerk, "deny", PHONE_WIDTH).await;
    screenshot_at(&clerk, "deny", DESKTOP.0).await;

    // Forgetting why no part can be released: the summary says so and leads to the field.
    // (Enter in a text box sends the form with its main button, not "Add another".)
    enter_in(&clerk, "#withheld-1-citation").await;
    let summary = text_of(&clerk, "#error-summary").await;
    assert!(
        summary.contains("There is a problem") && summary.contains("Why no part can be released"),
        "{summary}"
    );
    assert!(clerk.title().await.unwrap().starts_with("Error:"));
    let beside = text_of(&clerk, "#segregability-error").await;
    assert!(beside.contains("segregable"), "{beside}");
    assert_eq!(
        clerk
            .find(Locator::Css("#segregability"))
            .await
            .unwrap()
            .attr("aria-invalid")
            .await
            .unwrap()
            .as_deref(),
        Some("true")
    );
    // What was typed comes back, both rows.
    assert_eq!(value_of(&clerk, "#withheld-1-exemption").await, "other");
    assert_eq!(
        value_of(&clerk, "#withheld-1-citation").await,
        "Evid. Code §1040"
    );
    assert_eq!(value_of(&clerk, "#withheld-0-exemption").await, "7923.600");
    assert_accessible(&clerk, "deny page with an error").await;
    fits_a_phone(&clerk, "deny page with an error").await;
    screenshot_at(&clerk, "deny-error", PHONE_WIDTH).await;
    screenshot_at(&clerk, "deny-error", DESKTOP.0).await;
    let link = clerk
        .find(Locator::Css("#error-summary a[href='#segregability']"))
        .await
        .expect("the summary links to the field");
    link.click().await.unwrap();
    let at = clerk
        .execute(
            "return [location.hash, document.activeElement.id, \
             document.querySelector(':target') && document.querySelector(':target').id];",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(at[0], "#segregability", "{at}");
    assert_eq!(at[2], "segregability", "{at}");
    // The link leaves the focus in the field, where the clerk types.
    assert_eq!(at[1], "segregability", "{at}");
    clerk
        .active_element()
        .await
        .unwrap()
        .send_keys("Every page describes the investigation; nothing can be separated.")
        .await
        .unwrap();
    press(&clerk, "Continue").await;
    // What is about to be sent, shown back: nothing is sent yet.
    assert_eq!(
        text_of(&clerk, "h1").await,
        "Check the denial before you send it"
    );
    let check = page_text(&clerk).await;
    assert!(
        check.contains("Investigation file 2026-114") && check.contains("Evid. Code §1040"),
        "{check}"
    );
    assert_accessible(&clerk, "check the denial").await;
    fits_a_phone(&clerk, "check the denial").await;
    screenshot_at(&clerk, "deny-check", PHONE_WIDTH).await;
    screenshot_at(&clerk, "deny-check", DESKTOP.0).await;
    press(&clerk, "Send the decision").await;

    // Back on the case page: the message, and the determination with both items.
    assert_eq!(text_of(&clerk, "h1").await, format!("{tn}: Denied"));
    assert!(text_of(&clerk, ".success")
        .await
        .contains("The request is denied."));
    let case = page_text(&clerk).await;
    for shown in [
        "Determination: denied, by Casey Clerk",
        "Investigation file 2026-114: Gov. Code §7923.600 (former §6254(f)).",
        "The informant's name: Evid. Code §1040.",
        "Responsible: Casey Clerk, City clerk",
        "Why no part can be released: Every page describes the investigation",
    ] {
        assert!(case.contains(shown), "{shown:?} in {case}");
    }
    assert!(!tasks(&clerk).await.contains(&"Deny the request".into()));
    // The page of a step that is no longer open says so.
    clerk
        .goto(&app.url(&format!("/staff/requests/{tn}/steps/deny")))
        .await
        .unwrap();
    let refused = page_text(&clerk).await;
    assert!(refused.contains("You cannot deny the request"), "{refused}");

    clerk.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_clerk_grants_in_part_records_production_on_paper_and_reopens_it() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let token = app.login("clerk@city.test").await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &token, json!({ "to": "under_review" }))
        .await;

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let clerk = driver.browser_without_javascript(&profile).await;
    sign_in(&clerk, &app, "clerk@city.test").await;
    open_case(&clerk, &app, &tn).await;
    open_step(&clerk, "Grant the request").await;
    assert_eq!(value_of(&clerk, "#records_due_time").await, "16:00");
    fill(
        &clerk,
        "#decision",
        "The logs are released with victims' names redacted; collect them at the Clerk's counter.",
    )
    .await;
    let available = city_date(2);
    type_date(&clerk, "#records_due_date", available).await;
    fill(&clerk, "#records_due_time", "1030AM").await;
    choose(&clerk, "Yes: granted in part").await;

    // In part, but nothing listed as withheld.
    press(&clerk, "Continue").await;
    let summary = text_of(&clerk, "#error-summary").await;
    assert!(summary.contains("What is withheld"), "{summary}");
    // The summary's link leads to the first field of the group of withheld items.
    clerk
        .find(Locator::Css("#error-summary a"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let target = clerk
        .execute(
            "const t = document.querySelector(':target'); \
             return t && t.closest('section') && t.closest('section').getAttribute('aria-labelledby');",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(target, "withheld-heading");
    assert_eq!(
        value_of(&clerk, "#records_due_date").await,
        available.format("%Y-%m-%d").to_string()
    );
    assert_eq!(value_of(&clerk, "#records_due_time").await, "10:30");
    assert!(clerk
        .find(Locator::Css("#partial-1"))
        .await
        .unwrap()
        .is_selected()
        .await
        .unwrap());
    assert_accessible(&clerk, "grant page with an error").await;
    fits_a_phone(&clerk, "grant page with an error").await;
    screenshot_at(&clerk, "grant-error", PHONE_WIDTH).await;
    screenshot_at(&clerk, "grant-error", DESKTOP.0).await;

    fill(&clerk, "#withheld-0-item", "Victims' names").await;
    select(&clerk, "#withheld-0-exemption", OTHER_LAW).await;
    fill(
        &clerk,
        "#withheld-0-reason",
        "Protected by Penal Code §293, which §7927.705 brings in.",
    )
    .await;
    continue_and_confirm(&clerk, "Send the decision").await;
    assert_eq!(text_of(&clerk, "h1").await, format!("{tn}: Granted"));
    assert!(text_of(&clerk, ".success")
        .await
        .contains("The request is granted."));
    let due = shown_time(available, "10:30 AM");
    let case = page_text(&clerk).await;
    assert!(
        case.contains("Determination: granted in part, by Casey Clerk")
            && case.contains("Victims' names: Gov. Code §7927.705 (former §6254(k))."),
        "{case}"
    );
    assert!(
        facts(&clerk)
            .await
            .contains(&format!("Records available by\n{due}")),
        "{due} in {}",
        facts(&clerk).await
    );
    assert!(text_of(&clerk, ".notice").await.contains(&due));

    // Delivered on paper.
    open_step(
        &clerk,
        "Record that the records were delivered or inspected",
    )
    .await;
    choose(&clerk, "Delivered on paper or other media").await;
    fill(
        &clerk,
        "#note",
        "212 pages handed to the requester at the Clerk's counter.",
    )
    .await;
    press(&clerk, "Record production").await;
    assert!(text_of(&clerk, ".success")
        .await
        .contains("Production is recorded"));
    let produced = facts(&clerk).await;
    assert!(produced.contains("Records produced"), "{produced}");
    assert!(clerk.find(Locator::Css(".notice")).await.is_err());

    // Pages were missing: production reopens with a new date.
    open_step(&clerk, "Reopen production: the records were incomplete").await;
    fill(&clerk, "#reason", "Pages 40 to 52 were not in the copy.").await;
    let again = city_date(5);
    type_date(&clerk, "#records_due_date", again).await;
    fill(&clerk, "#records_due_time", "0900AM").await;
    press(&clerk, "Reopen production").await;
    assert!(text_of(&clerk, ".success")
        .await
        .contains("Production is reopened"));
    let reopened = facts(&clerk).await;
    let due = shown_time(again, "9:00 AM");
    assert!(
        reopened.contains(&format!("Records available by\n{due}"))
            && reopened.contains("Production reopened\n1 time"),
        "{reopened}"
    );
    assert!(
        tasks(&clerk)
            .await
            .contains(&"Record that the records were delivered or inspected".into()),
        "back in production"
    );
    clerk.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_reviewer_takes_up_a_review_and_upholds_the_denial() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    app.add_staff("reviewer@city.test", "Robin Reviewer", "reviewer", None);
    let token = app.login("clerk@city.test").await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &token, json!({ "to": "under_review" }))
        .await;
    app.must_transition(&tn, &token, helpers::denial()).await;

    let driver = Driver::start().await;
    let (profile_a, profile_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let requester = driver.browser(&profile_a).await;
    let reviewer = driver.browser_without_javascript(&profile_b).await;

    // The requester asks for a review, told it is optional and that a court is open to them.
    requester
        .goto(&app.url(&format!("/requests/{tn}?token={}", filed.token)))
        .await
        .unwrap();
    let tracking = page_text(&requester).await;
    assert!(
        tracking.contains("Ask for a review")
            && tracking.contains("optional")
            && tracking.contains("ask a court")
            && tracking.contains("Investigation file 2026-114")
            && tracking.contains("Pat Records, Deputy City Clerk"),
        "{tracking}"
    );
    fill(
        &requester,
        "#f-grounds",
        "The investigation closed in 2025.",
    )
    .await;
    press(&requester, "Ask for a review").await;
    let asked = page_text(&requester).await;
    assert!(
        asked.contains("Review requested, waiting for a reviewer")
            && !asked.contains("Ask for a review"),
        "{asked}"
    );

    // The reviewer takes it up on its page.
    sign_in(&reviewer, &app, "reviewer@city.test").await;
    open_case(&reviewer, &app, &tn).await;
    assert_eq!(tasks(&reviewer).await, ["Take up the appeal"]);
    open_step(&reviewer, "Take up the appeal").await;
    press(&reviewer, "Take up the appeal").await;
    assert_eq!(
        text_of(&reviewer, "h1").await,
        format!("{tn}: Appeal under review")
    );
    assert!(text_of(&reviewer, ".success")
        .await
        .contains("You have taken up the appeal."));

    // The deny page starts from the decision appealed.
    open_step(&reviewer, "Decide the appeal: deny").await;
    assert_eq!(
        value_of(&reviewer, "#reason").await,
        "The records are investigative files of an ongoing case."
    );
    assert_eq!(
        value_of(&reviewer, "#withheld-0-item").await,
        "Investigation file 2026-114"
    );
    assert_eq!(
        value_of(&reviewer, "#withheld-0-exemption").await,
        "7923.600"
    );
    assert_eq!(
        value_of(&reviewer, "#responsible-0-name").await,
        "Pat Records"
    );
    assert_eq!(
        value_of(&reviewer, "#responsible-0-title").await,
        "Deputy City Clerk"
    );
    assert!(value_of(&reviewer, "#segregability")
        .await
        .starts_with("Every page describes the investigation"));
    fill(
        &reviewer,
        "#decision",
        "The denial is upheld: the investigation reopened in 2026.",
    )
    .await;
    continue_and_confirm(&reviewer, "Send the decision").await;
    assert_eq!(text_of(&reviewer, "h1").await, format!("{tn}: Denied"));
    let case = page_text(&reviewer).await;
    assert!(
        case.contains("Review decision: denied (upheld), by Robin Reviewer")
            && case.contains("Decided on review; no further appeal"),
        "{case}"
    );

    // The requester sees the final decision, and no second review to ask for.
    requester
        .goto(&app.url(&format!("/requests/{tn}")))
        .await
        .unwrap();
    let decided = page_text(&requester).await;
    assert!(
        decided.contains("Review decision: denied")
            && decided.contains("The denial is upheld: the investigation reopened in 2026.")
            && !decided.contains("Ask for a review"),
        "{decided}"
    );
    assert_eq!(text_of(&requester, ".outcome-status").await, "Denied");
    assert_accessible(&requester, "tracking page, review decided").await;
    requester.close().await.unwrap();
    reviewer.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_clerk_extends_after_checking_and_the_requester_writes_back() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let token = app.login("clerk@city.test").await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &token, json!({ "to": "under_review" }))
        .await;

    let driver = Driver::start().await;
    let (profile_a, profile_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let clerk = driver.browser_without_javascript(&profile_a).await;
    sign_in(&clerk, &app, "clerk@city.test").await;
    open_case(&clerk, &app, &tn).await;
    open_step(&clerk, "Extend the deadline").await;
    fill(&clerk, "#days", "10").await;
    clerk
        .find(Locator::Css(
            "input[name='circumstance'][value='voluminous_records']",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    fill(&clerk, "#reason", "The logs fill four boxes in storage.").await;
    press(&clerk, "Continue").await;
    assert_eq!(
        text_of(&clerk, "h1").await,
        "Check the extension before you send it"
    );
    let check = page_text(&clerk).await;
    assert!(
        check.contains("A request can be extended only once") && check.contains("10"),
        "{check}"
    );
    assert_accessible(&clerk, "check the extension").await;
    fits_a_phone(&clerk, "check the extension").await;
    // Nothing is sent until the button on this page.
    assert!(app.notices(&tn).iter().all(|(kind, ..)| kind != "extended"));
    press(&clerk, "Extend the deadline").await;
    assert!(text_of(&clerk, ".success")
        .await
        .contains("The deadline is extended to"));
    assert!(app.notices(&tn).iter().any(|(kind, ..)| kind == "extended"));

    // The requester reads it in words and writes back.
    let requester = driver.browser(&profile_b).await;
    requester
        .goto(&app.url(&format!("/requests/{tn}?token={}", filed.token)))
        .await
        .unwrap();
    let page = page_text(&requester).await;
    assert!(
        page.contains("We need more time, and will tell you our decision by"),
        "{page}"
    );
    fill(&requester, "#f-body", "Thank you. Paper copies are fine.").await;
    press(&requester, "Send message").await;
    let page = page_text(&requester).await;
    assert!(
        page.contains("You wrote to us.") && page.contains("Paper copies are fine."),
        "{page}"
    );
    assert_accessible(&requester, "tracking page after a message").await;
    fits_a_phone(&requester, "tracking page after a message").await;
    clerk.close().await.unwrap();
    requester.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_clerk_closes_a_repeat_into_the_earlier_request() {
    let app = spawn_app().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    app.login("clerk@city.test").await;
    let earlier = app.submit_records_request().await;
    let repeat = app.submit_records_request().await;
    let tn = repeat.tracking_number.clone();

    let driver = Driver::start().await;
    let (profile_a, profile_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let clerk = driver.browser_without_javascript(&profile_a).await;
    sign_in(&clerk, &app, "clerk@city.test").await;
    open_case(&clerk, &app, &tn).await;
    open_step(&clerk, "Close as a duplicate of another request").await;
    screenshot_at(&clerk, "duplicate", DESKTOP.0).await;
    screenshot_at(&clerk, "duplicate", PHONE_WIDTH).await;

    // Its own number is refused beside the field, and nothing is sent.
    fill(&clerk, "#duplicate_of", &tn).await;
    press(&clerk, "Continue").await;
    assert!(
        text_of(&clerk, ".error-summary")
            .await
            .contains("a request cannot repeat itself"),
        "{}",
        page_text(&clerk).await
    );
    assert_accessible(&clerk, "duplicate with an error").await;

    // Typed as a person types it: in lower case, with spaces around it.
    let typed = format!("  {}  ", earlier.tracking_number.to_lowercase());
    fill(&clerk, "#duplicate_of", &typed).await;
    press(&clerk, "Continue").await;
    assert_eq!(
        text_of(&clerk, "h1").await,
        "Check closing it as a duplicate before you send it"
    );
    let check = page_text(&clerk).await;
    assert!(check.contains(&earlier.tracking_number), "{check}");
    assert!(check.contains("It cannot be reopened"), "{check}");
    assert!(app
        .notices(&tn)
        .iter()
        .all(|(kind, ..)| kind != "duplicate"));
    press(&clerk, "Close as a duplicate").await;
    assert!(text_of(&clerk, ".success")
        .await
        .contains("The request is closed as a duplicate"));
    let closed = facts(&clerk).await;
    assert!(
        closed.contains(&format!(
            "{}: closed because it repeats",
            earlier.tracking_number
        )),
        "{closed}"
    );
    assert!(app
        .notices(&tn)
        .iter()
        .any(|(kind, ..)| kind == "duplicate"));

    // The earlier request lists its repeat.
    open_case(&clerk, &app, &earlier.tracking_number).await;
    assert!(facts(&clerk).await.contains(&tn), "{}", facts(&clerk).await);

    // The requester reads where to follow it.
    let requester = driver.browser(&profile_b).await;
    requester
        .goto(&app.url(&format!("/requests/{tn}?token={}", repeat.token)))
        .await
        .unwrap();
    let page = page_text(&requester).await;
    assert!(
        page.contains("Closed: repeats an earlier request"),
        "{page}"
    );
    assert!(
        page.contains(&format!(
            "we will answer you on {}",
            earlier.tracking_number
        )),
        "{page}"
    );
    assert_accessible(&requester, "tracking page of a duplicate").await;
    fits_a_phone(&requester, "tracking page of a duplicate").await;
    screenshot_at(&requester, "tracking-duplicate", PHONE_WIDTH).await;
    clerk.close().await.unwrap();
    requester.close().await.unwrap();
}
