//! Text that looks like markup or SQL is the requester's words: stored exactly as typed, read
//! back exactly through the API, and shown as text on every page and in every email.

use diesel::prelude::*;
use recordsdesk::db::schema::{messages, requests};
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

const SCRIPT: &str = "<script>alert('x')</script>";
const IMAGE: &str = "\"><img src=x onerror=alert(1)>";
const SQL: &str = "Robert'); DROP TABLE requests;--";

/// Every form of a payload that would run or inject if it reached a page unescaped.
fn raw_markup_in(page: &str) -> Vec<&'static str> {
    ["<script>alert", "<img src=x", "onerror=alert(1)>"]
        .into_iter()
        .filter(|raw| page.contains(raw))
        .collect()
}

/// A page, with the two spellings of an escaped angle bracket made one.
async fn page(client: &reqwest::Client, url: String) -> String {
    let response = client.get(&url).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{url}");
    one_spelling(&response.text().await.unwrap())
}

fn one_spelling(html: &str) -> String {
    html.replace("&#60;", "&lt;").replace("&#62;", "&gt;")
}

#[tokio::test]
async fn markup_and_sql_are_stored_verbatim_and_shown_as_text_on_every_page_and_in_every_email() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let name = format!("<b>{SQL}</b>");
    let description = format!("{SCRIPT}\n{IMAGE}\n{SQL}");
    let mut body = records_request();
    body["requester"]["name"] = json!(name);
    body["requester"]["organization"] = json!(IMAGE);
    body["description"] = json!(description);
    body["preferred_format"] = json!(SCRIPT);
    let filed = app.submit(&body).await;
    let tn = filed.tracking_number.as_str();

    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let asked = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&clerk),
            &json!({ "body": format!("Staff asks: {IMAGE}") }),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK);
    let answered = app
        .post(
            &format!("/api/v1/requests/{tn}/messages"),
            Some(&filed.token),
            &json!({ "body": format!("Requester answers: {SCRIPT} {SQL}") }),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK);
    let mut refusal = denial();
    refusal["reason"] = json!(format!("Withheld: {SCRIPT}"));
    app.must_transition(tn, &clerk, refusal).await;

    // Verbatim through the API and in the database: nothing escaped, stripped or executed.
    let case = app.case(tn, &filed.token).await;
    assert_eq!(case["description"], description.as_str());
    assert_eq!(case["requester"]["name"], name.as_str());
    assert_eq!(case["requester"]["organization"], IMAGE);
    assert_eq!(case["preferred_format"], SCRIPT);
    let (stored_description, stored_messages) = app.with_conn(|conn| {
        let description: String = requests::table
            .filter(requests::tracking_number.eq(tn))
            .select(requests::description)
            .first(conn)?;
        let bodies: Vec<String> = messages::table
            .order(messages::id)
            .select(messages::body)
            .load(conn)?;
        Ok((description, bodies))
    });
    assert_eq!(stored_description, description);
    assert_eq!(
        stored_messages,
        [
            format!("Staff asks: {IMAGE}"),
            format!("Requester answers: {SCRIPT} {SQL}")
        ]
    );
    assert_eq!(app.counts().requests, 1, "the table is still there");

    // The requester's private page.
    let requester = requester_browser(&app, &filed).await;
    let tracking = page(&requester, app.url(&format!("/requests/{tn}"))).await;
    assert!(tracking.contains("&lt;script&gt;"), "shown as text");
    assert!(tracking.contains("Withheld:"));
    assert_eq!(
        raw_markup_in(&tracking),
        Vec::<&str>::new(),
        "tracking page"
    );

    // The staff pages: queue, case, export.
    let staff = app.signed_in_pages("clerk@city.test").await;
    for path in [
        "/staff/queue?status=denied",
        &format!("/staff/requests/{tn}"),
    ] {
        let shown = page(&staff, app.url(path)).await;
        assert!(shown.contains("&lt;b&gt;Robert"), "{path} shows the name");
        assert_eq!(raw_markup_in(&shown), Vec::<&str>::new(), "{path}");
    }
    let export = staff
        .get(app.url(&format!("/staff/requests/{tn}/export.json")))
        .send()
        .await
        .unwrap();
    assert_eq!(export.status(), StatusCode::OK);
    assert!(export.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(export.headers()["x-content-type-options"], "nosniff");

    // Every email: the plain text says what was typed; the HTML part escapes it; the
    // subject carries none of it.
    let notices = app.notices(tn);
    assert!(notices.len() >= 4, "{notices:?}");
    for (kind, _, payload) in &notices {
        let html = payload["html"].as_str().unwrap();
        assert_eq!(raw_markup_in(html), Vec::<&str>::new(), "{kind} (HTML)");
        let subject = payload["subject"].as_str().unwrap();
        assert!(
            !subject.contains('<') && !subject.contains('\n'),
            "{kind}: {subject}"
        );
    }
    let denied = notices
        .iter()
        .find(|(kind, recipient, _)| kind == "denied" && recipient == "jane@example.com")
        .expect("the denial notice");
    assert!(denied.2["text"]
        .as_str()
        .unwrap()
        .contains(&format!("Withheld: {SCRIPT}")));
    assert!(one_spelling(denied.2["html"].as_str().unwrap()).contains("Withheld: &lt;script&gt;"));
}
