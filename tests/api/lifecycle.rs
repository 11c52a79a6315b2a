//! The whole life of a request, as requester and staff would walk it.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn a_request_is_filed_accepted_and_granted() {
    // Received on Wednesday 25 November 2026 at 10 AM in Concord: the tenth day is Saturday
    // 5 December, so the answer is due on Monday the 7th (docs/PRODUCT.md, "Deadlines").
    let app = spawn_app_with(|s| {
        s.fixed_clock = Some(
            chrono::NaiveDate::from_ymd_opt(2026, 11, 25)
                .unwrap()
                .and_hms_opt(18, 0, 0)
                .unwrap(),
        )
    })
    .await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;

    let filed = app.post("/api/v1/requests", None, &records_request()).await;
    assert_eq!(filed.status, StatusCode::CREATED);
    let tn = filed.body["tracking_number"].as_str().unwrap().to_string();
    let token = filed.body["access_token"].as_str().unwrap().to_string();
    assert!(tn.starts_with("RR-2026-"), "{tn}");
    assert!(token.len() >= 40, "at least 128 random bits");
    assert_eq!(filed.body["status"], "submitted");
    assert_eq!(filed.body["queue"], "city_clerk");
    assert_eq!(filed.body["version"], 1);
    assert_eq!(filed.body["received_at"], "2026-11-25T18:00:00.000000Z");
    let due = filed.body["determination_due"].as_str().unwrap();
    assert_eq!(due, "2026-12-07");
    assert!(filed.body["private_url"].as_str().unwrap().contains(&token));

    // The requester follows it with their token.
    let mine = app.case(&tn, &token).await;
    assert_eq!(mine["status"], "submitted");
    assert_eq!(mine["description"], records_request()["description"]);
    assert_eq!(mine["allowed_transitions"], json!(["withdrawn"]));

    // The clerk sees it in the queue and takes it.
    let queue = app.get("/api/v1/queue", Some(&clerk)).await;
    assert_eq!(queue.status, StatusCode::OK);
    assert_eq!(queue.body["items"][0]["tracking_number"], tn.as_str());
    let accepted = app
        .must_transition(&tn, &clerk, json!({ "to": "under_review" }))
        .await;
    assert_eq!(accepted["status"], "under_review");
    assert_eq!(accepted["assignee"]["email"], "clerk@city.test");
    assert_eq!(accepted["version"], 2);

    let granted = app
        .must_transition(&tn, &clerk, grant("The logs are attached to this notice."))
        .await;
    assert_eq!(granted["status"], "granted");
    assert_eq!(granted["determinations"][0]["outcome"], "granted");
    assert_eq!(
        granted["determinations"][0]["decision"],
        "The logs are attached to this notice."
    );

    // The requester sees the outcome and every step, without staff emails.
    let mine = app.case(&tn, &token).await;
    assert_eq!(mine["status"], "granted");
    let actions: Vec<&str> = mine["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["action"].as_str().unwrap())
        .collect();
    assert_eq!(actions, ["submitted", "transition", "transition"]);
    assert!(
        mine["assignee"].get("email").is_none(),
        "requesters see the assignee's name only"
    );

    // Each step queued its notice to the requester; the clerk heard of the new request.
    let notices: Vec<(String, String)> = app
        .notices(&tn)
        .into_iter()
        .map(|(n, r, _)| (n, r))
        .collect();
    assert_eq!(
        notices,
        [
            ("acknowledgement".into(), "jane@example.com".into()),
            ("new_request".into(), "clerk@city.test".into()),
            ("accepted".into(), "jane@example.com".into()),
            ("granted".into(), "jane@example.com".into()),
        ]
    );
    let ack = &app.notices(&tn)[0].2;
    let text = ack["text"].as_str().unwrap();
    // The queued letter holds the place of its own link's token, minted when it is sent (the
    // chain keeps it withheld); the filing's token is never stored.
    assert!(
        text.contains(&format!("/requests/{tn}?token=[private token withheld]")),
        "{text}"
    );
    assert!(!text.contains(&token), "{text}");
    assert!(text.contains("Monday, December 7, 2026"), "{text}");
    assert!(
        text.contains("All police incident logs for Todos Santos Plaza"),
        "{text}"
    );
    assert!(
        text.contains("cityclerk@cityofconcord.org"),
        "how to reach the Clerk: {text}"
    );
    assert_eq!(
        ack["subject"],
        format!("[{tn}] We received your public records request")
    );

    // Each letter is kept once: its outbox row, waiting to be sent, says whom it is for and
    // which event of the request's chain holds it, and nothing of what it says.
    let rows = {
        use diesel::prelude::*;
        use recordsdesk::db::schema::{outbox, requests};
        let tn = tn.clone();
        app.with_conn(move |conn| {
            outbox::table
                .inner_join(requests::table.on(outbox::request_id.eq(requests::id.nullable())))
                .filter(requests::tracking_number.eq(tn))
                .select((outbox::status, outbox::payload))
                .load::<(String, String)>(conn)
        })
    };
    assert_eq!(rows.len(), 4);
    for (status, payload) in rows {
        assert_eq!(status, "queued");
        assert!(
            matches!(
                recordsdesk::notify::outbox::payload(&payload),
                Ok(recordsdesk::notify::outbox::Payload::InChain(_))
            ),
            "{payload}"
        );
        assert!(!payload.contains("Todos Santos"), "{payload}");
    }
}

#[tokio::test]
async fn a_partial_grant_records_what_is_withheld_and_why() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    app.must_transition(
        &filed.tracking_number,
        &clerk,
        json!({ "to": "under_review" }),
    )
    .await;
    let case = app
        .must_transition(&filed.tracking_number, &clerk, partial_grant())
        .await;
    let determination = &case["determinations"][0];
    assert_eq!(determination["partial"], true);
    let withheld = &determination["withheld"][0];
    assert_eq!(withheld["item"], "Victims' names");
    assert_eq!(withheld["exemption"], "7927.705");
    assert_eq!(
        withheld["reason"],
        "Protected by Penal Code §293, which §7927.705 brings in."
    );
    assert_eq!(
        determination["legal_basis"],
        json!(["Gov. Code §7927.705 (former §6254(k))"])
    );
}

#[tokio::test]
async fn a_denial_is_appealed_and_a_different_reviewer_upholds_it_for_good() {
    let app = spawn_app().await;
    let admin = app.staff("admin@city.test", "admin", None).await;
    let reviewer = app.staff("reviewer@city.test", "reviewer", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();

    app.must_transition(tn, &admin, json!({ "to": "under_review" }))
        .await;
    let denied = app.must_transition(tn, &admin, denial()).await;
    assert_eq!(denied["status"], "denied");
    assert_eq!(
        denied["determinations"][0]["responsible"],
        json!([{ "name": "Pat Records", "title": "Deputy City Clerk" }])
    );
    let window = denied["appeal_deadline"].as_str().unwrap();
    let today = chrono::Utc::now().date_naive();
    let thirty_days_on = (today + chrono::Days::new(29)).to_string();
    assert!(
        window >= thirty_days_on.as_str(),
        "the appeal window is 30 days: {window}"
    );

    // The denial notice tells the requester the reasons, the basis, who decided and the deadline.
    let (_, to, email) = app
        .notices(tn)
        .into_iter()
        .find(|(n, _, _)| n == "denied")
        .expect("denial notice");
    assert_eq!(to, "jane@example.com");
    let text = email["text"].as_str().unwrap();
    for needed in [
        "The records are investigative files of an ongoing case.",
        "Gov. Code §7923.600",
        "Pat Records, Deputy City Clerk",
        &long_date(window),
    ] {
        assert!(
            text.contains(needed),
            "the denial notice lacks {needed:?}: {text}"
        );
    }

    let appeal = app
        .post(
            &format!("/api/v1/requests/{tn}/appeal"),
            Some(&filed.token),
            &json!({ "grounds": "The case closed in 2025." }),
        )
        .await;
    assert_eq!(appeal.status, StatusCode::OK, "{:?}", appeal.body);
    assert_eq!(appeal.body["status"], "appealed");
    assert_eq!(appeal.body["appeal_grounds"], "The case closed in 2025.");
    assert!(app
        .notices(tn)
        .iter()
        .any(|(n, r, _)| n == "appeal_filed" && r == "reviewer@city.test"));

    // The admin who denied it may not review it.
    let own = app
        .transition(
            tn,
            &admin,
            json!({ "to": "administrative_review", "version": appeal.body["version"] }),
        )
        .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert!(own.body["message"]
        .as_str()
        .unwrap()
        .contains("you made the determination under appeal"));

    let review = app
        .must_transition(tn, &reviewer, json!({ "to": "administrative_review" }))
        .await;
    assert_eq!(review["reviewer"]["email"], "reviewer@city.test");
    let mut upholding = denial();
    upholding["decision"] = json!("The investigation is still open.");
    let upheld = app.must_transition(tn, &reviewer, upholding).await;
    assert_eq!(upheld["status"], "denied");
    assert_eq!(upheld["decision_final"], true);

    // A final denial cannot be appealed again.
    let again = app
        .post(
            &format!("/api/v1/requests/{tn}/appeal"),
            Some(&filed.token),
            &json!({ "grounds": "Please look again." }),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["error"], "decision_final");
    assert_eq!(again.body["allowed"], json!([]));
    assert_eq!(app.case(tn, &filed.token).await["status"], "denied");
}

#[tokio::test]
async fn a_reviewer_can_overturn_a_denial() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let reviewer = app.staff("reviewer@city.test", "reviewer", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    app.must_transition(tn, &clerk, denial()).await;
    app.post(
        &format!("/api/v1/requests/{tn}/appeal"),
        Some(&filed.token),
        &json!({ "grounds": "Closed case." }),
    )
    .await;

    // Only the reviewer who took the appeal decides it.
    app.must_transition(tn, &reviewer, json!({ "to": "administrative_review" }))
        .await;
    let clerk_try = app
        .transition(
            tn,
            &clerk,
            json!({ "to": "granted", "decision": "x", "version": 5 }),
        )
        .await;
    assert_eq!(clerk_try.status, StatusCode::FORBIDDEN);

    let granted = app
        .must_transition(tn, &reviewer, grant("The exemption no longer applies."))
        .await;
    assert_eq!(granted["status"], "granted");
    let stages: Vec<&str> = granted["determinations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["stage"].as_str().unwrap())
        .collect();
    assert_eq!(stages, ["initial", "review"]);
    let notices: Vec<String> = app.notices(tn).into_iter().map(|(n, _, _)| n).collect();
    assert!(
        notices.ends_with(&["review_started".to_string(), "review_decision".to_string()]),
        "{notices:?}"
    );
}

#[tokio::test]
async fn the_requester_can_withdraw_an_open_request_and_then_nothing_more_happens() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();

    let withdrawn = app
        .post(
            &format!("/api/v1/requests/{tn}/withdraw"),
            Some(&filed.token),
            &json!({ "reason": "Found it online." }),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK);
    assert_eq!(withdrawn.body["status"], "withdrawn");
    assert_eq!(withdrawn.body["withdraw_reason"], "Found it online.");

    let late = app
        .transition(
            tn,
            &clerk,
            json!({ "to": "under_review", "version": withdrawn.body["version"] }),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.body["allowed"], json!([]));
}

#[tokio::test]
async fn one_extension_moves_the_due_date_and_a_second_is_refused() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let before = app.case(tn, &clerk).await;

    let extended = app
        .post(
            &format!("/api/v1/requests/{tn}/extension"),
            Some(&clerk),
            &json!({ "days": 14, "circumstance": "voluminous_records", "reason": "Three years of logs." }),
        )
        .await;
    assert_eq!(extended.status, StatusCode::OK, "{:?}", extended.body);
    let new_due = extended.body["determination_due"].as_str().unwrap();
    assert!(new_due > before["determination_due"].as_str().unwrap());
    assert_eq!(extended.body["due_on"], new_due);
    assert_eq!(
        extended.body["extension"]["circumstance"],
        "voluminous_records"
    );
    let (_, to, email) = app
        .notices(tn)
        .into_iter()
        .find(|(n, _, _)| n == "extended")
        .expect("extension notice");
    assert_eq!(to, "jane@example.com");
    let text = email["text"].as_str().unwrap();
    assert!(text.contains(&long_date(new_due)), "{text}");
    assert!(
        text.contains("voluminous amount of separate and distinct records"),
        "{text}"
    );
    assert!(text.contains("Three years of logs."), "{text}");

    let again = app
        .post(
            &format!("/api/v1/requests/{tn}/extension"),
            Some(&clerk),
            &json!({ "days": 2, "circumstance": "consultation" }),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["error"], "already_extended");
}

#[tokio::test]
async fn messages_go_both_ways_and_appear_in_the_timeline() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;

    let asked = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&clerk),
            &json!({ "body": "Which months exactly?" }),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    let answered = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&filed.token),
            &json!({ "body": "March only.\nThanks!" }),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK);

    let mine = app.case(tn, &filed.token).await;
    let messages = mine["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(
        (messages[0]["from"].as_str(), messages[0]["body"].as_str()),
        (Some("staff"), Some("Which months exactly?"))
    );
    assert_eq!(
        (messages[1]["from"].as_str(), messages[1]["body"].as_str()),
        (Some("requester"), Some("March only.\nThanks!"))
    );
    let notices: Vec<(String, String)> = app
        .notices(tn)
        .into_iter()
        .map(|(n, r, _)| (n, r))
        .collect();
    assert!(notices.contains(&("staff_message".into(), "jane@example.com".into())));
    assert!(notices.contains(&("requester_message".into(), "clerk@city.test".into())));
}

#[tokio::test]
async fn an_access_request_goes_to_the_datasets_steward_and_only_they_see_it() {
    let app = spawn_app().await;
    let steward = app
        .staff(
            "permits@city.test",
            "steward",
            Some("Community Development"),
        )
        .await;
    let other_steward = app
        .staff("police-data@city.test", "steward", Some("Police"))
        .await;
    app.add_dataset(
        "building-permits",
        "Building Permits",
        Some("permits@city.test"),
        Some("Community Development"),
    );

    let filed = app.submit(&access_request("building-permits")).await;
    let case = app.case(&filed.tracking_number, &steward).await;
    assert_eq!(case["queue"], "community_development");
    assert_eq!(case["assignee"]["email"], "permits@city.test");
    assert_eq!(case["dataset_id"], "building-permits");
    assert!(app
        .notices(&filed.tracking_number)
        .iter()
        .any(|(n, r, _)| n == "new_request" && r == "permits@city.test"));

    let elsewhere = app
        .get(
            &format!("/api/v1/requests/{}", filed.tracking_number),
            Some(&other_steward),
        )
        .await;
    assert_eq!(elsewhere.status, StatusCode::NOT_FOUND);
    let their_queue = app.get("/api/v1/queue", Some(&other_steward)).await;
    assert_eq!(their_queue.body["items"], json!([]));

    let accepted = app
        .must_transition(
            &filed.tracking_number,
            &steward,
            json!({ "to": "under_review" }),
        )
        .await;
    assert_eq!(accepted["status"], "under_review");
}

#[tokio::test]
async fn an_access_request_without_a_steward_goes_to_the_clerk() {
    let app = spawn_app().await;
    app.add_dataset(
        "council-votes",
        "Council Votes",
        Some("nobody@city.test"),
        None,
    );
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit(&access_request("council-votes")).await;
    let case = app.case(&filed.tracking_number, &clerk).await;
    assert_eq!(case["queue"], "city_clerk");
    assert!(case["assignee"].is_null());
}

#[tokio::test]
async fn staff_reassign_a_request_and_the_new_assignee_is_told() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    app.add_staff("deputy@city.test", "Deputy Clerk", "clerk", None);
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();

    let assigned = app
        .post(
            &format!("/api/v1/requests/{tn}/assign"),
            Some(&clerk),
            &json!({ "assignee": "deputy@city.test" }),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);
    assert_eq!(assigned.body["assignee"]["email"], "deputy@city.test");
    assert!(app
        .notices(tn)
        .iter()
        .any(|(n, r, _)| n == "assigned" && r == "deputy@city.test"));

    // Now it is the deputy's: the first clerk cannot accept it.
    let version = assigned.body["version"].clone();
    let not_theirs = app
        .transition(
            tn,
            &clerk,
            json!({ "to": "under_review", "version": version }),
        )
        .await;
    assert_eq!(not_theirs.status, StatusCode::FORBIDDEN);
    let deputy = app.login("deputy@city.test").await;
    app.must_transition(tn, &deputy, json!({ "to": "under_review" }))
        .await;
}

#[tokio::test]
async fn a_requesters_message_does_not_make_staff_work_stale() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let seen = app.case(tn, &clerk).await["version"].clone();
    let wrote = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&filed.token),
            &json!({ "body": "Any news?" }),
        )
        .await;
    assert_eq!(wrote.status, StatusCode::OK);
    assert_eq!(
        wrote.body["version"], seen,
        "a message is not a change to the case"
    );
    let accepted = app
        .transition(tn, &clerk, json!({ "to": "under_review", "version": seen }))
        .await;
    assert_eq!(accepted.status, StatusCode::OK, "{:?}", accepted.body);
}

#[tokio::test]
async fn while_an_appeal_waits_the_requesters_messages_go_to_the_reviewers() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    app.add_staff("reviewer@city.test", "Robin Reviewer", "reviewer", None);
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    app.must_transition(tn, &clerk, denial()).await;
    app.post(
        &format!("/api/v1/requests/{tn}/appeal"),
        Some(&filed.token),
        &json!({ "grounds": "Closed case." }),
    )
    .await;
    app.post(
        &format!("/api/v1/requests/{tn}/messages"),
        Some(&filed.token),
        &json!({ "body": "More context." }),
    )
    .await;
    let to: Vec<String> = app
        .notices(tn)
        .into_iter()
        .filter(|(n, _, _)| n == "requester_message")
        .map(|(_, r, _)| r)
        .collect();
    assert_eq!(to, ["reviewer@city.test"]);
}

#[tokio::test]
async fn an_extension_after_the_original_ten_days_is_refused() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    // Received on Monday 6 January 2020, so due (and extendable) until Thursday the 16th.
    app.sql(&format!(
        "UPDATE requests SET received_at = '2020-01-06 17:00:00', \
         determination_due = '2020-01-16', due_on = '2020-01-16' WHERE tracking_number = '{tn}'"
    ))
    .unwrap();
    let late = app
        .post(
            &format!("/api/v1/requests/{tn}/extension"),
            Some(&clerk),
            &json!({ "days": 5, "circumstance": "consultation" }),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert_eq!(late.body["error"], "extension_too_late");
}

#[tokio::test]
async fn staff_emails_are_matched_whatever_their_capitals() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    app.add_staff("Deputy.Clerk@City.test", "Deputy Clerk", "clerk", None);
    let filed = app.submit_records_request().await;
    let assigned = app
        .post(
            &format!("/api/v1/requests/{}/assign", filed.tracking_number),
            Some(&clerk),
            &json!({ "assignee": "DEPUTY.CLERK@city.test" }),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{:?}", assigned.body);
    assert_eq!(assigned.body["assignee"]["email"], "deputy.clerk@city.test");
}
