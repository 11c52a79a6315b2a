//! The datasets requests can name (the full catalog import comes with the catalog module).

use diesel::prelude::*;

use super::models::{DatasetRow, NewDataset};
use super::schema::datasets;
use super::Conn;

pub fn by_id(conn: &mut Conn, id: &str) -> QueryResult<Option<DatasetRow>> {
    datasets::table
        .find(id)
        .select(DatasetRow::as_select())
        .first(conn)
        .optional()
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
