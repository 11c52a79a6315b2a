//! Releasing records (issue 8): staff attach files and links, release them, and the requester
//! downloads exactly the bytes the audit log names.

use reqwest::multipart::Form;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

impl TestApp {
    async fn upload(&self, tn: &str, token: &str, form: Form) -> Reply {
        let response = self
            .client
            .post(self.url(&format!("/api/v1/requests/{tn}/documents")))
            .bearer_auth(token)
            .multipart(form)
            .send()
            .await
            .expect("upload");
        let status = response.status();
        let text = response.text().await.unwrap();
        Reply {
            status,
            body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
        }
    }

    /// (status, bytes, headers) of a download through the API.
    async fn download(
        &self,
        tn: &str,
        id: i64,
        token: Option<&str>,
    ) -> (StatusCode, Vec<u8>, reqwest::header::HeaderMap) {
        let mut request = self
            .client
            .get(self.url(&format!("/api/v1/requests/{tn}/documents/{id}")));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("download");
        let (status, headers) = (response.status(), response.headers().clone());
        (status, response.bytes().await.unwrap().to_vec(), headers)
    }

    /// Files in the content-addressed store (not counting uploads in progress).
    fn stored_files(&self) -> Vec<std::path::PathBuf> {
        let root = self.settings.data_dir.join("files");
        let mut found = Vec::new();
        for dir in std::fs::read_dir(&root).unwrap().flatten() {
            if dir.file_name() == "tmp" {
                continue;
            }
            for file in std::fs::read_dir(dir.path()).unwrap().flatten() {
                found.push(file.path());
            }
        }
        found
    }

    fn in_progress(&self) -> usize {
        std::fs::read_dir(self.settings.data_dir.join("files").join("tmp"))
            .unwrap()
            .count()
    }

    fn document_rows(&self) -> i64 {
        use diesel::prelude::*;
        use recordsdesk::db::schema::documents;
        self.with_conn(|conn| documents::table.count().get_result(conn))
    }

    async fn audit_events(&self, tn: &str, staff: &str) -> Vec<Value> {
        let log = self
            .get(&format!("/api/v1/requests/{tn}/audit"), Some(staff))
            .await;
        assert_eq!(log.status, StatusCode::OK);
        log.body["events"].as_array().unwrap().clone()
    }
}

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

#[tokio::test]
async fn a_file_is_attached_released_and_downloaded_byte_for_byte_with_its_hash_in_the_audit_log() {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let bytes: Vec<u8> = PDF
        .iter()
        .copied()
        .chain((0..200_000u32).map(|i| (i % 251) as u8))
        .collect();
    let hash = sha256(&bytes);

    let attached = app
        .upload(
            tn,
            &clerk,
            form(
                "incident-log.pdf",
                bytes.clone(),
                &[
                    (
                        "redaction_note",
                        "Names of juveniles blacked out on pages 3–4.",
                    ),
                    ("exemption", "Gov. Code §7923.600"),
                ],
            ),
        )
        .await;
    assert_eq!(attached.status, StatusCode::OK, "{:?}", attached.body);
    let document = &attached.body["documents"][0];
    assert_eq!(document["title"], "incident-log.pdf");
    assert_eq!(document["sha256"], hash.as_str());
    assert_eq!(document["size_bytes"], bytes.len());
    assert_eq!(document["content_type"], "application/pdf");
    assert_eq!(document["released"], false);
    let id = document["id"].as_i64().unwrap();

    // Stored once, under its hash, and nothing left half-written.
    let stored = app.stored_files();
    assert_eq!(stored.len(), 1);
    assert!(stored[0].ends_with(format!("{}/{hash}", &hash[..2])));
    assert_eq!(std::fs::read(&stored[0]).unwrap(), bytes);
    assert_eq!(app.in_progress(), 0);

    // Before release the requester sees nothing, and cannot fetch it.
    let mine = app.case(tn, &filed.token).await;
    assert_eq!(mine["documents"], json!([]));
    assert!(
        !mine.to_string().contains("incident-log"),
        "not even in the timeline"
    );
    let (status, _, _) = app.download(tn, id, Some(&filed.token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Released as a partial release while under review; the requester is told.
    let released = app
        .post(
            &format!("/api/v1/requests/{tn}/release"),
            Some(&clerk),
            &json!({ "documents": [id] }),
        )
        .await;
    assert_eq!(released.status, StatusCode::OK, "{:?}", released.body);
    assert_eq!(released.body["documents"][0]["released"], true);
    let notices = app.notices(tn);
    let (_, recipient, message) = notices
        .iter()
        .find(|(n, _, _)| n == "records_released")
        .expect("a release notice");
    assert_eq!(recipient, &records_request()["requester"]["email"]);
    assert!(message["subject"]
        .as_str()
        .unwrap()
        .contains("Records released to you: 1 document"));
    let text = message["text"].as_str().unwrap();
    assert!(text.contains("incident-log.pdf (200.1 KB)"), "{text}");
    assert!(text.contains("private link"), "{text}");

    // The requester sees it with its note, and downloads the same bytes.
    let mine = app.case(tn, &filed.token).await;
    assert_eq!(mine["documents"][0]["title"], "incident-log.pdf");
    assert_eq!(
        mine["documents"][0]["redaction_note"],
        "Names of juveniles blacked out on pages 3–4."
    );
    assert_eq!(mine["documents"][0]["exemption"], "Gov. Code §7923.600");
    let (status, body, headers) = app.download(tn, id, Some(&filed.token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(sha256(&body), hash);
    assert_eq!(headers["content-type"], "application/pdf");
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(disposition.contains("incident-log.pdf"), "{disposition}");
    assert_eq!(
        headers["repr-digest"].to_str().unwrap(),
        format!(
            "sha-256=:{}:",
            base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                hex::decode(sha256(&bytes)).unwrap()
            )
        )
    );

    // Upload, release and download are in the chain, each naming the hash.
    let events = app.audit_events(tn, &clerk).await;
    let find = |action: &str| {
        events
            .iter()
            .find(|e| e["action"] == action)
            .unwrap_or_else(|| panic!("no {action} event"))
            .clone()
    };
    assert_eq!(find("document_added")["content"]["sha256"], hash.as_str());
    assert_eq!(
        find("documents_released")["content"]["documents"][0]["sha256"],
        hash.as_str()
    );
    let downloaded = find("document_downloaded");
    assert_eq!(downloaded["content"]["sha256"], hash.as_str());
    assert_eq!(downloaded["actor"], "requester");
    let verify = app.cli(&["audit", "verify"], None).await;
    assert!(verify.status.success(), "{verify:?}");
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(
        said.contains("1 stored files: each matches its hash"),
        "{said}"
    );

    // Bytes changed on disk behind the service's back: the check says which file.
    let mut altered = bytes.clone();
    altered[100] ^= 0xFF;
    std::fs::write(&stored[0], &altered).unwrap();
    let verify = app.cli(&["audit", "verify"], None).await;
    assert!(!verify.status.success());
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(
        said.contains(&format!("FILE {}", stored[0].display())),
        "{said}"
    );
    assert!(said.contains("holds other bytes now"), "{said}");
}

#[tokio::test]
async fn the_same_bytes_twice_are_stored_once_and_a_link_is_released_beside_them() {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    for name in ["first.pdf", "second.pdf"] {
        let reply = app.upload(tn, &clerk, form(name, PDF.to_vec(), &[])).await;
        assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    }
    assert_eq!(app.stored_files().len(), 1, "content-addressed: one copy");
    let link = app
        .post(
            &format!("/api/v1/requests/{tn}/links"),
            Some(&clerk),
            &json!({ "title": "Traffic counts 2025 (export)", "url": "https://data.cityofconcord.org/counts-2025.csv" }),
        )
        .await;
    assert_eq!(link.status, StatusCode::OK, "{:?}", link.body);
    let ids: Vec<i64> = link.body["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);

    app.must_transition(tn, &clerk, grant("The logs and the counts are released."))
        .await;
    let released = app
        .post(
            &format!("/api/v1/requests/{tn}/release"),
            Some(&clerk),
            &json!({ "documents": ids }),
        )
        .await;
    assert_eq!(released.status, StatusCode::OK, "{:?}", released.body);
    let mine = app.case(tn, &filed.token).await;
    let documents = mine["documents"].as_array().unwrap();
    assert_eq!(documents.len(), 3);
    assert_eq!(documents[2]["kind"], "link");
    assert_eq!(
        documents[2]["url"],
        "https://data.cityofconcord.org/counts-2025.csv"
    );
    let notice = app
        .notices(tn)
        .into_iter()
        .find(|(n, _, _)| n == "records_released")
        .unwrap();
    assert!(notice.2["subject"]
        .as_str()
        .unwrap()
        .contains("3 documents"));

    // Released twice: refused, and nothing more is sent.
    let again = app
        .post(
            &format!("/api/v1/requests/{tn}/release"),
            Some(&clerk),
            &json!({ "documents": ids }),
        )
        .await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.body["error"], "already_released");
}

#[tokio::test]
async fn an_oversized_upload_is_413_and_stores_nothing() {
    let app = spawn_app_with(|s| s.files.max_upload_megabytes = 1).await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = &filed.tracking_number;
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    let before = app.counts();
    let mut bytes = PDF.to_vec();
    bytes.resize(1024 * 1024 + 1, b'x');
    let reply = app.upload(tn, &clerk, form("big.pdf", bytes, &[])).await;
    assert_eq!(
        reply.status,
        StatusCode::PAYLOAD_TOO_LARGE,
        "{:?}",
        reply.body
    );
    assert_eq!(reply.body["error"], "too_large");
    // Far over the limit: refused from its Content-Length alone.
    let mut huge = PDF.to_vec();
    huge.resize(8 * 1024 * 1024, b'x');
    let reply = app.upload(tn, &clerk, form("huge.pdf", huge, &[])).await;
    assert_eq!(reply.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(app.stored_files().len(), 0);
    assert_eq!(app.in_progress(), 0);
    assert_eq!(app.document_rows(), 0);
    assert_eq!(app.counts(), before);
    // Exactly at the limit is fine.
    let mut limit = PDF.to_vec();
    limit.resize(1024 * 1024, b'x');
    let reply = app.upload(tn, &clerk, form("limit.pdf", limit, &[])).await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
}

#[tokio::test]
async fn files_of_other_types_or_posing_as_allowed_ones_are_422_and_store_nothing() {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let before = app.counts();
    for (name, bytes) in [
        ("setup.exe", b"MZ\x90\x00\x03".to_vec()),
        ("report.pdf", b"MZ\x90\x00\x03 not a pdf".to_vec()),
        ("page.html", b"<html><script>alert(1)</script>".to_vec()),
        (
            "image.svg",
            b"<svg xmlns='http://www.w3.org/2000/svg'/>".to_vec(),
        ),
        ("notes.txt", b"text\x00with a NUL".to_vec()),
        ("empty.pdf", Vec::new()),
    ] {
        let reply = app.upload(tn, &clerk, form(name, bytes, &[])).await;
        assert_eq!(
            reply.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{name}: {:?}",
            reply.body
        );
        assert_eq!(reply.field_errors(), ["file"], "{name}");
    }
    // No file at all, or not multipart.
    let reply = app
        .upload(tn, &clerk, Form::new().text("redaction_note", "x"))
        .await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    let reply = app
        .client
        .post(app.url(&format!("/api/v1/requests/{tn}/documents")))
        .bearer_auth(&clerk)
        .json(&json!({ "file": "x" }))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Multipart without a boundary, or with a body that is not multipart at all: a clear
    // refusal (schemathesis found the server dropping the connection on the first).
    for body in ["", "not a multipart body"] {
        let reply = app
            .client
            .post(app.url(&format!("/api/v1/requests/{tn}/documents")))
            .bearer_auth(&clerk)
            .header("Content-Type", "multipart/form-data")
            .body(body)
            .send()
            .await
            .expect("an answer, not a dropped connection");
        assert_eq!(reply.status(), StatusCode::BAD_REQUEST, "{body:?}");
    }
    assert_eq!(app.stored_files().len(), 0);
    assert_eq!(app.in_progress(), 0);
    assert_eq!(app.document_rows(), 0);
    assert_eq!(app.counts(), before);
}

#[tokio::test]
async fn a_name_with_folders_or_control_characters_is_stored_under_its_hash_and_shown_clean() {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let reply = app
        .upload(
            tn,
            &clerk,
            form(
                "../..\\etc/pass\twd\u{85}\u{9b}\u{202E}fdp.pdf",
                PDF.to_vec(),
                &[],
            ),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{:?}", reply.body);
    assert_eq!(reply.body["documents"][0]["title"], "passwdfdp.pdf");
    let stored = app.stored_files();
    assert_eq!(stored.len(), 1);
    assert_eq!(
        stored[0].file_name().unwrap().to_str().unwrap(),
        sha256(PDF)
    );
    assert!(!app.settings.data_dir.join("etc").exists());

    // A raw control character that HTTP does not allow in a header at all: the form cannot be
    // read, and nothing is kept.
    let reply = app
        .upload(tn, &clerk, form("bell\u{7}.pdf", PDF.to_vec(), &[]))
        .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST, "{:?}", reply.body);
    assert_eq!(app.document_rows(), 1);
    assert_eq!(app.in_progress(), 0);
}

#[tokio::test]
async fn only_the_requester_of_a_released_file_and_staff_can_download_it() {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let other = app.submit_records_request().await;
    let attached = app
        .upload(tn, &clerk, form("a.pdf", PDF.to_vec(), &[]))
        .await;
    let id = attached.body["documents"][0]["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/requests/{tn}/release"),
        Some(&clerk),
        &json!({ "documents": [id] }),
    )
    .await;
    let before = app.counts();
    for (token, expected) in [
        (None, StatusCode::UNAUTHORIZED),
        (Some(other.token.as_str()), StatusCode::NOT_FOUND),
        (Some("rdr_not-a-real-token"), StatusCode::NOT_FOUND),
    ] {
        let (status, body, _) = app.download(tn, id, token).await;
        assert_eq!(status, expected);
        assert!(!body.starts_with(b"%PDF"));
    }
    // Someone else's document id under this request, or no such id: nothing.
    for bad in [id + 1, 0, -1] {
        let (status, _, _) = app.download(tn, bad, Some(&filed.token)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{bad}");
    }
    assert_eq!(app.counts(), before, "refusals write no audit events");
    let (status, body, _) = app.download(tn, id, Some(&clerk)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, PDF);
}

#[tokio::test]
async fn documents_are_refused_where_the_state_or_the_caller_does_not_allow_them() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let reviewer = app.staff("reviewer@city.test", "reviewer", None).await;
    let filed = app.submit_records_request().await;
    let tn = &filed.tracking_number;
    let attached = app
        .upload(tn, &clerk, form("a.pdf", PDF.to_vec(), &[]))
        .await;
    assert_eq!(attached.status, StatusCode::OK, "prepared while submitted");
    let id = attached.body["documents"][0]["id"].as_i64().unwrap();
    let release = |token: String| {
        let app = &app;
        async move {
            app.post(
                &format!("/api/v1/requests/{tn}/release"),
                Some(&token),
                &json!({ "documents": [id] }),
            )
            .await
        }
    };
    let early = release(clerk.clone()).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "not yet under review");
    assert_eq!(early.body["error"], "not_releasable");
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    assert_eq!(
        release(reviewer.clone()).await.status,
        StatusCode::FORBIDDEN
    );
    let requester = release(filed.token.clone()).await;
    assert_eq!(requester.status, StatusCode::FORBIDDEN, "staff only");
    let none = app
        .post(
            &format!("/api/v1/requests/{tn}/release"),
            Some(&clerk),
            &json!({ "documents": [] }),
        )
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = app
        .post(
            &format!("/api/v1/requests/{tn}/release"),
            Some(&clerk),
            &json!({ "documents": [id + 100] }),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    app.must_transition(tn, &clerk, denial()).await;
    let after_denial = app
        .upload(tn, &clerk, form("b.pdf", PDF.to_vec(), &[]))
        .await;
    assert_eq!(after_denial.status, StatusCode::CONFLICT);
    assert_eq!(release(clerk.clone()).await.status, StatusCode::CONFLICT);
    let bad_link = app
        .post(
            &format!("/api/v1/requests/{tn}/links"),
            Some(&clerk),
            &json!({ "title": "x", "url": "javascript:alert(1)" }),
        )
        .await;
    assert_eq!(bad_link.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_link.field_errors(), ["url"]);
}

#[tokio::test]
async fn on_the_pages_staff_attach_and_release_and_the_requester_downloads_with_their_link() {
    let (app, _clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let staff = app.signed_in_pages("clerk@city.test").await;
    let case = page_text(&staff, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(case.contains("Attach a file"), "{case}");
    let csrf = csrf_in(&case);
    let bytes = b"name,count\nOak,12\nMaple,7\n".to_vec();

    // Without the form's token: refused, nothing kept.
    let forged = staff
        .post(app.url(&format!("/staff/requests/{tn}/documents")))
        .multipart(form("trees.csv", bytes.clone(), &[("csrf", "forged")]))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.document_rows(), 0);
    assert_eq!(app.in_progress(), 0);

    // A type not allowed: the case page again, saying why.
    let refused = staff
        .post(app.url(&format!("/staff/requests/{tn}/documents")))
        .multipart(form("macro.xlsm", bytes.clone(), &[("csrf", &csrf)]))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = refused.text().await.unwrap();
    assert!(page.contains("cannot be attached"), "{page}");

    let attached = staff
        .post(app.url(&format!("/staff/requests/{tn}/documents")))
        .multipart(form(
            "trees.csv",
            bytes.clone(),
            &[
                ("csrf", &csrf),
                ("redaction_note", "Addresses removed."),
                ("exemption", "7927.705"),
            ],
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(attached.status(), StatusCode::SEE_OTHER);
    let case = page_text(&staff, app.url(&format!("/staff/requests/{tn}"))).await;
    assert!(case.contains("The file is attached"), "flash: {case}");
    assert!(case.contains(&sha256(&bytes)), "the hash is shown");
    let id = app.case(tn, &app.login("clerk@city.test").await).await["documents"][0]["id"]
        .as_i64()
        .unwrap();

    let released = staff
        .post(app.url(&format!("/staff/requests/{tn}/release")))
        .form(&[("csrf", csrf.as_str()), (&format!("release_{id}"), "on")])
        .send()
        .await
        .unwrap();
    assert_eq!(released.status(), StatusCode::SEE_OTHER);

    // The requester opens their private link and downloads the same bytes.
    let browser = page_client();
    let opened = browser
        .get(app.url(&format!("/requests/{tn}?token={}", filed.token)))
        .send()
        .await
        .unwrap();
    assert_eq!(opened.status(), StatusCode::SEE_OTHER);
    let tracking = page_text(&browser, app.url(&format!("/requests/{tn}"))).await;
    assert!(tracking.contains("Records released to you"), "{tracking}");
    assert!(tracking.contains("Addresses removed."));
    let link = format!("/requests/{tn}/documents/{id}");
    assert!(tracking.contains(&link), "{tracking}");
    let download = browser.get(app.url(&link)).send().await.unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(
        download.headers()["content-type"],
        "text/csv; charset=utf-8"
    );
    assert_eq!(download.bytes().await.unwrap().to_vec(), bytes);

    // Another browser without the link gets nothing.
    let stranger = page_client().get(app.url(&link)).send().await.unwrap();
    assert_eq!(stranger.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_document_is_fixed_once_attached_and_a_table_changed_behind_the_chain_is_caught() {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let first = app
        .upload(tn, &clerk, form("a.pdf", PDF.to_vec(), &[]))
        .await;
    let other_pdf = b"%PDF-1.7\nanother document\n".to_vec();
    app.upload(tn, &clerk, form("b.pdf", other_pdf.clone(), &[]))
        .await;
    let id = first.body["documents"][0]["id"].as_i64().unwrap();
    let swap = format!(
        "UPDATE documents SET sha256 = '{}' WHERE id = {id}",
        sha256(&other_pdf)
    );
    let refused = app.sql(&swap).unwrap_err();
    assert!(refused.contains("fixed once attached"), "{refused}");
    assert!(app
        .sql(&format!("DELETE FROM documents WHERE id = {id}"))
        .is_err());

    // Someone with the database drops the guard and points the document at other bytes.
    let drop_guard = match backend() {
        Backend::Sqlite => "DROP TRIGGER documents_fixed",
        Backend::Postgres => "DROP TRIGGER documents_fixed ON documents",
    };
    app.sql(drop_guard).unwrap();
    app.sql(&swap).unwrap();
    let verify = app.cli(&["audit", "verify"], None).await;
    assert!(!verify.status.success());
    let said = String::from_utf8_lossy(&verify.stdout);
    assert!(
        said.contains(&format!(
            "DOCUMENT {tn} document {id}: its file hash or address differs"
        )),
        "{said}"
    );
}

#[tokio::test]
async fn a_document_of_another_request_is_not_reached_through_this_one() {
    let (app, clerk, filed) = under_review().await;
    let other = app.submit_records_request().await;
    app.must_transition(
        &other.tracking_number,
        &clerk,
        json!({ "to": "under_review" }),
    )
    .await;
    let theirs = app
        .upload(
            &other.tracking_number,
            &clerk,
            form("theirs.pdf", PDF.to_vec(), &[]),
        )
        .await;
    let id = theirs.body["documents"][0]["id"].as_i64().unwrap();
    app.post(
        &format!("/api/v1/requests/{}/release", other.tracking_number),
        Some(&clerk),
        &json!({ "documents": [id] }),
    )
    .await;
    // Released on the other request; asked for under this one, with this one's token.
    let (status, _, _) = app
        .download(&filed.tracking_number, id, Some(&filed.token))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = app.download(&filed.tracking_number, id, Some(&clerk)).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "staff too: it is not this request's"
    );
}

#[tokio::test]
async fn a_partial_download_is_recorded_with_its_range_and_an_answer_without_bytes_is_not() {
    let (app, clerk, filed) = under_review().await;
    let tn = &filed.tracking_number;
    let attached = app
        .upload(tn, &clerk, form("a.pdf", PDF.to_vec(), &[]))
        .await;
    let id = attached.body["documents"][0]["id"].as_i64().unwrap();
    let url = app.url(&format!("/api/v1/requests/{tn}/documents/{id}"));
    let part = app
        .client
        .get(&url)
        .bearer_auth(&clerk)
        .header("range", "bytes=0-7")
        .send()
        .await
        .unwrap();
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes().await.unwrap().as_ref(), &PDF[..8]);
    let again = app
        .client
        .get(&url)
        .bearer_auth(&clerk)
        .header("if-modified-since", "Fri, 01 Jan 2100 00:00:00 GMT")
        .header("if-none-match", "*")
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    let whole = app.download(tn, id, Some(&clerk)).await;
    assert_eq!(whole.1, PDF);
    let events = app.audit_events(tn, &clerk).await;
    let downloads: Vec<&Value> = events
        .iter()
        .filter(|e| e["action"] == "document_downloaded")
        .collect();
    assert_eq!(
        downloads.len(),
        2,
        "the 304 sent no bytes and is not recorded"
    );
    assert_eq!(downloads[0]["content"]["range"], "bytes=0-7");
    assert_eq!(downloads[1]["content"]["range"], Value::Null);
}
