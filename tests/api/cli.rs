//! The command line, run as a user would run it.

use crate::helpers::*;
use reqwest::StatusCode;

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
async fn migrate_is_idempotent() {
    let app = spawn_app().await;
    let migrated = app.cli(&["migrate"], None).await;
    assert!(
        migrated.status.success(),
        "{}",
        String::from_utf8_lossy(&migrated.stderr)
    );
}

#[tokio::test]
async fn backup_copies_a_running_database_and_the_restored_copy_verifies_and_serves() {
    let app = spawn_app().await;
    let target = app
        .settings
        .data_dir
        .join("backups")
        .join("recordsdesk-copy.db");
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

    let mut filed = Vec::new();
    for _ in 0..10 {
        filed.push(app.submit_records_request().await);
    }
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
    assert_eq!(writer.await.unwrap(), 40);

    // Never over an existing file.
    let again = app.cli(&["backup", &target_arg], None).await;
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    // Restore: the copy is an ordinary database; audit verify passes on it and a server
    // started on it shows each request that was acknowledged before the backup began.
    let restored_url = format!("sqlite://{target_arg}");
    let verified = app.cli_on(&restored_url, &["audit", "verify"], None).await;
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stdout)
    );
    let restored = spawn_app_with(|s| s.database.url = restored_url.clone().into()).await;
    for request in &filed {
        let case = restored
            .case(&request.tracking_number, &request.token)
            .await;
        assert_eq!(case["tracking_number"], request.tracking_number.as_str());
    }
    let copied = restored.counts().requests;
    assert!((10..=50).contains(&copied), "{copied} requests in the copy");
}
