//! recordsdesk: public records and open-data access requests for a city.
//!
//! `domain` holds the rules, `app` the operations (each one transaction, and the only thing
//! the faces call), `db` the storage, `audit` the hash-chained log, `notify` the notices and
//! the outbox, `release_check` what a file would give away by accident, `catalog` the dataset
//! catalog, and `web` the JSON API and the pages.
//! `main.rs` only parses the command line and calls in here. docs/ARCHITECTURE.md draws the
//! map; docs/PRODUCT.md says what the product does.

pub mod app;
pub mod audit;
pub mod blobs;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod file_text;
pub mod jobs;
pub mod notify;
pub mod release_check;
pub mod secrets;
#[cfg(feature = "seed")]
pub mod seed;
pub mod startup;
pub mod web;
pub mod wording;
