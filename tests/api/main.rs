//! Black-box tests of the running service over HTTP, on the backend named by
//! RECORDSDESK_TEST_BACKEND (sqlite by default, postgres in CI as well).

mod helpers;

mod audit;
mod auth;
mod catalog;
mod cli;
mod concurrency;
mod idempotency;
mod lifecycle;
mod limits;
mod mail;
mod openapi;
mod pages;
mod queue;
mod refusals;
mod schema;
mod smtp;
