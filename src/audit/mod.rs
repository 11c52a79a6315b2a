//! The tamper-evident audit log (docs/PRODUCT.md, "The audit log"): every change to a request is an event in that
//! request's hash chain, `hash = SHA-256(prev_hash ‖ canonical event)`.

pub mod chain;
pub mod store;
pub mod verify;

pub use chain::{Actor, GENESIS_HASH};
pub use store::{append, OpenChain};
pub use verify::{verify_all, verify_documents, Break, VerifyReport};
