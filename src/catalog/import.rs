//! `recordsdesk catalog import`: bring the stored catalog in line with a portal's data.json, in
//! one transaction. Re-running it changes nothing; entries gone from the file are withdrawn,
//! never deleted (requests may name them).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use super::dcat::{CatalogEntry, ParsedCatalog, Skipped, Warning};
use crate::config::DepartmentRule;
use crate::db::models::NewDataset;
use crate::db::schema::datasets;
use crate::db::Conn;
use crate::secrets::sha256_hex;

#[derive(Debug, Default)]
pub struct ImportSummary {
    pub added: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub withdrawn: usize,
    pub skipped: Vec<Skipped>,
    pub warnings: Vec<Warning>,
}

/// The department a publisher stands for: a configured rule, else the publisher's own name
/// unless it is a portal host name ("information.stpaul.gov"), which names no department.
pub fn department_for(publisher: Option<&str>, rules: &[DepartmentRule]) -> Option<String> {
    let publisher = publisher?.trim();
    if let Some(rule) = rules
        .iter()
        .find(|r| r.publisher.trim().eq_ignore_ascii_case(publisher))
    {
        return Some(rule.department.clone());
    }
    let host_like = publisher.contains('.') && !publisher.contains(' ');
    (!publisher.is_empty() && !host_like).then(|| publisher.to_string())
}

/// The columns an entry is stored as, and the hash that tells a changed entry from the same.
struct Stored {
    keywords: String,
    distributions: String,
    department: Option<String>,
    hash: String,
}

fn stored(entry: &CatalogEntry, rules: &[DepartmentRule]) -> Stored {
    let keywords = json!(entry.keywords).to_string();
    let distributions = json!(entry
        .distributions
        .iter()
        .map(|d| json!({ "title": d.title, "format": d.format, "media_type": d.media_type, "url": d.url }))
        .collect::<Vec<_>>())
    .to_string();
    let department = department_for(entry.publisher.as_deref(), rules);
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
        ])
        .to_string()
        .as_bytes(),
    );
    Stored {
        keywords,
        distributions,
        department,
        hash,
    }
}

/// Applies the parsed catalog in the caller's transaction; `progress` hears of each entry.
pub fn apply(
    conn: &mut Conn,
    catalog: &ParsedCatalog,
    rules: &[DepartmentRule],
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
        let columns = stored(entry, rules);
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> Vec<DepartmentRule> {
        vec![DepartmentRule {
            publisher: "City of Concord Police Department".into(),
            department: "Police".into(),
        }]
    }

    #[test]
    fn publishers_map_to_departments_by_rule_then_by_name() {
        assert_eq!(
            department_for(Some("city of concord police department"), &rules()).as_deref(),
            Some("Police")
        );
        assert_eq!(
            department_for(Some("Public Works"), &rules()).as_deref(),
            Some("Public Works")
        );
        assert_eq!(
            department_for(Some("information.stpaul.gov"), &rules()),
            None
        );
        assert_eq!(department_for(None, &rules()), None);
    }
}
