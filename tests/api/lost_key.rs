//! A lost API key (issue 17): the requester asks for a new one, the steward gives it, the new
//! key is claimed once, and claiming it turns the old one off. Through the API, then through
//! the pages a requester and a steward use.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;
use crate::plain_words::{check, visible};

const PERMITS: &str = "https://data.example.gov/datasets/permits";
const GATEWAY: &str = "gateway-secret";

struct Granted {
    app: TestApp,
    steward: String,
    filed: Filed,
    /// The first key, claimed.
    key: String,
}

/// An API access request granted by its steward, its key claimed.
async fn granted() -> Granted {
    let app = spawn_app_with(|s| s.catalog.gateway_token = GATEWAY.to_string().into()).await;
    app.add_dataset(
        PERMITS,
        "Building permits",
        Some("permits@city.test"),
        Some("Community Development"),
    );
    let steward = app
        .staff(
            "permits@city.test",
            "steward",
            Some("Community Development"),
        )
        .await;
    let filed = app.submit(&access_request(PERMITS)).await;
    let tn = filed.tracking_number.clone();
    app.must_transition(&tn, &steward, json!({ "to": "under_review" }))
        .await;
    app.must_transition(&tn, &steward, grant("Read access to the permits API."))
        .await;
    let claimed = claim(&app, &tn, &filed.token).await;
    assert_eq!(claimed.status, StatusCode::OK, "{:?}", claimed.body);
    let key = claimed.body["api_key"].as_str().unwrap().to_string();
    Granted {
        app,
        steward,
        filed,
        key,
    }
}

async fn claim(app: &TestApp, tn: &str, token: &str) -> Reply {
    app.post(
        &format!("/api/v1/requests/{tn}/api-key"),
        Some(token),
        &json!({}),
    )
    .await
}

async fn valid(app: &TestApp, key: &str) -> bool {
    let check = app
        .post("/api/v1/keys/verify", Some(GATEWAY), &json!({ "key": key }))
        .await;
    assert_eq!(check.status, StatusCode::OK);
    check.body["valid"].as_bool().unwrap()
}

fn actions(log: &Value) -> Vec<String> {
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_lost_key_is_replaced_the_new_one_claimed_once_and_the_old_one_turned_off() {
    let Granted {
        app,
        steward,
        filed,
        key: old_key,
    } = granted().await;
    let tn = filed.tracking_number.as_str();
    let ask = format!("/api/v1/requests/{tn}/api-key/replacement");
    let approve = format!("/api/v1/requests/{tn}/api-key/replacement/approve");

    // Nothing asked yet: staff have nothing to approve.
    let early = app.post(&approve, Some(&steward), &json!({})).await;
    assert_eq!(early.status, StatusCode::CONFLICT, "{:?}", early.body);
    assert_eq!(early.body["error"], "no_key_replacement_asked");
    // Staff do not ask on the requester's behalf.
    let by_staff = app.post(&ask, Some(&steward), &json!({})).await;
    assert_eq!(by_staff.status, StatusCode::FORBIDDEN);

    let asked = app
        .post(
            &ask,
            Some(&filed.token),
            &json!({ "reason": "I deleted it by mistake." }),
        )
        .await;
    assert_eq!(asked.status, StatusCode::OK, "{:?}", asked.body);
    assert_eq!(asked.body["api_key"]["state"], "active");
    assert_eq!(asked.body["api_key"]["replacement"], "asked");
    assert!(
        valid(&app, &old_key).await,
        "the lost key works until replaced"
    );
    let told = app
        .notices(tn)
        .into_iter()
        .find(|(kind, ..)| kind == "api_key_lost")
        .expect("the steward is told");
    assert_eq!(told.1, "permits@city.test");
    assert!(told.2["text"]
        .as_str()
        .unwrap()
        .contains("I deleted it by mistake."));

    // Once is enough: a second ask changes nothing.
    let twice = app.post(&ask, Some(&filed.token), &json!({})).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert_eq!(twice.body["error"], "key_not_replaceable");
    // The requester cannot give themselves the new key.
    let by_requester = app.post(&approve, Some(&filed.token), &json!({})).await;
    assert_eq!(by_requester.status, StatusCode::FORBIDDEN);

    let given = app.post(&approve, Some(&steward), &json!({})).await;
    assert_eq!(given.status, StatusCode::OK, "{:?}", given.body);
    assert_eq!(given.body["api_key"]["replacement"], "ready");
    assert_eq!(given.body["api_key"]["state"], "active");
    let again = app.post(&approve, Some(&steward), &json!({})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "one new key at a time");
    let ready = app
        .notices(tn)
        .into_iter()
        .find(|(kind, ..)| kind == "api_key_ready")
        .expect("the requester is told");
    assert_eq!(ready.1, "dev@example.org");
    let letter = ready.2["text"].as_str().unwrap();
    assert!(letter.contains("Get your new API key"), "{letter}");
    assert!(!letter.contains("rdk_"), "no key is ever emailed");
    assert!(
        valid(&app, &old_key).await,
        "still works until the new one is claimed"
    );

    let claimed = claim(&app, tn, &filed.token).await;
    assert_eq!(claimed.status, StatusCode::OK, "{:?}", claimed.body);
    let new_key = claimed.body["api_key"].as_str().unwrap().to_string();
    assert_ne!(new_key, old_key);
    assert_eq!(claimed.body["scopes"], json!([PERMITS]));
    assert!(valid(&app, &new_key).await);
    assert!(
        !valid(&app, &old_key).await,
        "claiming the new key turns the old one off"
    );
    let second = claim(&app, tn, &filed.token).await;
    assert_eq!(second.status, StatusCode::GONE, "shown once");

    let case = app.case(tn, &filed.token).await;
    assert_eq!(case["api_key"]["state"], "active");
    assert!(case["api_key"]["replacement"].is_null());
    // And the new key can be lost in turn.
    let lost_again = app.post(&ask, Some(&filed.token), &json!({})).await;
    assert_eq!(lost_again.status, StatusCode::OK, "{:?}", lost_again.body);

    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&steward))
        .await;
    let actions = actions(&log.body);
    for needed in [
        "api_key_replacement_asked",
        "api_key_replacement_offered",
        "api_key_claimed",
    ] {
        assert!(
            actions.contains(&needed.to_string()),
            "{needed}: {actions:?}"
        );
    }
    let replaced_claim = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "api_key_claimed")
        .nth(1)
        .expect("the second claim");
    assert!(
        replaced_claim["content"]["replaced"].is_number(),
        "{replaced_claim}"
    );
    assert!(!log.body.to_string().contains(&new_key));
    let verified = app.cli(&["audit", "verify"], None).await;
    assert!(verified.status.success(), "{verified:?}");
}

#[tokio::test]
async fn revoking_turns_off_the_lost_key_and_the_one_waiting_to_be_claimed() {
    let Granted {
        app,
        steward,
        filed,
        key,
    } = granted().await;
    let tn = filed.tracking_number.as_str();
    app.post(
        &format!("/api/v1/requests/{tn}/api-key/replacement"),
        Some(&filed.token),
        &json!({ "reason": "Someone else may have it." }),
    )
    .await;
    let given = app
        .post(
            &format!("/api/v1/requests/{tn}/api-key/replacement/approve"),
            Some(&steward),
            &json!({}),
        )
        .await;
    assert_eq!(given.status, StatusCode::OK);
    let revoked = app
        .post(
            &format!("/api/v1/requests/{tn}/api-key/revoke"),
            Some(&steward),
            &json!({}),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{:?}", revoked.body);
    assert_eq!(revoked.body["api_key"]["state"], "revoked");
    assert!(!valid(&app, &key).await);
    let late = claim(&app, tn, &filed.token).await;
    assert_eq!(
        late.status,
        StatusCode::GONE,
        "the waiting key went with it"
    );
    let ask = app
        .post(
            &format!("/api/v1/requests/{tn}/api-key/replacement"),
            Some(&filed.token),
            &json!({}),
        )
        .await;
    assert_eq!(
        ask.status,
        StatusCode::CONFLICT,
        "a revoked key is not replaced"
    );
}

#[tokio::test]
async fn a_reason_too_long_is_refused_and_nothing_is_asked() {
    let Granted { app, filed, .. } = granted().await;
    let tn = filed.tracking_number.as_str();
    let refused = app
        .post(
            &format!("/api/v1/requests/{tn}/api-key/replacement"),
            Some(&filed.token),
            &json!({ "reason": "x".repeat(20_000) }),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field_errors(), ["reason"]);
    let case = app.case(tn, &filed.token).await;
    assert!(case["api_key"]["replacement"].is_null());
    assert!(!app
        .notices(tn)
        .iter()
        .any(|(kind, ..)| kind == "api_key_lost"));
}

/// The same journey on the pages: "Lost your API key?" on the tracking page, "Give a new key" on
/// the case page, "Get your new API key" back on the tracking page.
#[tokio::test]
async fn the_pages_take_a_requester_from_a_lost_key_to_a_new_one() {
    let Granted {
        app, filed, key, ..
    } = granted().await;
    let tn = filed.tracking_number.as_str();
    let requester = requester_browser(&app, &filed).await;
    let tracking = app.url(&format!("/requests/{tn}"));
    let page = page_text(&requester, tracking.clone()).await;
    assert!(page.contains("Lost your API key?"), "{page}");
    check("the tracking page with a key", &visible(&page));
    let sent = requester
        .post(app.url(&format!("/requests/{tn}/api-key/lost")))
        .form(&[
            ("csrf", csrf_in(&page).as_str()),
            ("lost_reason", "My laptop was stolen."),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(sent.status(), StatusCode::SEE_OTHER);
    let page = page_text(&requester, tracking.clone()).await;
    assert!(
        page.contains("We have asked for a new API key for you"),
        "{page}"
    );
    assert!(page.contains("that your key was lost"), "{page}");
    assert!(!page.contains("Lost your API key?"), "asked once");
    check("the tracking page, a new key asked for", &visible(&page));

    let staff = app.signed_in_pages("permits@city.test").await;
    let case_url = app.url(&format!("/staff/requests/{tn}"));
    let case = page_text(&staff, case_url.clone()).await;
    assert!(case.contains("Give the requester a new API key"), "{case}");
    assert!(case.contains("told us it is lost"), "{case}");
    let given = staff
        .post(app.url(&format!("/staff/requests/{tn}/api-key/replace")))
        .form(&[("csrf", csrf_in(&case).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(given.status(), StatusCode::SEE_OTHER);
    let case = page_text(&staff, case_url).await;
    assert!(
        case.contains("A new API key is ready for the requester"),
        "{case}"
    );
    assert!(
        case.contains("waits for the requester to collect it"),
        "{case}"
    );

    let page = page_text(&requester, tracking.clone()).await;
    assert!(page.contains("Get your new API key"), "{page}");
    check("the tracking page, a new key ready", &visible(&page));
    let shown = requester
        .post(app.url(&format!("/requests/{tn}/api-key")))
        .form(&[("csrf", csrf_in(&page).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), StatusCode::OK);
    let shown = shown.text().await.unwrap();
    assert!(
        shown.contains("rdk_") && !shown.contains(&key),
        "a new key, shown once"
    );
    assert!(!valid(&app, &key).await, "the old key is off");
    let page = page_text(&requester, tracking).await;
    assert!(
        page.contains("You collected your new API key; the old one no longer works."),
        "{page}"
    );
    check("the tracking page, the new key collected", &visible(&page));
    for (kind, to, letter) in app.notices(tn) {
        if to == "dev@example.org" {
            check(
                &format!("the {kind} letter"),
                letter["text"].as_str().unwrap(),
            );
        }
    }
}
