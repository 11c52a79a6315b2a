//! The rules of the service as plain data and functions: no I/O, no clock, no database.
//! Pages, the JSON API and the tests all ask these modules what is allowed.

pub mod access;
pub mod deadlines;
pub mod directory;
pub mod documents;
pub mod exemptions;
pub mod fees;
pub mod findings;
pub mod holidays;
pub mod ids;
pub mod input;
pub mod intake;
pub mod messages;
pub mod notices;
pub mod packed_letter;
pub mod publication;
pub mod reports;
pub mod routing;
pub mod search;
pub mod status;
pub mod step;
pub mod transitions;

pub use access::{Actor, Role, StaffId};
pub use deadlines::{Calendar, Circumstance, DeadlinePolicy};
pub use input::FieldErrors;
pub use routing::Route;
pub use status::{RequestKind, Status};
pub use transitions::{CaseFacts, TransitionError, TransitionInput, TransitionOutcome};
