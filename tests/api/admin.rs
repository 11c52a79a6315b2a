//! Administration (issue 21): staff accounts invited, changed, disabled and reset by admins;
//! the department directory that routing reads; the holidays admins change.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

const ADMIN: &str = "admin@city.test";

/// The letters about staff accounts queued for `email`: (kind, subject, text).
fn account_letters(app: &TestApp, email: &str) -> Vec<(String, String, String)> {
    use diesel::prelude::*;
    use recordsdesk::db::schema::outbox;
    let email = email.to_string();
    app.with_conn(move |conn| {
        outbox::table
            .filter(outbox::recipient.eq(email))
            .filter(outbox::request_id.is_null())
            .order(outbox::id)
            .select((outbox::notice, outbox::payload))
            .load::<(String, String)>(conn)
    })
    .into_iter()
    .map(|(kind, payload)| {
        let v: Value = serde_json::from_str(&payload).unwrap();
        (
            kind,
            v["subject"].as_str().unwrap().to_string(),
            v["text"].as_str().unwrap().to_string(),
        )
    })
    .collect()
}

/// The token of the last link emailed to `email`.
fn last_link_token(app: &TestApp, email: &str) -> String {
    let (_, _, text) = account_letters(app, email).pop().expect("a letter");
    let link = text
        .lines()
        .find(|l| l.contains("/staff/password?token="))
        .expect("the letter has the link");
    link.split("token=").nth(1).unwrap().trim().to_string()
}

async fn login_status(app: &TestApp, email: &str, password: &str) -> StatusCode {
    app.post(
        "/api/v1/auth/login",
        None,
        &json!({ "email": email, "password": password }),
    )
    .await
    .status
}

async fn invite(app: &TestApp, admin: &str, body: Value) -> Reply {
    app.post("/api/v1/admin/staff/new", Some(admin), &body)
        .await
}

/// The department is matched without regard to case and punctuation, but it is still a line
/// of text as the API documents it: one with a control character in it is refused, even when
/// the rest of it names a department, and nobody is invited.
#[tokio::test]
async fn a_department_with_a_control_character_is_refused_though_the_rest_names_one() {
    let app = spawn_app().await;
    let admin = app.staff(ADMIN, "admin", None).await;
    let refused = invite(
        &app,
        &admin,
        json!({ "email": "pat@city.test", "name": "Pat Records", "role": "clerk",
                "department": "city\u{7} clerk" }),
    )
    .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        refused.body
    );
    assert!(
        refused.body.to_string().contains("department"),
        "the field is named: {:?}",
        refused.body
    );
    assert!(
        account_letters(&app, "pat@city.test").is_empty(),
        "nobody was invited"
    );
    let invited = invite(
        &app,
        &admin,
        json!({ "email": "pat@city.test", "name": "Pat Records", "role": "clerk",
                "department": "  city clerk " }),
    )
    .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{:?}", invited.body);
    assert_eq!(invited.body["department"], "City Clerk");
}

#[tokio::test]
async fn an_invited_clerk_chooses_a_password_with_the_emailed_link_once_and_signs_in() {
    let app = spawn_app().await;
    let admin = app.staff(ADMIN, "admin", None).await;
    let invited = invite(
        &app,
        &admin,
        json!({ "email": "Pat.Records@City.test", "name": "Pat Records", "role": "clerk",
                "department": "city clerk", "title": "Deputy City Clerk" }),
    )
    .await;
    assert_eq!(invited.status, StatusCode::CREATED, "{:?}", invited.body);
    assert_eq!(invited.body["email"], "pat.records@city.test");
    assert_eq!(invited.body["state"], "invited");
    assert_eq!(
        invited.body["department"], "City Clerk",
        "as the directory spells it"
    );

    // No password yet: nothing signs in, whatever is typed.
    assert_eq!(
        login_status(&app, "pat.records@city.test", "").await,
        StatusCode::UNAUTHORIZED
    );
    let letters = account_letters(&app, "pat.records@city.test");
    assert_eq!(letters.len(), 1);
    let (kind, subject, text) = &letters[0];
    assert_eq!(kind, "staff_invitation");
    assert_eq!(
        subject,
        "Your staff account at Office of the City Clerk, City of Concord"
    );
    assert!(text.contains("as a clerk in City Clerk"), "{text}");
    assert!(text.contains("It works once, until"), "{text}");
    let token = last_link_token(&app, "pat.records@city.test");

    // The page greets them by name and asks for the password twice.
    let client = page_client();
    let page = client
        .get(app.url(&format!("/staff/password?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Choose your password"));
    assert!(html.contains("Pat Records"));

    let short = app
        .post(
            "/api/v1/auth/password",
            None,
            &json!({ "token": token, "password": "short" }),
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(short.field_errors(), ["password"]);

    let new_password = "a river of paper clips";
    let set = app
        .post(
            "/api/v1/auth/password",
            None,
            &json!({ "token": token, "password": new_password }),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT, "{:?}", set.body);
    assert_eq!(
        login_status(&app, "pat.records@city.test", new_password).await,
        StatusCode::OK
    );
    // The link is spent.
    let again = app
        .post(
            "/api/v1/auth/password",
            None,
            &json!({ "token": token, "password": "another long password" }),
        )
        .await;
    assert_eq!(again.status, StatusCode::GONE, "{:?}", again.body);
    let page = client
        .get(app.url(&format!("/staff/password?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::GONE);

    let listed = app.get("/api/v1/admin/staff", Some(&admin)).await;
    let pat = listed.body["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "pat.records@city.test")
        .unwrap()
        .clone();
    assert_eq!(pat["state"], "active");
    assert_eq!(pat["title"], "Deputy City Clerk");
}

#[tokio::test]
async fn an_invitation_for_an_existing_email_a_made_up_role_or_department_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.staff(ADMIN, "admin", None).await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let before = app.get("/api/v1/admin/staff", Some(&admin)).await.body;

    let taken = invite(
        &app,
        &admin,
        json!({ "email": "CLERK@city.test", "name": "Another", "role": "clerk" }),
    )
    .await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{:?}", taken.body);
    assert_eq!(taken.body["error"], "staff_exists");

    let made_up = invite(
        &app,
        &admin,
        json!({ "email": "new@city.test", "name": "New", "role": "mayor", "department": "Ministry of Magic" }),
    )
    .await;
    assert_eq!(made_up.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(made_up.field_errors(), ["department", "role"]);

    // A clerk is no admin.
    let clerk = app.login("clerk@city.test").await;
    let refused = invite(
        &app,
        &clerk,
        json!({ "email": "new@city.test", "name": "New", "role": "clerk" }),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    assert_eq!(
        app.get("/api/v1/admin/staff", Some(&admin)).await.body,
        before
    );
    assert!(account_letters(&app, "new@city.test").is_empty());
}

#[tokio::test]
async fn an_expired_or_replaced_link_is_gone() {
    let app = spawn_app().await;
    let admin = app.staff(ADMIN, "admin", None).await;
    let invited = invite(
        &app,
        &admin,
        json!({ "email": "late@city.test", "name": "Late Comer", "role": "reviewer" }),
    )
    .await;
    let id = invited.body["id"].as_i64().unwrap();
    let first = last_link_token(&app, "late@city.test");
    // Sent again: the first link stops working, the second works.
    let again = app
        .post(
            &format!("/api/v1/admin/staff/{id}/password-reset"),
            Some(&admin),
            &json!({}),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{:?}", again.body);
    let second = last_link_token(&app, "late@city.test");
    assert_ne!(first, second);
    let letters = account_letters(&app, "late@city.test");
    assert_eq!(
        letters[1].0, "staff_invitation",
        "no password yet: invited again"
    );
    let set = |token: String| {
        let app = &app;
        async move {
            app.post(
                "/api/v1/auth/password",
                None,
                &json!({ "token": token, "password": "twelve chars plus" }),
            )
            .await
            .status
        }
    };
    assert_eq!(set(first).await, StatusCode::GONE);
    // Time passes beyond the link's life.
    app.sql("UPDATE staff_links SET expires_at = '2020-01-01 00:00:00'")
        .unwrap();
    assert_eq!(set(second).await, StatusCode::GONE);
    assert_eq!(
        login_status(&app, "late@city.test", "twelve chars plus").await,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn disabling_ends_every_sign_in_at_once_and_the_last_admin_stays_an_admin() {
    let app = spawn_app().await;
    let admin = app.staff(ADMIN, "admin", None).await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let listed = app.get("/api/v1/admin/staff", Some(&admin)).await;
    let id_of = |email: &str| {
        listed.body["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["email"] == email)
            .unwrap()["id"]
            .as_i64()
            .unwrap()
    };
    let (admin_id, clerk_id) = (id_of(ADMIN), id_of("clerk@city.test"));
    assert_eq!(
        app.get("/api/v1/queue", Some(&clerk)).await.status,
        StatusCode::OK
    );

    let disabled = app
        .post(
            &format!("/api/v1/admin/staff/{clerk_id}/disable"),
            Some(&admin),
            &json!({}),
        )
        .await;
    assert_eq!(disabled.status, StatusCode::OK);
    assert_eq!(disabled.body["state"], "disabled");
    assert_eq!(
        app.get("/api/v1/queue", Some(&clerk)).await.status,
        StatusCode::UNAUTHORIZED,
        "the session ended at once"
    );
    assert_eq!(
        login_status(&app, "clerk@city.test", PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    let enabled = app
        .post(
            &format!("/api/v1/admin/staff/{clerk_id}/enable"),
            Some(&admin),
            &json!({}),
        )
        .await;
    assert_eq!(enabled.body["state"], "active");
    assert_eq!(
        login_status(&app, "clerk@city.test", PASSWORD).await,
        StatusCode::OK
    );

    // The only admin can be neither disabled nor demoted.
    let last = app
        .post(
            &format!("/api/v1/admin/staff/{admin_id}/disable"),
            Some(&admin),
            &json!({}),
        )
        .await;
    assert_eq!(last.status, StatusCode::CONFLICT, "{:?}", last.body);
    assert_eq!(last.body["error"], "last_admin");
    let demote = json!({ "name": "Ada Admin", "role": "clerk" });
    let demoted = app
        .post(
            &format!("/api/v1/admin/staff/{admin_id}/details"),
            Some(&admin),
            &demote,
        )
        .await;
    assert_eq!(demoted.status, StatusCode::CONFLICT);
    assert_eq!(
        app.get("/api/v1/admin/staff", Some(&admin)).await.status,
        StatusCode::OK
    );

    // With a second admin, the first may step down.
    let promoted = app
        .post(
            &format!("/api/v1/admin/staff/{clerk_id}/details"),
            Some(&admin),
            &json!({ "name": "Casey Clerk", "role": "admin", "title": "City Clerk" }),
        )
        .await;
    assert_eq!(promoted.status, StatusCode::OK, "{:?}", promoted.body);
    assert_eq!(promoted.body["role"], "admin");
    assert_eq!(promoted.body["name"], "Casey Clerk");
    let stepped_down = app
        .post(
            &format!("/api/v1/admin/staff/{admin_id}/details"),
            Some(&admin),
            &demote,
        )
        .await;
    assert_eq!(
        stepped_down.status,
        StatusCode::OK,
        "{:?}",
        stepped_down.body
    );
    assert_eq!(
        app.get("/api/v1/admin/staff", Some(&admin)).await.status,
        StatusCode::FORBIDDEN,
        "no longer an admin"
    );
}

#[tokio::test]
async fn a_reset_link_sets_a_new_password_and_ends_the_old_sessions() {
    let app = spawn_app().await;
    let admin = app.staff(ADMIN, "admin", None).await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let id = app.get("/api/v1/admin/staff", Some(&admin)).await.body["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["email"] == "clerk@city.test")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let sent = app
        .post(
            &format!("/api/v1/admin/staff/{id}/password-reset"),
            Some(&admin),
            &json!({}),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK);
    let letters = account_letters(&app, "clerk@city.test");
    assert_eq!(letters[0].0, "password_reset");
    assert!(letters[0]
        .2
        .contains("Your old password works until you choose a new one"));
    // Until the link is used, nothing changes.
    assert_eq!(
        login_status(&app, "clerk@city.test", PASSWORD).await,
        StatusCode::OK
    );
    let token = last_link_token(&app, "clerk@city.test");
    let set = app
        .post(
            "/api/v1/auth/password",
            None,
            &json!({ "token": token, "password": "a brand new passphrase" }),
        )
        .await;
    assert_eq!(set.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/queue", Some(&clerk)).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_status(&app, "clerk@city.test", PASSWORD).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        login_status(&app, "clerk@city.test", "a brand new passphrase").await,
        StatusCode::OK
    );
}

#[tokio::test]
async fn departments_are_added_and_changed_and_a_catalog_name_belongs_to_one_of_them() {
    let app = spawn_app().await;
    let admin = app.staff(ADMIN, "admin", None).await;
    let listed = app.get("/api/v1/admin/departments", Some(&admin)).await;
    let names: Vec<&str> = listed.body["departments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert!(
        names.contains(&"City Clerk") && names.contains(&"Police"),
        "seeded from config: {names:?}"
    );

    let gis = app
        .post(
            "/api/v1/admin/departments/new",
            Some(&admin),
            &json!({ "name": "GIS", "email": "gis@cityofconcord.org",
                     "publishers": ["Ramsey County GIS Portal"], "hosts": ["data-ramseygis.opendata.arcgis.com"] }),
        )
        .await;
    assert_eq!(gis.status, StatusCode::CREATED, "{:?}", gis.body);
    assert_eq!(gis.body["queue"], "gis");

    let twice = app
        .post(
            "/api/v1/admin/departments/new",
            Some(&admin),
            &json!({ "name": "Maps", "publishers": ["ramsey county gis portal"] }),
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(twice.field_errors(), ["publishers"]);
    let same_name = app
        .post(
            "/api/v1/admin/departments/new",
            Some(&admin),
            &json!({ "name": "police" }),
        )
        .await;
    assert_eq!(same_name.field_errors(), ["name"]);

    // A change, then a change made on an older version: 409, nothing lost.
    let changed = app
        .post(
            "/api/v1/admin/departments/gis/details",
            Some(&admin),
            &json!({ "phone": "(925) 671-3100", "email": "gis@cityofconcord.org",
                     "publishers": ["Ramsey County GIS Portal"], "version": 1 }),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{:?}", changed.body);
    assert_eq!(changed.body["version"], 2);
    assert_eq!(changed.body["hosts"], json!([]));
    let stale = app
        .post(
            "/api/v1/admin/departments/gis/details",
            Some(&admin),
            &json!({ "phone": "(925) 000-0000", "version": 1 }),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    let now = app.get("/api/v1/admin/departments/gis", Some(&admin)).await;
    assert_eq!(now.body["phone"], "(925) 671-3100");
    let signer = app
        .post(
            "/api/v1/admin/departments/gis/details",
            Some(&admin),
            &json!({ "signers": ["nobody@city.test"] }),
        )
        .await;
    assert_eq!(signer.field_errors(), ["signers"]);
}

/// The real Saint Paul (Socrata: publisher is the portal's host name, no contact emails) and
/// Ramsey County (ArcGIS Hub) catalogs, with a directory that names their publishers.
#[tokio::test]
async fn access_requests_for_real_catalogs_land_in_the_queue_the_directory_names() {
    let app = spawn_app().await;
    let admin = app.staff(ADMIN, "admin", None).await;
    let saint_paul = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/saint-paul-mn_socrata_data.json"
    );
    let ramsey = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/ramsey-county-mn_arcgis-hub_data.json"
    );

    // Before the directory knows them, the import names what it could not place.
    let before = app.cli(&["catalog", "import", saint_paul], None).await;
    assert!(
        before.status.success(),
        "{}",
        String::from_utf8_lossy(&before.stderr)
    );
    let said = String::from_utf8_lossy(&before.stdout);
    assert!(said.contains("26 datasets could not be placed"), "{said}");
    assert!(said.contains("publisher information.stpaul.gov"), "{said}");

    let it = app
        .post(
            "/api/v1/admin/departments/information_technology/details",
            Some(&admin),
            &json!({ "hosts": ["information.stpaul.gov"] }),
        )
        .await;
    assert_eq!(it.status, StatusCode::OK, "{:?}", it.body);
    let gis = app
        .post(
            "/api/v1/admin/departments/new",
            Some(&admin),
            &json!({ "name": "GIS", "publishers": ["Ramsey County GIS Portal"] }),
        )
        .await;
    assert_eq!(gis.status, StatusCode::CREATED, "{:?}", gis.body);

    // A city has one catalog: importing one withdraws what another left, so each is
    // imported and requested in turn.
    for (path, publisher, queue, department) in [
        (
            saint_paul,
            "information.stpaul.gov",
            "information_technology",
            "Information Technology",
        ),
        (ramsey, "Ramsey County GIS Portal", "gis", "GIS"),
    ] {
        let imported = app.cli(&["catalog", "import", path], None).await;
        let said = String::from_utf8_lossy(&imported.stdout);
        assert!(imported.status.success(), "{said}");
        assert!(!said.contains("could not be placed"), "{said}");
        let dataset = {
            use diesel::prelude::*;
            use recordsdesk::db::schema::datasets;
            app.with_conn(move |c| {
                datasets::table
                    .filter(datasets::publisher.eq(publisher))
                    .filter(datasets::withdrawn.eq(0))
                    .order(datasets::id)
                    .select(datasets::id)
                    .first::<String>(c)
            })
        };
        let filed = app.submit(&access_request(&dataset)).await;
        let case = app.case(&filed.tracking_number, &admin).await;
        assert_eq!(case["queue"], queue, "{publisher}");
        // The dataset page says where a request goes, from the same function.
        let page = page_text(
            &page_client(),
            app.url(&format!("/datasets/{}", urlencoding(&dataset))),
        )
        .await;
        assert!(
            page.contains(&format!("Your request goes to the {department} department")),
            "{page}"
        );
    }
}

fn urlencoding(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_day_closed_by_an_admin_moves_new_due_dates_and_never_one_already_set() {
    let app = spawn_app().await;
    let admin = app.staff(ADMIN, "admin", None).await;
    let calendar = app.get("/api/v1/admin/holidays", Some(&admin)).await;
    assert_eq!(calendar.status, StatusCode::OK);
    let years = calendar.body["years"].as_array().unwrap();
    assert_eq!(years.len(), 2, "this year and next");
    assert!(years[0]["days"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["by_rule"] == "Thanksgiving Day" && d["closed"] == true));

    let earlier = app.submit_records_request().await;
    let due = app.case(&earlier.tracking_number, &admin).await["determination_due"]
        .as_str()
        .unwrap()
        .to_string();
    let closed = app
        .post(
            "/api/v1/admin/holidays/changes",
            Some(&admin),
            &json!({ "date": due, "change": "closed", "name": "Records office move" }),
        )
        .await;
    assert_eq!(closed.status, StatusCode::OK, "{:?}", closed.body);
    let later = app.submit_records_request().await;
    let later_case = app.case(&later.tracking_number, &admin).await;
    let later_due = later_case["determination_due"].as_str().unwrap();
    assert!(later_due > due.as_str(), "{later_due} moves past {due}");
    assert_eq!(
        app.case(&earlier.tracking_number, &admin).await["determination_due"],
        due.as_str(),
        "a due date already set stays"
    );
    let (_, _, ack) = app
        .notices(&later.tracking_number)
        .into_iter()
        .find(|(n, _, _)| n == "acknowledgement")
        .unwrap();
    assert!(
        ack["text"]
            .as_str()
            .unwrap()
            .contains("Records office move"),
        "{}",
        ack["text"]
    );

    // Taken back: the next filing is due on the day again.
    let back = app
        .post(
            "/api/v1/admin/holidays/changes",
            Some(&admin),
            &json!({ "date": due, "change": "as_calculated" }),
        )
        .await;
    assert_eq!(back.status, StatusCode::OK);
    let third = app.submit_records_request().await;
    assert_eq!(
        app.case(&third.tracking_number, &admin).await["determination_due"],
        due.as_str()
    );

    let nameless = app
        .post(
            "/api/v1/admin/holidays/changes",
            Some(&admin),
            &json!({ "date": due, "change": "closed" }),
        )
        .await;
    assert_eq!(nameless.field_errors(), ["name"]);
    let not_a_day = app
        .post(
            "/api/v1/admin/holidays/changes",
            Some(&admin),
            &json!({ "date": "2026-02-30", "change": "open" }),
        )
        .await;
    assert_eq!(not_a_day.field_errors(), ["date"]);
}

#[tokio::test]
async fn the_command_line_lists_disables_enables_and_resets_staff() {
    let app = spawn_app().await;
    app.add_staff(ADMIN, "Ada Admin", "admin", None);
    app.add_staff(
        "steward@city.test",
        "Sam Steward",
        "steward",
        Some("Police"),
    );
    let listed = app.cli(&["staff", "list"], None).await;
    let out = String::from_utf8_lossy(&listed.stdout);
    assert!(
        out.contains("steward@city.test\tSam Steward\tsteward\tPolice\tactive"),
        "{out}"
    );
    let disabled = app
        .cli(&["staff", "disable", "--email", "steward@city.test"], None)
        .await;
    assert!(disabled.status.success());
    let listed = app.cli(&["staff", "list"], None).await;
    assert!(String::from_utf8_lossy(&listed.stdout).contains("Police\tdisabled"));
    let last = app.cli(&["staff", "disable", "--email", ADMIN], None).await;
    assert!(!last.status.success());
    assert!(String::from_utf8_lossy(&last.stderr).contains("last active administrator"));
    let enabled = app
        .cli(&["staff", "enable", "--email", "steward@city.test"], None)
        .await;
    assert!(enabled.status.success());
    let reset = app
        .cli(&["staff", "reset", "--email", "steward@city.test"], None)
        .await;
    assert!(
        reset.status.success(),
        "{}",
        String::from_utf8_lossy(&reset.stderr)
    );
    assert_eq!(
        account_letters(&app, "steward@city.test")[0].0,
        "password_reset"
    );
    let unknown_department = app
        .cli(
            &[
                "staff",
                "add",
                "--email",
                "x@city.test",
                "--name",
                "X",
                "--role",
                "steward",
                "--department",
                "Ministry of Magic",
                "--password-stdin",
            ],
            Some("a long enough password\n"),
        )
        .await;
    assert!(!unknown_department.status.success());
    assert!(String::from_utf8_lossy(&unknown_department.stderr)
        .contains("not a department in the directory"));
}
