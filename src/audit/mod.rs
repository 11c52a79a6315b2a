//! The tamper-evident audit log (docs/PRODUCT.md, "The audit log"): every change to a request is an event in that
//! request's hash chain, `hash = SHA-256(prev_hash ‖ canonical event)`. The chains' heads are
//! anchored outside the database (`anchor`, written by `anchoring`), and `verify` also replays
//! each chain to the request row it must have (`replay`, `state`).

pub mod admin_chain;
pub mod anchor;
pub mod anchoring;
pub mod chain;
pub mod mail_chain;
pub mod read;
pub mod replay;
pub mod side_chain;
pub mod state;
pub mod store;
pub mod verify;

pub use anchor::Anchor;
pub use anchoring::AnchorWriter;
pub use chain::{Actor, GENESIS_HASH};
pub use store::{append, OpenChain, OpenChains};
pub use verify::{
    more_readers, verify_all, verify_anchored, verify_documents, verify_requester_files,
    AnchorCoverage, Break, VerifyReport,
};
