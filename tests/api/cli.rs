//! The command line, run as a user would run it.

use crate::helpers::*;

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
