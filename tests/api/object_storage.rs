//! Files kept in an S3-compatible bucket (`files.backend = "s3"`), against a real S3 server
//! (s3s-fs, `helpers::S3Server`): stored under their hash and nowhere else, downloaded whole
//! and in part, released to the requester, stored once, checked by `audit verify`, and
//! refused over the limit leaving nothing behind.

use reqwest::multipart::Form;
use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

const BUCKET: &str = "records";

/// An app keeping its files in a bucket of `server`, and a records request under review:
/// (app, clerk token, filed).
async fn under_review_with(
    server: &S3Server,
    tweak: impl FnOnce(&mut recordsdesk::config::Settings),
) -> (TestApp, String, Filed) {
    server.create_bucket(BUCKET);
    let app = spawn_app_with(|settings| {
        server.use_bucket(settings, BUCKET);
        tweak(settings);
    })
    .await;
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

async fn upload(app: &TestApp, tn: &str, token: &str, form: Form) -> (StatusCode, Value) {
    let response = app
        .client
        .post(app.url(&format!("/api/v1/requests/{tn}/documents")))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .expect("upload");
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn download(
    app: &TestApp,
    tn: &str,
    id: i64,
    token: &str,
    range: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client
        .get(app.url(&format!("/api/v1/requests/{tn}/documents/{id}")))
        .bearer_auth(token);
    if let Some(range) = range {
        request = request.header("range", range);
    }
    request.send().await.expect("download")
}

/// Files kept under `<data_dir>/files` (not counting uploads in progress in `tmp`).
fn files_on_disk(app: &TestApp) -> Vec<std::path::PathBuf> {
    let root = app.settings.data_dir.join("files");
    let mut found = Vec::new();
    for dir in std::fs::read_dir(&root).into_iter().flatten().flatten() {
        if dir.file_name() == "tmp" {
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
            continue;
        }
        found.push(dir.path());
    }
    found
}

async fn audit_verify(app: &TestApp, server: &S3Server) -> (bool, String) {
    let output = app
        .cli_with(
            &app.database_url,
            &["audit", "verify"],
            None,
            &server.env(BUCKET),
        )
        .await;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), said)
}

#[tokio::test]
async fn a_document_is_kept_in_the_bucket_under_its_hash_downloaded_whole_and_in_part_and_verified()
{
    let server = S3Server::start();
    let (app, clerk, filed) = under_review_with(&server, |_| {}).await;
    let tn = &filed.tracking_number;
    let bytes: Vec<u8> = PDF
        .iter()
        .copied()
        .chain((0..300_000u32).map(|i| (i % 251) as u8))
        .collect();
    let hash = sha256(&bytes);
    let key = format!("files/{}/{hash}", &hash[..2]);

    let (status, body) = upload(&app, tn, &clerk, form("log.pdf", bytes.clone(), &[])).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    assert_eq!(body["documents"][0]["sha256"], hash.as_str());
    let id = body["documents"][0]["id"].as_i64().unwrap();

    // In the bucket under its hash, and not in the data folder.
    assert_eq!(server.objects(BUCKET), vec![key.clone()]);
    assert_eq!(
        std::fs::read(server.object_file(BUCKET, &key)).unwrap(),
        bytes
    );
    assert_eq!(files_on_disk(&app), Vec::<std::path::PathBuf>::new());

    // The same bytes again: one object.
    let (status, body) = upload(&app, tn, &clerk, form("copy.pdf", bytes.clone(), &[])).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    assert_eq!(server.objects(BUCKET), vec![key.clone()]);

    // Staff download it whole, with the headers a download from the folder has.
    let whole = download(&app, tn, id, &clerk, None).await;
    assert_eq!(whole.status(), StatusCode::OK);
    let headers = whole.headers().clone();
    assert_eq!(headers["content-type"], "application/pdf");
    assert_eq!(headers["content-length"], bytes.len().to_string().as_str());
    let disposition = headers["content-disposition"].to_str().unwrap();
    assert!(disposition.starts_with("attachment"), "{disposition}");
    assert!(disposition.contains("log.pdf"), "{disposition}");
    assert_eq!(headers["cache-control"], "private, no-store");
    assert_eq!(
        headers["repr-digest"].to_str().unwrap(),
        format!(
            "sha-256=:{}:",
            base64::Engine::encode(
                &base64::engine::general_purpose::STANDARD,
                hex::decode(&hash).unwrap()
            )
        )
    );
    assert_eq!(whole.bytes().await.unwrap().as_ref(), bytes.as_slice());

    // A range: 206 and exactly those bytes.
    let part = download(&app, tn, id, &clerk, Some("bytes=1000-1999")).await;
    assert_eq!(part.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        part.headers()["content-range"],
        format!("bytes 1000-1999/{}", bytes.len()).as_str()
    );
    assert_eq!(part.bytes().await.unwrap().as_ref(), &bytes[1000..2000]);
    let tail = download(&app, tn, id, &clerk, Some("bytes=-10")).await;
    assert_eq!(tail.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        tail.bytes().await.unwrap().as_ref(),
        &bytes[bytes.len() - 10..]
    );
    let beyond = download(&app, tn, id, &clerk, Some("bytes=999999999-")).await;
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);

    // Conditional requests: the hash is the ETag; a browser that has these bytes gets 304,
    // and a range asked "if still these bytes" of other bytes gets the whole file.
    let conditional = |name: &'static str, value: String, range: Option<&'static str>| {
        let mut request = app
            .client
            .get(app.url(&format!("/api/v1/requests/{tn}/documents/{id}")))
            .bearer_auth(&clerk)
            .header(name, value);
        if let Some(range) = range {
            request = request.header("range", range);
        }
        request.send()
    };
    let etag = format!("\"{hash}\"");
    let unchanged = conditional("if-none-match", etag.clone(), None)
        .await
        .unwrap();
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);
    assert!(unchanged.bytes().await.unwrap().is_empty());
    let changed = conditional("if-none-match", "\"other\"".into(), None)
        .await
        .unwrap();
    assert_eq!(changed.status(), StatusCode::OK);
    assert_eq!(changed.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let same = conditional("if-range", etag, Some("bytes=0-9"))
        .await
        .unwrap();
    assert_eq!(same.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(same.bytes().await.unwrap().as_ref(), &bytes[..10]);
    let other = conditional("if-range", "\"other\"".into(), Some("bytes=0-9"))
        .await
        .unwrap();
    assert_eq!(
        other.status(),
        StatusCode::OK,
        "other bytes: the whole file"
    );
    assert_eq!(other.bytes().await.unwrap().len(), bytes.len());

    // Released, the requester downloads the same bytes through their link.
    let released = app
        .post(
            &format!("/api/v1/requests/{tn}/release"),
            Some(&clerk),
            &json!({ "documents": [id] }),
        )
        .await;
    assert_eq!(released.status, StatusCode::OK, "{:?}", released.body);
    let mine = download(&app, tn, id, &filed.token, None).await;
    assert_eq!(mine.status(), StatusCode::OK);
    assert_eq!(sha256(&mine.bytes().await.unwrap()), hash);
    // The release checks (and the reading of its text, in the background) read the file
    // from a download, gone once read.
    let tmp = app.settings.data_dir.join("files").join("tmp");
    for _ in 0..100 {
        if std::fs::read_dir(&tmp).unwrap().count() == 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert_eq!(files_on_disk(&app), Vec::<std::path::PathBuf>::new());

    // `audit verify` re-hashes the object...
    let (held, said) = audit_verify(&app, &server).await;
    assert!(held, "{said}");
    assert!(
        said.contains("1 stored files: each matches its hash"),
        "{said}"
    );

    // ...and names it once its bytes are changed in the bucket behind the service's back.
    let mut altered = bytes.clone();
    altered[100] ^= 0xFF;
    std::fs::write(server.object_file(BUCKET, &key), &altered).unwrap();
    let (held, said) = audit_verify(&app, &server).await;
    assert!(!held, "{said}");
    assert!(
        said.contains(&format!("FILE s3://{BUCKET}/{key} holds other bytes now")),
        "{said}"
    );

    // Gone from the bucket: the download fails plainly (and is logged).
    std::fs::remove_file(server.object_file(BUCKET, &key)).unwrap();
    let missing = download(&app, tn, id, &filed.token, None).await;
    assert_eq!(missing.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

#[tokio::test]
async fn a_file_over_the_limit_is_413_and_leaves_nothing_in_the_bucket_one_within_it_goes_up_in_parts(
) {
    let server = S3Server::start();
    let (app, clerk, filed) =
        under_review_with(&server, |s| s.files.max_upload_megabytes = 10).await;
    let tn = &filed.tracking_number;

    let mut over = PDF.to_vec();
    over.resize(10 * 1024 * 1024 + 1, b'x');
    let (status, body) = upload(&app, tn, &clerk, form("big.pdf", over, &[])).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body:?}");
    assert_eq!(body["error"], "too_large");
    assert_eq!(server.objects(BUCKET), Vec::<String>::new());
    assert_eq!(files_on_disk(&app), Vec::<std::path::PathBuf>::new());

    // Larger than one part (8 MiB): uploaded in parts, and whole.
    let within: Vec<u8> = PDF
        .iter()
        .copied()
        .chain((0..9 * 1024 * 1024u32).map(|i| (i % 253) as u8))
        .collect();
    let hash = sha256(&within);
    let (status, body) = upload(&app, tn, &clerk, form("large.pdf", within.clone(), &[])).await;
    assert_eq!(status, StatusCode::OK, "{body:?}");
    let key = format!("files/{}/{hash}", &hash[..2]);
    assert_eq!(server.objects(BUCKET), vec![key.clone()]);
    assert_eq!(
        sha256(&std::fs::read(server.object_file(BUCKET, &key)).unwrap()),
        hash
    );
    let id = body["documents"][0]["id"].as_i64().unwrap();
    let whole = download(&app, tn, id, &clerk, None).await;
    assert_eq!(whole.status(), StatusCode::OK);
    assert_eq!(sha256(&whole.bytes().await.unwrap()), hash);

    // The store itself, as the hourly sweep and `backup` use it (from this async test's
    // thread, as from any): a file no document names goes once old enough, a named one never.
    let store = recordsdesk::blobs::BlobStore::open_bucket(
        &app.settings.data_dir.join("files"),
        app.settings.files.max_upload_bytes(),
        &app.settings.files.s3,
    )
    .expect("the bucket answers");
    let mut writer = store.begin().unwrap();
    writer.write(b"nobody names this").unwrap();
    let orphan = store.commit(writer).unwrap().sha256;
    assert_eq!(store.stored().unwrap().len(), 2);
    let copy = store.local_file(&orphan).unwrap();
    assert_eq!(std::fs::read(copy.path()).unwrap(), b"nobody names this");
    drop(copy);
    assert_eq!(files_on_disk(&app), Vec::<std::path::PathBuf>::new());
    let named: std::collections::HashSet<String> = [hash.clone()].into();
    let hour = std::time::Duration::from_secs(3600);
    assert_eq!(store.sweep_unnamed(&named, hour).unwrap(), 0, "too young");
    assert_eq!(
        store
            .sweep_unnamed(&named, std::time::Duration::ZERO)
            .unwrap(),
        1
    );
    assert_eq!(store.stored().unwrap(), vec![hash.clone()]);
    assert_eq!(server.objects(BUCKET), vec![key]);
    assert_eq!(store.check(&hash), Ok(()));
}
