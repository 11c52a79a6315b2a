//! Catalog import speed on a generated 10,000-entry DCAT-US catalog, against a baseline in the
//! same run: inserting the same number of minimal dataset rows in one transaction.
//!
//! `cargo bench --bench catalog_import` (SQLite in a temp folder), or with
//! `RECORDSDESK_BENCH_DATABASE_URL=postgres://…/db` against an empty PostgreSQL database.

use std::time::Instant;

use recordsdesk::catalog::{dcat, import};
use recordsdesk::config::Settings;
use recordsdesk::db::models::NewDataset;
use recordsdesk::db::{datasets, DbError};
use recordsdesk::startup::open_database;
use serde_json::json;

const ENTRIES: usize = 10_000;

fn catalog() -> Vec<u8> {
    let entries: Vec<_> = (0..ENTRIES)
        .map(|i| {
            json!({
                "identifier": format!("https://data.example.gov/datasets/{i}"),
                "title": format!("Dataset number {i}"),
                "description": format!("<p>Records of <b>department {}</b>, published monthly.</p>", i % 40),
                "keyword": ["city", format!("topic-{}", i % 97)],
                "publisher": { "name": format!("Department {}", i % 40) },
                "contactPoint": { "fn": "Data steward", "hasEmail": format!("mailto:steward{}@example.gov", i % 40) },
                "accessLevel": if i % 5 == 0 { "restricted public" } else { "public" },
                "license": "https://creativecommons.org/licenses/by/4.0/",
                "accrualPeriodicity": "R/P1M",
                "modified": "2026-11-01",
                "distribution": [{ "downloadURL": format!("https://data.example.gov/datasets/{i}.csv"), "mediaType": "text/csv" }]
            })
        })
        .collect();
    json!({ "conformsTo": "https://project-open-data.cio.gov/v1.1/schema", "dataset": entries })
        .to_string()
        .into_bytes()
}

fn database() -> (tempfile::TempDir, recordsdesk::db::Db, Settings) {
    let dir = tempfile::tempdir().unwrap();
    let mut settings = Settings::defaults();
    settings.data_dir = dir.path().to_path_buf();
    if let Ok(url) = std::env::var("RECORDSDESK_BENCH_DATABASE_URL") {
        settings.database.url = url.into();
    }
    let db = open_database(&settings).expect("database");
    (dir, db, settings)
}

fn main() {
    let bytes = catalog();
    let (_dir, db, _settings) = database();

    let started = Instant::now();
    let parsed = dcat::parse(&bytes).expect("a valid catalog");
    let parse_secs = started.elapsed().as_secs_f64();
    let summary = db
        .write(|conn| {
            let directory = recordsdesk::db::directory::load(conn)?;
            import::apply(
                conn,
                &parsed,
                &directory,
                recordsdesk::db::now(),
                &mut |_| {},
            )
            .map_err(DbError::from)
        })
        .expect("import");
    let import_secs = started.elapsed().as_secs_f64();
    assert_eq!(summary.added, ENTRIES);

    let again = Instant::now();
    let parsed = dcat::parse(&bytes).unwrap();
    let second = db
        .write(|conn| {
            let directory = recordsdesk::db::directory::load(conn)?;
            import::apply(
                conn,
                &parsed,
                &directory,
                recordsdesk::db::now(),
                &mut |_| {},
            )
            .map_err(DbError::from)
        })
        .unwrap();
    let reimport_secs = again.elapsed().as_secs_f64();
    assert_eq!(second.unchanged, ENTRIES);

    let (_dir2, baseline_db, _) = database();
    let baseline = Instant::now();
    let now = recordsdesk::db::now();
    baseline_db
        .write(|conn| {
            for i in 0..ENTRIES {
                let id = format!("https://data.example.gov/datasets/{i}");
                let title = format!("Dataset number {i}");
                let row = NewDataset {
                    id: &id,
                    title: &title,
                    access_level: "public",
                    updated_at: now,
                    keywords: "[]",
                    distributions: "[]",
                    ..Default::default()
                };
                datasets::upsert(conn, &row)?;
            }
            Ok::<_, DbError>(())
        })
        .unwrap();
    let baseline_secs = baseline.elapsed().as_secs_f64();

    let rate = ENTRIES as f64 / import_secs;
    let ceiling = ENTRIES as f64 / baseline_secs;
    println!(
        "backend: {:?}; catalog of {ENTRIES} entries, {} KB",
        db.backend(),
        bytes.len() / 1024
    );
    println!("parse: {parse_secs:.2} s; first import (parse + write): {import_secs:.2} s = {rate:.0} datasets/s");
    println!(
        "re-import, nothing changed: {reimport_secs:.2} s = {:.0} datasets/s",
        ENTRIES as f64 / reimport_secs
    );
    println!("baseline, the same count of minimal upserts in one transaction: {baseline_secs:.2} s = {ceiling:.0}/s");
    println!("import / baseline = {:.2}", rate / ceiling);
}
