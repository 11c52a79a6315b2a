//! Two `serve` instances on one PostgreSQL and one object store, as behind a reverse proxy
//! (docs/DEPLOYMENT.md): the limits hold across both, a file stored through one downloads
//! through the other, and every notice goes out once.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;
use crate::smtp::SmtpSink;

/// A second instance on `first`'s database, object store and mail server, with a data folder
/// of its own (nothing on one machine's disk is seen by the other): its address.
async fn second_instance(first: &TestApp, data_dir: &std::path::Path) -> String {
    let mut settings = first.settings.clone();
    settings.server.bind = "127.0.0.1:0".into();
    settings.data_dir = data_dir.to_path_buf();
    let second = recordsdesk::startup::Application::build(&settings).expect("a second instance");
    let address = format!("http://127.0.0.1:{}", second.port());
    tokio::spawn(second.run_until_stopped());
    address
}

async fn sign_in(client: &reqwest::Client, base: &str, email: &str, password: &str) -> StatusCode {
    client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({ "email": email, "password": password }))
        .send()
        .await
        .unwrap()
        .status()
}

#[tokio::test]
async fn two_instances_share_limits_files_and_notices() {
    if backend() != Backend::Postgres {
        // One SQLite database belongs to one process (docs/DEPLOYMENT.md): there is no
        // second instance to share with.
        eprintln!("two instances run on PostgreSQL only; nothing to test on SQLite");
        return;
    }
    let sink = SmtpSink::start();
    let s3 = S3Server::start();
    let (smtp_url, bucket_settings) = (sink.url(), s3.clone());
    let first = spawn_app_with(move |s| {
        s.mail.dispatcher = true;
        s.mail.transport = "smtp".into();
        s.mail.smtp_url = smtp_url.into();
        s.mail.poll_milliseconds = 50;
        s.limits.submissions_per_minute = 4;
        s.limits.login_free_tries = 2;
        s.limits.login_delay_initial_milliseconds = 5_000;
        bucket_settings.configure(s);
    })
    .await;
    first.add_staff("clerk@city.test", "City Clerk", "clerk", None);
    let elsewhere = tempfile::tempdir().unwrap();
    let second = second_instance(&first, elsewhere.path()).await;
    let (base_one, base_two) = (first.url(""), second.clone());
    let client = &first.client;

    // Filings: four a minute from this address, whichever instance takes them.
    let file_at = |base: String| {
        let client = client.clone();
        async move {
            client
                .post(format!("{base}/api/v1/requests"))
                .json(&records_request())
                .send()
                .await
                .unwrap()
        }
    };
    let mut filed = Vec::new();
    for base in [&base_one, &base_two, &base_one, &base_two] {
        let answer = file_at(base.clone()).await;
        assert_eq!(answer.status(), StatusCode::CREATED);
        let body: serde_json::Value = answer.json().await.unwrap();
        filed.push(body["tracking_number"].as_str().unwrap().to_string());
    }
    for base in [&base_one, &base_two] {
        let answer = file_at(base.clone()).await;
        assert_eq!(
            answer.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "the fifth filing in a minute, at {base}"
        );
        assert!(answer.headers().contains_key("retry-after"));
    }
    assert_eq!(first.counts().requests, 4);

    // Sign-in: two free wrong tries counted across both instances, then a wait at either.
    let clerk = "clerk@city.test";
    assert_eq!(
        sign_in(client, &base_one, clerk, "guess").await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in(client, &base_two, clerk, "guess").await,
        StatusCode::UNAUTHORIZED
    );
    for base in [&base_one, &base_two] {
        assert_eq!(
            sign_in(client, base, clerk, PASSWORD).await,
            StatusCode::TOO_MANY_REQUESTS,
            "the third try, at {base}, comes too soon even with the right password"
        );
    }

    // A file stored through one instance downloads through the other, byte for byte.
    tokio::time::sleep(Duration::from_secs(5)).await;
    let token = first.login(clerk).await;
    let tn = &filed[0];
    let reply = client
        .post(format!("{base_one}/api/v1/requests/{tn}/transitions"))
        .bearer_auth(&token)
        .json(&json!({ "to": "under_review", "version": 1 }))
        .send()
        .await
        .unwrap();
    assert_eq!(
        reply.status(),
        StatusCode::OK,
        "{}",
        reply.text().await.unwrap()
    );
    let bytes: Vec<u8> = PDF
        .iter()
        .copied()
        .chain((0..300_000u32).map(|i| (i % 253) as u8))
        .collect();
    let stored = client
        .post(format!("{base_one}/api/v1/requests/{tn}/documents"))
        .bearer_auth(&token)
        .multipart(form("council-minutes.pdf", bytes.clone(), &[]))
        .send()
        .await
        .unwrap();
    assert_eq!(stored.status(), StatusCode::OK);
    let case: serde_json::Value = stored.json().await.unwrap();
    let document = &case["documents"][0];
    assert_eq!(document["sha256"], sha256(&bytes));
    let download = client
        .get(format!(
            "{base_two}/api/v1/requests/{tn}/documents/{}",
            document["id"]
        ))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(download.bytes().await.unwrap().to_vec(), bytes);
    assert!(
        !elsewhere
            .path()
            .join("files")
            .join(&sha256(&bytes)[..2])
            .exists()
            && !first
                .settings
                .data_dir
                .join("files")
                .join(&sha256(&bytes)[..2])
                .exists(),
        "the file is in the object store, on neither instance's disk"
    );
    assert!(
        s3.objects(&s3.bucket)
            .iter()
            .any(|key| key.ends_with(&sha256(&bytes))),
        "{:?}",
        s3.objects(&s3.bucket)
    );

    // Notices: each filing's acknowledgement and its notice to the Clerk, and the first
    // request's "taken up" letter, once each, though both instances' dispatchers ran.
    let mut expected: Vec<String> = filed
        .iter()
        .flat_map(|tn| [format!("{tn}.acknowledgement"), format!("{tn}.new_request")])
        .chain([format!("{tn}.accepted")])
        .collect();
    expected.sort();
    sink.wait_for(expected.len()).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    // A Message-ID is <tracking number.kind.random@domain>.
    let mut sent: Vec<String> = sink
        .messages()
        .iter()
        .map(|m| {
            let id = m["message_id"].as_str().unwrap().trim_start_matches('<');
            let (local, _domain) = id.split_once('@').unwrap();
            local.rsplit_once('.').unwrap().0.to_string()
        })
        .collect();
    sent.sort();
    assert_eq!(sent, expected, "every notice once, none twice");
}
