//! The catalog: importing real portal catalogs, browsing it, routing by steward, and the API
//! key's whole life.

use reqwest::StatusCode;
use serde_json::{json, Value};

use crate::helpers::*;

const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const RESTRICTED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/catalog-restricted.json"
);
const PERMITS: &str = "https://data.cityofconcord.org/datasets/code-enforcement-cases";
const POLICE: &str = "https://data.cityofconcord.org/datasets/police-calls-for-service";
const PAVEMENT: &str = "https://data.cityofconcord.org/datasets/pavement-condition";

async fn import(app: &TestApp, path: &str) -> (bool, String) {
    let output = app.cli(&["catalog", "import", path], None).await;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.success(), text)
}

fn dataset_path(id: &str) -> String {
    format!(
        "/api/v1/datasets/{}",
        id.replace(':', "%3A").replace('/', "%2F")
    )
}

async fn dataset_count(app: &TestApp) -> i64 {
    app.get("/api/v1/datasets", None).await.body["total"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn both_real_portal_catalogs_import_and_a_second_run_changes_nothing() {
    let app = spawn_app().await;
    let (ok, out) = import(
        &app,
        &format!("{SHARED}/ramsey-county-mn_arcgis-hub_data.json"),
    )
    .await;
    assert!(ok, "{out}");
    assert!(
        out.contains("catalog: 30 added, 0 updated, 0 unchanged, 0 withdrawn, 0 skipped"),
        "{out}"
    );
    let (ok, out) = import(&app, &format!("{SHARED}/saint-paul-mn_socrata_data.json")).await;
    assert!(ok, "{out}");
    assert!(out.contains("26 added"), "{out}");
    // Entries of the other portal are not in this file: they are withdrawn, not deleted.
    assert!(out.contains("30 withdrawn"), "{out}");
    assert!(
        out.contains("has no contact email"),
        "Socrata's missing emails are reported: {out}"
    );
    assert_eq!(dataset_count(&app).await, 26);

    let (_, again) = import(&app, &format!("{SHARED}/saint-paul-mn_socrata_data.json")).await;
    assert!(
        again.contains("0 added, 0 updated, 26 unchanged, 0 withdrawn"),
        "{again}"
    );

    let socrata = app
        .get(
            &dataset_path("https://information.stpaul.gov/api/views/26h5-gyz4"),
            None,
        )
        .await;
    assert_eq!(socrata.status, StatusCode::OK);
    assert_eq!(socrata.body["title"], "Capital Project List - Dataset");
    assert_eq!(socrata.body["access_level"], "public");
    assert_eq!(socrata.body["modified"], "2018-08-09");
    assert!(socrata.body["distributions"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["url"].as_str().unwrap().contains("26h5-gyz4")));

    let arcgis = app
        .get(&dataset_path("https://data-ramseygis.opendata.arcgis.com/maps/RamseyGIS::quarter-quarter-sections"), None)
        .await;
    assert_eq!(arcgis.body["title"], "Quarter Quarter Sections");
    assert_eq!(arcgis.body["withdrawn"], true);
    assert!(
        arcgis.body["license"].is_null(),
        "an empty license is no license"
    );
    assert!(
        !arcgis.body["description"].as_str().unwrap().contains('<'),
        "HTML is stripped"
    );
}

#[tokio::test]
async fn the_catalog_is_searched_by_words_and_access_level_and_shows_update_frequency_in_words() {
    let app = spawn_app().await;
    let (ok, out) = import(&app, RESTRICTED).await;
    assert!(ok, "{out}");
    assert!(out.contains("skipped"), "{out}");
    let police = app.get("/api/v1/datasets?q=POLICE", None).await;
    let titles: Vec<&str> = police.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&"Police Calls for Service"), "{titles:?}");
    let restricted = app
        .get("/api/v1/datasets?access_level=restricted%20public", None)
        .await;
    assert!(restricted.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .all(|d| d["access_level"] == "restricted public"));
    assert!(restricted.body["total"].as_i64().unwrap() >= 2);
    let bad = app
        .get("/api/v1/datasets?access_level=secret&page=zero", None)
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.field_errors(), ["access_level", "page"]);
    let frequencies: Vec<Value> = app.get("/api/v1/datasets", None).await.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["update_frequency"].clone())
        .collect();
    assert!(
        frequencies.iter().any(|f| f.is_string()),
        "some entries say how often they are updated: {frequencies:?}"
    );
}

#[tokio::test]
async fn a_bad_catalog_file_is_refused_whole() {
    let app = spawn_app().await;
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, content: &[u8]| {
        let path = dir.path().join(name);
        std::fs::write(&path, content).unwrap();
        path.display().to_string()
    };
    let full = std::fs::read(RESTRICTED).unwrap();
    for (path, says) in [
        (write("not.json", b"<html>not json</html>"), "not JSON"),
        (write("truncated.json", &full[..full.len() / 2]), "not JSON"),
        (
            write("object.json", br#"{"hello": "world"}"#),
            "not a DCAT-US catalog",
        ),
    ] {
        let (ok, out) = import(&app, &path).await;
        assert!(
            !ok && out.contains(says) && out.contains("nothing was imported"),
            "{path}: {out}"
        );
    }
    let (ok, out) = import(&app, "/no/such/file.json").await;
    assert!(!ok && out.contains("cannot read"), "{out}");
    let big = write("big.json", &vec![b' '; 41 * 1024 * 1024]);
    let (ok, out) = import(&app, &big).await;
    assert!(!ok && out.contains("limit"), "{out}");
    assert_eq!(dataset_count(&app).await, 0);
}

#[tokio::test]
async fn access_requests_go_to_the_steward_else_the_department_else_the_clerk() {
    let app = spawn_app().await;
    import(&app, RESTRICTED).await;
    let steward = app
        .staff(
            "permits@cityofconcord.org",
            "steward",
            Some("Community Development"),
        )
        .await;
    let clerk = app.staff("clerk@city.test", "clerk", None).await;

    let to_steward = app.submit(&access_request(PERMITS)).await;
    let case = app.case(&to_steward.tracking_number, &steward).await;
    assert_eq!(case["assignee"]["email"], "permits@cityofconcord.org");
    assert_eq!(case["queue"], "community_development");

    // No staff account has the police contact's email: the queue of the department whose
    // publisher names the directory lists ("Police Department" is one of Police's).
    let to_department = app.submit(&access_request(POLICE)).await;
    let case = app.case(&to_department.tracking_number, &clerk).await;
    assert_eq!(case["queue"], "police");
    assert!(case["assignee"].is_null());

    // A public dataset's API access is still a request (higher limits), routed to Public Works.
    let public = app.submit(&access_request(PAVEMENT)).await;
    assert_eq!(
        app.case(&public.tracking_number, &clerk).await["queue"],
        "public_works"
    );
}

#[tokio::test]
async fn a_withdrawn_dataset_cannot_be_requested() {
    let app = spawn_app().await;
    import(&app, RESTRICTED).await;
    let mut catalog: Value =
        serde_json::from_str(&std::fs::read_to_string(RESTRICTED).unwrap()).unwrap();
    catalog["dataset"]
        .as_array_mut()
        .unwrap()
        .retain(|d| d["identifier"] != PERMITS);
    let dir = tempfile::tempdir().unwrap();
    let smaller = dir.path().join("data.json");
    std::fs::write(&smaller, catalog.to_string()).unwrap();
    let (_, out) = import(&app, &smaller.display().to_string()).await;
    assert!(out.contains("1 withdrawn"), "{out}");
    let refused = app
        .post("/api/v1/requests", None, &access_request(PERMITS))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.field_errors(), ["dataset_id"]);
}

#[tokio::test]
async fn an_api_key_is_minted_on_grant_claimed_once_verified_and_revoked() {
    let app =
        spawn_app_with(|s| s.catalog.gateway_token = "gateway-secret".to_string().into()).await;
    import(&app, RESTRICTED).await;
    let steward = app
        .staff(
            "permits@cityofconcord.org",
            "steward",
            Some("Community Development"),
        )
        .await;
    let filed = app.submit(&access_request(PERMITS)).await;
    let tn = filed.tracking_number.as_str();
    let claim_path = format!("/api/v1/requests/{tn}/api-key");

    let too_soon = app.post(&claim_path, Some(&filed.token), &json!({})).await;
    assert_eq!(too_soon.status, StatusCode::CONFLICT);

    app.must_transition(tn, &steward, json!({ "to": "under_review" }))
        .await;
    let granted = app
        .must_transition(tn, &steward, grant("Read access to the cases API."))
        .await;
    assert_eq!(granted["api_key"]["state"], "offered");
    let (_, _, email) = app
        .notices(tn)
        .into_iter()
        .find(|(n, _, _)| n == "granted")
        .unwrap();
    assert!(email["text"].as_str().unwrap().contains("Get your API key"));
    assert!(
        !email["text"].as_str().unwrap().contains("rdk_"),
        "the key is never emailed"
    );

    let by_staff = app.post(&claim_path, Some(&steward), &json!({})).await;
    assert_eq!(by_staff.status, StatusCode::FORBIDDEN);
    let claimed = app.post(&claim_path, Some(&filed.token), &json!({})).await;
    assert_eq!(claimed.status, StatusCode::OK, "{:?}", claimed.body);
    let key = claimed.body["api_key"].as_str().unwrap().to_string();
    assert!(key.starts_with("rdk_") && key.len() >= 40);
    assert_eq!(claimed.body["scopes"], json!([PERMITS]));
    assert_eq!(claimed.body["rate_limit"], 1000);
    assert!(claimed.body["expires_at"].is_string());
    let again = app.post(&claim_path, Some(&filed.token), &json!({})).await;
    assert_eq!(again.status, StatusCode::GONE);

    let verify = |key: String, token: Option<&'static str>| {
        let app = &app;
        async move {
            app.post("/api/v1/keys/verify", token, &json!({ "key": key }))
                .await
        }
    };
    let ok = verify(key.clone(), Some("gateway-secret")).await;
    assert_eq!(
        ok.body,
        json!({ "valid": true, "scopes": [PERMITS], "rate_limit": 1000, "expires_at": claimed.body["expires_at"] })
    );
    assert_eq!(
        verify(key.clone(), None).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        verify(key.clone(), Some("wrong")).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        verify("rdk_made-up".into(), Some("gateway-secret"))
            .await
            .body["valid"],
        false
    );

    let revoked = app
        .post(
            &format!("/api/v1/requests/{tn}/api-key/revoke"),
            Some(&steward),
            &json!({}),
        )
        .await;
    assert_eq!(revoked.status, StatusCode::OK, "{:?}", revoked.body);
    assert_eq!(revoked.body["api_key"]["state"], "revoked");
    assert_eq!(
        verify(key.clone(), Some("gateway-secret")).await.body["valid"],
        false
    );
    assert!(app
        .notices(tn)
        .iter()
        .any(|(n, r, _)| n == "api_key_revoked" && r == "dev@example.org"));
    let log = app
        .get(&format!("/api/v1/requests/{tn}/audit"), Some(&steward))
        .await;
    let actions: Vec<&str> = log.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"api_key_claimed") && actions.contains(&"api_key_revoked"),
        "{actions:?}"
    );
    assert!(
        !log.body.to_string().contains(&key),
        "the key itself is in no record"
    );
}

#[tokio::test]
async fn an_expired_key_is_not_valid() {
    let app =
        spawn_app_with(|s| s.catalog.gateway_token = "gateway-secret".to_string().into()).await;
    import(&app, RESTRICTED).await;
    let steward = app
        .staff(
            "permits@cityofconcord.org",
            "steward",
            Some("Community Development"),
        )
        .await;
    let filed = app.submit(&access_request(PERMITS)).await;
    let tn = filed.tracking_number.as_str();
    app.must_transition(tn, &steward, json!({ "to": "under_review" }))
        .await;
    app.must_transition(tn, &steward, grant("Granted.")).await;
    let claimed = app
        .post(
            &format!("/api/v1/requests/{tn}/api-key"),
            Some(&filed.token),
            &json!({}),
        )
        .await;
    let key = claimed.body["api_key"].as_str().unwrap();
    app.sql("UPDATE api_keys SET expires_at = '2020-01-01 00:00:00'")
        .unwrap();
    let check = app
        .post(
            "/api/v1/keys/verify",
            Some("gateway-secret"),
            &json!({ "key": key }),
        )
        .await;
    assert_eq!(check.body["valid"], false);
}

#[tokio::test]
async fn a_dataset_access_grant_mints_no_key() {
    let app = spawn_app().await;
    import(&app, RESTRICTED).await;
    let steward = app
        .staff(
            "permits@cityofconcord.org",
            "steward",
            Some("Community Development"),
        )
        .await;
    let mut body = access_request(PERMITS);
    body["kind"] = json!("dataset_access");
    let filed = app.submit(&body).await;
    app.must_transition(
        &filed.tracking_number,
        &steward,
        json!({ "to": "under_review" }),
    )
    .await;
    let granted = app
        .must_transition(&filed.tracking_number, &steward, grant("Extract attached."))
        .await;
    assert!(granted["api_key"].is_null());
}
