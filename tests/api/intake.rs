//! Requests taken by staff (issue 18; docs/PRODUCT.md, "Requests taken by staff"): a request
//! that came by email, mail, phone, fax or in person is recorded with how and when it
//! arrived, and its clock runs from that receipt, not from the moment it was typed in.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

/// Friday 4 December 2026, 10 AM in Concord.
async fn app_on_friday() -> TestApp {
    spawn_app_with(|s| {
        s.fixed_clock = Some(
            chrono::NaiveDate::from_ymd_opt(2026, 12, 4)
                .unwrap()
                .and_hms_opt(18, 0, 0)
                .unwrap(),
        )
    })
    .await
}

fn phoned(received_at: &str) -> Value {
    json!({
        "channel": "phone",
        "received_at": received_at,
        "request": {
            "kind": "public_records",
            "requester": { "name": "Pat Caller", "email": "pat@example.com" },
            "description": "Building inspection reports for 1950 Parkside Drive, 2025."
        }
    })
}

#[tokio::test]
async fn a_phoned_request_counts_from_the_day_it_was_received_and_says_who_recorded_it() {
    let app = app_on_friday().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;

    // Received on Wednesday 25 November at 10 AM: the tenth day is Saturday 5 December, so
    // the answer is due Monday the 7th, not ten days from today.
    let recorded = app
        .post("/api/v1/intake", Some(&clerk), &phoned("2026-11-25T10:00"))
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{:?}", recorded.body);
    assert_eq!(recorded.body["received_at"], "2026-11-25T18:00:00.000000Z");
    assert_eq!(recorded.body["determination_due"], "2026-12-07");
    let tn = recorded.body["tracking_number"]
        .as_str()
        .unwrap()
        .to_string();
    let token = recorded.body["access_token"].as_str().unwrap().to_string();
    assert!(
        recorded.body["private_url"]
            .as_str()
            .unwrap()
            .contains(&token),
        "staff get the private link to give the requester"
    );

    let case = app.case(&tn, &clerk).await;
    assert_eq!(case["channel"], "phone");
    assert_eq!(case["requester"]["name"], "Pat Caller");
    // The requester gets the acknowledgement with the due date counted from receipt.
    let ack = app
        .notices(&tn)
        .into_iter()
        .find(|(kind, ..)| kind == "acknowledgement")
        .expect("the requester is told by email");
    assert_eq!(ack.1, "pat@example.com");
    let text = ack.2["text"].as_str().unwrap();
    assert!(text.contains("Monday, December 7, 2026"), "{text}");
    assert!(text.contains("November 25, 2026"), "{text}");

    // The audit log says which member of staff recorded it, and replays to the same row.
    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let first = &log.body["events"][0];
    assert_eq!(first["action"], "submitted");
    assert_eq!(first["actor"], "staff:clerk@city.test");
    assert_eq!(first["content"]["channel"], "phone");
    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(
        verified.status.success(),
        "{}{}",
        String::from_utf8_lossy(&verified.stdout),
        String::from_utf8_lossy(&verified.stderr)
    );

    // The staff case page says how it came.
    let staff = app.signed_in_pages("clerk@city.test").await;
    let page = page_text(&staff, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(
        page.contains("Received by phone and recorded by staff"),
        "{page}"
    );
}

#[tokio::test]
async fn a_caller_who_gives_no_name_is_recorded_anonymously_and_nothing_is_emailed() {
    let app = app_on_friday().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let mut body = phoned("2026-12-04T09:15");
    body["channel"] = json!("in_person");
    body["request"].as_object_mut().unwrap().remove("requester");
    let recorded = app.post("/api/v1/intake", Some(&clerk), &body).await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{:?}", recorded.body);
    let tn = recorded.body["tracking_number"].as_str().unwrap();
    assert!(app
        .notices(tn)
        .iter()
        .all(|(kind, ..)| kind == "new_request"));
    assert_eq!(app.case(tn, &clerk).await["channel"], "in_person");
}

#[tokio::test]
async fn a_receipt_in_the_future_or_too_long_ago_an_unknown_channel_or_a_bad_request_changes_nothing(
) {
    let app = app_on_friday().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let before = app.counts();
    let refusals: Vec<(Value, &[&str])> = vec![
        (phoned("2026-12-04T10:01"), &["received_at"]),
        (phoned("2026-11-03T09:00"), &["received_at"]),
        (phoned("yesterday"), &["received_at"]),
        (
            {
                let mut b = phoned("2026-12-01T10:00");
                b["channel"] = json!("carrier_pigeon");
                b
            },
            &["channel"],
        ),
        (
            {
                let mut b = phoned("2026-12-01T10:00");
                b["channel"] = json!("web");
                b
            },
            &["channel"],
        ),
        (
            {
                let mut b = phoned("2026-12-01T10:00");
                b["request"]["description"] = json!("  ");
                b["request"]["requester"]["email"] = json!("pat@example");
                b
            },
            &["request.description", "request.requester.email"],
        ),
        (json!({ "channel": "mail" }), &["received_at", "request"]),
        // Found only in filing, yet named as the request's own field like the others.
        (
            {
                let mut b = phoned("2026-12-01T10:00");
                b["request"]["kind"] = json!("dataset_access");
                b["request"]["dataset_id"] = json!("no-such-dataset");
                b["request"]["intended_use"] = json!("A map");
                b
            },
            &["request.dataset_id"],
        ),
    ];
    for (body, fields) in refusals {
        let refused = app.post("/api/v1/intake", Some(&clerk), &body).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            refused.body
        );
        let mut named = refused.field_errors();
        named.sort();
        assert_eq!(named, fields, "{body}");
    }
    let message = app
        .post("/api/v1/intake", Some(&clerk), &phoned("2026-11-03T09:00"))
        .await;
    assert!(
        message.body.to_string().contains("more than 30 days ago"),
        "{:?}",
        message.body
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn only_staff_record_requests() {
    let app = app_on_friday().await;
    let filed = app.submit_records_request().await;
    let before = app.counts();
    for token in [None, Some(filed.token.as_str())] {
        let refused = app
            .post("/api/v1/intake", token, &phoned("2026-12-01T10:00"))
            .await;
        assert!(
            refused.status == StatusCode::UNAUTHORIZED || refused.status == StatusCode::FORBIDDEN,
            "{:?}: {:?}",
            refused.status,
            refused.body
        );
    }
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn the_intake_page_records_a_mailed_letter_and_shows_the_link_once() {
    let app = app_on_friday().await;
    app.add_staff("clerk@city.test", "Casey Clerk", "clerk", None);
    let staff = app.signed_in_pages("clerk@city.test").await;
    let form = page_text(&staff, app.url("/staff/intake")).await;
    assert!(
        form.contains("value=\"2026-12-04\""),
        "starts at today: {form}"
    );
    let csrf = csrf_in(&form);
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let mut all = vec![("csrf", csrf.clone())];
        all.extend(fields.into_iter().map(|(k, v)| (k, v.to_string())));
        let staff = staff.clone();
        let url = app.url("/staff/intake");
        async move {
            let response = staff.post(url).form(&all).send().await.unwrap();
            (response.status(), response.text().await.unwrap())
        }
    };
    let before = app.counts();
    let (status, page) = post(vec![
        ("channel", "mail"),
        ("received_date", "2026-12-05"),
        ("received_time", "09:00"),
        ("kind", "public_records"),
    ])
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("cannot be in the future"), "{page}");
    assert!(page.contains("must not be empty"), "{page}");
    assert_eq!(app.counts(), before);

    let (status, page) = post(vec![
        ("channel", "mail"),
        ("received_date", "2026-12-02"),
        ("received_time", "14:30"),
        ("kind", "public_records"),
        ("description", "Copies of the 2025 street tree survey."),
    ])
    .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("Request recorded"), "{page}");
    assert!(
        page.contains("this link is the only way they can follow the request"),
        "{page}"
    );
    assert!(page.contains("?token=rdr_"), "{page}");
    // Received Wednesday 2 December: due Monday 14 December (the 12th is a Saturday).
    assert!(page.contains("Monday, December 14, 2026"), "{page}");
}

#[tokio::test]
async fn a_clarified_request_is_recorded_as_a_new_one_linked_to_the_first_which_keeps_its_date() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let first = app.submit_records_request().await;
    let earlier = first.tracking_number.as_str();
    let before_due = app.case(earlier, &clerk).await["due_on"].clone();
    let now = chrono::Utc::now().with_timezone(&chrono_tz::America::Los_Angeles);
    let body = |follows: &str| {
        json!({
            "channel": "email",
            "received_at": now.format("%Y-%m-%dT%H:%M").to_string(),
            "follows": follows,
            "request": {
                "kind": "public_records",
                "requester": { "name": "Jane Q. Public", "email": "jane@example.com" },
                "description": "Instead: the Parks Department's tree-removal permits, 2025."
            }
        })
    };

    let recorded = app
        .post("/api/v1/intake", Some(&clerk), &body(earlier))
        .await;
    assert_eq!(recorded.status, StatusCode::CREATED, "{:?}", recorded.body);
    let new = recorded.body["tracking_number"]
        .as_str()
        .unwrap()
        .to_string();
    let case = app.case(&new, &clerk).await;
    assert_eq!(case["follows"], earlier);
    assert_eq!(case["channel"], "email");
    let first_case = app.case(earlier, &clerk).await;
    assert_eq!(first_case["followed_by"], json!([new]));
    assert_eq!(
        first_case["due_on"], before_due,
        "the first keeps its own date"
    );
    assert_eq!(
        first_case["status"], "submitted",
        "and its own determination"
    );
    assert_eq!(
        app.case(earlier, &first.token).await["followed_by"],
        json!([]),
        "the link back is for staff"
    );
    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );

    // The case page offers it, and the form starts from the first request's requester.
    let staff = app.signed_in_pages("clerk@city.test").await;
    let page = page_text(&staff, app.url(&format!("/staff/requests/{earlier}"))).await;
    assert!(
        page.contains(&format!("href=\"/staff/intake?follows={earlier}\"")),
        "{page}"
    );
    let form = page_text(&staff, app.url(&format!("/staff/intake?follows={earlier}"))).await;
    assert!(form.contains(&format!("value=\"{earlier}\"")), "{form}");
    assert!(form.contains("value=\"jane@example.com\""), "{form}");

    // Only a request this staff member can see can be followed; nothing is filed otherwise.
    app.staff("parks@city.test", "steward", Some("Parks")).await;
    let steward = app.login("parks@city.test").await;
    let before = app.counts();
    for (who, follows, message) in [
        (&clerk, "RR-2026-99999", "no request you can see"),
        (&clerk, "rr-2026-1", "like RR-2026-00042"),
        (&steward, earlier, "no request you can see"),
    ] {
        let refused = app.post("/api/v1/intake", Some(who), &body(follows)).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{follows}"
        );
        assert_eq!(refused.field_errors(), ["follows"]);
        assert!(
            refused.body.to_string().contains(message),
            "{:?}",
            refused.body
        );
    }
    assert_eq!(app.counts(), before);
}
