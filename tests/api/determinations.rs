//! Determinations exactly as the CPRA requires them (docs/PRODUCT.md, "Determinations"): what
//! each one must carry, who may review it, production after a grant, what the notices say,
//! extensions signed by a designee, withdrawals, and due dates that explain themselves.

use chrono::{Datelike, Days, TimeZone, Weekday};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

// ---- Helpers --------------------------------------------------------------------------------

const JANE: &str = "jane@example.com";
const CLERK: &str = "clerk@city.test";

/// A clerk, and a records request of Jane's they have accepted for review.
async fn under_review(app: &TestApp) -> (String, Filed) {
    let clerk = app.staff(CLERK, "clerk", None).await;
    let filed = accepted(app, &clerk).await;
    (clerk, filed)
}

/// A new records request, accepted for review by `staff`.
async fn accepted(app: &TestApp, staff: &str) -> Filed {
    let filed = app.submit_records_request().await;
    app.must_transition(
        &filed.tracking_number,
        staff,
        json!({ "to": "under_review" }),
    )
    .await;
    filed
}

/// What a refused call must leave as it was: the version, the state, and every row of the
/// audit log, the outbox and the messages.
#[derive(Debug, PartialEq)]
struct Standing {
    version: Value,
    status: Value,
    counts: Counts,
}

async fn standing(app: &TestApp, tn: &str, token: &str) -> Standing {
    let case = app.case(tn, token).await;
    Standing {
        version: case["version"].clone(),
        status: case["status"].clone(),
        counts: app.counts(),
    }
}

/// A 422 naming exactly `fields`, each with a message.
fn assert_invalid(reply: &Reply, fields: &[&str]) {
    assert_eq!(
        reply.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{:?}",
        reply.body
    );
    assert_eq!(reply.body["error"], "validation_failed");
    assert_eq!(reply.field_errors(), fields, "{:?}", reply.body);
    for field in fields {
        let message = reply.body["fields"][field][0].as_str().unwrap_or("");
        assert!(!message.is_empty(), "{field} says why: {:?}", reply.body);
    }
}

/// Sends `body` as a move of the request on its current version: refused with a 422 naming
/// exactly `fields`, and nothing changed. Returns the reply, to read its messages.
async fn refused(app: &TestApp, tn: &str, token: &str, mut body: Value, fields: &[&str]) -> Reply {
    let before = standing(app, tn, token).await;
    body["version"] = before.version.clone();
    let reply = app.transition(tn, token, body).await;
    assert_invalid(&reply, fields);
    assert_eq!(standing(app, tn, token).await, before, "nothing changed");
    reply
}

/// The first message for `field` in a 422.
fn message<'a>(reply: &'a Reply, field: &str) -> &'a str {
    reply.body["fields"][field][0].as_str().unwrap()
}

/// The text of the last notice of `kind` queued for `recipient`.
fn notice(app: &TestApp, tn: &str, kind: &str, recipient: &str) -> String {
    app.notices(tn)
        .into_iter()
        .rev()
        .find(|(k, r, _)| k == kind && r == recipient)
        .unwrap_or_else(|| panic!("no {kind} notice to {recipient}"))
        .2["text"]
        .as_str()
        .unwrap()
        .to_string()
}

fn assert_says(text: &str, needed: &[&str]) {
    for needed in needed {
        assert!(text.contains(needed), "lacks {needed:?}:\n{text}");
    }
}

/// The requester asks for a review.
async fn appeal(app: &TestApp, filed: &Filed) -> Reply {
    app.post(
        &format!("/api/v1/requests/{}/appeal", filed.tracking_number),
        Some(&filed.token),
        &json!({ "grounds": "The records should be released." }),
    )
    .await
}

/// A denied request of Jane's, appealed and taken up by `reviewer`.
async fn denied_and_taken_up(app: &TestApp, clerk: &str, reviewer: &str) -> Filed {
    let filed = accepted(app, clerk).await;
    let tn = &filed.tracking_number;
    app.must_transition(tn, clerk, denial()).await;
    assert_eq!(appeal(app, &filed).await.status, StatusCode::OK);
    app.must_transition(tn, reviewer, json!({ "to": "administrative_review" }))
        .await;
    filed
}

/// How notices write the availability `body` gave ("2026-12-07T16:00"): "4:00 PM on
/// Monday, December 7, 2026".
fn available_by(body: &Value) -> String {
    let at = body["records_due_at"].as_str().unwrap();
    assert!(at.ends_with("T16:00"), "{at}");
    format!("4:00 PM on {}", long_date(&at[..10]))
}

/// Tracking numbers in the staff queue, as this staff member sees it by default.
async fn in_queue(app: &TestApp, token: &str) -> Vec<String> {
    let reply = app.get("/api/v1/queue", Some(token)).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["tracking_number"].as_str().unwrap().to_string())
        .collect()
}

async fn post_step(app: &TestApp, tn: &str, step: &str, token: &str, mut body: Value) -> Reply {
    body["version"] = app.case(tn, token).await["version"].clone();
    app.post(&format!("/api/v1/requests/{tn}/{step}"), Some(token), &body)
        .await
}

/// How often each audit action appears in the request's log.
async fn actions(app: &TestApp, tn: &str, token: &str, action: &str) -> usize {
    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(token))
        .await;
    log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == action)
        .count()
}

/// `body` with the person responsible named as a staff account, by email.
fn naming_staff(mut body: Value, email: &str) -> Value {
    body["responsible"] = json!([{ "staff": email }]);
    body
}

const PERMITS_STEWARD: &str = "permits@city.test";

/// A steward of Public Works, and an access request routed to their queue.
async fn stewards_request(app: &TestApp) -> (String, Filed) {
    let steward = app
        .staff(PERMITS_STEWARD, "steward", Some("Public Works"))
        .await;
    app.add_dataset(
        "permits",
        "Building permits",
        Some(PERMITS_STEWARD),
        Some("Public Works"),
    );
    let filed = app.submit(&access_request("permits")).await;
    assert_eq!(
        app.case(&filed.tracking_number, &steward).await["queue"],
        "public_works"
    );
    (steward, filed)
}

fn week_for_consultation() -> Value {
    json!({ "days": 7, "circumstance": "consultation" })
}

// ---- What a determination must carry --------------------------------------------------------

#[tokio::test]
async fn a_withholding_needs_each_items_exemption_and_who_is_responsible() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;

    let mut nobody = partial_grant();
    nobody.as_object_mut().unwrap().remove("responsible");
    refused(&app, tn, &clerk, nobody, &["responsible"]).await;

    let mut no_exemption = partial_grant();
    no_exemption["withheld"][0]
        .as_object_mut()
        .unwrap()
        .remove("exemption");
    refused(&app, tn, &clerk, no_exemption, &["withheld[0].exemption"]).await;

    // Each item of a denial is checked on its own.
    let mut second_without = denial();
    second_without["withheld"]
        .as_array_mut()
        .unwrap()
        .push(json!({ "item": "Witness list", "reason": "Witnesses were promised privacy." }));
    refused(&app, tn, &clerk, second_without, &["withheld[1].exemption"]).await;

    let unknown = naming_staff(denial(), "nobody@city.test");
    let reply = refused(&app, tn, &clerk, unknown, &["responsible[0].staff"]).await;
    assert!(message(&reply, "responsible[0].staff").contains("no active staff account"));

    // Staff are chosen by their account, not typed: typed, they could review their own case.
    let mut typed = denial();
    typed["responsible"] = json!([{ "name": "Test clerk", "title": "Clerk" }]);
    let reply = refused(&app, tn, &clerk, typed, &["responsible[0]"]).await;
    assert!(message(&reply, "responsible[0]").contains("has a staff account"));
}

#[tokio::test]
async fn a_denial_says_why_nothing_is_separable_and_no_records_says_how_the_city_searched() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;

    let mut unsegregated = denial();
    unsegregated
        .as_object_mut()
        .unwrap()
        .remove("segregability");
    let reply = refused(&app, tn, &clerk, unsegregated, &["segregability"]).await;
    assert!(message(&reply, "segregability").contains("segregable"));

    let reply = refused(&app, tn, &clerk, json!({ "to": "no_records" }), &["search"]).await;
    assert!(message(&reply, "search").contains("searched"));
}

#[tokio::test]
async fn an_exemption_is_a_code_section_and_public_interest_balancing_needs_a_justification() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;

    let mut balancing = denial();
    balancing["withheld"][0]["exemption"] = json!("7922.000");
    let reply = refused(&app, tn, &clerk, balancing, &["withheld[0].justification"]).await;
    assert!(message(&reply, "withheld[0].justification").contains("clearly outweighs"));

    let mut vague = denial();
    vague["withheld"][0]["exemption"] = json!("other");
    vague["withheld"][0]["citation"] = json!("privacy law");
    let reply = refused(&app, tn, &clerk, vague, &["withheld[0].citation"]).await;
    assert!(message(&reply, "withheld[0].citation").contains("Evid. Code §1040"));

    // The old separate list of citations is refused, not silently dropped.
    let mut old_style = denial();
    old_style["legal_basis"] = json!(["Gov. Code §7923.600"]);
    refused(&app, tn, &clerk, old_style, &["legal_basis"]).await;
}

#[tokio::test]
async fn records_cannot_be_due_in_the_past_or_more_than_a_year_ahead() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;

    let mut past = partial_grant();
    past["records_due_at"] = json!("2020-01-06T16:00");
    let reply = refused(&app, tn, &clerk, past, &["records_due_at"]).await;
    assert!(message(&reply, "records_due_at").contains("cannot be in the past"));

    let mut far = grant("Released.");
    let next_year = chrono::Utc::now().date_naive() + Days::new(400);
    far["records_due_at"] = json!(format!("{next_year}T16:00"));
    let reply = refused(&app, tn, &clerk, far, &["records_due_at"]).await;
    assert!(message(&reply, "records_due_at").contains("within a year"));
}

#[tokio::test]
async fn an_extension_must_name_a_circumstance_the_statute_lists() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;
    let before = standing(&app, tn, &clerk).await;
    let reply = post_step(
        &app,
        tn,
        "extension",
        &clerk,
        json!({ "days": 5, "circumstance": "staff_shortage" }),
    )
    .await;
    assert_invalid(&reply, &["circumstance"]);
    assert!(message(&reply, "circumstance").contains("state_of_emergency"));
    assert_eq!(standing(&app, tn, &clerk).await, before);
}

#[tokio::test]
async fn an_extension_that_would_not_move_the_due_date_is_422_saying_why() {
    let app = spawn_app().await;
    let clerk = app.staff(CLERK, "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = &filed.tracking_number;
    // Received on the latest Wednesday: its tenth day is a Saturday, so the request is due the
    // next business day, and one more day (a Sunday) changes nothing.
    let tz = app.settings.time_zone().unwrap();
    let today = chrono::Utc::now().with_timezone(&tz).date_naive();
    let back = u64::from(
        (today.weekday().num_days_from_monday() + 7 - Weekday::Wed.num_days_from_monday()) % 7,
    );
    let received = today - Days::new(back);
    assert_eq!((received + Days::new(10)).weekday(), Weekday::Sat);
    let due = app.settings.deadline_policy().determination_due(received);
    let received_at = tz
        .from_local_datetime(&received.and_hms_opt(12, 0, 0).unwrap())
        .earliest()
        .unwrap()
        .naive_utc();
    app.sql(&format!(
        "UPDATE requests SET received_at = '{received_at}', determination_due = '{due}', \
         due_on = '{due}' WHERE tracking_number = '{tn}'"
    ))
    .unwrap();

    let before = standing(&app, tn, &clerk).await;
    let reply = post_step(
        &app,
        tn,
        "extension",
        &clerk,
        json!({ "days": 1, "circumstance": "voluminous_records" }),
    )
    .await;
    assert_invalid(&reply, &["days"]);
    let why = message(&reply, "days");
    assert!(
        why.contains(&format!(
            "leaves the due date at {}",
            long_date(&due.to_string())
        )),
        "{why}"
    );
    assert!(why.contains("extend by at least"), "{why}");
    assert_eq!(standing(&app, tn, &clerk).await, before);
    assert_eq!(app.case(tn, &clerk).await["extension"], Value::Null);
}

// ---- Review: independent, and final ---------------------------------------------------------

#[tokio::test]
async fn whoever_made_or_is_named_in_a_determination_cannot_review_it_but_another_reviewer_may() {
    let app = spawn_app().await;
    let admin = app.staff("admin@city.test", "admin", None).await;
    let named = app.staff("named@city.test", "reviewer", None).await;
    let independent = app.staff("independent@city.test", "reviewer", None).await;
    let filed = accepted(&app, &admin).await;
    let tn = &filed.tracking_number;
    let denied = app
        .must_transition(tn, &admin, naming_staff(denial(), "named@city.test"))
        .await;
    // A staff member named by email is named with the name and title on file.
    assert_eq!(
        denied["determinations"][0]["responsible"],
        json!([{ "name": "Test reviewer", "title": "City reviewer" }])
    );
    assert_eq!(appeal(&app, &filed).await.status, StatusCode::OK);

    let before = standing(&app, tn, &admin).await;
    for (token, why) in [
        (&named, "you are named responsible"),
        (&admin, "you made the determination"),
    ] {
        let take_up = json!({ "to": "administrative_review", "version": before.version });
        let reply = app.transition(tn, token, take_up).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "{:?}", reply.body);
        assert!(
            reply.body["message"].as_str().unwrap().contains(why),
            "{:?}",
            reply.body
        );
    }
    assert_eq!(standing(&app, tn, &admin).await, before);

    let taken = app
        .must_transition(tn, &independent, json!({ "to": "administrative_review" }))
        .await;
    assert_eq!(taken["status"], "administrative_review");
    assert_eq!(taken["reviewer"]["email"], "independent@city.test");
}

#[tokio::test]
async fn an_upheld_denial_is_final_and_its_notice_says_what_is_withheld_and_by_whom() {
    let app = spawn_app().await;
    let (clerk, _) = under_review(&app).await;
    let reviewer = app.staff("reviewer@city.test", "reviewer", None).await;
    let filed = denied_and_taken_up(&app, &clerk, &reviewer).await;
    let tn = &filed.tracking_number;

    let mut upholding = denial();
    upholding["decision"] = json!("The investigation is still open.");
    let upheld = app.must_transition(tn, &reviewer, upholding).await;
    assert_eq!(upheld["status"], "denied");
    assert_eq!(upheld["decision_final"], true);
    let review = &upheld["determinations"][1];
    assert_eq!(review["stage"], "review");
    assert_eq!(review["review"], "upheld");
    assert_eq!(review["withheld"][0]["item"], "Investigation file 2026-114");
    assert_eq!(review["withheld"][0]["exemption"], "7923.600");
    assert_eq!(
        review["withheld"][0]["citation"],
        "Gov. Code §7923.600 (former §6254(f))"
    );
    assert_eq!(
        review["responsible"],
        json!([{ "name": "Pat Records", "title": "Deputy City Clerk" }])
    );
    assert_eq!(
        review["segregability"],
        "Every page describes the investigation; nothing can be separated."
    );

    let text = notice(&app, tn, "review_decision", JANE);
    assert_says(
        &text,
        &[
            "is upheld",
            "This decision is final",
            "The investigation is still open.",
            "Investigation file 2026-114",
            "Exemption: Gov. Code §7923.600",
            "The investigation is open; releasing the file would endanger it.",
            "Pat Records, Deputy City Clerk",
            "nothing can be separated",
            "Government Code section 7923.000",
        ],
    );

    // A review decision is final: it cannot be appealed again.
    let before = standing(&app, tn, &clerk).await;
    let again = appeal(&app, &filed).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{:?}", again.body);
    assert_eq!(again.body["error"], "decision_final");
    assert_eq!(standing(&app, tn, &clerk).await, before);
}

#[tokio::test]
async fn an_overturned_denial_is_granted_with_a_date_for_the_records() {
    let app = spawn_app().await;
    let (clerk, _) = under_review(&app).await;
    let reviewer = app.staff("reviewer@city.test", "reviewer", None).await;
    let filed = denied_and_taken_up(&app, &clerk, &reviewer).await;
    let tn = &filed.tracking_number;

    let overturning = grant("The case has closed.");
    let granted = app
        .must_transition(tn, &reviewer, overturning.clone())
        .await;
    assert_eq!(granted["status"], "granted");
    assert_eq!(granted["determinations"][1]["review"], "overturned");
    assert!(granted["records_due_at"].is_string(), "{granted}");
    assert_says(
        &notice(&app, tn, "review_decision", JANE),
        &[
            "is overturned",
            "The case has closed.",
            &available_by(&overturning),
        ],
    );
}

#[tokio::test]
async fn a_grant_in_full_cannot_be_appealed_but_a_partial_grant_and_no_records_can() {
    let app = spawn_app().await;
    let clerk = app.staff(CLERK, "clerk", None).await;

    let full = accepted(&app, &clerk).await;
    let granted = app
        .must_transition(&full.tracking_number, &clerk, grant("All released."))
        .await;
    assert_eq!(granted["appeal_deadline"], Value::Null);
    let before = standing(&app, &full.tracking_number, &clerk).await;
    let refused = appeal(&app, &full).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.body["error"], "nothing_withheld");
    assert_eq!(standing(&app, &full.tracking_number, &clerk).await, before);

    let partial = accepted(&app, &clerk).await;
    app.must_transition(&partial.tracking_number, &clerk, partial_grant())
        .await;
    let appealed = appeal(&app, &partial).await;
    assert_eq!(appealed.status, StatusCode::OK, "{:?}", appealed.body);
    assert_eq!(appealed.body["status"], "appealed");

    let none = accepted(&app, &clerk).await;
    let answered = app
        .must_transition(&none.tracking_number, &clerk, no_records())
        .await;
    assert_eq!(
        answered["determinations"][0]["search"],
        "The Clerk's files and the Police records system for March 2026."
    );
    let appealed = appeal(&app, &none).await;
    assert_eq!(appealed.status, StatusCode::OK, "{:?}", appealed.body);
    assert_eq!(appealed.body["status"], "appealed");
}

// ---- Production after a grant ---------------------------------------------------------------

#[tokio::test]
async fn a_grant_stays_in_the_queue_until_produced_and_comes_back_when_reopened() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;

    let granted = app.must_transition(tn, &clerk, partial_grant()).await;
    assert_eq!(granted["status"], "granted");
    assert!(granted["records_due_at"].is_string(), "{granted}");
    assert_eq!(granted["produced_at"], Value::Null);
    assert_eq!(in_queue(&app, &clerk).await, std::slice::from_ref(tn));

    let produced = post_step(
        &app,
        tn,
        "production",
        &clerk,
        json!({ "how": "paper", "note": "Copies handed to Ms. Public at the counter." }),
    )
    .await;
    assert_eq!(produced.status, StatusCode::OK, "{:?}", produced.body);
    assert!(produced.body["produced_at"].is_string());
    assert!(in_queue(&app, &clerk).await.is_empty());
    assert_says(
        &notice(&app, tn, "records_produced", JANE),
        &[
            "delivered on paper or other media",
            "Copies handed to Ms. Public at the counter.",
        ],
    );

    let reopening =
        json!({ "reason": "The March 14 log was missing.", "records_due_at": records_due_at() });
    let reopened = post_step(&app, tn, "reopen", &clerk, reopening.clone()).await;
    assert_eq!(reopened.status, StatusCode::OK, "{:?}", reopened.body);
    assert_eq!(reopened.body["reopened"], 1);
    assert_eq!(reopened.body["produced_at"], Value::Null);
    assert_eq!(in_queue(&app, &clerk).await, std::slice::from_ref(tn));
    assert_says(
        &notice(&app, tn, "production_reopened", JANE),
        &["The March 14 log was missing.", &available_by(&reopening)],
    );
}

#[tokio::test]
async fn releasing_documents_on_a_grant_produces_its_records_and_only_then_may_it_reopen() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;
    app.must_transition(tn, &clerk, grant("The logs are released."))
        .await;

    let before = standing(&app, tn, &clerk).await;
    let too_soon = post_step(
        &app,
        tn,
        "reopen",
        &clerk,
        json!({ "reason": "Pages missing.", "records_due_at": records_due_at() }),
    )
    .await;
    assert_eq!(too_soon.status, StatusCode::CONFLICT, "{:?}", too_soon.body);
    assert_eq!(too_soon.body["error"], "not_produced");
    assert_eq!(standing(&app, tn, &clerk).await, before);

    let link = app
        .post(
            &format!("/api/v1/requests/{tn}/links"),
            Some(&clerk),
            &json!({ "title": "Incident logs", "url": "https://records.example.gov/logs.pdf" }),
        )
        .await;
    assert_eq!(link.status, StatusCode::OK, "{:?}", link.body);
    let released = app
        .post(
            &format!("/api/v1/requests/{tn}/release"),
            Some(&clerk),
            &json!({ "documents": [link.body["documents"][0]["id"]] }),
        )
        .await;
    assert_eq!(released.status, StatusCode::OK, "{:?}", released.body);
    assert!(
        released.body["produced_at"].is_string(),
        "{:?}",
        released.body
    );
    assert!(in_queue(&app, &clerk).await.is_empty());
    assert_eq!(actions(&app, tn, &clerk, "documents_released").await, 1);
    assert_eq!(actions(&app, tn, &clerk, "produced").await, 1);
}

// ---- What the notices say -------------------------------------------------------------------

#[tokio::test]
async fn denials_partial_grants_and_no_records_say_the_review_is_optional_and_name_the_courts() {
    let app = spawn_app().await;
    let clerk = app.staff(CLERK, "clerk", None).await;
    for (body, kind) in [
        (denial(), "denied"),
        (partial_grant(), "granted"),
        (no_records(), "no_records"),
    ] {
        let filed = accepted(&app, &clerk).await;
        app.must_transition(&filed.tracking_number, &clerk, body)
            .await;
        assert_says(
            &notice(&app, &filed.tracking_number, kind, JANE),
            &["The review is optional", "Government Code section 7923.000"],
        );
    }
}

#[tokio::test]
async fn a_grant_notice_says_when_the_records_will_be_available() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let granting = grant("All released.");
    app.must_transition(&filed.tracking_number, &clerk, granting.clone())
        .await;
    let text = notice(&app, &filed.tracking_number, "granted", JANE);
    assert_says(
        &text,
        &[
            "it is granted",
            &format!(
                "Your records will be available by {}",
                available_by(&granting)
            ),
        ],
    );
}

// ---- Extensions, signed by a designee -------------------------------------------------------

#[tokio::test]
async fn an_extension_for_a_state_of_emergency_is_signed_by_the_designee() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;
    let extended = post_step(
        &app,
        tn,
        "extension",
        &clerk,
        json!({ "days": 7, "circumstance": "state_of_emergency", "reason": "The wildfire closed City Hall." }),
    )
    .await;
    assert_eq!(extended.status, StatusCode::OK, "{:?}", extended.body);
    assert_eq!(
        extended.body["extension"]["circumstance"],
        "state_of_emergency"
    );
    assert_says(
        &notice(&app, tn, "extended", JANE),
        &[
            "The wildfire closed City Hall.",
            "Signed by Test clerk, City clerk, as designee of the head of the agency.",
        ],
    );
}

#[tokio::test]
async fn a_steward_is_no_designee_by_default_and_may_not_extend() {
    let app = spawn_app().await;
    let (steward, filed) = stewards_request(&app).await;
    let tn = &filed.tracking_number;
    let before = standing(&app, tn, &steward).await;
    let reply = post_step(&app, tn, "extension", &steward, week_for_consultation()).await;
    assert_eq!(reply.status, StatusCode::FORBIDDEN, "{:?}", reply.body);
    assert!(reply.body["message"]
        .as_str()
        .unwrap()
        .contains("designee of the head of the agency"));
    assert_eq!(standing(&app, tn, &steward).await, before);
}

#[tokio::test]
async fn a_steward_listed_as_a_designee_for_their_queue_may_extend() {
    let app = spawn_app().await;
    let (steward, filed) = stewards_request(&app).await;
    let tn = &filed.tracking_number;
    // An admin names the steward among who signs Public Works' extensions.
    let admin = app.staff("admin@city.test", "admin", None).await;
    let named = app
        .post(
            "/api/v1/admin/departments/public_works/details",
            Some(&admin),
            &json!({ "signers": [PERMITS_STEWARD] }),
        )
        .await;
    assert_eq!(named.status, StatusCode::OK, "{:?}", named.body);
    let reply = post_step(&app, tn, "extension", &steward, week_for_consultation()).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_says(
        &notice(&app, tn, "extended", "dev@example.org"),
        &["Signed by Test steward, City steward, as designee of the head of the agency."],
    );
}

// ---- Withdrawals ----------------------------------------------------------------------------

#[tokio::test]
async fn staff_withdrawing_for_the_requester_note_how_they_asked_and_the_requester_is_told() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;
    let before = standing(&app, tn, &clerk).await;
    let without = post_step(&app, tn, "withdraw", &clerk, json!({})).await;
    assert_invalid(&without, &["note"]);
    assert_eq!(standing(&app, tn, &clerk).await, before);

    let note = "by phone on Tuesday, to the front counter";
    let withdrawn = post_step(&app, tn, "withdraw", &clerk, json!({ "note": note })).await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);
    assert_eq!(withdrawn.body["status"], "withdrawn");
    assert_says(
        &notice(&app, tn, "withdrawn", JANE),
        &[&format!("is withdrawn, as you asked us: {note}")],
    );
}

#[tokio::test]
async fn a_requester_who_withdraws_is_heard_by_the_assigned_clerk() {
    let app = spawn_app().await;
    let (_, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;
    let withdrawn = app
        .post(
            &format!("/api/v1/requests/{tn}/withdraw"),
            Some(&filed.token),
            &json!({ "reason": "I found the logs online." }),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);
    assert_says(
        &notice(&app, tn, "requester_withdrew", CLERK),
        &[
            &format!("The requester withdrew {tn}"),
            "I found the logs online.",
        ],
    );
}

#[tokio::test]
async fn a_requester_who_withdraws_an_appeal_is_heard_by_the_reviewers_not_the_clerk() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;
    app.staff("reviewer@city.test", "reviewer", None).await;
    app.must_transition(tn, &clerk, denial()).await;
    assert_eq!(appeal(&app, &filed).await.status, StatusCode::OK);
    let withdrawn = app
        .post(
            &format!("/api/v1/requests/{tn}/withdraw"),
            Some(&filed.token),
            &json!({ "reason": "We settled it." }),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);
    let told: Vec<String> = app
        .notices(tn)
        .into_iter()
        .filter(|(kind, _, _)| kind == "requester_withdrew")
        .map(|(_, to, _)| to)
        .collect();
    assert_eq!(told, ["reviewer@city.test"]);
}

#[tokio::test]
async fn a_move_that_is_not_yours_says_nothing_about_the_staff_it_names() {
    let app = spawn_app().await;
    let (_, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;
    // The requester tries a staff move naming staff, real and not: the same refusal either
    // way, before anything it carries is looked up.
    for email in [CLERK, "nobody@city.test"] {
        let mut body = partial_grant();
        body["responsible"] = json!([{ "staff": email }]);
        body["records_due_at"] = json!("2001-01-01T09:00");
        let before = standing(&app, tn, &filed.token).await;
        body["version"] = before.version.clone();
        let reply = app.transition(tn, &filed.token, body).await;
        assert_eq!(
            reply.status,
            StatusCode::FORBIDDEN,
            "{email}: {:?}",
            reply.body
        );
        assert_eq!(standing(&app, tn, &filed.token).await, before);
    }
}

// ---- Due dates that explain themselves, and the reports -------------------------------------

#[tokio::test]
async fn a_fresh_request_explains_how_its_due_date_was_counted() {
    let app = spawn_app().await;
    let filed = app.submit_records_request().await;
    let case = app.case(&filed.tracking_number, &filed.token).await;
    let due = long_date(case["determination_due"].as_str().unwrap());
    let reckoning = case["due_reckoning"].as_array().unwrap();
    assert_eq!(reckoning.len(), 1, "{reckoning:?}");
    let sentence = reckoning[0].as_str().unwrap();
    assert!(sentence.starts_with("Received "), "{sentence}");
    assert!(sentence.contains(&due), "{sentence} names {due}");
}

#[tokio::test]
async fn the_reports_count_withholdings_by_exemption_and_production() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;
    app.must_transition(tn, &clerk, partial_grant()).await;
    let produced = post_step(
        &app,
        tn,
        "production",
        &clerk,
        json!({ "how": "inspection", "note": "Inspected at the Clerk's office." }),
    )
    .await;
    assert_eq!(produced.status, StatusCode::OK, "{:?}", produced.body);

    let staff = app.signed_in_pages(CLERK).await;
    let csv = page_text(&staff, app.url("/staff/reports.csv")).await;
    for row in [
        "partial_grants,all,1",
        "withholdings_by_exemption,Gov. Code §7927.705 (former §6254(k)),1",
        "production,granted,1",
        "production,produced,1",
        "production,awaiting,0",
        "production,reopened_requests,0",
    ] {
        assert!(csv.lines().any(|line| line == row), "no {row:?} in\n{csv}");
    }
}

// ---- Redactions -----------------------------------------------------------------------------

#[tokio::test]
async fn a_redaction_note_and_its_exemption_come_together_and_the_exemption_is_a_code_section() {
    let app = spawn_app().await;
    let (clerk, filed) = under_review(&app).await;
    let tn = &filed.tracking_number;
    let path = format!("/api/v1/requests/{tn}/links");
    let link = |note: Option<&str>, exemption: Option<&str>| {
        json!({
            "title": "Incident logs",
            "url": "https://records.example.gov/logs.pdf",
            "redaction_note": note,
            "exemption": exemption,
        })
    };
    let before = app.counts();
    for (body, field) in [
        (link(Some("Victims' names removed."), None), "exemption"),
        (link(None, Some("7927.705")), "redaction_note"),
        (
            link(Some("Victims' names removed."), Some("privacy")),
            "exemption",
        ),
    ] {
        assert_invalid(&app.post(&path, Some(&clerk), &body).await, &[field]);
    }
    assert_eq!(app.counts(), before);

    let kept = app
        .post(
            &path,
            Some(&clerk),
            &link(Some("Victims' names removed."), Some("7927.705")),
        )
        .await;
    assert_eq!(kept.status, StatusCode::OK, "{:?}", kept.body);
    assert_eq!(
        kept.body["documents"][0]["exemption"],
        "Gov. Code §7927.705"
    );
}
