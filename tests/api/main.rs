//! Black-box tests of the running service over HTTP, on the backend named by
//! RECORDSDESK_TEST_BACKEND (sqlite by default, postgres in CI as well).

mod helpers;

mod admin;
mod anonymous;
mod assist;
mod audit;
mod auth;
mod authz;
mod bad_input;
mod catalog;
mod cli;
mod complaints;
mod concurrency;
mod confirm;
mod crash;
mod determinations;
mod documents;
mod duplicates;
mod find;
mod hostile_text;
mod idempotency;
mod inbound;
mod intake;
mod layers;
mod lifecycle;
mod limits;
mod lost_key;
mod mail;
mod notes;
mod openapi;
mod pages;
mod plain_words;
mod post;
mod queue;
mod refusals;
mod reports;
mod request_form;
mod schema;
mod search;
mod security;
mod seed;
mod sent_files;
mod sessions;
mod smtp;
mod text_input;
