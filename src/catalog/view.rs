//! The catalog as requesters read it, from the API and the pages alike.

use serde::Deserialize;
use serde_json::Value;

use super::dcat::periodicity_words;
use crate::app::AppError;
use crate::db::models::DatasetRow;
use crate::db::{datasets, Conn};
use crate::domain::FieldErrors;

pub const PAGE_SIZE: i64 = 20;
pub const MAX_PAGE: i64 = 100_000;

/// A download or access address of a dataset, as the import stored it.
#[derive(Debug, Clone, Deserialize)]
pub struct Distribution {
    pub title: Option<String>,
    pub format: Option<String>,
    pub media_type: Option<String>,
    pub url: String,
}

/// A dataset's catalog entry as requesters read it.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub id: String,
    pub title: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub publisher: Option<String>,
    pub department: Option<String>,
    /// `public`, `restricted public` or `non-public`.
    pub access_level: String,
    pub license: Option<String>,
    pub rights: Option<String>,
    /// As in the catalog, e.g. `R/P1M`.
    pub accrual_periodicity: Option<String>,
    /// In words, e.g. "monthly".
    pub update_frequency: Option<String>,
    pub modified: Option<String>,
    /// The contact point's name (the steward).
    pub steward: Option<String>,
    pub data_dictionary: Option<String>,
    pub landing_page: Option<String>,
    pub distributions: Vec<Distribution>,
    /// No longer in the portal's catalog (requests that name it keep it).
    pub withdrawn: bool,
    /// Who an access request for it goes to (the dataset page; not the catalog's list).
    pub handled_by: Option<super::placement::HandledBy>,
}

impl TryFrom<DatasetRow> for Dataset {
    type Error = AppError;

    fn try_from(row: DatasetRow) -> Result<Dataset, AppError> {
        let unreadable = |what: &str, e: serde_json::Error| {
            AppError::unreadable(format!("dataset {:?}'s {what}: {e}", row.id))
        };
        Ok(Dataset {
            update_frequency: row
                .accrual_periodicity
                .as_deref()
                .and_then(periodicity_words)
                .map(str::to_string),
            keywords: serde_json::from_str(&row.keywords).map_err(|e| unreadable("keywords", e))?,
            // Rows imported before links were checked may hold others: never shown as links.
            distributions: serde_json::from_str::<Vec<Distribution>>(&row.distributions)
                .map_err(|e| unreadable("distributions", e))?
                .into_iter()
                .filter(|d| super::is_web_link(&d.url))
                .collect(),
            withdrawn: row.withdrawn != 0,
            handled_by: None,
            id: row.id,
            title: row.title,
            description: row.description,
            publisher: row.publisher,
            department: row.department,
            access_level: row.access_level,
            license: row.license,
            rights: row.rights,
            accrual_periodicity: row.accrual_periodicity,
            modified: row.modified,
            steward: row.contact_name,
            data_dictionary: row.described_by.filter(|u| super::is_web_link(u)),
            landing_page: row.landing_page.filter(|u| super::is_web_link(u)),
        })
    }
}

/// The catalog search as a query string carries it (the API and the page alike).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct CatalogQuery {
    pub q: Option<String>,
    pub access_level: Option<String>,
    pub page: Option<String>,
}

/// One page of datasets.
#[derive(Debug, Clone)]
pub struct CatalogPage {
    pub items: Vec<Dataset>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

pub fn search(conn: &mut Conn, query: &CatalogQuery) -> Result<CatalogPage, AppError> {
    let mut errors = FieldErrors::default();
    let blank = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let q = blank(&query.q);
    if q.as_deref()
        .is_some_and(|q| q.chars().count() > 200 || q.chars().any(char::is_control))
    {
        errors.add("q", "must be at most 200 characters of text");
    }
    let access_level = blank(&query.access_level);
    if access_level
        .as_deref()
        .is_some_and(|l| !matches!(l, "public" | "restricted public" | "non-public"))
    {
        errors.add(
            "access_level",
            "must be public, restricted public or non-public",
        );
    }
    let page = match query.page.as_deref() {
        None => 1,
        Some(raw) => match crate::domain::input::parse_count(raw, MAX_PAGE) {
            Some(n) => n,
            None => {
                errors.add(
                    "page",
                    format!("must be a page number from 1 to {MAX_PAGE}"),
                );
                1
            }
        },
    };
    errors.into_result()?;
    let (rows, total) = datasets::search(
        conn,
        q.as_deref(),
        access_level.as_deref(),
        (page - 1) * PAGE_SIZE,
        PAGE_SIZE,
    )?;
    Ok(CatalogPage {
        items: rows
            .into_iter()
            .map(Dataset::try_from)
            .collect::<Result<_, _>>()?,
        total,
        page,
        pages: (total + PAGE_SIZE - 1) / PAGE_SIZE,
    })
}

pub fn get(conn: &mut Conn, id: &str) -> Result<Dataset, AppError> {
    if id.chars().any(char::is_control) || id.len() > crate::domain::input::limits::DATASET_ID {
        return Err(AppError::NotFound);
    }
    datasets::by_id(conn, id)?
        .ok_or(AppError::NotFound)
        .and_then(Dataset::try_from)
}

/// A dataset with who an access request for it goes to, from the function routing uses.
pub fn get_with_handler(
    conn: &mut Conn,
    id: &str,
    directory: &crate::domain::directory::Directory,
) -> Result<Dataset, AppError> {
    if id.chars().any(char::is_control) || id.len() > crate::domain::input::limits::DATASET_ID {
        return Err(AppError::NotFound);
    }
    let row = datasets::by_id(conn, id)?.ok_or(AppError::NotFound)?;
    let handled_by = super::placement::handled_by(conn, &row, directory)?;
    let mut dataset = Dataset::try_from(row)?;
    dataset.handled_by = Some(handled_by);
    Ok(dataset)
}

/// The current catalog as DCAT-US 1.1 `data.json` (`super::data_json`), its `@id` under
/// `public_url`.
pub fn data_json(conn: &mut Conn, public_url: &str) -> Result<Value, AppError> {
    let published = datasets::current(conn)?
        .iter()
        .map(|row| super::data_json::dataset(row).map(Value::Object))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(super::data_json::catalog(public_url, published))
}

/// The current datasets lacking fields DCAT-US 1.1 requires, as `data.json` publishes them,
/// by title; and how many current datasets there are in all.
pub fn incomplete(
    conn: &mut Conn,
) -> Result<(Vec<super::completeness::Incomplete>, usize), AppError> {
    let rows = datasets::current(conn)?;
    let total = rows.len();
    let mut incomplete = Vec::new();
    for row in rows {
        let missing = super::completeness::missing(&super::data_json::dataset(&row)?);
        if !missing.is_empty() {
            incomplete.push(super::completeness::Incomplete {
                id: row.id,
                title: row.title,
                missing,
            });
        }
    }
    incomplete.sort_by(|a, b| (&a.title, &a.id).cmp(&(&b.title, &b.id)));
    Ok((incomplete, total))
}
