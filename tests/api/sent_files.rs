//! Files from requesters (issue 18; docs/PRODUCT.md, "Files from requesters"): a requester
//! sends a file with a message through the API or the tracking page; it is checked and stored
//! like staff uploads, its audit event carries its SHA-256, and staff who can see the request
//! download the same bytes.

use reqwest::multipart::Form;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

impl TestApp {
    async fn send_file(&self, tn: &str, token: &str, form: Form) -> Reply {
        let response = self
            .client
            .post(self.url(&format!("/api/v1/requests/{tn}/files")))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("send a file");
        let status = response.status();
        let text = response.text().await.unwrap();
        Reply {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        }
    }

    async fn fetch(&self, path: &str, token: &str) -> (StatusCode, Vec<u8>) {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .expect("download");
        let status = response.status();
        (status, response.bytes().await.unwrap().to_vec())
    }

    fn sent_file_rows(&self) -> i64 {
        use diesel::prelude::*;
        use recordsdesk::db::schema::requester_files;
        self.with_conn(|conn| requester_files::table.count().get_result(conn))
    }

    /// Files in the content-addressed store, not counting uploads in progress.
    fn stored_count(&self) -> usize {
        let root = self.settings.data_dir.join("files");
        std::fs::read_dir(&root)
            .unwrap()
            .flatten()
            .filter(|dir| dir.file_name() != "tmp")
            .map(|dir| std::fs::read_dir(dir.path()).unwrap().count())
            .sum()
    }
}

#[tokio::test]
async fn a_requester_sends_a_file_with_a_message_and_staff_download_the_same_bytes() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let other = app.submit_records_request().await;

    let sent = app
        .send_file(
            tn,
            &filed.token,
            form(
                "Site plan (2026).pdf",
                PDF.to_vec(),
                &[("body", "The plan the permit refers to.")],
            ),
        )
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{:?}", sent.body);
    let message = sent.body["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(message["from"], "requester");
    assert_eq!(message["body"], "The plan the permit refers to.");
    let file = &message["files"][0];
    assert_eq!(file["title"], "Site plan (2026).pdf");
    assert_eq!(file["sha256"], sha256(PDF));
    assert_eq!(file["content_type"], "application/pdf");
    assert_eq!(file["size_bytes"], PDF.len());
    let url = file["download_url"].as_str().unwrap().to_string();

    // The requester and the clerk get the same bytes; another request's token gets nothing.
    assert_eq!(
        app.fetch(&url, &filed.token).await,
        (StatusCode::OK, PDF.to_vec())
    );
    assert_eq!(
        app.fetch(&url, &clerk).await,
        (StatusCode::OK, PDF.to_vec())
    );
    assert_eq!(app.fetch(&url, &other.token).await.0, StatusCode::NOT_FOUND);
    let through_other = url.replace(tn, &other.tracking_number);
    assert_eq!(
        app.fetch(&through_other, &other.token).await.0,
        StatusCode::NOT_FOUND,
        "a file is reached only through its own request"
    );

    // The audit event names the file by hash; staff are told a file came.
    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerk))
        .await;
    let event = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "message")
        .expect("a message event")
        .clone();
    assert_eq!(event["content"]["files"][0]["sha256"], sha256(PDF));
    let (_, _, notice) = app
        .notices(tn)
        .into_iter()
        .find(|(kind, ..)| kind == "requester_message")
        .expect("staff hear of it");
    assert!(
        notice["text"]
            .as_str()
            .unwrap()
            .contains("Site plan (2026).pdf"),
        "{notice}"
    );

    // A file alone, without words, is a message too.
    let alone = app
        .send_file(
            tn,
            &filed.token,
            form("photo.png", b"\x89PNG\r\n\x1a\n0000".to_vec(), &[]),
        )
        .await;
    assert_eq!(alone.status, StatusCode::OK, "{:?}", alone.body);
    let last = alone.body["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["body"], "");
    assert_eq!(last["files"][0]["content_type"], "image/png");

    // The log, the files table and the stored bytes agree.
    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
    // Renamed, or pointed at other bytes, behind the service's back: each is named.
    let swapped = sha256(b"other bytes");
    let changes = format!(
        "UPDATE requester_files SET title = 'other.pdf' WHERE id = 1; \
         UPDATE requester_files SET sha256 = '{swapped}' WHERE id = 2;"
    );
    app.sql(&format!(
        "DROP TRIGGER IF EXISTS requester_files_fixed; {changes}"
    ))
    .or_else(|_| {
        app.sql(&format!(
            "ALTER TABLE requester_files DISABLE TRIGGER requester_files_fixed; {changes}"
        ))
    })
    .expect("change the files behind the service's back");
    let broken = app.cli(&["audit", "verify"], None).await;
    let stdout = String::from_utf8_lossy(&broken.stdout);
    assert_eq!(broken.status.code(), Some(1), "{stdout}");
    assert!(
        stdout.contains("file from the requester 1: its name differs"),
        "{stdout}"
    );
    assert!(
        stdout.contains("file from the requester 2: its file hash differs"),
        "{stdout}"
    );
}

#[tokio::test]
async fn a_refused_file_is_a_clear_4xx_and_keeps_nothing() {
    let app = spawn_app_with(|s| s.files.max_upload_megabytes = 1).await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let stranger = app.submit_records_request().await;
    let before = app.counts();

    let cases: Vec<(Form, StatusCode, &str)> = vec![
        (
            form("macro.xlsm", PDF.to_vec(), &[]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
        ),
        (
            form("fake.pdf", b"MZ\x90\x00 not a pdf".to_vec(), &[]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
        ),
        (
            form("empty.pdf", vec![], &[]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
        ),
        (
            Form::new().text("body", "No file here"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "file",
        ),
        (
            form("plan.pdf", PDF.to_vec(), &[("version", "3")]),
            StatusCode::UNPROCESSABLE_ENTITY,
            "version",
        ),
        (
            form(
                "big.pdf",
                {
                    let mut big = PDF.to_vec();
                    big.resize(1024 * 1024 + 1, b'x');
                    big
                },
                &[],
            ),
            StatusCode::PAYLOAD_TOO_LARGE,
            "",
        ),
    ];
    for (body, status, field) in cases {
        let reply = app.send_file(tn, &filed.token, body).await;
        assert_eq!(reply.status, status, "{:?}", reply.body);
        if !field.is_empty() {
            assert_eq!(reply.field_errors(), [field], "{:?}", reply.body);
        }
    }
    // Not multipart at all.
    let json_body = app
        .post(
            &format!("/api/v1/requests/{tn}/files"),
            Some(&filed.token),
            &json!({ "body": "hi" }),
        )
        .await;
    assert_eq!(json_body.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Staff attach documents instead; nobody without the request's token gets in.
    let by_staff = app
        .send_file(tn, &clerk, form("plan.pdf", PDF.to_vec(), &[]))
        .await;
    assert_eq!(
        by_staff.status,
        StatusCode::FORBIDDEN,
        "{:?}",
        by_staff.body
    );
    let not_theirs = app
        .send_file(tn, &stranger.token, form("plan.pdf", PDF.to_vec(), &[]))
        .await;
    assert_eq!(not_theirs.status, StatusCode::NOT_FOUND);
    assert_eq!(app.counts(), before, "every refusal changed nothing");
    assert_eq!(app.sent_file_rows(), 0);
    assert_eq!(app.stored_count(), 0, "nothing refused is kept");

    // A withdrawn request takes no more files.
    app.must_transition(tn, &filed.token, json!({ "to": "withdrawn" }))
        .await;
    let late = app
        .send_file(tn, &filed.token, form("plan.pdf", PDF.to_vec(), &[]))
        .await;
    assert_eq!(late.status, StatusCode::CONFLICT, "{:?}", late.body);
    assert_eq!(app.sent_file_rows(), 0);
}

#[tokio::test]
async fn on_the_tracking_page_a_requester_sends_a_file_and_sees_it_listed() {
    let app = spawn_app().await;
    app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let client = requester_browser(&app, &filed).await;
    let page = page_text(&client, app.url(&format!("/requests/{tn}"))).await;
    assert!(page.contains("Send us a file"), "{page}");
    let csrf = csrf_in(&page);

    // A refused type is said beside the file field, with the words typed kept.
    let refused = client
        .post(app.url(&format!("/requests/{tn}/files")))
        .multipart(form(
            "run.exe",
            b"MZ\x90\x00".to_vec(),
            &[("csrf", &csrf), ("file_message", "A program")],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let refused = refused.text().await.unwrap();
    assert!(refused.contains("id=\"file-error\""), "{refused}");
    assert!(
        refused.contains("files of this type cannot be attached"),
        "{refused}"
    );
    assert!(refused.contains(">A program</textarea>"), "{refused}");

    let sent = client
        .post(app.url(&format!("/requests/{tn}/files")))
        .multipart(form(
            "receipts.csv",
            b"date,amount\n2026-03-02,12.50\n".to_vec(),
            &[("csrf", &csrf), ("file_message", "Receipts for March.")],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let page = page_text(&client, app.url(&format!("/requests/{tn}"))).await;
    assert!(page.contains("Your file was sent."), "{page}");
    assert!(page.contains("Receipts for March."), "{page}");
    assert!(
        page.contains(&format!("href=\"/requests/{tn}/files/1\"")),
        "{page}"
    );
    let bytes = client
        .get(app.url(&format!("/requests/{tn}/files/1")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(&bytes[..], b"date,amount\n2026-03-02,12.50\n");

    // A forged form is refused and keeps nothing.
    let forged = client
        .post(app.url(&format!("/requests/{tn}/files")))
        .multipart(form("more.csv", b"a,b\n".to_vec(), &[("csrf", "forged")]))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.sent_file_rows(), 1);

    // Staff see it on the case page and download it there.
    let staff = app.signed_in_pages("clerk@city.test").await;
    let case = page_text(&staff, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(
        case.contains(&format!("href=\"/staff/requests/{tn}/files/1\"")),
        "{case}"
    );
    let staff_bytes = staff
        .get(app.url(&format!("/staff/requests/{tn}/files/1")))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(staff_bytes, bytes);
}
