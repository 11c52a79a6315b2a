//! Which fields DCAT-US 1.1 requires that a published dataset lacks (docs/PRODUCT.md, "The
//! catalog as data.json"). A city is no federal agency: bureauCode and programCode (USG-only in
//! the schema) are not asked for. The import's report and the admin page list what this finds;
//! `data.json` publishes the dataset without what it lacks. No I/O.

use serde_json::{Map, Value};
use validator::ValidateEmail;

/// A required field a dataset lacks. Distributions are numbered from 1, as the import's
/// warnings number them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Missing {
    Title,
    Description,
    Keyword,
    Modified,
    PublisherName,
    ContactName,
    ContactEmail,
    Identifier,
    AccessLevel,
    /// Required when the access level is "restricted public" or "non-public".
    Rights,
    DistributionAddress(usize),
    /// Required when the distribution gives a `downloadURL`.
    DistributionMediaType(usize),
}

impl Missing {
    /// The field as DCAT-US names it.
    pub fn field(&self) -> String {
        match self {
            Missing::Title => "title".into(),
            Missing::Description => "description".into(),
            Missing::Keyword => "keyword".into(),
            Missing::Modified => "modified".into(),
            Missing::PublisherName => "publisher.name".into(),
            Missing::ContactName => "contactPoint.fn".into(),
            Missing::ContactEmail => "contactPoint.hasEmail".into(),
            Missing::Identifier => "identifier".into(),
            Missing::AccessLevel => "accessLevel".into(),
            Missing::Rights => "rights".into(),
            Missing::DistributionAddress(n) => {
                format!("distribution {n}: downloadURL or accessURL")
            }
            Missing::DistributionMediaType(n) => format!("distribution {n}: mediaType"),
        }
    }

    /// What is missing, in words.
    pub fn words(&self) -> String {
        match self {
            Missing::Title => "no title".into(),
            Missing::Description => "no description".into(),
            Missing::Keyword => "no keywords".into(),
            Missing::Modified => "no date of its last change".into(),
            Missing::PublisherName => "no publisher's name".into(),
            Missing::ContactName => "no contact name".into(),
            Missing::ContactEmail => "no contact email".into(),
            Missing::Identifier => "no identifier".into(),
            Missing::AccessLevel => {
                "no access level (public, restricted public or non-public)".into()
            }
            Missing::Rights => "no explanation of why access is restricted".into(),
            Missing::DistributionAddress(n) => {
                format!("no download or access address for distribution {n}")
            }
            Missing::DistributionMediaType(n) => {
                format!("no file type for the download of distribution {n}")
            }
        }
    }

    /// The words and the field: "no contact email (contactPoint.hasEmail)".
    pub fn said(&self) -> String {
        format!("{} ({})", self.words(), self.field())
    }
}

/// A dataset lacking required fields, and which.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incomplete {
    pub id: String,
    pub title: String,
    pub missing: Vec<Missing>,
}

/// The required fields `dataset` (as published) lacks, in the schema's order; empty when
/// it has them all. A field of the wrong JSON type counts as missing.
pub fn missing(dataset: &Map<String, Value>) -> Vec<Missing> {
    let text = |object: &Map<String, Value>, key: &str| {
        object
            .get(key)
            .and_then(Value::as_str)
            .is_some_and(|s| !s.trim().is_empty())
    };
    let mut out = Vec::new();
    if !text(dataset, "title") {
        out.push(Missing::Title);
    }
    if !text(dataset, "description") {
        out.push(Missing::Description);
    }
    let keywords = dataset.get("keyword").and_then(Value::as_array);
    if !keywords.is_some_and(|list| {
        list.iter()
            .any(|k| k.as_str().is_some_and(|k| !k.trim().is_empty()))
    }) {
        out.push(Missing::Keyword);
    }
    if !text(dataset, "modified") {
        out.push(Missing::Modified);
    }
    let publisher = dataset.get("publisher").and_then(Value::as_object);
    if !publisher.is_some_and(|p| text(p, "name")) {
        out.push(Missing::PublisherName);
    }
    let contact = dataset.get("contactPoint").and_then(Value::as_object);
    if !contact.is_some_and(|c| text(c, "fn")) {
        out.push(Missing::ContactName);
    }
    if !contact
        .and_then(|c| c.get("hasEmail"))
        .and_then(Value::as_str)
        .is_some_and(is_mailto_address)
    {
        out.push(Missing::ContactEmail);
    }
    if !text(dataset, "identifier") {
        out.push(Missing::Identifier);
    }
    let access_level = dataset.get("accessLevel").and_then(Value::as_str);
    match access_level {
        Some("public") => {}
        Some("restricted public" | "non-public") => {
            if !text(dataset, "rights") {
                out.push(Missing::Rights);
            }
        }
        _ => out.push(Missing::AccessLevel),
    }
    let distributions = match dataset.get("distribution") {
        Some(Value::Array(list)) => list.as_slice(),
        Some(one @ Value::Object(_)) => std::slice::from_ref(one),
        _ => &[],
    };
    for (i, item) in distributions.iter().enumerate() {
        let number = i + 1;
        let Some(d) = item.as_object() else {
            out.push(Missing::DistributionAddress(number));
            continue;
        };
        let download = text(d, "downloadURL");
        if !download && !text(d, "accessURL") {
            out.push(Missing::DistributionAddress(number));
        }
        if download && !text(d, "mediaType") {
            out.push(Missing::DistributionMediaType(number));
        }
    }
    out
}

/// `mailto:` and an email address, as the schema's `hasEmail` is.
fn is_mailto_address(value: &str) -> bool {
    value
        .strip_prefix("mailto:")
        .is_some_and(|address| address.validate_email())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn check(value: Value) -> Vec<Missing> {
        missing(value.as_object().expect("an object"))
    }

    fn complete() -> Value {
        json!({
            "title": "Building Permits",
            "description": "Permits since 2015.",
            "keyword": ["permits"],
            "modified": "2024-05-13",
            "publisher": {"@type": "org:Organization", "name": "Community Development"},
            "contactPoint": {"@type": "vcard:Contact", "fn": "Permit Center",
                             "hasEmail": "mailto:permits@cityofconcord.org"},
            "identifier": "https://data.cityofconcord.org/datasets/building-permits",
            "accessLevel": "public",
            "distribution": [
                {"downloadURL": "https://x.org/p.csv", "mediaType": "text/csv"},
                {"accessURL": "https://x.org/api"}
            ]
        })
    }

    #[test]
    fn a_complete_dataset_lacks_nothing_and_federal_codes_are_not_asked_for() {
        assert_eq!(check(complete()), []);
        let mut no_distributions = complete();
        no_distributions
            .as_object_mut()
            .unwrap()
            .remove("distribution");
        assert_eq!(check(no_distributions), [], "distribution is if applicable");
    }

    #[test]
    fn an_empty_object_lacks_every_required_field() {
        assert_eq!(
            check(json!({})),
            [
                Missing::Title,
                Missing::Description,
                Missing::Keyword,
                Missing::Modified,
                Missing::PublisherName,
                Missing::ContactName,
                Missing::ContactEmail,
                Missing::Identifier,
                Missing::AccessLevel,
            ]
        );
    }

    #[test]
    fn a_socrata_entry_lacks_its_keywords_and_contact_email() {
        let socrata = json!({
            "publisher": {"@type": "org:Organization", "name": "information.stpaul.gov"},
            "accessLevel": "public",
            "description": "This is a list of capital projects from 2004 to present.",
            "identifier": "https://information.stpaul.gov/api/views/26h5-gyz4",
            "title": "Capital Project List - Dataset",
            "modified": "2018-08-09",
            "distribution": [{"downloadURL": "https://information.stpaul.gov/a.csv",
                              "@type": "dcat:Distribution", "mediaType": "text/csv"}],
            "contactPoint": {"@type": "vcard:Contact", "fn": "Engelking, Derek (CI-StPaul)"}
        });
        assert_eq!(check(socrata), [Missing::Keyword, Missing::ContactEmail]);
    }

    #[test]
    fn empty_null_and_wrongly_typed_fields_count_as_missing() {
        let mut d = complete();
        let o = d.as_object_mut().unwrap();
        o.insert("title".into(), json!("  "));
        o.insert("description".into(), Value::Null);
        o.insert("keyword".into(), json!(["", 7]));
        o.insert("modified".into(), json!(20240513));
        o.insert("publisher".into(), json!("Community Development"));
        o.insert(
            "contactPoint".into(),
            json!({"fn": "", "hasEmail": "permits@cityofconcord.org"}),
        );
        o.insert("identifier".into(), json!(42));
        o.insert("accessLevel".into(), json!("confidential"));
        assert_eq!(
            check(d),
            [
                Missing::Title,
                Missing::Description,
                Missing::Keyword,
                Missing::Modified,
                Missing::PublisherName,
                Missing::ContactName,
                Missing::ContactEmail,
                Missing::Identifier,
                Missing::AccessLevel,
            ]
        );
        let mut keyword_as_text = complete();
        keyword_as_text["keyword"] = json!("permits");
        assert_eq!(check(keyword_as_text), [Missing::Keyword], "must be a list");
        let mut bad_email = complete();
        bad_email["contactPoint"]["hasEmail"] = json!("mailto:call the clerk");
        assert_eq!(check(bad_email), [Missing::ContactEmail]);
    }

    #[test]
    fn a_restricted_dataset_must_say_why() {
        for level in ["restricted public", "non-public"] {
            let mut d = complete();
            d["accessLevel"] = json!(level);
            assert_eq!(check(d.clone()), [Missing::Rights], "{level}");
            d["rights"] = json!("Contains personal information.");
            assert_eq!(check(d), [], "{level}");
        }
    }

    #[test]
    fn each_distribution_needs_an_address_and_a_download_its_media_type() {
        let mut d = complete();
        d["distribution"] = json!([
            {"downloadURL": "https://x.org/p.csv", "mediaType": "text/csv"},
            {"title": "No link", "format": "CSV"},
            {"downloadURL": "https://x.org/p.pdf", "format": "PDF"},
            {"accessURL": "https://x.org/api", "mediaType": null},
            {"downloadURL": null, "accessURL": ""},
            "junk"
        ]);
        assert_eq!(
            check(d.clone()),
            [
                Missing::DistributionAddress(2),
                Missing::DistributionMediaType(3),
                Missing::DistributionAddress(5),
                Missing::DistributionAddress(6),
            ]
        );
        d["distribution"] = json!({"downloadURL": "https://x.org/p.csv"});
        assert_eq!(
            check(d),
            [Missing::DistributionMediaType(1)],
            "a lone object"
        );
    }

    #[test]
    fn what_is_missing_is_said_in_words_and_by_its_field() {
        assert_eq!(
            Missing::ContactEmail.said(),
            "no contact email (contactPoint.hasEmail)"
        );
        assert_eq!(
            Missing::DistributionMediaType(2).said(),
            "no file type for the download of distribution 2 (distribution 2: mediaType)"
        );
    }
}
