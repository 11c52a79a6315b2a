//! Duplicates (issue 18; docs/PRODUCT.md, "Duplicates"): staff close a request that repeats an
//! earlier one; both show the link, the requester is told where to follow the earlier one, and
//! the audit log's replay checks the link the row keeps.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

fn closing_into(original: &str) -> serde_json::Value {
    json!({ "to": "duplicate", "duplicate_of": original })
}

#[tokio::test]
async fn a_repeat_is_closed_into_the_earlier_request_and_both_show_the_link() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let earlier = app.submit_records_request().await;
    let repeat = app.submit_records_request().await;
    let (first, second) = (
        earlier.tracking_number.as_str(),
        repeat.tracking_number.as_str(),
    );

    let closed = app
        .must_transition(second, &clerk, closing_into(first))
        .await;
    assert_eq!(closed["status"], "duplicate");
    assert_eq!(closed["duplicate_of"], first);
    assert_eq!(closed["allowed_transitions"], json!([]), "nothing follows");
    assert_eq!(closed["overdue"], false, "no clock runs on a closed repeat");

    let theirs = app.case(first, &clerk).await;
    assert_eq!(theirs["duplicates"], json!([second]), "staff see both ways");
    assert_eq!(theirs["status"], "submitted", "the earlier request goes on");
    let as_requester = app.case(second, &repeat.token).await;
    assert_eq!(as_requester["duplicate_of"], first);
    let earlier_requester = app.case(first, &earlier.token).await;
    assert_eq!(
        earlier_requester["duplicates"],
        json!([]),
        "a repeat's number is for staff"
    );

    // The requester's letter names the earlier request and how to reach it again.
    let letters = app.notices(second);
    let (_, to, letter) = letters
        .iter()
        .find(|(kind, ..)| kind == "duplicate")
        .expect("the requester is told");
    assert_eq!(to, "jane@example.com");
    let text = letter["text"].as_str().unwrap();
    assert!(
        text.contains(&format!("same records as request {first}")),
        "{text}"
    );
    assert!(text.contains("/requests/find"), "{text}");

    // The tracking page says it plainly.
    let client = requester_browser(&app, &repeat).await;
    let page = page_text(&client, app.url(&format!("/requests/{second}"))).await;
    assert!(
        page.contains("Closed: repeats an earlier request"),
        "{page}"
    );
    assert!(page.contains(&format!("answer you on {first}")), "{page}");

    // The staff page of the earlier request links the repeat, and the log checks out.
    let staff = app.signed_in_pages("clerk@city.test").await;
    let case = page_text(&staff, app.url(&format!("/staff/requests/{first}"))).await;
    assert!(
        case.contains(&format!("href=\"/staff/requests/{second}\"")),
        "{case}"
    );
    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
}

#[tokio::test]
async fn the_audit_log_names_a_link_changed_behind_its_back() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let earlier = app.submit_records_request().await;
    let other = app.submit_records_request().await;
    let repeat = app.submit_records_request().await;
    app.must_transition(
        &repeat.tracking_number,
        &clerk,
        closing_into(&earlier.tracking_number),
    )
    .await;

    app.sql(&format!(
        "UPDATE requests SET duplicate_of = '{}' WHERE tracking_number = '{}';",
        other.tracking_number, repeat.tracking_number
    ))
    .expect("move the link");
    let broken = app.cli(&["audit", "verify"], None).await;
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("duplicate_of"), "{stdout}");
}

#[tokio::test]
async fn a_repeat_must_name_an_earlier_request_staff_can_see_and_nothing_changes_otherwise() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    app.add_dataset(
        "https://data.example.gov/datasets/permits",
        "Building permits",
        Some("permits@city.test"),
        Some("Community Development"),
    );
    let steward = app
        .staff(
            "permits@city.test",
            "steward",
            Some("Community Development"),
        )
        .await;
    let earlier = app.submit_records_request().await;
    let repeat = app.submit_records_request().await;
    let access = app
        .submit(&access_request("https://data.example.gov/datasets/permits"))
        .await;
    let tn = repeat.tracking_number.as_str();
    let version = app.case(tn, &clerk).await["version"].clone();
    let before = app.counts();

    let refused = |body: serde_json::Value| {
        let mut body = body;
        body["version"] = version.clone();
        body
    };
    for (body, message) in [
        (json!({ "to": "duplicate" }), "give the tracking number"),
        (closing_into("  "), "give the tracking number"),
        (closing_into("RR-26-1"), "like RR-2026-00042"),
        (closing_into("RR-2026-99999"), "no request you can see"),
        (closing_into(tn), "cannot repeat itself"),
    ] {
        let reply = app.transition(tn, &clerk, refused(body.clone())).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{body}: {:?}",
            reply.body
        );
        assert_eq!(reply.field_errors(), ["duplicate_of"], "{body}");
        assert!(reply.body.to_string().contains(message), "{:?}", reply.body);
    }
    // A steward sees only their own queue: the Clerk's request is no one they know of, and
    // the answer is the same as for a number that does not exist.
    let access_version = app.case(&access.tracking_number, &steward).await["version"].clone();
    let unseen = app
        .transition(
            &access.tracking_number,
            &steward,
            json!({ "to": "duplicate", "duplicate_of": earlier.tracking_number, "version": access_version }),
        )
        .await;
    assert_eq!(unseen.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        unseen.body.to_string().contains("no request you can see"),
        "{:?}",
        unseen.body
    );
    // The requester cannot close their own request as a repeat: they withdraw it.
    let by_requester = app
        .transition(
            tn,
            &repeat.token,
            refused(closing_into(&earlier.tracking_number)),
        )
        .await;
    assert_eq!(
        by_requester.status,
        StatusCode::FORBIDDEN,
        "{:?}",
        by_requester.body
    );
    assert_eq!(app.counts(), before, "every refusal changed nothing");

    // A repeat of a repeat points to the request where the work happens.
    app.must_transition(tn, &clerk, closing_into(&earlier.tracking_number))
        .await;
    let third = app.submit_records_request().await;
    let version = app.case(&third.tracking_number, &clerk).await["version"].clone();
    let chained = app
        .transition(
            &third.tracking_number,
            &clerk,
            json!({ "to": "duplicate", "duplicate_of": tn, "version": version }),
        )
        .await;
    assert_eq!(chained.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        chained
            .body
            .to_string()
            .contains(&format!("repeat of {}", earlier.tracking_number)),
        "{:?}",
        chained.body
    );
    // A decided request is no repeat to close: the move is not there.
    app.must_transition(
        &earlier.tracking_number,
        &clerk,
        json!({ "to": "under_review" }),
    )
    .await;
    let denied = app
        .must_transition(&earlier.tracking_number, &clerk, denial())
        .await;
    let late = app
        .transition(
            &earlier.tracking_number,
            &clerk,
            json!({ "to": "duplicate", "duplicate_of": third.tracking_number, "version": denied["version"] }),
        )
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{:?}", late.body);
    assert!(late.body["allowed"].is_array(), "{:?}", late.body);
    assert!(
        !late.body["allowed"]
            .as_array()
            .unwrap()
            .contains(&json!("duplicate")),
        "{:?}",
        late.body
    );
}
