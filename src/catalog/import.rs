//! `recordsdesk catalog import`: bring the stored catalog in line with a portal's data.json, in
//! one transaction. Re-running it changes nothing; entries gone from the file are withdrawn,
//! never deleted (requests may name them).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{json, Value};

use super::completeness::{self, Incomplete};
use super::dcat::{CatalogEntry, ParsedCatalog, Skipped, Warning};
use super::{data_json, placement};
use crate::db::models::NewDataset;
use crate::db::schema::datasets;
use crate::db::Conn;
use crate::domain::directory::Directory;
use crate::domain::routing;
use crate::domain::RequestKind;
use crate::secrets::sha256_hex;

#[derive(Debug, Default)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub withdrawn: usize,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
    /// Datasets nothing places (no staff account with their contact email, no department
    /// with their publisher or host names): access requests for them go to the City Clerk.
    pub unplaced: Vec<Unplaced>,
    /// Datasets lacking fields DCAT-US 1.1 requires: `data.json` publishes them without.
    pub incomplete: Vec<Incomplete>,
}

/// A dataset the directory could not place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unplaced {
    pub id: String,
    pub title: String,
    pub publisher: Option<String>,
    pub hosts: Vec<String>,
}

/// The columns an entry is stored as, and the hash that tells a changed entry from the same.
struct Stored {
    keywords: String,
    distributions: String,
    department: Option<String>,
    /// The entry's object in the file, as JSON.
    source: String,
    hash: String,
}

fn stored(entry: &CatalogEntry, department: Option<String>) -> Stored {
    let keywords = json!(entry.keywords).to_string();
    let distributions = json!(entry
        .distributions
        .iter()
        .map(|d| json!({ "title": d.title, "format": d.format, "media_type": d.media_type, "url": d.url }))
        .collect::<Vec<_>>())
    .to_string();
    let source = Value::Object(entry.source.clone()).to_string();
    let hash = sha256_hex(
        json!([
            entry.title,
            entry.description,
            keywords,
            entry.publisher,
            entry.contact_name,
            entry.contact_email,
            entry.access_level,
            entry.license,
            entry.rights,
            entry.accrual_periodicity,
            entry.modified,
            entry.described_by,
            entry.landing_page,
            distributions,
            department,
            source,
        ])
        .to_string()
        .as_bytes(),
    );
    Stored {
        keywords,
        distributions,
        department,
        source,
        hash,
    }
}

/// Applies the parsed catalog in the caller's transaction; `progress` hears of each entry.
pub fn apply(
    conn: &mut Conn,
    catalog: &ParsedCatalog,
    directory: &Directory,
    now: NaiveDateTime,
    progress: &mut dyn FnMut(usize),
) -> QueryResult<ImportSummary> {
    let existing: HashMap<String, (String, i32)> = datasets::table
        .select((datasets::id, datasets::content_hash, datasets::withdrawn))
        .load::<(String, String, i32)>(conn)?
        .into_iter()
        .map(|(id, hash, withdrawn)| (id, (hash, withdrawn)))
        .collect();
    let mut summary = ImportSummary {
        skipped: catalog.skipped.clone(),
        warnings: catalog.warnings.clone(),
        ..Default::default()
    };
    let mut seen = HashSet::with_capacity(catalog.entries.len());
    for (done, entry) in catalog.entries.iter().enumerate() {
        seen.insert(entry.identifier.as_str());
        // Placed as an access request for it would be, from the same function.
        let hosts = placement::hosts_in(
            entry
                .landing_page
                .iter()
                .map(String::as_str)
                .chain(entry.distributions.iter().map(|d| d.url.as_str())),
        );
        let contacts = placement::contacts(
            conn,
            entry.contact_email.as_deref(),
            entry.publisher.as_deref(),
            hosts.clone(),
        )?;
        let route = routing::route(RequestKind::DatasetAccess, Some(&contacts), directory);
        if route.unplaced() {
            summary.unplaced.push(Unplaced {
                id: entry.identifier.clone(),
                title: entry.title.clone(),
                publisher: entry.publisher.clone(),
                hosts,
            });
        }
        // Checked as `data.json` will publish it.
        let published =
            data_json::from_source(&entry.source, &entry.identifier, &entry.access_level);
        let missing = completeness::missing(&published);
        if !missing.is_empty() {
            summary.incomplete.push(Incomplete {
                id: entry.identifier.clone(),
                title: entry.title.clone(),
                missing,
            });
        }
        let department = directory.by_queue(&route.queue).map(|d| d.name.clone());
        let columns = stored(entry, department);
        let row = NewDataset {
            id: &entry.identifier,
            title: &entry.title,
            steward_email: entry.contact_email.as_deref(),
            department: columns.department.as_deref(),
            access_level: &entry.access_level,
            withdrawn: 0,
            updated_at: now,
            description: &entry.description,
            keywords: &columns.keywords,
            publisher: entry.publisher.as_deref(),
            contact_name: entry.contact_name.as_deref(),
            license: entry.license.as_deref(),
            rights: entry.rights.as_deref(),
            accrual_periodicity: entry.accrual_periodicity.as_deref(),
            modified: entry.modified.as_deref(),
            described_by: entry.described_by.as_deref(),
            landing_page: entry.landing_page.as_deref(),
            distributions: &columns.distributions,
            content_hash: &columns.hash,
            source: Some(&columns.source),
        };
        match existing.get(&entry.identifier) {
            None => {
                diesel::insert_into(datasets::table)
                    .values(&row)
                    .execute(conn)?;
                summary.added += 1;
            }
            Some((hash, 0)) if *hash == columns.hash => summary.unchanged += 1,
            Some(_) => {
                diesel::update(datasets::table.find(&entry.identifier))
                    .set(&row)
                    .execute(conn)?;
                summary.updated += 1;
            }
        }
        progress(done + 1);
    }
    for (id, (_, withdrawn)) in &existing {
        if *withdrawn == 0 && !seen.contains(id.as_str()) {
            diesel::update(datasets::table.find(id))
                .set((datasets::withdrawn.eq(1), datasets::updated_at.eq(now)))
                .execute(conn)?;
            summary.withdrawn += 1;
        }
    }
    Ok(summary)
}
