//! The catalog as data.json (issue 24): real portal catalogs imported, then published again
//! as DCAT-US 1.1 with every field as the source had it, nothing filled in; what a dataset
//! lacks listed in the import's report and on the admin page.

use recordsdesk::catalog::completeness::{self, Missing};
use reqwest::StatusCode;
use serde_json::{json, Map, Value};

use crate::helpers::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
const ADMIN: &str = "admin@city.test";
const CAPITAL_PROJECTS: &str = "https://information.stpaul.gov/api/views/26h5-gyz4";
const PERMITS: &str = "https://data.cityofconcord.org/datasets/building-permits";
const PAVEMENT: &str = "https://data.cityofconcord.org/datasets/pavement-condition";

fn fixture(name: &str) -> String {
    format!("{FIXTURES}/{name}")
}

/// Imports a catalog file; answers what the command printed.
async fn import(app: &TestApp, path: &str) -> String {
    let output = app.cli(&["catalog", "import", path], None).await;
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(output.status.success(), "{said}");
    said
}

/// `/data.json`, checked to be a DCAT-US 1.1 catalog at this server's public address; its
/// datasets by identifier.
async fn data_json(app: &TestApp) -> Map<String, Value> {
    let reply = app.client.get(app.url("/data.json")).send().await.unwrap();
    assert_eq!(reply.status(), StatusCode::OK);
    let content_type = reply.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let catalog: Value = reply.json().await.unwrap();
    assert_eq!(
        catalog["conformsTo"],
        "https://project-open-data.cio.gov/v1.1/schema"
    );
    assert_eq!(
        catalog["@context"],
        "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
    );
    assert_eq!(catalog["@type"], "dcat:Catalog");
    assert_eq!(
        catalog["describedBy"],
        "https://project-open-data.cio.gov/v1.1/schema/catalog.json"
    );
    assert_eq!(
        catalog["@id"],
        format!(
            "{}/data.json",
            app.settings.server.public_url.trim_end_matches('/')
        )
    );
    catalog["dataset"]
        .as_array()
        .expect("a dataset list")
        .iter()
        .map(|d| (d["identifier"].as_str().unwrap().to_string(), d.clone()))
        .collect()
}

/// The source's datasets, by identifier: the first of each, with a title (as the import keeps).
fn source_datasets(path: &str) -> Vec<(String, Value)> {
    let file: Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let mut seen = std::collections::HashSet::new();
    file["dataset"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["title"].as_str().is_some_and(|t| !t.trim().is_empty()))
        .filter(|d| seen.insert(d["identifier"].as_str().unwrap().to_string()))
        .map(|d| (d["identifier"].as_str().unwrap().to_string(), d.clone()))
        .collect()
}

/// The source as published: empty text as null (the schema's guidance), nothing else changed.
fn empty_as_null(value: &Value) -> Value {
    match value {
        Value::String(s) if s.trim().is_empty() => Value::Null,
        Value::Object(o) => Value::Object(
            o.iter()
                .map(|(k, v)| (k.clone(), empty_as_null(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| match v {
                    Value::Object(_) => empty_as_null(v),
                    other => other.clone(),
                })
                .collect(),
        ),
        other => other.clone(),
    }
}

fn missing(dataset: &Value) -> Vec<Missing> {
    completeness::missing(dataset.as_object().unwrap())
}

#[tokio::test]
async fn data_json_publishes_every_real_catalog_as_its_source_had_it() {
    let app = spawn_app().await;
    for (name, count) in [
        ("ramsey-county-mn_arcgis-hub_data.json", 30),
        ("saint-paul-mn_socrata_data.json", 26),
        ("catalog-restricted.json", 6),
    ] {
        let path = fixture(name);
        import(&app, &path).await;
        let published = data_json(&app).await;
        let sources = source_datasets(&path);
        assert_eq!(sources.len(), count, "{name}");
        // One catalog at a time: the one imported before is withdrawn, and not published.
        assert_eq!(published.len(), count, "{name}");
        for (id, source) in &sources {
            let dataset = &published[id];
            assert_eq!(dataset, &empty_as_null(source), "{name}: {id}");
            for field in [
                "title",
                "description",
                "keyword",
                "modified",
                "publisher",
                "contactPoint",
                "identifier",
                "accessLevel",
                "rights",
                "license",
                "spatial",
                "temporal",
                "distribution",
                "landingPage",
                "theme",
                "issued",
                "accrualPeriodicity",
                "describedBy",
            ] {
                // A field the source lacked is not there; one it had is there.
                assert_eq!(
                    dataset.get(field).is_some(),
                    source.get(field).is_some(),
                    "{name}: {id}: {field}"
                );
            }
        }
    }
}

#[tokio::test]
async fn arcgis_hubs_empty_license_is_published_as_null_not_empty_text() {
    let app = spawn_app().await;
    import(&app, &fixture("ramsey-county-mn_arcgis-hub_data.json")).await;
    let published = data_json(&app).await;
    assert!(published
        .values()
        .all(|d| d.as_object().unwrap().contains_key("license") && d["license"].is_null()));
    let one = &published
        ["https://data-ramseygis.opendata.arcgis.com/maps/RamseyGIS::quarter-quarter-sections"];
    assert_eq!(one["spatial"], "-93.2284,44.8867,-92.9826,45.1248");
    assert_eq!(one["issued"], "2014-12-01T20:50:55.000Z");
    assert_eq!(
        one["contactPoint"],
        json!({"@type": "vcard:Contact", "fn": "RCGISAdmin",
               "hasEmail": "mailto:RCGISMetaData@Co.Ramsey.MN.US"})
    );
    assert_eq!(missing(one), []);
}

#[tokio::test]
async fn a_dataset_complete_in_its_source_passes_the_required_field_check() {
    let app = spawn_app().await;
    let admin = app.signed_in_pages_of_admin().await;
    let said = import(&app, &fixture("catalog-restricted.json")).await;
    let published = data_json(&app).await;
    let permits = &published[PERMITS];
    assert_eq!(missing(permits), []);
    assert_eq!(
        permits["contactPoint"]["hasEmail"],
        "mailto:permits@cityofconcord.org"
    );
    // Restricted ones say why, and are complete too.
    for id in [
        "code-enforcement-cases",
        "police-use-of-force",
        "sewer-overflows",
    ] {
        let d = &published[&format!("https://data.cityofconcord.org/datasets/{id}")];
        assert_eq!(missing(d), [], "{id}");
    }
    assert!(!said.contains(&format!("incomplete {PERMITS} ")), "{said}");
    // Pavement has no contact email, and a download without its media type.
    assert!(
        said.contains("1 datasets lack fields DCAT-US 1.1 requires"),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "incomplete {PAVEMENT} (Pavement Condition Index): no contact email (contactPoint.hasEmail), no file type for the download of distribution 2 (distribution 2: mediaType)"
        )),
        "{said}"
    );
    let page = page_text(&admin, app.url("/staff/admin/catalog")).await;
    assert!(page.contains("1 of 6 datasets lack fields"), "{page}");
    assert!(page.contains("Pavement Condition Index"), "{page}");
    assert!(!page.contains("Building Permits"), "{page}");
}

#[tokio::test]
async fn a_socrata_dataset_without_a_contact_email_is_published_without_one_and_listed() {
    let app = spawn_app().await;
    let admin = app.signed_in_pages_of_admin().await;
    let said = import(&app, &fixture("saint-paul-mn_socrata_data.json")).await;
    let published = data_json(&app).await;
    let capital = &published[CAPITAL_PROJECTS];
    // As the source had it: a contact without an email, no keywords. Nothing filled in.
    assert_eq!(
        capital["contactPoint"],
        json!({"@type": "vcard:Contact", "fn": "Engelking, Derek (CI-StPaul)"})
    );
    let fields = capital.as_object().unwrap();
    assert!(!fields.contains_key("keyword"));
    assert!(!fields.contains_key("bureauCode") && !fields.contains_key("programCode"));
    assert_eq!(capital["theme"], json!(["City Administration"]));
    assert_eq!(
        capital["distribution"][0],
        json!({"@type": "dcat:Distribution", "mediaType": "text/csv",
               "downloadURL": "https://information.stpaul.gov/api/views/26h5-gyz4/rows.csv?accessType=DOWNLOAD"})
    );
    assert_eq!(missing(capital), [Missing::Keyword, Missing::ContactEmail]);

    // The import's report lists it, with what it lacks.
    assert!(
        said.contains("26 datasets lack fields DCAT-US 1.1 requires"),
        "{said}"
    );
    assert!(
        said.contains(&format!(
            "incomplete {CAPITAL_PROJECTS} (Capital Project List - Dataset): no keywords (keyword), no contact email (contactPoint.hasEmail)"
        )),
        "{said}"
    );

    // So does the admin page, in words.
    let page = page_text(&admin, app.url("/staff/admin/catalog")).await;
    assert!(page.contains("26 of 26 datasets lack fields"), "{page}");
    assert!(page.contains("Capital Project List - Dataset"), "{page}");
    assert!(page.contains("no contact email"), "{page}");
    assert!(page.contains("contactPoint.hasEmail"), "{page}");
    assert!(page.contains("no keywords"), "{page}");
    let index = page_text(&admin, app.url("/staff/admin")).await;
    assert!(index.contains("href=\"/staff/admin/catalog\""), "{index}");

    // Importing again changes nothing, and reports the same.
    let again = import(&app, &fixture("saint-paul-mn_socrata_data.json")).await;
    assert!(again.contains("26 unchanged"), "{again}");
    assert!(again.contains("26 datasets lack fields"), "{again}");
}

#[tokio::test]
async fn a_dataset_not_made_by_an_import_is_published_from_what_was_kept() {
    let app = spawn_app().await;
    app.add_dataset(
        "street-trees",
        "Street trees",
        Some("steward@city.test"),
        Some("Parks"),
    );
    let published = data_json(&app).await;
    assert_eq!(
        published["street-trees"],
        json!({
            "@type": "dcat:Dataset",
            "identifier": "street-trees",
            "title": "Street trees",
            "accessLevel": "restricted public",
            "publisher": {"@type": "org:Organization", "name": "Parks"},
            "contactPoint": {"@type": "vcard:Contact", "hasEmail": "mailto:steward@city.test"}
        })
    );
    assert_eq!(
        missing(&published["street-trees"]),
        [
            Missing::Description,
            Missing::Keyword,
            Missing::Modified,
            Missing::ContactName,
            Missing::Rights
        ]
    );
}

impl TestApp {
    /// A browser signed in on the staff pages as an admin.
    async fn signed_in_pages_of_admin(&self) -> reqwest::Client {
        self.add_staff(ADMIN, "Ada Admin", "admin", None);
        self.signed_in_pages(ADMIN).await
    }
}
