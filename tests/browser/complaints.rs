//! A resident makes a complaint without giving their name (issue 22): from the home page to the
//! form, a mistake first (nothing answered, then a date without its day), "Check your answers",
//! the confirmation with its private link, and the complaint's tracking page. The browser runs
//! no page scripts; each page is checked with axe-core and at a phone's width.

use super::steps::{open_case, open_step};
use super::*;

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_resident_makes_an_anonymous_complaint_and_follows_it_with_its_private_link() {
    let app = spawn_app().await;
    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let resident = driver.browser_without_javascript(&profile).await;

    resident.goto(&app.url("/")).await.unwrap();
    follow(&resident, "Make a complaint to a City department").await;
    assert_eq!(text_of(&resident, "h1").await, "Make a complaint");
    assert_accessible(&resident, "complaint form").await;
    fits_a_phone(&resident, "complaint form").await;

    // Nothing answered: what to do, at the top and beside each question.
    press(&resident, "Continue").await;
    let problems = text_of(&resident, ".error-summary").await;
    for message in [
        "Select the department your complaint is for",
        "Enter what your complaint is about",
        "Enter what happened",
    ] {
        assert!(problems.contains(message), "{problems}");
    }
    assert_accessible(&resident, "complaint form with errors").await;
    fits_a_phone(&resident, "complaint form with errors").await;
    screenshot_at(&resident, "complaint-form-errors", DESKTOP.0).await;
    screenshot_at(&resident, "complaint-form-errors", PHONE_WIDTH).await;

    // A date without its day is refused under the date, and the other answers are kept.
    let day = city_date(0) - chrono::Days::new(3);
    choose(&resident, "Code Enforcement").await;
    fill(&resident, "#f-subject", "Blocked sidewalk").await;
    fill(
        &resident,
        "#f-description",
        "A construction fence has blocked the sidewalk for three weeks. \
         People in wheelchairs have to go into the road.",
    )
    .await;
    fill(&resident, "#f-location", "1800 Galindo Street").await;
    fill(&resident, "#f-month", &day.format("%-m").to_string()).await;
    fill(&resident, "#f-year", &day.format("%Y").to_string()).await;
    press(&resident, "Continue").await;
    assert_eq!(
        text_of(&resident, "#f-occurred_on-error").await,
        "The date must include a day"
    );
    assert_eq!(value_of(&resident, "#f-subject").await, "Blocked sidewalk");
    assert_accessible(&resident, "complaint form with a date error").await;
    fill(&resident, "#f-day", &day.format("%-d").to_string()).await;
    screenshot_at(&resident, "complaint-form", DESKTOP.0).await;
    screenshot_at(&resident, "complaint-form", PHONE_WIDTH).await;
    press(&resident, "Continue").await;

    // Check your answers, with the warning that no email means no letters.
    assert_eq!(
        text_of(&resident, "h1").await,
        "Check your answers before sending your complaint"
    );
    let answers = page_text(&resident).await;
    assert!(
        answers.contains("Code Enforcement") && answers.contains(&long_date_of(day)),
        "{answers}"
    );
    assert!(text_of(&resident, ".warning-text")
        .await
        .contains("You gave no email address"));
    assert_accessible(&resident, "check your complaint").await;
    fits_a_phone(&resident, "check your complaint").await;
    screenshot_at(&resident, "complaint-check", DESKTOP.0).await;
    screenshot_at(&resident, "complaint-check", PHONE_WIDTH).await;
    press(&resident, "Send complaint").await;

    assert_eq!(text_of(&resident, "h1").await, "Complaint sent");
    let warning = text_of(&resident, ".warning-text").await;
    assert!(
        warning.contains("The private link below is the only way to follow your complaint"),
        "{warning}"
    );
    let link = text_of(&resident, ".private-link").await;
    assert!(link.contains("/requests/RR-") && link.contains("?token="));
    assert_accessible(&resident, "complaint sent").await;
    fits_a_phone(&resident, "complaint sent").await;
    screenshot_at(&resident, "complaint-sent", DESKTOP.0).await;
    screenshot_at(&resident, "complaint-sent", PHONE_WIDTH).await;

    // Its page: where it stands, what it is about, and the department it is with.
    follow(&resident, "Follow your complaint").await;
    let heading = text_of(&resident, "h1").await;
    assert!(heading.starts_with("Complaint RR-"), "{heading}");
    assert_eq!(text_of(&resident, ".outcome-status").await, "Received");
    let page = page_text(&resident).await;
    for fact in [
        "Blocked sidewalk",
        "1800 Galindo Street",
        "Code Enforcement",
    ] {
        assert!(page.contains(fact), "{fact}: {page}");
    }
    assert_accessible(&resident, "complaint tracking page").await;
    fits_a_phone(&resident, "complaint tracking page").await;
    screenshot_at(&resident, "complaint-tracking", DESKTOP.0).await;
    screenshot_at(&resident, "complaint-tracking", PHONE_WIDTH).await;
}

/// A department works a complaint on the staff pages: it finds it in its queue with its kind,
/// starts looking into it, sends another one to a different department, and closes the first
/// as resolved after "Check … before you send it"; the complainant's page says what was done.
#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn a_department_looks_into_a_complaint_and_resolves_it() {
    let app = spawn_app().await;
    app.add_staff(
        "inspector@city.test",
        "Pat Inspector",
        "steward",
        Some("Code Enforcement"),
    );
    let body = serde_json::json!({
        "subject": "Blocked sidewalk",
        "description": "A construction fence has blocked the sidewalk for three weeks.",
        "location": "1800 Galindo Street",
        "department": "code_enforcement",
        "complainant": { "name": "Rosa Díaz", "email": "rosa@example.com" }
    });
    let filed = app.post("/api/v1/complaints", None, &body).await;
    let tn = filed.body["tracking_number"].as_str().unwrap().to_string();
    let token = filed.body["access_token"].as_str().unwrap().to_string();
    let other = app.post("/api/v1/complaints", None, &body).await;
    let other_tn = other.body["tracking_number"].as_str().unwrap().to_string();

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let inspector = driver.browser_without_javascript(&profile).await;
    sign_in(&inspector, &app, "inspector@city.test").await;
    let queue = page_text(&inspector).await;
    assert!(
        queue.contains(&tn) && queue.contains("Complaint"),
        "{queue}"
    );

    open_case(&inspector, &app, &tn).await;
    assert_accessible(&inspector, "complaint case").await;
    fits_a_phone(&inspector, "complaint case").await;
    open_step(&inspector, "Start looking into the complaint").await;
    press(&inspector, "Start looking into it").await;
    assert!(text_of(&inspector, ".success")
        .await
        .contains("You are looking into the complaint"));
    screenshot_at(&inspector, "complaint-case", DESKTOP.0).await;
    screenshot_at(&inspector, "complaint-case", PHONE_WIDTH).await;

    open_step(&inspector, "Close the complaint as resolved").await;
    assert_accessible(&inspector, "resolve a complaint").await;
    fill(
        &inspector,
        "#decision",
        "The contractor moved the fence on March 12 and was cited.",
    )
    .await;
    press(&inspector, "Continue").await;
    assert_eq!(
        text_of(&inspector, "h1").await,
        "Check how the complaint was resolved before you send it"
    );
    assert_accessible(&inspector, "check a resolution").await;
    press(&inspector, "Close as resolved").await;
    assert!(text_of(&inspector, ".success")
        .await
        .contains("The complaint is resolved"));

    // The second goes to Community Development, and leaves the inspector's queue.
    open_case(&inspector, &app, &other_tn).await;
    open_step(&inspector, "Send the complaint to another department").await;
    assert_accessible(&inspector, "send a complaint elsewhere").await;
    screenshot_at(&inspector, "complaint-department", DESKTOP.0).await;
    screenshot_at(&inspector, "complaint-department", PHONE_WIDTH).await;
    select(&inspector, "#department", "Community Development").await;
    press(&inspector, "Send to the department").await;
    assert_eq!(text_of(&inspector, "h1").await, "Queue");
    assert!(!page_text(&inspector).await.contains(&other_tn));

    // The complainant reads what was done.
    let profile = tempfile::tempdir().unwrap();
    let complainant = driver.browser_without_javascript(&profile).await;
    complainant
        .goto(&app.url(&format!("/requests/{tn}?token={token}")))
        .await
        .unwrap();
    assert_eq!(text_of(&complainant, ".outcome-status").await, "Resolved");
    assert!(page_text(&complainant)
        .await
        .contains("moved the fence on March 12"));
    assert_accessible(&complainant, "a resolved complaint").await;
}

/// "Friday, February 27, 2026", as the pages write a day.
fn long_date_of(day: chrono::NaiveDate) -> String {
    day.format("%A, %B %-d, %Y").to_string()
}
