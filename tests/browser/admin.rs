//! Administration as an admin works it (issue 21; docs/PRODUCT.md, "Administration"): invite a
//! clerk (a mistake first), the invited clerk chooses a password from the emailed link and signs
//! in; disable and enable the account; give a department a catalog host name so a dataset's
//! page says who handles it; close a day on the Holidays page. No page scripts; axe-core and a
//! phone's width on every page.

use super::*;

/// The link in the last account letter queued for `email`.
fn emailed_link(app: &TestApp, email: &str) -> String {
    use diesel::prelude::*;
    use recordsdesk::db::schema::outbox;
    let email = email.to_string();
    let payload: String = app.with_conn(move |conn| {
        outbox::table
            .filter(outbox::recipient.eq(email))
            .filter(outbox::request_id.is_null())
            .order(outbox::id.desc())
            .select(outbox::payload)
            .first(conn)
    });
    let letter: Value = serde_json::from_str(&payload).unwrap();
    letter["text"]
        .as_str()
        .unwrap()
        .lines()
        .find(|l| l.contains("/staff/password?token="))
        .expect("a link")
        .trim()
        .to_string()
}

#[tokio::test]
#[ignore = "needs Chromium, chromedriver and axe-core; run by .ci/run"]
async fn an_admin_invites_a_clerk_who_chooses_a_password_and_keeps_the_directory_and_calendar() {
    let app = spawn_app().await;
    app.add_staff("admin@city.test", "Ada Admin", "admin", None);
    app.add_dataset(
        "st-paul-trees",
        "Street trees",
        None,
        Some("information.stpaul.gov"),
    );

    let driver = Driver::start().await;
    let profile = tempfile::tempdir().unwrap();
    let admin = driver.browser_without_javascript(&profile).await;
    sign_in(&admin, &app, "admin@city.test").await;
    follow(&admin, "Administration").await;
    assert_eq!(text_of(&admin, "h1").await, "Administration");
    assert_accessible(&admin, "administration").await;
    fits_a_phone(&admin, "administration").await;
    screenshot_at(&admin, "admin-index", DESKTOP.0).await;
    screenshot_at(&admin, "admin-index", PHONE_WIDTH).await;

    // Invite: a mistake first (no name, a made-up address), then right.
    follow(&admin, "Staff accounts").await;
    follow(&admin, "Invite a staff member").await;
    fill(&admin, "#f-email", "not an address").await;
    press(&admin, "Send the invitation").await;
    let summary = text_of(&admin, ".error-summary").await;
    assert!(summary.contains("Email address"), "{summary}");
    assert!(summary.contains("Full name"), "{summary}");
    assert_accessible(&admin, "invitation with errors").await;
    screenshot_at(&admin, "admin-invite-error", PHONE_WIDTH).await;
    fill(&admin, "#f-email", "pat@city.test").await;
    fill(&admin, "#f-name", "Pat Records").await;
    fill(&admin, "#f-title", "Deputy City Clerk").await;
    choose(&admin, "Clerk").await;
    select(&admin, "#f-department", "City Clerk").await;
    press(&admin, "Send the invitation").await;
    assert_eq!(text_of(&admin, "h1").await, "Staff accounts");
    assert!(text_of(&admin, ".success")
        .await
        .contains("Invitation sent to pat@city.test"));
    assert!(page_text(&admin)
        .await
        .contains("Invited: no password chosen yet"));
    assert_accessible(&admin, "staff accounts").await;
    fits_a_phone(&admin, "staff accounts").await;
    screenshot_at(&admin, "admin-accounts", DESKTOP.0).await;
    screenshot_at(&admin, "admin-accounts", PHONE_WIDTH).await;

    // The clerk follows the emailed link in a browser of their own.
    // The letter's link names the configured public address; this test's server is elsewhere.
    let emailed = emailed_link(&app, "pat@city.test");
    let link = app.url(&emailed[emailed.find("/staff/password").unwrap()..]);
    let their_profile = tempfile::tempdir().unwrap();
    let pat = driver.browser_without_javascript(&their_profile).await;
    pat.goto(&link).await.unwrap();
    assert_eq!(text_of(&pat, "h1").await, "Choose your password");
    assert_accessible(&pat, "choose a password").await;
    fits_a_phone(&pat, "choose a password").await;
    screenshot_at(&pat, "password", PHONE_WIDTH).await;
    fill(&pat, "#f-password", "paper clips in a river").await;
    fill(&pat, "#f-password_again", "paper clips in a rover").await;
    press(&pat, "Save the password").await;
    assert!(text_of(&pat, ".error-summary")
        .await
        .contains("must be the same password"));
    fill(&pat, "#f-password", "paper clips in a river").await;
    fill(&pat, "#f-password_again", "paper clips in a river").await;
    press(&pat, "Save the password").await;
    assert_eq!(text_of(&pat, "h1").await, "Your password is saved");
    assert_accessible(&pat, "password saved").await;
    follow(&pat, "Sign in").await;
    fill(&pat, "#f-email", "pat@city.test").await;
    fill(&pat, "#f-password", "paper clips in a river").await;
    press(&pat, "Sign in").await;
    assert_eq!(text_of(&pat, "h1").await, "Queue");
    assert!(
        !page_text(&pat).await.contains("Administration"),
        "a clerk has no Administration"
    );
    pat.goto(&link).await.unwrap();
    assert_eq!(text_of(&pat, "h1").await, "This link no longer works");

    // Disabled: the clerk's next page asks them to sign in.
    follow(&admin, "Pat Records").await;
    assert_accessible(&admin, "an account").await;
    fits_a_phone(&admin, "an account").await;
    screenshot_at(&admin, "admin-account", PHONE_WIDTH).await;
    press(&admin, "Disable the account").await;
    assert!(text_of(&admin, ".success")
        .await
        .contains("every sign-in of it has ended"));
    pat.goto(&app.url("/staff/queue")).await.unwrap();
    assert_eq!(text_of(&pat, "h1").await, "Staff sign in");
    press(&admin, "Enable the account").await;
    assert!(text_of(&admin, ".success").await.contains("enabled again"));

    // A host name for Information Technology places Saint Paul's dataset there.
    admin
        .goto(&app.url("/datasets/st-paul-trees"))
        .await
        .unwrap();
    assert!(page_text(&admin)
        .await
        .contains("Your request goes to the City Clerk"));
    admin
        .goto(&app.url("/staff/admin/departments"))
        .await
        .unwrap();
    assert_accessible(&admin, "departments").await;
    fits_a_phone(&admin, "departments").await;
    screenshot_at(&admin, "admin-departments", DESKTOP.0).await;
    screenshot_at(&admin, "admin-departments", PHONE_WIDTH).await;
    follow(&admin, "Information Technology").await;
    fill(&admin, "#f-hosts", "information.stpaul.gov").await;
    press(&admin, "Save the changes").await;
    assert!(text_of(&admin, ".success")
        .await
        .contains("Information Technology is changed"));
    assert_accessible(&admin, "a department").await;
    screenshot_at(&admin, "admin-department", PHONE_WIDTH).await;
    admin
        .goto(&app.url("/datasets/st-paul-trees"))
        .await
        .unwrap();
    assert!(page_text(&admin)
        .await
        .contains("Your request goes to the Information Technology department"));

    // Holidays: close a day, and the page says due dates already set stay.
    admin.goto(&app.url("/staff/admin/holidays")).await.unwrap();
    assert!(page_text(&admin)
        .await
        .contains("A change never moves a due date already set"));
    // A weekday three weeks or more ahead that the rules leave open.
    let day = (20..)
        .map(city_date)
        .find(|d| {
            use chrono::Datelike;
            d.weekday().number_from_monday() <= 5
                && recordsdesk::domain::holidays::city_holiday_on(*d).is_none()
        })
        .unwrap();
    type_date(&admin, "#f-date", day).await;
    choose(&admin, "The offices are closed").await;
    fill(&admin, "#f-name", "Winter closure").await;
    press(&admin, "Save the change").await;
    let said = text_of(&admin, ".success").await;
    assert!(
        said.contains("(Winter closure)") && said.contains("Due dates already set stay"),
        "{said}"
    );
    assert!(page_text(&admin).await.contains("Closed: Winter closure"));
    assert_accessible(&admin, "holidays").await;
    fits_a_phone(&admin, "holidays").await;
    screenshot_at(&admin, "admin-holidays", DESKTOP.0).await;
    screenshot_at(&admin, "admin-holidays", PHONE_WIDTH).await;

    // The Administration page lists what was done, newest first.
    follow(&admin, "Administration").await;
    let log = text_of(&admin, "table").await;
    for done in [
        "Day closed",
        "Department changed",
        "Account disabled",
        "Invited",
    ] {
        assert!(log.contains(done), "{done}: {log}");
    }
    assert!(
        log.contains("admin@city.test") && log.contains("pat@city.test"),
        "{log}"
    );
    assert_accessible(&admin, "administration with its log").await;
    fits_a_phone(&admin, "administration with its log").await;
    screenshot_at(&admin, "admin-log", DESKTOP.0).await;
    screenshot_at(&admin, "admin-log", PHONE_WIDTH).await;
}
