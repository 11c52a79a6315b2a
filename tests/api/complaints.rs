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
