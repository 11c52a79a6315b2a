//! The command line, run as a user would run it.

use crate::helpers::*;
use diesel::prelude::*;
use reqwest::StatusCode;
use serde_json::json;
use sha2::Digest;

#[tokio::test]
async fn staff_add_reads_the_password_from_stdin_and_the_account_can_sign_in() {
    let app = spawn_app().await;
    let added = app
        .cli(
            &[
                "staff",
                "add",
                "--email",
                "clerk@city.test",
                "--name",
                "City Clerk",
                "--role",
                "clerk",
                "--password-stdin",
            ],
            Some("a long enough password\n"),
        )
        .await;
    assert!(
        added.status.success(),
        "{}",
        String::from_utf8_lossy(&added.stderr)
    );
    assert!(String::from_utf8_lossy(&added.stdout).contains("clerk@city.test"));
    let login = app
        .post("/api/v1/auth/login", None, &serde_json::json!({ "email": "clerk@city.test", "password": "a long enough password" }))
        .await;
    assert_eq!(login.status, reqwest::StatusCode::OK);

    let again = app
        .cli(
            &[
                "staff",
                "add",
                "--email",
                "clerk@city.test",
                "--name",
                "Again",
                "--role",
                "clerk",
                "--password-stdin",
            ],
            Some("another long password\n"),
        )
        .await;
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));
}

#[tokio::test]
async fn staff_add_refuses_a_short_password_and_an_unknown_role() {
    let app = spawn_app().await;
    let refused = app
        .cli(
            &[
                "staff",
                "add",
                "--email",
                "x@city.test",
                "--name",
                "X",
                "--role",
                "mayor",
                "--password-stdin",
            ],
            Some("short\n"),
        )
        .await;
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("role") && stderr.contains("password"),
        "{stderr}"
    );
}

#[tokio::test]
async fn backup_copies_a_running_database_and_its_files_owner_only_and_the_restored_copy_verifies_and_serves(
) {
    let app = spawn_app().await;
    let target = app.settings.data_dir.join("backups").join("copy");
    std::fs::create_dir_all(target.parent().unwrap()).unwrap();
    let target_arg = target.to_str().unwrap().to_string();

    if backend() == Backend::Postgres {
        let refused = app.cli(&["backup", &target_arg], None).await;
        assert!(!refused.status.success());
        let stderr = String::from_utf8_lossy(&refused.stderr);
        assert!(stderr.contains("pg_dump"), "{stderr}");
        assert!(!target.exists());
        return;
    }

    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let mut filed = Vec::new();
    for _ in 0..10 {
        filed.push(app.submit_records_request().await);
    }
    // A released document: the copy must carry its bytes, or a restored city loses it.
    let with_file = &filed[0];
    let tn = &with_file.tracking_number;
    app.must_transition(tn, &clerk, json!({"to": "under_review"}))
        .await;
    let pdf: Vec<u8> = b"%PDF-1.7\n"
        .iter()
        .copied()
        .chain((0..50_000u32).map(|i| (i % 251) as u8))
        .collect();
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(pdf.clone()).file_name("log.pdf"),
    );
    let attached = app
        .client
        .post(app.url(&format!("/api/v1/requests/{tn}/documents")))
        .bearer_auth(&clerk)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(attached.status(), StatusCode::OK);
    let attached: serde_json::Value = attached.json().await.unwrap();
    let document = attached["documents"][0]["id"].as_i64().unwrap();
    let released = app
        .post(
            &format!("/api/v1/requests/{tn}/release"),
            Some(&clerk),
            // Not a readable PDF: the release checks ask for a confirmation.
            &json!({"documents": [document], "confirm_findings": true}),
        )
        .await;
    assert_eq!(released.status, StatusCode::OK, "{:?}", released.body);

    // Requesters keep filing while the copy is taken: the copy is one consistent moment.
    let (client, url) = (app.client.clone(), app.url("/api/v1/requests"));
    let writer = tokio::spawn(async move {
        let mut acknowledged = 0;
        for _ in 0..40 {
            let reply = client
                .post(&url)
                .json(&records_request())
                .send()
                .await
                .unwrap();
            assert_eq!(reply.status(), StatusCode::CREATED);
            acknowledged += 1;
        }
        acknowledged
    });
    let backup = app.cli(&["backup", &target_arg], None).await;
    let stdout = String::from_utf8_lossy(&backup.stdout).to_string();
    assert!(
        backup.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&backup.stderr)
    );
    assert!(stdout.contains("every chain holds"), "{stdout}");
    // The one released file, whole: its bytes are counted as copied.
    assert!(
        stdout.contains(&format!("1 files, {} bytes)", pdf.len())),
        "{stdout}"
    );
    assert_eq!(writer.await.unwrap(), 40);

    // Owner-only, the folder and everything in it; nothing half-written left behind.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&target), 0o700);
        assert_eq!(mode(&target.join("recordsdesk.db")), 0o600);
        let hash = hex::encode(sha2::Sha256::digest(&pdf));
        let copied = target.join("files").join(&hash[..2]).join(&hash);
        assert_eq!(mode(&copied), 0o600);
        assert_eq!(std::fs::read(&copied).unwrap(), pdf);
    }
    assert!(!target.join("recordsdesk.db.partial").exists());

    // Never into an existing folder, even an empty one.
    let again = app.cli(&["backup", &target_arg], None).await;
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    // Restore: the folder is a data folder. audit verify passes on it, re-hashing the copied
    // file (with an anchor of its own: a restored database starts a new one), and a server
    // started on it shows each request acknowledged before the backup began, and the
    // released document, byte for byte.
    let restored_url = format!("sqlite://{}/recordsdesk.db", target_arg);
    let own_anchor = target.join("audit-anchor.jsonl");
    let (code, stdout) = crate::audit::verify_with(&restored_url, &target, Some(&own_anchor)).await;
    assert_eq!(code, Some(0), "{stdout}");
    assert!(
        stdout.contains("1 stored files") || stdout.contains("1 stored file"),
        "{stdout}"
    );
    // Against the live anchor, what the copy lacks (filed after it) is named as gone, and
    // nothing else.
    let (_, stdout) = crate::audit::verify_with(&restored_url, &app.settings.data_dir, None).await;
    let broken = stdout.lines().filter(|l| l.starts_with("BROKEN"));
    assert!(
        broken.clone().all(|l| l.contains("the request is gone")),
        "{stdout}"
    );
    let restored_dir = target.clone();
    let restored = spawn_app_with(move |s| {
        s.database.url = restored_url.clone().into();
        s.data_dir = restored_dir;
    })
    .await;
    for request in &filed {
        let case = restored
            .case(&request.tracking_number, &request.token)
            .await;
        assert_eq!(case["tracking_number"], request.tracking_number.as_str());
    }
    let downloaded = restored
        .client
        .get(restored.url(&format!("/api/v1/requests/{tn}/documents/{document}")))
        .bearer_auth(&with_file.token)
        .send()
        .await
        .unwrap();
    assert_eq!(downloaded.status(), StatusCode::OK);
    assert_eq!(downloaded.bytes().await.unwrap().to_vec(), pdf);
    let copied = restored.counts().requests;
    assert!((10..=50).contains(&copied), "{copied} requests in the copy");
}

/// The database's schema as text: every table, column, index and trigger, in order.
fn schema_dump(app: &TestApp) -> String {
    #[derive(QueryableByName)]
    struct Line {
        #[diesel(sql_type = diesel::sql_types::Text)]
        line: String,
    }
    let sql = match backend() {
        Backend::Sqlite => {
            "SELECT type || ' ' || name || ': ' || COALESCE(sql, '') AS line FROM sqlite_master \
             ORDER BY type, name"
        }
        Backend::Postgres => {
            "SELECT line FROM ( \
               SELECT 'column ' || table_name || '.' || column_name || ' ' || data_type || ' ' \
                 || is_nullable || ' ' || COALESCE(column_default, '') AS line \
               FROM information_schema.columns WHERE table_schema = 'public' \
               UNION ALL SELECT 'index ' || indexname || ': ' || indexdef FROM pg_indexes \
                 WHERE schemaname = 'public' \
               UNION ALL SELECT 'trigger ' || event_object_table || '.' || trigger_name || ' ' \
                 || event_manipulation || ' ' || action_statement \
               FROM information_schema.triggers WHERE trigger_schema = 'public' \
             ) all_lines ORDER BY line"
        }
    };
    app.with_conn(|conn| {
        let lines: Vec<Line> = diesel::sql_query(sql).load(conn)?;
        Ok(lines
            .into_iter()
            .map(|l| l.line)
            .collect::<Vec<_>>()
            .join("\n"))
    })
}

#[tokio::test]
async fn migrate_run_twice_leaves_the_schema_exactly_as_it_was() {
    let app = spawn_app().await;
    let before = schema_dump(&app);
    assert!(before.contains("link_tokens"), "{before}");
    for _ in 0..2 {
        let migrated = app.cli(&["migrate"], None).await;
        assert!(
            migrated.status.success(),
            "{}",
            String::from_utf8_lossy(&migrated.stderr)
        );
        assert_eq!(schema_dump(&app), before, "migrate changed the schema");
    }
}

#[tokio::test]
async fn staff_add_without_a_password_makes_one_and_shows_it_once() {
    let app = spawn_app().await;
    let added = app
        .cli(
            &[
                "staff",
                "add",
                "--email",
                "new@city.test",
                "--name",
                "New Clerk",
                "--role",
                "clerk",
            ],
            None,
        )
        .await;
    assert!(added.status.success(), "{added:?}");
    let stdout = String::from_utf8_lossy(&added.stdout);
    let password = stdout
        .lines()
        .find_map(|l| l.split_once("give it to them privately): "))
        .map(|(_, p)| p.trim().to_string())
        .unwrap_or_else(|| panic!("no password shown: {stdout}"));
    assert_eq!(password.chars().count(), 20, "{password}");
    let signed_in = app
        .post(
            "/api/v1/auth/login",
            None,
            &json!({"email": "new@city.test", "password": password}),
        )
        .await;
    assert_eq!(signed_in.status, StatusCode::OK, "{:?}", signed_in.body);
}

/// `serve` refuses to start on a configuration with a key nobody reads, in a file or in a
/// `RECORDSDESK__` variable, or with a bad value, and names each problem; other environment
/// variables are not its business.
#[tokio::test]
async fn serve_refuses_a_misspelt_or_invalid_configuration_and_names_each_problem() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("city.toml");
    std::fs::write(
        &file,
        r#"
[server]
public_ur = "https://records.example.gov"

[office]
email = "clerk at city"

[[departments]]
name = "City Clerk"
publishers = ["Concord Data"]

[[departments]]
name = "GIS"
publishers = ["concord data"]
"#,
    )
    .unwrap();
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_recordsdesk"))
        .arg("serve")
        .env("RECORDSDESK_CONFIG", &file)
        .env("RECORDSDESK_DATA_DIR", dir.path())
        .env("RECORDSDESK_BIND", "127.0.0.1:0")
        .env("RECORDSDESK__MAIL__DISPATCHR", "false")
        .env("RECORDSDESK_NOT_OURS", "anything")
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("run recordsdesk serve");
    assert!(!output.status.success(), "serve started");
    let said = String::from_utf8_lossy(&output.stderr);
    for needed in [
        "server.public_ur: there is no such setting",
        "mail.dispatchr: there is no such setting",
        "RECORDSDESK__MAIL__DISPATCHR",
        "office.email \"clerk at city\" is not an email address",
        "\"concord data\" already belongs to City Clerk",
    ] {
        assert!(said.contains(needed), "{needed} in:\n{said}");
    }
    assert!(!said.contains("not_ours"), "{said}");
    assert!(
        !dir.path().join("recordsdesk.db").exists(),
        "nothing was made"
    );
}
