//! The datasets requests can name: lookups, the catalog search, the current catalog, and
//! single upserts for tests.

use diesel::prelude::*;
use diesel::sql_types::Text;

use super::models::{DatasetRow, NewDataset};
use super::schema::datasets;
use super::Conn;

diesel::define_sql_function!(fn lower(x: Text) -> Text);

pub fn by_id(conn: &mut Conn, id: &str) -> QueryResult<Option<DatasetRow>> {
    datasets::table
        .find(id)
        .select(DatasetRow::as_select())
        .first(conn)
        .optional()
}

/// Every current (not withdrawn) dataset, by identifier: the catalog `data.json` publishes.
pub fn current(conn: &mut Conn) -> QueryResult<Vec<DatasetRow>> {
    datasets::table
        .filter(datasets::withdrawn.eq(0))
        .order(datasets::id)
        .select(DatasetRow::as_select())
        .load(conn)
}

/// Adds a dataset or brings its stored copy up to date.
pub fn upsert(conn: &mut Conn, dataset: &NewDataset<'_>) -> QueryResult<()> {
    let updated = diesel::update(datasets::table.find(dataset.id))
        .set(dataset)
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(datasets::table)
            .values(dataset)
            .execute(conn)?;
    }
    Ok(())
}

/// Current datasets whose title, description, keywords or publisher contain `q` (any case),
/// optionally of one access level, by title; and how many match in all.
pub fn search(
    conn: &mut Conn,
    q: Option<&str>,
    access_level: Option<&str>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<DatasetRow>, i64)> {
    let filtered = || {
        let mut query = datasets::table
            .filter(datasets::withdrawn.eq(0))
            .into_boxed();
        if let Some(q) = q {
            let pattern = format!(
                "%{}%",
                q.to_lowercase()
                    .replace('\\', "\\\\")
                    .replace('%', "\\%")
                    .replace('_', "\\_")
            );
            query = query.filter(
                lower(datasets::title)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(datasets::description)
                        .like(pattern.clone())
                        .escape('\\'))
                    .or(lower(datasets::keywords).like(pattern.clone()).escape('\\'))
                    .or(lower(datasets::publisher.assume_not_null())
                        .like(pattern)
                        .escape('\\')),
            );
        }
        if let Some(level) = access_level {
            query = query.filter(datasets::access_level.eq(level.to_string()));
        }
        query
    };
    let total = filtered().count().get_result(conn)?;
    let rows = filtered()
        .order((datasets::title, datasets::id))
        .offset(offset)
        .limit(limit)
        .select(DatasetRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
