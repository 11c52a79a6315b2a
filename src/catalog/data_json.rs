//! The catalog as a DCAT-US 1.1 `data.json` (docs/PRODUCT.md, "The catalog as data.json"), so
//! that portal tooling can harvest it. Each dataset is published as its portal's data.json had
//! it (the `source` the import kept), with the identifier and access level as stored; nothing
//! the source lacked is filled in. No I/O: `view::data_json` reads the rows.

use serde_json::{json, Map, Value};
use validator::ValidateEmail;

use super::dcat::strip_mailto;
use crate::app::AppError;
use crate::db::models::DatasetRow;

pub const CONFORMS_TO: &str = "https://project-open-data.cio.gov/v1.1/schema";
pub const CONTEXT: &str = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld";
pub const DESCRIBED_BY: &str = "https://project-open-data.cio.gov/v1.1/schema/catalog.json";

/// The fields whose values are addresses: one the import refused (not http or https) is
/// published as null, as an empty field is, never as a link.
const LINKS: [&str; 4] = ["landingPage", "describedBy", "downloadURL", "accessURL"];

/// The catalog document, found at `public_url` + `/data.json`.
pub fn catalog(public_url: &str, datasets: Vec<Value>) -> Value {
    json!({
        "conformsTo": CONFORMS_TO,
        "@context": CONTEXT,
        "@type": "dcat:Catalog",
        "describedBy": DESCRIBED_BY,
        "@id": format!("{}/data.json", public_url.trim_end_matches('/')),
        "dataset": datasets,
    })
}

/// A stored dataset as published: from its source when the import kept one, otherwise from
/// the columns (rows imported before the source was kept, or not made by an import).
pub fn dataset(row: &DatasetRow) -> Result<Map<String, Value>, AppError> {
    match &row.source {
        Some(text) => match serde_json::from_str(text) {
            Ok(Value::Object(source)) => Ok(from_source(&source, &row.id, &row.access_level)),
            Ok(_) => Err(AppError::unreadable(format!(
                "dataset {:?}'s source is not an object",
                row.id
            ))),
            Err(e) => Err(AppError::unreadable(format!(
                "dataset {:?}'s source: {e}",
                row.id
            ))),
        },
        None => from_columns(row),
    }
}

/// The source's object with the identifier as stored (trimmed), the access level as stored
/// (its spelling normalised) where the source gave one, empty text as null, an address the
/// import refused as null, and a contact email as `mailto:` and the address, or null when it
/// is no address at all. No field is added.
pub fn from_source(
    source: &Map<String, Value>,
    identifier: &str,
    access_level: &str,
) -> Map<String, Value> {
    let mut out = source.clone();
    tidy_object(&mut out);
    out.insert("identifier".into(), Value::String(identifier.to_string()));
    // A source without one was stored as "public" (the import's rule), which is not the
    // source's word: it stays without one.
    if out.get("accessLevel").is_some_and(Value::is_string) {
        out.insert(
            "accessLevel".into(),
            Value::String(access_level.to_string()),
        );
    }
    if let Some(Value::Object(contact)) = out.get_mut("contactPoint") {
        if let Some(email) = contact.get_mut("hasEmail") {
            *email = match email.as_str().map(strip_mailto).map(str::trim) {
                Some(address) if address.validate_email() => {
                    Value::String(format!("mailto:{address}"))
                }
                _ => Value::Null,
            };
        }
    }
    out
}

/// Empty text becomes null and refused addresses null, in this object and every one inside it.
fn tidy_object(object: &mut Map<String, Value>) {
    for (key, value) in object.iter_mut() {
        match value {
            Value::String(s) if s.trim().is_empty() => *value = Value::Null,
            Value::String(s) if LINKS.contains(&key.as_str()) && !super::is_web_link(s) => {
                *value = Value::Null
            }
            Value::Object(inner) => tidy_object(inner),
            Value::Array(items) => {
                for item in items {
                    if let Value::Object(inner) = item {
                        tidy_object(inner);
                    }
                }
            }
            _ => {}
        }
    }
}

/// What the columns kept, for a row without a source. Distributions were kept as one address
/// each, without saying whether it was a download, so each is published as an `accessURL`.
fn from_columns(row: &DatasetRow) -> Result<Map<String, Value>, AppError> {
    let unreadable = |what: &str, e: serde_json::Error| {
        AppError::unreadable(format!("dataset {:?}'s {what}: {e}", row.id))
    };
    let keywords: Vec<String> =
        serde_json::from_str(&row.keywords).map_err(|e| unreadable("keywords", e))?;
    let distributions: Vec<super::view::Distribution> =
        serde_json::from_str(&row.distributions).map_err(|e| unreadable("distributions", e))?;
    let mut out = Map::new();
    let mut put = |key: &str, value: Value| {
        out.insert(key.to_string(), value);
    };
    put("@type", json!("dcat:Dataset"));
    put("identifier", json!(row.id));
    put("title", json!(row.title));
    if !row.description.trim().is_empty() {
        put("description", json!(row.description));
    }
    if !keywords.is_empty() {
        put("keyword", json!(keywords));
    }
    put("accessLevel", json!(row.access_level));
    if let Some(name) = &row.publisher {
        put(
            "publisher",
            json!({ "@type": "org:Organization", "name": name }),
        );
    }
    if row.contact_name.is_some() || row.steward_email.is_some() {
        let mut contact = Map::new();
        contact.insert("@type".into(), json!("vcard:Contact"));
        if let Some(name) = &row.contact_name {
            contact.insert("fn".into(), json!(name));
        }
        if let Some(email) = &row.steward_email {
            contact.insert("hasEmail".into(), json!(format!("mailto:{email}")));
        }
        put("contactPoint", Value::Object(contact));
    }
    for (key, value) in [
        ("modified", &row.modified),
        ("license", &row.license),
        ("rights", &row.rights),
        ("accrualPeriodicity", &row.accrual_periodicity),
        ("describedBy", &row.described_by),
        ("landingPage", &row.landing_page),
    ] {
        if let Some(value) = value {
            put(key, json!(value));
        }
    }
    if !distributions.is_empty() {
        let published: Vec<Value> = distributions
            .into_iter()
            .map(|d| {
                let mut one = Map::new();
                one.insert("@type".into(), json!("dcat:Distribution"));
                one.insert("accessURL".into(), json!(d.url));
                for (key, value) in [
                    ("title", d.title),
                    ("format", d.format),
                    ("mediaType", d.media_type),
                ] {
                    if let Some(value) = value {
                        one.insert(key.into(), json!(value));
                    }
                }
                Value::Object(one)
            })
            .collect();
        put("distribution", Value::Array(published));
    }
    tidy_object(&mut out);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            other => panic!("not an object: {other}"),
        }
    }

    #[test]
    fn the_source_is_published_unchanged_but_for_identifier_and_access_level() {
        let source = object(json!({
            "@type": "dcat:Dataset",
            "identifier": "  https://x.org/d/1 ",
            "title": "<b>Trees</b>",
            "accessLevel": "Restricted-Public",
            "spatial": "-93.2,44.8,-92.9,45.1",
            "temporal": "2010-01-01/2020-12-31",
            "theme": ["Environment"],
            "issued": "2014-12-01",
            "publisher": {"name": "Parks", "subOrganizationOf": {"name": "City"}},
            "distribution": [{"@type": "dcat:Distribution", "description": "All trees",
                              "downloadURL": "https://x.org/t.csv", "mediaType": "text/csv"}]
        }));
        let published = from_source(&source, "https://x.org/d/1", "restricted public");
        assert_eq!(published["identifier"], "https://x.org/d/1");
        assert_eq!(published["accessLevel"], "restricted public");
        for key in [
            "@type",
            "title",
            "spatial",
            "temporal",
            "theme",
            "issued",
            "publisher",
            "distribution",
        ] {
            assert_eq!(published[key], source[key], "{key}");
        }
        assert_eq!(published.len(), source.len(), "no field added");
    }

    #[test]
    fn nothing_the_source_lacked_is_filled_in() {
        let source = object(json!({
            "identifier": "a", "title": "A",
            "contactPoint": {"@type": "vcard:Contact", "fn": "Clerk"},
            "publisher": {"name": "Parks"}
        }));
        // The import stored "public" for the missing access level: not published.
        let published = from_source(&source, "a", "public");
        assert_eq!(published, source);
        assert!(!published.contains_key("accessLevel"));
        assert!(!published.contains_key("keyword"));
    }

    #[test]
    fn empty_text_and_refused_addresses_become_null() {
        let source = object(json!({
            "identifier": "a", "title": "A", "license": "", "accessLevel": "public",
            "landingPage": "javascript:alert(1)",
            "contactPoint": {"fn": "Clerk", "hasEmail": "call the clerk"},
            "distribution": [{"accessURL": "data:text/html,x", "title": " "},
                             {"downloadURL": "https://x.org/a.csv", "mediaType": "text/csv"}]
        }));
        let published = from_source(&source, "a", "public");
        assert_eq!(published["license"], Value::Null);
        assert_eq!(published["landingPage"], Value::Null);
        assert_eq!(published["contactPoint"]["hasEmail"], Value::Null);
        assert_eq!(published["contactPoint"]["fn"], "Clerk");
        assert_eq!(published["distribution"][0]["accessURL"], Value::Null);
        assert_eq!(published["distribution"][0]["title"], Value::Null);
        assert_eq!(
            published["distribution"][1]["downloadURL"],
            "https://x.org/a.csv"
        );
    }

    #[test]
    fn a_contact_email_is_a_mailto_address() {
        for (given, published) in [
            (
                "mailto:RCGISMetaData@Co.Ramsey.MN.US",
                "mailto:RCGISMetaData@Co.Ramsey.MN.US",
            ),
            ("clerk@city.gov", "mailto:clerk@city.gov"),
            (
                " MAILTO:clerk@city.gov?subject=Hi ",
                "mailto:clerk@city.gov",
            ),
        ] {
            let source = object(json!({"contactPoint": {"hasEmail": given}}));
            assert_eq!(
                from_source(&source, "a", "public")["contactPoint"]["hasEmail"],
                published
            );
        }
    }

    #[test]
    fn the_catalog_names_the_schema_and_its_own_address() {
        let doc = catalog(
            "https://records.example.gov/",
            vec![json!({"identifier": "a"})],
        );
        assert_eq!(doc["conformsTo"], CONFORMS_TO);
        assert_eq!(doc["@type"], "dcat:Catalog");
        assert_eq!(doc["@context"], CONTEXT);
        assert_eq!(doc["describedBy"], DESCRIBED_BY);
        assert_eq!(doc["@id"], "https://records.example.gov/data.json");
        assert_eq!(doc["dataset"][0]["identifier"], "a");
    }

    #[test]
    fn a_row_without_a_source_publishes_what_its_columns_kept() {
        let row = DatasetRow {
            id: "street-trees".into(),
            title: "Street trees".into(),
            steward_email: Some("steward@concord.example".into()),
            department: Some("Parks".into()),
            access_level: "restricted public".into(),
            withdrawn: 0,
            updated_at: chrono::NaiveDateTime::default(),
            description: String::new(),
            keywords: "[]".into(),
            publisher: Some("Parks".into()),
            contact_name: None,
            license: None,
            rights: None,
            accrual_periodicity: None,
            modified: Some("2024-01-02".into()),
            described_by: None,
            landing_page: None,
            distributions: r#"[{"title": null, "format": "CSV", "media_type": null,
                                "url": "https://x.org/t.csv"}]"#
                .into(),
            content_hash: String::new(),
            source: None,
        };
        let published = Value::Object(dataset(&row).unwrap());
        assert_eq!(
            published,
            json!({
                "@type": "dcat:Dataset",
                "identifier": "street-trees",
                "title": "Street trees",
                "accessLevel": "restricted public",
                "modified": "2024-01-02",
                "publisher": {"@type": "org:Organization", "name": "Parks"},
                "contactPoint": {"@type": "vcard:Contact", "hasEmail": "mailto:steward@concord.example"},
                "distribution": [{"@type": "dcat:Distribution", "accessURL": "https://x.org/t.csv",
                                  "format": "CSV"}]
            })
        );
    }
}
