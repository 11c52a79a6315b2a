//! Notices (DESIGN.md §5). A change queues its notices in the outbox within its own
//! transaction; a dispatcher (a later step) renders and sends them.

pub mod notice;
pub mod outbox;

pub use notice::{Audience, Notice};
pub use outbox::{enqueue, Outgoing};
