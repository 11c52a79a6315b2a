//! Text in any script, at its limits: stored and shown exactly as sent, counted in characters
//! (not bytes), refused one character over the limit with a 422 naming the field.

use reqwest::StatusCode;
use serde_json::{json, Value};

use diesel::prelude::*;
use recordsdesk::db::schema::{requesters, requests};

use crate::bad_input::{assert_fields, cookies, post_form};
use crate::helpers::*;

const ARABIC_NAME: &str = "مَرْيَم الحُسَيْني";
const HEBREW_ORGANIZATION: &str = "עיריית קונקורד — ועדת השקיפות";
/// Right-to-left and left-to-right mixed, a decomposed and a precomposed é, emoji with skin
/// tone, joiners and a flag, a bidi override, CJK, CRLF and a tab.
const MIXED: &str = "Police logs — سجلات الشرطة — רישומי משטרה.\nCafe\u{301} or Café; 👩🏽‍⚖️ 🇺🇸 1️⃣; \u{200f}\u{202e}fdp.exe\u{202c}; 字字字\r\n\ttabbed";

#[tokio::test]
async fn names_and_text_in_any_script_are_stored_and_read_back_exactly() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app
        .submit(&json!({
            "kind": "public_records",
            "requester": {
                "name": ARABIC_NAME,
                "email": "maryam@example.com",
                "organization": HEBREW_ORGANIZATION,
            },
            "description": MIXED,
            "preferred_format": "PDF/A — ملف",
        }))
        .await;
    let tn = &filed.tracking_number;
    let message = "תודה! شكراً 🙏🏾";
    let reply = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&filed.token),
            &json!({ "body": message }),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    for token in [&filed.token, &clerk] {
        let case = app.case(tn, token).await;
        assert_eq!(case["requester"]["name"], ARABIC_NAME);
        assert_eq!(case["requester"]["organization"], HEBREW_ORGANIZATION);
        assert_eq!(case["description"], MIXED);
        assert_eq!(case["preferred_format"], "PDF/A — ملف");
        assert_eq!(case["messages"][0]["body"], message);
    }
    let audit = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let text = serde_json::to_string(&audit.body).unwrap();
    // The chain keeps the same characters (JSON-escaped where JSON escapes them).
    assert!(text.contains(ARABIC_NAME), "{text}");
    assert!(
        text.contains(&serde_json::to_string(MIXED).unwrap()),
        "{text}"
    );
}

#[tokio::test]
async fn the_tracking_page_shows_right_to_left_text_and_emoji_exactly_and_markup_as_text() {
    let app = spawn_app().await;
    let mut body = records_request();
    let description = "<script>alert(1)</script> & שלום 👋🏽 مرحبا بكم e\u{301}";
    body["description"] = json!(description);
    let filed = app.submit(&body).await;
    let tn = &filed.tracking_number;
    let message = "رسالة — הודעה 🌳";
    app.post(
        &format!("/api/v1/requests/{tn}/messages"),
        Some(&filed.token),
        &json!({ "body": message }),
    )
    .await;

    let browser = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let link = browser
        .get(app.url(&format!("/requests/{tn}?token={}", filed.token)))
        .send()
        .await
        .unwrap();
    assert_eq!(link.status(), StatusCode::SEE_OTHER);
    let page = browser
        .get(app.url(&format!("/requests/{tn}")))
        .header("cookie", cookies(&link))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let page = page.text().await.unwrap();
    assert!(page.contains("שלום 👋🏽 مرحبا بكم e\u{301}"), "{page}");
    assert!(page.contains(message), "{page}");
    assert!(
        page.contains("&#60;script&#62;alert(1)&#60;/script&#62; &#38;")
            || page.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp;"),
        "{page}"
    );
    assert!(
        !page.contains("<script>"),
        "markup from a requester is never markup"
    );
}

#[tokio::test]
async fn a_request_filed_through_the_form_keeps_right_to_left_text_exactly() {
    let app = spawn_app().await;
    let fields = serde_urlencoded::to_string([
        ("kind", "public_records"),
        ("name", ARABIC_NAME),
        ("email", "maryam@example.com"),
        ("organization", HEBREW_ORGANIZATION),
        ("description", MIXED),
    ])
    .unwrap();
    let (status, page) = post_form(&app, fields.as_bytes()).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{page}");
    let stored: (Option<String>, Option<String>, String) = app.with_conn(|conn| {
        requests::table
            .inner_join(requesters::table)
            .select((
                requesters::name,
                requesters::organization,
                requests::description,
            ))
            .first(conn)
    });
    assert_eq!(
        stored,
        (
            Some(ARABIC_NAME.into()),
            Some(HEBREW_ORGANIZATION.into()),
            MIXED.into()
        )
    );
}

/// `n` characters cycling through `sample`.
fn chars(n: usize, sample: &str) -> String {
    sample.chars().cycle().take(n).collect()
}

/// Files `body` with `value` at `pointer` (the same place in the answer), at the limit and one
/// over; the first is stored exactly, the second refused naming `field`.
async fn limit_holds(
    app: &TestApp,
    body: &Value,
    pointer: &str,
    field: &str,
    at: String,
    over: String,
) {
    let mut taken = body.clone();
    *taken.pointer_mut(pointer).unwrap() = json!(at);
    let reply = app.post("/api/v1/requests", None, &taken).await;
    assert_eq!(
        reply.status,
        StatusCode::CREATED,
        "{field} at its limit: {:?}",
        reply.body
    );
    let token = reply.body["access_token"].as_str().unwrap();
    let tn = reply.body["tracking_number"].as_str().unwrap();
    let case = app.case(tn, token).await;
    assert_eq!(
        case.pointer(pointer).unwrap(),
        &json!(at),
        "{field} is stored exactly"
    );

    let before = app.counts();
    let mut refused = body.clone();
    *refused.pointer_mut(pointer).unwrap() = json!(over);
    let reply = app.post("/api/v1/requests", None, &refused).await;
    assert_fields(&reply, &[field]);
    let count = over.chars().count();
    assert!(
        reply.body["fields"][field][0]
            .as_str()
            .unwrap()
            .contains(&count.to_string()),
        "{field}: the message says how long it is: {:?}",
        reply.body
    );
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn each_submission_field_takes_its_limit_in_characters_of_any_width_and_refuses_one_more() {
    let app = spawn_app().await;
    let dataset_id = chars(200, "ds-é字");
    app.add_dataset(&dataset_id, "Street trees", None, Some("Parks"));
    let mut records = records_request();
    records["requester"]["organization"] = json!("ACME");
    let mut access = access_request(&dataset_id);
    access["preferred_format"] = json!("CSV");

    let cases: [(&Value, &str, &str, usize, &str); 9] = [
        (&records, "/requester/name", "requester.name", 200, "مَر😀"),
        (
            &records,
            "/requester/organization",
            "requester.organization",
            200,
            "עי字",
        ),
        (&records, "/description", "description", 10_000, "😀"),
        // Combining marks are characters of their own: "é" written as e + ◌́ counts two.
        (&records, "/description", "description", 10_000, "e\u{301}"),
        (&records, "/description", "description", 10_000, "a\r\n\t"),
        (&access, "/fields_needed", "fields_needed", 5_000, "字é"),
        (&access, "/intended_use", "intended_use", 5_000, "😀"),
        (&access, "/preferred_format", "preferred_format", 100, "ملف"),
        (
            &records,
            "/requester/phone",
            "requester.phone",
            40,
            "1234567890",
        ),
    ];
    for (body, pointer, field, limit, sample) in cases {
        // Text is trimmed: each ends in a visible character, so trimming leaves its length.
        let at = format!("{}x", chars(limit - 1, sample));
        let over = format!("{}x", chars(limit, sample));
        limit_holds(&app, body, pointer, field, at, over).await;
    }
    limit_holds(
        &app,
        &access,
        "/dataset_id",
        "dataset_id",
        dataset_id.clone(),
        format!("{dataset_id}x"),
    )
    .await;

    // 64 + 1 + 189 = 254: the longest address there can be.
    let domain = format!(
        "{}.{}.{}.org",
        "b".repeat(63),
        "c".repeat(63),
        "d".repeat(57)
    );
    let email = format!("{}@{domain}", "a".repeat(64));
    assert_eq!(email.len(), 254);
    let mut taken = records.clone();
    taken["requester"]["email"] = json!(email);
    assert_eq!(
        app.post("/api/v1/requests", None, &taken).await.status,
        StatusCode::CREATED
    );
    taken["requester"]["email"] = json!(email.replace("@b", "@bb"));
    assert_fields(
        &app.post("/api/v1/requests", None, &taken).await,
        &["requester.email"],
    );
}

#[tokio::test]
async fn messages_decisions_grounds_and_withheld_items_take_their_limit_and_refuse_one_more() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = &filed.tracking_number;
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    // Three bytes a character: 20,000 of them is 60,000 bytes, within the 64 KiB body limit.
    let long = |n: usize| format!("{}x", chars(n - 1, "字"));

    let path = format!("/api/v1/requests/{tn}/messages");
    let before = app.counts();
    let over = app
        .post(&path, Some(&clerk), &json!({ "body": long(20_001) }))
        .await;
    assert_fields(&over, &["body"]);
    assert_eq!(app.counts(), before);
    let at = app
        .post(&path, Some(&clerk), &json!({ "body": long(20_000) }))
        .await;
    assert_eq!(at.status, StatusCode::OK, "{:?}", at.body);
    assert_eq!(at.body["messages"][0]["body"], long(20_000));

    let version = app.case(tn, &clerk).await["version"].clone();
    let denial = |reason: String, item: String, name: String| {
        json!({
            "to": "denied", "version": version, "reason": reason,
            "withheld": [{ "item": item, "exemption": "7923.600", "reason": "Open case." }],
            "responsible": [{ "name": name, "title": "Deputy City Clerk" }],
            "segregability": "Nothing can be separated.",
        })
    };
    let before = app.counts();
    for (body, field) in [
        (denial(long(20_001), long(300), long(200)), "reason"),
        (
            denial(long(20_000), long(301), long(200)),
            "withheld[0].item",
        ),
        (denial(long(20_000), long(300), long(201)), "responsible[0]"),
    ] {
        assert_fields(&app.transition(tn, &clerk, body).await, &[field]);
    }
    assert_eq!(app.counts(), before);
    let denied = app
        .transition(tn, &clerk, denial(long(20_000), long(300), long(200)))
        .await;
    assert_eq!(denied.status, StatusCode::OK, "{:?}", denied.body);

    let appeal = format!("/api/v1/requests/{tn}/appeal");
    let version = denied.body["version"].clone();
    let over = app
        .post(
            &appeal,
            Some(&filed.token),
            &json!({ "grounds": long(20_001), "version": version }),
        )
        .await;
    assert_fields(&over, &["grounds"]);
    let at = app
        .post(
            &appeal,
            Some(&filed.token),
            &json!({ "grounds": long(20_000), "version": version }),
        )
        .await;
    assert_eq!(at.status, StatusCode::OK, "{:?}", at.body);
    assert_eq!(at.body["appeal_grounds"], long(20_000));
}
