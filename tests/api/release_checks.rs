//! Release checks (issue 24, part 3): before a document is released, it is checked for what
//! it would give away by accident; what is found must be confirmed, and the confirmation is
//! audited. Each released document is private to the requester or public, chosen per document.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::release_files::{pdf, xlsx_with_hidden_sheet};

/// A records request taken up by the clerk: (app, clerk token, filed).
async fn under_review() -> (TestApp, String, Filed) {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    app.must_transition(
        &filed.tracking_number,
        &clerk,
        json!({ "to": "under_review" }),
    )
    .await;
    (app, clerk, filed)
}

/// Attaches a file through the API; answers its document id.
async fn attach(app: &TestApp, tn: &str, clerk: &str, name: &str, bytes: Vec<u8>) -> i64 {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/requests/{tn}/documents")))
        .bearer_auth(clerk)
        .multipart(form(name, bytes, &[]))
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), StatusCode::OK, "{name}");
    let body: Value = response.json().await.unwrap();
    let documents = body["documents"].as_array().unwrap();
    documents.last().unwrap()["id"].as_i64().unwrap()
}

async fn release(app: &TestApp, tn: &str, clerk: &str, body: Value) -> Reply {
    app.post(
        &format!("/api/v1/requests/{tn}/release"),
        Some(clerk),
        &body,
    )
    .await
}

fn released_notices(app: &TestApp, tn: &str) -> usize {
    app.notices(tn)
        .iter()
        .filter(|(n, _, _)| n == "records_released")
        .count()
}

#[tokio::test]
async fn a_hidden_sheet_refuses_the_release_with_409_until_confirmed_and_the_confirmation_is_audited(
) {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let id = attach(&app, tn, &clerk, "salaries.xlsx", xlsx_with_hidden_sheet()).await;

    let refused = release(&app, tn, &clerk, json!({ "documents": [id] })).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    assert_eq!(refused.body["error"], "release_findings");
    let found = &refused.body["findings"][0];
    assert_eq!(found["document_id"], id);
    assert_eq!(found["title"], "salaries.xlsx");
    assert_eq!(found["findings"][0]["code"], "hidden_sheet");
    assert_eq!(
        found["findings"][0]["words"],
        "Sheet \"Salaries\" is hidden"
    );

    // Nothing changed: the requester sees nothing and is told nothing.
    let mine = app.case(tn, &filed.token).await;
    assert_eq!(mine["documents"], json!([]));
    assert_eq!(released_notices(&app, tn), 0);
    let theirs = app.case(tn, &clerk).await;
    assert_eq!(theirs["documents"][0]["released"], false);

    // Confirmed: released to the requester only (no `public`), the findings in the chain.
    let done = release(
        &app,
        tn,
        &clerk,
        json!({ "documents": [id], "confirm_findings": true }),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    assert_eq!(done.body["documents"][0]["released"], true);
    assert_eq!(done.body["documents"][0]["public"], false);
    assert_eq!(released_notices(&app, tn), 1);
    let mine = app.case(tn, &filed.token).await;
    assert_eq!(mine["documents"][0]["title"], "salaries.xlsx");

    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let events = log.body["events"].as_array().unwrap();
    let event = events
        .iter()
        .find(|e| e["action"] == "documents_released")
        .expect("a release event");
    let content = &event["content"];
    assert_eq!(content["documents"][0]["public"], false);
    assert_eq!(
        content["confirmed_findings"],
        json!([{ "document_id": id, "code": "hidden_sheet", "words": "Sheet \"Salaries\" is hidden" }])
    );
    let verify = app.cli(&["audit", "verify"], None).await;
    assert!(verify.status.success(), "{verify:?}");
}

#[tokio::test]
async fn a_clean_pdf_releases_without_a_confirmation() {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let id = attach(
        &app,
        tn,
        &clerk,
        "budget.pdf",
        pdf("Public works budget", false),
    )
    .await;
    let done = release(&app, tn, &clerk, json!({ "documents": [id] })).await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let event = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "documents_released")
        .cloned()
        .expect("a release event");
    assert!(
        event["content"].get("confirmed_findings").is_none(),
        "{event}"
    );
}

#[tokio::test]
async fn a_pdf_with_text_under_a_black_box_is_caught_with_the_words_it_hides() {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let clean = attach(&app, tn, &clerk, "cover.pdf", pdf("Cover letter", false)).await;
    let boxed = attach(
        &app,
        tn,
        &clerk,
        "report.pdf",
        pdf("SSN 123-45-6789 of the officer", true),
    )
    .await;
    let refused = release(&app, tn, &clerk, json!({ "documents": [clean, boxed] })).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{:?}", refused.body);
    let findings = refused.body["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "only the document with something in it");
    assert_eq!(findings[0]["document_id"], boxed);
    assert_eq!(findings[0]["findings"][0]["code"], "text_under_box");
    assert_eq!(
        findings[0]["findings"][0]["words"],
        "Text under a black box on page 1: ‘SSN 123-45-6789 of the…’"
    );
    // Neither was released: the release is one step.
    assert_eq!(app.case(tn, &filed.token).await["documents"], json!([]));
}

#[tokio::test]
async fn a_public_document_is_in_the_reading_room_and_a_private_one_is_not() {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let open = attach(&app, tn, &clerk, "open-budget.pdf", pdf("Budget", false)).await;
    let closed = attach(
        &app,
        tn,
        &clerk,
        "their-letter.pdf",
        pdf("Dear Clerk", false),
    )
    .await;
    app.must_transition(tn, &clerk, grant("Released in full."))
        .await;

    // `public` may name only documents being released.
    let stray = release(
        &app,
        tn,
        &clerk,
        json!({ "documents": [open], "public": [closed] }),
    )
    .await;
    assert_eq!(stray.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stray.field_errors(), ["public"]);

    let done = release(
        &app,
        tn,
        &clerk,
        json!({ "documents": [open, closed], "public": [open] }),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    let public: Vec<(Value, Value)> = done.body["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["title"].clone(), d["public"].clone()))
        .collect();
    assert_eq!(
        public,
        [
            (json!("open-budget.pdf"), json!(true)),
            (json!("their-letter.pdf"), json!(false))
        ]
    );
    // The requester has both.
    let mine = app.case(tn, &filed.token).await;
    assert_eq!(mine["documents"].as_array().unwrap().len(), 2);

    let published = app
        .post(
            &format!("/api/v1/requests/{tn}/publication"),
            Some(&clerk),
            &json!({ "action": "publish" }),
        )
        .await;
    assert_eq!(published.status, StatusCode::OK, "{:?}", published.body);
    let item = app
        .client
        .get(app.url(&format!("/reading-room/{tn}")))
        .send()
        .await
        .unwrap();
    assert_eq!(item.status(), StatusCode::OK);
    let item = item.text().await.unwrap();
    assert!(item.contains("open-budget.pdf"), "{item}");
    assert!(!item.contains("their-letter.pdf"), "{item}");
    let file = |id: i64| app.url(&format!("/reading-room/{tn}/documents/{id}"));
    let served = app.client.get(file(open)).send().await.unwrap();
    assert_eq!(served.status(), StatusCode::OK);
    let refused = app.client.get(file(closed)).send().await.unwrap();
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_staff_page_shows_the_findings_and_refuses_without_the_checkbox() {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let id = attach(&app, tn, &clerk, "salaries.xlsx", xlsx_with_hidden_sheet()).await;
    let staff = app.signed_in_pages("clerk@city.test").await;
    let case = page_text(&staff, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(case.contains(&format!("name=\"public_{id}\"")), "{case}");
    let csrf = csrf_in(&case);
    let release_field = format!("release_{id}");
    let public_field = format!("public_{id}");

    // From the case page: the check page, with what was found beside the document.
    let checked = staff
        .post(app.url(&format!("/staff/requests/{tn}/release")))
        .form(&[("csrf", csrf.as_str()), (release_field.as_str(), "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(checked.status(), StatusCode::CONFLICT);
    let page = checked.text().await.unwrap();
    assert!(
        page.contains("Check the documents before you release them"),
        "{page}"
    );
    assert!(page.contains("Salaries"), "{page}");
    assert!(page.contains("I have checked these and want to release anyway"));
    assert!(
        !page.contains("There is a problem"),
        "no error before it is asked"
    );

    // Sent from the check page without the box ticked: refused, said at the top and beside it.
    let unconfirmed = staff
        .post(app.url(&format!("/staff/requests/{tn}/release")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("checked", "yes"),
            (release_field.as_str(), "on"),
            (public_field.as_str(), "requester"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(unconfirmed.status(), StatusCode::CONFLICT);
    let page = unconfirmed.text().await.unwrap();
    assert!(page.contains("There is a problem"), "{page}");
    assert!(page.contains("Confirm that you have checked what was found"));
    assert_eq!(app.case(tn, &filed.token).await["documents"], json!([]));
    assert_eq!(released_notices(&app, tn), 0);

    // Ticked: released, back to the case page.
    let confirmed = staff
        .post(app.url(&format!("/staff/requests/{tn}/release")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("checked", "yes"),
            (release_field.as_str(), "on"),
            (public_field.as_str(), "on"),
            ("confirm_findings", "on"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    let theirs = app.case(tn, &clerk).await;
    assert_eq!(theirs["documents"][0]["released"], true);
    assert_eq!(theirs["documents"][0]["public"], true);
    let case = page_text(&staff, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(case.contains("Released, public"), "{case}");
}

#[tokio::test]
async fn the_contract_documents_the_findings_a_refused_release_lists() {
    let app = spawn_app().await;
    let spec = app.get("/openapi.json", None).await.body;
    let schemas = &spec["components"]["schemas"];
    assert!(
        schemas["DocumentFindingsBody"]["properties"]["findings"].is_object(),
        "{}",
        schemas["ErrorBody"]
    );
    assert!(schemas["FindingBody"]["properties"]["code"].is_object());
    let release = &schemas["ReleaseBody"]["properties"];
    assert!(release["public"].is_object() && release["confirm_findings"].is_object());
    assert!(schemas["DocumentView"]["properties"]["public"].is_object());
}

#[tokio::test]
async fn a_private_document_made_public_behind_the_chain_is_caught_by_audit_verify() {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let id = attach(
        &app,
        tn,
        &clerk,
        "budget.pdf",
        pdf("Public works budget", false),
    )
    .await;
    let done = release(&app, tn, &clerk, json!({ "documents": [id] })).await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
    let verify = app.cli(&["audit", "verify"], None).await;
    assert!(verify.status.success(), "{verify:?}");
    // Someone with the database drops the guard and publishes the requester's document.
    let drop_guard = match backend() {
        Backend::Sqlite => "DROP TRIGGER documents_fixed",
        Backend::Postgres => "DROP TRIGGER documents_fixed ON documents",
    };
    app.sql(drop_guard).unwrap();
    app.sql(&format!("UPDATE documents SET public = 1 WHERE id = {id}"))
        .unwrap();
    let verify = app.cli(&["audit", "verify"], None).await;
    assert!(!verify.status.success());
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(
        said.contains(&format!(
            "{tn} document {id}: it is marked public or private otherwise than its \
             documents_released event says"
        )),
        "{said}"
    );
}
