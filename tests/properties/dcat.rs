//! The DCAT-US `data.json` reader: any bytes, any JSON, and generated catalogs whose every
//! dataset is known to be usable or not.

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use proptest::sample::select;
use recordsdesk::catalog::dcat::{self, CatalogError, ParsedCatalog};
use serde_json::{json, Map, Value};

use crate::cases;
use crate::text::{padding, text_of, visible_char};

const ACCESS_LEVELS: [&str; 3] = ["public", "restricted public", "non-public"];

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<String>().prop_map(Value::String),
        "(<[a-z/!]{1,3}>|&[#a-z0-9]{1,8};|[a-z ]{1,8}|mailto:[a-z]{1,5}@[a-z]{1,5}\\.org|https://x\\.org/[a-z]{1,5}\\.(csv|json|php))+"
            .prop_map(Value::String),
    ]
}

/// Keys a DCAT-US dataset has, and some it should not.
fn dcat_key() -> impl Strategy<Value = String> {
    const KEYS: &[&str] = &[
        "identifier",
        "title",
        "description",
        "keyword",
        "publisher",
        "name",
        "contactPoint",
        "fn",
        "hasEmail",
        "accessLevel",
        "license",
        "rights",
        "accrualPeriodicity",
        "modified",
        "describedBy",
        "landingPage",
        "distribution",
        "downloadURL",
        "accessURL",
        "mediaType",
        "format",
    ];
    prop_oneof![4 => select(KEYS).prop_map(str::to_string), 1 => any::<String>()]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(4, 48, 8, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..6).prop_map(Value::Array),
            btree_map(dcat_key(), inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// What every kept entry satisfies, whatever the input was.
fn entries_are_usable(catalog: &ParsedCatalog, items: usize) -> Result<(), TestCaseError> {
    prop_assert_eq!(catalog.entries.len() + catalog.skipped.len(), items);
    let mut seen = std::collections::HashSet::new();
    for entry in &catalog.entries {
        let id = &entry.identifier;
        prop_assert!(seen.insert(id.clone()), "identifier {id:?} kept twice");
        prop_assert!(!id.is_empty() && id.trim() == id && id.chars().count() <= 200);
        prop_assert!(!id.chars().any(char::is_control));
        let title = &entry.title;
        prop_assert!(!title.is_empty() && title.trim() == title);
        // A title is one line; a tab inside it is kept, as in descriptions.
        prop_assert!(
            !title.chars().any(|c| c.is_control() && c != '\t'),
            "title {title:?}"
        );
        prop_assert!(ACCESS_LEVELS.contains(&entry.access_level.as_str()));
        prop_assert!(!entry.description.contains('\0'));
        for distribution in &entry.distributions {
            prop_assert!(!distribution.url.is_empty());
        }
    }
    for skipped in &catalog.skipped {
        prop_assert!(skipped.index < items && !skipped.reason.is_empty());
    }
    Ok(())
}

/// A title character that HTML stripping leaves alone.
fn title_char() -> impl Strategy<Value = char> {
    visible_char().prop_map(|c| match c {
        '<' | '&' | '\u{200b}' | '\u{feff}' => 'x',
        c => c,
    })
}

/// Words of any script, one space apart.
fn title() -> impl Strategy<Value = String> {
    vec(vec(title_char(), 1..12), 1..6).prop_map(|words| {
        let words: Vec<String> = words.into_iter().map(String::from_iter).collect();
        words.join(" ")
    })
}

/// How a title is written in the file: as is, padded, or inside HTML.
fn written_title() -> impl Strategy<Value = (String, String)> {
    (title(), 0..4usize).prop_map(|(title, how)| {
        let written = match how {
            0 => title.clone(),
            1 => format!("  {title}\n"),
            2 => format!("<p>{title}</p>"),
            _ => format!("<b>{title}</b><br/>"),
        };
        (title, written)
    })
}

/// A missing, empty or differently spelled level that still reads as one of the three.
fn good_access_level() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(Value::Null)),
        Just(Some(json!(" "))),
        select(
            &[
                "public",
                "Public",
                "restricted public",
                "restricted-public",
                "Non-Public",
                "non_public",
                "nonpublic"
            ][..]
        )
        .prop_map(|s| Some(json!(s))),
    ]
}

/// One dataset of a generated catalog.
#[derive(Debug, Clone)]
enum Item {
    /// Usable: an identifier (to be made unique), a title, any other fields of any type.
    Usable {
        identifier: String,
        pad: &'static str,
        title: (String, String),
        access: Option<Value>,
        others: Map<String, Value>,
    },
    /// Not usable, for one of the reasons the reader gives.
    Broken(Value),
    /// The identifier of an earlier usable dataset again.
    Duplicate(usize),
}

fn others() -> impl Strategy<Value = Map<String, Value>> {
    btree_map(dcat_key(), json_value(), 0..10).prop_map(|m| {
        m.into_iter()
            .filter(|(k, _)| !matches!(k.as_str(), "identifier" | "title" | "accessLevel"))
            .collect()
    })
}

fn broken() -> impl Strategy<Value = Value> {
    let id = "[a-z]{1,10}";
    prop_oneof![
        json_leaf(),
        vec(json_leaf(), 0..3).prop_map(Value::Array),
        Just(json!({ "title": "No identifier" })),
        select(&["", "  ", "a\nb", "a\u{0}b", "tab\there"][..])
            .prop_map(|id| json!({ "identifier": id, "title": "Bad identifier" })),
        (201..=210usize)
            .prop_flat_map(|n| text_of(n, false))
            .prop_map(|id| json!({ "identifier": id, "title": "Long identifier" })),
        (json_leaf(), any::<bool>()).prop_filter_map("identifier must not be text", |(v, b)| {
            (!v.is_string() && !v.is_null()).then(|| json!({ "identifier": v, "title": b }))
        }),
        id.prop_map(|id| json!({ "identifier": id })),
        (id, select(&["", "   ", "<p></p>", "<br>", "&nbsp;"][..]))
            .prop_map(|(id, t)| json!({ "identifier": id, "title": t })),
        (
            id,
            prop_oneof![
                Just(json!(1)),
                Just(json!(["x"])),
                Just(json!({"a": 1})),
                Just(json!(true))
            ]
        )
            .prop_map(|(id, t)| json!({ "identifier": id, "title": t })),
        (
            id,
            select(&["secret", "private", "restricted", "public-ish"][..])
        )
            .prop_map(
                |(id, level)| json!({ "identifier": id, "title": "T", "accessLevel": level })
            ),
        (
            id,
            prop_oneof![Just(json!(0)), Just(json!(["public"])), Just(json!({}))]
        )
            .prop_map(
                |(id, level)| json!({ "identifier": id, "title": "T", "accessLevel": level })
            ),
    ]
}

fn item() -> impl Strategy<Value = Item> {
    let usable = (
        (1..150usize).prop_flat_map(|n| text_of(n, false)),
        padding(),
        written_title(),
        good_access_level(),
        others(),
    )
        .prop_map(|(identifier, pad, title, access, others)| Item::Usable {
            identifier,
            pad,
            title,
            access,
            others,
        });
    prop_oneof![
        6 => usable,
        2 => broken().prop_map(Item::Broken),
        1 => any::<usize>().prop_map(Item::Duplicate),
    ]
}

/// The catalog's datasets, and the (identifier, title) of each one the reader must keep.
fn assemble(items: &[Item]) -> (Vec<Value>, Vec<(String, String)>) {
    let mut datasets = Vec::new();
    let mut kept: Vec<(String, String)> = Vec::new();
    for (index, item) in items.iter().enumerate() {
        let dataset = match item {
            Item::Usable {
                identifier,
                pad,
                title: (title, written),
                access,
                others,
            } => {
                let identifier = format!("{index}-{identifier}");
                let mut object = others.clone();
                object.insert(
                    "identifier".into(),
                    json!(format!("{pad}{identifier}{pad}")),
                );
                object.insert("title".into(), json!(written));
                if let Some(level) = access {
                    object.insert("accessLevel".into(), level.clone());
                }
                kept.push((identifier, title.clone()));
                Value::Object(object)
            }
            Item::Broken(value) => value.clone(),
            Item::Duplicate(_) if kept.is_empty() => Value::Null,
            Item::Duplicate(pick) => {
                let (identifier, _) = &kept[pick % kept.len()];
                json!({ "identifier": identifier, "title": "Second copy" })
            }
        };
        datasets.push(dataset);
    }
    (datasets, kept)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases(256)))]

    #[test]
    fn any_bytes_are_read_or_refused_as_not_json_or_not_a_catalog(bytes in vec(any::<u8>(), 0..600)) {
        match dcat::parse(&bytes) {
            Ok(catalog) => entries_are_usable(&catalog, catalog.entries.len() + catalog.skipped.len())?,
            Err(CatalogError::NotJson(m) | CatalogError::NotACatalog(m)) => prop_assert!(!m.is_empty()),
        }
    }

    #[test]
    fn any_json_at_the_top_is_a_catalog_only_with_a_dataset_list(value in json_value()) {
        let is_catalog = value.get("dataset").is_some_and(Value::is_array);
        let result = dcat::parse(&serde_json::to_vec(&value).unwrap());
        prop_assert_eq!(result.is_ok(), is_catalog, "{:?}", result.err());
    }

    #[test]
    fn any_json_datasets_are_each_kept_usable_or_skipped_with_a_reason(datasets in vec(json_value(), 0..12)) {
        let bytes = serde_json::to_vec(&json!({ "dataset": datasets })).unwrap();
        let catalog = dcat::parse(&bytes).expect("a dataset list is a catalog");
        entries_are_usable(&catalog, datasets.len())?;
    }

    #[test]
    fn generated_datasets_come_back_with_their_identifier_and_title_and_only_broken_ones_are_skipped(
        items in vec(item(), 0..10),
        byte_order_mark in any::<bool>(),
    ) {
        let (datasets, kept) = assemble(&items);
        let mut bytes = if byte_order_mark { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        bytes.extend(serde_json::to_vec(&json!({ "dataset": datasets })).unwrap());
        let catalog = dcat::parse(&bytes).expect("a dataset list is a catalog");
        entries_are_usable(&catalog, datasets.len())?;
        let read: Vec<(String, String)> = catalog
            .entries
            .iter()
            .map(|e| (e.identifier.clone(), e.title.clone()))
            .collect();
        prop_assert_eq!(read, kept);

        // Cut anywhere, the file is an error or a catalog, never a panic.
        for end in (0..bytes.len()).step_by(bytes.len() / 16 + 1) {
            let _ = dcat::parse(&bytes[..end]);
        }
    }
}
