//! Racing callers: exactly one wins, the rest get 409, and the chain records one event.

use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn twenty_clerks_racing_to_accept_one_request_produce_one_winner() {
    let app = spawn_app().await;
    let mut clerks = Vec::new();
    for i in 0..20 {
        clerks.push(
            app.staff(&format!("clerk{i}@city.test"), "clerk", None)
                .await,
        );
    }
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    let body = json!({ "to": "under_review", "version": 1 });
    let replies = futures::future::join_all(
        clerks
            .iter()
            .map(|clerk| app.transition(tn, clerk, body.clone())),
    )
    .await;

    let statuses: Vec<StatusCode> = replies.iter().map(|r| r.status).collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        19,
        "{statuses:?}"
    );

    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&clerks[0]))
        .await;
    let transitions = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "transition")
        .count();
    assert_eq!(transitions, 1);
    let winner = replies.iter().find(|r| r.status == StatusCode::OK).unwrap();
    assert_eq!(
        app.case(tn, &clerks[0]).await["assignee"],
        winner.body["assignee"]
    );
}

#[tokio::test]
async fn two_appeals_at_once_make_one_appeal() {
    let app = spawn_app().await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;
    let filed = app.submit_records_request().await;
    let tn = filed.tracking_number.as_str();
    app.must_transition(tn, &clerk, json!({ "to": "under_review" }))
        .await;
    app.must_transition(tn, &clerk, denial()).await;

    let path = format!("/api/v1/requests/{tn}/appeal");
    let (first, second) = (
        json!({ "grounds": "First." }),
        json!({ "grounds": "Second." }),
    );
    let (a, b) = tokio::join!(
        app.post(&path, Some(&filed.token), &first),
        app.post(&path, Some(&filed.token), &second),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::OK, StatusCode::CONFLICT]);
    let notices = app
        .notices(tn)
        .into_iter()
        .filter(|(n, _, _)| n == "appeal_received")
        .count();
    assert_eq!(notices, 1);
}
