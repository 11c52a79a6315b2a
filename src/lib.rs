//! recordsdesk: public records and open-data access requests for a city.
//!
//! `domain` holds the rules, `db` the storage, `audit` the hash-chained log, `notify` the
//! outbox, `workflow` the operations that combine them in one transaction each, and `web` the
//! JSON API. `main.rs` only parses the command line and calls in here.

pub mod app;
pub mod audit;
pub mod blobs;
pub mod catalog;
pub mod cli;
pub mod config;
pub mod db;
pub mod domain;
pub mod jobs;
pub mod notify;
pub mod secrets;
#[cfg(feature = "seed")]
pub mod seed;
pub mod startup;
pub mod web;
