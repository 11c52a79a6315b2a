//! The reading room's search reads released files' text, and its archive exports whole
//! (issue 24; docs/PRODUCT.md, "Reading room"): a word only inside a released PDF or CSV finds
//! the item; a PDF whose text cannot be read is published without it, and staff are told; the
//! export lists every published item and its documents, never the requester.

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

/// A one-page PDF whose page shows `text` in Helvetica.
fn pdf_saying(text: &str) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font", "Subtype" => "Type1", "BaseFont" => "Helvetica",
    });
    let content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 12.into()]),
            Operation::new("Td", vec![72.into(), 700.into()]),
            Operation::new("Tj", vec![Object::string_literal(text)]),
            Operation::new("ET", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(dictionary! {}, content.encode().unwrap()));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page", "Parent" => pages_id, "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages", "Kids" => vec![page_id.into()], "Count" => 1,
            "Resources" => dictionary! { "Font" => dictionary! { "F1" => font_id } },
            "MediaBox" => vec![0.into(), 0.into(), 612.into(), 792.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog_id);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

/// A granted records request with `files` attached and released: (app, clerk, tn, ids).
async fn released_with(files: Vec<(&str, Vec<u8>)>) -> (TestApp, String, String, Vec<i64>) {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let mut ids = Vec::new();
    for (name, bytes) in files {
        let response = app
            .client
            .post(app.url(&format!("/api/v1/requests/{tn}/documents")))
            .bearer_auth(&clerk)
            .multipart(form(name, bytes, &[]))
            .send()
            .await
            .expect("upload");
        assert_eq!(response.status(), StatusCode::OK, "{name}");
        let body: Value = response.json().await.unwrap();
        let docs = body["documents"].as_array().unwrap();
        ids.push(docs.last().unwrap()["id"].as_i64().unwrap());
    }
    app.must_transition(&tn, &clerk, grant("Released in full."))
        .await;
    let release = app
        .post(
            &format!("/api/v1/requests/{tn}/release"),
            Some(&clerk),
            &json!({ "documents": ids, "public": ids, "confirm_findings": true }),
        )
        .await;
    assert_eq!(release.status, StatusCode::OK, "{:?}", release.body);
    (app, clerk, tn, ids)
}

async fn publish(app: &TestApp, clerk: &str, tn: &str, summary: &str) {
    let done = app
        .post(
            &format!("/api/v1/requests/{tn}/publication"),
            Some(clerk),
            &json!({ "action": "publish", "summary": summary }),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{:?}", done.body);
}

async fn found(app: &TestApp, words: &str) -> i64 {
    let q = serde_urlencoded::to_string([("q", words)]).unwrap();
    let reply = app.get(&format!("/api/v1/reading-room?{q}"), None).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    reply.body["total"].as_i64().unwrap()
}

/// `found`, once the background reading of the released files' text has caught up: it
/// starts when the release commits and the release does not wait for it.
async fn found_once_read(app: &TestApp, words: &str, expected: i64) {
    for _ in 0..100 {
        if found(app, words).await == expected {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(found(app, words).await, expected, "{words}");
}

/// The staff page of the item's publication, once no file's text is waiting to be read.
async fn publication_page(app: &TestApp, tn: &str) -> String {
    let browser = app.signed_in_pages("clerk@city.test").await;
    let url = app.url(&format!("/staff/requests/{tn}/publication"));
    let mut page = page_text(&browser, url.clone()).await;
    for _ in 0..100 {
        if !page.contains("has not been read yet") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        page = page_text(&browser, url.clone()).await;
    }
    page
}

async fn get_text(app: &TestApp, path: &str) -> (StatusCode, String, String) {
    let response = app.client.get(app.url(path)).send().await.expect("GET");
    let status = response.status();
    let kind = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    (status, kind, response.text().await.unwrap())
}

#[tokio::test]
async fn words_inside_released_pdf_and_csv_files_find_the_item_until_it_is_withdrawn() {
    let (app, clerk, tn, _) = released_with(vec![
        (
            "inspection.pdf",
            pdf_saying("Culvert inspection at Pine Hollow, Tuesday"),
        ),
        (
            "hydrants.csv",
            b"street,condition\nWillow Pass Road,Hydrant needs paint\n".to_vec(),
        ),
    ])
    .await;
    publish(&app, &clerk, &tn, "Public works records, March 2026.").await;
    // Words only inside the files' text, in any case or accent.
    found_once_read(&app, "culvert", 1).await;
    found_once_read(&app, "willow", 1).await;
    assert_eq!(found(&app, "PINE hollow").await, 1);
    assert_eq!(found(&app, "hydrant willow").await, 1);
    // Every word must be found; a word nowhere finds nothing.
    assert_eq!(found(&app, "culvert aqueduct").await, 0);
    // A word that begins a longer one finds it.
    assert_eq!(found(&app, "hydr insp").await, 1);
    // The description the summary replaced is not searched: only what the page shows.
    assert_eq!(found(&app, "incident").await, 0);
    // The staff page says each file's text is searched.
    let page = publication_page(&app, &tn).await;
    assert!(page.contains("Its text is searched"), "{page}");
    // Withdrawn, nothing finds it any more.
    let withdrawn = app
        .post(
            &format!("/api/v1/requests/{tn}/publication"),
            Some(&clerk),
            &json!({ "action": "withdraw", "reason": "Published in error." }),
        )
        .await;
    assert_eq!(withdrawn.status, StatusCode::OK, "{:?}", withdrawn.body);
    assert_eq!(found(&app, "culvert").await, 0);
    assert_eq!(found(&app, "public works").await, 0);
}

#[tokio::test]
async fn a_pdf_whose_text_cannot_be_read_is_published_without_it_and_staff_are_told() {
    // A PDF by its first bytes and name, but broken inside.
    let broken = b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\n%%EOF".to_vec();
    let (app, clerk, tn, ids) = released_with(vec![("scanned-permits.pdf", broken)]).await;
    publish(&app, &clerk, &tn, "Building permits for Galindo Street.").await;
    let (status, _, item) = get_text(&app, &format!("/reading-room/{tn}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(item.contains("scanned-permits.pdf"), "{item}");
    let (status, _, _) = get_text(&app, &format!("/reading-room/{tn}/documents/{}", ids[0])).await;
    assert_eq!(status, StatusCode::OK);
    // Its title and the summary still find it.
    found_once_read(&app, "galindo", 1).await;
    assert_eq!(found(&app, "scanned permits").await, 1);
    let page = publication_page(&app, &tn).await;
    assert!(
        page.contains("Its text could not be read") && page.contains("published without its text"),
        "{page}"
    );
}

#[tokio::test]
async fn the_archive_exports_as_json_and_csv_without_the_requester() {
    let (app, clerk, tn, ids) = released_with(vec![(
        "council-minutes.txt",
        b"Minutes of the council meeting.".to_vec(),
    )])
    .await;
    // A summary a spreadsheet would read as a formula.
    publish(&app, &clerk, &tn, "=HYPERLINK(\"x\") council minutes").await;

    let (status, kind, body) = get_text(&app, "/reading-room/export.json").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("application/json"), "{kind}");
    let export: Value = serde_json::from_str(&body).unwrap();
    let items = export["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(item["tracking_number"], tn.as_str());
    assert_eq!(item["outcome"], "granted");
    assert!(item["url"]
        .as_str()
        .unwrap()
        .ends_with(&format!("/reading-room/{tn}")));
    let document = &item["documents"][0];
    assert_eq!(document["title"], "council-minutes.txt");
    assert_eq!(document["kind"], "file");
    assert_eq!(
        document["sha256"],
        sha256(b"Minutes of the council meeting.").as_str()
    );
    let url = document["url"].as_str().unwrap();
    assert!(
        url.ends_with(&format!("/reading-room/{tn}/documents/{}", ids[0])),
        "{url}"
    );
    // The requester is nowhere in it.
    assert!(!body.contains("@example.com"), "{body}");

    let (status, kind, items_csv) = get_text(&app, "/reading-room/export.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.starts_with("text/csv"), "{kind}");
    let mut reader = csv::Reader::from_reader(items_csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(&headers[0], "tracking_number");
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], tn.as_str());
    let summary = headers.iter().position(|h| h == "summary").unwrap();
    assert_eq!(&rows[0][summary], "'=HYPERLINK(\"x\") council minutes");
    assert!(!items_csv.contains("@example.com"));

    let (status, _, documents_csv) = get_text(&app, "/reading-room/export-documents.csv").await;
    assert_eq!(status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(documents_csv.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1);
    assert_eq!(&rows[0][0], tn.as_str());
    assert_eq!(&rows[0][2], "council-minutes.txt");
}
