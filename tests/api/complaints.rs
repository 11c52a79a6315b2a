//! Complaints (issue 22; docs/PRODUCT.md, "Complaints"): filed to a department, anonymous or
//! not; their own lifecycle with no Public Records Act clock; sent to another department;
//! the same messages, notes, notices and audit chain as a request.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

fn complaint(department: &str) -> Value {
    json!({
        "subject": "Blocked sidewalk",
        "description": "A construction fence has blocked the sidewalk for three weeks.",
        "location": "1800 Galindo Street",
        "occurred_on": "2026-03-02",
        "department": department,
        "complainant": { "name": "Rosa Díaz", "email": "rosa@example.com" }
    })
}

async fn file(app: &TestApp, body: &Value) -> Filed {
    let reply = app.post("/api/v1/complaints", None, body).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    Filed {
        tracking_number: reply.body["tracking_number"].as_str().unwrap().into(),
        token: reply.body["access_token"].as_str().unwrap().into(),
    }
}

fn kinds(app: &TestApp, tn: &str) -> Vec<(String, String)> {
    app.notices(tn)
        .into_iter()
        .map(|(kind, to, _)| (kind, to))
        .collect()
}

fn letter(app: &TestApp, tn: &str, kind: &str) -> String {
    let (_, _, payload) = app
        .notices(tn)
        .into_iter()
        .find(|(k, ..)| k == kind)
        .unwrap_or_else(|| panic!("no {kind} notice"));
    payload["text"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn a_complaint_goes_to_the_chosen_department_on_the_citys_own_target() {
    // Filed Monday 2 March 2026 at 10 AM in Concord.
    let app = spawn_app_with(|s| {
        s.fixed_clock = Some(
            chrono::NaiveDate::from_ymd_opt(2026, 3, 2)
                .unwrap()
                .and_hms_opt(18, 0, 0)
                .unwrap(),
        )
    })
    .await;
    let inspector = app
        .staff("inspector@city.test", "steward", Some("Code Enforcement"))
        .await;
    let departments = app.get("/api/v1/departments", None).await;
    assert_eq!(departments.status, StatusCode::OK);
    assert!(
        departments
            .body
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["name"] == "Code Enforcement" && d["queue"] == "code_enforcement"),
        "{:?}",
        departments.body
    );

    let reply = app
        .post("/api/v1/complaints", None, &complaint("code_enforcement"))
        .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{:?}", reply.body);
    assert_eq!(reply.body["kind"], "complaint");
    assert_eq!(reply.body["status"], "received");
    assert_eq!(reply.body["queue"], "code_enforcement");
    // Filed on the test clock's day, Monday 2026-03-02: thirty calendar days later is
    // Wednesday 2026-04-01, a business day.
    assert_eq!(reply.body["determination_due"], "2026-04-01");
    let tn = reply.body["tracking_number"].as_str().unwrap().to_string();
    let token = reply.body["access_token"].as_str().unwrap().to_string();

    let seen = app.case(&tn, &token).await;
    assert_eq!(seen["complaint"]["subject"], "Blocked sidewalk");
    assert_eq!(seen["complaint"]["location"], "1800 Galindo Street");
    assert_eq!(seen["complaint"]["occurred_on"], "2026-03-02");
    assert_eq!(seen["complaint"]["department"], "Code Enforcement");
    assert_eq!(seen["extension"], Value::Null);
    let staff_view = app.case(&tn, &inspector).await;
    assert_eq!(
        staff_view["allowed_transitions"],
        json!(["investigating", "referred", "dismissed", "withdrawn"])
    );

    // The complainant hears of it, with the target and no statute's ten days; the department
    // hears of new work.
    assert_eq!(
        kinds(&app, &tn),
        [
            (
                "complaint_received".to_string(),
                "rosa@example.com".to_string()
            ),
            (
                "new_complaint".to_string(),
                "inspector@city.test".to_string()
            ),
        ]
    );
    let acknowledgement = letter(&app, &tn, "complaint_received");
    assert!(
        acknowledgement.contains("We aim to close it by Wednesday, April 1, 2026"),
        "{acknowledgement}"
    );
    assert!(acknowledgement.contains("What it is about: Blocked sidewalk"));
    assert!(
        !acknowledgement.contains("Public Records Act"),
        "{acknowledgement}"
    );

    // No Public Records Act extension for a complaint, even from one who signs them.
    let admin = app.staff("admin@city.test", "admin", None).await;
    let extension = app
        .post(
            &format!("/api/v1/requests/{tn}/extension"),
            Some(&admin),
            &json!({ "days": 5, "circumstance": "voluminous_records", "reason": "Many records" }),
        )
        .await;
    assert_eq!(
        extension.status,
        StatusCode::CONFLICT,
        "{:?}",
        extension.body
    );
}

#[tokio::test]
async fn a_complaint_is_investigated_discussed_and_resolved_and_its_chain_holds() {
    let app = spawn_app().await;
    let inspector = app
        .staff("inspector@city.test", "steward", Some("Code Enforcement"))
        .await;
    let filed = file(&app, &complaint("code_enforcement")).await;
    let tn = filed.tracking_number.as_str();

    // A request's states are not a complaint's: 409 with what is allowed.
    let wrong = app
        .transition(
            tn,
            &inspector,
            json!({ "to": "under_review", "version": 1 }),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::CONFLICT, "{:?}", wrong.body);
    assert_eq!(
        wrong.body["allowed"],
        json!(["investigating", "referred", "dismissed", "withdrawn"])
    );
    let early = app
        .transition(
            tn,
            &inspector,
            json!({ "to": "resolved", "version": 1, "decision": "Fixed" }),
        )
        .await;
    assert_eq!(early.status, StatusCode::CONFLICT);

    let taken = app
        .must_transition(tn, &inspector, json!({ "to": "investigating" }))
        .await;
    assert_eq!(taken["status"], "investigating");
    assert_eq!(taken["assignee"]["email"], "inspector@city.test");
    let told = letter(&app, tn, "complaint_investigating");
    assert!(told.contains("is looking into your complaint"), "{told}");

    // Messages both ways, and a note the complainant never sees.
    let asked = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&inspector),
            &json!({ "body": "Which side of the street?" }),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{:?}", asked.body);
    let answered = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&filed.token),
            &json!({ "body": "The north side, by the bus stop." }),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{:?}", answered.body);
    let noted = app
        .post(
            &format!("/api/v1/requests/{tn}/notes"),
            Some(&inspector),
            &json!({ "body": "Permit 2026-118 expired in February." }),
        )
        .await;
    assert_eq!(noted.status, StatusCode::OK, "{:?}", noted.body);

    // Resolving needs what was found and done.
    let version = app.case(tn, &inspector).await["version"].clone();
    let bare = app
        .transition(
            tn,
            &inspector,
            json!({ "to": "resolved", "version": version }),
        )
        .await;
    assert_eq!(
        bare.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        bare.body
    );
    assert!(
        bare.body["fields"]["decision"].is_array(),
        "{:?}",
        bare.body
    );
    let resolved = app
        .must_transition(
            tn,
            &inspector,
            json!({ "to": "resolved", "decision": "The contractor moved the fence and was cited." }),
        )
        .await;
    assert_eq!(resolved["status"], "resolved");
    assert_eq!(resolved["allowed_transitions"], json!([]));
    assert_eq!(
        resolved["complaint"]["closing_note"],
        "The contractor moved the fence and was cited."
    );
    let closing = letter(&app, tn, "complaint_resolved");
    assert!(
        closing.contains("moved the fence and was cited"),
        "{closing}"
    );

    let seen = app.case(tn, &filed.token).await;
    assert_eq!(seen["messages"].as_array().unwrap().len(), 2);
    assert_eq!(seen["notes"], json!([]), "notes are for staff");
    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}

#[tokio::test]
async fn an_anonymous_complaint_is_followed_by_its_link_and_may_be_referred_or_dismissed() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let mut body = complaint("city_clerk");
    body.as_object_mut().unwrap().remove("complainant");
    let anonymous = file(&app, &body).await;
    let tn = anonymous.tracking_number.as_str();
    assert_eq!(
        kinds(&app, tn),
        [("new_complaint".to_string(), "clerk@city.test".to_string())],
        "no one to write to but the Clerk's office"
    );
    let seen = app.case(tn, &anonymous.token).await;
    assert_eq!(seen["requester"]["name"], Value::Null);

    let unnamed = app
        .transition(tn, &clerk, json!({ "to": "referred", "version": 1 }))
        .await;
    assert_eq!(unnamed.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unnamed.body["fields"]["referred_to"].is_array(),
        "{:?}",
        unnamed.body
    );
    let referred = app
        .must_transition(
            tn,
            &clerk,
            json!({ "to": "referred", "referred_to": "Contra Costa County Environmental Health" }),
        )
        .await;
    assert_eq!(referred["status"], "referred");
    assert_eq!(
        referred["complaint"]["referred_to"],
        "Contra Costa County Environmental Health"
    );

    let other = file(&app, &complaint("city_clerk")).await;
    let reasonless = app
        .transition(
            &other.tracking_number,
            &clerk,
            json!({ "to": "dismissed", "version": 1 }),
        )
        .await;
    assert_eq!(reasonless.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reasonless.body["fields"]["reason"].is_array());
    app.must_transition(
        &other.tracking_number,
        &clerk,
        json!({ "to": "dismissed", "reason": "The fence is on private land, with a permit." }),
    )
    .await;
    let dismissal = letter(&app, &other.tracking_number, "complaint_dismissed");
    assert!(dismissal.contains("on private land"), "{dismissal}");
    // Nothing to appeal on a complaint.
    let appeal = app
        .post(
            &format!("/api/v1/requests/{}/appeal", other.tracking_number),
            Some(&other.token),
            &json!({ "grounds": "I disagree" }),
        )
        .await;
    assert_eq!(appeal.status, StatusCode::CONFLICT, "{:?}", appeal.body);

    // The complainant may withdraw an open one.
    let third = file(&app, &complaint("city_clerk")).await;
    let withdrawn = app
        .post(
            &format!("/api/v1/requests/{}/withdraw", third.tracking_number),
            Some(&third.token),
            &json!({}),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);
    assert_eq!(withdrawn.body["status"], "withdrawn");
}

#[tokio::test]
async fn staff_send_a_complaint_to_another_department_whose_staff_are_told() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let planner = app
        .staff(
            "planner@city.test",
            "steward",
            Some("Community Development"),
        )
        .await;
    let inspector = app
        .staff("inspector@city.test", "steward", Some("Code Enforcement"))
        .await;
    let filed = file(&app, &complaint("city_clerk")).await;
    let tn = filed.tracking_number.as_str();
    app.must_transition(tn, &clerk, json!({ "to": "investigating" }))
        .await;

    // Someone outside the department and the Clerk's office may not.
    let outsider = app
        .post(
            &format!("/api/v1/requests/{tn}/department"),
            Some(&planner),
            &json!({ "department": "code_enforcement" }),
        )
        .await;
    assert_eq!(
        outsider.status,
        StatusCode::NOT_FOUND,
        "a steward sees only their queue"
    );
    let before = app.counts();
    let unknown = app
        .post(
            &format!("/api/v1/requests/{tn}/department"),
            Some(&clerk),
            &json!({ "department": "ministry_of_silly_walks" }),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(unknown.body["fields"]["department"].is_array());
    assert_eq!(app.counts(), before, "nothing changed");

    let sent = app
        .post(
            &format!("/api/v1/requests/{tn}/department"),
            Some(&clerk),
            &json!({ "department": "code_enforcement", "note": "Fences are theirs." }),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{:?}", sent.body);
    assert_eq!(sent.body["queue"], "code_enforcement");
    assert_eq!(
        sent.body["assignee"],
        Value::Null,
        "it waits for whoever takes it"
    );
    assert_eq!(sent.body["complaint"]["department"], "Code Enforcement");
    let (_, to, payload) = app
        .notices(tn)
        .into_iter()
        .find(|(k, ..)| k == "complaint_rerouted")
        .expect("the department is told");
    assert_eq!(to, "inspector@city.test");
    assert!(payload["text"]
        .as_str()
        .unwrap()
        .contains("Fences are theirs."));
    let seen = app.case(tn, &filed.token).await;
    let timeline = seen["history"].to_string();
    assert!(
        !timeline.contains("Fences are theirs"),
        "the note is for staff"
    );
    // The new department works it.
    app.must_transition(
        tn,
        &inspector,
        json!({ "to": "resolved", "decision": "Cited." }),
    )
    .await;

    // A request is not sent around this way.
    let request = app.submit_records_request().await;
    let refused = app
        .post(
            &format!("/api/v1/requests/{}/department", request.tracking_number),
            Some(&clerk),
            &json!({ "department": "code_enforcement" }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.body["error"], "not_reroutable");
    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}

#[tokio::test]
async fn a_complaint_without_subject_description_or_a_real_department_changes_nothing() {
    let app = spawn_app().await;
    let before = app.counts();
    let empty = app.post("/api/v1/complaints", None, &json!({})).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    for field in ["subject", "description", "department"] {
        assert!(
            empty.body["fields"][field].is_array(),
            "{field}: {:?}",
            empty.body
        );
    }
    let nowhere = app
        .post(
            "/api/v1/complaints",
            None,
            &complaint("ministry_of_silly_walks"),
        )
        .await;
    assert_eq!(nowhere.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        nowhere.body["fields"]["department"].is_array(),
        "{:?}",
        nowhere.body
    );
    let mut future = complaint("code_enforcement");
    future["occurred_on"] = json!("2099-01-01");
    let later = app.post("/api/v1/complaints", None, &future).await;
    assert_eq!(later.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(later.body["fields"]["occurred_on"].is_array());
    // A complaint is not a kind of request the request form files.
    let mut as_request = records_request();
    as_request["kind"] = json!("complaint");
    let wrong_door = app.post("/api/v1/requests", None, &as_request).await;
    assert_eq!(wrong_door.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.counts(), before);
}

/// Posts a staff step page's form with its token; answers the status and the page.
async fn step(
    app: &TestApp,
    pages: &reqwest::Client,
    tn: &str,
    slug: &str,
    fields: &[(&str, &str)],
) -> (StatusCode, String) {
    let url = app.url(&format!("/staff/requests/{tn}/steps/{slug}"));
    let csrf = csrf_in(&page_text(pages, url.clone()).await);
    let mut form: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let answer = pages.post(&url).form(&form).send().await.unwrap();
    let status = answer.status();
    (status, answer.text().await.unwrap_or_default())
}

#[tokio::test]
async fn a_department_works_a_complaint_on_its_pages_and_sends_one_elsewhere() {
    let app = spawn_app().await;
    app.add_staff(
        "inspector@city.test",
        "Pat Inspector",
        "steward",
        Some("Code Enforcement"),
    );
    let filed = file(&app, &complaint("code_enforcement")).await;
    let tn = filed.tracking_number.as_str();
    let pages = app.signed_in_pages("inspector@city.test").await;
    let case_url = app.url(&format!("/staff/requests/{tn}"));

    let queue = page_text(&pages, app.url("/staff/queue")).await;
    assert!(queue.contains(tn) && queue.contains("Complaint"), "{queue}");
    let case = page_text(&pages, case_url.clone()).await;
    for shown in [
        "Start looking into the complaint",
        "Send the complaint to another department",
        "Complainant",
        "Blocked sidewalk",
        "1800 Galindo Street",
    ] {
        assert!(case.contains(shown), "{shown}: {case}");
    }
    assert!(!case.contains("Extend the deadline"), "{case}");

    let (status, _) = step(&app, &pages, tn, "investigate", &[("version", "1")]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let case = page_text(&pages, case_url.clone()).await;
    assert!(case.contains("Being looked into"), "{case}");
    assert!(case.contains("Close the complaint as resolved"), "{case}");

    // Resolving without saying what was done is shown back with the error; nothing sent.
    let before = app.counts();
    let (status, page) = step(&app, &pages, tn, "resolve", &[("version", "2")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("say what was found and what was done"),
        "{page}"
    );
    assert_eq!(app.counts(), before);
    let done = [
        ("version", "2"),
        ("decision", "The fence was moved; the contractor was cited."),
    ];
    let (status, page) = step(&app, &pages, tn, "resolve", &done).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Check how the complaint was resolved before you send it"),
        "{page}"
    );
    let mut confirmed = done.to_vec();
    confirmed.push(("confirmed", "yes"));
    let (status, _) = step(&app, &pages, tn, "resolve", &confirmed).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let case = page_text(&pages, case_url.clone()).await;
    assert!(case.contains("What was found and done"), "{case}");
    assert!(case.contains("the contractor was cited"), "{case}");
    // The case file to keep holds the complaint, its chain and its letters.
    let export: Value =
        serde_json::from_str(&page_text(&pages, format!("{case_url}/export.json")).await)
            .expect("the export is JSON");
    let text = export.to_string();
    assert!(text.contains("Blocked sidewalk"), "{text}");
    assert!(text.contains("complaint_resolved"), "{text}");
    assert!(
        text.contains("\"rerouted\"") || text.contains("\"transition\""),
        "{text}"
    );

    // Another complaint goes to Community Development; the inspector no longer sees it.
    let other = file(&app, &complaint("code_enforcement")).await;
    let (status, _) = step(
        &app,
        &pages,
        &other.tracking_number,
        "department",
        &[
            ("version", "1"),
            ("department", "community_development"),
            ("note", "Zoning, not a fence."),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let gone = pages
        .get(app.url(&format!("/staff/requests/{}", other.tracking_number)))
        .send()
        .await
        .unwrap();
    assert_eq!(gone.status(), StatusCode::NOT_FOUND);
    let admin = app.staff("admin@city.test", "admin", None).await;
    let moved = app.case(&other.tracking_number, &admin).await;
    assert_eq!(moved["queue"], "community_development");
}

#[tokio::test]
async fn a_complaint_past_its_target_is_flagged_and_its_department_reminded() {
    let app = spawn_app().await;
    app.add_staff(
        "inspector@city.test",
        "Pat Inspector",
        "steward",
        Some("Code Enforcement"),
    );
    let late = file(&app, &complaint("code_enforcement")).await;
    let closed = file(&app, &complaint("code_enforcement")).await;
    let inspector = app.login("inspector@city.test").await;
    app.must_transition(
        &closed.tracking_number,
        &inspector,
        json!({ "to": "dismissed", "reason": "Nothing to act on." }),
    )
    .await;
    for tn in [&late.tracking_number, &closed.tracking_number] {
        app.sql(&format!(
            "UPDATE requests SET due_on = '2020-01-06' WHERE tracking_number = '{tn}'"
        ))
        .unwrap();
    }
    let seen = app.case(&late.tracking_number, &inspector).await;
    assert_eq!(seen["overdue"], true);
    assert_eq!(
        app.case(&closed.tracking_number, &inspector).await["overdue"],
        false
    );

    let ctx = recordsdesk::app::Ctx::from_settings(&app.settings).unwrap();
    assert_eq!(
        recordsdesk::app::reminders::send_due(&app.db, &ctx).unwrap(),
        1
    );
    let text = letter(&app, &late.tracking_number, "overdue");
    assert!(text.starts_with("Complaint "), "{text}");
    let (_, to, _) = app
        .notices(&late.tracking_number)
        .into_iter()
        .find(|(k, ..)| k == "overdue")
        .unwrap();
    assert_eq!(to, "inspector@city.test");

    // The queue flags it, with its kind.
    let queue = app
        .get("/api/v1/queue?overdue=true", Some(&inspector))
        .await;
    assert_eq!(queue.status, StatusCode::OK, "{:?}", queue.body);
    let items = queue.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{:?}", queue.body);
    assert_eq!(items[0]["kind"], "complaint");
    assert_eq!(items[0]["tracking_number"], late.tracking_number.as_str());
}

#[tokio::test]
async fn the_audit_log_names_a_complaint_changed_behind_its_back() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = file(&app, &complaint("city_clerk")).await;
    app.must_transition(
        &filed.tracking_number,
        &clerk,
        json!({ "to": "referred", "referred_to": "Contra Costa County" }),
    )
    .await;
    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(verified.status.success());
    for (column, value) in [("referred_to", "Nobody"), ("subject", "Something else")] {
        app.sql(&format!(
            "UPDATE requests SET {column} = '{value}' WHERE tracking_number = '{}';",
            filed.tracking_number
        ))
        .expect("change the row");
        let broken = app.cli(&["audit", "verify"], None).await;
        let stdout = String::from_utf8_lossy(&broken.stdout);
        assert_eq!(broken.status.code(), Some(1), "{stdout}");
        assert!(stdout.contains(column), "{stdout}");
    }
}
